"""Read a synthesized CDK app: stacks, templates, construct paths and state machine definitions.

:class:`SynthesizedApp` takes a ``Stack``, an ``App`` (or ``Stage``), a cloud assembly directory
(``cdk.out``) or a single template file, and finds every ``AWS::StepFunctions::StateMachine``.
Construct paths come from the cloud assembly's ``aws:cdk:logicalId`` metadata (written whether
the app was synthesized by the cdk CLI or by ``python app.py``), from ``aws:cdk:path`` template
metadata, or, for an in-memory stack, from the construct tree itself.

aws_cdk is imported only when a ``Stack``/``App`` object is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text
from constructs_sfn.testing.definitions import StateMachineUnderTest, definition_of
from constructs_sfn.testing.placeholders import PlaceholderError, TokenResolver

__all__ = ["StackTemplate", "SynthesizedApp", "TemplateError"]

_STATE_MACHINE = "AWS::StepFunctions::StateMachine"


class TemplateError(Exception):
    """A template, assembly or definition that cannot be read; names the file and the resource."""


@dataclass(frozen=True)
class StackTemplate:
    """One stack of the assembly: its template and its logical id -> construct path map."""

    name: str
    template_path: Path | None
    template: Mapping[str, Any]
    paths: Mapping[str, str] = field(default_factory=dict)
    """Logical id -> construct path (``OrderStack/ChargeFn/Resource``)."""
    asset_dir: Path | None = None
    """Where the stack's file assets live (for ``DefinitionS3Location``)."""

    @property
    def resources(self) -> Mapping[str, Any]:
        """The template's ``Resources``."""
        resources = self.template.get("Resources") or {}
        return resources if isinstance(resources, Mapping) else {}

    def where(self, logical_id: str) -> str:
        """How errors name a resource of this stack: file and JSON pointer."""
        origin = str(self.template_path) if self.template_path is not None else self.name
        return f"{origin}: /Resources/{logical_id}"


class SynthesizedApp:
    """Every state machine of a synthesized app, with definitions ready to run and snapshot."""

    def __init__(self, stacks: list[StackTemplate], *, directory: Path | None = None) -> None:
        """Prefer the ``from_*`` factories. ``directory``: the cloud assembly, when there is one."""
        self.stacks = stacks
        self.directory = directory
        self._machines: list[StateMachineUnderTest] | None = None

    # -- factories ------------------------------------------------------------------------------
    @classmethod
    def from_stack(cls, stack: Any) -> SynthesizedApp:
        """Synthesize ``stack``'s app (once; CDK caches it) and read this stack only."""
        from aws_cdk import Stack

        if not isinstance(stack, Stack):
            raise TypeError(f"from_stack expects an aws_cdk.Stack, got {type(stack).__name__}")
        app = cls.from_app(stack.node.root)
        wanted = stack.artifact_id
        picked = [s for s in app.stacks if s.name == wanted]
        if not picked:
            raise TemplateError(f"stack {stack.node.path!r} is not in the synthesized assembly")
        return cls(picked, directory=app.directory)

    @classmethod
    def from_app(cls, app: Any) -> SynthesizedApp:
        """Synthesize ``app`` (an ``App`` or ``Stage``; once, CDK caches it) and read every stack."""
        from aws_cdk import Stage

        if not isinstance(app, Stage):
            raise TypeError(f"from_app expects an aws_cdk.App or Stage, got {type(app).__name__}")
        # The assembly's aws:cdk:logicalId metadata maps every resource to its construct path,
        # so the in-memory tree need not be walked (through jsii, one call per construct).
        return cls.from_assembly(app.synth().directory)

    @classmethod
    def from_assembly(cls, directory: str | Path) -> SynthesizedApp:
        """Read a cloud assembly directory (``cdk.out``), nested stages included."""
        root = Path(directory)
        return cls(list(_read_assembly(root)), directory=root)

    @classmethod
    def from_template(cls, template_path: str | Path) -> SynthesizedApp:
        """Read one template file; paths come from its ``aws:cdk:path`` metadata, when present."""
        path = Path(template_path)
        template = _read_json(path)
        name = path.name.removesuffix(".template.json").removesuffix(".json")
        paths = _metadata_paths(template)
        if (path.parent / "manifest.json").is_file():
            for artifact in _stack_artifacts(path.parent):
                if artifact.template_path.resolve() == path.resolve():
                    paths = {**artifact.logical_id_paths(), **paths}
        return cls(
            [StackTemplate(name=name, template_path=path, template=template, paths=paths, asset_dir=path.parent)]
        )

    # -- state machines -------------------------------------------------------------------------
    @property
    def state_machines(self) -> list[StateMachineUnderTest]:
        """Every state machine, in template order."""
        if self._machines is None:
            machines = [machine for stack in self.stacks for machine in _machines_of(stack)]
            for machine in machines:
                # The outermost ancestor (below the stack) that holds no other machine.
                others = [m for m in machines if m is not machine]
                for path in reversed(machine.ancestry()):
                    if not any(path in other.ancestry() for other in others):
                        machine.display_name = path
                        break
            self._machines = machines
        return self._machines

    def state_machine(self, key: str | Any) -> StateMachineUnderTest:
        """The state machine named by ``key``.

        ``key`` may be a construct (the ``ObservableStateMachine``, a ``StateMachine`` or its
        ``CfnStateMachine``), a construct path (``Orders/Checkout``, with or without the
        ``/StateMachine/Resource`` children), a logical id, or the trailing part of a path
        (``Checkout``) when only one machine ends with it.
        """
        text = _key_text(key)
        machines = self.state_machines
        exact = [m for m in machines if text in m.keys()]  # noqa: SIM118 - keys() is a method of ours
        matches = exact or [m for m in machines if any(k.endswith("/" + text) for k in m.keys())]  # noqa: SIM118
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(repr(m.name) for m in machines) or "none"
        if len(matches) > 1:
            names = ", ".join(repr(m.name) for m in matches)
            raise TemplateError(f"{text!r} matches several state machines: {names}; use a longer construct path")
        raise TemplateError(f"no state machine {text!r} in the synthesized app; state machines: {known}")


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key.strip("/")
    node = getattr(key, "node", None)
    if node is not None:
        return str(node.path).strip("/")
    raise TypeError(f"expected a construct, a construct path or a logical id, got {type(key).__name__}")


def _machines_of(stack: StackTemplate) -> Iterator[StateMachineUnderTest]:
    for logical_id, resource in stack.resources.items():
        if not isinstance(resource, Mapping) or resource.get("Type") != _STATE_MACHINE:
            continue
        resolver = TokenResolver(
            stack.resources,
            paths=stack.paths,
            parameters=stack.template.get("Parameters") or {},
        )
        properties = resource.get("Properties") or {}
        if not isinstance(properties, Mapping):
            raise TemplateError(f"{stack.where(logical_id)}/Properties: expected an object")
        try:
            definition = definition_of(properties, resolver, asset_dir=stack.asset_dir, where=stack.where(logical_id))
        except PlaceholderError as error:
            raise TemplateError(str(error)) from error
        machine_type = properties.get("StateMachineType", "STANDARD")
        yield StateMachineUnderTest(
            stack=stack.name,
            logical_id=logical_id,
            construct_path=stack.paths.get(logical_id),
            state_machine_type=str(machine_type) if isinstance(machine_type, str) else "STANDARD",
            definition=definition,
            placeholders=dict(resolver.placeholders),
            resolver=resolver,
            resources=stack.resources,
        )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise TemplateError(f"{path}: not UTF-8 text (byte {error.start})") from error
    try:  # Jackson's limits, as every JSON reader of the package
        value = decode_json_text(text)
    except JsonDecodeError as error:
        where = f" (line {error.syntax.line}, column {error.syntax.column})" if error.syntax else ""
        raise TemplateError(f"{path}: not JSON{where}: {error.message}") from error
    if not isinstance(value, dict):
        raise TemplateError(f"{path}: expected a JSON object")
    return value


def _metadata_paths(template: Mapping[str, Any]) -> dict[str, str]:
    paths: dict[str, str] = {}
    for logical_id, resource in (template.get("Resources") or {}).items():
        if isinstance(resource, Mapping):
            path = (resource.get("Metadata") or {}).get("aws:cdk:path")
            if isinstance(path, str):
                paths[logical_id] = path
    return paths


@dataclass(frozen=True)
class _StackArtifact:
    """A stack of a cloud assembly's manifest, before its template is read."""

    name: str
    root: Path
    template_path: Path
    metadata: Mapping[str, Any]

    def logical_id_paths(self) -> dict[str, str]:
        """Logical id -> construct path, from the manifest's ``aws:cdk:logicalId`` entries."""
        paths: dict[str, str] = {}
        for path, entries in self.metadata.items():
            for entry in entries if isinstance(entries, list) else ():
                if isinstance(entry, Mapping) and entry.get("type") == "aws:cdk:logicalId":
                    paths.setdefault(str(entry.get("data")), path.strip("/"))
        return paths


def _stack_artifacts(root: Path) -> Iterator[_StackArtifact]:
    """The stacks of the assembly in ``root`` (nested stages included), templates not yet read."""
    artifacts = _read_json(root / "manifest.json").get("artifacts") or {}
    for artifact_id, artifact in artifacts.items():
        if not isinstance(artifact, Mapping):
            continue
        kind = artifact.get("type")
        properties = artifact.get("properties") or {}
        if kind == "cdk:cloud-assembly" and isinstance(properties.get("directoryName"), str):
            yield from _stack_artifacts(root / properties["directoryName"])
            continue
        if kind != "aws:cloudformation:stack":
            continue
        metadata: Mapping[str, Any] = artifact.get("metadata") or {}
        extra = artifact.get("additionalMetadataFile")
        if isinstance(extra, str) and (root / extra).is_file():
            metadata = {**metadata, **_read_json(root / extra)}
        template_path = root / str(properties.get("templateFile", f"{artifact_id}.template.json"))
        yield _StackArtifact(str(artifact_id), root, template_path, metadata)


def _read_assembly(root: Path) -> Iterator[StackTemplate]:
    for artifact in _stack_artifacts(root):
        template = _read_json(artifact.template_path)
        # Template path metadata (cdk CLI) first; the manifest's logical ids fill in the rest.
        paths = {**artifact.logical_id_paths(), **_metadata_paths(template)}
        yield StackTemplate(
            name=artifact.name,
            template_path=artifact.template_path,
            template=template,
            paths=paths,
            asset_dir=artifact.root,
        )

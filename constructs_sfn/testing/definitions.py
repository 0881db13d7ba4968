"""One state machine taken out of a synthesized template, as plain ASL with placeholders.

The definition comes from ``DefinitionString`` (a string, ``Fn::Join`` or ``Fn::Sub``),
``Definition`` (an object) or ``DefinitionS3Location`` (a file asset of the cloud assembly), with
``DefinitionSubstitutions`` applied as Step Functions applies them (``${key}`` text replacement).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_sfn.testing.placeholders import Placeholder, PlaceholderError, TokenResolver

if TYPE_CHECKING:
    from constructs_sfn.testing.runner import WorkflowRunner

__all__ = ["StateMachineUnderTest", "definition_of"]

_SUBSTITUTION = re.compile(r"\$\{([^}]+)\}")
_INTRINSICS = ("Ref", "Fn::GetAtt", "Fn::Join", "Fn::Sub", "Fn::Select", "Fn::ImportValue")


def definition_of(
    properties: Mapping[str, Any], resolver: TokenResolver, *, asset_dir: Path | None, where: str
) -> dict[str, Any]:
    """The definition of a ``AWS::StepFunctions::StateMachine`` from its ``Properties``."""
    if "DefinitionString" in properties:
        text = resolver.resolve(properties["DefinitionString"], where=f"{where}/Properties/DefinitionString")
        origin = f"{where}/Properties/DefinitionString"
    elif "Definition" in properties:
        text = json.dumps(_resolve_object(properties["Definition"], resolver, f"{where}/Properties/Definition"))
        origin = f"{where}/Properties/Definition"
    elif "DefinitionS3Location" in properties:
        text = _read_s3_definition(properties["DefinitionS3Location"], resolver, asset_dir, where)
        origin = f"{where}/Properties/DefinitionS3Location"
    else:
        raise PlaceholderError(f"{where}/Properties: no DefinitionString, Definition or DefinitionS3Location")
    substitutions = properties.get("DefinitionSubstitutions") or {}
    if not isinstance(substitutions, Mapping):
        raise PlaceholderError(f"{where}/Properties/DefinitionSubstitutions: expected an object")
    if substitutions:
        values = {
            str(key): resolver.resolve(value, where=f"{where}/Properties/DefinitionSubstitutions/{key}")
            for key, value in substitutions.items()
        }

        def substitute(match: re.Match[str]) -> str:
            value = values.get(match[1])
            if value is None:
                return match[0]
            return json.dumps(value)[1:-1]  # inserted inside a JSON string: escape as JSON does

        text = _SUBSTITUTION.sub(substitute, text)
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlaceholderError(
            f"{origin}: not JSON after resolving CDK tokens (line {error.lineno}, column {error.colno}): {error.msg}"
        ) from error
    if not isinstance(definition, dict):
        raise PlaceholderError(f"{origin}: the definition must be a JSON object")
    return definition


def _resolve_object(value: Any, resolver: TokenResolver, where: str) -> Any:
    if isinstance(value, Mapping):
        if len(value) == 1 and next(iter(value)) in _INTRINSICS:
            return resolver.resolve(value, where=where)
        return {key: _resolve_object(item, resolver, f"{where}/{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve_object(item, resolver, f"{where}/{index}") for index, item in enumerate(value)]
    return value


def _read_s3_definition(location: Any, resolver: TokenResolver, asset_dir: Path | None, where: str) -> str:
    pointer = f"{where}/Properties/DefinitionS3Location"
    if not isinstance(location, Mapping) or "Key" not in location:
        raise PlaceholderError(f"{pointer}: expected an object with Bucket and Key")
    key = resolver.resolve(location["Key"], where=f"{pointer}/Key")
    if asset_dir is None:
        raise PlaceholderError(
            f"{pointer}: the definition is the S3 object {key!r}, and no assembly directory is known"
        )
    candidates = [asset_dir / key, asset_dir / f"asset.{key}"]
    stem = key.rsplit("/", 1)[-1]
    digest = stem.split(".", 1)[0]
    candidates += sorted(asset_dir.glob(f"asset.{digest}*"))
    for manifest in sorted(asset_dir.glob("*.assets.json")):
        try:
            files = json.loads(manifest.read_text(encoding="utf-8")).get("files") or {}
        except (OSError, json.JSONDecodeError):
            continue
        entry = files.get(digest)
        if isinstance(entry, Mapping):
            source = (entry.get("source") or {}).get("path")
            if isinstance(source, str):
                candidates.insert(0, asset_dir / source)
    for candidate in candidates:
        if candidate.is_file():
            try:
                return candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise PlaceholderError(f"{pointer}: cannot read the definition file {candidate}: {error}") from error
    raise PlaceholderError(f"{pointer}: the definition file for key {key!r} is not in {asset_dir}")


@dataclass
class StateMachineUnderTest:
    """A state machine of a synthesized app: its definition and what its placeholders stand for."""

    stack: str
    logical_id: str
    construct_path: str | None
    """The path of the ``CfnStateMachine`` (``Orders/Checkout/StateMachine/Resource``), when known."""
    state_machine_type: str
    definition: dict[str, Any]
    """Plain ASL; CDK tokens replaced by placeholders (see :mod:`constructs_sfn.testing.placeholders`)."""
    placeholders: dict[str, Placeholder]
    """Placeholder text -> what it stands for."""
    resolver: TokenResolver = field(repr=False)
    resources: Mapping[str, Any] = field(repr=False, default_factory=dict)
    display_name: str | None = None
    """Set by :class:`SynthesizedApp`: the shortest construct path that names only this machine."""

    @property
    def name(self) -> str:
        """A readable name: the outermost construct holding only this machine (``Orders/Checkout``)."""
        if self.display_name is not None:
            return self.display_name
        path = self.construct_path or f"{self.stack}/{self.logical_id}"
        for suffix in ("/Resource", "/StateMachine"):
            path = path.removesuffix(suffix)
        return path

    def ancestry(self) -> list[str]:
        """The construct path and every ancestor path below the stack, innermost first."""
        path = (self.construct_path or f"{self.stack}/{self.logical_id}").strip("/")
        parts = path.split("/")
        return ["/".join(parts[:end]) for end in range(len(parts), 1, -1)]

    @property
    def definition_text(self) -> str:
        """The definition as compact JSON text, as ``create_state_machine`` takes it."""
        return json.dumps(self.definition, separators=(",", ":"), ensure_ascii=False)

    def keys(self) -> set[str]:
        """Exact names of this machine: its logical id, construct path and ancestor paths."""
        return {self.logical_id, self.name, f"{self.stack}/{self.logical_id}", *self.ancestry()}

    # -- placeholders ---------------------------------------------------------------------------
    def logical_ids_for(self, target: Any) -> list[str]:
        """Logical ids of the resources ``target`` names: a construct, a path or a logical id."""
        text = target if isinstance(target, str) else _construct_path(target)
        text = text.strip("/")
        if text in self.resources:
            return [text]
        paths = self.resolver.paths
        matches = [logical_id for logical_id, path in paths.items() if path == text or path.startswith(text + "/")]
        direct = [logical_id for logical_id in matches if paths[logical_id] in (text, f"{text}/Resource")]
        return direct or matches

    def placeholder(self, target: Any, attribute: str = "Ref") -> str:
        """The placeholder text the definition uses for ``target``'s ``Ref`` or an attribute.

        ``target``: a construct (``IFunction``, ``IQueue`` ...), its path, or a logical id.
        """
        logical_ids = self.logical_ids_for(target)
        typed = [lid for lid in logical_ids if _type_of(self.resources, lid) is not None]
        if not typed:
            raise PlaceholderError(f"{self.name}: {_describe(target)} names no resource of stack {self.stack!r}")
        # Of several resources under one construct, prefer the one the definition already uses.
        used = {p.logical_id for p in self.placeholders.values()}
        return self.resolver.render(next((lid for lid in typed if lid in used), typed[0]), attribute)

    def referenced(self, resource_type: str | None = None) -> list[Placeholder]:
        """The placeholders the definition uses, optionally only those of ``resource_type``."""
        return [p for p in self.placeholders.values() if resource_type is None or p.resource_type == resource_type]

    def runner(self, **options: Any) -> WorkflowRunner:
        """A :class:`~constructs_sfn.testing.runner.WorkflowRunner` for this machine (see its options)."""
        from constructs_sfn.testing.runner import WorkflowRunner

        return WorkflowRunner(self, **options)


def _type_of(resources: Mapping[str, Any], logical_id: str) -> str | None:
    resource = resources.get(logical_id)
    if isinstance(resource, Mapping) and isinstance(resource.get("Type"), str):
        return str(resource["Type"])
    return None


def _construct_path(target: Any) -> str:
    node = getattr(target, "node", None)
    if node is None:
        raise TypeError(f"expected a construct, a construct path or a logical id, got {type(target).__name__}")
    return str(node.path)


def _describe(target: Any) -> str:
    return repr(target) if isinstance(target, str) else f"construct {_construct_path(target)!r}"

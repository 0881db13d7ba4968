"""What a command line points at: an ASL definition (JSON or YAML), a CloudFormation template or a
cloud assembly directory (``cdk.out``), read into state machines ready for the local client.

JSON is read by AWS's rules (no ``NaN``, at most 1000 levels). Text that is not JSON is read as
YAML, and a YAML mistake is reported with YAML's own message and line. YAML 1.1, which PyYAML
follows, turns some unquoted values into other types: ``2024-01-01`` becomes a date (JSON has
none, so the file is refused with a hint to quote it); ``yes``/``no``/``on``/``off`` become
booleans, and ``0755`` (octal), ``0x1F`` (hex), ``0b101`` (binary) and ``1:30`` (base 60)
numbers other than the digits say (each kept, with a note that says to quote it if text was
meant); ``~`` and an empty value become null (noted only where the definition is then invalid).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text
from constructs_sfn.asl.parse.yaml_text import NotYamlMappingError, load_yaml_document
from constructs_sfn.cli.console import UsageError, read_text
from constructs_sfn.cli.field_hints import field_hints

if TYPE_CHECKING:
    from constructs_sfn.testing.definitions import StateMachineUnderTest

__all__ = [
    "DefinitionFile",
    "MachineSource",
    "YamlSurprise",
    "load_definition_file",
    "load_machines",
    "pick_machine",
]

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")
_YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}
_BOOLEAN_FIELDS = {"End", "BooleanEquals", "IsPresent", "IsNull", "IsString", "IsNumeric", "IsBoolean", "IsTimestamp"}
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
# Numbers whose value is not what their digits say in JSON: a leading zero (octal), 0x/0b, or
# base 60 (1:30). Underscores (1_000) and signs read as they look and are left alone.
_NOT_DECIMAL = re.compile(r"^[-+]?(0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$")


@dataclass(frozen=True)
class YamlSurprise:
    """A plain YAML scalar that YAML 1.1 read as another value than its text suggests: a boolean that
    is not ``true``/``false``, a number that is not decimal digits, or a null that is not ``null``."""

    line: int
    text: str
    """The scalar as written (``yes``, ``0755``, ``1:30``, ``~`` ...)."""
    pointer: str
    """Where it ended up in the document (JSON pointer); for a mapping key, the key's pointer."""
    kind: str = "boolean"
    """``boolean``, ``number`` or ``null``: what YAML made of it."""
    value: str = ""
    """What it became, as JSON text (``true``, ``493``, ``null``)."""

    @property
    def note(self) -> str:
        """What to tell the user."""
        if self.kind == "null":
            if self.text:
                return f"line {self.line}: YAML reads {self.text} as null; write the value, quoted if it is text"
            return (
                f"line {self.line}: YAML reads an empty value as null; write the value (quoted if it is text), "
                "or indent the lines meant to be under it"
            )
        quoted = f'"{self.text}"'
        if self.kind == "number":
            how = _NUMBER_BASES.get(self.text.lstrip("+-")[:2].lower(), "octal")
            if ":" in self.text:
                how = "base 60"
            read_as = f"YAML 1.1 reads {self.text} as the number {self.value} ({how})"
        else:
            read_as = f"YAML 1.1 reads {self.text} as the boolean {self.value or _yaml11_boolean(self.text)}"
        return f"line {self.line}: {read_as}; quote it ({quoted}) if you meant text"

    @property
    def expected(self) -> bool:
        """True when the value is what ASL expects at its place (``End: yes``): no note unless the
        definition is invalid there."""
        if self.kind == "null":
            return True
        return self.kind == "boolean" and self.pointer.rsplit("/", 1)[-1] in _BOOLEAN_FIELDS

    def concerns(self, location: str) -> bool:
        """True when a problem at ``location`` may come from this value."""
        return (
            location == self.pointer
            or self.pointer.startswith(location + "/")
            or location.startswith(self.pointer + "/")
        )


_NUMBER_BASES = {"0x": "hexadecimal", "0b": "binary"}


def _yaml11_boolean(text: str) -> str:
    return str(text.lower() in ("yes", "on", "y", "true")).lower()


def _notes(surprises: tuple[YamlSurprise, ...], location: str | None) -> tuple[str, ...]:
    if location is None:
        # Booleans where ASL expects one (End: yes) and nulls are most likely what was meant.
        return tuple(s.note for s in surprises if not s.expected)
    return tuple(s.note for s in surprises if s.concerns(location))


@dataclass(frozen=True)
class DefinitionFile:
    """A definition file's JSON document, and the YAML values that may not mean what was meant."""

    path: Path
    document: Any
    yaml_surprises: tuple[YamlSurprise, ...] = ()

    @property
    def yaml_notes(self) -> tuple[str, ...]:
        """Notes on yes/no/on/off values outside ASL's boolean fields, and on non-decimal numbers."""
        return _notes(self.yaml_surprises, None)

    @property
    def is_template(self) -> bool:
        """True when the document is a CloudFormation template rather than a definition."""
        document = self.document
        return isinstance(document, Mapping) and (
            "AWSTemplateFormatVersion" in document or isinstance(document.get("Resources"), Mapping)
        )

    def with_notes(self, message: str, location: str | None = None) -> str:
        """``message`` and the notes: the YAML ones (those concerning ``location`` and the field
        hints there, when it is given)."""
        notes = _notes(self.yaml_surprises, None) if location is None else self.notes_for(location)
        return message + "".join(f" (note: {note})" for note in notes)

    def notes_for(self, location: str) -> tuple[str, ...]:
        """The notes on a problem at ``location`` (a JSON pointer): the YAML values there, and keys
        there that look like misspelled ASL fields."""
        return _notes(self.yaml_surprises, location) + field_hints(self.document, location)


@dataclass(frozen=True)
class MachineSource:
    """One state machine ready for ``create_state_machine``."""

    label: str
    """How messages name it: the definition file, or ``<template>#<construct path>``."""
    name: str
    """The state machine name (what a mock configuration file keys its test cases by)."""
    definition_text: str
    state_machine_type: str
    """``STANDARD`` or ``EXPRESS`` (from the template; ``STANDARD`` for a definition file)."""
    machine: StateMachineUnderTest | None = None
    """The machine of a template or assembly (its placeholders name the app's resources)."""
    yaml_surprises: tuple[YamlSurprise, ...] = field(default=())

    @property
    def yaml_notes(self) -> tuple[str, ...]:
        """Notes on yes/no/on/off values outside ASL's boolean fields, and on non-decimal numbers."""
        return _notes(self.yaml_surprises, None)

    def with_notes(self, message: str, location: str | None = None) -> str:
        """``message`` and the notes: the YAML ones (those concerning ``location`` and the field
        hints there, when it is given)."""
        notes = _notes(self.yaml_surprises, None) if location is None else self.notes_for(location)
        return message + "".join(f" (note: {note})" for note in notes)

    def notes_for(self, location: str) -> tuple[str, ...]:
        """The notes on a problem at ``location`` (a JSON pointer): the YAML values there, and keys
        there that look like misspelled ASL fields."""
        try:
            document = json.loads(self.definition_text)
        except ValueError:  # pragma: no cover - the text was written from a JSON document
            document = None
        return _notes(self.yaml_surprises, location) + field_hints(document, location)

    def renamed(self, name: str) -> MachineSource:
        """The same machine under another state machine name."""
        return dataclasses.replace(self, name=name)


def load_definition_file(path: Path) -> DefinitionFile:
    """Read a JSON or YAML file into a JSON document; :class:`UsageError` naming the file otherwise."""
    text = read_text(path)
    try:
        return DefinitionFile(path, decode_json_text(text))
    except JsonDecodeError as failure:
        json_error = failure
    where = f" (line {json_error.syntax.line}, column {json_error.syntax.column})" if json_error.syntax else ""
    not_json = f"{path}: not JSON{where}: {json_error.message}"
    if json_error.syntax is None or text.lstrip().startswith(("{", "[")) or not text.strip():
        raise UsageError(not_json if text.strip() else f"{path}: the file is empty")
    return _load_yaml(path, text, not_json)


def _load_yaml(path: Path, text: str, not_json: str) -> DefinitionFile:
    try:
        document = load_yaml_document(text)
    except NotYamlMappingError as error:
        raise UsageError(f"{path}: not YAML ({_yaml_problem(error)})") from None
    except DefinitionError as error:
        raise UsageError(f"{path}: {error}") from None
    if not isinstance(document, Mapping | list):
        # A lone word is a YAML string; what the user wrote was more likely broken JSON.
        raise UsageError(f"{not_json} (and as YAML it is not a mapping)")
    dates, booleans = _yaml11_surprises(text)
    if dates:
        line, value, _ = dates[0]
        raise UsageError(
            f"{path}: line {line}: YAML 1.1 reads {value} as a date, and JSON has no dates; "
            f'quote it ("{value}") to keep it as text'
        )
    try:
        # Round-trip through JSON: what the local client receives is JSON text.
        document = json.loads(json.dumps(document, allow_nan=False))
    except (TypeError, ValueError) as error:
        raise UsageError(f"{path}: the YAML holds a value JSON cannot represent ({error})") from None
    return DefinitionFile(path, document, tuple(booleans))


def _yaml_problem(error: NotYamlMappingError) -> str:
    """YAML's own message and line: ``line 3, column 7: mapping values are not allowed here``."""
    import yaml

    cause = error.__cause__
    if isinstance(cause, yaml.MarkedYAMLError) and cause.problem_mark is not None:
        mark = cause.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}: {cause.problem or cause.context}"
    return " ".join(str(error).split())


def _yaml11_surprises(text: str) -> tuple[list[tuple[int, str, str]], list[YamlSurprise]]:
    """Plain scalars YAML 1.1 resolved to a date, and the other :class:`YamlSurprise` values, with
    lines and pointers."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return [], []
    dates: list[tuple[int, str, str]] = []
    booleans: list[YamlSurprise] = []
    seen: set[int] = set()
    pending: list[tuple[Any, str]] = [(root, "")] if root is not None else []
    while pending:  # iterative, and each node once: aliases share nodes
        node, pointer = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.style is None and node.tag == _TIMESTAMP_TAG:
                dates.append((node.start_mark.line + 1, node.value, pointer))
            elif node.style is None:
                surprise = _scalar_surprise(node, pointer)
                if surprise is not None:
                    booleans.append(surprise)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((item, f"{pointer}/{index}") for index, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = _pointer_token(key)
                pending.extend(((key, f"{pointer}/{name}"), (value, f"{pointer}/{name}")))
    return sorted(dates), sorted(booleans, key=lambda surprise: surprise.line)


def _scalar_surprise(node: Any, pointer: str) -> YamlSurprise | None:
    """The surprise a plain scalar holds: a yes/no/on/off boolean, a number in another base than
    ten or in base 60, a ``~`` or empty null; None for a scalar that reads as it looks."""
    line = node.start_mark.line + 1
    text = node.value
    if node.tag == _BOOL_TAG and text.lower() in _YAML11_BOOLEANS:
        return YamlSurprise(line, text, pointer, "boolean", _yaml11_boolean(text))
    if node.tag == _NULL_TAG and text in ("", "~"):
        return YamlSurprise(line, text, pointer, "null", "null")
    if node.tag in (_INT_TAG, _FLOAT_TAG) and _NOT_DECIMAL.match(text):
        import yaml

        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:  # pragma: no cover - the scalar was just resolved as a number
            return None
        return YamlSurprise(line, text, pointer, "number", json.dumps(value))
    return None


def _pointer_token(key: Any) -> str:
    """A mapping key as the JSON document will spell it (``on`` -> ``true``), escaped for a pointer."""
    import yaml

    if not isinstance(key, yaml.ScalarNode):
        return "?"
    text = key.value
    if key.style is None and key.tag == _BOOL_TAG:
        text = _yaml11_boolean(text)
    return str(text).replace("~", "~0").replace("/", "~1")


def load_machines(source: str, *, state_machine_type: str | None = None) -> list[MachineSource]:
    """Every state machine of ``source``: a definition file, a template, or a ``cdk.out`` directory.

    ``state_machine_type`` overrides the template's type (a definition file's default is STANDARD).
    """
    if "\x00" in source:
        shown = source.replace("\x00", "\\x00")
        raise UsageError(f"{shown}: not a valid path (it contains a NUL character)")
    path = Path(source)
    if path.is_dir():
        if not (path / "manifest.json").is_file():
            raise UsageError(f"{path}: not a cloud assembly (no manifest.json); run 'cdk synth' first")
        return _from_app(path, str(path), state_machine_type, assembly=True)
    loaded = load_definition_file(path)
    if loaded.is_template:
        if not read_text(path).lstrip().startswith("{"):
            raise UsageError(f"{path}: a YAML CloudFormation template; use the JSON template 'cdk synth' writes")
        return _from_app(path, str(path), state_machine_type, assembly=False)
    name = _UNSAFE_NAME.sub("-", path.name.split(".", 1)[0]).strip("-")[:80] or "StateMachine"
    text = json.dumps(loaded.document, ensure_ascii=False, separators=(",", ":"))
    return [MachineSource(str(path), name, text, state_machine_type or "STANDARD", None, loaded.yaml_surprises)]


def _from_app(path: Path, origin: str, state_machine_type: str | None, *, assembly: bool) -> list[MachineSource]:
    from constructs_sfn.testing.assembly import SynthesizedApp, TemplateError

    try:
        app = SynthesizedApp.from_assembly(path) if assembly else SynthesizedApp.from_template(path)
        machines = app.state_machines
    except TemplateError as error:
        raise UsageError(str(error)) from error
    except RecursionError:
        raise UsageError(f"{origin}: a template is nested too deeply to read") from None
    # Named as lint names them: the stack's template file, then the construct path.
    templates = {stack.name: str(stack.template_path or origin) for stack in app.stacks}
    found: list[MachineSource] = []
    for machine in machines:
        last = machine.name.rsplit("/", 1)[-1]
        found.append(
            MachineSource(
                label=f"{templates.get(machine.stack, origin)}#{machine.name}",
                name=_UNSAFE_NAME.sub("-", last).strip("-")[:80] or "StateMachine",
                definition_text=machine.definition_text,
                state_machine_type=state_machine_type or machine.state_machine_type,
                machine=machine,
            )
        )
    return found


SOURCE_HELP = (
    "an ASL definition (JSON or YAML), a CloudFormation template (JSON) or a cloud assembly directory (cdk.out)"
)


def add_machine_arguments(parser: Any, *, purpose: str, optional_source: bool = False, source_note: str = "") -> None:
    """The ``SOURCE`` argument and the ``--state-machine ID`` option of a command that works on one
    state machine (``purpose``: "to run", "to draw", ...), with the same wording everywhere."""
    parser.add_argument(
        "source",
        metavar="SOURCE",
        nargs="?" if optional_source else None,
        default=None,
        help=SOURCE_HELP + source_note,
    )
    parser.add_argument(
        "--state-machine",
        metavar="ID",
        default=None,
        help=f"which state machine of a template or cdk.out {purpose}: its logical id or construct path "
        "(Shop/Orders, or just Orders when that is unique); needed when there are several",
    )


def pick_machine(source: str, key: str | None, *, state_machine_type: str | None = None) -> MachineSource:
    """The one state machine of ``source`` that ``key`` names (a logical id or construct path).

    Without ``key`` the source must hold exactly one; otherwise the error lists them.
    """
    machines = load_machines(source, state_machine_type=state_machine_type)
    if not machines:
        raise UsageError(f"{source}: no AWS::StepFunctions::StateMachine resource")
    if key is None:
        if len(machines) > 1:
            names = ", ".join(_machine_name(m) for m in machines)
            raise UsageError(
                f"{source} holds {len(machines)} state machines ({names}); choose one with --state-machine"
            )
        return machines[0]
    templated = [m for m in machines if m.machine is not None]
    if not templated:
        raise UsageError(f"--state-machine {key}: {source} is a definition file, not a template or cdk.out")
    wanted = key.strip("/")
    exact = [m for m in templated if m.machine is not None and wanted in m.machine.keys()]  # noqa: SIM118
    matches = exact or [
        m
        for m in templated
        if m.machine is not None and any(k.endswith("/" + wanted) for k in m.machine.keys())  # noqa: SIM118
    ]
    known = ", ".join(_machine_name(m) for m in templated)
    if len(matches) > 1:
        names = ", ".join(_machine_name(m) for m in matches)
        raise UsageError(f"--state-machine {key}: matches several state machines ({names}); use a longer path")
    if not matches:
        raise UsageError(f"--state-machine {key}: no such state machine in {source}; state machines: {known}")
    return matches[0]


def _machine_name(source: MachineSource) -> str:
    """``Shop/Orders (Orders1234)``: the construct path and the logical id."""
    machine = source.machine
    if machine is None:
        return source.label
    if machine.name == machine.logical_id:
        return machine.name
    return f"{machine.name} ({machine.logical_id})"

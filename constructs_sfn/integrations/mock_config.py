"""The Step Functions Local mock configuration file (``MockConfigFile.json``), accepted unchanged.

Shape of the file::

    {"StateMachines": {"<state machine name>": {"TestCases": {"<test case>": {"<state>": "<response>"}}}},
     "MockedResponses": {"<response>": {"0": {"Return": <result>},
                                         "1-3": {"Throw": {"Error": "...", "Cause": "..."}}}}}

Invocation keys are zero-based invocation numbers (``"0"``) or inclusive ranges (``"1-3"``); they
must cover ``0..N`` without gaps or overlaps. Each entry has exactly one of ``Return`` (the task
result) or ``Throw`` (an ``Error`` and optional ``Cause``). Problems are reported as
:class:`~constructs_sfn.integrations.errors.MockConfigError` naming the offending key path.

Load one with :meth:`MockConfig.from_path`, :meth:`MockConfig.from_dict`,
:meth:`MockConfig.from_env` (``SFN_MOCK_CONFIG``) or build one in Python with
:meth:`MockConfig.build` and :class:`Return`/:class:`Throw`.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text
from constructs_sfn.integrations.errors import MockConfigError
from constructs_sfn.integrations.jsontext import to_json_value

__all__ = [
    "MOCK_CONFIG_ENV_VAR",
    "MockConfig",
    "MockedResponse",
    "MockedResponseSequence",
    "Return",
    "Throw",
]

MOCK_CONFIG_ENV_VAR = "SFN_MOCK_CONFIG"
"""The environment variable Step Functions Local reads the mock configuration file path from."""

_TOP_LEVEL = ("StateMachines", "MockedResponses")
_INVOCATION_KEY = re.compile(r"^(\d+)(?:-(\d+))?$")


@dataclass(frozen=True, slots=True)
class Return:
    """A mocked success: the task's result is ``value``.

    ``times``: how many consecutive invocations get this response (:meth:`MockConfig.build` only).
    """

    value: Any
    times: int = 1


@dataclass(frozen=True, slots=True)
class Throw:
    """A mocked failure with ``error`` (what Retry/Catch match) and ``cause``.

    ``times``: how many consecutive invocations get this response (:meth:`MockConfig.build` only).
    """

    error: str
    cause: str | None = None
    times: int = 1


MockedResponse = Return | Throw
"""One invocation's mocked response."""


@dataclass(frozen=True, slots=True)
class MockedResponseSequence:
    """A named mocked response: what each invocation number returns."""

    name: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    responses: tuple[MockedResponse, ...]

    @property
    def count(self) -> int:
        """How many invocations the sequence covers (invocations ``0..count-1``)."""
        return self.ends[-1] + 1 if self.ends else 0

    def at(self, invocation: int) -> MockedResponse | None:
        """The response for the zero-based ``invocation``; None once the sequence is exhausted."""
        index = bisect.bisect_right(self.starts, invocation) - 1
        if index < 0 or invocation > self.ends[index]:
            return None
        return self.responses[index]

    def to_dict(self) -> dict[str, Any]:
        """The sequence in the file's form (``{"0": {"Return": ...}, "1-2": {"Throw": ...}}``)."""
        out: dict[str, Any] = {}
        for start, end, response in zip(self.starts, self.ends, self.responses, strict=True):
            key = str(start) if start == end else f"{start}-{end}"
            if isinstance(response, Return):
                out[key] = {"Return": response.value}
            else:
                throw: dict[str, str] = {"Error": response.error}
                if response.cause is not None:
                    throw["Cause"] = response.cause
                out[key] = {"Throw": throw}
        return out


class MockConfig:
    """A parsed, validated mock configuration: test cases per state machine, and named responses."""

    def __init__(
        self,
        state_machines: Mapping[str, Mapping[str, Mapping[str, str]]],
        responses: Mapping[str, MockedResponseSequence],
        *,
        source: str = "MockConfigFile",
    ) -> None:
        """Prefer the ``from_*`` constructors and :meth:`build`; this one trusts its arguments."""
        self._state_machines = {
            sm: {tc: dict(states) for tc, states in cases.items()} for sm, cases in state_machines.items()
        }
        self._responses = dict(responses)
        self.source = source

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "MockConfigFile") -> MockConfig:
        """Validate and load the file's JSON value; raises MockConfigError naming the bad key."""
        return _Parser(source).parse(data)

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "MockConfigFile") -> MockConfig:
        """Parse JSON text in the file's format (``bytes`` must be UTF-8).

        The text is read by the rules of AWS's JSON parser
        (:func:`~constructs_sfn.asl.parse.json_text.decode_json_text`: no ``NaN``, at most 1000
        levels, numbers of at most 1000 characters); anything else is a MockConfigError.
        """
        if isinstance(text, bytes | bytearray):
            try:
                text = bytes(text).decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise MockConfigError(f"is not UTF-8 text (byte {exc.start}: {exc.reason})", source=source) from exc
        if not isinstance(text, str):
            raise TypeError(f"MockConfig.from_json(text=...) takes JSON text (str or bytes), not {type(text).__name__}")
        try:
            data = decode_json_text(text)
        except JsonDecodeError as exc:
            where = f" (line {exc.syntax.line}, column {exc.syntax.column})" if exc.syntax else ""
            raise MockConfigError(f"is not valid JSON{where}: {exc.message}", source=source) from None
        return cls.from_dict(data, source=source)

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> MockConfig:
        """Read a mock configuration file."""
        if not isinstance(path, str | os.PathLike):
            raise TypeError(f"MockConfig.from_path(path=...) takes a str or os.PathLike, not {type(path).__name__}")
        source = f"MockConfigFile {os.fspath(path)!s}"
        try:
            data = Path(path).read_bytes()
        except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise MockConfigError(f"cannot be read: {reason}", source=source) from exc
        return cls.from_json(data, source=source)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MockConfig | None:
        """The file named by ``SFN_MOCK_CONFIG``, or None when the variable is unset or empty."""
        path = (os.environ if environ is None else environ).get(MOCK_CONFIG_ENV_VAR, "")
        return cls.from_path(path) if path else None

    @classmethod
    def build(
        cls,
        test_cases: Mapping[str, Mapping[str, Mapping[str, MockedResponse | Sequence[MockedResponse]]]],
    ) -> MockConfig:
        """Build a configuration in Python: ``{state machine: {test case: {state: responses}}}``.

        Responses are a :class:`Return`/:class:`Throw` or a list of them, consumed in order, each
        ``times`` times. The generated response names are ``<machine>.<test case>.<state>``, so
        :meth:`to_dict` gives a file Step Functions Local accepts too.
        """
        machines: dict[str, dict[str, dict[str, str]]] = {}
        responses: dict[str, MockedResponseSequence] = {}
        for machine, cases in test_cases.items():
            for case, states in cases.items():
                for state, spec in states.items():
                    name = f"{machine}.{case}.{state}"
                    items = [spec] if isinstance(spec, Return | Throw) else list(spec)
                    responses[name] = _sequence_from_items(name, items, key_path=f"{machine}.{case}.{state}")
                    machines.setdefault(machine, {}).setdefault(case, {})[state] = name
        return cls(machines, responses, source="MockConfig.build")

    # -- queries -------------------------------------------------------------------------------

    @property
    def state_machines(self) -> Mapping[str, Mapping[str, Mapping[str, str]]]:
        """``{state machine: {test case: {state: response name}}}``."""
        return self._state_machines

    @property
    def responses(self) -> Mapping[str, MockedResponseSequence]:
        """The named mocked responses."""
        return self._responses

    def test_case(self, state_machine: str, test_case: str) -> Mapping[str, str]:
        """``{state: response name}`` of a test case; raises MockConfigError when there is none."""
        cases = self._state_machines.get(state_machine)
        if cases is None:
            known = ", ".join(sorted(self._state_machines)) or "none"
            raise MockConfigError(
                f"has no state machine '{state_machine}' (defined: {known})",
                key_path="StateMachines",
                source=self.source,
            )
        states = cases.get(test_case)
        if states is None:
            known = ", ".join(sorted(cases)) or "none"
            raise MockConfigError(
                f"has no test case '{test_case}' (defined: {known})",
                key_path=f"StateMachines.{state_machine}.TestCases",
                source=self.source,
            )
        return states

    def mocked_response(self, state_machine: str, test_case: str, state: str) -> MockedResponseSequence | None:
        """The response sequence mocking ``state`` in the test case; None when the state is not mocked."""
        name = self.test_case(state_machine, test_case).get(state)
        return None if name is None else self._responses[name]

    def to_dict(self) -> dict[str, Any]:
        """The configuration in the file's JSON form."""
        return {
            "StateMachines": {
                machine: {"TestCases": {case: dict(states) for case, states in cases.items()}}
                for machine, cases in self._state_machines.items()
            },
            "MockedResponses": {name: seq.to_dict() for name, seq in self._responses.items()},
        }


class _Parser:
    """Validates a mock configuration, reporting the first problem with its key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key_path: str, message: str) -> MockConfigError:
        return MockConfigError(message, key_path=key_path, source=self.source)

    def parse(self, data: Any) -> MockConfig:
        if not isinstance(data, Mapping):
            raise self.fail("", f"must be a JSON object, got {_json_type(data)}")
        for key in data:
            if key not in _TOP_LEVEL:
                hint = " (did you mean MockedResponses?)" if key == "MockedResponse" else ""
                raise self.fail(str(key), f"is not a known field{hint}; expected StateMachines and MockedResponses")
        responses = self._responses(data.get("MockedResponses", {}))
        machines = self._state_machines(data.get("StateMachines", {}), responses)
        return MockConfig(machines, responses, source=self.source)

    def _responses(self, value: Any) -> dict[str, MockedResponseSequence]:
        if not isinstance(value, Mapping):
            raise self.fail("MockedResponses", f"must be an object, got {_json_type(value)}")
        return {str(name): self._sequence(str(name), body) for name, body in value.items()}

    def _sequence(self, name: str, body: Any) -> MockedResponseSequence:
        path = f"MockedResponses.{name}"
        if not isinstance(body, Mapping):
            raise self.fail(path, f"must be an object of invocation entries, got {_json_type(body)}")
        if not body:
            raise self.fail(path, 'has no invocation entries; add at least "0"')
        spans: list[tuple[int, int, MockedResponse, str]] = []
        for key, entry in body.items():
            match = _INVOCATION_KEY.match(str(key))
            if match is None:
                raise self.fail(
                    f"{path}.{key}", 'is not an invocation number or range (expected keys like "0" or "1-3")'
                )
            start = int(match[1])
            end = int(match[2]) if match[2] is not None else start
            if end < start:
                raise self.fail(f"{path}.{key}", f"is a range whose end {end} is before its start {start}")
            spans.append((start, end, self._response(f"{path}.{key}", entry), str(key)))
        spans.sort(key=lambda span: span[0])
        expected = 0
        for start, end, _response, key in spans:
            if start < expected:
                raise self.fail(f"{path}.{key}", f"overlaps invocations already covered (0-{expected - 1})")
            if start > expected:
                missing = str(expected) if start - 1 == expected else f"{expected}-{start - 1}"
                raise self.fail(path, f"has no response for invocation {missing}; keys must cover 0..N without gaps")
            expected = end + 1
        return MockedResponseSequence(
            name=name,
            starts=tuple(s[0] for s in spans),
            ends=tuple(s[1] for s in spans),
            responses=tuple(s[2] for s in spans),
        )

    def _response(self, path: str, entry: Any) -> MockedResponse:
        if not isinstance(entry, Mapping):
            raise self.fail(path, f"must be an object with Return or Throw, got {_json_type(entry)}")
        for key in entry:
            if key not in ("Return", "Throw"):
                raise self.fail(f"{path}.{key}", "is not a known field; expected Return or Throw")
        if ("Return" in entry) == ("Throw" in entry):
            raise self.fail(path, "must have exactly one of Return or Throw")
        if "Return" in entry:
            return Return(_json_copy(entry["Return"], f"{path}.Return", self.source))
        throw = entry["Throw"]
        if not isinstance(throw, Mapping):
            raise self.fail(f"{path}.Throw", f"must be an object with Error and Cause, got {_json_type(throw)}")
        for key in throw:
            if key not in ("Error", "Cause"):
                raise self.fail(f"{path}.Throw.{key}", "is not a known field; expected Error and Cause")
        error = throw.get("Error")
        if not isinstance(error, str) or not error:
            raise self.fail(f"{path}.Throw.Error", "is required and must be a non-empty string")
        cause = throw.get("Cause")
        if cause is not None and not isinstance(cause, str):
            raise self.fail(f"{path}.Throw.Cause", f"must be a string, got {_json_type(cause)}")
        return Throw(error, cause)

    def _state_machines(
        self, value: Any, responses: Mapping[str, MockedResponseSequence]
    ) -> dict[str, dict[str, dict[str, str]]]:
        if not isinstance(value, Mapping):
            raise self.fail("StateMachines", f"must be an object, got {_json_type(value)}")
        machines: dict[str, dict[str, dict[str, str]]] = {}
        for machine, body in value.items():
            path = f"StateMachines.{machine}"
            if not isinstance(body, Mapping):
                raise self.fail(path, f"must be an object with TestCases, got {_json_type(body)}")
            for key in body:
                if key != "TestCases":
                    raise self.fail(f"{path}.{key}", "is not a known field; expected TestCases")
            if "TestCases" not in body:
                raise self.fail(path, "is missing the required field TestCases")
            cases = body["TestCases"]
            if not isinstance(cases, Mapping):
                raise self.fail(f"{path}.TestCases", f"must be an object, got {_json_type(cases)}")
            machines[str(machine)] = {
                str(case): self._test_case(f"{path}.TestCases.{case}", states, responses)
                for case, states in cases.items()
            }
        return machines

    def _test_case(self, path: str, states: Any, responses: Mapping[str, MockedResponseSequence]) -> dict[str, str]:
        if not isinstance(states, Mapping):
            raise self.fail(path, f"must be an object of state name -> response name, got {_json_type(states)}")
        out: dict[str, str] = {}
        for state, response in states.items():
            if not isinstance(response, str):
                raise self.fail(f"{path}.{state}", f"must be a response name (string), got {_json_type(response)}")
            if response not in responses:
                known = ", ".join(sorted(responses)) or "none"
                raise self.fail(f"{path}.{state}", f"refers to unknown response '{response}' (defined: {known})")
            out[str(state)] = response
        return out


def _sequence_from_items(name: str, items: Iterable[MockedResponse], *, key_path: str) -> MockedResponseSequence:
    starts: list[int] = []
    ends: list[int] = []
    responses: list[MockedResponse] = []
    next_start = 0
    for item in items:
        if not isinstance(item, Return | Throw):
            raise MockConfigError(
                f"must be Return(...) or Throw(...), got {type(item).__name__}",
                key_path=key_path,
                source="MockConfig.build",
            )
        if item.times < 1:
            raise MockConfigError(
                f"has times={item.times}; it must be at least 1", key_path=key_path, source="MockConfig.build"
            )
        value = (
            Return(_json_copy(item.value, key_path, "MockConfig.build"))
            if isinstance(item, Return)
            else Throw(item.error, item.cause)
        )
        starts.append(next_start)
        ends.append(next_start + item.times - 1)
        responses.append(value)
        next_start += item.times
    if not responses:
        raise MockConfigError("has no responses", key_path=key_path, source="MockConfig.build")
    return MockedResponseSequence(name, tuple(starts), tuple(ends), tuple(responses))


def _json_copy(value: Any, key_path: str, source: str) -> Any:
    """A fresh JSON copy of a Return value; MockConfigError when it is none (NaN, objects, too deep)."""
    try:
        return to_json_value(value)
    except (TypeError, ValueError, RecursionError) as exc:
        detail = "is nested too deeply" if isinstance(exc, RecursionError) else f"is not a JSON value ({exc})"
        raise MockConfigError(detail, key_path=key_path, source=source) from None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return type(value).__name__

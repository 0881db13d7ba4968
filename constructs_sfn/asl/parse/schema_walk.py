"""The schema pass: walks the raw definition and reports every ``SCHEMA_VALIDATION_FAILED``.

It never trusts a shape: any JSON value may sit anywhere, and a problem in one state does not stop
the walk of the others. The nested state machines (Parallel branches, Map item processors) are
walked recursively with their own locations, and each container is recorded for the graph pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_sfn.asl.parse.choice_checks import check_choices
from constructs_sfn.asl.parse.error_handling_checks import check_catch, check_retry
from constructs_sfn.asl.parse.jsonata_syntax import expression_body
from constructs_sfn.asl.parse.map_checks import check_map_fields, check_processor_config
from constructs_sfn.asl.parse.resource_checks import check_task_resource
from constructs_sfn.asl.parse.schema_context import (
    INVALID_STATE_NAME,
    JSONATA,
    JSONPATH,
    TOO_DEEPLY_NESTED,
    ProblemSink,
    at_field,
    at_index,
    is_integer,
)
from constructs_sfn.asl.parse.schema_fields import (
    CONTAINER_FIELDS,
    FIELD_ORDER,
    JSONATA_ONLY,
    JSONPATH_ONLY,
    PROCESSOR_FIELDS,
    STATE_TYPES,
    TOP_LEVEL_FIELDS,
    TYPE_FIELDS,
)
from constructs_sfn.asl.parse.template_checks import (
    check_assign,
    check_jsonata_value,
    check_payload_template,
)
from constructs_sfn.asl.parse.value_checks import (
    check_integer_field,
    check_path,
    check_path_or_intrinsic,
    check_reference_path,
    is_timestamp,
)

__all__ = ["Container", "SchemaWalk"]

_MAX_NESTING = 64
_MAX_STATE_NAME_LENGTH = 80
_MAX_TASK_SECONDS = 99_999_999
_QUERY_LANGUAGES = (JSONPATH, JSONATA)
_ACTIVITY_ARN = re.compile(r"arn:[^:]+:states:[^:]*:[^:]*:activity:")
_FIELD_RANK = {name: rank for rank, name in enumerate(FIELD_ORDER)}
_WAIT_FIELDS = ("Seconds", "SecondsPath", "Timestamp", "TimestampPath")


@dataclass(slots=True)
class Container:
    """A state machine, branch or item processor whose transitions the graph pass checks."""

    location: str
    start_at: Any
    states: Mapping[str, Any]
    top_level: bool
    state_locations: dict[str, str] = field(default_factory=dict)


class SchemaWalk:
    """One pass over a definition; collects problems, containers and state names."""

    def __init__(self, sink: ProblemSink, *, state_machine_type: str) -> None:
        self.sink = sink
        self.express = state_machine_type == "EXPRESS"
        self.machine_language = JSONPATH
        self.containers: list[Container] = []
        self.state_names: list[tuple[str, str]] = []
        self.require_transitions = True

    # -- the skeleton ---------------------------------------------------------------------------
    def definition(self, raw: Any) -> None:
        """The top level of a state machine definition."""
        sink = self.sink
        if not isinstance(raw, Mapping):
            sink.error("Definition must be a valid JSON object", "")
            return
        sink.required(raw, ("States", "StartAt"), "")
        for name in raw:
            if name not in TOP_LEVEL_FIELDS:
                sink.not_supported(name, "")
        if "QueryLanguage" in raw:
            value = raw["QueryLanguage"]
            self.machine_language = JSONPATH if value == JSONPATH else JSONATA
            self._query_language_value(value, "/QueryLanguage")
        if "Comment" in raw:
            sink.expect_type(raw["Comment"], "STRING", "/Comment")
        if "Version" in raw:
            sink.expect_type(raw["Version"], "STRING", "/Version")
        if "TimeoutSeconds" in raw:
            sink.integer_in_range(raw["TimeoutSeconds"], "/TimeoutSeconds", minimum=1, maximum=_MAX_TASK_SECONDS)
        self._body(raw, "", top_level=True, depth=0)

    def state_alone(self, raw: Any, name: str) -> None:
        """A single state as TestState receives it, located as AWS locates it there."""
        location = at_field("/States", name)
        self.state_names.append((name, location))
        self.require_transitions = False
        try:
            self._state(name, raw, location, depth=0)
        finally:
            self.require_transitions = True

    def _container(self, raw: Any, location: str, allowed: tuple[str, ...], depth: int) -> None:
        sink = self.sink
        if not sink.expect_type(raw, "OBJECT", location):
            return
        sink.required(raw, ("States", "StartAt"), location)
        for name in raw:
            if name not in allowed:
                sink.not_supported(name, location)
        if "Comment" in raw:
            sink.expect_type(raw["Comment"], "STRING", at_field(location, "Comment"))
        if "ProcessorConfig" in raw and "ProcessorConfig" in allowed:
            check_processor_config(sink, raw["ProcessorConfig"], at_field(location, "ProcessorConfig"))
        self._body(raw, location, top_level=False, depth=depth)

    def _body(self, raw: Mapping[str, Any], location: str, *, top_level: bool, depth: int) -> None:
        sink = self.sink
        if depth > _MAX_NESTING:
            sink.error("The states are too deeply nested", location or "/", code=TOO_DEEPLY_NESTED)
            return
        if "StartAt" in raw:
            sink.expect_type(raw["StartAt"], "STRING", at_field(location, "StartAt"))
        if "States" not in raw:
            return
        states_location = at_field(location, "States")
        states = raw["States"]
        if not sink.expect_type(states, "OBJECT", states_location) or not sink.non_empty(states, states_location):
            return
        container = Container(location, raw.get("StartAt"), states, top_level)
        for name, state in states.items():
            state_location = at_field(states_location, name)
            container.state_locations[name] = state_location
            self.state_names.append((name, state_location))
            if isinstance(name, str) and len(name) > _MAX_STATE_NAME_LENGTH:
                # AWS's words, as CreateStateMachine answers them (API docs: state names are 1-80 characters).
                sink.error(
                    f"Invalid State name: State '{name}' exceeds the {_MAX_STATE_NAME_LENGTH}-character limit "
                    "allowed by the service",
                    state_location,
                    code=INVALID_STATE_NAME,
                )
            self._state(name, state, state_location, depth)
        self.containers.append(container)

    # -- one state ----------------------------------------------------------------------------------
    def _state(self, name: str, raw: Any, location: str, depth: int) -> None:
        sink = self.sink
        if not sink.expect_type(raw, "OBJECT", location):
            return
        if not sink.required(raw, ("Type",), location):
            return
        state_type = raw["Type"]
        type_location = at_field(location, "Type")
        if not sink.expect_type(state_type, "STRING", type_location):
            return
        if state_type not in STATE_TYPES:
            sink.error(
                f"The field 'Type' should have one of these values: [{', '.join(STATE_TYPES)}]",
                type_location,
            )
            return
        language = self.machine_language
        downgraded = False
        if "QueryLanguage" in raw:
            declared = raw["QueryLanguage"]
            language = JSONPATH if declared == JSONPATH else JSONATA
            if declared == JSONPATH and self.machine_language == JSONATA:
                sink.error(
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                    location,
                )
                downgraded = True
        present = self._supported_fields(raw, state_type, language, location, report_language=not downgraded)
        self._required_fields(raw, state_type, location)
        self._transition_fields(raw, state_type, present, location)
        self._common_values(raw, state_type, present, language, location)
        if state_type == "Task":
            self._task(raw, present, language, location)
        elif state_type == "Choice":
            if "Choices" in raw:
                check_choices(sink, raw, location, language)
        elif state_type == "Wait":
            self._wait(raw, present, language, location)
        elif state_type == "Fail":
            self._fail(raw, present, language, location)
        elif state_type == "Parallel":
            self._parallel(raw, location, depth)
        elif state_type == "Map":
            self._map(raw, present, language, location, depth)
        if "Retry" in present:
            check_retry(sink, raw["Retry"], at_field(location, "Retry"))
        if "Catch" in present:
            check_catch(sink, raw["Catch"], at_field(location, "Catch"), language)

    def _supported_fields(
        self,
        raw: Mapping[str, Any],
        state_type: str,
        language: str,
        location: str,
        *,
        report_language: bool,
    ) -> set[str]:
        """Report fields the state cannot carry; return the ones it can."""
        sink = self.sink
        accepted = TYPE_FIELDS[state_type]
        foreign = JSONATA_ONLY if language == JSONPATH else JSONPATH_ONLY
        other = JSONATA if language == JSONPATH else JSONPATH
        present: set[str] = set()
        ordered = sorted(raw, key=lambda name: _FIELD_RANK.get(name, len(_FIELD_RANK)))
        for name in ordered:
            if name not in accepted:
                sink.not_supported(name, location)
            elif name in foreign:
                if report_language:
                    sink.error(
                        f"The QueryLanguage is set to '{language}', but field '{name}' is only supported "
                        f"for the '{other}' QueryLanguage",
                        location,
                    )
            else:
                present.add(name)
        return present

    def _required_fields(self, raw: Mapping[str, Any], state_type: str, location: str) -> None:
        required = {"Task": ("Resource",), "Choice": ("Choices",), "Parallel": ("Branches",)}
        if state_type in required:
            self.sink.required(raw, required[state_type], location)
        elif state_type == "Map" and "ItemProcessor" not in raw and "Iterator" not in raw:
            self.sink.required(raw, ("ItemProcessor",), location)

    def _transition_fields(self, raw: Mapping[str, Any], state_type: str, present: set[str], location: str) -> None:
        sink = self.sink
        if state_type in ("Choice", "Succeed", "Fail"):
            return
        if "Next" in present:
            sink.expect_type(raw["Next"], "STRING", at_field(location, "Next"))
        if "End" in present:
            sink.expect_type(raw["End"], "BOOLEAN", at_field(location, "End"))
        if not self.require_transitions:
            return
        has_next = "Next" in raw
        ends = raw.get("End") is True
        # Unverified wording: AWS requires exactly one of Next and End: true.
        if has_next and "End" in raw:
            sink.error("Only one of 'Next' or 'End' can be specified", location)
        elif not has_next and not ends:
            sink.error("One of 'Next' or 'End' must be specified", location)

    def _query_language_value(self, value: Any, location: str) -> None:
        self.sink.one_of(value, _QUERY_LANGUAGES, location)

    def _common_values(
        self, raw: Mapping[str, Any], state_type: str, present: set[str], language: str, location: str
    ) -> None:
        sink = self.sink
        if "Comment" in raw:
            sink.expect_type(raw["Comment"], "STRING", at_field(location, "Comment"))
        if "QueryLanguage" in raw:
            self._query_language_value(raw["QueryLanguage"], at_field(location, "QueryLanguage"))
        for name in ("InputPath", "OutputPath"):
            if name in present:
                check_path(sink, raw[name], at_field(location, name), name)
        if "ResultPath" in present:
            check_reference_path(
                sink, raw["ResultPath"], at_field(location, "ResultPath"), "ResultPath", input_only=True
            )
        for name in ("Parameters", "ResultSelector"):
            if name in present and state_type != "Map":
                where = at_field(location, name)
                if sink.expect_type(raw[name], "OBJECT", where):
                    check_payload_template(sink, raw[name], where)
        if "ResultSelector" in present and state_type == "Map":
            where = at_field(location, "ResultSelector")
            if sink.expect_type(raw["ResultSelector"], "OBJECT", where):
                check_payload_template(sink, raw["ResultSelector"], where)
        for name in ("Output", "Arguments"):
            if name in present:
                check_jsonata_value(sink, raw[name], at_field(location, name))
        if "Assign" in present:
            check_assign(sink, raw["Assign"], at_field(location, "Assign"), language)

    # -- per state type ---------------------------------------------------------------------------
    def _task(self, raw: Mapping[str, Any], present: set[str], language: str, location: str) -> None:
        sink = self.sink
        if "Resource" in raw:
            resource_location = at_field(location, "Resource")
            resource = raw["Resource"]
            if (
                sink.expect_type(resource, "STRING", resource_location)
                and check_task_resource(sink, resource, resource_location)
                and self.express
            ):
                self._express_resource(resource, resource_location)
        if "Credentials" in present:
            self._credentials(raw["Credentials"], at_field(location, "Credentials"), language)
        timeouts: dict[str, int] = {}
        for name in ("TimeoutSeconds", "HeartbeatSeconds"):
            if name in present:
                where = at_field(location, name)
                if f"{name}Path" in present:
                    sink.error(f"Only one of '{name}' and '{name}Path' can be specified", where)
                check_integer_field(sink, raw[name], where, language, minimum=1, maximum=_MAX_TASK_SECONDS)
                if is_integer(raw[name]):
                    timeouts[name] = raw[name]
            if f"{name}Path" in present:
                path_name = f"{name}Path"
                check_reference_path(sink, raw[path_name], at_field(location, path_name), path_name)
        timeout, heartbeat = timeouts.get("TimeoutSeconds"), timeouts.get("HeartbeatSeconds")
        if timeout is not None and heartbeat is not None and heartbeat >= timeout:
            # Unverified wording.
            sink.error(
                "The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
                at_field(location, "HeartbeatSeconds"),
            )

    def _express_resource(self, resource: str, location: str) -> None:
        sink = self.sink
        if _ACTIVITY_ARN.match(resource):
            sink.error("Express state machine does not support Activity ARN", location)
        elif resource.endswith(".sync") or ".sync:" in resource:
            sink.error("Express state machine does not support '.sync' service integration", location)
        elif resource.endswith(".waitForTaskToken"):
            # AWS's text really ends with a space (hence "integration  at ..." when rendered).
            sink.error("Express state machine does not support '.waitForTaskToken' service integration ", location)

    def _credentials(self, credentials: Any, location: str, language: str) -> None:
        sink = self.sink
        if not sink.expect_type(credentials, "OBJECT", location):
            return
        if "RoleArn" in credentials:
            role = credentials["RoleArn"]
            if language == JSONATA and expression_body(role) is not None:
                check_jsonata_value(sink, role, at_field(location, "RoleArn"))
            else:
                sink.expect_type(role, "STRING", at_field(location, "RoleArn"))
        elif language == JSONPATH and "RoleArn.$" in credentials:
            check_path_or_intrinsic(sink, credentials["RoleArn.$"], location, "RoleArn.$")
        else:
            sink.required_field(credentials, "RoleArn", location)

    def _wait(self, raw: Mapping[str, Any], present: set[str], language: str, location: str) -> None:
        sink = self.sink
        given = [name for name in _WAIT_FIELDS if name in present]
        if len(given) != 1:
            # Unverified wording: exactly one of the four fields is required.
            sink.error(
                "Exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath' must be specified"
                if language == JSONPATH
                else "Exactly one of 'Seconds' or 'Timestamp' must be specified",
                location,
            )
        if "Seconds" in present:
            check_integer_field(
                sink,
                raw["Seconds"],
                at_field(location, "Seconds"),
                language,
                minimum=0,
                maximum=_MAX_TASK_SECONDS,
            )
        if "Timestamp" in present:
            where = at_field(location, "Timestamp")
            value = raw["Timestamp"]
            if language == JSONATA and expression_body(value) is not None:
                check_jsonata_value(sink, value, where)
            elif sink.expect_type(value, "STRING", where) and not is_timestamp(value):
                sink.error("The value for the field 'Timestamp' must be a valid timestamp", where)
        for name in ("SecondsPath", "TimestampPath"):
            if name in present:
                check_reference_path(sink, raw[name], at_field(location, name), name, nullable=False)

    def _fail(self, raw: Mapping[str, Any], present: set[str], language: str, location: str) -> None:
        sink = self.sink
        for name in ("Error", "Cause"):
            if name in present:
                where = at_field(location, name)
                if f"{name}Path" in present:
                    sink.error(f"Only one of '{name}' and '{name}Path' can be specified", where)
                value = raw[name]
                if language == JSONATA and expression_body(value) is not None:
                    check_jsonata_value(sink, value, where)
                else:
                    sink.expect_type(value, "STRING", where)
            if f"{name}Path" in present:
                path_name = f"{name}Path"
                check_path_or_intrinsic(sink, raw[path_name], at_field(location, path_name), path_name)

    def _parallel(self, raw: Mapping[str, Any], location: str, depth: int) -> None:
        sink = self.sink
        if "Branches" not in raw:
            return
        branches_location = at_field(location, "Branches")
        branches = raw["Branches"]
        if not sink.expect_type(branches, "ARRAY", branches_location) or not sink.non_empty(
            branches, branches_location
        ):
            return
        for index, branch in enumerate(branches):
            self._container(branch, at_index(branches_location, index), CONTAINER_FIELDS, depth + 1)

    def _map(self, raw: Mapping[str, Any], present: set[str], language: str, location: str, depth: int) -> None:
        check_map_fields(self.sink, {name: raw[name] for name in present}, location, language)
        for name in ("ItemProcessor", "Iterator"):
            if name in raw:
                self._container(raw[name], at_field(location, name), PROCESSOR_FIELDS, depth + 1)

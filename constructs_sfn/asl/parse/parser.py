"""Definition text -> immutable model, compiling every expression exactly once.

Structural and semantic checks that AWS performs at ``CreateStateMachine`` live in
:mod:`constructs_sfn.asl.parse.validate`; this module assumes a definition that passed them but
still refuses, with a located :class:`DefinitionError`, anything it cannot represent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.model.states import (
    JSONATA,
    JSONPATH,
    Assignment,
    Catcher,
    ChoiceState,
    FailState,
    JsonataChoice,
    MapState,
    ParallelState,
    PassState,
    Retrier,
    State,
    StateMachineDefinition,
    SucceedState,
    TaskState,
    WaitState,
)
from constructs_sfn.asl.parse.json_text import (
    MAX_NESTING_DEPTH,
    JsonDecodeError,
    decode_json_text,
    nesting_depth_message,
    reserve_recursion_for_depth,
    value_depth,
)
from constructs_sfn.asl.parse.map_checks import refuse_unimplemented_map_fields
from constructs_sfn.asl.parse.yaml_text import NotYamlMappingError, load_yaml_definition

__all__ = ["load_definition_document", "parse_definition", "parse_state"]


def load_definition_document(definition: str | bytes | Mapping[str, Any]) -> Any:
    """Decode definition text (JSON, or YAML as a fallback) into plain JSON values.

    A mapping is taken as it is, if nested at most 1000 levels (as JSON text must be).
    JSON is read by AWS's rules (:func:`~constructs_sfn.asl.parse.json_text.decode_json_text`:
    no ``NaN``, at most 1000 levels, numbers of at most 1000 characters); YAML by the alias rules of
    :mod:`constructs_sfn.asl.parse.yaml_text`. Every refusal is a :class:`DefinitionError`;
    a value that is neither text, bytes nor a mapping is a ``TypeError`` naming ``definition``.
    """
    if isinstance(definition, Mapping):
        depth = value_depth(definition)
        if depth > MAX_NESTING_DEPTH:
            raise DefinitionError(nesting_depth_message(depth), code="INVALID_JSON_DESCRIPTION")
        reserve_recursion_for_depth(depth)
        return definition
    if not isinstance(definition, str | bytes | bytearray):
        raise TypeError(
            "definition must be the definition's text (str, or UTF-8 bytes) or its JSON object (a mapping), "
            f"not {type(definition).__name__}"
        )
    try:
        text = bytes(definition).decode("utf-8-sig") if not isinstance(definition, str) else definition
    except UnicodeDecodeError as bad:
        raise DefinitionError(
            f"The definition is not UTF-8 text (byte {bad.start}: {bad.reason})", code="INVALID_JSON_DESCRIPTION"
        ) from bad
    try:
        return decode_json_text(text)
    except JsonDecodeError as failure:
        if failure.syntax is not None and not text.lstrip().startswith(("{", "[")):
            try:
                return load_yaml_definition(text)
            except NotYamlMappingError:
                pass
        where = f" at line {failure.syntax.line}, column {failure.syntax.column}" if failure.syntax else ""
        raise DefinitionError(f"Invalid JSON{where}: {failure.message}", code="INVALID_JSON_DESCRIPTION") from None


def parse_definition(definition: str | bytes | Mapping[str, Any], *, validate: bool = True) -> StateMachineDefinition:
    """Parse and compile a definition; raise :class:`DefinitionError` with locations when invalid."""
    document = load_definition_document(definition)
    if validate:
        from constructs_sfn.asl.parse.validate import validate_definition

        problems = validate_definition(document)
        errors = tuple(p for p in problems if p.severity == "ERROR")
        if errors:
            raise DefinitionError(errors[0].message, problems=errors)
    if not isinstance(document, Mapping):
        raise DefinitionError("The definition must be a JSON object", location="")
    return _Parser().machine(document, "", JSONPATH, top_level=True)


def parse_state(name: str, document: Mapping[str, Any], pointer: str, query_language: str) -> State:
    """Compile one state's JSON object (found at ``pointer``) into the model.

    ``query_language`` is the one the state inherits from its machine or branch; the state's own
    ``QueryLanguage`` field, when present, wins. Nested Map processors and Parallel branches are
    compiled too. This is for callers that run one state outside its machine (TestState); the
    document is assumed to have passed :mod:`constructs_sfn.asl.parse.validate`.
    """
    return _Parser().state(name, document, pointer, query_language)


def _pointer(base: str, *parts: str | int) -> str:
    out = base
    for part in parts:
        text = str(part).replace("~", "~0").replace("/", "~1")
        out = f"{out}/{text}"
    return out


class _Parser:
    """Builds the model; one instance per definition."""

    def machine(
        self, doc: Mapping[str, Any], pointer: str, inherited_ql: str, *, top_level: bool = False
    ) -> StateMachineDefinition:
        query_language = doc.get("QueryLanguage", inherited_ql) if top_level else inherited_ql
        if not top_level and "QueryLanguage" in doc:
            query_language = doc["QueryLanguage"]
        states_doc = doc.get("States")
        if not isinstance(states_doc, Mapping) or not states_doc:
            raise DefinitionError("The field 'States' must be a non-empty object", location=pointer)
        start_at = doc.get("StartAt")
        if not isinstance(start_at, str):
            raise DefinitionError("The field 'StartAt' must be a string", location=pointer)
        states: dict[str, State] = {}
        for name, state_doc in states_doc.items():
            where = _pointer(pointer, "States", name)
            if not isinstance(state_doc, Mapping):
                raise DefinitionError("A state must be a JSON object", location=where)
            states[name] = self.state(name, state_doc, where, query_language)
        if start_at not in states:
            raise DefinitionError(
                f"Missing 'Next' target: {start_at}",
                location=_pointer(pointer, "StartAt"),
                code="MISSING_TRANSITION_TARGET",
            )
        timeout = doc.get("TimeoutSeconds") if top_level else None
        return StateMachineDefinition(
            start_at=start_at,
            states=states,
            query_language=query_language,
            timeout_seconds=timeout if isinstance(timeout, int) else None,
            comment=doc.get("Comment"),
            version=doc.get("Version"),
            pointer=pointer,
            raw=doc,
        )

    # -- states ---------------------------------------------------------------------------------
    def state(self, name: str, doc: Mapping[str, Any], where: str, inherited_ql: str) -> State:
        ql = doc.get("QueryLanguage", inherited_ql)
        state_type = doc.get("Type")
        common = self.common(name, doc, where, ql)
        if state_type == "Pass":
            return PassState(**common, result=doc.get("Result"), has_result="Result" in doc)
        if state_type == "Task":
            return self.task(doc, where, ql, common)
        if state_type == "Choice":
            return self.choice(doc, where, ql, common)
        if state_type == "Wait":
            return self.wait(doc, where, ql, common)
        if state_type == "Succeed":
            return SucceedState(**common)
        if state_type == "Fail":
            return self.fail(doc, where, ql, common)
        if state_type == "Parallel":
            branches = tuple(
                self.machine(branch, _pointer(where, "Branches", i), ql)
                for i, branch in enumerate(doc.get("Branches") or ())
            )
            return ParallelState(**common, branches=branches)
        if state_type == "Map":
            return self.map(doc, where, ql, common)
        raise DefinitionError(f"Unknown state type {state_type!r}", location=_pointer(where, "Type"))

    def common(self, name: str, doc: Mapping[str, Any], where: str, ql: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": name,
            "type": doc.get("Type"),
            "pointer": where,
            "query_language": ql,
            "next": doc.get("Next"),
            "end": bool(doc.get("End", False)),
            "comment": doc.get("Comment"),
        }
        if ql == JSONPATH:
            for key, attr, reference in (
                ("InputPath", "input_path", False),
                ("OutputPath", "output_path", False),
                ("ResultPath", "result_path", True),
            ):
                if key in doc:
                    value = doc[key]
                    if value is None:
                        out[f"{attr}_null"] = True
                    else:
                        out[attr] = self.path(value, _pointer(where, key), reference=reference)
            for key, attr in (("Parameters", "parameters"), ("ResultSelector", "result_selector")):
                if key in doc and doc.get("Type") != "Map":
                    out[attr] = self.template(doc[key], _pointer(where, key))
            if doc.get("Type") == "Map" and "ResultSelector" in doc:
                out["result_selector"] = self.template(doc["ResultSelector"], _pointer(where, "ResultSelector"))
        else:
            if "Arguments" in doc:
                out["arguments"] = self.jsonata(doc["Arguments"], _pointer(where, "Arguments"))
            if "Output" in doc:
                out["output"] = self.jsonata(doc["Output"], _pointer(where, "Output"))
        if "Assign" in doc:
            out["assign"] = self.assignment(doc["Assign"], _pointer(where, "Assign"), ql)
        out["retry"] = tuple(self.retrier(r, _pointer(where, "Retry", i)) for i, r in enumerate(doc.get("Retry") or ()))
        out["catch"] = tuple(
            self.catcher(c, _pointer(where, "Catch", i), ql) for i, c in enumerate(doc.get("Catch") or ())
        )
        return out

    def task(self, doc: Mapping[str, Any], where: str, ql: str, common: dict[str, Any]) -> TaskState:
        resource = doc.get("Resource")
        if not isinstance(resource, str):
            raise DefinitionError("The field 'Resource' must be a string", location=_pointer(where, "Resource"))
        extra: dict[str, Any] = {"resource": resource}
        for key, attr in (("TimeoutSeconds", "timeout_seconds"), ("HeartbeatSeconds", "heartbeat_seconds")):
            if key in doc:
                extra[attr] = self.number_or_jsonata(doc[key], _pointer(where, key), ql)
            if f"{key}Path" in doc:
                extra[f"{attr}_path"] = self.path(doc[f"{key}Path"], _pointer(where, f"{key}Path"), reference=True)
        if "Credentials" in doc:
            creds = doc["Credentials"]
            extra["credentials"] = (
                self.jsonata(creds, _pointer(where, "Credentials"))
                if ql == JSONATA
                else self.template(creds, _pointer(where, "Credentials"))
            )
        return TaskState(**common, **extra)

    def choice(self, doc: Mapping[str, Any], where: str, ql: str, common: dict[str, Any]) -> ChoiceState:
        rules: list[Any] = []
        for i, rule in enumerate(doc.get("Choices") or ()):
            rule_where = _pointer(where, "Choices", i)
            if ql == JSONATA:
                from constructs_sfn.asl.jsonata import compile_condition

                condition = rule.get("Condition")
                rules.append(
                    JsonataChoice(
                        condition=compile_condition(condition, location=_pointer(rule_where, "Condition")),
                        next=rule.get("Next", ""),
                        assign=self.assignment(rule["Assign"], _pointer(rule_where, "Assign"), ql)
                        if "Assign" in rule
                        else None,
                        output=self.jsonata(rule["Output"], _pointer(rule_where, "Output"))
                        if "Output" in rule
                        else None,
                    )
                )
            else:
                from constructs_sfn.asl.runtime.choice import compile_choice_rule

                compiled = compile_choice_rule(rule, location=rule_where)
                assign = (
                    self.assignment(rule["Assign"], _pointer(rule_where, "Assign"), ql) if "Assign" in rule else None
                )
                rules.append((compiled, rule.get("Next", ""), assign))
        return ChoiceState(**common, choices=tuple(rules), default=doc.get("Default"))

    def wait(self, doc: Mapping[str, Any], where: str, ql: str, common: dict[str, Any]) -> WaitState:
        extra: dict[str, Any] = {}
        if "Seconds" in doc:
            extra["seconds"] = self.number_or_jsonata(doc["Seconds"], _pointer(where, "Seconds"), ql)
        if "Timestamp" in doc:
            value = doc["Timestamp"]
            extra["timestamp"] = self.jsonata(value, _pointer(where, "Timestamp")) if ql == JSONATA else value
        if "SecondsPath" in doc:
            extra["seconds_path"] = self.path(doc["SecondsPath"], _pointer(where, "SecondsPath"), reference=True)
        if "TimestampPath" in doc:
            extra["timestamp_path"] = self.path(doc["TimestampPath"], _pointer(where, "TimestampPath"), reference=True)
        return WaitState(**common, **extra)

    def fail(self, doc: Mapping[str, Any], where: str, ql: str, common: dict[str, Any]) -> FailState:
        extra: dict[str, Any] = {}
        for key, attr in (("Error", "error"), ("Cause", "cause")):
            if key in doc:
                extra[attr] = self.jsonata(doc[key], _pointer(where, key)) if ql == JSONATA else doc[key]
            if f"{key}Path" in doc:
                value = doc[f"{key}Path"]
                extra[f"{attr}_path"] = self.path_or_intrinsic(value, _pointer(where, f"{key}Path"))
        return FailState(**common, **extra)

    def map(self, doc: Mapping[str, Any], where: str, ql: str, common: dict[str, Any]) -> MapState:
        processor_doc = doc.get("ItemProcessor")
        key = "ItemProcessor"
        if processor_doc is None:
            processor_doc, key = doc.get("Iterator"), "Iterator"
        if not isinstance(processor_doc, Mapping):
            raise DefinitionError("A Map state needs an 'ItemProcessor'", location=where)
        config = processor_doc.get("ProcessorConfig") or {}
        refuse_unimplemented_map_fields(doc, where)
        processor = self.machine(processor_doc, _pointer(where, key), ql)
        extra: dict[str, Any] = {
            "processor": processor,
            "mode": config.get("Mode", "INLINE"),
            "execution_type": config.get("ExecutionType"),
            "item_reader": doc.get("ItemReader"),
            "item_batcher": doc.get("ItemBatcher"),
            "reader_expressions": self.reader_expressions(doc, where, ql),
            "result_writer": doc.get("ResultWriter"),
            "label": doc.get("Label"),
        }
        if ql == JSONPATH:
            if "ItemsPath" in doc:
                extra["items_path"] = self.path(doc["ItemsPath"], _pointer(where, "ItemsPath"), reference=True)
            selector_key = "ItemSelector" if "ItemSelector" in doc else "Parameters" if "Parameters" in doc else None
            if selector_key:
                extra["item_selector"] = self.template(doc[selector_key], _pointer(where, selector_key))
        else:
            if "Items" in doc:
                extra["items"] = self.jsonata(doc["Items"], _pointer(where, "Items"))
                if isinstance(doc["Items"], str):
                    from constructs_sfn.asl.jsonata import expression_text, is_jsonata_expression

                    if is_jsonata_expression(doc["Items"]):
                        extra["items_source"] = expression_text(doc["Items"])
            if "ItemSelector" in doc:
                extra["item_selector"] = self.jsonata(doc["ItemSelector"], _pointer(where, "ItemSelector"))
        for field_name, attr in (
            ("MaxConcurrency", "max_concurrency"),
            ("ToleratedFailurePercentage", "tolerated_failure_percentage"),
            ("ToleratedFailureCount", "tolerated_failure_count"),
        ):
            if field_name in doc:
                extra[attr] = self.number_or_jsonata(doc[field_name], _pointer(where, field_name), ql)
            if f"{field_name}Path" in doc:
                extra[f"{attr}_path"] = self.path(
                    doc[f"{field_name}Path"], _pointer(where, f"{field_name}Path"), reference=True
                )
        return MapState(**common, **extra)

    def reader_expressions(self, doc: Mapping[str, Any], where: str, ql: str) -> dict[str, Any]:
        """Compile the expressions of a Map's ItemReader and ItemBatcher (evaluated per Map run)."""
        compiled: dict[str, Any] = {}

        def value(key: str, raw: Any) -> None:
            pointer = _pointer(where, *key.split("/"))
            compiled[key] = self.jsonata(raw, pointer) if ql == JSONATA else self.template(raw, pointer)

        def path(key: str, raw: Any) -> None:
            compiled[key] = self.path(raw, _pointer(where, *key.split("/")), reference=True)

        reader = doc.get("ItemReader")
        if isinstance(reader, Mapping):
            field_name = "Arguments" if ql == JSONATA else "Parameters"
            value(f"ItemReader/{field_name}", reader.get(field_name) or {})
            config = reader.get("ReaderConfig") or {}
            if ql == JSONATA and isinstance(config.get("MaxItems"), str):
                value("ItemReader/ReaderConfig/MaxItems", config["MaxItems"])
            if "MaxItemsPath" in config:
                path("ItemReader/ReaderConfig/MaxItemsPath", config["MaxItemsPath"])
        batcher = doc.get("ItemBatcher")
        if isinstance(batcher, Mapping):
            for name in ("MaxItemsPerBatch", "MaxInputBytesPerBatch"):
                if ql == JSONATA and isinstance(batcher.get(name), str):
                    value(f"ItemBatcher/{name}", batcher[name])
                if f"{name}Path" in batcher:
                    path(f"ItemBatcher/{name}Path", batcher[f"{name}Path"])
            if "BatchInput" in batcher:
                value("ItemBatcher/BatchInput", batcher["BatchInput"])
        writer = doc.get("ResultWriter")
        if isinstance(writer, Mapping):
            field_name = "Arguments" if ql == JSONATA else "Parameters"
            if field_name in writer:
                value(f"ResultWriter/{field_name}", writer[field_name])
        return compiled

    # -- pieces ---------------------------------------------------------------------------------
    def retrier(self, doc: Mapping[str, Any], where: str) -> Retrier:
        return Retrier(
            error_equals=tuple(doc.get("ErrorEquals") or ()),
            interval_seconds=float(doc.get("IntervalSeconds", 1)),
            max_attempts=int(doc.get("MaxAttempts", 3)),
            backoff_rate=float(doc.get("BackoffRate", 2.0)),
            max_delay_seconds=float(doc["MaxDelaySeconds"]) if "MaxDelaySeconds" in doc else None,
            jitter_full=doc.get("JitterStrategy") == "FULL",
            pointer=where,
        )

    def catcher(self, doc: Mapping[str, Any], where: str, ql: str) -> Catcher:
        kwargs: dict[str, Any] = {
            "error_equals": tuple(doc.get("ErrorEquals") or ()),
            "next": doc.get("Next", ""),
            "pointer": where,
        }
        if ql == JSONPATH and "ResultPath" in doc:
            kwargs["has_result_path"] = True
            if doc["ResultPath"] is None:
                kwargs["discard_result"] = True
            else:
                kwargs["result_path"] = self.path(doc["ResultPath"], _pointer(where, "ResultPath"), reference=True)
        if ql == JSONATA and "Output" in doc:
            kwargs["output"] = self.jsonata(doc["Output"], _pointer(where, "Output"))
        if "Assign" in doc:
            kwargs["assign"] = self.assignment(doc["Assign"], _pointer(where, "Assign"), ql)
        return Catcher(**kwargs)

    def assignment(self, value: Any, where: str, ql: str) -> Assignment:
        if not isinstance(value, Mapping):
            raise DefinitionError("The field 'Assign' must be a JSON object", location=where)
        compiled = self.jsonata(value, where) if ql == JSONATA else self.template(value, where)
        return Assignment(values=compiled, query_language=ql)

    def path(self, value: Any, where: str, *, reference: bool) -> Any:
        from constructs_sfn.asl.jsonpath import compile_path, compile_reference_path

        if not isinstance(value, str):
            raise DefinitionError("Expected a JSONPath string", location=where)
        return compile_reference_path(value, location=where) if reference else compile_path(value, location=where)

    def path_or_intrinsic(self, value: Any, where: str) -> Any:
        from constructs_sfn.asl.intrinsics import compile_intrinsic, is_intrinsic

        if isinstance(value, str) and is_intrinsic(value):
            return compile_intrinsic(value, location=where)
        return self.path(value, where, reference=False)

    def template(self, value: Any, where: str) -> Any:
        from constructs_sfn.asl.jsonpath import compile_payload_template

        return compile_payload_template(value, location=where)

    def jsonata(self, value: Any, where: str) -> Any:
        from constructs_sfn.asl.jsonata import compile_jsonata_value

        return compile_jsonata_value(value, location=where)

    def number_or_jsonata(self, value: Any, where: str, ql: str) -> Any:
        if ql == JSONATA and isinstance(value, str):
            return self.jsonata(value, where)
        return value

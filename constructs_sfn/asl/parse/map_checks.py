"""Map state fields other than the item processor itself (which the walker validates as a nested
state machine): items, concurrency, tolerated failures, label, reader, batcher and writer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.parse.jsonata_syntax import expression_body
from constructs_sfn.asl.parse.schema_context import (
    INVALID_LABEL_NAME,
    JSONATA,
    JSONPATH,
    ProblemSink,
    at_field,
)
from constructs_sfn.asl.parse.template_checks import check_jsonata_value, check_payload_template
from constructs_sfn.asl.parse.value_checks import check_integer_field, check_reference_path

__all__ = [
    "check_label",
    "check_map_fields",
    "check_processor_config",
    "label_problem",
    "refuse_unimplemented_map_fields",
]

_LABEL_MAX = 40
# Whitespace, brackets, wildcards and the special characters AWS lists, plus the C0/C1 controls.
_LABEL_FORBIDDEN = frozenset(' <>{}[]?*"#%\\^|~`$&,;:') | frozenset(
    chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))
)
_READER_INPUT_TYPES = ("CSV", "JSON", "JSONL", "MANIFEST", "PARQUET")
_WRITER_TRANSFORMATIONS = ("NONE", "COMPACT", "FLATTEN")
_WRITER_OUTPUT_TYPES = ("JSON", "JSONL")


def label_problem(label: str) -> str | None:
    """The message AWS raises for an invalid Map ``Label``, or ``None`` when it is valid."""
    if len(label) > _LABEL_MAX:
        return f"Label cannot exceed {_LABEL_MAX} characters"
    for char in label:
        if char in _LABEL_FORBIDDEN:
            return f"Label contains invalid character: {char!r}"
    return None


def check_label(sink: ProblemSink, label: Any, location: str) -> None:
    """``Label``: a string of at most 40 characters without the forbidden characters."""
    if not sink.expect_type(label, "STRING", location):
        return
    problem = label_problem(label)
    if problem is not None:
        sink.error(problem, location, code=INVALID_LABEL_NAME)


def check_processor_config(sink: ProblemSink, config: Any, location: str) -> None:
    """``ProcessorConfig``: ``Mode`` INLINE or DISTRIBUTED and, for DISTRIBUTED, ``ExecutionType``."""
    if not sink.expect_type(config, "OBJECT", location):
        return
    for field in config:
        if field not in ("Mode", "ExecutionType"):
            sink.not_supported(field, location)
    if "Mode" in config:
        sink.one_of(config["Mode"], ("INLINE", "DISTRIBUTED"), at_field(location, "Mode"))
    if "ExecutionType" in config:
        sink.one_of(config["ExecutionType"], ("STANDARD", "EXPRESS"), at_field(location, "ExecutionType"))


def check_map_fields(sink: ProblemSink, state: Mapping[str, Any], location: str, language: str) -> None:
    """Check the Map-specific fields present in ``state`` (already known to be supported)."""
    if "ItemProcessor" in state and "Iterator" in state:
        sink.not_supported("Iterator", location)
    if language == JSONPATH:
        if "ItemsPath" in state:
            check_reference_path(sink, state["ItemsPath"], at_field(location, "ItemsPath"), "ItemsPath")
        for field in ("ItemSelector", "Parameters"):
            if field in state:
                where = at_field(location, field)
                if sink.expect_type(state[field], "OBJECT", where):
                    check_payload_template(sink, state[field], where)
    else:
        if "Items" in state:
            _check_items(sink, state["Items"], at_field(location, "Items"))
        if "ItemSelector" in state:
            check_jsonata_value(sink, state["ItemSelector"], at_field(location, "ItemSelector"))
    _check_paired(sink, state, location, language, "MaxConcurrency", minimum=0)
    _check_paired(sink, state, location, language, "ToleratedFailureCount", minimum=0)
    _check_percentage(sink, state, location, language)
    if "Label" in state:
        check_label(sink, state["Label"], at_field(location, "Label"))
    if "ItemReader" in state:
        _check_item_reader(sink, state["ItemReader"], at_field(location, "ItemReader"), language)
    if "ItemBatcher" in state:
        _check_item_batcher(sink, state["ItemBatcher"], at_field(location, "ItemBatcher"), language)
    if "ResultWriter" in state:
        _check_result_writer(sink, state["ResultWriter"], at_field(location, "ResultWriter"), language)


def _check_items(sink: ProblemSink, items: Any, location: str) -> None:
    if expression_body(items) is not None or isinstance(items, list | Mapping):
        check_jsonata_value(sink, items, location)
    else:
        sink.error("Expected value of type [ARRAY]", location)


def _check_paired(
    sink: ProblemSink, state: Mapping[str, Any], location: str, language: str, field: str, *, minimum: int
) -> None:
    path_field = f"{field}Path"
    if field in state:
        where = at_field(location, field)
        if language == JSONPATH and path_field in state:
            # Unverified wording; AWS locates it at the static field.
            sink.error(f"Only one of '{field}' and '{path_field}' can be specified", where)
        check_integer_field(sink, state[field], where, language, minimum=minimum)
    if language == JSONPATH and path_field in state:
        check_reference_path(sink, state[path_field], at_field(location, path_field), path_field)


def _check_percentage(sink: ProblemSink, state: Mapping[str, Any], location: str, language: str) -> None:
    field = "ToleratedFailurePercentage"
    if field in state:
        where = at_field(location, field)
        value = state[field]
        if language == JSONPATH and f"{field}Path" in state:
            sink.error(f"Only one of '{field}' and '{field}Path' can be specified", where)
        if language == JSONATA and expression_body(value) is not None:
            check_jsonata_value(sink, value, where)
        else:
            sink.number_in_range(value, where, minimum=0, maximum=100)
    if language == JSONPATH and f"{field}Path" in state:
        check_reference_path(sink, state[f"{field}Path"], at_field(location, f"{field}Path"), f"{field}Path")


def _check_resource_fields(sink: ProblemSink, config: Mapping[str, Any], location: str, language: str) -> None:
    if "Resource" in config:
        sink.expect_type(config["Resource"], "STRING", at_field(location, "Resource"))
    own, other = ("Parameters", "Arguments") if language == JSONPATH else ("Arguments", "Parameters")
    if other in config:
        sink.error(
            f"The QueryLanguage is set to '{language}', but field '{other}' is only supported for the "
            f"'{JSONATA if language == JSONPATH else JSONPATH}' QueryLanguage",
            at_field(location, other),
        )
    if own in config:
        where = at_field(location, own)
        if language == JSONPATH:
            if sink.expect_type(config[own], "OBJECT", where):
                check_payload_template(sink, config[own], where)
        else:
            check_jsonata_value(sink, config[own], where)


def _check_item_reader(sink: ProblemSink, reader: Any, location: str, language: str) -> None:
    if not sink.expect_type(reader, "OBJECT", location):
        return
    for field in reader:
        if field not in ("Resource", "ReaderConfig", "Parameters", "Arguments"):
            sink.not_supported(field, location)
    sink.required_field(reader, "Resource", location)
    _check_resource_fields(sink, reader, location, language)
    if "ReaderConfig" in reader:
        config_location = at_field(location, "ReaderConfig")
        config = reader["ReaderConfig"]
        if sink.expect_type(config, "OBJECT", config_location) and "InputType" in config:
            sink.one_of(config["InputType"], _READER_INPUT_TYPES, at_field(config_location, "InputType"))


def _check_item_batcher(sink: ProblemSink, batcher: Any, location: str, language: str) -> None:
    if not sink.expect_type(batcher, "OBJECT", location):
        return
    allowed = {"MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"}
    if language == JSONPATH:
        allowed |= {"MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"}
    for field in batcher:
        if field not in allowed:
            sink.not_supported(field, location)
    for field in ("MaxItemsPerBatch", "MaxInputBytesPerBatch"):
        if field in batcher:
            check_integer_field(sink, batcher[field], at_field(location, field), language, minimum=1)
        if f"{field}Path" in batcher and language == JSONPATH:
            check_reference_path(sink, batcher[f"{field}Path"], at_field(location, f"{field}Path"), f"{field}Path")
    if "BatchInput" in batcher:
        where = at_field(location, "BatchInput")
        if language == JSONPATH:
            if sink.expect_type(batcher["BatchInput"], "OBJECT", where):
                check_payload_template(sink, batcher["BatchInput"], where)
        else:
            check_jsonata_value(sink, batcher["BatchInput"], where)


def _check_result_writer(sink: ProblemSink, writer: Any, location: str, language: str) -> None:
    if not sink.expect_type(writer, "OBJECT", location):
        return
    for field in writer:
        if field not in ("Resource", "Parameters", "Arguments", "WriterConfig"):
            sink.not_supported(field, location)
    _check_resource_fields(sink, writer, location, language)
    if "WriterConfig" in writer:
        where = at_field(location, "WriterConfig")
        config = writer["WriterConfig"]
        if sink.expect_type(config, "OBJECT", where):
            if "Transformation" in config:
                sink.one_of(config["Transformation"], _WRITER_TRANSFORMATIONS, at_field(where, "Transformation"))
            if "OutputType" in config:
                sink.one_of(config["OutputType"], _WRITER_OUTPUT_TYPES, at_field(where, "OutputType"))


# What the local executor runs of a Distributed Map's reader and writer. AWS accepts more (PARQUET
# input, Athena manifests); a definition using them is refused when it is parsed for running, so a
# rehearsal never silently does something other than AWS would.
_RUNNABLE_READER_RESOURCES = ("arn:aws:states:::s3:getObject", "arn:aws:states:::s3:listObjectsV2")
_RUNNABLE_INPUT_TYPES = ("CSV", "JSON", "JSONL", "MANIFEST")
_RUNNABLE_READER_CONFIG = frozenset(
    {
        "InputType",
        "CSVHeaderLocation",
        "CSVHeaders",
        "CSVDelimiter",
        "MaxItems",
        "MaxItemsPath",
        "ManifestType",
        "Transformation",
    }
)
_RUNNABLE_WRITER_RESOURCES = ("arn:aws:states:::s3:putObject",)


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") if i else part for i, part in enumerate(parts))


def refuse_unimplemented_map_fields(doc: Mapping[str, Any], where: str) -> None:
    """Raise :class:`DefinitionError` for a Map field AWS accepts but the local executor cannot run.

    Called when a definition is parsed for running (after validation), never by
    ``ValidateStateMachineDefinition``, whose answer must stay AWS's.
    """
    reader = doc.get("ItemReader")
    if isinstance(reader, Mapping):
        resource = reader.get("Resource")
        if isinstance(resource, str) and resource not in _RUNNABLE_READER_RESOURCES:
            _refuse(
                f"The local executor reads items only with {' or '.join(_RUNNABLE_READER_RESOURCES)}, not '{resource}'",
                _pointer(where, "ItemReader", "Resource"),
            )
        config = reader.get("ReaderConfig")
        if isinstance(config, Mapping):
            here = _pointer(where, "ItemReader", "ReaderConfig")
            transformation = config.get("Transformation")
            if transformation is not None and (
                transformation not in ("NONE", "LOAD_AND_FLATTEN") or resource != _RUNNABLE_READER_RESOURCES[1]
            ):
                _refuse(
                    f"The local executor runs ReaderConfig Transformation NONE or LOAD_AND_FLATTEN with "
                    f"{_RUNNABLE_READER_RESOURCES[1]} only, not {transformation!r} with '{resource}'",
                    _pointer(here, "Transformation"),
                )
            for field in config:
                if field not in _RUNNABLE_READER_CONFIG:
                    _refuse(
                        f"The local executor does not implement ReaderConfig field '{field}'", _pointer(here, field)
                    )
            input_type = config.get("InputType")
            if isinstance(input_type, str) and input_type not in _RUNNABLE_INPUT_TYPES:
                _refuse(
                    f"The local executor reads InputType {', '.join(_RUNNABLE_INPUT_TYPES)}, not '{input_type}'",
                    _pointer(here, "InputType"),
                )
            manifest = config.get("ManifestType")
            if manifest is not None and manifest != "S3_INVENTORY":
                _refuse(
                    f"The local executor reads ManifestType S3_INVENTORY only, not {manifest!r}",
                    _pointer(here, "ManifestType"),
                )
    writer = doc.get("ResultWriter")
    if isinstance(writer, Mapping):
        resource = writer.get("Resource")
        if isinstance(resource, str) and resource not in _RUNNABLE_WRITER_RESOURCES:
            _refuse(
                f"The local executor writes results only with {_RUNNABLE_WRITER_RESOURCES[0]}, not '{resource}'",
                _pointer(where, "ResultWriter", "Resource"),
            )
        if ("Resource" in writer) != any(key in writer for key in ("Parameters", "Arguments")):
            _refuse(
                "A ResultWriter needs both Resource and Parameters (Arguments in JSONata) to write to S3",
                _pointer(where, "ResultWriter"),
            )


def _refuse(message: str, location: str) -> None:
    raise DefinitionError(message, location=location, code="UNSUPPORTED_BY_LOCAL_EXECUTOR")

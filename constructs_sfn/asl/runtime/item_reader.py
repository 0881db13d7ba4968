"""Distributed Map's ItemReader and ItemBatcher.

The reader's ``Resource`` (``arn:aws:states:::s3:getObject`` or ``...:s3:listObjectsV2``) is
performed by the execution's :class:`~constructs_sfn.asl.services.TaskService`, like a Task: a
service answers ``getObject`` with the object's body (text, or ``{"Body": text}``) and
``listObjectsV2`` with the API response (``{"Contents": [...]}``). The runtime then decodes the
items as ``ReaderConfig.InputType`` says (JSON, JSONL, CSV), applies ``MaxItems`` and, with an
ItemBatcher, groups them into ``{"BatchInput": ..., "Items": [...]}`` batches.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text
from constructs_sfn.asl.services import TaskRequest

if TYPE_CHECKING:
    from constructs_sfn.asl.model.states import MapState
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import Frame

__all__ = ["batch_items", "read_items"]


def _fail(cause: str) -> StatesError:
    return StatesError(ErrorName.ITEM_READER_FAILED, cause)


def _evaluate(
    ex: Execution, frame: Frame, state: MapState, key: str, raw_input: Any, effective: Any, context: Any
) -> Any:
    """A reader/batcher field compiled by the parser: JSONata in JSONata states, a template otherwise."""
    compiled = state.reader_expressions[key]
    if state.is_jsonata:
        return compiled.evaluate(
            {"input": raw_input, "context": context},
            frame.variables,
            field=key,
            rng=ex.rng,
            now_millis=ex.now_millis(),
        )
    return compiled.evaluate(effective, context, frame.variables, ex.rng)


def _path_value(state: MapState, frame: Frame, effective: Any, context: Any, key: str) -> Any:
    path = state.reader_expressions[key]
    try:
        return path.find(effective, context, frame.variables)
    except StatesError:
        raise
    except Exception as missing:
        raise StatesError(
            ErrorName.RUNTIME, f"Invalid path '{path.text}' : No results for path: {path.text}"
        ) from missing


def _positive(value: Any, field: str) -> int:
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError as bad:
            raise _fail(f"field {field} must be positive") from bad
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _fail(f"field {field} must be positive")
    return int(value)


def _max_items(value: Any) -> int | None:
    """MaxItems: 0 means every item (AWS's default), a negative count is an error."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
        return None
    if isinstance(value, str) and value.strip() == "0":
        return None
    return _positive(value, "MaxItems")


def read_items(ex: Execution, frame: Frame, state: MapState, raw_input: Any, effective: Any, context: Any) -> list[Any]:
    """Fetch and decode the items the ItemReader names."""
    reader = state.item_reader or {}
    config: Mapping[str, Any] = reader.get("ReaderConfig") or {}
    parameters_field = "Arguments" if state.is_jsonata else "Parameters"
    parameters = _evaluate(ex, frame, state, f"ItemReader/{parameters_field}", raw_input, effective, context)
    max_items: int | None = None
    if "MaxItems" in config:
        value = config["MaxItems"]
        if isinstance(value, str) and state.is_jsonata:
            value = _evaluate(ex, frame, state, "ItemReader/ReaderConfig/MaxItems", raw_input, effective, context)
        max_items = _max_items(value)
    elif "MaxItemsPath" in config:
        value = _path_value(state, frame, effective, context, "ItemReader/ReaderConfig/MaxItemsPath")
        max_items = _max_items(value)
    resource = str(reader.get("Resource", ""))
    request = TaskRequest(
        resource=resource,
        parameters=parameters,
        state_name=state.name,
        execution_arn=ex.info.execution_arn,
        state_machine_arn=ex.info.state_machine_arn,
        context=context,
        test_case=ex.info.test_case,
        query_language=state.query_language,
        host=ex.host,
    )
    outcome = ex.services.invoke(request)
    if outcome.error is not None:
        raise _fail(outcome.error.cause or outcome.error.error)
    items = _decode(resource, config, outcome.output)
    return items[:max_items] if max_items is not None else items


def _decode(resource: str, config: Mapping[str, Any], output: Any) -> list[Any]:
    if resource.endswith("listObjectsV2"):
        contents = output.get("Contents") if isinstance(output, Mapping) else output
        if not isinstance(contents, list):
            raise _fail("The listObjectsV2 response has no 'Contents' list")
        return contents
    body = output.get("Body") if isinstance(output, Mapping) else output
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    if not isinstance(body, str):
        raise _fail("The ItemReader could not read the object body as text")
    input_type = config.get("InputType", "JSON")
    if input_type == "JSON":
        try:
            items = decode_json_text(body)
        except JsonDecodeError as bad:
            raise _fail(f"Attempting to map over non-iterable node. ({bad.message})") from bad
        if not isinstance(items, list):
            raise _fail("Attempting to map over non-iterable node.")
        return items
    if input_type == "JSONL":
        try:
            return [decode_json_text(line) for line in body.splitlines() if line.strip()]
        except JsonDecodeError as bad:
            raise _fail(f"Invalid JSONL line: {bad.message}") from bad
    if input_type == "CSV":
        return _csv_items(config, body)
    raise _fail(f"Unsupported InputType '{input_type}'")


def _csv_items(config: Mapping[str, Any], body: str) -> list[dict[str, str]]:
    delimiter = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}.get(
        str(config.get("CSVDelimiter", "COMMA")), ","
    )
    rows = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
        headers = [str(h) for h in config.get("CSVHeaders") or []]
    else:
        if not rows:
            return []
        headers, rows = rows[0], rows[1:]
    if len(set(headers)) != len(headers):
        raise _fail("CSV headers cannot contain duplicates.")
    items: list[dict[str, str]] = []
    for row in rows:
        if not row:
            continue
        # Extra fields are dropped and missing ones are empty, as AWS reads a ragged CSV.
        items.append({header: (row[i] if i < len(row) else "") for i, header in enumerate(headers)})
    return items


def batch_items(
    ex: Execution, frame: Frame, state: MapState, items: list[Any], raw_input: Any, effective: Any, context: Any
) -> list[Any]:
    """Group items into batches per the ItemBatcher (count and byte limits, BatchInput)."""
    batcher = state.item_batcher or {}
    max_count: int | None = None
    max_bytes: int | None = None
    for field, attr in (("MaxItemsPerBatch", "count"), ("MaxInputBytesPerBatch", "bytes")):
        value: Any = None
        if field in batcher:
            value = batcher[field]
            if isinstance(value, str) and state.is_jsonata:
                value = _evaluate(ex, frame, state, f"ItemBatcher/{field}", raw_input, effective, context)
        elif f"{field}Path" in batcher:
            value = _path_value(state, frame, effective, context, f"ItemBatcher/{field}Path")
        if value is not None:
            number = _positive(value, field)
            if attr == "count":
                max_count = number
            else:
                max_bytes = number
    batch_input = (
        _evaluate(ex, frame, state, "ItemBatcher/BatchInput", raw_input, effective, context)
        if "BatchInput" in batcher
        else None
    )
    batches: list[list[Any]] = []
    current: list[Any] = []
    size = 0
    for item in items:
        item_size = len(json.dumps(item, separators=(",", ":")).encode("utf-8"))
        full = (max_count is not None and len(current) >= max_count) or (
            max_bytes is not None and current and size + item_size > max_bytes
        )
        if full:
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        batches.append(current)
    out: list[Any] = []
    for batch in batches:
        entry: dict[str, Any] = {}
        if batch_input is not None:
            entry["BatchInput"] = batch_input
        entry["Items"] = batch
        out.append(entry)
    return out

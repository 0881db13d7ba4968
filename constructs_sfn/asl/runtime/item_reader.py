"""Distributed Map's ItemReader and ItemBatcher, as streams.

The reader's ``Resource`` (``arn:aws:states:::s3:getObject`` or ``...:s3:listObjectsV2``) is
performed by the execution's :class:`~constructs_sfn.asl.services.TaskService`, like a Task: a
service answers ``getObject`` with the object's body and ``listObjectsV2`` with one page of the
API response (``{"Contents": [...], "IsTruncated": ..., "NextContinuationToken": ...}``; the
reader asks for the next page with ``ContinuationToken``). A body may be text, bytes, or a
readable stream (anything with ``read(size)``, such as botocore's ``StreamingBody``): CSV and
JSONL bodies are then decoded line by line as the Map consumes them, so a million-row object is
never held whole. The runtime decodes the items as ``ReaderConfig.InputType`` says (JSON, JSONL,
CSV, MANIFEST), applies ``MaxItems`` and, with an ItemBatcher, groups them into
``{"BatchInput": ..., "Items": [...]}`` batches.

Developer guide: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
and https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
"""

from __future__ import annotations

import codecs
import csv
import gzip
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text
from constructs_sfn.asl.services import TaskOutcome, TaskRequest

if TYPE_CHECKING:
    from constructs_sfn.asl.model.states import MapState
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import Frame

__all__ = ["Batch", "batch_items", "evaluate_map_field", "invoke_for_map", "iter_batches", "open_items", "read_items"]

_CHUNK_BYTES = 1 << 20
"""How much of a streamed object body is read at once."""
_DELIMITERS = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}


def _fail(cause: str) -> StatesError:
    return StatesError(ErrorName.ITEM_READER_FAILED, cause)


def evaluate_map_field(
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


class _Reader:
    """Performs the reader's S3 requests through the execution's task service."""

    def __init__(self, ex: Execution, state: MapState, context: Any) -> None:
        self.ex = ex
        self.state = state
        self.context = context

    def invoke(self, resource: str, parameters: Any) -> Any:
        outcome = invoke_for_map(self.ex, self.state, self.context, resource, parameters)
        if outcome.error is not None:
            raise _fail(outcome.error.cause or outcome.error.error)
        return outcome.output


def invoke_for_map(ex: Execution, state: MapState, context: Any, resource: str, parameters: Any) -> TaskOutcome:
    """One request the Map state makes itself (its ItemReader's or ResultWriter's S3 calls), through
    the execution's task service, so that mocks and bound clients apply to it as to a Task."""
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
    return ex.services.invoke(request)


def open_items(
    ex: Execution, frame: Frame, state: MapState, raw_input: Any, effective: Any, context: Any
) -> Iterator[Any]:
    """The items the ItemReader names, as a lazy iterator.

    The first request is made here (so a missing object fails before any child runs); later pages,
    lines and inventory files are read as the iterator is consumed. Decoding failures surface as
    ``States.ItemReaderFailed`` from ``next()``.
    """
    reader = state.item_reader or {}
    config: Mapping[str, Any] = reader.get("ReaderConfig") or {}
    parameters_field = "Arguments" if state.is_jsonata else "Parameters"
    parameters = evaluate_map_field(ex, frame, state, f"ItemReader/{parameters_field}", raw_input, effective, context)
    max_items: int | None = None
    if "MaxItems" in config:
        value = config["MaxItems"]
        if isinstance(value, str) and state.is_jsonata:
            value = evaluate_map_field(
                ex, frame, state, "ItemReader/ReaderConfig/MaxItems", raw_input, effective, context
            )
        max_items = _max_items(value)
    elif "MaxItemsPath" in config:
        value = _path_value(state, frame, effective, context, "ItemReader/ReaderConfig/MaxItemsPath")
        max_items = _max_items(value)
    resource = str(reader.get("Resource", ""))
    source = _Reader(ex, state, context)
    first = source.invoke(resource, parameters)
    if resource.endswith("listObjectsV2"):
        items: Iterator[Any] = _listed(source, resource, parameters, first)
        if config.get("Transformation") == "LOAD_AND_FLATTEN":
            items = _loaded(source, config, parameters, items)
    else:
        items = _decoded(source, config, first)
    return itertools.islice(items, max_items) if max_items is not None else items


def read_items(ex: Execution, frame: Frame, state: MapState, raw_input: Any, effective: Any, context: Any) -> list[Any]:
    """Every item the ItemReader names, in one list (TestState and small inputs)."""
    return list(open_items(ex, frame, state, raw_input, effective, context))


def _listed(source: _Reader, resource: str, parameters: Any, page: Any) -> Iterator[Any]:
    """listObjectsV2 pages, one request per page, following ``NextContinuationToken``."""
    while True:
        contents = page.get("Contents", []) if isinstance(page, Mapping) else page
        if not isinstance(contents, list):
            raise _fail("The listObjectsV2 response has no 'Contents' list")
        yield from contents
        token = page.get("NextContinuationToken") if isinstance(page, Mapping) else None
        if not (isinstance(page, Mapping) and page.get("IsTruncated") and token):
            return
        following = dict(parameters) if isinstance(parameters, Mapping) else {}
        following["ContinuationToken"] = token
        page = source.invoke(resource, following)


def _loaded(source: _Reader, config: Mapping[str, Any], parameters: Any, listed: Iterator[Any]) -> Iterator[Any]:
    """``Transformation: LOAD_AND_FLATTEN``: every listed object read, its items flattened into one
    stream, each object decoded as ``InputType`` says (JSON when it is not given)."""
    bucket = parameters.get("Bucket") if isinstance(parameters, Mapping) else None
    for entry in listed:
        key = entry.get("Key") if isinstance(entry, Mapping) else None
        if not isinstance(key, str) or key.endswith("/"):
            continue  # a folder placeholder has nothing to load
        yield from _decoded(
            source, config, source.invoke("arn:aws:states:::s3:getObject", {"Bucket": bucket, "Key": key})
        )


def _body_of(output: Any) -> Any:
    body = output.get("Body") if isinstance(output, Mapping) else output
    if isinstance(body, str | bytes) or hasattr(body, "read"):
        return body
    raise _fail("The ItemReader could not read the object body as text")


def _lines(body: Any) -> Iterator[str]:
    """The body's lines with their line ends, decoded as UTF-8, read a chunk at a time."""
    if isinstance(body, str):
        yield from body.splitlines(keepends=True)
        return
    if isinstance(body, bytes):
        yield from body.decode("utf-8", errors="replace").splitlines(keepends=True)
        return
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    while True:
        chunk = body.read(_CHUNK_BYTES)
        if not chunk:
            break
        text = pending + (decoder.decode(chunk) if isinstance(chunk, bytes) else chunk)
        lines = text.splitlines(keepends=True)
        # The last piece may be a line cut in half by the chunk boundary: keep it for the next chunk.
        pending = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        yield from lines
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _whole_text(body: Any) -> str:
    if isinstance(body, str):
        return body
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return "".join(_lines(body))


def _decoded(source: _Reader, config: Mapping[str, Any], output: Any) -> Iterator[Any]:
    body = _body_of(output)
    input_type = config.get("InputType", "JSON")
    if input_type == "JSON":
        return iter(_json_items(_whole_text(body)))
    if input_type == "JSONL":
        return _jsonl_items(_lines(body))
    if input_type == "CSV":
        return _csv_items(config, _lines(body))
    if input_type == "MANIFEST":
        return _manifest_items(source, _whole_text(body))
    raise _fail(f"Unsupported InputType '{input_type}'")


def _json_items(text: str) -> list[Any]:
    try:
        items = decode_json_text(text)
    except JsonDecodeError as bad:
        raise _fail(f"Attempting to map over non-iterable node. ({bad.message})") from bad
    if not isinstance(items, list):
        raise _fail("Attempting to map over non-iterable node.")
    return items


def _jsonl_items(lines: Iterable[str]) -> Iterator[Any]:
    for line in lines:
        if not line.strip():
            continue
        try:
            yield decode_json_text(line)
        except JsonDecodeError as bad:
            raise _fail(f"Invalid JSONL line: {bad.message}") from bad


def _csv_items(config: Mapping[str, Any], lines: Iterable[str]) -> Iterator[dict[str, str]]:
    delimiter = _DELIMITERS.get(str(config.get("CSVDelimiter", "COMMA")), ",")
    rows = csv.reader(lines, delimiter=delimiter)
    if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
        headers = [str(h) for h in config.get("CSVHeaders") or []]
    else:
        headers = next(rows, [])
        if not headers:
            return
    if len(set(headers)) != len(headers):
        raise _fail("CSV headers cannot contain duplicates.")
    width = len(headers)
    for row in rows:
        if not row:
            continue
        if len(row) == width:
            yield dict(zip(headers, row, strict=True))
        else:
            # Extra fields are dropped and missing ones are empty, as AWS reads a ragged CSV.
            yield {header: (row[i] if i < len(row) else "") for i, header in enumerate(headers)}


def _manifest_items(source: _Reader, text: str) -> Iterator[dict[str, str]]:
    """An S3 Inventory ``manifest.json``: the rows of every CSV inventory file it lists.

    Each row becomes an object keyed by the manifest's ``fileSchema`` (``Bucket, Key, Size, ...``).
    """
    try:
        manifest = decode_json_text(text)
    except JsonDecodeError as bad:
        raise _fail(f"The S3 inventory manifest is not JSON: {bad.message}") from bad
    if not isinstance(manifest, Mapping) or not isinstance(manifest.get("files"), list):
        raise _fail("The S3 inventory manifest has no 'files' list")
    if str(manifest.get("fileFormat", "CSV")).upper() != "CSV":
        raise _fail(f"The local executor reads CSV inventories only, not {manifest.get('fileFormat')}")
    schema = [name.strip() for name in str(manifest.get("fileSchema", "")).split(",") if name.strip()]
    if not schema:
        raise _fail("The S3 inventory manifest has no 'fileSchema'")
    bucket = str(manifest.get("destinationBucket", "")).rsplit(":", 1)[-1]
    for entry in manifest["files"]:
        key = entry.get("key") if isinstance(entry, Mapping) else None
        if not isinstance(key, str):
            raise _fail("An S3 inventory manifest file entry has no 'key'")
        body = _body_of(source.invoke("arn:aws:states:::s3:getObject", {"Bucket": bucket, "Key": key}))
        if key.endswith(".gz"):
            raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else body.read()
            try:
                body = gzip.decompress(raw)
            except (OSError, EOFError) as bad:
                raise _fail(f"The inventory file '{key}' is not gzip data: {bad}") from bad
        for row in csv.reader(_lines(body)):
            if row:
                yield {name: (row[i] if i < len(row) else "") for i, name in enumerate(schema)}


@dataclass(frozen=True, slots=True)
class Batch:
    """One child execution's input and how many items it carries (tolerance counts items)."""

    value: Any
    item_count: int


def iter_batches(
    ex: Execution,
    frame: Frame,
    state: MapState,
    items: Iterable[Any],
    raw_input: Any,
    effective: Any,
    context: Any,
) -> Iterator[Batch]:
    """Group items into batches per the ItemBatcher (count and byte limits, BatchInput), lazily.

    The limits are evaluated on the first call (before any item is read).
    """
    batcher = state.item_batcher or {}
    max_count: int | None = None
    max_bytes: int | None = None
    for field, attr in (("MaxItemsPerBatch", "count"), ("MaxInputBytesPerBatch", "bytes")):
        value: Any = None
        if field in batcher:
            value = batcher[field]
            if isinstance(value, str) and state.is_jsonata:
                value = evaluate_map_field(ex, frame, state, f"ItemBatcher/{field}", raw_input, effective, context)
        elif f"{field}Path" in batcher:
            value = _path_value(state, frame, effective, context, f"ItemBatcher/{field}Path")
        if value is not None:
            number = _positive(value, field)
            if attr == "count":
                max_count = number
            else:
                max_bytes = number
    batch_input = (
        evaluate_map_field(ex, frame, state, "ItemBatcher/BatchInput", raw_input, effective, context)
        if "BatchInput" in batcher
        else None
    )
    return _batches(items, max_count, max_bytes, batch_input)


def _batches(items: Iterable[Any], max_count: int | None, max_bytes: int | None, batch_input: Any) -> Iterator[Batch]:
    current: list[Any] = []
    size = 0
    for item in items:
        item_size = len(json.dumps(item, separators=(",", ":")).encode("utf-8")) if max_bytes is not None else 0
        full = (max_count is not None and len(current) >= max_count) or (
            max_bytes is not None and current and size + item_size > max_bytes
        )
        if full:
            yield _batch(current, batch_input)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        yield _batch(current, batch_input)


def _batch(items: list[Any], batch_input: Any) -> Batch:
    entry: dict[str, Any] = {}
    if batch_input is not None:
        entry["BatchInput"] = batch_input
    entry["Items"] = items
    return Batch(entry, len(items))


def batch_items(
    ex: Execution, frame: Frame, state: MapState, items: list[Any], raw_input: Any, effective: Any, context: Any
) -> list[Any]:
    """Every batch's input in one list (see :func:`iter_batches`)."""
    return [batch.value for batch in iter_batches(ex, frame, state, items, raw_input, effective, context)]

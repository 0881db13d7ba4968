"""Between JSON task parameters/results and boto3 calls, guided by botocore's API shapes.

Step Functions spells every parameter and result field in PascalCase, even for APIs whose own
names are camelCase (Step Functions' API: ``stateMachineArn``). Parameter names are matched to
the API's member names (``StateMachineArn`` -> ``stateMachineArn``) and result members come
back with their first letter upper-cased; map keys (DynamoDB attribute names, S3 metadata) are
data and stay as they are. Values change as follows:

* ``null`` members are left out (Step Functions treats them as absent; a required one is then
  reported missing by the SDK's validation);
* a JSON object/array/number/boolean given for a *string* member (``MessageBody``, ``Message``,
  ``Input``, ``Detail``) is sent as compact JSON text, as Step Functions does;
* the same for a *blob* member (S3 ``Body``): text is sent as its UTF-8 bytes, anything else as
  compact JSON text (the corpus: an object written from ``{"Dict": "Value"}`` has the MD5 of
  ``{"Dict":"Value"}``);
* a whole-number float for an integer member becomes an int.

Results drop boto3's ``ResponseMetadata``; bytes become base64 text, streamed bodies (S3
``GetObject`` ``Body``) become their UTF-8 text, dates become epoch milliseconds (optimized
integrations) or ISO instants (SDK integrations), ``Decimal`` becomes a JSON number.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from constructs_sfn.integrations.jsontext import compact_json
from constructs_sfn.integrations.timestamps import epoch_millis, instant_text

__all__ = ["DateStyle", "coerce_parameters", "convert_response", "pascal_case"]

DateStyle = Literal["millis", "iso"]
_DROP = object()


def coerce_parameters(params: Any, input_shape: Any) -> dict[str, Any]:
    """boto3 keyword arguments for ``params`` (a JSON object) under ``input_shape`` (may be None)."""
    if not isinstance(params, Mapping):
        return {}
    if input_shape is None:
        return {key: value for key, value in params.items() if value is not None}
    coerced = _coerce(params, input_shape)
    return coerced if isinstance(coerced, dict) else {}


def _coerce(value: Any, shape: Any) -> Any:
    if value is None:
        return _DROP
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, Mapping) or getattr(shape, "is_document_type", False):
            return value
        members = shape.members
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = _member_name(key, members)
            converted = _coerce(item, members.get(name))
            if converted is not _DROP:
                out[name] = converted
        return out
    if kind == "list":
        if not isinstance(value, list):
            return value
        items = (_coerce(item, shape.member) for item in value)
        return [item for item in items if item is not _DROP]
    if kind == "map":
        if not isinstance(value, Mapping):
            return value
        converted_map = {key: _coerce(item, shape.value) for key, item in value.items()}
        return {key: item for key, item in converted_map.items() if item is not _DROP}
    if kind == "string":
        return value if isinstance(value, str) else compact_json(value)
    if kind == "blob":
        if isinstance(value, bytes | bytearray):
            return bytes(value)
        if isinstance(value, str):
            return value.encode("utf-8")
        return compact_json(value).encode("utf-8")
    if kind in ("integer", "long") and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _member_name(key: str, members: Mapping[str, Any]) -> str:
    """The API member ``key`` names: itself, its camelCase spelling, or a case-insensitive match."""
    if key in members:
        return key
    camel = key[:1].lower() + key[1:]
    if camel in members:
        return camel
    lowered = key.lower()
    for member in members:
        if member.lower() == lowered:
            return str(member)
    return key


def pascal_case(name: str) -> str:
    """``executionArn`` -> ``ExecutionArn``."""
    return name[:1].upper() + name[1:]


def convert_response(response: Any, output_shape: Any = None, *, dates: DateStyle) -> Any:
    """A JSON value for a boto3 response under ``output_shape`` (``ResponseMetadata`` removed)."""
    if isinstance(response, Mapping):
        response = {key: item for key, item in response.items() if key != "ResponseMetadata"}
    return _convert(response, output_shape, dates)


def _convert(value: Any, shape: Any, dates: DateStyle) -> Any:
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    kind = shape.type_name if shape is not None else None
    if isinstance(value, Mapping):
        if kind == "structure" and not getattr(shape, "is_document_type", False):
            members = shape.members
            return {pascal_case(key): _convert(item, members.get(key), dates) for key, item in value.items()}
        if kind == "map":
            return {key: _convert(item, shape.value, dates) for key, item in value.items()}
        return {key: _convert(item, None, dates) for key, item in value.items()}
    if isinstance(value, list | tuple):
        member = shape.member if kind == "list" else None
        return [_convert(item, member, dates) for item in value]
    if isinstance(value, datetime):
        return epoch_millis(value) if dates == "millis" else instant_text(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, bytes):
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return base64.b64encode(data).decode("ascii")
        return _convert(data, None, dates)
    return str(value)

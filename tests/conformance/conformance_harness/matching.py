"""Compare what the corpus recorded with what a client returned, treating masked values as wildcards.

The corpus went through LocalStack's snapshot machinery before it reached us, so a recorded value
is not always the literal AWS response. The rules below undo exactly those transformations and
nothing more:

* **Whole-value wildcards.** The strings ``"timestamp"`` and ``"date"`` (how timestamps were
  masked), every ``replacement`` string of the case's ``snapshot_masks`` (for example
  ``"start-time"``, ``"RandomNumberGenerated"``, ``"role-arn"``), the masked role of an execution
  case (``"snf_role_arn"``, also inside strings), and any string that is exactly one placeholder
  such as ``"<timestamp>"`` or ``"<resource:3>"`` match any actual value. So does the JSON text
  of a wildcard (``'"date"'``), because the snapshot tool also masked values inside the JSON text
  of ``assignedVariables``.
* **UUID placeholders are bound.** ``<uuid:N>`` must match a canonical UUID and every
  occurrence of the same ``N`` in one case must be the same UUID.
* **Placeholders inside strings.** A recorded string containing ``<name>`` tokens (ARNs such as
  ``arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>``,
  causes quoting ``'<json-input:1>'``) matches when the actual string equals it with each token
  standing for any text. Replacements of ``RegexTransformer`` masks act as tokens too. A token is
  ``<`` + a letter + letters/digits/``_:.-`` + ``>``, so literal text such as ``'<'`` stays literal.
* **Decoded JSON text.** The corpus decoded JSON text (event ``input``/``output``/``parameters``,
  and the snapshot tool also auto-decoded JSON-object strings such as Lambda ``cause`` texts and
  some ``assignedVariables`` values). When the recorded value is an object or array and the
  actual value is a string, the actual string is decoded before comparing. A recorded *string*
  is never decoded: the exact JSON text AWS produced (``"[null,0,0.1]"``) must be reproduced.
* **Everything else is strict.** Objects need the same key set, arrays the same length and
  order, ``true`` is not ``1``, and ``1`` (int) is not ``1.0`` (float), because AWS's JSON text
  distinguishes them and the corpus was decoded without losing that distinction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MatchContext",
    "PLACEHOLDER_TOKEN",
    "match_value",
]

PLACEHOLDER_TOKEN = re.compile(r"<[A-Za-z][A-Za-z0-9_:.\-]*>")
"""A masked value inside a recorded string (``<region>``, ``<uuid:1>``, ``<json-input:1>``)."""

_UUID_PLACEHOLDER = re.compile(r"<uuid:(\d+)>")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ALWAYS_WILDCARD = frozenset({"timestamp", "date", '"timestamp"', '"date"'})
_MAX_REPORTED = 8


@dataclass
class MatchContext:
    """Per-case matching state: the wildcard vocabulary and the ``<uuid:N>`` bindings."""

    wildcards: frozenset[str] = _ALWAYS_WILDCARD
    """Recorded strings that match any actual value."""
    inline_tokens: tuple[str, ...] = ()
    """Extra literal substrings (mask replacements) that stand for any text inside a string."""
    uuid_bindings: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_masks(cls, masks: Iterable[Mapping[str, Any]], *, masked_values: Iterable[str] = ()) -> MatchContext:
        """Build the context for a case's ``snapshot_masks`` plus other values known to be masks."""
        wildcards = set(_ALWAYS_WILDCARD)
        inline: list[str] = []
        for value in masked_values:
            wildcards.add(value)
            inline.append(value)
        for mask in masks:
            replacement = mask.get("replacement")
            if not isinstance(replacement, str) or not replacement:
                continue
            wildcards.add(replacement)
            if mask.get("type") == "RegexTransformer" and not PLACEHOLDER_TOKEN.fullmatch(replacement):
                inline.append(replacement)
        # The snapshot tool also masked values inside JSON text (``assignedVariables``): '"date"'.
        wildcards.update([json.dumps(w) for w in wildcards])
        return cls(wildcards=frozenset(wildcards), inline_tokens=tuple(inline))

    def fork(self) -> MatchContext:
        """A copy whose bindings can be discarded (used when trying candidate matches)."""
        return MatchContext(self.wildcards, self.inline_tokens, dict(self.uuid_bindings))

    def adopt(self, other: MatchContext) -> None:
        """Keep the bindings a successful trial made."""
        self.uuid_bindings = other.uuid_bindings


def match_value(expected: Any, actual: Any, ctx: MatchContext, path: str = "$") -> list[str]:
    """Return human-readable mismatches (empty when ``actual`` matches ``expected``)."""
    problems: list[str] = []
    _match(expected, actual, ctx, path, problems)
    return problems


def _short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _match(expected: Any, actual: Any, ctx: MatchContext, path: str, problems: list[str]) -> None:
    if len(problems) >= _MAX_REPORTED:
        return
    if isinstance(expected, str):
        _match_string(expected, actual, ctx, path, problems)
        return
    if isinstance(expected, (dict, list)) and isinstance(actual, str):
        try:
            actual = json.loads(actual)
        except ValueError:
            problems.append(f"{path}: expected {_short(expected)}, got non-JSON text {_short(actual)}")
            return
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            problems.append(f"{path}: expected an object {_short(expected)}, got {_short(actual)}")
            return
        missing = [k for k in expected if k not in actual]
        extra = [k for k in actual if k not in expected]
        if missing:
            problems.append(f"{path}: missing keys {missing}")
        if extra:
            problems.append(f"{path}: unexpected keys {extra} (values {_short({k: actual[k] for k in extra})})")
        for key, value in expected.items():
            if key in actual:
                _match(value, actual[key], ctx, f"{path}.{key}", problems)
        return
    if isinstance(expected, list):
        if not isinstance(actual, list):
            problems.append(f"{path}: expected an array {_short(expected)}, got {_short(actual)}")
            return
        if len(expected) != len(actual):
            problems.append(
                f"{path}: expected {len(expected)} items {_short(expected)}, got {len(actual)} {_short(actual)}"
            )
            return
        for index, (exp_item, act_item) in enumerate(zip(expected, actual, strict=True)):
            _match(exp_item, act_item, ctx, f"{path}[{index}]", problems)
        return
    if type(expected) is not type(actual) or expected != actual:
        problems.append(f"{path}: expected {_short(expected)}, got {_short(actual)}")


def _match_string(expected: str, actual: Any, ctx: MatchContext, path: str, problems: list[str]) -> None:
    if expected in ctx.wildcards:
        return
    uuid_ref = _UUID_PLACEHOLDER.fullmatch(expected)
    if uuid_ref is not None:
        _bind_uuid(uuid_ref.group(1), actual, ctx, path, problems)
        return
    if PLACEHOLDER_TOKEN.fullmatch(expected):
        return
    if isinstance(actual, str) and actual == expected:
        return
    if not isinstance(actual, str):
        problems.append(f"{path}: expected {_short(expected)}, got {_short(actual)}")
        return
    pattern = _string_pattern(expected, ctx)
    if pattern is None:
        problems.append(f"{path}: expected {_short(expected)}, got {_short(actual)}")
        return
    found = pattern.fullmatch(actual)
    if found is None:
        problems.append(f"{path}: expected (with placeholders) {_short(expected)}, got {_short(actual)}")
        return
    for group_name, value in found.groupdict().items():
        if value is not None:
            _bind_uuid(group_name.removeprefix("uuid"), value, ctx, path, problems)


def _bind_uuid(number: str, actual: Any, ctx: MatchContext, path: str, problems: list[str]) -> None:
    if not isinstance(actual, str) or not _UUID.fullmatch(actual):
        problems.append(f"{path}: expected a UUID (<uuid:{number}>), got {_short(actual)}")
        return
    bound = ctx.uuid_bindings.setdefault(number, actual)
    if bound != actual:
        problems.append(f"{path}: <uuid:{number}> was {bound!r} earlier, here {actual!r}")


_PATTERN_CACHE: dict[tuple[str, tuple[str, ...]], re.Pattern[str] | None] = {}


def _string_pattern(expected: str, ctx: MatchContext) -> re.Pattern[str] | None:
    key = (expected, ctx.inline_tokens)
    if key in _PATTERN_CACHE:
        return _PATTERN_CACHE[key]
    alternatives = [PLACEHOLDER_TOKEN.pattern, *(re.escape(token) for token in ctx.inline_tokens)]
    splitter = re.compile("|".join(f"(?:{alt})" for alt in alternatives))
    parts: list[str] = []
    position = 0
    seen_uuid: set[str] = set()
    for token in splitter.finditer(expected):
        parts.append(re.escape(expected[position : token.start()]))
        uuid_ref = _UUID_PLACEHOLDER.fullmatch(token.group(0))
        if uuid_ref is not None and uuid_ref.group(1) not in seen_uuid:
            seen_uuid.add(uuid_ref.group(1))
            parts.append(f"(?P<uuid{uuid_ref.group(1)}>{_UUID.pattern})")
        elif uuid_ref is not None:
            parts.append(f"(?P=uuid{uuid_ref.group(1)})")
        else:
            parts.append(".*?")
        position = token.end()
    if position == 0:
        _PATTERN_CACHE[key] = None
        return None
    parts.append(re.escape(expected[position:]))
    pattern = re.compile("".join(parts), re.DOTALL)
    _PATTERN_CACHE[key] = pattern
    return pattern

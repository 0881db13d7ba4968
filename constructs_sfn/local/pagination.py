"""``maxResults``/``nextToken`` paging, as the Step Functions list and history APIs page.

A token is opaque to callers: it encodes the offset of the next item and what is being listed
(so a token from one listing is not accepted by another). ``maxResults`` of 0 (or none) means the
API's default page size of 100.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["DEFAULT_PAGE_SIZE", "InvalidPageTokenError", "page"]

DEFAULT_PAGE_SIZE = 100

T = TypeVar("T")


class InvalidPageTokenError(Exception):
    """The ``nextToken`` was not issued for this listing."""


def _encode(scope: str, offset: int) -> str:
    raw = json.dumps({"scope": scope, "offset": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _decode(scope: str, token: str) -> int:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise InvalidPageTokenError(token) from error
    if not isinstance(decoded, dict) or decoded.get("scope") != scope:
        raise InvalidPageTokenError(token)
    offset = decoded.get("offset")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidPageTokenError(token)
    return offset


def page(
    items: Sequence[T], *, scope: str, max_results: int | None, next_token: str | None
) -> tuple[list[T], str | None]:
    """One page of ``items`` and the token of the next page (``None`` after the last page)."""
    start = 0 if next_token is None else _decode(scope, next_token)
    size = max_results or DEFAULT_PAGE_SIZE
    end = start + size
    chunk = list(items[start:end])
    return chunk, (_encode(scope, end) if end < len(items) else None)

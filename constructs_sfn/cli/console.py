"""What every ``constructs-sfn`` command shares: printing, usage errors, reading files and JSON options.

Every failure a user can cause is a :class:`UsageError`: ``main`` prints it as one line
(``constructs-sfn: <file>: <what is wrong>``) and exits with status 2, never with a traceback.
Text the terminal cannot show (lone surrogates in a state name) is printed as ``\\udXXX`` escapes.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text

__all__ = [
    "MAX_FILE_BYTES",
    "UsageError",
    "api_error_text",
    "emit",
    "json_text",
    "one_line",
    "option_text",
    "parse_json_option",
    "read_text",
]


MAX_FILE_BYTES = 64 * 2**20
"""The largest file read (a template of a big app is a few MiB; AWS caps a definition at 1 MiB)."""


class UsageError(Exception):
    """A mistake in the command line or in a file it names: printed as one line, exit status 2."""


def emit(text: str, stream: TextIO | None = None) -> None:
    """Write ``text`` and a newline; characters the stream cannot encode (lone surrogates in a state
    name) become ``\\udXXX`` escapes, which keep JSON output valid JSON."""
    out = stream if stream is not None else sys.stdout
    encoding = getattr(out, "encoding", None) or "utf-8"
    out.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace") + "\n")


def api_error_text(error: Exception) -> str:
    """What the local client refused, as a user reads it: ``<message> (<error code>)`` for a botocore
    ``ClientError`` rather than botocore's "An error occurred ... when calling ..." sentence."""
    response = getattr(error, "response", None)
    details = response.get("Error") if isinstance(response, dict) else None
    if isinstance(details, dict) and details.get("Message"):
        code = details.get("Code")
        return f"{details['Message']} ({code})" if code else str(details["Message"])
    return str(error)


def one_line(message: str) -> str:
    """``message`` on one line: parsers' messages may span several (YAML's ``in "<unicode string>"``)."""
    return "; ".join(line.strip() for line in message.splitlines() if line.strip())


def json_text(value: Any, *, indent: int | None = None) -> str:
    """``value`` as JSON text (never a Python repr); non-ASCII kept, lone surrogates kept as escapes."""
    separators = (",", ": ") if indent is not None else (",", ":")
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, default=str)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped); a :class:`UsageError` otherwise."""
    if "\x00" in str(path):
        shown = str(path).replace("\x00", "\\x00")
        raise UsageError(f"{shown}: cannot be read: embedded null byte in the path")
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # bounded: /dev/zero or a huge file cannot exhaust memory
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file or directory") from None
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}") from error
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB; not a file this command reads")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text (byte {error.start}: {error.reason})") from None


def option_text(value: str) -> str:
    """The text of an option given as text, as ``@file`` (the file's text) or as ``@-`` (standard
    input, read once: ``aws ... | constructs-sfn run m.json --input @-``)."""
    if value == "@-":
        return _stdin_text()
    return read_text(Path(value[1:])) if value.startswith("@") else value


@functools.cache
def _stdin_text() -> str:
    """Standard input as UTF-8 text, bounded like a file; cached, as an option is read twice."""
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"stdin: larger than {MAX_FILE_BYTES // 2**20} MiB; not input this command reads")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"stdin: not UTF-8 text (byte {error.start}: {error.reason})") from None


def parse_json_option(value: str, option: str) -> Any:
    """The JSON value of an option given as JSON text, as ``@file`` or as ``@-`` (stdin), read by
    AWS's JSON rules (no ``NaN``, at most 1000 levels); errors name the option or file, the line and
    the column."""
    source = ("stdin" if value == "@-" else value[1:]) if value.startswith("@") else option
    text = option_text(value)
    try:
        return parse_json_text(text)
    except JsonSyntaxError as error:
        detail = error.message or "no JSON value"
        raise UsageError(f"{source}: not JSON (line {error.line}, column {error.column}): {detail}") from None

"""Resource names (state machines, executions, activities) as Step Functions validates them.

The rule is the one in the API reference: 1-80 characters (checked with the other model
constraints) and none of white space, ``< > { } [ ]``, ``? *``, ``" # % \\ ^ | ~ ` $ & , ; : /``,
control characters (U+0000-001F, U+007F-009F, U+FFFE-FFFF), surrogates or U+10FFFF.
"""

from __future__ import annotations

__all__ = ["is_valid_name", "invalid_name_message"]

_FORBIDDEN = frozenset('<>{}[]?*"#%\\^|~`$&,;:/')


def _is_forbidden(char: str) -> bool:
    code = ord(char)
    return (
        char in _FORBIDDEN
        or char.isspace()
        or code <= 0x1F
        or 0x7F <= code <= 0x9F
        or code in (0xFFFE, 0xFFFF, 0x10FFFF)
        or 0xD800 <= code <= 0xDFFF
    )


def is_valid_name(name: str) -> bool:
    """Whether ``name`` contains only characters Step Functions accepts in a resource name."""
    return not any(_is_forbidden(char) for char in name)


def invalid_name_message(name: str) -> str:
    """AWS's ``InvalidName`` message for ``name``."""
    return f"Invalid Name: '{name}'"

"""Resource names as Step Functions validates them."""

from __future__ import annotations

import pytest

from constructs_sfn.local.names import invalid_name_message, is_valid_name


@pytest.mark.parametrize(
    "name", ["simple", "with-dash_and.dot", "MixedCase123", "日本語", "emoji\U0001f600", "(paren)"]
)
def test_valid(name: str) -> None:
    assert is_valid_name(name)


@pytest.mark.parametrize(
    "char",
    [
        " ",
        "\t",
        "\n",
        "\u2003",
        *'<>{}[]?*"#%\\^|~`$&,;:/',
        "\x00",
        "\x1f",
        "\x7f",
        "\x9f",
        "\ufffe",
        "\uffff",
        "\ud800",
        "\U0010ffff",
    ],
)
def test_forbidden_characters(char: str) -> None:
    assert not is_valid_name(f"a{char}b")


def test_message() -> None:
    assert invalid_name_message("a b") == "Invalid Name: 'a b'"

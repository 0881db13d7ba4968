"""nextToken paging."""

from __future__ import annotations

import pytest

from constructs_sfn.local.pagination import DEFAULT_PAGE_SIZE, InvalidPageTokenError, page


def test_pages_follow_each_other() -> None:
    items = list(range(7))
    first, token = page(items, scope="s", max_results=3, next_token=None)
    second, token2 = page(items, scope="s", max_results=3, next_token=token)
    third, token3 = page(items, scope="s", max_results=3, next_token=token2)
    assert (first, second, third, token3) == ([0, 1, 2], [3, 4, 5], [6], None)


def test_zero_means_the_default_page_size() -> None:
    items = list(range(DEFAULT_PAGE_SIZE + 1))
    chunk, token = page(items, scope="s", max_results=0, next_token=None)
    assert len(chunk) == DEFAULT_PAGE_SIZE
    assert token is not None


def test_exact_fit_has_no_token() -> None:
    assert page([1, 2], scope="s", max_results=2, next_token=None) == ([1, 2], None)


@pytest.mark.parametrize("token", ["garbage!", "e30=", "eyJzY29wZSI6Im90aGVyIiwib2Zmc2V0IjoxfQ=="])
def test_foreign_tokens_are_refused(token: str) -> None:
    with pytest.raises(InvalidPageTokenError):
        page([1, 2, 3], scope="s", max_results=1, next_token=token)


def test_token_of_another_scope_is_refused() -> None:
    _, token = page([1, 2, 3], scope="a", max_results=1, next_token=None)
    assert token is not None
    with pytest.raises(InvalidPageTokenError):
        page([1, 2, 3], scope="b", max_results=1, next_token=token)

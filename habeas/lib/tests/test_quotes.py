"""Finding a pasted quote in a source text: exact words first, then across changed white space only."""

from __future__ import annotations

import pytest

from habeas.lib.quotes import quote_span

TEXT = "Ma Lan was detained\r\non 3 May 2012.  She was  later  released; Ma Lan was detained again."


def test_exact_words_give_the_first_occurrence() -> None:
    start, end = quote_span(TEXT, "Ma Lan was detained")  # type: ignore[misc]
    assert (start, end) == (0, 19) and TEXT[start:end] == "Ma Lan was detained"


def test_white_space_may_differ_and_the_span_keeps_the_sources_characters() -> None:
    span = quote_span(TEXT, "detained on 3 May 2012. She was later released")
    assert span is not None
    assert TEXT[span[0] : span[1]] == "detained\r\non 3 May 2012.  She was  later  released"


@pytest.mark.parametrize("quote", ["Ma Lan was arrested", "detained on 4 May 2012", "", "   ", "ma lan"])
def test_other_words_letters_or_case_are_not_the_quote(quote: str) -> None:
    assert quote_span(TEXT, quote) is None


def test_regex_characters_in_the_quote_are_taken_literally() -> None:
    assert quote_span("costs (a.k.a. fees) rose", "(a.k.a.  fees)") == (6, 19)
    assert quote_span("costs (aXkXa. fees) rose", "(a.k.a. fees)") is None

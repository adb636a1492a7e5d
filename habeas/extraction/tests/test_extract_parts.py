"""The extractor's parts: dates (precision, the publication date, durations), sentences, charges."""

from __future__ import annotations

import datetime as dt

import pytest

from habeas.extraction.dates import find_dates
from habeas.extraction.extract import blank_boilerplate, split_sentences
from habeas.extraction.statutes import find_charges, statute_for
from habeas.extraction.terms import find_terms

PUBLISHED = dt.date(2011, 3, 4)  # a Friday


def dates(text: str, published: dt.date | None = PUBLISHED) -> list[tuple[str, str]]:
    return [(text[d.start : d.end], d.iso) for d in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("detained on Nov. 9", [("Nov. 9", "2010-11-09")]),  # the year closest to publication
        ("tried on March 1", [("March 1", "2011-03-01")]),
        ("in November 2010", [("November 2010", "2010-11")]),
        ("in late 2015", [("2015", "2015")]),
        ("on 9 August 2019", [("9 August 2019", "2019-08-09")]),
        ("freed earlier this year", [("earlier this year", "2011")]),
        ("seized last month", [("last month", "2011-02")]),
        ("released on Monday", [("on Monday", "2011-02-28")]),
        ("a 13-year sentence", []),
        ("fined 2010 yuan", []),
        ("served 2011 days", []),
        ("she may appeal", []),
    ],
)
def test_dates_with_their_precision_and_no_durations(text: str, expected: list[tuple[str, str]]) -> None:
    assert dates(text) == expected


def test_a_narrative_year_carries_within_its_paragraph_only() -> None:
    text = "On May 7, 2015, police detained Liu. On May 9 they moved him.\n\nOn May 9 he was seen."
    assert [iso for _, iso in dates(text, dt.date(2020, 7, 23))] == ["2015-05-07", "2015-05-09", "2020-05-09"]


def test_a_date_without_year_and_without_publication_date_is_not_guessed() -> None:
    assert dates("detained on Nov. 9", None) == []


@pytest.mark.parametrize(
    ("text", "kind", "months"),
    [
        ("The court sentenced him to eight years in prison.", "fixed", 96),
        ("He is serving a 13-year prison sentence.", "fixed", 156),
        ("sentenced to 3 years and 3 months", "fixed", 39),
        ("a six year prison sentence", "fixed", 72),
        ("sentenced to life imprisonment", "life", 0),
        ("sentenced to death with a two-year reprieve", "death_reprieve", 0),
        ("was sentenced to death on Monday", "death", 0),
        ("sentenced him to three years, suspended for four years", "suspended", 36),
    ],
)
def test_terms(text: str, kind: str, months: int) -> None:
    (term,) = find_terms(text)
    assert (term.kind, term.months) == (kind, months)


def test_administrative_terms_are_marked_and_days_kept() -> None:
    (rtl,) = find_terms("ordered to serve 2 years' RTL")
    assert (rtl.months, rtl.administrative) == (24, "re-education through labour")
    (days,) = find_terms("sentenced to 15 days of administrative detention")
    assert (days.months, days.days, days.administrative) == (0, 15, "administrative detention")


def test_a_list_of_sentences_gives_one_term_each() -> None:
    text = "sentences: Ding to serve 3 years in prison; Wang, 2 years; and Yang, 1 year and 3 months."
    assert [(text[t.start : t.end], t.months) for t in find_terms(text)] == [
        ("3 years in prison", 36),
        ("2 years", 24),
        ("1 year and 3 months", 15),
    ]


@pytest.mark.parametrize(
    ("phrase", "statute"),
    [
        ("inciting subversion of state power", "PRC-CL-1997 art. 105(2)"),
        ("subversion of state power", "PRC-CL-1997 art. 105(1)"),
        ("leaking intelligence overseas", "PRC-CL-1997 art. 111"),
        ("illegally providing state secrets to entities abroad", "PRC-CL-1997 art. 111"),
        ("inciting splittism", "PRC-CL-1997 art. 103(2)"),
        ("splitting the state", "PRC-CL-1997 art. 103(1)"),
        ("picking quarrels and provoking trouble", "PRC-CL-1997 art. 293"),
        ("gathering a crowd to disturb social order", "PRC-CL-1997 art. 290(1)"),
        ("organizing and using a cult to undermine implementation of the law", "PRC-CL-1997 art. 300(1)"),
        ("illegal business activity", "PRC-CL-1997 art. 225"),
        ("obstructing official business", "PRC-CL-1997 art. 277(1)"),
        ("counterrevolutionary propaganda and incitement", "PRC-CL-1979 art. 102"),
        ("singing", None),
    ],
)
def test_charges_to_statutes(phrase: str, statute: str | None) -> None:
    assert statute_for(phrase) == statute


def test_charges_only_where_someone_is_charged_and_quoted_whole() -> None:
    sentence = 'Police detained her on suspicion of "picking quarrels and provoking trouble."'
    (charge,) = find_charges(sentence, 100)
    assert (charge.text, charge.stage) == ("picking quarrels and provoking trouble", "suspected")
    assert sentence[charge.start - 100 : charge.end - 100] == charge.text
    assert find_charges("Practitioners are often charged under art. 300 in similar cases.") == []
    assert find_charges("Cult is a word the newspaper used.") == []


def test_sentences_do_not_split_after_abbreviations_or_initials() -> None:
    text = 'He was held at Lanzhou No. 2 Prison from Nov. 9. The U.N. envoy met J. Smith. "Why?" he asked.'
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "He was held at Lanzhou No. 2 Prison from Nov. 9.",
        "The U.N. envoy met J. Smith.",
        '"Why?" he asked.',
    ]


def test_blanked_boilerplate_keeps_every_offset() -> None:
    text = "Menu | Home\nMa Lixin was detained.\n© 2011"
    blanked = blank_boilerplate(text, [(12, 34)])
    assert len(blanked) == len(text)
    assert blanked[12:34] == text[12:34] and "Menu" not in blanked and blanked.count("\n") == 2

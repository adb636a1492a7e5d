"""Sources stored once per content, citations as checked spans of their text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.lib.dates import PartialDate
from habeas.sources.models import Citation, Source, content_hash
from habeas.sources.services import citation_for_quote, citation_get_or_create, source_store, span_check

pytestmark = pytest.mark.django_db

TEXT = "Skip to main content\nLiu Mingde was detained on 5 March 2009. Liu Mingde denied the charges."


@pytest.fixture
def source(researcher) -> Source:
    return source_store(text=TEXT, title="  Report  ", by=researcher, published="2009-03")[0]


def test_source_store_keeps_text_metadata_and_a_history_row(source, researcher):
    assert source.text == TEXT
    assert source.title == "Report"
    assert source.published == PartialDate(2009, 3)
    assert source.content_hash == content_hash(TEXT)
    assert source.created_by == researcher
    assert source.confidentiality == Confidentiality.INTERNAL
    (row,) = History.objects.filter(content_type__model="source", object_id=source.pk)
    assert (row.action, row.user, row.changes) == ("create", researcher, {"title": [None, "Report"]})


def test_the_same_text_is_stored_once(source, researcher, admin_user):
    again, created = source_store(text=TEXT, title="Another title", by=admin_user)
    assert not created
    assert again.pk == source.pk
    assert again.title == "Report"
    assert Source.objects.count() == 1
    assert History.objects.filter(content_type__model="source").count() == 1


def test_line_endings_do_not_make_a_new_source(source, researcher):
    windows, created = source_store(text=TEXT.replace("\n", "\r\n"), title="Report", by=researcher)
    assert not created and windows.pk == source.pk
    other, created = source_store(text=TEXT + " More.", title="Report", by=researcher)
    assert created and other.pk != source.pk


def test_the_database_refuses_a_second_copy(source):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(text=TEXT, title="copy")


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_a_source_needs_text(researcher, text):
    with pytest.raises(ValidationError):
        source_store(text=text, title="Empty", by=researcher)
    assert not Source.objects.exists()


def test_a_bad_published_date_is_refused(researcher):
    with pytest.raises(ValidationError):
        source_store(text="Some text.", title="t", by=researcher, published="2009-13")
    assert not Source.objects.exists()


@pytest.mark.parametrize(("kind", "official"), [("verdict", True), ("state_media", True), ("news", False)])
def test_official_follows_the_kind_unless_given(researcher, kind, official):
    made, _ = source_store(text=f"Text of a {kind}.", title="t", kind=kind, by=researcher)
    assert made.official is official
    forced, _ = source_store(
        text=f"Other text of a {kind}.", title="t", kind=kind, official=False, by=researcher
    )
    assert forced.official is False


def test_untitled_sources_get_a_placeholder(researcher):
    made, _ = source_store(text="Some text.", title="   ", by=researcher)
    assert made.title == "(untitled)"


# -- spans -------------------------------------------------------------------------------------------
def test_span_check_returns_the_quoted_text(source):
    start = TEXT.index("detained")
    assert span_check(source, start, start + 8) == "detained"
    assert span_check(source, start, start + 8, "detained") == "detained"
    assert span_check(source, 0, len(TEXT)) == TEXT


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (5, 5, "empty or reversed"),
        (9, 3, "empty or reversed"),
        (-1, 4, "empty or reversed"),
        (0, len(TEXT) + 1, "runs past the end"),
        (len(TEXT) + 10, len(TEXT) + 20, "runs past the end"),
    ],
)
def test_span_check_refuses_impossible_spans(source, start, end, message):
    with pytest.raises(ValidationError, match=message):
        span_check(source, start, end)


def test_a_quote_must_equal_the_text_at_the_span(source, researcher):
    start = TEXT.index("detained")
    with pytest.raises(ValidationError, match="does not match"):
        citation_get_or_create(source=source, start=start, end=start + 8, quote="released", by=researcher)
    with pytest.raises(ValidationError, match="does not match"):
        citation_get_or_create(source=source, start=start + 1, end=start + 9, quote="detained", by=researcher)
    assert not Citation.objects.exists()


def test_citations_hold_their_quote_and_are_shared(source, researcher):
    start = TEXT.index("detained on 5 March 2009")
    end = start + len("detained on 5 March 2009")
    citation = citation_get_or_create(source=source, start=start, end=end, by=researcher)
    assert citation.quote == "detained on 5 March 2009"
    assert citation.quote == source.text[citation.start : citation.end]
    assert citation.created_by == researcher
    again = citation_get_or_create(source=source, start=start, end=end, quote="detained on 5 March 2009")
    assert again.pk == citation.pk
    assert Citation.objects.count() == 1


def test_citation_for_quote_finds_the_nth_occurrence(source):
    first = citation_for_quote(source=source, quote="Liu Mingde")
    second = citation_for_quote(source=source, quote="Liu Mingde", occurrence=1)
    assert first.start == TEXT.index("Liu Mingde")
    assert second.start == TEXT.index("Liu Mingde", first.start + 1)
    for citation in (first, second):
        assert source.text[citation.start : citation.end] == "Liu Mingde"
    with pytest.raises(ValidationError, match="does not contain"):
        citation_for_quote(source=source, quote="Liu Mingde", occurrence=2)
    with pytest.raises(ValidationError, match="does not contain"):
        citation_for_quote(source=source, quote="released")


def test_the_database_refuses_an_empty_span(source):
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, start=10, end=10, quote="")


def test_the_database_refuses_a_second_citation_of_the_same_span(source):
    citation_get_or_create(source=source, start=0, end=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, start=0, end=4, quote="Skip")

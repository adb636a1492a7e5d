"""The source list: filters (partial publication dates by their bounds), search, sort, citation counts,
clearance, a fixed number of queries; and the facts listed on a source page."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from habeas.accounts.models import Confidentiality
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.sources.models import Source
from habeas.sources.selectors import source_detail, source_facets, source_list
from habeas.sources.services import citation_for_quote, source_store

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


def store(title: str, **fields) -> Source:
    fields.setdefault("confidentiality", PUBLIC)
    text = fields.pop("text", f"The fictional text of {title}. It reports a detention in Qinghe.")
    return source_store(text=text, title=title, **fields)[0]


def titles(page) -> list[str]:
    return [s.title for s in page.object_list]


def test_published_range_keeps_sources_whose_partial_date_may_fall_in_it(viewer):
    store("Year", published="2011")
    store("Month", published="2011-05")
    store("Day", published="2011-05-20")
    store("Circa", published="2012~")
    store("Undated")
    got = source_list(viewer, published_since="2011-05", published_until="2011-05", sort="title")
    assert titles(got) == ["Day", "Month", "Year"]
    # A day inside the year but outside May: the year and nothing narrower.
    assert titles(source_list(viewer, published_since="2011-08-01", published_until="2011-08-31")) == ["Year"]
    assert titles(source_list(viewer, published_since="2012-03")) == ["Circa"]
    assert titles(source_list(viewer, published_until="2010")) == []
    # Undated sources are only left out when a date filter is asked for.
    assert "Undated" in titles(source_list(viewer))


def test_filters_narrow_by_kind_official_reliability_publisher_and_language(viewer):
    store("Verdict", kind="verdict", reliability="A", publisher="Qinghe Court", language="zh-Hans")
    store("Wire", kind="news", reliability="B", publisher="Test Wire", language="en")
    store("Blog", kind="news", reliability="D", publisher="A Blog", language="en", official=False)
    assert titles(source_list(viewer, kind="news", sort="title")) == ["Blog", "Wire"]
    assert titles(source_list(viewer, official=True)) == ["Verdict"]
    assert titles(source_list(viewer, official=False, sort="title")) == ["Blog", "Wire"]
    assert titles(source_list(viewer, reliability="B")) == ["Wire"]
    assert titles(source_list(viewer, publisher="A Blog")) == ["Blog"]
    assert titles(source_list(viewer, language="en", kind="news", reliability="D")) == ["Blog"]
    assert titles(source_list(viewer, language="zh-Hans")) == ["Verdict"]


def test_search_looks_in_title_and_publisher_word_by_word(viewer):
    store("Trial of a teacher", publisher="Test Wire")
    store("Notice of arrest", publisher="Qinghe Daily")
    assert titles(source_list(viewer, q="teacher")) == ["Trial of a teacher"]
    assert titles(source_list(viewer, q="QINGHE")) == ["Notice of arrest"]
    assert titles(source_list(viewer, q="notice qinghe")) == ["Notice of arrest"]
    assert titles(source_list(viewer, q="notice wire")) == []


def test_sort_orders_and_undated_sources_last(viewer):
    store("B old", published="2001")
    store("A new", published="2020-02")
    store("C undated")
    assert titles(source_list(viewer)) == ["A new", "B old", "C undated"]
    assert titles(source_list(viewer, sort="published")) == ["B old", "A new", "C undated"]
    assert titles(source_list(viewer, sort="-title")) == ["C undated", "B old", "A new"]
    assert titles(source_list(viewer, sort="nonsense")) == ["A new", "B old", "C undated"]


def test_each_source_carries_its_number_of_citations(viewer):
    cited = store("Cited", text="Liu was detained. Liu was tried. Liu was sentenced.")
    store("Uncited")
    for quote in ("Liu was detained", "Liu was tried", "Liu was sentenced"):
        citation_for_quote(source=cited, quote=quote)
    counts = {s.title: s.citation_count for s in source_list(viewer).object_list}
    assert counts == {"Cited": 3, "Uncited": 0}
    assert titles(source_list(viewer, sort="-citations")) == ["Cited", "Uncited"]


def test_sources_above_the_readers_clearance_are_neither_listed_nor_counted_nor_offered(
    viewer, reviewer, researcher
):
    store("Open", publisher="Open Wire", language="en")
    store("Secret memo", publisher="Hidden Desk", language="ug", confidentiality=RESTRICTED)
    store("Internal note", confidentiality=INTERNAL)
    assert titles(source_list(viewer)) == ["Open"] and source_list(viewer).paginator.count == 1
    assert titles(source_list(viewer, q="secret")) == []
    assert titles(source_list(viewer, publisher="Hidden Desk")) == []
    assert source_facets(viewer).publishers == ["Open Wire"] and source_facets(viewer).languages == ["en"]
    assert sorted(titles(source_list(reviewer))) == ["Internal note", "Open"]
    assert source_list(researcher).paginator.count == 3
    assert "Hidden Desk" in source_facets(researcher).publishers


def test_pages_and_totals(viewer):
    for i in range(7):
        store(f"Source {i}", published=f"20{10 + i}")
    page = source_list(viewer, per_page=3, page=3, sort="title")
    assert page.paginator.count == 7 and page.paginator.num_pages == 3
    assert titles(page) == ["Source 6"]
    # A page past the end shows the last page rather than failing.
    assert titles(source_list(viewer, per_page=3, page=99, sort="title")) == ["Source 6"]


@pytest.mark.parametrize(
    "filters",
    [{}, {"q": "report", "kind": "other", "published_since": "2011", "sort": "-citations"}],
)
def test_the_list_costs_two_queries_whatever_the_number_of_sources_and_citations(
    viewer, django_assert_num_queries, filters
):
    make(*[bundle(i, names=(f"Person {i}",)) for i in range(3)])
    with django_assert_num_queries(2):
        titles(source_list(viewer, **filters))
    make(*[bundle(i, names=(f"Person {i}",), each=4) for i in range(3, 40)])
    with django_assert_num_queries(2):
        page = source_list(viewer, **filters)
        assert len(titles(page)) == 40 and page.paginator.count == 40


def test_bulk_writes_and_the_migration_fill_the_publication_bounds(viewer):
    make(bundle(1))
    source = Source.objects.get(title="Report 1")
    assert (source.published_start, source.published_end) == (dt.date(2011, 5, 1), dt.date(2011, 5, 31))
    # Rows written before the bounds existed get them from the migration.
    Source.objects.update(published_start=None, published_end=None)
    migration = importlib.import_module("habeas.sources.migrations.0002_source_published_bounds_version")
    migration.fill_published_bounds(apps, None)
    source.refresh_from_db()
    assert (source.published_start, source.published_end) == (dt.date(2011, 5, 1), dt.date(2011, 5, 31))


def test_source_page_lists_the_visible_facts_citing_each_span_person_by_person(viewer, researcher):
    visible, hidden = make(
        bundle(1, names=("Liu Mingde",)),
        bundle(2, names=("Zhou Hidden",), level=RESTRICTED),
    )
    assert visible.citation is not None
    source = visible.citation.source
    # Cite the same span from the restricted person's detention too.
    hidden_detention = hidden.detentions.get()
    hidden_detention.extra_citations.add(visible.citation)
    detail = source_detail(viewer, source.pk)
    facts = [(f.person.display_name, f.counts) for use in detail.uses for f in use.facts]
    assert facts and all(name == "Liu Mingde" for name, _ in facts)
    first = next(counts for name, counts in facts if "person" in counts)
    assert first["person"] == 1 and first.get("detention") == 1
    cleared = source_detail(researcher, source.pk)
    names = {f.person.display_name for use in cleared.uses for f in use.facts}
    assert names == {"Liu Mingde", "Zhou Hidden"}

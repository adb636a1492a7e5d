"""Read selectors: name search across scripts, the person list, one dossier; clearance on every read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from habeas.accounts.models import Confidentiality
from habeas.dossiers import selectors
from habeas.dossiers.bulk import (
    AffiliationIn,
    AllegationIn,
    ChargeIn,
    CustodyIn,
    DetentionIn,
    HealthIn,
    LegalStepIn,
    NameIn,
    PersonIn,
    PlaceIn,
    SentenceChangeIn,
    SentenceIn,
    SourceIn,
    StatusIn,
    dossiers_bulk_create,
)
from habeas.dossiers.models import Detention, HealthNote, Person, PersonName
from habeas.dossiers.selectors import person_dossier, person_list, person_search
from habeas.lib.dates import PartialDate
from habeas.sources.models import Citation, Source

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED

TEXT = (
    "Liu Mingde (刘明德), a co-founder of the fictional Harmony Party, was detained in March 2009. "
    "He was sentenced to 11 years for inciting subversion. He suffers from hepatitis B."
)


def bundle(
    number: int,
    *,
    names: tuple[str, ...] = ("Liu Mingde", "刘明德"),
    each: int = 1,
    level: int = PUBLIC,
    source_level: int = PUBLIC,
    province: str = "Hebei",
    ethnicity: str = "Han",
    status: str = "detained",
    started: str = "2009-03",
    text: str = TEXT,
) -> PersonIn:
    """One person with ``each`` facts of every kind (``each`` detentions, each with ``each`` custody
    periods, legal steps, charges and sentences, each sentence with ``each`` changes...)."""
    sentence_at = text.find("He was sentenced")
    span = (sentence_at, sentence_at + 50) if sentence_at >= 0 else None
    return PersonIn(
        source=SourceIn(
            text=f"{text} Record {number}.",
            title=f"Report {number}",
            publisher="Test Wire",
            published="2011-05",
            confidentiality=source_level,
        ),
        names=[NameIn(n) for n in names]
        + [NameIn(f"Alias{number}x{i}", kind="alias") for i in range(each - 1)],
        sex="M",
        ethnicity=ethnicity,
        residence_province=province,
        confidentiality=level,
        detentions=[
            DetentionIn(
                started=started,
                measure="criminal_detention",
                place=PlaceIn("Qinghe No. 3 Prison", kind="prison", province="Hebei"),
                custody=[
                    CustodyIn(PlaceIn(f"Centre {i}", province="Hebei"), started="2009-04")
                    for i in range(each)
                ],
                legal_steps=[
                    LegalStepIn("trial", f"2010-01-{i + 1:02d}", court="Qinghe Court") for i in range(each)
                ],
                charges=[ChargeIn(f"charge {i}", "PRC Criminal Law 1997", "105(2)") for i in range(each)],
                sentences=[
                    SentenceIn(
                        term_months=132,
                        pronounced="2010-02",
                        span=span,
                        changes=[SentenceChangeIn("reduction", "2015-06", months=6) for _ in range(each)],
                    )
                    for _ in range(each)
                ],
            )
            for _ in range(each)
        ],
        statuses=[StatusIn(status, "2009-03", detention=0) for _ in range(each)],
        health=[HealthIn(f"hepatitis B {i}") for i in range(each)],
        allegations=[AllegationIn("arbitrary_detention", wgad_category=2) for _ in range(each)],
        affiliations=[AffiliationIn(f"Harmony Party {i}", role="co-founder") for i in range(each)],
    )


def make(*bundles: PersonIn) -> list[Person]:
    ids = dossiers_bulk_create(list(bundles)).person_ids
    return list(Person.objects.filter(pk__in=ids).order_by("pk"))


# -- search ----------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "刘明德",  # as stored
        "劉明德",  # traditional finds simplified
        "刘明",  # prefix, hanzi
        "Liu Mingde",
        "liú míngdé",  # tone marks
        "liu2 ming2 de2",  # numbered tones
        "LIUMINGDE",  # case, no space
        "mingde liu",  # Western order
        "Mingde",  # given name alone
        "LIU",  # prefix
        "liu ming",
        " Liu-Mingde ",
    ],
)
def test_search_finds_the_person_by_any_script_case_tone_order_or_prefix(viewer, query) -> None:
    (liu,) = make(bundle(1))
    make(bundle(2, names=("Wang Dan", "王丹")))
    assert person_search(viewer, query) == [liu]


@pytest.mark.django_db
def test_search_by_pinyin_finds_a_name_stored_only_in_hanzi(viewer) -> None:
    (liu,) = make(bundle(1, names=("刘明德",)))
    assert person_search(viewer, "liu mingde") == [liu]
    assert person_search(viewer, "Mingde Liu") == [liu]


@pytest.mark.django_db
def test_search_in_hanzi_finds_a_name_written_only_in_latin_letters(viewer) -> None:
    (liu,) = make(bundle(1, names=("Liu Mingde",)))
    assert person_search(viewer, "刘明德") == [liu]
    assert person_search(viewer, "劉明") == [liu]  # traditional characters, a prefix
    assert person_list(viewer, q="刘明德").object_list[0] == liu


@pytest.mark.django_db
def test_search_in_hanzi_does_not_offer_a_homophone_written_in_other_characters(viewer) -> None:
    (liu,) = make(bundle(1, names=("刘明德",)))
    make(bundle(2, names=("柳明德",)))  # also read "Liu Mingde"
    assert person_search(viewer, "刘明德") == [liu]


@pytest.mark.django_db
def test_search_in_hanzi_does_not_offer_a_namesake_whose_characters_differ(viewer) -> None:
    (liu,) = make(bundle(1, names=("Liu Mingde", "刘明德")))
    make(bundle(2, names=("Liu Mingde", "柳明德")))
    assert person_search(viewer, "刘明德") == [liu]
    assert person_search(viewer, "柳明德") != [liu]


@pytest.mark.django_db
def test_search_in_hanzi_reads_past_characters_the_reader_cannot_see(viewer, researcher) -> None:
    # The characters are restricted: the viewer finds the person by reading, as if none were known,
    # which says nothing about the hidden name; the researcher sees they differ and is not offered him.
    (liu,) = make(bundle(1, names=("Liu Mingde", "柳明德")))
    PersonName.objects.filter(text="柳明德").update(confidentiality=RESTRICTED)
    assert person_search(viewer, "刘明德") == [liu]
    assert person_search(researcher, "刘明德") == []


@pytest.mark.django_db
def test_search_in_hanzi_does_not_match_a_restricted_latin_name(viewer) -> None:
    make(bundle(1, names=("Zhou Ping", "Liu Mingde")))
    PersonName.objects.filter(text="Liu Mingde").update(confidentiality=RESTRICTED)
    assert person_search(viewer, "刘明德") == []


@pytest.mark.django_db
def test_search_returns_each_person_once_ordered_by_name(viewer) -> None:
    b, a = make(bundle(1, names=("Liu Mingde", "刘明德")), bundle(2, names=("Liu Ai", "刘爱")))
    # "liu" matches several keys of each person (hanzi pinyin, latin name, surname token).
    assert person_search(viewer, "liu") == [a, b]
    assert person_search(viewer, "liu", limit=1) == [a]


@pytest.mark.django_db
def test_search_of_punctuation_only_finds_nothing(viewer) -> None:
    make(bundle(1))
    assert person_search(viewer, " - . ") == []


@pytest.mark.django_db
def test_search_hides_persons_above_clearance(viewer, reviewer, researcher) -> None:
    (secret,) = make(bundle(1, names=("Zhou Mimi",), level=RESTRICTED))
    assert person_search(viewer, "zhou") == []
    assert person_search(reviewer, "zhou") == []
    assert person_search(researcher, "zhou") == [secret]


@pytest.mark.django_db
def test_search_does_not_match_a_restricted_name_of_a_visible_person(viewer, researcher) -> None:
    (liu,) = make(bundle(1, names=("Liu Mingde", "Qiaoqiao Secretname")))
    PersonName.objects.filter(text="Qiaoqiao Secretname").update(confidentiality=RESTRICTED)
    assert person_search(viewer, "secretname") == []
    assert person_search(viewer, "liu") == [liu]
    assert person_search(researcher, "secretname") == [liu]


@pytest.mark.django_db
def test_search_and_list_hide_a_restricted_person_found_by_a_public_name(viewer, researcher) -> None:
    (secret,) = make(bundle(1, names=("Zhou Mimi",), level=RESTRICTED))
    PersonName.objects.filter(person=secret).update(confidentiality=PUBLIC)
    assert person_search(viewer, "zhou mimi") == []
    assert person_list(viewer, q="zhou mimi").paginator.count == 0
    assert person_search(researcher, "zhou mimi") == [secret]
    assert person_list(researcher, q="zhou mimi").paginator.count == 1


# -- list ------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_list_counts_and_pages(viewer) -> None:
    make(*[bundle(i, names=(f"Person {i:03d}",)) for i in range(7)])
    page = person_list(viewer, per_page=3, page=3)
    assert page.paginator.count == 7 and page.paginator.num_pages == 3
    assert [p.display_name for p in page.object_list] == ["Person 006"]


@pytest.mark.django_db
def test_list_filters_narrow(viewer) -> None:
    a, b, c = make(
        bundle(1, names=("Alpha",), province="Hebei", ethnicity="Han", status="detained", started="2009-03"),
        bundle(2, names=("Beta",), province="Tibet", ethnicity="Tibetan", status="released", started="2015"),
        bundle(
            3, names=("Gamma",), province="Tibet", ethnicity="Tibetan", status="detained", started="2020-06"
        ),
    )
    assert list(person_list(viewer, province="Tibet").object_list) == [b, c]
    assert list(person_list(viewer, ethnicity="Han").object_list) == [a]
    assert list(person_list(viewer, status="released").object_list) == [b]
    assert list(person_list(viewer, q="gam").object_list) == [c]
    assert list(person_list(viewer, province="Tibet", status="detained").object_list) == [c]
    # Overlap with partial dates: a 2015 start overlaps "2015-07"; March 2009 does not start by 2008.
    assert list(person_list(viewer, detained_since="2015-07", detained_until="2015-07").object_list) == [a, b]
    assert list(person_list(viewer, detained_until="2008").object_list) == []
    assert list(person_list(viewer, detained_since="2020", detained_until="2020-06-01").object_list) == [
        a,
        b,
        c,
    ]
    Detention.objects.filter(person=a).update(ended_start=dt.date(2012, 1, 1), ended_end=dt.date(2012, 1, 31))
    assert list(person_list(viewer, detained_since="2012-02").object_list) == [b, c]


@pytest.mark.django_db
def test_list_overdue_uses_the_latest_possible_release_and_status(viewer) -> None:
    held, released = make(bundle(1, names=("Held",)), bundle(2, names=("Freed",), status="released"))
    # 132 months from March 2009 less 6 months: the last possible day is in 2019, long past.
    assert list(person_list(viewer, overdue=True).object_list) == [held]
    assert released not in person_list(viewer, overdue=True).object_list


@pytest.mark.django_db
def test_list_sorts_by_expected_release_with_unknown_last(viewer) -> None:
    early, late = make(bundle(1, names=("Zed",), started="2001"), bundle(2, names=("Ann",), started="2005"))
    (none,) = make(
        PersonIn(source=SourceIn(text="x", title="t"), names=[NameIn("Bob")], confidentiality=PUBLIC)
    )
    assert list(person_list(viewer, sort="expected_release").object_list) == [early, late, none]
    assert list(person_list(viewer, sort="-expected_release").object_list) == [late, early, none]
    assert list(person_list(viewer, sort="nonsense").object_list) == [late, none, early]


@pytest.mark.django_db
def test_list_hides_persons_above_clearance(viewer, reviewer, researcher) -> None:
    make(bundle(1, level=PUBLIC), bundle(2, level=INTERNAL), bundle(3, level=RESTRICTED))
    assert person_list(viewer).paginator.count == 1
    assert person_list(reviewer).paginator.count == 2
    assert person_list(researcher).paginator.count == 3


EVERY_FILTER = {
    "q": "liu",
    "status": "detained",
    "overdue": True,
    "detained_since": "2009",
    "detained_until": "2009-12",
    "sentenced_since": "2010",
    "sentenced_until": "2010-02-28",
    "province": "Hebei",
    "ethnicity": "Han",
    "religion": "",
    "sex": "M",
    "statute": "PRC Criminal Law 1997",
    "article": "105",
    "place_name": "Qinghe No",
    "sentence_min": 120,
    "sentence_max": "life",
    "allegation": "arbitrary_detention",
    "wgad_category": 2,
    "sort": "-expected_release",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters",
    [{}, {"q": "liu", "status": "detained", "overdue": True, "detained_since": "2009"}, EVERY_FILTER],
)
@pytest.mark.parametrize("reader", ["viewer", "researcher"])
def test_list_costs_two_queries_for_5_or_60_persons(
    request, django_assert_num_queries, filters, reader
) -> None:
    """Below full clearance the hidden-fact checks are subqueries of the same two queries. A name
    search reads its page and total in one query (COUNT(*) OVER ()), then, below full clearance,
    the page's checks in a second."""
    user = request.getfixturevalue(reader)
    queries = 1 if filters.get("q") and reader == "researcher" else 2
    make(*[bundle(i) for i in range(5)])
    with django_assert_num_queries(queries):
        page = person_list(user, **filters)
        [(p.shown_name, p.shown_status, p.shown_release) for p in page.object_list]
    assert page.paginator.count == 5
    make(*[bundle(i, each=3) for i in range(5, 60)])
    with django_assert_num_queries(queries):
        page = person_list(user, **filters)
        [(p.shown_name, p.shown_status, p.shown_release) for p in page.object_list]
    assert page.paginator.count == 60
    assert len(page.object_list) == 50


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["viewer", "researcher"])
def test_list_facets_cost_five_queries_for_5_or_60_persons(
    request, django_assert_num_queries, reader
) -> None:
    user = request.getfixturevalue(reader)
    make(*[bundle(i, province=f"P{i}") for i in range(5)])
    with django_assert_num_queries(5):
        few = selectors.person_facets(user)
    make(*[bundle(i, province=f"P{i}", each=3) for i in range(5, 60)])
    # Kept for a few minutes per clearance: the second read asks nothing.
    with django_assert_num_queries(0):
        assert selectors.person_facets(user) == few
    cache.clear()
    with django_assert_num_queries(5):
        many = selectors.person_facets(user)
    assert len(many.provinces) == 60 > len(few.provinces)
    assert many.charges == [("PRC Criminal Law 1997", "105")]


# -- dossier ---------------------------------------------------------------------------------------
def _walk(dossier: selectors.Dossier) -> int:
    """Touch everything a template shows; returns the number of facts seen."""
    seen = len(dossier.names) + len(dossier.statuses) + len(dossier.health)
    seen += len(dossier.allegations) + len(dossier.affiliations) + len(dossier.timeline)
    for d in dossier.detentions:
        seen += 1 + len(d.custody) + len(d.legal_steps) + len(d.charges) + len(d.sentences)
        seen += sum(len(s.changes) for s in d.sentences)
    for a in dossier.affiliations:
        str(a.fact)
    for e in dossier.timeline:
        for c in e.citations:
            assert c.restricted or (c.title and c.quote)
    return seen


QUERIES_PER_DOSSIER = 16  # person, 11 kinds of fact, places, organisations, extra-citation links, citations


@pytest.mark.django_db
def test_dossier_costs_the_same_queries_for_1_or_10_facts_of_each_kind(
    researcher, django_assert_num_queries
) -> None:
    small, big = make(bundle(1, each=1), bundle(2, each=10))
    # Extra citations too, so their prefetch has something to fetch.
    other = Citation.objects.first()
    assert other is not None
    for detention in Detention.objects.all():
        detention.extra_citations.add(other)
    with django_assert_num_queries(QUERIES_PER_DOSSIER):
        seen_small = _walk(person_dossier(researcher, small.pk))
    with django_assert_num_queries(QUERIES_PER_DOSSIER):
        dossier = person_dossier(researcher, big.pk)
        seen_big = _walk(dossier)
    assert seen_big > 10 * seen_small
    # The extra citation follows each detention's first one.
    assert all([c.id for c in d.citations][1:] == [other.pk] for d in dossier.detentions)


@pytest.mark.django_db
def test_dossier_derived_values_equal_the_stored_columns_when_all_is_visible(researcher) -> None:
    (liu,) = make(bundle(1))
    dossier = person_dossier(researcher, liu.pk)
    assert dossier.display_name == liu.display_name == "Liu Mingde"
    assert dossier.current_status == liu.current_status == "detained"
    assert dossier.expected_release == liu.expected_release == PartialDate(2019)
    assert dossier.release is not None and dossier.release.latest == liu.expected_release_latest
    assert dossier.overdue is True


@pytest.mark.django_db
def test_dossier_timeline_is_in_date_order_with_undated_last(researcher) -> None:
    (liu,) = make(bundle(1))
    timeline = person_dossier(researcher, liu.pk).timeline
    dated = [e.date.isoformat() for e in timeline if e.date]
    assert dated == sorted(dated)
    assert [e.kind for e in timeline if e.date is None] == ["health", "allegation", "affiliation"]
    assert timeline[0].kind == "detention"


@pytest.mark.django_db
def test_dossier_of_a_person_above_clearance_raises_does_not_exist(viewer, reviewer, researcher) -> None:
    (secret,) = make(bundle(1, level=RESTRICTED))
    for user in (viewer, reviewer, None):
        with pytest.raises(Person.DoesNotExist):
            person_dossier(user, secret.pk)
    assert person_dossier(researcher, secret.pk).person == secret
    with pytest.raises(Person.DoesNotExist):
        person_dossier(researcher, secret.pk + 1000)


@pytest.mark.django_db
def test_dossier_hides_restricted_names_and_facts(viewer, researcher) -> None:
    (liu,) = make(bundle(1, names=("Liu Mingde", "刘明德", "Liu Secretalias")))
    PersonName.objects.filter(text="Liu Secretalias").update(confidentiality=RESTRICTED)
    HealthNote.objects.filter(person=liu).update(confidentiality=RESTRICTED)
    Detention.objects.filter(person=liu).update(confidentiality=RESTRICTED)
    seen = person_dossier(viewer, liu.pk)
    assert [n.fact.text for n in seen.names] == ["Liu Mingde", "刘明德"]
    assert seen.health == [] and seen.detentions == []
    assert {e.kind for e in seen.timeline} == {"status", "allegation", "affiliation"}
    # The hidden sentence no longer gives an expected release, nor an overdue flag.
    assert seen.release is None and seen.overdue is False
    full = person_dossier(researcher, liu.pk)
    assert len(full.names) == 3 and len(full.health) == 1 and len(full.detentions) == 1


@pytest.mark.django_db
def test_dossier_names_a_restricted_source_without_its_title_or_quote(viewer, researcher) -> None:
    (liu,) = make(bundle(1, source_level=RESTRICTED))
    seen = person_dossier(viewer, liu.pk)
    cites = [c for e in seen.timeline for c in e.citations] + seen.citations
    assert cites and all(c.restricted and not c.title and not c.quote and c.source_id is None for c in cites)
    full = person_dossier(researcher, liu.pk)
    assert all(not c.restricted and c.title == "Report 1" for c in full.citations)
    assert Source.objects.get().confidentiality == RESTRICTED


@pytest.mark.django_db
def test_dossier_citations_carry_source_details_and_the_quoted_span(researcher) -> None:
    (liu,) = make(bundle(1))
    sentence = person_dossier(researcher, liu.pk).detentions[0].sentences[0]
    (cite,) = sentence.citations
    assert (
        cite.title == "Report 1" and cite.publisher == "Test Wire" and cite.published == PartialDate(2011, 5)
    )
    assert cite.quote.startswith("He was sentenced to 11 years") and cite.official is False


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["viewer", "researcher"])
@pytest.mark.parametrize("page", [1, 2, "2", 3, 99, 0, -1, "x", "2.0", "", None])
def test_name_search_pages_like_the_paginator(request, reader, page) -> None:
    """A name search's page and total come from one windowed query: the same page number, total,
    persons and order as Django's Paginator over the same persons, out-of-range pages included."""
    from django.core.paginator import Paginator

    user = request.getfixturevalue(reader)
    make(*[bundle(i, names=(f"Liu Ming{chr(97 + i % 26)}{i}",)) for i in range(12)])
    make(bundle(20, names=("Wang Dan",)), bundle(21, names=("Liu Secret",), level=RESTRICTED))
    listed = person_list(user, q="liu", per_page=5, page=page)  # type: ignore[arg-type]
    matching = Person.objects.filter(pk__in=[p.pk for p in person_search(user, "liu", limit=100)])
    expected = Paginator(matching.order_by("display_name", "id"), 5).get_page(page)
    assert listed.number == expected.number
    assert listed.paginator.count == expected.paginator.count == (12 if reader == "viewer" else 13)
    assert [p.pk for p in listed.object_list] == [p.pk for p in expected.object_list]
    assert all(p.shown_name for p in listed.object_list)


@pytest.mark.django_db
def test_name_search_with_no_match_is_an_empty_first_page(viewer) -> None:
    make(bundle(1))
    page = person_list(viewer, q="zzz")
    assert page.number == 1 and page.paginator.count == 0 and list(page.object_list) == []


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["viewer", "researcher"])
@pytest.mark.parametrize("sort", ["-name", "expected_release", "-status_date"])
def test_name_search_pages_like_the_paginator_in_every_sort(request, reader, sort) -> None:
    from django.core.paginator import Paginator

    user = request.getfixturevalue(reader)
    make(*[bundle(i, names=(f"Liu Ming{chr(97 + i % 26)}{i}",), started=f"20{i:02d}") for i in range(12)])
    matching = Person.objects.filter(pk__in=[p.pk for p in person_search(user, "liu", limit=100)])
    ordered = matching.order_by(*selectors._order(user, sort))
    for page in (1, 2, 3):
        listed = person_list(user, q="liu", sort=sort, per_page=5, page=page)
        expected = Paginator(ordered, 5).get_page(page)
        assert listed.paginator.count == expected.paginator.count == 12
        assert [p.pk for p in listed.object_list] == [p.pk for p in expected.object_list]

"""Person list filters: each filter narrows, partial dates are read as widely as they allow, and no
filter matches a person through a fact, name or place above the reader's clearance."""

from __future__ import annotations

from typing import Any

import pytest

from habeas.accounts.models import Confidentiality
from habeas.dossiers.bulk import AllegationIn, ChargeIn, CustodyIn, PersonIn, PlaceIn, SentenceIn, StatusIn
from habeas.dossiers.models import (
    Allegation,
    Charge,
    CustodyPeriod,
    Detention,
    Person,
    PersonName,
    Sentence,
    StatusChange,
)
from habeas.dossiers.selectors import person_dossier, person_facets, person_list
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.lib.dates import PartialDate
from habeas.places.models import Place

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


def person(number: int, name: str, **changes) -> PersonIn:
    """A fictional dossier (see test_selectors.bundle) with a few things changed:
    ``charges``, ``sentence``, ``place``, ``custody``, ``allegations``, ``statuses`` or any PersonIn field."""
    b = bundle(number, names=(name,))
    detention = b.detentions[0]
    if "charges" in changes:
        detention.charges = [ChargeIn(f"charge {s} {a}", s, a) for s, a in changes.pop("charges")]
    if "sentence" in changes:
        detention.sentences = [changes.pop("sentence")] if changes["sentence"] else []
        changes.pop("sentence", None)
    if "place" in changes:
        detention.place = PlaceIn(changes.pop("place"), province="Hebei") if changes["place"] else None
        changes.pop("place", None)
    if "custody" in changes:
        detention.custody = [
            CustodyIn(PlaceIn(p, province="Hebei"), started="2010") for p in changes.pop("custody")
        ]
    if "allegations" in changes:
        b.allegations = changes.pop("allegations")
    if "statuses" in changes:
        b.statuses = changes.pop("statuses")
    for key, value in changes.items():
        setattr(b, key, value)
    return b


def names(page) -> list[str]:
    return [p.display_name for p in page.object_list]


def listed(user, **filters) -> list[str]:
    return names(person_list(user, **filters))


# -- person columns --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_religion_and_sex_filters(viewer) -> None:
    make(
        person(1, "Anna", religion="Falun Gong", sex="F"),
        person(2, "Bao", religion="Protestant", sex="M"),
        person(3, "Chodron", religion="Tibetan Buddhism", sex="F"),
    )
    assert listed(viewer, religion="Protestant") == ["Bao"]
    assert listed(viewer, sex="F") == ["Anna", "Chodron"]
    assert listed(viewer, sex="F", religion="Tibetan Buddhism") == ["Chodron"]
    assert listed(viewer, religion="Islam") == []


# -- charges ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_article_matches_the_article_and_its_paragraphs_only(viewer) -> None:
    law = "PRC Criminal Law 1997"
    make(
        person(1, "Bare", charges=[(law, "105")]),
        person(2, "Para one", charges=[(law, "105(1)")]),
        person(3, "Para two", charges=[(law, "105(2)")]),
        person(4, "Longer number", charges=[(law, "1050")]),
        person(5, "Splittism", charges=[(law, "103(2)")]),
        person(6, "Other law", charges=[("PRC Criminal Law 1979", "105")]),
    )
    assert listed(viewer, statute=law, article="105") == ["Bare", "Para one", "Para two"]
    assert listed(viewer, statute=law, article="103") == ["Splittism"]
    assert listed(viewer, statute="PRC Criminal Law 1979") == ["Other law"]
    assert len(listed(viewer, statute=law)) == 5


@pytest.mark.django_db
def test_charge_facets_fold_paragraphs_into_their_article(viewer) -> None:
    law = "PRC Criminal Law 1997"
    make(
        person(1, "A", charges=[(law, "105(1)"), (law, "105(2)"), (law, "293")]),
        person(2, "B", charges=[(law, "")]),
    )
    assert person_facets(viewer).charges == [(law, ""), (law, "105"), (law, "293")]


# -- places ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_place_matches_a_detention_or_a_custody_period_there(viewer) -> None:
    make(
        person(1, "Held there", place="Qinghe No. 3 Prison", custody=[]),
        person(2, "Passed through", place=None, custody=["Centre East", "Qinghe No. 3 Prison"]),
        person(3, "Elsewhere", place="Lanzhou Prison", custody=["Centre East"]),
    )
    qinghe = Place.objects.get(name="Qinghe No. 3 Prison")
    assert listed(viewer, place=qinghe.pk) == ["Held there", "Passed through"]
    assert listed(viewer, place_name="qinghe no 3") == ["Held there", "Passed through"]
    assert listed(viewer, place_name="QINGHE") == ["Held there", "Passed through"]
    assert listed(viewer, place_name="Centre") == ["Elsewhere", "Passed through"]
    assert listed(viewer, place_name="Lanzhou") == ["Elsewhere"]
    assert listed(viewer, place_name="Nowhere") == []


@pytest.mark.django_db
def test_place_name_search_folds_other_names_in_any_script(viewer) -> None:
    b = person(1, "Zhao", place=None, custody=[])
    b.detentions[0].place = PlaceIn("Qincheng Prison", province="Beijing", other_names=["秦城监狱"])
    make(b, person(2, "Qian", place="Lanzhou Prison"))
    assert listed(viewer, place_name="秦城監獄") == ["Zhao"]  # traditional finds simplified
    assert listed(viewer, place_name="qincheng") == ["Zhao"]


# -- sentences -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_sentence_length_in_years_with_life_and_death_beyond_any_term(viewer) -> None:
    make(
        person(1, "Three years", sentence=SentenceIn(term_months=36, pronounced="2010")),
        person(2, "Ten years", sentence=SentenceIn(term_months=120, pronounced="2010")),
        person(3, "Eleven years", sentence=SentenceIn(term_months=132, pronounced="2010")),
        person(4, "Life", sentence=SentenceIn(kind="life", pronounced="2010")),
        person(5, "Reprieve", sentence=SentenceIn(kind="death_reprieve", pronounced="2010")),
        person(6, "Death", sentence=SentenceIn(kind="death", pronounced="2010")),
        person(7, "Days", sentence=SentenceIn(term_days=15, pronounced="2010")),
        person(8, "Not sentenced", sentence=None),
    )
    assert listed(viewer, sentence_min=120) == ["Death", "Eleven years", "Life", "Reprieve", "Ten years"]
    assert listed(viewer, sentence_max=120) == ["Days", "Ten years", "Three years"]
    assert listed(viewer, sentence_min=120, sentence_max=120) == ["Ten years"]
    assert listed(viewer, sentence_min=121, sentence_max="life") == ["Eleven years", "Life"]
    assert listed(viewer, sentence_min="death_reprieve") == ["Death", "Reprieve"]
    assert listed(viewer, sentence_min="death") == ["Death"]
    assert listed(viewer, sentence_max="death") == [n for n in listed(viewer) if n != "Not sentenced"]
    assert listed(viewer, sentence_min=0) == [n for n in listed(viewer) if n not in ("Days", "Not sentenced")]


@pytest.mark.django_db
def test_one_sentence_must_satisfy_both_ends_of_the_range(viewer) -> None:
    b = person(1, "Two sentences", sentence=SentenceIn(term_months=24, pronounced="2010"))
    b.detentions[0].sentences.append(SentenceIn(kind="life", pronounced="2011"))
    make(b)
    assert listed(viewer, sentence_min=60, sentence_max=120) == []
    assert listed(viewer, sentence_min=12, sentence_max=36) == ["Two sentences"]


@pytest.mark.django_db
def test_sentenced_between_reads_partial_dates_as_widely_as_they_allow(viewer) -> None:
    make(
        person(1, "Year only", sentence=SentenceIn(term_months=60, pronounced="2010")),
        person(2, "Month only", sentence=SentenceIn(term_months=60, pronounced="2010-02")),
        person(3, "Exact day", sentence=SentenceIn(term_months=60, pronounced="2010-02-28")),
        person(4, "Circa", sentence=SentenceIn(term_months=60, pronounced="2012~")),
        person(5, "Undated", sentence=SentenceIn(term_months=60)),
    )
    # "2010" may be any day of 2010: it falls in a period that touches the year at either end.
    assert listed(viewer, sentenced_since="2010-12-31") == ["Circa", "Year only"]
    assert listed(viewer, sentenced_until="2010-01-01") == ["Year only"]
    # February 2010 runs to the 28th: the last day of the month is in, the 1st of March is not.
    assert listed(viewer, sentenced_since="2010-02-28", sentenced_until="2010-02-28") == [
        "Exact day",
        "Month only",
        "Year only",
    ]
    assert listed(viewer, sentenced_since="2010-03") == ["Circa", "Year only"]
    assert listed(viewer, sentenced_until="2010-01") == ["Year only"]
    assert listed(viewer, sentenced_since="2012", sentenced_until="2012") == ["Circa"]
    # A sentence without a date is in no period.
    assert "Undated" not in listed(viewer, sentenced_since="1900")


@pytest.mark.django_db
def test_sentence_bounds_are_stored_with_the_sentence(viewer) -> None:
    make(person(1, "Month only", sentence=SentenceIn(term_months=60, pronounced="2012-02")))
    sentence = Sentence.objects.get()
    assert (str(sentence.pronounced_start), str(sentence.pronounced_end)) == ("2012-02-01", "2012-02-29")


# -- allegations -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_allegation_kind_and_wgad_category(viewer) -> None:
    make(
        person(1, "Torture", allegations=[AllegationIn("torture")]),
        person(2, "Category two", allegations=[AllegationIn("arbitrary_detention", wgad_category=2)]),
        person(3, "Category one", allegations=[AllegationIn("arbitrary_detention", wgad_category=1)]),
        person(4, "None alleged", allegations=[]),
    )
    assert listed(viewer, allegation="torture") == ["Torture"]
    assert listed(viewer, allegation="arbitrary_detention") == ["Category one", "Category two"]
    assert listed(viewer, allegation="arbitrary_detention", wgad_category=1) == ["Category one"]
    assert listed(viewer, wgad_category=2) == ["Category two"]


# -- confidentiality -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_no_filter_matches_through_a_fact_above_the_readers_clearance(viewer, reviewer, researcher) -> None:
    """Every filter, each with one hidden fact: the viewer never finds the person by it, the researcher
    does. A match alone would tell the viewer the hidden fact exists."""
    law = "PRC Criminal Law 1997"
    (target,) = make(
        person(
            1,
            "Hidden facts",
            charges=[(law, "111")],
            sentence=SentenceIn(kind="death_reprieve", pronounced="1999-09"),
            place="Secret Site 9",
            custody=["Secret Centre 7"],
            allegations=[AllegationIn("torture")],
        )
    )
    Charge.objects.filter(detention__person=target).update(confidentiality=RESTRICTED)
    Sentence.objects.filter(detention__person=target).update(confidentiality=INTERNAL)
    Allegation.objects.filter(person=target).update(confidentiality=RESTRICTED)
    Place.objects.filter(name="Secret Site 9").update(confidentiality=RESTRICTED)
    CustodyPeriod.objects.filter(detention__person=target).update(confidentiality=RESTRICTED)
    filters: list[dict[str, Any]] = [
        {"statute": law, "article": "111"},
        {"sentence_min": "death_reprieve"},
        {"sentenced_since": "1999", "sentenced_until": "1999"},
        {"place_name": "Secret Site"},
        {"place": Place.objects.get(name="Secret Site 9").pk},
        {"place_name": "Secret Centre"},
        {"allegation": "torture"},
    ]
    for f in filters:
        assert listed(viewer, **f) == [], f
        assert listed(researcher, **f) == ["Hidden facts"], f
    # The reviewer (internal) sees the sentence but nothing restricted.
    assert listed(reviewer, sentence_min="death_reprieve") == ["Hidden facts"]
    assert listed(reviewer, statute=law) == []
    # And the offered choices do not name the hidden charge either.
    assert (law, "111") not in person_facets(viewer).charges
    assert (law, "111") in person_facets(researcher).charges


@pytest.mark.django_db
def test_a_visible_fact_of_a_hidden_detention_does_not_match(viewer, researcher) -> None:
    law = "PRC Criminal Law 1997"
    make(person(1, "Hidden detention", charges=[(law, "300")], custody=["Centre North"]))
    Detention.objects.update(confidentiality=RESTRICTED)
    for f in ({"statute": law, "article": "300"}, {"place_name": "Centre North"}, {"sentence_min": 12}):
        assert listed(viewer, **f) == [], f
        assert listed(researcher, **f) == ["Hidden detention"], f


@pytest.mark.django_db
def test_status_and_overdue_never_draw_on_a_hidden_status_or_sentence(viewer, researcher) -> None:
    """The stored status and expected release are derived from every fact; for a reader below
    the facts they come from, the person matches neither filter and the list shows neither."""
    released, held = make(
        person(
            1, "Quietly released", statuses=[StatusIn("detained", "2009-03"), StatusIn("released", "2020-01")]
        ),
        person(2, "Secret sentence"),
    )
    StatusChange.objects.filter(person=released, status="released").update(confidentiality=RESTRICTED)
    Sentence.objects.filter(detention__person=held).update(confidentiality=RESTRICTED)
    assert Person.objects.get(pk=released.pk).current_status == "released"
    assert listed(researcher, status="released") == ["Quietly released"]
    assert listed(viewer, status="released") == []
    assert listed(viewer, status="detained") == ["Secret sentence"]
    assert listed(researcher, overdue=True) == ["Secret sentence"]
    assert listed(viewer, overdue=True) == []
    shown = {p.display_name: p for p in person_list(viewer).object_list}
    assert (
        shown["Quietly released"].shown_status == "" and shown["Secret sentence"].shown_status == "detained"
    )
    assert shown["Secret sentence"].shown_release is None
    full = {p.display_name: p for p in person_list(researcher).object_list}
    assert full["Quietly released"].shown_status == "released"
    assert full["Secret sentence"].shown_release == PartialDate(2019)


@pytest.mark.django_db
def test_list_shows_the_visible_name_when_the_display_name_is_hidden(viewer, researcher) -> None:
    (p,) = make(bundle(1, names=("Aaa Secretname", "Liu Visible", "刘明德")))
    PersonName.objects.filter(text="Aaa Secretname").update(confidentiality=RESTRICTED)
    assert Person.objects.get(pk=p.pk).display_name == "Aaa Secretname"
    (seen,) = person_list(viewer).object_list
    assert seen.shown_name == "Liu Visible"
    (full,) = person_list(researcher).object_list
    assert full.shown_name == "Aaa Secretname"
    assert listed(viewer, q="secretname") == []


# -- the dossier timeline --------------------------------------------------------------------------
@pytest.mark.django_db
def test_timeline_links_visible_places_only_and_sorts_partial_dates(viewer, researcher) -> None:
    b = person(1, "Timeline", place="Open Prison", custody=["Hidden Centre"])
    b.detentions[0].custody[0].ended = "2011-06"
    b.allegations = [
        AllegationIn("torture", date="2010~"),
        AllegationIn("incommunicado", date="2010-05"),
        AllegationIn("arbitrary_detention", wgad_category=3, date="2010"),
    ]
    (p,) = make(b)
    Place.objects.filter(name="Hidden Centre").update(confidentiality=RESTRICTED)
    open_prison = Place.objects.get(name="Open Prison")
    timeline = person_dossier(viewer, p.pk).timeline
    detained = next(e for e in timeline if e.kind == "detention")
    assert detained.place_id == open_prison.pk and detained.place_name == "Open Prison"
    custody = next(e for e in timeline if e.kind == "custody")
    assert custody.place_id is None and custody.place_name == "undisclosed place"
    assert custody.until == PartialDate(2011, 6)
    assert next(e for e in person_dossier(researcher, p.pk).timeline if e.kind == "custody").place_id
    # 2010, then c. 2010, then May 2010: a year before its months, circa beside the year.
    alleged = [e for e in timeline if e.kind == "allegation"]
    assert [e.date.isoformat() for e in alleged] == ["2010", "2010~", "2010-05"]
    assert "WGAD category III" in alleged[0].text


@pytest.mark.django_db
def test_sort_position_says_nothing_about_a_hidden_name_or_release(viewer, researcher) -> None:
    hidden_name, middle, hidden_sentence = make(
        bundle(1, names=("Aaa Secretname", "Zed Visible")),
        bundle(2, names=("Mmm Middle",), started="2001"),
        bundle(3, names=("Bbb Sentenced",), started="2000"),
    )
    PersonName.objects.filter(text="Aaa Secretname").update(confidentiality=RESTRICTED)
    Sentence.objects.filter(detention__person=hidden_sentence).update(confidentiality=RESTRICTED)
    assert [p.pk for p in person_list(researcher).object_list] == [
        hidden_name.pk,
        hidden_sentence.pk,
        middle.pk,
    ]
    # By the names the viewer sees: Bbb, Mmm, Zed.
    assert [p.pk for p in person_list(viewer).object_list] == [hidden_sentence.pk, middle.pk, hidden_name.pk]
    assert [p.pk for p in person_list(viewer, sort="-name").object_list] == [
        hidden_name.pk,
        middle.pk,
        hidden_sentence.pk,
    ]
    # The hidden sentence gave the earliest release; for the viewer it has none and sorts last.
    by_release = [p.pk for p in person_list(researcher, sort="expected_release").object_list]
    assert by_release[0] == hidden_sentence.pk
    by_release = [p.pk for p in person_list(viewer, sort="expected_release").object_list]
    assert by_release[-1] == hidden_sentence.pk


@pytest.mark.django_db
def test_unfiltered_list_reads_the_live_dossier_index(researcher) -> None:
    """The unfiltered list's page and count can be read from person_live_name_idx (partial: dossiers not
    merged away), rather than every row's merged_into: the index's condition must match the query's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make(person(1, "Gao Wenbin"), person(2, "Lin Qiaoyun"))
    with CaptureQueriesContext(connection) as captured:
        page = person_list(researcher)
        assert page.paginator.count == 2
    statements = [q["sql"] for q in captured.captured_queries if "dossiers_person" in q["sql"]]
    assert statements
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table of two rows is otherwise scanned
        for sql in statements:
            explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(explain + sql)
            plan = " ".join(str(column) for row in cursor.fetchall() for column in row)
            assert "person_live_name_idx" in plan, plan

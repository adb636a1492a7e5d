"""Place reads: list filters and name search in any script, current prisoner counts without N+1,
one place with its prisoners now and before, population with its sources, the chart; clearance on all."""

from __future__ import annotations

import pytest

from habeas.accounts.models import Confidentiality
from habeas.dossiers.models import Detention
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.places.models import Place
from habeas.places.selectors import place_detail, place_facets, place_list, population_chart
from habeas.places.services import place_create, population_record
from habeas.sources.services import source_store

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
PRISON = "Qinghe No. 3 Prison"  # where every bundle() person is detained, custody at "Centre 0"


def names(page) -> list[str]:
    return [p.name for p in page.object_list]


@pytest.fixture
def prisoners():
    """Liu held now, Wang released, Zhou (restricted) held now, Chen's detention ended."""
    liu, wang, zhou, chen = make(
        bundle(1, names=("Liu Mingde",)),
        bundle(2, names=("Wang Dan",), status="released"),
        bundle(3, names=("Zhou Hidden",), level=RESTRICTED),
        bundle(4, names=("Chen Ended",)),
    )
    Detention.objects.filter(person=chen).update(
        ended="2012", ended_start="2012-01-01", ended_end="2012-12-31"
    )
    return liu, wang, zhou, chen


def test_list_counts_visible_persons_held_now_at_each_place(viewer, researcher, prisoners):
    counts = {p.name: p.prisoner_count for p in place_list(viewer).object_list}
    # Custody periods at Centre 0 are part of the itinerary; Detention.place is where held now.
    assert counts == {"Centre 0": 0, PRISON: 1}
    cleared = {p.name: p.prisoner_count for p in place_list(researcher).object_list}
    assert cleared[PRISON] == 2
    assert names(place_list(viewer, sort="-prisoners")) == [PRISON, "Centre 0"]


def test_name_search_finds_a_place_by_any_of_its_names_in_any_script_or_spelling(viewer, researcher):
    qincheng = place_create(names=["Qincheng Prison", "秦城監獄"], by=researcher, confidentiality=PUBLIC)
    place_create(names=["Tilanqiao Prison", "提篮桥监狱"], by=researcher, confidentiality=PUBLIC)
    for query in ("秦城监狱", "秦城監獄", "秦城", "qincheng", "QINCHENG prison", "Qìnchéng", "cheng pri"):
        assert [p.pk for p in place_list(viewer, q=query).object_list] == [qincheng.pk], query
    assert names(place_list(viewer, q="prison")) == ["Qincheng Prison", "Tilanqiao Prison"]
    assert names(place_list(viewer, q="监狱")) == ["Qincheng Prison", "Tilanqiao Prison"]
    assert names(place_list(viewer, q=" - ")) == []


def test_filters_by_kind_province_and_authority(viewer, researcher):
    place_create(
        names=["A Prison"],
        by=researcher,
        kind="prison",
        province="Hebei",
        authority="Ministry of Justice",
        confidentiality=PUBLIC,
    )
    place_create(
        names=["B Centre"],
        by=researcher,
        kind="detention_centre",
        province="Hebei",
        authority="Public Security",
        confidentiality=PUBLIC,
    )
    place_create(
        names=["C Camp"], by=researcher, kind="reeducation", province="Xinjiang", confidentiality=PUBLIC
    )
    assert names(place_list(viewer, kind="prison")) == ["A Prison"]
    assert names(place_list(viewer, province="Hebei")) == ["A Prison", "B Centre"]
    assert names(place_list(viewer, authority="Public Security")) == ["B Centre"]
    assert names(place_list(viewer, province="Hebei", kind="reeducation")) == []
    assert names(place_list(viewer, sort="-name")) == ["C Camp", "B Centre", "A Prison"]
    assert place_facets(viewer).provinces == ["Hebei", "Xinjiang"]


def test_places_above_clearance_are_not_listed_offered_or_readable(viewer, reviewer, researcher):
    secret = place_create(
        names=["Secret Site", "秘密地点"],
        by=researcher,
        province="Nowhere",
        authority="Hidden Bureau",
        confidentiality=RESTRICTED,
    )
    place_create(names=["Open Prison"], by=researcher, confidentiality=PUBLIC)
    assert names(place_list(viewer)) == ["Open Prison"] and place_list(viewer).paginator.count == 1
    assert names(place_list(reviewer, q="secret")) == []
    assert "Nowhere" not in place_facets(viewer).provinces
    assert "Hidden Bureau" not in place_facets(reviewer).authorities
    with pytest.raises(Place.DoesNotExist):
        place_detail(reviewer, secret.pk)
    assert place_detail(researcher, secret.pk).place == secret


def test_a_place_lists_visible_prisoners_held_now_and_before(viewer, researcher, prisoners):
    liu, wang, zhou, chen = prisoners
    prison = Place.objects.get(name=PRISON)
    detail = place_detail(viewer, prison.pk)
    assert [p.person.pk for p in detail.current] == [liu.pk]
    assert [p.person.pk for p in detail.past] == [chen.pk, wang.pk]
    assert str(detail.current[0].started) == "2009-03" and detail.current[0].ended is None
    assert str(detail.past[0].ended) == "2012"
    assert [p.person.pk for p in place_detail(researcher, prison.pk).current] == [liu.pk, zhou.pk]
    # Custody at Centre 0 puts everyone there in the past (their detention's place is the prison).
    centre = place_detail(viewer, Place.objects.get(name="Centre 0").pk)
    assert centre.current == [] and [p.person.pk for p in centre.past] == [chen.pk, liu.pk, wang.pk]


def test_a_restricted_detention_does_not_show_its_person_at_the_place(viewer, prisoners):
    liu = prisoners[0]
    Detention.objects.filter(person=liu).update(confidentiality=RESTRICTED)
    prison = Place.objects.get(name=PRISON)
    detail = place_detail(viewer, prison.pk)
    assert liu.pk not in [p.person.pk for p in detail.current + detail.past]
    assert {p.name: p.prisoner_count for p in place_list(viewer).object_list}[PRISON] == 0


def test_population_observations_with_their_sources_as_the_reader_may_see_them(viewer, researcher):
    place = place_create(names=["Qincheng Prison"], by=researcher, capacity=1000, confidentiality=PUBLIC)
    public, _ = source_store(
        text="Fictional: 800 held in 2010.", title="Open report", by=researcher, confidentiality=PUBLIC
    )
    secret, _ = source_store(
        text="Fictional: 950 held in 2012.", title="Leaked list", by=researcher, confidentiality=RESTRICTED
    )
    population_record(
        place=place, observed="2012", population=950, source=secret, quote="950 held", by=researcher
    )
    population_record(
        place=place, observed="2010-06", population=800, source=public, quote="800 held", by=researcher
    )
    population_record(place=place, observed="2011", population=900, unsourced=True, by=researcher)
    detail = place_detail(viewer, place.pk)
    rows = [
        (str(o.observation.observed), o.restricted_source, o.source_title, o.unsourced)
        for o in detail.observations
    ]
    assert rows == [
        ("2010-06", False, "Open report", False),
        ("2011", False, "", True),
        ("2012", True, "", False),
    ]
    assert [o.source_title for o in place_detail(researcher, place.pk).observations][2] == "Leaked list"
    chart = detail.chart
    assert chart is not None and [p.value for p in chart.points] == [800, 900, 950]
    assert chart.max_value == 1000 and chart.capacity_y is not None


def test_population_chart_places_points_by_date_and_count():
    class Obs:
        def __init__(self, pk, observed, population):
            from habeas.lib.dates import PartialDate

            self.pk, self.observed, self.population = pk, PartialDate.parse(observed), population

    chart = population_chart([Obs(2, "2020-12-31", 100), Obs(1, "2020-01-01", 50)])  # type: ignore[list-item]
    assert chart is not None
    first, last = chart.points
    assert first.value == 50 and last.value == 100
    assert first.x < last.x and first.y > last.y  # later to the right, larger higher up
    assert last.y == 24 and chart.polyline == f"{first.x},{first.y} {last.x},{last.y}"
    assert population_chart([]) is None
    (single,) = population_chart([Obs(1, "2019", 7)]).points  # type: ignore[union-attr,list-item]
    assert single.value == 7


@pytest.mark.parametrize("reader", ["viewer", "researcher"])
def test_list_and_place_cost_the_same_queries_for_few_or_many_prisoners(
    request, reader, django_assert_num_queries
):
    user = request.getfixturevalue(reader)
    make(*[bundle(i, names=(f"Person {i}",)) for i in range(3)])
    prison = Place.objects.get(name=PRISON)
    with django_assert_num_queries(2):
        [p.prisoner_count for p in place_list(user).object_list]
    with django_assert_num_queries(6):
        place_detail(user, prison.pk)
    make(*[bundle(i, names=(f"Person {i}",), each=3) for i in range(3, 60)])
    with django_assert_num_queries(2):
        assert {p.name: p.prisoner_count for p in place_list(user).object_list}[PRISON] == 60
    with django_assert_num_queries(6):
        assert len(place_detail(user, prison.pk).current) == 60


def test_prisoners_carry_name_and_status_label_for_the_page(viewer, prisoners):
    wang = prisoners[1]
    detail = place_detail(viewer, Place.objects.get(name=PRISON).pk)
    (ref,) = [p.person for p in detail.past if p.person.pk == wang.pk]
    assert str(ref) == "Wang Dan" and ref.get_current_status_display() == wang.get_current_status_display()


def test_a_latin_query_finds_a_place_named_only_in_characters_by_its_pinyin(viewer, researcher):
    qincheng = place_create(names=["秦城監獄"], by=researcher, confidentiality=PUBLIC)
    place_create(names=["提篮桥监狱"], by=researcher, confidentiality=PUBLIC)
    place_create(names=["Qinghe Farm"], by=researcher, confidentiality=PUBLIC)
    for query in ("qincheng", "Qín Chéng", "QINCHENG JIANYU", "chengjian"):
        assert [p.pk for p in place_list(viewer, q=query).object_list] == [qincheng.pk], query
    assert names(place_list(viewer, q="jianyu")) == ["提篮桥监狱", "秦城監獄"]
    assert names(place_list(viewer, q="qinghe")) == ["Qinghe Farm"]


def test_a_pinyin_match_never_reveals_a_restricted_place(viewer, researcher):
    secret = place_create(names=["黑山监狱"], by=researcher, confidentiality=RESTRICTED)
    assert names(place_list(viewer, q="heishan")) == []
    assert [p.pk for p in place_list(researcher, q="heishan").object_list] == [secret.pk]


def test_a_name_search_costs_three_queries_whatever_the_number_of_places(
    viewer, researcher, django_assert_num_queries
):
    for i in range(3):
        place_create(names=[f"Place {i}", f"第{i}监狱"], by=researcher, confidentiality=PUBLIC)
    with django_assert_num_queries(3):
        names(place_list(viewer, q="jianyu"))
    for i in range(3, 80):
        place_create(names=[f"Place {i}", f"第{i}监狱"], by=researcher, confidentiality=PUBLIC)
    with django_assert_num_queries(3):
        page = place_list(viewer, q="jianyu")
        assert page.paginator.count == 80 and len(names(page)) == 50

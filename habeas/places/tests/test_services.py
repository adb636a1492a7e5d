"""Place writes: names in several scripts with folded keys, coordinates checked, optimistic locking,
population counts cited or explicitly unsourced, a history row in the same transaction each time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from habeas.audit.models import History
from habeas.lib.dates import PartialDate
from habeas.lib.names import fold
from habeas.places.models import Place, PlaceName, PopulationObservation
from habeas.places.services import EditConflict, place_create, place_update, population_record
from habeas.sources.services import citation_for_quote, source_store

pytestmark = pytest.mark.django_db


def history(obj, action: str = "create") -> list[History]:
    return list(
        History.objects.filter(
            content_type__model=obj._meta.model_name, object_id=obj.pk, action=action
        ).order_by("pk")
    )


@pytest.fixture
def place(researcher) -> Place:
    return place_create(
        names=["Qinghe No. 3 Prison", "清河第三监狱", " Qinghe  No. 3 Prison ", "Цинхэ"],
        by=researcher,
        kind="prison",
        authority="Ministry of Justice",
        province="Hebei",
        latitude="39.123456789",
        longitude=Decimal("116.5"),
        capacity=3000,
    )


def test_create_keeps_each_name_once_with_its_script_and_folded_key(place, researcher):
    assert place.name == "Qinghe No. 3 Prison" and place.version == 1 and place.created_by == researcher
    names = {n.text: (n.script, n.key) for n in PlaceName.objects.filter(place=place)}
    assert names == {
        "Qinghe No. 3 Prison": ("Latn", "qingheno3prison"),
        "清河第三监狱": ("Hans", "清河第三监狱"),
        "Цинхэ": ("Cyrl", fold("Цинхэ")),
    }
    assert names["Цинхэ"][1].isascii()  # Cyrillic is found by a Latin spelling too
    # Six decimals are kept (about 10 cm).
    assert place.latitude == Decimal("39.123457")


def test_create_writes_one_history_row_with_the_names(place, researcher):
    (row,) = history(place)
    assert row.user == researcher
    assert row.changes["names"] == ["Qinghe No. 3 Prison", "清河第三监狱", "Цинхэ"]
    assert row.changes["capacity"] == 3000 and row.changes["kind"] == "prison"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"latitude": 91, "longitude": 10}, "latitude must be between -90 and 90"),
        ({"latitude": -90.5, "longitude": 10}, "latitude must be between -90 and 90"),
        ({"latitude": 10, "longitude": 180.01}, "longitude must be between -180 and 180"),
        ({"latitude": "north", "longitude": 10}, "latitude must be a number"),
        ({"latitude": 10}, "give both latitude and longitude"),
        ({"latitude": "NaN", "longitude": 10}, "latitude must be between"),
    ],
)
def test_impossible_coordinates_are_refused_and_nothing_is_written(researcher, fields, message):
    with pytest.raises(ValidationError, match=message):
        place_create(names=["Centre 1"], by=researcher, **fields)
    assert not Place.objects.exists() and not History.objects.exists()


def test_a_place_needs_a_name(researcher):
    with pytest.raises(ValidationError, match="at least one name"):
        place_create(names=["  ", ""], by=researcher)


def test_the_database_refuses_impossible_coordinates_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(name="x", latitude=Decimal("95"), longitude=Decimal("0"))


def test_update_replaces_names_records_before_and_after_and_bumps_the_version(place, admin_user):
    kept = PlaceName.objects.get(place=place, text="清河第三监狱")
    updated = place_update(
        place=place,
        version=1,
        by=admin_user,
        names=["清河第三监狱", "Qinghe Prison No. 3"],
        capacity=3500,
        authority="Ministry of Justice",
    )
    assert updated.version == 2 and updated.name == "清河第三监狱" and updated.capacity == 3500
    assert sorted(PlaceName.objects.filter(place=place).values_list("text", flat=True)) == [
        "Qinghe Prison No. 3",
        "清河第三监狱",
    ]
    assert PlaceName.objects.get(place=place, text="清河第三监狱").pk == kept.pk
    (row,) = history(place, "update")
    assert row.user == admin_user
    assert row.changes["capacity"] == [3000, 3500]
    assert row.changes["name"] == ["Qinghe No. 3 Prison", "清河第三监狱"]
    assert row.changes["names"][1] == ["清河第三监狱", "Qinghe Prison No. 3"]
    assert "authority" not in row.changes  # unchanged values are not history


def test_a_stale_edit_is_refused_and_the_other_edit_stays(place, researcher, admin_user):
    place_update(place=place, version=1, by=researcher, capacity=100)
    with pytest.raises(EditConflict, match="changed by someone else"):
        place_update(place=place, version=1, by=admin_user, capacity=200, names=["Renamed"])
    place.refresh_from_db()
    assert place.capacity == 100 and place.version == 2 and place.name == "Qinghe No. 3 Prison"
    assert len(history(place, "update")) == 1


def test_update_refuses_impossible_coordinates_without_writing(place, researcher):
    with pytest.raises(ValidationError, match="longitude must be between"):
        place_update(place=place, version=1, by=researcher, longitude=-181, names=["New name"])
    place.refresh_from_db()
    assert place.version == 1 and place.name == "Qinghe No. 3 Prison"
    assert PlaceName.objects.filter(place=place, text="New name").count() == 0


def test_population_count_cites_the_quoted_words_of_a_source(place, researcher):
    source, _ = source_store(
        text="A fictional inspection found 2,950 prisoners at Qinghe in March 2015.",
        title="Visit",
        by=researcher,
    )
    observation = population_record(
        place=place,
        observed="2015-03",
        population=2950,
        source=source,
        quote="2,950 prisoners at Qinghe",
        by=researcher,
    )
    assert observation.citation is not None and observation.citation.quote == "2,950 prisoners at Qinghe"
    assert observation.unsourced_by is None and observation.observed == PartialDate(2015, 3)
    (row,) = history(observation)
    assert row.changes["population"] == 2950 and row.changes["citation"] == observation.citation.pk


def test_population_count_with_an_existing_citation(place, researcher):
    source, _ = source_store(text="About 3,100 held in 2016, fictional.", title="Report", by=researcher)
    citation = citation_for_quote(source=source, quote="About 3,100 held")
    observation = population_record(
        place=place, observed="2016", population=3100, citation=citation, by=researcher
    )
    assert observation.citation == citation


def test_population_count_without_a_source_names_the_user(place, researcher):
    observation = population_record(
        place=place, observed="2014-06-01", population=2800, unsourced=True, by=researcher
    )
    assert observation.unsourced_by == researcher and observation.citation is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"observed": "2015-03", "population": 10}, "needs a citation"),
        ({"observed": "2015-02-29", "population": 10, "unsourced": True}, "has no day 29"),
        ({"observed": "", "population": 10, "unsourced": True}, "cannot be blank"),
        ({"observed": "2015", "population": -1, "unsourced": True}, "greater than or equal to 0"),
    ],
)
def test_bad_population_counts_are_refused_with_a_reason(place, researcher, fields, message):
    with pytest.raises(ValidationError, match=message):
        population_record(place=place, by=researcher, **fields)
    assert not PopulationObservation.objects.exists()


def test_an_unsourced_count_needs_a_named_user(place):
    with pytest.raises(ValidationError, match="must name the user"):
        population_record(place=place, observed="2015", population=1, unsourced=True, by=None)


def test_a_quote_not_in_the_source_is_refused_and_no_citation_is_left(place, researcher):
    source, _ = source_store(text="A fictional page with no numbers.", title="Page", by=researcher)
    with pytest.raises(ValidationError, match="does not contain the quote"):
        population_record(
            place=place, observed="2015", population=5, source=source, quote="500", by=researcher
        )
    assert not source.citations.exists()

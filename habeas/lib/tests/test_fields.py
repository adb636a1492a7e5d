"""PartialDateField on real models: EDTF text in the database, bounds kept in step, range filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from habeas.dossiers import services
from habeas.dossiers.models import Detention, Person, StatusChange
from habeas.lib.dates import PartialDate

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(researcher) -> Person:
    return services.person_create(names=["Liu Mingde"], unsourced=True, by=researcher)


def detention(person, researcher, started, **fields) -> Detention:
    return services.detention_record(person=person, unsourced=True, by=researcher, started=started, **fields)


def stored_text(model, pk, column) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        sql = f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [pk])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("text", ["2018", "2018-05", "2018-05-03", "2018~", "2018-05~"])
def test_stored_as_edtf_text_and_read_back_as_partial_date(person, researcher, text):
    row = detention(person, researcher, text)
    assert stored_text(Detention, row.pk, "started") == text
    again = Detention.objects.get(pk=row.pk)
    assert isinstance(again.started, PartialDate)
    assert again.started == PartialDate.parse(text)


def test_empty_is_stored_as_empty_text_and_read_as_none(person, researcher):
    row = detention(person, researcher, None)
    assert stored_text(Detention, row.pk, "started") == ""
    again = Detention.objects.get(pk=row.pk)
    assert again.started is None
    assert again.started_start is None and again.started_end is None


def test_bounds_follow_the_value_on_assignment(person):
    row = Detention(person=person)
    row.started = "2018-02"
    assert (row.started_start, row.started_end) == (dt.date(2018, 2, 1), dt.date(2018, 2, 28))
    row.started = dt.date(2019, 7, 4)
    assert row.started == PartialDate(2019, 7, 4)
    assert (row.started_start, row.started_end) == (dt.date(2019, 7, 4), dt.date(2019, 7, 4))
    row.started = None
    assert (row.started_start, row.started_end) == (None, None)


def test_bounds_are_stored(person, researcher):
    row = detention(person, researcher, "2018")
    again = Detention.objects.get(pk=row.pk)
    assert again.started_start == dt.date(2018, 1, 1)
    assert again.started_end == dt.date(2018, 12, 31)


def test_invalid_value_is_reported_by_full_clean_with_the_field_name(person):
    row = Detention(person=person, unsourced_by_id=person.unsourced_by_id)
    row.started = "2018-02-30"
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "started" in error.value.message_dict
    assert "has no day 30" in error.value.message_dict["started"][0]


def test_services_refuse_an_impossible_date_and_store_nothing(person, researcher):
    with pytest.raises(ValidationError):
        detention(person, researcher, "2019-02-29")
    assert not Detention.objects.filter(person=person).exists()


def test_filter_by_exact_value_and_order_by_text(person, researcher):
    for text in ["2019", "2018-05-03", "2018", "2018-05"]:
        detention(person, researcher, text)
    assert Detention.objects.filter(started="2018-05").count() == 1
    assert Detention.objects.filter(started=PartialDate(2018)).count() == 1
    ordered = [d.started.isoformat() for d in Detention.objects.filter(person=person).order_by("started")]
    assert ordered == ["2018", "2018-05", "2018-05-03", "2019"]


def _overlapping(since: dt.date, until: dt.date):
    return Detention.objects.filter(started_start__lte=until, started_end__gte=since)


def test_range_filter_finds_a_year_by_a_month_inside_it(person, researcher):
    year = detention(person, researcher, "2018")
    day = detention(person, researcher, "2018-05-03")
    june = detention(person, researcher, "2018-06")
    later = detention(person, researcher, "2019-01-01")
    may = set(_overlapping(dt.date(2018, 5, 1), dt.date(2018, 5, 31)).values_list("pk", flat=True))
    assert may == {year.pk, day.pk}
    in_2019 = set(_overlapping(dt.date(2019, 1, 1), dt.date(2019, 12, 31)).values_list("pk", flat=True))
    assert in_2019 == {later.pk}
    assert june.pk not in may


def test_bounds_follow_a_changed_value_through_save(person, researcher):
    row = detention(person, researcher, "2018")
    row.started = "2020-03"
    row.save()
    assert _overlapping(dt.date(2018, 5, 1), dt.date(2018, 5, 31)).count() == 0
    assert _overlapping(dt.date(2020, 3, 15), dt.date(2020, 3, 15)).get().pk == row.pk


def test_status_change_date_bounds(person, researcher):
    change = services.status_record(
        person=person, status="detained", date="2018~", unsourced=True, by=researcher
    )
    assert (
        StatusChange.objects.filter(
            date_start__lte=dt.date(2018, 12, 31), date_end__gte=dt.date(2018, 12, 1)
        ).get()
        == change
    )


def test_values_list_gives_partial_dates(person, researcher):
    detention(person, researcher, "2018-05")
    (value,) = Detention.objects.filter(person=person).values_list("started", flat=True)
    assert value == PartialDate(2018, 5)

"""Partial dates: EDTF reading and writing, impossible dates refused, bounds, order, calendar months."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from habeas.lib.dates import PartialDate, PartialDateError, Precision, add_months


@pytest.mark.parametrize(
    ("text", "year", "month", "day", "circa", "precision"),
    [
        ("2018", 2018, None, None, False, Precision.YEAR),
        ("2018-05", 2018, 5, None, False, Precision.MONTH),
        ("2018-05-03", 2018, 5, 3, False, Precision.DAY),
        ("2018~", 2018, None, None, True, Precision.YEAR),
        ("2018-05~", 2018, 5, None, True, Precision.MONTH),
        ("2018-05-03~", 2018, 5, 3, True, Precision.DAY),
        (" 2018-05 ", 2018, 5, None, False, Precision.MONTH),
    ],
)
def test_parse_reads_each_precision_and_circa(text, year, month, day, circa, precision):
    value = PartialDate.parse(text)
    assert (value.year, value.month, value.day, value.circa) == (year, month, day, circa)
    assert value.precision is precision
    assert value.isoformat() == text.strip()
    assert str(value) == text.strip()
    # What is written reads back as the same value.
    assert PartialDate.parse(value.isoformat()) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2018-13", "month 13 does not exist"),
        ("2018-00", "month 0 does not exist"),
        ("2018-02-30", "2018-02 has no day 30"),
        ("2019-02-29", "2019-02 has no day 29"),
        ("1900-02-29", "1900-02 has no day 29"),  # divisible by 100, not by 400: not leap
        ("2018-04-31", "2018-04 has no day 31"),
        ("2018-05-00", "2018-05 has no day 0"),
        ("0000", "year 0 is out of range"),
    ],
)
def test_impossible_dates_are_refused_with_what_is_wrong(text, message):
    with pytest.raises(PartialDateError) as error:
        PartialDate.parse(text)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "text", ["", "garbage", "May 2018", "18", "2018-5", "2018-05-3", "2018/05/03", "~2018", "2018?", "20180"]
)
def test_unreadable_text_is_refused_naming_the_expected_forms(text):
    with pytest.raises(PartialDateError) as error:
        PartialDate.parse(text)
    assert repr(text) in str(error.value)
    assert "YYYY-MM-DD" in str(error.value)


def test_partial_date_error_is_a_value_error():
    assert issubclass(PartialDateError, ValueError)


def test_leap_days_exist_in_leap_years_only():
    assert PartialDate.parse("2020-02-29").latest == dt.date(2020, 2, 29)
    assert PartialDate.parse("2000-02-29").earliest == dt.date(2000, 2, 29)


def test_a_day_needs_a_month():
    with pytest.raises(PartialDateError, match="a day without a month"):
        PartialDate(2018, None, 3)


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2018", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
        ("2018~", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
        ("2018-05", dt.date(2018, 5, 1), dt.date(2018, 5, 31)),
        ("2018-04", dt.date(2018, 4, 1), dt.date(2018, 4, 30)),
        ("2019-02", dt.date(2019, 2, 1), dt.date(2019, 2, 28)),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
        ("2018-05-03", dt.date(2018, 5, 3), dt.date(2018, 5, 3)),
    ],
)
def test_bounds_are_the_first_and_last_day_the_value_can_mean(text, earliest, latest):
    value = PartialDate.parse(text)
    assert value.earliest == earliest
    assert value.latest == latest


def test_coerce_accepts_what_callers_have():
    assert PartialDate.coerce(None) is None
    assert PartialDate.coerce("") is None
    assert PartialDate.coerce("2018-05") == PartialDate(2018, 5)
    assert PartialDate.coerce(dt.date(2018, 5, 3)) == PartialDate(2018, 5, 3)
    assert PartialDate.coerce(dt.datetime(2018, 5, 3, 23, 59)) == PartialDate(2018, 5, 3)
    value = PartialDate(2018)
    assert PartialDate.coerce(value) is value
    with pytest.raises(PartialDateError, match="cannot read a date from int"):
        PartialDate.coerce(2018)  # type: ignore[arg-type]


def test_circa_is_part_of_the_value():
    assert PartialDate.parse("2018~") != PartialDate.parse("2018")
    assert PartialDate.parse("2018~").circa


def _random_exact_values(rng: random.Random, count: int) -> list[PartialDate]:
    values = []
    for _ in range(count):
        year = rng.randint(1949, 2030)
        month = rng.choice([None, *range(1, 13)])
        day = None
        if month is not None and rng.random() < 0.6:
            day = rng.randint(1, 28)
        values.append(PartialDate(year, month, day))
    return values


def test_text_order_is_chronological_across_precisions():
    """Sorting the EDTF text (what the database does) orders by first possible day, and a year comes
    before its months, a month before its days."""
    values = _random_exact_values(random.Random(7), 2000)
    by_text = sorted(values, key=lambda v: v.isoformat())
    by_day = sorted(values, key=lambda v: (v.earliest, v.precision))
    assert [v.isoformat() for v in by_text] == [v.isoformat() for v in by_day]
    # The rich comparisons agree with the text.
    for a, b in itertools.pairwise(values):
        assert (a < b) == (a.isoformat() < b.isoformat())
        assert (a <= b) == (a.isoformat() <= b.isoformat())
        assert (a > b) == (a.isoformat() > b.isoformat())
        assert (a >= b) == (a.isoformat() >= b.isoformat())


def test_known_order_of_mixed_precisions():
    texts = ["2019", "2018-05-03", "2018", "2018-12-31", "2018-05", "2017-12-31", "2018-11"]
    ordered = sorted(PartialDate.parse(t) for t in texts)
    assert [v.isoformat() for v in ordered] == [
        "2017-12-31",
        "2018",
        "2018-05",
        "2018-05-03",
        "2018-11",
        "2018-12-31",
        "2019",
    ]


def test_circa_year_sorts_before_the_next_year():
    assert PartialDate.parse("2018~") < PartialDate.parse("2019")
    assert PartialDate.parse("2017-12-31") < PartialDate.parse("2018~")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2018, 1, 31), 1, dt.date(2018, 2, 28)),
        (dt.date(2020, 1, 31), 1, dt.date(2020, 2, 29)),
        (dt.date(2018, 3, 31), 1, dt.date(2018, 4, 30)),
        (dt.date(2018, 1, 15), 1, dt.date(2018, 2, 15)),
        (dt.date(2018, 11, 30), 2, dt.date(2019, 1, 30)),
        (dt.date(2018, 12, 31), 12, dt.date(2019, 12, 31)),
        (dt.date(2010, 3, 5), 132, dt.date(2021, 3, 5)),
        (dt.date(2018, 3, 31), -1, dt.date(2018, 2, 28)),
        (dt.date(2018, 1, 31), -2, dt.date(2017, 11, 30)),
        (dt.date(2018, 5, 3), 0, dt.date(2018, 5, 3)),
        (dt.date(2016, 2, 29), 12, dt.date(2017, 2, 28)),
    ],
)
def test_add_months_counts_calendar_months_and_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2010-05-03", "3 May 2010"),
        ("2010-05", "May 2010"),
        ("2010", "2010"),
        ("2010~", "c. 2010"),
        ("2010-12~", "c. Dec 2010"),
        ("2010-01-09~", "c. 9 Jan 2010"),
    ],
)
def test_display_for_people(text, shown):
    assert PartialDate.parse(text).display() == shown

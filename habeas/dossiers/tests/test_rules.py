"""Derived rules: expected release (terms, reductions, commutations, parole, partial dates), current
status, overdue; and the derived Person columns they fill."""

from __future__ import annotations

import datetime as dt

import pytest

from habeas.dossiers import services
from habeas.dossiers.models import NOT_HELD, Person
from habeas.dossiers.rules import (
    NOT_HELD_STATUSES,
    ChangeTerms,
    ReleaseWindow,
    current_status,
    expected_release,
    is_overdue,
)
from habeas.lib.dates import PartialDate

P = PartialDate.parse
D = dt.date


def release(kind="fixed", months=None, days=0, starts=None, changes=()):
    return expected_release(
        kind=kind,
        term_months=months,
        term_days=days,
        term_starts=P(starts) if starts else None,
        changes=list(changes),
    )


def change(kind, date, **terms) -> ChangeTerms:
    return ChangeTerms(kind=kind, date=P(date) if date else None, **terms)


# -- fixed terms -----------------------------------------------------------------------------------
def test_a_fixed_term_ends_the_day_before_the_anniversary():
    assert release(months=12, starts="2010-03-05") == ReleaseWindow(D(2011, 3, 4), D(2011, 3, 4))
    assert release(months=132, starts="2009-03-05") == ReleaseWindow(D(2020, 3, 4), D(2020, 3, 4))


def test_term_in_months_and_days():
    # 1 year 6 months and 15 days from 1 Jan 2010: 1 Jul 2011 + 15 days - 1.
    assert release(months=18, days=15, starts="2010-01-01").latest == D(2011, 7, 15)
    # Days only (e.g. 15 days of administrative detention counted as a term).
    assert release(months=None, days=15, starts="2010-01-01") == ReleaseWindow(D(2010, 1, 15), D(2010, 1, 15))


def test_month_end_start_clamps():
    # 31 Jan + 1 month is the end of February; the term ends the day before.
    assert release(months=1, starts="2019-01-31").latest == D(2019, 2, 27)
    assert release(months=1, starts="2020-01-31").latest == D(2020, 2, 28)


def test_a_partial_start_gives_a_window():
    month = release(months=132, starts="2009-03")
    assert month == ReleaseWindow(D(2020, 2, 29), D(2020, 3, 30))
    assert month.as_partial() == PartialDate(2020)
    year = release(months=132, starts="2009")
    assert year == ReleaseWindow(D(2019, 12, 31), D(2020, 12, 30))
    assert year.as_partial() == P("2020~")
    circa = release(months=60, starts="2009-03~")
    assert circa == ReleaseWindow(D(2014, 2, 28), D(2014, 3, 30))


def test_no_start_or_no_term_gives_no_date():
    assert release(months=132, starts=None) is None
    assert release(months=None, days=0, starts="2009-03-05") is None
    assert release(months=0, days=0, starts="2009-03-05") is None


@pytest.mark.parametrize("kind", ["life", "death", "death_reprieve"])
def test_life_and_death_sentences_have_no_release_date(kind):
    assert release(kind=kind, starts="2009-03-05") is None
    assert release(kind=kind, months=132, starts="2009-03-05") is None


def test_suspended_sentence_has_no_date_to_serve():
    assert release(kind="suspended", months=36, starts="2009-03-05") is None


# -- changes -----------------------------------------------------------------------------------------
def test_reductions_in_months_and_days_bring_the_end_forward():
    base = {"months": 132, "starts": "2009-03-05"}
    one_year = release(**base, changes=[change("reduction", "2015-06", months=12)])
    assert one_year.latest == D(2019, 3, 4)
    both = release(
        **base,
        changes=[change("reduction", "2015-06", months=12), change("reduction", "2017-01-10", days=10)],
    )
    assert both == ReleaseWindow(D(2019, 2, 22), D(2019, 2, 22))
    # The order they are listed in does not matter.
    assert (
        release(
            **base,
            changes=list(
                reversed(
                    [change("reduction", "2015-06", months=12), change("reduction", "2017-01-10", days=10)]
                )
            ),
        )
        == both
    )


def test_an_extension_pushes_the_end_back():
    window = release(
        months=12, starts="2010-03-05", changes=[change("extension", "2010-09", months=3, days=2)]
    )
    assert window.latest == D(2011, 6, 6)


def test_commutation_death_with_reprieve_to_life_to_fixed_counts_from_the_commutation():
    to_life = change("commutation", "2012-05-10", new_kind="life")
    to_fixed = change("commutation", "2016-01-20", new_kind="fixed", new_term_months=240)
    assert release(kind="death_reprieve", starts="2010-05-10", changes=[to_life]) is None
    window = release(kind="death_reprieve", starts="2010-05-10", changes=[to_life, to_fixed])
    assert window == ReleaseWindow(D(2036, 1, 19), D(2036, 1, 19))
    reduced = release(
        kind="death_reprieve",
        starts="2010-05-10",
        changes=[to_fixed, change("reduction", "2020-01", months=6), to_life],  # listed out of order
    )
    assert reduced.latest == D(2035, 7, 19)


def test_commutation_with_a_partial_date_gives_a_window():
    window = release(
        kind="life", changes=[change("commutation", "2016-01", new_kind="fixed", new_term_months=240)]
    )
    assert window == ReleaseWindow(D(2035, 12, 31), D(2036, 1, 30))


def test_commutation_of_a_fixed_term_to_life_removes_the_date():
    assert (
        release(months=132, starts="2009-03-05", changes=[change("commutation", "2010", new_kind="life")])
        is None
    )


def test_reduction_of_a_life_sentence_without_commutation_gives_no_date():
    assert release(kind="life", starts="2009-03-05", changes=[change("reduction", "2012", months=24)]) is None


@pytest.mark.parametrize("kind", ["parole", "medical_parole"])
def test_parole_brings_the_expected_release_forward_to_the_parole_date(kind):
    """DOMAIN.md: reductions, parole and medical parole change the expected release date. Liu Xiaobo:
    11 years from 8 Dec 2008, released on medical parole in late June 2017."""
    window = release(months=132, starts="2008-12-08", changes=[change(kind, "2017-06-26")])
    assert window == ReleaseWindow(D(2017, 6, 26), D(2017, 6, 26))
    partial = release(months=132, starts="2008-12-08", changes=[change(kind, "2017-06")])
    assert partial == ReleaseWindow(D(2017, 6, 1), D(2017, 6, 30))


def test_medical_parole_of_a_life_sentence_gives_a_release_date():
    window = release(kind="life", starts="2005", changes=[change("medical_parole", "2019-03-02")])
    assert window == ReleaseWindow(D(2019, 3, 2), D(2019, 3, 2))


def test_undated_parole_changes_nothing():
    plain = release(months=132, starts="2008-12-08")
    assert release(months=132, starts="2008-12-08", changes=[change("medical_parole", None)]) == plain


def test_parole_after_the_term_ended_changes_nothing():
    plain = release(months=12, starts="2010-03-05")
    assert release(months=12, starts="2010-03-05", changes=[change("parole", "2012-01-01")]) == plain


# -- release windows as partial dates ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("earliest", "latest", "partial"),
    [
        (D(2020, 3, 4), D(2020, 3, 4), "2020-03-04"),
        (D(2020, 3, 1), D(2020, 3, 31), "2020-03"),
        (D(2020, 2, 29), D(2020, 3, 30), "2020"),
        (D(2019, 12, 31), D(2020, 12, 30), "2020~"),
        (D(2019, 1, 1), D(2019, 12, 31), "2019"),
    ],
)
def test_window_as_partial_date(earliest, latest, partial):
    assert ReleaseWindow(earliest, latest).as_partial() == P(partial)


# -- current status --------------------------------------------------------------------------------
def test_current_status_is_the_latest_by_date_whatever_the_entry_order():
    statuses = [(P("2020-01-05"), 1, "released"), (P("2018-05"), 2, "detained")]
    assert current_status(statuses) == ("released", P("2020-01-05"))


def test_current_status_ties_on_date_go_to_the_later_entry():
    statuses = [(P("2018-05-03"), 7, "released"), (P("2018-05-03"), 3, "detained")]
    assert current_status(statuses) == ("released", P("2018-05-03"))
    assert current_status(list(reversed(statuses))) == ("released", P("2018-05-03"))


def test_undated_status_is_older_than_any_dated_one():
    statuses = [(None, 9, "disappeared"), (P("2018"), 1, "detained")]
    assert current_status(statuses) == ("detained", P("2018"))
    assert current_status([(None, 1, "detained"), (None, 2, "released")]) == ("released", None)


def test_a_more_precise_date_within_a_year_counts_as_later():
    statuses = [(P("2018-05"), 1, "released"), (P("2018"), 2, "detained")]
    assert current_status(statuses) == ("released", P("2018-05"))


def test_no_status():
    assert current_status([]) == ("", None)


# -- overdue -----------------------------------------------------------------------------------------
TODAY = D(2024, 6, 1)


@pytest.mark.parametrize(
    ("latest", "status", "overdue"),
    [
        (D(2024, 5, 31), "detained", True),
        (D(2024, 5, 31), "", True),  # no status at all: no release recorded either
        (D(2024, 5, 31), "disappeared", True),
        (D(2024, 5, 31), "unknown", True),
        (D(2024, 5, 31), "house_arrest", True),
        (D(2024, 5, 31), "released", False),
        (D(2024, 5, 31), "deceased", False),
        (D(2024, 5, 31), "escaped", False),
        (D(2024, 6, 1), "detained", False),  # the last day is today: not yet
        (D(2030, 1, 1), "detained", False),
        (None, "detained", False),
    ],
)
def test_is_overdue(latest, status, overdue):
    assert is_overdue(expected_latest=latest, status=status, today=TODAY) is overdue


def test_not_held_statuses_agree_with_the_model():
    assert set(NOT_HELD_STATUSES) == {str(s) for s in NOT_HELD}


# -- the derived columns on Person -------------------------------------------------------------------
@pytest.fixture
def person(researcher) -> Person:
    return services.person_create(names=["Liu Mingde", "刘明德"], unsourced=True, by=researcher)


def _fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


@pytest.mark.django_db
def test_time_served_before_sentencing_counts_from_the_detention_start(person, researcher):
    detention = services.detention_record(person=person, started="2009-03-05", unsourced=True, by=researcher)
    services.sentence_record(
        detention=detention,
        kind="fixed",
        term_months=132,
        pronounced="2010-02-11",
        unsourced=True,
        by=researcher,
    )
    row = _fresh(person)
    assert (row.expected_release_earliest, row.expected_release_latest) == (D(2020, 3, 4), D(2020, 3, 4))
    assert row.expected_release == P("2020-03-04")


@pytest.mark.django_db
def test_term_starts_overrides_the_detention_start(person, researcher):
    detention = services.detention_record(person=person, started="2009-03-05", unsourced=True, by=researcher)
    services.sentence_record(
        detention=detention, term_months=12, term_starts="2010-02-11", unsourced=True, by=researcher
    )
    assert _fresh(person).expected_release_latest == D(2011, 2, 10)


@pytest.mark.django_db
def test_partial_detention_start_gives_a_window_on_the_person(person, researcher):
    detention = services.detention_record(person=person, started="2009-03", unsourced=True, by=researcher)
    services.sentence_record(detention=detention, term_months=132, unsourced=True, by=researcher)
    row = _fresh(person)
    assert (row.expected_release_earliest, row.expected_release_latest) == (D(2020, 2, 29), D(2020, 3, 30))
    assert row.expected_release == P("2020")


@pytest.mark.django_db
def test_the_last_sentence_of_the_latest_detention_is_the_one_that_counts(person, researcher):
    first = services.detention_record(person=person, started="2001-06-04", unsourced=True, by=researcher)
    services.sentence_record(detention=first, term_months=36, unsourced=True, by=researcher)
    second = services.detention_record(person=person, started="2010-01-01", unsourced=True, by=researcher)
    trial = services.sentence_record(
        detention=second, term_months=120, pronounced="2011-01", unsourced=True, by=researcher
    )
    assert _fresh(person).expected_release_latest == D(2019, 12, 31)
    # The appeal ruling (pronounced later) replaces the first-instance sentence.
    services.sentence_record(
        detention=second, term_months=96, pronounced="2011-06", unsourced=True, by=researcher
    )
    assert _fresh(person).expected_release_latest == D(2017, 12, 31)
    services.sentence_change_record(
        sentence=trial, kind="reduction", date="2012", months=60, unsourced=True, by=researcher
    )
    assert _fresh(person).expected_release_latest == D(2017, 12, 31)  # reduced the superseded sentence only


@pytest.mark.django_db
def test_sentence_changes_refresh_the_person(person, researcher):
    detention = services.detention_record(person=person, started="2010-05-10", unsourced=True, by=researcher)
    sentence = services.sentence_record(
        detention=detention, kind="death_reprieve", unsourced=True, by=researcher
    )
    assert _fresh(person).expected_release is None
    services.sentence_change_record(
        sentence=sentence,
        kind="commutation",
        date="2012-05-10",
        new_kind="life",
        unsourced=True,
        by=researcher,
    )
    assert _fresh(person).expected_release is None
    services.sentence_change_record(
        sentence=sentence,
        kind="commutation",
        date="2016-01-20",
        new_kind="fixed",
        new_term_months=240,
        unsourced=True,
        by=researcher,
    )
    assert _fresh(person).expected_release_latest == D(2036, 1, 19)
    services.sentence_change_record(
        sentence=sentence, kind="medical_parole", date="2021-02-03", unsourced=True, by=researcher
    )
    assert _fresh(person).expected_release == P("2021-02-03")


@pytest.mark.django_db
def test_overdue_query_on_derived_columns(person, researcher):
    """Expected release passed and no release recorded: overdue; released or dead: not."""
    detention = services.detention_record(person=person, started="2009-03-05", unsourced=True, by=researcher)
    services.sentence_record(detention=detention, term_months=132, unsourced=True, by=researcher)
    services.status_record(person=person, status="detained", date="2009-03-05", unsourced=True, by=researcher)

    def overdue_ids():
        return set(
            Person.objects.filter(expected_release_latest__lt=TODAY)
            .exclude(current_status__in=NOT_HELD)
            .values_list("pk", flat=True)
        )

    assert overdue_ids() == {person.pk}
    row = _fresh(person)
    assert is_overdue(expected_latest=row.expected_release_latest, status=row.current_status, today=TODAY)
    services.status_record(person=person, status="released", date="2020-03-04", unsourced=True, by=researcher)
    assert overdue_ids() == set()
    assert _fresh(person).current_status == "released"
    # A later report that he is held again puts him back on the list.
    services.status_record(person=person, status="disappeared", date="2020-04", unsourced=True, by=researcher)
    assert overdue_ids() == {person.pk}
    services.status_record(person=person, status="deceased", date="2021", unsourced=True, by=researcher)
    assert overdue_ids() == set()


@pytest.mark.django_db
def test_current_status_on_the_person_follows_dates_not_entry_order(person, researcher):
    services.status_record(person=person, status="released", date="2015-07", unsourced=True, by=researcher)
    services.status_record(person=person, status="detained", date="2009-03-05", unsourced=True, by=researcher)
    services.status_record(person=person, status="disappeared", unsourced=True, by=researcher)  # undated
    row = _fresh(person)
    assert (row.current_status, row.status_date) == ("released", P("2015-07"))


@pytest.mark.django_db
def test_display_name_prefers_a_latin_main_name(researcher):
    person = services.person_create(names=["刘明德", "Liu Mingde"], unsourced=True, by=researcher)
    assert person.display_name == "刘明德"  # only the first name is main
    services.name_add(person=person, text="Liu Mingde", kind="main", unsourced=True, by=researcher)
    assert _fresh(person).display_name == "Liu Mingde"

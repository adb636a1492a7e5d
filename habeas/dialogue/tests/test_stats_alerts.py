"""Statistics and alerts: the published figures' definitions, counted from what the reader may see."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from habeas.accounts.models import Confidentiality
from habeas.dialogue import services
from habeas.dialogue.alerts import dialogue_alerts
from habeas.dialogue.stats import dialogue_stats, stats_text
from habeas.dialogue.tests.conftest import SECRET_NAME, detain, person

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 23)


@pytest.fixture
def answered(world, researcher):
    """A second list to another interlocutor in 2025; answers on Liu (twice) and Tashi; one outcome."""
    court = services.interlocutor_create(
        name="Tibet Higher People's Court", kind="court", country="CN", by=researcher, confidentiality=0
    )
    older = services.list_create(title="2025 list", interlocutor=court, by=researcher, confidentiality=0)
    services.entry_add(prisoner_list=older, person=world.tashi, requests=["commutation"], by=researcher)
    services.entry_add(prisoner_list=older, person=world.liu, requests=["release"], by=researcher)
    services.list_hand_over(prisoner_list=older, handed_over="2025-04-01", by=researcher)
    tashi = older.entries.get(person=world.tashi)
    services.response_record(
        entry=tashi, type="information_provided", received="2025-05-01", text="Held.", by=researcher
    )
    liu = world.handed.entries.get(person=world.liu)
    services.response_record(entry=liu, type="no_response", received="2026-05-01", by=researcher)
    first = services.response_record(
        entry=liu, type="favourable_result", received="2026-03-21", text="Yes.", by=researcher
    )
    services.response_record(
        entry=liu, type="token_response", received="2026-04-30", text="Later.", by=researcher
    )
    services.outcome_record(
        person=world.liu,
        kind="family_visit",
        date="2026-06-02",
        entries=[liu],
        responses=[first],
        unsourced=True,
        by=researcher,
    )
    services.outcome_record(
        person=world.tashi, kind="commutation", date="2026-01", unsourced=True, by=researcher
    )
    return court


def test_stats_follow_the_published_definitions(world, researcher, answered):
    stats = dialogue_stats(researcher)
    assert (stats.lists_handed, stats.lists_draft) == (2, 0)
    assert (stats.entries_asked, stats.persons_asked) == (4, 3)
    assert (stats.entries_answered, stats.persons_answered) == (2, 2)  # silence is not an answer
    assert stats.responses_received == 3
    assert stats.response_rate == 0.5
    assert (stats.outcomes, stats.persons_with_outcomes) == (2, 2)
    # 2025-04-01 -> 2025-05-01 is 30 days; 2026-03-01 -> 2026-03-21 (the first answer) 20 days.
    assert stats.median_days_to_response == 25.0
    years = {r.year: r for r in stats.by_year}
    assert (years[2025].lists_handed, years[2025].asked, years[2025].answered) == (1, 2, 1)
    assert (years[2026].lists_handed, years[2026].asked, years[2026].answered, years[2026].outcomes) == (
        1,
        2,
        1,
        2,
    )
    partners = {r.name: r for r in stats.by_interlocutor}
    assert partners["Ministry of Justice"].rate == 0.5
    assert partners["Tibet Higher People's Court"].median_days == 30.0
    assert [(r.name, r.year, r.asked) for r in stats.by_interlocutor_year] == [
        ("Ministry of Justice", 2026, 2),
        ("Tibet Higher People's Court", 2025, 2),
    ]
    assert dict((v, n) for v, _l, n in stats.responses_by_type)["no_response"] == 1
    json.dumps(stats.as_dict())  # JSON-ready
    assert "Lists handed over: 2" in stats_text(stats)


def test_stats_count_only_what_the_reader_may_see(world, researcher, admin_user, answered):
    hidden = world.handed.entries.get(person=world.hidden)
    services.response_record(entry=hidden, type="denied_facts", text="No.", received="2026-04", by=researcher)
    services.outcome_record(person=world.hidden, kind="release", unsourced=True, by=researcher)
    admin_user.clearance = Confidentiality.PUBLIC
    admin_user.save()
    stats = dialogue_stats(admin_user)
    assert (stats.entries_asked, stats.persons_asked, stats.entries_answered) == (3, 2, 2)
    assert stats.outcomes == 2
    assert "denied_facts" not in [v for v, _l, _n in stats.responses_by_type]
    assert SECRET_NAME not in json.dumps(stats.as_dict())


def test_stats_with_nothing(researcher):
    stats = dialogue_stats(researcher)
    assert stats.response_rate is None and stats.median_days_to_response is None and stats.by_year == []


# -- alerts ----------------------------------------------------------------------------------------
def test_alerts(world, researcher):
    soon = person(researcher, ["Chen Wei", "陈伟"])
    detain(researcher, soon, started="2016-12-10", kind="fixed", term_months=120, term_starts="2016-12-10")
    alerts = dialogue_alerts(researcher, days=30, list_days=90, on=ON)
    assert [a.person_id for a in alerts.releases_due] == [soon.pk]
    assert alerts.releases_due[0].text == "Chen Wei: release expected 9 Dec 2026"
    assert [a.person_id for a in alerts.overdue] == [world.liu.pk]
    assert [a.list_id for a in alerts.unanswered_lists] == [world.handed.pk]
    # Chen Wei detained 10 Dec: not this week. Nobody else has a day-precise start this week.
    assert alerts.anniversaries == []
    week = dialogue_alerts(researcher, on=dt.date(2026, 12, 5))
    assert [a.text for a in week.anniversaries] == ["Chen Wei: 10 years in detention on 10 Dec 2026"]
    text = alerts.as_text()
    assert "Expected release within 30 days (1):" in text and "no response yet" in text
    assert json.loads(json.dumps(alerts.as_dict()))["overdue"][0]["person_id"] == world.liu.pk


def test_a_recorded_reduction_brings_a_release_into_the_window(world, researcher):
    services.outcome_record(
        person=world.tashi,
        kind="sentence_reduction",
        date="2026-10",
        new_expected_release="2026-12-01",
        unsourced=True,
        by=researcher,
    )
    (due,) = dialogue_alerts(researcher, days=30, on=ON).releases_due
    assert due.person_id == world.tashi.pk
    assert due.text == "Tashi Dorje: release expected 1 Dec 2026 (after the sentence reduction)"
    assert dialogue_alerts(researcher, days=3, on=ON).releases_due == []


def test_an_answer_clears_the_unanswered_list_alert(world, researcher):
    liu = world.handed.entries.get(person=world.liu)
    services.response_record(entry=liu, type="no_response", by=researcher)
    assert dialogue_alerts(researcher, on=ON).unanswered_lists
    services.response_record(entry=liu, type="token_response", text="Noted.", by=researcher)
    assert dialogue_alerts(researcher, on=ON).unanswered_lists == []


def test_alerts_hide_what_the_reader_may_not_see(world, researcher, admin_user):
    detain(researcher, world.hidden, started="2016-11-25")
    assert any(a.person_id == world.hidden.pk for a in dialogue_alerts(researcher, on=ON).anniversaries)
    admin_user.clearance = Confidentiality.PUBLIC
    admin_user.save()
    alerts = dialogue_alerts(admin_user, on=ON)
    assert SECRET_NAME not in json.dumps(alerts.as_dict())


def test_alerts_are_empty_when_nothing_is_due(researcher):
    alerts = dialogue_alerts(researcher, on=ON)
    assert alerts.empty and alerts.as_text() == ""

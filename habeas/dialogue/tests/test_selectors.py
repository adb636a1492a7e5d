"""Dialogue reads: nothing above clearance, a fixed number of queries, and the selection helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from habeas.accounts.models import Confidentiality
from habeas.dialogue import selectors, services
from habeas.dialogue.models import PrisonerList
from habeas.dialogue.tests.conftest import SECRET_HANZI, SECRET_NAME, detain, person
from habeas.dossiers import services as dossiers

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 23)


def public_reader(user):
    user.clearance = Confidentiality.PUBLIC
    user.save()
    return user


def test_list_detail_leaves_out_entries_above_clearance(world, researcher, admin_user):
    full = selectors.prisoner_list_detail(researcher, world.handed.pk)
    assert [v.person.latin for v in full.entries] == ["Liu Mingde", SECRET_NAME]
    public = selectors.prisoner_list_detail(public_reader(admin_user), world.handed.pk)
    assert [v.person.latin for v in public.entries] == ["Liu Mingde"]
    line = public.entries[0].person
    assert (line.han, line.place) == ("刘明德", "Chishui Prison")
    assert line.sentence.startswith("11 y")
    assert public.entries[0].requests == ["release", "family visit"]


def test_list_counts_only_visible_entries(world, researcher, admin_user):
    liu = world.handed.entries.get(person=world.liu)
    hidden = world.handed.entries.get(person=world.hidden)
    services.response_record(entry=hidden, type="denied_facts", text="No such person.", by=researcher)
    page = selectors.prisoner_list_list(researcher)
    row = next(r for r in page.object_list if r.pk == world.handed.pk)
    assert (row.entry_count, row.answered_count) == (2, 1)
    services.response_record(entry=liu, type="no_response", by=researcher)
    page = selectors.prisoner_list_list(public_reader(admin_user))
    row = next(r for r in page.object_list if r.pk == world.handed.pk)
    assert (row.entry_count, row.answered_count) == (1, 0)


def test_a_list_above_clearance_does_not_exist_for_the_reader(world, researcher, viewer):
    hidden = services.list_create(
        title="Restricted",
        interlocutor=world.interlocutor,
        by=researcher,
        confidentiality=Confidentiality.RESTRICTED,
    )
    with pytest.raises(PrisonerList.DoesNotExist):
        selectors.prisoner_list_detail(viewer, hidden.pk)
    assert hidden.pk not in [r.pk for r in selectors.prisoner_list_list(viewer).object_list]


def test_list_detail_costs_a_fixed_number_of_queries(world, researcher, django_assert_max_num_queries):
    new = services.list_create(title="Long", interlocutor=world.interlocutor, by=researcher)
    for n in range(12):
        someone = person(researcher, [f"Person {n}", f"人{n}"])
        detain(researcher, someone, started="2020-01-01", kind="fixed", term_months=60)
        services.entry_add(prisoner_list=new, person=someone, requests=["release"], by=researcher)
    with django_assert_max_num_queries(12):
        detail = selectors.prisoner_list_detail(researcher, new.pk)
        assert len(detail.entries) == 12
        assert all(v.person.sentence for v in detail.entries)


def test_person_lines_hide_a_restricted_name_of_a_public_person(world, researcher, admin_user):
    dossiers.name_add(
        person=world.liu,
        text="刘秘名",
        kind="alias",
        confidentiality=Confidentiality.RESTRICTED,
        unsourced=True,
        by=researcher,
    )
    lines = selectors.person_lines(public_reader(admin_user), [world.liu.pk, world.hidden.pk])
    assert set(lines) == {world.liu.pk}
    assert "刘秘名" not in repr(lines)


# -- selection helpers -----------------------------------------------------------------------------
def test_overdue_suggests_persons_held_past_their_release(world, researcher):
    found = selectors.suggest_overdue(researcher, on=ON)
    assert [s.person.id for s in found] == [world.liu.pk]
    assert found[0].detail == "expected 4 Mar 2026"
    assert found[0].last_asked is not None and found[0].last_asked.isoformat() == "2026-03-01"


def test_at_risk_death_sentences_disappearance_and_health_with_a_long_sentence(world, researcher):
    gone = person(researcher, ["Gulnar Ablet"])
    dossiers.status_record(person=gone, status="disappeared", date="2021-05", unsourced=True, by=researcher)
    ill = person(researcher, ["Wang Qiang", "王强"])
    detain(researcher, ill, started="2020-01-01", kind="fixed", term_months=180, term_starts="2020-01-01")
    dossiers.health_note_record(person=ill, condition="heart disease", unsourced=True, by=researcher)
    well = person(researcher, ["Zhao Ming"])
    detain(researcher, well, started="2020-01-01", kind="fixed", term_months=180, term_starts="2020-01-01")
    found = {s.person.id: s for s in selectors.suggest_at_risk(researcher, on=ON)}
    assert found[world.tashi.pk].reason == "death sentence"
    assert found[gone.pk].reason == "disappearance"
    assert (found[ill.pk].reason, found[ill.pk].detail) == (
        "poor health and a long sentence left",
        "heart disease",
    )
    assert well.pk not in found and world.liu.pk not in found


def test_never_asked_leaves_out_persons_on_a_handed_over_list(world, researcher, admin_user):
    found = {s.person.id for s in selectors.suggest_never_asked(researcher)}
    assert found == {world.tashi.pk}
    # The restricted entry is invisible to a public reader, and so is its person: nothing leaks.
    public = {s.person.id for s in selectors.suggest_never_asked(public_reader(admin_user))}
    assert public == {world.tashi.pk}


def test_unanswered_after_n_months(world, researcher):
    assert {s.person.id for s in selectors.suggest_unanswered(researcher, months=6, on=ON)} == {
        world.liu.pk,
        world.hidden.pk,
    }
    assert selectors.suggest_unanswered(researcher, months=12, on=ON) == []
    liu = world.handed.entries.get(person=world.liu)
    services.response_record(entry=liu, type="no_response", by=researcher)  # silence is no answer
    assert world.liu.pk in {s.person.id for s in selectors.suggest_unanswered(researcher, months=6, on=ON)}
    services.response_record(entry=liu, type="token_response", text="We will look into it.", by=researcher)
    assert {s.person.id for s in selectors.suggest_unanswered(researcher, months=6, on=ON)} == {
        world.hidden.pk
    }


def test_suggestions_dispatch(world, researcher):
    assert selectors.suggestions(researcher, "overdue", on=ON)[0].person.id == world.liu.pk
    with pytest.raises(ValueError, match="unknown suggestion kind"):
        selectors.suggestions(researcher, "everyone")


def test_person_dialogue_and_outcomes(world, researcher, admin_user):
    entry = world.handed.entries.get(person=world.liu)
    services.outcome_record(
        person=world.liu, kind="family_visit", date="2026-07", entries=[entry], unsourced=True, by=researcher
    )
    mine = selectors.person_dialogue(researcher, world.liu.pk)
    assert [pl.pk for pl, _v in mine.entries] == [world.handed.pk]
    assert mine.entries[0][1].outcomes[0].kind == "family_visit"
    assert [o.kind for o in mine.outcomes] == ["family_visit"]
    page = selectors.outcome_list(researcher)
    assert page.object_list[0].person_line.han == "刘明德"
    assert SECRET_HANZI not in repr(selectors.person_dialogue(public_reader(admin_user), world.hidden.pk))


def test_a_release_outcome_ends_the_overdue_suggestion(world, researcher):
    services.outcome_record(person=world.liu, kind="release", date="2024", unsourced=True, by=researcher)
    # Dated after the current status (detained 2015-03-05): the dialogue knows Liu is free.
    assert selectors.suggest_overdue(researcher, on=ON) == []


def test_an_old_release_outcome_does_not_hide_a_new_detention(world, researcher):
    services.outcome_record(person=world.liu, kind="release", date="2010-05", unsourced=True, by=researcher)
    assert [s.person.id for s in selectors.suggest_overdue(researcher, on=ON)] == [world.liu.pk]


def test_list_of_lists_costs_a_fixed_number_of_queries(world, researcher, django_assert_max_num_queries):
    for n in range(8):
        new = services.list_create(title=f"List {n}", interlocutor=world.interlocutor, by=researcher)
        services.entry_add(prisoner_list=new, person=world.tashi, requests=["release"], by=researcher)
    with django_assert_max_num_queries(3):
        page = selectors.prisoner_list_list(researcher)
        rows = list(page.object_list)
        assert len(rows) == 9 and all(r.interlocutor.name for r in rows)
        assert sorted(r.entry_count for r in rows) == [1] * 8 + [2]

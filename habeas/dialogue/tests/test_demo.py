"""The demo dialogue: made once on top of the demo dossiers, through the services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from habeas.dialogue.models import Interlocutor, Outcome, PrisonerList, Response
from habeas.dialogue.stats import dialogue_stats

pytestmark = pytest.mark.django_db


def test_demo_with_users_adds_the_dialogue_once(monkeypatch, researcher):
    monkeypatch.setenv("HABEAS_DEMO_PASSWORD", "a long demo password 42")
    researcher.username = "researcher"
    researcher.save()
    out = io.StringIO()
    call_command("demo", persons=60, with_users=True, no_progress=True, stdout=out)
    assert "Demo dialogue: 3 interlocutors" in out.getvalue()
    assert (Interlocutor.objects.count(), PrisonerList.objects.count()) == (3, 3)
    assert (Response.objects.count(), Outcome.objects.count()) == (5, 2)
    stats = dialogue_stats(researcher)
    assert (stats.lists_handed, stats.persons_asked, stats.outcomes) == (2, 10, 2)
    again = io.StringIO()
    call_command("demo", persons=0, with_users=True, no_progress=True, stdout=again)
    assert "Demo dialogue" not in again.getvalue() and PrisonerList.objects.count() == 3


def test_demo_without_enough_persons_makes_no_dialogue(monkeypatch):
    monkeypatch.setenv("HABEAS_DEMO_PASSWORD", "a long demo password 42")
    call_command("demo", persons=0, with_users=True, stdout=io.StringIO())
    assert not Interlocutor.objects.exists()

"""The dossier page shows the lists a person was named on, the answers and the clemency that followed,
within the reader's clearance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from habeas.dialogue import services
from habeas.dialogue.models import ListEntry
from habeas.dialogue.selectors import person_dialogue
from habeas.dialogue.tests.conftest import SECRET_LIST_NOTE, SECRET_NOTE, SECRET_SUMMARY
from habeas.lib.dates import PartialDate

pytestmark = pytest.mark.django_db


def test_the_dossier_shows_lists_answers_and_outcomes(client, world, researcher, viewer) -> None:
    entry = ListEntry.objects.get(prisoner_list=world.handed, person=world.liu)
    services.response_record(
        entry=entry,
        type="information_provided",
        received="2026-05-02",
        text="Liu Mingde is serving his sentence at Chishui Prison and is in good health.",
        by=researcher,
    )
    services.outcome_record(
        person=world.liu,
        kind="sentence_reduction",
        date="2026-09-01",
        new_expected_release="2025-09-05",
        unsourced=True,
        entries=[entry],
        by=researcher,
    )
    client.force_login(viewer)
    html = client.get(reverse("web:person_detail", args=[world.liu.pk])).content.decode()
    assert reverse("web:dialogue_list", args=[world.handed.pk]) in html
    handed_over = PartialDate.coerce("2026-03-01")
    assert handed_over is not None and "Dialogue round list 2026" in html and handed_over.display() in html
    assert "Information provided" in html or "information provided" in html
    new_release = PartialDate.coerce("2025-09-05")
    assert new_release is not None and new_release.display() in html  # the reduction's new release date
    for secret in (SECRET_NOTE, SECRET_LIST_NOTE, SECRET_SUMMARY):
        assert secret not in html


def test_a_person_never_named_on_a_list_has_no_dialogue_section(client, world, viewer) -> None:
    client.force_login(viewer)
    html = client.get(reverse("web:person_detail", args=[world.tashi.pk])).content.decode()
    assert 'class="dialogue"' not in html


def test_a_person_on_no_list_costs_the_dossier_two_queries(world, viewer, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):  # the entries (none) and the outcomes
        dialogue = person_dialogue(viewer, world.tashi.pk)
    assert dialogue.entries == [] and dialogue.outcomes == []

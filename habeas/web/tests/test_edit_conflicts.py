"""Two users edit the same record: the second save is refused with a clear message, the form comes back
with the second user's input kept and the values saved meanwhile shown beside it; nothing of either is
lost, and saving again (having seen both) goes through."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers import services
from habeas.dossiers.models import Detention, HealthNote, Person

pytestmark = pytest.mark.django_db
INTERNAL = Confidentiality.INTERNAL


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_in(page: str) -> str:
    match = re.search(r'name="version" value="([^"]*)"', page)
    assert match, "the edit form carries the version it began from"
    return match.group(1)


@pytest.fixture
def person(researcher) -> Person:
    return services.person_create(names=["Sun Li"], unsourced=True, by=researcher, confidentiality=INTERNAL)


@pytest.fixture
def detention(person, researcher) -> Detention:
    return services.detention_record(
        person=person, started="2014", measure="criminal_detention", unsourced=True, by=researcher
    )


def test_second_save_of_a_fact_is_refused_and_both_inputs_survive(researcher, admin_user, detention):
    url = reverse("web:fact_edit", args=["detention", detention.pk])
    first, second = signed_in(researcher), signed_in(admin_user)
    first_version = version_in(first.get(url).content.decode())
    second_version = version_in(second.get(url).content.decode())
    assert first_version == second_version

    saved = first.post(
        url,
        {
            "version": first_version,
            "started": "2014-03",
            "measure": "rsdl",
            "notes": "Rita's note",
            "confidentiality": 1,
        },
    )
    assert saved.status_code == 302

    typed = {
        "version": second_version,
        "started": "2014-05",
        "measure": "formal_arrest",
        "notes": "Ada's long note, typed for ten minutes",
        "confidentiality": 1,
    }
    refused = second.post(url, typed)
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Not saved: someone else changed this record while you were editing it." in page
    # The second user's input is in the fields...
    assert 'value="2014-05"' in page and "Ada&#x27;s long note, typed for ten minutes" in page
    assert '<option value="formal_arrest" selected>' in page
    # ...and the first user's saved values beside them, by label.
    assert re.search(r"Saved now: <strong>2014-03</strong>", page)
    assert re.search(r"Saved now: <strong>residential surveillance at a designated location</strong>", page)
    assert re.search(r"Saved now: <strong>Rita&#x27;s note</strong>", page)
    # The first save stands.
    kept = Detention.objects.get(pk=detention.pk)
    assert (kept.started.isoformat(), kept.measure, kept.notes) == ("2014-03", "rsdl", "Rita's note")

    # The form now carries the version saved by the first user: saving again is a deliberate overwrite.
    new_version = version_in(page)
    assert new_version == services.fact_version(kept) != first_version
    again = second.post(url, {**typed, "version": new_version})
    assert again.status_code == 302
    assert Detention.objects.get(pk=detention.pk).notes == "Ada's long note, typed for ten minutes"
    # Both saves are in the history, each under its author.
    rows = History.objects.filter(
        object_id=detention.pk, content_type__model="detention", action="update"
    ).order_by("id")
    assert [(r.user, r.changes["notes"][1]) for r in rows] == [
        (researcher, "Rita's note"),
        (admin_user, "Ada's long note, typed for ten minutes"),
    ]


def test_second_save_of_a_person_is_refused_with_the_input_kept(researcher, admin_user, person):
    url = reverse("web:person_edit", args=[person.pk])
    first, second = signed_in(researcher), signed_in(admin_user)
    version = version_in(first.get(url).content.decode())
    assert (
        first.post(url, {"version": version, "occupation": "teacher", "confidentiality": 1}).status_code
        == 302
    )
    refused = second.post(
        url, {"version": version, "occupation": "engineer", "religion": "Buddhist", "confidentiality": 1}
    )
    page = refused.content.decode()
    assert refused.status_code == 409 and "was changed by someone else" in page
    assert 'value="engineer"' in page and 'value="Buddhist"' in page
    assert "Saved now: <strong>teacher</strong>" in page
    saved = Person.objects.get(pk=person.pk)
    assert (saved.occupation, saved.religion) == ("teacher", "")
    assert version_in(page) == str(saved.version)


def test_a_fact_removed_meanwhile_sends_the_editor_back_with_a_message(researcher, admin_user, person):
    note = services.health_note_record(person=person, condition="cough", unsourced=True, by=researcher)
    url = reverse("web:fact_edit", args=["health", note.pk])
    client = signed_in(admin_user)
    version = version_in(client.get(url).content.decode())
    services.fact_remove(fact=note, version=version, by=researcher)
    response = client.post(url, {"version": version, "condition": "flu", "confidentiality": 1})
    # The fact is gone, so its edit page is too (404); nothing was written back.
    assert response.status_code == 404 and not HealthNote.objects.exists()


def test_removing_after_someone_edited_is_refused_and_shows_the_new_values(researcher, admin_user, person):
    note = services.health_note_record(person=person, condition="cough", unsourced=True, by=researcher)
    url = reverse("web:fact_remove", args=["health", note.pk])
    client = signed_in(admin_user)
    version = version_in(client.get(url).content.decode())
    services.fact_update(fact=note, version=version, by=researcher, condition="pneumonia")
    response = client.post(url, {"version": version})
    page = response.content.decode()
    assert response.status_code == 409 and "changed by someone else" in page
    assert "pneumonia" in page  # the values saved now are what a second "Remove" would remove
    assert HealthNote.objects.get(pk=note.pk).condition == "pneumonia"
    assert version_in(page) == services.fact_version(HealthNote.objects.get(pk=note.pk))


def test_a_missing_version_is_never_taken_as_an_overwrite(researcher, detention):
    response = signed_in(researcher).post(
        reverse("web:fact_edit", args=["detention", detention.pk]), {"measure": "rsdl", "confidentiality": 1}
    )
    assert response.status_code == 409
    assert Detention.objects.get(pk=detention.pk).measure == "criminal_detention"


def test_a_form_shown_again_after_a_post_does_not_take_back_an_older_draft(researcher, detention):
    """web/edit.js restores a draft only into a form shown by GET; one shown again (conflict, errors)
    already holds what the user typed, and the draft follows it instead."""
    url = reverse("web:fact_edit", args=["detention", detention.pk])
    client = signed_in(researcher)
    assert 'data-draft-restore="1"' in client.get(url).content.decode()
    again = client.post(url, {"version": "stale", "measure": "rsdl", "confidentiality": 1}).content.decode()
    assert f'data-draft="{url}"' in again and "data-draft-restore" not in again

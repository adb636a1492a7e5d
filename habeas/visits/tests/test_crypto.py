"""Notes are encrypted at rest; a missing or wrong key is a clear error naming the setting."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from habeas.accounts.models import Confidentiality
from habeas.visits import crypto, services
from habeas.visits.models import Interview, NotesRead

SECRET = "He said the guards beat him in the cellar on 4 May; Qzxvnotesmarker"


def test_round_trip():
    token = crypto.encrypt(SECRET)
    assert token != SECRET and SECRET not in token
    assert crypto.decrypt(token) == SECRET


def test_empty_notes_stay_empty():
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_missing_key_names_the_setting(settings):
    settings.HABEAS_NOTES_KEY = ""
    with pytest.raises(crypto.NotesKeyError, match="HABEAS_NOTES_KEY is not set"):
        crypto.encrypt(SECRET)
    with pytest.raises(crypto.NotesKeyError, match="HABEAS_NOTES_KEY"):
        crypto.decrypt("gAAAAAbogus")


def test_malformed_key_names_the_setting(settings):
    settings.HABEAS_NOTES_KEY = "not-a-key"
    with pytest.raises(crypto.NotesKeyError, match="HABEAS_NOTES_KEY: key number 1 is not a Fernet key"):
        crypto.encrypt(SECRET)


def test_wrong_key_is_an_error_not_garbage(settings):
    token = crypto.encrypt(SECRET)
    settings.HABEAS_NOTES_KEY = Fernet.generate_key().decode()
    with pytest.raises(crypto.NotesKeyError, match="does not open these notes") as error:
        crypto.decrypt(token)
    assert SECRET not in str(error.value)


def test_altered_token_is_refused():
    token = crypto.encrypt(SECRET)
    altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(crypto.NotesKeyError):
        crypto.decrypt(altered)


def test_rotation_keeps_old_notes_readable_and_rewrites_them(settings, notes_key):
    old = crypto.encrypt(SECRET)
    new_key = Fernet.generate_key().decode()
    settings.HABEAS_NOTES_KEY = f"{new_key},{notes_key}"
    assert crypto.decrypt(old) == SECRET
    rotated = crypto.rotate(old)
    settings.HABEAS_NOTES_KEY = new_key  # the old key retired
    assert crypto.decrypt(rotated) == SECRET
    with pytest.raises(crypto.NotesKeyError):
        crypto.decrypt(old)


def test_key_file_is_used_outside_production_and_written_once(settings, tmp_path):
    path = tmp_path / "var" / "notes.key"
    settings.HABEAS_NOTES_KEY = ""
    settings.HABEAS_NOTES_KEY_FILE = path
    assert crypto.ensure_key_file(path) is True
    first = path.read_text()
    assert crypto.ensure_key_file(path) is False and path.read_text() == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert crypto.decrypt(crypto.encrypt(SECRET)) == SECRET


def test_production_ignores_the_key_file(settings, tmp_path):
    path = tmp_path / "notes.key"
    crypto.ensure_key_file(path)
    settings.HABEAS_NOTES_KEY, settings.HABEAS_NOTES_KEY_FILE, settings.PRODUCTION = "", path, True
    with pytest.raises(crypto.NotesKeyError, match="HABEAS_NOTES_KEY is not set"):
        crypto.encrypt(SECRET)


@pytest.mark.django_db
def test_database_holds_ciphertext_only(trip, researcher):
    interview = services.interview_record(visit=trip.visit, notes=SECRET, unsourced=True, by=researcher)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes_encrypted FROM visits_interview WHERE id = %s", [interview.pk])
        (stored,) = cursor.fetchone()
    assert stored and "Qzxvnotesmarker" not in stored and "beat" not in stored
    # The history row says the notes exist, never what they say.
    from habeas.audit.models import History

    assert not any("Qzxvnotesmarker" in str(h.changes) for h in History.objects.all())


@pytest.mark.django_db
def test_nothing_is_saved_without_a_key(trip, researcher, settings):
    settings.HABEAS_NOTES_KEY = ""
    with pytest.raises(crypto.NotesKeyError):
        services.interview_record(visit=trip.visit, notes=SECRET, unsourced=True, by=researcher)
    assert Interview.objects.count() == 0


@pytest.mark.django_db
def test_reading_notes_needs_restricted_clearance_and_is_logged(trip, researcher, reviewer):
    interview = services.interview_record(
        visit=trip.visit,
        notes=SECRET,
        unsourced=True,
        by=researcher,
        confidentiality=Confidentiality.RESTRICTED,
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.interview_notes_read(interview=interview, by=reviewer)
    assert NotesRead.objects.count() == 0
    assert services.interview_notes_read(interview=interview, by=researcher, channel="cli") == SECRET
    read = NotesRead.objects.get()
    assert (read.user, read.interview, read.channel) == (researcher, interview, "cli")


@pytest.mark.django_db
def test_notes_rotate_rewrites_every_token(trip, researcher, settings, notes_key):
    interview = services.interview_record(visit=trip.visit, notes=SECRET, unsourced=True, by=researcher)
    allegation = services.allegation_record(
        interview=interview, kind="torture", narrative="Beaten " + SECRET, unsourced=True, by=researcher
    )
    new_key = Fernet.generate_key().decode()
    settings.HABEAS_NOTES_KEY = f"{new_key},{notes_key}"
    assert services.notes_rotate() == 2
    settings.HABEAS_NOTES_KEY = new_key
    interview.refresh_from_db()
    allegation.refresh_from_db()
    assert services.interview_notes_read(interview=interview, by=researcher) == SECRET
    assert services.allegation_narrative_read(allegation=allegation, by=researcher) == "Beaten " + SECRET

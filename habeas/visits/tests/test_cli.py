"""habeas visits: every subcommand, text and JSON, read as a named user; notes only for the cleared."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from habeas.accounts.models import Confidentiality
from habeas.visits import crypto, services
from habeas.visits.models import Finding, NotesRead

NOTE = "Qzxvclinote: the cell had no window."


def run(*args: str) -> str:
    out = StringIO()
    call_command("visits", *args, stdout=out)
    return out.getvalue()


def test_help_has_examples_for_every_subcommand():
    from habeas.visits.management.commands.visits import Command

    parser = Command().create_parser("habeas", "visits")
    assert "Examples:" in parser.format_help()
    (sub,) = [a for a in parser._actions if a.dest == "action"]
    sub_any: Any = sub
    for name, subparser in sub_any.choices.items():
        if name != "key":
            assert "example: habeas visits" in (sub_any._name_parser_map[name].description or "") or any(
                "example" in (c.help or "") for c in sub_any._choices_actions if c.dest == name
            ), name
        assert subparser.format_help()


@pytest.mark.django_db
def test_list_and_show_with_gaps(trip, researcher):
    services.finding_record(
        visit_place=trip.visit_place,
        area="accommodation",
        text="40 men in 64 m2",
        measure="floor_shared",
        value="1.6",
        unsourced=True,
        by=researcher,
    )
    assert "Visit to Qinghe, May 2025" in run("list", "--user", researcher.username)
    text = run("show", str(trip.visit.pk), "--user", researcher.username)
    assert "1.60 m²: 1.80 m² short of ICRC norm, shared cell (≥ 3.4 m²)" in text
    assert "below the 2 m² emergency minimum" in text
    data = json.loads(run("show", str(trip.visit.pk), "--user", researcher.username, "--format", "json"))
    (finding,) = data["places"][0]["findings"]
    assert finding["gap"]["gap"] == "1.80" and finding["gap"]["below_emergency_minimum"] is True


@pytest.mark.django_db
def test_record_a_finding(trip, researcher, viewer):
    out = run(
        "finding", str(trip.visit.pk), "--place", str(trip.place.pk), "--area", "exercise",
        "--measure", "hours_outdoors", "--value", "0.5", "--text", "Thirty minutes in a roofed yard",
        "--unsourced", "--user", researcher.username,
    )  # fmt: skip
    assert "0.50 h/day" in out and "0.50 h short of Mandela Rules" in out
    assert Finding.objects.get().unsourced_by == researcher
    with pytest.raises(CommandError, match="may not record findings"):
        run("finding", str(trip.visit.pk), "--place", str(trip.place.pk), "--text", "x", "--unsourced",
            "--user", viewer.username)  # fmt: skip
    with pytest.raises(CommandError, match="is not a possible value"):
        run("finding", str(trip.visit.pk), "--place", str(trip.place.pk), "--measure", "hours_outdoors",
            "--value", "30", "--text", "x", "--unsourced", "--user", researcher.username)  # fmt: skip


@pytest.mark.django_db
def test_recommendations_with_follow_up(trip, researcher):
    rec = services.recommendation_record(
        visit=trip.visit,
        addressed_to="Ministry of Justice",
        text="Reduce overcrowding",
        unsourced=True,
        by=researcher,
    )
    services.recommendation_status_record(
        recommendation=rec, status="partly_implemented", date="2026-02", unsourced=True, by=researcher
    )
    assert "partly implemented (2026-02)" in run("recommendations", "--user", researcher.username)
    data = json.loads(
        run("recommendations", "--status", "rejected", "--user", researcher.username, "--format", "json")
    )
    assert data == []


@pytest.mark.django_db
def test_notes_only_for_the_cleared_and_logged(trip, researcher, reviewer):
    interview = services.interview_record(
        visit=trip.visit, notes=NOTE, confidentiality=Confidentiality.INTERNAL, unsourced=True, by=researcher
    )
    with pytest.raises(CommandError, match="restricted"):
        run("notes", str(interview.pk), "--user", reviewer.username)
    assert NotesRead.objects.count() == 0
    assert NOTE in run("notes", str(interview.pk), "--user", researcher.username)
    assert NotesRead.objects.get().channel == "cli"
    # show never prints notes, even to the cleared
    assert "Qzxvclinote" not in run(
        "show", str(trip.visit.pk), "--user", researcher.username, "--format", "json"
    )


@pytest.mark.django_db
def test_a_missing_key_is_a_command_error_naming_the_setting(trip, researcher, settings):
    interview = services.interview_record(visit=trip.visit, notes=NOTE, unsourced=True, by=researcher)
    settings.HABEAS_NOTES_KEY = ""
    with pytest.raises(CommandError, match="HABEAS_NOTES_KEY is not set"):
        run("notes", str(interview.pk), "--user", researcher.username)


@pytest.mark.django_db
def test_report_for_the_authorities_keeps_to_consent(trip, researcher):
    ok = services.interview_record(
        visit=trip.visit, consent_given=True, consent_authorities=True, unsourced=True, by=researcher
    )
    no = services.interview_record(visit=trip.visit, consent_given=False, unsourced=True, by=researcher)
    services.allegation_record(interview=ok, kind="torture", injuries="Qzxvok", unsourced=True, by=researcher)
    services.allegation_record(interview=no, kind="torture", injuries="Qzxvno", unsourced=True, by=researcher)
    data = json.loads(
        run(
            "report",
            str(trip.visit.pk),
            "--for",
            "authorities",
            "--user",
            researcher.username,
            "--format",
            "json",
        )
    )
    assert [a["injuries"] for a in data["allegations"]] == ["Qzxvok"]
    assert data["interviews_withheld_for_consent"] == 1


def test_key_generate_prints_a_fernet_key():
    key = run("key", "--generate").strip()
    from cryptography.fernet import Fernet

    Fernet(key.encode())


def test_key_ensure_writes_the_file_once(settings, tmp_path):
    settings.HABEAS_NOTES_KEY = ""
    settings.HABEAS_NOTES_KEY_FILE = tmp_path / "notes.key"
    assert "wrote a new notes key" in run("key", "--ensure")
    assert "kept" in run("key", "--ensure")
    assert crypto.decrypt(crypto.encrypt("x")) == "x"


@pytest.mark.django_db
def test_unknown_user_and_hidden_visit(trip, viewer):
    with pytest.raises(CommandError, match="no active user"):
        run("list", "--user", "nobody")
    trip.visit.confidentiality = Confidentiality.INTERNAL
    trip.visit.save()
    with pytest.raises(CommandError, match="no visit"):
        run("show", str(trip.visit.pk), "--user", viewer.username)


@pytest.mark.django_db
def test_a_finding_at_a_merged_away_place_names_the_survivor(trip, researcher):
    from habeas.linkage.merge import place_merge
    from habeas.places.services import place_create

    survivor = place_create(names=["Qinghe Prison"], confidentiality=0, by=researcher)
    place_merge(survivor=survivor, absorbed=trip.place, by=researcher)
    with pytest.raises(CommandError, match=f"place {trip.place.pk} was merged into {survivor.pk}: use that"):
        run("finding", str(trip.visit.pk), "--place", str(trip.place.pk), "--text", "x", "--unsourced",
            "--user", researcher.username)  # fmt: skip
    assert not Finding.objects.exists()

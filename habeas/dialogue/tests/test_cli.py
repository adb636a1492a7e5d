"""habeas dialogue: stats, alerts (quiet when nothing is due), export and import-responses."""

from __future__ import annotations

import io
import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from habeas.dialogue.management.commands.dialogue import Command
from habeas.dialogue.models import Response
from habeas.dialogue.tests.conftest import SECRET_NAME

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("dialogue", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_help_documents_every_subcommand_with_an_example():
    for example in (
        "habeas dialogue stats --format json",
        "habeas dialogue alerts --days 30",
        "habeas dialogue export 12 --format pdf --user rita -o list-12.pdf",
        "habeas dialogue import-responses answers.csv --list 12 --user rita",
    ):
        assert example in Command.help


def test_stats_text_and_json(world, researcher):
    out, _ = run("stats", "--user", researcher.username)
    assert "Lists handed over: 1" in out and "Persons asked about: 2" in out
    data = json.loads(run("stats", "--format", "json", "--clearance", "public")[0])
    assert data["persons_asked"] == 1  # the restricted entry is not counted at public clearance


def test_alerts_are_quiet_when_nothing_is_due(researcher):
    assert run("alerts", "--days", "30", "--user", researcher.username) == ("", "")


def test_alerts_print_what_is_due(world, researcher):
    out, _ = run("alerts", "--on", "2026-11-23", "--user", researcher.username)
    assert "Held past the expected release (1):" in out and "Liu Mingde" in out
    data = json.loads(run("alerts", "--on", "2026-11-23", "--format", "json", "--clearance", "public")[0])
    assert data["overdue"][0]["person_name"] == "Liu Mingde"
    assert SECRET_NAME not in json.dumps(data)


def test_alerts_refuse_bad_arguments(researcher):
    with pytest.raises(CommandError, match="not a date"):
        run("alerts", "--on", "tomorrow")
    with pytest.raises(CommandError, match="negative"):
        run("alerts", "--days", "-1")


def test_export_writes_a_private_file(world, researcher, tmp_path):
    target = tmp_path / "list.pdf"
    _, err = run(
        "export", str(world.handed.pk), "--format", "pdf", "--user", researcher.username, "-o", str(target)
    )
    assert "written to" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "刘明德" in PdfReader(str(target)).pages[0].extract_text()


def test_export_refuses_a_list_the_user_cannot_see(world, viewer, tmp_path):
    world.handed.confidentiality = 1
    world.handed.save()
    with pytest.raises(CommandError, match="no list"):
        run(
            "export",
            str(world.handed.pk),
            "--format",
            "csv",
            "--user",
            viewer.username,
            "-o",
            str(tmp_path / "x"),
        )
    assert not (tmp_path / "x").exists()


def test_import_responses(world, researcher, tmp_path):
    liu = world.handed.entries.get(person=world.liu)
    path = tmp_path / "answers.csv"
    path.write_text(
        "entry,type,received,text,status\n"
        f"{liu.pk},information provided,2026-05-02,He is held in Chishui Prison.,detained\n",
        encoding="utf-8",
    )
    out, _ = run("import-responses", str(path), "--list", str(world.handed.pk), "--user", researcher.username)
    assert out.strip() == f"1 responses imported into list {world.handed.pk}."
    assert Response.objects.get().facts == {"status": "detained"}


def test_import_reports_rows_and_writes_nothing(world, researcher, tmp_path):
    liu = world.handed.entries.get(person=world.liu)
    path = tmp_path / "answers.csv"
    path.write_text(
        f"entry,type,received,text\n{liu.pk},token response,2026-05-02,Noted.\n{liu.pk},maybe,2026-05-02,x\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as failed:
        run("import-responses", str(path), "--list", str(world.handed.pk), "--user", researcher.username)
    assert "nothing imported" in str(failed.value) and "row 3, column type" in str(failed.value)
    assert Response.objects.count() == 0


def test_import_needs_an_editor(world, reviewer, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("entry,type\n1,no response\n", encoding="utf-8")
    with pytest.raises(CommandError, match="only researchers"):
        run("import-responses", str(path), "--list", str(world.handed.pk), "--user", reviewer.username)

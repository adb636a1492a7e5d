"""`habeas extract PATH [--published]`: one JSON object on stdout, nothing written to the database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from habeas.extraction.tests.pdf import pdf_bytes

PAGES = Path(__file__).parent / "extract_pages"


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("extract", *args, stdout=out)
    return json.loads(out.getvalue())


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_extract_prints_one_json_object_and_writes_nothing(researcher) -> None:
    before = row_counts()
    assert sum(before.values()) > 0  # the persona exists: a count that could change
    result = run(str(PAGES / "union_founder.txt"), "--published", "2011-03-04")
    assert row_counts() == before
    assert result["published"] == "2011-03-04"
    assert result["format"] == "text"
    text = (PAGES / "union_founder.txt").read_text(encoding="utf-8")
    ma = next(p for p in result["persons"] if p["name"] == "Ma Lixin")
    start, end = ma["spans"]["place"][0]
    assert text[start:end] == "Lanzhou No. 2 Prison"  # offsets into the file's own text


def test_extract_takes_the_date_the_document_states(tmp_path: Path) -> None:
    # no --published: "on Monday" is read against the date in the PDF's first lines
    lines = ["Published: 2 May 2012", "Li Hua was released from Chishan Prison on Monday, relatives said."]
    path = tmp_path / "release.pdf"
    path.write_bytes(pdf_bytes(lines, title="Release notice"))
    result = run(str(path))
    assert result["published"] == "2012-05-02"
    assert result["format"] == "pdf"
    li = next(p for p in result["persons"] if p["name"] == "Li Hua")
    assert (li["status"], li["released"]) == ("released", "2012-04-30")


def test_extract_refuses_a_bad_date_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="2011-02-30"):
        run(str(PAGES / "union_founder.txt"), "--published", "2011-02-30")
    with pytest.raises(CommandError, match=r"missing\.txt"):
        run(str(tmp_path / "missing.txt"))


def test_extract_help_has_an_example() -> None:
    from habeas.extraction.management.commands.extract import Command

    assert "Example: habeas extract report.txt --published 2011-03-04" in Command.help

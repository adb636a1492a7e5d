"""document_ingest and `habeas ingest`: one source per text, metadata found or given, bad files reported
with their path and reason while the others are stored."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.extraction.readers import ReadError
from habeas.extraction.services import document_ingest
from habeas.extraction.tests.pdf import pdf_bytes
from habeas.lib.dates import PartialDate
from habeas.sources.models import Source, SourceKind

PAGES = Path(__file__).parent / "pages"
REPO = Path(__file__).resolve().parents[3]


def _folder(tmp_path: Path) -> Path:
    """Three good documents (text, HTML, PDF in a subfolder), a file in another encoding, a scan."""
    folder = tmp_path / "inbox"
    (folder / "pdfs").mkdir(parents=True)
    shutil.copy(PAGES / "riverside_courier.txt", folder / "riverside_courier.txt")
    shutil.copy(PAGES / "northern_ledger.html", folder / "northern_ledger.html")
    lines = ["Published: 2 May 2012", "Li Hua was released from Chishan Prison on Monday, relatives said."]
    (folder / "pdfs" / "release.pdf").write_bytes(pdf_bytes(lines, title="Release notice"))
    (folder / "pdfs" / "scan.pdf").write_bytes(pdf_bytes([]))
    (folder / "latin1.txt").write_bytes("Détenu à Genève, libéré après trois années\n".encode("latin-1"))
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not a document habeas reads")  # skipped in folders
    (folder / ".hidden.txt").write_text("Not to be stored: a hidden file.", encoding="utf-8")
    return folder


# -- the service --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_ingest_stores_the_text_with_the_metadata_found(researcher) -> None:
    result = document_ingest(path_or_bytes=PAGES / "riverside_courier.txt", by=researcher)
    source = result.source
    assert result.created
    assert source.text == (PAGES / "riverside_courier.txt").read_text(encoding="utf-8")
    assert source.title == "Labour organiser given 11-year term after closed trial"
    assert source.publisher == "Riverside Courier Media Group"
    assert source.published == PartialDate(2002, 11, 9)
    assert source.language == "en"
    assert source.created_by == researcher
    assert source.confidentiality == Confidentiality.INTERNAL
    assert History.objects.filter(object_id=source.pk, action="create").count() == 1


@pytest.mark.django_db
def test_what_the_user_gives_wins_over_what_is_found(researcher) -> None:
    result = document_ingest(
        path_or_bytes=(PAGES / "harbour_watch.txt").read_bytes(),
        name="harbour_watch.txt",
        by=researcher,
        title="Rapporteur on Xinjiang visit",
        publisher="",  # empty: not given, the document's own is kept
        published="2011-03",
        kind=SourceKind.NEWS,
        confidentiality=Confidentiality.RESTRICTED,
    )
    source = result.source
    assert (source.title, source.publisher) == ("Rapporteur on Xinjiang visit", "Harbour Watch")
    assert source.published == PartialDate(2011, 3)
    assert (source.kind, source.confidentiality) == (SourceKind.NEWS, Confidentiality.RESTRICTED)


@pytest.mark.django_db
def test_without_fill_only_what_is_given_is_stored(researcher) -> None:
    result = document_ingest(
        path_or_bytes=PAGES / "harbour_watch.txt", by=researcher, fill=False, title="Given", publisher=""
    )
    source = result.source
    assert (source.title, source.publisher, source.published, source.language) == ("Given", "", None, "")
    assert result.document.metadata.publisher == "Harbour Watch"  # found, and reported, not stored


@pytest.mark.django_db
def test_the_same_text_is_stored_once(researcher) -> None:
    first = document_ingest(path_or_bytes=PAGES / "harbour_watch.txt", by=researcher)
    again = document_ingest(path_or_bytes=(PAGES / "harbour_watch.txt").read_bytes(), by=researcher)
    assert first.created and not again.created
    assert again.source.pk == first.source.pk
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_an_unreadable_file_writes_nothing(researcher, tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"scan\.pdf: the PDF has no text layer"):
        document_ingest(path_or_bytes=pdf_bytes([]), name="scan.pdf", by=researcher)
    with pytest.raises(ReadError, match="cannot be read"):
        document_ingest(path_or_bytes=tmp_path / "missing.txt", by=researcher)
    with pytest.raises(ValidationError):
        document_ingest(path_or_bytes=PAGES / "harbour_watch.txt", by=researcher, url="javascript:alert(1)")
    assert not Source.objects.exists()
    assert not History.objects.exists()


def test_unknown_metadata_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="colour"):
        document_ingest(path_or_bytes=b"text", colour="red")


# -- the command --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_command_stores_good_files_and_reports_bad_ones(researcher, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="3 stored, 0 already stored, 2 failed"):
        call_command("ingest", str(folder), "--by", researcher.username, stdout=out, stderr=err)
    assert Source.objects.count() == 3
    assert set(Source.objects.values_list("title", flat=True)) == {
        "Labour organiser given 11-year term after closed trial",
        "Court jails blogger for seven years over posts on detained lawyers",
        "Release notice",
    }
    assert f"{folder / 'latin1.txt'}: the text is not UTF-8" in err.getvalue()
    assert f"{folder / 'pdfs' / 'scan.pdf'}: the PDF has no text layer" in err.getvalue()
    assert "hidden" not in out.getvalue() + err.getvalue()
    assert "notes.docx" not in out.getvalue() + err.getvalue()

    out = io.StringIO()
    call_command("ingest", str(folder / "riverside_courier.txt"), stdout=out)
    source = Source.objects.get(title__startswith="Labour organiser")
    assert f"already stored as source {source.pk}" in out.getvalue()
    assert Source.objects.count() == 3


@pytest.mark.django_db
def test_command_options_win_and_are_checked(researcher, viewer, tmp_path: Path) -> None:
    page = PAGES / "lantern_rights_alert.txt"
    call_command(
        "ingest",
        str(page),
        "--title",
        "Urgent action: Dr Ablimit Qurban",
        "--published",
        "2019-04",
        "--kind",
        "ngo_report",
        "--reliability",
        "B",
        "--official",
        "--confidentiality",
        "restricted",
        "--by",
        researcher.username,
        stdout=io.StringIO(),
    )
    source = Source.objects.get()
    assert source.title == "Urgent action: Dr Ablimit Qurban"
    assert source.published == PartialDate(2019, 4)
    assert (source.kind, source.reliability, source.official) == ("ngo_report", "B", True)
    assert source.confidentiality == Confidentiality.RESTRICTED
    assert source.publisher == "Lantern Rights Network"  # not given: found
    with pytest.raises(CommandError, match="not cleared for restricted"):
        call_command("ingest", str(page), "--confidentiality", "restricted", "--by", viewer.username)
    with pytest.raises(CommandError, match="no user named"):
        call_command("ingest", str(page), "--by", "nobody")
    with pytest.raises(CommandError, match="no documents found"):
        call_command("ingest", str(tmp_path), stdout=io.StringIO())


def test_command_help_documents_it_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("ingest", "--help")
    text = capsys.readouterr().out
    assert "Example:\n  habeas ingest reports/2011/" in text
    assert "already stored as source N" in text


def _habeas() -> list[str]:
    script = REPO / ".venv" / "bin" / "habeas"
    return [str(script)] if script.exists() else [sys.executable, "-m", "habeas"]


@pytest.mark.e2e
def test_cli_ingests_a_folder_with_a_bad_file_among_good_ones(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HABEAS_VAR_DIR"] = str(tmp_path / "var")
    habeas = _habeas()
    subprocess.run(  # noqa: S603 - our own command
        [*habeas, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=300
    )
    done = subprocess.run(  # noqa: S603
        [*habeas, "ingest", str(folder), "--kind", "news"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("stored as source") == 3
    assert f"{folder / 'latin1.txt'}: the text is not UTF-8" in done.stderr
    assert "3 stored, 0 already stored, 2 failed" in done.stderr
    again = subprocess.run(  # noqa: S603
        [*habeas, "ingest", str(folder / "northern_ledger.html"), str(folder / "pdfs" / "release.pdf")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("already stored as source") == 2
    assert "0 stored, 2 already stored, 0 failed" in again.stdout

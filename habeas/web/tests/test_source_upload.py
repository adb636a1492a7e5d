"""The upload form: read the file, show what was found in it to check, store it through document_ingest."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.extraction.tests.pdf import pdf_bytes
from habeas.lib.dates import PartialDate
from habeas.sources.models import Source
from habeas.sources.services import source_store

PAGES = Path(__file__).resolve().parents[2] / "extraction" / "tests" / "pages"
URL = "/sources/upload/"


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def _file(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else (PAGES / name).read_bytes())


def _token(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "no staged upload in the page"
    return match.group(1)


def _value(html: str, field: str) -> str:
    match = re.search(rf'name="{field}" value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{field}"', html
    )
    return match.group(1) if match else ""


def _details(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "",
        "publisher": "",
        "url": "",
        "published": "",
        "language": "",
        "kind": "news",
        "official": "auto",
        "reliability": "C",
        "confidentiality": str(Confidentiality.INTERNAL),
    }
    data.update(changes)
    return data


def test_the_url_is_sources_upload() -> None:
    assert reverse("web:source_upload") == URL


@pytest.mark.django_db
def test_the_source_list_links_to_the_upload_form_for_editors_only(client, researcher, viewer) -> None:
    client.force_login(researcher)
    assert URL in client.get(reverse("web:source_list")).content.decode()
    client.force_login(viewer)
    assert URL not in client.get(reverse("web:source_list")).content.decode()


@pytest.mark.django_db
def test_readers_and_reviewers_are_refused(client, viewer, reviewer) -> None:
    for user in (viewer, reviewer):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"document": _file("harbour_watch.txt")}).status_code == 403
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_upload_shows_the_details_found_then_stores_the_source(client, researcher, settings) -> None:
    client.force_login(researcher)
    page = client.post(URL, {"document": _file("riverside_courier.txt")}).content.decode()
    assert _value(page, "title") == "Labour organiser given 11-year term after closed trial"
    assert _value(page, "publisher") == "Riverside Courier Media Group"
    assert _value(page, "published") == "2002-11-09"
    assert _value(page, "language") == "en"
    # The preview is the article alone: the boilerplate around it is left out.
    assert "sentenced labour organiser Ma Lixin" in page
    assert "Story Tools" not in page and "free stories" not in page
    assert not Source.objects.exists()  # nothing stored before the details are confirmed
    token = _token(page)
    staged = Path(settings.VAR_DIR) / "uploads" / f"{token}.upload"
    assert staged.is_file()

    response = client.post(
        URL,
        _details(
            token=token,
            title="Ma Lixin sentenced to 11 years",
            publisher="Riverside Courier Media Group",
            published="2002-11-09",
            language="en",
        ),
    )
    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:source_detail", args=[source.pk])
    assert source.title == "Ma Lixin sentenced to 11 years"  # what the user typed wins
    assert source.published == PartialDate(2002, 11, 9)
    assert source.text == (PAGES / "riverside_courier.txt").read_text(encoding="utf-8")
    assert (source.kind, source.reliability, source.created_by) == ("news", "C", researcher)
    assert not staged.exists()
    again = client.post(URL, _details(token=token, title="Again")).content.decode()
    assert "no longer waiting" in again
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_a_staged_upload_belongs_to_the_session_that_made_it(client, researcher, admin_user) -> None:
    client.force_login(researcher)
    token = _token(client.post(URL, {"document": _file("harbour_watch.txt")}).content.decode())
    other = Client()
    other.force_login(admin_user)
    response = other.post(URL, _details(token=token, title="Taken over"))
    assert "no longer waiting" in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_the_same_text_uploaded_again_points_to_the_stored_source(client, researcher) -> None:
    client.force_login(researcher)
    stored, _ = source_store(
        text=(PAGES / "harbour_watch.txt").read_text(encoding="utf-8"), title="Stored before", by=researcher
    )
    token = _token(client.post(URL, {"document": _file("harbour_watch.txt")}).content.decode())
    page = client.post(URL, _details(token=token, title="A new title")).content.decode()
    assert "already stored as a source" in page
    assert reverse("web:source_detail", args=[stored.pk]) in page
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_a_source_above_the_uploaders_clearance_is_not_named(client, researcher, admin_user) -> None:
    researcher.clearance = Confidentiality.INTERNAL
    researcher.save()
    text = (PAGES / "harbour_watch.txt").read_text(encoding="utf-8")
    source_store(
        text=text, title="Qzxvsecretupload", by=admin_user, confidentiality=Confidentiality.RESTRICTED
    )
    client.force_login(researcher)
    token = _token(client.post(URL, {"document": _file("harbour_watch.txt")}).content.decode())
    page = client.post(URL, _details(token=token, title="Mine")).content.decode()
    assert "not cleared to read" in page
    assert "Qzxvsecretupload" not in page


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("scan.pdf", pdf_bytes([]), "scan.pdf: the PDF has no text layer"),
        ("latin1.txt", "Détenu à Genève\n".encode("latin-1"), "latin1.txt: the text is not UTF-8"),
        ("report.docx", b"PK\x03\x04", "Upload a plain-text, HTML or PDF file"),
        ("big.txt", b"a" * (20 * 1024 * 1024 + 1), "the limit is 20 MB"),
    ],
)
@pytest.mark.django_db
def test_unreadable_files_are_refused_with_the_reason(client, researcher, name, data, problem) -> None:
    client.force_login(researcher)
    response = client.post(URL, {"document": _file(name, data)})
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert 'name="token"' not in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_hostile_html_is_shown_as_text_never_run(client, researcher) -> None:
    client.force_login(researcher)
    page = (PAGES / "northern_ledger.html").read_text(encoding="utf-8")
    page = page.replace(
        'content="Court jails blogger for seven years over posts on detained lawyers"',
        'content="Court &lt;script&gt;alert(1)&lt;/script&gt; jails blogger"',
    )
    html = client.post(URL, {"document": _file("northern_ledger.html", page.encode())}).content.decode()
    assert "<script>alert(1)" not in html
    assert _value(html, "title") == "Court &lt;script&gt;alert(1)&lt;/script&gt; jails blogger"
    for marker in ("SCRIPT-IN-BODY-MARKER", "P-ONCLICK-MARKER", "COMMENT-MARKER", "onerror"):
        assert marker not in html
    token = _token(html)
    client.post(
        URL, _details(token=token, title=_value(html, "title").replace("&lt;", "<").replace("&gt;", ">"))
    )
    source = Source.objects.get()
    assert "<" not in source.text and "alert" not in source.text
    detail = client.get(reverse("web:source_detail", args=[source.pk])).content.decode()
    assert "<script>alert(1)" not in detail


@pytest.mark.django_db
def test_upload_needs_the_csrf_token(researcher) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    assert client.post(URL, {"document": _file("harbour_watch.txt")}).status_code == 403
    assert 'name="csrfmiddlewaretoken"' in client.get(URL).content.decode()


@pytest.mark.django_db
def test_a_detail_the_user_empties_stays_empty(client, researcher) -> None:
    client.force_login(researcher)
    page = client.post(URL, {"document": _file("riverside_courier.txt")}).content.decode()
    assert _value(page, "publisher") and _value(page, "published")
    client.post(URL, _details(token=_token(page), title="Courier report", publisher="", published=""))
    source = Source.objects.get()
    assert (source.title, source.publisher, source.published) == ("Courier report", "", None)


@pytest.mark.django_db
def test_uploads_never_confirmed_are_removed_after_a_day(client, researcher, settings) -> None:
    client.force_login(researcher)
    old = _token(client.post(URL, {"document": _file("harbour_watch.txt")}).content.decode())
    staged = Path(settings.VAR_DIR) / "uploads" / f"{old}.upload"
    assert staged.stat().st_mode & 0o077 == 0  # readable by the server's user alone
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(staged, (two_days_ago, two_days_ago))
    client.post(URL, {"document": _file("riverside_courier.txt")})
    assert not staged.exists()
    assert "no longer waiting" in client.post(URL, _details(token=old, title="Late")).content.decode()

"""Source pages: the list (filters, partial dates, totals, citation counts, fixed queries), the source
page's citing facts, and the forms that add a source (pasted or uploaded, stored once) and edit it."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.sources.models import Source
from habeas.sources.services import source_store

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT = "Qinghe Daily (fictional), 3 May 2010. The court heard the case of Liu Mingde."


def html_of(response) -> str:
    return response.content.decode()


def store(title: str, **fields) -> Source:
    fields.setdefault("confidentiality", PUBLIC)
    text = fields.pop("text", f"The fictional text of {title}.")
    return source_store(text=text, title=title, **fields)[0]


def form_data(**overrides) -> dict:
    data = {
        "text": TEXT,
        "title": "Court hears Liu Mingde",
        "publisher": "Qinghe Daily",
        "url": "https://example.org/qinghe/2010/05/03",
        "published": "2010-05-03",
        "language": "en",
        "kind": "news",
        "official": "auto",
        "reliability": "B",
        "confidentiality": str(PUBLIC),
    }
    data.update(overrides)
    return data


# -- the list --------------------------------------------------------------------------------------
def test_list_shows_sources_with_totals_and_citation_counts(client_for, viewer):
    make(bundle(1), bundle(2, names=("Wang Dan",)))
    store("Uncited notice", publisher="Qinghe Daily")
    html = html_of(client_for(viewer).get(reverse("web:source_list")))
    assert "1–3 of 3 sources" in html
    assert "Report 1" in html and "Report 2" in html and "Uncited notice" in html
    rows = re.findall(
        r'<tr>\s*<td data-label="Title"><a href="/sources/(\d+)/">([^<]+)</a>.*?</tr>', html, re.S
    )
    assert [title for _, title in rows] == ["Report 1", "Report 2", "Uncited notice"]
    counts = re.findall(r'data-label="Citations" class="number">(\d+)</td>', html)
    cited = Source.objects.get(title="Report 1").citations.count()
    assert cited > 0 and counts == [
        str(cited),
        str(Source.objects.get(title="Report 2").citations.count()),
        "0",
    ]


def test_list_filters_by_partial_publication_dates_and_reports_impossible_ones(client_for, viewer):
    store("Year", published="2011")
    store("Month", published="2011-05")
    store("Later", published="2012-01")
    client = client_for(viewer)
    html = html_of(client.get(reverse("web:source_list"), {"since": "2011-05", "until": "2011-05"}))
    assert "Year" in html and "Month" in html and "Later" not in html
    assert "1–2 of 2 sources" in html
    # An impossible date is named and that filter alone is left out.
    html = html_of(client.get(reverse("web:source_list"), {"since": "2011-02-30", "kind": "other"}))
    assert "has no day 30" in html and "1–3 of 3 sources" in html


def test_list_filters_by_kind_official_reliability_and_search(client_for, viewer):
    store("A verdict", kind="verdict", reliability="A")
    store("A blog post", kind="news", reliability="D", publisher="Some Blog")
    client = client_for(viewer)
    url = reverse("web:source_list")
    assert "A verdict" not in html_of(client.get(url, {"official": "no"}))
    assert "A blog post" not in html_of(client.get(url, {"official": "yes"}))
    assert "A verdict" not in html_of(client.get(url, {"reliability": "D"}))
    html = html_of(client.get(url, {"q": "some blog"}))
    assert "A blog post" in html and "A verdict" not in html


def test_list_hides_sources_above_clearance_even_when_searched_for(client_for, viewer, researcher):
    store("Qzxv memo", publisher="Qzxv desk", confidentiality=RESTRICTED)
    store("Open notice")
    for query in ({}, {"q": "qzxv"}, {"publisher": "Qzxv desk"}):
        html = html_of(client_for(viewer).get(reverse("web:source_list"), query))
        # The reader's own input echoed back (search box, "not one of the choices") is not a leak.
        echoed = html.replace("Qzxv desk is not one of the available choices", "")
        assert "Qzxv memo" not in html and "Qzxv desk" not in echoed
    assert "Qzxv memo" in html_of(client_for(researcher).get(reverse("web:source_list")))


def test_hostile_titles_are_escaped_in_the_list(client_for, viewer):
    store(HOSTILE, publisher=HOSTILE)
    html = html_of(client_for(viewer).get(reverse("web:source_list")))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_list_page_costs_the_same_queries_for_few_or_many_sources(client_for, researcher):
    client = client_for(researcher)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("web:source_list"), {"since": "2000", "sort": "-citations"})
            assert response.status_code == 200
        return len(ctx.captured_queries)

    make(*[bundle(i) for i in range(3)])
    few = queries()
    make(*[bundle(i, each=5) for i in range(3, 70)])
    assert Source.objects.count() == 70
    assert queries() == few


# -- the source page -------------------------------------------------------------------------------
def test_source_page_lists_the_citing_facts_of_visible_persons_with_links(client_for, viewer):
    liu, zhou = make(
        bundle(1, names=("Liu Mingde",)), bundle(2, names=("Zhou Qzxvhidden",), level=RESTRICTED)
    )
    assert liu.citation is not None
    zhou.detentions.get().extra_citations.add(liu.citation)
    html = html_of(client_for(viewer).get(reverse("web:source_detail", args=[liu.citation.source_id])))
    cited_by = re.findall(r'<ul class="cited-by">(.*?)</ul>', html, re.S)
    assert cited_by and f'href="/persons/{liu.pk}/"' in cited_by[0] and "detention" in cited_by[0]
    assert "Qzxvhidden" not in html and f"/persons/{zhou.pk}/" not in html


def test_source_page_offers_editing_to_editors_only(client_for, viewer, researcher):
    source = store("Notice")
    url = reverse("web:source_detail", args=[source.pk])
    edit = reverse("web:source_edit", args=[source.pk])
    assert edit not in html_of(client_for(viewer).get(url))
    assert edit in html_of(client_for(researcher).get(url))


# -- adding a source -------------------------------------------------------------------------------
def test_pasted_text_becomes_a_source_with_its_metadata_and_a_history_row(client_for, researcher):
    response = client_for(researcher).post(reverse("web:source_create"), form_data())
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:source_detail", args=[source.pk]
    )
    assert source.text == TEXT and source.title == "Court hears Liu Mingde" and source.reliability == "B"
    assert (
        str(source.published) == "2010-05-03" and source.official is False and source.created_by == researcher
    )
    assert History.objects.filter(content_type__model="source", object_id=source.pk, action="create").exists()


def test_pasted_html_is_stored_as_given_and_shown_only_as_text(client_for, researcher):
    page = f"<html><body><h1>Notice</h1>{HOSTILE}<p>Liu Mingde was tried.</p></body></html>\n"
    client = client_for(researcher)
    response = client.post(reverse("web:source_create"), form_data(text=page))
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.text == page
    html = html_of(client.get(response["Location"]))
    assert "<script>alert" not in html and "<img src=x" not in html and "<h1>Notice" not in html
    assert "&lt;h1&gt;Notice&lt;/h1&gt;&lt;script&gt;" in html


def test_a_second_copy_of_the_same_text_finds_the_stored_source_and_says_so(client_for, researcher):
    client = client_for(researcher)
    client.post(reverse("web:source_create"), form_data())
    response = client.post(
        reverse("web:source_create"), form_data(text=TEXT.replace("\n", "\r\n"), title="Other title")
    )
    html = html_of(response)
    source = Source.objects.get()
    assert response.status_code == 200 and "already stored" in html
    assert f'href="/sources/{source.pk}/"' in html and source.title == "Court hears Liu Mingde"


def test_a_copy_of_a_source_above_the_users_clearance_is_reported_without_naming_it(client_for, researcher):
    store("Qzxv secret title", text=TEXT, confidentiality=RESTRICTED)
    researcher.clearance = INTERNAL
    researcher.save()
    html = html_of(
        client_for(researcher).post(reverse("web:source_create"), form_data(confidentiality=INTERNAL))
    )
    assert "not cleared to read" in html and "Qzxv" not in html
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"url": "javascript:alert(1)"}, "must start with http:// or https://"),
        ({"url": "ftp://example.org/file.txt"}, "must start with http:// or https://"),
        ({"published": "2011-02-30"}, "has no day 30"),
        ({"published": "May 2011"}, "Enter a real year"),
        ({"text": "   "}, "A source needs its text"),
        ({"title": "   "}, "This field is required"),
        ({"confidentiality": str(RESTRICTED + 1)}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_the_input_kept(
    client_for, researcher, overrides, message
):
    response = client_for(researcher).post(reverse("web:source_create"), form_data(**overrides))
    html = html_of(response)
    assert response.status_code == 200 and message in html
    assert not Source.objects.exists()
    assert "Qinghe Daily" in html  # what was typed is still in the form


def test_the_paste_form_takes_no_file_and_points_to_the_upload_form(client_for, researcher):
    client = client_for(researcher)
    html = html_of(client.get(reverse("web:source_create")))
    assert 'type="file"' not in html and reverse("web:source_upload") in html
    # A file sent to the paste form anyway is not read: the text field is what counts.
    upload = SimpleUploadedFile("notice.txt", b"Liu Mingde was tried.", content_type="text/plain")
    response = client.post(reverse("web:source_create"), form_data(text="", upload=upload))
    assert response.status_code == 200 and "upload the file instead" in html_of(response)
    assert not Source.objects.exists()


def test_nobody_files_a_source_above_their_own_clearance(client_for, researcher):
    researcher.clearance = INTERNAL
    researcher.save()
    html = html_of(client_for(researcher).get(reverse("web:source_create")))
    assert '<option value="1"' in html and '<option value="2"' not in html


# -- editing a source ------------------------------------------------------------------------------
def test_edit_form_saves_metadata_with_history(client_for, researcher):
    source = store("Old title", text=TEXT)
    client = client_for(researcher)
    form = html_of(client.get(reverse("web:source_edit", args=[source.pk])))
    assert 'value="Old title"' in form and 'name="version" value="1"' in form and 'name="text"' not in form
    data = form_data(title="New title", version="1")
    del data["text"]
    response = client.post(reverse("web:source_edit", args=[source.pk]), data)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.title == "New title" and source.version == 2 and source.text == TEXT
    row = History.objects.get(content_type__model="source", object_id=source.pk, action="update")
    assert row.user == researcher and row.changes["title"] == ["Old title", "New title"]


def test_two_editors_the_second_save_is_refused_with_a_message_and_its_input_kept(
    client_for, researcher, admin_user, client
):
    source = store("Old title", text=TEXT)
    url = reverse("web:source_edit", args=[source.pk])
    first = form_data(title="First editor", version="1")
    second = form_data(title="Second editor", version="1")
    assert client_for(researcher).post(url, first).status_code == 302
    response = client_for(admin_user).post(url, second)
    html = html_of(response)
    assert response.status_code == 409
    assert "changed by someone else" in html and 'value="Second editor"' in html
    source.refresh_from_db()
    assert source.title == "First editor" and source.version == 2


def test_edit_refuses_a_bad_address(client_for, researcher):
    source = store("Notice", text=TEXT)
    response = client_for(researcher).post(
        reverse("web:source_edit", args=[source.pk]), form_data(url="data:text/html,<b>x</b>", version="1")
    )
    assert response.status_code == 200 and "must start with http:// or https://" in html_of(response)
    source.refresh_from_db()
    assert source.url == "" and source.version == 1


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_only_researchers_and_admins_may_add_or_edit_sources(client_for, personas, role):
    source = store("Notice", text=TEXT)
    client = client_for(personas[role])
    for url in (reverse("web:source_create"), reverse("web:source_edit", args=[source.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, form_data(version="1")).status_code == 403
    assert Source.objects.count() == 1


def test_an_editor_below_a_sources_level_gets_404_on_its_edit_form(client_for, researcher):
    secret = store("Qzxv", text=TEXT, confidentiality=RESTRICTED)
    researcher.clearance = INTERNAL
    researcher.save()
    client = client_for(researcher)
    assert client.get(reverse("web:source_edit", args=[secret.pk])).status_code == 404
    assert client.get(reverse("web:source_edit", args=[secret.pk + 100])).status_code == 404
    response = client.post(reverse("web:source_edit", args=[secret.pk]), form_data(version="1"))
    assert response.status_code == 404
    secret.refresh_from_db()
    assert secret.title == "Qzxv"


def test_source_pages_have_no_inline_scripts_or_styles(client_for, researcher):
    source = store("Notice", text=TEXT)
    client = client_for(researcher)
    for url in (
        reverse("web:source_list"),
        reverse("web:source_create"),
        reverse("web:source_edit", args=[source.pk]),
        reverse("web:source_detail", args=[source.pk]),
    ):
        html = html_of(client.get(url))
        assert re.search(r"<script(?![^>]*\ssrc=)", html) is None, url
        assert " style=" not in html and "<style" not in html and " on" + "click=" not in html, url

"""The first pages: sign-in, the person list with search and filters, a dossier, a source."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import PASSWORD
from habeas.accounts.models import Confidentiality
from habeas.dossiers.bulk import NameIn, PersonIn, SourceIn
from habeas.dossiers.models import Person
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.sources.models import Citation, Source
from habeas.sources.selectors import Segment, text_segments
from habeas.sources.selectors import source_detail as read_source

RESTRICTED = Confidentiality.RESTRICTED
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def text_of(response) -> str:
    return response.content.decode()


def inline_scripts(html: str) -> list[str]:
    """Script tags other than our own static files (editors get web/edit.js, served from /static/)."""
    return re.findall(r'<script(?![^>]*\bsrc="/static/web/[a-z]+\.js")[^>]*>', html)


# -- sign-in ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_sign_in_page_renders_and_signing_in_lands_on_the_person_list(client, researcher) -> None:
    page = client.get(reverse("web:login"))
    assert page.status_code == 200
    assert 'name="username"' in text_of(page) and "csrfmiddlewaretoken" in text_of(page)
    response = client.post(reverse("web:login"), {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("web:person_list")
    assert client.get(reverse("web:person_list")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, researcher) -> None:
    response = client.post(reverse("web:login"), {"username": "rita", "password": "wrong password 1"})
    assert response.status_code == 200 and 'role="alert"' in text_of(response)
    assert client.get(reverse("web:person_list")).status_code == 302


@pytest.mark.django_db
def test_sign_out_is_a_post_and_ends_the_session(client_for, researcher) -> None:
    client = client_for(researcher)
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("web:login")
    assert client.get(reverse("web:person_list")).status_code == 302


@pytest.mark.django_db
def test_signed_out_visitor_is_sent_to_sign_in_with_next(client) -> None:
    (liu,) = make(bundle(1))
    for url in (reverse("web:person_list"), reverse("web:person_detail", args=[liu.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('web:login')}?next={url}"


# -- the list --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_list_page_shows_persons_totals_and_the_stylesheet(client_for, researcher) -> None:
    make(bundle(1), bundle(2, names=("Wang Dan", "王丹")))
    html = text_of(client_for(researcher).get(reverse("web:person_list")))
    assert "Liu Mingde" in html and "Wang Dan" in html
    assert "1–2 of 2 persons" in html
    assert '<meta name="viewport"' in html and "/static/web/habeas.css" in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["刘明德", "劉明德", "liú míngdé", "mingde liu", "LIU"])
def test_search_box_finds_the_person(client_for, researcher, query) -> None:
    make(bundle(1), bundle(2, names=("Wang Dan", "王丹")))
    html = text_of(client_for(researcher).get(reverse("web:person_list"), {"q": query}))
    assert "Liu Mingde" in html and "Wang Dan" not in html
    assert "1–1 of 1 person" in html


@pytest.mark.django_db
def test_filters_narrow_the_list(client_for, researcher) -> None:
    make(
        bundle(1, names=("Alpha",), province="Hebei", ethnicity="Han"),
        bundle(2, names=("Beta",), province="Tibet", ethnicity="Tibetan", status="released"),
        bundle(3, names=("Gamma",), province="Tibet", ethnicity="Tibetan"),
    )
    client = client_for(researcher)

    def names(**params) -> set[str]:
        html = text_of(client.get(reverse("web:person_list"), params))
        return set(re.findall(r'/persons/\d+/">([^<]+)</a>', html)) & {"Alpha", "Beta", "Gamma"}

    assert names() == {"Alpha", "Beta", "Gamma"}
    assert names(province="Tibet") == {"Beta", "Gamma"}
    assert names(ethnicity="Han") == {"Alpha"}
    assert names(status="released") == {"Beta"}
    assert names(overdue="on") == {"Alpha", "Gamma"}
    assert names(province="Tibet", status="detained") == {"Gamma"}
    assert names(since="2010", until="2010") == {"Alpha", "Beta", "Gamma"}
    assert names(until="2008") == set()


@pytest.mark.django_db
def test_a_bad_filter_is_reported_and_the_rest_still_apply(client_for, researcher) -> None:
    make(bundle(1, names=("Alpha",), province="Hebei"), bundle(2, names=("Beta",), province="Tibet"))
    html = text_of(
        client_for(researcher).get(reverse("web:person_list"), {"since": "May 2010", "province": "Tibet"})
    )
    assert "Enter a year" in html and "Beta" in html and "Alpha</a>" not in html


@pytest.mark.django_db
def test_pagination_shows_totals_and_keeps_the_filters(client_for, researcher) -> None:
    make(*[bundle(i, names=(f"Liu {i:03d}",)) for i in range(60)])
    client = client_for(researcher)
    first = text_of(client.get(reverse("web:person_list"), {"q": "liu"}))
    assert "1–50 of 60 persons" in first and "page 1 of 2" in first
    assert "?q=liu&amp;page=2" in first
    second = text_of(client.get(reverse("web:person_list"), {"q": "liu", "page": 2}))
    assert "51–60 of 60 persons" in second and "Liu 059" in second and "Liu 000" not in second
    # A page past the end shows the last page rather than an error.
    assert "51–60 of 60" in text_of(client.get(reverse("web:person_list"), {"page": 99}))


# -- the dossier -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_dossier_page_shows_names_timeline_release_and_citations(client_for, researcher) -> None:
    (liu,) = make(bundle(1))
    html = text_of(client_for(researcher).get(reverse("web:person_detail", args=[liu.pk])))
    assert "Liu Mingde" in html and "刘明德" in html and "Hans" in html and "Latn" in html
    assert "Mar 2009" in html  # a partial date shown with its precision
    assert "hepatitis B 0" in html and "charge 0" in html and "Harmony Party 0" in html
    assert "overdue" in html and "Expected release" in html and ">2019" in html
    sentence_cite = Citation.objects.get(quote__startswith="He was sentenced")
    assert f"/sources/{sentence_cite.source_id}/?cite={sentence_cite.pk}#cite-{sentence_cite.pk}" in html
    assert "Report 1" in html and "Test Wire" in html and "May 2011" in html and "unofficial" in html


@pytest.mark.django_db
def test_dossier_above_clearance_is_404_not_403(client_for, viewer, reviewer, researcher) -> None:
    (secret,) = make(bundle(1, level=RESTRICTED))
    url = reverse("web:person_detail", args=[secret.pk])
    assert client_for(viewer).get(url).status_code == 404
    assert client_for(reviewer).get(url).status_code == 404
    assert client_for(researcher).get(url).status_code == 200
    missing = reverse("web:person_detail", args=[secret.pk + 999])
    assert client_for(researcher).get(missing).status_code == 404


@pytest.mark.django_db
def test_dossier_shows_a_restricted_source_as_restricted(client_for, viewer) -> None:
    (liu,) = make(bundle(1, source_level=RESTRICTED))
    html = text_of(client_for(viewer).get(reverse("web:person_detail", args=[liu.pk])))
    assert "restricted source" in html
    assert "Report 1" not in html and "He was sentenced" not in html
    # No link to the source itself (the navigation's link to the source list is not one).
    assert re.search(r"/sources/\d", html) is None


# -- the source ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_source_page_highlights_the_cited_span(client_for, researcher) -> None:
    make(bundle(1))
    cite = Citation.objects.get(quote__startswith="He was sentenced")
    url = reverse("web:source_detail", args=[cite.source_id])
    html = text_of(client_for(researcher).get(url, {"cite": cite.pk}))
    assert f'<mark id="cite-{cite.pk}">{cite.quote}</mark>' in html
    assert "Report 1" in html and "Liu Mingde" in html
    assert html.count("<mark") == 1
    # Citation counts per kind of fact.
    assert re.search(r"1 sentence\b", html)
    plain = text_of(client_for(researcher).get(url))
    assert "<mark" not in plain
    # A citation id that is not a number or not of this source highlights nothing.
    assert "<mark" not in text_of(client_for(researcher).get(url, {"cite": "x"}))
    assert "<mark" not in text_of(client_for(researcher).get(url, {"cite": cite.pk + 10_000}))


@pytest.mark.django_db
def test_hostile_html_in_source_text_and_names_is_escaped(client_for, researcher) -> None:
    text = f"Before {HOSTILE} after. Zhang {HOSTILE} was detained."
    (person,) = make(
        PersonIn(
            source=SourceIn(text=text, title=f"Title {HOSTILE}", publisher=HOSTILE),
            names=[NameIn(f"Zhang {HOSTILE}", span=(text.index("Zhang"), text.index(" was")))],
            confidentiality=0,
        )
    )
    client = client_for(researcher)
    cite = Citation.objects.get(quote__startswith="Zhang")
    pages = [
        client.get(reverse("web:person_list")),
        client.get(reverse("web:person_list"), {"q": "zhang"}),
        client.get(reverse("web:person_detail", args=[person.pk])),
        client.get(reverse("web:source_detail", args=[cite.source_id]), {"cite": cite.pk}),
    ]
    for response in pages:
        html = text_of(response)
        assert response.status_code == 200
        assert inline_scripts(html) == [] and "<img" not in html
        assert "&lt;script&gt;" in html
    assert f'<mark id="cite-{cite.pk}">Zhang &lt;script&gt;' in text_of(pages[3])


@pytest.mark.django_db
def test_source_above_clearance_is_404(client_for, viewer, researcher) -> None:
    make(bundle(1, source_level=RESTRICTED))
    url = reverse("web:source_detail", args=[Source.objects.get().pk])
    assert client_for(viewer).get(url).status_code == 404
    assert client_for(researcher).get(url).status_code == 200


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client_for, researcher) -> None:
    (liu,) = make(bundle(1))
    client = client_for(researcher)
    urls = [
        reverse("web:person_list"),
        reverse("web:person_detail", args=[liu.pk]),
        reverse("web:source_detail", args=[Source.objects.get().pk]),
    ]
    for url in urls:
        response = client.get(url)
        html = text_of(response)
        assert inline_scripts(html) == [] and "<style" not in html and " style=" not in html
        assert "script-src 'self'" in response["Content-Security-Policy"]
    assert Person.objects.count() == 1


# -- source selector -------------------------------------------------------------------------------
def test_text_segments_split_around_the_span_and_ignore_a_span_that_does_not_fit() -> None:
    citation = Citation(pk=7, start=4, end=9, quote="quick")
    assert text_segments("the quick fox", citation) == [Segment("the "), Segment("quick", 7), Segment(" fox")]
    assert text_segments("the quick fox", None) == [Segment("the quick fox")]
    assert text_segments("tiny", citation) == [Segment("tiny")]
    assert text_segments("", None) == []


@pytest.mark.django_db
def test_source_detail_counts_facts_per_kind_and_hides_facts_above_clearance(viewer, researcher) -> None:
    (liu,) = make(bundle(1, each=2))
    make(bundle(1, level=RESTRICTED))  # the same text: the source and its citations are shared
    source = Source.objects.get()
    whole = Citation.objects.get(source=source, start=0)
    seen = {use.citation.pk: use for use in read_source(viewer, source.pk).uses}[whole.pk]
    assert seen.counts["person"] == 1 and seen.counts["custody period"] == 4 and seen.counts["charge"] == 4
    assert seen.persons == [liu]
    full = {use.citation.pk: use for use in read_source(researcher, source.pk).uses}[whole.pk]
    assert full.counts["person"] == 2 and len(full.persons) == 2


@pytest.mark.django_db
def test_source_detail_costs_four_queries_whatever_the_number_of_facts(
    researcher, django_assert_num_queries
) -> None:
    make(bundle(1))
    small = Source.objects.get()
    make(bundle(2, each=10))
    big = Source.objects.exclude(pk=small.pk).get()
    for source in (small, big):
        with django_assert_num_queries(4):
            detail = read_source(researcher, source.pk, cite=1)
            [(u.total, [str(p) for p in u.persons]) for u in detail.uses]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["web:person_list", "web:person_detail", "web:source_detail"])
def test_pages_cost_the_same_queries_for_small_and_large_data(client_for, researcher, url_name) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(researcher)

    def queries() -> int:
        person = Person.objects.order_by("-pk").first()
        assert person is not None and person.citation is not None
        args = {
            "web:person_list": [],
            "web:person_detail": [person.pk],
            "web:source_detail": [person.citation.source_id],
        }
        cache.clear()  # the person list's filter choices are cached: count them every time
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name, args=args[url_name])).status_code == 200
        return len(ctx.captured_queries)

    make(*[bundle(i, province=f"P{i}") for i in range(5)])
    few = queries()
    make(*[bundle(i, province=f"P{i}", each=10) for i in range(5, 60)])
    assert queries() == few


@pytest.mark.django_db
def test_citation_list_tag_writes_what_the_citations_template_writes() -> None:
    from django.template.loader import render_to_string
    from django.test.html import parse_html

    from habeas.dossiers.selectors import CitationView
    from habeas.lib.dates import PartialDate
    from habeas.web.templatetags.dossier_tags import citation_list

    full = CitationView(
        id=7,
        restricted=False,
        source_id=3,
        title='Report <script>alert("x")</script>',
        publisher="Fictional Monitor & Co",
        published=PartialDate(2019, 5),
        official=True,
        quote="He was taken <b>away</b>. " * 30,
    )
    bare = CitationView(id=8, restricted=False, source_id=4, title="Notes", quote="held")
    for citations in ([], [full, CitationView(id=9, restricted=True), bare]):
        tag = citation_list(citations)
        template = render_to_string("web/_citations.html", {"citations": citations})
        assert parse_html(tag) == parse_html(template)
    assert "<script>" not in tag and "<b>" not in tag

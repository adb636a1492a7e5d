"""The person list page's filters (valid ones applied, invalid ones reported) and the dossier timeline."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from habeas.accounts.models import Confidentiality
from habeas.dossiers.bulk import AllegationIn, SentenceIn
from habeas.dossiers.models import PersonName
from habeas.dossiers.tests.test_list_filters import person
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.places.models import Place

RESTRICTED = Confidentiality.RESTRICTED
LAW = "PRC Criminal Law 1997"


@pytest.fixture
def page_for(client):
    def get(user, **params) -> str:
        client.force_login(user)
        response = client.get(reverse("web:person_list"), params)
        assert response.status_code == 200
        return response.content.decode()

    return get


def shown(html: str) -> set[str]:
    return set(re.findall(r'/persons/\d+/">([^<]+)</a>', html))


@pytest.fixture
def three(db):
    return make(
        person(
            1,
            "Alpha",
            religion="Protestant",
            sex="F",
            charges=[(LAW, "105(1)")],
            sentence=SentenceIn(term_months=36, pronounced="2010-02"),
            place="Qinghe No. 3 Prison",
            allegations=[AllegationIn("torture")],
        ),
        person(
            2,
            "Beta",
            religion="Falun Gong",
            sex="M",
            charges=[(LAW, "300")],
            sentence=SentenceIn(kind="life", pronounced="2014"),
            place="Lanzhou Prison",
            allegations=[AllegationIn("arbitrary_detention", wgad_category=2)],
        ),
        person(
            3,
            "Gamma",
            religion="Protestant",
            sex="M",
            charges=[(LAW, "293")],
            sentence=SentenceIn(term_months=132, pronounced="2016-07-01"),
            place="Lanzhou Prison",
            allegations=[],
        ),
    )


@pytest.mark.django_db
def test_each_new_filter_narrows_the_page(page_for, researcher, three) -> None:
    def names(**params) -> set[str]:
        return shown(page_for(researcher, **params))

    assert names() == {"Alpha", "Beta", "Gamma"}
    assert names(religion="Protestant") == {"Alpha", "Gamma"}
    assert names(sex="M") == {"Beta", "Gamma"}
    assert names(charge=f"{LAW}|105") == {"Alpha"}
    assert names(charge=f"{LAW}|") == {"Alpha", "Beta", "Gamma"}
    assert names(place="lanzhou") == {"Beta", "Gamma"}
    assert names(place_id=Place.objects.get(name="Qinghe No. 3 Prison").pk) == {"Alpha"}
    assert names(sentence_min="10") == {"Beta", "Gamma"}
    assert names(sentence_min="2.5", sentence_max="5 years") == {"Alpha"}
    assert names(sentence_min="life") == {"Beta"}
    assert names(sentence_max="Death with reprieve") == {"Alpha", "Beta", "Gamma"}
    assert names(sentenced_since="2014-12", sentenced_until="2016-07") == {"Beta", "Gamma"}
    assert names(allegation="torture") == {"Alpha"}
    assert names(wgad="2") == {"Beta"}
    assert names(religion="Protestant", sex="M", place="lanzhou") == {"Gamma"}


@pytest.mark.django_db
def test_filter_choices_come_from_visible_data(page_for, researcher, three) -> None:
    html = page_for(researcher)
    assert f'<option value="{LAW}|105">{LAW} art. 105</option>' in html
    assert '<option value="Falun Gong">' in html
    assert 'list="sentence-lengths"' in html and '<datalist id="sentence-lengths">' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "error", "still"),
    [
        ({"sentence_min": "ten", "religion": "Protestant"}, "Enter a number of years", {"Alpha", "Gamma"}),
        # The field in error is left out; its valid partner still applies.
        ({"sentence_min": "life", "sentence_max": "3", "sex": "M"}, "shorter than the shortest", {"Beta"}),
        (
            {"sentenced_since": "2016", "sentenced_until": "2010", "sex": "M"},
            "before the start",
            {"Gamma"},
        ),
        ({"since": "May 2010", "place": "lanzhou"}, "Enter a year", {"Beta", "Gamma"}),
        ({"charge": "Made-up Law|1", "religion": "Falun Gong"}, "Select a valid choice", {"Beta"}),
        ({"wgad": "VI", "allegation": "torture"}, "Select a valid choice", {"Alpha"}),
        ({"place_id": "x", "sentence_min": "10"}, "Enter a whole number", {"Beta", "Gamma"}),
    ],
)
def test_an_invalid_filter_is_reported_and_the_valid_ones_still_apply(
    page_for, researcher, three, params, error, still
) -> None:
    html = page_for(researcher, **params)
    assert error in html
    assert shown(html) == still
    # The more filters stay open so the message is seen.
    assert '<details class="more-filters" open>' in html


@pytest.mark.django_db
def test_pagination_keeps_every_filter(page_for, researcher) -> None:
    make(*[person(i, f"Liu {i:03d}", religion="Protestant", charges=[(LAW, "105(2)")]) for i in range(55)])
    html = page_for(researcher, religion="Protestant", charge=f"{LAW}|105", sentence_min="10")
    assert "1–50 of 55 persons" in html
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html)
    assert link is not None
    query = link.group(1).replace("&amp;", "&")
    assert "religion=Protestant" in query and "sentence_min=10" in query and "charge=PRC" in query
    second = page_for(researcher, religion="Protestant", charge=f"{LAW}|105", sentence_min="10", page="2")
    assert "51–55 of 55 persons" in second and "Liu 054" in second


@pytest.mark.django_db
def test_list_page_costs_the_same_queries_with_every_filter_for_small_and_large_data(client, viewer) -> None:
    params = {
        "q": "liu",
        "status": "detained",
        "overdue": "on",
        "sex": "M",
        "province": "Hebei",
        "charge": f"{LAW}|105",
        "place": "Qinghe",
        "sentence_min": "10",
        "sentence_max": "life",
        "sentenced_since": "2010",
        "since": "2009",
        "allegation": "arbitrary_detention",
        "wgad": "2",
        "sort": "-expected_release",
    }
    client.force_login(viewer)

    def queries() -> tuple[int, str]:
        cache.clear()  # the filter choices are cached: count them every time
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("web:person_list"), params)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    make(*[bundle(i, province="Hebei") for i in range(5)])
    few, html = queries()
    assert "1–5 of 5 persons" in html
    make(*[bundle(i, province="Hebei", each=3) for i in range(5, 70)])
    many, html = queries()
    assert "1–50 of 70 persons" in html
    assert many == few


@pytest.mark.django_db
def test_list_page_shows_no_hidden_name(page_for, viewer, researcher) -> None:
    make(bundle(1, names=("Aaa Qzxvhiddenname", "Liu Visible")))
    PersonName.objects.filter(text__contains="Qzxv").update(confidentiality=RESTRICTED)
    assert "Qzxv" not in page_for(viewer) and "Liu Visible" in page_for(viewer)
    assert "Qzxvhiddenname" in page_for(researcher)


# -- the dossier page ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_dossier_timeline_links_visible_places_and_shows_date_precision(client, viewer) -> None:
    (p,) = make(person(1, "Timeline", place="Open Prison", custody=["Hidden Centre"]))
    Place.objects.filter(name="Hidden Centre").update(confidentiality=RESTRICTED)
    client.force_login(viewer)
    html = client.get(reverse("web:person_detail", args=[p.pk])).content.decode()
    open_prison = Place.objects.get(name="Open Prison")
    hidden = Place.objects.get(name="Hidden Centre")
    try:
        url = reverse("web:place_detail", args=[open_prison.pk])
    except NoReverseMatch:  # place pages not there yet: names without links
        url = None
    if url:
        assert f'<a href="{url}">Open Prison</a>' in html
    assert "Hidden Centre" not in html and f"/places/{hidden.pk}/" not in html
    assert "undisclosed place" in html
    assert '<time datetime="2009-03" title="known to the month">Mar 2009</time>' in html
    assert "WGAD category II" in html
    # Held past the last possible day of an 11-year term less 6 months from March 2009.
    assert 'class="alert overdue"' in html
    assert " style=" not in html and "<style" not in html


@pytest.mark.parametrize("value", [None, "", "x", 'a<b"'])
def test_quick_select_writes_what_django_select_writes(value) -> None:
    from django import forms
    from django.test.html import parse_html

    from habeas.web.views.persons import QuickSelect

    choices = [("", "any"), ('a<b"', "A & <b>"), ("x", "X")]
    attrs = {"id": "id_province", "aria-invalid": "true"}
    quick = QuickSelect(choices=choices).render("province", value, attrs)
    assert parse_html(quick) == parse_html(forms.Select(choices=choices).render("province", value, attrs))
    assert "<b>" not in quick and 'value="a&lt;b&quot;"' in quick

"""Place pages: the list (filters, search in any script, held-now counts, fixed queries), one place
(names, coordinates, population table and SVG chart, prisoners now and before) and the forms."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.places.models import Place, PlaceName, PopulationObservation
from habeas.places.services import place_create, population_record
from habeas.sources.services import source_store

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
PRISON = "Qinghe No. 3 Prison"  # where every bundle() person is detained


def html_of(response) -> str:
    return response.content.decode()


def place_data(**overrides) -> dict:
    data = {
        "names": "Qincheng Prison\n秦城监狱\n",
        "kind": "prison",
        "authority": "Ministry of Justice",
        "country": "cn",
        "province": "Beijing",
        "prefecture": "",
        "county": "Changping",
        "address": "",
        "latitude": "40.2",
        "longitude": "116.25",
        "capacity": "1500",
        "notes": "",
        "confidentiality": str(PUBLIC),
    }
    data.update(overrides)
    return data


# -- the list --------------------------------------------------------------------------------------
def test_list_shows_places_with_totals_and_people_held_now(client_for, viewer):
    make(bundle(1), bundle(2, names=("Wang Dan",)), bundle(3, names=("Chen Gone",), status="released"))
    html = html_of(client_for(viewer).get(reverse("web:place_list")))
    assert "1–2 of 2 places" in html
    rows = dict(
        re.findall(
            r'<a href="/places/\d+/">([^<]+)</a>.*?data-label="Held now" class="number">(\d+)<', html, re.S
        )
    )
    assert rows == {"Centre 0": "0", PRISON: "2"}


def test_list_search_finds_a_place_by_any_name_in_any_script(client_for, viewer, researcher):
    place_create(names=["Qincheng Prison", "秦城監獄"], by=researcher, confidentiality=PUBLIC)
    place_create(names=["Tilanqiao Prison"], by=researcher, confidentiality=PUBLIC)
    client = client_for(viewer)
    for query in ("秦城监狱", "qincheng", "QinCheng prison"):
        html = html_of(client.get(reverse("web:place_list"), {"q": query}))
        assert "Qincheng Prison" in html and "Tilanqiao" not in html and "1–1 of 1 place" in html


def test_list_filters_by_kind_province_and_authority(client_for, viewer, researcher):
    place_create(names=["A Prison"], by=researcher, kind="prison", province="Hebei", confidentiality=PUBLIC)
    place_create(
        names=["B Centre"],
        by=researcher,
        kind="detention_centre",
        authority="Public Security",
        confidentiality=PUBLIC,
    )
    client = client_for(viewer)
    url = reverse("web:place_list")
    assert "B Centre" not in html_of(client.get(url, {"kind": "prison"}))
    assert "B Centre" not in html_of(client.get(url, {"province": "Hebei"}))
    html = html_of(client.get(url, {"authority": "Public Security"}))
    assert "B Centre" in html and "A Prison" not in html


def test_a_restricted_place_never_shows_to_a_reader_without_clearance(
    client_for, viewer, reviewer, researcher
):
    secret = place_create(
        names=["Qzxv Site", "秘密Qzxv"], by=researcher, province="Qzxvprovince", confidentiality=RESTRICTED
    )
    for user in (viewer, reviewer):
        client = client_for(user)
        for query in ({}, {"q": "qzxv"}, {"q": "秘密"}):
            html = html_of(client.get(reverse("web:place_list"), query))
            assert "Qzxv Site" not in html and "Qzxvprovince" not in html
        assert client.get(reverse("web:place_detail", args=[secret.pk])).status_code == 404
    assert "Qzxv Site" in html_of(client_for(researcher).get(reverse("web:place_list")))


@pytest.mark.parametrize("url_name", ["web:place_list", "web:place_detail"])
def test_place_pages_cost_the_same_queries_for_few_or_many_prisoners(client_for, researcher, url_name):
    client = client_for(researcher)

    def queries() -> int:
        prison = Place.objects.get(name=PRISON)
        args = [prison.pk] if url_name == "web:place_detail" else []
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name, args=args)).status_code == 200
        return len(ctx.captured_queries)

    make(*[bundle(i, names=(f"Person {i}",)) for i in range(2)])
    few = queries()
    make(*[bundle(i, names=(f"Person {i}",), each=4) for i in range(2, 60)])
    many = queries()
    assert many == few
    if url_name == "web:place_detail":
        html = html_of(client.get(reverse(url_name, args=[Place.objects.get(name=PRISON).pk])))
        assert html.count('href="/persons/') == 60


# -- one place -------------------------------------------------------------------------------------
def test_place_page_shows_names_details_population_chart_and_prisoners(client_for, viewer, researcher):
    liu, wang, zhou = make(
        bundle(1, names=("Liu Mingde",)),
        bundle(2, names=("Wang Dan",), status="released"),
        bundle(3, names=("Zhou Qzxvhidden",), level=RESTRICTED),
    )
    prison = Place.objects.get(name=PRISON)
    Place.objects.filter(pk=prison.pk).update(
        latitude="39.5", longitude="116.1", capacity=2000, authority="Ministry of Justice"
    )
    PlaceName.objects.create(place=prison, text="清河第三监狱", script="Hans", key="清河第三监狱")
    source, _ = source_store(
        text="A fictional visit counted 1,850 prisoners.",
        title="Visit report",
        by=researcher,
        confidentiality=PUBLIC,
    )
    population_record(
        place=prison, observed="2015-03", population=1850, source=source, quote="1,850", by=researcher
    )
    population_record(place=prison, observed="2017", population=2100, unsourced=True, by=researcher)
    html = html_of(client_for(viewer).get(reverse("web:place_detail", args=[prison.pk])))
    assert "清河第三监狱" in html and "Ministry of Justice" in html and "39.500000, 116.100000" in html
    assert "Visit report" in html and "entered without a source" in html and "2,100" in html
    assert re.search(r'<svg[^>]*role="img"', html) and '<polyline class="series" points="' in html
    assert html.count('<circle class="point"') == 2
    now, before = html.split("Held here now")[1].split("Held here before")
    assert f'href="/persons/{liu.pk}/"' in now and f'href="/persons/{wang.pk}/"' not in now
    assert f'href="/persons/{wang.pk}/"' in before
    assert "Qzxvhidden" not in html and f"/persons/{zhou.pk}/" not in html


def test_hostile_place_text_is_escaped(client_for, viewer, researcher):
    place = place_create(
        names=[HOSTILE, "Centre"], by=researcher, authority=HOSTILE, notes=HOSTILE, confidentiality=PUBLIC
    )
    population_record(place=place, observed="2015", population=1, unsourced=True, note=HOSTILE, by=researcher)
    for url in (reverse("web:place_list"), reverse("web:place_detail", args=[place.pk])):
        html = html_of(client_for(viewer).get(url))
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


# -- forms -----------------------------------------------------------------------------------------
def test_create_a_place_with_names_in_two_scripts(client_for, researcher):
    response = client_for(researcher).post(reverse("web:place_create"), place_data())
    place = Place.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:place_detail", args=[place.pk]
    )
    assert place.name == "Qincheng Prison" and place.country == "CN" and place.capacity == 1500
    assert sorted(place.names.values_list("text", flat=True)) == ["Qincheng Prison", "秦城监狱"]
    assert (
        History.objects.filter(content_type__model="place", object_id=place.pk, action="create").count() == 1
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"latitude": "91"}, "Latitude must be between -90 and 90 degrees."),
        ({"longitude": "-180.5"}, "Longitude must be between -180 and 180 degrees."),
        ({"latitude": "north"}, "Enter a number."),
        ({"longitude": ""}, "Give both latitude and longitude, or neither."),
        ({"names": " \n "}, "This field is required."),
        ({"capacity": "-5"}, "greater than or equal to 0"),
    ],
)
def test_bad_place_input_is_refused_with_a_clear_message_and_the_input_kept(
    client_for, researcher, overrides, message
):
    response = client_for(researcher).post(reverse("web:place_create"), place_data(**overrides))
    html = html_of(response)
    assert response.status_code == 200 and message in html
    assert not Place.objects.exists() and not History.objects.exists()
    assert 'value="Ministry of Justice"' in html


def test_edit_a_place_and_a_conflicting_second_edit_is_refused(client_for, researcher, admin_user):
    place = place_create(names=["Qincheng Prison"], by=researcher, capacity=1000, confidentiality=PUBLIC)
    url = reverse("web:place_edit", args=[place.pk])
    form = html_of(client_for(researcher).get(url))
    assert 'name="version" value="1"' in form and "Qincheng Prison</textarea>" in form
    first = place_data(names="Qincheng Prison\n秦城监狱", capacity="1200", version="1")
    assert client_for(researcher).post(url, first).status_code == 302
    second = place_data(names="Qincheng Jail", capacity="900", version="1")
    response = client_for(admin_user).post(url, second)
    html = html_of(response)
    assert response.status_code == 409 and "changed by someone else" in html and 'value="900"' in html
    place.refresh_from_db()
    assert place.capacity == 1200 and place.version == 2
    assert sorted(place.names.values_list("text", flat=True)) == ["Qincheng Prison", "秦城监狱"]
    row = History.objects.get(content_type__model="place", object_id=place.pk, action="update")
    assert row.user == researcher and row.changes["capacity"] == [1000, 1200]


def test_add_a_population_count_citing_a_source(client_for, researcher):
    place = place_create(names=["Qincheng Prison"], by=researcher, confidentiality=PUBLIC)
    source, _ = source_store(
        text="In 2014 some 1,200 people were held (fictional).", title="Report", by=researcher
    )
    url = reverse("web:place_population_add", args=[place.pk])
    data = {"observed": "2014", "population": "1200", "source": str(source.pk), "quote": "some 1,200 people"}
    response = client_for(researcher).post(url, data)
    assert response.status_code == 302
    observation = PopulationObservation.objects.get()
    assert observation.citation is not None and observation.citation.quote == "some 1,200 people"
    assert History.objects.filter(
        content_type__model="populationobservation", object_id=observation.pk
    ).exists()


def test_add_a_population_count_without_a_source(client_for, researcher):
    place = place_create(names=["Qincheng Prison"], by=researcher, confidentiality=PUBLIC)
    url = reverse("web:place_population_add", args=[place.pk])
    response = client_for(researcher).post(
        url, {"observed": "2014-05", "population": "800", "unsourced": "on"}
    )
    assert response.status_code == 302
    assert PopulationObservation.objects.get().unsourced_by == researcher


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"observed": "2014", "population": "5"}, "or tick “without a source”"),
        ({"observed": "2014-13", "population": "5", "unsourced": "on"}, "month 13 does not exist"),
        (
            {"observed": "2014", "population": "5", "source": "SOURCE", "quote": "not in it"},
            "does not contain the quote",
        ),
        (
            {"observed": "2014", "population": "5", "source": "999999", "quote": "x"},
            "no source with that number",
        ),
        ({"observed": "2014", "population": "5", "source": "SOURCE", "unsourced": "on"}, "not both"),
    ],
)
def test_bad_population_input_is_refused_with_a_clear_message(client_for, researcher, data, message):
    place = place_create(names=["Qincheng Prison"], by=researcher, confidentiality=PUBLIC)
    source, _ = source_store(text="A fictional page.", title="Page", by=researcher)
    data = {k: (str(source.pk) if v == "SOURCE" else v) for k, v in data.items()}
    response = client_for(researcher).post(reverse("web:place_population_add", args=[place.pk]), data)
    assert response.status_code == 200 and message in html_of(response)
    assert not PopulationObservation.objects.exists() and not source.citations.exists()


def test_a_source_above_the_users_clearance_cannot_be_cited_and_reads_as_missing(client_for, researcher):
    place = place_create(names=["Qincheng Prison"], by=researcher, confidentiality=PUBLIC)
    secret, _ = source_store(text="Qzxv: 77 held.", title="Qzxv", by=researcher, confidentiality=RESTRICTED)
    researcher.clearance = INTERNAL
    researcher.save()
    data = {"observed": "2014", "population": "77", "source": str(secret.pk), "quote": "77 held"}
    html = html_of(client_for(researcher).post(reverse("web:place_population_add", args=[place.pk]), data))
    assert "no source with that number" in html and not PopulationObservation.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_only_researchers_and_admins_may_change_places(client_for, personas, researcher, role):
    place = place_create(names=["Qincheng Prison"], by=researcher, confidentiality=PUBLIC)
    client = client_for(personas[role])
    for url in (
        reverse("web:place_create"),
        reverse("web:place_edit", args=[place.pk]),
        reverse("web:place_population_add", args=[place.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, place_data(version="1")).status_code == 403
    assert Place.objects.count() == 1 and History.objects.filter(action="update").count() == 0


def test_an_editor_below_a_places_level_gets_404_on_its_forms(client_for, researcher):
    secret = place_create(names=["Qzxv Site"], by=researcher, confidentiality=RESTRICTED)
    researcher.clearance = INTERNAL
    researcher.save()
    client = client_for(researcher)
    for url in (
        reverse("web:place_edit", args=[secret.pk]),
        reverse("web:place_population_add", args=[secret.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, place_data(version="1")).status_code == 404
    secret.refresh_from_db()
    assert secret.version == 1


def test_place_pages_have_no_inline_scripts_or_styles(client_for, researcher):
    make(bundle(1))
    prison = Place.objects.get(name=PRISON)
    population_record(place=prison, observed="2015", population=10, unsourced=True, by=researcher)
    client = client_for(researcher)
    for url in (
        reverse("web:place_list"),
        reverse("web:place_detail", args=[prison.pk]),
        reverse("web:place_create"),
        reverse("web:place_edit", args=[prison.pk]),
        reverse("web:place_population_add", args=[prison.pk]),
    ):
        html = html_of(client.get(url))
        assert re.search(r"<script(?![^>]*\ssrc=)", html) is None, url
        assert " style=" not in html and "<style" not in html, url


def test_place_page_links_its_history_for_readers_cleared_for_internal_records(client_for, viewer, reviewer):
    make(bundle(1))
    prison = Place.objects.get(name=PRISON)
    history = reverse("web:place_history", args=[prison.pk])
    assert history not in html_of(client_for(viewer).get(reverse("web:place_detail", args=[prison.pk])))
    assert history in html_of(client_for(reviewer).get(reverse("web:place_detail", args=[prison.pk])))


def test_chart_coordinates_are_written_with_a_decimal_point_in_any_language(researcher):
    from django.template.loader import render_to_string
    from django.utils import translation

    from habeas.places.selectors import place_detail

    place = place_create(names=["Qincheng Prison"], by=researcher, capacity=7, confidentiality=PUBLIC)
    for observed, count in (("2013", 3), ("2014-07", 5)):
        population_record(place=place, observed=observed, population=count, unsourced=True, by=researcher)
    detail = place_detail(researcher, place.pk)
    with translation.override("de"):  # a locale that writes 1,5 for 1.5
        context = {"detail": detail, "place": place, "user": researcher}
        html = render_to_string("web/place_detail.html", context)
    coordinates = re.findall(r'(?:cx|cy|y1|y2)="([^"]*)"', html)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coordinates), coordinates
    assert any("." in c for c in coordinates)

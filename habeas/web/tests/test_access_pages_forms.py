"""The access pages' forms that add a monitoring body and a benchmark set: saved whole or not at all,
clear errors, hostile text shown escaped, editors only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from habeas.access.models import BenchmarkSet, BodyAlias, Criterion, MonitoringBody
from habeas.access.services import benchmark_set_create, body_create
from habeas.accounts.models import Confidentiality
from habeas.audit.models import History

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def nothing_written(seeded: int) -> bool:
    """No body beyond the standard ones the migrations add, and none of the form's aliases."""
    return (
        MonitoringBody.objects.count() == seeded
        and not BodyAlias.objects.filter(text__contains="Rurit").exists()
    )


@pytest.fixture
def seeded(db) -> int:
    return MonitoringBody.objects.count()


def body_data(**changes: Any) -> dict[str, str]:
    data = {
        "name": "Preventive Mechanism of Ruritania",
        "short_name": "NPM-R",
        "kind": "npm",
        "mandate": "detention",
        "description": "Visits places of detention unannounced since 2019.",
        "url": "https://npm.example.org/about",
        "aliases": "Ruritanian NPM\n\n  National Preventive Mechanism of Ruritania  \n",
        "confidentiality": "0",
    }
    return {**data, **changes}


def set_data(**changes: Any) -> dict[str, str]:
    data = {
        "title": "Dialogue benchmarks 2026",
        "country": "cn",
        "description": "Conditions put to the government before the next round.",
        "criteria": "Visits: UN experts may visit any prison unannounced\n\nLawyers: detainees see a lawyer "
        "of their choice within 48 hours\n",
        "confidentiality": "0",
    }
    return {**data, **changes}


# -- monitoring bodies -----------------------------------------------------------------------------
def test_the_bodies_list_links_the_form_for_editors_only(client_for, researcher, viewer) -> None:
    url = reverse("web:access_body_create")
    assert url in client_for(researcher).get(reverse("web:access_body_list")).content.decode()
    assert url not in client_for(viewer).get(reverse("web:access_body_list")).content.decode()


def test_a_body_is_saved_with_its_aliases_and_history(client_for, researcher) -> None:
    response = client_for(researcher).post(reverse("web:access_body_create"), body_data())
    body = MonitoringBody.objects.get(name="Preventive Mechanism of Ruritania")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:access_body_detail", args=[body.pk])
    assert (body.short_name, body.kind, body.mandate) == ("NPM-R", "npm", "detention")
    assert body.url == "https://npm.example.org/about" and body.created_by == researcher
    assert sorted(BodyAlias.objects.filter(body=body).values_list("text", flat=True)) == [
        "National Preventive Mechanism of Ruritania",
        "Ruritanian NPM",
    ]
    assert History.objects.filter(object_id=body.pk, action="create", user=researcher).exists()
    page = client_for(researcher).get(response["Location"]).content.decode()
    assert "Preventive Mechanism of Ruritania" in page


def test_a_duplicate_name_is_refused_on_its_field(client_for, researcher, seeded) -> None:
    body_create(name="Ruritanian Helsinki Committee", kind="ngo", by=researcher)
    for name in ("ruritanian helsinki committee", "Working Group on Arbitrary Detention"):
        response = client_for(researcher).post(reverse("web:access_body_create"), body_data(name=name))
        assert response.status_code == 200
        assert "exists already" in response.content.decode()
    assert nothing_written(seeded + 1)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://files.example.org/x", "file:///etc/passwd", "http://", "not a url at all"],
)
def test_a_url_that_is_not_a_web_address_is_refused(client_for, researcher, seeded, url) -> None:
    response = client_for(researcher).post(reverse("web:access_body_create"), body_data(url=url))
    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode() or "http or https" in response.content.decode()
    assert nothing_written(seeded)


def test_an_alias_without_letters_refuses_the_whole_body(client_for, researcher, seeded) -> None:
    response = client_for(researcher).post(
        reverse("web:access_body_create"), body_data(aliases="Ruritanian NPM\n--- ...")
    )
    assert response.status_code == 200 and "needs letters" in response.content.decode()
    assert nothing_written(seeded)


def test_bad_choices_and_a_missing_name_are_errors(client_for, researcher, seeded) -> None:
    response = client_for(researcher).post(
        reverse("web:access_body_create"), body_data(name="  ", kind="army", mandate="x")
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.count('class="error"') >= 3
    assert nothing_written(seeded)


def test_a_level_above_the_editors_clearance_is_refused(client_for, low_researcher, seeded) -> None:
    client = client_for(low_researcher)
    form = client.get(reverse("web:access_body_create")).content.decode()
    assert f'value="{Confidentiality.RESTRICTED}"' not in form
    response = client.post(
        reverse("web:access_body_create"), body_data(confidentiality=str(Confidentiality.RESTRICTED))
    )
    assert response.status_code == 200 and nothing_written(seeded)


def test_hostile_text_is_stored_as_typed_and_shown_escaped(client_for, researcher) -> None:
    client = client_for(researcher)
    response = client.post(
        reverse("web:access_body_create"),
        body_data(name=f"Body {HOSTILE}", short_name="", description=HOSTILE, aliases=HOSTILE),
    )
    assert response.status_code == 302
    body = MonitoringBody.objects.get(description=HOSTILE)
    assert body.name == f"Body {HOSTILE}"
    for url in (response["Location"], reverse("web:access_body_list")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
    # Refused (duplicate) and shown again in the form: escaped there too.
    again = client.post(reverse("web:access_body_create"), body_data(name=f"Body {HOSTILE}")).content.decode()
    assert "<script>alert" not in again and "&lt;script&gt;" in again


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_a_viewer_or_reviewer_may_not_add_a_body(as_role, seeded, role) -> None:
    client = as_role(role)
    assert client.get(reverse("web:access_body_create")).status_code == 403
    assert client.post(reverse("web:access_body_create"), body_data()).status_code == 403
    assert nothing_written(seeded)


# -- benchmark sets --------------------------------------------------------------------------------
def test_the_benchmarks_list_links_the_form_for_editors_only(client_for, researcher, viewer) -> None:
    url = reverse("web:benchmark_create")
    assert url in client_for(researcher).get(reverse("web:benchmark_list")).content.decode()
    assert url not in client_for(viewer).get(reverse("web:benchmark_list")).content.decode()


def test_a_benchmark_set_is_saved_with_its_criteria_in_order(client_for, researcher) -> None:
    response = client_for(researcher).post(reverse("web:benchmark_create"), set_data())
    bset = BenchmarkSet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:benchmark_scorecard", args=[bset.pk])
    assert (bset.title, bset.country, bset.created_by) == ("Dialogue benchmarks 2026", "CN", researcher)
    assert list(bset.criteria.order_by("position").values_list("position", "label", "text")) == [
        (1, "Visits", "UN experts may visit any prison unannounced"),
        (2, "Lawyers", "detainees see a lawyer of their choice within 48 hours"),
    ]
    page = client_for(researcher).get(response["Location"]).content.decode()
    assert "Lawyers" in page


def test_the_country_is_offered_from_the_address(client_for, researcher) -> None:
    html = client_for(researcher).get(reverse("web:benchmark_create"), {"country": "VN"}).content.decode()
    assert 'value="VN"' in html


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"criteria": "Visits UN experts may visit"}, "Line 1"),
        ({"criteria": "Visits: ok\n: no label\nLawyers:"}, "Line 2, 3"),
        ({"criteria": "x" * 101 + ": too long a label"}, "Line 1"),
        ({"criteria": "   \n  "}, "This field is required"),
        ({"criteria": "Visits: a\nvisits: b"}, "same short label"),
        ({"country": "C1"}, "two letters"),
        ({"country": "CHN"}, "at most 2"),
        ({"title": ""}, "This field is required"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(client_for, researcher, changes, error) -> None:
    response = client_for(researcher).post(reverse("web:benchmark_create"), set_data(**changes))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not BenchmarkSet.objects.exists() and not Criterion.objects.exists()


def test_a_duplicate_title_for_the_country_is_refused(client_for, researcher) -> None:
    benchmark_set_create(
        title="Dialogue benchmarks 2026", country="CN", criteria=[("Visits", "any prison")], by=researcher
    )
    response = client_for(researcher).post(reverse("web:benchmark_create"), set_data())
    assert response.status_code == 200 and "already has a benchmark set" in response.content.decode()
    assert BenchmarkSet.objects.count() == 1 and Criterion.objects.count() == 1
    # The same title for another country is another set.
    other = client_for(researcher).post(reverse("web:benchmark_create"), set_data(country="VN"))
    assert other.status_code == 302 and BenchmarkSet.objects.count() == 2


def test_too_many_criteria_are_refused(client_for, researcher) -> None:
    lines = "\n".join(f"C{n}: criterion {n}" for n in range(101))
    response = client_for(researcher).post(reverse("web:benchmark_create"), set_data(criteria=lines))
    assert response.status_code == 200 and "at most 100" in response.content.decode()
    assert not BenchmarkSet.objects.exists()


def test_hostile_benchmark_text_is_shown_escaped(client_for, researcher) -> None:
    client = client_for(researcher)
    response = client.post(
        reverse("web:benchmark_create"),
        set_data(title=f"Set {HOSTILE}", description=HOSTILE, criteria=f"Visits: {HOSTILE}"),
    )
    assert response.status_code == 302
    for url in (response["Location"], reverse("web:benchmark_list")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html


def test_a_restricted_set_needs_the_clearance(client_for, low_researcher, researcher) -> None:
    restricted = str(Confidentiality.RESTRICTED)
    refused = client_for(low_researcher).post(
        reverse("web:benchmark_create"), set_data(confidentiality=restricted)
    )
    assert refused.status_code == 200 and not BenchmarkSet.objects.exists()
    saved = client_for(researcher).post(reverse("web:benchmark_create"), set_data(confidentiality=restricted))
    assert saved.status_code == 302
    assert BenchmarkSet.objects.get().confidentiality == Confidentiality.RESTRICTED


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_a_viewer_or_reviewer_may_not_add_a_benchmark_set(as_role, role) -> None:
    client = as_role(role)
    assert client.get(reverse("web:benchmark_create")).status_code == 403
    assert client.post(reverse("web:benchmark_create"), set_data()).status_code == 403
    assert not BenchmarkSet.objects.exists()

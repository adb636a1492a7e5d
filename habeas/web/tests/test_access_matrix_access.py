"""The access pages: every URL x every role, and planted secrets that must never reach a reader
without clearance (pages and forms alike)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from habeas.access.models import AccessNegotiation, BenchmarkSet, MonitoringBody
from habeas.access.seeds import benchmarks_1993_seed
from habeas.access.services import (
    assessment_record,
    benchmark_set_create,
    body_create,
    guarantee_state_record,
    negotiation_create,
    status_record,
)
from habeas.access.tests.helpers import body, place, source
from habeas.accounts.models import Confidentiality
from habeas.sources.services import citation_for_quote
from habeas.web.tests.roles import ROLES, assert_answer

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED

# Unique strings that appear nowhere else: finding one in a page means the secret leaked.
SECRET_STEP = "Qzxvaccessstep"  # a restricted step of a public negotiation
SECRET_SOURCE = "Qzxvaccesssource"  # a restricted source cited by a public step
SECRET_NEGOTIATION = "Qzxvaccessnego"  # a restricted negotiation's subject
SECRET_BODY = "Qzxvaccessbody"  # a restricted monitoring body
SECRET_GUARANTEE = "Qzxvaccessguar"  # a restricted guarantee, and a restricted note on a public one
SECRET_PLACE = "Qzxvaccessplace"  # a restricted place named by a public negotiation
SECRET_ASSESSMENT = "Qzxvaccessrate"  # a restricted assessment of a public benchmark
SECRET_SET = "Qzxvaccessset"  # a restricted benchmark set
MARKERS = (
    SECRET_STEP,
    SECRET_SOURCE,
    SECRET_NEGOTIATION,
    SECRET_BODY,
    SECRET_GUARANTEE,
    SECRET_PLACE,
    SECRET_ASSESSMENT,
    SECRET_SET,
)


@dataclass
class World:
    public: AccessNegotiation
    internal: AccessNegotiation
    restricted: AccessNegotiation
    hidden_body: MonitoringBody
    public_set: BenchmarkSet
    restricted_set: BenchmarkSet


@pytest.fixture
def world(admin_user) -> World:
    by = admin_user
    open_place, secret_place = place(), place(f"Camp {SECRET_PLACE}", level=RESTRICTED)
    public = negotiation_create(
        body=body(),
        country="CN",
        subject="prison visits",
        scope="places",
        places=[open_place, secret_place],
        confidentiality=PUBLIC,
        by=by,
    )
    status_record(negotiation=public, status="requested", date="1993", unsourced=True, by=by)
    status_record(
        negotiation=public,
        status="refused",
        date="1994",
        note=SECRET_STEP,
        unsourced=True,
        confidentiality=RESTRICTED,
        by=by,
    )
    secret_source = source(
        text=f"Cable. {SECRET_SOURCE} says the visit was agreed.",
        title=f"Cable {SECRET_SOURCE}",
        level=RESTRICTED,
    )
    status_record(
        negotiation=public,
        status="agreed",
        date="1995",
        confidentiality=PUBLIC,
        by=by,
        citations=[
            citation_for_quote(source=secret_source, quote=f"{SECRET_SOURCE} says the visit was agreed")
        ],
    )
    guarantee_state_record(
        negotiation=public,
        kind="icrc_repeat_visits",
        state="asked",
        date="1993",
        unsourced=True,
        confidentiality=PUBLIC,
        by=by,
    )
    guarantee_state_record(
        negotiation=public,
        kind="icrc_repeat_visits",
        state="violated",
        date="1996",
        note=SECRET_GUARANTEE,
        unsourced=True,
        confidentiality=RESTRICTED,
        by=by,
    )
    guarantee_state_record(
        negotiation=public,
        kind="other",
        other_text=f"see {SECRET_GUARANTEE}",
        state="asked",
        date="1993",
        unsourced=True,
        confidentiality=RESTRICTED,
        by=by,
    )
    internal = negotiation_create(
        body=body("WGAD"), country="CN", subject="arbitrary detention", confidentiality=INTERNAL, by=by
    )
    status_record(negotiation=internal, status="requested", date="2004", unsourced=True, by=by)
    restricted = negotiation_create(
        body=body("SR torture"),
        country="CN",
        subject=f"torture {SECRET_NEGOTIATION}",
        confidentiality=RESTRICTED,
        by=by,
    )
    status_record(negotiation=restricted, status="requested", date="2003", unsourced=True, by=by)
    hidden_body = body_create(name=f"Commission {SECRET_BODY}", kind="ngo", confidentiality=RESTRICTED, by=by)
    # A public negotiation of a restricted body: hidden with its body.
    hidden_bodys = negotiation_create(
        body=hidden_body, country="CN", subject="visits", confidentiality=PUBLIC, by=by
    )
    status_record(
        negotiation=hidden_bodys, status="requested", date="2002", note=SECRET_BODY, unsourced=True, by=by
    )
    public_set, _ = benchmarks_1993_seed()
    humane = public_set.criteria.get(label="Humane treatment")
    assessment_record(criterion=humane, date="1994", rating=0, summary="No visits.", unsourced=True, by=by)
    assessment_record(
        criterion=humane,
        date="1998",
        rating=-1,
        summary=SECRET_ASSESSMENT,
        unsourced=True,
        confidentiality=RESTRICTED,
        by=by,
    )
    restricted_set = benchmark_set_create(
        title=f"Set {SECRET_SET}",
        country="VN",
        criteria=[("Visits", f"criterion {SECRET_SET}")],
        confidentiality=RESTRICTED,
        by=by,
    )
    return World(public, internal, restricted, hidden_body, public_set, restricted_set)


# url name -> expected status per role (admin, researcher, reviewer, viewer, anonymous).
MATRIX: list[tuple[str, str, tuple[int, int, int, int, int]]] = [
    ("GET", "body_list", (200, 200, 200, 200, 302)),
    ("GET", "body_list_icrc", (200, 200, 200, 200, 302)),
    ("POST", "body_list", (405, 405, 405, 405, 302)),
    ("GET", "body_public", (200, 200, 200, 200, 302)),
    ("GET", "body_restricted", (200, 200, 404, 404, 302)),
    ("GET", "body_missing", (404, 404, 404, 404, 302)),
    ("GET", "body_create", (200, 200, 403, 403, 302)),
    ("POST", "body_create", (200, 200, 403, 403, 302)),
    ("GET", "negotiation_list", (200, 200, 200, 200, 302)),
    ("GET", "negotiation_list_filtered", (200, 200, 200, 200, 302)),
    ("POST", "negotiation_list", (405, 405, 405, 405, 302)),
    ("GET", "negotiation_public", (200, 200, 200, 200, 302)),
    ("GET", "negotiation_internal", (200, 200, 200, 404, 302)),
    ("GET", "negotiation_restricted", (200, 200, 404, 404, 302)),
    ("GET", "negotiation_of_hidden_body", (200, 200, 404, 404, 302)),
    ("GET", "negotiation_missing", (404, 404, 404, 404, 302)),
    ("POST", "negotiation_public", (405, 405, 405, 405, 302)),
    ("GET", "negotiation_create", (200, 200, 403, 403, 302)),
    ("POST", "negotiation_create", (200, 200, 403, 403, 302)),
    ("GET", "negotiation_edit_public", (200, 200, 403, 403, 302)),
    ("POST", "negotiation_edit_public", (200, 200, 403, 403, 302)),
    ("GET", "negotiation_edit_restricted", (200, 200, 403, 403, 302)),
    ("GET", "negotiation_edit_missing", (404, 404, 403, 403, 302)),
    ("GET", "status_add_public", (200, 200, 403, 403, 302)),
    ("POST", "status_add_public", (200, 200, 403, 403, 302)),
    ("GET", "status_add_restricted", (200, 200, 403, 403, 302)),
    ("GET", "status_add_missing", (404, 404, 403, 403, 302)),
    ("GET", "guarantee_add_public", (200, 200, 403, 403, 302)),
    ("POST", "guarantee_add_public", (200, 200, 403, 403, 302)),
    ("GET", "guarantee_add_missing", (404, 404, 403, 403, 302)),
    ("GET", "country_list", (200, 200, 200, 200, 302)),
    ("GET", "country_cn", (200, 200, 200, 200, 302)),
    ("GET", "country_nowhere", (200, 200, 200, 200, 302)),
    ("GET", "country_bad", (404, 404, 404, 404, 302)),
    ("POST", "country_cn", (405, 405, 405, 405, 302)),
    ("GET", "benchmark_list", (200, 200, 200, 200, 302)),
    ("GET", "benchmark_create", (200, 200, 403, 403, 302)),
    ("POST", "benchmark_create", (200, 200, 403, 403, 302)),
    ("GET", "scorecard_public", (200, 200, 200, 200, 302)),
    ("GET", "scorecard_restricted", (200, 200, 404, 404, 302)),
    ("GET", "scorecard_missing", (404, 404, 404, 404, 302)),
    ("POST", "scorecard_public", (405, 405, 405, 405, 302)),
    ("GET", "assess_public", (200, 200, 403, 403, 302)),
    ("POST", "assess_public", (200, 200, 403, 403, 302)),
    ("GET", "assess_restricted", (200, 200, 403, 403, 302)),
    ("GET", "assess_missing", (404, 404, 403, 403, 302)),
]


def url_for(name: str, w: World) -> str:
    n, missing = w.public.pk, AccessNegotiation.objects.order_by("-pk")[0].pk + 1000
    hidden_bodys = AccessNegotiation.objects.get(body=w.hidden_body).pk
    urls = {
        "body_list": reverse("web:access_body_list"),
        "body_list_icrc": reverse("web:access_body_list") + "?kind=icrc",
        "body_public": reverse("web:access_body_detail", args=[w.public.body_id]),
        "body_restricted": reverse("web:access_body_detail", args=[w.hidden_body.pk]),
        "body_missing": reverse("web:access_body_detail", args=[w.hidden_body.pk + 1000]),
        "body_create": reverse("web:access_body_create"),
        "negotiation_list": reverse("web:access_negotiation_list"),
        "negotiation_list_filtered": reverse("web:access_negotiation_list")
        + "?country=CN&status=agreed&page=2",
        "negotiation_public": reverse("web:access_negotiation_detail", args=[n]),
        "negotiation_internal": reverse("web:access_negotiation_detail", args=[w.internal.pk]),
        "negotiation_restricted": reverse("web:access_negotiation_detail", args=[w.restricted.pk]),
        "negotiation_of_hidden_body": reverse("web:access_negotiation_detail", args=[hidden_bodys]),
        "negotiation_missing": reverse("web:access_negotiation_detail", args=[missing]),
        "negotiation_create": reverse("web:access_negotiation_create"),
        "negotiation_edit_public": reverse("web:access_negotiation_edit", args=[n]),
        "negotiation_edit_restricted": reverse("web:access_negotiation_edit", args=[w.restricted.pk]),
        "negotiation_edit_missing": reverse("web:access_negotiation_edit", args=[missing]),
        "status_add_public": reverse("web:access_status_add", args=[n]),
        "status_add_restricted": reverse("web:access_status_add", args=[w.restricted.pk]),
        "status_add_missing": reverse("web:access_status_add", args=[missing]),
        "guarantee_add_public": reverse("web:access_guarantee_add", args=[n]),
        "guarantee_add_missing": reverse("web:access_guarantee_add", args=[missing]),
        "country_list": reverse("web:access_country_list"),
        "country_cn": reverse("web:access_country", args=["CN"]),
        "country_nowhere": reverse("web:access_country", args=["zz"]),
        "country_bad": reverse("web:access_country", args=["c1"]),
        "benchmark_list": reverse("web:benchmark_list"),
        "benchmark_create": reverse("web:benchmark_create"),
        "scorecard_public": reverse("web:benchmark_scorecard", args=[w.public_set.pk]),
        "scorecard_restricted": reverse("web:benchmark_scorecard", args=[w.restricted_set.pk]),
        "scorecard_missing": reverse("web:benchmark_scorecard", args=[w.restricted_set.pk + 1000]),
        "assess_public": reverse("web:benchmark_assess", args=[w.public_set.pk]),
        "assess_restricted": reverse("web:benchmark_assess", args=[w.restricted_set.pk]),
        "assess_missing": reverse("web:benchmark_assess", args=[w.restricted_set.pk + 1000]),
    }
    return urls[name]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "expected"), MATRIX, ids=[f"{m} {n}" for m, n, _ in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_matrix(as_role, world, method, name, expected, role_index) -> None:
    client = as_role(ROLES[role_index])
    url = url_for(name, world)
    response = client.post(url) if method == "POST" else client.get(url)
    assert_answer(response, expected[role_index])


def pages(client, w: World) -> dict[str, str]:
    """Every access page a reader might reach, including the forms and searches for the secrets."""
    names = [name for method, name, _ in MATRIX if method == "GET"]
    seen = {name: client.get(url_for(name, w)).content.decode() for name in names}
    for n in AccessNegotiation.objects.all():
        seen[f"negotiation {n.pk}"] = client.get(
            reverse("web:access_negotiation_detail", args=[n.pk])
        ).content.decode()
    for code in ("CN", "VN"):
        seen[f"country {code}"] = client.get(reverse("web:access_country", args=[code])).content.decode()
    for status in ("refused", "agreed", "requested"):
        seen[f"list {status}"] = client.get(
            reverse("web:access_negotiation_list"), {"status": status}
        ).content.decode()
    seen["list by hidden body"] = client.get(
        reverse("web:access_negotiation_list"), {"body": w.hidden_body.pk}
    ).content.decode()
    return seen


def leaks(seen: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (page, marker) for page, html in seen.items() for marker in MARKERS if marker.lower() in html.lower()
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_planted_secrets_never_reach_a_reader_without_clearance(as_role, world, role) -> None:
    seen = pages(as_role(role), world)
    assert leaks(seen) == []
    public = seen["negotiation_public"]
    assert "restricted source" in public and "1 place you may not see" in public
    # The restricted "refused" is not the current status for them; "agreed" (public) is.
    assert "agreed" in public and "refused" not in public.split("<main>")[1].split("Timeline")[0]


@pytest.mark.django_db
def test_an_internal_researcher_sees_no_secret_in_pages_or_forms(client_for, low_researcher, world) -> None:
    client = client_for(low_researcher)
    seen = pages(client, world)
    seen["create form"] = client.get(reverse("web:access_negotiation_create")).content.decode()
    seen["edit public"] = client.get(
        reverse("web:access_negotiation_edit", args=[world.public.pk])
    ).content.decode()
    # A search for the secret place by name answers like a missing place.
    response = client.post(
        reverse("web:access_negotiation_create"),
        {
            "body": world.hidden_body.pk,
            "country": "CN",
            "subject": "x",
            "scope": "places",
            "places": f"Camp {SECRET_PLACE}",
            "requested": "2001",
            "confidentiality": "0",
            "cite-unsourced": "on",
            "_save": "1",
        },
    )
    seen["create with the secret place"] = response.content.decode().replace(f"Camp {SECRET_PLACE}", "")
    assert (
        response.status_code == 200 and "No single place you may see" in seen["create with the secret place"]
    )
    assert leaks(seen) == []
    assert client.get(reverse("web:access_negotiation_edit", args=[world.restricted.pk])).status_code == 404


@pytest.mark.django_db
def test_editing_keeps_places_the_editor_cannot_see(client_for, low_researcher, world) -> None:
    url = reverse("web:access_negotiation_edit", args=[world.public.pk])
    data = {
        "subject": "prison visits",
        "scope": "places",
        "places": "Qinghe No. 3 Prison",
        "purposes": "",
        "confidentiality": "0",
        "version": str(world.public.version),
    }
    assert client_for(low_researcher).post(url, data).status_code == 302
    assert world.public.places.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_planted_secrets_are_shown_to_a_cleared_reader(as_role, world, role) -> None:
    seen = pages(as_role(role), world)
    assert SECRET_STEP in seen["negotiation_public"] and SECRET_SOURCE in seen["negotiation_public"]
    assert SECRET_GUARANTEE in seen["negotiation_public"] and SECRET_PLACE in seen["negotiation_public"]
    assert SECRET_NEGOTIATION in seen["negotiation_list"] and SECRET_BODY in seen["body_list"]
    assert SECRET_ASSESSMENT in seen["scorecard_public"] and SECRET_SET in seen["benchmark_list"]
    assert SECRET_NEGOTIATION in seen["country CN"]

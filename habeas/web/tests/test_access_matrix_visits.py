"""Every visits URL x every role, and planted secrets that must never reach a reader without clearance:
not in a page, a report, an export or the CLI. Interview notes never appear anywhere but the explicit,
logged read by a cleared user."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from habeas.accounts.models import Confidentiality
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.places.services import place_create
from habeas.sources.services import citation_for_quote, source_store
from habeas.visits import services
from habeas.visits.models import Interview, Recommendation, Visit
from habeas.visits.tests.fixtures import notes_key_fixture, trip_fixture  # noqa: F401
from habeas.web.tests.roles import ROLES, assert_answer

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED

SECRET_VISIT = "Qzxvsecretvisit"
SECRET_FINDING = "Qzxvsecretfinding"
SECRET_PLACE = "Qzxvsecretvisitplace"
SECRET_SOURCE = "Qzxvsecretvisitsource"
SECRET_STAGE = "Qzxvsecretstage"
SECRET_GUARANTEE = "Qzxvsecretguarantee"
SECRET_REC = "Qzxvsecretrecommendation"
SECRET_STATUS = "Qzxvsecretstatus"
SECRET_ALLEGATION = "Qzxvsecretallegation"
SECRET_PERSON = "Qzxvsecretinterviewee"
SECRET_FOLLOWUP = "Qzxvsecretfollowup"
SECRET_NOTES = "Qzxvsecretnotes"  # encrypted: never shown but to a cleared reader who asks
SECRET_INTERNAL = "Qzxvinternalvisit"  # internal: the reviewer sees it, the viewer does not
MARKERS = (
    SECRET_VISIT,
    SECRET_FINDING,
    SECRET_PLACE,
    SECRET_SOURCE,
    SECRET_STAGE,
    SECRET_GUARANTEE,
    SECRET_REC,
    SECRET_STATUS,
    SECRET_ALLEGATION,
    SECRET_PERSON,
    SECRET_FOLLOWUP,
    SECRET_NOTES,
)


@dataclass
class World:
    public: Visit
    internal: Visit
    restricted: Visit
    internal_interview: Interview
    restricted_interview: Interview
    public_rec: Recommendation
    restricted_rec: Recommendation


@pytest.fixture
def world(trip, admin_user) -> World:
    by = admin_user
    public = trip.visit
    trip.place.country = "CN"
    trip.place.save()
    secret_source, _ = source_store(
        text=f"Internal memo {SECRET_SOURCE}: cell block C holds 90 men in 120 m2.",
        title=f"Memo {SECRET_SOURCE}",
        confidentiality=RESTRICTED,
        by=by,
    )
    # A public finding that cites a restricted source: the finding shows, the source is named restricted.
    services.finding_record(
        visit_place=trip.visit_place,
        area="accommodation",
        text="Cell block C is overcrowded.",
        measure="floor_shared",
        value="1.3",
        confidentiality=PUBLIC,
        citations=[citation_for_quote(source=secret_source, quote="cell block C holds 90 men in 120 m2")],
        by=by,
    )
    services.finding_record(
        visit_place=trip.visit_place,
        area="health",
        text=f"{SECRET_FINDING} no doctor for months",
        confidentiality=RESTRICTED,
        unsourced=True,
        by=by,
    )
    secret_place = place_create(
        names=[f"Site {SECRET_PLACE}"], country="CN", confidentiality=RESTRICTED, by=by
    )
    services.visit_place_add(visit=public, place=secret_place, population=77, unsourced=True, by=by)
    services.stage_set(
        visit=public, kind="closing_talk", notes=f"{SECRET_STAGE} director", confidentiality=RESTRICTED, by=by
    )
    services.guarantee_outcome_record(
        visit=public, guarantee="icrc_all_premises", outcome="denied", note=SECRET_GUARANTEE,
        confidentiality=RESTRICTED, unsourced=True, by=by,
    )  # fmt: skip
    public_rec = services.recommendation_record(
        visit=public, addressed_to="Ministry of Justice", text="Open cell block C to inspection.",
        confidentiality=PUBLIC, unsourced=True, by=by,
    )  # fmt: skip
    services.recommendation_status_record(
        recommendation=public_rec, status="rejected", date="2025-09", note=SECRET_STATUS,
        confidentiality=RESTRICTED, unsourced=True, by=by,
    )  # fmt: skip
    restricted_rec = services.recommendation_record(
        visit=public, addressed_to=f"Bureau {SECRET_REC}", text=SECRET_REC, confidentiality=RESTRICTED,
        unsourced=True, by=by,
    )  # fmt: skip
    (person,) = make(bundle(61, names=(f"Li {SECRET_PERSON}",), level=RESTRICTED))
    restricted_interview = services.interview_record(
        visit=public, person=person, notes=f"{SECRET_NOTES} beaten in the cellar", consent_given=True,
        consent_authorities=True, consent_public=True, consent_named=True, unsourced=True, by=by,
    )  # fmt: skip
    services.allegation_record(
        interview=restricted_interview, kind="torture", injuries=SECRET_ALLEGATION,
        narrative=f"{SECRET_NOTES} narrative", unsourced=True, by=by,
    )  # fmt: skip
    services.follow_up_record(
        interview=restricted_interview, date="2025-08", outcome=SECRET_FOLLOWUP, unsourced=True, by=by
    )
    internal_interview = services.interview_record(
        visit=public,
        notes=f"{SECRET_NOTES} internal interview",
        confidentiality=INTERNAL,
        unsourced=True,
        by=by,
    )
    internal = services.visit_create(
        body=trip.body,
        title=f"Visit {SECRET_INTERNAL}",
        started="2024",
        confidentiality=INTERNAL,
        unsourced=True,
        by=by,
    )
    restricted = services.visit_create(
        body=trip.body, title=f"Visit {SECRET_VISIT}", started="2023", confidentiality=RESTRICTED,
        unsourced=True, by=by, summary_public=SECRET_VISIT,
    )  # fmt: skip
    return World(
        public, internal, restricted, internal_interview, restricted_interview, public_rec, restricted_rec
    )


def urls(world: World) -> dict[str, str]:
    v, missing = world.public.pk, world.restricted.pk + 1000
    return {
        "visit_list": reverse("web:visit_list"),
        "visit_list_search": reverse("web:visit_list") + "?q=qinghe&body=1",
        "visit_public": reverse("web:visit_detail", args=[v]),
        "visit_internal": reverse("web:visit_detail", args=[world.internal.pk]),
        "visit_restricted": reverse("web:visit_detail", args=[world.restricted.pk]),
        "visit_missing": reverse("web:visit_detail", args=[missing]),
        "visit_create": reverse("web:visit_create"),
        "visit_edit_public": reverse("web:visit_edit", args=[v]),
        "visit_edit_restricted": reverse("web:visit_edit", args=[world.restricted.pk]),
        "visit_edit_missing": reverse("web:visit_edit", args=[missing]),
        "visit_place_add": reverse("web:visit_place_add", args=[v]),
        "visit_place_add_missing": reverse("web:visit_place_add", args=[missing]),
        "visit_stage": reverse("web:visit_stage", args=[v, "tour"]),
        "visit_stage_unknown": reverse("web:visit_stage", args=[v, "lunch"]),
        "visit_guarantee": reverse("web:visit_guarantee", args=[v]),
        "interview_add": reverse("web:interview_add", args=[v]),
        "interview_add_restricted_visit": reverse("web:interview_add", args=[world.restricted.pk]),
        "finding_add": reverse("web:finding_add", args=[v]),
        "visit_recommendation_add": reverse("web:visit_recommendation_add", args=[v]),
        "report_authorities": reverse("web:visit_report", args=[v, "authorities"]),
        "report_public": reverse("web:visit_report", args=[v, "public"]),
        "report_public_json": reverse("web:visit_report", args=[v, "public"]) + "?format=json",
        "report_unknown": reverse("web:visit_report", args=[v, "press"]),
        "report_restricted": reverse("web:visit_report", args=[world.restricted.pk, "authorities"]),
        "report_missing": reverse("web:visit_report", args=[missing, "public"]),
        "interview_internal": reverse("web:interview_detail", args=[world.internal_interview.pk]),
        "interview_internal_notes": reverse("web:interview_detail", args=[world.internal_interview.pk])
        + "?notes=1",
        "interview_restricted": reverse("web:interview_detail", args=[world.restricted_interview.pk]),
        "interview_missing": reverse("web:interview_detail", args=[world.restricted_interview.pk + 1000]),
        "interview_edit_internal": reverse("web:interview_edit", args=[world.internal_interview.pk]),
        "interview_edit_missing": reverse("web:interview_edit", args=[world.restricted_interview.pk + 1000]),
        "interview_notes_internal": reverse("web:interview_notes", args=[world.internal_interview.pk]),
        "interview_notes_restricted": reverse("web:interview_notes", args=[world.restricted_interview.pk]),
        "allegation_add": reverse("web:allegation_add", args=[world.restricted_interview.pk]),
        "follow_up_add": reverse("web:follow_up_add", args=[world.internal_interview.pk]),
        "follow_up_add_missing": reverse("web:follow_up_add", args=[world.restricted_interview.pk + 1000]),
        "gaps": reverse("web:visit_gaps"),
        "gaps_measure": reverse("web:visit_gaps") + "?measure=floor_shared&page=2",
        "recommendation_list": reverse("web:recommendation_list"),
        "recommendation_list_filtered": reverse("web:recommendation_list") + "?status=none&q=ministry",
        "recommendation_add": reverse("web:recommendation_add"),
        "recommendation_status_public": reverse("web:recommendation_status_add", args=[world.public_rec.pk]),
        "recommendation_status_restricted": reverse(
            "web:recommendation_status_add", args=[world.restricted_rec.pk]
        ),
        "recommendation_status_missing": reverse(
            "web:recommendation_status_add", args=[world.restricted_rec.pk + 99]
        ),
    }


READ = (200, 200, 200, 200, 302)
INTERNAL_READ = (200, 200, 200, 404, 302)
RESTRICTED_READ = (200, 200, 404, 404, 302)
MISSING = (404, 404, 404, 404, 302)
NOT_ALLOWED = (405, 405, 405, 405, 302)
FORM = (200, 200, 403, 403, 302)
FORM_MISSING = (404, 404, 403, 403, 302)

# url name -> expected status per role (admin, researcher, reviewer, viewer, anonymous).
MATRIX: list[tuple[str, str, tuple[int, int, int, int, int]]] = [
    ("GET", "visit_list", READ),
    ("GET", "visit_list_search", READ),
    ("POST", "visit_list", NOT_ALLOWED),
    ("GET", "visit_public", READ),
    ("POST", "visit_public", NOT_ALLOWED),
    ("GET", "visit_internal", INTERNAL_READ),
    ("GET", "visit_restricted", RESTRICTED_READ),
    ("GET", "visit_missing", MISSING),
    ("GET", "visit_create", FORM),
    ("POST", "visit_create", FORM),
    ("GET", "visit_edit_public", FORM),
    ("POST", "visit_edit_public", FORM),
    ("GET", "visit_edit_restricted", FORM),
    ("GET", "visit_edit_missing", FORM_MISSING),
    ("GET", "visit_place_add", FORM),
    ("POST", "visit_place_add", FORM),
    ("GET", "visit_place_add_missing", FORM_MISSING),
    ("GET", "visit_stage", FORM),
    ("POST", "visit_stage", FORM),
    ("GET", "visit_stage_unknown", FORM_MISSING),
    ("GET", "visit_guarantee", FORM),
    ("POST", "visit_guarantee", FORM),
    ("GET", "interview_add", FORM),
    ("POST", "interview_add", FORM),
    ("GET", "interview_add_restricted_visit", FORM),
    ("GET", "finding_add", FORM),
    ("POST", "finding_add", FORM),
    ("GET", "visit_recommendation_add", FORM),
    ("POST", "visit_recommendation_add", FORM),
    ("GET", "report_authorities", READ),
    ("GET", "report_public", READ),
    ("GET", "report_public_json", READ),
    ("POST", "report_public", NOT_ALLOWED),
    ("GET", "report_unknown", MISSING),
    ("GET", "report_restricted", RESTRICTED_READ),
    ("GET", "report_missing", MISSING),
    ("GET", "interview_internal", INTERNAL_READ),
    ("GET", "interview_internal_notes", INTERNAL_READ),  # the reviewer is told notes are restricted
    ("POST", "interview_internal", NOT_ALLOWED),
    ("GET", "interview_restricted", RESTRICTED_READ),
    ("GET", "interview_missing", MISSING),
    ("GET", "interview_edit_internal", FORM),
    ("POST", "interview_edit_internal", FORM),
    ("GET", "interview_edit_missing", FORM_MISSING),
    ("GET", "interview_notes_internal", FORM),
    ("POST", "interview_notes_internal", FORM),  # an empty POST clears nothing
    ("GET", "interview_notes_restricted", FORM),
    ("GET", "allegation_add", FORM),
    ("POST", "allegation_add", FORM),
    ("GET", "follow_up_add", FORM),
    ("POST", "follow_up_add", FORM),
    ("GET", "follow_up_add_missing", FORM_MISSING),
    ("GET", "gaps", READ),
    ("GET", "gaps_measure", READ),
    ("POST", "gaps", NOT_ALLOWED),
    ("GET", "recommendation_list", READ),
    ("GET", "recommendation_list_filtered", READ),
    ("POST", "recommendation_list", NOT_ALLOWED),
    ("GET", "recommendation_add", FORM),
    ("POST", "recommendation_add", FORM),
    ("GET", "recommendation_status_public", FORM),
    ("POST", "recommendation_status_public", FORM),
    ("GET", "recommendation_status_restricted", FORM),
    ("GET", "recommendation_status_missing", FORM_MISSING),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "expected"), MATRIX, ids=[f"{m} {n}" for m, n, _ in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_matrix(as_role, world, method, name, expected, role_index) -> None:
    client = as_role(ROLES[role_index])
    url = urls(world)[name]
    response = client.post(url) if method == "POST" else client.get(url)
    assert_answer(response, expected[role_index])


def test_every_visits_url_is_in_the_matrix() -> None:
    from habeas.web.urls_visits import urlpatterns

    named = {p.name for p in urlpatterns}
    covered = {
        "visit_list", "visit_detail", "visit_create", "visit_edit", "visit_place_add", "visit_stage",
        "visit_guarantee", "interview_add", "finding_add", "visit_recommendation_add", "visit_report",
        "interview_detail", "interview_edit", "interview_notes", "allegation_add", "follow_up_add",
        "visit_gaps", "recommendation_list", "recommendation_add", "recommendation_status_add",
    }  # fmt: skip
    assert named == covered


def cli(user, *args: str) -> str:
    out = StringIO()
    try:
        call_command("visits", *args, "--user", user.username, stdout=out)
    except Exception as error:  # a refusal is an output too: it must not leak either
        return f"{out.getvalue()}\n{error}"
    return out.getvalue()


def outputs(client, user, world: World) -> dict[str, str]:
    """Every page, export and CLI output a reader might reach, including searches for the secrets."""
    seen = {name: client.get(url).content.decode() for name, url in urls(world).items()}
    for visit in (world.public, world.internal, world.restricted):
        for audience in ("authorities", "public"):
            url = reverse("web:visit_report", args=[visit.pk, audience])
            seen[f"report {visit.pk} {audience}"] = client.get(url).content.decode()
            seen[f"report {visit.pk} {audience} json"] = client.get(url + "?format=json").content.decode()
        for fmt in ("text", "json"):
            seen[f"cli show {visit.pk} {fmt}"] = cli(user, "show", str(visit.pk), "--format", fmt)
            for audience in ("authorities", "public"):
                seen[f"cli report {visit.pk} {audience} {fmt}"] = cli(
                    user, "report", str(visit.pk), "--for", audience, "--format", fmt
                )
    for fmt in ("text", "json"):
        seen[f"cli list {fmt}"] = cli(user, "list", "--format", fmt)
        seen[f"cli recommendations {fmt}"] = cli(user, "recommendations", "--format", fmt)
    for marker in MARKERS:
        html = client.get(reverse("web:visit_list"), {"q": marker}).content.decode()
        seen[f"search {marker}"] = html.replace(f'value="{marker}"', "")
        html = client.get(reverse("web:recommendation_list"), {"q": marker}).content.decode()
        seen[f"recommendations search {marker}"] = html.replace(f'value="{marker}"', "")
    with contextlib.suppress(NoReverseMatch):  # the access pages, where they are there
        seen["country page"] = client.get(reverse("web:access_country", args=["CN"])).content.decode()
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_planted_secrets_never_reach_a_reader_without_clearance(as_role, personas, world, role) -> None:
    seen = outputs(as_role(role), personas[role], world)
    markers = MARKERS if role == "reviewer" else (*MARKERS, SECRET_INTERNAL)
    leaks = [(page, m) for page, text in seen.items() for m in markers if m.lower() in text.lower()]
    assert leaks == []
    # The public finding shows, its restricted source named only as restricted.
    assert (
        "Cell block C is overcrowded." in seen["visit_public"] and "restricted source" in seen["visit_public"]
    )
    assert "1.3" in json.dumps(seen[f"cli show {world.public.pk} json"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_secrets_are_shown_to_a_cleared_reader_and_notes_only_on_request(
    as_role, personas, world, role
) -> None:
    seen = outputs(as_role(role), personas[role], world)
    page = seen["visit_public"]
    for marker in (
        SECRET_FINDING,
        SECRET_PLACE,
        SECRET_STAGE,
        SECRET_GUARANTEE,
        SECRET_REC,
        SECRET_STATUS,
        SECRET_PERSON,
    ):
        assert marker in page, marker
    assert SECRET_SOURCE in page and SECRET_VISIT in seen["visit_list"]
    assert (
        SECRET_ALLEGATION in seen["interview_restricted"] and SECRET_FOLLOWUP in seen["interview_restricted"]
    )
    # Consent to be named and to public use: named in the authorities' report; the public one keeps to
    # public records, and this interview is restricted.
    assert SECRET_PERSON in seen["report_authorities"] and SECRET_PERSON not in seen["report_public"]
    # Notes: only on the explicit read (logged), never in any other page, report, export or CLI output.
    assert SECRET_NOTES in seen["interview_internal_notes"]
    assert SECRET_NOTES in seen["interview_notes_internal"]  # the notes form, itself a logged read
    others = [
        p
        for p, text in seen.items()
        if SECRET_NOTES in text
        and p not in ("interview_internal_notes", "interview_notes_internal", "interview_notes_restricted")
    ]
    assert others == []

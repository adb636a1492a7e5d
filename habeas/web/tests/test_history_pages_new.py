"""History pages of the access, visits and dialogue records: each record's page links its history, the
history follows the clearance of every record on the way to the page that shows it (404 above it),
interview notes and allegation narratives show only as "changed (encrypted)", and a restricted record's
history never reaches a reader without clearance. All names and texts are fictional."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from habeas.access import services as access
from habeas.access.models import AccessNegotiation, MonitoringBody
from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dialogue import services as dialogue
from habeas.dialogue.models import Interlocutor
from habeas.dossiers import services as dossiers
from habeas.places.services import place_create
from habeas.sources.services import citation_for_quote, source_store
from habeas.visits import services as visits
from habeas.visits.models import Interview, Visit
from habeas.visits.tests.fixtures import notes_key_fixture  # noqa: F401  (autouse: the notes key)
from habeas.web.history import KINDS, SEALED_TEXT
from habeas.web.tests.roles import ROLES, assert_answer

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
NOTES = "He named the guard Qxnotesmarker who beat him."
NEWER_NOTES = "Second talk: Qxnewernotes, no reprisals yet."
NARRATIVE = "Held in a tiger chair for Qxnarrativemarker days."
SECRET = "Qxrestrictedera"  # planted in restricted records and restricted-era values
REPORT = (
    "Geneva, 3 May 2025. The delegation found 1.6 m2 per person in block B. The ministry granted private "
    "interviews. It recommends that the Ministry of Justice reduce overcrowding. The ministry said the "
    "teacher would be released on medical parole."
)
NEW_SLUGS = (
    "negotiation",
    "negotiation-status",
    "guarantee",
    "guarantee-change",
    "benchmark-assessment",
    "visit",
    "visit-place",
    "finding",
    "recommendation",
    "recommendation-status",
    "interview",
    "interview-allegation",
    "follow-up",
    "engagement",
    "prisoner-list",
    "list-entry",
    "response",
    "outcome",
)


@dataclass
class World:
    records: dict[str, Any]  # slug -> record
    pages: dict[str, str]  # slug -> the page that shows the record (and links its history)
    body: MonitoringBody
    negotiation: AccessNegotiation
    visit: Visit
    interview: Interview
    interlocutor: Interlocutor


def history(slug: str, pk: int) -> str:
    return reverse("web:fact_history", args=[slug, pk])


@pytest.fixture
def world(researcher) -> World:
    """One internal record of every new kind, made through the apps' services by rita (cleared for
    restricted records)."""
    by = researcher
    report, _ = source_store(text=REPORT, title="Visit report", confidentiality=PUBLIC, by=by)
    found = citation_for_quote(source=report, quote="found 1.6 m2 per person in block B", by=by)
    person = dossiers.person_create(
        names=["Liu Mingde"], unsourced=True, by=by, confidentiality=INTERNAL, occupation="teacher"
    )
    place = place_create(names=["Qinghe No. 9 Prison"], confidentiality=INTERNAL, by=by)
    body = access.body_create(name="Committee for History Tests", kind="npm", confidentiality=INTERNAL, by=by)
    negotiation = access.negotiation_create(
        body=body, country="CN", subject="prison visits", confidentiality=INTERNAL, by=by
    )
    status = access.status_record(
        negotiation=negotiation, status="requested", date="2024-11", unsourced=True, by=by
    )
    change = access.guarantee_state_record(
        negotiation=negotiation, kind="un_no_reprisals", state="asked", date="2024-11", unsourced=True, by=by
    )
    benchmarks = access.benchmark_set_create(
        title="Trade conditions",
        country="CN",
        criteria=[("Prisoners", "Account for prisoners")],
        by=by,
        confidentiality=INTERNAL,
    )
    assessment = access.assessment_record(
        criterion=benchmarks.criteria.get(),
        date="1994-05",
        rating=1,
        summary="Few releases.",
        unsourced=True,
        by=by,
    )
    visit = visits.visit_create(
        body=body,
        negotiation=negotiation,
        title="Visit to Qinghe",
        started="2025-05-03",
        confidentiality=INTERNAL,
        citations=[found],
        by=by,
    )
    visit_place = visits.visit_place_add(visit=visit, place=place, date="2025-05-03", unsourced=True, by=by)
    finding = visits.finding_record(
        visit_place=visit_place, area="accommodation", text="Crowded cells.", citations=[found], by=by
    )
    recommendation = visits.recommendation_record(
        visit=visit, addressed_to="Ministry of Justice", text="Reduce overcrowding.", unsourced=True, by=by
    )
    rec_status = visits.recommendation_status_record(
        recommendation=recommendation, status="accepted", date="2025-09", unsourced=True, by=by
    )
    interview = visits.interview_record(
        visit=visit,
        person=person,
        date="2025-05-04",
        notes=NOTES,
        confidentiality=INTERNAL,
        unsourced=True,
        by=by,
    )
    visits.interview_notes_set(interview=interview, notes=NEWER_NOTES, by=by)
    allegation = visits.allegation_record(
        interview=interview, kind="torture", narrative=NARRATIVE, unsourced=True, by=by
    )
    follow_up = visits.follow_up_record(
        interview=interview, date="2025-08", outcome="No reprisals found.", unsourced=True, by=by
    )
    interlocutor = dialogue.interlocutor_create(
        name="Ministry of Justice", kind="ministry", country="CN", confidentiality=INTERNAL, by=by
    )
    engagement = dialogue.engagement_create(
        kind="dialogue_round", title="Dialogue round 2025", interlocutor=interlocutor, unsourced=True, by=by
    )
    plist = dialogue.list_create(title="List 2025", interlocutor=interlocutor, engagement=engagement, by=by)
    entry = dialogue.entry_add(prisoner_list=plist, person=person, requests=["release"], by=by)
    dialogue.list_hand_over(prisoner_list=plist, handed_over="2025-06-10", by=by)
    response = dialogue.response_record(entry=entry, type="token_response", unsourced=True, by=by)
    outcome = dialogue.outcome_record(
        person=person, kind="family_visit", date="2025-09", unsourced=True, entries=[entry], by=by
    )
    records = {
        "negotiation": negotiation,
        "negotiation-status": status,
        "guarantee": change.guarantee,
        "guarantee-change": change,
        "benchmark-assessment": assessment,
        "visit": visit,
        "visit-place": visit_place,
        "finding": finding,
        "recommendation": recommendation,
        "recommendation-status": rec_status,
        "interview": interview,
        "interview-allegation": allegation,
        "follow-up": follow_up,
        "engagement": engagement,
        "prisoner-list": plist,
        "list-entry": entry,
        "response": response,
        "outcome": outcome,
    }
    negotiation_page = reverse("web:access_negotiation_detail", args=[negotiation.pk])
    visit_page = reverse("web:visit_detail", args=[visit.pk])
    interview_page = reverse("web:interview_detail", args=[interview.pk])
    list_page = reverse("web:dialogue_list", args=[plist.pk])
    pages = {
        "negotiation": negotiation_page,
        "negotiation-status": negotiation_page,
        "guarantee": negotiation_page,
        "guarantee-change": negotiation_page,
        "benchmark-assessment": reverse("web:benchmark_scorecard", args=[benchmarks.pk]),
        "visit": visit_page,
        "visit-place": visit_page,
        "finding": visit_page,
        "recommendation": visit_page,
        "recommendation-status": visit_page,
        "interview": interview_page,
        "interview-allegation": interview_page,
        "follow-up": interview_page,
        "engagement": reverse("web:dialogue_engagement", args=[engagement.pk]),
        "prisoner-list": list_page,
        "list-entry": list_page,
        "response": list_page,
        "outcome": list_page,
    }
    return World(records, pages, body, negotiation, visit, interview, interlocutor)


def test_every_new_kind_is_known_to_the_history_pages() -> None:
    assert set(NEW_SLUGS) <= set(KINDS)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", NEW_SLUGS)
def test_each_record_page_links_its_history_which_shows_who_and_when(
    slug: str, world: World, client_for, reviewer
) -> None:
    record = world.records[slug]
    client = client_for(reviewer)
    page = client.get(world.pages[slug])
    assert page.status_code == 200
    assert history(slug, record.pk) in page.content.decode()
    answer = client.get(history(slug, record.pk))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Created" in html and "by rita" in html
    # Back to the page that shows the record (for an outcome: the person's dossier).
    back = world.pages[slug] if slug != "outcome" else reverse("web:person_detail", args=[record.person_id])
    assert f'href="{back}"' in html


@pytest.mark.django_db
def test_interview_history_says_the_notes_changed_never_what_they_say(world: World, client_for, researcher):
    interview = world.interview
    ciphertexts = [interview.notes_encrypted, *History.objects.values_list("changes", flat=True)]
    html = client_for(researcher).get(history("interview", interview.pk)).content.decode()
    assert html.count(SEALED_TEXT) == 2  # created with notes, then the notes replaced
    for text in (NOTES, NEWER_NOTES, "Qxnotesmarker", "Qxnewernotes", interview.notes_encrypted):
        assert text not in html
    # No stored token of any history row reaches the page.
    tokens = [c.get("notes_encrypted") for c in ciphertexts[1:] if isinstance(c, dict)]
    assert [t for t in tokens if t] and not any(t in html for t in tokens if t)
    allegation = world.records["interview-allegation"]
    html = client_for(researcher).get(history("interview-allegation", allegation.pk)).content.decode()
    assert SEALED_TEXT in html and "Qxnarrativemarker" not in html
    assert allegation.narrative_encrypted not in html
    # The interview's person is named and linked, as on the page itself.
    assert "Liu Mingde" in client_for(researcher).get(history("interview", interview.pk)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", NEW_SLUGS)
def test_a_record_above_the_readers_clearance_answers_404(slug: str, world: World, client_for, reviewer):
    record = world.records[slug]
    type(record).objects.filter(pk=record.pk).update(confidentiality=RESTRICTED)
    assert client_for(reviewer).get(history(slug, record.pk)).status_code == 404
    assert client_for(reviewer).get(history(slug, 10**8)).status_code == 404  # missing: the same


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("root", "dependents"),
    [
        ("body", ("negotiation", "negotiation-status", "guarantee", "guarantee-change", "visit", "finding")),
        ("negotiation", ("negotiation-status", "guarantee", "guarantee-change")),
        (
            "visit",
            (
                "visit-place",
                "finding",
                "recommendation",
                "recommendation-status",
                "interview",
                "interview-allegation",
                "follow-up",
            ),
        ),
        ("interlocutor", ("engagement", "prisoner-list", "list-entry", "response")),
    ],
)
def test_a_record_on_the_way_above_clearance_hides_the_records_below_it(
    root: str, dependents: tuple[str, ...], world: World, client_for, reviewer, researcher
) -> None:
    parent = getattr(world, root)
    type(parent).objects.filter(pk=parent.pk).update(confidentiality=RESTRICTED)
    for slug in dependents:
        pk = world.records[slug].pk
        assert client_for(reviewer).get(history(slug, pk)).status_code == 404, slug
        assert client_for(researcher).get(history(slug, pk)).status_code == 200, slug


@pytest.mark.django_db
def test_a_restricted_record_and_restricted_era_values_never_reach_a_reader_without_clearance(
    world: World, client_for, researcher, reviewer, viewer
) -> None:
    by = researcher
    # A negotiation that was restricted for a while, with a secret purpose then, now internal.
    negotiation = world.negotiation
    negotiation = access.negotiation_update(
        negotiation=negotiation,
        version=negotiation.version,
        by=by,
        confidentiality=RESTRICTED,
        purposes=f"Meet {SECRET} privately",
    )
    negotiation = access.negotiation_update(
        negotiation=negotiation,
        version=negotiation.version,
        by=by,
        confidentiality=INTERNAL,
        purposes="Prison visits",
    )
    # Restricted records of each app, each carrying the secret.
    hidden_visit = visits.visit_create(
        body=world.body,
        title=f"Visit {SECRET}",
        started="2025-07",
        confidentiality=RESTRICTED,
        unsourced=True,
        by=by,
    )
    hidden_list = dialogue.list_create(
        title=f"List {SECRET}", interlocutor=world.interlocutor, confidentiality=RESTRICTED, by=by
    )
    hidden_status = access.status_record(
        negotiation=world.negotiation,
        status="refused",
        date="2025-01",
        note=SECRET,
        unsourced=True,
        confidentiality=RESTRICTED,
        by=by,
    )
    hidden = [
        history("visit", hidden_visit.pk),
        history("prisoner-list", hidden_list.pk),
        history("negotiation-status", hidden_status.pk),
    ]
    shown = [history(slug, record.pk) for slug, record in world.records.items()]
    # Rita, cleared for restricted records, reads all of it: the secret is really there.
    assert SECRET in client_for(researcher).get(history("negotiation", negotiation.pk)).content.decode()
    for reader in (reviewer, viewer):
        client = client_for(reader)
        for url in hidden:
            assert client.get(url).status_code == 404, url
        for url in [*shown, *(world.pages.values())]:
            answer = client.get(url)
            assert SECRET not in answer.content.decode(), (reader.username, url)
    html = client_for(reviewer).get(history("negotiation", negotiation.pk)).content.decode()
    assert "hidden: the record was above your clearance then" in html and "Prison visits" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, (200, 200, 200, 404, 302), strict=True)))
def test_history_of_an_internal_record_by_role(role: str, expected: int, world: World, as_role) -> None:
    """Readers cleared for internal records get the page; a viewer (public only) a 404 as for a missing
    record; a signed-out visitor is sent to sign in."""
    assert_answer(as_role(role).get(history("visit", world.visit.pk)), expected)


@pytest.mark.django_db
def test_a_public_record_shows_a_viewer_the_notice_not_the_history(world: World, client_for, viewer) -> None:
    Visit.objects.filter(pk=world.visit.pk).update(confidentiality=PUBLIC)
    MonitoringBody.objects.filter(pk=world.body.pk).update(confidentiality=PUBLIC)
    html = client_for(viewer).get(history("visit", world.visit.pk)).content.decode()
    assert "shown only to readers cleared for internal records" in html and "by rita" not in html
    # And the visit page offers the viewer no history link.
    page = client_for(viewer).get(reverse("web:visit_detail", args=[world.visit.pk])).content.decode()
    assert history("visit", world.visit.pk) not in page


@pytest.mark.django_db
def test_a_guarantee_change_history_names_its_citation_and_stays_a_few_queries(
    world: World, researcher, django_assert_max_num_queries, client_for
) -> None:
    negotiation = world.negotiation
    report, _ = source_store(text=REPORT, title="Visit report", confidentiality=PUBLIC, by=researcher)
    granted = citation_for_quote(source=report, quote="The ministry granted private interviews")
    for state in ("granted", "violated", "granted", "refused"):
        change = access.guarantee_state_record(
            negotiation=negotiation,
            kind="un_documents",
            state=state,
            date="2025-05",
            citations=[granted],
            by=researcher,
        )
    client = client_for(researcher)
    with django_assert_max_num_queries(20):
        html = client.get(history("guarantee", change.guarantee.pk)).content.decode()
    assert "by rita" in html
    html = client.get(history("guarantee-change", change.pk)).content.decode()
    assert "Visit report" in html and f"?cite={granted.pk}" in html


@pytest.mark.django_db
def test_values_naming_bodies_lists_and_parent_records_read_by_name(world: World, client_for, reviewer):
    client = client_for(reviewer)
    html = client.get(history("negotiation", world.negotiation.pk)).content.decode()
    assert "Committee for History Tests" in html  # the body by its name, not its id
    html = client.get(history("visit-place", world.records["visit-place"].pk)).content.decode()
    assert f'href="{history("visit", world.visit.pk)}"' in html  # the visit, linked to its own history
    assert "Qinghe No. 9 Prison" in html
    html = client.get(history("list-entry", world.records["list-entry"].pk)).content.decode()
    assert f'href="{history("prisoner-list", world.records["prisoner-list"].pk)}"' in html

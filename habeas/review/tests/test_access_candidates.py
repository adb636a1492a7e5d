"""Access events found in a source become review candidates; accepted, they land in habeas.access as a
step of the body's negotiation with the country, the conditions as guarantees, all cited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from habeas.access.models import AccessNegotiation, Guarantee, GuaranteeChange, NegotiationStatusChange
from habeas.review.models import Candidate, CandidateKind, CandidateState
from habeas.review.services import candidate_accept, candidate_reject, extraction_run
from habeas.sources.services import source_store

pytestmark = pytest.mark.django_db

TEXT = (
    "Home | World | Asia\n"
    "Skip to main content\n"
    "GENEVA, Nov. 9 - The government said on Tuesday it had agreed to give the UN torture investigator "
    "unconditional access to prisons, including private interviews with inmates, during a visit next "
    "year. The International Committee of the Red Cross said its request to visit prisons was still "
    "being considered.\n"
    "Copyright 2002 Harbour Wire. All rights reserved."
)


def span(words: str) -> list[int]:
    start = TEXT.index(words)
    return [start, start + len(words)]


def output(country: str | None = "CN") -> dict:
    event = {
        "body": "UN Special Rapporteur on torture",
        "status": "agreed",
        "date": "2002-11-05",
        "conditions": ["unconditional", "private interviews"],
        "evidence": [span("it had agreed to give the UN torture investigator unconditional access")],
        "confidence": 0.8,
    }
    if country:
        event["country"] = country
    return {"published": "2002-11-09", "persons": [], "allegations": [], "access": [event]}


@pytest.fixture
def source(researcher):
    return source_store(text=TEXT, title="UN access", publisher="Harbour Wire", by=researcher)[0]


def test_an_access_event_becomes_a_pending_candidate_tied_to_no_person(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=output())
    candidate = Candidate.objects.get(kind=CandidateKind.ACCESS)
    assert candidate.state == CandidateState.PENDING and candidate.parent is None
    assert candidate.values == {
        "body": "UN Special Rapporteur on torture",
        "country": "CN",
        "status": "agreed",
        "date": "2002-11-05",
        "conditions": ["unconditional", "private interviews"],
    }
    assert candidate.confidence == 0.8
    assert not NegotiationStatusChange.objects.exists()  # nothing lands unreviewed


def test_accepting_records_the_step_and_the_guarantees_with_citations(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=output())
    candidate = candidate_accept(candidate=Candidate.objects.get(kind=CandidateKind.ACCESS), by=researcher)
    step = NegotiationStatusChange.objects.get()
    assert candidate.created_id == step.pk and step.status == "agreed"
    negotiation = AccessNegotiation.objects.get()
    assert negotiation.country == "CN" and negotiation.body.short_name
    assert (candidate.accepted_values or {})["negotiation"] == negotiation.pk
    assert step.citation is not None and "unconditional access" in step.citation.quote
    assert Guarantee.objects.filter(negotiation=negotiation).exists()
    assert set(GuaranteeChange.objects.values_list("state", flat=True)) == {"granted"}


def test_the_reviewer_names_the_country_when_the_extractor_did_not(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=output(country=None))
    candidate = Candidate.objects.get(kind=CandidateKind.ACCESS)
    with pytest.raises(ValidationError, match="country"):
        candidate_accept(candidate=candidate, by=researcher)
    assert not AccessNegotiation.objects.exists()  # the refusal left nothing half-written
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.PENDING
    candidate_accept(candidate=candidate, by=researcher, edits={"country": "cn"})
    assert AccessNegotiation.objects.get().country == "CN"
    assert Candidate.objects.get(pk=candidate.pk).state == CandidateState.EDITED


def test_an_unknown_body_or_status_is_refused_by_name(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=output())
    candidate = Candidate.objects.get(kind=CandidateKind.ACCESS)
    with pytest.raises(ValidationError, match="monitoring body"):
        candidate_accept(candidate=candidate, by=researcher, edits={"body": "Committee of Nobody"})
    with pytest.raises(ValidationError, match="status"):
        candidate_accept(candidate=candidate, by=researcher, edits={"status": "negotiated"})
    assert not NegotiationStatusChange.objects.exists()


def test_bad_access_output_is_refused_before_anything_is_stored(source, researcher) -> None:
    bad = output()
    bad["access"][0]["conditions"] = "private interviews"
    with pytest.raises(ValidationError, match=r"access\[0\].conditions must be a list"):
        extraction_run(source=source, by=researcher, extracted=bad)
    with pytest.raises(ValidationError, match="with a body"):
        extraction_run(source=source, by=researcher, extracted={"access": [{"status": "agreed"}]})
    assert not Candidate.objects.exists()


def test_rejecting_writes_nothing_to_access(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=output())
    candidate_reject(candidate=Candidate.objects.get(kind=CandidateKind.ACCESS), by=researcher)
    assert not AccessNegotiation.objects.exists()


def test_the_review_page_offers_the_event_and_accepts_it_with_edits(client, source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=output(country=None))
    candidate = Candidate.objects.get(kind=CandidateKind.ACCESS)
    client.force_login(researcher)
    page = client.get(reverse("web:review_source", args=[source.pk])).content.decode()
    assert f'id="candidate-{candidate.pk}"' in page
    assert 'name="edit-conditions" value="unconditional, private interviews"' in page
    assert 'name="person" min="1"' not in page  # an access event is about no person
    response = client.post(
        reverse("web:candidate_decide", args=[candidate.pk]),
        {
            "action": "edit",
            "edit-body": "UN Special Rapporteur on torture",
            "edit-country": "CN",
            "edit-status": "agreed",
            "edit-date": "2002-11-05",
            "edit-conditions": "unconditional, private interviews",
        },
    )
    assert response.status_code in (200, 302)
    negotiation = AccessNegotiation.objects.get()
    page = client.get(reverse("web:review_source", args=[source.pk])).content.decode()
    assert reverse("web:access_negotiation_detail", args=[negotiation.pk]) in page

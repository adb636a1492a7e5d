"""Candidates from an extractor's output: stored with checked spans, linked across scripts within the
decider's clearance, and landed in dossiers only when accepted, through the dossier services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers.models import (
    Allegation,
    Charge,
    CustodyPeriod,
    Detention,
    HealthNote,
    Person,
    PersonName,
    Sentence,
    StatusChange,
)
from habeas.dossiers.services import person_create
from habeas.places.services import place_create
from habeas.review.models import Candidate, CandidateKind, CandidateSpan, CandidateState, ExtractionRun
from habeas.review.selectors import person_matches, review_detail
from habeas.review.services import (
    NEW,
    candidate_accept,
    candidate_reject,
    candidates_auto_accept,
    extraction_run,
    statute_split,
)
from habeas.sources.models import Citation, Source
from habeas.sources.services import source_store

# A fictional report; the offsets below are found in it, never typed in.
TEXT = (
    "Skip to main content\n"
    "Activist jailed in Gansu\n"
    "Ma Lixin (马立新), an ethnic Hui lathe operator and founder of the Huaxin Workers' Union, was "
    "detained in November 2010 and sentenced on February 28, 2011 to five years and six months in "
    "prison for inciting subversion of state power. He is held in Lanzhou No. 2 Prison and suffers "
    "from diabetes. His lawyer said he had been tortured. Judge Zhao Ping presided."
)


def span(text: str, words: str) -> list[int]:
    start = text.index(words)
    return [start, start + len(words)]


def contract(text: str = TEXT, *, confidence: float | None = None, name: str = "Ma Lixin") -> dict[str, Any]:
    """Output in the shape of the extraction contract (issue 4), built by hand."""
    person: dict[str, Any] = {
        "name": name,
        "names": [name, "马立新"] if name == "Ma Lixin" else [name],
        "role": "detainee",
        "ethnicity": "Hui",
        "organizations": [{"name": "Huaxin Workers' Union", "relation": "founder"}],
        "occupation": "lathe operator",
        "detained": "2010-11",
        "sentenced": "2011-02-28",
        "released": None,
        "sentence": {"kind": "fixed", "months": 66},
        "charges": [{"text": "inciting subversion of state power", "statute": "PRC-CL-1997 art. 105(2)"}],
        "place": "Lanzhou No. 2 Prison",
        "status": "detained",
        "health": ["diabetes"],
        "evidence": [span(text, "Ma Lixin (马立新), an ethnic Hui"), span(text, "sentenced on February 28")],
    }
    if confidence is not None:
        person["confidence"] = confidence
    official = {"name": "Zhao Ping", "role": "official", "evidence": [span(text, "Judge Zhao Ping")]}
    return {
        "published": "2011-03-04",
        "persons": [person, official],
        "access": [],
        "allegations": [{"type": "torture", "evidence": [span(text, "had been tortured")]}],
    }


@pytest.fixture
def source(admin_user) -> Source:
    return source_store(text=TEXT, title="Activist jailed", by=admin_user, published="2011-03-04")[0]


def kinds(run: ExtractionRun) -> list[str]:
    return list(run.candidates.order_by("position").values_list("kind", flat=True))


def by_kind(source: Source, kind: str) -> Candidate:
    """The first pending-or-decided candidate of a kind in the latest run."""
    found = Candidate.objects.filter(source=source, kind=kind).order_by("-run_id", "position").first()
    assert found is not None
    return found


# -- storing ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_candidates_are_stored_with_their_spans_and_nothing_reaches_a_dossier(source, researcher) -> None:
    run = extraction_run(source=source, by=researcher, extracted=contract())
    assert kinds(run) == [
        "person", "detention", "sentence", "charge", "place", "status", "health", "affiliation",
        "person", "allegation",
    ]  # fmt: skip
    person = by_kind(source, "person")
    quotes = [TEXT[s.start : s.end] for s in person.spans.all()]
    assert quotes == ["Ma Lixin (马立新), an ethnic Hui", "sentenced on February 28"]
    assert by_kind(source, "charge").values == {
        "text": "inciting subversion of state power",
        "statute": "PRC Criminal Law 1997",
        "article": "105(2)",
    }
    # The allegation goes to the detainee, not to the judge.
    assert by_kind(source, "allegation").parent == person
    assert Person.objects.count() == 0 and Citation.objects.count() == 0
    assert set(Candidate.objects.values_list("state", flat=True)) == {"pending"}


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [[0, len(TEXT) + 1], [40, 40], [50, 10], [-1, 5], ["a", 3], [1]])
def test_a_span_outside_the_text_is_refused_and_nothing_is_stored(source, researcher, bad) -> None:
    extracted = contract()
    extracted["persons"][0]["evidence"].append(bad)
    with pytest.raises(ValidationError, match=r"persons\[0\]"):
        extraction_run(source=source, by=researcher, extracted=extracted)
    assert ExtractionRun.objects.count() == 0 and Candidate.objects.count() == 0


@pytest.mark.django_db
def test_nobody_extracts_from_a_source_above_their_clearance(researcher, reviewer) -> None:
    secret = source_store(text=TEXT, title="Memo", confidentiality=Confidentiality.RESTRICTED)[0]
    with pytest.raises(ValidationError, match="not visible"):
        extraction_run(source=secret, by=reviewer, extracted=contract())
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_an_empty_span(source, researcher) -> None:
    run = extraction_run(source=source, by=researcher, extracted=contract())
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateSpan.objects.create(candidate=run.candidates.get(position=0), start=9, end=9)


@pytest.mark.django_db
def test_a_new_run_replaces_pending_candidates_and_keeps_decided_ones(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=contract())
    official = Candidate.objects.get(kind="person", values__role="official")
    candidate_reject(candidate=official, by=researcher)
    extraction_run(source=source, by=researcher, extracted=contract())
    assert Candidate.objects.filter(state="rejected").get() == official
    # What was decided is not asked again.
    assert Candidate.objects.filter(state="pending").count() == 9


@pytest.mark.django_db
def test_a_new_run_proposes_new_facts_under_the_accepted_person_and_none_under_a_rejected_one(
    source, researcher
) -> None:
    extraction_run(source=source, by=researcher, extracted=contract())
    person = candidate_accept(candidate=by_kind(source, "person"), by=researcher)
    candidate_reject(candidate=Candidate.objects.get(values__role="official"), by=researcher)
    extracted = contract()
    extracted["persons"][0]["health"].append("Parkinson's disease")
    extracted["persons"][1]["health"] = ["hepatitis B"]
    run = extraction_run(source=source, by=researcher, extracted=extracted)
    new = run.candidates.get(kind="health", values__condition="Parkinson's disease")
    assert new.parent == person and new.state == "pending"
    assert not Candidate.objects.filter(values__condition="hepatitis B").exists()
    assert not run.candidates.filter(kind="person").exists()


@pytest.mark.django_db
def test_an_allegation_outside_the_vocabulary_is_other_with_its_words(source, researcher) -> None:
    extracted = contract()
    extracted["allegations"] = [
        {"type": "executions", "evidence": [span(TEXT, "had been tortured")]},
        {"type": "ill-treatment", "evidence": [span(TEXT, "had been tortured")]},
    ]
    run = extraction_run(source=source, by=researcher, extracted=extracted)
    values = [c.values for c in run.candidates.filter(kind="allegation").order_by("position")]
    assert values == [{"kind": "other", "description": "executions"}, {"kind": "torture", "description": ""}]
    candidate_accept(candidate=by_kind(source, "person"), by=researcher)
    candidate_accept(
        candidate=run.candidates.filter(kind="allegation").order_by("position")[0], by=researcher
    )
    assert Allegation.objects.get().description == "executions"


def test_statutes_are_split_as_the_importers_store_them() -> None:
    assert statute_split("PRC-CL-1997 art. 111") == ("PRC Criminal Law 1997", "111")
    assert statute_split("PRC-CL-1979 art. 102(1)") == ("PRC Criminal Law 1979", "102(1)")
    assert statute_split("Some Regulation") == ("Some Regulation", "")


# -- linking ---------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "extracted"),
    [("Ma Lixin", "马立新"), ("马立新", "Ma Lixin"), ("馬立新", "Ma Li-hsin"), ("Ma Lixin", "Lixin Ma")],
)
def test_a_person_links_to_a_dossier_by_a_name_in_another_script(source, admin_user, stored, extracted):
    known = person_create(names=[stored], unsourced=True, by=admin_user)
    person_create(names=["Ma Jun"], unsourced=True, by=admin_user)  # same surname: no link
    person_create(names=["Ma Lixing"], unsourced=True, by=admin_user)  # longer name: no link
    data = contract()
    data["persons"][0]["names"] = [extracted]
    data["persons"][0]["name"] = extracted
    extraction_run(source=source, by=admin_user, extracted=data)
    assert by_kind(source, "person").person == known


@pytest.mark.django_db
def test_an_unmatched_person_is_proposed_as_a_new_dossier(source, admin_user) -> None:
    person_create(names=["Ma Jun", "马军"], unsourced=True, by=admin_user)
    extraction_run(source=source, by=admin_user, extracted=contract())
    assert by_kind(source, "person").person is None


@pytest.mark.django_db
def test_a_restricted_dossier_is_never_offered_without_clearance(source, admin_user, reviewer) -> None:
    hidden = person_create(
        names=["马立新"], unsourced=True, by=admin_user, confidentiality=Confidentiality.RESTRICTED
    )
    assert person_matches(reviewer, ["Ma Lixin"]) == []
    assert person_matches(admin_user, ["Ma Lixin"]) == [hidden]
    # Extracted by the reviewer: proposed as new. Extracted by the admin and reviewed by the reviewer:
    # the link is not shown to them, and accepting as proposed makes a new dossier, not a hidden link.
    extraction_run(source=source, by=reviewer, extracted=contract())
    assert by_kind(source, "person").person is None
    extraction_run(source=source, by=admin_user, extracted=contract())
    assert by_kind(source, "person").person == hidden
    detail = review_detail(reviewer, source.pk)
    assert detail.persons[0].proposed is None and hidden not in detail.persons[0].matches
    accepted = candidate_accept(candidate=by_kind(source, "person"), by=reviewer)
    assert accepted.person != hidden and not PersonName.objects.filter(person=hidden).exclude(text="马立新")
    with pytest.raises(ValidationError, match="not visible"):
        candidate_accept(candidate=Candidate.objects.get(values__role="official"), by=reviewer, person=hidden)


@pytest.mark.django_db
def test_a_restricted_alias_does_not_link(source, admin_user, reviewer) -> None:
    from habeas.dossiers.services import name_add

    person = person_create(names=["Zhou Ming"], unsourced=True, by=admin_user)
    name_add(
        person=person,
        text="马立新",
        unsourced=True,
        by=admin_user,
        confidentiality=Confidentiality.RESTRICTED,
    )
    assert person_matches(reviewer, ["Ma Lixin"]) == []
    assert person_matches(admin_user, ["Ma Lixin"]) == [person]


# -- accepting -------------------------------------------------------------------------------------
def accept_all(source: Source, by) -> None:
    for candidate in Candidate.objects.filter(source=source).order_by("position"):
        candidate.refresh_from_db()
        if candidate.state == "pending" and candidate.values.get("role") != "official":
            candidate_accept(candidate=candidate, by=by)


@pytest.mark.django_db
def test_accepting_lands_each_fact_with_its_citation_and_history(source, researcher, admin_user) -> None:
    place = place_create(names=["Lanzhou No. 2 Prison"], by=admin_user)
    extraction_run(source=source, by=researcher, extracted=contract())
    accept_all(source, researcher)
    person = Person.objects.get()
    assert sorted(person.names.values_list("text", flat=True)) == ["Ma Lixin", "马立新"]
    assert (person.ethnicity, person.occupation) == ("Hui", "lathe operator")
    detention = Detention.objects.get(person=person)
    assert str(detention.started) == "2010-11" and detention.place == place
    sentence = Sentence.objects.get(detention=detention)
    assert (sentence.kind, sentence.term_months, str(sentence.pronounced)) == ("fixed", 66, "2011-02-28")
    charge = Charge.objects.get(detention=detention)
    assert (charge.statute, charge.article) == ("PRC Criminal Law 1997", "105(2)")
    assert CustodyPeriod.objects.get(detention=detention).place == place
    assert StatusChange.objects.get(person=person).status == "detained"
    assert HealthNote.objects.get(person=person).condition == "diabetes"
    assert Allegation.objects.get(person=person).kind == "torture"
    assert person.affiliations.get().organisation.name == "Huaxin Workers' Union"
    # Each fact cites the exact words, and has a history row naming the reviewer.
    assert sentence.citation is not None and sentence.citation.quote == "Ma Lixin (马立新), an ethnic Hui"
    assert [c.quote for c in sentence.extra_citations.all()] == ["sentenced on February 28"]
    allegation = Allegation.objects.select_related("citation").get()
    assert allegation.citation is not None and allegation.citation.quote == "had been tortured"
    for fact in (person, detention, sentence, charge):
        assert History.objects.filter(object_id=fact.pk, action="create", user=researcher).exists()
    decided = Candidate.objects.exclude(values__role="official").exclude(kind="person", parent__isnull=False)
    assert set(decided.values_list("state", flat=True)) == {"accepted"}
    assert by_kind(source, "sentence").created_model == "dossiers.Sentence"
    assert by_kind(source, "sentence").created_id == sentence.pk
    # New dossiers from a report start internal, never public.
    assert person.confidentiality == Confidentiality.INTERNAL


@pytest.mark.django_db
def test_a_fact_waits_for_its_person(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=contract())
    with pytest.raises(ValidationError, match="accept the person first"):
        candidate_accept(candidate=by_kind(source, "health"), by=researcher)
    candidate_accept(candidate=by_kind(source, "person"), by=researcher)
    with pytest.raises(ValidationError, match="accept the detention first"):
        candidate_accept(candidate=by_kind(source, "sentence"), by=researcher)


@pytest.mark.django_db
def test_accepting_into_a_known_dossier_adds_only_new_names(source, admin_user, researcher) -> None:
    known = person_create(names=["Ma Lixin"], unsourced=True, by=admin_user)
    extraction_run(source=source, by=researcher, extracted=contract())
    accepted = candidate_accept(candidate=by_kind(source, "person"), by=researcher)
    assert accepted.person == known and Person.objects.count() == 1
    assert sorted(known.names.values_list("text", flat=True)) == ["Ma Lixin", "马立新"]
    assert accepted.created_model == "dossiers.PersonName"
    # The reviewer may choose a new dossier instead of the proposed link.
    extraction_run(source=source, by=researcher, extracted=contract(name="Ma Lixin"))
    candidate_accept(candidate=by_kind(source, "person"), by=researcher, person=NEW)
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_a_failure_midway_leaves_nothing(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=contract())
    person = by_kind(source, "person")
    history = History.objects.count()
    # The first name is written, then the second (too long for a name) is refused.
    with pytest.raises(ValidationError):
        candidate_accept(candidate=person, by=researcher, edits={"names": ["Ma Lixin", "x" * 301]})
    assert Person.objects.count() == 0 and PersonName.objects.count() == 0
    assert Citation.objects.count() == 0 and History.objects.count() == history
    person.refresh_from_db()
    assert (person.state, person.created_id, person.decided_by) == ("pending", None, None)


@pytest.mark.django_db
def test_edit_then_accept_writes_the_edited_values_and_keeps_the_proposal(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=contract())
    candidate_accept(candidate=by_kind(source, "person"), by=researcher)
    candidate_accept(candidate=by_kind(source, "detention"), by=researcher, edits={"started": "2010-11-03"})
    sentence = candidate_accept(candidate=by_kind(source, "sentence"), by=researcher, edits={"months": "60"})
    assert sentence.state == CandidateState.EDITED
    assert sentence.values["months"] == 66 and (sentence.accepted_values or {})["months"] == "60"
    assert Sentence.objects.get().term_months == 60
    assert str(Detention.objects.get().started) == "2010-11-03"
    # Edits that change nothing are an acceptance as proposed.
    same = candidate_accept(
        candidate=by_kind(source, "health"), by=researcher, edits={"condition": "diabetes"}
    )
    assert same.state == CandidateState.ACCEPTED
    with pytest.raises(ValidationError, match="not editable"):
        candidate_accept(candidate=by_kind(source, "charge"), by=researcher, edits={"confidentiality": 0})
    with pytest.raises(ValidationError, match="not a date"):
        candidate_accept(candidate=by_kind(source, "status"), by=researcher, edits={"date": "last spring"})
    assert StatusChange.objects.count() == 0


@pytest.mark.django_db
def test_reject_refuses_the_person_and_what_hangs_from_it(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=contract())
    rejected = candidate_reject(candidate=by_kind(source, "person"), by=researcher, note="not a prisoner")
    assert rejected.state == "rejected" and rejected.decided_by == researcher
    states = dict(Candidate.objects.filter(values__role="official").values_list("kind", "state"))
    assert states == {"person": "pending"}
    assert Candidate.objects.filter(state="pending").count() == 1
    assert Person.objects.count() == 0
    with pytest.raises(ValidationError, match="already rejected"):
        candidate_accept(candidate=by_kind(source, "sentence"), by=researcher)


@pytest.mark.django_db
def test_a_viewer_decides_nothing(source, researcher, viewer) -> None:
    source.confidentiality = Confidentiality.PUBLIC
    source.save()
    extraction_run(source=source, by=researcher, extracted=contract())
    with pytest.raises(PermissionDenied):
        candidate_accept(candidate=by_kind(source, "person"), by=viewer)
    with pytest.raises(PermissionDenied):
        candidate_reject(candidate=by_kind(source, "person"), by=viewer)


# -- automatic acceptance --------------------------------------------------------------------------
@pytest.mark.django_db
def test_auto_accept_lands_only_candidates_at_or_above_the_threshold(source, researcher) -> None:
    extracted = contract(confidence=0.95)
    extracted["persons"][0]["confidence"] = {
        "person": 0.95,
        "detained": 0.92,
        "sentence": 0.6,
        "health": 0.9,
        "charges": 0.3,
        "place": 0.89,
        "status": 0.5,
        "organizations": 0.1,
    }
    extracted["allegations"][0]["confidence"] = 0.5
    extraction_run(source=source, by=researcher, extracted=extracted)
    result = candidates_auto_accept(source=source, by=researcher, min_confidence=0.9)
    landed = sorted(c.kind for c in result.accepted)
    # The official has no confidence: never accepted automatically.
    assert landed == ["detention", "health", "person"]
    assert Sentence.objects.count() == 0 and Allegation.objects.count() == 0
    assert by_kind(source, "sentence").state == "pending"
    with pytest.raises(ValidationError, match="threshold"):
        candidates_auto_accept(source=source, by=researcher, min_confidence=0)


@pytest.mark.django_db
def test_nothing_is_accepted_without_being_asked(source, researcher) -> None:
    extraction_run(source=source, by=researcher, extracted=contract(confidence=1.0))
    assert Person.objects.count() == 0
    assert set(Candidate.objects.values_list("state", flat=True)) == {"pending"}


@pytest.mark.django_db
def test_the_cli_accepts_above_the_confidence_given(source, researcher, capsys) -> None:
    extraction_run(source=source, by=researcher, extracted=contract(confidence=0.95))
    call_command("review", "accept", "--source", str(source.pk), "--min-confidence", "0.99", "--user", "rita")
    assert Person.objects.count() == 0
    call_command("review", "accept", "--source", str(source.pk), "--min-confidence", "0.9", "--user", "rita")
    out = capsys.readouterr().out
    assert Person.objects.get().display_name == "Ma Lixin"
    assert "accepted" in out and Sentence.objects.count() == 1


def test_kinds_cover_the_brief() -> None:
    assert set(CandidateKind.values) >= {"person", "detention", "sentence", "charge", "status", "health"}


# -- through the real extractor (part B of issue 4) ------------------------------------------------
@pytest.mark.django_db
def test_the_real_extractor_output_is_stored_and_lands_with_its_own_words(source, researcher) -> None:
    pytest.importorskip("habeas.extraction.extract", reason="the extractor (part B of issue 4) is not here")
    call_command("review", "extract", "--source", str(source.pk), "--user", "rita")
    run = ExtractionRun.objects.get()
    assert run.extractor_version and run.output["persons"]
    assert Person.objects.count() == 0
    # Every stored span lies inside the text and matches what the extractor said.
    for stored in CandidateSpan.objects.all():
        assert 0 <= stored.start < stored.end <= len(TEXT)
    accept_all(source, researcher)
    person = Person.objects.get()
    assert {"Ma Lixin", "马立新"} <= set(person.names.values_list("text", flat=True))
    sentence = Sentence.objects.select_related("citation").get(detention__person=person)
    assert sentence.term_months == 66
    assert sentence.citation is not None and "five years and six months" in sentence.citation.quote
    charge = Charge.objects.get(detention__person=person)
    assert (charge.statute, charge.article) == ("PRC Criminal Law 1997", "105(2)")
    assert HealthNote.objects.get(person=person).condition == "diabetes"
    # No known place had that name: a new one, internal, where the detention is held.
    held = Detention.objects.get(person=person).place
    assert held is not None and held.name == "Lanzhou No. 2 Prison"
    assert held.confidentiality == Confidentiality.INTERNAL

"""Dialogue writes: lists, entries, responses offered to review, outcomes; history rows, clearance,
and refusals that say what is wrong."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dialogue import services
from habeas.dialogue.models import ListEntry, ListStatus, Outcome, Response
from habeas.review.models import Candidate, CandidateKind
from habeas.sources.models import SourceKind
from habeas.sources.services import citation_for_quote, source_store

pytestmark = pytest.mark.django_db


def history_of(obj) -> list[str]:
    return list(
        History.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)
        .order_by("id")
        .values_list("action", flat=True)
    )


def draft(world, researcher, **kw):
    return services.list_create(title="Letter list", interlocutor=world.interlocutor, by=researcher, **kw)


# -- lists and entries -----------------------------------------------------------------------------
def test_list_create_and_entry_add_write_history(world, researcher):
    new = draft(world, researcher)
    entry = services.entry_add(prisoner_list=new, person=world.tashi, requests=["commutation"], by=researcher)
    assert history_of(new) == ["create"]
    assert history_of(entry) == ["create"]
    assert entry.requests == ["commutation"]
    assert entry.position == 1


def test_entry_requests_come_from_the_vocabulary(world, researcher):
    new = draft(world, researcher)
    with pytest.raises(ValidationError, match="not one of"):
        services.entry_add(prisoner_list=new, person=world.tashi, requests=["amnesty now"], by=researcher)
    with pytest.raises(ValidationError, match="at least one request"):
        services.entry_add(prisoner_list=new, person=world.tashi, requests=[], by=researcher)
    entry = services.entry_add(
        prisoner_list=new, person=world.tashi, requests="Medical parole; release; release", by=researcher
    )
    assert entry.requests == ["medical_parole", "release"]


def test_a_person_is_on_a_list_once(world, researcher):
    with pytest.raises(ValidationError, match="already on this list"):
        new = draft(world, researcher)
        services.entry_add(prisoner_list=new, person=world.liu, requests=["release"], by=researcher)
        services.entry_add(prisoner_list=new, person=world.liu, requests=["release"], by=researcher)


def test_entry_is_at_least_as_confidential_as_list_and_person(world, researcher):
    new = draft(world, researcher, confidentiality=Confidentiality.INTERNAL)
    public = services.entry_add(
        prisoner_list=new, person=world.liu, requests=["release"], by=researcher, confidentiality=0
    )
    assert public.confidentiality == Confidentiality.INTERNAL
    hidden = services.entry_add(prisoner_list=new, person=world.hidden, requests=["release"], by=researcher)
    assert hidden.confidentiality == Confidentiality.RESTRICTED


def test_a_writer_cannot_use_a_person_above_their_clearance(world, researcher):
    researcher.clearance = Confidentiality.INTERNAL
    researcher.save()
    new = draft(world, researcher)
    with pytest.raises(ValidationError, match="does not exist or is not visible"):
        services.entry_add(prisoner_list=new, person=world.hidden, requests=["release"], by=researcher)


def test_viewers_and_reviewers_cannot_write(world, viewer, reviewer):
    for user in (viewer, reviewer, None):
        with pytest.raises(PermissionDenied):
            services.list_create(title="x", interlocutor=world.interlocutor, by=user)


def test_hand_over_needs_a_date_and_persons_and_freezes_the_recipient_words(world, researcher):
    new = draft(world, researcher)
    with pytest.raises(ValidationError, match="empty list"):
        services.list_hand_over(prisoner_list=new, handed_over="2026-05-01", by=researcher)
    entry = services.entry_add(prisoner_list=new, person=world.tashi, requests=["commutation"], by=researcher)
    with pytest.raises(ValidationError, match="say when"):
        services.list_hand_over(prisoner_list=new, handed_over="", by=researcher)
    with pytest.raises(ValidationError, match="not a date"):
        services.list_hand_over(prisoner_list=new, handed_over="May 2026", by=researcher)
    handed = services.list_hand_over(prisoner_list=new, handed_over="2026-05", by=researcher)
    assert handed.status == ListStatus.HANDED_OVER
    assert str(handed.handed_over) == "2026-05"
    assert history_of(handed) == ["create", "update"]
    entry.refresh_from_db()
    with pytest.raises(ValidationError, match="handed over"):
        services.entry_update(entry=entry, by=researcher, case_summary="changed afterwards")
    with pytest.raises(ValidationError, match="handed over"):
        services.entry_add(prisoner_list=handed, person=world.liu, requests=["release"], by=researcher)
    # Our own note stays editable.
    assert services.entry_update(entry=entry, by=researcher, internal_note="called the family").internal_note


def test_list_update_refuses_a_stale_version(world, researcher):
    new = draft(world, researcher)
    services.list_update(prisoner_list=new, version=new.version, by=researcher, title="Renamed")
    with pytest.raises(services.EditConflict):
        services.list_update(prisoner_list=new, version=new.version, by=researcher, title="Again")


def test_entries_reorder_needs_every_entry_once(world, researcher):
    new = draft(world, researcher)
    a = services.entry_add(prisoner_list=new, person=world.liu, requests=["release"], by=researcher)
    b = services.entry_add(prisoner_list=new, person=world.tashi, requests=["release"], by=researcher)
    with pytest.raises(ValidationError, match="every entry"):
        services.entries_reorder(prisoner_list=new, order=[b.pk], by=researcher)
    services.entries_reorder(prisoner_list=new, order=[b.pk, a.pk], by=researcher)
    assert list(new.entries.values_list("pk", flat=True)) == [b.pk, a.pk]


def test_entry_remove_only_without_responses(world, researcher):
    new = draft(world, researcher)
    a = services.entry_add(prisoner_list=new, person=world.liu, requests=["release"], by=researcher)
    pk = a.pk
    services.entry_remove(entry=a, by=researcher)
    assert not ListEntry.objects.filter(pk=pk).exists()
    rows = History.objects.filter(object_id=pk, content_type__model="listentry").order_by("id")
    assert list(rows.values_list("action", flat=True)) == ["create", "delete"]


# -- building from a query -------------------------------------------------------------------------
def test_build_from_saved_query_adds_only_persons_the_builder_may_see(world, researcher, admin_user):
    admin_user.clearance = Confidentiality.PUBLIC
    admin_user.save()
    saved = services.saved_query_save(owner=admin_user, name="detained", query="?status=detained")
    new = services.list_create(
        title="From query", interlocutor=world.interlocutor, by=admin_user, confidentiality=0
    )
    result = services.list_build_from_query(
        prisoner_list=new, query=saved, by=admin_user, requests=["information"]
    )
    persons = {e.person_id for e in result.added}
    assert persons == {world.liu.pk, world.tashi.pk}
    assert world.hidden.pk not in persons
    new.refresh_from_db()
    assert new.built_from == saved
    # Building again adds nobody twice.
    again = services.list_build_from_query(prisoner_list=new, query=saved, by=admin_user)
    assert (again.added, again.already) == ([], 2)
    liu_entry = new.entries.get(person=world.liu)
    assert liu_entry.case_summary == "A teacher detained for an essay."


def test_build_refuses_a_query_it_cannot_read(world, researcher):
    new = draft(world, researcher)
    with pytest.raises(ValidationError, match="sentence_min"):
        services.list_build_from_query(prisoner_list=new, query="sentence_min=forever", by=researcher)


def test_build_respects_the_limit(world, researcher):
    new = draft(world, researcher)
    result = services.list_build_from_query(prisoner_list=new, query="", by=researcher, limit=2)
    assert len(result.added) == 2 and result.truncated


def test_saved_query_same_name_is_replaced(researcher):
    first = services.saved_query_save(owner=researcher, name="Tibet", query="province=Tibet")
    second = services.saved_query_save(owner=researcher, name="Tibet", query="province=Tibet&status=detained")
    assert first.pk == second.pk and second.query == "province=Tibet&status=detained"
    assert history_of(second) == ["create", "update"]


# -- responses -------------------------------------------------------------------------------------
def test_response_text_becomes_an_official_source_and_facts_wait_for_review(world, researcher):
    entry = world.handed.entries.get(person=world.liu)
    response = services.response_record(
        entry=entry,
        type="information provided",
        received="2026-06-10",
        text="Liu Mingde is serving his sentence in Chishui Prison and is in good health.",
        facts={
            "status": "detained",
            "sentence": "11 years",
            "place": "Chishui Prison",
            "expected_release": "2026-03-04",
        },
        by=researcher,
    )
    assert response.type == "information_provided"
    assert response.source.kind == SourceKind.GOVERNMENT_RESPONSE and response.source.official
    assert response.citation.quote == response.text
    assert response.source.text.startswith("Response of Ministry of Justice")
    assert response.facts["sentence"] == {"kind": "fixed", "months": 132}
    assert response.facts["expected_release"] == "2026-03-04"
    candidates = Candidate.objects.filter(run=response.review_run)
    assert {c.kind for c in candidates} >= {"person", "status", "sentence", "place"}
    assert candidates.get(kind=CandidateKind.PERSON).person == world.liu
    assert {c.state for c in candidates} == {"pending"}
    # Nothing reached the dossier.
    assert world.liu.detentions.count() == 1
    assert history_of(response) == ["create"]


def test_two_identical_answers_about_two_persons_are_two_sources(world, researcher):
    liu, hidden = world.handed.entries.order_by("position")
    a = services.response_record(entry=liu, type="denied_facts", text="No such case.", by=researcher)
    b = services.response_record(entry=hidden, type="denied_facts", text="No such case.", by=researcher)
    assert a.source != b.source
    assert b.source.confidentiality == Confidentiality.RESTRICTED


def test_response_cites_a_given_source_by_quote(world, researcher):
    letter = source_store(
        text="Reply: Liu Mingde was granted a family visit in May.",
        title="Letter",
        by=researcher,
        confidentiality=0,
    )[0]
    entry = world.handed.entries.get(person=world.liu)
    response = services.response_record(
        entry=entry,
        type="favourable_result",
        source=letter,
        quote="Liu Mingde was granted a family visit",
        by=researcher,
    )
    assert response.citation == citation_for_quote(
        source=letter, quote="Liu Mingde was granted a family visit"
    )
    assert response.text == "Liu Mingde was granted a family visit"


def test_response_refusals(world, researcher):
    entry = world.handed.entries.get(person=world.liu)
    with pytest.raises(ValidationError, match="not one of"):
        services.response_record(entry=entry, type="maybe", text="x", by=researcher)
    with pytest.raises(ValidationError, match="needs its words"):
        services.response_record(entry=entry, type="token_response", by=researcher)
    with pytest.raises(ValidationError, match="before the list was handed over"):
        services.response_record(entry=entry, type="token_response", text="x", received="2025", by=researcher)
    with pytest.raises(ValidationError, match="not a sentence"):
        services.response_record(
            entry=entry, type="information_provided", text="x", facts={"sentence": "long"}, by=researcher
        )
    with pytest.raises(ValidationError, match="no response gives no facts"):
        services.response_record(entry=entry, type="no_response", facts={"status": "detained"}, by=researcher)
    new = draft(world, researcher)
    draft_entry = services.entry_add(
        prisoner_list=new, person=world.tashi, requests=["release"], by=researcher
    )
    with pytest.raises(ValidationError, match="not been handed over"):
        services.response_record(entry=draft_entry, type="token_response", text="x", by=researcher)
    assert Response.objects.count() == 0


def test_no_response_needs_no_source_and_unsourced_names_the_user(world, researcher):
    entry = world.handed.entries.get(person=world.liu)
    silence = services.response_record(entry=entry, type="no_response", received="2026-09", by=researcher)
    assert silence.citation is None and silence.unsourced_by is None
    told = services.response_record(entry=entry, type="token_response", unsourced=True, by=researcher)
    assert told.unsourced_by == researcher


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("10 years", {"kind": "fixed", "months": 120}),
        ("3 years 6 months", {"kind": "fixed", "months": 42}),
        ("8 months", {"kind": "fixed", "months": 8}),
        ("Life", {"kind": "life", "months": None}),
        ("死缓", {"kind": "death_reprieve", "months": None}),
        ("11年", {"kind": "fixed", "months": 132}),
    ],
)
def test_sentence_parse(written, parsed):
    assert services.sentence_parse(written) == parsed


# -- outcomes --------------------------------------------------------------------------------------
def test_outcome_links_entries_and_responses_of_the_same_person(world, researcher):
    entry = world.handed.entries.get(person=world.liu)
    response = services.response_record(
        entry=entry, type="favourable_result", text="He will be released.", by=researcher
    )
    outcome = services.outcome_record(
        person=world.liu,
        kind="sentence_reduction",
        date="2026-08",
        new_expected_release="2025-09-04",
        entries=[entry],
        responses=[response],
        citations=[c for c in (response.citation,) if c is not None],
        by=researcher,
    )
    assert list(outcome.entries.all()) == [entry]
    assert list(outcome.responses.all()) == [response]
    assert outcome.citation == response.citation
    assert history_of(outcome) == ["create", "update"]


def test_outcome_refusals(world, researcher):
    entry = world.handed.entries.get(person=world.liu)
    with pytest.raises(ValidationError, match="needs a citation"):
        services.outcome_record(person=world.liu, kind="release", by=researcher)
    with pytest.raises(ValidationError, match="only a sentence reduction or commutation"):
        services.outcome_record(
            person=world.liu, kind="release", new_expected_release="2027", unsourced=True, by=researcher
        )
    with pytest.raises(ValidationError, match="another person"):
        services.outcome_record(
            person=world.tashi, kind="release", entries=[entry], unsourced=True, by=researcher
        )
    assert Outcome.objects.count() == 0


# -- interlocutors and engagements -----------------------------------------------------------------
def test_interlocutor_country_is_an_iso_code_and_names_are_unique(researcher):
    with pytest.raises(ValidationError, match="ISO 3166"):
        services.interlocutor_create(name="Supreme People's Court", country="China", by=researcher)
    services.interlocutor_create(name="Supreme People's Court", country="cn", by=researcher)
    with pytest.raises(ValidationError, match="exists"):
        services.interlocutor_create(name="supreme people's court", country="CN", by=researcher)


def test_engagement_needs_a_citation_or_a_named_user(world, researcher):
    with pytest.raises(ValidationError, match="needs a citation"):
        services.engagement_create(kind="dialogue_round", title="Round 20", by=researcher)
    engagement = services.engagement_create(
        kind="dialogue round",
        title="Round 20",
        interlocutor=world.interlocutor,
        date="2026-02",
        location="Geneva",
        unsourced=True,
        by=researcher,
    )
    assert engagement.unsourced_by == researcher and engagement.kind == "dialogue_round"
    updated = services.engagement_update(engagement=engagement, version=1, by=researcher, location="Bern")
    assert updated.location == "Bern" and updated.version == 2
    assert history_of(updated) == ["create", "update"]


def test_an_accepted_fact_from_a_response_lands_in_the_dossier_citing_the_answer(world, researcher):
    from habeas.dossiers.models import StatusChange
    from habeas.review.services import candidate_accept

    entry = world.handed.entries.get(person=world.liu)
    response = services.response_record(
        entry=entry,
        type="favourable_result",
        received="2026-07-01",
        text="Liu Mingde was released on parole on 1 July 2026.",
        facts={"status": "released"},
        by=researcher,
    )
    run = response.review_run
    candidate_accept(candidate=run.candidates.get(kind="person"), by=researcher, person=world.liu)
    status = run.candidates.get(kind="status")
    assert status.values == {"status": "released", "date": "2026-07-01"}
    candidate_accept(candidate=status, by=researcher)
    landed = StatusChange.objects.get(person=world.liu, status="released")
    assert landed.citation == response.citation
    world.liu.refresh_from_db()
    assert world.liu.current_status == "released"


def test_response_remove_withdraws_pending_candidates_and_keeps_the_source(world, researcher):
    entry = world.handed.entries.get(person=world.liu)
    response = services.response_record(
        entry=entry,
        type="information_provided",
        text="He is held.",
        facts={"status": "detained"},
        by=researcher,
    )
    source, pk = response.source, response.pk
    assert Candidate.objects.filter(run=response.review_run).exists()
    services.response_remove(response=response, by=researcher, note="typed into the wrong entry")
    assert not Response.objects.filter(pk=pk).exists()
    assert not Candidate.objects.filter(source=source, state="pending").exists()
    source.refresh_from_db()
    row = History.objects.get(object_id=pk, content_type__model="response", action="delete")
    assert row.note == "typed into the wrong entry"


def test_response_linked_to_an_outcome_is_not_removed(world, researcher):
    entry = world.handed.entries.get(person=world.liu)
    response = services.response_record(
        entry=entry, type="favourable_result", text="Released.", by=researcher
    )
    services.outcome_record(
        person=world.liu, kind="release", responses=[response], unsourced=True, by=researcher
    )
    with pytest.raises(ValidationError, match="outcome is linked"):
        services.response_remove(response=response, by=researcher)

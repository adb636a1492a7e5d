"""Rows in every table of the access, visits, dialogue and linkage apps, made through their own services,
for the whole-database round trip in test_jsonl.py. All names and texts are fictional."""

from __future__ import annotations

from dataclasses import dataclass

from habeas.access import services as access
from habeas.accounts.models import Confidentiality, User
from habeas.dialogue import services as dialogue
from habeas.dossiers.models import Person
from habeas.linkage import services as linkage
from habeas.linkage.merge import place_merge
from habeas.places.models import Place
from habeas.places.services import place_create
from habeas.sources.services import citation_for_quote, source_store
from habeas.visits import services as visits
from habeas.visits.models import Interview

NOTES = "He said the guards woke him every hour ✓ (他说每小时被叫醒)."
NARRATIVE = "Beaten on the soles of the feet during the first week of interrogation."
REPORT = (
    "Geneva, 3 May 2025. The delegation visited Qinghe No. 3 Prison and found 1.6 m2 per person in "
    "block B. The ministry granted private interviews. It recommends that the Ministry of Justice "
    "reduce overcrowding. The ministry said the teacher would be released on medical parole."
)


@dataclass
class Made:
    interview: Interview


def build_new_apps(users: dict[str, User], person: Person, place: Place) -> Made:
    admin = users["admin"]
    public = Confidentiality.PUBLIC
    report, _ = source_store(
        text=REPORT,
        title="Visit report",
        publisher="Test wire",
        published="2025-05-03",
        confidentiality=public,
    )
    found = citation_for_quote(source=report, quote="found 1.6 m2 per person in block B", by=admin)
    granted = citation_for_quote(source=report, quote="The ministry granted private interviews", by=admin)

    # access: a body with an alias, a negotiation naming a place, its status, a guarantee, a benchmark.
    body = access.body_create(
        name="Committee for Round Trips",
        short_name="CRT",
        kind="npm",
        aliases=["Round-trip committee"],
        confidentiality=public,
        by=admin,
    )
    negotiation = access.negotiation_create(
        body=body, country="CN", subject="prison visits", scope="places", places=[place], by=admin
    )
    access.status_record(
        negotiation=negotiation, status="requested", date="2024-11", unsourced=True, by=admin
    )
    access.guarantee_state_record(
        negotiation=negotiation,
        kind="icrc_private_interviews",
        state="granted",
        date="2025-05-03",
        citations=[granted],
        by=admin,
    )
    benchmarks = access.benchmark_set_create(
        title="Trade conditions 1993",
        country="CN",
        criteria=[("Prisoners", "Release and account for prisoners of conscience")],
        adopted="1993-05",
        by=admin,
    )
    access.assessment_record(
        criterion=benchmarks.criteria.get(),
        date="1994-05",
        rating=1,
        summary="Few releases, no accounting.",
        unsourced=True,
        by=admin,
    )

    # visits: a visit with its team, a place, a stage, a guarantee outcome, an interview with encrypted
    # notes (read once), an allegation, a follow-up, a finding, a recommendation and its status.
    visit = visits.visit_create(
        body=body,
        negotiation=negotiation,
        title="Visit to Qinghe, May 2025",
        started="2025-05-03",
        ended="2025-05-05",
        announced="announced",
        team=[("A. Delegate", "head of delegation")],
        citations=[found],
        by=admin,
    )
    visit_place = visits.visit_place_add(
        visit=visit, place=place, date="2025-05-03", population=1240, unsourced=True, by=admin
    )
    visits.stage_set(visit=visit, kind="initial_talk", date="2025-05-03", notes="Numbers given.", by=admin)
    visits.guarantee_outcome_record(
        visit=visit, guarantee="icrc_private_interviews", outcome="obtained", citations=[granted], by=admin
    )
    interview = visits.interview_record(
        visit=visit,
        visit_place=visit_place,
        person=person,
        date="2025-05-04",
        consent_given=True,
        consent_authorities=True,
        reprisal_risk="high",
        notes=NOTES,
        confidentiality=Confidentiality.RESTRICTED,
        unsourced=True,
        by=admin,
    )
    visits.interview_notes_read(interview=interview, by=admin, channel="cli")
    visits.allegation_record(
        interview=interview,
        kind="torture",
        date_from="2024-03",
        methods=["beating"],
        narrative=NARRATIVE,
        consistency="consistent",
        unsourced=True,
        by=admin,
    )
    visits.follow_up_record(
        interview=interview, date="2025-08", outcome="No reprisals found.", by=admin, unsourced=True
    )
    visits.finding_record(
        visit_place=visit_place,
        area="accommodation",
        text="1.6 m2 per person in block B",
        assessment="serious",
        measure="floor_shared",
        value="1.6",
        citations=[found],
        by=admin,
    )
    recommendation = visits.recommendation_record(
        visit=visit,
        report=report,
        addressed_to="Ministry of Justice",
        text="Reduce overcrowding.",
        area="accommodation",
        made="2025-06",
        unsourced=True,
        by=admin,
    )
    visits.recommendation_status_record(
        recommendation=recommendation, status="accepted", date="2025-09", unsourced=True, by=admin
    )

    # dialogue: an interlocutor, an engagement with a citation, a saved search, a handed-over list with
    # an entry, the answer and the outcome it led to.
    ministry = dialogue.interlocutor_create(
        name="Ministry of Justice", name_local="司法部", kind="ministry", country="CN", by=admin
    )
    engagement = dialogue.engagement_create(
        kind="dialogue_round",
        title="Dialogue round 2025",
        interlocutor=ministry,
        date="2025-06-10",
        citations=[found],
        by=admin,
    )
    dialogue.saved_query_save(owner=admin, name="Teachers", query="teacher")
    prisoner_list = dialogue.list_create(
        title="List for the 2025 round", interlocutor=ministry, engagement=engagement, by=admin
    )
    entry = dialogue.entry_add(
        prisoner_list=prisoner_list,
        person=person,
        requests=["release", "medical_parole"],
        case_summary="A teacher sentenced to 11 years.",
        by=admin,
    )
    dialogue.list_hand_over(prisoner_list=prisoner_list, handed_over="2025-06-10", by=admin)
    entry.refresh_from_db()
    response = dialogue.response_record(
        entry=entry,
        type="favourable_result",
        received="2025-07",
        source=report,
        quote="The ministry said the teacher would be released on medical parole.",
        by=admin,
    )
    dialogue.outcome_record(
        person=person,
        kind="medical_parole",
        date="2025-09",
        unsourced=True,
        entries=[entry],
        responses=[response],
        by=admin,
    )

    # linkage: the thresholds, a person pair left undecided, and two places merged through their pair.
    linkage.linkage_settings_update(by=admin, person_review=0.6)
    other = Person.objects.exclude(pk=person.pk).order_by("pk").first()
    assert other is not None
    linkage.person_pair_record(a=person.pk, b=other.pk, score=0.71, evidence={"names": [0.9, None]})
    twin_a = place_create(names=["Round Trip Detention Centre"], confidentiality=public, by=admin)
    twin_b = place_create(names=["Round-Trip Detention Centre"], confidentiality=public, by=admin)
    pair = linkage.place_pair_record(a=twin_a.pk, b=twin_b.pk, score=0.98, evidence={"name": 0.98})
    place_merge(survivor=twin_a, absorbed=twin_b, pair=pair, by=admin, note="same centre")
    return Made(interview=interview)

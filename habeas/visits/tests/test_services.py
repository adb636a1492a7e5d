"""Visit services: what they refuse, what they write, and the history they leave."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from habeas.access.models import AccessNegotiation, BodyKind, MonitoringBody
from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.visits import selectors, services
from habeas.visits.models import Finding, GuaranteeOutcome, Interview, Stage, TeamMember, Visit

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


@pytest.mark.django_db
def test_visit_needs_a_citation_or_a_named_user(trip):
    with pytest.raises(ValidationError, match="needs a citation"):
        services.visit_create(body=trip.body, title="x", started="2025", by=None)


@pytest.mark.django_db
def test_visit_cannot_end_before_it_starts(trip, researcher):
    with pytest.raises(ValidationError, match="cannot end before"):
        services.visit_create(
            body=trip.body, title="x", started="2025-05", ended="2025-04", unsourced=True, by=researcher
        )


@pytest.mark.django_db
def test_negotiation_must_be_the_bodys(trip, researcher):
    other = MonitoringBody.objects.create(name="Other body", kind=BodyKind.NGO)
    negotiation = AccessNegotiation.objects.create(body=other, country="CN", subject="x")
    with pytest.raises(ValidationError, match="another body's"):
        services.visit_create(
            body=trip.body, negotiation=negotiation, title="x", started="2025", unsourced=True, by=researcher
        )


@pytest.mark.django_db
def test_visit_update_checks_version_and_writes_history(trip, researcher):
    visit = services.visit_update(
        visit=trip.visit, version=1, by=researcher, title="Renamed", team=[("E. New", "doctor")]
    )
    assert visit.title == "Renamed" and visit.version == 2
    assert list(TeamMember.objects.filter(visit=visit).values_list("name", flat=True)) == ["E. New"]
    changes = History.objects.filter(object_id=visit.pk, action="update").first().changes
    assert changes["title"] == ["Visit to Qinghe, May 2025", "Renamed"] and "team" in changes
    with pytest.raises(services.EditConflict):
        services.visit_update(visit=visit, version=1, by=researcher, title="Stale")


@pytest.mark.django_db
def test_a_place_is_added_once(trip, researcher):
    with pytest.raises(ValidationError, match="already one of this visit's places"):
        services.visit_place_add(visit=trip.visit, place=trip.place, unsourced=True, by=researcher)


@pytest.mark.django_db
def test_stage_set_rewrites_and_keeps_history(trip, researcher):
    services.stage_set(visit=trip.visit, kind="tour", date="2025-05-03", notes="Saw block A", by=researcher)
    stage = services.stage_set(
        visit=trip.visit, kind="tour", date="2025-05-04", notes="Saw A and B", by=researcher
    )
    assert Stage.objects.count() == 1 and stage.notes == "Saw A and B"
    assert History.objects.filter(object_id=stage.pk, action="update").exists()
    with pytest.raises(ValidationError, match="not a stage"):
        services.stage_set(visit=trip.visit, kind="lunch", by=researcher)


@pytest.mark.django_db
def test_guarantee_outcome_uses_the_access_vocabulary(trip, researcher):
    with pytest.raises(ValidationError, match="not a guarantee"):
        services.guarantee_outcome_record(
            visit=trip.visit, guarantee="free_lunch", outcome="obtained", unsourced=True, by=researcher
        )
    services.guarantee_outcome_record(
        visit=trip.visit, guarantee="icrc_detainee_list", outcome="denied", unsourced=True, by=researcher
    )
    row = services.guarantee_outcome_record(
        visit=trip.visit, guarantee="icrc_detainee_list", outcome="partly", unsourced=True, by=researcher
    )
    assert GuaranteeOutcome.objects.get().outcome == "partly"
    assert History.objects.filter(object_id=row.pk, action="update").first().changes["outcome"] == [
        "denied",
        "partly",
    ]


@pytest.mark.django_db
def test_interview_is_with_a_dossier_or_under_a_code_never_both(trip, researcher):
    (person,) = make(bundle(51, names=("Ma Lan",), level=PUBLIC))
    linked = services.interview_record(visit=trip.visit, person=person, unsourced=True, by=researcher)
    coded = services.interview_record(visit=trip.visit, unsourced=True, by=researcher)
    assert linked.code == "" and linked.person == person
    assert coded.person is None and len(coded.code) == 8
    # The code carries nothing of anyone: random letters and digits only.
    assert set(coded.code[2:]) <= set(services.CODE_ALPHABET)
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.filter(pk=coded.pk).update(person=person)


@pytest.mark.django_db
def test_interview_is_restricted_unless_said_and_never_below_its_person(trip, researcher):
    (person,) = make(bundle(52, names=("Secret Person",), level=RESTRICTED))
    assert (
        services.interview_record(visit=trip.visit, unsourced=True, by=researcher).confidentiality
        == RESTRICTED
    )
    with pytest.raises(ValidationError, match="cannot be less confidential"):
        services.interview_record(
            visit=trip.visit, person=person, confidentiality=INTERNAL, unsourced=True, by=researcher
        )


@pytest.mark.django_db
def test_consent_scope_needs_consent(trip, researcher):
    with pytest.raises(ValidationError, match="needs consent"):
        services.interview_record(visit=trip.visit, consent_public=True, unsourced=True, by=researcher)
    interview = services.interview_record(
        visit=trip.visit, consent_given=True, consent_public=True, unsourced=True, by=researcher
    )
    with pytest.raises(ValidationError):
        services.interview_update(interview=interview, consent_given=False, by=researcher)


@pytest.mark.django_db
def test_allegation_methods_from_the_list(trip, researcher):
    interview = services.interview_record(visit=trip.visit, unsourced=True, by=researcher)
    with pytest.raises(ValidationError, match="not a method"):
        services.allegation_record(
            interview=interview, kind="torture", methods=["tickling"], unsourced=True, by=researcher
        )
    allegation = services.allegation_record(
        interview=interview,
        kind="torture",
        methods=["beating", "beating", "sleep"],
        unsourced=True,
        by=researcher,
    )
    assert allegation.methods == ["beating", "sleep"] and allegation.confidentiality == RESTRICTED


@pytest.mark.django_db
def test_follow_up_check_records_reprisal(trip, researcher):
    interview = services.interview_record(visit=trip.visit, unsourced=True, by=researcher)
    check = services.follow_up_record(
        interview=interview, date="2025-08", outcome="Moved to solitary after the visit", reprisal_found=True,
        unsourced=True, by=researcher,
    )  # fmt: skip
    assert check.reprisal_found and check.confidentiality == RESTRICTED


@pytest.mark.django_db
def test_finding_measure_rules(trip, researcher):
    base = {"visit_place": trip.visit_place, "text": "x", "unsourced": True, "by": researcher}
    with pytest.raises(ValidationError, match="give the measured"):
        services.finding_record(area="accommodation", measure="floor_shared", **base)
    with pytest.raises(ValidationError, match="say what the value measures"):
        services.finding_record(area="accommodation", value="3", **base)
    with pytest.raises(ValidationError, match="not a number"):
        services.finding_record(area="accommodation", measure="floor_shared", value="lots", **base)
    # The area follows from the measure when not given.
    finding = services.finding_record(area="", measure="solitary_days", value="30", **base)
    assert finding.area == "discipline" and Finding.objects.count() == 1


@pytest.mark.django_db
def test_recommendation_from_a_visit_or_a_report(trip, researcher):
    with pytest.raises(ValidationError, match="comes from a visit or a report"):
        services.recommendation_record(addressed_to="x", text="y", unsourced=True, by=researcher)
    rec = services.recommendation_record(
        report=trip.report, addressed_to="Ministry of Justice", text="y", unsourced=True, by=researcher
    )
    with pytest.raises(ValidationError, match="not a follow-up status"):
        services.recommendation_status_record(
            recommendation=rec, status="ignored", date="2025", unsourced=True, by=researcher
        )
    for status, date in (("accepted", "2025-01"), ("partly_implemented", "2025-09")):
        services.recommendation_status_record(
            recommendation=rec, status=status, date=date, unsourced=True, by=researcher
        )
    (view,) = selectors.recommendation_list(researcher).object_list
    assert view.current.status == "partly_implemented" and len(view.statuses) == 2


@pytest.mark.django_db
def test_a_restricted_status_does_not_show_through_the_current_one(trip, researcher, reviewer):
    rec = services.recommendation_record(
        visit=trip.visit,
        addressed_to="Ministry",
        text="y",
        confidentiality=INTERNAL,
        unsourced=True,
        by=researcher,
    )
    services.recommendation_status_record(
        recommendation=rec, status="accepted", date="2025-01", unsourced=True, by=researcher
    )
    services.recommendation_status_record(
        recommendation=rec,
        status="rejected",
        date="2025-06",
        confidentiality=RESTRICTED,
        unsourced=True,
        by=researcher,
    )
    (view,) = selectors.recommendation_list(reviewer).object_list
    assert view.current.status == "accepted"
    (view,) = selectors.recommendation_list(researcher).object_list
    assert view.current.status == "rejected"


@pytest.mark.django_db
def test_public_report_takes_public_records_and_public_consent_only(trip, researcher, viewer):
    yes = services.interview_record(
        visit=trip.visit,
        consent_given=True,
        consent_public=True,
        confidentiality=PUBLIC,
        unsourced=True,
        by=researcher,
    )
    no = services.interview_record(
        visit=trip.visit, consent_given=True, consent_authorities=True, confidentiality=PUBLIC,
        unsourced=True, by=researcher,
    )  # fmt: skip
    for interview, mark in ((yes, "Qzxvpublicok"), (no, "Qzxvauthoritiesonly")):
        services.allegation_record(
            interview=interview,
            kind="torture",
            injuries=mark,
            confidentiality=PUBLIC,
            unsourced=True,
            by=researcher,
        )
    services.finding_record(
        visit_place=trip.visit_place, area="health", text="Qzxvinternalfinding", confidentiality=INTERNAL,
        unsourced=True, by=researcher,
    )  # fmt: skip
    for reader in (viewer, researcher):
        report = selectors.visit_report(reader, trip.visit.pk, "public").as_dict()
        assert [a["injuries"] for a in report["allegations"]] == ["Qzxvpublicok"]
        assert "Qzxvinternalfinding" not in str(report) and report["interviews_withheld_for_consent"] == 1
    authorities = selectors.visit_report(researcher, trip.visit.pk, "authorities").as_dict()
    assert [a["injuries"] for a in authorities["allegations"]] == ["Qzxvauthoritiesonly"]
    assert "Qzxvinternalfinding" in str(authorities)


@pytest.mark.django_db
def test_a_named_person_only_with_consent_to_be_named(trip, researcher):
    (person,) = make(bundle(53, names=("Zhang Wei",), level=PUBLIC))
    for named in (False, True):
        interview = services.interview_record(
            visit=trip.visit, person=person, consent_given=True, consent_authorities=True,
            consent_named=named, unsourced=True, by=researcher,
        )  # fmt: skip
        services.allegation_record(interview=interview, kind="torture", unsourced=True, by=researcher)
    people = [
        a["person"]
        for a in selectors.visit_report(researcher, trip.visit.pk, "authorities").as_dict()["allegations"]
    ]
    assert people == ["a detainee", "Zhang Wei"]


@pytest.mark.django_db
def test_country_page_hooks(trip, researcher, viewer):
    from habeas.access.selectors import country_timeline, sections_for

    trip.place.country = "CN"
    trip.place.save()
    entries = [e for e in country_timeline(researcher, "cn") if e.kind == "visit"]
    assert [e.text for e in entries] == ["Visit to Qinghe, May 2025"] and entries[0].url.endswith(
        f"/visits/{trip.visit.pk}/"
    )
    assert [s.title for s in sections_for("country", researcher, "CN")] == ["Visits"]
    Visit.objects.filter(pk=trip.visit.pk).update(confidentiality=INTERNAL)
    assert not [e for e in country_timeline(viewer, "CN") if e.kind == "visit"]
    assert sections_for("country", viewer, "CN") == []

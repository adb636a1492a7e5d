"""Writes for visits. Each function is one transaction that writes its history rows too; the web views,
the CLI and the tests all call these.

Cited records go through ``habeas.dossiers.services.fact_save`` (a citation, or "entered without a
source" by a named user). Interview notes and allegation narratives are encrypted before they reach a
model and never enter a history row: the history says that they changed, not what they say.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from habeas.access.models import AccessNegotiation, GuaranteeKind, MonitoringBody
from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance
from habeas.audit.services import diff, field_values, history_record
from habeas.dossiers.models import AllegationKind, Person
from habeas.dossiers.services import EditConflict, fact_save
from habeas.places.models import Place
from habeas.sources.models import Citation, Source
from habeas.visits import crypto, norms
from habeas.visits.models import (
    Announced,
    Area,
    Assessment,
    Consistency,
    Finding,
    FollowUpCheck,
    FollowUpStatus,
    GuaranteeOutcome,
    Interview,
    InterviewAllegation,
    Method,
    NotesRead,
    Outcome,
    Recommendation,
    RecommendationStatus,
    ReprisalRisk,
    Stage,
    StageKind,
    TeamMember,
    Visit,
    VisitPlace,
)

__all__ = ["EditConflict"]

# Codes are random, from letters and digits that cannot be misread for one another: nothing in them
# comes from the person, so a code seen in a report or an export points to no one.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_TEAM = 50


def _level(value: int | None, default: int) -> int:
    level = default if value is None else int(value)
    if level not in Confidentiality.values:
        raise ValidationError({"confidentiality": f"{value!r} is not a confidentiality level"})
    return level


def _at_least(level: int, floor: int, what: str) -> None:
    # A child record below its parent would show a hidden parent's details to readers of the child.
    if level < floor:
        raise ValidationError(
            {"confidentiality": f"{what} cannot be less confidential than the record it belongs to"}
        )


def _cited_save(fact: Any, citations: Sequence[Citation], unsourced: bool, by: Any) -> Any:
    return fact_save(fact, citations=citations, unsourced=unsourced, by=by)


# -- visits ----------------------------------------------------------------------------------------
def _team_rows(team: Sequence[tuple[str, str] | str]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for member in team:
        name, role = (member, "") if isinstance(member, str) else member
        name, role = " ".join(str(name).split())[:200], " ".join(str(role).split())[:200]
        if name:
            rows.append((name, role))
    if len(rows) > MAX_TEAM:
        raise ValidationError({"team": f"at most {MAX_TEAM} team members"})
    return rows


@transaction.atomic
def visit_create(
    *,
    body: MonitoringBody,
    title: str,
    started: Any,
    by: Any,
    ended: Any = None,
    announced: str = Announced.UNKNOWN,
    negotiation: AccessNegotiation | None = None,
    summary_public: str = "",
    notes_internal: str = "",
    team: Sequence[tuple[str, str] | str] = (),
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> Visit:
    """A visit by ``body`` (in the course of ``negotiation``, when there was one)."""
    title = " ".join((title or "").split())[:300]
    if not title:
        raise ValidationError({"title": "a visit needs a title"})
    if negotiation is not None and negotiation.body_id != body.pk:
        raise ValidationError({"negotiation": "the negotiation is another body's"})
    level = _level(confidentiality, Confidentiality.INTERNAL)
    visit = Visit(
        body=body,
        negotiation=negotiation,
        title=title,
        started=started,
        ended=ended,
        announced=announced,
        summary_public=summary_public.strip(),
        notes_internal=notes_internal.strip(),
        confidentiality=level,
    )
    if visit.started and visit.ended and visit.ended < visit.started:
        raise ValidationError({"ended": "the visit cannot end before it started"})
    _cited_save(visit, citations, unsourced, by)
    rows = _team_rows(team)
    TeamMember.objects.bulk_create([TeamMember(visit=visit, name=n, role=r) for n, r in rows])
    if rows:
        history_record(obj=visit, action="update", by=by, changes={"team": [[], [list(r) for r in rows]]})
    return visit


VISIT_EDITABLE = (
    "title",
    "started",
    "ended",
    "announced",
    "summary_public",
    "notes_internal",
    "confidentiality",
)


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    version: int,
    by: Any,
    team: Sequence[tuple[str, str] | str] | None = None,
    **changes: Any,
) -> Visit:
    """Change a visit's own fields (and its team, when given), refusing a save that started from an
    older version."""
    unknown = set(changes) - set(VISIT_EDITABLE)
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    if current.version != version:
        raise EditConflict(
            f"“{current}” was changed by someone else (version {current.version}, your edit began at "
            f"version {version}); nothing was saved. Reload to see their change, then edit again."
        )
    if "title" in changes:
        changes["title"] = " ".join((changes["title"] or "").split())[:300]
        if not changes["title"]:
            raise ValidationError({"title": "a visit needs a title"})
    before = field_values(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    if current.started and current.ended and current.ended < current.started:
        raise ValidationError({"ended": "the visit cannot end before it started"})
    current.full_clean(exclude=["citation", "unsourced_by", "created_by", "body", "negotiation"])
    current.version = F("version") + 1  # type: ignore[assignment]
    current.save()
    current.refresh_from_db()
    changed = diff(before, field_values(current, changes))
    if team is not None:
        old = [[m.name, m.role] for m in current.team.all()]
        rows = _team_rows(team)
        if old != [list(r) for r in rows]:
            current.team.all().delete()
            TeamMember.objects.bulk_create([TeamMember(visit=current, name=n, role=r) for n, r in rows])
            changed["team"] = [old, [list(r) for r in rows]]
    if changed:
        history_record(obj=current, action="update", by=by, changes=changed)
    return current


@transaction.atomic
def visit_place_add(
    *,
    visit: Visit,
    place: Place,
    by: Any,
    date: Any = None,
    population: int | None = None,
    note: str = "",
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> VisitPlace:
    if VisitPlace.objects.filter(visit=visit, place=place).exists():
        raise ValidationError({"place": f"{place} is already one of this visit's places"})
    if population is not None and population < 0:
        raise ValidationError({"population": "a population cannot be negative"})
    level = _level(confidentiality, max(visit.confidentiality, place.confidentiality))
    _at_least(level, max(visit.confidentiality, place.confidentiality), "a place of a visit")
    row = VisitPlace(
        visit=visit,
        place=place,
        date=date,
        population=population,
        note=note.strip(),
        confidentiality=level,
    )
    return _cited_save(row, citations, unsourced, by)


@transaction.atomic
def stage_set(
    *,
    visit: Visit,
    kind: str,
    by: Any,
    date: Any = None,
    notes: str = "",
    confidentiality: int | None = None,
) -> Stage:
    """Record (or rewrite) one of the four stages of a visit."""
    if kind not in StageKind.values:
        raise ValidationError({"kind": f"{kind!r} is not a stage of a visit"})
    level = _level(confidentiality, max(visit.confidentiality, Confidentiality.INTERNAL))
    _at_least(level, visit.confidentiality, "a stage")
    stage = Stage.objects.select_for_update().filter(visit=visit, kind=kind).first()
    if stage is None:
        stage = Stage(visit=visit, kind=kind, created_by=by if getattr(by, "pk", None) else None)
        before: dict[str, Any] = {}
        action = "create"
    else:
        before = field_values(stage, ["date", "notes", "confidentiality"])
        action = "update"
    stage.date, stage.notes, stage.confidentiality = date, notes.strip(), level
    stage.full_clean(exclude=["created_by"])
    stage.save()
    changes = diff(before, field_values(stage, ["date", "notes", "confidentiality"]))
    if changes or action == "create":
        history_record(obj=stage, action=action, by=by, changes=changes or field_values(stage))
    return stage


@transaction.atomic
def guarantee_outcome_record(
    *,
    visit: Visit,
    guarantee: str,
    outcome: str,
    by: Any,
    note: str = "",
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> GuaranteeOutcome:
    """Whether a guarantee held during the visit; a second record for the same guarantee replaces the
    first (its history keeps the earlier outcome)."""
    if guarantee not in GuaranteeKind.values:
        raise ValidationError({"guarantee": f"{guarantee!r} is not a guarantee the access app knows"})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": f"{outcome!r} is not an outcome"})
    level = _level(confidentiality, visit.confidentiality)
    _at_least(level, visit.confidentiality, "a guarantee's outcome")
    existing = GuaranteeOutcome.objects.select_for_update().filter(visit=visit, guarantee=guarantee).first()
    if existing is not None:
        before = field_values(existing, ["outcome", "note", "confidentiality", "citation", "unsourced_by"])
        existing.outcome, existing.note, existing.confidentiality = outcome, note.strip(), level
        if citations:
            existing.citation, existing.unsourced_by = citations[0], None
        elif unsourced:
            if not getattr(by, "pk", None):
                raise ValidationError("an outcome entered without a source must name the user who entered it")
            existing.citation, existing.unsourced_by = None, by
        existing.full_clean(exclude=["created_by"])
        existing.save()
        if citations or unsourced:  # new citations replace the old; none given keeps them
            existing.extra_citations.set(citations[1:])
        changed = diff(before, field_values(existing, before))
        if changed:
            history_record(obj=existing, action="update", by=by, changes=changed)
        return existing
    row = GuaranteeOutcome(
        visit=visit, guarantee=guarantee, outcome=outcome, note=note.strip(), confidentiality=level
    )
    return _cited_save(row, citations, unsourced, by)


# -- interviews ------------------------------------------------------------------------------------
def new_code() -> str:
    """A fresh interview code, e.g. ``I-7KQ4XM``: random, so it says nothing about the person."""
    while True:
        code = "I-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not Interview.objects.filter(code=code).exists():
            return code


def _consent(given: bool, authorities: bool, public: bool, named: bool) -> None:
    if not given and (authorities or public or named):
        raise ValidationError(
            {"consent_given": "using what was said (with the authorities, in public, by name) needs consent"}
        )


@transaction.atomic
def interview_record(
    *,
    visit: Visit,
    by: Any,
    person: Person | None = None,
    visit_place: VisitPlace | None = None,
    date: Any = None,
    private: bool = True,
    consent_given: bool = False,
    consent_authorities: bool = False,
    consent_public: bool = False,
    consent_named: bool = False,
    reprisal_risk: str = ReprisalRisk.UNKNOWN,
    notes: str = "",
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> Interview:
    """An interview with a detainee: linked to ``person``'s dossier, or, without one, recorded under a
    generated code. Notes are encrypted (NotesKeyError, and nothing saved, without a usable key)."""
    _consent(consent_given, consent_authorities, consent_public, consent_named)
    if reprisal_risk not in ReprisalRisk.values:
        raise ValidationError({"reprisal_risk": f"{reprisal_risk!r} is not a level of risk"})
    if visit_place is not None and visit_place.visit_id != visit.pk:
        raise ValidationError({"visit_place": "that place is not one of this visit's places"})
    # Interviews are restricted unless said otherwise: who talked to a visiting team is itself a risk.
    floor = max(visit.confidentiality, person.confidentiality if person is not None else 0)
    level = _level(confidentiality, max(Confidentiality.RESTRICTED, floor))
    _at_least(level, floor, "an interview")
    interview = Interview(
        visit=visit,
        visit_place=visit_place,
        person=person,
        code="" if person is not None else new_code(),
        date=date,
        private=private,
        consent_given=consent_given,
        consent_authorities=consent_authorities,
        consent_public=consent_public,
        consent_named=consent_named,
        reprisal_risk=reprisal_risk,
        notes_encrypted=crypto.encrypt(notes.strip()),
        confidentiality=level,
    )
    _cited_save(interview, citations, unsourced, by)
    return interview


@transaction.atomic
def interview_update(*, interview: Interview, by: Any, **changes: Any) -> Interview:
    """Change consent, privacy, risk or the date of an interview (notes: ``interview_notes_set``)."""
    allowed = {
        "date",
        "private",
        "consent_given",
        "consent_authorities",
        "consent_public",
        "consent_named",
        "reprisal_risk",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = Interview.objects.select_for_update().get(pk=interview.pk)
    before = field_values(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    _consent(
        current.consent_given, current.consent_authorities, current.consent_public, current.consent_named
    )
    current.full_clean(exclude=["citation", "unsourced_by", "created_by", "visit", "person", "visit_place"])
    current.save()
    changed = diff(before, field_values(current, changes))
    if changed:
        history_record(obj=current, action="update", by=by, changes=changed)
    return current


def _require_notes_clearance(user: Any, record: Any) -> None:
    if user_clearance(user) < Confidentiality.RESTRICTED or user_clearance(user) < record.confidentiality:
        raise PermissionDenied(
            "Interview notes are restricted: only users cleared for restricted records read them."
        )


@transaction.atomic
def interview_notes_set(*, interview: Interview, notes: str, by: Any) -> Interview:
    """Replace an interview's notes (encrypted). The history row says they changed, not what they say."""
    _require_notes_clearance(by, interview)
    current = Interview.objects.select_for_update().get(pk=interview.pk)
    current.notes_encrypted = crypto.encrypt(notes.strip())
    current.save(update_fields=["notes_encrypted"])
    history_record(obj=current, action="update", by=by, changes={"notes": "changed (encrypted)"})
    return current


@transaction.atomic
def interview_notes_read(*, interview: Interview, by: Any, channel: str = "web") -> str:
    """The decrypted notes, for a user cleared for restricted records (else PermissionDenied); the read
    is logged (who, when, which interview). NotesKeyError when the key is missing or wrong."""
    _require_notes_clearance(by, interview)
    text = crypto.decrypt(interview.notes_encrypted)
    NotesRead.objects.create(interview=interview, user=by, at=timezone.now(), channel=channel[:10])
    return text


@transaction.atomic
def allegation_narrative_read(*, allegation: InterviewAllegation, by: Any, channel: str = "web") -> str:
    _require_notes_clearance(by, allegation)
    text = crypto.decrypt(allegation.narrative_encrypted)
    NotesRead.objects.create(
        interview_id=allegation.interview_id,
        allegation=allegation,
        user=by,
        at=timezone.now(),
        channel=channel[:10],
    )
    return text


def _methods(methods: Sequence[str]) -> list[str]:
    chosen = []
    for method in methods:
        if method not in Method.values:
            raise ValidationError({"methods": f"{method!r} is not a method in the list"})
        if method not in chosen:
            chosen.append(method)
    return chosen


@transaction.atomic
def allegation_record(
    *,
    interview: Interview,
    kind: str,
    by: Any,
    date_from: Any = None,
    date_to: Any = None,
    places: str = "",
    methods: Sequence[str] = (),
    methods_other: str = "",
    perpetrators: str = "",
    injuries: str = "",
    witnesses: str = "",
    consistency: str = Consistency.NOT_EXAMINED,
    narrative: str = "",
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> InterviewAllegation:
    """An allegation raised in an interview (torture: the Istanbul Protocol's core fields). The
    narrative is encrypted like the notes."""
    if kind not in AllegationKind.values:
        raise ValidationError({"kind": f"{kind!r} is not a kind of allegation"})
    if consistency not in Consistency.values:
        raise ValidationError({"consistency": f"{consistency!r} is not an Istanbul Protocol grade"})
    level = _level(confidentiality, interview.confidentiality)
    _at_least(level, interview.confidentiality, "an allegation")
    allegation = InterviewAllegation(
        interview=interview,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        places=places.strip(),
        methods=_methods(methods),
        methods_other=methods_other.strip()[:300],
        perpetrators=perpetrators.strip(),
        injuries=injuries.strip(),
        witnesses=witnesses.strip(),
        consistency=consistency,
        narrative_encrypted=crypto.encrypt(narrative.strip()),
        confidentiality=level,
    )
    if allegation.date_from and allegation.date_to and allegation.date_to < allegation.date_from:
        raise ValidationError({"date_to": "the end comes before the start"})
    return _cited_save(allegation, citations, unsourced, by)


@transaction.atomic
def follow_up_record(
    *,
    interview: Interview,
    date: Any,
    by: Any,
    outcome: str = "",
    reprisal_found: bool = False,
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> FollowUpCheck:
    """A check on the interviewee after the visit (were there reprisals?)."""
    level = _level(confidentiality, interview.confidentiality)
    _at_least(level, interview.confidentiality, "a follow-up check")
    check = FollowUpCheck(
        interview=interview,
        date=date,
        outcome=outcome.strip(),
        reprisal_found=reprisal_found,
        confidentiality=level,
    )
    return _cited_save(check, citations, unsourced, by)


# -- conditions ------------------------------------------------------------------------------------
def _value(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError({"value": f"{str(value)[:40]!r} is not a number"}) from error


@transaction.atomic
def finding_record(
    *,
    visit_place: VisitPlace,
    area: str,
    text: str,
    by: Any,
    assessment: str = Assessment.NOT_ASSESSED,
    measure: str = "",
    value: Any = None,
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> Finding:
    """What was found in one inspection area of one place; with ``measure`` and ``value`` where a norm
    exists (floor space, hours outdoors, days in solitary), so the gap to the norm can be shown."""
    area = area or norms.AREA_FOR.get(measure, "")
    if area not in Area.values:
        raise ValidationError({"area": f"{area!r} is not an inspection area"})
    if assessment not in Assessment.values:
        raise ValidationError({"assessment": f"{assessment!r} is not an assessment"})
    number = _value(value)
    if measure:
        if measure not in norms.Measure.values:
            raise ValidationError({"measure": f"{measure!r} is not a measure with a norm"})
        if norms.AREA_FOR[measure] != area:
            expected = Area(norms.AREA_FOR[measure]).label
            raise ValidationError({"measure": f"{norms.Measure(measure).label} belongs under “{expected}”"})
        if number is None:
            raise ValidationError({"value": f"give the measured {norms.Measure(measure).label}"})
        try:
            norms.assess(measure, number)
        except ValueError as error:
            raise ValidationError({"value": str(error)}) from error
    elif number is not None:
        raise ValidationError({"measure": "say what the value measures"})
    text = text.strip()
    if not text:
        raise ValidationError({"text": "a finding needs its text"})
    level = _level(confidentiality, visit_place.confidentiality)
    _at_least(level, visit_place.confidentiality, "a finding")
    finding = Finding(
        visit_id=visit_place.visit_id,
        visit_place=visit_place,
        area=area,
        assessment=assessment,
        text=text,
        measure=measure,
        value=number.quantize(Decimal("0.01")) if number is not None else None,
        confidentiality=level,
    )
    return _cited_save(finding, citations, unsourced, by)


# -- recommendations -------------------------------------------------------------------------------
@transaction.atomic
def recommendation_record(
    *,
    addressed_to: str,
    text: str,
    by: Any,
    visit: Visit | None = None,
    report: Source | None = None,
    area: str = "",
    made: Any = None,
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> Recommendation:
    """A recommendation from a visit or a report (a source), to an authority."""
    if visit is None and report is None:
        raise ValidationError("a recommendation comes from a visit or a report")
    addressed_to = " ".join((addressed_to or "").split())[:300]
    if not addressed_to:
        raise ValidationError({"addressed_to": "say which authority the recommendation is addressed to"})
    if not text.strip():
        raise ValidationError({"text": "a recommendation needs its text"})
    if area and area not in Area.values:
        raise ValidationError({"area": f"{area!r} is not an inspection area"})
    floor = max(visit.confidentiality if visit else 0, report.confidentiality if report else 0)
    level = _level(confidentiality, floor)
    _at_least(level, floor, "a recommendation")
    recommendation = Recommendation(
        visit=visit,
        report=report,
        addressed_to=addressed_to,
        area=area,
        text=text.strip(),
        made=made,
        confidentiality=level,
    )
    return _cited_save(recommendation, citations, unsourced, by)


@transaction.atomic
def recommendation_status_record(
    *,
    recommendation: Recommendation,
    status: str,
    date: Any,
    by: Any,
    note: str = "",
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
) -> RecommendationStatus:
    """The follow-up of a recommendation from ``date`` on, citing the evidence."""
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": f"{status!r} is not a follow-up status"})
    level = _level(confidentiality, recommendation.confidentiality)
    _at_least(level, recommendation.confidentiality, "a follow-up status")
    row = RecommendationStatus(
        recommendation=recommendation, status=status, date=date, note=note.strip(), confidentiality=level
    )
    return _cited_save(row, citations, unsourced, by)


# -- keys ------------------------------------------------------------------------------------------
@transaction.atomic
def notes_rotate(*, by: Any = None) -> int:
    """Re-encrypt every stored note and narrative under the first configured key (after a new key was
    put first in HABEAS_NOTES_KEY). Returns how many were rewritten; all or none."""
    count = 0
    for model, field in ((Interview, "notes_encrypted"), (InterviewAllegation, "narrative_encrypted")):
        # Read first, then write: no cursor stays open on the table being rewritten.
        for pk, token in list(model.objects.exclude(**{field: ""}).values_list("pk", field)):
            model.objects.filter(pk=pk).update(**{field: crypto.rotate(token)})
            count += 1
    return count

"""Writes for the review queue: store an extractor's proposals as candidates, and land accepted ones
in dossiers through the dossier services (the same functions as hand entry), each fact citing the
candidate's evidence spans. Each function is one transaction with its history rows."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance, visible_q
from habeas.audit.services import history_record
from habeas.dossiers import services as dossiers
from habeas.dossiers.models import (
    AllegationKind,
    Detention,
    Measure,
    Person,
    PersonName,
    SentenceKind,
    Status,
)
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.linkage.ingest import person_link, queue_pairs
from habeas.places.models import Place
from habeas.places.services import place_create
from habeas.review.models import (
    EDIT_FIELDS,
    LANDED_STATES,
    Candidate,
    CandidateKind,
    CandidateSpan,
    CandidateState,
    ExtractionRun,
)
from habeas.review.selectors import place_matches
from habeas.sources.models import Citation, Source
from habeas.sources.services import citation_get_or_create, span_check

NEW = "new"  # ``person=NEW``: a new dossier, whatever the names matched
Spans = list[tuple[int, int]]


# -- storing an extractor's output -----------------------------------------------------------------
def _extractor() -> tuple[Callable[..., dict[str, Any]], str]:
    try:
        from habeas.extraction import extract as module  # type: ignore[attr-defined,unused-ignore]
    except ImportError as missing:
        raise ValidationError("the extractor (habeas.extraction.extract) is not installed") from missing
    version = getattr(module, "VERSION", None) or getattr(module, "__version__", None) or "habeas.extraction"
    return module.extract, str(version)


def _spans(source: Source, evidence: Any, where: str) -> Spans:
    """Evidence spans as (start, end), each checked against the source text."""
    if evidence in (None, []):
        return []
    if not isinstance(evidence, list):
        raise ValidationError(f"{where}: evidence must be a list of [start, end] spans")
    spans: Spans = []
    for span in evidence:
        if (
            not isinstance(span, list | tuple)
            or len(span) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in span)
        ):
            raise ValidationError(f"{where}: {span!r} is not a [start, end] span")
        try:
            span_check(source, span[0], span[1])
        except ValidationError as bad:
            raise ValidationError(f"{where}: {bad.messages[0]}") from bad
        if (span[0], span[1]) not in spans:
            spans.append((span[0], span[1]))
    return spans


def _confidence(item: dict[str, Any], key: str, where: str) -> float | None:
    """The extractor's confidence for one field: a number for the item, or a dict by field name."""
    value = item.get("confidence")
    if isinstance(value, dict):
        value = value.get(key, value.get("person"))
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValidationError(f"{where}: confidence must be a number from 0 to 1 (got {value!r})")
    return float(value)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


# "PRC-CL-1997 art. 105(2)" as the contract writes it; stored as the dossier importers do.
_STATUTE = re.compile(r"^\s*PRC-CL-(?P<year>\d{4})\s+art\.?\s*(?P<article>[\w().]+)\s*$", re.IGNORECASE)


def statute_split(value: str) -> tuple[str, str]:
    """("PRC Criminal Law 1997", "105(2)") from "PRC-CL-1997 art. 105(2)"; other laws kept as written."""
    match = _STATUTE.match(value or "")
    if match:
        return f"PRC Criminal Law {match['year']}", match["article"]
    return _text(value), ""


class _Builder:
    """Collects the candidates of one run in order (a parent always before its facts).

    A proposal someone already decided on (same kind, values, spans and parent) is not asked again:
    the decided candidate stands in for it, so facts proposed under an accepted person hang from it;
    nothing is proposed under a rejected one.
    """

    def __init__(self, run: ExtractionRun) -> None:
        self.run = run
        self.rows: list[tuple[Candidate, Spans]] = []
        decided = Candidate.objects.filter(source=run.source).exclude(state=CandidateState.PENDING)
        self.decided = {
            self._key(c.kind, c.values, c.parent_id, [(s.start, s.end) for s in c.spans.all()]): c
            for c in decided.prefetch_related("spans").order_by("id")
        }

    @staticmethod
    def _key(kind: str, values: dict[str, Any], parent_id: int | None, spans: Spans) -> str:
        return json.dumps([kind, values, parent_id, sorted(spans)], sort_keys=True, default=str)

    def add(
        self,
        kind: str,
        values: dict[str, Any],
        spans: Spans,
        *,
        parent: Candidate | None = None,
        confidence: float | None = None,
        person: Person | None = None,
    ) -> Candidate | None:
        if parent is not None and parent.state == CandidateState.REJECTED:
            return None
        known = self.decided.get(self._key(kind, values, parent.pk if parent else None, spans))
        if known is not None:
            return known
        candidate = Candidate.objects.create(
            run=self.run,
            source=self.run.source,
            kind=kind,
            parent=parent,
            values=values,
            confidence=confidence,
            person=person,
            position=len(self.rows),
        )
        CandidateSpan.objects.bulk_create(
            [CandidateSpan(candidate=candidate, start=s, end=e) for s, e in spans]
        )
        self.rows.append((candidate, spans))
        return candidate


def _person_candidates(
    b: _Builder, item: dict[str, Any], index: int, *, by: Any, source: Source
) -> tuple[Candidate, Spans]:
    where = f"persons[{index}]"
    names = [_text(n) for n in [item.get("name"), *(item.get("names") or [])] if _text(n)]
    names = list(dict.fromkeys(names))
    if not names:
        raise ValidationError(f"{where}: a person needs a name")
    spans = _spans(source, item.get("evidence"), where)
    given = item.get("spans")
    field_spans: dict[str, Any] = given if isinstance(given, dict) else {}

    def spans_of(key: str) -> Spans:
        # Per-field evidence when the extractor gives it, else the person's own.
        own = _spans(source, field_spans.get(key), f"{where}.spans.{key}") if key in field_spans else []
        return own or spans

    def conf(key: str) -> float | None:
        return _confidence(item, key, where)

    role = _text(item.get("role")) or "other"
    # Linked to a dossier when the linkage engine's score reaches the admin's auto-link threshold;
    # else a new dossier is proposed (habeas.linkage.ingest: pairs in between are queued on acceptance).
    link = person_link(by, names, item)
    person = b.add(
        CandidateKind.PERSON,
        {
            "names": names,
            "role": role,
            "ethnicity": _text(item.get("ethnicity")),
            "occupation": _text(item.get("occupation")),
        },
        spans,
        confidence=conf("person"),
        person=Person.objects.get(pk=link.person_id) if link.person_id else None,
    )
    assert person is not None  # a person hangs from nothing, so it is never skipped
    charges = [c for c in item.get("charges") or [] if isinstance(c, dict) and _text(c.get("text") or "")]
    sentence = item.get("sentence") if isinstance(item.get("sentence"), dict) else None
    place = _text(item.get("place"))
    detention: Candidate | None = None
    if item.get("detained") or sentence or charges or place:
        detention = b.add(
            CandidateKind.DETENTION,
            {"started": _text(item.get("detained")) or None, "measure": Measure.UNKNOWN},
            spans_of("detained"),
            parent=person,
            confidence=conf("detained"),
        )
    if sentence and detention is not None:
        b.add(
            CandidateKind.SENTENCE,
            {
                "kind": _text(sentence.get("kind")) or SentenceKind.FIXED,
                "months": sentence.get("months"),
                "pronounced": _text(item.get("sentenced")) or None,
            },
            spans_of("sentence"),
            parent=detention,
            confidence=conf("sentence"),
        )
    for charge in charges if detention is not None else []:
        statute, article = statute_split(_text(charge.get("statute")))
        b.add(
            CandidateKind.CHARGE,
            {"text": _text(charge.get("text")), "statute": statute, "article": article},
            spans_of("charges"),
            parent=detention,
            confidence=conf("charges"),
        )
    if place and detention is not None:
        found = place_matches(by, place, limit=1)
        b.add(
            CandidateKind.PLACE,
            {"name": place, "place_id": found[0].pk if found else None},
            spans_of("place"),
            parent=detention,
            confidence=conf("place"),
        )
    status = _text(item.get("status"))
    if status and status != Status.WHEREABOUTS_UNKNOWN:
        released = _text(item.get("released")) or None
        b.add(
            CandidateKind.STATUS,
            {"status": status, "date": released if status == Status.RELEASED else None},
            spans_of("status"),
            parent=person,
            confidence=conf("status"),
        )
    for condition in item.get("health") or []:
        if _text(condition):
            b.add(
                CandidateKind.HEALTH,
                {"condition": _text(condition)},
                spans_of("health"),
                parent=person,
                confidence=conf("health"),
            )
    for org in item.get("organizations") or []:
        if isinstance(org, dict) and _text(org.get("name")):
            b.add(
                CandidateKind.AFFILIATION,
                {"organisation": _text(org.get("name")), "role": _text(org.get("relation"))},
                spans_of("organizations"),
                parent=person,
                confidence=conf("organizations"),
            )
    return person, spans


# The words reports use for allegations the vocabulary names otherwise.
ALLEGATION_WORDS = {
    "ill_treatment": AllegationKind.TORTURE,
    "ill-treatment": AllegationKind.TORTURE,
    "medical_neglect": AllegationKind.DENIAL_OF_MEDICAL_CARE,
    "denial_of_medical_treatment": AllegationKind.DENIAL_OF_MEDICAL_CARE,
    "disappearance": AllegationKind.ENFORCED_DISAPPEARANCE,
    "incommunicado_detention": AllegationKind.INCOMMUNICADO,
}


def _allegation(written: str) -> dict[str, Any]:
    """An allegation type as a kind of the vocabulary; one it does not name is "other", the type kept
    as its description (e.g. "executions")."""
    slug = written.replace(" ", "_").lower()
    kind = ALLEGATION_WORDS.get(slug, slug)
    if kind in AllegationKind.values:
        return {"kind": str(kind), "description": ""}
    return {"kind": AllegationKind.OTHER.value, "description": written}


def _nearest(persons: list[tuple[Candidate, Spans]], spans: Spans) -> Candidate | None:
    """The detainee whose evidence lies nearest an allegation's (the only one, when there is one)."""
    detainees = [
        (c, s)
        for c, s in persons
        if c.values.get("role") == "detainee" and c.state != CandidateState.REJECTED
    ]
    if len(detainees) <= 1 or not spans:
        return detainees[0][0] if detainees else None

    def distance(own: Spans) -> int:
        return min((max(0, a0 - b1, b0 - a1) for a0, a1 in own for b0, b1 in spans), default=1 << 30)

    return min(detainees, key=lambda cs: distance(cs[1]))[0]


@transaction.atomic
def extraction_run(
    *, source: Source, by: Any, extracted: dict[str, Any] | None = None, extractor_version: str = ""
) -> ExtractionRun:
    """Run the extractor on a source (or take its output, ``extracted``) and store what it proposes as
    pending candidates with their evidence spans; nothing reaches a dossier here.

    Each extracted person is linked to a dossier ``by`` may see that has the same name in any script
    or romanisation; unmatched persons are proposed as new dossiers. Pending candidates of earlier
    runs of the source are replaced (nobody decided on them); decided ones stay.
    """
    if source.confidentiality > user_clearance(by):
        raise ValidationError("that source does not exist or is not visible to you")
    if extracted is None:
        extract, version = _extractor()
        published = source.published.isoformat() if source.published else None
        extracted = extract(source.text, published=published)
        extractor_version = extractor_version or version
    if not isinstance(extracted, dict):
        raise ValidationError("the extractor's output must be a JSON object")
    for key in ("persons", "allegations", "access"):
        if not isinstance(extracted.get(key) or [], list):
            raise ValidationError(f"the extractor's {key!r} must be a list")
    Candidate.objects.filter(source=source, state=CandidateState.PENDING).delete()
    run = ExtractionRun.objects.create(
        source=source,
        extractor_version=(extractor_version or "given")[:100],
        by=by if getattr(by, "pk", None) else None,
        output=extracted,
    )
    b = _Builder(run)
    persons = []
    for index, item in enumerate(extracted.get("persons") or []):
        if not isinstance(item, dict):
            raise ValidationError(f"persons[{index}] must be an object")
        persons.append(_person_candidates(b, item, index, by=by, source=source))
    for index, item in enumerate(extracted.get("allegations") or []):
        where = f"allegations[{index}]"
        if not isinstance(item, dict) or not _text(item.get("type")):
            raise ValidationError(f"{where} must be an object with a type")
        spans = _spans(source, item.get("evidence"), where)
        b.add(
            CandidateKind.ALLEGATION,
            _allegation(_text(item.get("type"))),
            spans,
            parent=_nearest(persons, spans),
            confidence=_confidence(item, "type", where),
        )
    for index, item in enumerate(extracted.get("access") or []):
        where = f"access[{index}]"
        if not isinstance(item, dict) or not _text(item.get("body")):
            raise ValidationError(f"{where} must be an object with a body")
        conditions = item.get("conditions") or []
        if not isinstance(conditions, list):
            raise ValidationError(f"{where}.conditions must be a list")
        b.add(
            CandidateKind.ACCESS,
            {
                "body": _text(item.get("body")),
                # The extractor may not know the state; the reviewer names it before accepting.
                "country": _text(item.get("country")).upper(),
                "status": _text(item.get("status")),
                "date": _text(item.get("date")),
                "conditions": [_text(c) for c in conditions if _text(c)],
            },
            _spans(source, item.get("evidence"), where),
            confidence=_confidence(item, "status", where),
        )
    history_record(
        obj=run,
        action="create",
        by=by,
        changes={"source": source.pk, "extractor_version": run.extractor_version, "candidates": len(b.rows)},
    )
    return run


# -- deciding --------------------------------------------------------------------------------------
EDITABLE = {kind: frozenset(names) for kind, names in EDIT_FIELDS.items()}


def _reviewer(by: Any) -> Any:
    if not getattr(by, "can_review", False):
        raise PermissionDenied("only reviewers, researchers and administrators decide on candidates")
    return by


def _locked(candidate: Candidate, by: Any) -> Candidate:
    """The candidate as saved now, locked; refused when its source is above ``by``'s clearance or when
    someone decided on it in between."""
    try:
        # Only the candidate row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to decided_by.
        current = (
            Candidate.objects.select_for_update(of=("self",))
            .select_related("source", "decided_by")
            .get(pk=candidate.pk, **visible_q(by, "source__"))
        )
    except Candidate.DoesNotExist as gone:
        raise ValidationError("this candidate no longer exists") from gone
    if current.state != CandidateState.PENDING:
        who = current.decided_by.get_username() if current.decided_by else "someone"
        raise ValidationError(f"this candidate was already {current.get_state_display()} by {who}")
    return current


def _date(value: Any, name: str) -> PartialDate | None:
    try:
        return PartialDate.coerce(value or None)
    except (PartialDateError, TypeError) as bad:
        raise ValidationError({name: f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"}) from bad


def _level(candidate: Candidate, *levels: int) -> int:
    """A fact is at least as confidential as the source it cites and the record it hangs from."""
    return max(candidate.source.confidentiality, *levels)


def _parent_person(candidate: Candidate, by: Any, person: Any) -> Person:
    """The dossier a fact goes to: the one its person candidate landed in, or (for a fact tied to no
    person) the one the reviewer names."""
    node = candidate.parent
    while node is not None and node.kind != CandidateKind.PERSON:
        node = node.parent
    if node is None:
        if not isinstance(person, Person):
            raise ValidationError("choose the person this fact is about")
        return _visible_person(by, person.pk)
    if node.state not in LANDED_STATES or node.person_id is None:
        if node.state == CandidateState.REJECTED:
            raise ValidationError("the person this fact is about was rejected: there is no dossier for it")
        raise ValidationError("accept the person first: this fact needs a dossier to go to")
    return _visible_person(by, node.person_id)


def _visible_person(by: Any, pk: int) -> Person:
    try:
        return Person.objects.get(pk=pk, **visible_q(by))
    except Person.DoesNotExist as missing:
        raise ValidationError("that person does not exist or is not visible to you") from missing


def _parent_detention(candidate: Candidate, by: Any) -> Detention:
    node = candidate.parent
    if node is None or node.kind != CandidateKind.DETENTION:
        raise ValidationError("this fact belongs to a detention, and none was proposed")
    if node.state not in LANDED_STATES:
        raise ValidationError("accept the detention first: this fact belongs to it")
    try:
        return Detention.objects.get(pk=node.created_id or 0, **visible_q(by), **visible_q(by, "person__"))
    except Detention.DoesNotExist as missing:
        raise ValidationError("the detention this fact belongs to is no longer there") from missing


def _land_person(
    c: Candidate, values: dict[str, Any], cites: list[Citation], by: Any, person: Any
) -> models.Model:
    names = values.get("names")
    if isinstance(names, str):
        names = names.splitlines()
    names = list(dict.fromkeys(_text(n) for n in names or [] if _text(n)))
    if not names:
        raise ValidationError({"names": "a person needs at least one name"})
    values["names"] = names
    if person is None:
        # As proposed: the linked dossier when this reviewer may see it, else a new one.
        visible = Person.objects.filter(pk=c.person_id, **visible_q(by)).exists() if c.person_id else False
        person = c.person if visible else NEW
    if person == NEW:
        created = dossiers.person_create(
            names=names,
            citations=cites,
            by=by,
            ethnicity=values.get("ethnicity") or "",
            occupation=(values.get("occupation") or "")[:200],
            # A dossier made from a report starts internal (never public without a decision).
            confidentiality=_level(c, Confidentiality.INTERNAL),
        )
        # Dossiers it may duplicate wait in the linkage review queue (habeas.linkage.ingest).
        queue_pairs(person=created, by=by, names=names)
        c.person = created
        return created
    if not isinstance(person, Person):
        raise ValidationError("choose a person or a new dossier")
    target = _visible_person(by, person.pk)
    known = set(PersonName.objects.filter(person=target).values_list("text", flat=True))
    added = [
        dossiers.name_add(
            person=target,
            text=name,
            kind="alias",
            citations=cites,
            by=by,
            confidentiality=_level(c, target.confidentiality),
        )
        for name in names
        if name not in known
    ]
    c.person = target
    # The first name added is what it created; all names known already: it landed on the dossier.
    return added[0] if added else target


def _place(c: Candidate, values: dict[str, Any], by: Any) -> Place:
    """The place chosen (a visible one), or with none chosen a new place by the name as written."""
    place_id = values.get("place_id")
    if place_id in (None, ""):
        name = _text(values.get("name"))
        if not name:
            raise ValidationError({"place_id": "choose a place: no name was extracted"})
        # A new place starts internal, like a new dossier; its details are added on the place page.
        return place_create(names=[name], by=by, confidentiality=_level(c, Confidentiality.INTERNAL))
    try:
        return Place.objects.get(pk=int(str(place_id)), **visible_q(by))
    except (Place.DoesNotExist, ValueError, TypeError) as missing:
        raise ValidationError({"place_id": "that place does not exist or is not visible to you"}) from missing


def _land_fact(
    c: Candidate, values: dict[str, Any], cites: list[Citation], by: Any, person: Any
) -> models.Model:
    kind = c.kind
    if kind == CandidateKind.ACCESS:
        return _land_access(c, values, cites, by)
    if kind in (CandidateKind.SENTENCE, CandidateKind.CHARGE, CandidateKind.PLACE):
        detention = _parent_detention(c, by)
        level = _level(c, detention.confidentiality)
        if kind == CandidateKind.SENTENCE:
            months = values.get("months")
            if months not in (None, "") and not str(months).isdigit():
                raise ValidationError({"months": f"{months!r} is not a number of months"})
            term = int(str(months)) if months not in (None, "") else None
            if values.get("kind") not in SentenceKind.values:
                raise ValidationError({"kind": f"{values.get('kind')!r} is not a kind of sentence"})
            return dossiers.sentence_record(
                detention=detention,
                kind=values["kind"],
                term_months=term,
                pronounced=_date(values.get("pronounced"), "pronounced"),
                citations=cites,
                by=by,
                confidentiality=level,
            )
        if kind == CandidateKind.CHARGE:
            return dossiers.charge_record(
                detention=detention,
                text=(values.get("text") or "")[:500],
                statute=(values.get("statute") or "")[:100],
                article=(values.get("article") or "")[:30],
                citations=cites,
                by=by,
                confidentiality=level,
            )
        place = _place(c, values, by)
        period = dossiers.custody_period_record(
            detention=detention,
            place=place,
            started=detention.started,
            citations=cites,
            by=by,
            confidentiality=max(level, place.confidentiality),
        )
        if detention.place_id is None:
            # Where held: the detention's own place, set through the edit service (with history).
            dossiers.fact_update(fact=detention, version=dossiers.fact_version(detention), by=by, place=place)
        return period
    target = _parent_person(c, by, person)
    level = _level(c, target.confidentiality)
    if kind == CandidateKind.DETENTION:
        return dossiers.detention_record(
            person=target,
            started=_date(values.get("started"), "started"),
            measure=values.get("measure") or Measure.UNKNOWN,
            citations=cites,
            by=by,
            confidentiality=level,
        )
    if kind == CandidateKind.STATUS:
        return dossiers.status_record(
            person=target,
            status=values.get("status"),
            date=_date(values.get("date"), "date"),
            citations=cites,
            by=by,
            confidentiality=level,
        )
    if kind == CandidateKind.HEALTH:
        return dossiers.health_note_record(
            person=target,
            condition=(values.get("condition") or "")[:300],
            citations=cites,
            by=by,
            confidentiality=level,
        )
    if kind == CandidateKind.ALLEGATION:
        allegation = values.get("kind")
        if allegation not in AllegationKind.values:
            raise ValidationError({"kind": f"{allegation!r} is not a kind of allegation"})
        return dossiers.allegation_record(
            person=target,
            kind=allegation,
            description=values.get("description") or "",
            citations=cites,
            by=by,
            confidentiality=level,
        )
    if kind == CandidateKind.AFFILIATION:
        if not _text(values.get("organisation")):
            raise ValidationError({"organisation": "an affiliation needs an organisation"})
        return dossiers.affiliation_record(
            person=target,
            organisation=values["organisation"],
            role=(values.get("role") or "")[:200],
            citations=cites,
            by=by,
            confidentiality=level,
        )
    raise ValidationError(f"a {kind} candidate cannot be accepted")


def _land_access(c: Candidate, values: dict[str, Any], cites: list[Citation], by: Any) -> models.Model:
    """An access event becomes a step of the body's negotiation with that country (habeas.access),
    its conditions guarantees, all citing the evidence."""
    from habeas.access.services import access_event_record  # access builds on review's neighbours

    conditions = values.get("conditions") or []
    if isinstance(conditions, str):  # edited in the review form as one line, comma-separated
        conditions = [part.strip() for part in conditions.split(",")]
    if not _text(values.get("date")):
        raise ValidationError({"date": "an access event needs its date (YYYY, YYYY-MM or YYYY-MM-DD)"})
    event = access_event_record(
        body=_text(values.get("body")),
        country=_text(values.get("country")),
        status=_text(values.get("status")),
        date=_date(values.get("date"), "date") or "",
        conditions=[_text(x) for x in conditions if _text(x)],
        citations=cites,
        by=by,
        confidentiality=c.source.confidentiality,  # as confidential as its source
    )
    values["negotiation"] = event.negotiation.pk  # where the reviewer finds what was recorded
    return event.status


def _edits(kind: str, edits: dict[str, Any] | None) -> dict[str, Any]:
    edits = dict(edits or {})
    unknown = set(edits) - EDITABLE.get(kind, frozenset())
    if unknown:
        raise ValidationError(f"not editable on a {kind} candidate: {', '.join(sorted(unknown))}")
    return edits


@transaction.atomic
def candidate_accept(
    *,
    candidate: Candidate,
    by: Any,
    edits: dict[str, Any] | None = None,
    person: Person | str | None = None,
) -> Candidate:
    """Land a candidate in a dossier, as proposed or with ``edits``, through the dossier services, with
    a citation of each evidence span; the candidate records who decided, when and what it created.

    ``person`` (person candidates, and facts tied to no person): a visible dossier, ``NEW`` for a new
    one, or None for the proposal. One transaction: a refusal anywhere leaves nothing written.
    """
    _reviewer(by)
    c = _locked(candidate, by)
    edits = _edits(c.kind, edits)
    values = {**c.values, **edits}
    spans = list(c.spans.values_list("start", "end"))
    if not spans:
        raise ValidationError("this candidate cites no words of the source, so it cannot become a fact")
    cites = [citation_get_or_create(source=c.source, start=s, end=e, by=by) for s, e in spans]
    if c.kind == CandidateKind.PERSON:
        created = _land_person(c, values, cites, by, person)
    else:
        created = _land_fact(c, values, cites, by, person)
    before = c.state
    c.state = (
        CandidateState.EDITED
        if any(c.values.get(k) != v for k, v in edits.items())
        else CandidateState.ACCEPTED
    )
    c.accepted_values = values
    c.created_model = created._meta.label
    c.created_id = created.pk
    c.decided_by = by
    c.decided_at = timezone.now()
    c.full_clean()
    c.save()
    history_record(
        obj=c,
        action="update",
        by=by,
        changes={
            "state": [before, c.state],
            "created": [None, f"{c.created_model}#{c.created_id}"],
            **({"edits": [None, edits]} if edits else {}),
        },
    )
    return c


@transaction.atomic
def candidate_reject(*, candidate: Candidate, by: Any, note: str = "") -> Candidate:
    """Refuse a candidate; refusing a person (or a detention) refuses what was proposed under it too."""
    _reviewer(by)
    c = _locked(candidate, by)
    now = timezone.now()
    rejected = [c]
    frontier = [c.pk]
    while frontier:
        children = list(
            Candidate.objects.select_for_update().filter(parent_id__in=frontier, state=CandidateState.PENDING)
        )
        rejected += children
        frontier = [child.pk for child in children]
    for row in rejected:
        row.state, row.decided_by, row.decided_at = CandidateState.REJECTED, by, now
        row.save(update_fields=["state", "decided_by", "decided_at"])
        history_record(
            obj=row, action="update", by=by, changes={"state": [CandidateState.PENDING, row.state]}, note=note
        )
    return c


@dataclass
class AutoResult:
    accepted: list[Candidate] = field(default_factory=list)
    skipped: list[tuple[Candidate, str]] = field(default_factory=list)  # below threshold or refused


def candidates_auto_accept(*, source: Source, by: Any, min_confidence: float) -> AutoResult:
    """Accept, as proposed, the pending candidates of a source whose confidence is at least
    ``min_confidence``: only when a user asks for it, with a threshold they set. Each candidate is its
    own transaction (a refused one leaves the others standing); one without a confidence never passes."""
    _reviewer(by)
    if isinstance(min_confidence, bool) or not 0 < float(min_confidence) <= 1:
        raise ValidationError(
            f"the confidence threshold must be above 0 and at most 1 (got {min_confidence!r})"
        )
    if source.confidentiality > user_clearance(by):
        raise ValidationError("that source does not exist or is not visible to you")
    result = AutoResult()
    pending = Candidate.objects.filter(source=source, state=CandidateState.PENDING).order_by(
        "run_id", "position", "id"
    )
    for candidate in pending:
        if candidate.confidence is None or candidate.confidence < min_confidence:
            result.skipped.append((candidate, "below the threshold"))
            continue
        try:
            result.accepted.append(candidate_accept(candidate=candidate, by=by))
        except ValidationError as refused:
            result.skipped.append((candidate, "; ".join(refused.messages)))
    return result

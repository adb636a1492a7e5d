"""Writes for monitoring bodies, access negotiations, guarantees and benchmarks. Each function is one
transaction that writes its history rows too; the web views, the CLI, the extraction review and the
visits app all call these.

Facts (status rows, guarantee states, assessments) cite sources or are marked as entered without a
source by a named user, through the dossiers' ``fact_save``, so the rule is enforced in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance
from habeas.audit.services import diff, field_values, history_record
from habeas.dossiers.services import EditConflict, fact_save
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.lib.names import fold
from habeas.places.models import Place
from habeas.sources.models import Citation

from .models import (
    AccessNegotiation,
    Assessment,
    BenchmarkSet,
    BodyAlias,
    BodyKind,
    Criterion,
    Guarantee,
    GuaranteeChange,
    GuaranteeKind,
    GuaranteeState,
    Mandate,
    MonitoringBody,
    NegotiationStatus,
    NegotiationStatusChange,
    Rating,
    Scope,
)

__all__ = [
    "AccessEvent",
    "EditConflict",
    "access_event_record",
    "assessment_record",
    "benchmark_set_create",
    "body_alias_add",
    "body_create",
    "country_check",
    "guarantee_state_record",
    "negotiation_create",
    "negotiation_request",
    "negotiation_update",
    "status_record",
]

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
# "the UN Working Group on ..." and "Working Group on ..." name the same body.
_LEADING = re.compile(r"^(?:the\s+)?(?:(?:UN|U\.N\.|United\s+Nations)(?:'s)?\s+)?", re.I)

# What a status implies for the conditions a source names with it (see access_event_record).
_STATE_FOR_STATUS: dict[str, str] = {
    NegotiationStatus.REQUESTED: GuaranteeState.ASKED,
    NegotiationStatus.CONSIDERED: GuaranteeState.ASKED,
    NegotiationStatus.POSTPONED: GuaranteeState.ASKED,
    NegotiationStatus.INVITED: GuaranteeState.GRANTED,
    NegotiationStatus.AGREED: GuaranteeState.GRANTED,
    NegotiationStatus.SCHEDULED: GuaranteeState.GRANTED,
    NegotiationStatus.CONDUCTED: GuaranteeState.GRANTED,
    NegotiationStatus.REPORT_PUBLISHED: GuaranteeState.GRANTED,
    NegotiationStatus.REFUSED: GuaranteeState.REFUSED,
    # A visit cut short says something went wrong, not which condition: the reviewer says which.
    NegotiationStatus.CUT_SHORT: GuaranteeState.UNKNOWN,
}


def country_check(country: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper case, or a ValidationError naming what was given."""
    text = (country or "").strip()
    if not _COUNTRY.match(text):
        raise ValidationError(
            {"country": f"a country is two letters (ISO 3166-1 alpha-2), not {text[:40]!r}"}
        )
    return text.upper()


def _date(value: PartialDate | str | None, name: str = "date", required: bool = True) -> PartialDate | None:
    try:
        date = PartialDate.coerce(value)
    except PartialDateError as error:
        raise ValidationError({name: str(error)}) from error
    if date is None and required:
        raise ValidationError({name: f"a {name} is needed (YYYY, YYYY-MM or YYYY-MM-DD)"})
    return date


def _choice(value: Any, choices: Any, name: str) -> Any:
    if value not in choices.values:
        allowed = ", ".join(str(v) for v in choices.values)
        raise ValidationError({name: f"{str(value)[:40]!r} is not a {name} (one of: {allowed})"})
    return value


def _level(value: int | None, default: int, by: Any) -> int:
    """A record's level: given or inherited; a user may not file a record above what they may read."""
    level = default if value is None else int(value)
    if level not in Confidentiality.values:
        raise ValidationError({"confidentiality": f"{value!r} is not a confidentiality level"})
    if getattr(by, "pk", None) and level > user_clearance(by):
        raise ValidationError({"confidentiality": "you may not file a record above your own clearance"})
    return level


def _user(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


# -- bodies ----------------------------------------------------------------------------------------
@transaction.atomic
def body_create(
    *,
    name: str,
    kind: str,
    mandate: str = Mandate.GENERAL,
    short_name: str = "",
    description: str = "",
    url: str = "",
    aliases: Iterable[str] = (),
    confidentiality: int = Confidentiality.PUBLIC,
    by: Any = None,
) -> MonitoringBody:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "a monitoring body needs a name"})
    if MonitoringBody.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"a monitoring body named {name[:100]!r} exists already"})
    body = MonitoringBody(
        name=name[:300],
        short_name=short_name.strip()[:60],
        kind=_choice(kind, BodyKind, "kind"),
        mandate=_choice(mandate, Mandate, "mandate"),
        description=description.strip(),
        url=url.strip(),
        confidentiality=_level(confidentiality, Confidentiality.PUBLIC, by),
        created_by=_user(by),
    )
    body.full_clean()
    body.save()
    history_record(obj=body, action="create", by=by)
    for alias in aliases:
        body_alias_add(body=body, text=alias, by=by)
    return body


@transaction.atomic
def body_alias_add(*, body: MonitoringBody, text: str, by: Any = None) -> BodyAlias:
    text = (text or "").strip()[:300]
    # Stored without a leading "the" / "UN", which body_for_name also tries without.
    key = fold(_LEADING.sub("", text))[:300] or fold(text)[:300]
    if not key:
        raise ValidationError({"alias": "an alias needs letters or characters"})
    alias, created = BodyAlias.objects.get_or_create(body=body, key=key, defaults={"text": text})
    if created:
        history_record(obj=alias, action="create", by=by)
    return alias


# -- negotiations ----------------------------------------------------------------------------------
def _places(places: Iterable[Place], by: Any, kept: Iterable[int] = ()) -> list[Place]:
    """The places to link; none above the user's clearance unless already linked (``kept``): an
    editor who cannot see a place neither adds it nor, by saving, drops it."""
    chosen = list(places)
    if getattr(by, "pk", None):
        clearance, linked = user_clearance(by), set(kept)
        if any(p.confidentiality > clearance and p.pk not in linked for p in chosen):
            raise ValidationError({"places": "a place above your clearance cannot be named here"})
    return chosen


@transaction.atomic
def negotiation_create(
    *,
    body: MonitoringBody,
    country: str,
    subject: str,
    scope: str = Scope.COUNTRY_VISIT,
    places: Iterable[Place] = (),
    purposes: str = "",
    confidentiality: int = Confidentiality.INTERNAL,
    by: Any = None,
) -> AccessNegotiation:
    """A body's request for access to a state, without its steps (``status_record`` adds them)."""
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": "say in a line what the access is for"})
    chosen = _places(places, by)
    scope = _choice(scope, Scope, "scope")
    country = country_check(country)
    if scope == Scope.PLACES and not chosen:
        raise ValidationError({"places": "access to specific places needs at least one place"})
    foreign = [p.name for p in chosen if p.country and p.country.upper() != country]
    if foreign:
        raise ValidationError({"places": f"not in {country}: {', '.join(foreign)[:200]}"})
    negotiation = AccessNegotiation(
        body=body,
        country=country,
        scope=scope,
        subject=subject[:300],
        purposes=(purposes or "").strip(),
        confidentiality=_level(confidentiality, Confidentiality.INTERNAL, by),
        created_by=_user(by),
    )
    negotiation.full_clean()
    negotiation.save()
    if chosen:
        negotiation.places.set(chosen)
    changes = field_values(negotiation)
    changes["places"] = [p.pk for p in chosen]
    history_record(obj=negotiation, action="create", by=by, changes=changes)
    return negotiation


NEGOTIATION_EDITABLE = ("subject", "purposes", "scope", "confidentiality")


@transaction.atomic
def negotiation_update(
    *,
    negotiation: AccessNegotiation,
    version: int,
    by: Any,
    places: Iterable[Place] | None = None,
    **changes: Any,
) -> AccessNegotiation:
    """Change what a negotiation is about, refusing the save if someone else saved since ``version``.
    The body and the country stay: a different body or state is a different negotiation."""
    unknown = set(changes) - set(NEGOTIATION_EDITABLE)
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = AccessNegotiation.objects.select_for_update().get(pk=negotiation.pk)
    if current.version != version:
        raise EditConflict(
            f"this negotiation was changed by someone else (version {current.version}, your edit began at "
            f"version {version}); nothing was saved. Reload to see their change, then edit again."
        )
    if "subject" in changes:
        changes["subject"] = (changes["subject"] or "").strip()[:300]
        if not changes["subject"]:
            raise ValidationError({"subject": "say in a line what the access is for"})
    if "scope" in changes:
        _choice(changes["scope"], Scope, "scope")
    if "confidentiality" in changes:
        changes["confidentiality"] = _level(changes["confidentiality"], current.confidentiality, by)
    before = field_values(current, changes)
    before_places = sorted(current.places.values_list("pk", flat=True))
    for name, value in changes.items():
        setattr(current, name, value)
    chosen = _places(places, by, kept=before_places) if places is not None else None
    if current.scope == Scope.PLACES and not (chosen if chosen is not None else before_places):
        raise ValidationError({"places": "access to specific places needs at least one place"})
    current.full_clean()
    current.version = F("version") + 1  # type: ignore[assignment]
    current.save()
    current.refresh_from_db()
    changed = diff(before, field_values(current, changes))
    if chosen is not None:
        current.places.set(chosen)
        after_places = sorted(p.pk for p in chosen)
        if after_places != before_places:
            changed["places"] = [before_places, after_places]
    if changed:
        history_record(obj=current, action="update", by=by, changes=changed)
    return current


@transaction.atomic
def status_record(
    *,
    negotiation: AccessNegotiation,
    status: str,
    date: PartialDate | str,
    note: str = "",
    visit_from: PartialDate | str | None = None,
    visit_to: PartialDate | str | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    confidentiality: int | None = None,
    by: Any = None,
) -> NegotiationStatusChange:
    """One dated step of a negotiation, citing its source. The level defaults to the negotiation's."""
    start, end = _date(visit_from, "visit_from", False), _date(visit_to, "visit_to", False)
    if start and end and end.latest < start.earliest:
        raise ValidationError({"visit_to": "the visit cannot end before it starts"})
    row = NegotiationStatusChange(  # type: ignore[misc]  # PartialDateField takes a PartialDate; the stubs see text
        negotiation=negotiation,
        status=_choice(status, NegotiationStatus, "status"),
        date=_date(date),
        visit_from=start,
        visit_to=end,
        note=(note or "").strip(),
        confidentiality=_level(confidentiality, negotiation.confidentiality, by),
    )
    return fact_save(row, citations=citations, unsourced=unsourced, by=by)


def _guarantee(negotiation: AccessNegotiation, kind: str, other_text: str, level: int, by: Any) -> Guarantee:
    _choice(kind, GuaranteeKind, "kind")
    other_text = (other_text or "").strip()[:300] if kind == GuaranteeKind.OTHER else ""
    if kind == GuaranteeKind.OTHER and not other_text:
        raise ValidationError({"other_text": "say what the other guarantee is"})
    guarantee = Guarantee.objects.filter(negotiation=negotiation, kind=kind, other_text=other_text).first()
    if guarantee is None:
        guarantee = Guarantee(
            negotiation=negotiation, kind=kind, other_text=other_text, confidentiality=level
        )
        guarantee.full_clean()
        guarantee.save()
        history_record(obj=guarantee, action="create", by=by)
    return guarantee


@transaction.atomic
def guarantee_state_record(
    *,
    negotiation: AccessNegotiation,
    kind: str,
    state: str,
    date: PartialDate | str,
    other_text: str = "",
    note: str = "",
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    confidentiality: int | None = None,
    by: Any = None,
) -> GuaranteeChange:
    """A guarantee's state from ``date`` on (the guarantee row is made the first time it is named)."""
    level = _level(confidentiality, negotiation.confidentiality, by)
    guarantee = _guarantee(negotiation, kind, other_text, level, by)
    row = GuaranteeChange(  # type: ignore[misc]  # PartialDateField takes a PartialDate
        guarantee=guarantee,
        state=_choice(state, GuaranteeState, "state"),
        date=_date(date),
        note=(note or "").strip(),
        confidentiality=level,
    )
    return fact_save(row, citations=citations, unsourced=unsourced, by=by)


@transaction.atomic
def negotiation_request(
    *,
    body: MonitoringBody,
    country: str,
    subject: str,
    date: PartialDate | str,
    guarantees: Iterable[str] = (),
    scope: str = Scope.COUNTRY_VISIT,
    places: Iterable[Place] = (),
    purposes: str = "",
    note: str = "",
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    confidentiality: int = Confidentiality.INTERNAL,
    by: Any = None,
) -> AccessNegotiation:
    """A new negotiation with its "requested" step and the guarantees asked for, all citing the same."""
    negotiation = negotiation_create(
        body=body,
        country=country,
        subject=subject,
        scope=scope,
        places=places,
        purposes=purposes,
        confidentiality=confidentiality,
        by=by,
    )
    cited = {"citations": citations, "unsourced": unsourced, "by": by}
    status_record(negotiation=negotiation, status=NegotiationStatus.REQUESTED, date=date, note=note, **cited)
    for kind in dict.fromkeys(guarantees):
        guarantee_state_record(
            negotiation=negotiation, kind=kind, state=GuaranteeState.ASKED, date=date, **cited
        )
    return negotiation


# -- extracted access events -----------------------------------------------------------------------
# Words the extractor (issue 4) writes for conditions, to guarantees for each family of body.
CONDITION_WORDS: dict[str, tuple[str, str]] = {
    # word: (UN terms of reference, ICRC standard condition)
    "any prison": (GuaranteeKind.UN_ALL_PLACES, GuaranteeKind.ICRC_ALL_DETAINEES),
    "all places": (GuaranteeKind.UN_ALL_PLACES, GuaranteeKind.ICRC_ALL_DETAINEES),
    "all premises": (GuaranteeKind.UN_ALL_PLACES, GuaranteeKind.ICRC_ALL_PREMISES),
    "private interviews": (GuaranteeKind.UN_CONFIDENTIAL_CONTACT, GuaranteeKind.ICRC_PRIVATE_INTERVIEWS),
    "no reprisals": (GuaranteeKind.UN_NO_REPRISALS, GuaranteeKind.UN_NO_REPRISALS),
    "freedom of movement": (GuaranteeKind.UN_MOVEMENT, GuaranteeKind.UN_MOVEMENT),
    "documents": (GuaranteeKind.UN_DOCUMENTS, GuaranteeKind.UN_DOCUMENTS),
    "repeat visits": (GuaranteeKind.ICRC_REPEAT_VISITS, GuaranteeKind.ICRC_REPEAT_VISITS),
    "list of detainees": (GuaranteeKind.ICRC_DETAINEE_LIST, GuaranteeKind.ICRC_DETAINEE_LIST),
}
UNCONDITIONAL = "unconditional"


def conditions_to_kinds(body: MonitoringBody, conditions: Iterable[str]) -> list[tuple[str, str]]:
    """(guarantee kind, other text) for each condition word; "unconditional" means every standard
    guarantee of the body's family; a GuaranteeKind value is taken as it is; "other: ..." keeps its
    words. Anything else is a ValidationError naming it, so a reviewed event is never half-recorded."""
    icrc = body.kind == BodyKind.ICRC
    kinds: dict[tuple[str, str], None] = {}
    for condition in conditions:
        word = " ".join((condition or "").strip().lower().split())
        if not word:
            continue
        if word == UNCONDITIONAL:
            kinds.update(dict.fromkeys((k, "") for k in body.guarantee_kinds))
        elif word in CONDITION_WORDS:
            kinds[(CONDITION_WORDS[word][1 if icrc else 0], "")] = None
        elif word in GuaranteeKind.values and word != GuaranteeKind.OTHER:
            kinds[(word, "")] = None
        elif word.startswith("other:") and word[6:].strip():
            kinds[(GuaranteeKind.OTHER, condition.strip()[6:].strip())] = None
        else:
            known = ", ".join([UNCONDITIONAL, *CONDITION_WORDS])
            raise ValidationError(
                {"conditions": f"{condition[:60]!r} is not a condition habeas knows (known: {known})"}
            )
    return list(kinds)


def body_for_name(name: str) -> MonitoringBody | None:
    """The body whose name, short name or alias folds to the same key as ``name`` (with or without a
    leading "the" or "UN"); None if none or more than one do (the reviewer then picks)."""
    text = (name or "").strip()
    keys = {k for k in (fold(text), fold(_LEADING.sub("", text))) if k}
    if not keys:
        return None
    found: dict[int, MonitoringBody] = {}
    for alias in BodyAlias.objects.filter(key__in=keys).select_related("body"):
        found[alias.body_id] = alias.body
    if not found:
        # Names and short names are few (tens): folding them here beats keeping another key column.
        found = {
            b.pk: b
            for b in MonitoringBody.objects.all()
            if keys & {fold(b.name), fold(_LEADING.sub("", b.name)), fold(b.short_name)}
        }
    return next(iter(found.values())) if len(found) == 1 else None


@dataclass
class AccessEvent:
    """What ``access_event_record`` wrote."""

    negotiation: AccessNegotiation
    status: NegotiationStatusChange
    guarantees: list[GuaranteeChange] = field(default_factory=list)
    created_negotiation: bool = False


@transaction.atomic
def access_event_record(
    *,
    body: MonitoringBody | str,
    country: str,
    status: str,
    date: PartialDate | str,
    conditions: Iterable[str] = (),
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    by: Any = None,
    negotiation: AccessNegotiation | None = None,
    subject: str = "",
    note: str = "",
    guarantee_state: str | None = None,
    confidentiality: int = Confidentiality.INTERNAL,
) -> AccessEvent:
    """Record one reviewed access event found in a source: {body, status, date, conditions, evidence}.

    ``body`` is a MonitoringBody or a name matched by name, short name or alias. The event joins
    ``negotiation`` if given, else the latest negotiation of that body with that country the user may
    see, else a new one (subject defaulting to "access for <body>"). Conditions become guarantee rows
    in the state the status implies (requested -> asked, agreed/conducted -> granted, refused ->
    refused) unless ``guarantee_state`` says otherwise. Everything cites ``citations``.
    """
    if isinstance(body, str):
        found = body_for_name(body)
        if found is None:
            raise ValidationError({"body": f"no single monitoring body is called {body[:100]!r}; pick one"})
        body = found
    country = country_check(country)
    status = _choice(status, NegotiationStatus, "status")
    kinds = conditions_to_kinds(body, conditions)
    state = _choice(guarantee_state or _STATE_FOR_STATUS[status], GuaranteeState, "guarantee_state")
    created = False
    if negotiation is not None:
        if negotiation.body_id != body.pk or negotiation.country != country:
            raise ValidationError("the event's body and country differ from the negotiation's")
    else:
        candidates = AccessNegotiation.objects.filter(body=body, country=country)
        if getattr(by, "pk", None):
            candidates = candidates.filter(confidentiality__lte=user_clearance(by))
        negotiation = candidates.order_by("-created_at", "-id").first()
    if negotiation is None:
        negotiation = negotiation_create(
            body=body,
            country=country,
            subject=subject or f"access for {body}",
            confidentiality=confidentiality,
            by=by,
        )
        created = True
    cited = {"citations": citations, "unsourced": unsourced, "by": by}
    row = status_record(negotiation=negotiation, status=status, date=date, note=note, **cited)
    changes = [
        guarantee_state_record(
            negotiation=negotiation, kind=kind, other_text=text, state=state, date=date, **cited
        )
        for kind, text in kinds
    ]
    return AccessEvent(negotiation=negotiation, status=row, guarantees=changes, created_negotiation=created)


# -- benchmarks ------------------------------------------------------------------------------------
@transaction.atomic
def benchmark_set_create(
    *,
    title: str,
    country: str,
    criteria: Sequence[tuple[str, str]],
    description: str = "",
    adopted: PartialDate | str | None = None,
    confidentiality: int = Confidentiality.PUBLIC,
    by: Any = None,
) -> BenchmarkSet:
    """A set with its criteria, given in order as (short label, text)."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "a benchmark set needs a title"})
    if not criteria:
        raise ValidationError({"criteria": "a benchmark set needs at least one criterion"})
    country = country_check(country)
    if BenchmarkSet.objects.filter(country=country, title=title[:300]).exists():
        raise ValidationError({"title": f"{country} already has a benchmark set titled {title[:100]!r}"})
    benchmark_set = BenchmarkSet(  # type: ignore[misc]  # PartialDateField takes a PartialDate
        title=title[:300],
        country=country,
        description=(description or "").strip(),
        adopted=_date(adopted, "adopted", False),
        confidentiality=_level(confidentiality, Confidentiality.PUBLIC, by),
        created_by=_user(by),
    )
    benchmark_set.full_clean()
    benchmark_set.save()
    history_record(obj=benchmark_set, action="create", by=by)
    for position, (label, text) in enumerate(criteria, 1):
        label, text = (label or "").strip(), (text or "").strip()
        if not label or not text:
            raise ValidationError({"criteria": f"criterion {position} needs a short label and its text"})
        criterion = Criterion(benchmark_set=benchmark_set, position=position, label=label[:100], text=text)
        criterion.full_clean()
        criterion.save()
        history_record(obj=criterion, action="create", by=by)
    return benchmark_set


@transaction.atomic
def assessment_record(
    *,
    criterion: Criterion,
    date: PartialDate | str,
    rating: int | str,
    summary: str,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    confidentiality: int | None = None,
    by: Any = None,
) -> Assessment:
    """How far ``criterion`` was met at ``date``; ``rating`` is a Rating value or its label."""
    if isinstance(rating, str):
        labels = {str(label): value for value, label in Rating.choices}
        text = rating.strip().replace("_", " ").lower()
        if text in labels:
            rating = labels[text]
        else:
            try:
                rating = int(text)
            except ValueError:
                rating = 99  # reported below with the allowed values
    _choice(rating, Rating, "rating")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": "say in a sentence or two what the assessment rests on"})
    level = _level(confidentiality, criterion.benchmark_set.confidentiality, by)
    when = _date(date)
    row = Assessment(  # type: ignore[misc]  # PartialDateField takes a PartialDate; the stubs see text
        criterion=criterion, date=when, rating=rating, summary=summary, confidentiality=level
    )
    return fact_save(row, citations=citations, unsourced=unsourced, by=by)

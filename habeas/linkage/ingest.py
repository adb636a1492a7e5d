"""Linking extracted persons on ingestion, with the admin's thresholds (``LinkageSettings``).

When a source's facts are extracted (habeas.review.services.extraction_run), each extracted person is
scored against the dossiers it may be (``candidates.person_candidates_scored``, the batch's model):

- at or above the auto-link threshold, the person candidate is linked to that dossier: accepting it
  lands the facts there (nothing lands unreviewed unless a user asks for automatic acceptance); a
  dossier with the very same name in some script is linked too, as the review queue did before;
- between the thresholds, or below, a new dossier is proposed; when the reviewer accepts it as new,
  every dossier that scored at or above the review threshold is queued for linkage review as a
  pending pair with the new dossier (``queue_pairs``), so a duplicate is merged or told apart there.

Only dossiers the user may read take part, and only where the facts the score drew on are within the
user's clearance: a link must not reveal a restricted alias or fact. Where the engine cannot run
(splink or DuckDB not installed), exact whole-name keys decide instead: an exact match in any script
is linked, as the review queue did before the engine existed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from habeas.accounts.selectors import user_clearance
from habeas.dossiers.models import Detention, Person
from habeas.linkage.models import LinkageSettings, Origin

log = logging.getLogger(__name__)

LINK, REVIEW, NEW = "link", "review", "new"


@dataclass(frozen=True)
class Scored:
    person_id: int
    score: float
    match_weight: float = 0.0
    evidence: dict[str, Any] = field(default_factory=dict)
    confidentiality: int = 1


@dataclass(frozen=True)
class Link:
    decision: str  # LINK, REVIEW or NEW
    person_id: int | None  # the dossier linked (LINK only)
    scored: tuple[Scored, ...] = ()  # every candidate the user may see, best first


def _year(value: Any) -> int | None:
    text = str(value or "")[:4]
    return int(text) if text.isdigit() and len(text) == 4 else None


def _record(names: Sequence[str], values: dict[str, Any]) -> dict[str, Any]:
    """What the engine compares, from what the extractor gives for one person."""
    charges = [c.get("statute") or c.get("text") for c in values.get("charges") or [] if isinstance(c, dict)]
    return {
        "names": list(names),
        "ethnicity": str(values.get("ethnicity") or ""),
        "places": [str(values["place"])] if values.get("place") else [],
        "detention_year": _year(values.get("detained")),
        "charges": [str(c) for c in charges if c],
    }


def _exact(user: Any, names: Sequence[str]) -> list[Scored]:
    """The fallback: dossiers with a visible name equal to one of ``names`` in any script."""
    from habeas.review.selectors import person_matches

    return [
        Scored(p.pk, 1.0, confidentiality=p.confidentiality) for p in person_matches(user, names, limit=5)
    ]


def score_candidates(
    user: Any, names: Sequence[str], values: dict[str, Any] | None = None, *, exclude: int | None = None
) -> list[Scored]:
    """Dossiers ``names`` (and the extracted ``values``) may belong to, scored, best first, among those
    the user may read whose scored facts are all within the user's clearance."""
    names = [n for n in names if n and n.strip()]
    if not names:
        return []
    try:
        from habeas.linkage.candidates import person_candidates_scored

        found = person_candidates_scored(_record(names, values or {}), user=user)
    except ImportError as missing:  # the engine's libraries are an install away: say so, link by name
        log.warning("linkage engine unavailable (%s): linking by exact name keys", missing)
        found = _exact(user, names)  # type: ignore[assignment]
    clearance = user_clearance(user)
    scored = [
        Scored(
            c.person_id,
            c.score,
            getattr(c, "match_weight", 0.0),
            getattr(c, "evidence", {}),
            c.confidentiality,
        )
        for c in found
        if c.confidentiality <= clearance and c.person_id != exclude
    ]
    visible = set(
        Person.objects.filter(
            pk__in=[s.person_id for s in scored], confidentiality__lte=clearance, merged_into__isnull=True
        ).values_list("pk", flat=True)
    )
    return sorted((s for s in scored if s.person_id in visible), key=lambda s: -s.score)


def person_link(user: Any, names: Sequence[str], values: dict[str, Any] | None = None) -> Link:
    """What the admin's thresholds say for one extracted person: link, review or new."""
    scored = score_candidates(user, names, values)
    settings = LinkageSettings.current()
    best = scored[0] if scored else None
    if best is not None and best.score >= settings.person_auto_link:
        return Link(LINK, best.person_id, tuple(scored))
    # A visible dossier with the very same name in some script is proposed as before the engine (the
    # reviewer still confirms it on acceptance): the engine widens linking, it does not narrow it.
    exact = _exact(user, names)
    if exact:
        return Link(LINK, exact[0].person_id, tuple(scored))
    if best is not None and best.score >= settings.person_review:
        return Link(REVIEW, None, tuple(scored))
    return Link(NEW, None, tuple(scored))


@transaction.atomic
def queue_pairs(*, person: Person, by: Any, names: Sequence[str] | None = None) -> list[Any]:
    """Queue for linkage review every dossier that scores at or above the review threshold against
    ``person`` (just created from an extracted person): pending pairs, origin "ingestion". A pair
    decided "different" before is not proposed again (the pair service refuses it)."""
    from habeas.linkage.services import person_pair_record

    if names is None:
        names = list(person.names.values_list("text", flat=True))
    started = Detention.objects.filter(person=person).values_list("started", flat=True).first()
    values = {"ethnicity": person.ethnicity, "detained": str(started) if started else None}
    review = LinkageSettings.current().person_review
    stored = []
    for s in score_candidates(by, names, values, exclude=person.pk):
        if s.score < review:
            break
        pair = person_pair_record(
            a=person.pk,
            b=s.person_id,
            score=min(max(s.score, 0.0), 1.0),
            match_weight=s.match_weight,
            evidence=s.evidence,
            confidentiality=max(s.confidentiality, person.confidentiality),
            origin=Origin.INGESTION,
        )
        if pair is not None:
            stored.append(pair)
    return stored

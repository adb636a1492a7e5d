"""Writes of the linkage engine: candidate pairs (stored once, upserted) and the admin's thresholds.

Rules every write here keeps:
- a pair is stored once, lower primary key on the left;
- a pair decided "different" is never proposed again (its row is left exactly as the reviewer left it);
- a decided pair (merged or different) keeps its decision whatever the engine now thinks; re-scoring
  updates the score, weight and evidence of pending and deferred pairs only;
- nothing here deletes a pair.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from habeas.audit.services import diff, field_values, history_record
from habeas.linkage.models import Decision, LinkageSettings, Origin, PersonPair, PlacePair

PairModel = type[PersonPair] | type[PlacePair]
_RESCORED_FIELDS = ["score", "match_weight", "evidence", "confidentiality", "scored_at"]


def pair_key(a: int, b: int) -> tuple[int, int]:
    """The stored order of a pair: lower primary key first. Refuses a record paired with itself."""
    a, b = int(a), int(b)
    if a == b:
        raise ValidationError(f"a record cannot be paired with itself (id {a})")
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class ScoredPair:
    """One engine result to store: ids in either order, probability, weight, evidence, level."""

    a: int
    b: int
    score: float
    match_weight: float
    evidence: dict[str, Any]
    confidentiality: int = 1


def _check(score: float, confidentiality: int) -> None:
    if not 0.0 <= score <= 1.0:
        raise ValidationError(f"score must be between 0 and 1, not {score!r}")
    if confidentiality not in (0, 1, 2):
        raise ValidationError(f"confidentiality must be 0, 1 or 2, not {confidentiality!r}")


def _pair_record(
    model: PairModel,
    *,
    a: int,
    b: int,
    score: float,
    match_weight: float,
    evidence: dict[str, Any],
    confidentiality: int,
    origin: str,
) -> Any:
    _check(score, confidentiality)
    left, right = pair_key(a, b)
    with transaction.atomic():
        pair = model.objects.select_for_update().filter(left_id=left, right_id=right).first()
        if pair is None:
            return model.objects.create(
                left_id=left,
                right_id=right,
                score=score,
                match_weight=match_weight,
                evidence=evidence,
                confidentiality=confidentiality,
                origin=origin,
            )
        if pair.decision == Decision.DIFFERENT:
            return None
        if pair.decision == Decision.MERGED:
            return pair
        pair.score, pair.match_weight, pair.evidence = score, match_weight, evidence
        pair.confidentiality = confidentiality
        pair.save(update_fields=_RESCORED_FIELDS)
        return pair


def person_pair_record(
    *,
    a: int,
    b: int,
    score: float,
    match_weight: float = 0.0,
    evidence: dict[str, Any] | None = None,
    confidentiality: int = 1,
    origin: str = Origin.DEDUPE,
) -> PersonPair | None:
    """Store (or re-score) the candidate pair of persons ``a`` and ``b``.

    Returns the pair; None when the two were decided different (never proposed again). A merged pair is
    returned untouched."""
    pair: PersonPair | None = _pair_record(
        PersonPair,
        a=a,
        b=b,
        score=score,
        match_weight=match_weight,
        evidence=evidence or {},
        confidentiality=confidentiality,
        origin=origin,
    )
    return pair


def place_pair_record(
    *,
    a: int,
    b: int,
    score: float,
    match_weight: float = 0.0,
    evidence: dict[str, Any] | None = None,
    confidentiality: int = 1,
    origin: str = Origin.DEDUPE,
) -> PlacePair | None:
    """As ``person_pair_record``, for places of detention."""
    pair: PlacePair | None = _pair_record(
        PlacePair,
        a=a,
        b=b,
        score=score,
        match_weight=match_weight,
        evidence=evidence or {},
        confidentiality=confidentiality,
        origin=origin,
    )
    return pair


@dataclass
class StoreCounts:
    created: int = 0
    rescored: int = 0
    skipped_decided: int = 0

    def add(self, other: StoreCounts) -> None:
        self.created += other.created
        self.rescored += other.rescored
        self.skipped_decided += other.skipped_decided


def decided_pairs(model: PairModel) -> set[tuple[int, int]]:
    """Pairs a reviewer decided (merged or different): a batch leaves them alone."""
    rows = model.objects.filter(decision__in=[Decision.MERGED, Decision.DIFFERENT]).values_list(
        "left_id", "right_id"
    )
    return {(left, right) for left, right in rows.iterator(chunk_size=10_000)}


def pairs_store(
    model: PairModel,
    pairs: Iterable[ScoredPair],
    *,
    decided: set[tuple[int, int]],
    origin: str = Origin.DEDUPE,
) -> StoreCounts:
    """Upsert one batch of pairs in one transaction with two statements (bulk insert with conflict
    update): the batch's pending and deferred pairs are re-scored, new ones created pending, decided
    ones (``decided``, read once per run) skipped."""
    counts = StoreCounts()
    rows: dict[tuple[int, int], ScoredPair] = {}
    for pair in pairs:
        _check(pair.score, pair.confidentiality)
        key = pair_key(pair.a, pair.b)
        if key in decided:
            counts.skipped_decided += 1
            continue
        rows[key] = pair
    if not rows:
        return counts
    with transaction.atomic():
        existing = set(_existing(model, rows.keys()))
        objs: list[Any] = [
            model(
                left_id=left,
                right_id=right,
                score=p.score,
                match_weight=p.match_weight,
                evidence=p.evidence,
                confidentiality=p.confidentiality,
                origin=origin,
            )
            for (left, right), p in rows.items()
        ]
        model.objects.bulk_create(
            objs,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["left", "right"],
            update_fields=_RESCORED_FIELDS,
        )
    counts.rescored = len(existing)
    counts.created = len(rows) - len(existing)
    return counts


def _existing(model: PairModel, keys: Iterable[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    keys = list(keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        lefts = {left for left, _ in chunk}
        wanted = set(chunk)
        rows = model.objects.filter(left_id__in=lefts).values_list("left_id", "right_id")
        yield from ((left, right) for left, right in rows if (left, right) in wanted)


THRESHOLD_FIELDS = ("person_auto_link", "person_review", "place_auto_link", "place_review")


def linkage_settings_update(*, by: Any, **thresholds: float) -> LinkageSettings:
    """Set the admin's thresholds (any of THRESHOLD_FIELDS), each in [0, 1], review <= auto-link;
    the change is written to the history."""
    unknown = set(thresholds) - set(THRESHOLD_FIELDS)
    if unknown:
        raise ValidationError(f"unknown threshold(s): {', '.join(sorted(unknown))}")
    if not getattr(by, "pk", None) or getattr(by, "role", "") != "admin":
        raise ValidationError("only an administrator may change the linkage thresholds")
    with transaction.atomic():
        LinkageSettings.current()
        obj = LinkageSettings.objects.select_for_update().get(id=1)
        before = field_values(obj, THRESHOLD_FIELDS)
        for name, value in thresholds.items():
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise ValidationError(f"{name} must be a number between 0 and 1, not {value!r}") from None
            if not 0.0 <= value <= 1.0:
                raise ValidationError(f"{name} must be between 0 and 1, not {value}")
            setattr(obj, name, value)
        for kind in ("person", "place"):
            review, auto = getattr(obj, f"{kind}_review"), getattr(obj, f"{kind}_auto_link")
            if review > auto:
                raise ValidationError(
                    f"{kind} review threshold ({review}) must not be above the auto-link threshold ({auto})"
                )
        obj.updated_by = by
        obj.save()
        history_record(
            obj=obj, action="update", by=by, changes=diff(before, field_values(obj, THRESHOLD_FIELDS))
        )
    return obj


def decision_for(score: float, *, kind: str = "person", settings: LinkageSettings | None = None) -> str:
    """What the admin's thresholds say about a score: "link", "review" or "new"."""
    settings = settings or LinkageSettings.current()
    auto = getattr(settings, f"{kind}_auto_link")
    review = getattr(settings, f"{kind}_review")
    if score >= auto:
        return "link"
    if score >= review:
        return "review"
    return "new"


__all__ = [
    "ScoredPair",
    "StoreCounts",
    "decided_pairs",
    "decision_for",
    "linkage_settings_update",
    "pair_key",
    "pairs_store",
    "person_pair_record",
    "place_pair_record",
]

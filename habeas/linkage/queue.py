"""The linkage review queue: candidate pairs for a reader, one pair side by side with the evidence that
matched, the decisions (merge, different, defer, reopen) and the merge history.

A pair is shown only to a reader who may see it (its level is the highest level of the facts its
evidence came from) and both of its records; a pair one of whose records was merged away is not
shown (the survivor is proposed again by the next dedupe). Each side of a pair is the reader's own
view of the record (``person_dossier`` / ``place_detail``), so nothing above their clearance shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from habeas.accounts.selectors import user_clearance, visible_q
from habeas.audit.services import history_record
from habeas.dossiers.models import Person, PersonName
from habeas.dossiers.selectors import Dossier, person_dossier
from habeas.linkage.candidates import lookup_keys
from habeas.linkage.merge import person_merge, place_merge
from habeas.linkage.merge_models import MergeRecord, RecordKind
from habeas.linkage.models import Decision, PersonPair, PlacePair
from habeas.places.models import Place
from habeas.places.selectors import PlaceDetail, place_detail

Reader = Any
PAIR_MODELS: dict[str, type[PersonPair] | type[PlacePair]] = {"person": PersonPair, "place": PlacePair}
RECORD_MODELS: dict[str, type[Person] | type[Place]] = {"person": Person, "place": Place}
# What a reviewer may decide here; "merged" comes only from a merge (and goes with its undo).
DECISIONS = (Decision.DIFFERENT, Decision.DEFERRED, Decision.PENDING)
FIELD_LABELS = {
    "name": _("names"),
    "birth_year": _("birth year"),
    "sex": _("sex"),
    "ethnicity": _("ethnicity"),
    "province": _("province"),
    "places": _("places of detention"),
    "detention": _("detention start"),
    "detention_start": _("detention start"),
    "charges": _("charges"),
    "affiliations": _("affiliations"),
    "kind": _("kind of place"),
    "coordinates": _("position"),
}


def pair_model(kind: str) -> type[PersonPair] | type[PlacePair]:
    try:
        return PAIR_MODELS[kind]
    except KeyError as unknown:
        raise LookupError(kind) from unknown


def visible_pairs(user: Reader, kind: str) -> QuerySet[Any]:
    """Pairs the reader may see: the pair's own level and both records within clearance. An open pair
    (pending, deferred) one of whose records was merged away is left out: the survivor stands for it."""
    gone = Q(left__merged_into__isnull=False) | Q(right__merged_into__isnull=False)
    return (
        pair_model(kind)
        .objects.filter(**visible_q(user), **visible_q(user, "left__"), **visible_q(user, "right__"))
        .exclude(Q(decision__in=[Decision.PENDING, Decision.DEFERRED]) & gone)
    )


def person_labels(user: Reader, ids: Iterable[int]) -> dict[int, str]:
    """Each person's name from the names the reader may see (the stored display name may come from a
    restricted name): a main Latin name first, then any main name, then the first name."""
    best: dict[int, tuple[int, str]] = {}
    rows = PersonName.objects.filter(person_id__in=list(ids), **visible_q(user)).order_by("pk")
    for person_id, text, kind, script in rows.values_list("person_id", "text", "kind", "script"):
        rank = 0 if kind == "main" and script == "Latn" else 1 if kind == "main" else 2
        if person_id not in best or rank < best[person_id][0]:
            best[person_id] = (rank, text)
    return {pk: text for pk, (_rank, text) in best.items()}


@dataclass(frozen=True)
class PairRow:
    pair: Any
    left: str
    right: str


def pair_queue(
    user: Reader,
    *,
    kind: str = "person",
    decision: str = Decision.PENDING,
    score_min: float | None = None,
    score_max: float | None = None,
    page: int | str = 1,
    per_page: int = 50,
) -> Page:
    """One page of visible pairs with ``decision`` ("" for any), best score first; each row names both
    records as the reader may see them. Three queries whatever the page's size."""
    pairs = visible_pairs(user, kind)
    if decision:
        pairs = pairs.filter(decision=decision)
    if score_min is not None:
        pairs = pairs.filter(score__gte=score_min)
    if score_max is not None:
        pairs = pairs.filter(score__lte=score_max)
    pairs = pairs.select_related("left", "right").order_by("-score", "id")
    result = Paginator(pairs, max(1, min(int(per_page), 200))).get_page(page)
    rows = list(result.object_list)
    if kind == "person":
        names = person_labels(user, {p.left_id for p in rows} | {p.right_id for p in rows})
        unnamed = str(_("(no name recorded)"))
        result.object_list = [  # type: ignore[assignment]
            PairRow(p, names.get(p.left_id, unnamed), names.get(p.right_id, unnamed)) for p in rows
        ]
    else:
        result.object_list = [PairRow(p, p.left.name, p.right.name) for p in rows]  # type: ignore[assignment]
    return result


def pair_for_review(user: Reader, kind: str, pk: int) -> Any:
    """A visible pair (``DoesNotExist`` when missing or not visible, alike)."""
    model = pair_model(kind)
    found = visible_pairs(user, kind).filter(pk=pk).first()
    if found is None:
        raise model.DoesNotExist(f"{kind} pair {pk}")
    return found


# -- one pair, side by side ------------------------------------------------------------------------
@dataclass(frozen=True)
class EvidenceRow:
    field: str
    label: str
    level: str  # the engine's words for how the field compared ("exact key", "within 1 year"...)
    weight: float  # log2 Bayes factor: above 0 the field speaks for one person, below 0 against
    left: list[str]
    right: list[str]

    @property
    def agrees(self) -> bool:
        return self.weight > 0

    @property
    def disagrees(self) -> bool:
        return self.weight < 0


@dataclass
class PairDetail:
    kind: str
    pair: Any
    left: Dossier | PlaceDetail
    right: Dossier | PlaceDetail
    evidence: list[EvidenceRow]
    # Names (pks) on each side that share a search key with a name on the other side.
    matching_names: set[int] = field(default_factory=set)
    merges: list[MergeRecord] = field(default_factory=list)


def _person_values(d: Dossier) -> dict[str, list[str]]:
    p = d.person
    started = [str(v.fact.started.display()) for v in d.detentions if v.fact.started]
    return {
        "name": [n.fact.text for n in d.names],
        "birth_year": [str(p.birth_date.year)] if p.birth_date else [],
        "sex": [p.get_sex_display()] if p.sex else [],
        "ethnicity": [p.ethnicity] if p.ethnicity else [],
        "province": [p.residence_province] if p.residence_province else [],
        "places": sorted(
            {v.place_name for v in d.detentions if v.place_name}
            | {name for v in d.detentions for _c, name in v.custody if name}
        ),
        "detention": started,
        "detention_start": started,
        "charges": [
            f"{c.fact.statute} art. {c.fact.article}" if c.fact.article else (c.fact.text or c.fact.statute)
            for v in d.detentions
            for c in v.charges
        ],
        "affiliations": [a.fact.organisation.name for a in d.affiliations],
    }


def _place_values(d: PlaceDetail) -> dict[str, list[str]]:
    p = d.place
    return {
        "name": [n.text for n in d.names],
        "province": [p.province] if p.province else [],
        "kind": [p.get_kind_display()] if p.kind else [],
        "coordinates": [f"{p.latitude}, {p.longitude}"] if p.latitude is not None else [],
    }


def _matching_names(left: Dossier, right: Dossier) -> set[int]:
    """Names that share a whole-name key (any script, order, Tibetan spelling) with a name on the other
    side: the engine's lookup keys, not single words ("Tenzin" alone matches nothing)."""
    keys = {n.fact.pk: lookup_keys([n.fact.text]) for n in [*left.names, *right.names]}
    left_keys = set().union(*(keys[n.fact.pk] for n in left.names)) if left.names else set()
    right_keys = set().union(*(keys[n.fact.pk] for n in right.names)) if right.names else set()
    return {n.fact.pk for n in left.names if keys[n.fact.pk] & right_keys} | {
        n.fact.pk for n in right.names if keys[n.fact.pk] & left_keys
    }


def pair_detail(user: Reader, kind: str, pk: int) -> PairDetail:
    """A visible pair with each record as the reader may see it and each field of the evidence beside
    both records' values. ``DoesNotExist`` (of the pair model) when not visible."""
    pair = pair_for_review(user, kind, pk)
    if kind == "person":
        left: Dossier | PlaceDetail = person_dossier(user, pair.left_id)
        right: Dossier | PlaceDetail = person_dossier(user, pair.right_id)
        values = (_person_values(left), _person_values(right))  # type: ignore[arg-type]
    else:
        left, right = place_detail(user, pair.left_id), place_detail(user, pair.right_id)
        values = (_place_values(left), _place_values(right))  # type: ignore[arg-type]
    fields = (pair.evidence or {}).get("fields") or {}
    evidence = []
    for name, found in fields.items():
        if not isinstance(found, dict):
            continue
        try:
            weight = float(found.get("weight") or 0)
        except (TypeError, ValueError):
            weight = 0.0
        evidence.append(
            EvidenceRow(
                field=str(name),
                label=str(FIELD_LABELS.get(name, str(name).replace("_", " "))),
                level=str(found.get("level") or ""),
                weight=weight,
                left=values[0].get(name, []),
                right=values[1].get(name, []),
            )
        )
    evidence.sort(key=lambda row: -row.weight)
    record_field = "person_pair" if kind == "person" else "place_pair"
    merges = list(
        MergeRecord.objects.filter(**{record_field: pair}, **visible_q(user)).select_related(
            "by", "undone_by"
        )
    )
    detail = PairDetail(kind=kind, pair=pair, left=left, right=right, evidence=evidence, merges=merges)
    if kind == "person":
        detail.matching_names = _matching_names(left, right)  # type: ignore[arg-type]
    return detail


# -- deciding --------------------------------------------------------------------------------------
def _reviewer(by: Any) -> Any:
    if not getattr(by, "can_review", False):
        raise PermissionDenied("only reviewers, researchers and administrators decide on pairs")
    return by


def _locked_pair(by: Any, kind: str, pair: Any) -> Any:
    found = visible_pairs(by, kind).select_for_update(of=("self",)).filter(pk=pair.pk).first()
    if found is None:
        raise ValidationError("that pair does not exist or is not visible to you")
    return found


@transaction.atomic
def pair_decide(*, pair: Any, decision: str, by: Any, note: str = "") -> Any:
    """Mark a pair different persons (never proposed again), defer it, or reopen it (pending).
    Reviewers may: it changes no dossier. A merged pair is reopened only by undoing its merge."""
    _reviewer(by)
    kind = "person" if isinstance(pair, PersonPair) else "place"
    if decision not in DECISIONS:
        raise ValidationError(f"{decision!r} is not a decision here: different, deferred or pending")
    current = _locked_pair(by, kind, pair)
    if current.decision == Decision.MERGED:
        raise ValidationError("this pair was merged: undo the merge to reopen it")
    before = current.decision
    current.decision = decision
    current.decided_by = None if decision == Decision.PENDING else by
    current.decided_at = None if decision == Decision.PENDING else timezone.now()
    if note.strip():
        current.note = note.strip()[:2000]
    current.save(update_fields=["decision", "decided_by", "decided_at", "note"])
    history_record(
        obj=current, action="update", by=by, changes={"decision": [before, decision]}, note=note.strip()
    )
    return current


def pair_merge(*, pair: Any, survivor_id: int, by: Any, note: str = "") -> MergeRecord:
    """Merge the two records of a pair, ``survivor_id`` (one of them) keeping its identity."""
    kind = "person" if isinstance(pair, PersonPair) else "place"
    current = pair_for_review(by, kind, pair.pk)
    if current.decision == Decision.MERGED:
        raise ValidationError("this pair was already merged")
    if survivor_id not in (current.left_id, current.right_id):
        raise ValidationError("choose which of the two records stays")
    absorbed_id = current.right_id if survivor_id == current.left_id else current.left_id
    model = RECORD_MODELS[kind]
    survivor, absorbed = model.objects.get(pk=survivor_id), model.objects.get(pk=absorbed_id)
    if kind == "person":
        return person_merge(survivor=survivor, absorbed=absorbed, by=by, pair=current, note=note)  # type: ignore[arg-type]
    return place_merge(survivor=survivor, absorbed=absorbed, by=by, pair=current, note=note)  # type: ignore[arg-type]


# -- merge history ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MergeRow:
    record: MergeRecord
    origin: str
    target: str


def _record_filter(user: Reader) -> Q:
    """Merge records the reader may see: the record's level (the highest of all it moved) and both
    records it names."""
    q = Q(**visible_q(user))
    person = Q(
        kind=RecordKind.PERSON, **visible_q(user, "origin_person__"), **visible_q(user, "target_person__")
    )
    place = Q(kind=RecordKind.PLACE, **visible_q(user, "origin_place__"), **visible_q(user, "target_place__"))
    return q & (person | place)


def _labels(user: Reader, records: list[MergeRecord]) -> list[MergeRow]:
    ids = {r.origin_person_id for r in records} | {r.target_person_id for r in records}
    names = person_labels(user, {pk for pk in ids if pk})
    # A merged-away record has no names left (they moved): it is named by the first one it brought.
    moved = {
        m["pk"]: r.pk
        for r in records
        for m in r.moves
        if m["model"] == "dossiers.personname" and m["op"] in ("move", "keep")
    }
    brought: dict[int, str] = {}
    for pk, text in (
        PersonName.objects.filter(pk__in=list(moved), **visible_q(user))
        .order_by("pk")
        .values_list("pk", "text")
    ):
        brought.setdefault(moved[pk], text)
    rows = []
    for r in records:
        if r.kind == RecordKind.PERSON:
            origin = names.get(r.origin_id, "") or brought.get(r.pk, "") or f"#{r.origin_id}"
            target = names.get(r.target_id, "") or f"#{r.target_id}"
        else:
            origin = r.origin_place.name if r.origin_place else f"#{r.origin_id}"
            target = r.target_place.name if r.target_place else f"#{r.target_id}"
        rows.append(MergeRow(r, origin, target))
    return rows


def merge_history(user: Reader, *, kind: str = "", page: int | str = 1, per_page: int = 50) -> Page:
    """Merges and splits the reader may see, newest first."""
    records = MergeRecord.objects.filter(_record_filter(user))
    if kind:
        records = records.filter(kind=kind)
    records = records.select_related("by", "undone_by", "origin_place", "target_place").order_by("-at", "-id")
    result = Paginator(records, max(1, min(int(per_page), 200))).get_page(page)
    result.object_list = _labels(user, list(result.object_list))  # type: ignore[assignment]
    return result


@dataclass(frozen=True)
class MovedRow:
    kind: str
    label: str
    change: str


@dataclass
class MergeDetail:
    row: MergeRow
    moved: list[MovedRow]
    hidden: bool  # some rows are above the reader's clearance (never their content)


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def merge_detail(user: Reader, pk: int) -> MergeDetail:
    """One merge record with what it moved, each row named as the reader may see it (rows above the
    reader's clearance are not named). ``MergeRecord.DoesNotExist`` when not visible."""
    record = (
        MergeRecord.objects.filter(_record_filter(user), pk=pk)
        .select_related("by", "undone_by", "origin_place", "target_place")
        .get()
    )
    clearance = user_clearance(user)
    by_model: dict[str, list[dict[str, Any]]] = {}
    for move in record.moves:
        by_model.setdefault(move["model"], []).append(move)
    moved: list[MovedRow] = []
    hidden = False
    for label, moves in sorted(by_model.items()):
        model = _model(label)
        rows = {obj.pk: obj for obj in model._base_manager.filter(pk__in=[m["pk"] for m in moves])}
        for m in moves:
            obj = rows.get(m["pk"])
            if obj is None:
                moved.append(MovedRow(str(model._meta.verbose_name), f"#{m['pk']}", str(_("removed since"))))
                continue
            if getattr(obj, "confidentiality", 0) > clearance:
                hidden = True
                continue
            text = {
                "move": _("moved"),
                "keep": _("stayed (the other record has the same name)"),
                "cite": _("gained the other record's citations"),
                "set": _("filled: %(field)s") % {"field": m.get("field", "")},
            }.get(m["op"], m["op"])
            moved.append(MovedRow(str(model._meta.verbose_name), fact_label(obj), str(text)))
    return MergeDetail(row=_labels(user, [record])[0], moved=moved, hidden=hidden)


def fact_label(obj: models.Model) -> str:
    """A record as a reader names it: its own ``__str__`` where it has one, else kind, what and when."""
    if type(obj).__str__ is not models.Model.__str__:
        text = str(obj)
    else:
        parts = [str(obj._meta.verbose_name)]
        for name in ("status", "kind"):
            if getattr(obj, name, ""):
                parts.append(str(getattr(obj, f"get_{name}_display")()))
        for name in ("condition", "description", "note"):
            if getattr(obj, name, ""):
                parts.append(str(getattr(obj, name)))
                break
        for name in ("date", "started", "observed"):
            when = getattr(obj, name, None)
            if when:
                parts.append(when.display() if hasattr(when, "display") else str(when))
                break
        text = ", ".join(parts)
    return text if len(text) <= 120 else text[:119] + "…"

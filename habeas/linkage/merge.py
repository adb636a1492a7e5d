"""Merge and split of dossiers and places, reversibly.

A **merge** moves everything the absorbed record holds to the survivor: a person's names, detentions
(their custody periods, legal steps, charges, sentences and sentence changes hang from the detention
and follow it), statuses, health notes, allegations, affiliations, external ids, name keys, and any
other record that points at the person (review candidates, and what later apps link to a dossier).
The absorbed row stays, ``merged_into`` the survivor: hidden from lists and search, its page
redirecting. Each fact keeps its own level and citations. A name both records carry (same text and
kind) stays on the absorbed record and its citations are added to the survivor's copy (a name is
stored once per person). The survivor's empty fields (birth date, ethnicity...) are filled from the
absorbed record's when that record is no more confidential than the survivor.

A **split** moves chosen names and facts of one dossier to a new one (the false-merge fix).

Both write a ``MergeRecord`` listing exactly what changed (model, pk, field, from, to) and one history
row per moved record, in one transaction. **Undoing a merge** reverses exactly those changes:

- facts added to the survivor after the merge stay with the survivor, except those that hang from a
  record that moves back (a sentence of a moved detention follows its detention, and a status or
  allegation tied to a moved detention is moved back with it, as the undo report says);
- a moved fact edited since moves back as edited; one removed since, or moved elsewhere since (a
  split), is left where it is and named in the undo report;
- a survivor field filled by the merge is emptied again only if it still holds the merged value.

**Undoing a split** merges the new dossier back into the one it came from (so facts added to it since
go along), and can itself be undone like any merge.

Every operation is refused when it would touch a record above the user's clearance: the merged dossier
then shows each fact at its own level, and nobody moves facts they cannot see. Only editors
(researchers, administrators) merge, split and undo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from habeas.accounts.selectors import user_clearance
from habeas.audit.models import Action, History
from habeas.audit.services import jsonable
from habeas.dossiers import derive
from habeas.dossiers.models import (
    Affiliation,
    Allegation,
    Charge,
    CustodyPeriod,
    Detention,
    ExternalId,
    HealthNote,
    LegalStep,
    NameKey,
    Person,
    PersonName,
    Sentence,
    SentenceChange,
    StatusChange,
)
from habeas.dossiers.services import fact_save, write_name_keys
from habeas.linkage.merge_models import MergeRecord, Operation, RecordKind
from habeas.linkage.models import Decision, PersonPair, PlacePair
from habeas.places.models import Place, PlaceName
from habeas.sources.models import Citation

REFUSED = "refused: it would move records above your clearance"
NOT_VISIBLE = "that {kind} does not exist or is not visible to you"

# Filled on the survivor where it has nothing and the absorbed record has something.
PERSON_FILLED = (
    "sex",
    "birth_date",
    "ethnicity",
    "religion",
    "occupation",
    "residence_country",
    "residence_province",
    "residence_prefecture",
    "residence_county",
    "issue_category",
    "summary_public",
    "notes_internal",
)
PLACE_FILLED = ("authority", "country", "province", "prefecture", "county", "address", "capacity", "notes")

# What a split may move: the records that hang from the person directly.
SPLITTABLE: tuple[type[models.Model], ...] = (
    PersonName,
    ExternalId,
    Detention,
    StatusChange,
    HealthNote,
    Allegation,
    Affiliation,
)
# Facts tied to a detention as well as to the person: they go wherever their detention goes.
DETENTION_TIED: tuple[type[models.Model], ...] = (StatusChange, Allegation)


def _editor(by: Any) -> Any:
    if not getattr(by, "can_edit", False):
        raise PermissionDenied("only researchers and administrators merge, split or undo")
    return by


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def _links(target: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """Every (model, foreign key) pointing at ``target`` whose rows a merge moves: all of them (later
    apps' links included, through tables of many-to-many fields too) except the record's own merge
    mark, derived name keys (they follow their name) and linkage's own rows, which are about both."""
    links: list[tuple[type[models.Model], str]] = []
    for rel in target._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        related: Any = rel.related_model
        name: str = rel.field.name  # type: ignore[union-attr]
        if related is target and name == "merged_into":
            continue
        if related is NameKey or related._meta.app_label == "linkage":
            continue
        links.append((related, name))
    return sorted(links, key=lambda link: (_label(link[0]), link[1]))


@dataclass
class _Plan:
    moves: list[dict[str, Any]] = field(default_factory=list)
    level: int = 0  # the highest level of any record involved

    def see(self, level: Any) -> None:
        if isinstance(level, int):
            self.level = max(self.level, level)

    def move(self, model: type[models.Model], pk: int, name: str, origin: int, target: int) -> None:
        self.moves.append(
            {"op": "move", "model": _label(model), "pk": pk, "field": name, "from": origin, "to": target}
        )


def _has_level(model: type[models.Model]) -> bool:
    return any(f.name == "confidentiality" for f in model._meta.concrete_fields)


def _rows(model: type[models.Model], **where: Any) -> list[dict[str, Any]]:
    columns = ["pk", "confidentiality"] if _has_level(model) else ["pk"]
    return list(model._base_manager.filter(**where).order_by("pk").values(*columns))


def _nested_levels(plan: _Plan, detention_ids: list[int]) -> None:
    """Facts that hang from moved detentions move with them: their levels count too."""
    if not detention_ids:
        return
    for model in (CustodyPeriod, LegalStep, Charge, Sentence):
        for level in model.objects.filter(detention_id__in=detention_ids).values_list(
            "confidentiality", flat=True
        ):
            plan.see(level)
    for level in SentenceChange.objects.filter(sentence__detention_id__in=detention_ids).values_list(
        "confidentiality", flat=True
    ):
        plan.see(level)


def _fill(plan: _Plan, model: type[models.Model], survivor: Any, absorbed: Any, names: Sequence[str]) -> None:
    """Fill the survivor's empty fields from the absorbed record, unless that record is the more
    confidential (its values would then show at the survivor's lower level)."""
    if absorbed.confidentiality > survivor.confidentiality:
        return
    for name in names:
        mine, theirs = getattr(survivor, name), getattr(absorbed, name)
        if mine in (None, "") and theirs not in (None, ""):
            plan.moves.append(
                {
                    "op": "set",
                    "model": _label(model),
                    "pk": survivor.pk,
                    "field": name,
                    "from": jsonable(mine),
                    "to": jsonable(theirs),
                }
            )


# -- applying and reverting moves ------------------------------------------------------------------
def _update(model: type[models.Model], pks: list[int], name: str, value: int, where: int | None) -> int:
    """Point ``name`` of these rows at ``value`` (only rows still pointing at ``where``, if given)."""
    rows = model._base_manager.filter(pk__in=pks)
    if where is not None:
        rows = rows.filter(**{f"{name}_id": where})
    try:
        with transaction.atomic():
            return rows.update(**{f"{name}_id": value})
    except IntegrityError as clash:
        raise ValidationError(
            f"{model._meta.verbose_name_plural} of the two records clash (a row allowed once per record "
            f"exists on both): resolve it by hand first ({clash})"
        ) from clash


def _grouped(moves: Iterable[dict[str, Any]]) -> dict[tuple[str, str, int, int], list[int]]:
    groups: dict[tuple[str, str, int, int], list[int]] = defaultdict(list)
    for m in moves:
        if m["op"] == "move":
            groups[(m["model"], m["field"], m["from"], m["to"])].append(m["pk"])
    return groups


def _history(
    rows: list[tuple[models.Model | type[models.Model], int, dict[str, Any]]],
    *,
    action: str,
    by: Any,
    note: str,
) -> None:
    """One history row per changed record, in one insert."""
    now = timezone.now()
    History.objects.bulk_create(
        [
            History(
                at=now,
                user=by,
                action=action,
                content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
                object_id=pk,
                changes=changes,
                note=note[:500],
            )
            for model, pk, changes in rows
        ],
        batch_size=1000,
    )


def _apply_moves(plan: _Plan, *, action: str, by: Any, note: str) -> None:
    history: list[tuple[Any, int, dict[str, Any]]] = []
    for (label, name, origin, target), pks in _grouped(plan.moves).items():
        model = _model(label)
        _update(model, pks, name, target, None)
        history += [(model, pk, {name: [origin, target]}) for pk in pks]
    for m in plan.moves:
        if m["op"] == "move" and m["model"] == "dossiers.personname":
            NameKey.objects.filter(name_id=m["pk"]).update(person_id=m["to"])
    kept = [m["pk"] for m in plan.moves if m["op"] == "keep" and m["model"] == "dossiers.personname"]
    # A duplicate left on the absorbed record keeps no search keys: search must not find that record.
    NameKey.objects.filter(name_id__in=kept).delete()
    for m in plan.moves:
        if m["op"] == "cite":
            fact: Any = _model(m["model"])._base_manager.get(pk=m["pk"])
            before = sorted(fact.extra_citations.values_list("pk", flat=True))
            fact.extra_citations.add(*m["add"])
            history.append((type(fact), fact.pk, {"extra_citations": [before, sorted({*before, *m["add"]})]}))
    _history(history, action=action, by=by, note=note)


def _set_fields(
    obj: Any, moves: list[dict[str, Any]], *, forward: bool
) -> tuple[dict[str, list[Any]], list[str]]:
    """Apply (or revert) the "set" moves on ``obj``; returns the changes made and the fields left
    because they changed since."""
    changed: dict[str, list[Any]] = {}
    kept: list[str] = []
    for m in moves:
        if m["op"] != "set" or m["pk"] != obj.pk:
            continue
        name = m["field"]
        now = jsonable(getattr(obj, name))
        want, expect = (m["to"], m["from"]) if forward else (m["from"], m["to"])
        if now != expect:
            kept.append(name)
            continue
        model_field = obj._meta.get_field(name)
        setattr(
            obj, name, model_field.to_python(want) if want not in (None, "") else model_field.get_default()
        )
        changed[name] = [now, want]
    return changed, kept


def _save_fields(obj: Any, names: Iterable[str]) -> None:
    fields = set(names)
    for name in list(fields):
        bounds = getattr(obj._meta.get_field(name), "bound_names", None)
        if bounds and bounds(obj):
            fields.update(bounds(obj))
    obj.version = F("version") + 1
    obj.save(update_fields=[*sorted(fields), "version"])
    obj.refresh_from_db()


def _mark(obj: Any, into: Any) -> None:
    obj.merged_into = into
    obj.version = F("version") + 1
    obj.save(update_fields=["merged_into", "version"])
    obj.refresh_from_db()


# -- persons ---------------------------------------------------------------------------------------
def _locked_persons(by: Any, *pks: int) -> dict[int, Person]:
    """The persons, locked in pk order (two merges of the same pair wait for each other instead of
    deadlocking); each must exist and be visible to ``by``."""
    clearance = user_clearance(by)
    found = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    for pk in pks:
        if pk not in found or found[pk].confidentiality > clearance:
            raise ValidationError(NOT_VISIBLE.format(kind="person"))
    return found


def _person_plan(absorbed: Person, survivor: Person) -> _Plan:
    plan = _Plan()
    plan.see(absorbed.confidentiality)
    plan.see(survivor.confidentiality)
    own = {
        (text, kind): pk
        for pk, text, kind in PersonName.objects.filter(person=survivor).values_list("pk", "text", "kind")
    }
    for name in PersonName.objects.filter(person=absorbed).order_by("pk"):
        plan.see(name.confidentiality)
        twin = own.get((name.text, name.kind))
        if twin is None:
            plan.move(PersonName, name.pk, "person", absorbed.pk, survivor.pk)
            continue
        plan.moves.append({"op": "keep", "model": "dossiers.personname", "pk": name.pk, "as": twin})
        twin_cites = set(
            PersonName.extra_citations.through.objects.filter(personname_id=twin).values_list(
                "citation_id", flat=True
            )
        )
        twin_first = PersonName.objects.filter(pk=twin).values_list("citation_id", flat=True).first()
        cites = [name.citation_id, *name.extra_citations.values_list("pk", flat=True)]
        added = sorted({c for c in cites if c is not None and c != twin_first and c not in twin_cites})
        if added:
            plan.moves.append({"op": "cite", "model": "dossiers.personname", "pk": twin, "add": added})
    detentions: list[int] = []
    for model, link in _links(Person):
        if model is PersonName:
            continue
        for row in _rows(model, **{f"{link}_id": absorbed.pk}):
            plan.see(row.get("confidentiality"))
            plan.move(model, row["pk"], link, absorbed.pk, survivor.pk)
            if model is Detention:
                detentions.append(row["pk"])
    _nested_levels(plan, detentions)
    before = len(plan.moves)
    _fill(plan, Person, survivor, absorbed, PERSON_FILLED)
    if len(plan.moves) > before:
        # The filled values come from the absorbed record's sources: the survivor cites them too.
        mine = {survivor.citation_id, *survivor.extra_citations.values_list("pk", flat=True)}
        theirs = [absorbed.citation_id, *absorbed.extra_citations.values_list("pk", flat=True)]
        added = sorted({c for c in theirs if c is not None and c not in mine})
        if added:
            plan.moves.append({"op": "cite", "model": "dossiers.person", "pk": survivor.pk, "add": added})
    return plan


def _pair_for(pair: PersonPair | PlacePair | None, a: int, b: int, model: type[models.Model]) -> Any:
    if pair is None:
        return None
    found: Any = model._default_manager.select_for_update().filter(pk=pair.pk).first()
    if found is None or {found.left_id, found.right_id} != {a, b}:
        raise ValidationError("that pair is not about these two records")
    return found


def _decide(pair: Any, decision: str, by: Any, note: str) -> None:
    before = pair.decision
    pair.decision = decision
    pair.decided_by = by if decision != Decision.PENDING else None
    pair.decided_at = timezone.now() if decision != Decision.PENDING else None
    pair.save(update_fields=["decision", "decided_by", "decided_at"])
    _history(
        [(type(pair), pair.pk, {"decision": [before, decision]})], action=Action.UPDATE, by=by, note=note
    )


@transaction.atomic
def person_merge(
    *,
    survivor: Person,
    absorbed: Person,
    by: Any,
    pair: PersonPair | None = None,
    note: str = "",
    action: str = Action.MERGE,
) -> MergeRecord:
    """Merge ``absorbed`` into ``survivor`` (see the module's docstring); ``pair``: the reviewed pair
    this decides (marked "merged")."""
    _editor(by)
    if survivor.pk == absorbed.pk:
        raise ValidationError("a dossier cannot be merged into itself")
    locked = _locked_persons(by, survivor.pk, absorbed.pk)
    s, a = locked[survivor.pk], locked[absorbed.pk]
    for person in (s, a):
        if person.merged_into_id:
            raise ValidationError(
                f"person #{person.pk} was already merged into #{person.merged_into_id}: use that dossier"
            )
    pair = _pair_for(pair, s.pk, a.pk, PersonPair)
    plan = _person_plan(a, s)
    if plan.level > user_clearance(by):
        raise ValidationError(f"merge {REFUSED}")
    record = MergeRecord.objects.create(
        operation=Operation.MERGE,
        kind=RecordKind.PERSON,
        origin_person=a,
        target_person=s,
        person_pair=pair,
        moves=plan.moves,
        at=timezone.now(),
        by=by,
        note=note[:500],
        confidentiality=plan.level,
    )
    text = f"merge #{record.pk}: person #{a.pk} into #{s.pk}" + (f" ({note})" if note else "")
    _apply_moves(plan, action=action, by=by, note=text)
    filled, _kept = _set_fields(s, plan.moves, forward=True)
    if filled:
        _save_fields(s, filled)
    _mark(a, s)
    _history(
        [(Person, a.pk, {"merged_into": [None, s.pk]}), (Person, s.pk, filled)],
        action=action,
        by=by,
        note=text,
    )
    derive.person_refresh([s.pk, a.pk])
    if pair is not None:
        _decide(pair, Decision.MERGED, by, text)
    return record


def _followers(moves: list[dict[str, Any]], survivor: int, absorbed: int) -> list[dict[str, Any]]:
    """Facts added to the survivor after the merge but tied to a detention that moves back: they
    follow it, or a status would belong to one person and its detention to another."""
    restored = [m["pk"] for m in moves if m["op"] == "move" and m["model"] == "dossiers.detention"]
    follow = []
    for model in DETENTION_TIED:
        moved = [m["pk"] for m in moves if m["op"] == "move" and m["model"] == _label(model)]
        rows = model._base_manager.filter(detention_id__in=restored, person_id=survivor).exclude(pk__in=moved)
        for pk in rows.values_list("pk", flat=True):
            # Written as if the merge had moved it, so undoing moves it to the absorbed record.
            follow.append(
                {
                    "op": "move",
                    "model": _label(model),
                    "pk": pk,
                    "field": "person",
                    "from": absorbed,
                    "to": survivor,
                }
            )
    return follow


def _locked_record(record: MergeRecord) -> MergeRecord:
    try:
        current = (
            MergeRecord.objects.select_for_update(of=("self",)).select_related("undone_by").get(pk=record.pk)
        )
    except MergeRecord.DoesNotExist as gone:
        raise ValidationError("that merge does not exist") from gone
    if current.undone_at is not None:
        who = current.undone_by.get_username() if current.undone_by else "someone"
        raise ValidationError(f"this {current.operation} was already undone by {who}")
    return current


def _revert_moves(
    record: MergeRecord, moves: list[dict[str, Any]], *, by: Any, note: str
) -> dict[str, list[str]]:
    """Move back every row still where the merge put it; report the others."""
    report: dict[str, list[str]] = defaultdict(list)
    history: list[tuple[Any, int, dict[str, Any]]] = []
    for (label, name, origin, target), pks in _grouped(moves).items():
        model = _model(label)
        where = {p: t for p, t in model._base_manager.filter(pk__in=pks).values_list("pk", f"{name}_id")}
        back = [pk for pk in pks if where.get(pk) == target]
        _update(model, back, name, origin, target)
        history += [(model, pk, {name: [target, origin]}) for pk in back]
        verbose = model._meta.verbose_name
        report["removed"] += [f"{verbose} #{pk}" for pk in pks if pk not in where]
        report["moved"] += [f"{verbose} #{pk}" for pk in pks if pk in where and where[pk] != target]
        if label == "dossiers.personname":
            NameKey.objects.filter(name_id__in=back).update(person_id=origin)
    kept = [m["pk"] for m in moves if m["op"] == "keep" and m["model"] == "dossiers.personname"]
    if kept:
        # The duplicate names left on the absorbed record get their search keys back, at their level.
        write_name_keys(PersonName.objects.filter(pk__in=kept))
    for m in moves:
        if m["op"] != "cite":
            continue
        fact: Any = _model(m["model"])._base_manager.filter(pk=m["pk"]).first()
        if fact is None:
            continue
        before = sorted(fact.extra_citations.values_list("pk", flat=True))
        fact.extra_citations.remove(*m["add"])
        after = sorted(set(before) - set(m["add"]))
        if after != before:
            history.append((type(fact), fact.pk, {"extra_citations": [before, after]}))
    _history(history, action=Action.SPLIT, by=by, note=note)
    return report


def _check_level(by: Any, *levels: Any) -> None:
    clearance = user_clearance(by)
    if any(isinstance(level, int) and level > clearance for level in levels):
        raise ValidationError(f"undo {REFUSED}")


def _row_levels(moves: list[dict[str, Any]]) -> list[int]:
    levels: list[int] = []
    by_model: dict[str, list[int]] = defaultdict(list)
    for m in moves:
        if m["op"] in ("move", "keep", "cite"):
            by_model[m["model"]].append(m["pk"])
    for label, pks in by_model.items():
        model = _model(label)
        if _has_level(model):
            levels += list(model._base_manager.filter(pk__in=pks).values_list("confidentiality", flat=True))
    return levels


@transaction.atomic
def merge_undo(*, record: MergeRecord, by: Any, note: str = "") -> MergeRecord:
    """Undo a merge exactly (see the module's docstring), or a split by merging the new dossier back.
    Refused when a later merge absorbed the survivor (undo that one first)."""
    _editor(by)
    record = _locked_record(record)
    if record.operation == Operation.SPLIT:
        return _split_undo(record, by=by, note=note)
    if record.kind == RecordKind.PLACE:
        return _place_merge_undo(record, by=by, note=note)
    target, origin = int(record.target_person_id or 0), int(record.origin_person_id or 0)
    locked = _locked_persons(by, target, origin)
    s, a = locked[target], locked[origin]
    if a.merged_into_id != s.pk:
        raise ValidationError(f"person #{a.pk} is no longer merged into #{s.pk}: nothing to undo")
    if s.merged_into_id:
        raise ValidationError(
            f"person #{s.pk} was itself merged into #{s.merged_into_id} since: undo that merge first"
        )
    moved_detentions = [
        m["pk"] for m in record.moves if m["op"] == "move" and m["model"] == "dossiers.detention"
    ]
    follow = _followers(record.moves, s.pk, a.pk)
    _check_level(by, record.confidentiality, *_row_levels(record.moves + follow))
    nested = _Plan()
    _nested_levels(nested, moved_detentions)
    _check_level(by, nested.level)
    text = f"undo of merge #{record.pk}: person #{a.pk} out of #{s.pk}" + (f" ({note})" if note else "")
    report = _revert_moves(record, record.moves + follow, by=by, note=text)
    if follow:
        report["followed their detention"] = [f"{m['model'].split('.')[1]} #{m['pk']}" for m in follow]
    restored, kept = _set_fields(s, record.moves, forward=False)
    if restored:
        _save_fields(s, restored)
    if kept:
        report["changed since, kept"] = kept
    _mark(a, None)
    _history(
        [(Person, a.pk, {"merged_into": [s.pk, None]}), (Person, s.pk, restored)],
        action=Action.SPLIT,
        by=by,
        note=text,
    )
    derive.person_refresh([s.pk, a.pk])
    _finish_undo(record, by, dict(report), text)
    return record


def _finish_undo(record: MergeRecord, by: Any, report: dict[str, Any], text: str) -> None:
    pair = record.person_pair or record.place_pair
    if pair is not None and pair.decision == Decision.MERGED:
        _decide(type(pair).objects.select_for_update().get(pk=pair.pk), Decision.PENDING, by, text)
    record.undone_at = timezone.now()
    record.undone_by = by
    record.undo_report = {k: v for k, v in report.items() if v}
    record.save(update_fields=["undone_at", "undone_by", "undo_report"])


# -- split -----------------------------------------------------------------------------------------
@transaction.atomic
def person_split(*, person: Person, records: Sequence[models.Model], by: Any, note: str = "") -> MergeRecord:
    """Move the chosen names and facts of ``person`` (records that hang from it directly: names,
    external ids, detentions with everything under them, statuses, health notes, allegations,
    affiliations) to a new dossier at the same level. At least one name must go and one must stay.
    The new dossier cites what the first name moved cites (or is entered without a source by ``by``)."""
    _editor(by)
    p = _locked_persons(by, person.pk)[person.pk]
    if p.merged_into_id:
        raise ValidationError(f"person #{p.pk} was merged into #{p.merged_into_id}: split that dossier")
    chosen: dict[type[models.Model], set[int]] = defaultdict(set)
    for obj in records:
        if type(obj) not in SPLITTABLE:
            raise ValidationError(f"a {obj._meta.verbose_name} cannot be moved on its own")
        chosen[type(obj)].add(obj.pk)
    plan = _Plan()
    plan.see(p.confidentiality)
    rows: dict[type[models.Model], list[Any]] = {}
    for model, pks in chosen.items():
        found = list(model._base_manager.filter(pk__in=pks, person_id=p.pk).order_by("pk"))
        if len(found) != len(pks):
            raise ValidationError(f"some {model._meta.verbose_name_plural} chosen are not this person's")
        rows[model] = found
    names = rows.get(PersonName, [])
    if not names:
        raise ValidationError("choose at least one name for the new dossier")
    if not PersonName.objects.filter(person=p).exclude(pk__in=[n.pk for n in names]).exists():
        raise ValidationError("leave at least one name on this dossier")
    detentions = {d.pk for d in rows.get(Detention, [])}
    for model in DETENTION_TIED:
        for fact in rows.get(model, []):
            if fact.detention_id and fact.detention_id not in detentions:
                raise ValidationError(
                    f"a {model._meta.verbose_name} tied to a detention moves with its detention: choose the "
                    "detention too"
                )
        # Tied to a chosen detention: it goes along, chosen or not.
        extra = model._base_manager.filter(person_id=p.pk, detention_id__in=detentions).exclude(
            pk__in=[f.pk for f in rows.get(model, [])]
        )
        rows[model] = [*rows.get(model, []), *extra]
    _nested_levels(plan, sorted(detentions))
    for found in rows.values():
        for obj in found:
            plan.see(getattr(obj, "confidentiality", None))
    if plan.level > user_clearance(by):
        raise ValidationError(f"split {REFUSED}")
    first = names[0]
    citations = list(Citation.objects.filter(pk=first.citation_id)) if first.citation_id else []
    citations += list(first.extra_citations.order_by("pk"))
    new = fact_save(
        Person(confidentiality=p.confidentiality), citations=citations, unsourced=not citations, by=by
    )
    for model, found in sorted(rows.items(), key=lambda item: _label(item[0])):
        for obj in found:
            plan.move(model, obj.pk, "person", p.pk, new.pk)
    record = MergeRecord.objects.create(
        operation=Operation.SPLIT,
        kind=RecordKind.PERSON,
        origin_person=p,
        target_person=new,
        moves=plan.moves,
        at=timezone.now(),
        by=by,
        note=note[:500],
        confidentiality=plan.level,
    )
    text = f"split #{record.pk}: from person #{p.pk} to new #{new.pk}" + (f" ({note})" if note else "")
    _apply_moves(plan, action=Action.SPLIT, by=by, note=text)
    _history([(Person, p.pk, {})], action=Action.SPLIT, by=by, note=text)
    derive.person_refresh([p.pk, new.pk])
    return record


def _split_undo(record: MergeRecord, *, by: Any, note: str) -> MergeRecord:
    """A split is undone by merging the new dossier back into the one it came from."""
    if record.kind != RecordKind.PERSON:
        raise ValidationError("only persons are split")
    text = f"undo of split #{record.pk}" + (f" ({note})" if note else "")
    assert record.origin_person is not None and record.target_person is not None  # a person record
    merged = person_merge(
        survivor=record.origin_person,
        absorbed=record.target_person,
        by=by,
        note=text,
    )
    _finish_undo(record, by, {"merged back": [f"merge #{merged.pk}"]}, text)
    return record


# -- places ----------------------------------------------------------------------------------------
def _locked_places(by: Any, *pks: int) -> dict[int, Place]:
    clearance = user_clearance(by)
    found = {p.pk: p for p in Place.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    for pk in pks:
        if pk not in found or found[pk].confidentiality > clearance:
            raise ValidationError(NOT_VISIBLE.format(kind="place"))
    return found


def _place_plan(absorbed: Place, survivor: Place) -> _Plan:
    plan = _Plan()
    plan.see(absorbed.confidentiality)
    plan.see(survivor.confidentiality)
    own = dict(PlaceName.objects.filter(place=survivor).values_list("text", "pk"))
    for pk, text in PlaceName.objects.filter(place=absorbed).order_by("pk").values_list("pk", "text"):
        if text in own:
            plan.moves.append({"op": "keep", "model": "places.placename", "pk": pk, "as": own[text]})
        else:
            plan.move(PlaceName, pk, "place", absorbed.pk, survivor.pk)
    for model, name in _links(Place):
        if model is PlaceName:
            continue
        for row in _rows(model, **{f"{name}_id": absorbed.pk}):
            plan.see(row.get("confidentiality"))
            plan.move(model, row["pk"], name, absorbed.pk, survivor.pk)
    _fill(plan, Place, survivor, absorbed, PLACE_FILLED)
    if (
        survivor.kind == "unknown"
        and absorbed.kind != "unknown"
        and absorbed.confidentiality <= survivor.confidentiality
    ):
        plan.moves.append(
            {
                "op": "set",
                "model": "places.place",
                "pk": survivor.pk,
                "field": "kind",
                "from": "unknown",
                "to": absorbed.kind,
            }
        )
    # A position is both coordinates or neither.
    if (
        survivor.latitude is None
        and absorbed.latitude is not None
        and absorbed.confidentiality <= survivor.confidentiality
    ):
        for name in ("latitude", "longitude"):
            plan.moves.append(
                {
                    "op": "set",
                    "model": "places.place",
                    "pk": survivor.pk,
                    "field": name,
                    "from": None,
                    "to": jsonable(getattr(absorbed, name)),
                }
            )
    return plan


@transaction.atomic
def place_merge(
    *, survivor: Place, absorbed: Place, by: Any, pair: PlacePair | None = None, note: str = ""
) -> MergeRecord:
    """Merge place ``absorbed`` into ``survivor``: its other names, population counts, the detentions
    and custody periods held there (and any later app's links) move; a name both carry stays behind."""
    _editor(by)
    if survivor.pk == absorbed.pk:
        raise ValidationError("a place cannot be merged into itself")
    locked = _locked_places(by, survivor.pk, absorbed.pk)
    s, a = locked[survivor.pk], locked[absorbed.pk]
    for place in (s, a):
        if place.merged_into_id:
            raise ValidationError(f"place #{place.pk} was already merged into #{place.merged_into_id}")
    pair = _pair_for(pair, s.pk, a.pk, PlacePair)
    plan = _place_plan(a, s)
    if plan.level > user_clearance(by):
        raise ValidationError(f"merge {REFUSED}")
    record = MergeRecord.objects.create(
        operation=Operation.MERGE,
        kind=RecordKind.PLACE,
        origin_place=a,
        target_place=s,
        place_pair=pair,
        moves=plan.moves,
        at=timezone.now(),
        by=by,
        note=note[:500],
        confidentiality=plan.level,
    )
    text = f"merge #{record.pk}: place #{a.pk} into #{s.pk}" + (f" ({note})" if note else "")
    _apply_moves(plan, action=Action.MERGE, by=by, note=text)
    filled, _kept = _set_fields(s, plan.moves, forward=True)
    if filled:
        _save_fields(s, filled)
    _mark(a, s)
    _history(
        [(Place, a.pk, {"merged_into": [None, s.pk]}), (Place, s.pk, filled)],
        action=Action.MERGE,
        by=by,
        note=text,
    )
    if pair is not None:
        _decide(pair, Decision.MERGED, by, text)
    return record


def _place_merge_undo(record: MergeRecord, *, by: Any, note: str) -> MergeRecord:
    target, origin = int(record.target_place_id or 0), int(record.origin_place_id or 0)
    locked = _locked_places(by, target, origin)
    s, a = locked[target], locked[origin]
    if a.merged_into_id != s.pk:
        raise ValidationError(f"place #{a.pk} is no longer merged into #{s.pk}: nothing to undo")
    if s.merged_into_id:
        raise ValidationError(
            f"place #{s.pk} was itself merged into #{s.merged_into_id} since: undo that first"
        )
    _check_level(by, record.confidentiality, *_row_levels(record.moves))
    text = f"undo of merge #{record.pk}: place #{a.pk} out of #{s.pk}" + (f" ({note})" if note else "")
    report = _revert_moves(record, record.moves, by=by, note=text)
    restored, kept = _set_fields(s, record.moves, forward=False)
    if restored:
        _save_fields(s, restored)
    if kept:
        report["changed since, kept"] = kept
    _mark(a, None)
    _history(
        [(Place, a.pk, {"merged_into": [s.pk, None]}), (Place, s.pk, restored)],
        action=Action.SPLIT,
        by=by,
        note=text,
    )
    _finish_undo(record, by, dict(report), text)
    return record


# -- reading ---------------------------------------------------------------------------------------
def final_survivor(model: type[Person] | type[Place], pk: int) -> int:
    """Where a merged record's facts are now: follows ``merged_into`` to the end (guarded against a
    cycle, which the services never make)."""
    seen = {pk}
    current = model._base_manager.filter(pk=pk).values_list("merged_into_id", flat=True).first()
    while current is not None and current not in seen:
        seen.add(current)
        pk = current
        current = model._base_manager.filter(pk=pk).values_list("merged_into_id", flat=True).first()
    return pk


def visible_survivor(user: Any, model: type[Person] | type[Place], pk: int) -> int | None:
    """The record a merged record's page leads to, when ``user`` may see it (else None: the page
    answers as for a missing record)."""
    target = final_survivor(model, pk)
    visible = model._base_manager.filter(pk=target, confidentiality__lte=user_clearance(user)).exists()
    return target if visible and target != pk else None

"""Writes for dossiers. Every function is one transaction that writes its history rows too; the web
views, the CLI and the importers all call these."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from habeas.accounts.models import Confidentiality
from habeas.audit.services import diff, field_values, history_record
from habeas.dossiers import derive
from habeas.dossiers.models import (
    Affiliation,
    Allegation,
    Charge,
    CustodyPeriod,
    Detention,
    Fact,
    HealthNote,
    LegalStep,
    NameKey,
    Organisation,
    Person,
    PersonName,
    Sentence,
    SentenceChange,
    StatusChange,
)
from habeas.lib.names import detect_script, name_keys
from habeas.sources.models import Citation

FactT = TypeVar("FactT", bound=Fact)


class EditConflict(Exception):
    """Someone else saved the record after this edit began; nothing was written."""


def _named_user(by: Any) -> Any:
    if by is None or not getattr(by, "pk", None):
        raise ValidationError("a fact entered without a source must name the user who entered it")
    return by


def fact_save(
    fact: FactT,
    *,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    by: Any = None,
) -> FactT:
    """Validate and save one fact with its citations and a history row (caller holds the transaction).

    A fact cites at least one span, or is explicitly marked as entered without a source by ``by``.
    """
    if not citations and not unsourced:
        raise ValidationError(
            f"{fact._meta.verbose_name} needs a citation, or must be marked as entered without a source"
        )
    fact.citation = citations[0] if citations else None
    fact.unsourced_by = None if citations else _named_user(by)
    fact.created_by = by if getattr(by, "pk", None) else None
    fact.full_clean(exclude=["citation", "unsourced_by", "created_by"])
    fact.save()
    if len(citations) > 1:
        fact.extra_citations.set(citations[1:])
    changes = field_values(fact)
    if len(citations) > 1:
        changes["extra_citations"] = [c.pk for c in citations[1:]]
    history_record(obj=fact, action="create", by=by, changes=changes)
    return fact


def _extra_ids(fact: Fact) -> list[int]:
    return sorted(fact.extra_citations.values_list("pk", flat=True)) if fact.pk else []


def _cite(fact: Fact, *, citations: Sequence[Citation] | None, unsourced: bool, by: Any) -> None:
    """Replace a fact's first citation or mark it unsourced (extra citations are set after saving)."""
    if citations:
        fact.citation, fact.unsourced_by = citations[0], None
    elif unsourced:
        fact.citation, fact.unsourced_by = None, _named_user(by)
    elif citations is not None:
        raise ValidationError(
            f"{fact._meta.verbose_name} needs a citation, or must be marked as entered without a source"
        )


def name_key_levels(keys: QuerySet[NameKey]) -> int:
    """Set these keys' ``level`` from their name and person as the database holds them now (the
    stricter of the two; the highest level where either is missing), in one UPDATE; returns the count.

    For keys just written; later changes of a name's or person's level, and keys or names moved to
    another person, are followed by the database's triggers (migration 0008).
    """
    name_level = PersonName._base_manager.filter(pk=OuterRef("name_id")).values("confidentiality")[:1]
    person_level = Person._base_manager.filter(pk=OuterRef("person_id")).values("confidentiality")[:1]
    highest = Value(max(Confidentiality.values))
    return keys.update(
        level=Greatest(Coalesce(Subquery(name_level), highest), Coalesce(Subquery(person_level), highest))
    )


def write_name_keys(names: Iterable[PersonName]) -> None:
    """The search keys of these names (saved, without keys yet), at their level (``name_key_levels``)."""
    names = list(names)
    rows = [
        NameKey(person_id=n.person_id, name=n, key=key) for n in names for key in sorted(name_keys(n.text))
    ]
    NameKey.objects.bulk_create(rows, batch_size=2000)
    name_key_levels(NameKey.objects.filter(name_id__in=[n.pk for n in names]))


# -- persons and names -----------------------------------------------------------------------------
@transaction.atomic
def person_create(
    *,
    names: Sequence[dict[str, Any] | str],
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    by: Any = None,
    **attributes: Any,
) -> Person:
    """A new dossier. ``names``: strings or dicts of PersonName fields; the first is the main name."""
    if not names:
        raise ValidationError("a person needs at least one name")
    person = fact_save(Person(**attributes), citations=citations, unsourced=unsourced, by=by)
    for index, name in enumerate(names):
        spec: dict[str, Any] = {"text": name} if isinstance(name, str) else dict(name)
        spec.setdefault("kind", "main" if index == 0 else "alias")
        name_add(person=person, citations=citations, unsourced=unsourced, by=by, refresh=False, **spec)
    derive.person_refresh([person.pk])
    person.refresh_from_db()
    return person


@transaction.atomic
def name_add(
    *,
    person: Person,
    text: str,
    kind: str = "alias",
    script: str | None = None,
    scheme: str = "",
    language: str = "",
    confidentiality: int | None = None,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    by: Any = None,
    refresh: bool = True,
) -> PersonName:
    """Add a name to a person (at the person's level of confidentiality unless told otherwise)."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError("a name cannot be empty")
    name = PersonName(
        person=person,
        text=text,
        kind=kind,
        script=detect_script(text) if script is None else script,
        scheme=scheme,
        language=language,
        confidentiality=person.confidentiality if confidentiality is None else confidentiality,
    )
    fact_save(name, citations=citations, unsourced=unsourced, by=by)
    write_name_keys([name])
    if refresh:
        derive.person_refresh([person.pk])
    return name


# In the order the edit form shows them.
PERSON_EDITABLE = (
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
    "confidentiality",
)


@transaction.atomic
def person_update(
    *,
    person: Person,
    version: int,
    by: Any,
    citations: Sequence[Citation] | None = None,
    unsourced: bool = False,
    **changes: Any,
) -> Person:
    """Change a person's own fields, refusing the save if someone else saved since ``version``.

    ``citations`` (or ``unsourced=True``) replace the record's own citations; left out, they stay.
    """
    unknown = set(changes).difference(PERSON_EDITABLE)
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != version:
        raise EditConflict(
            f"{current} was changed by someone else (version {current.version}, your edit began at "
            f"version {version}); nothing was saved. Reload to see their change, then edit again."
        )
    fields = [*changes, "citation", "unsourced_by"]
    before = {**field_values(current, fields), "extra_citations": _extra_ids(current)}
    for name, value in changes.items():
        setattr(current, name, value)
    _cite(current, citations=citations, unsourced=unsourced, by=by)
    current.full_clean()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    if citations is not None or unsourced:
        current.extra_citations.set(citations[1:] if citations else [])
    changed = diff(before, {**field_values(current, fields), "extra_citations": _extra_ids(current)})
    if changed:
        history_record(obj=current, action="update", by=by, changes=changed)
    return current


# -- detentions and what follows from them ---------------------------------------------------------
@transaction.atomic
def detention_record(
    *,
    person: Person,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    by: Any = None,
    **fields: Any,
) -> Detention:
    fields.setdefault("confidentiality", person.confidentiality)
    detention = fact_save(Detention(person=person, **fields), citations=citations, unsourced=unsourced, by=by)
    derive.person_refresh([person.pk])
    return detention


def _detention_fact(model: type[FactT]):  # type: ignore[no-untyped-def]
    @transaction.atomic
    def record(
        *,
        detention: Detention,
        citations: Sequence[Citation] = (),
        unsourced: bool = False,
        by: Any = None,
        **fields: Any,
    ) -> FactT:
        fields.setdefault("confidentiality", detention.confidentiality)
        fact = fact_save(
            model(detention=detention, **fields), citations=citations, unsourced=unsourced, by=by
        )
        derive.person_refresh([detention.person_id])
        return fact

    record.__name__ = f"{model.__name__.lower()}_record"
    record.__doc__ = f"Record a {model._meta.verbose_name} of a detention, with its citations."
    return record


custody_period_record = _detention_fact(CustodyPeriod)
legal_step_record = _detention_fact(LegalStep)
charge_record = _detention_fact(Charge)
sentence_record = _detention_fact(Sentence)


@transaction.atomic
def sentence_change_record(
    *,
    sentence: Sentence,
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    by: Any = None,
    **fields: Any,
) -> SentenceChange:
    fields.setdefault("confidentiality", sentence.confidentiality)
    change = fact_save(
        SentenceChange(sentence=sentence, **fields), citations=citations, unsourced=unsourced, by=by
    )
    derive.person_refresh([sentence.detention.person_id])
    return change


def _person_fact(model: type[FactT]):  # type: ignore[no-untyped-def]
    @transaction.atomic
    def record(
        *,
        person: Person,
        citations: Sequence[Citation] = (),
        unsourced: bool = False,
        by: Any = None,
        **fields: Any,
    ) -> FactT:
        fields.setdefault("confidentiality", person.confidentiality)
        fact = fact_save(model(person=person, **fields), citations=citations, unsourced=unsourced, by=by)
        derive.person_refresh([person.pk])
        return fact

    record.__name__ = f"{model.__name__.lower()}_record"
    record.__doc__ = f"Record a {model._meta.verbose_name} of a person, with its citations."
    return record


status_record = _person_fact(StatusChange)
health_note_record = _person_fact(HealthNote)
allegation_record = _person_fact(Allegation)


@transaction.atomic
def affiliation_record(
    *,
    person: Person,
    organisation: str,
    role: str = "",
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    by: Any = None,
    **fields: Any,
) -> Affiliation:
    org, _ = Organisation.objects.get_or_create(name=" ".join(organisation.split()))
    fields.setdefault("confidentiality", person.confidentiality)
    return fact_save(
        Affiliation(person=person, organisation=org, role=role, **fields),
        citations=citations,
        unsourced=unsourced,
        by=by,
    )


# -- editing and removing facts ---------------------------------------------------------------------
# What an edit may change on each kind of fact. The link to the person (detention, sentence) stays as
# recorded; citations change through ``citations=`` / ``unsourced=``; who made it never changes.
FACT_EDITABLE: dict[type[Fact], frozenset[str]] = {
    PersonName: frozenset({"text", "kind", "script", "scheme", "language", "confidentiality"}),
    Detention: frozenset(
        {"started", "ended", "measure", "age_at_start", "place", "notes", "confidentiality"}
    ),
    CustodyPeriod: frozenset({"place", "started", "ended", "confidentiality"}),
    LegalStep: frozenset({"kind", "date", "court", "outcome", "uncertain", "confidentiality"}),
    Charge: frozenset({"text", "statute", "article", "confidentiality"}),
    Sentence: frozenset(
        {
            "kind",
            "term_months",
            "term_days",
            "probation_months",
            "political_rights_months",
            "political_rights_life",
            "pronounced",
            "court",
            "term_starts",
            "confidentiality",
        }
    ),
    SentenceChange: frozenset(
        {"kind", "date", "months", "days", "new_kind", "new_term_months", "note", "confidentiality"}
    ),
    StatusChange: frozenset({"status", "date", "uncertain", "note", "confidentiality"}),
    HealthNote: frozenset({"date", "condition", "note", "confidentiality"}),
    Allegation: frozenset({"kind", "wgad_category", "date", "description", "confidentiality"}),
    Affiliation: frozenset({"role", "started", "ended", "confidentiality"}),
}


def fact_person_id(fact: Fact) -> int:
    """The person a fact is about, whatever record it hangs from."""
    if isinstance(fact, Person):
        return fact.pk
    if isinstance(fact, SentenceChange):
        return fact.sentence.detention.person_id
    if hasattr(fact, "person_id"):
        return int(fact.person_id)
    return int(fact.detention.person_id)  # type: ignore[attr-defined]


def fact_version(fact: Fact) -> str:
    """A version token for an edit form: a digest of every saved value, citations included.

    Facts other than Person carry no version counter. A digest needs no column (and no migration of
    eleven tables), and it also notices writes that bypass the services (imports, ``update()``): an
    edit begun on other values than those saved now is refused, whoever changed them.
    """
    values = {**field_values(fact), "extra_citations": _extra_ids(fact)}
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _locked(fact: FactT, version: str) -> FactT:
    """The fact as saved now, locked for this transaction; EditConflict if it changed since ``version``."""
    try:
        current = type(fact)._default_manager.select_for_update().get(pk=fact.pk)
    except type(fact).DoesNotExist as gone:
        raise EditConflict(
            f"this {fact._meta.verbose_name} was removed by someone else; nothing was saved"
        ) from gone
    if fact_version(current) != version:
        raise EditConflict(
            f"this {fact._meta.verbose_name} was changed by someone else after your edit began; "
            "nothing was saved. Compare your input with the values saved now, then save again."
        )
    return current


@transaction.atomic
def fact_update(
    *,
    fact: FactT,
    version: str,
    by: Any,
    citations: Sequence[Citation] | None = None,
    unsourced: bool = False,
    **changes: Any,
) -> FactT:
    """Change an existing fact (not a Person: see person_update), refusing the save if it changed since
    ``version`` (``fact_version``). The history row holds every changed value before and after.

    ``citations`` (or ``unsourced=True`` with ``by``) replace its citations; left out, they stay.
    """
    allowed = FACT_EDITABLE.get(type(fact))
    if allowed is None:
        raise ValidationError(f"a {fact._meta.verbose_name} cannot be edited here")
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = _locked(fact, version)
    before = {**field_values(current), "extra_citations": _extra_ids(current)}
    if isinstance(current, PersonName) and "text" in changes:
        changes["text"] = " ".join(str(changes["text"]).split())
        if not changes["text"]:
            raise ValidationError({"text": "a name cannot be empty"})
    for name, value in changes.items():
        setattr(current, name, value)
    _cite(current, citations=citations, unsourced=unsourced, by=by)
    current.full_clean(exclude=["citation", "unsourced_by", "created_by"])
    current.save()
    if citations is not None or unsourced:
        current.extra_citations.set(citations[1:] if citations else [])
    changed = diff(before, {**field_values(current), "extra_citations": _extra_ids(current)})
    if isinstance(current, PersonName) and "text" in changed:
        NameKey.objects.filter(name=current).delete()
        write_name_keys([current])
    if changed:
        history_record(obj=current, action="update", by=by, changes=changed)
    derive.person_refresh([fact_person_id(current)])
    return current


# Records that hang from a fact: removing the fact would take them along unseen, so it is refused
# until they are removed (each with its own history row) or moved.
DEPENDANTS: dict[type[Fact], tuple[str, ...]] = {
    Detention: ("custody_periods", "legal_steps", "charges", "sentences", "status_changes", "allegations"),
    Sentence: ("changes",),
}


@transaction.atomic
def fact_remove(*, fact: Fact, version: str, by: Any, note: str = "") -> None:
    """Remove a fact, keeping every value it had in a 'delete' history row (so it can be restored).

    Refused when someone changed it since ``version``, for a person's last name, and for a fact that
    other facts hang from (a detention's sentences, a sentence's changes...).
    """
    if type(fact) not in FACT_EDITABLE:
        raise ValidationError(f"a {fact._meta.verbose_name} cannot be removed here")
    current = _locked(fact, version)
    for relation in DEPENDANTS.get(type(current), ()):
        if getattr(current, relation).exists():
            label = getattr(current, relation).model._meta.verbose_name_plural
            raise ValidationError(f"this {current._meta.verbose_name} still has {label}: remove them first")
    if (
        isinstance(current, PersonName)
        and not PersonName.objects.filter(person_id=current.person_id).exclude(pk=current.pk).exists()
    ):
        raise ValidationError("a person's only name cannot be removed: add another name first")
    person_id = fact_person_id(current)
    snapshot = {**field_values(current), "extra_citations": _extra_ids(current)}
    history_record(obj=current, action="delete", by=by, changes=snapshot, note=note)
    current.delete()
    derive.person_refresh([person_id])


def today() -> dt.date:
    return dt.date.today()

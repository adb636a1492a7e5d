"""Writes for dossiers. Every function is one transaction that writes its history rows too; the web
views, the CLI and the importers all call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

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


def _write_name_keys(names: Iterable[PersonName]) -> None:
    rows = [
        NameKey(person_id=n.person_id, name=n, key=key) for n in names for key in sorted(name_keys(n.text))
    ]
    NameKey.objects.bulk_create(rows, batch_size=2000)


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
        spec = {"text": name} if isinstance(name, str) else dict(name)
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
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    by: Any = None,
    refresh: bool = True,
) -> PersonName:
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
        confidentiality=person.confidentiality,
    )
    fact_save(name, citations=citations, unsourced=unsourced, by=by)
    _write_name_keys([name])
    if refresh:
        derive.person_refresh([person.pk])
    return name


PERSON_EDITABLE = {
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
}


@transaction.atomic
def person_update(*, person: Person, version: int, by: Any, **changes: Any) -> Person:
    """Change a person's own fields, refusing the save if someone else saved since ``version``."""
    unknown = set(changes) - PERSON_EDITABLE
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != version:
        raise EditConflict(
            f"{current} was changed by someone else (version {current.version}, your edit began at "
            f"version {version}); nothing was saved. Reload to see their change, then edit again."
        )
    before = field_values(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    changed = diff(before, field_values(current, changes))
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


def today() -> dt.date:
    return dt.date.today()

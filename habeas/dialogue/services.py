"""Writes for the dialogue: interlocutors, engagements, saved queries, prisoner lists and their
entries, responses and outcomes. Every function is one transaction and writes its history rows;
the web views, the CLI and the CSV import all call these. Responses are written in
``habeas.dialogue.responses`` and their functions re-exported here, so callers need one module.

Who may write: users who can edit (researchers, administrators); saved queries belong to any
signed-in user. Nothing a writer cannot see may be used: a person, list or source above their
clearance is refused with the same words as one that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max

from habeas.accounts.models import Confidentiality
from habeas.audit.services import diff, field_values, history_record
from habeas.dialogue._checks import (
    _choice,
    _date,
    _editor,
    _own_level,
    _save,
    _text,
    _update,
    _visible,
)
from habeas.dialogue.models import (
    RELEASE_CHANGING,
    Engagement,
    EngagementKind,
    Interlocutor,
    InterlocutorKind,
    ListEntry,
    ListStatus,
    Outcome,
    OutcomeKind,
    PrisonerList,
    RequestKind,
    Response,
    SavedQuery,
)
from habeas.dialogue.responses import (
    FACT_KEYS,
    response_facts,
    response_record,
    response_remove,
    sentence_parse,
)
from habeas.dossiers.models import Person
from habeas.dossiers.services import fact_save
from habeas.lib.dates import PartialDate
from habeas.sources.models import Citation
from habeas.sources.services import EditConflict

__all__ = [
    "FACT_KEYS",
    "EditConflict",
    "engagement_create",
    "engagement_update",
    "entries_reorder",
    "entry_add",
    "entry_remove",
    "entry_update",
    "interlocutor_create",
    "interlocutor_update",
    "list_build_from_query",
    "list_create",
    "list_hand_over",
    "list_update",
    "outcome_record",
    "response_facts",
    "response_record",
    "response_remove",
    "saved_query_delete",
    "saved_query_save",
    "sentence_parse",
]

MAX_LIST_ENTRIES = 1000  # a list is read by a person across a table; Dui Hua's run to a few dozen
_COUNTRY = re.compile(r"^[A-Z]{2}$")


# -- interlocutors and engagements -----------------------------------------------------------------
def _country(value: Any) -> str:
    country = str(value or "").strip().upper()
    if country and not _COUNTRY.match(country):
        raise ValidationError({"country": f"{value!r} is not an ISO 3166-1 alpha-2 code (e.g. CN)"})
    return country


@transaction.atomic
def interlocutor_create(
    *,
    name: str,
    by: Any,
    name_local: str = "",
    kind: str = InterlocutorKind.OTHER,
    country: str = "",
    notes: str = "",
    confidentiality: int = Confidentiality.INTERNAL,
) -> Interlocutor:
    """A ministry, court, provincial government, embassy... that lists are handed to."""
    _editor(by)
    name = _text(name, "name", limit=300, required=True)
    country = _country(country)
    if Interlocutor.objects.filter(name__iexact=name, country=country).exists():
        raise ValidationError({"name": f"an interlocutor named {name!r} ({country or 'no country'}) exists"})
    return _save(
        Interlocutor(
            name=name,
            name_local=_text(name_local, "name_local", limit=300),
            kind=_choice(kind, InterlocutorKind, "kind"),
            country=country,
            notes=notes or "",
            confidentiality=_own_level(confidentiality, by),
            created_by=by,
        ),
        by=by,
    )


INTERLOCUTOR_EDITABLE = {"name", "name_local", "kind", "country", "notes", "confidentiality"}


def interlocutor_update(*, interlocutor: Interlocutor, by: Any, **changes: Any) -> Interlocutor:
    _editor(by)
    _visible(interlocutor, by, "interlocutor")
    if "country" in changes:
        changes["country"] = _country(changes["country"])
    if "kind" in changes:
        changes["kind"] = _choice(changes["kind"], InterlocutorKind, "kind")
    if "confidentiality" in changes:
        changes["confidentiality"] = _own_level(changes["confidentiality"], by)
    return _update(
        Interlocutor, interlocutor, by=by, editable=INTERLOCUTOR_EDITABLE, changes=changes, version=None
    )


def _cited(citations: Sequence[Citation], unsourced: bool, by: Any, what: str) -> None:
    if not citations and not unsourced:
        raise ValidationError(f"{what} needs a citation, or must be marked as entered without a source")
    for citation in citations:
        _visible(citation.source, by, "source")


@transaction.atomic
def engagement_create(
    *,
    kind: str,
    title: str,
    by: Any,
    interlocutor: Interlocutor | None = None,
    our_side: str = "",
    date: PartialDate | str | None = None,
    location: str = "",
    notes: str = "",
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    confidentiality: int = Confidentiality.INTERNAL,
) -> Engagement:
    """A dialogue round, summit, official visit, letter or meeting, citing where it is recorded (or
    entered without a source by ``by``)."""
    _editor(by)
    _cited(citations, unsourced, by, "an engagement")
    if interlocutor is not None:
        _visible(interlocutor, by, "interlocutor")
    engagement = Engagement(  # type: ignore[misc]  # PartialDateField takes a PartialDate; the stubs see text
        kind=_choice(kind, EngagementKind, "kind"),
        title=_text(title, "title", limit=300, required=True),
        our_side=_text(our_side, "our_side", limit=300),
        interlocutor=interlocutor,
        date=_date(date, "date"),
        location=_text(location, "location", limit=300),
        notes=notes or "",
        unsourced_by=None if citations else by,
        confidentiality=_own_level(confidentiality, by),
        created_by=by,
    )
    engagement.full_clean()
    engagement.save()
    engagement.citations.set(citations)
    history_record(
        obj=engagement,
        action="create",
        by=by,
        changes={**field_values(engagement), "citations": [c.pk for c in citations]},
    )
    return engagement


ENGAGEMENT_EDITABLE = {
    "kind",
    "title",
    "our_side",
    "interlocutor",
    "date",
    "location",
    "notes",
    "confidentiality",
}


def engagement_update(*, engagement: Engagement, version: int, by: Any, **changes: Any) -> Engagement:
    _editor(by)
    _visible(engagement, by, "engagement")
    if "kind" in changes:
        changes["kind"] = _choice(changes["kind"], EngagementKind, "kind")
    if "date" in changes:
        changes["date"] = _date(changes["date"], "date")
    if changes.get("interlocutor") is not None:
        _visible(changes["interlocutor"], by, "interlocutor")
    if "confidentiality" in changes:
        changes["confidentiality"] = _own_level(changes["confidentiality"], by)
    return _update(
        Engagement, engagement, by=by, editable=ENGAGEMENT_EDITABLE, changes=changes, version=version
    )


# -- saved queries ---------------------------------------------------------------------------------
@transaction.atomic
def saved_query_save(*, owner: Any, name: str, query: str) -> SavedQuery:
    """Keep a person-list query (its query string) under a name; the same name is replaced."""
    if owner is None or not getattr(owner, "pk", None):
        raise PermissionDenied("sign in to save a query")
    name = _text(name, "name", limit=200, required=True)
    query = _text(query, "query", limit=2000).lstrip("?")
    saved, created = SavedQuery.objects.select_for_update().get_or_create(
        owner=owner, name=name, defaults={"query": query}
    )
    if created:
        history_record(obj=saved, action="create", by=owner)
    elif saved.query != query:
        before = saved.query
        saved.query = query
        saved.save(update_fields=["query", "updated_at"])
        history_record(obj=saved, action="update", by=owner, changes={"query": [before, query]})
    return saved


@transaction.atomic
def saved_query_delete(*, saved_query: SavedQuery, by: Any) -> None:
    if saved_query.owner_id != getattr(by, "pk", None):
        raise PermissionDenied("only its owner deletes a saved query")
    history_record(obj=saved_query, action="delete", by=by, changes=field_values(saved_query))
    saved_query.delete()


# -- lists and entries -----------------------------------------------------------------------------
@transaction.atomic
def list_create(
    *,
    title: str,
    interlocutor: Interlocutor,
    by: Any,
    engagement: Engagement | None = None,
    notes: str = "",
    confidentiality: int = Confidentiality.INTERNAL,
) -> PrisonerList:
    """A draft list for an interlocutor, maybe within an engagement."""
    _editor(by)
    _visible(interlocutor, by, "interlocutor")
    if engagement is not None:
        _visible(engagement, by, "engagement")
    return _save(
        PrisonerList(
            title=_text(title, "title", limit=300, required=True),
            interlocutor=interlocutor,
            engagement=engagement,
            notes=notes or "",
            confidentiality=_own_level(confidentiality, by),
            created_by=by,
        ),
        by=by,
    )


LIST_EDITABLE = {"title", "engagement", "interlocutor", "notes", "confidentiality"}


def list_update(*, prisoner_list: PrisonerList, version: int, by: Any, **changes: Any) -> PrisonerList:
    _editor(by)
    _visible(prisoner_list, by, "list")
    for name, what in (("engagement", "engagement"), ("interlocutor", "interlocutor")):
        if changes.get(name) is not None:
            _visible(changes[name], by, what)
    if "interlocutor" in changes and changes["interlocutor"] is None:
        raise ValidationError({"interlocutor": "a list is handed to an interlocutor"})
    if "title" in changes:
        changes["title"] = _text(changes["title"], "title", limit=300, required=True)
    if "confidentiality" in changes:
        changes["confidentiality"] = _own_level(changes["confidentiality"], by)
    return _update(
        PrisonerList, prisoner_list, by=by, editable=LIST_EDITABLE, changes=changes, version=version
    )


@transaction.atomic
def list_hand_over(*, prisoner_list: PrisonerList, handed_over: PartialDate | str, by: Any) -> PrisonerList:
    """Mark a list as handed over on a date (or correct the date). An empty list is not handed over."""
    _editor(by)
    _visible(prisoner_list, by, "list")
    day = _date(handed_over, "handed_over")
    if day is None:
        raise ValidationError({"handed_over": "say when the list was handed over"})
    current = PrisonerList.objects.select_for_update().get(pk=prisoner_list.pk)
    if not current.entries.exists():
        raise ValidationError("an empty list cannot be handed over: add persons first")
    before = field_values(current, ["status", "handed_over"])
    current.status, current.handed_over = ListStatus.HANDED_OVER, day
    current.version = F("version") + 1  # type: ignore[assignment]
    current.full_clean(exclude=["version"])
    current.save()
    current.refresh_from_db()
    history_record(
        obj=current,
        action="update",
        by=by,
        changes=diff(before, field_values(current, before)),
        note="handed over",
    )
    return current


def _requests(values: Iterable[str] | str) -> list[str]:
    if isinstance(values, str):
        values = [v for v in re.split(r"[;,|]", values) if v.strip()]
    chosen = [_choice(v, RequestKind, "requests") for v in values]
    if not chosen:
        raise ValidationError({"requests": "say what is asked for this person (at least one request)"})
    return list(dict.fromkeys(chosen))


def _draftable(prisoner_list: PrisonerList) -> None:
    # Read from the database: the caller's copy may predate a hand-over.
    status = PrisonerList.objects.filter(pk=prisoner_list.pk).values_list("status", flat=True).first()
    if status != ListStatus.DRAFT:
        raise ValidationError("this list has been handed over: its entries are what the recipient received")


@transaction.atomic
def entry_add(
    *,
    prisoner_list: PrisonerList,
    person: Person,
    requests: Iterable[str] | str,
    by: Any,
    case_summary: str = "",
    internal_note: str = "",
    confidentiality: int | None = None,
) -> ListEntry:
    """Put a person on a draft list with what is asked for them. The entry is at least as
    confidential as the list and the person."""
    _editor(by)
    _visible(prisoner_list, by, "list")
    _visible(person, by, "person")
    _draftable(prisoner_list)
    if ListEntry.objects.filter(prisoner_list=prisoner_list, person=person).exists():
        raise ValidationError({"person": f"{person} is already on this list"})
    count = ListEntry.objects.filter(prisoner_list=prisoner_list).count()
    if count >= MAX_LIST_ENTRIES:
        raise ValidationError(f"a list holds at most {MAX_LIST_ENTRIES} persons")
    floor = max(prisoner_list.confidentiality, person.confidentiality)
    last = ListEntry.objects.filter(prisoner_list=prisoner_list).aggregate(m=Max("position"))["m"]
    return _save(
        ListEntry(
            prisoner_list=prisoner_list,
            person=person,
            requests=_requests(requests),
            case_summary=_text(case_summary, "case_summary", limit=5000),
            internal_note=internal_note or "",
            position=(last or 0) + 1,
            confidentiality=_own_level(
                floor if confidentiality is None else confidentiality, by, floor=floor
            ),
            created_by=by,
        ),
        by=by,
    )


ENTRY_EDITABLE = {"requests", "case_summary", "internal_note", "confidentiality", "position"}


def entry_update(*, entry: ListEntry, by: Any, **changes: Any) -> ListEntry:
    """Change what is asked or written for a person. The recipient's words (requests, summary) are
    fixed once the list is handed over; our internal note and the level stay editable."""
    _editor(by)
    _visible(entry, by, "list entry")
    _visible(entry.prisoner_list, by, "list")
    if {"requests", "case_summary", "position"} & set(changes):
        _draftable(entry.prisoner_list)
    if "requests" in changes:
        changes["requests"] = _requests(changes["requests"])
    if "case_summary" in changes:
        changes["case_summary"] = _text(changes["case_summary"], "case_summary", limit=5000)
    if "confidentiality" in changes:
        floor = max(entry.prisoner_list.confidentiality, entry.person.confidentiality)
        changes["confidentiality"] = _own_level(changes["confidentiality"], by, floor=floor)
    return _update(ListEntry, entry, by=by, editable=ENTRY_EDITABLE, changes=changes, version=None)


@transaction.atomic
def entry_remove(*, entry: ListEntry, by: Any) -> None:
    """Take a person off a draft list."""
    _editor(by)
    _visible(entry, by, "list entry")
    _draftable(entry.prisoner_list)
    if entry.responses.exists():
        raise ValidationError("this entry has responses recorded; it cannot be removed")
    if entry.outcomes.exists():
        raise ValidationError("an outcome is linked to this entry; it cannot be removed")
    history_record(obj=entry, action="delete", by=by, changes=field_values(entry))
    entry.delete()


@transaction.atomic
def entries_reorder(*, prisoner_list: PrisonerList, order: Sequence[int], by: Any) -> None:
    """Set the order of a draft list's entries: ``order`` holds every entry id once, first first."""
    _editor(by)
    _visible(prisoner_list, by, "list")
    _draftable(prisoner_list)
    entries = {e.pk: e for e in ListEntry.objects.select_for_update().filter(prisoner_list=prisoner_list)}
    if sorted(order) != sorted(entries) or len(set(order)) != len(order):
        raise ValidationError("the new order must name every entry of the list once")
    moved = []
    for position, pk in enumerate(order, 1):
        entry = entries[pk]
        if entry.position != position:
            history_record(
                obj=entry, action="update", by=by, changes={"position": [entry.position, position]}
            )
            entry.position = position
            moved.append(entry)
    ListEntry.objects.bulk_update(moved, ["position"])


@dataclass
class BuildResult:
    added: list[ListEntry] = field(default_factory=list)
    already: int = 0  # persons the query found who were on the list already
    truncated: bool = False  # the query found more persons than the limit


def query_filters(user: Any, query: str) -> dict[str, Any]:
    """The person list's filters from its query string, read by the list page's own form (one
    definition of the parameters); an invalid parameter is refused, not ignored: a list built from
    a half-understood query would hold persons nobody chose."""
    from django.http import QueryDict

    # The web form is the one definition of the person list's parameters and their meaning.
    from habeas.dossiers.selectors import person_facets
    from habeas.web.views.persons import PersonFilterForm

    form = PersonFilterForm(QueryDict(query.lstrip("?")), facets=person_facets(user))
    if not form.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
        )
        raise ValidationError({"query": f"the query cannot be used: {problems}"})
    return form.filters()


@transaction.atomic
def list_build_from_query(
    *,
    prisoner_list: PrisonerList,
    query: str | SavedQuery,
    by: Any,
    requests: Iterable[str] | str = (RequestKind.INFORMATION,),
    limit: int = 500,
) -> BuildResult:
    """Add to a draft list every person the dossier query finds for ``by`` (only persons they may see),
    in the query's order, each asking ``requests`` and with the dossier's public summary as a first
    draft of the case summary. Persons already on the list are left as they are."""
    from habeas.dossiers.selectors import MAX_PER_PAGE, person_list

    _editor(by)
    _visible(prisoner_list, by, "list")
    _draftable(prisoner_list)
    wanted = _requests(requests)
    text = query.query if isinstance(query, SavedQuery) else query
    if isinstance(query, SavedQuery) and query.owner_id != by.pk:
        raise ValidationError({"query": "that saved query does not exist or is not yours"})
    filters = query_filters(by, text)
    limit = max(1, min(int(limit), MAX_LIST_ENTRIES))
    on_list = set(ListEntry.objects.filter(prisoner_list=prisoner_list).values_list("person_id", flat=True))
    result = BuildResult()
    found: list[int] = []
    page_number = 1
    while len(found) < limit:
        page = person_list(by, **filters, page=page_number, per_page=MAX_PER_PAGE)
        found += [p.pk for p in page.object_list]
        if not page.has_next():
            break
        page_number += 1
    if len(found) > limit:
        found, result.truncated = found[:limit], True
    persons = Person.objects.in_bulk([pk for pk in found if pk not in on_list])
    result.already = sum(1 for pk in found if pk in on_list)
    room = MAX_LIST_ENTRIES - len(on_list)
    for pk in found:
        if pk in on_list:
            continue
        if room <= 0:
            result.truncated = True
            break
        person = persons[pk]
        result.added.append(
            entry_add(
                prisoner_list=prisoner_list,
                person=person,
                requests=wanted,
                by=by,
                case_summary=person.summary_public[:5000],
            )
        )
        room -= 1
    if isinstance(query, SavedQuery) and prisoner_list.built_from_id != query.pk:
        PrisonerList.objects.filter(pk=prisoner_list.pk).update(built_from=query)
        history_record(
            obj=prisoner_list,
            action="update",
            by=by,
            changes={"built_from": [prisoner_list.built_from_id, query.pk]},
        )
        prisoner_list.built_from = query
    return result


# -- outcomes --------------------------------------------------------------------------------------
@transaction.atomic
def outcome_record(
    *,
    person: Person,
    kind: str,
    by: Any,
    date: PartialDate | str | None = None,
    new_expected_release: PartialDate | str | None = None,
    note: str = "",
    citations: Sequence[Citation] = (),
    unsourced: bool = False,
    entries: Sequence[ListEntry] = (),
    responses: Sequence[Response] = (),
    confidentiality: int | None = None,
) -> Outcome:
    """An act of clemency or better treatment for a person, citing where it is reported, linked to
    the list entries and responses about that person that preceded it."""
    _editor(by)
    _visible(person, by, "person")
    kind = _choice(kind, OutcomeKind, "kind")
    new_release = _date(new_expected_release, "new_expected_release")
    if new_release is not None and kind not in RELEASE_CHANGING:
        raise ValidationError(
            {"new_expected_release": "only a sentence reduction or commutation gives a new expected release"}
        )
    for citation in citations:
        _visible(citation.source, by, "source")
    floor = person.confidentiality
    for entry in entries:
        _visible(entry, by, "list entry")
        if entry.person_id != person.pk:
            raise ValidationError({"entries": f"entry {entry.pk} is about another person"})
    for response in responses:
        _visible(response, by, "response")
        if response.entry.person_id != person.pk:
            raise ValidationError({"responses": f"response {response.pk} is about another person"})
    level = _own_level(floor if confidentiality is None else confidentiality, by, floor=floor)
    outcome = fact_save(
        Outcome(  # type: ignore[misc]  # PartialDateField takes a PartialDate; the stubs see text
            person=person,
            kind=kind,
            date=_date(date, "date"),
            new_expected_release=new_release,
            note=note or "",
            confidentiality=level,
        ),
        citations=citations,
        unsourced=unsourced,
        by=by,
    )
    if entries:
        outcome.entries.set(entries)
    if responses:
        outcome.responses.set(responses)
    if entries or responses:
        history_record(
            obj=outcome,
            action="update",
            by=by,
            changes={
                "entries": [None, [e.pk for e in entries]],
                "responses": [None, [r.pk for r in responses]],
            },
            note="linked to what preceded it",
        )
    return outcome

"""Reading a record's change history for the history pages: who, when, and each field before and after,
with values that name other records shown by name, and nothing above the reader's clearance.

``habeas.audit.selectors.history_for`` decides whether the reader may read a record's history at all
(the record's level, never below internal). On top of that, this module

- finds the record only where it, and every record on its way to the person, is visible (else
  ``DoesNotExist``, which the view answers with 404 like a missing record);
- hides the values a record held while it was above the reader's clearance: walking the history from
  the newest row back, the level in force before and after each row is known (the record's level now,
  then each change of ``confidentiality``), so a record that was restricted and later lowered to internal
  does not show its restricted-era values to an internal reader;
- shows a value that refers to another record (a person, a place, a citation, a user) by name only
  where the reader may see that record now;
- leaves out derived columns (display name, status, expected release...), which are computed from every
  fact, restricted ones included: the dossier shows them recomputed from what the reader may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from habeas.access.models import AccessNegotiation, Guarantee, GuaranteeChange, NegotiationStatusChange
from habeas.access.models import Assessment as BenchmarkAssessment
from habeas.accounts.models import Confidentiality, User
from habeas.accounts.selectors import user_clearance, visible_q
from habeas.audit.models import Action, History
from habeas.audit.selectors import batch_rows, history_for, newest_first
from habeas.dialogue.models import Engagement, ListEntry, Outcome, PrisonerList, Response
from habeas.dossiers.models import (
    Affiliation,
    Allegation,
    Charge,
    CustodyPeriod,
    Detention,
    HealthNote,
    LegalStep,
    Organisation,
    Person,
    PersonName,
    Sentence,
    SentenceChange,
    StatusChange,
)
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.lib.fields import PartialDateField
from habeas.places.models import Place
from habeas.sources.models import Citation, Source
from habeas.visits.models import (
    Finding,
    FollowUpCheck,
    Interview,
    InterviewAllegation,
    Recommendation,
    RecommendationStatus,
    Visit,
    VisitPlace,
)

Reader = Any  # User | AnonymousUser | None


def _lte(clearance: int, *prefixes: str) -> Q:
    """The record and the records it joins to (``prefixes``) all within ``clearance``."""
    return Q(**{f"{p}{'__' if p else ''}confidentiality__lte": clearance for p in ("", *prefixes)})


def _may_lack(clearance: int, link: str, *beyond: str) -> Q:
    """An optional link: absent, or it and the records beyond it (``beyond``, below ``link``) visible."""
    steps = (link, *(f"{link}__{b}" for b in beyond))
    return Q(**{f"{link}__isnull": True}) | Q(**{f"{p}__confidentiality__lte": clearance for p in steps})


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[models.Model]
    path: str  # from the record to its person ("" for records that stand alone)
    # Records of the other apps, which need not lead to a person: who may see one (the rule of the
    # app's own selectors, every record on the way included), given the reader's clearance...
    visible: Callable[[int], Q] | None = None
    # ...and the page that shows it.
    page: Callable[[Any], str] | None = None
    # Fields holding ciphertext (and the names the app's history rows give them): never shown.
    sealed: frozenset[str] = frozenset()


def _to(name: str, attribute: str = "pk") -> Callable[[Any], str]:
    def page(obj: Any) -> str:
        current: Any = obj
        for step in attribute.split("."):
            current = getattr(current, step)
        return reverse(f"web:{name}", args=[current])

    return page


def _recommendation_page(rec: Recommendation) -> str:
    return (
        reverse("web:visit_detail", args=[rec.visit_id])
        if rec.visit_id
        else reverse("web:recommendation_list")
    )


NEGOTIATION = ("negotiation", "negotiation__body")
VISIT = ("visit", "visit__body")
INTERVIEW = ("interview", "interview__visit", "interview__visit__body")
ENTRY = ("entry", "entry__person", "entry__prisoner_list", "entry__prisoner_list__interlocutor")
SEALED_NOTES = frozenset({"notes", "notes_encrypted"})
SEALED_NARRATIVE = frozenset({"narrative", "narrative_encrypted"})

KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind("person", Person, ""),
        Kind("source", Source, ""),
        Kind("place", Place, ""),
        # access: a negotiation and its steps, guarantees and their changes, benchmark assessments.
        Kind(
            "negotiation",
            AccessNegotiation,
            "",
            lambda c: _lte(c, "body"),
            _to("access_negotiation_detail"),
        ),
        Kind(
            "negotiation-status",
            NegotiationStatusChange,
            "",
            lambda c: _lte(c, *NEGOTIATION),
            _to("access_negotiation_detail", "negotiation_id"),
        ),
        Kind(
            "guarantee",
            Guarantee,
            "",
            lambda c: _lte(c, *NEGOTIATION),
            _to("access_negotiation_detail", "negotiation_id"),
        ),
        Kind(
            "guarantee-change",
            GuaranteeChange,
            "",
            lambda c: _lte(c, "guarantee", *(f"guarantee__{p}" for p in NEGOTIATION)),
            _to("access_negotiation_detail", "guarantee.negotiation_id"),
        ),
        Kind(
            "benchmark-assessment",
            BenchmarkAssessment,
            "",
            lambda c: _lte(c, "criterion__benchmark_set"),
            _to("benchmark_scorecard", "criterion.benchmark_set_id"),
        ),
        # visits: the visit, its places and findings, recommendations and their follow-up, interviews.
        Kind("visit", Visit, "", lambda c: _lte(c, "body"), _to("visit_detail")),
        Kind(
            "visit-place",
            VisitPlace,
            "",
            lambda c: _lte(c, "place", *VISIT),
            _to("visit_detail", "visit_id"),
        ),
        Kind(
            "finding",
            Finding,
            "",
            lambda c: _lte(c, "visit_place", "visit_place__place", *VISIT),
            _to("visit_detail", "visit_id"),
        ),
        Kind(
            "recommendation",
            Recommendation,
            "",
            lambda c: _lte(c) & _may_lack(c, "visit", "body"),
            _recommendation_page,
        ),
        Kind(
            "recommendation-status",
            RecommendationStatus,
            "",
            lambda c: _lte(c, "recommendation") & _may_lack(c, "recommendation__visit", "body"),
            lambda obj: _recommendation_page(obj.recommendation),
        ),
        Kind(
            "interview",
            Interview,
            "",
            lambda c: _lte(c, *VISIT),
            _to("interview_detail"),
            SEALED_NOTES,
        ),
        Kind(
            "interview-allegation",
            InterviewAllegation,
            "",
            lambda c: _lte(c, *INTERVIEW),
            _to("interview_detail", "interview_id"),
            SEALED_NARRATIVE,
        ),
        Kind(
            "follow-up",
            FollowUpCheck,
            "",
            lambda c: _lte(c, *INTERVIEW),
            _to("interview_detail", "interview_id"),
        ),
        # dialogue: engagements, prisoner lists and their entries, responses; outcomes are the person's.
        Kind(
            "engagement",
            Engagement,
            "",
            lambda c: _lte(c) & _may_lack(c, "interlocutor"),
            _to("dialogue_engagement"),
        ),
        Kind(
            "prisoner-list",
            PrisonerList,
            "",
            lambda c: _lte(c, "interlocutor"),
            _to("dialogue_list"),
        ),
        Kind(
            "list-entry",
            ListEntry,
            "",
            lambda c: _lte(c, "person", "prisoner_list", "prisoner_list__interlocutor"),
            _to("dialogue_list", "prisoner_list_id"),
        ),
        Kind(
            "response",
            Response,
            "",
            lambda c: _lte(c, *ENTRY),
            _to("dialogue_list", "entry.prisoner_list_id"),
        ),
        Kind("outcome", Outcome, "person"),
        Kind("name", PersonName, "person"),
        Kind("detention", Detention, "person"),
        Kind("status", StatusChange, "person"),
        Kind("health", HealthNote, "person"),
        Kind("allegation", Allegation, "person"),
        Kind("affiliation", Affiliation, "person"),
        Kind("custody", CustodyPeriod, "detention__person"),
        Kind("legal-step", LegalStep, "detention__person"),
        Kind("charge", Charge, "detention__person"),
        Kind("sentence", Sentence, "detention__person"),
        Kind("sentence-change", SentenceChange, "sentence__detention__person"),
    )
}
SLUG_OF: dict[type[models.Model], str] = {k.model: k.slug for k in KINDS.values()}
TRUNCATE = 300  # a long text (a source's body) is shown cut to this many characters
EMPTY = "—"


STANDALONE = ("person", "source", "place")
# Apps whose other records a history value may name (shown by name, within clearance).
NAMED_APPS = ("access", "visits", "dialogue")
SEALED_TEXT = "changed (encrypted)"


def history_url(obj: models.Model) -> str:
    slug = SLUG_OF[type(obj)]
    if slug in STANDALONE:
        return reverse(f"web:{slug}_history", args=[obj.pk])
    return reverse("web:fact_history", args=[slug, obj.pk])


@dataclass(frozen=True)
class Value:
    text: str
    url: str = ""
    hidden: bool = False  # held while the record was above the reader's clearance


@dataclass(frozen=True)
class Change:
    label: str
    before: Value | None  # None for a created record's values
    after: Value


@dataclass
class Entry:
    at: dt.datetime
    who: str
    action: str
    note: str
    changes: list[Change]
    hidden_fields: int = 0  # fields changed while the record was above the reader's clearance
    batch: str = ""  # a bulk import's batch that created the record (it keeps no values)


@dataclass(frozen=True)
class FactLink:
    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class RemovedFact:
    kind: str
    label: str
    entries: list[Entry]


@dataclass
class RecordHistory:
    record: models.Model
    kind: str  # the record's kind, as readers call it ("person", "detention", ...)
    title: str
    record_url: str  # the page that shows the record (dossier, source, place)
    readable: bool  # False: the reader sees the record but not its history (history needs internal)
    entries: list[Entry] = field(default_factory=list)
    facts: list[FactLink] = field(default_factory=list)  # a person's facts, each with its own history
    removed: list[RemovedFact] = field(default_factory=list)  # a person's removed facts, with their history


def _visible_filter(user: Reader, path: str) -> dict[str, Any]:
    q = visible_q(user)
    prefix = ""
    for step in path.split("__") if path else []:
        prefix += f"{step}__"
        q.update(visible_q(user, prefix))
    return q


def _visible_rows(user: Reader, kind: Kind) -> models.QuerySet[Any]:
    rows = kind.model._default_manager.filter(**_visible_filter(user, kind.path))
    return rows.filter(kind.visible(user_clearance(user))) if kind.visible is not None else rows


def visible_record(user: Reader, slug: str, pk: int) -> models.Model:
    """The record if it and every record on its way to its person (or, for the other apps' records,
    to the record whose page shows it) are visible; else ``RecordNotFound``, the same for missing and
    hidden records."""
    kind = KINDS.get(slug)
    if kind is None:
        raise RecordNotFound(slug)
    found = _visible_rows(user, kind).filter(pk=pk).first()
    if found is None:
        raise RecordNotFound(f"{slug} {pk}")
    return found


def _person_of(obj: models.Model) -> Person | None:
    current: Any = obj
    for step in KINDS[SLUG_OF[type(obj)]].path.split("__"):
        if not step:
            return current if isinstance(current, Person) else None
        current = getattr(current, step)
    return current if isinstance(current, Person) else None


# -- values ------------------------------------------------------------------------------------------
class RecordNotFound(LookupError):
    """Missing, above the reader's clearance (the record or one on its way to its person), or of a kind
    that has no history page: answered alike."""


class _References:
    """Records that history values refer to, fetched in one query per kind and shown only where the
    reader may see them now."""

    def __init__(self, user: Reader) -> None:
        self.user = user
        self.clearance = user_clearance(user)
        self.wanted: dict[type[models.Model], set[int]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[int, Value]] = {}

    def want(self, model: type[models.Model], value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self.want(model, item)
        elif isinstance(value, int):
            self.wanted[model].add(value)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            self.found[model] = self._load(model, ids)

    def _load(self, model: type[models.Model], ids: set[int]) -> dict[int, Value]:
        hidden = Value(_("a record you may not see"))
        found: dict[int, Value] = dict.fromkeys(ids, hidden)
        if model is User:
            for user in User.objects.filter(pk__in=ids).only("username"):
                found[user.pk] = Value(user.username)
        elif model is Citation:
            rows = (
                Citation.objects.filter(pk__in=ids)
                .select_related("source")
                .only("quote", "source__title", "source__confidentiality")
            )
            for c in rows:
                if c.source.confidentiality > self.clearance:
                    found[c.pk] = Value(_("restricted source"))
                else:
                    url = reverse("web:source_detail", args=[c.source_id]) + f"?cite={c.pk}#cite-{c.pk}"
                    found[c.pk] = Value(f"{c.source.title}: “{_cut(c.quote, 120)}”", url)
        elif model is Organisation:
            for o in Organisation.objects.filter(pk__in=ids):
                found[o.pk] = Value(o.name)
        elif model is Place:
            for p in Place.objects.filter(pk__in=ids, **visible_q(self.user)).only("name"):
                found[p.pk] = Value(p.name, _record_url("place", p.pk))
            for pk in ids:
                if found[pk] is hidden:
                    found[pk] = Value(_("undisclosed place"))
        elif model is Person:
            visible = list(
                Person.objects.filter(pk__in=ids, **visible_q(self.user)).values_list("pk", flat=True)
            )
            names = _visible_names(self.user, visible)
            for pk in visible:
                found[pk] = Value(
                    names.get(pk, _("(no name recorded)")), reverse("web:person_detail", args=[pk])
                )
        elif model in SLUG_OF:
            for obj in _visible_rows(self.user, KINDS[SLUG_OF[model]]).filter(pk__in=ids):
                found[obj.pk] = Value(_label(obj), history_url(obj))
        elif model._meta.app_label in NAMED_APPS:
            # A body, an interlocutor, a benchmark criterion: by name, where the reader may see it.
            named: models.QuerySet[Any] = model._default_manager.filter(pk__in=ids)
            if any(f.name == "confidentiality" for f in model._meta.concrete_fields):
                named = named.filter(**visible_q(self.user))
            for obj in named:
                found[obj.pk] = Value(_cut(str(obj), 120))
        return found

    def show(self, model: type[models.Model], value: Any) -> Value:
        found = self.found.get(model, {})
        if isinstance(value, list):
            shown = [found[pk] for pk in value if pk in found]
            return Value("; ".join(v.text for v in shown) or EMPTY)
        if value is None:
            return Value(EMPTY)
        return found.get(value, Value(str(value)))


def _record_url(slug: str, pk: int) -> str:
    try:
        return reverse(f"web:{slug}_detail", args=[pk])
    except NoReverseMatch:  # a kind of record without a page of its own yet: no link
        return ""


def _label(obj: models.Model) -> str:
    """A fact as a reader names it: its own ``__str__`` where it has one, else kind, what and when."""
    if type(obj).__str__ is not models.Model.__str__:
        return str(obj)
    parts = [str(obj._meta.verbose_name)]
    for name in ("kind", "status"):
        if getattr(obj, name, ""):
            parts.append(getattr(obj, f"get_{name}_display")())
    if getattr(obj, "condition", ""):
        parts.append(obj.condition)  # type: ignore[attr-defined]
    for name in ("date", "started", "pronounced"):
        when = getattr(obj, name, None)
        if isinstance(when, PartialDate):
            parts.append(when.display())
            break
    return ", ".join(parts)


def _visible_names(user: Reader, person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's name from the names the reader may see: the stored display name may come from a
    restricted name."""
    best: dict[int, tuple[bool, str]] = {}
    rows = PersonName.objects.filter(person_id__in=list(person_ids), **visible_q(user)).order_by("pk")
    for person_id, text, kind in rows.values_list("person_id", "text", "kind"):
        if person_id not in best or (kind == "main" and not best[person_id][0]):
            best[person_id] = (kind == "main", text)
    return {pk: text for pk, (_main, text) in best.items()}


def _cut(text: str, length: int = TRUNCATE) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.name: f for f in model._meta.get_fields() if isinstance(f, models.Field)}


def _shown(fields: dict[str, models.Field], name: str) -> bool:
    """Derived and bookkeeping columns (not editable) are left out: see the module's docstring."""
    found = fields.get(name)
    return found is None or (found.editable and not found.primary_key)


def _plain(model_field: models.Field | None, value: Any) -> Value:
    if value is None or value == "" or value == []:
        return Value(EMPTY)
    if model_field is not None and model_field.name == "confidentiality":
        try:
            return Value(str(Confidentiality(value).label))
        except ValueError:
            return Value(str(value))
    if model_field is not None and model_field.choices:
        labels = {str(k): str(v) for k, v in model_field.flatchoices}
        return Value(labels.get(str(value), str(value)))
    if isinstance(value, bool):
        return Value(_("yes") if value else _("no"))
    if isinstance(model_field, PartialDateField):
        try:
            date = PartialDate.coerce(value)
        except (PartialDateError, TypeError):
            date = None
        if date is not None:
            return Value(date.display())
    return Value(_cut(str(value)))


def _related_model(model_field: models.Field | None) -> type[models.Model] | None:
    if model_field is not None and model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model
        return related if isinstance(related, type) else None
    return None


# -- the page ----------------------------------------------------------------------------------------
def _pairs(row: History, many: set[str]) -> bool:
    """Whether a row holds ``{field: [before, after]}`` (updates, and some creates) rather than the values
    as they were (snapshots). Only a many-to-many field's (``many``) snapshot value is itself a list."""
    values = row.changes.values()
    if not values or not all(isinstance(v, list) and len(v) == 2 for v in values):
        return False
    return row.action == Action.UPDATE or not many.intersection(row.changes)


def _level(value: Any, fallback: int) -> int:
    return int(value) if isinstance(value, int) else fallback


def _entries(rows: list[History], obj: models.Model, user: Reader) -> list[Entry]:
    """Entries newest first, each value hidden where the record was above the reader's clearance while
    it held that value; encrypted fields say only that they changed."""
    clearance = user_clearance(user)
    kind = KINDS.get(SLUG_OF.get(type(obj), ""))
    sealed = kind.sealed if kind is not None else frozenset()
    fields = _fields(type(obj))
    many = {f.name for f in obj._meta.many_to_many}
    refs = _References(user)
    # Walking back from the record's level now: the level in force before and after each row.
    level = _level(getattr(obj, "confidentiality", None), Confidentiality.INTERNAL)
    levels: list[tuple[bool, int, int]] = []  # per row: pairs or snapshot, level before, level after
    for row in rows:
        pairs, after = _pairs(row, many), level
        if pairs and "confidentiality" in row.changes:
            before_value, after_value = row.changes["confidentiality"]
            after = max(after, _level(after_value, after))
            level = _level(before_value, after)
        elif not pairs:
            # A snapshot (a created record) says the level it was written at.
            after = max(after, _level(row.changes.get("confidentiality"), after))
        levels.append((pairs, level if pairs else after, after))
        for name, value in row.changes.items():
            related = _related_model(fields.get(name))
            if related is not None and _shown(fields, name) and name not in sealed:
                refs.want(related, value)
    refs.load()

    def show(name: str, value: Any, level: int) -> Value:
        if level > clearance:
            return Value(_("hidden: the record was above your clearance then"), hidden=True)
        related = _related_model(fields.get(name))
        if related is not None:
            return refs.show(related, value)
        return _plain(fields.get(name), value)

    entries = []
    for row, (pairs, before_level, after_level) in zip(rows, levels, strict=True):
        changes: list[Change] = []
        hidden = 0
        for name, value in row.changes.items():
            if name in sealed:
                # Neither the text nor its ciphertext: only that it changed (a created record's empty
                # notes not even that).
                if value in (None, "", []):
                    pass
                elif after_level > clearance:
                    hidden += 1
                else:
                    changes.append(Change(name.removesuffix("_encrypted"), None, Value(_(SEALED_TEXT))))
                continue
            if not _shown(fields, name) or (not pairs and value in (None, "", [])):
                continue  # derived columns; a created record's empty fields
            if before_level > clearance and after_level > clearance:
                hidden += 1  # not even the field's name: it was all above the reader's clearance
                continue
            label = str(fields[name].verbose_name) if name in fields else name.replace("_", " ")
            if pairs:
                changes.append(
                    Change(label, show(name, value[0], before_level), show(name, value[1], after_level))
                )
            else:
                changes.append(Change(label, None, show(name, value, after_level)))
        entries.append(
            Entry(
                at=row.at,
                who=row.user.username if row.user else _("the system"),
                action=row.get_action_display(),
                note=row.note if after_level <= clearance else "",
                changes=changes,
                hidden_fields=hidden,
                batch=_batch_label(row) if after_level <= clearance else "",
            )
        )
    return entries


def _batch_label(row: History) -> str:
    batch = row.batch
    if batch is None:
        return ""
    return _("batch %(number)s, rows %(first)s to %(last)s of the import") % {
        "number": batch.pk,
        "first": batch.first_row,
        "last": batch.last_row,
    }


def _facts(person: Person, user: Reader) -> list[FactLink]:
    """A person's visible facts, each linking to its own history (one query per kind)."""
    links: list[FactLink] = []
    for kind in KINDS.values():
        if not kind.path:
            continue
        rows = _visible_rows(user, kind).filter(**{f"{kind.path}__pk": person.pk}).order_by("pk")
        if kind.model is Affiliation:
            rows = rows.select_related("organisation")
        for obj in rows:
            links.append(FactLink(str(kind.model._meta.verbose_name), _label(obj), history_url(obj)))
    return links


def record_history(user: Reader, slug: str, pk: int) -> RecordHistory:
    """The history page of one record for ``user``.

    Raises ``RecordNotFound`` when the record is missing, of an unknown kind, or not visible to
    ``user``: the view answers all of them with 404.
    """
    obj = visible_record(user, slug, pk)
    # history_for decides; an empty answer is either no history or none for this reader.
    rows = list(history_for(obj, user=user))
    level = _level(getattr(obj, "confidentiality", None), Confidentiality.INTERNAL)
    readable = user_clearance(user) >= max(level, Confidentiality.INTERNAL)
    kind = KINDS[slug]
    if slug in ("source", "place") or kind.page is not None:
        return RecordHistory(
            record=obj,
            kind=str(obj._meta.verbose_name),
            title=str(obj) if kind.page is None else _label(obj),
            record_url=_record_url(slug, obj.pk) if kind.page is None else kind.page(obj),
            readable=readable,
            entries=_entries(rows, obj, user) if rows else [],
        )
    person = _person_of(obj)
    assert person is not None
    name = _visible_names(user, [person.pk]).get(person.pk, _("(no name recorded)"))
    return RecordHistory(
        record=obj,
        kind=str(obj._meta.verbose_name),
        title=name if obj is person else f"{_label(obj)} ({name})",
        record_url=reverse("web:person_detail", args=[person.pk]),
        readable=readable,
        entries=_entries(rows, obj, user) if rows else [],
        facts=_facts(person, user) if obj is person and readable else [],
        removed=_removed_facts(person, user) if obj is person and readable else [],
    )


# What a removed fact hung from, outermost first: removed detentions lead to their removed charges...
PARENTS = ("person", "detention", "sentence")
LABEL_FIELDS = ("text", "condition", "status", "kind", "measure", "statute", "date", "started", "pronounced")


def _removed_facts(person: Person, user: Reader) -> list[RemovedFact]:
    """A person's removed facts, each with its whole history, where the reader could have read it.

    A removed fact lives on only in its history: the 'delete' row's snapshot names what it hung from
    and its level. It is shown where that level is within the reader's clearance and what it hung from
    is visible (or was removed and shown here too), the rule a fact still there follows.
    """
    clearance = user_clearance(user)
    visible: dict[str, set[int]] = {
        "person": {person.pk},
        "detention": set(
            Detention.objects.filter(person=person, **visible_q(user)).values_list("pk", flat=True)
        ),
        "sentence": set(
            Sentence.objects.filter(
                detention__person=person, **visible_q(user), **visible_q(user, "detention__")
            ).values_list("pk", flat=True)
        ),
    }
    found: list[tuple[Kind, History]] = []
    for parent in PARENTS:
        kinds = {
            ContentType.objects.get_for_model(k.model): k
            for k in KINDS.values()
            if k.path.split("__")[0] == parent
        }
        if not visible[parent]:
            continue
        deletes = History.objects.filter(
            action=Action.DELETE,
            content_type__in=list(kinds),
            **{f"changes__{parent}__in": sorted(visible[parent])},
        ).order_by("at", "pk")
        for row in deletes:
            if _level(row.changes.get("confidentiality"), Confidentiality.RESTRICTED) > clearance:
                continue
            kind = kinds[ContentType.objects.get_for_id(row.content_type_id)]
            found.append((kind, row))
            if kind.slug in visible:
                visible[kind.slug].add(row.object_id)
    if not found:
        return []
    by_object: dict[tuple[int, int], list[History]] = defaultdict(list)
    for row in History.objects.filter(
        content_type_id__in={row.content_type_id for _kind, row in found},
        object_id__in={row.object_id for _kind, row in found},
    ).select_related("user"):
        by_object[(row.content_type_id, row.object_id)].append(row)
    # A removed fact that a bulk import created: its import is its batch's (no row of its own).
    wanted: dict[int, set[int]] = defaultdict(set)
    for _kind, row in found:
        wanted[row.content_type_id].add(row.object_id)
    for content_type_id, object_ids in wanted.items():
        for object_id, imported in batch_rows(content_type_id, object_ids).items():
            by_object[(content_type_id, object_id)].append(imported)
    for key, rows in by_object.items():
        by_object[key] = newest_first(rows)
    removed = []
    for kind, row in found:
        level = _level(row.changes.get("confidentiality"), Confidentiality.RESTRICTED)
        stand_in = kind.model(pk=row.object_id, confidentiality=level)  # the record as it was last
        label = next((str(row.changes[f]) for f in LABEL_FIELDS if row.changes.get(f)), f"#{row.object_id}")
        removed.append(
            RemovedFact(
                str(kind.model._meta.verbose_name),
                label,
                _entries(by_object[(row.content_type_id, row.object_id)], stand_in, user),
            )
        )
    return removed

"""Reads of the dialogue. Every function takes the asking user and returns nothing above their
clearance: not a list, not an entry on it, not a response, not a person's name, sentence or place.

A list is read with a fixed number of queries whatever its length: the entries, then their persons'
names, detentions with sentences and places, responses and outcomes, one query each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from habeas.accounts.selectors import user_clearance, visible_q
from habeas.dialogue.models import (
    ANSWERED,
    FREEING,
    Engagement,
    Interlocutor,
    ListEntry,
    ListStatus,
    Outcome,
    PrisonerList,
    RequestKind,
    Response,
    SavedQuery,
)
from habeas.dossiers.models import (
    NOT_HELD,
    Allegation,
    AllegationKind,
    Detention,
    HealthNote,
    Measure,
    Person,
    PersonName,
    Sentence,
    SentenceKind,
    Status,
)
from habeas.dossiers.selectors import (
    RELEASE_FACTS,
    STATUS_FACTS,
    CitationView,
    _term,
    _without_hidden,
    citation_view,
)
from habeas.lib.dates import PartialDate, add_months

Reader = Any  # User | AnonymousUser | None; anything visible_q accepts
HAN_SCRIPTS = ("Hans", "Hant")
MAX_PER_PAGE = 200
REQUEST_LABELS = dict(RequestKind.choices)


def today() -> dt.date:
    return dt.date.today()


def _shown_date(value: Any) -> str:
    """A stored partial date for reading (the type stubs see the column as text)."""
    day = PartialDate.coerce(value)
    return day.display() if day else ""


# -- persons as a list shows them ------------------------------------------------------------------
@dataclass
class PersonLine:
    """What a list (and its export) says about a person, from visible facts only."""

    id: int
    latin: str = ""  # main Latin-script name (else any Latin name)
    han: str = ""  # name in Chinese characters
    other: str = ""  # a name in another script (Uyghur, Tibetan) when there is one
    sentence: str = ""
    place: str = ""
    detained: PartialDate | None = None
    expected_release: PartialDate | None = None
    status: str = ""

    @property
    def name(self) -> str:
        return self.latin or self.han or self.other or f"#{self.id}"


def _sentence_text(sentence: Sentence) -> str:
    if sentence.kind == SentenceKind.FIXED:
        term = _term(sentence.term_months, sentence.term_days)
        text = f"{term} ({sentence.get_kind_display()})" if term else sentence.get_kind_display()
    else:
        text = sentence.get_kind_display()
    if sentence.pronounced:
        text += f", pronounced {sentence.pronounced.display()}"
    return text


def person_lines(user: Reader, person_ids: Iterable[int]) -> dict[int, PersonLine]:
    """Names in Latin and Chinese script, the latest sentence, the place held and the expected
    release of each person, read only from what ``user`` may see: five queries for any number."""
    ids = sorted(set(person_ids))
    persons = Person.objects.filter(pk__in=ids, **visible_q(user))
    lines = {pk: PersonLine(id=pk) for pk in persons.values_list("pk", flat=True)}
    if not lines:
        return lines
    names = PersonName.objects.filter(person_id__in=lines, **visible_q(user)).values_list(
        "person_id", "text", "kind", "script", "id"
    )
    # Main names first, then in the order recorded: the first name of each script wins.
    for person_id, text, _kind, script, _id in sorted(names, key=lambda n: (n[0], n[2] != "main", n[4])):
        line = lines[person_id]
        if script == "Latn":
            line.latin = line.latin or text
        elif script in HAN_SCRIPTS:
            line.han = line.han or text
        else:
            line.other = line.other or text
    detentions = (
        Detention.objects.filter(person_id__in=lines, **visible_q(user))
        .select_related("place")
        .order_by("person_id", "started", "id")
    )
    latest: dict[int, Detention] = {}
    for detention in detentions:
        latest[detention.person_id] = detention  # ordered by start: the last one wins
    clearance = user_clearance(user)
    for person_id, detention in latest.items():
        line = lines[person_id]
        line.detained = detention.started
        if detention.place is not None and detention.place.confidentiality <= clearance:
            line.place = detention.place.name
    sentences = Sentence.objects.filter(detention__in=list(latest.values()), **visible_q(user)).order_by(
        "pronounced", "id"
    )
    for sentence in sentences.select_related("detention"):
        lines[sentence.detention.person_id].sentence = _sentence_text(sentence)
    # Stored derived values, only where no hidden fact feeds them.
    shown = Person.objects.filter(pk__in=lines)
    for pk, release in _without_hidden(shown, user, RELEASE_FACTS).values_list("pk", "expected_release"):
        lines[pk].expected_release = PartialDate.coerce(release)
    for pk, status in _without_hidden(shown, user, STATUS_FACTS).values_list("pk", "current_status"):
        lines[pk].status = Status(status).label if status else ""
    return lines


# -- interlocutors, engagements, saved queries -----------------------------------------------------
def interlocutor_list(user: Reader) -> QuerySet[Interlocutor]:
    return Interlocutor.objects.filter(**visible_q(user)).order_by("name", "id")


def engagement_list(
    user: Reader, *, interlocutor: int | None = None, page: int | str = 1, per_page: int = 50
) -> Page:
    engagements = (
        Engagement.objects.filter(**visible_q(user))
        .filter(Q(interlocutor__isnull=True) | Q(**visible_q(user, "interlocutor__")))
        .select_related("interlocutor")
        .annotate(list_count=Count("lists", filter=Q(**visible_q(user, "lists__"))))
    )
    if interlocutor:
        engagements = engagements.filter(interlocutor_id=interlocutor)
    return Paginator(engagements.order_by("-date", "-id"), max(1, min(per_page, MAX_PER_PAGE))).get_page(page)


@dataclass
class EngagementDetail:
    engagement: Engagement
    interlocutor: Interlocutor | None
    lists: list[PrisonerList]
    citations: list[CitationView]


def engagement_detail(user: Reader, pk: int) -> EngagementDetail:
    """Raises Engagement.DoesNotExist for one above the reader's clearance."""
    engagement = Engagement.objects.select_related("interlocutor").get(pk=pk, **visible_q(user))
    clearance = user_clearance(user)
    interlocutor = engagement.interlocutor
    if interlocutor is not None and interlocutor.confidentiality > clearance:
        interlocutor = None
    lists = list(
        engagement.lists.filter(**visible_q(user))
        .select_related("interlocutor")
        .order_by("-handed_over", "-id")
    )
    citations = [
        citation_view(c, clearance) for c in engagement.citations.select_related("source").order_by("id")
    ]
    return EngagementDetail(engagement, interlocutor, lists, citations)


def saved_query_list(user: Reader) -> QuerySet[SavedQuery]:
    if not getattr(user, "pk", None):
        return SavedQuery.objects.none()
    return SavedQuery.objects.filter(owner=user).order_by("name", "id")


# -- lists -----------------------------------------------------------------------------------------
def _visible_lists(user: Reader) -> QuerySet[PrisonerList]:
    return PrisonerList.objects.filter(**visible_q(user), **visible_q(user, "interlocutor__"))


def _visible_entries(user: Reader) -> QuerySet[ListEntry]:
    return ListEntry.objects.filter(**visible_q(user), **visible_q(user, "person__"))


def prisoner_list_list(
    user: Reader,
    *,
    status: str = "",
    interlocutor: int | None = None,
    engagement: int | None = None,
    page: int | str = 1,
    per_page: int = 50,
) -> Page:
    """Lists the reader may see, newest first, each with ``entry_count`` (visible entries) and
    ``answered_count`` (visible entries with a visible answer other than silence): three queries."""
    lists = _visible_lists(user).select_related("interlocutor", "engagement")
    if status:
        lists = lists.filter(status=status)
    if interlocutor:
        lists = lists.filter(interlocutor_id=interlocutor)
    if engagement:
        lists = lists.filter(engagement_id=engagement)
    # One join to the entries (and their persons, for the level); each count filters it.
    visible = Q(**visible_q(user, "entries__"), **visible_q(user, "entries__person__"))
    answered = Response.objects.filter(entry=OuterRef("pk"), type__in=ANSWERED, **visible_q(user))
    answered_entries = ListEntry.objects.filter(Exists(answered)).values("pk")
    lists = lists.annotate(
        entry_count=Count("entries", filter=visible),
        answered_count=Count("entries", filter=visible & Q(entries__in=answered_entries)),
    )
    result = Paginator(lists.order_by("-handed_over", "-id"), max(1, min(per_page, MAX_PER_PAGE))).get_page(
        page
    )
    for row in result.object_list:
        if row.engagement is not None and row.engagement.confidentiality > user_clearance(user):
            row.engagement = None
    return result


@dataclass
class EntryView:
    entry: ListEntry
    person: PersonLine
    requests: list[str]  # labels
    responses: list[Response] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return any(r.type in ANSWERED for r in self.responses)


@dataclass
class ListDetail:
    prisoner_list: PrisonerList
    engagement: Engagement | None
    entries: list[EntryView]

    @property
    def answered_count(self) -> int:
        return sum(1 for e in self.entries if e.answered)


def prisoner_list_for_edit(user: Reader, pk: int) -> PrisonerList:
    """The list itself, for a service call. Raises PrisonerList.DoesNotExist above clearance."""
    return _visible_lists(user).select_related("interlocutor", "engagement").get(pk=pk)


def entry_views(user: Reader, entries: list[ListEntry]) -> list[EntryView]:
    """Entries with their persons' lines, visible responses and outcomes (four or five queries)."""
    if not entries:
        # Most dossiers are on no list: building the three queries only to find them empty cost a
        # third of the dossier page's dialogue part.
        return []
    lines = person_lines(user, [e.person_id for e in entries])
    responses: dict[int, list[Response]] = defaultdict(list)
    for response in (
        Response.objects.filter(entry__in=entries, **visible_q(user))
        .select_related("source", "citation")
        .order_by("received", "id")
    ):
        responses[response.entry_id].append(response)
    outcomes: dict[int, list[Outcome]] = defaultdict(list)
    links = Outcome.entries.through.objects.filter(
        listentry__in=entries, outcome__confidentiality__lte=user_clearance(user)
    ).select_related("outcome")
    for link in links:
        outcomes[link.listentry_id].append(link.outcome)
    return [
        EntryView(
            entry=e,
            person=lines[e.person_id],
            requests=[str(REQUEST_LABELS.get(r, r)) for r in e.requests],
            responses=responses.get(e.pk, []),
            outcomes=outcomes.get(e.pk, []),
        )
        for e in entries
        if e.person_id in lines
    ]


def prisoner_list_detail(user: Reader, pk: int) -> ListDetail:
    """A list with the entries the reader may see. Raises PrisonerList.DoesNotExist above clearance."""
    prisoner_list = prisoner_list_for_edit(user, pk)
    engagement = prisoner_list.engagement
    if engagement is not None and engagement.confidentiality > user_clearance(user):
        engagement = None
    entries = list(_visible_entries(user).filter(prisoner_list=prisoner_list).order_by("position", "id"))
    return ListDetail(prisoner_list, engagement, entry_views(user, entries))


def entry_for_edit(user: Reader, pk: int) -> ListEntry:
    """Raises ListEntry.DoesNotExist above clearance (the entry, its person or its list)."""
    return (
        _visible_entries(user)
        .filter(**visible_q(user, "prisoner_list__"))
        .select_related("prisoner_list__interlocutor", "person")
        .get(pk=pk)
    )


def response_for_edit(user: Reader, pk: int) -> Response:
    return Response.objects.select_related("entry__person", "entry__prisoner_list").get(
        pk=pk, **visible_q(user), **visible_q(user, "entry__"), **visible_q(user, "entry__person__")
    )


@dataclass
class PersonDialogue:
    """What the dialogue holds about one person, for their dossier page."""

    entries: list[tuple[PrisonerList, EntryView]]
    outcomes: list[Outcome]


def person_dialogue(user: Reader, person_id: int) -> PersonDialogue:
    entries = list(
        _visible_entries(user)
        .filter(person_id=person_id, prisoner_list__in=_visible_lists(user))
        .select_related("prisoner_list__interlocutor")
        .order_by("-prisoner_list__handed_over", "-id")
    )
    views = entry_views(user, entries)
    outcomes = list(
        Outcome.objects.filter(
            person_id=person_id, **visible_q(user), **visible_q(user, "person__")
        ).order_by("-date", "-id")
    )
    return PersonDialogue([(v.entry.prisoner_list, v) for v in views], outcomes)


def outcome_list(user: Reader, *, kind: str = "", page: int | str = 1, per_page: int = 50) -> Page:
    outcomes = Outcome.objects.filter(**visible_q(user), **visible_q(user, "person__")).select_related(
        "person"
    )
    if kind:
        outcomes = outcomes.filter(kind=kind)
    result = Paginator(outcomes.order_by("-date", "-id"), max(1, min(per_page, MAX_PER_PAGE))).get_page(page)
    lines = person_lines(user, [o.person_id for o in result.object_list])
    for outcome in result.object_list:
        outcome.person_line = lines.get(outcome.person_id)
    return result


# -- selection helpers -----------------------------------------------------------------------------
@dataclass
class Suggestion:
    """A person suggested for a list, and why."""

    person: PersonLine
    reason: str
    detail: str = ""
    last_asked: PartialDate | None = None


SUGGESTION_KINDS = {
    "at_risk": "at risk: poor health with a long sentence left, death sentences, disappearances",
    "overdue": "held past the expected release",
    "never_asked": "detained and never asked about",
    "unanswered": "asked about, with no answer for longer than N months",
}


def _live(user: Reader) -> QuerySet[Person]:
    return Person.objects.filter(**visible_q(user), merged_into__isnull=True)


def _held(user: Reader) -> QuerySet[Person]:
    """Persons the dossier holds as detained, less those a visible outcome set free since their
    current status was recorded (the dossier learns of a release only once someone records it there;
    an alert should not say "overdue" about a person whose release the dialogue already knows)."""
    # Partial dates as EDTF text compare in date order ("2021-05" >= "2021").
    freed = Outcome.objects.filter(
        person=OuterRef("pk"), kind__in=FREEING, date__gte=OuterRef("status_date"), **visible_q(user)
    ).exclude(date="")
    return _live(user).exclude(current_status__in=NOT_HELD).exclude(Exists(freed))


def _suggest(user: Reader, reasons: dict[int, tuple[str, str]], limit: int) -> list[Suggestion]:
    ids = list(reasons)[:limit]
    lines = person_lines(user, ids)
    asked = _last_asked(user, ids)
    return [Suggestion(lines[pk], reasons[pk][0], reasons[pk][1], asked.get(pk)) for pk in ids if pk in lines]


def _last_asked(user: Reader, ids: list[int]) -> dict[int, PartialDate]:
    """When each person was last on a handed-over list the reader may see."""
    rows = (
        _visible_entries(user)
        .filter(person_id__in=ids, prisoner_list__status=ListStatus.HANDED_OVER)
        .filter(prisoner_list__in=_visible_lists(user))
        .order_by("prisoner_list__handed_over_start")
        .values_list("person_id", "prisoner_list__handed_over")
    )
    return {person_id: PartialDate.parse(str(handed)) for person_id, handed in rows if handed}


def suggest_at_risk(
    user: Reader, *, years_left: int = 5, limit: int = 200, on: dt.date | None = None
) -> list[Suggestion]:
    """Detained persons at risk: a health note and a long sentence left (at least ``years_left``
    years to the expected release, or a life sentence), a death sentence, or disappeared."""
    day = on or today()
    held = _held(user)
    reasons: dict[int, tuple[str, str]] = {}
    severe = Sentence.objects.filter(
        kind__in=[SentenceKind.DEATH, SentenceKind.DEATH_REPRIEVE],
        **visible_q(user),
        **visible_q(user, "detention__"),
    ).values("detention__person_id")
    for pk in held.filter(pk__in=severe).order_by("display_name", "id").values_list("pk", flat=True)[:limit]:
        reasons[pk] = ("death sentence", "")
    disappeared = _without_hidden(
        _live(user).filter(current_status__in=[Status.DISAPPEARED, Status.WHEREABOUTS_UNKNOWN]),
        user,
        STATUS_FACTS,
    )
    alleged = Allegation.objects.filter(kind=AllegationKind.ENFORCED_DISAPPEARANCE, **visible_q(user)).values(
        "person_id"
    )
    measured = Detention.objects.filter(measure=Measure.ENFORCED_DISAPPEARANCE, **visible_q(user)).values(
        "person_id"
    )
    gone = _held(user).filter(Q(pk__in=disappeared.values("pk")) | Q(pk__in=alleged) | Q(pk__in=measured))
    for pk in (
        gone.exclude(current_status__in=NOT_HELD)
        .order_by("display_name", "id")
        .values_list("pk", flat=True)[:limit]
    ):
        reasons.setdefault(pk, ("disappearance", ""))
    ill = HealthNote.objects.filter(**visible_q(user)).values("person_id")
    horizon = add_months(day, years_left * 12)
    life = Sentence.objects.filter(
        kind=SentenceKind.LIFE, **visible_q(user), **visible_q(user, "detention__")
    )
    long_left = _without_hidden(held.filter(expected_release_earliest__gte=horizon), user, RELEASE_FACTS)
    sick = held.filter(pk__in=ill).filter(
        Q(pk__in=long_left.values("pk")) | Q(pk__in=life.values("detention__person_id"))
    )
    notes = dict(
        HealthNote.objects.filter(person__in=sick, **visible_q(user))
        .order_by("date", "id")
        .values_list("person_id", "condition")
    )
    for pk in sick.order_by("display_name", "id").values_list("pk", flat=True)[:limit]:
        reasons.setdefault(pk, ("poor health and a long sentence left", notes.get(pk, "")))
    return _suggest(user, reasons, limit)


def suggest_overdue(user: Reader, *, limit: int = 200, on: dt.date | None = None) -> list[Suggestion]:
    """Held past the last day their sentence can end, no release recorded (WGAD category I)."""
    day = on or today()
    overdue = _held(user).filter(expected_release_latest__lt=day)
    overdue = _without_hidden(_without_hidden(overdue, user, RELEASE_FACTS), user, STATUS_FACTS)
    rows = overdue.order_by("expected_release_latest", "id").values_list("pk", "expected_release")[:limit]
    return _suggest(
        user, {pk: ("overdue release", f"expected {_shown_date(release)}") for pk, release in rows}, limit
    )


def suggest_never_asked(user: Reader, *, limit: int = 200) -> list[Suggestion]:
    """Detained persons on no handed-over list the reader may see."""
    asked = _visible_entries(user).filter(
        prisoner_list__status=ListStatus.HANDED_OVER, prisoner_list__in=_visible_lists(user)
    )
    held = _without_hidden(_held(user).filter(current_status=Status.DETAINED), user, STATUS_FACTS)
    rows = (
        held.exclude(pk__in=asked.values("person_id"))
        .order_by("display_name", "id")
        .values_list("pk", flat=True)
    )
    return _suggest(user, {pk: ("never asked about", "") for pk in rows[:limit]}, limit)


def suggest_unanswered(
    user: Reader, *, months: int = 6, limit: int = 200, on: dt.date | None = None
) -> list[Suggestion]:
    """Persons on a list handed over more than ``months`` months ago whose entry on it has no answer
    (other than silence) yet."""
    day = on or today()
    cutoff = add_months(day, -months)
    answered = Response.objects.filter(entry=OuterRef("pk"), type__in=ANSWERED, **visible_q(user))
    waiting = (
        _visible_entries(user)
        .filter(
            prisoner_list__status=ListStatus.HANDED_OVER,
            prisoner_list__handed_over_end__lt=cutoff,
            prisoner_list__in=_visible_lists(user),
            person__merged_into__isnull=True,
        )
        .exclude(Exists(answered))
        .exclude(person__current_status__in=NOT_HELD)
        .order_by("prisoner_list__handed_over_start", "id")
        .values_list("person_id", flat=True)
    )
    reasons: dict[int, tuple[str, str]] = {}
    for pk in waiting:
        reasons.setdefault(pk, ("no answer", f"no answer for more than {months} months"))
    return _suggest(user, reasons, limit)


def suggestions(user: Reader, kind: str, **options: Any) -> list[Suggestion]:
    """One of SUGGESTION_KINDS; options as the functions take them (``months``, ``years_left``)."""
    if kind == "at_risk":
        return suggest_at_risk(user, **options)
    if kind == "overdue":
        return suggest_overdue(user, **options)
    if kind == "never_asked":
        return suggest_never_asked(user, **{k: v for k, v in options.items() if k == "limit"})
    if kind == "unanswered":
        return suggest_unanswered(user, **options)
    raise ValueError(f"unknown suggestion kind {kind!r}; one of {', '.join(SUGGESTION_KINDS)}")

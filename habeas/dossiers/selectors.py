"""Reads of dossiers. Every function takes the asking user and returns nothing above their clearance:
not the person, not a nested fact, not a name, not the title or words of a source a fact cites.

Lists use only Person's own (derived) columns, so they cost a fixed number of queries; a dossier is
read with one query per kind of fact and two for all their citations, whatever its size.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance, visible_q
from habeas.dossiers.derive import _display_name, operative_release
from habeas.dossiers.models import (
    NOT_HELD,
    Affiliation,
    Allegation,
    AllegationKind,
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
    SentenceKind,
    Sex,
    Status,
    StatusChange,
)
from habeas.dossiers.rules import ChangeTerms, ReleaseWindow, current_status, expected_release, is_overdue
from habeas.lib.dates import PartialDate
from habeas.lib.names import fold, han_reading_key, query_key
from habeas.lib.queries import distinct_values
from habeas.places.models import Place, PlaceName
from habeas.sources.models import Citation, SourceKind

FactT = TypeVar("FactT", bound=Fact)
HAN_SCRIPTS = ("Hans", "Hant")
MAX_LEVEL = max(Confidentiality.values)
Reader = Any  # User | AnonymousUser | None; anything visible_q accepts

# Sort keys the list accepts; anything else sorts by name. Missing dates sort last either way.
SORTS: dict[str, list[Any]] = {
    "name": [F("display_name").asc(), F("id").asc()],
    "-name": [F("display_name").desc(), F("id").desc()],
    "expected_release": [F("expected_release_latest").asc(nulls_last=True), F("display_name").asc()],
    "-expected_release": [F("expected_release_latest").desc(nulls_last=True), F("display_name").asc()],
    "status_date": [F("status_date").asc(), F("display_name").asc()],
    "-status_date": [F("status_date").desc(), F("display_name").asc()],
}
MAX_PER_PAGE = 200


def today() -> dt.date:
    return dt.date.today()


# -- search and lists ------------------------------------------------------------------------------
def _name_match_ids(user: Reader, key: str) -> QuerySet[NameKey, int]:
    """Ids of persons with a visible name that has a key starting with ``key``: callers keep only the
    visible persons among them (``Person.objects.filter(pk__in=..., **visible_q(user))``).

    A range rather than LIKE/startswith: both SQLite and PostgreSQL then scan ``namekey_key_level_idx``.
    The name's own level is checked too, or a restricted alias would answer "yes, someone matches":
    through the key's stored level (the stricter of the name's and the person's), so neither is
    joined. Callers still filter the persons by their own level (and liveness) in the outer query.
    """
    match: Any = Q(key__gte=key, key__lt=key + "\uffff")  # Q, or a combination with Exists below
    reading = han_reading_key(key)
    if reading:
        # Characters typed also find, by their reading, a person known only by Latin spellings (刘明德
        # finds "Liu Mingde"). A person whose name in characters the reader can see is matched by those
        # characters alone, so a namesake written 柳明德 (also "Liu Mingde") is not offered.
        in_characters = PersonName.objects.filter(
            person_id=OuterRef("person_id"), script__in=HAN_SCRIPTS, **visible_q(user)
        )
        match |= (
            Q(key__gte=reading, key__lt=reading + "\uffff")
            & ~Q(name__script__in=HAN_SCRIPTS)
            & ~Exists(in_characters)
        )
    keys = NameKey.objects.filter(match)
    if user_clearance(user) < MAX_LEVEL:
        # Each key carries the stricter of its name's and its person's level (NameKey.level, kept by
        # database triggers): the range and the level are read from namekey_key_level_idx alone, with
        # no join to the names, and keys of names or persons above the reader's clearance never reach
        # the person query. (A reader cleared for the highest level sees every key: no condition.)
        keys = keys.filter(level__lte=user_clearance(user))
    # DISTINCT: a family name alone ("Wang") has ~25,000 keys for ~5,000 persons. Without it PostgreSQL
    # takes every key for a different person, expects a match every few rows and walks the whole
    # display-name index to fill a page (15,000 persons read for "Wang"; bench/RESULTS.md section 2).
    return keys.values_list("person_id", flat=True).distinct()


def person_search(user: Reader, query: str, *, limit: int = 50) -> list[Person]:
    """Persons any of whose names starts with the query, in any script, case or tone marks."""
    key = query_key(query)
    if not key:
        return []
    found = Person.objects.filter(pk__in=_name_match_ids(user, key), **visible_q(user))
    # A dossier merged into another is found as that one (habeas.linkage.merge).
    return list(found.filter(merged_into__isnull=True).order_by("display_name", "id")[:limit])


def _bounds(value: PartialDate | dt.date | str | None, *, last: bool) -> dt.date | None:
    date = PartialDate.coerce(value)
    if date is None:
        return None
    return date.latest if last else date.earliest


DateIn = PartialDate | dt.date | str | None

# Sentences beyond any fixed term, from the least to the most severe: a sentence length filter reads
# "at least 10 years" as 10 years or more, life or death; "at most life" as any term or life.
SEVERE_SENTENCES = (SentenceKind.LIFE, SentenceKind.DEATH_REPRIEVE, SentenceKind.DEATH)
TERM_SENTENCES = (SentenceKind.FIXED, SentenceKind.SUSPENDED)
SentenceBound = int | str  # months of a term, or one of SEVERE_SENTENCES


def _sentence_at_least(bound: SentenceBound) -> Q:
    if isinstance(bound, str):
        return Q(kind__in=SEVERE_SENTENCES[SEVERE_SENTENCES.index(SentenceKind(bound)) :])
    return Q(kind__in=TERM_SENTENCES, term_months__gte=bound) | Q(kind__in=SEVERE_SENTENCES)


def _sentence_at_most(bound: SentenceBound) -> Q:
    terms = Q(kind__in=TERM_SENTENCES)
    if isinstance(bound, str):
        return terms | Q(kind__in=SEVERE_SENTENCES[: SEVERE_SENTENCES.index(SentenceKind(bound)) + 1])
    # A term of days only (no months) is shorter than any bound.
    return terms & (Q(term_months__lte=bound) | Q(term_months__isnull=True))


def _overlap(prefix: str, since: dt.date | None, until: dt.date | None, *, open_end: str = "") -> Q:
    """Rows whose partial date (bounds ``<prefix>_start`` / ``_end``) may fall in the period; with
    ``open_end`` (the bound column of an end date) a span, still running where that column is empty."""
    q = Q(**{f"{prefix}_start__isnull": False})
    if until:
        q &= Q(**{f"{prefix}_start__lte": until})
    if since and open_end:
        q &= Q(**{f"{open_end}__isnull": True}) | Q(**{f"{open_end}__gte": since})
    elif since:
        q &= Q(**{f"{prefix}_end__gte": since})
    return q


def article_q(article: str) -> Q:
    """Article ``105`` matches ``105`` and its paragraphs ``105(1)``, ``105(2)``; a range, not LIKE,
    so the (statute, article) index is used."""
    return Q(article=article) | Q(article__gte=f"{article}(", article__lt=f"{article}(\uffff")


# What each derived column of Person is derived from (model, path to the person's id).
STATUS_FACTS: tuple[tuple[type[Fact], str], ...] = ((StatusChange, "person_id"),)
RELEASE_FACTS: tuple[tuple[type[Fact], str], ...] = (
    (StatusChange, "person_id"),
    (Detention, "person_id"),
    (Sentence, "detention__person_id"),
    (SentenceChange, "sentence__detention__person_id"),
)
NAME_FACTS: tuple[tuple[type[Fact], str], ...] = ((PersonName, "person_id"),)


def _without_hidden(
    persons: QuerySet[Person], user: Reader, facts: tuple[tuple[type[Fact], str], ...]
) -> QuerySet[Person]:
    """Persons whose derived column reads only facts the reader may see.

    The stored status and expected release are derived from every fact; a person whose value may come
    from a hidden fact is left out of a filter on it (the reader can still find them otherwise), so a
    match never tells that a hidden status, sentence or release exists.
    """
    clearance = user_clearance(user)
    if clearance >= Confidentiality.RESTRICTED:
        return persons
    # NOT EXISTS per candidate (an index probe each), not NOT IN: most hidden facts belong to
    # persons the reader cannot see at all, and listing them all costs more than the probes.
    for model, path in facts:
        hidden = model._default_manager.filter(confidentiality__gt=clearance, **{path: OuterRef("pk")})
        persons = persons.filter(~Exists(hidden))
    return persons


def _any_hidden(user: Reader, facts: tuple[tuple[type[Fact], str], ...]) -> Exists | Value:
    """Per row of a page: does any of these derived-from facts sit above the reader's clearance?"""
    clearance = user_clearance(user)
    if clearance >= Confidentiality.RESTRICTED:
        return Value(False)
    found: Any = None
    for model, path in facts:
        exists = Exists(
            model._default_manager.filter(confidentiality__gt=clearance, **{path: OuterRef("pk")})
        )
        found = exists if found is None else found | exists
    return found


def person_list(
    user: Reader,
    *,
    q: str = "",
    status: str = "",
    province: str = "",
    ethnicity: str = "",
    religion: str = "",
    sex: str = "",
    issue: str = "",
    overdue: bool = False,
    detained_since: DateIn = None,
    detained_until: DateIn = None,
    sentenced_since: DateIn = None,
    sentenced_until: DateIn = None,
    statute: str = "",
    article: str = "",
    place: int | None = None,
    place_name: str = "",
    sentence_min: SentenceBound | None = None,
    sentence_max: SentenceBound | None = None,
    allegation: str = "",
    wgad_category: int | None = None,
    sort: str = "name",
    page: int | str = 1,
    per_page: int = 50,
) -> Page:
    """One page of visible persons and the total (``page.paginator.count``): two queries at most
    whatever the filters, each filter being a ``pk IN (subquery)`` over an indexed column (a name
    search reads its page and total in one: ``_page_with_total``).

    A person is matched only through facts and names the reader may see: the fact itself, the
    detention it belongs to and the place it names must all be within clearance.

    ``detained_since`` / ``detained_until`` keep persons with a visible detention that overlaps the
    period, each end taken as widely as its precision allows (``2010`` ... ``2012-05`` runs from
    1 Jan 2010 to 31 May 2012); a detention with no end recorded is taken as still running.
    ``sentenced_since`` / ``_until`` likewise for the day a visible sentence was pronounced.
    ``sentence_min`` / ``_max``: months of a term, or ``life`` / ``death_reprieve`` / ``death``.
    ``statute`` with ``article`` ``105`` matches 105, 105(1), 105(2). ``place`` (an id) and
    ``place_name`` (a prefix of any of its names) match a detention or custody period there.

    Each person on the page carries ``shown_name``, ``shown_status`` and ``shown_release``: the stored
    derived values, or the visible name and blanks where those values draw on hidden facts.
    """
    visible = visible_q(user)
    persons = Person.objects.filter(**visible)
    if not status:
        # Dossiers merged into another are listed as that one (habeas.linkage.merge). A status filter
        # implies it (a merged dossier's statuses all moved, so its derived status is empty) and keeps
        # its count index-only: the condition reads each row (at 30,000 persons 2-3x the count's time).
        persons = persons.filter(merged_into__isnull=True)
    if q.strip():
        key = query_key(q)
        persons = persons.filter(pk__in=_name_match_ids(user, key)) if key else persons.none()
    if status:
        persons = _without_hidden(persons.filter(current_status=status), user, STATUS_FACTS)
    for column, value in (
        ("residence_province", province),
        ("ethnicity", ethnicity),
        ("religion", religion),
        ("sex", sex),
        ("issue_category", issue),
    ):
        if value:
            persons = persons.filter(**{column: value})
    if overdue:
        persons = persons.filter(expected_release_latest__lt=today()).exclude(current_status__in=NOT_HELD)
        persons = _without_hidden(persons, user, RELEASE_FACTS)
    # Facts of a detention: visible themselves and through their detention.
    in_detention = Q(**visible) & Q(**visible_q(user, "detention__"))
    since, until = _bounds(detained_since, last=False), _bounds(detained_until, last=True)
    if since or until:
        overlap = Q(**visible) & _overlap("started", since, until, open_end="ended_end")
        persons = persons.filter(pk__in=Detention.objects.filter(overlap).values("person_id"))
    since, until = _bounds(sentenced_since, last=False), _bounds(sentenced_until, last=True)
    if since or until:
        pronounced = in_detention & _overlap("pronounced", since, until)
        persons = persons.filter(pk__in=Sentence.objects.filter(pronounced).values("detention__person_id"))
    if sentence_min is not None or sentence_max is not None:
        length = in_detention
        if sentence_min is not None:
            length &= _sentence_at_least(sentence_min)
        if sentence_max is not None:
            length &= _sentence_at_most(sentence_max)
        persons = persons.filter(pk__in=Sentence.objects.filter(length).values("detention__person_id"))
    if statute or article:
        charged = in_detention
        if statute:
            charged &= Q(statute=statute)
        if article:
            charged &= article_q(article)
        persons = persons.filter(pk__in=Charge.objects.filter(charged).values("detention__person_id"))
    if place is not None or place_name.strip():
        places = Place.objects.filter(**visible)
        if place is not None:
            places = places.filter(pk=place)
        if place_name.strip():
            key = fold(place_name)
            named = PlaceName.objects.filter(key__gte=key, key__lt=key + "\uffff").values("place_id")
            places = places.filter(pk__in=named) if key else places.none()
        held = Detention.objects.filter(place__in=places, **visible).values("person_id")
        custody = CustodyPeriod.objects.filter(in_detention, place__in=places).values("detention__person_id")
        persons = persons.filter(Q(pk__in=held) | Q(pk__in=custody))
    if allegation or wgad_category:
        alleged = Q(**visible)
        if allegation:
            alleged &= Q(kind=allegation)
        if wgad_category:
            alleged &= Q(wgad_category=wgad_category)
        persons = persons.filter(pk__in=Allegation.objects.filter(alleged).values("person_id"))
    order = _order(user, sort)
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    shown = {
        "name_hidden": _any_hidden(user, NAME_FACTS),
        "status_hidden": _any_hidden(user, STATUS_FACTS),
        "release_hidden": _any_hidden(user, RELEASE_FACTS),
        "visible_name": _visible_display_name(user),
    }
    if q.strip():
        counted = _page_with_total(user, persons, order, shown, per_page, page)
        if counted is not None:
            return counted
    result = Paginator(persons.order_by(*order), per_page).get_page(page)
    if user_clearance(user) < Confidentiality.RESTRICTED:
        # The per-row checks run on the page's rows only: the page is chosen in a subquery (its
        # LIMIT inside), as a database computes a select list before sorting otherwise.
        page_ids = result.object_list.values("pk")  # type: ignore[attr-defined]
        rows = Person.objects.filter(pk__in=page_ids).annotate(**shown).order_by(*order)
    else:
        rows = result.object_list.annotate(**shown)  # type: ignore[attr-defined]
    result.object_list = [_shown(p) for p in rows]  # type: ignore[misc]
    return result


def _page_with_total(
    user: Reader,
    persons: QuerySet[Person],
    order: list[Any],
    shown: dict[str, Any],
    per_page: int,
    page: int | str,
) -> Page | None:
    """``person_list``'s page and total in one query (``COUNT(*) OVER ()``) instead of a count and a
    page that each match the name again: for a family name alone ("Wang": 5,000 persons) the name
    match is most of the cost. None where the page is not a number of a page that has rows (no
    match, past the end, "x"): the caller then pages as usual and gets Paginator's answers.

    Only for name searches: the match is then bounded by the name index, whereas a window over an
    unfiltered list would read every person instead of the first page in index order.
    """
    if isinstance(page, str) and page.isascii() and page.isdigit():
        number = int(page)
    elif isinstance(page, int) and not isinstance(page, bool):
        number = page
    else:
        return None
    if number < 1:
        return None
    start = (number - 1) * per_page
    ordered = persons.order_by(*order).annotate(listed_total=Window(Count("*")))
    if user_clearance(user) < Confidentiality.RESTRICTED:
        # The per-row checks for the page's rows only, in a second query (see person_list).
        picked = list(ordered.values_list("pk", "listed_total")[start : start + per_page])
        if not picked:
            return None
        total = picked[0][1]
        rows = list(
            Person.objects.filter(pk__in=[pk for pk, _total in picked]).annotate(**shown).order_by(*order)
        )
    else:
        rows = list(ordered.annotate(**shown)[start : start + per_page])
        if not rows:
            return None
        total = rows[0].listed_total  # type: ignore[attr-defined]
    paginator = Paginator(persons.order_by(*order), per_page)
    paginator.__dict__["count"] = total  # a cached_property: the total is known, not counted again
    result = paginator.page(number)
    result.object_list = [_shown(p) for p in rows]  # type: ignore[misc]
    return result


def _order(user: Reader, sort: str) -> list[Any]:
    """The sort, by what the reader may see: below full clearance a person whose stored name,
    status date or release draws on a hidden fact sorts by the visible name, or with the unknown
    dates (last), so the position on the page says nothing about the hidden fact."""
    if sort not in SORTS:
        sort = "name"
    if user_clearance(user) >= Confidentiality.RESTRICTED:
        return SORTS[sort]
    name = Case(
        When(Exists(_hidden_facts(user, PersonName, "person_id")), then=_visible_display_name(user)),
        default=F("display_name"),
    )

    def unless_hidden(column: str, facts: tuple[tuple[type[Fact], str], ...]) -> Case:
        hidden = [When(Exists(_hidden_facts(user, model, path)), then=Value(None)) for model, path in facts]
        return Case(*hidden, default=F(column))

    release = unless_hidden("expected_release_latest", RELEASE_FACTS)
    status_date = unless_hidden("status_date", STATUS_FACTS)
    return {
        "name": [name.asc(), F("id").asc()],
        "-name": [name.desc(), F("id").desc()],
        "expected_release": [release.asc(nulls_last=True), name.asc()],
        "-expected_release": [release.desc(nulls_last=True), name.asc()],
        "status_date": [status_date.asc(), name.asc()],
        "-status_date": [status_date.desc(), name.asc()],
    }[sort]


def _hidden_facts(user: Reader, model: type[Fact], path: str) -> QuerySet[Any]:
    return model._default_manager.filter(confidentiality__gt=user_clearance(user), **{path: OuterRef("pk")})


def _visible_display_name(user: Reader) -> Subquery | Value:
    """The display name the visible names give (main Latin first, then any main name, then the
    first), for persons one of whose names is hidden."""
    if user_clearance(user) >= Confidentiality.RESTRICTED:
        return Value("")
    names = PersonName.objects.filter(person=OuterRef("pk"), **visible_q(user)).order_by(
        Case(When(kind="main", script="Latn", then=0), When(kind="main", then=1), default=2), "pk"
    )
    return Subquery(names.values("text")[:1])


def _shown(person: Any) -> Person:
    shown = person
    shown.shown_name = (person.visible_name or "") if person.name_hidden else person.display_name
    shown.shown_status = "" if person.status_hidden else person.get_current_status_display()
    shown.shown_status_date = None if person.status_hidden else person.status_date
    shown.shown_release = None if person.release_hidden else person.expected_release
    return person


@dataclass(frozen=True)
class Facets:
    statuses: list[tuple[str, str]]
    provinces: list[str]
    ethnicities: list[str]
    issues: list[str]
    religions: list[str] = field(default_factory=list)
    # (statute, article number) pairs, paragraphs folded into their article: ("PRC Criminal Law 1997", "105").
    charges: list[tuple[str, str]] = field(default_factory=list)
    sexes: list[tuple[str, str]] = field(default_factory=list)
    allegations: list[tuple[str, str]] = field(default_factory=list)


_ARTICLE_NUMBER = re.compile(r"^\s*(\d+[a-z]?)")


FACETS_CACHE_SECONDS = 300


def person_facets(user: Reader) -> Facets:
    """Values the list filters offer, from what the reader may see: five queries, each a scan of a
    whole table, so the result is kept for a few minutes per clearance level (every reader at one
    level sees the same values). A value new in the data is offered once that time has passed."""
    clearance = user_clearance(user)
    key = f"habeas:person-facets:{clearance}"
    cached = cache.get(key)
    if isinstance(cached, Facets):
        return cached
    facets = _person_facets(user)
    cache.set(key, facets, FACETS_CACHE_SECONDS)
    return facets


def _person_facets(user: Reader) -> Facets:
    visible = Person.objects.filter(**visible_q(user), merged_into__isnull=True).order_by()

    pairs = (
        Charge.objects.filter(
            **visible_q(user), **visible_q(user, "detention__"), **visible_q(user, "detention__person__")
        )
        .exclude(statute="")
        .values_list("statute", "article")
        .distinct()
        .order_by()
    )
    charges: set[tuple[str, str]] = set()
    for statute, article in pairs:
        number = _ARTICLE_NUMBER.match(article)
        charges.add((statute, number[1] if number else ""))
    return Facets(
        statuses=[(str(v), str(label)) for v, label in Status.choices],
        provinces=distinct_values(visible, "residence_province"),
        ethnicities=distinct_values(visible, "ethnicity"),
        issues=distinct_values(visible, "issue_category"),
        religions=distinct_values(visible, "religion"),
        charges=sorted(charges, key=lambda c: (c[0], int(re.sub(r"\D", "", c[1]) or 0), c[1])),
        sexes=[(str(v), str(label)) for v, label in Sex.choices if v],
        allegations=[(str(v), str(label)) for v, label in AllegationKind.choices],
    )


# -- one dossier -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CitationView:
    """A citation as the reader may see it: a source above their clearance is named as restricted."""

    id: int
    restricted: bool
    source_id: int | None = None
    title: str = ""
    publisher: str = ""
    published: PartialDate | None = None
    official: bool = False
    kind: str = ""
    quote: str = ""


def citation_view(citation: Citation, clearance: int) -> CitationView:
    source = citation.source
    if source.confidentiality > clearance:
        return CitationView(id=citation.pk, restricted=True)
    return CitationView(
        id=citation.pk,
        restricted=False,
        source_id=source.pk,
        title=source.title,
        publisher=source.publisher,
        published=source.published,
        official=source.official,
        kind=source.get_kind_display(),
        quote=citation.quote,
    )


@dataclass
class Cited(Generic[FactT]):
    """A fact with the citations the reader may see (``unsourced`` when entered without a source)."""

    fact: FactT
    citations: list[CitationView]

    @property
    def unsourced(self) -> bool:
        return not self.citations


@dataclass
class SentenceView(Cited[Sentence]):
    changes: list[Cited[SentenceChange]] = field(default_factory=list)
    release: ReleaseWindow | None = None


@dataclass
class DetentionView(Cited[Detention]):
    place_name: str = ""
    place_id: int | None = None  # None where the place is above the reader's clearance
    custody: list[tuple[Cited[CustodyPeriod], str]] = field(default_factory=list)
    legal_steps: list[Cited[LegalStep]] = field(default_factory=list)
    charges: list[Cited[Charge]] = field(default_factory=list)
    sentences: list[SentenceView] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineEntry:
    date: PartialDate | None
    kind: str
    label: str
    text: str
    citations: list[CitationView]
    # A place of detention the reader may see (its page links from here); an undisclosed one has
    # only its name ("undisclosed place") and no id.
    place_id: int | None = None
    place_name: str = ""
    until: PartialDate | None = None


@dataclass
class Dossier:
    person: Person
    citations: list[CitationView]
    display_name: str
    names: list[Cited[PersonName]]
    detentions: list[DetentionView]
    statuses: list[Cited[StatusChange]]
    health: list[Cited[HealthNote]]
    allegations: list[Cited[Allegation]]
    affiliations: list[Cited[Affiliation]]
    current_status: str
    status_date: PartialDate | None
    release: ReleaseWindow | None
    overdue: bool
    show_internal_notes: bool
    timeline: list[TimelineEntry] = field(default_factory=list)
    clearance: int = Confidentiality.PUBLIC

    @property
    def expected_release(self) -> PartialDate | None:
        return self.release.as_partial() if self.release else None

    @property
    def current_status_label(self) -> str:
        return str(Status(self.current_status).label) if self.current_status in Status.values else ""


def _cited_views(facts: list[Fact], clearance: int) -> dict[tuple[type[Fact], int], list[CitationView]]:
    """The citations of every fact of a dossier as the reader may see them, keyed by (model, pk): the
    first citation, then the extra ones in the order recorded. Two queries for all facts of all kinds
    (the extra-citation links of every kind in one read, then the citations with their sources),
    rather than a join and a prefetch per kind, whose building cost more than running them.
    """
    links: dict[tuple[type[Fact], int], list[int]] = {}
    for fact in facts:
        links[(type(fact), fact.pk)] = [fact.citation_id] if fact.citation_id is not None else []
    by_kind: dict[type[Fact], list[int]] = {}
    for fact in facts:
        by_kind.setdefault(type(fact), []).append(fact.pk)
    parts: list[str] = []
    params: list[int] = []
    kinds = list(by_kind)
    quote = connection.ops.quote_name
    for number, model in enumerate(kinds):
        through: Any = model.extra_citations.through
        column = quote(through._meta.get_field(model._meta.model_name).column)
        marks = ", ".join(["%s"] * len(by_kind[model]))
        table = quote(through._meta.db_table)
        # Names from model metadata; the ids go as parameters.
        parts.append(f"SELECT {number}, {column}, citation_id FROM {table} WHERE {column} IN ({marks})")  # noqa: S608
        params += by_kind[model]
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            extra = sorted(cursor.fetchall(), key=lambda row: row[2])
        for number, fact_id, citation_id in extra:
            cited = links[(kinds[number], fact_id)]
            if citation_id not in cited:
                cited.append(citation_id)
    wanted = {c for cited in links.values() for c in cited}
    views: dict[int, CitationView] = {}
    if wanted:
        kinds_shown = dict(SourceKind.choices)
        rows = Citation.objects.filter(pk__in=wanted).values_list(
            "pk",
            "quote",
            "source_id",
            "source__confidentiality",
            "source__title",
            "source__publisher",
            "source__published",
            "source__official",
            "source__kind",
        )
        for pk, quote_text, source_id, level, title, publisher, published, official, kind in rows:
            views[pk] = (
                CitationView(id=pk, restricted=True)
                if level > clearance
                else CitationView(
                    id=pk,
                    restricted=False,
                    source_id=source_id,
                    title=title,
                    publisher=publisher,
                    published=PartialDate.coerce(published),
                    official=official,
                    kind=str(kinds_shown.get(kind, kind)),
                    quote=quote_text,
                )
            )
    return {key: [views[c] for c in cited if c in views] for key, cited in links.items()}


def _visible(
    model: type[FactT], user: Reader, order: tuple[str, ...], parent: str, ids: list[int]
) -> list[FactT]:
    """Visible facts of one kind whose ``parent`` column is one of ``ids``, without their citations.

    Written as SQL from the model's metadata rather than built as a queryset: for a dossier, building
    and compiling a dozen querysets cost several times what running them did (bench/RESULTS.md).
    """
    if not ids:
        return []
    quote, meta = connection.ops.quote_name, model._meta
    columns = ", ".join(quote(f.column) for f in meta.concrete_fields)
    fields: list[Any] = [meta.get_field(name) for name in (*order, "id")]
    sort = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(ids))
    # Names from model metadata; the level and the ids go as parameters.
    sql = (
        f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE confidentiality <= %s AND {quote(parent)} IN ({marks}) ORDER BY {sort}"
    )
    return list(model._default_manager.raw(sql, [user_clearance(user), *ids]))


def _attach(facts: list[Any], name: str, model: type[Any]) -> None:
    """Sets each fact's ``name`` (a foreign key to ``model``) from one query for all of them."""
    ids = {getattr(f, f"{name}_id") for f in facts} - {None}
    found = model._default_manager.in_bulk(ids) if ids else {}
    for fact in facts:
        setattr(fact, name, found.get(getattr(fact, f"{name}_id")))


def _place_name(place: Any, clearance: int) -> str:
    if place is None:
        return ""
    return place.name if place.confidentiality <= clearance else str(_("undisclosed place"))


def _place_id(place: Any, clearance: int) -> int | None:
    return place.pk if place is not None and place.confidentiality <= clearance else None


def _group(facts: list[FactT], parent: str) -> dict[int, list[FactT]]:
    grouped: dict[int, list[FactT]] = {}
    for fact in facts:
        grouped.setdefault(getattr(fact, parent), []).append(fact)
    return grouped


def person_dossier(user: Reader, pk: int) -> Dossier:
    """Everything the reader may see about one person, in a fixed number of queries.

    Raises ``Person.DoesNotExist`` when the person is missing *or* above the reader's clearance, so
    callers answer both the same way (404) and never reveal that a hidden record exists. Status and
    expected release are recomputed from the visible facts only, with the same rules as the stored
    columns, so a restricted sentence or status does not show through them.

    One plain query per kind of fact (a fact of a detention only under a visible detention, a
    sentence change only under a visible sentence), one for the places and one for the organisations
    they name, then two for all their citations: at most 16.
    """
    person = Person.objects.filter(**visible_q(user)).get(pk=pk)
    clearance = user_clearance(user)
    dated = ("date",)
    names = _visible(PersonName, user, (), "person_id", [pk])
    held = _visible(Detention, user, ("started",), "person_id", [pk])
    held_ids = [d.pk for d in held]
    custody = _visible(CustodyPeriod, user, ("started",), "detention_id", held_ids)
    steps = _visible(LegalStep, user, dated, "detention_id", held_ids)
    charges = _visible(Charge, user, (), "detention_id", held_ids)
    sentenced = _visible(Sentence, user, ("pronounced",), "detention_id", held_ids)
    changes = _visible(SentenceChange, user, dated, "sentence_id", [s.pk for s in sentenced])
    status_changes = _visible(StatusChange, user, dated, "person_id", [pk])
    health = _visible(HealthNote, user, dated, "person_id", [pk])
    allegations = _visible(Allegation, user, dated, "person_id", [pk])
    affiliations = _visible(Affiliation, user, ("started",), "person_id", [pk])
    _attach([*held, *custody], "place", Place)
    _attach(affiliations, "organisation", Organisation)
    everything: list[Fact] = [
        person,
        *names,
        *held,
        *custody,
        *steps,
        *charges,
        *sentenced,
        *changes,
        *status_changes,
        *health,
        *allegations,
        *affiliations,
    ]
    citations = _cited_views(everything, clearance)

    def cites(fact: Fact) -> list[CitationView]:
        return citations[(type(fact), fact.pk)]

    def cited(fact: FactT) -> Cited[FactT]:
        return Cited(fact, cites(fact))

    custody_of, steps_of = _group(custody, "detention_id"), _group(steps, "detention_id")
    charges_of, sentences_of = _group(charges, "detention_id"), _group(sentenced, "detention_id")
    changes_of = _group(changes, "sentence_id")
    detentions: list[DetentionView] = []
    for detention in held:
        sentences = [
            SentenceView(
                sentence,
                cites(sentence),
                changes=[cited(c) for c in changes_of.get(sentence.pk, [])],
            )
            for sentence in sentences_of.get(detention.pk, [])
        ]
        for view in sentences:
            view.release = expected_release(
                kind=view.fact.kind,
                term_months=view.fact.term_months,
                term_days=view.fact.term_days,
                term_starts=view.fact.term_starts or detention.started,
                changes=[_change_terms(c.fact) for c in view.changes],
            )
        detentions.append(
            DetentionView(
                detention,
                cites(detention),
                place_name=_place_name(detention.place, clearance),
                place_id=_place_id(detention.place, clearance),
                custody=[
                    (cited(c), _place_name(c.place, clearance)) for c in custody_of.get(detention.pk, [])
                ],
                legal_steps=[cited(s) for s in steps_of.get(detention.pk, [])],
                charges=[cited(c) for c in charges_of.get(detention.pk, [])],
                sentences=sentences,
            )
        )
    statuses = [cited(s) for s in status_changes]
    status, status_date = current_status((s.fact.date, s.fact.pk, s.fact.status) for s in statuses)
    release = operative_release(
        [(d.fact.started, d.fact.pk) for d in detentions],
        [
            {
                "order": s.fact.pk,
                "detention_order": d.fact.pk,
                "kind": s.fact.kind,
                "term_months": s.fact.term_months,
                "term_days": s.fact.term_days,
                "term_starts": s.fact.term_starts,
                "pronounced": s.fact.pronounced,
            }
            for d in detentions
            for s in d.sentences
        ],
        {s.fact.pk: [_change_terms(c.fact) for c in s.changes] for d in detentions for s in d.sentences},
    )
    dossier = Dossier(
        person=person,
        citations=cites(person),
        display_name=_display_name([(n.pk, n.text, n.kind, n.script) for n in names])
        or str(_("(no name recorded)")),
        names=[cited(n) for n in names],
        detentions=detentions,
        statuses=statuses,
        health=[cited(h) for h in health],
        allegations=[cited(a) for a in allegations],
        affiliations=[cited(a) for a in affiliations],
        current_status=status,
        status_date=status_date,
        release=release,
        overdue=is_overdue(expected_latest=release.latest if release else None, status=status, today=today()),
        show_internal_notes=clearance >= Confidentiality.INTERNAL,
        clearance=clearance,
    )
    dossier.timeline = _timeline(dossier)
    return dossier


def _change_terms(change: SentenceChange) -> ChangeTerms:
    return ChangeTerms(
        kind=change.kind,
        date=change.date,
        months=change.months,
        days=change.days,
        new_kind=change.new_kind,
        new_term_months=change.new_term_months,
    )


def _term(months: int | None, days: int = 0) -> str:
    parts = []
    if months:
        years, rest = divmod(months, 12)
        if years:
            parts.append(f"{years} y")
        if rest:
            parts.append(f"{rest} m")
    if days:
        parts.append(f"{days} d")
    return " ".join(parts)


WGAD_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}


def timeline_sort_key(date: PartialDate | None) -> tuple[bool, str, bool]:
    """Undated last; otherwise by the EDTF text, which puts a year before its months and a month
    before its days; "c. 2010" sorts with 2010, after the exact year."""
    if date is None:
        return (True, "", False)
    return (False, date.isoformat().rstrip("~"), date.circa)


def _timeline(d: Dossier) -> list[TimelineEntry]:
    """Every dated (or datable) fact in date order; undated ones last, in the order recorded."""
    entries: list[TimelineEntry] = []
    clearance = d.clearance

    def add(
        date: PartialDate | None, kind: str, label: Any, text: str, item: Cited[Any], **more: Any
    ) -> None:
        entries.append(TimelineEntry(date, kind, str(label), text, item.citations, **more))

    for dv in d.detentions:
        det = dv.fact
        place = {"place_id": dv.place_id, "place_name": dv.place_name}
        add(det.started, "detention", _("detained"), det.get_measure_display(), dv, until=det.ended, **place)
        if det.ended:
            add(det.ended, "detention-end", _("detention ended"), det.get_measure_display(), dv)
        for cp, place_name in dv.custody:
            where = {"place_id": _place_id(cp.fact.place, clearance), "place_name": place_name}
            add(cp.fact.started, "custody", _("held at"), "", cp, until=cp.fact.ended, **where)
        for step in dv.legal_steps:
            text = " — ".join(x for x in (step.fact.court, step.fact.outcome) if x)
            label = step.fact.get_kind_display() + (" (?)" if step.fact.uncertain else "")
            add(step.fact.date, "legal-step", label, text, step)
        for charge in dv.charges:
            add(det.started, "charge", _("charged"), str(charge.fact), charge)
        for sv in dv.sentences:
            s = sv.fact
            text = " ".join(
                x for x in (s.get_kind_display(), _term(s.term_months, s.term_days), s.court) if x
            )
            if sv.release is not None:
                text += " — " + str(_("release expected %(date)s")) % {
                    "date": sv.release.as_partial().display()
                }
            add(s.pronounced, "sentence", _("sentenced"), text, sv)
            for ch in sv.changes:
                c = ch.fact
                text = " ".join(x for x in (_term(c.months, c.days), c.get_new_kind_display(), c.note) if x)
                add(c.date, "sentence-change", c.get_kind_display(), text, ch)
    for st in d.statuses:
        label = st.fact.get_status_display() + (" (?)" if st.fact.uncertain else "")
        add(st.fact.date, "status", label, st.fact.note, st)
    for h in d.health:
        add(
            h.fact.date, "health", _("health"), " — ".join(x for x in (h.fact.condition, h.fact.note) if x), h
        )
    for a in d.allegations:
        text = a.fact.description
        if a.fact.wgad_category:
            category = WGAD_ROMAN.get(a.fact.wgad_category, str(a.fact.wgad_category))
            text = f"{_('WGAD category')} {category}. {text}".strip()
        add(a.fact.date, "allegation", a.fact.get_kind_display(), text, a)
    for af in d.affiliations:
        add(af.fact.started, "affiliation", _("affiliated"), str(af.fact), af, until=af.fact.ended)
    # The sort is stable, so facts on the same date keep the order above (a detention before what
    # followed from it).
    return sorted(entries, key=lambda e: timeline_sort_key(e.date))

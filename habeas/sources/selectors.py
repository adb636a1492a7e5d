"""Reads of sources: one document with its citations, and the facts (the reader may see) citing each.

Source texts come from the open web and hostile parties: they are only ever shown escaped. The
highlight of a citation is made from plain-text segments the template escapes, never by building
HTML around the text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from habeas.accounts.selectors import visible_q
from habeas.lib.dates import PartialDate
from habeas.lib.queries import distinct_values
from habeas.sources.models import Citation, Source

Reader = Any  # User | AnonymousUser | None

# Fact models that can cite a source, with the path from each to its person. Looked up by label so
# that sources (lower in the dependency order) does not import dossiers.
FACT_PATHS: dict[str, str] = {
    "dossiers.Person": "",
    "dossiers.PersonName": "person",
    "dossiers.Detention": "person",
    "dossiers.CustodyPeriod": "detention__person",
    "dossiers.LegalStep": "detention__person",
    "dossiers.Charge": "detention__person",
    "dossiers.Sentence": "detention__person",
    "dossiers.SentenceChange": "sentence__detention__person",
    "dossiers.StatusChange": "person",
    "dossiers.HealthNote": "person",
    "dossiers.Allegation": "person",
    "dossiers.Affiliation": "person",
}


@dataclass(frozen=True)
class Segment:
    """A run of source text; ``cite_id`` is set on the run a citation covers."""

    text: str
    cite_id: int | None = None


def text_segments(text: str, citation: Citation | None = None) -> list[Segment]:
    """The source text split around one citation's span, for the template to escape and mark.

    A citation of another source, or a span that does not fit the text, highlights nothing.
    """
    if citation is None or not (0 <= citation.start < citation.end <= len(text)):
        return [Segment(text)] if text else []
    parts = [
        Segment(text[: citation.start]),
        Segment(text[citation.start : citation.end], citation.pk),
        Segment(text[citation.end :]),
    ]
    return [p for p in parts if p.text]


@dataclass
class PersonFacts:
    """The visible facts of one visible person that cite a span: fact kind (verbose name) -> facts."""

    person: Any
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class CitationUse:
    citation: Citation
    counts: dict[str, int] = field(default_factory=dict)  # fact kind (verbose name) -> facts
    persons: list[Any] = field(default_factory=list)  # visible persons whose facts cite it
    facts: list[PersonFacts] = field(default_factory=list)  # the same facts, person by person

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class SourceDetail:
    source: Source
    uses: list[CitationUse]
    highlighted: Citation | None
    segments: list[Segment]

    @property
    def citation_count(self) -> int:
        return len(self.uses)


def _visible_chain(user: Reader, path: str) -> dict[str, Any]:
    """The fact, and every record on its way to the person, visible to the reader."""
    q: dict[str, Any] = visible_q(user)
    prefix = ""
    for step in path.split("__") if path else []:
        prefix += f"{step}__"
        q.update(visible_q(user, prefix))
    return q


def _uses_query(user: Reader, citation_ids: list[int]) -> QuerySet[Any]:
    """One UNION query: (kind, citation id, person id, facts) for first and extra citations alike."""
    parts: list[QuerySet[Any]] = []
    for label, path in FACT_PATHS.items():
        model = apps.get_model(label)
        person = f"{path}__id" if path else "id"
        kind = Value(label.split(".")[1], output_field=CharField())
        visible = _visible_chain(user, path)
        for cited in ("citation_id__in", "extra_citations__in"):
            column = "citation_id" if cited == "citation_id__in" else "extra_citations"
            parts.append(
                model.objects.filter(Q(**{cited: citation_ids}), **visible)
                .order_by()
                .values(column, person)
                .annotate(n=Count("pk"), kind=kind)
                .values_list("kind", column, person, "n")
            )
    first, *rest = parts
    return first.union(*rest, all=True)


def source_detail(user: Reader, pk: int, *, cite: int | str | None = None) -> SourceDetail:
    """A visible source with its citations and who cites them; ``cite``: the citation to highlight.

    Raises ``Source.DoesNotExist`` for a missing source and for one above the reader's clearance
    alike. Four queries whatever the number of citations and facts.
    """
    source = Source.objects.filter(**visible_q(user)).get(pk=pk)
    citations = list(Citation.objects.filter(source=source).order_by("start", "end", "pk"))
    by_id = {c.pk: CitationUse(c) for c in citations}
    seen_persons: dict[int, set[int]] = defaultdict(set)
    per_person: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    if citations:
        for kind, citation_id, person_id, n in _uses_query(user, list(by_id)):
            use = by_id[citation_id]
            name = str(apps.get_model("dossiers", kind)._meta.verbose_name)
            use.counts[name] = use.counts.get(name, 0) + n
            seen_persons[citation_id].add(person_id)
            kinds = per_person[(citation_id, person_id)]
            kinds[name] = kinds.get(name, 0) + n
    all_person_ids = set().union(*seen_persons.values()) if seen_persons else set()
    persons: dict[int, Any] = {}
    if all_person_ids:
        person_model = apps.get_model("dossiers", "Person")
        persons = {
            p.pk: p
            for p in person_model.objects.filter(pk__in=all_person_ids, **visible_q(user)).only(
                "pk", "display_name"
            )
        }
    for citation_id, ids in seen_persons.items():
        by_id[citation_id].persons = sorted(
            (persons[i] for i in ids if i in persons), key=lambda p: (p.display_name, p.pk)
        )
        by_id[citation_id].facts = [
            PersonFacts(p, per_person[(citation_id, p.pk)]) for p in by_id[citation_id].persons
        ]
    highlighted = None
    if cite not in (None, ""):
        try:
            highlighted = next((c for c in citations if c.pk == int(cite)), None)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            highlighted = None
    return SourceDetail(
        source=source,
        uses=list(by_id.values()),
        highlighted=highlighted,
        segments=text_segments(source.text, highlighted),
    )


# -- the list of sources ---------------------------------------------------------------------------
# Sort keys the list accepts; anything else sorts newest first. Undated sources sort last either way.
SOURCE_SORTS: dict[str, list[Any]] = {
    "-published": [F("published_end").desc(nulls_last=True), F("title").asc(), F("id").asc()],
    "published": [F("published_start").asc(nulls_last=True), F("title").asc(), F("id").asc()],
    "title": [F("title").asc(), F("id").asc()],
    "-title": [F("title").desc(), F("id").desc()],
    "publisher": [F("publisher").asc(), F("title").asc(), F("id").asc()],
    "-citations": [F("citation_count").desc(), F("title").asc(), F("id").asc()],
    "-created": [F("created_at").desc(), F("id").desc()],
}
MAX_PER_PAGE = 200


def _bound(value: PartialDate | dt.date | str | None, *, last: bool) -> dt.date | None:
    date = PartialDate.coerce(value)
    if date is None:
        return None
    return date.latest if last else date.earliest


def source_list(
    user: Reader,
    *,
    q: str = "",
    kind: str = "",
    official: bool | None = None,
    reliability: str = "",
    publisher: str = "",
    language: str = "",
    published_since: PartialDate | dt.date | str | None = None,
    published_until: PartialDate | dt.date | str | None = None,
    sort: str = "-published",
    page: int | str = 1,
    per_page: int = 50,
) -> Page:
    """One page of visible sources with their number of citations (``citation_count``) and the total
    (``page.paginator.count``): two queries whatever the number of sources and citations.

    ``published_since`` / ``published_until`` keep sources whose publication date may fall in the
    period, each end taken as widely as its precision allows (a source published "2011" is kept for
    "2011-05"); undated sources are left out of a date filter. ``q`` looks in titles and publishers.
    The source texts (possibly long) are not read.
    """
    sources = Source.objects.filter(**visible_q(user))
    if q.strip():
        words = q.split()
        for word in words[:10]:
            sources = sources.filter(Q(title__icontains=word) | Q(publisher__icontains=word))
    if kind:
        sources = sources.filter(kind=kind)
    if official is not None:
        sources = sources.filter(official=official)
    if reliability:
        sources = sources.filter(reliability=reliability)
    if publisher:
        sources = sources.filter(publisher=publisher)
    if language:
        sources = sources.filter(language=language)
    since = _bound(published_since, last=False)
    until = _bound(published_until, last=True)
    if since:
        sources = sources.filter(published_end__gte=since)
    if until:
        sources = sources.filter(published_start__lte=until)
    # A correlated count rather than JOIN + GROUP BY: the total then counts sources alone, and a page
    # sorted by date reads its rows through the publication-date index and counts for those rows only.
    cited = (
        Citation.objects.filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sources = (
        sources.defer("text", "content_hash")
        .annotate(citation_count=Coalesce(Subquery(cited, output_field=IntegerField()), Value(0)))
        .order_by(*SOURCE_SORTS.get(sort, SOURCE_SORTS["-published"]))
    )
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    return Paginator(sources, per_page).get_page(page)


@dataclass(frozen=True)
class SourceFacets:
    publishers: list[str]
    languages: list[str]


def source_facets(user: Reader) -> SourceFacets:
    """Values the list filters offer, taken from visible sources only (two queries)."""
    visible = Source.objects.filter(**visible_q(user))
    return SourceFacets(
        publishers=distinct_values(visible, "publisher"), languages=distinct_values(visible, "language")
    )


def source_for_edit(user: Reader, pk: int) -> Source:
    """A visible source (``Source.DoesNotExist`` when missing or above the reader's clearance)."""
    return Source.objects.filter(**visible_q(user)).defer("text").get(pk=pk)

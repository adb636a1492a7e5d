"""Reads of monitoring bodies, negotiations, guarantees and benchmarks, always for one reader.

A negotiation is visible when it and its body are at or below the reader's clearance; each status
row, guarantee, guarantee state and assessment is then checked on its own, and the *current* status
or state is the latest row the reader may see (so a restricted step never shows through a summary).

Other apps add to the country page without this one importing them: ``register_timeline_provider``
(entries on the country timeline) and ``register_section`` (a block of their own on the country or
negotiation page). The visits app registers both from its AppConfig.ready().
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from habeas.accounts.selectors import user_clearance
from habeas.dossiers.models import Fact
from habeas.dossiers.selectors import CitationView, Cited, citation_view, timeline_sort_key
from habeas.lib.dates import PartialDate
from habeas.lib.fields import PartialDateField
from habeas.places.models import Place

from .models import (
    AccessNegotiation,
    Assessment,
    BenchmarkSet,
    Criterion,
    Guarantee,
    GuaranteeChange,
    GuaranteeState,
    MonitoringBody,
    NegotiationStatus,
    NegotiationStatusChange,
)


# -- helpers ---------------------------------------------------------------------------------------
def _cited(rows: Iterable[Fact], clearance: int) -> list[Cited[Any]]:
    """Facts with the citations the reader may see; rows come with citation__source selected and
    extra_citations__source prefetched."""
    out = []
    for row in rows:
        cites = [row.citation] if row.citation is not None else []
        cites += sorted(row.extra_citations.all(), key=lambda c: c.pk)
        out.append(Cited(row, [citation_view(c, clearance) for c in cites]))
    return out


def _facts(queryset: QuerySet[Any], clearance: int) -> QuerySet[Any]:
    return (
        queryset.filter(confidentiality__lte=clearance)
        .select_related("citation__source")
        .prefetch_related("extra_citations__source")
    )


# -- bodies ----------------------------------------------------------------------------------------
def bodies_visible(user: Any) -> QuerySet[MonitoringBody]:
    clearance = user_clearance(user)
    return MonitoringBody.objects.filter(confidentiality__lte=clearance)


def bodies_list(user: Any, *, kind: str = "") -> QuerySet[MonitoringBody]:
    """Bodies with the number of their negotiations the reader may see (one query)."""
    clearance = user_clearance(user)
    rows = bodies_visible(user).annotate(
        negotiation_count=Count("negotiations", filter=Q(negotiations__confidentiality__lte=clearance))
    )
    return rows.filter(kind=kind) if kind else rows


def body_get(user: Any, pk: int) -> MonitoringBody:
    """The body, or MonitoringBody.DoesNotExist alike for a missing one and one above clearance."""
    return bodies_visible(user).prefetch_related("aliases").get(pk=pk)


# -- negotiations ----------------------------------------------------------------------------------
def negotiations_visible(user: Any) -> QuerySet[AccessNegotiation]:
    clearance = user_clearance(user)
    return AccessNegotiation.objects.filter(
        confidentiality__lte=clearance, body__confidentiality__lte=clearance
    )


def _latest_status(clearance: int) -> QuerySet[NegotiationStatusChange]:
    return NegotiationStatusChange.objects.filter(
        negotiation=OuterRef("pk"), confidentiality__lte=clearance
    ).order_by("-date", "-id")


def negotiations_list(
    user: Any, *, country: str = "", body: int | None = None, status: str = ""
) -> QuerySet[AccessNegotiation]:
    """Visible negotiations with ``current_status`` and ``current_date`` (the latest step the reader
    may see), latest activity first; filtered by country, body id and current status."""
    clearance = user_clearance(user)
    latest = _latest_status(clearance)
    rows = (
        negotiations_visible(user)
        .select_related("body")
        .annotate(
            current_status=Subquery(latest.values("status")[:1]),
            current_date=Subquery(latest.values("date")[:1], output_field=PartialDateField()),
        )
    )
    if country:
        rows = rows.filter(country=country.strip().upper()[:2])
    if body:
        rows = rows.filter(body_id=body)
    if status:
        rows = rows.filter(current_status=status)
    return rows.order_by("-current_date", "-id")


def status_label(value: str | None) -> str:
    return str(NegotiationStatus(value).label) if value in NegotiationStatus.values else ""


def countries_list(user: Any) -> list[tuple[str, int]]:
    """(country code, visible negotiations) for every country with a visible negotiation or set."""
    clearance = user_clearance(user)
    counts = dict(
        negotiations_visible(user).values("country").annotate(n=Count("id")).values_list("country", "n")
    )
    for code in BenchmarkSet.objects.filter(confidentiality__lte=clearance).values_list("country", flat=True):
        counts.setdefault(code, 0)
    return sorted(counts.items())


@dataclass
class GuaranteeView:
    guarantee: Guarantee
    changes: list[Cited[GuaranteeChange]]

    @property
    def current(self) -> GuaranteeChange | None:
        """The latest state the reader may see (rows come in date order)."""
        return self.changes[-1].fact if self.changes else None

    @property
    def state(self) -> str:
        return self.current.state if self.current else GuaranteeState.UNKNOWN


@dataclass
class NegotiationDetail:
    negotiation: AccessNegotiation
    places: list[Place]
    hidden_places: int
    statuses: list[Cited[NegotiationStatusChange]]
    guarantees: list[GuaranteeView]
    sections: list[Section] = field(default_factory=list)

    @property
    def current(self) -> NegotiationStatusChange | None:
        return self.statuses[-1].fact if self.statuses else None


def negotiation_get(user: Any, pk: int) -> AccessNegotiation:
    """The negotiation, or DoesNotExist alike for a missing one and one above clearance."""
    return negotiations_visible(user).select_related("body").get(pk=pk)


def negotiation_detail(user: Any, pk: int) -> NegotiationDetail:
    clearance = user_clearance(user)
    negotiation = negotiation_get(user, pk)
    places = list(negotiation.places.all())
    visible = [p for p in places if p.confidentiality <= clearance]
    statuses = _cited(_facts(negotiation.statuses.all(), clearance).order_by("date", "id"), clearance)
    guarantees = list(negotiation.guarantees.filter(confidentiality__lte=clearance).order_by("id"))
    changes: dict[int, list[Cited[GuaranteeChange]]] = defaultdict(list)
    rows = _facts(GuaranteeChange.objects.filter(guarantee__in=guarantees), clearance).order_by("date", "id")
    for item in _cited(rows, clearance):
        changes[item.fact.guarantee_id].append(item)
    detail = NegotiationDetail(
        negotiation=negotiation,
        places=visible,
        hidden_places=len(places) - len(visible),
        statuses=statuses,
        guarantees=[GuaranteeView(g, changes[g.pk]) for g in guarantees],
    )
    detail.sections = sections_for("negotiation", user, negotiation)
    return detail


# -- the country page: a timeline other apps can add to ------------------------------------------
@dataclass(frozen=True)
class TimelineEntry:
    """One dated event on a country's timeline. ``kind`` is a CSS-friendly word (status, guarantee,
    assessment, or a provider's own such as visit); ``url`` links to the record's page."""

    date: PartialDate | None
    kind: str
    label: str
    text: str
    citations: list[CitationView]
    title: str = ""
    url: str = ""
    until: PartialDate | None = None


# A provider takes (reader, country code) and returns the entries that reader may see.
TimelineProvider = Callable[[Any, str], Iterable[TimelineEntry]]
_TIMELINE_PROVIDERS: dict[str, TimelineProvider] = {}


def register_timeline_provider(name: str, provider: TimelineProvider) -> None:
    """Add entries to every country timeline; the provider filters by the reader's clearance itself.
    Registering the same name again replaces it (AppConfig.ready may run more than once in tests)."""
    _TIMELINE_PROVIDERS[name] = provider


@dataclass(frozen=True)
class Section:
    """A block another app adds to a page: its heading, its template and that template's context."""

    title: str
    template: str
    context: dict[str, Any]


# A section provider takes (reader, the page's object: a country code or a negotiation) -> Section | None.
SectionProvider = Callable[[Any, Any], "Section | None"]
_SECTIONS: dict[str, dict[str, SectionProvider]] = {"country": {}, "negotiation": {}}


def register_section(page: str, name: str, provider: SectionProvider) -> None:
    """Add a block to the country page (``page="country"``, object: the code) or the negotiation page
    (``page="negotiation"``, object: the AccessNegotiation the reader may see)."""
    if page not in _SECTIONS:
        raise ValueError(f"no page {page!r} takes sections (one of: {', '.join(_SECTIONS)})")
    _SECTIONS[page][name] = provider


def sections_for(page: str, user: Any, obj: Any) -> list[Section]:
    return [s for provider in _SECTIONS[page].values() if (s := provider(user, obj)) is not None]


def _access_entries(user: Any, country: str, url_for: Callable[[str, int], str]) -> list[TimelineEntry]:
    clearance = user_clearance(user)
    negotiations = {
        n.pk: n for n in negotiations_visible(user).filter(country=country).select_related("body")
    }
    entries = []
    statuses = _facts(NegotiationStatusChange.objects.filter(negotiation__in=list(negotiations)), clearance)
    for item in _cited(statuses, clearance):
        row = item.fact
        n = negotiations[row.negotiation_id]
        visit = ""
        if row.visit_from:
            visit = _("visit %(start)s to %(end)s") % {
                "start": row.visit_from.display(),
                "end": row.visit_to.display() if row.visit_to else "?",
            }
        entries.append(
            TimelineEntry(
                row.date,
                "status",
                row.get_status_display(),
                "; ".join(x for x in (visit, row.note) if x),
                item.citations,
                title=f"{n.body} · {n.subject}",
                url=url_for("negotiation", n.pk),
            )
        )
    guarantees = Guarantee.objects.filter(negotiation__in=list(negotiations), confidentiality__lte=clearance)
    changes = _facts(GuaranteeChange.objects.filter(guarantee__in=guarantees), clearance).select_related(
        "guarantee"
    )
    for item in _cited(changes, clearance):
        row = item.fact
        n = negotiations[row.guarantee.negotiation_id]
        text = " — ".join(x for x in (str(row.guarantee), row.note) if x)
        label = f"{_('guarantee')} {row.get_state_display()}"
        entries.append(
            TimelineEntry(
                row.date,
                "guarantee",
                label,
                text,
                item.citations,
                title=f"{n.body} · {n.subject}",
                url=url_for("negotiation", n.pk),
            )
        )
    assessments = _facts(
        Assessment.objects.filter(
            criterion__benchmark_set__country=country,
            criterion__benchmark_set__confidentiality__lte=clearance,
        ),
        clearance,
    ).select_related("criterion__benchmark_set")
    for item in _cited(assessments, clearance):
        row = item.fact
        bset = row.criterion.benchmark_set
        entries.append(
            TimelineEntry(
                row.date,
                "assessment",
                f"{row.criterion.label}: {row.get_rating_display()}",
                row.summary,
                item.citations,
                title=bset.title,
                url=url_for("benchmark", bset.pk),
            )
        )
    return entries


def country_timeline(
    user: Any,
    country: str,
    *,
    extra: Iterable[TimelineEntry] = (),
    url_for: Callable[[str, int], str] | None = None,
) -> list[TimelineEntry]:
    """Everything the reader may see about access to ``country``, oldest first: negotiation steps,
    guarantee states, benchmark assessments, what registered providers add, and ``extra``.
    ``url_for(kind, pk)`` makes links ("negotiation", "benchmark"); without it entries have none."""
    country = (country or "").strip().upper()[:2]
    link = url_for or (lambda kind, pk: "")
    entries = _access_entries(user, country, link)
    for provider in _TIMELINE_PROVIDERS.values():
        entries.extend(provider(user, country))
    entries.extend(extra)
    return sorted(entries, key=lambda e: timeline_sort_key(e.date))


# -- benchmarks ------------------------------------------------------------------------------------
def benchmark_sets_list(user: Any, *, country: str = "") -> QuerySet[BenchmarkSet]:
    clearance = user_clearance(user)
    rows = BenchmarkSet.objects.filter(confidentiality__lte=clearance).annotate(
        criterion_count=Count("criteria", distinct=True),
        assessment_count=Count(
            "criteria__assessments",
            filter=Q(criteria__assessments__confidentiality__lte=clearance),
            distinct=True,
        ),
    )
    return rows.filter(country=country.strip().upper()[:2]) if country else rows


def benchmark_set_get(user: Any, pk: int) -> BenchmarkSet:
    return BenchmarkSet.objects.filter(confidentiality__lte=user_clearance(user)).get(pk=pk)


@dataclass
class ScoreRow:
    criterion: Criterion
    # One cell per date of the scorecard: the assessment made on that date, or None.
    cells: list[Cited[Assessment] | None]
    assessments: list[Cited[Assessment]]

    @property
    def latest(self) -> Assessment | None:
        return self.assessments[-1].fact if self.assessments else None

    @property
    def first(self) -> Assessment | None:
        return self.assessments[0].fact if self.assessments else None

    @property
    def change(self) -> int | None:
        """Latest rating minus the first: above 0 progress, below 0 regression, None if under two."""
        if len(self.assessments) < 2:
            return None
        return self.assessments[-1].fact.rating - self.assessments[0].fact.rating


@dataclass
class Scorecard:
    benchmark_set: BenchmarkSet
    dates: list[PartialDate]
    rows: list[ScoreRow]

    def as_dict(self) -> dict[str, Any]:
        """The scorecard as plain JSON (the CLI's --json): only what the reader may see."""

        def cell(item: Cited[Assessment] | None) -> dict[str, Any] | None:
            if item is None:
                return None
            a = item.fact
            return {
                "rating": a.rating,
                "label": a.get_rating_display(),
                "summary": a.summary,
                "sources": [c.title for c in item.citations if not c.restricted],
                "unsourced": item.unsourced,
            }

        return {
            "id": self.benchmark_set.pk,
            "title": self.benchmark_set.title,
            "country": self.benchmark_set.country,
            "dates": [d.isoformat() for d in self.dates],
            "criteria": [
                {
                    "position": r.criterion.position,
                    "label": r.criterion.label,
                    "text": r.criterion.text,
                    "latest": r.latest.rating if r.latest else None,
                    "change": r.change,
                    "cells": [cell(c) for c in r.cells],
                }
                for r in self.rows
            ],
        }


def scorecard(user: Any, pk: int) -> Scorecard:
    """Criteria x assessment dates; a date shows the assessment made then (the latest made that day
    if several). Two or three queries whatever the size."""
    clearance = user_clearance(user)
    bset = benchmark_set_get(user, pk)
    criteria = list(bset.criteria.order_by("position"))
    rows = _facts(Assessment.objects.filter(criterion__in=criteria), clearance).order_by("date", "id")
    by_criterion: dict[int, list[Cited[Assessment]]] = defaultdict(list)
    for item in _cited(rows, clearance):
        by_criterion[item.fact.criterion_id].append(item)
    dates = sorted(
        {item.fact.date for items in by_criterion.values() for item in items}, key=timeline_sort_key
    )
    score_rows = []
    for criterion in criteria:
        items = by_criterion[criterion.pk]
        on = {item.fact.date: item for item in items}  # later rows replace earlier ones of the same day
        score_rows.append(ScoreRow(criterion, [on.get(d) for d in dates], items))
    return Scorecard(bset, dates, score_rows)

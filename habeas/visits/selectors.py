"""Reads of visits, always for one reader.

A visit is visible when it and its body are at or below the reader's clearance; every place, stage,
outcome, interview, finding and recommendation is then checked on its own level, and a linked dossier,
place or negotiation above the reader's clearance is never named. Notes are never read here: only
``services.interview_notes_read`` decrypts them, and logs the read.

The reports (``visit_report``) are where consent is enforced: a report for the authorities carries
allegations only from interviews whose consent allows use with the authorities, a public report only
public records and allegations from interviews whose consent allows public reporting; a person is
named only with consent to be named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.urls import reverse

from habeas.access.models import AccessNegotiation, GuaranteeKind
from habeas.access.selectors import Section, TimelineEntry
from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance, visible_q
from habeas.dossiers.models import AllegationKind, PersonName
from habeas.dossiers.selectors import Cited, citation_view
from habeas.visits import norms
from habeas.visits.models import (
    Area,
    Finding,
    FollowUpCheck,
    FollowUpStatus,
    GuaranteeOutcome,
    Interview,
    InterviewAllegation,
    Method,
    NotesRead,
    Recommendation,
    RecommendationStatus,
    Stage,
    StageKind,
    Visit,
    VisitPlace,
)

Reader = Any  # User | AnonymousUser | None
MAX_PER_PAGE = 200


def _cited(rows: Iterable[Any], clearance: int) -> list[Cited[Any]]:
    """Facts with the citations the reader may see (rows come with their citations' sources loaded)."""
    out = []
    for row in rows:
        cites = [row.citation] if row.citation_id else []
        cites += sorted(row.extra_citations.all(), key=lambda c: c.pk)
        out.append(Cited(row, [citation_view(c, clearance) for c in cites]))
    return out


def _facts(queryset: QuerySet[Any], clearance: int) -> QuerySet[Any]:
    return (
        queryset.filter(confidentiality__lte=clearance)
        .select_related("citation__source")
        .prefetch_related("extra_citations__source")
        .defer("citation__source__text")
    )


def _shown_name(level: int, outer: str = "person_id") -> Subquery:
    """A dossier's name as a reader at ``level`` may see it (main Latin name first): a hidden alias
    never shows."""
    names = PersonName.objects.filter(person=OuterRef(outer), confidentiality__lte=level).order_by(
        Case(When(kind="main", script="Latn", then=0), When(kind="main", then=1), default=2), "pk"
    )
    return Subquery(names.values("text")[:1])


def visits_visible(user: Reader) -> QuerySet[Visit]:
    return Visit.objects.filter(**visible_q(user), **visible_q(user, "body__"))


def visit_get(user: Reader, pk: int) -> Visit:
    """A visible visit (``Visit.DoesNotExist`` when missing or above the reader's clearance alike)."""
    return visits_visible(user).select_related("body").get(pk=pk)


def visit_list(
    user: Reader, *, q: str = "", body: int | None = None, page: int | str = 1, per_page: int = 50
) -> Page:
    """One page of visible visits, newest first, with their body and the counts of what the reader may
    see of them: two queries whatever the number of visits."""
    clearance = user_clearance(user)
    visits = visits_visible(user).select_related("body")
    if q.strip():
        # A place's name matches only where the reader may see the place and its link to the visit:
        # else the search would answer "this visit went to that hidden place".
        seen_place = Q(
            places__place__name__icontains=q.strip(),
            places__confidentiality__lte=clearance,
            places__place__confidentiality__lte=clearance,
        )
        visits = visits.filter(Q(title__icontains=q.strip()) | seen_place).distinct()
    if body:
        visits = visits.filter(body_id=body)
    visits = visits.annotate(
        place_count=Count(
            "places",
            filter=Q(places__confidentiality__lte=clearance, places__place__confidentiality__lte=clearance),
            distinct=True,
        ),
        finding_count=Count("findings", filter=Q(findings__confidentiality__lte=clearance), distinct=True),
        recommendation_count=Count(
            "recommendations", filter=Q(recommendations__confidentiality__lte=clearance), distinct=True
        ),
    ).order_by("-started", "-id")
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    return Paginator(visits, per_page).get_page(page)


# -- one visit -------------------------------------------------------------------------------------
@dataclass
class FindingView:
    finding: Finding
    citations: list[Any]
    gap: norms.Assessment | None


@dataclass
class AreaRow:
    area: str
    label: str
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class PlaceBlock:
    visit_place: VisitPlace
    citations: list[Any]
    checklist: list[AreaRow]

    @property
    def findings(self) -> int:
        return sum(len(a.findings) for a in self.checklist)


@dataclass
class InterviewRow:
    interview: Interview
    person_name: str  # empty when coded, or when the dossier is above the reader's clearance
    person_id: int | None
    allegations: int


@dataclass
class RecommendationView:
    recommendation: Recommendation
    citations: list[Any]
    statuses: list[Cited[RecommendationStatus]]
    report_title: str = ""
    report_id: int | None = None

    @property
    def current(self) -> RecommendationStatus | None:
        return self.statuses[-1].fact if self.statuses else None


@dataclass
class GuaranteeRow:
    outcome: GuaranteeOutcome
    label: str
    citations: list[Any]


@dataclass
class VisitDetail:
    visit: Visit
    citations: list[Any]
    negotiation: AccessNegotiation | None
    team: list[Any]
    places: list[PlaceBlock]
    stages: list[tuple[str, str, Stage | None]]
    guarantees: list[GuaranteeRow]
    interviews: list[InterviewRow]
    recommendations: list[RecommendationView]

    @property
    def gaps(self) -> list[tuple[PlaceBlock, FindingView]]:
        return [(b, f) for b in self.places for a in b.checklist for f in a.findings if f.gap is not None]


def gap_of(finding: Finding) -> norms.Assessment | None:
    if not finding.measure or finding.value is None:
        return None
    return norms.assess(finding.measure, finding.value)


def _checklist(findings: list[Cited[Finding]]) -> list[AreaRow]:
    rows = {value: AreaRow(value, str(label)) for value, label in Area.choices}
    for item in findings:
        rows[item.fact.area].findings.append(FindingView(item.fact, item.citations, gap_of(item.fact)))
    return list(rows.values())


def _recommendations(queryset: QuerySet[Recommendation], clearance: int) -> list[RecommendationView]:
    rows = (
        _facts(queryset, clearance)
        .select_related("report")
        .defer("report__text")
        .prefetch_related(
            Prefetch(
                "statuses",
                queryset=_facts(RecommendationStatus.objects.all(), clearance).order_by("date", "id"),
                to_attr="visible_statuses",
            )
        )
    )
    out = []
    for item in _cited(rows, clearance):
        rec = item.fact
        report_visible = rec.report_id is not None and rec.report.confidentiality <= clearance
        out.append(
            RecommendationView(
                rec,
                item.citations,
                _cited(rec.visible_statuses, clearance),
                report_title=rec.report.title if report_visible else "",
                report_id=rec.report_id if report_visible else None,
            )
        )
    return out


def guarantee_label(value: str) -> str:
    try:
        return str(GuaranteeKind(value).label)
    except ValueError:
        return value


def visit_detail(user: Reader, pk: int) -> VisitDetail:
    """A visible visit with everything the reader may see of it, in a fixed number of queries."""
    clearance = user_clearance(user)
    visit = _facts(visits_visible(user), clearance).select_related("body", "negotiation").get(pk=pk)
    (visit_cited,) = _cited([visit], clearance)
    negotiation = visit.negotiation
    if negotiation is not None and negotiation.confidentiality > clearance:
        negotiation = None
    visit_places = list(
        _facts(visit.places.filter(place__confidentiality__lte=clearance), clearance)
        .select_related("place")
        .order_by("date", "id")
    )
    findings: dict[int, list[Cited[Finding]]] = defaultdict(list)
    rows = _facts(visit.findings.filter(visit_place__in=visit_places), clearance).order_by("area", "id")
    for item in _cited(rows, clearance):
        findings[item.fact.visit_place_id].append(item)
    places = [
        PlaceBlock(vp.fact, vp.citations, _checklist(findings[vp.fact.pk]))
        for vp in _cited(visit_places, clearance)
    ]
    stages = {s.kind: s for s in visit.stages.filter(confidentiality__lte=clearance)}
    interviews = (
        visit.interviews.filter(confidentiality__lte=clearance)
        .select_related("person", "visit_place__place")
        .annotate(
            allegation_count=Count("allegations", filter=Q(allegations__confidentiality__lte=clearance)),
            shown_name=_shown_name(clearance),
        )
        .defer("notes_encrypted")
        .order_by("id")
    )
    interview_rows = []
    for interview in interviews:
        person = interview.person
        shown = person is not None and person.confidentiality <= clearance
        interview_rows.append(
            InterviewRow(
                interview,
                (interview.shown_name or "") if shown else "",
                person.pk if shown and person else None,
                interview.allegation_count,
            )
        )
    return VisitDetail(
        visit=visit,
        citations=visit_cited.citations,
        negotiation=negotiation,
        team=list(visit.team.all()),
        places=places,
        stages=[(value, str(label), stages.get(value)) for value, label in StageKind.choices],
        guarantees=[
            GuaranteeRow(item.fact, guarantee_label(item.fact.guarantee), item.citations)
            for item in _cited(_facts(visit.guarantee_outcomes.all(), clearance).order_by("id"), clearance)
        ],
        interviews=interview_rows,
        recommendations=_recommendations(visit.recommendations.all(), clearance),
    )


def visit_place_get(user: Reader, visit: Visit, pk: int) -> VisitPlace:
    clearance = user_clearance(user)
    return (
        visit.places.filter(confidentiality__lte=clearance, place__confidentiality__lte=clearance)
        .select_related("place")
        .get(pk=pk)
    )


# -- one interview ---------------------------------------------------------------------------------
@dataclass
class AllegationView:
    allegation: InterviewAllegation
    citations: list[Any]
    methods: list[str]
    has_narrative: bool


@dataclass
class InterviewDetail:
    interview: Interview
    visit: Visit
    citations: list[Any]
    person_name: str
    person_id: int | None
    allegations: list[AllegationView]
    follow_ups: list[Cited[FollowUpCheck]]
    has_notes: bool
    reads: list[NotesRead]


def interview_get(user: Reader, pk: int) -> Interview:
    """A visible interview of a visible visit (``Interview.DoesNotExist`` otherwise)."""
    return (
        Interview.objects.filter(**visible_q(user), visit__in=visits_visible(user))
        .select_related("visit__body", "person", "visit_place__place")
        .get(pk=pk)
    )


def method_labels(values: Iterable[str]) -> list[str]:
    labels = dict(Method.choices)
    return [str(labels.get(v, v)) for v in values]


def interview_detail(user: Reader, pk: int) -> InterviewDetail:
    clearance = user_clearance(user)
    interview = (
        _facts(Interview.objects.filter(visit__in=visits_visible(user)), clearance)
        .select_related("visit__body", "person", "visit_place__place")
        .annotate(shown_name=_shown_name(clearance))
        .get(pk=pk)
    )
    (cited,) = _cited([interview], clearance)
    person = interview.person
    shown = person is not None and person.confidentiality <= clearance
    allegations = [
        AllegationView(
            item.fact, item.citations, method_labels(item.fact.methods), bool(item.fact.narrative_encrypted)
        )
        for item in _cited(_facts(interview.allegations.all(), clearance).order_by("id"), clearance)
    ]
    # Who read the notes: for readers who may read them themselves.
    reads = (
        list(interview.reads.select_related("user", "allegation")[:50])
        if clearance >= Confidentiality.RESTRICTED
        else []
    )
    return InterviewDetail(
        interview=interview,
        visit=interview.visit,
        citations=cited.citations,
        person_name=(interview.shown_name or "") if shown else "",
        person_id=person.pk if shown and person else None,
        allegations=allegations,
        follow_ups=_cited(_facts(interview.follow_ups.all(), clearance).order_by("date", "id"), clearance),
        has_notes=bool(interview.notes_encrypted),
        reads=reads,
    )


def allegation_get(user: Reader, pk: int) -> InterviewAllegation:
    return (
        InterviewAllegation.objects.filter(
            **visible_q(user), interview__in=Interview.objects.filter(**visible_q(user))
        )
        .filter(interview__visit__in=visits_visible(user))
        .select_related("interview")
        .get(pk=pk)
    )


# -- gaps and recommendations across visits --------------------------------------------------------
@dataclass
class GapRow:
    finding: Finding
    gap: norms.Assessment


def gap_list(user: Reader, *, measure: str = "", page: int | str = 1, per_page: int = 50) -> Page:
    """Measured findings the reader may see, with their gap to the norm, by measure and then value (for
    floor space and hours outdoors the widest gaps first). Gaps are computed per page (three queries)."""
    clearance = user_clearance(user)
    rows = (
        Finding.objects.filter(
            confidentiality__lte=clearance,
            visit__in=visits_visible(user),
            visit_place__confidentiality__lte=clearance,
            visit_place__place__confidentiality__lte=clearance,
        )
        .exclude(measure="")
        .select_related("visit__body", "visit_place__place")
        .order_by("measure", "value", "id")
    )
    if measure:
        rows = rows.filter(measure=measure)
    page_obj = Paginator(rows, max(1, min(int(per_page), MAX_PER_PAGE))).get_page(page)
    rows_here: Any = [GapRow(f, norms.assess(f.measure, f.value)) for f in page_obj.object_list]
    page_obj.object_list = rows_here
    return page_obj


def recommendation_list(
    user: Reader, *, status: str = "", q: str = "", page: int | str = 1, per_page: int = 50
) -> Page:
    """Visible recommendations, with the statuses the reader may see; ``status`` filters by the current
    one ("none": no status yet)."""
    clearance = user_clearance(user)
    rows = Recommendation.objects.filter(confidentiality__lte=clearance).filter(
        Q(visit__isnull=True) | Q(visit__in=visits_visible(user))
    )
    if q.strip():
        rows = rows.filter(Q(addressed_to__icontains=q.strip()) | Q(text__icontains=q.strip()))
    views = _recommendations(rows.order_by("-made", "id"), clearance)
    if status == "none":
        views = [v for v in views if v.current is None]
    elif status:
        views = [v for v in views if v.current is not None and v.current.status == status]
    return Paginator(views, max(1, min(int(per_page), MAX_PER_PAGE))).get_page(page)


def recommendation_get(user: Reader, pk: int) -> Recommendation:
    return (
        Recommendation.objects.filter(**visible_q(user))
        .filter(Q(visit__isnull=True) | Q(visit__in=visits_visible(user)))
        .get(pk=pk)
    )


# -- reports: where consent decides --------------------------------------------------------------
AUDIENCES = ("authorities", "public")


@dataclass
class ReportAllegation:
    kind: str
    person: str  # a name only with consent to be named, else "a detainee"
    period: str
    methods: list[str]
    injuries: str
    consistency: str


@dataclass
class ReportFinding:
    place: str
    area: str
    assessment: str
    text: str
    gap: str


@dataclass
class VisitReport:
    audience: str
    visit: Visit
    places: list[tuple[str, int | None]]
    findings: list[ReportFinding]
    allegations: list[ReportAllegation]
    recommendations: list[tuple[str, str, str]]
    withheld: int  # interviews left out for want of consent: said as a number, never who

    def as_dict(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            "visit": {
                "title": self.visit.title,
                "body": str(self.visit.body),
                "started": str(self.visit.started or ""),
                "ended": str(self.visit.ended or ""),
                "summary": self.visit.summary_public,
            },
            "places": [{"name": n, "population": p} for n, p in self.places],
            "findings": [vars(f) for f in self.findings],
            "allegations": [vars(a) for a in self.allegations],
            "recommendations": [
                {"addressed_to": a, "text": t, "status": s} for a, t, s in self.recommendations
            ],
            "interviews_withheld_for_consent": self.withheld,
        }


def _period(a: InterviewAllegation) -> str:
    if a.date_from and a.date_to:
        return f"{a.date_from.display()} – {a.date_to.display()}"
    return a.date_from.display() if a.date_from else ""


def visit_report(user: Reader, pk: int, audience: str) -> VisitReport:
    """What may go to ``audience`` ("authorities" or "public") from a visit the reader may see.

    The authorities' report takes what the reader may see; the public one only public records, whatever
    the reader's clearance. Allegations come only from interviews whose consent covers the audience,
    and name the person only with consent to be named (and a dossier the level allows). Interview
    notes and narratives never appear in either.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"no report for {audience!r} (one of: {', '.join(AUDIENCES)})")
    clearance = user_clearance(user)
    level = clearance if audience == "authorities" else min(clearance, Confidentiality.PUBLIC)
    visit = (
        visits_visible(user)
        .filter(confidentiality__lte=level, body__confidentiality__lte=level)
        .select_related("body")
        .get(pk=pk)
    )
    visit_places = list(
        visit.places.filter(confidentiality__lte=level, place__confidentiality__lte=level).select_related(
            "place"
        )
    )
    findings = []
    for f in (
        visit.findings.filter(confidentiality__lte=level, visit_place__in=visit_places)
        .select_related("visit_place__place")
        .order_by("visit_place_id", "area", "id")
    ):
        gap = gap_of(f)
        findings.append(
            ReportFinding(
                place=f.visit_place.place.name,
                area=f.get_area_display(),
                assessment=f.get_assessment_display(),
                text=f.text,
                gap=f"{f.value} {norms.UNITS[f.measure]}: {gap.describe()}" if gap else "",
            )
        )
    consent = Q(consent_given=True) & (
        Q(consent_authorities=True) if audience == "authorities" else Q(consent_public=True)
    )
    interviews = visit.interviews.filter(confidentiality__lte=level)
    withheld = interviews.exclude(consent).count()
    allegations = []
    kinds = dict(AllegationKind.choices)
    for a in (
        InterviewAllegation.objects.filter(
            interview__in=interviews.filter(consent), confidentiality__lte=level
        )
        .select_related("interview__person")
        .annotate(shown_name=_shown_name(level, "interview__person_id"))
        .defer("narrative_encrypted", "interview__notes_encrypted")
        .order_by("id")
    ):
        person = a.interview.person
        named = a.interview.consent_named and person is not None and person.confidentiality <= level
        allegations.append(
            ReportAllegation(
                kind=str(kinds.get(a.kind, a.kind)),
                person=(a.shown_name or "a detainee") if named else "a detainee",
                period=_period(a),
                methods=method_labels(a.methods),
                injuries=a.injuries,
                consistency=a.get_consistency_display(),
            )
        )
    recs = []
    status_labels = dict(FollowUpStatus.choices)
    for view in _recommendations(visit.recommendations.filter(confidentiality__lte=level), level):
        current = view.current
        recs.append(
            (
                view.recommendation.addressed_to,
                view.recommendation.text,
                str(status_labels[current.status]) if current else "",
            )
        )
    return VisitReport(
        audience=audience,
        visit=visit,
        places=[(vp.place.name, vp.population) for vp in visit_places],
        findings=findings,
        allegations=allegations,
        recommendations=recs,
        withheld=withheld,
    )


# -- the access app's country page -----------------------------------------------------------------
def visits_in_country(user: Reader, country: str) -> QuerySet[Visit]:
    """Visible visits to ``country``: by their negotiation's country, or a visible place's."""
    clearance = user_clearance(user)
    country = (country or "").strip().upper()[:2]
    by_place = VisitPlace.objects.filter(
        confidentiality__lte=clearance, place__confidentiality__lte=clearance, place__country=country
    ).values("visit_id")
    return (
        visits_visible(user)
        .filter(
            Q(negotiation__country=country, negotiation__confidentiality__lte=clearance) | Q(pk__in=by_place)
        )
        .select_related("body")
        .distinct()
    )


def country_timeline_entries(user: Reader, country: str) -> list[TimelineEntry]:
    clearance = user_clearance(user)
    visits = _facts(visits_in_country(user, country), clearance)
    return [
        TimelineEntry(
            item.fact.started,
            "visit",
            "visit",
            item.fact.title,
            item.citations,
            title=str(item.fact.body),
            url=reverse("web:visit_detail", args=[item.fact.pk]),
            until=item.fact.ended,
        )
        for item in _cited(visits, clearance)
    ]


def country_section(user: Reader, country: Any) -> Section | None:
    visits = list(visits_in_country(user, str(country)).order_by("-started", "-id")[:50])
    if not visits:
        return None
    return Section("Visits", "web/visits/_country_visits.html", {"visits": visits})


def negotiation_section(user: Reader, negotiation: AccessNegotiation) -> Section | None:
    visits = list(
        visits_visible(user).filter(negotiation=negotiation).select_related("body").order_by("-started")
    )
    if not visits:
        return None
    return Section("Visits", "web/visits/_country_visits.html", {"visits": visits})

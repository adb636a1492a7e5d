"""Reads of places of detention: the list with filters and current prisoner counts, and one place with
its names, population observations and the prisoners held there, now and before.

Every function takes the asking user: a place, a person, a detention or a source above the reader's
clearance is never returned, counted or named. Persons are reached through the dossiers app by label
(places sits below dossiers in the dependency order).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from habeas.accounts.selectors import user_clearance, visible_q
from habeas.lib.dates import PartialDate
from habeas.lib.names import fold, name_keys
from habeas.lib.queries import distinct_values
from habeas.places.models import Place, PlaceName, PopulationObservation

Reader = Any  # User | AnonymousUser | None

# Statuses of a person no longer held anywhere (habeas.dossiers.models.NOT_HELD, by value).
NOT_HELD = ("released", "deceased", "escaped")

SORTS: dict[str, list[Any]] = {
    "name": [F("name").asc(), F("id").asc()],
    "-name": [F("name").desc(), F("id").desc()],
    "province": [F("province").asc(), F("name").asc(), F("id").asc()],
    "-prisoners": [F("prisoner_count").desc(), F("name").asc(), F("id").asc()],
    "-capacity": [F("capacity").desc(nulls_last=True), F("name").asc(), F("id").asc()],
}
MAX_PER_PAGE = 200


def _current_detentions(user: Reader) -> QuerySet[Any]:
    """Visible detentions still running (no end recorded) of visible persons still held.

    ``Detention.place`` is where the person is held now or was held last, so an open detention
    there with a person whose derived status is not released/deceased/escaped means "held here now".
    """
    detention = apps.get_model("dossiers", "Detention")
    return detention.objects.filter(
        ended="",
        **visible_q(user),
        **visible_q(user, "person__"),
    ).exclude(person__current_status__in=NOT_HELD)


def _read_as_pinyin(key: str) -> list[int]:
    """Places with a name in Chinese characters whose pinyin contains the (folded, Latin) query: one
    query, and the readings come from ``name_keys`` (cached), so "qincheng" finds 秦城监狱."""
    han = PlaceName.objects.filter(script__in=("Hans", "Hant", "Hani")).values_list("place_id", "text")
    return sorted({place_id for place_id, text in han if any(key in k for k in name_keys(text))})


def place_list(
    user: Reader,
    *,
    q: str = "",
    kind: str = "",
    province: str = "",
    authority: str = "",
    sort: str = "name",
    page: int | str = 1,
    per_page: int = 50,
) -> Page:
    """One page of visible places with ``prisoner_count`` (visible persons held there now) and the
    total (``page.paginator.count``): two queries (three for a Latin name search) whatever the
    number of places and prisoners.

    ``q`` matches any of a place's names, in any script or spelling, anywhere in the name: it is
    folded like the stored names (hanzi simplified, Latin lower-case without marks or spaces), and a
    Latin query also matches names in characters by their pinyin (one more query).
    """
    # Places merged into another are listed as that one (habeas.linkage.merge).
    places = Place.objects.filter(**visible_q(user), merged_into__isnull=True)
    if q.strip():
        key = fold(q)
        if not key:
            places = places.none()
        else:
            match = Q(pk__in=PlaceName.objects.filter(key__contains=key).values("place_id"))
            if key.isascii():
                match |= Q(pk__in=_read_as_pinyin(key))
            places = places.filter(match)
    if kind:
        places = places.filter(kind=kind)
    if province:
        places = places.filter(province=province)
    if authority:
        places = places.filter(authority=authority)
    held = (
        _current_detentions(user)
        .filter(place=OuterRef("pk"))
        .order_by()
        .values("place")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    places = places.annotate(
        prisoner_count=Coalesce(Subquery(held, output_field=IntegerField()), Value(0))
    ).order_by(*SORTS.get(sort, SORTS["name"]))
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    return Paginator(places, per_page).get_page(page)


@dataclass(frozen=True)
class PlaceFacets:
    provinces: list[str]
    authorities: list[str]


def place_facets(user: Reader) -> PlaceFacets:
    """Values the list filters offer, taken from visible places only (two queries)."""
    visible = Place.objects.filter(**visible_q(user), merged_into__isnull=True)
    return PlaceFacets(
        provinces=distinct_values(visible, "province"), authorities=distinct_values(visible, "authority")
    )


# -- one place -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObservationView:
    observation: PopulationObservation
    restricted_source: bool  # cites a source above the reader's clearance: named only as restricted
    source_id: int | None = None
    source_title: str = ""
    quote: str = ""

    @property
    def unsourced(self) -> bool:
        return self.observation.citation_id is None


@dataclass(frozen=True)
class PersonRef:
    """What a place page shows of a person: the name, the link, the derived status."""

    pk: int
    display_name: str
    current_status: str

    def __str__(self) -> str:
        return self.display_name or f"person #{self.pk}"

    def get_current_status_display(self) -> str:
        return _status_labels().get(self.current_status, self.current_status)


@cache
def _status_labels() -> dict[str, str]:
    field = apps.get_model("dossiers", "Person")._meta.get_field("current_status")
    return {str(value): str(label) for value, label in field.choices or []}


@dataclass
class Prisoner:
    """A visible person held at the place, with the visible periods that put them there."""

    person: PersonRef
    started: PartialDate | None = None
    ended: PartialDate | None = None
    current: bool = False


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    """A small line chart of population over time, drawn by the template as inline SVG."""

    width: int
    height: int
    points: list[ChartPoint]
    polyline: str
    max_value: int
    first: str
    last: str
    capacity_y: float | None = None


@dataclass
class PlaceDetail:
    place: Place
    names: list[PlaceName]
    observations: list[ObservationView]
    current: list[Prisoner] = field(default_factory=list)
    past: list[Prisoner] = field(default_factory=list)
    chart: Chart | None = None


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 480, 160, 24


def population_chart(observations: list[PopulationObservation], capacity: int | None = None) -> Chart | None:
    """Coordinates for a line chart of the counts in date order (x by each date's middle day).

    Pure arithmetic on the values: the template writes them into SVG attributes, escaped, so no text
    from the data becomes markup.
    """
    dated = [o for o in observations if o.observed is not None]
    if not dated:
        return None

    def middle(o: PopulationObservation) -> dt.date:
        date = o.observed
        assert date is not None
        return date.earliest + (date.latest - date.earliest) / 2

    dated.sort(key=lambda o: (middle(o), o.pk))
    days = [middle(o).toordinal() for o in dated]
    top = max([o.population for o in dated] + [capacity or 0]) or 1
    span = (days[-1] - days[0]) or 1
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD

    def y_of(value: int) -> float:
        return round(CHART_PAD + inner_h * (1 - value / top), 1)

    points = [
        ChartPoint(
            x=round(CHART_PAD + (inner_w * (d - days[0]) / span if len(dated) > 1 else inner_w / 2), 1),
            y=y_of(o.population),
            label=o.observed.display() if o.observed else "",
            value=o.population,
        )
        for o, d in zip(dated, days, strict=True)
    ]
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        max_value=top,
        first=points[0].label,
        last=points[-1].label,
        capacity_y=y_of(capacity) if capacity else None,
    )


def place_for_edit(user: Reader, pk: int) -> Place:
    """A visible place (``Place.DoesNotExist`` when missing or above the reader's clearance)."""
    return Place.objects.filter(**visible_q(user)).get(pk=pk)


def place_names(place: Place) -> list[str]:
    return list(place.names.order_by("pk").values_list("text", flat=True))


def _widen(prisoner: Prisoner, started: PartialDate | None, ended: PartialDate | None) -> None:
    if started is not None and (prisoner.started is None or started < prisoner.started):
        prisoner.started = started
    if prisoner.ended is not None and (ended is None or ended > prisoner.ended):
        prisoner.ended = ended


def place_detail(user: Reader, pk: int) -> PlaceDetail:
    """A visible place with its names, population observations and prisoners, in six queries
    whatever their number.

    Raises ``Place.DoesNotExist`` for a missing place and for one above the reader's clearance alike.
    Prisoners come from visible detentions and custody periods at the place of visible persons;
    "current" ones are held there now (see ``_current_detentions``), the others are past.
    """
    clearance = user_clearance(user)
    place = (
        Place.objects.filter(**visible_q(user))
        .prefetch_related(
            Prefetch("names", queryset=PlaceName.objects.order_by("pk")),
            Prefetch(
                "population",
                queryset=PopulationObservation.objects.select_related("citation__source")
                .defer("citation__source__text", "citation__source__content_hash")
                .order_by("observed", "pk"),
            ),
        )
        .get(pk=pk)
    )
    observations = []
    for o in place.population.all():
        source = o.citation.source if o.citation is not None else None
        if source is not None and source.confidentiality > clearance:
            observations.append(ObservationView(o, restricted_source=True))
        elif source is not None and o.citation is not None:
            observations.append(
                ObservationView(
                    o,
                    restricted_source=False,
                    source_id=source.pk,
                    source_title=source.title,
                    quote=o.citation.quote,
                )
            )
        else:
            observations.append(ObservationView(o, restricted_source=False))

    detention = apps.get_model("dossiers", "Detention")
    custody = apps.get_model("dossiers", "CustodyPeriod")
    prisoners: dict[int, Prisoner] = {}
    current_ids = set(_current_detentions(user).filter(place=place).values_list("person_id", flat=True))
    # Rows as tuples, not model instances: a large prison has thousands of stays.
    stays = detention.objects.filter(
        place=place, **visible_q(user), **visible_q(user, "person__")
    ).values_list("person_id", "person__display_name", "person__current_status", "started", "ended")
    periods = custody.objects.filter(
        place=place,
        **visible_q(user),
        **visible_q(user, "detention__"),
        **visible_q(user, "detention__person__"),
    ).values_list(
        "detention__person_id",
        "detention__person__display_name",
        "detention__person__current_status",
        "started",
        "ended",
    )
    for rows in (stays, periods):
        for person_id, display_name, status, started, ended in rows:
            prisoner = prisoners.get(person_id)
            if prisoner is None:
                person = PersonRef(person_id, display_name, status)
                prisoners[person_id] = prisoner = Prisoner(person, started, ended)
            _widen(prisoner, started, ended)
    for person_id, prisoner in prisoners.items():
        prisoner.current = person_id in current_ids
    ordered = sorted(prisoners.values(), key=lambda p: (p.person.display_name, p.person.pk))
    return PlaceDetail(
        place=place,
        names=list(place.names.all()),
        observations=observations,
        current=[p for p in ordered if p.current],
        past=[p for p in ordered if not p.current],
        chart=population_chart([v.observation for v in observations], place.capacity),
    )

"""Norms that a measured condition of detention is held against, each with its source, and the gap.

A finding may carry a measured value (square metres per person, hours outdoors a day, consecutive days
in solitary confinement). Each kind of measure has the norm it is judged by and, where one exists, a
lower emergency figure that is shown beside it but never taken for the norm: the ICRC's 2 m2 per person
is what a crowded cell must not fall below in a crisis, not what a cell should give.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db import models


class Measure(models.TextChoices):
    FLOOR_SHARED = "floor_shared", "floor space per person, shared cell"
    FLOOR_SINGLE = "floor_single", "floor space, single cell"
    HOURS_OUTDOORS = "hours_outdoors", "hours outdoors a day"
    SOLITARY_DAYS = "solitary_days", "consecutive days in solitary confinement"


class Direction(StrEnum):
    AT_LEAST = "at_least"  # the value must reach the figure
    AT_MOST = "at_most"  # the value must not pass the figure


@dataclass(frozen=True)
class Norm:
    code: str
    label: str
    figure: Decimal
    unit: str
    direction: Direction
    source: str

    def describe(self) -> str:
        sign = "≥" if self.direction is Direction.AT_LEAST else "≤"
        return f"{sign} {self.figure} {self.unit}"


ICRC_HANDBOOK = (
    "ICRC, Water, sanitation, hygiene and habitat in prisons: supplementary guidance (2012), "
    "space per detainee"
)
MANDELA_23 = "UN Standard Minimum Rules for the Treatment of Prisoners (Nelson Mandela Rules), rule 23(1)"
MANDELA_43_44 = "UN Standard Minimum Rules for the Treatment of Prisoners (Nelson Mandela Rules), rules 43-44"

NORMS: dict[str, Norm] = {
    n.code: n
    for n in (
        Norm(
            "icrc_shared_cell",
            "ICRC norm, shared cell",
            Decimal("3.4"),
            "m²",
            Direction.AT_LEAST,
            ICRC_HANDBOOK,
        ),
        Norm(
            "icrc_single_cell",
            "ICRC norm, single cell",
            Decimal("5.4"),
            "m²",
            Direction.AT_LEAST,
            ICRC_HANDBOOK,
        ),
        Norm(
            "icrc_emergency",
            "ICRC emergency minimum (not a norm)",
            Decimal("2"),
            "m²",
            Direction.AT_LEAST,
            ICRC_HANDBOOK,
        ),
        Norm(
            "mandela_outdoors",
            "Mandela Rules, exercise outdoors",
            Decimal("1"),
            "h",
            Direction.AT_LEAST,
            MANDELA_23,
        ),
        Norm(
            "mandela_solitary",
            "Mandela Rules, prolonged solitary confinement",
            Decimal("15"),
            "days",
            Direction.AT_MOST,
            MANDELA_43_44,
        ),
    )
}

UNITS: dict[str, str] = {
    Measure.FLOOR_SHARED: "m²",
    Measure.FLOOR_SINGLE: "m²",
    Measure.HOURS_OUTDOORS: "h/day",
    Measure.SOLITARY_DAYS: "days",
}
# The norm each measure is judged by, and the emergency figure shown beside it (where there is one).
NORM_FOR: dict[str, tuple[str, str | None]] = {
    Measure.FLOOR_SHARED: ("icrc_shared_cell", "icrc_emergency"),
    Measure.FLOOR_SINGLE: ("icrc_single_cell", "icrc_emergency"),
    Measure.HOURS_OUTDOORS: ("mandela_outdoors", None),
    Measure.SOLITARY_DAYS: ("mandela_solitary", None),
}
# Where on the checklist a measure belongs (habeas.visits.models.Area values).
AREA_FOR: dict[str, str] = {
    Measure.FLOOR_SHARED: "accommodation",
    Measure.FLOOR_SINGLE: "accommodation",
    Measure.HOURS_OUTDOORS: "exercise",
    Measure.SOLITARY_DAYS: "discipline",
}
# Values beyond these are typing mistakes, not measurements.
LIMITS: dict[str, Decimal] = {
    Measure.FLOOR_SHARED: Decimal(1000),
    Measure.FLOOR_SINGLE: Decimal(1000),
    Measure.HOURS_OUTDOORS: Decimal(24),
    Measure.SOLITARY_DAYS: Decimal(100_000),
}


@dataclass(frozen=True)
class Comparison:
    """A value against one figure: ``gap`` is how far it falls short of (or passes) it, 0 when met."""

    norm: Norm
    value: Decimal
    gap: Decimal
    met: bool
    percent: int | None  # the value as a share of the figure (floor space, hours), else None

    def describe(self) -> str:
        if self.met:
            return f"meets {self.norm.label} ({self.norm.describe()})"
        if self.norm.direction is Direction.AT_LEAST:
            return f"{self.gap} {self.norm.unit} short of {self.norm.label} ({self.norm.describe()})"
        return f"{self.gap} {self.norm.unit} over {self.norm.label} ({self.norm.describe()})"


@dataclass(frozen=True)
class Assessment:
    measure: str
    value: Decimal
    unit: str
    norm: Comparison
    emergency: Comparison | None

    @property
    def met(self) -> bool:
        return self.norm.met

    def describe(self) -> str:
        text = self.norm.describe()
        if self.emergency is not None:
            below = "below" if not self.emergency.met else "above"
            text += f"; {below} the {self.emergency.norm.figure} {self.emergency.norm.unit} emergency minimum"
        return text


def compare(norm: Norm, value: Decimal) -> Comparison:
    if norm.direction is Direction.AT_LEAST:
        gap = max(norm.figure - value, Decimal(0))
        percent = int((value / norm.figure * 100).to_integral_value()) if norm.figure else None
    else:
        gap = max(value - norm.figure, Decimal(0))
        percent = None
    return Comparison(norm=norm, value=value, gap=gap, met=gap == 0, percent=percent)


def assess(measure: str, value: Decimal | int | float | str) -> Assessment:
    """The value of a measure against its norm (and its emergency figure). ValueError for an unknown
    measure or an impossible value."""
    if measure not in NORM_FOR:
        raise ValueError(f"no norm for the measure {measure!r} (known: {', '.join(NORM_FOR)})")
    number = Decimal(str(value))
    if not number.is_finite() or number < 0 or number > LIMITS[measure]:
        raise ValueError(
            f"{measure}: {value} is not a possible value (0 to {LIMITS[measure]} {UNITS[measure]})"
        )
    norm_code, emergency_code = NORM_FOR[measure]
    return Assessment(
        measure=measure,
        value=number,
        unit=UNITS[measure],
        norm=compare(NORMS[norm_code], number),
        emergency=compare(NORMS[emergency_code], number) if emergency_code else None,
    )

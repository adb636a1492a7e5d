"""Benchmark sets worth having in every installation, written in our own words."""

from __future__ import annotations

from typing import Any

from habeas.accounts.models import Confidentiality

from .models import BenchmarkSet
from .services import benchmark_set_create

TITLE_1993 = "1993 conditions for renewing China's most-favoured-nation trade status"

# (short label, criterion) in the order the 1993 executive order listed them: the first two had to be
# met, the other five needed "significant overall progress".
CRITERIA_1993 = [
    ("Emigration", "Citizens may leave the country freely, as US trade law requires for the status."),
    ("Prison-labour exports", "The 1992 agreement on goods made by prison labour is kept: no such exports."),
    (
        "Universal Declaration",
        "The state acts in keeping with the Universal Declaration of Human Rights.",
    ),
    (
        "Prisoners of conscience",
        "People held for the non-violent expression of their views are released and accounted for.",
    ),
    (
        "Humane treatment",
        "Prisoners are treated humanely, including access to prisons by international humanitarian "
        "and human-rights organisations.",
    ),
    ("Tibet", "Tibet's distinct religious and cultural heritage is protected."),
    ("Broadcasts", "International radio and television broadcasts are not jammed."),
]


def benchmarks_1993_seed(*, by: Any = None) -> tuple[BenchmarkSet, bool]:
    """The 1993 set for CN, made once. Returns (set, created)."""
    existing = BenchmarkSet.objects.filter(country="CN", title=TITLE_1993).first()
    if existing is not None:
        return existing, False
    made = benchmark_set_create(
        title=TITLE_1993,
        country="CN",
        adopted="1993-05-28",
        description=(
            "Conditions the United States set in 1993 for renewing China's trade status in 1994: two "
            "required, five on which overall progress was to be significant. Renewal was later "
            "de-linked from them; they remain a yardstick for progress over time."
        ),
        criteria=CRITERIA_1993,
        confidentiality=Confidentiality.PUBLIC,
        by=by,
    )
    return made, True

"""Rules that derive what nobody types in: expected release, current status, overdue.

Pure functions over plain values, so importers, services and tests share them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from habeas.lib.dates import PartialDate, add_months

NOT_HELD_STATUSES = frozenset({"released", "deceased", "escaped"})


@dataclass(frozen=True)
class ChangeTerms:
    kind: str  # reduction, commutation, parole, medical_parole, extension
    date: PartialDate | None
    months: int = 0
    days: int = 0
    new_kind: str = ""
    new_term_months: int | None = None


@dataclass(frozen=True)
class ReleaseWindow:
    """The first and last day a release can fall on, given what is known of the dates."""

    earliest: dt.date
    latest: dt.date

    def as_partial(self) -> PartialDate:
        """The most precise partial date that covers the window."""
        a, b = self.earliest, self.latest
        if a == b:
            return PartialDate(a.year, a.month, a.day)
        if (a.year, a.month) == (b.year, b.month):
            return PartialDate(a.year, a.month)
        if a.year == b.year:
            return PartialDate(a.year)
        middle = a + (b - a) / 2
        return PartialDate(middle.year, circa=True)


def _shift(window: ReleaseWindow, months: int, days: int) -> ReleaseWindow:
    return ReleaseWindow(
        add_months(window.earliest, months) + dt.timedelta(days=days),
        add_months(window.latest, months) + dt.timedelta(days=days),
    )


def expected_release(
    *,
    kind: str,
    term_months: int | None,
    term_days: int,
    term_starts: PartialDate | None,
    changes: Sequence[ChangeTerms] = (),
) -> ReleaseWindow | None:
    """When a sentence ends, after its reductions, commutations and extensions.

    A fixed term of N months counted from D ends the day before D + N months (a 1-year term from
    2010-03-05 ends on 2011-03-04). Life and death sentences have no release date until commuted to
    a fixed term, which then counts from the commutation. Parole and medical parole release the
    person before the sentence ends: a dated parole brings the expected release forward to its date
    (for life sentences too); one dated after the term has ended changes nothing. Returns None when no
    date can be known.
    """
    current_kind = kind
    window: ReleaseWindow | None = None
    if kind == "fixed" and term_starts is not None and (term_months or term_days):
        window = _shift(
            ReleaseWindow(term_starts.earliest, term_starts.latest), term_months or 0, term_days - 1
        )
    paroled: ReleaseWindow | None = None
    ordered = sorted(changes, key=lambda c: c.date.isoformat() if c.date else "9999")
    for change in ordered:
        if change.kind in {"parole", "medical_parole"} and change.date is not None and paroled is None:
            paroled = ReleaseWindow(change.date.earliest, change.date.latest)
        if change.kind == "commutation":
            current_kind = change.new_kind or current_kind
            if current_kind == "fixed" and change.new_term_months and change.date is not None:
                window = _shift(
                    ReleaseWindow(change.date.earliest, change.date.latest), change.new_term_months, -1
                )
            elif current_kind in {"life", "death", "death_reprieve"}:
                window = None
        elif change.kind == "reduction" and window is not None:
            window = _shift(window, -change.months, -change.days)
        elif change.kind == "extension" and window is not None:
            window = _shift(window, change.months, change.days)
    if paroled is not None:
        if window is None:
            return paroled
        return ReleaseWindow(min(window.earliest, paroled.earliest), min(window.latest, paroled.latest))
    return window if current_kind in {"fixed", "suspended"} or window else None


def current_status(statuses: Iterable[tuple[PartialDate | None, int, str]]) -> tuple[str, PartialDate | None]:
    """The latest status by date, ties broken by entry order. Items: (date, order, status).
    An undated status counts as older than any dated one."""
    latest: tuple[str, int, str, PartialDate | None] | None = None
    for date, order, status in statuses:
        key = (date.isoformat() if date else "", order)
        if latest is None or key > (latest[0], latest[1]):
            latest = (key[0], key[1], status, date)
    if latest is None:
        return "", None
    return latest[2], latest[3]


def is_overdue(*, expected_latest: dt.date | None, status: str, today: dt.date) -> bool:
    """Held past the last day the sentence can end, with no release recorded (WGAD category I)."""
    return expected_latest is not None and expected_latest < today and status not in NOT_HELD_STATUSES

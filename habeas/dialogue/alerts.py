"""Alerts for the daily round: releases due soon, releases overdue, lists nobody has answered, and
anniversaries of detention this week (the days families and campaigns mark).

Plain data from what the reader may see; ``habeas dialogue alerts`` prints it for cron (nothing when
there is nothing) and the web page shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q

from habeas.accounts.selectors import visible_q
from habeas.dialogue.models import ANSWERED, RELEASE_CHANGING, ListStatus, Outcome, OutcomeKind, Response
from habeas.dialogue.selectors import (
    Reader,
    _held,
    _visible_entries,
    _visible_lists,
    person_lines,
    suggest_overdue,
    today,
)
from habeas.dossiers.models import Detention
from habeas.dossiers.selectors import RELEASE_FACTS, STATUS_FACTS, _without_hidden
from habeas.lib.dates import PartialDate

MAX_ROWS = 500  # per kind: an alert list longer than this is a query, not an alert


@dataclass
class Alert:
    kind: str  # release_due, overdue, unanswered_list, anniversary
    text: str
    date: PartialDate | dt.date | None = None
    person_id: int | None = None
    person_name: str = ""
    list_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        date = self.date.isoformat() if self.date is not None else None
        return {
            "kind": self.kind,
            "text": self.text,
            "date": date,
            "person_id": self.person_id,
            "person_name": self.person_name,
            "list_id": self.list_id,
        }


@dataclass
class Alerts:
    on: dt.date
    days: int
    list_days: int
    releases_due: list[Alert] = field(default_factory=list)
    overdue: list[Alert] = field(default_factory=list)
    unanswered_lists: list[Alert] = field(default_factory=list)
    anniversaries: list[Alert] = field(default_factory=list)

    SECTIONS = (
        ("releases_due", "Expected release within {days} days"),
        ("overdue", "Held past the expected release"),
        ("unanswered_lists", "Lists with no response after {list_days} days"),
        ("anniversaries", "Anniversaries of detention this week"),
    )

    @property
    def empty(self) -> bool:
        return not (self.releases_due or self.overdue or self.unanswered_lists or self.anniversaries)

    def sections(self) -> list[tuple[str, str, list[Alert]]]:
        """(key, heading, alerts) in the order shown, empty ones included."""
        return [
            (key, heading.format(days=self.days, list_days=self.list_days), getattr(self, key))
            for key, heading in self.SECTIONS
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "days": self.days,
            "list_days": self.list_days,
            **{key: [a.as_dict() for a in alerts] for key, _h, alerts in self.sections()},
        }

    def as_text(self) -> str:
        lines: list[str] = []
        for _key, heading, alerts in self.sections():
            if alerts:
                lines += ([""] if lines else []) + [f"{heading} ({len(alerts)}):"]
                lines += [f"  {a.text}" for a in alerts]
        return "\n".join(lines)


def _releases_due(user: Reader, on: dt.date, days: int) -> list[Alert]:
    """Releases the dossier expects within ``days`` days, and those a recorded sentence reduction or
    commutation brings into the window (the dossier may not have the reduction yet)."""
    until = on + dt.timedelta(days=days)
    due = _held(user)
    due = due.filter(expected_release_earliest__lte=until, expected_release_latest__gte=on)
    due = _without_hidden(_without_hidden(due, user, RELEASE_FACTS), user, STATUS_FACTS)
    rows: dict[int, tuple[PartialDate | None, str]] = {}
    for pk, release in due.order_by("expected_release_earliest", "id").values_list("pk", "expected_release")[
        :MAX_ROWS
    ]:
        rows[pk] = (PartialDate.coerce(release), "")
    # Few outcomes carry a new release date: they are read whole and checked here.
    changed = (
        Outcome.objects.filter(kind__in=RELEASE_CHANGING, person__in=_held(user), **visible_q(user))
        .exclude(new_expected_release="")
        .order_by("date", "id")
        .values_list("person_id", "new_expected_release", "kind")
    )
    for pk, release, kind in changed:
        day = PartialDate.coerce(release)
        if day is not None and day.earliest <= until and day.latest >= on and len(rows) < MAX_ROWS:
            rows[pk] = (day, f" (after the {OutcomeKind(kind).label})")
    lines = person_lines(user, list(rows))
    alerts = [
        Alert(
            "release_due",
            f"{lines[pk].name}: release expected {day.display() if day else '?'}{why}",
            day,
            pk,
            lines[pk].name,
        )
        for pk, (day, why) in rows.items()
        if pk in lines
    ]
    return sorted(
        alerts, key=lambda a: (a.date.earliest if isinstance(a.date, PartialDate) else on, a.person_name)
    )


def _overdue(user: Reader, on: dt.date) -> list[Alert]:
    return [
        Alert(
            "overdue",
            f"{s.person.name}: {s.detail}, still held",
            s.person.expected_release,
            s.person.id,
            s.person.name,
        )
        for s in suggest_overdue(user, limit=MAX_ROWS, on=on)
    ]


def _unanswered_lists(user: Reader, on: dt.date, list_days: int) -> list[Alert]:
    cutoff = on - dt.timedelta(days=list_days)
    answered = Response.objects.filter(
        entry__prisoner_list=OuterRef("pk"), type__in=ANSWERED, **visible_q(user)
    )
    entries = _visible_entries(user).filter(prisoner_list=OuterRef("pk"))
    lists = (
        _visible_lists(user)
        .filter(status=ListStatus.HANDED_OVER, handed_over_end__lt=cutoff)
        .filter(Exists(entries))
        .exclude(Exists(answered))
        .select_related("interlocutor")
        .order_by("handed_over_start", "id")[:MAX_ROWS]
    )
    return [
        Alert(
            "unanswered_list",
            f"“{pl.title}” handed to {pl.interlocutor.name} on {pl.handed_over.display()}: no response yet",
            pl.handed_over,
            list_id=pl.pk,
        )
        for pl in lists
    ]


def _anniversaries(user: Reader, on: dt.date) -> list[Alert]:
    """Ongoing detentions, known to the day, that began on one of the seven days from ``on``."""
    week = [on + dt.timedelta(days=n) for n in range(7)]
    same_day = Q()
    for day in week:
        same_day |= Q(started_start__month=day.month, started_start__day=day.day)
    held = _without_hidden(_held(user), user, STATUS_FACTS)
    detentions = (
        Detention.objects.filter(same_day, **visible_q(user), ended="", started_start=F("started_end"))
        .filter(started_start__lt=on, person__in=held)
        .order_by("started_start", "id")
        .values_list("person_id", "started_start")[:MAX_ROWS]
    )
    rows = list(detentions)
    lines = person_lines(user, [pk for pk, _s in rows])
    alerts = []
    for pk, started in rows:
        if pk not in lines:
            continue
        day = next(d for d in week if (d.month, d.day) == (started.month, started.day))
        years = day.year - started.year
        if years < 1:
            continue
        alerts.append(
            Alert(
                "anniversary",
                f"{lines[pk].name}: {years} year{'s' if years != 1 else ''} in detention on {day:%d %b %Y}",
                day,
                pk,
                lines[pk].name,
            )
        )
    return sorted(alerts, key=lambda a: (a.date, a.person_name))


def dialogue_alerts(
    user: Reader, *, days: int = 30, list_days: int = 90, on: dt.date | None = None
) -> Alerts:
    """What needs attention on ``on`` (today): releases expected within ``days`` days, overdue
    releases, lists handed over more than ``list_days`` days ago with no answer on any entry, and
    anniversaries of detention in the coming seven days."""
    if days < 0 or list_days < 0:
        raise ValueError("days must not be negative")
    day = on or today()
    return Alerts(
        on=day,
        days=days,
        list_days=list_days,
        releases_due=_releases_due(user, day, days),
        overdue=_overdue(user, day),
        unanswered_lists=_unanswered_lists(user, day, list_days),
        anniversaries=_anniversaries(user, day),
    )

"""Statistics of the dialogue, as plain data the web page and the CLI render.

The counts Dui Hua publishes: lists handed over, prisoners asked about, prisoners on whom responses
were received, acts of clemency and the prisoners they concern; and the response rate by
interlocutor and year, and how long answers take. Only records the reader may see are counted, so
two readers may see different numbers, and neither learns of what they may not see.

Definitions (they matter when comparing with published figures):
- *asked*: an entry on a handed-over list (a person asked about twice counts twice);
  *persons asked*: distinct persons.
- *answered*: an entry with at least one response other than "no response".
- *response rate*: answered / asked, for the lists handed over in that year or to that interlocutor.
- *days to response*: from the first day the list's hand-over date can mean to the first day of the
  first answer's date, per answered entry; the median is reported.
- *acts of clemency*: outcomes of any kind (release, reduction, parole, better treatment...).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from habeas.accounts.selectors import visible_q
from habeas.dialogue.models import ANSWERED, ListStatus, Outcome, OutcomeKind, Response, ResponseType
from habeas.dialogue.selectors import Reader, _visible_entries, _visible_lists


@dataclass
class Rate:
    asked: int = 0
    answered: int = 0

    @property
    def rate(self) -> float | None:
        """Answered / asked, 0..1; None when nobody was asked."""
        return round(self.answered / self.asked, 4) if self.asked else None


@dataclass
class YearRow(Rate):
    year: int = 0
    lists_handed: int = 0
    outcomes: int = 0  # acts of clemency dated in that year
    persons_with_outcomes: int = 0


@dataclass
class InterlocutorRow(Rate):
    interlocutor_id: int = 0
    name: str = ""
    lists_handed: int = 0
    median_days: float | None = None


@dataclass
class InterlocutorYearRow(Rate):
    interlocutor_id: int = 0
    name: str = ""
    year: int = 0


@dataclass
class Stats:
    lists_handed: int = 0
    lists_draft: int = 0
    entries_asked: int = 0
    persons_asked: int = 0
    entries_answered: int = 0
    persons_answered: int = 0
    responses_received: int = 0  # response rows other than "no response"
    outcomes: int = 0
    persons_with_outcomes: int = 0
    median_days_to_response: float | None = None
    responses_by_type: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)
    outcomes_by_kind: list[tuple[str, str, int]] = field(default_factory=list)
    by_year: list[YearRow] = field(default_factory=list)  # oldest first
    by_interlocutor: list[InterlocutorRow] = field(default_factory=list)  # most asked first
    by_interlocutor_year: list[InterlocutorYearRow] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        return round(self.entries_answered / self.entries_asked, 4) if self.entries_asked else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, rates included (for ``habeas dialogue stats --format json``)."""
        data = asdict(self)
        data["response_rate"] = self.response_rate
        for key, rows in (
            ("by_year", self.by_year),
            ("by_interlocutor", self.by_interlocutor),
            ("by_interlocutor_year", self.by_interlocutor_year),
        ):
            for out, row in zip(data[key], rows, strict=True):
                out["rate"] = row.rate
        data["responses_by_type"] = [list(t) for t in self.responses_by_type]
        data["outcomes_by_kind"] = [list(t) for t in self.outcomes_by_kind]
        return data


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def dialogue_stats(user: Reader) -> Stats:
    """Every figure from what ``user`` may see: four queries."""
    stats = Stats()
    lists = list(
        _visible_lists(user).values_list(
            "pk", "status", "handed_over_start", "interlocutor_id", "interlocutor__name"
        )
    )
    handed = {
        pk: (start, ilk, name) for pk, status, start, ilk, name in lists if status == ListStatus.HANDED_OVER
    }
    stats.lists_handed = len(handed)
    stats.lists_draft = len(lists) - len(handed)
    entries = list(
        _visible_entries(user)
        .filter(prisoner_list_id__in=list(handed))
        .values_list("pk", "prisoner_list_id", "person_id")
    )
    entry_ids = [pk for pk, _l, _p in entries]
    responses = list(
        Response.objects.filter(entry_id__in=entry_ids, **visible_q(user))
        .order_by("received_start", "id")
        .values_list("entry_id", "type", "received_start")
    )
    first_answer: dict[int, Any] = {}
    by_type: Counter[str] = Counter()
    for entry_id, kind, received in responses:
        by_type[kind] += 1
        if kind in ANSWERED and entry_id not in first_answer:
            first_answer[entry_id] = received
    labels = dict(ResponseType.choices)
    stats.responses_by_type = [(t, str(labels[t]), by_type[t]) for t in ResponseType.values if by_type[t]]
    stats.responses_received = sum(n for t, n in by_type.items() if t in ANSWERED)

    years: dict[int, YearRow] = {}
    partners: dict[int, InterlocutorRow] = {}
    pairs: dict[tuple[int, int], InterlocutorYearRow] = {}
    partner_days: dict[int, list[int]] = defaultdict(list)
    all_days: list[int] = []
    for start, ilk, name in handed.values():
        if start is not None:
            years.setdefault(start.year, YearRow(year=start.year)).lists_handed += 1
        partners.setdefault(ilk, InterlocutorRow(interlocutor_id=ilk, name=name)).lists_handed += 1
    persons_asked, persons_answered = set(), set()
    for pk, list_id, person_id in entries:
        start, ilk, name = handed[list_id]
        answered = pk in first_answer
        rows: list[Rate] = [partners[ilk]]
        if start is not None:
            rows.append(years.setdefault(start.year, YearRow(year=start.year)))
            rows.append(
                pairs.setdefault(
                    (ilk, start.year), InterlocutorYearRow(interlocutor_id=ilk, name=name, year=start.year)
                )
            )
        for row in rows:
            row.asked += 1
            row.answered += answered
        persons_asked.add(person_id)
        if answered:
            persons_answered.add(person_id)
            received = first_answer[pk]
            if start is not None and received is not None and received >= start:
                days = (received - start).days
                all_days.append(days)
                partner_days[ilk].append(days)
    stats.entries_asked, stats.entries_answered = len(entries), len(first_answer)
    stats.persons_asked, stats.persons_answered = len(persons_asked), len(persons_answered)
    stats.median_days_to_response = _median(all_days)
    for ilk, row in partners.items():
        row.median_days = _median(partner_days.get(ilk, []))

    outcomes = list(
        Outcome.objects.filter(
            **visible_q(user), **visible_q(user, "person__"), person__merged_into__isnull=True
        ).values_list("kind", "person_id", "date_start")
    )
    stats.outcomes = len(outcomes)
    stats.persons_with_outcomes = len({person for _k, person, _d in outcomes})
    kinds = Counter(kind for kind, _p, _d in outcomes)
    kind_labels = dict(OutcomeKind.choices)
    stats.outcomes_by_kind = [(k, str(kind_labels[k]), kinds[k]) for k in OutcomeKind.values if kinds[k]]
    persons_by_year: dict[int, set[int]] = defaultdict(set)
    for _kind, person, day in outcomes:
        if day is not None:
            years.setdefault(day.year, YearRow(year=day.year)).outcomes += 1
            persons_by_year[day.year].add(person)
    for year, persons in persons_by_year.items():
        years[year].persons_with_outcomes = len(persons)

    stats.by_year = [years[y] for y in sorted(years)]
    stats.by_interlocutor = sorted(partners.values(), key=lambda r: (-r.asked, r.name))
    stats.by_interlocutor_year = sorted(pairs.values(), key=lambda r: (r.name, r.year))
    return stats


def stats_text(stats: Stats) -> str:
    """The figures as a few lines of plain text (the CLI's default output)."""

    def pct(rate: float | None) -> str:
        return f"{rate * 100:.0f}%" if rate is not None else "-"

    lines = [
        f"Lists handed over: {stats.lists_handed} (drafts: {stats.lists_draft})",
        f"Persons asked about: {stats.persons_asked} ({stats.entries_asked} entries)",
        f"Responses received: {stats.responses_received}, on {stats.persons_answered} persons; "
        f"response rate {pct(stats.response_rate)}",
        f"Acts of clemency or better treatment: {stats.outcomes} for {stats.persons_with_outcomes} persons",
        "Median days from list to response: "
        + (f"{stats.median_days_to_response:.0f}" if stats.median_days_to_response is not None else "-"),
    ]
    if stats.by_year:
        lines += ["", "year  lists  asked  answered  rate  outcomes"]
        lines += [
            f"{r.year}  {r.lists_handed:5}  {r.asked:5}  {r.answered:8}  {pct(r.rate):>4}  {r.outcomes:8}"
            for r in stats.by_year
        ]
    if stats.by_interlocutor:
        lines += ["", "interlocutor: lists, asked, answered, rate, median days"]
        lines += [
            f"{r.name}: {r.lists_handed}, {r.asked}, {r.answered}, {pct(r.rate)}, "
            + (f"{r.median_days:.0f}" if r.median_days is not None else "-")
            for r in stats.by_interlocutor
        ]
    return "\n".join(lines)

"""Keep the derived columns of Person (display name, current status, expected release) in step.

They are stored so lists can filter and sort by them at scale, but only this module writes them,
from the facts, in a fixed number of queries for any number of persons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from habeas.dossiers.models import (
    Detention,
    Person,
    PersonName,
    Sentence,
    SentenceChange,
    StatusChange,
)
from habeas.dossiers.rules import ChangeTerms, current_status, expected_release
from habeas.lib.dates import PartialDate

CHUNK = 900  # stays under SQLite's bound-parameter limit


def _display_name(names: Sequence[tuple[int, str, str, str]]) -> str:
    """Prefer a main name in Latin script, then any main name, then the first name recorded."""
    ordered = sorted(names)
    for _, text, kind, script in ordered:
        if kind == "main" and script == "Latn":
            return text
    for _, text, kind, _script in ordered:
        if kind == "main":
            return text
    return ordered[0][1] if ordered else ""


def person_refresh(person_ids: Iterable[int]) -> None:
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK])


def _refresh_chunk(ids: list[int]) -> None:
    names: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    for pk, person_id, text, kind, script in PersonName.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "text", "kind", "script"
    ):
        names[person_id].append((pk, text, kind, script))

    statuses: dict[int, list[tuple[PartialDate | None, int, str]]] = defaultdict(list)
    for pk, person_id, date, status in StatusChange.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "date", "status"
    ):
        statuses[person_id].append((date, pk, status))

    # The operative sentence: the last pronounced in the person's latest detention.
    latest_detention: dict[int, tuple[str, int, PartialDate | None]] = {}
    for pk, person_id, started in Detention.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "started"
    ):
        key = (started.isoformat() if started else "", pk, started)
        if person_id not in latest_detention or key[:2] > latest_detention[person_id][:2]:
            latest_detention[person_id] = key
    detention_ids = {v[1]: pid for pid, v in latest_detention.items()}
    operative: dict[int, tuple[str, int, dict]] = {}
    for row in Sentence.objects.filter(detention_id__in=list(detention_ids)).values(
        "pk", "detention_id", "kind", "term_months", "term_days", "term_starts", "pronounced"
    ):
        person_id = detention_ids[row["detention_id"]]
        key = (row["pronounced"].isoformat() if row["pronounced"] else "", row["pk"], row)
        if person_id not in operative or key[:2] > operative[person_id][:2]:
            operative[person_id] = key
    changes: dict[int, list[ChangeTerms]] = defaultdict(list)
    sentence_ids = [v[1] for v in operative.values()]
    for row in SentenceChange.objects.filter(sentence_id__in=sentence_ids).values(
        "sentence_id", "kind", "date", "months", "days", "new_kind", "new_term_months"
    ):
        changes[row.pop("sentence_id")].append(ChangeTerms(**row))

    people = list(Person.objects.filter(pk__in=ids).only("pk"))
    for person in people:
        status, status_date = current_status(statuses.get(person.pk, []))
        person.display_name = _display_name(names.get(person.pk, []))[:300]
        person.current_status = status
        person.status_date = status_date
        window = None
        if person.pk in operative:
            row = operative[person.pk][2]
            detention_start = latest_detention[person.pk][2]
            window = expected_release(
                kind=row["kind"],
                term_months=row["term_months"],
                term_days=row["term_days"],
                term_starts=row["term_starts"] or detention_start,
                changes=changes.get(row["pk"], []),
            )
        person.expected_release = window.as_partial() if window else None
        person.expected_release_earliest = window.earliest if window else None
        person.expected_release_latest = window.latest if window else None
    Person.objects.bulk_update(
        people,
        [
            "display_name",
            "current_status",
            "status_date",
            "expected_release",
            "expected_release_earliest",
            "expected_release_latest",
        ],
        batch_size=500,
    )

"""Keep the derived columns of Person (display name, current status, expected release) in step.

They are stored so lists can filter and sort by them at scale, but only this module writes them,
from the facts, in a fixed number of queries for any number of persons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, cast

from habeas.dossiers.models import (
    Detention,
    Person,
    PersonName,
    Sentence,
    SentenceChange,
    StatusChange,
)
from habeas.dossiers.rules import ChangeTerms, ReleaseWindow, current_status, expected_release
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


def operative_release(
    detentions: Sequence[tuple[PartialDate | None, int]],
    sentences: Sequence[dict[str, Any]],
    changes: dict[int, list[ChangeTerms]],
) -> ReleaseWindow | None:
    """Expected release from the last sentence pronounced in the person's latest detention.

    ``detentions``: (started, order); ``sentences``: dicts with detention_order, order, kind,
    term_months, term_days, term_starts, pronounced; ``changes`` by sentence order.
    """
    if not detentions:
        return None
    started, latest = max(detentions, key=lambda d: (d[0].isoformat() if d[0] else "", d[1]))
    candidates = [s for s in sentences if s["detention_order"] == latest]
    if not candidates:
        return None
    row = max(candidates, key=lambda s: (s["pronounced"].isoformat() if s["pronounced"] else "", s["order"]))
    return expected_release(
        kind=row["kind"],
        term_months=row["term_months"],
        term_days=row["term_days"],
        term_starts=row["term_starts"] or started,
        changes=changes.get(row["order"], []),
    )


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

    # The stubs type a PartialDateField's values as str; from_db_value gives PartialDate (or None).
    statuses: dict[int, list[tuple[PartialDate | None, int, str]]] = defaultdict(list)
    for pk, person_id, date, status in StatusChange.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "date", "status"
    ):
        statuses[person_id].append((cast(PartialDate | None, date), pk, status))

    detentions: dict[int, list[tuple[PartialDate | None, int]]] = defaultdict(list)
    detention_person: dict[int, int] = {}
    for pk, person_id, started in Detention.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "started"
    ):
        detentions[person_id].append((cast(PartialDate | None, started), pk))
        detention_person[pk] = person_id
    sentences: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Sentence.objects.filter(detention__person_id__in=ids).values(
        "pk", "detention_id", "kind", "term_months", "term_days", "term_starts", "pronounced"
    ):
        sentence: dict[str, Any] = dict(row)
        sentence["order"] = sentence.pop("pk")
        sentence["detention_order"] = sentence.pop("detention_id")
        sentences[detention_person[sentence["detention_order"]]].append(sentence)
    changes: dict[int, list[ChangeTerms]] = defaultdict(list)
    for change in SentenceChange.objects.filter(sentence__detention__person_id__in=ids).values(
        "sentence_id", "kind", "date", "months", "days", "new_kind", "new_term_months"
    ):
        terms: dict[str, Any] = dict(change)
        changes[terms.pop("sentence_id")].append(ChangeTerms(**terms))

    people = list(Person.objects.filter(pk__in=ids).only("pk"))
    for person in people:
        status, status_date = current_status(statuses.get(person.pk, []))
        person.display_name = _display_name(names.get(person.pk, []))[:300]
        person.current_status = status
        person.status_date = status_date
        window = operative_release(detentions.get(person.pk, []), sentences.get(person.pk, []), changes)
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

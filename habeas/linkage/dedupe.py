"""``habeas dedupe``: the whole database through the engine, candidate pairs stored.

Persons (or places) are read in chunks of primary keys, each chunk with one query per kind of fact, and
turned into engine rows; the engine (DuckDB in memory, or Spark) blocks, scores and clusters; the pairs
at or above the threshold stream back in batches and are upserted (``services.pairs_store``). Memory on
the Python side is bounded by the chunk and batch sizes; the engine holds the columnar table (about 1 KB
a person) and spills to disk past its memory limit.

Every fact is read whatever its level (this is the administrator's batch); a pair's level is the highest
level of anything its two records were built from, so the review queue never shows evidence a reader
may not see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from habeas.linkage import engine
from habeas.linkage.models import Origin, PersonPair, PlacePair
from habeas.linkage.records import PersonRecord, PlaceRecord, person_row, place_row
from habeas.linkage.services import ScoredPair, StoreCounts, decided_pairs, pairs_store

Progress = Callable[[int], Any]


@dataclass
class DedupeReport:
    kind: str
    records: int = 0
    pairs_scored: int = 0
    clusters: int = 0
    records_in_clusters: int = 0
    stored: StoreCounts = field(default_factory=StoreCounts)
    threshold: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.kind}: {self.records:,} records, {self.pairs_scored:,} candidate pairs at or above "
            f"{self.threshold:g}; {self.stored.created:,} new, {self.stored.rescored:,} re-scored, "
            f"{self.stored.skipped_decided:,} already decided left as they were; "
            f"{self.clusters:,} clusters of two or more holding {self.records_in_clusters:,} records"
        )


# -- reading the database -----------------------------------------------------------------------------
def _year(day: Any, last: Any) -> int | None:
    """The year of a partial date, when its bounds fall in one year."""
    if day is None or last is None or day.year != last.year:
        return None
    return int(day.year)


def person_records(*, ids: list[int] | None = None, chunk_size: int = 5000) -> Iterator[PersonRecord]:
    """Every active person (not merged into another), or those of ``ids``, as the engine's record,
    one chunk of primary keys at a time."""
    from habeas.dossiers.models import Affiliation, Charge, Detention, ExternalId, Person, PersonName

    active = Person.objects.filter(merged_into__isnull=True)
    if ids is not None:
        active = active.filter(id__in=ids)
    ids = list(active.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        low, high = chunk[0], chunk[-1]
        level: dict[int, int] = {}
        records: dict[int, PersonRecord] = {}
        for pid, sex, b0, b1, ethnicity, province, conf in (
            Person.objects.filter(id__in=chunk)
            .values_list(
                "id",
                "sex",
                "birth_date_start",
                "birth_date_end",
                "ethnicity",
                "residence_province",
                "confidentiality",
            )
            .iterator(chunk_size=2000)
        ):
            records[pid] = PersonRecord(
                id=pid,
                names=[],
                birth_year=_year(b0, b1),
                sex=sex,
                ethnicity=ethnicity,
                province=province,
            )
            level[pid] = conf

        def raise_level(pid: int, conf: int, level: dict[int, int] = level) -> None:
            if pid in level and conf > level[pid]:
                level[pid] = conf

        for pid, text, conf in PersonName.objects.filter(person_id__gte=low, person_id__lte=high).values_list(
            "person_id", "text", "confidentiality"
        ):
            if pid in records:
                records[pid].names.append(text)
                raise_level(pid, conf)
        first_detention: dict[int, Any] = {}
        for pid, s0, s1, place, conf in (
            Detention.objects.filter(person_id__gte=low, person_id__lte=high)
            .values_list("person_id", "started_start", "started_end", "place__name", "confidentiality")
            .order_by("person_id", "started_start")
        ):
            if pid not in records:
                continue
            rec = records[pid]
            if place:
                rec.places.append(place)
            if s0 is not None and pid not in first_detention:
                first_detention[pid] = s0
                rec.detention_year = _year(s0, s1)
                if s1 is not None and (s0.year, s0.month) == (s1.year, s1.month):
                    rec.detention_month = s0.month
            raise_level(pid, conf)
        for pid, article, text, conf in Charge.objects.filter(
            detention__person_id__gte=low, detention__person_id__lte=high
        ).values_list("detention__person_id", "article", "text", "confidentiality"):
            if pid in records and (article or text):
                records[pid].charges.append(f"art {article}" if article else text)
                raise_level(pid, conf)
        for pid, org, conf in Affiliation.objects.filter(person_id__gte=low, person_id__lte=high).values_list(
            "person_id", "organisation__name", "confidentiality"
        ):
            if pid in records:
                records[pid].affiliations.append(org)
                raise_level(pid, conf)
        # The person's numbers in other databases (no level of their own: they say which records a
        # source keeps apart, not what it says of the person).
        for pid, scheme, value in ExternalId.objects.filter(
            person_id__gte=low, person_id__lte=high
        ).values_list("person_id", "scheme", "value"):
            if pid in records:
                records[pid].source_ids.append(f"{scheme}:{value}")
        for pid, rec in records.items():
            rec.confidentiality = level[pid]
            yield rec


def place_records(*, chunk_size: int = 5000) -> Iterator[PlaceRecord]:
    from habeas.places.models import Place, PlaceName

    ids = list(Place.objects.filter(merged_into__isnull=True).order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        records: dict[int, PlaceRecord] = {}
        for pid, name, province, kind, lat, lon, conf in Place.objects.filter(
            id__gte=chunk[0], id__lte=chunk[-1], merged_into__isnull=True
        ).values_list("id", "name", "province", "kind", "latitude", "longitude", "confidentiality"):
            records[pid] = PlaceRecord(
                id=pid,
                names=[name],
                province=province,
                kind=kind,
                latitude=float(lat) if lat is not None else None,
                longitude=float(lon) if lon is not None else None,
                confidentiality=conf,
            )
        for pid, text in PlaceName.objects.filter(
            place_id__gte=chunk[0], place_id__lte=chunk[-1]
        ).values_list("place_id", "text"):
            if pid in records and text not in records[pid].names:
                records[pid].names.append(text)
        yield from records.values()


# -- the run ------------------------------------------------------------------------------------------
def _dedupe(
    kind: engine.Kind,
    records: Iterator[Any],
    to_row: Callable[[Any], dict[str, Any]],
    model: type[PersonPair] | type[PlacePair],
    *,
    threshold: float,
    progress: Progress | None,
    db_api: Any = None,
    batch_size: int = 5000,
) -> DedupeReport:
    report = DedupeReport(kind=kind, threshold=threshold)
    levels: dict[int, int] = {}
    batches = []
    rows: list[dict[str, Any]] = []
    for record in records:
        levels[record.id] = record.confidentiality
        rows.append(to_row(record))
        if len(rows) >= 10_000:
            batches.append(engine.to_table(kind, rows))
            rows = []
        if progress:
            progress(1)
    batches.append(engine.to_table(kind, rows))
    import pyarrow as pa

    table = pa.concat_tables(batches)
    report.records = table.num_rows
    if report.records < 2:
        return report
    linkage = engine.run(kind, table, threshold=threshold, db_api=db_api)
    decided = decided_pairs(model)
    batch: list[ScoredPair] = []
    for prediction in linkage.pairs():
        report.pairs_scored += 1
        batch.append(
            ScoredPair(
                a=prediction.left,
                b=prediction.right,
                score=prediction.score,
                match_weight=prediction.match_weight,
                evidence=prediction.evidence,
                confidentiality=max(levels.get(prediction.left, 1), levels.get(prediction.right, 1)),
            )
        )
        if len(batch) >= batch_size:
            report.stored.add(pairs_store(model, batch, decided=decided, origin=Origin.DEDUPE))
            batch = []
    report.stored.add(pairs_store(model, batch, decided=decided, origin=Origin.DEDUPE))
    sizes: dict[int, int] = defaultdict(int)
    for cluster in linkage.clusters(threshold).values():
        sizes[cluster] += 1
    report.clusters = sum(1 for size in sizes.values() if size > 1)
    report.records_in_clusters = sum(size for size in sizes.values() if size > 1)
    return report


def dedupe_persons(
    *, threshold: float | None = None, progress: Progress | None = None, db_api: Any = None
) -> DedupeReport:
    """Score every pair of persons the blocking rules propose; store those at or above ``threshold``
    (default: the admin's review threshold) as candidate pairs."""
    from habeas.linkage.models import LinkageSettings

    if threshold is None:
        threshold = LinkageSettings.current().person_review
    _check_threshold(threshold)
    return _dedupe(
        "persons",
        person_records(),
        person_row,
        PersonPair,
        threshold=threshold,
        progress=progress,
        db_api=db_api,
    )


def dedupe_places(
    *, threshold: float | None = None, progress: Progress | None = None, db_api: Any = None
) -> DedupeReport:
    """As ``dedupe_persons``, for places of detention."""
    from habeas.linkage.models import LinkageSettings

    if threshold is None:
        threshold = LinkageSettings.current().place_review
    _check_threshold(threshold)
    return _dedupe(
        "places", place_records(), place_row, PlacePair, threshold=threshold, progress=progress, db_api=db_api
    )


def _check_threshold(threshold: float) -> None:
    from django.core.exceptions import ValidationError

    if not 0.0 < threshold <= 1.0:
        raise ValidationError(f"threshold must be above 0 and at most 1, not {threshold}")

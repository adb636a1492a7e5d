"""The engine behind ``dossiers_bulk_create``: plain multi-row INSERTs with ids reserved up front.

The ORM's bulk_create builds a model instance per row and cannot hand back ids on every backend
for every table; at 100,000 persons with ~30 rows each that costs more than the database does.
Here each batch computes every row as a tuple of database-ready values, ids come from a
reservation made before the INSERTs (a sequence on PostgreSQL, the write lock plus MAX(id) on
SQLite), and derived Person columns are computed from the bundle instead of read back.
"""

from __future__ import annotations

import datetime as dt
import operator
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import chain
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from habeas.audit.models import Action, History
from habeas.dossiers import models as m
from habeas.dossiers.bulk import BulkResult, DateIn, PersonIn, PlaceIn, Span, batched
from habeas.dossiers.derive import _display_name, operative_release
from habeas.dossiers.rules import ChangeTerms, current_status
from habeas.lib.dates import PartialDate
from habeas.lib.names import detect_script, fold, name_keys
from habeas.places.models import Place, PlaceKind, PlaceName
from habeas.sources.models import Citation, Source, content_hash
from habeas.sources.services import OFFICIAL_KINDS


def _choice(value: str, choices: type[models.Choices], what: str) -> str:
    """Vocabulary columns are plain text in the database: refuse a value outside the vocabulary."""
    if value not in _vocabulary(choices):
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(map(str, choices.values))}")
    return value


@cache
def _vocabulary(choices: type[models.Choices]) -> frozenset[str]:
    # Choices.values is rebuilt on every access; at millions of rows that is most of the time.
    return frozenset(choices.values)


def _date(value: DateIn) -> PartialDate | None:
    return PartialDate.coerce(value)


def _iso(value: PartialDate | None) -> str:
    return value.isoformat() if value else ""


def _day(value: dt.date | None) -> Any:
    return connection.ops.adapt_datefield_value(value) if value else None


class _Table:
    """INSERTs for one model: column order, defaults, and id reservation."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.defaults: dict[str, Any] = {}
        for field in self.fields:
            # get_default() also gives "" for text columns that are NOT NULL without a default.
            default = field.get_default()
            self.defaults[field.attname] = (
                None if default is None else field.get_db_prep_save(default, connection)
            )
        self.sql = {with_id: self._sql(with_id) for with_id in (True, False)}
        # Rows per statement, kept under SQLite's 32,766 bound-parameter limit.
        self.rows_per_statement = max(1, min(500, 30000 // len(self.columns)))
        self.next_id: int | None = None

    def reserve(self, count: int) -> list[int]:
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: our transaction holds the write lock from the first reservation to the commit,
            # so the ids above the highest ever used are ours; later reservations count on from there.
            if self.next_id is None:
                table = connection.ops.quote_name(self.table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
                top = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cursor.fetchone()
                self.next_id = max(top, row[0] if row else 0) + 1
        first, self.next_id = self.next_id, self.next_id + count
        return list(range(first, first + count))

    def _sql(self, with_id: bool) -> tuple[list[str], str, str]:
        """Columns, INSERT prefix and one row's placeholders; without the id, the database numbers."""
        quote = connection.ops.quote_name
        fields = [f for f in self.fields if with_id or not f.primary_key]
        cols = ", ".join(quote(f.column) for f in fields)
        return (
            [f.attname for f in fields],
            f"INSERT INTO {quote(self.table)} ({cols}) VALUES ",  # noqa: S608 (names from model metadata)
            "(" + ", ".join(["%s"] * len(fields)) + ")",
        )

    def insert(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        attnames, _, _ = self.sql["id" in rows[0]]
        defaults = self.defaults
        # Merging into the defaults and picking with itemgetter keeps the per-row work in C.
        pick = operator.itemgetter(*attnames)
        self.insert_values([pick({**defaults, **row}) for row in rows], with_id="id" in rows[0])

    def insert_values(self, values: list[tuple], *, with_id: bool) -> None:
        """Rows as tuples in the order of the model's concrete fields (without the id if not with_id)."""
        if not values:
            return
        attnames, prefix, placeholders = self.sql[with_id]
        if connection.vendor == "postgresql":
            self._copy(attnames, values)
            return
        step = self.rows_per_statement
        # The driver's own cursor with "?" placeholders: Django's wrapper would rewrite every
        # statement's "%s" with a regular expression, a measurable cost at thousands of rows.
        placeholders = placeholders.replace("%s", "?")
        with connection.cursor() as cursor:
            for start in range(0, len(values), step):
                chunk = values[start : start + step]
                sql = prefix + ", ".join([placeholders] * len(chunk))
                sqlite3.Cursor.execute(cursor.cursor, sql, list(chain.from_iterable(chunk)))

    def _copy(self, attnames: list[str], values: list[tuple]) -> None:
        """PostgreSQL's COPY: an order of magnitude faster than INSERTs with thousands of parameters."""
        quote = connection.ops.quote_name
        columns = {f.attname: f.column for f in self.fields}
        cols = ", ".join(quote(columns[a]) for a in attnames)
        sql = f"COPY {quote(self.table)} ({cols}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)


class _Writer:
    def __init__(self, *, by: Any, note: str) -> None:
        self.user_id = by.pk if getattr(by, "pk", None) else None
        self.note = note[:500]
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.tables: dict[type[models.Model], _Table] = {}
        self.places: dict[tuple[str, str], int] | None = None
        self.organisations: dict[str, int] | None = None
        self.content_types: dict[type[models.Model], int] = {}
        self.result = BulkResult()

    def table(self, model: type[models.Model]) -> _Table:
        if model not in self.tables:
            self.tables[model] = _Table(model)
        return self.tables[model]

    def content_type(self, model: type[models.Model]) -> int:
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(model).pk
        return self.content_types[model]

    # -- shared lookups ----------------------------------------------------------------------------
    def place_id(self, place: PlaceIn, new_places: list[dict], new_names: list[dict]) -> int:
        if self.places is None:
            self.places = {
                (fold(name), fold(province)): pk
                for pk, name, province in Place.objects.values_list("pk", "name", "province")
            }
            for place_pk, text, province in PlaceName.objects.values_list(
                "place_id", "text", "place__province"
            ):
                self.places.setdefault((fold(text), fold(province)), place_pk)
        key = (fold(place.name), fold(place.province))
        if key in self.places:
            return self.places[key]
        (pk,) = self.table(Place).reserve(1)
        new_places.append(
            {
                "id": pk,
                "name": place.name[:300],
                "kind": _choice(place.kind, PlaceKind, "place kind"),
                "country": place.country,
                "province": place.province,
                "prefecture": place.prefecture,
                "county": place.county,
                "created_at": self.now,
                "created_by_id": self.user_id,
                "confidentiality": 0,
            }
        )
        for text in [place.name, *place.other_names]:
            if text and not any(n["place_id"] == pk and n["text"] == text for n in new_names):
                new_names.append(
                    {
                        "place_id": pk,
                        "text": text[:300],
                        "script": detect_script(text),
                        "key": fold(text)[:300],
                    }
                )
        self.places[key] = pk
        for other in place.other_names:
            self.places.setdefault((fold(other), fold(place.province)), pk)
        return pk

    def organisation_id(self, name: str) -> int:
        if self.organisations is None:
            self.organisations = dict(m.Organisation.objects.values_list("name", "pk"))
        name = " ".join(name.split())[:300]
        if name not in self.organisations:
            self.organisations[name] = m.Organisation.objects.create(name=name).pk
        return self.organisations[name]

    # -- one batch ---------------------------------------------------------------------------------
    def write(self, bundles: list[PersonIn]) -> None:
        # Sources: stored once per content hash, in the database or earlier in this batch.
        hashes = [content_hash(b.source.text) for b in bundles]
        existing = dict(Source.objects.filter(content_hash__in=set(hashes)).values_list("content_hash", "pk"))
        reused = set(existing.values())
        source_rows: list[dict] = []
        for bundle, digest in zip(bundles, hashes, strict=True):
            if digest in existing:
                continue
            src = bundle.source
            existing[digest] = -1 - len(source_rows)  # placeholder until ids are reserved
            source_rows.append(
                {
                    "title": (src.title.strip() or "(untitled)")[:500],
                    "publisher": src.publisher[:300],
                    "url": src.url[:2000],
                    "published": _iso(_date(src.published)),
                    "language": src.language[:20],
                    "kind": src.kind,
                    "official": src.kind in OFFICIAL_KINDS if src.official is None else src.official,
                    "reliability": src.reliability,
                    "text": src.text,
                    "content_hash": digest,
                    "external_ref": src.external_ref[:200],
                    "confidentiality": src.confidentiality,
                    "created_at": self.now,
                    "created_by_id": self.user_id,
                }
            )
        for row, pk in zip(source_rows, self.table(Source).reserve(len(source_rows)), strict=True):
            existing[row["content_hash"]] = pk
            row["id"] = pk
        source_ids = [existing[h] for h in hashes]

        # Citations: one per (source, span), shared by the facts that cite it.
        citations: dict[tuple[int, int, int], int] = {}
        if reused:
            for pk, source_id, start, end in Citation.objects.filter(source_id__in=reused).values_list(
                "pk", "source_id", "start", "end"
            ):
                citations[(source_id, start, end)] = pk
        citation_rows: list[dict] = []
        texts = {sid: b.source.text for sid, b in zip(source_ids, bundles, strict=True)}

        def cite(source_id: int, span: Span | None) -> tuple[int, int, int]:
            text = texts[source_id]
            start, end = span if span else (0, len(text))
            if not (0 <= start < end <= len(text)):
                raise ValueError(f"span {start}:{end} is outside the source text ({len(text)} characters)")
            key = (source_id, start, end)
            if key not in citations:
                citations[key] = 0
                citation_rows.append(
                    {
                        "source_id": source_id,
                        "start": start,
                        "end": end,
                        "quote": text[start:end],
                        "created_at": self.now,
                        "created_by_id": self.user_id,
                    }
                )
            return key

        rows: dict[type[models.Model], list[dict]] = defaultdict(list)
        pending_cites: list[tuple[dict, tuple[int, int, int]]] = []
        new_places: list[dict] = []
        new_place_names: list[dict] = []
        name_key_rows: list[dict] = []
        ext_rows: list[dict] = []

        def fact(model: type[models.Model], row: dict, source_id: int, span: Span | None, level: int) -> dict:
            row.setdefault("confidentiality", level)
            row["created_at"] = self.now
            row["created_by_id"] = self.user_id
            pending_cites.append((row, cite(source_id, span)))
            rows[model].append(row)
            return row

        person_ids = self.table(m.Person).reserve(len(bundles))
        for bundle, source_id, person_id in zip(bundles, source_ids, person_ids, strict=True):
            level = bundle.confidentiality
            names: list[tuple[int, str, str, str]] = []
            seen_names: set[tuple[str, str]] = set()
            name_rows: list[dict] = []
            for order, name in enumerate(bundle.names):
                text = " ".join(name.text.split())[:300]
                if not text or (text, name.kind) in seen_names:
                    continue
                seen_names.add((text, name.kind))
                script = detect_script(text) if name.script is None else name.script
                names.append((order, text, name.kind, script))
                name_rows.append(
                    fact(
                        m.PersonName,
                        {
                            "person_id": person_id,
                            "text": text,
                            "kind": _choice(name.kind, m.NameKind, "name kind"),
                            "script": script,
                            "scheme": _choice(name.scheme, m.RomanisationScheme, "romanisation scheme"),
                            "language": name.language,
                        },
                        source_id,
                        name.span,
                        level,
                    )
                )
            detentions: list[tuple[PartialDate | None, int]] = []
            sentences: list[dict] = []
            changes: dict[int, list[ChangeTerms]] = defaultdict(list)
            detention_rows: list[dict] = []
            for d_index, det in enumerate(bundle.detentions):
                started = _date(det.started)
                detentions.append((started, d_index))
                place_id = self.place_id(det.place, new_places, new_place_names) if det.place else None
                det_row = fact(
                    m.Detention,
                    {
                        "person_id": person_id,
                        "started": _iso(started),
                        **_bounds("started", started),
                        **_bounds("ended", _date(det.ended), iso=True),
                        "measure": _choice(det.measure, m.Measure, "detention measure"),
                        "age_at_start": det.age_at_start,
                        "place_id": place_id,
                        "notes": det.notes,
                    },
                    source_id,
                    det.span,
                    level,
                )
                detention_rows.append(det_row)
                for custody in det.custody:
                    fact(
                        m.CustodyPeriod,
                        {
                            "detention_id": det_row,
                            "place_id": self.place_id(custody.place, new_places, new_place_names),
                            "started": _iso(_date(custody.started)),
                            "ended": _iso(_date(custody.ended)),
                        },
                        source_id,
                        custody.span,
                        level,
                    )
                for step in det.legal_steps:
                    fact(
                        m.LegalStep,
                        {
                            "detention_id": det_row,
                            "kind": _choice(step.kind, m.LegalStepKind, "legal step"),
                            "date": _iso(_date(step.date)),
                            "court": step.court[:300],
                            "outcome": step.outcome[:500],
                            "uncertain": step.uncertain,
                        },
                        source_id,
                        step.span,
                        level,
                    )
                for charge in det.charges:
                    fact(
                        m.Charge,
                        {
                            "detention_id": det_row,
                            "text": charge.text[:500],
                            "statute": charge.statute[:100],
                            "article": charge.article[:30],
                        },
                        source_id,
                        charge.span,
                        level,
                    )
                for sentence in det.sentences:
                    order = len(sentences)
                    pronounced, term_starts = _date(sentence.pronounced), _date(sentence.term_starts)
                    sentences.append(
                        {
                            "detention_order": d_index,
                            "order": order,
                            "kind": _choice(sentence.kind, m.SentenceKind, "sentence kind"),
                            "term_months": sentence.term_months,
                            "term_days": sentence.term_days,
                            "term_starts": term_starts,
                            "pronounced": pronounced,
                        }
                    )
                    s_row = fact(
                        m.Sentence,
                        {
                            "detention_id": det_row,
                            "kind": sentence.kind,
                            "term_months": sentence.term_months,
                            "term_days": sentence.term_days,
                            "probation_months": sentence.probation_months,
                            "political_rights_months": sentence.political_rights_months,
                            "political_rights_life": sentence.political_rights_life,
                            "pronounced": _iso(pronounced),
                            "court": sentence.court[:300],
                            "term_starts": _iso(term_starts),
                        },
                        source_id,
                        sentence.span,
                        level,
                    )
                    for change in sentence.changes:
                        date = _date(change.date)
                        changes[order].append(
                            ChangeTerms(
                                change.kind,
                                date,
                                change.months,
                                change.days,
                                change.new_kind,
                                change.new_term_months,
                            )
                        )
                        fact(
                            m.SentenceChange,
                            {
                                "sentence_id": s_row,
                                "kind": _choice(change.kind, m.SentenceChangeKind, "sentence change"),
                                "date": _iso(date),
                                "months": change.months,
                                "days": change.days,
                                "new_kind": change.new_kind
                                and _choice(change.new_kind, m.SentenceKind, "sentence kind"),
                                "new_term_months": change.new_term_months,
                                "note": change.note[:500],
                            },
                            source_id,
                            change.span,
                            level,
                        )
            statuses: list[tuple[PartialDate | None, int, str]] = []
            for order, status in enumerate(bundle.statuses):
                date = _date(status.date)
                statuses.append((date, order, status.status))
                fact(
                    m.StatusChange,
                    {
                        "person_id": person_id,
                        "detention_id": detention_rows[status.detention]
                        if status.detention is not None
                        else None,
                        "status": _choice(status.status, m.Status, "status"),
                        "date": _iso(date),
                        **_bounds("date", date),
                        "uncertain": status.uncertain,
                        "note": status.note[:500],
                    },
                    source_id,
                    status.span,
                    level,
                )
            for note in bundle.health:
                fact(
                    m.HealthNote,
                    {
                        "person_id": person_id,
                        "date": _iso(_date(note.date)),
                        "condition": note.condition[:300],
                        "note": note.note,
                    },
                    source_id,
                    note.span,
                    level,
                )
            for allegation in bundle.allegations:
                fact(
                    m.Allegation,
                    {
                        "person_id": person_id,
                        "detention_id": (
                            detention_rows[allegation.detention] if allegation.detention is not None else None
                        ),
                        "kind": _choice(allegation.kind, m.AllegationKind, "allegation kind"),
                        "wgad_category": allegation.wgad_category,
                        "date": _iso(_date(allegation.date)),
                        "description": allegation.description,
                    },
                    source_id,
                    allegation.span,
                    level,
                )
            for affiliation in bundle.affiliations:
                fact(
                    m.Affiliation,
                    {
                        "person_id": person_id,
                        "organisation_id": self.organisation_id(affiliation.organisation),
                        "role": affiliation.role[:200],
                        "started": _iso(_date(affiliation.started)),
                        "ended": _iso(_date(affiliation.ended)),
                    },
                    source_id,
                    affiliation.span,
                    level,
                )
            for ext in bundle.external_ids:
                ext_rows.append(
                    {
                        "person_id": person_id,
                        "scheme": ext.scheme,
                        "value": ext.value,
                        "fingerprint": ext.fingerprint,
                    }
                )

            status, status_date = current_status(statuses)
            window = operative_release(detentions, sentences, changes)
            birth = _date(bundle.birth_date)
            fact(
                m.Person,
                {
                    "id": person_id,
                    "sex": _choice(bundle.sex, m.Sex, "sex"),
                    "birth_date": _iso(birth),
                    **_bounds("birth_date", birth),
                    "ethnicity": bundle.ethnicity[:100],
                    "religion": bundle.religion[:100],
                    "occupation": bundle.occupation[:200],
                    "residence_country": bundle.residence_country,
                    "residence_province": bundle.residence_province[:120],
                    "residence_prefecture": bundle.residence_prefecture[:120],
                    "residence_county": bundle.residence_county[:120],
                    "issue_category": bundle.issue_category[:100],
                    "summary_public": bundle.summary_public,
                    "notes_internal": bundle.notes_internal,
                    "display_name": _display_name(names)[:300],
                    "current_status": status,
                    "status_date": _iso(status_date),
                    "expected_release": _iso(window.as_partial()) if window else "",
                    "expected_release_earliest": _day(window.earliest) if window else None,
                    "expected_release_latest": _day(window.latest) if window else None,
                    "updated_at": self.now,
                    "version": 1,
                },
                source_id,
                bundle.span,
                level,
            )
            for name_row in name_rows:
                name_row["_keys"] = name_keys(name_row["text"])

        # Ids, then the foreign keys that pointed at rows of this batch.
        for row, pk in zip(citation_rows, self.table(Citation).reserve(len(citation_rows)), strict=True):
            row["id"] = pk
            citations[(row["source_id"], row["start"], row["end"])] = pk
        for row, key in pending_cites:
            row["citation_id"] = citations[key]
        order = [m.Detention, m.Sentence, m.PersonName]
        for model in [*order, *(x for x in rows if x not in order and x is not m.Person)]:
            for row, pk in zip(rows[model], self.table(model).reserve(len(rows[model])), strict=True):
                row["id"] = pk
        for model in (m.CustodyPeriod, m.LegalStep, m.Charge, m.Sentence):
            for row in rows[model]:
                row["detention_id"] = row["detention_id"]["id"]
        for row in rows[m.SentenceChange]:
            row["sentence_id"] = row["sentence_id"]["id"]
        for model in (m.StatusChange, m.Allegation):
            for row in rows[model]:
                if isinstance(row["detention_id"], dict):
                    row["detention_id"] = row["detention_id"]["id"]
        for name_row in rows[m.PersonName]:
            for key in sorted(name_row.pop("_keys")):
                name_key_rows.append(
                    {"person_id": name_row["person_id"], "name_id": name_row["id"], "key": key[:300]}
                )

        # INSERT in dependency order.
        self.table(Source).insert(source_rows)
        self.table(Place).insert(new_places)
        self.table(PlaceName).insert(new_place_names)
        self.table(Citation).insert(citation_rows)
        write_order = [
            m.Person,
            m.PersonName,
            m.Detention,
            m.CustodyPeriod,
            m.LegalStep,
            m.Charge,
            m.Sentence,
            m.SentenceChange,
            m.StatusChange,
            m.HealthNote,
            m.Allegation,
            m.Affiliation,
        ]
        for model in write_order:
            self.table(model).insert(rows[model])
        self.table(m.NameKey).insert(name_key_rows)
        self.table(m.ExternalId).insert(ext_rows)

        # One history row per record created, in the same transaction.
        history: list[dict] = []
        for model, created in [
            (Source, source_rows),
            (Place, new_places),
            *((x, rows[x]) for x in write_order),
        ]:
            content_type = self.content_type(model)
            history.extend(
                {
                    "at": self.now,
                    "user_id": self.user_id,
                    "action": Action.IMPORT,
                    "content_type_id": content_type,
                    "object_id": row["id"],
                    "changes": "{}",
                    "note": self.note,
                }
                for row in created
            )
        self.table(History).insert(history)

        result = self.result
        result.persons += len(bundles)
        result.sources += len(source_rows)
        result.sources_reused += len(bundles) - len(source_rows)
        result.citations += len(citation_rows)
        result.facts += sum(len(rows[x]) for x in write_order)
        result.places += len(new_places)
        result.history += len(history)
        result.person_ids.extend(person_ids)


def _bounds(name: str, value: PartialDate | None, *, iso: bool = False) -> dict[str, Any]:
    first, last = _bound_values(value)
    bounds = {f"{name}_start": first, f"{name}_end": last}
    if iso:
        bounds[name] = _iso(value)
    return bounds


@lru_cache(maxsize=100_000)
def _bound_values(value: PartialDate | None) -> tuple[Any, Any]:
    if value is None:
        return None, None
    return _day(value.earliest), _day(value.latest)


def write_batches(
    bundles: Iterable[PersonIn],
    *,
    by: Any,
    batch_size: int,
    note: str,
    progress: Callable[[int], None] | None,
) -> BulkResult:
    with transaction.atomic():
        writer = _Writer(by=by, note=note)
        for batch in batched(bundles, batch_size):
            writer.write(batch)
            if progress:
                progress(len(batch))
    return writer.result

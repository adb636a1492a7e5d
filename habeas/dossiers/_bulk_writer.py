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
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from itertools import chain, count
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from habeas.audit.services import history_batch
from habeas.dossiers import models as m
from habeas.dossiers.bulk import BulkResult, DateIn, PersonIn, PlaceIn, Span, batched, clean_name
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


@lru_cache(maxsize=65536)
def _date(value: DateIn) -> PartialDate | None:
    # PartialDate is immutable and the same few thousand dates recur across a whole import.
    return PartialDate.coerce(value)


def _iso(value: PartialDate | None) -> str:
    return value.isoformat() if value else ""


def _sql_literal(value: Any) -> str:
    """A model default (from the model's metadata, never from input) as an SQLite literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for a default of type {type(value).__name__}")


def _day(value: dt.date | None) -> Any:
    return _adapt_date()(value) if value else None


@cache
def _adapt_date() -> Callable[[dt.date], Any]:
    # Looked up once: ``connection.ops`` goes through Django's per-thread connection proxy (asgiref's
    # Local) on every access, a few percent of a large import at three dates per person. The backend,
    # and so this adapter, is the same for the whole process.
    return connection.ops.adapt_datefield_value


class _Table:
    """INSERTs for one model: column order, defaults, and id reservation."""

    ID_BLOCK = 5000

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
        self.ids = self._id_stream()
        self.pickers: dict[tuple[str, ...], Callable[[tuple], tuple]] = {}
        self.sqlite_sql: dict[tuple[str, ...], tuple[str, str, int]] = {}

    def _id_stream(self) -> Iterator[int]:
        """Ids for new rows, handed out one by one and reserved from the database in blocks."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Reserved ids are never handed out twice; the unused end of a block is a harmless gap.
                # The sequence is looked up once: inside the SELECT below it costs 10x the nextval.
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.table])
                sequence = cursor.fetchone()[0]
                while True:
                    cursor.execute(
                        "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, self.ID_BLOCK]
                    )
                    yield from (row[0] for row in cursor.fetchall())
            # SQLite: our transaction holds the write lock from its BEGIN IMMEDIATE to the commit, so
            # the ids above the highest ever used are ours.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(self.table)}")  # noqa: S608
            top = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            row = cursor.fetchone()
        yield from count(max(top, row[0] if row else 0) + 1)

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

    def insert_columns(self, names: tuple[str, ...], rows: list[tuple]) -> None:
        """Rows as tuples of the columns ``names``; the other columns take their model defaults."""
        if not rows:
            return
        if connection.vendor == "sqlite":
            self._insert_sqlite(names, rows)
            return
        pick = self.pickers.get(names)
        if pick is None:
            pick = self.pickers[names] = self._picker(names)
        self.insert_values([pick(row) for row in rows], with_id="id" in names)

    def _insert_sqlite(self, names: tuple[str, ...], rows: list[tuple]) -> None:
        """The rows as they are, the other columns' defaults written into the statement as literals:
        no per-row Python work to add them (a tenth of the writer's time at a million rows)."""
        sql = self.sqlite_sql.get(names)
        if sql is None:
            sql = self.sqlite_sql[names] = self._sqlite_sql(names)
        prefix, placeholders, step = sql
        with connection.cursor() as cursor:
            for start in range(0, len(rows), step):
                chunk = rows[start : start + step]
                statement = prefix + ", ".join([placeholders] * len(chunk))
                sqlite3.Cursor.execute(cursor.cursor, statement, list(chain.from_iterable(chunk)))

    def _sqlite_sql(self, names: tuple[str, ...]) -> tuple[str, str, int]:
        unknown = set(names) - set(self.attnames)
        if unknown:
            raise ValueError(f"{self.table} has no column(s) {', '.join(sorted(unknown))}")
        quote = connection.ops.quote_name
        columns = {f.attname: f.column for f in self.fields}
        missing = [a for a in self.sql["id" in names][0] if a not in names]
        cols = ", ".join(quote(columns[a]) for a in [*names, *missing])
        values = ["?"] * len(names) + [_sql_literal(self.defaults[a]) for a in missing]
        return (
            f"INSERT INTO {quote(self.table)} ({cols}) VALUES ",  # noqa: S608 (names from model metadata)
            "(" + ", ".join(values) + ")",
            max(1, min(500, 30000 // len(names))),
        )

    def _picker(self, names: tuple[str, ...]) -> Callable[[tuple], tuple]:
        unknown = set(names) - set(self.attnames)
        if unknown:
            raise ValueError(f"{self.table} has no column(s) {', '.join(sorted(unknown))}")
        target = self.sql["id" in names][0]
        missing = [a for a in target if a not in names]
        constants = tuple(self.defaults[a] for a in missing)
        where = {a: i for i, a in enumerate(names)} | {a: len(names) + i for i, a in enumerate(missing)}
        get = operator.itemgetter(*(where[a] for a in target))
        return lambda row: get(row + constants)

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
        self.by = by
        self.user_id = by.pk if getattr(by, "pk", None) else None
        self.note = note[:500]
        self.at = timezone.now()
        self.now = connection.ops.adapt_datetimefield_value(self.at)
        self.position = 0  # bundles written so far in this call
        self.tables: dict[type[models.Model], _Table] = {}
        self.places: dict[tuple[str, str], int] | None = None
        self.organisations: dict[str, int] | None = None
        self.result = BulkResult()

    def table(self, model: type[models.Model]) -> _Table:
        if model not in self.tables:
            self.tables[model] = _Table(model)
        return self.tables[model]

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
        pk = next(self.table(Place).ids)
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
        now, user_id = self.now, self.user_id
        # Sources: stored once per content hash, in the database or earlier in this batch.
        hashes = [content_hash(b.source.text) for b in bundles]
        existing = dict(Source.objects.filter(content_hash__in=set(hashes)).values_list("content_hash", "pk"))
        reused = set(existing.values())
        source_rows: list[dict] = []
        source_ids_new = self.table(Source).ids
        for bundle, digest in zip(bundles, hashes, strict=True):
            if digest in existing:
                continue
            src = bundle.source
            existing[digest] = pk = next(source_ids_new)
            published = _date(src.published)
            published_start, published_end = _bound_values(published)
            source_rows.append(
                {
                    "id": pk,
                    "title": (src.title.strip() or "(untitled)")[:500],
                    "publisher": src.publisher[:300],
                    "url": src.url[:2000],
                    "published": _iso(published),
                    "published_start": published_start,
                    "published_end": published_end,
                    "language": src.language[:20],
                    "kind": src.kind,
                    "official": src.kind in OFFICIAL_KINDS if src.official is None else src.official,
                    "reliability": src.reliability,
                    "text": src.text,
                    "content_hash": digest,
                    "external_ref": src.external_ref[:200],
                    "confidentiality": src.confidentiality,
                    "created_at": now,
                    "created_by_id": user_id,
                }
            )
        source_ids = [existing[h] for h in hashes]

        # Citations: one per (source, span), shared by the facts that cite it.
        citations: dict[tuple[int, int, int], int] = {}
        if reused:
            for pk, source_id, start, end in Citation.objects.filter(source_id__in=reused).values_list(
                "pk", "source_id", "start", "end"
            ):
                citations[(source_id, start, end)] = pk
        citation_rows: list[tuple] = []
        citation_ids = self.table(Citation).ids

        rows: dict[type[models.Model], list[tuple]] = {model: [] for model in _COLUMNS}
        new_places: list[dict] = []
        new_place_names: list[dict] = []
        ids = {model: self.table(model).ids for model in _COLUMNS}

        for bundle, source_id in zip(bundles, source_ids, strict=True):
            text = bundle.source.text

            def cite(
                span: Span | None, *, source_id: int = source_id, text: str = text, length: int = len(text)
            ) -> int:
                start, end = span if span else (0, length)
                key = (source_id, start, end)
                pk = citations.get(key)
                if pk is None:
                    if not (0 <= start < end <= length):
                        raise ValueError(
                            f"span {start}:{end} is outside the source text ({length} characters)"
                        )
                    citations[key] = pk = next(citation_ids)
                    citation_rows.append((pk, source_id, start, end, text[start:end], now, user_id))
                return pk

            level = bundle.confidentiality
            # Every fact row ends with the same columns: see _FACT_TAIL.
            tail = (level, now, user_id)
            person_id = next(ids[m.Person])
            names: list[tuple[int, str, str, str]] = []
            seen_names: set[tuple[str, str]] = set()
            for order, name in enumerate(bundle.names):
                name_text = clean_name(name.text)
                if not name_text or (name_text, name.kind) in seen_names:
                    continue
                seen_names.add((name_text, name.kind))
                script = detect_script(name_text) if name.script is None else name.script
                names.append((order, name_text, name.kind, script))
                name_id = next(ids[m.PersonName])
                rows[m.PersonName].append(
                    (
                        name_id,
                        person_id,
                        name_text,
                        _choice(name.kind, m.NameKind, "name kind"),
                        script,
                        _choice(name.scheme, m.RomanisationScheme, "romanisation scheme"),
                        name.language,
                        cite(name.span),
                        *tail,
                    )
                )
                keys = name_keys(name_text) if name.keys is None else name.keys
                # The name and the person share the bundle's level: so does each key (NameKey.level).
                rows[m.NameKey].extend((person_id, name_id, key[:300], level) for key in keys)

            detentions: list[tuple[PartialDate | None, int]] = []
            sentences: list[dict] = []
            changes: dict[int, list[ChangeTerms]] = defaultdict(list)
            detention_ids: list[int] = []
            for d_index, det in enumerate(bundle.detentions):
                started = _date(det.started)
                ended = _date(det.ended)
                detentions.append((started, d_index))
                place_id = self.place_id(det.place, new_places, new_place_names) if det.place else None
                detention_id = next(ids[m.Detention])
                detention_ids.append(detention_id)
                rows[m.Detention].append(
                    (
                        detention_id,
                        person_id,
                        _iso(started),
                        *_bound_values(started),
                        _iso(ended),
                        *_bound_values(ended),
                        _choice(det.measure, m.Measure, "detention measure"),
                        det.age_at_start,
                        place_id,
                        det.notes,
                        cite(det.span),
                        *tail,
                    )
                )
                for custody in det.custody:
                    rows[m.CustodyPeriod].append(
                        (
                            next(ids[m.CustodyPeriod]),
                            detention_id,
                            self.place_id(custody.place, new_places, new_place_names),
                            _iso(_date(custody.started)),
                            _iso(_date(custody.ended)),
                            cite(custody.span),
                            *tail,
                        )
                    )
                for step in det.legal_steps:
                    rows[m.LegalStep].append(
                        (
                            next(ids[m.LegalStep]),
                            detention_id,
                            _choice(step.kind, m.LegalStepKind, "legal step"),
                            _iso(_date(step.date)),
                            step.court[:300],
                            step.outcome[:500],
                            step.uncertain,
                            cite(step.span),
                            *tail,
                        )
                    )
                for charge in det.charges:
                    rows[m.Charge].append(
                        (
                            next(ids[m.Charge]),
                            detention_id,
                            charge.text[:500],
                            charge.statute[:100],
                            charge.article[:30],
                            cite(charge.span),
                            *tail,
                        )
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
                    sentence_id = next(ids[m.Sentence])
                    rows[m.Sentence].append(
                        (
                            sentence_id,
                            detention_id,
                            sentence.kind,
                            sentence.term_months,
                            sentence.term_days,
                            sentence.probation_months,
                            sentence.political_rights_months,
                            sentence.political_rights_life,
                            _iso(pronounced),
                            *_bound_values(pronounced),
                            sentence.court[:300],
                            _iso(term_starts),
                            cite(sentence.span),
                            *tail,
                        )
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
                        rows[m.SentenceChange].append(
                            (
                                next(ids[m.SentenceChange]),
                                sentence_id,
                                _choice(change.kind, m.SentenceChangeKind, "sentence change"),
                                _iso(date),
                                change.months,
                                change.days,
                                change.new_kind and _choice(change.new_kind, m.SentenceKind, "sentence kind"),
                                change.new_term_months,
                                change.note[:500],
                                cite(change.span),
                                *tail,
                            )
                        )
            statuses: list[tuple[PartialDate | None, int, str]] = []
            for order, status in enumerate(bundle.statuses):
                date = _date(status.date)
                statuses.append((date, order, status.status))
                rows[m.StatusChange].append(
                    (
                        next(ids[m.StatusChange]),
                        person_id,
                        detention_ids[status.detention] if status.detention is not None else None,
                        _choice(status.status, m.Status, "status"),
                        _iso(date),
                        *_bound_values(date),
                        status.uncertain,
                        status.note[:500],
                        cite(status.span),
                        *tail,
                    )
                )
            for note in bundle.health:
                rows[m.HealthNote].append(
                    (
                        next(ids[m.HealthNote]),
                        person_id,
                        _iso(_date(note.date)),
                        note.condition[:300],
                        note.note,
                        cite(note.span),
                        *tail,
                    )
                )
            for allegation in bundle.allegations:
                rows[m.Allegation].append(
                    (
                        next(ids[m.Allegation]),
                        person_id,
                        detention_ids[allegation.detention] if allegation.detention is not None else None,
                        _choice(allegation.kind, m.AllegationKind, "allegation kind"),
                        allegation.wgad_category,
                        _iso(_date(allegation.date)),
                        allegation.description,
                        cite(allegation.span),
                        *tail,
                    )
                )
            for affiliation in bundle.affiliations:
                rows[m.Affiliation].append(
                    (
                        next(ids[m.Affiliation]),
                        person_id,
                        self.organisation_id(affiliation.organisation),
                        affiliation.role[:200],
                        _iso(_date(affiliation.started)),
                        _iso(_date(affiliation.ended)),
                        cite(affiliation.span),
                        *tail,
                    )
                )
            rows[m.ExternalId].extend(
                (person_id, ext.scheme, ext.value, ext.fingerprint) for ext in bundle.external_ids
            )

            person_status, status_date = current_status(statuses)
            window = operative_release(detentions, sentences, changes)
            birth = _date(bundle.birth_date)
            rows[m.Person].append(
                (
                    person_id,
                    _choice(bundle.sex, m.Sex, "sex"),
                    _iso(birth),
                    *_bound_values(birth),
                    bundle.ethnicity[:100],
                    bundle.religion[:100],
                    bundle.occupation[:200],
                    bundle.residence_country,
                    bundle.residence_province[:120],
                    bundle.residence_prefecture[:120],
                    bundle.residence_county[:120],
                    bundle.issue_category[:100],
                    bundle.summary_public,
                    bundle.notes_internal,
                    _display_name(names)[:300],
                    person_status,
                    _iso(status_date),
                    _iso(window.as_partial()) if window else "",
                    _day(window.earliest) if window else None,
                    _day(window.latest) if window else None,
                    now,
                    1,
                    cite(bundle.span),
                    *tail,
                )
            )

        # INSERT in dependency order.
        self.table(Source).insert(source_rows)
        self.table(Place).insert(new_places)
        self.table(PlaceName).insert(new_place_names)
        self.table(Citation).insert_columns(_CITATION_COLUMNS, citation_rows)
        for model, columns in _COLUMNS.items():
            self.table(model).insert_columns(columns, rows[model])

        # One history row for the whole batch, with the id runs of what it created (not one per record:
        # that was a quarter of all rows written), in the same transaction.
        created: list[tuple[type[models.Model], Iterable[int]]] = [
            (Source, [row["id"] for row in source_rows]),
            (Place, [row["id"] for row in new_places]),
            *((model, [row[0] for row in rows[model]]) for model in _FACT_MODELS),
        ]
        first = self.position + 1
        self.position += len(bundles)
        lines = [bundle.row for bundle in bundles if bundle.row is not None]
        history_batch(
            created=created,
            rows=(min(lines), max(lines)) if lines else (first, self.position),
            by=self.by,
            note=self.note,
            at=self.at,
        )

        result = self.result
        result.persons += len(bundles)
        result.sources += len(source_rows)
        result.sources_reused += len(bundles) - len(source_rows)
        result.citations += len(citation_rows)
        result.facts += sum(len(rows[model]) for model in _FACT_MODELS)
        result.places += len(new_places)
        result.history += 1
        result.person_ids.extend(row[0] for row in rows[m.Person])


# The columns each batch fills, in the order the tuples above are built; every other column takes its
# model default (``_Table.insert_columns`` checks the names against the model, so a renamed field fails
# loudly instead of shifting values).
_FACT_TAIL = ("citation_id", "confidentiality", "created_at", "created_by_id")
_COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    m.Person: (
        "id",
        "sex",
        "birth_date",
        "birth_date_start",
        "birth_date_end",
        "ethnicity",
        "religion",
        "occupation",
        "residence_country",
        "residence_province",
        "residence_prefecture",
        "residence_county",
        "issue_category",
        "summary_public",
        "notes_internal",
        "display_name",
        "current_status",
        "status_date",
        "expected_release",
        "expected_release_earliest",
        "expected_release_latest",
        "updated_at",
        "version",
        *_FACT_TAIL,
    ),
    m.PersonName: ("id", "person_id", "text", "kind", "script", "scheme", "language", *_FACT_TAIL),
    m.Detention: (
        "id",
        "person_id",
        "started",
        "started_start",
        "started_end",
        "ended",
        "ended_start",
        "ended_end",
        "measure",
        "age_at_start",
        "place_id",
        "notes",
        *_FACT_TAIL,
    ),
    m.CustodyPeriod: ("id", "detention_id", "place_id", "started", "ended", *_FACT_TAIL),
    m.LegalStep: ("id", "detention_id", "kind", "date", "court", "outcome", "uncertain", *_FACT_TAIL),
    m.Charge: ("id", "detention_id", "text", "statute", "article", *_FACT_TAIL),
    m.Sentence: (
        "id",
        "detention_id",
        "kind",
        "term_months",
        "term_days",
        "probation_months",
        "political_rights_months",
        "political_rights_life",
        "pronounced",
        "pronounced_start",
        "pronounced_end",
        "court",
        "term_starts",
        *_FACT_TAIL,
    ),
    m.SentenceChange: (
        "id",
        "sentence_id",
        "kind",
        "date",
        "months",
        "days",
        "new_kind",
        "new_term_months",
        "note",
        *_FACT_TAIL,
    ),
    m.StatusChange: (
        "id",
        "person_id",
        "detention_id",
        "status",
        "date",
        "date_start",
        "date_end",
        "uncertain",
        "note",
        *_FACT_TAIL,
    ),
    m.HealthNote: ("id", "person_id", "date", "condition", "note", *_FACT_TAIL),
    m.Allegation: (
        "id",
        "person_id",
        "detention_id",
        "kind",
        "wgad_category",
        "date",
        "description",
        *_FACT_TAIL,
    ),
    m.Affiliation: ("id", "person_id", "organisation_id", "role", "started", "ended", *_FACT_TAIL),
    # Numbered by the database: nothing points at these rows within a batch.
    m.NameKey: ("person_id", "name_id", "key", "level"),
    m.ExternalId: ("person_id", "scheme", "value", "fingerprint"),
}
_FACT_MODELS = [model for model, columns in _COLUMNS.items() if columns[-len(_FACT_TAIL) :] == _FACT_TAIL]
_CITATION_COLUMNS = ("id", "source_id", "start", "end", "quote", "created_at", "created_by_id")


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
        if writer.result.persons >= ANALYZE_AFTER:
            _analyze(list(writer.tables))
    return writer.result


# PostgreSQL plans from statistics that autovacuum refreshes a minute after the commit at best, and never
# where it is off. Right after a large import they describe the tables as they were before: name search
# at 100,000 persons hashed all 250,000 names first ("Tashi": 490 ms, 56 ms after ANALYZE).
ANALYZE_AFTER = 1000  # persons per call; smaller writes leave it to autovacuum


def _analyze(written: list[type[models.Model]]) -> None:
    """Refresh the planner's statistics of the tables just written (PostgreSQL). ANALYZE samples a fixed
    number of rows per table (seconds at 100,000 persons) and counts this transaction's own rows."""
    if connection.vendor != "postgresql" or not written:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in written)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")

"""Whole-database backup and restore as JSON lines, lossless.

``habeas export FILE`` writes every row of every model of the habeas apps (users with their password
hashes included: it is an administrator's backup) as one JSON object per line::

    {"format": "habeas-jsonl", "version": 1, "exported_at": "...", "models": {"accounts.user": 3, ...}}
    {"model": "accounts.user", "pk": 1, "fields": {"password": "argon2$...", "username": "ada", ...}}
    {"model": "dossiers.person_extra_citations", "pk": 1, "fields": {"person": 7, "citation": 12}}

Models come parents first (a topological sort of their foreign keys), rows in primary-key order, read
with ``QuerySet.iterator()`` in one consistent snapshot (REPEATABLE READ on PostgreSQL, a read
transaction on SQLite) and written as they are read. The model list is derived from the app registry,
not written by hand: a new model of a habeas app is exported by default, and a model of another app
must be named in ``EXTRA_MODELS``, ``BY_NATURAL_KEY`` or ``EXCLUDED`` (a test fails otherwise).
Many-to-many links are exported as the rows of their through tables. Content types and permissions,
which ``migrate`` creates with ids that differ between databases, are referred to by natural key
(``["dossiers", "person"]``), so History rows and user permissions survive a move to another database.

Values: partial dates as their EDTF text (``2018-05~``), and their ``_start``/``_end`` bound columns as
stored (restored as they were, not recomputed); dates, datetimes and times in ISO 8601; decimals as
strings (exact); JSON fields as JSON; binary as base64; durations as microseconds.

``jsonl_import`` restores such a file into an **empty** database (freshly migrated): rows keep their
ids, so importing into a database that already holds habeas data would collide, and it is refused
before anything is written. Every line is checked (JSON, known model, known fields, values of the
right type) and any error names its line; the whole restore is one transaction, so a bad line anywhere
means nothing is written, and a file whose row counts differ from its header (cut short) is refused
too. Rows are inserted per model in batches with their original ids, through the same machinery as
``bulk_create`` but as a *raw* insert (as ``loaddata`` does), because ``bulk_create`` would overwrite
``auto_now``/``auto_now_add`` timestamps (``created_at``, ``updated_at``) with the time of the restore.
Afterwards the PostgreSQL sequences are moved past the restored ids (SQLite's AUTOINCREMENT table
follows explicit ids by itself).

History: the export already holds the change history, and a restore reproduces it exactly; it writes
**no** history row of its own (one would make the restored database differ from the exported one, and
``by`` cannot name a user of an empty database anyway). The command prints what was restored.
Exporting the restored database gives the same lines as the original export, header time aside.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import CommandError
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from django.utils import timezone

from habeas.dossiers.models import NameKey
from habeas.dossiers.services import name_key_levels
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.lib.fields import PartialDateField

FORMAT = "habeas-jsonl"
VERSION = 1

# Models of other apps that habeas data refers to and that a backup must carry.
EXTRA_MODELS = frozenset({"auth.group", "auth.group_permissions"})
# Made by ``migrate`` in every database with ids of their own: referred to by natural key instead.
BY_NATURAL_KEY = frozenset({"contenttypes.contenttype", "auth.permission"})
# Everything else in the registry that is deliberately left out, with the reason.
EXCLUDED = {
    "contenttypes.contenttype": "created by migrate; History refers to it by natural key",
    "auth.permission": "created by migrate; users and groups refer to it by natural key",
    "sessions.session": "sign-in sessions: short-lived, and restoring them would revive old sign-ins",
    "axes.accessattempt": "failed sign-in counts: short-lived, and restoring them would lock users out",
    "axes.accessattemptexpiration": "the expiry of failed sign-in counts (see axes.accessattempt)",
    "axes.accesslog": "sign-in log (disabled in settings): addresses and browsers, not habeas data",
    "axes.accessfailurelog": "failed sign-in log (disabled in settings): not habeas data",
}

DEFAULT_CHUNK_SIZE = 2000

Progress = Callable[[int], None] | None


class JsonlError(CommandError):
    """A file that cannot be restored, or a database it cannot be restored into.

    A ``CommandError`` so that the command line shows the message without a traceback.
    """


# -- which models, in which order ------------------------------------------------------------------
def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _candidates() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        label = _label(model)
        if label in EXCLUDED:
            continue
        if meta.app_config.name.startswith("habeas.") or label in EXTRA_MODELS:
            found.append(model)
    return found


def exported_models() -> list[type[models.Model]]:
    """Every model a backup carries, parents before children (ties in app-registry order).

    Foreign keys to models outside the list (content types, permissions) do not order anything. A
    cycle of foreign keys (none today) is broken in registry order: the databases check foreign keys
    at commit, so the order only matters for reading the file.
    """
    models_ = _candidates()
    inside = set(models_)
    depends = {
        model: {
            f.related_model
            for f in model._meta.local_concrete_fields
            if f.is_relation and f.related_model in inside and f.related_model is not model
        }
        for model in models_
    }
    ordered: list[type[models.Model]] = []
    done: set[type[models.Model]] = set()
    while len(ordered) < len(models_):
        ready = [m for m in models_ if m not in done and depends[m] <= done]
        if not ready:  # a cycle: take the first remaining model
            ready = [next(m for m in models_ if m not in done)]
        for model in ready[:1]:  # one at a time keeps the registry order among equals
            ordered.append(model)
            done.add(model)
    return ordered


# -- value codecs ----------------------------------------------------------------------------------
_INT_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}
_STR_TYPES = {
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "FilePathField",
    "FileField",
    "ImageField",
    "GenericIPAddressField",
    "IPAddressField",
}


class _BadValue(ValueError):
    pass


def _expect(kind: type | tuple[type, ...], what: str) -> Callable[[Any], Any]:
    def load(value: Any) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise _BadValue(f"expected {what}, got {json.dumps(value, ensure_ascii=False)[:60]}")
        return value

    return load


def _parsing(kind: type, parse: Callable[[str], Any], what: str) -> Callable[[Any], Any]:
    def load(value: Any) -> Any:
        if not isinstance(value, str):
            raise _BadValue(f"expected {what} as text, got {json.dumps(value)[:60]}")
        try:
            return parse(value)
        except (ValueError, TypeError, InvalidOperation, PartialDateError) as error:
            raise _BadValue(f"{value!r} is not {what}: {error}") from error

    return load


def _load_datetime(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if settings.USE_TZ and timezone.is_naive(value):
        raise ValueError("no time zone")
    return value


def _load_decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError("not a finite number")
    return value


def _load_partial_date(text: str) -> str:
    return PartialDate.parse(text).isoformat() if text else ""


def _codec(field: models.Field) -> tuple[Callable[[Any], Any] | None, Callable[[Any], Any]]:
    """(dump, load): Python value from the database -> JSON, and JSON -> value for the insert.

    ``dump`` is None where the value is already JSON (text, numbers, booleans, JSON fields).
    """
    if isinstance(field, PartialDateField):
        return (lambda v: v.isoformat() if v else ""), _parsing(str, _load_partial_date, "a partial date")
    kind = field.get_internal_type()
    if kind in _INT_TYPES:
        return None, _expect(int, "a whole number")
    if kind in _STR_TYPES:
        return None, _expect(str, "text")
    if kind == "BooleanField":
        return None, _expect(bool, "true or false")
    if kind == "FloatField":
        return None, _expect((int, float), "a number")
    if kind == "JSONField":
        return None, lambda v: v
    if kind == "DateTimeField":
        return (lambda v: v.isoformat()), _parsing(str, _load_datetime, "an ISO 8601 date-time with zone")
    if kind == "DateField":
        return (lambda v: v.isoformat()), _parsing(str, dt.date.fromisoformat, "an ISO 8601 date")
    if kind == "TimeField":
        return (lambda v: v.isoformat()), _parsing(str, dt.time.fromisoformat, "an ISO 8601 time")
    if kind == "DecimalField":
        return str, _parsing(str, _load_decimal, "a decimal number")
    if kind == "UUIDField":
        return str, _parsing(str, uuid.UUID, "a UUID")
    if kind == "BinaryField":
        return (
            lambda v: base64.b64encode(bytes(v)).decode("ascii"),
            _parsing(str, lambda s: base64.b64decode(s, validate=True), "base64"),
        )
    if kind == "DurationField":
        return (lambda v: v // dt.timedelta(microseconds=1)), (
            lambda v: dt.timedelta(microseconds=_expect(int, "microseconds")(v))
        )
    # Anything else: written as the database gives it (json refuses what it cannot write), read back
    # with Django's own conversion.
    return None, field.to_python


class _NaturalKeys:
    """Ids of content types and permissions <-> their natural keys, loaded once per run."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.keys: dict[type[models.Model], dict[Any, list[Any]]] = {}
        self.ids: dict[type[models.Model], dict[tuple[Any, ...], Any]] = {}

    def _load(self, model: type[models.Model]) -> None:
        manager = model._base_manager.using(self.using)
        if _label(model) == "auth.permission":
            manager = manager.select_related("content_type")
        keys = {obj.pk: list(obj.natural_key()) for obj in manager.all()}  # type: ignore[attr-defined]
        self.keys[model] = keys
        self.ids[model] = {tuple(key): pk for pk, key in keys.items()}

    def codec(self, model: type[models.Model]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
        return (lambda pk: self.key(model, pk)), (lambda key: self.pk(model, key))

    def key(self, model: type[models.Model], pk: Any) -> list[Any]:
        if model not in self.keys:
            self._load(model)
        return self.keys[model][pk]

    def pk(self, model: type[models.Model], key: Any) -> Any:
        if not isinstance(key, list) or not all(isinstance(part, str) for part in key):
            raise _BadValue(f"expected a natural key (list of text), got {json.dumps(key)[:60]}")
        if model not in self.ids:
            self._load(model)
        found = self.ids[model].get(tuple(key))
        if found is None:
            if _label(model) != "contenttypes.contenttype" or len(key) != 2:
                raise _BadValue(f"no {_label(model)} {key} in this database (run migrate first?)")
            # History of a model that no longer exists: its content type is recreated, as it was.
            found = model._base_manager.using(self.using).create(app_label=key[0], model=key[1]).pk
            self.ids[model][tuple(key)] = found
        return found


def _target(field: models.Field) -> Any:
    """The field whose values a column holds: the referenced key for a foreign key."""
    return field.target_field if field.is_relation else field  # type: ignore[attr-defined]


def _prepare(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    return lambda value: field.get_db_prep_save(value, connection)


def _none_safe(dump: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else dump(value)


@dataclass
class _Column:
    name: str  # key in "fields"
    attname: str
    field: models.Field
    dump: Callable[[Any], Any] | None
    load: Callable[[Any], Any]


class _Spec:
    """How one model's rows are written to and read from lines."""

    def __init__(self, model: type[models.Model], natural: _NaturalKeys) -> None:
        self.model = model
        self.label = _label(model)
        meta = model._meta
        self.fields = list(meta.local_concrete_fields)
        self.pk = meta.pk
        self.columns: list[_Column] = []
        for f in self.fields:
            if f is self.pk:
                continue
            related: Any = f.related_model
            dump: Callable[[Any], Any] | None
            if f.is_relation and _label(related) in BY_NATURAL_KEY:
                dump, load = natural.codec(related)
            else:
                dump, load = _codec(_target(f))
            if dump is not None and not isinstance(f, PartialDateField):  # which writes None as ""
                dump = _none_safe(dump)
            self.columns.append(_Column(f.name, f.attname, f, dump, load))
        self.by_name = {c.name: c for c in self.columns}
        _, self.load_pk = _codec(_target(self.pk))
        self.dump_pk = _codec(_target(self.pk))[0]
        # Partial dates whose bound columns a line may leave out (an export from before they existed).
        attnames = {f.attname for f in self.fields}
        self.bounds = [
            (f.attname, f"{f.attname}_start", f"{f.attname}_end")
            for f in self.fields
            if isinstance(f, PartialDateField)
            and f"{f.attname}_start" in attnames
            and f"{f.attname}_end" in attnames
        ]

    # -- export --------------------------------------------------------------------------------
    def lines(self, using: str, chunk_size: int) -> Iterator[str]:
        attnames = [self.pk.attname] + [c.attname for c in self.columns]
        names = [c.name for c in self.columns]
        dumps = [c.dump for c in self.columns]
        dump_pk = self.dump_pk
        label = self.label
        rows = (
            self.model._base_manager.using(using)
            .order_by(self.pk.attname)
            .values_list(*attnames)
            .iterator(chunk_size=chunk_size)
        )
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        for row in rows:
            pk = row[0] if dump_pk is None else dump_pk(row[0])
            values = {
                name: value if dump is None else dump(value)
                for name, dump, value in zip(names, dumps, row[1:], strict=True)
            }
            yield encode({"model": label, "pk": pk, "fields": values})

    # -- import --------------------------------------------------------------------------------
    def row(self, pk: Any, values: dict[str, Any]) -> dict[str, Any]:
        """The line's values by attname, checked and converted (partial dates as their text)."""
        data: dict[str, Any] = {self.pk.attname: self.load_pk(pk)}
        missing = []
        for column in self.columns:
            if column.name in values:
                value = values[column.name]
                if value is None:
                    if not column.field.null:
                        raise _BadValue(f"{column.name}: may not be null")
                    data[column.attname] = None
                    continue
                try:
                    data[column.attname] = column.load(value)
                except _BadValue as error:
                    raise _BadValue(f"{column.name}: {error}") from None
                except Exception as error:  # Django's to_python raises ValidationError
                    raise _BadValue(f"{column.name}: {error}") from None
            else:
                data[column.attname] = column.field.get_default()
                missing.append(column.attname)
        if missing:
            for value_name, start, end in self.bounds:
                partial = PartialDate.coerce(data[value_name])
                if start in missing:
                    data[start] = partial.earliest if partial else None
                if end in missing:
                    data[end] = partial.latest if partial else None
        return data

    def instance(self, data: dict[str, Any]) -> models.Model:
        """An unsaved instance with the values set as they are: no descriptors, no pre_save."""
        obj = self.model.__new__(self.model)
        obj.__dict__.update(data)
        return obj

    def database_values(self, connection: Any) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """Row dict -> the tuple of database values in the order of ``self.fields``."""
        steps: list[tuple[str, Callable[[Any], Any] | None]] = []
        for f in self.fields:
            target = _target(f)
            plain = isinstance(
                target, PartialDateField
            ) or target.get_internal_type() in _INT_TYPES | _STR_TYPES | {"BooleanField", "FloatField"}
            steps.append((f.attname, None if plain else _prepare(f, connection)))

        def values(data: dict[str, Any]) -> tuple[Any, ...]:
            return tuple(
                data[name] if prepare is None or data[name] is None else prepare(data[name])
                for name, prepare in steps
            )

        return values


# -- export ----------------------------------------------------------------------------------------
@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One consistent view of the database for the whole export, without blocking writers."""
    connection = connections[using]
    if connection.in_atomic_block:  # the caller's transaction (tests)
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # atomic() would BEGIN IMMEDIATE (take the write lock); a deferred read transaction sees one
        # snapshot under WAL and lets the web app keep writing.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")
        return
    with transaction.atomic(using=using):
        yield


def jsonl_export(
    stream: IO[str],
    *,
    progress: Progress = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    using: str = "default",
) -> int:
    """Write the whole database to ``stream`` as JSON lines; returns the number of lines written.

    ``progress(n)`` is called as rows are written, with the number written since the last call.
    """
    natural = _NaturalKeys(using)
    specs = [_Spec(model, natural) for model in exported_models()]
    written = 0
    with _snapshot(using):
        counts = {spec.label: spec.model._base_manager.using(using).count() for spec in specs}
        header = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(),
            "models": counts,
        }
        stream.write(json.dumps(header, ensure_ascii=False) + "\n")
        written += 1
        for spec in specs:
            chunk: list[str] = []
            rows = 0
            for line in spec.lines(using, chunk_size):
                chunk.append(line)
                if len(chunk) >= chunk_size:
                    rows += _write(stream, chunk, progress)
            rows += _write(stream, chunk, progress)
            if rows != counts[spec.label]:  # cannot happen inside one snapshot; never write a bad file
                raise RuntimeError(f"{spec.label}: counted {counts[spec.label]} rows but read {rows}")
            written += rows
    return written


_LINE_BREAKS = (("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\x85", "\\u0085"))


def _write(stream: IO[str], chunk: list[str], progress: Progress) -> int:
    if not chunk:
        return 0
    count = len(chunk)
    chunk.append("")
    text = "\n".join(chunk)
    # JSON may hold these raw inside strings, but str.splitlines() and some editors break lines at them:
    # escaped, every reader sees one row per line.
    for character, escaped in _LINE_BREAKS:
        if character in text:
            text = text.replace(character, escaped)
    stream.write(text)
    chunk.clear()
    if progress is not None:
        progress(count)
    return count


def jsonl_export_to_path(
    path: str | os.PathLike[str],
    *,
    progress: Progress = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    using: str = "default",
) -> int:
    """Export to a file readable by its owner only (0600), atomically: a temporary file beside it is
    written, synced and renamed over ``path``, so a failed export never leaves a partial backup."""
    target = Path(path)
    fd, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            lines = jsonl_export(stream, progress=progress, chunk_size=chunk_size, using=using)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable
        directory = os.open(target.parent or ".", os.O_RDONLY)
    except OSError:
        return lines
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)
    return lines


# -- import ----------------------------------------------------------------------------------------
@dataclass
class JsonlImportResult:
    rows: dict[str, int] = field(default_factory=dict)
    lines: int = 0
    exported_at: str = ""
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        rate = self.total / self.seconds if self.seconds else 0.0
        head = (
            f"Restored {self.total:,} rows from an export made {self.exported_at or 'at an unknown time'}"
            f" in {self.seconds:.1f} s ({rate:,.0f} rows/s); no history rows were added."
        )
        width = max((len(label) for label in self.rows), default=0)
        body = [f"  {label:<{width}}  {count:>10,}" for label, count in self.rows.items() if count]
        return "\n".join([head, *body])


def _rows_per_insert(connection: Any, columns: int) -> int:
    if connection.vendor == "sqlite":
        try:
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, TypeError):
            limit = 999
    else:
        limit = 65535
    return max(1, min(1000, (limit - 1) // max(1, columns)))


# Reference rows that migrations write into every new database (habeas/access/migrations/0002 and 0003:
# the common monitoring bodies and their aliases). They do not make a database "hold data": the file
# holds the exporting database's own copy (same migrations, maybe edited since), which replaces them.
SEEDED_BY_MIGRATIONS = ("access.monitoringbody", "access.bodyalias")


def _occupied(using: str, specs: Iterable[_Spec]) -> list[str]:
    found = []
    for spec in specs:
        if spec.label in SEEDED_BY_MIGRATIONS:
            continue
        count = spec.model._base_manager.using(using).count()
        if count:
            found.append(f"{count:,} {spec.label}")
    return found


def _clear_seeded(using: str, specs: dict[str, _Spec], expected: dict[str, int]) -> None:
    """Delete the migration-seeded rows when the file brings its own (children first): the file then
    restores them as the exporting database had them. A file from before those migrations leaves them
    as the migrations wrote them. Every other table is empty here (``_occupied``)."""
    if not any(expected.get(label) for label in SEEDED_BY_MIGRATIONS):
        return
    for label in reversed(SEEDED_BY_MIGRATIONS):
        if label in specs:
            specs[label].model._base_manager.using(using).all()._raw_delete(using)


def jsonl_import(
    stream: Iterable[str],
    *,
    by: Any = None,
    progress: Progress = None,
    batch_size: int = DEFAULT_CHUNK_SIZE,
    using: str = "default",
) -> JsonlImportResult:
    """Restore an export made by ``jsonl_export`` into an empty database, in one transaction.

    ``by`` is accepted for the importers' common signature and not recorded: a restore adds no history
    row (see the module's description). ``progress(n)`` is called after each batch with its size.
    Raises ``JsonlError`` (nothing written) for a database that holds data or any bad line.
    """
    started = time.monotonic()
    using = using
    connection = connections[using]
    natural = _NaturalKeys(using)
    specs = {spec.label: spec for spec in (_Spec(m, natural) for m in exported_models())}
    result = JsonlImportResult()
    lines = iter(stream)

    with transaction.atomic(using=using):
        occupied = _occupied(using, specs.values())
        if occupied:
            raise JsonlError(
                "refusing to import: the database already holds habeas data ("
                + ", ".join(occupied[:5])
                + (", ..." if len(occupied) > 5 else "")
                + "). A JSON-lines import restores a whole database with its original ids, which would "
                "collide with the rows there; import into a new, empty database (habeas migrate, then "
                "import). Nothing was written."
            )
        expected = _read_header(lines, specs, result)
        _clear_seeded(using, specs, expected)
        counts = dict.fromkeys(specs, 0)
        batch: list[dict[str, Any]] = []
        batch_spec: _Spec | None = None
        batch_first = 0
        number = 1
        for number, text in enumerate(lines, start=2):
            if not text.strip():
                continue
            spec, pk, values = _parse_line(number, text, specs)
            if spec is not batch_spec or len(batch) >= batch_size:
                _flush(connection, batch_spec, batch, batch_first, number - 1, progress)
                batch_spec, batch_first = spec, number
            try:
                batch.append(spec.row(pk, values))
            except _BadValue as error:
                raise JsonlError(f"line {number}: {spec.label} {pk}: {error}. Nothing was written.") from None
            counts[spec.label] += 1
        _flush(connection, batch_spec, batch, batch_first, number, progress)
        result.lines = number

        short = [
            f"{label}: header says {expected.get(label, 0):,}, file has {count:,}"
            for label, count in counts.items()
            if count != expected.get(label, 0)
        ]
        if short:
            raise JsonlError(
                "the file's rows do not match its header (cut short or edited?): "
                + "; ".join(short)
                + ". Nothing was written."
            )
        try:
            connection.check_constraints()
        except DatabaseError as error:
            raise JsonlError(
                f"the restored rows refer to rows that are not there: {error}. Nothing was written."
            ) from error
        # Name search reads a key's stored level (NameKey.level) instead of its name's: it is set from
        # the restored names and persons, whatever the file says (an older file has none, which would
        # hide every key; an edited one could say less than the name's level).
        name_key_levels(NameKey._base_manager.using(using).all())
        reset = connection.ops.sequence_reset_sql(no_style(), [spec.model for spec in specs.values()])
        if reset:
            with connection.cursor() as cursor:
                for statement in reset:
                    cursor.execute(statement)
        result.rows = {label: count for label, count in counts.items()}
    result.seconds = time.monotonic() - started
    return result


def _read_header(lines: Iterator[str], specs: dict[str, _Spec], result: JsonlImportResult) -> dict[str, int]:
    first = next(lines, None)
    if first is None or not first.strip():
        raise JsonlError("line 1: the file is empty; expected a habeas-jsonl header. Nothing was written.")
    try:
        header = json.loads(first)
    except json.JSONDecodeError as error:
        raise JsonlError(f"line 1: not valid JSON ({error}); expected a habeas-jsonl header.") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise JsonlError(f"line 1: not a {FORMAT} file (the first line must be its header).")
    if header.get("version") != VERSION:
        raise JsonlError(
            f"line 1: {FORMAT} version {header.get('version')!r} is not supported "
            f"(this habeas reads version {VERSION})."
        )
    expected = header.get("models")
    if not isinstance(expected, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in expected.values()
    ):
        raise JsonlError('line 1: the header has no valid "models" row counts.')
    unknown = sorted(set(expected) - set(specs))
    if unknown:
        raise JsonlError(f"line 1: unknown model(s) {', '.join(unknown)} (an export from a newer habeas?).")
    result.exported_at = str(header.get("exported_at", ""))
    return expected


def _parse_line(number: int, text: str, specs: dict[str, _Spec]) -> tuple[_Spec, Any, dict[str, Any]]:
    try:
        row = json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonlError(f"line {number}: not valid JSON ({error}). Nothing was written.") from None
    if not isinstance(row, dict) or set(row) != {"model", "pk", "fields"}:
        raise JsonlError(
            f'line {number}: expected an object with "model", "pk" and "fields". Nothing was written.'
        )
    spec = specs.get(row["model"]) if isinstance(row["model"], str) else None
    if spec is None:
        raise JsonlError(f"line {number}: unknown model {row['model']!r}. Nothing was written.")
    values = row["fields"]
    if not isinstance(values, dict):
        raise JsonlError(f'line {number}: "fields" must be an object. Nothing was written.')
    unknown = [name for name in values if name not in spec.by_name]
    if unknown:
        raise JsonlError(
            f"line {number}: {spec.label} has no field {', '.join(map(repr, unknown))}. Nothing was written."
        )
    return spec, row["pk"], values


# Databases restored through their drivers' bulk paths; any other goes through the ORM's raw insert.
_FAST_VENDORS = ("sqlite", "postgresql")


def _flush(
    connection: Any,
    spec: _Spec | None,
    batch: list[dict[str, Any]],
    first: int,
    last: int,
    progress: Progress,
) -> None:
    if spec is None or not batch:
        return
    try:
        if connection.vendor in _FAST_VENDORS:
            _insert_rows(connection, spec, batch)
        else:
            # raw=True: values exactly as given, no pre_save (which would reset auto_now dates).
            step = _rows_per_insert(connection, len(spec.fields))
            manager = spec.model._base_manager.using(connection.alias)
            objs = [spec.instance(data) for data in batch]
            for start in range(0, len(objs), step):
                manager._insert(  # type: ignore[attr-defined]
                    objs[start : start + step], fields=spec.fields, raw=True, using=connection.alias
                )
    except DatabaseError as error:
        raise JsonlError(
            f"lines {first}-{last} ({spec.label}): the database refused them: {error}. Nothing was written."
        ) from error
    if progress is not None:
        progress(len(batch))
    batch.clear()


def _insert_rows(connection: Any, spec: _Spec, batch: list[dict[str, Any]]) -> None:
    """COPY on PostgreSQL, multi-row INSERTs through the driver's cursor on SQLite: the ORM's insert
    compiler spends most of a restore building SQL, not running it."""
    converters = spec.__dict__.setdefault("_converters", {})
    if connection.alias not in converters:
        converters[connection.alias] = spec.database_values(connection)
    to_values = converters[connection.alias]
    quote = connection.ops.quote_name
    table = quote(spec.model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in spec.fields)
    rows = [to_values(data) for data in batch]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        step = _rows_per_insert(connection, len(spec.fields))
        placeholders = "(" + ", ".join(["?"] * len(spec.fields)) + ")"
        prefix = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (names from model metadata)
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            # The driver's own cursor with "?": Django's wrapper would rewrite every "%s" by regex.
            sqlite3.Cursor.execute(
                cursor.cursor,
                prefix + ", ".join([placeholders] * len(chunk)),
                list(chain.from_iterable(chunk)),
            )

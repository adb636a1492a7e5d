"""Responses from a CSV file: one row per answer, all rows or none.

Researchers type a government's answers into a spreadsheet as they come (often a dozen persons in
one letter) and import them at once. Every row is checked and written through ``response_record``
inside one transaction; any bad row rolls the whole file back, and every bad row is reported with
its row number (the header is row 1, as a spreadsheet numbers them) and the column at fault.

Columns (header names, any order, case-insensitive): ``entry`` (the entry's id), ``person`` (the
person's id on the list) or ``name`` (any of the person's names, in any script); ``type`` (a
response type, its value or label), ``received`` (YYYY, YYYY-MM or YYYY-MM-DD), ``text`` (the
answer's words), and the facts it gives: ``status``, ``sentence``, ``expected_release``, ``place``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from habeas.accounts.selectors import visible_q
from habeas.dialogue._checks import _editor, _visible
from habeas.dialogue.models import ListEntry, PrisonerList, Response
from habeas.dialogue.responses import FACT_KEYS, response_record
from habeas.dossiers.models import Person, PersonName
from habeas.lib.names import fold

MAX_BYTES = 5 * 1024 * 1024  # a letter's worth of answers is kilobytes; this is a mistake or an attack
MAX_ROWS = 5000
MAX_CELL = 20000
COLUMNS = ("entry", "person", "name", "type", "received", "text", *FACT_KEYS)


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str  # "" when the row as a whole is wrong
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}" if self.row else self.message


class ImportRowsError(ValidationError):
    """Nothing was written; ``errors`` says which rows and columns are wrong."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__([str(e) for e in errors])


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise ImportRowsError(
                [RowError(0, "", f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")]
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as bad:
            raise ImportRowsError(
                [RowError(0, "", f"the file is not UTF-8 text (byte {bad.start}); save it as CSV UTF-8")]
            ) from bad
    if len(text) > MAX_BYTES:
        raise ImportRowsError([RowError(0, "", f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")])
    if "\x00" in text:
        raise ImportRowsError([RowError(0, "", "the file holds NUL characters: it is not a CSV text file")])
    return text


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(column, message) pairs from a service's ValidationError."""
    if hasattr(error, "error_dict"):
        return [(name, " ".join(msgs)) for name, msgs in error.message_dict.items() if name != "__all__"] + [
            ("", m) for m in error.message_dict.get("__all__", [])
        ]
    return [("", m) for m in error.messages]


# The service's field names that are a column of the file under another name.
FIELD_COLUMNS = {"facts": "", "requests": "", "source": "text", "quote": "text"}


def responses_import_csv(*, prisoner_list: PrisonerList, data: bytes | str, by: Any) -> list[Response]:
    """Import the answers in a CSV file for the entries of one list; all rows or none."""
    _editor(by)
    _visible(prisoner_list, by, "list")
    text = _decode(data)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip().casefold() for h in (reader.fieldnames or [])]
    except csv.Error as bad:
        raise ImportRowsError([RowError(1, "", f"the header cannot be read: {bad}")]) from bad
    if not header:
        raise ImportRowsError([RowError(0, "", "the file is empty")])
    unknown = [h for h in header if h not in COLUMNS]
    errors: list[RowError] = [RowError(1, h, "unknown column") for h in unknown if h]
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", "a column is named twice"))
    if "type" not in header:
        errors.append(RowError(1, "type", "the file needs a type column"))
    if not {"entry", "person", "name"} & set(header):
        errors.append(RowError(1, "entry", "the file needs an entry column (or a person or name column)"))
    if errors:
        raise ImportRowsError(errors)
    reader.fieldnames = header
    # Entries the importer cannot see are "not on the list" for them, like entries of other lists.
    visible = ListEntry.objects.filter(
        prisoner_list=prisoner_list, **visible_q(by), **visible_q(by, "person__")
    )
    entries = {e.pk: e for e in visible.select_related("person", "prisoner_list__interlocutor")}
    by_person = {e.person_id: e for e in entries.values()}
    by_name: dict[str, set[int]] = {}
    if "name" in header:
        # Answers name persons as the letter did, in any script: matched by the names we may see.
        names = PersonName.objects.filter(person_id__in=by_person, **visible_q(by)).values_list(
            "person_id", "text"
        )
        for person_id, text in names:
            by_name.setdefault(fold(text), set()).add(person_id)
    merged = dict(
        Person._base_manager.filter(merged_into_id__in=by_person, **visible_q(by)).values_list(
            "pk", "merged_into_id"
        )
    )
    lookup = _Lookup(entries, by_person, by_name, prisoner_list.title, merged)
    created: list[Response] = []
    with transaction.atomic():
        try:
            for index, row in enumerate(reader, start=2):
                if index - 1 > MAX_ROWS:
                    errors.append(RowError(index, "", f"a file holds at most {MAX_ROWS} rows"))
                    break
                row_errors = _import_row(index, row, lookup, by, created)
                errors += row_errors
        except csv.Error as bad:
            errors.append(RowError(reader.line_num, "", f"the CSV cannot be read here: {bad}"))
        if not errors and not created:
            errors.append(RowError(0, "", "the file holds no rows"))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRowsError(errors)
    return created


@dataclass(frozen=True)
class _Lookup:
    """The list's entries the importer may see, by entry id, person id and folded name."""

    entries: dict[int, ListEntry]
    by_person: dict[int, ListEntry]
    by_name: dict[str, set[int]]
    title: str
    # Visible dossiers merged into a person on the list (habeas.linkage.merge): their numbers are
    # named in the error, never taken for the survivor's without the user saying so.
    merged: dict[int, int]


def _import_row(
    index: int, row: dict[str, Any], lookup: _Lookup, by: Any, created: list[Response]
) -> list[RowError]:
    if None in row:
        return [RowError(index, "", "the row has more cells than the header")]
    cells = {k: (v or "").strip() for k, v in row.items()}
    if not any(cells.values()):
        return []  # blank lines between blocks of answers are usual in spreadsheets
    errors = [
        RowError(index, k, f"at most {MAX_CELL} characters") for k, v in cells.items() if len(v) > MAX_CELL
    ]
    if errors:
        return errors
    entry = _row_entry(index, cells, lookup)
    if isinstance(entry, RowError):
        return [entry]
    try:
        with transaction.atomic():
            created.append(
                response_record(
                    entry=entry,
                    type=cells.get("type", ""),
                    by=by,
                    received=cells.get("received") or None,
                    text=cells.get("text", ""),
                    facts={k: cells[k] for k in FACT_KEYS if cells.get(k)},
                )
            )
    except ValidationError as bad:
        return [
            RowError(index, FIELD_COLUMNS.get(col, col) if col else "", msg) for col, msg in _messages(bad)
        ]
    except PermissionDenied as refused:
        return [RowError(index, "", str(refused))]
    return []


def _row_entry(index: int, cells: dict[str, str], lookup: _Lookup) -> ListEntry | RowError:
    for column, table in (("entry", lookup.entries), ("person", lookup.by_person)):
        value = cells.get(column, "")
        if not value:
            continue
        if not value.isdigit():
            return RowError(index, column, f"{value[:30]!r} is not a number")
        found = table.get(int(value))
        if found is None and column == "person" and int(value) in lookup.merged:
            survivor = lookup.merged[int(value)]
            return RowError(index, column, f"person {value} was merged into {survivor}: write {survivor}")
        if found is None:
            return RowError(index, column, f"{value} is not on the list “{lookup.title}”")
        return found
    name = cells.get("name", "")
    if name:
        persons = lookup.by_name.get(fold(name), set())
        if not persons:
            return RowError(index, "name", f"nobody named {name[:60]!r} is on the list “{lookup.title}”")
        if len(persons) > 1:
            return RowError(
                index, "name", f"{len(persons)} persons on the list are named {name[:60]!r}: use entry"
            )
        return lookup.by_person[next(iter(persons))]
    return RowError(index, "entry", "say which entry (or person) the answer is about")

"""Import the CECC Political Prisoner Database (CSV export) as cited dossiers.

One CSV row becomes one ``PersonIn`` bundle with one source. The source text is the row's summary
(HTML tags stripped) followed by a delimited block that renders the row's structured fields as
``column: value`` lines, so every fact cites an exact span: a quote of the summary where the fact's
words appear there (a name, a prison, a charge), otherwise the line of the structured block that holds
it. CECC records are published by the US government, so persons, facts and sources are PUBLIC.

Reading is streamed: rows are checked and converted one at a time and handed to the bulk writer.
A row with a problem (impossible date, a sentence that is not a number, an unknown status code, a
duplicate record number...) is not written at all and is reported as ``line N, field F: reason``;
the other rows are written in one transaction (``strict=True``: any bad row writes nothing).
Re-importing is safe: a record already imported with the same row fingerprint is skipped; one whose
row has changed is reported and left alone, so researchers' edits are never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from habeas.dossiers.bulk import (
    AffiliationIn,
    BulkResult,
    ChargeIn,
    DetentionIn,
    ExternalIdIn,
    LegalStepIn,
    NameIn,
    PersonIn,
    PlaceIn,
    SentenceIn,
    SourceIn,
    Span,
    StatusIn,
    dossiers_bulk_create,
)
from habeas.dossiers.rules import expected_release
from habeas.lib.dates import PartialDate, PartialDateError, add_months

SCHEME = "cecc"
PUBLISHER = "Congressional-Executive Commission on China"
PUBLIC = 0

COLUMNS = (
    "CECC_record_number",
    "detention_status",
    "issue_category",
    "main.name",
    "Chinese.characters..main.name.",
    "alternate.name..lay.or.pen.",
    "additional.name.s.",
    "pinyin.name",
    "ethnic_group",
    "Sex",
    "Age",
    "religion",
    "occupation",
    "affiliation",
    "residence_province",
    "residence_prefecture",
    "residence_county",
    "date_of_detention",
    "current_last_prison_detentioncenter",
    "current_last_sentence_or_time_served_years",
    "current_last_sentence_or_time_served_months",
    "current_last_sentence_or_time_served_weeks",
    "current_last_sentence_or_time_served_days",
    "province_imprisoned_detained",
    "prefecture_imprisoned_detained",
    "county_imprisoned_detained",
    "legal_process",
    "formal_arrest_date",
    "trial_court",
    "trial_date",
    "sentence_court",
    "sentence_date",
    "appeal_court",
    "appeal_date",
    "appeal_ruling_court",
    "appeal_ruling_date",
    "charge_statute",
    "sentence_ends_per_PRC",
    "actual_date_released",
    "short_summary",
)
SUMMARY = "short_summary"
YEARS, MONTHS, WEEKS, DAYS = (
    f"current_last_sentence_or_time_served_{u}" for u in ("years", "months", "weeks", "days")
)
# The structured block lists the columns grouped so that what one fact cites lies on adjacent lines.
BLOCK_ORDER = (
    "CECC_record_number",
    "main.name",
    "Chinese.characters..main.name.",
    "alternate.name..lay.or.pen.",
    "additional.name.s.",
    "pinyin.name",
    "Sex",
    "Age",
    "ethnic_group",
    "religion",
    "occupation",
    "affiliation",
    "residence_province",
    "residence_prefecture",
    "residence_county",
    "issue_category",
    "detention_status",
    "date_of_detention",
    "actual_date_released",
    "current_last_prison_detentioncenter",
    "province_imprisoned_detained",
    "prefecture_imprisoned_detained",
    "county_imprisoned_detained",
    "legal_process",
    "formal_arrest_date",
    "trial_court",
    "trial_date",
    "sentence_court",
    "sentence_date",
    YEARS,
    MONTHS,
    WEEKS,
    DAYS,
    "sentence_ends_per_PRC",
    "appeal_court",
    "appeal_date",
    "appeal_ruling_court",
    "appeal_ruling_date",
    "charge_statute",
)
BLOCK_HEADING = "CECC Political Prisoner Database record {number}, structured fields:"
BLOCK_RULE = "-" * 40


# -- errors ----------------------------------------------------------------------------------------
class CeccFileError(ValueError):
    """The file as a whole cannot be read (encoding, header): nothing is imported."""


class RowError(ValueError):
    """One field of one row is wrong; the row is not imported."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"field {field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    reason: str
    record: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" (record {self.record})" if self.record else "")
        return f"{where}, field {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass
class CeccImportResult:
    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    changed: list[Problem] = field(default_factory=list)
    bad: list[Problem] = field(default_factory=list)
    strict: bool = False
    written: bool = True
    seconds: float = 0.0
    progressed: int = 0  # rows already reported to the progress callback
    bulk: BulkResult = field(default_factory=BulkResult)

    @property
    def bad_rows(self) -> int:
        return len({p.line for p in self.bad})

    def summary(self) -> str:
        rate = self.rows / self.seconds if self.seconds else 0.0
        if not self.written:
            head = f"Nothing was written (--strict and {self.bad_rows:,} bad row(s))."
        else:
            head = (
                f"Imported {self.imported:,} record(s); {self.unchanged:,} unchanged (already imported), "
                f"{len(self.changed):,} changed since the last import (not updated), "
                f"{self.bad_rows:,} bad (not imported)."
            )
        return (
            f"{head}\nRead {self.rows:,} row(s) in {self.seconds:.1f} s ({rate:,.0f} rows/s); "
            f"{self.bulk.facts:,} facts, {self.bulk.citations:,} citations, {self.bulk.places:,} new places."
        )


# -- values ----------------------------------------------------------------------------------------
_DATE = re.compile(r"^(\d{4})(?:[/-](\d{1,2}|mm|MM|\?\?)(?:[/-](\d{1,2}|dd|DD|\?\?))?)?$")
_DAMAGED = re.compile(r"^[\s?()*,.·•'/]*$")


def _absent(value: str) -> bool:
    """Empty, CECC's "(na)", or text whose characters were lost to question marks ("???")."""
    return not value or value == "(na)" or bool(_DAMAGED.match(value))


def cecc_date(value: str, field: str = "date") -> PartialDate | None:
    """``2018/mm/dd`` -> 2018, ``1989/01/dd`` -> 1989-01, ``1989/04/01`` -> 1989-04-01, "" -> None.

    Raises ``RowError`` naming ``field`` for text that is not such a date or a day that cannot exist.
    """
    value = value.strip()
    if not value:
        return None
    match = _DATE.match(value)
    if not match:
        raise RowError(field, f"{value!r} is not a date (expected YYYY/MM/DD, YYYY/MM/dd or YYYY/mm/dd)")
    year, month, day = match.groups()
    month_n = int(month) if month and month.isdigit() else None
    day_n = int(day) if day and day.isdigit() else None
    if day_n is not None and month_n is None:
        raise RowError(field, f"{value!r} gives a day without a month")
    try:
        return PartialDate(int(year), month_n, day_n)
    except PartialDateError as error:
        raise RowError(field, f"{value!r} is impossible: {error}") from None


def _count(row: dict[str, str], column: str, unit: str) -> int:
    value = row[column].strip()
    if not value:
        return 0
    if not value.isdigit():
        raise RowError(column, f"{value!r} is not a number of {unit}")
    return int(value)


_SENTENCE_WORDS = {
    "life": "life",
    "death": "death",
    "dsr": "death_reprieve",
    "dth-r": "death_reprieve",
    "death-r": "death_reprieve",
    "death (reprieve)": "death_reprieve",
    "death with reprieve": "death_reprieve",
}


def cecc_sentence(row: dict[str, str]) -> tuple[str, int, int]:
    """(kind, months, days) from the years/months/weeks/days columns; weeks count as 7 days.

    The years column may also say ``life``, ``death`` or ``DSR`` (death with reprieve).
    """
    years = row[YEARS].strip()
    kind = "fixed"
    if years and not years.isdigit():
        word = _SENTENCE_WORDS.get(years.lower())
        if word is None:
            raise RowError(YEARS, f"{years!r} is not a number of years, nor life, death or DSR")
        kind, years = word, ""
    months = (int(years) if years else 0) * 12 + _count(row, MONTHS, "months")
    days = _count(row, WEEKS, "weeks") * 7 + _count(row, DAYS, "days")
    if kind != "fixed" and (months or days):
        raise RowError(YEARS, f"a {kind.replace('_', ' ')} sentence with a term of months or days")
    return kind, months, days


class _TextOnly(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")


def strip_html(text: str) -> str:
    """The text of a summary without its tags (anchors keep their words), whitespace tidied."""
    if "<" in text or "&" in text:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# -- statutes, statuses, legal steps, places ----------------------------------------------------------
STATUTES = {
    "CL97": "PRC Criminal Law 1997",
    "CL79": "PRC Criminal Law 1979",
    "PSAPL": "PRC Public Security Administration Punishments Law",
}
# Charge names for the articles that recur in the data; others keep CECC's code as their text.
CHARGE_NAMES = {
    ("CL97", "102"): "endangering national sovereignty (treason)",
    ("CL97", "103(1)"): "splitting the state",
    ("CL97", "103(2)"): "inciting splittism",
    ("CL97", "103"): "splitting the state or inciting splittism",
    ("CL97", "105"): "subversion or inciting subversion of state power",
    ("CL97", "105(1)"): "subversion of state power",
    ("CL97", "105(2)"): "inciting subversion of state power",
    ("CL97", "110"): "espionage",
    (
        "CL97",
        "111",
    ): "stealing, spying on, buying or illegally providing state secrets or intelligence abroad",
    ("CL97", "225"): "illegal business activity",
    ("CL97", "232"): "intentional homicide",
    ("CL97", "266"): "fraud",
    ("CL97", "274"): "extortion",
    ("CL97", "277(1)"): "obstructing official business",
    ("CL97", "290(1)"): "gathering a crowd to disturb social order",
    ("CL97", "291"): "gathering a crowd to disturb order in a public place",
    ("CL97", "293"): "picking quarrels and provoking trouble",
    ("CL97", "296"): "illegal assembly, procession or demonstration",
    ("CL97", "300"): "organising or using a cult to undermine implementation of the law",
    ("CL97", "300(1)"): "organising or using a cult to undermine implementation of the law",
    ("CL79", "98"): "organising or leading a counterrevolutionary group",
    ("CL79", "102"): "counterrevolutionary propaganda and incitement",
    ("CL79", "160"): "hooliganism",
}
# Words that, found in a summary, quote the charge (searched case-insensitively).
CHARGE_WORDS = {
    "103": ("splitting the state", "splittism", "separatism"),
    "105": ("inciting subversion", "subversion of state power", "subversion"),
    "111": ("state secrets", "intelligence"),
    "225": ("illegal business",),
    "293": ("picking quarrels", "provoking trouble"),
    "296": ("illegal assembly", "illegal demonstration"),
    "300": ("cult",),
    "102": ("counterrevolutionary propaganda", "counterrevolutionary incitement"),
    "98": ("counterrevolutionary group", "counterrevolutionary organization"),
    "290": ("gathering a crowd", "disturb social order", "disrupting social order"),
}
_STATUTE = re.compile(r"^(?P<code>[A-Za-z]+\d*)-art(?P<article>\d+[a-z]?(?:\(\d+\))?)$")

_STATUSES = {
    "DET": "detained",
    "REL": "released",
    "DEC": "deceased",
    "ESC": "escaped",
    "HOUSE": "house_arrest",
}
_STATUS = re.compile(r"^(?P<code>[A-Z]+)(?P<q>\?)?(?:[-/](?P<detail>.+))?$")
_STATUS_NOTES = {
    "bail": "on bail (qubao houshen)",
    "life": "serving a life sentence",
    "suspend": "suspended sentence",
    "med": "medical parole or treatment",
    "dth-r": "death sentence with reprieve",
    "surveil": "under residential surveillance",
    "dec": "released, later died",
    "PSB": "released by the public security bureau",
    "ill": "died of illness",
    "exe": "executed",
    "?": "death not confirmed",
}

# legal_process codes: what each step is called here, and the step's outcome text.
_STEPS = {
    "PSB": ("detention", "held by public security"),
    "PSB-house": ("detention", "house arrest by public security"),
    "chg": ("indictment", "charged"),
    "tri": ("trial", ""),
    "tri-open": ("trial", "open trial"),
    "tri-close": ("trial", "closed trial"),
    "tri-retri": ("trial", "retrial"),
    "sent": ("sentence", ""),
    "sent-open": ("sentence", "sentenced in open court"),
    "sent-close": ("sentence", "sentenced in closed court"),
    "sent-suspend": ("sentence", "suspended sentence"),
    "sent-house": ("sentence", "sentenced to house arrest"),
    "admin-RTL": ("detention", "administrative: re-education through labour"),
    "admin-other": ("detention", "administrative detention"),
    "admin-psych": ("detention", "administrative: psychiatric detention"),
    "admin-ankang": ("detention", "administrative: Ankang psychiatric detention"),
    "rel": ("release", ""),
    "rel-PSB": ("release", "released by public security"),
    "dec": ("other", "died"),
    "exe": ("other", "executed"),
    "esc": ("other", "escaped"),
}
_MEASURES = (
    ("admin-RTL", "reeducation"),
    ("admin-psych", "psychiatric"),
    ("admin-ankang", "psychiatric"),
    ("admin-other", "administrative"),
    ("PSB-house", "house_arrest"),
    ("chg", "criminal_detention"),
    ("tri", "criminal_detention"),
    ("sent", "criminal_detention"),
)
_STEP_COLUMNS = {
    "formal_arrest": ("", "formal_arrest_date"),
    "trial": ("trial_court", "trial_date"),
    "sentence": ("sentence_court", "sentence_date"),
    "appeal": ("appeal_court", "appeal_date"),
    "appeal_ruling": ("appeal_ruling_court", "appeal_ruling_date"),
    "release": ("", "actual_date_released"),
}

_PLACE_KINDS = (
    (
        re.compile(
            r"general location|gen'l location|gen\. area|general area|\(location\)|site unknown", re.I
        ),
        "unknown",
    ),
    (re.compile(r"ankang|psychiatric|mental", re.I), "psychiatric"),
    (re.compile(r"rsdl|residential surveillance", re.I), "rsdl_site"),
    (re.compile(r"admin\.? det|administrative det", re.I), "administrative_detention"),
    (re.compile(r"\bRTL\b|re-?education|legal education|transformation", re.I), "reeducation"),
    (re.compile(r"labou?r camp|laogai", re.I), "labour_camp"),
    (re.compile(r"det\.|detention|\bdet ctr", re.I), "detention_centre"),
    (re.compile(r"prison|\bpr\.|jail", re.I), "prison"),
    (re.compile(r"police|\bPSB\b", re.I), "police_station"),
    (re.compile(r"black jail", re.I), "black_jail"),
)
_NOT_A_PLACE = {"(na)", "wanted by PSB"}
_BRACKETED = re.compile(r"(\S+)\s*\[([^\]]+)\]")
_FOREIGN = {"Hong Kong [Xianggang] SAR": "HK", "Macao SAR": "MO", "[foreign]": ""}


def place_kind(name: str) -> str:
    for pattern, kind in _PLACE_KINDS:
        if pattern.search(name):
            return kind
    return "other" if name.lower().startswith("residence") else "unknown"


def bracket_forms(text: str) -> list[str]:
    """``Lasa [Lhasa] Shi`` -> ``["Lasa Shi", "Lhasa Shi"]``: the name read either way."""
    if "[" not in text:
        return []
    first = " ".join(_BRACKETED.sub(r"\1", text).split())
    second = " ".join(_BRACKETED.sub(r"\2", text).split())
    return [form for form in dict.fromkeys((first, second)) if form and form != text]


def _country(province: str) -> str:
    if province in _FOREIGN:
        return _FOREIGN[province]
    return "CN" if province and not _absent(province) else ""


# -- the source text ---------------------------------------------------------------------------------
class _Text:
    """The source text being built, and where each column's value lies in it."""

    def __init__(self, number: str, summary: str, row: dict[str, str]) -> None:
        parts = [summary, ""] if summary else []
        parts += [BLOCK_RULE, BLOCK_HEADING.format(number=number)]
        offset = sum(len(p) + 1 for p in parts)
        self.block_start = len(summary)
        self.values: dict[str, tuple[int, int]] = {}
        for column in BLOCK_ORDER:
            value = row[column].strip()
            if _absent(value):
                continue
            line = f"{column}: {value}"
            start = offset + len(column) + 2
            self.values[column] = (start, start + len(value))
            parts.append(line)
            offset += len(line) + 1
        parts.append(BLOCK_RULE)
        self.text = "\n".join(parts)
        self.summary = summary
        self.lower_summary = summary.lower()

    def column(self, *columns: str) -> Span | None:
        """The span from the first to the last of these columns' values in the block."""
        spans = [self.values[c] for c in columns if c in self.values]
        if not spans:
            return None
        return min(s for s, _ in spans), max(e for _, e in spans)

    def within(self, column: str, needle: str) -> Span | None:
        """``needle`` inside the column's value, else the whole value."""
        span = self.values.get(column)
        if span is None:
            return None
        at = self.text.find(needle, span[0], span[1]) if needle else -1
        return (at, at + len(needle)) if at >= 0 else span

    def quote(self, needle: str, *, ignore_case: bool = False) -> Span | None:
        """The first place the summary says ``needle`` (a whole word or phrase)."""
        if not needle or not self.summary:
            return None
        haystack = self.lower_summary if ignore_case else self.summary
        target = needle.lower() if ignore_case else needle
        at = haystack.find(target)
        while at >= 0:
            end = at + len(target)
            before = haystack[at - 1] if at else " "
            after = haystack[end] if end < len(haystack) else " "
            if not before.isalnum() and not after.isalnum():
                return at, end
            at = haystack.find(target, at + 1)
        return None


# -- one row ---------------------------------------------------------------------------------------
def fingerprint(values: list[str]) -> str:
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()


_NAME_MARKER = re.compile(r"\((pen|religious|lay) name\)")


def _name_pieces(value: str) -> list[tuple[str, str]]:
    """(text as written, kind hint) for each name in a list like ``A, B?; "C," (D?) (pen name)``."""
    pieces = []
    for part in re.split(r"[;,]", value):
        hint = ""
        marker = _NAME_MARKER.search(part)
        if marker:
            hint = {"pen": "pen", "religious": "religious", "lay": "birth"}[marker.group(1)]
            part = part[: marker.start()] + part[marker.end() :]
        for raw in re.split(r"[()]", part):
            text = raw.strip().strip("\"'“”").strip().rstrip("?").strip()
            for prefix in ("alt.", "or "):
                if text.startswith(prefix):
                    text = text[len(prefix) :].strip()
            if text and not _absent(text):
                pieces.append((text, hint))
    return pieces


def row_bundle(row: dict[str, str], values: list[str]) -> PersonIn:
    """The bundle for one CSV row; raises ``RowError`` naming the field at fault."""
    number = row["CECC_record_number"].strip()
    if not re.fullmatch(r"\d{4}-\d{5}", number):
        raise RowError("CECC_record_number", f"{number!r} is not a CECC record number (like 2004-00001)")
    summary = strip_html(row[SUMMARY])
    text = _Text(number, summary, row)

    # Everything that can be wrong is read first, so a bad row builds nothing.
    dates = {
        column: cecc_date(row[column], column)
        for column in (
            "date_of_detention",
            "formal_arrest_date",
            "trial_date",
            "sentence_date",
            "appeal_date",
            "appeal_ruling_date",
            "sentence_ends_per_PRC",
            "actual_date_released",
        )
    }
    sentence_kind, term_months, term_days = cecc_sentence(row)
    age_text = row["Age"].strip()
    if age_text and not (age_text.isdigit() and int(age_text) <= 120):
        raise RowError("Age", f"{age_text!r} is not an age in years")
    sex = row["Sex"].strip().upper()
    if sex not in ("", "M", "F"):
        raise RowError("Sex", f"{row['Sex']!r} is not M or F")
    status_raw = row["detention_status"].strip()
    status_match = _STATUS.match(status_raw)
    if not status_match or status_match["code"] not in _STATUSES:
        raise RowError(
            "detention_status", f"unknown status {status_raw!r} (expected DET, REL, DEC, ESC, HOUSE)"
        )
    tokens = [t.strip() for t in row["legal_process"].split("/") if t.strip()]
    for token in tokens:
        if token.rstrip("?").removesuffix("-app") not in _STEPS and token.rstrip("?") != "admin-RTL-app":
            raise RowError("legal_process", f"unknown step {token!r}")
    charges = []
    for code in (c.strip() for c in re.split(r"[/;,]", row["charge_statute"]) if c.strip()):
        match = _STATUTE.match(code)
        if not match:
            raise RowError("charge_statute", f"{code!r} is not a statute code like CL97-art105(2)")
        charges.append((code, match["code"], match["article"]))

    # -- names
    names: list[NameIn] = []
    main = row["main.name"].strip()
    if _absent(main):
        raise RowError("main.name", "no name")
    names.append(NameIn(main, kind="main", span=text.quote(main) or text.within("main.name", main)))
    for piece, _ in _name_pieces(row["Chinese.characters..main.name."]):
        names.append(
            NameIn(
                piece, kind="main", language="zh", span=text.within("Chinese.characters..main.name.", piece)
            )
        )
    for column, default in (("alternate.name..lay.or.pen.", "alias"), ("additional.name.s.", "alias")):
        for piece, hint in _name_pieces(row[column]):
            span = text.quote(piece) or text.within(column, piece)
            names.append(NameIn(piece, kind=hint or default, span=span))
    for piece, _ in _name_pieces(row["pinyin.name"]):
        names.append(
            NameIn(piece, kind="romanisation", scheme="pinyin", span=text.within("pinyin.name", piece))
        )

    # -- detention: place, steps, charges, sentence
    notes: list[str] = []
    started = dates["date_of_detention"]
    released = dates["actual_date_released"]
    prison = row["current_last_prison_detentioncenter"].strip()
    place = None
    if prison and prison not in _NOT_A_PLACE and not _absent(prison):
        clean = " ".join(prison.replace("?", " ").split()).replace(" )", ")")
        if "?" in prison:
            notes.append(f"Place of detention not confirmed by CECC: {prison}")
        province = row["province_imprisoned_detained"].strip()
        place = PlaceIn(
            name=clean,
            kind=place_kind(clean),
            country=_country(province),
            province="" if _absent(province) else province,
            prefecture=""
            if _absent(row["prefecture_imprisoned_detained"])
            else row["prefecture_imprisoned_detained"].strip(),
            county=""
            if _absent(row["county_imprisoned_detained"])
            else row["county_imprisoned_detained"].strip(),
            other_names=bracket_forms(clean),
        )
    elif prison and not _absent(prison):
        notes.append(f"Place of detention per CECC: {prison}")

    bare = {t.rstrip("?") for t in tokens}
    measure = next((m for code, m in _MEASURES if any(t.startswith(code) for t in bare)), "unknown")
    if tokens:
        notes.append(f"CECC legal process: {row['legal_process'].strip()}")
    steps: list[LegalStepIn] = []
    covered: set[str] = set()
    process_span = text.column("legal_process")
    if dates["formal_arrest_date"]:
        steps.append(
            LegalStepIn("formal_arrest", dates["formal_arrest_date"], span=text.column("formal_arrest_date"))
        )
        covered.add("formal_arrest")
    for token in tokens:
        uncertain = token.endswith("?")
        code = token.rstrip("?")
        appealed = code.endswith("-app")
        kind, outcome = _STEPS[code.removesuffix("-app")]
        if kind in covered and kind in ("trial", "sentence", "release"):
            continue
        court_col, date_col = _STEP_COLUMNS.get(kind, ("", ""))
        steps.append(
            LegalStepIn(
                kind,
                dates.get(date_col),
                court=row[court_col].strip() if court_col else "",
                outcome=outcome,
                uncertain=uncertain,
                span=text.column(*(c for c in (court_col, date_col, "legal_process") if c)) or process_span,
            )
        )
        covered.add(kind)
        if appealed:
            for step_kind in ("appeal", "appeal_ruling"):
                court_col, date_col = _STEP_COLUMNS[step_kind]
                if step_kind == "appeal_ruling" and not (row[court_col].strip() or dates[date_col]):
                    continue
                steps.append(
                    LegalStepIn(
                        step_kind,
                        dates[date_col],
                        court=row[court_col].strip(),
                        uncertain=uncertain,
                        span=text.column(court_col, date_col) or process_span,
                    )
                )
                covered.add(step_kind)
    # Court and date columns filled in although the process does not name the step.
    for kind in ("trial", "sentence", "appeal", "appeal_ruling"):
        court_col, date_col = _STEP_COLUMNS[kind]
        if kind not in covered and (row[court_col].strip() or dates[date_col]):
            steps.append(
                LegalStepIn(
                    kind, dates[date_col], court=row[court_col].strip(), span=text.column(court_col, date_col)
                )
            )
    charge_ins = []
    for code, prefix, article in charges:
        base = article.split("(")[0]
        span = None
        for words in CHARGE_WORDS.get(base, ()):
            span = text.quote(words, ignore_case=True)
            if span:
                break
        charge_ins.append(
            ChargeIn(
                text=CHARGE_NAMES.get((prefix, article)) or CHARGE_NAMES.get((prefix, base)) or code,
                statute=STATUTES.get(prefix, prefix),
                article=article,
                span=span or text.within("charge_statute", code),
            )
        )

    detail = (status_match["detail"] or "").strip()
    detail_bare = detail.rstrip("?")
    if detail_bare in ("life", "dth-r"):
        sentence_kind = {"life": "life", "dth-r": "death_reprieve"}[detail_bare]
    elif sentence_kind == "fixed" and (detail == "suspend" or "sent-suspend" in bare):
        sentence_kind = "suspended"
    elif sentence_kind == "fixed" and (detail == "exe" or "exe" in bare) and not (term_months or term_days):
        sentence_kind = "death"
    sentenced = any(t.startswith(("sent", "admin")) for t in bare) or sentence_kind != "fixed"
    sentences = []
    if sentenced and (sentence_kind != "fixed" or term_months or term_days):
        sentences.append(
            SentenceIn(
                kind=sentence_kind,
                term_months=term_months or None if sentence_kind in ("fixed", "suspended") else None,
                term_days=term_days if sentence_kind in ("fixed", "suspended") else 0,
                term_starts=_term_start(
                    sentence_kind, term_months, term_days, started, dates["sentence_ends_per_PRC"]
                ),
                pronounced=dates["sentence_date"],
                court=row["sentence_court"].strip(),
                span=text.column("sentence_court", "sentence_date", YEARS, MONTHS, WEEKS, DAYS)
                or text.column("detention_status"),
            )
        )
        if any(t.startswith("admin") for t in bare) and not any(t.startswith("sent") for t in bare):
            notes.append("The term is an administrative one (no court sentence).")
    elif term_months or term_days:
        notes.append(f"Time served per CECC (no sentence recorded): {_term_text(term_months, term_days)}.")
    ends = dates["sentence_ends_per_PRC"]
    if ends:
        note = f"Sentence ends per PRC (CECC): {ends}"
        if sentence_kind in ("fixed", "suspended") and started and (term_months or term_days):
            window = expected_release(
                kind="fixed", term_months=term_months, term_days=term_days, term_starts=started
            )
            if window:
                computed = window.as_partial()
                agrees = window.earliest <= ends.latest and ends.earliest <= window.latest
                note += (
                    f"; computed from the detention date and the term: {computed}"
                    f" ({'consistent' if agrees else 'differs'})"
                )
                if not agrees and sentences and sentences[0].term_starts:
                    note += (
                        f"; the term is counted from {sentences[0].term_starts} so that it ends on that date"
                    )
        notes.append(note + ".")

    age = int(age_text) if age_text else None
    detention = DetentionIn(
        started=started,
        ended=released,
        measure=measure,
        age_at_start=age,
        place=place,
        legal_steps=steps,
        charges=charge_ins,
        sentences=sentences,
        notes="\n".join(notes),
        span=text.column(
            "date_of_detention",
            "actual_date_released",
            "current_last_prison_detentioncenter",
            "province_imprisoned_detained",
            "prefecture_imprisoned_detained",
            "county_imprisoned_detained",
        )
        or text.column("detention_status"),
    )

    # -- status
    status = _STATUSES[status_match["code"]]
    uncertain = bool(status_match["q"]) or detail == "?"
    status_note = f"CECC status {status_raw}"
    if detail:
        status_note += f": {_STATUS_NOTES.get(detail_bare, _STATUS_NOTES.get(detail, detail))}"
        if detail.endswith("?") and detail != "?":
            status_note += " (not confirmed)"
    if status == "released" and detail == "dec":
        status = "deceased"
    status_date = None
    if status == "released":
        status_date = released
    elif status in ("detained", "house_arrest"):
        status_date = started
    status_span = text.column(
        "detention_status",
        *(("date_of_detention",) if status_date is started and started else ()),
        *(("actual_date_released",) if status_date is released and released else ()),
    )

    affiliations = [
        AffiliationIn(org, span=text.quote(org) or text.within("affiliation", org))
        for org in [row["affiliation"].strip()]
        if not _absent(org)
    ]
    province = row["residence_province"].strip()

    def field_value(column: str) -> str:
        value = row[column].strip()
        return "" if _absent(value) else value

    return PersonIn(
        source=SourceIn(
            text=text.text,
            title=f"CECC Political Prisoner Database record {number}",
            publisher=PUBLISHER,
            kind="database",
            official=False,
            language="en",
            confidentiality=PUBLIC,
            external_ref=f"{SCHEME}:{number}",
        ),
        names=names,
        sex=sex,
        ethnicity=field_value("ethnic_group"),
        religion=field_value("religion"),
        occupation=field_value("occupation"),
        residence_country=_country(province),
        residence_province=field_value("residence_province"),
        residence_prefecture=field_value("residence_prefecture"),
        residence_county=field_value("residence_county"),
        issue_category=field_value("issue_category"),
        summary_public=summary,
        confidentiality=PUBLIC,
        span=(text.block_start + (2 if summary else 0), len(text.text)),
        external_ids=[ExternalIdIn(SCHEME, number, fingerprint(values))],
        detentions=[detention],
        statuses=[
            StatusIn(
                status, status_date, uncertain=uncertain, note=status_note, detention=0, span=status_span
            )
        ],
        affiliations=affiliations,
    )


def _term_start(
    kind: str, months: int, days: int, started: PartialDate | None, ends: PartialDate | None
) -> PartialDate | None:
    """Where the PRC's own end date (to the day) disagrees with a term counted from the detention date,
    the day the term must count from to end then; None (count from the detention) otherwise."""
    if kind != "fixed" or ends is None or ends.day is None or not (months or days):
        return None
    if started is not None:
        window = expected_release(kind=kind, term_months=months, term_days=days, term_starts=started)
        if window and window.earliest <= ends.latest and ends.earliest <= window.latest:
            return None
    first = add_months(ends.earliest + dt.timedelta(days=1 - days), -months)
    check = expected_release(
        kind=kind, term_months=months, term_days=days, term_starts=PartialDate.from_date(first)
    )
    if check is None or check.earliest != ends.earliest:
        return None
    return PartialDate.from_date(first)


def _term_text(months: int, days: int) -> str:
    years, months = divmod(months, 12)
    parts = [
        f"{n} {unit}{'s' if n != 1 else ''}"
        for n, unit in ((years, "year"), (months, "month"), (days, "day"))
        if n
    ]
    return ", ".join(parts) or "none"


# -- the file --------------------------------------------------------------------------------------
def check_utf8(path: Path, chunk_size: int = 1 << 20) -> None:
    """Refuse a file that is not UTF-8 (a byte-order mark is fine), naming the first bad byte."""
    offset = 0  # of data[0] in the file
    newlines = 0
    carry = b""
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(chunk_size)
            data = carry + chunk
            try:
                data.decode("utf-8")
                carry = b""
            except UnicodeDecodeError as error:
                if chunk and error.reason == "unexpected end of data" and len(data) - error.start < 4:
                    # A character cut in two by the chunk boundary: finish it with the next chunk.
                    carry = data[error.start :]
                    data = data[: error.start]
                else:
                    line = newlines + data[: error.start].count(b"\n") + 1
                    raise CeccFileError(
                        f"{path.name} is not UTF-8 (byte 0x{data[error.start]:02x} at offset "
                        f"{offset + error.start}, line {line}); save it as UTF-8 (e.g. a spreadsheet's "
                        "'CSV UTF-8' format) and import again. Nothing was written."
                    ) from None
            if not chunk:
                return
            offset += len(data)
            newlines += data.count(b"\n")


def _read_rows(
    stream: TextIO, result: CeccImportResult, name: str
) -> Iterator[tuple[int, dict[str, str], list[str]]]:
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise CeccFileError(f"{name} is empty: expected a header line naming the CECC columns") from None
    except csv.Error as error:
        raise CeccFileError(f"{name}, line 1: not readable as CSV ({error})") from None
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        looks_like_data = bool(header) and re.fullmatch(r"\d{4}-\d{5}", header[0] or "") is not None
        raise CeccFileError(
            f"{name}, line 1: "
            + ("no header line (the first line is a record); " if looks_like_data else "")
            + f"missing column(s): {', '.join(missing)}. Nothing was written."
        )
    duplicated = sorted({h for h in header if header.count(h) > 1 and h in COLUMNS})
    if duplicated:
        raise CeccFileError(
            f"{name}, line 1: column(s) named twice: {', '.join(duplicated)}. Nothing was written."
        )
    position = [header.index(c) for c in COLUMNS]
    width = len(header)
    line = 2
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            result.bad.append(Problem(line, "", f"not readable as CSV ({error})"))
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        result.rows += 1
        if len(values) != width:
            result.bad.append(Problem(start, "", f"{len(values)} fields where the header has {width}"))
            continue
        yield start, {c: values[i] for c, i in zip(COLUMNS, position, strict=True)}, values


def cecc_bundles(
    stream: TextIO,
    result: CeccImportResult,
    *,
    known: dict[str, str],
    name: str = "file",
    progress: Callable[[int], None] | None = None,
) -> Iterator[PersonIn]:
    """Bundles for the rows to import; bad, unchanged and changed rows are counted in ``result``.

    ``progress(n)`` is called every few hundred rows read with the number read since the last call.
    """
    seen: dict[str, int] = {}
    for line, row, values in _read_rows(stream, result, name):
        if progress and result.rows - result.progressed >= 200:
            progress(result.rows - result.progressed)
            result.progressed = result.rows
        number = row["CECC_record_number"].strip()
        if number in seen:
            result.bad.append(
                Problem(line, "CECC_record_number", f"duplicate of line {seen[number]}", record=number)
            )
            continue
        if number:
            seen[number] = line
        try:
            bundle = row_bundle(row, values)
        except RowError as error:
            result.bad.append(Problem(line, error.field, error.reason, record=number))
            continue
        previous = known.get(number)
        if previous is not None:
            if previous == bundle.external_ids[0].fingerprint:
                result.unchanged += 1
            else:
                result.changed.append(
                    Problem(
                        line,
                        "",
                        "changed since it was imported; not updated (edit it by hand)",
                        record=number,
                    )
                )
            continue
        result.imported += 1
        bundle.row = line
        yield bundle


def cecc_import(
    path: str | Path,
    *,
    by: Any = None,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
) -> CeccImportResult:
    """Import a CECC CSV file; see the module's description. Raises ``CeccFileError`` (nothing written)
    for a file that cannot be read as a whole; bad rows are listed in the result."""
    from habeas.dossiers.models import ExternalId

    path = Path(path)
    started = time.monotonic()
    check_utf8(path)
    result = CeccImportResult(strict=strict)

    class _Abort(Exception):
        pass

    try:
        with transaction.atomic():
            known = dict(ExternalId.objects.filter(scheme=SCHEME).values_list("value", "fingerprint"))
            with path.open(encoding="utf-8-sig", newline="") as stream:
                result.bulk = dossiers_bulk_create(
                    cecc_bundles(stream, result, known=known, name=path.name, progress=progress),
                    by=by,
                    note=f"CECC import {path.name}",
                    batch_size=batch_size,
                )
            if progress and result.rows > result.progressed:
                progress(result.rows - result.progressed)
                result.progressed = result.rows
            if strict and result.bad:
                raise _Abort
    except _Abort:
        result.written = False
        result.imported = 0
    result.seconds = time.monotonic() - started
    return result

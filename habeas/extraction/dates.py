"""Dates written in reports, resolved against the publication date, with the precision they give.

"on Nov. 9" in a page published 2011-03-04 is 2010-11-09 (the year closest to the publication date);
"earlier this year" is 2011; "in late 2015" is 2015. Durations ("a 13-year sentence", "eight years",
"2,000 yuan") are not dates: the patterns only take month names, four-digit years that are not followed
by a unit, and a few relative phrases.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from habeas.lib.dates import PartialDate, PartialDateError

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = (
    r"(?P<year>(?:19|20)\d\d)"
    r"(?![\d,]*\s*(?:-|‐|\s)?(?:years?|months?|weeks?|days?|yuan|RMB|US|dollars|people|km)\b)(?!\d)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_PATTERNS = [
    # ISO and slashed numeric dates.
    re.compile(r"\b(?P<year>(?:19|20)\d\d)[-/](?P<month_n>[01]?\d)[-/](?P<day>[0-3]?\d)\b"),
    # 9 November 2010 / 9 Nov / 15 August 11 (a citation's two-digit year)
    re.compile(
        rf"\b{_DAY}\s+{_MONTH}(?:,?\s+(?:{_YEAR}|(?P<yy>\d\d)\b(?![-‐\s]*(?:years?|days?)\b)))?", re.I
    ),
    # November 9, 2010 / Nov. 9 2010 / Nov. 9
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?", re.I),
    # November 2010 / Nov. of 2010 / December, 1999
    re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}", re.I),
    # a bare year (early 2016, in 2010, the 2008 Olympics)
    re.compile(rf"\b{_YEAR}"),
    # relative phrases
    re.compile(
        r"\b(?P<rel>(?:earlier|later|late|early)?\s*this\s+(?:year|month)|last\s+(?:year|month)"
        r"|yesterday|today|(?:last|this\s+past)\s+(?:"
        + "|".join(_WEEKDAYS)
        + r")|on\s+(?:"
        + "|".join(_WEEKDAYS)
        + r"))\b",
        re.I,
    ),
]


_ATTRIBUTIVE = re.compile(r"\b(?:a|an|the|his|her|their)\s+$", re.I)
# "January 13 and 27, 2000", "March 29 and March 30, 2008": the first day takes the year written after
_SHARED_YEAR = re.compile(
    rf"\s*(?:,\s*)?(?:and|or|to|through|-|–)\s+(?:{_MONTH}\s+)?[0-3]?\d(?:st|nd|rd|th)?,?\s+{_YEAR}", re.I
)
# a source's date, not an event's: "According to a December 6, 2010, CHRD report", "an April 2009 RFA report"
_SOURCE_BEFORE = re.compile(
    r"(?:\b(?:according\s+to|based\s+on|citing)(?:\s+(?:an?|the))?|\bin\s+(?:an?|the)|\breports?\s+(?:from|of))"
    r"\s+$",
    re.I,
)
_SOURCE_AFTER = re.compile(
    r",?\s+(?:[\w&’'(),-]+\s+){0,6}?(?:report|article|statement|broadcast|list|letter|post|blog|issue|update)s?\b",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: PartialDate
    bracketed: bool = False  # inside (...): often a source's date, not an event's
    attribution: bool = False  # "According to a December 6, 2010, CHRD report": the source's date

    @property
    def iso(self) -> str:
        return self.value.isoformat()


def _closest_year(month: int, day: int | None, published: dt.date | None) -> int | None:
    """The year that puts month/day closest to the publication date (news is mostly about the recent past:
    "on January 13" in a page of July 23 is the January before, not the one after)."""
    if published is None:
        return None
    best: tuple[int, int] | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            when = dt.date(year, month, day or 15)
        except ValueError:
            continue
        # reports are mostly about the past: a later date must be much closer to be chosen
        distance = (when - published).days * 4 if when > published else (published - when).days
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def _relative(phrase: str, published: dt.date | None) -> PartialDate | None:
    if published is None:
        return None
    words = phrase.lower().split()
    if "yesterday" in words:
        return PartialDate.from_date(published - dt.timedelta(days=1))
    if "today" in words:
        return PartialDate.from_date(published)
    for index, name in enumerate(_WEEKDAYS):
        if name in words:
            back = (published.weekday() - index) % 7 or 7
            return PartialDate.from_date(published - dt.timedelta(days=back))
    if words[-1] == "year":
        return PartialDate(published.year - (1 if "last" in words else 0))
    if "last" in words:
        first = published.replace(day=1) - dt.timedelta(days=1)
        return PartialDate(first.year, first.month)
    return PartialDate(published.year, published.month)


def find_dates(text: str, published: dt.date | None = None) -> list[DateMention]:
    """Every date in ``text``, longest reading first where two overlap, in text order."""
    taken: list[tuple[int, int]] = []
    matches: list[re.Match[str]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(start < e and s < end for s, e in taken):
                taken.append((start, end))
                matches.append(match)
    matches.sort(key=lambda m: m.start())
    found: list[DateMention] = []
    last_start = 0
    context: int | None = None  # the year the narrative is in: "On May 7, 2015, ... on May 9, ..."
    paragraph_ends = [m.start() for m in re.finditer(r"\n\s*\n", text)]
    shared_until = -1  # the end of a year written for two days ("June 6 and 7, 2011"): not a date of its own
    for match in matches:
        if match.start() < shared_until and not match.groupdict().get("month"):
            continue
        if _ATTRIBUTIVE.search(text, max(0, match.start() - 6), match.start()) and match.group().isdigit():
            continue  # "a 1989 Tiananmen activist", "the 2008 Olympics": a year naming something
        if context is not None and any(last_start < end <= match.start() for end in paragraph_ends):
            context = None  # a narrative's year carries within its paragraph only
        last_start = match.start()
        value = _value(match, text, published, context)
        if value is None:
            continue
        if (
            value.month
            and "year" in match.groupdict()
            and not match["year"]
            and not match.groupdict().get("yy")
        ):
            shared = _SHARED_YEAR.match(text, match.end())
            if shared:
                value = PartialDate(int(shared["year"]), value.month, value.day)
                shared_until = shared.end()
        # a written year sets the narrative's year, a source's "(RFA, 12 June 11)" included: "on June 9"
        # after it is in 2011, not in the year closest to a much later publication date
        if any(match.groupdict().get(key) for key in ("year", "yy")):
            context = value.year
        start, end = match.span()
        opened = text.rfind("(", max(0, start - 80), start)
        bracketed = opened >= 0 and text.find(")", opened, start) < 0
        attribution = bool(
            _SOURCE_BEFORE.search(text, max(0, start - 20), start) and _SOURCE_AFTER.match(text, end)
        ) or bool(bracketed and match.groupdict().get("yy"))  # a citation: "Radio Free Asia (13 July 11)"
        found.append(DateMention(start, end, value, bracketed, attribution))
    return found


def _value(
    match: re.Match[str], text: str, published: dt.date | None, context: int | None = None
) -> PartialDate | None:
    groups = match.groupdict()
    if groups.get("rel"):
        return _relative(groups["rel"], published)
    month: int | None = None
    if groups.get("month_n"):
        month = int(groups["month_n"])
    elif groups.get("month"):
        word = groups["month"].lower().rstrip(".")
        # "may" and "march" are words too: only capitalised.
        if groups["month"][0].islower():
            return None
        month = MONTHS[word]
    day = int(groups["day"]) if groups.get("day") else None
    year = int(groups["year"]) if groups.get("year") else None
    if year is None and groups.get("yy"):
        year = int(groups["yy"]) + (1900 if int(groups["yy"]) > 50 else 2000)
    if year is None and month is not None and context is not None:
        try:
            if published is None or dt.date(context, month, day or 1) <= published:
                year = context
        except ValueError:
            return None
    if year is None and month is not None:
        year = _closest_year(month, day, published)
    if year is None:
        return None
    try:
        return PartialDate(year, month, day if month else None)
    except PartialDateError:
        return None


def parse_published(value: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` (or a coarser ISO date, read as its first day) -> date; None stays None."""
    if not value:
        return None
    try:
        partial = PartialDate.parse(value)
    except PartialDateError as error:
        raise PartialDateError(f"publication date {value!r}: {error}") from None
    return dt.date(partial.year, partial.month or 1, partial.day or 1)

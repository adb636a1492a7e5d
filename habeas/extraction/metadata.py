"""Title, publisher, publication date and language, found where a document says them.

HTML pages say them in meta tags, JSON-LD and ``<time>``; plain text and PDF text say them in the first
lines ("Published: 14 March 2011", a "Nov. 9, 2002" dateline, a "© 2002 Riverside Courier" footer).
Nothing here guesses from the file's dates: a wrong publication date would mis-date every relative date
("last month") read from the text, so an unknown date stays unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from habeas.extraction.boilerplate import main_spans
from habeas.lib.dates import PartialDate, PartialDateError

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    # 2002-11-09, 2002-11-09T10:42:00Z, 2002/11/09, 2002.11.09
    re.compile(r"\b(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?P<year>\d{4})\s*年\s*(?P<mon>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    # 2002-11 alone (a month), as some meta tags give it
    re.compile(r"^\s*(?P<year>\d{4})-(?P<mon>\d{2})\s*$"),
]
# Lines near the top that announce the date, in the order they are trusted.
_DATE_LABEL = re.compile(
    r"^\s*(?:published|publication date|date published|posted|date|released|issued|发布时间|发布日期|日期)"
    r"(?:\s+(?:on|at))?\s*[:：]?\s*",
    re.IGNORECASE,
)
_UPDATED = re.compile(r"^\s*(?:last\s+)?(?:updated|modified|edited)\b", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?(?P<who>[^.|]{2,80}?)"
    r"\s*(?:\.|,?\s*all rights reserved|\||$)",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(
    r"^\s*(?:source|publisher|published by|来源)\s*[:：]\s*(?P<who>.{2,120}?)\s*$", re.I
)
# "2011年3月4日 08:30  来源：西北日报": Chinese pages name the publisher beside the date.
_SOURCE_INLINE = re.compile(r"来源[:：]\s*(?P<who>[^\s|｜]{2,40})")
TOP_LINES = 40


@dataclass
class Metadata:
    title: str = ""
    publisher: str = ""
    published: PartialDate | None = None
    language: str = ""
    url: str = ""

    def fill(self, other: Metadata) -> None:
        """Take from ``other`` what this one does not know yet."""
        for name in ("title", "publisher", "published", "language", "url"):
            if not getattr(self, name) and getattr(other, name):
                setattr(self, name, getattr(other, name))


def date_find(text: str, *, today: dt.date | None = None) -> PartialDate | None:
    """The first complete date (a year at least) written in ``text``, at the precision it is written.

    Dates after ``today`` are refused: a page does not come from the future, and "2031" in a headline
    is more likely a number than a date.
    """
    limit = today or dt.date.today()
    best: tuple[int, PartialDate] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            found = _date_of(match)
            if found is not None and found.earliest <= limit and found.year >= 1900:
                if best is None or match.start() < best[0]:
                    best = (match.start(), found)
                break
    return best[1] if best else None


def _date_of(match: re.Match[str]) -> PartialDate | None:
    parts = match.groupdict()
    try:
        year = int(parts["year"])
        if parts.get("month"):
            month: int | None = MONTHS[parts["month"].lower().rstrip(".")]
        elif parts.get("mon"):
            month = int(parts["mon"])
        else:
            month = None
        day = int(parts["day"]) if parts.get("day") else None
        return PartialDate(year, month, day)
    except (PartialDateError, KeyError, ValueError):
        return None


_SCRIPTS = [
    ("zh", re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")),
    ("ug", re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")),
    ("bo", re.compile(r"[\u0f00-\u0fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
]
_LATIN = re.compile(r"[A-Za-z]")
_ENGLISH = re.compile(r"\b(?:the|and|of|to|in|was|for|that|said|with|his|her|on|by|is)\b", re.IGNORECASE)


def language_guess(text: str) -> str:
    """A BCP 47 tag when the script (or, for Latin script, common English words) makes it plain."""
    sample = text[:20000]
    letters = len(_LATIN.findall(sample))
    counts = {tag: len(pattern.findall(sample)) for tag, pattern in _SCRIPTS}
    tag, most = max(counts.items(), key=lambda item: item[1])
    # Chinese characters carry about four Latin letters' worth of text each.
    if most and (most * (4 if tag == "zh" else 1)) > letters:
        return tag
    words = len(re.findall(r"[A-Za-z]+", sample))
    if words >= 20 and len(_ENGLISH.findall(sample)) >= words * 0.12:
        return "en"
    return ""


def text_metadata(text: str, *, today: dt.date | None = None) -> Metadata:
    """What the first lines of a plain text say about it (and its footer about the publisher)."""
    found = Metadata(language=language_guess(text))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    top = lines[:TOP_LINES]
    # The date: a labelled line first ("Published: ..."), then a line that is only a date, then a
    # dateline at the start of a paragraph ("BEIJING, Nov. 9, 2002 (Xinhua) --"). "Updated" comes last.
    labelled = [line for line in top if _DATE_LABEL.match(line)]
    short = [line for line in top if len(line) <= 80 and not _UPDATED.match(line)]
    opening = [line[:80] for line in top]
    updated = [line for line in top if _UPDATED.match(line)]
    for group in (labelled, short, opening, updated):
        for line in group:
            published = date_find(line, today=today)
            if published:
                found.published = published
                break
        if found.published:
            break
    for span_start, span_end in main_spans(text)[:6]:
        first = text[span_start:span_end].strip().splitlines()[0].strip()
        if (
            len(first) <= 200
            and not first.endswith((".", "。"))
            and date_find(first, today=today) is None
            and len(first.split()) <= 30
        ):
            found.title = first
            break
    for line in top:
        match = _SOURCE_LINE.match(line) or _SOURCE_INLINE.search(line)
        if match:
            found.publisher = match.group("who").strip()
            break
    if not found.publisher:
        for line in reversed(lines[-TOP_LINES:]):
            match = _COPYRIGHT.search(line)
            if match and match.group("who").strip():
                # "© Lantern Rights Network 2019": the year after the name is not part of it.
                who = re.sub(r"[\s,]+\d{4}(?:\s*[-–]\s*\d{4})?$", "", match.group("who").strip())
                found.publisher = who.rstrip(",;:")
                break
    return found

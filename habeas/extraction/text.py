"""The text a document is read in: boilerplate blanked out (offsets kept) and cut into sentences, with the
dates found in it; the index every reader uses to find a position's sentence, clause and nearest date."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from .boilerplate import main_spans
from .dates import DateMention, find_dates

Span = tuple[int, int]

_ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "art",
        "arts",
        "gen",
        "lt",
        "col",
        "prof",
        "rev",
        "jr",
        "sr",
        "vs",
        "e.g",
        "i.e",
        "inc",
        "co",
        "ltd",
        "corp",
        "dept",
        "govt",
        "u.n",
        "u.s",
        "u.k",
        "cty",
        "pref",
        "muni",
        "auto",
        "approx",
        "est",
    ]
)
_BOUNDARY = re.compile(
    r"[.!?](?P<close>[\"”’')\]]*)\s+(?=[\"“‘(]?[A-Z0-9\u4e00-\u9fff])|\n\s*\n|\n(?=\s*[A-Z\u4e00-\u9fff])"
)
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def content_spans(text: str) -> list[Span]:
    """The spans the boilerplate remover keeps (the whole text where it keeps nothing)."""
    return main_spans(text) or [(0, len(text))]


def blank_boilerplate(text: str, spans: list[Span]) -> str:
    """The text with everything outside ``spans`` turned to spaces (newlines kept): same offsets."""
    out = []
    last = 0
    for start, end in sorted(spans):
        out.append(re.sub(r"[^\n]", " ", text[last:start]))
        out.append(text[start:end])
        last = end
    out.append(re.sub(r"[^\n]", " ", text[last:]))
    return "".join(out)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans (stripped of white space), not split after abbreviations or initials."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if text[match.start()] == ".":
            word = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start() + 1)
            if word and (word[1].lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word[1])):
                continue
        spans.append((start, match.end("close") if match["close"] is not None else match.start() + 1))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _clause_breaks(text: str) -> list[int]:
    """Positions of the semicolons that end a clause: not those inside brackets ("(Sanggyal Gyatso, age
    30; Kalsang Lodroe, 23)" is one list)."""
    breaks = []
    depth = 0
    for match in re.finditer(r"[();\n]", text):
        char = match[0]
        if char == "(":
            depth += 1
        elif char == ")" or char == "\n":
            depth = 0 if char == "\n" else max(0, depth - 1)
        elif depth == 0:
            breaks.append(match.start())
    return breaks


class SentenceIndex:
    """A document's masked text, its sentences and dates, and where a position falls among them."""

    def __init__(self, text: str, masked: str, published: dt.date | None) -> None:
        self.text = text
        self.masked = masked
        self.published = published
        self.sentences = split_sentences(masked)
        self._starts = [s for s, _ in self.sentences]
        self.dates = find_dates(masked, published)
        self._semicolons = _clause_breaks(masked)

    def _sentence_of(self, pos: int) -> Span:
        index = bisect.bisect_right(self._starts, pos) - 1
        if index >= 0 and self.sentences[index][0] <= pos < self.sentences[index][1]:
            return self.sentences[index]
        return (pos, pos)

    def _clause_of(self, pos: int, sentence: Span) -> Span:
        breaks = self._semicolons
        index = bisect.bisect_left(breaks, pos)
        start = breaks[index - 1] + 1 if index > 0 else sentence[0]
        end = breaks[index] if index < len(breaks) else sentence[1]
        return (max(start, sentence[0]), min(end, sentence[1]))

    def _date_near(self, pos: int, sentence: Span) -> DateMention | None:
        """The date closest to ``pos`` in its sentence, preferring one in the same clause."""
        clause = self._clause_of(pos, sentence)
        for span in (clause, sentence):
            dates = [d for d in self.dates if span[0] <= d.start < span[1] and not d.attribution]
            dates = [d for d in dates if not d.bracketed] or dates
            if dates:
                return min(dates, key=lambda d: min(abs(d.start - pos), abs(d.end - pos)))
        return None

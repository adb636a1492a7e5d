"""Sentences as written ("sentenced to eight years", "a 13-year prison sentence", "life in prison",
"death with a two-year reprieve", "three years, suspended for four") -> kind and length.

Administrative terms (re-education through labour, administrative detention) are read the same way and
marked ``administrative``: sources and CECC's records give them in the same "sentence or time served".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
}
_WORD_NUM = "|".join(sorted(NUMBERS, key=len, reverse=True))
# "8", "1.5", "eight", "half a", "one and a half", "two and half"
_NUM = rf"(?:(?:\d{{1,2}}|{_WORD_NUM})\s+and\s+(?:a\s+)?half|\d{{1,2}}(?:\.5)?|{_WORD_NUM}|half\s+a)"
_UNIT = r"(?:years?|months?|weeks?|days?)"
_DASH = r"[-‐‑–\s]"
# "3 years and 3 months", "one year, six months", "3-year-and-6-month", "10 years 6 months"
_AMOUNT = (
    rf"(?P<n1>{_NUM}){_DASH}*(?P<u1>{_UNIT})(?:'s?|’s?)?"
    rf"(?:(?:,?\s*and\s+|,\s*|{_DASH}+and{_DASH}+|\s+)(?P<n2>{_NUM}){_DASH}*(?P<u2>{_UNIT})(?:'s?|’s?)?)?"
)
_ADMIN = (
    r"(?P<admin>re-?education[- ]through[- ]labou?r|RTL|administrative detention|"
    r"(?:political\s+)?re-?education|forced labou?r|labou?r camp|labou?r re-?education|"
    r"criminal detention|judicial detention)"
)
_PRISON = (
    r"(?:in\s+prison|imprisonment|in\s+jail|prison\s+(?:term|sentence)|jail\s+(?:term|sentence)"
    r"|sentence|term)"
)

_FIXED = [
    # sentenced (NAME) to (a term of) 8 years (in prison)
    re.compile(
        rf"\bsentenc\w*\b[^.;:]{{0,80}}?\bto\s+(?:serve\s+)?(?:a\s+(?:term|sentence)\s+of\s+)?{_AMOUNT}"
        rf"(?:\s+(?:of\s+)?{_ADMIN})?",
        re.I,
    ),
    # a 13-year prison sentence / a 3-year-and-6-month term / a 2-year RTL term
    re.compile(
        rf"\b{_AMOUNT}\s+(?:{_ADMIN}\s+)?(?:prison\s+|jail\s+)?(?:sentence|term|imprisonment)s?\b", re.I
    ),
    # 8 years in prison / 8 years' imprisonment / to serve 2 years' RTL / 3 years of re-education
    re.compile(rf"\b{_AMOUNT}\s+(?:of\s+)?(?:{_PRISON}|{_ADMIN})", re.I),
    # to serve 3 years (a term stated after "serve")
    re.compile(rf"\b(?:to\s+serve|serving|ordered\s+(?:him|her|them)?\s*to\s+serve)\s+{_AMOUNT}", re.I),
    # a term in brackets after each name: "Li Xiuqin (8 years), Jiang Hong (7 years)"
    re.compile(
        rf"(?<=[A-Za-z])\s*\(\s*{_AMOUNT}(?:\s+(?:in\s+prison|imprisonment|(?:of\s+)?{_ADMIN}))?\s*[),;]"
    ),
    # police detention for days: "detained him for ten days", "administrative detention for 15 days",
    # "a 10-day administrative detention" (days and weeks only: "held for two years" is no term)
    re.compile(
        rf"\b(?:detain(?:ed|ing)|administrative\s+detention|(?:placed|put)\s+(?:him|her|them)\s+in\s+detention)\b"
        rf"[^.;:]{{0,50}}?\bfor\s+{_AMOUNT}",
        re.I,
    ),
    re.compile(rf"\b{_AMOUNT}\s+(?:of\s+)?(?:administrative\s+|criminal\s+)?detention\b", re.I),
    # a list of sentences: "...: Lu to 10 years; Wang, 3 years; and Zhang, 1 year and 6 months", "sentenced
    # Ma to 5 years in prison, Lin 5 years, and Qiu 4 years"
    re.compile(
        rf"(?:[;:,]\s*(?:and\s+)?|\s+and\s+)[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){{0,2}}(?:,|\s+(?:each\s+)?to|)\s+{_AMOUNT}"
        rf"(?=\s*[;.,)]|\s+(?:and|suspended|in|of)\b)"
    ),
]
_POLICE_DETENTION = (_FIXED[-3], _FIXED[-2])
_SUSPENDED = re.compile(
    rf"\b(?:suspended\s+for|with\s+a\s+(?:reprieve|suspension)\s+of|reprieve\s+of)\s+(?P<s>{_NUM})"
    rf"{_DASH}*(?P<su>{_UNIT})|\bsuspended\s+(?:sentence|term)\b|\bprobation\b",
    re.I,
)
_LIFE = re.compile(r"\blife\s+(?:imprisonment|in\s+prison|sentence|term)\b|\b(?:to|a)\s+life\b", re.I)
_DEATH_REPRIEVE = re.compile(
    r"\bdeath\b[^.;]{0,60}?\b(?:reprieve|suspended|suspension)\b|\bsuspended\s+death\s+sentence\b"
    r"|\bdeath\s+with\s+(?:a\s+)?(?:two|2)[- ]year\s+reprieve\b",
    re.I,
)
_DEATH = re.compile(r"\bsentenc\w*\s+(?:\w+\s+){0,4}?to\s+death\b|\bdeath\s+(?:sentence|penalty)\b", re.I)


# a range of terms given to a group ("terms ranging from 3 to 12 years", "from 3 years to life", "7 to 8
# years' imprisonment"): neither end is anyone's term
_RANGE = re.compile(
    rf"\b(?:from|between)\s+{_NUM}(?:{_DASH}*{_UNIT})?(?:(?:,?\s*and\s+|\s+){_NUM}{_DASH}*{_UNIT})?\s+(?:to|and)\s+"
    rf"(?:{_NUM}{_DASH}*{_UNIT}|life|death)|\b{_NUM}(?:{_DASH}*{_UNIT})?\s+to\s+{_NUM}{_DASH}*{_UNIT}",
    re.I,
)

_CHANGE_AFTER = re.compile(r"\s*(?:reduction|extension|commutation|cut)s?\b", re.I)
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.I)


@dataclass(frozen=True)
class Term:
    start: int
    end: int
    kind: str  # fixed, life, death, death_reprieve, suspended
    months: int = 0
    days: int = 0
    administrative: str = ""

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "months": self.months}
        if self.days:
            out["days"] = self.days
        if self.administrative:
            out["administrative"] = self.administrative
        return out


def _number(word: str) -> float:
    word = " ".join(word.lower().split())
    if word.startswith("half"):
        return 0.5
    if word.endswith("half"):  # "one and a half"
        return _number(word.split()[0]) + 0.5
    return NUMBERS[word] if word in NUMBERS else float(word)


def _amount(n: str | None, unit: str | None) -> tuple[int, int]:
    """(months, days) of one number and unit."""
    if not n or not unit:
        return 0, 0
    value = _number(n)
    unit = unit.lower()
    if unit.startswith("year"):
        return round(value * 12), 0
    if unit.startswith("month"):
        return round(value), 0
    if unit.startswith("week"):
        return 0, round(value * 7)
    return 0, round(value)


def _admin_name(text: str | None) -> str:
    if not text:
        return ""
    lowered = text.lower()
    if "through" in lowered or lowered == "rtl" or "labor" in lowered or "labour" in lowered:
        return "re-education through labour"
    if "re-education" in lowered or "reeducation" in lowered:
        return "political re-education"
    return lowered


# "to prison terms of seven and four years, respectively", "of 5 years, 4 years, and 3 years respectively"
_ITEM = rf"{_NUM}(?:{_DASH}*{_UNIT})?"
_RESPECTIVE = re.compile(
    rf"(?P<items>{_ITEM}(?:(?:,\s*(?:and\s+)?|\s+and\s+){_ITEM}){{1,9}})(?:['’]s?)?"
    rf"(?:\s+(?:in\s+prison|imprisonment|of\s+imprisonment))?,?\s+respectively\b",
    re.I,
)
_ITEM_PARTS = re.compile(rf"(?<![\w.])(?P<n1>{_NUM})(?![\w.])(?:{_DASH}*(?P<u1>{_UNIT}))?", re.I)


def respective_terms(text: str) -> list[tuple[int, int, list[Term]]]:
    """Lists of terms given "respectively" (span of the list, one fixed term per item, in order); an item
    without its unit takes the next one's ("seven and four years")."""
    out = []
    for match in _RESPECTIVE.finditer(text):
        items = list(_ITEM_PARTS.finditer(text, match.start("items"), match.end("items")))
        unit = None
        amounts: list[tuple[int, int, int, int]] = []
        for item in reversed(items):
            unit = item["u1"] or unit
            months, days = _amount(item["n1"], unit)
            amounts.insert(0, (item.start(), item.end(), months, days))
        if unit is None or any(not m and not d for _, _, m, d in amounts):
            continue
        terms = [Term(s, e, "fixed", m, d) for s, e, m, d in amounts]
        out.append((match.start(), match.end(), terms))
    return out


def _ranges(text: str) -> list[re.Match[str]]:
    """The ranges of terms in ``text``, less a date's day read as a number ("on July 30 to 2 years")."""
    return [
        m for m in _RANGE.finditer(text) if not _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start())
    ]


def range_ends(text: str) -> list[Term]:
    """The upper ends of the ranges of terms in ``text`` ("ordered 5 villagers to serve between 5 and 10
    days' administrative detention" -> 10 days): no one's term, but once the longest is over, everyone's
    is. Ranges up to life or death give none."""
    out = []
    for match in _ranges(text):
        items = [i for i in _ITEM_PARTS.finditer(text, match.start(), match.end()) if i["u1"]]
        if not items or re.search(r"\b(?:life|death)\b", match[0], re.I):
            continue
        last = items[-1]
        months, days = _amount(last["n1"], last["u1"])
        # "3 years and 6 months to 5 years": the upper end is the last number and unit
        if months or days:
            out.append(Term(match.start(), match.end(), "fixed", months, days))
    return out


def find_terms(text: str) -> list[Term]:
    """Every sentence stated in ``text``, without overlaps, in text order."""
    found: list[Term] = []
    ranges = [m.span() for m in _ranges(text)] if " to " in text or "between" in text else []

    def free(start: int, end: int) -> bool:
        if any(start < e and s < end for s, e in ranges):
            return False
        return not any(start < t.end and t.start < end for t in found)

    for match in _DEATH_REPRIEVE.finditer(text):
        found.append(Term(*match.span(), kind="death_reprieve"))
    for match in _DEATH.finditer(text):
        if free(*match.span()):
            found.append(Term(*match.span(), kind="death"))
    for match in _LIFE.finditer(text):
        if free(*match.span()):
            found.append(Term(*match.span(), kind="life"))
    for pattern in _FIXED:
        for match in pattern.finditer(text):
            start, end = match.start("n1") if match.re is _FIXED[-1] else match.start(), match.end()
            if not free(start, end):
                continue
            if _CHANGE_AFTER.match(text, end):  # "a 2-month sentence reduction" is no term
                continue
            police = match.re in _POLICE_DETENTION
            if police and not match["u1"].lower().startswith(("day", "week")):
                continue
            m1, d1 = _amount(match["n1"], match["u1"])
            m2, d2 = _amount(match["n2"], match["u2"])
            months, days = m1 + m2, d1 + d2
            if not months and not days:
                continue
            kind = "fixed"
            # "3 years, suspended for 5 years" (never across a ";" to the next person's term)
            tail = text[end : end + 60].split(";")[0]
            suspended = _SUSPENDED.search(tail, 0, 40)
            if suspended:
                suspended_end = end + suspended.end()
            if suspended:
                kind = "suspended"
                end = suspended_end
            admin = _admin_name(match.groupdict().get("admin")) or (
                "administrative detention" if police else ""
            )
            found.append(Term(start, end, kind, months, days, admin))
    found.sort(key=lambda term: term.start)
    return found

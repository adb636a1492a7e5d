"""Candidate facts from one document, in the JSON shape of the extraction contract (issue 4).

``extract(text, published="2011-03-04")`` returns ``{"published", "persons", "access", "allegations"}``;
every fact carries spans that are offsets into the ORIGINAL text, boilerplate included. Boilerplate is
blanked out (same length, so offsets hold) before anything is read.

How facts find their person: names come from spaCy's recogniser (and patterns for Chinese script);
a fact in a sentence goes to the person named in the same clause (the one named just before it for
terms, places and health; all of them for detentions and charges), else in the same sentence, else to
the person the text was last about ("he was sentenced to..."). Officials are never given detention facts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import multiprocessing
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from habeas.lib.dates import PartialDate, add_months
from habeas.lib.names import _segment_pinyin, fold, hanzi_to_pinyin

from . import lexicon as lx
from .boilerplate import main_spans
from .dates import DateMention, find_dates, parse_published
from .statutes import Charge, find_charges
from .terms import Term, find_terms

# Stored with each extraction run (habeas.review): bump when the output changes for the same text.
VERSION = "habeas.extraction.extract 1 (spaCy en_core_web_sm 3.8.0)"
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
_NAME_TRIM = re.compile(
    r"^(?:the|a|an|mr|mrs|ms|dr|judge|prof|professor|pastor|father|sister|brother|abbot|bishop|monk|nun|imam|"
    r"reverend|rev|elder|teacher|lawyer|attorney|activist|dissident|practitioner|petitioner|male|female)\.?\s+"
    r"|['’]s?$",
    re.I,
)
_LIST_ITEM = re.compile(
    r"(?:,\s+(?:and\s+)?|\s+and\s+)(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+(?:\s[A-Z][a-z\u00e0-\u024f'’-]+){0,2})"
    r"(?=\s*[,.;:)(—–]|\s+and\b|\s+\(|$)"
)
_ITEM_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+(?:\s[A-Z][a-z\u00e0-\u024f'’-]+){0,2})"
    r"(?:,\s+(?:and\s+)?|\s+and\s+|\s*\((?:or\s+|aka\s+)?)$"
)
_ALIAS = re.compile(
    r"\s*\((?:or\s+|aka\s+|a\.k\.a\.\s+|also\s+known\s+as\s+)?(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+"
    r"(?:\s[A-Z][a-z\u00e0-\u024f'’-]+){0,2})\)"
)
_NOT_A_NAME = re.compile(
    r"\d|^(?:Falun|Gong|Xinjiang|Tibet|Beijing|Allah|God|Jesus|Buddha|Dalai|Lama|Panchen|Party|Court|Prison)$"
    r"|Prison|Center|Centre|Court|Bureau|Police|Province|County|University|Party|Committee|Ministry"
    r"|Monastery|Nunnery|Temple|Church|Mosque|Village|Township|Prefecture|Region|\bTAP\b|\bTAR\b|News|Radio"
    r"|Daily|Wisdom|Boxun|Falun|Dafa|Weibo|Twitter|Facebook|WeChat"
    r"|^(?:Uyghur|Uighur|Tibetan|Han|Hui|Mongol|Mongolian|Kazakh|Christian|Muslim|Buddhist)s?$"
)
_HAN_NAME = re.compile(
    "[王李张劉刘陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖田董袁潘于"
    "蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍"
    "史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯单單解仇区區查乐樂欧歐艾常郁包伍庞龐游温溫屈樊倪柳]"
    "[\u4e00-\u9fff]{1,2}(?![\u4e00-\u9fff])"
)
# ", an ethnic Uyghur businesswoman," / " (马立新), a lathe operator and founder of ..."
_APPOSITIVE = re.compile(
    r"\s*(?:\([^)]{0,30}\)\s*)?[,(]\s*(?:\w+\s+){0,2}?(?:a|an|the|who|whose|former|now|then)\b[^;()]{0,90}?(?=,|\)|;|$)",
    re.M,
)
# Names the small English model misses (Uyghur, Tibetan and Chinese names) in the places reports put them:
# before an appositive or a custody verb, or after "male"/"monk"/"practitioners".
_NAME_WORD = r"(?:[A-Z][a-z\u00e0-\u024f'’]+(?:-[a-z\u00e0-\u024f]+)?)"
_PATTERN_NAME = re.compile(
    rf"(?:\b(?:males?|females?|monks?|nuns?|practitioners?|activists?|lawyers?|brothers?|sisters?|wife|husband|"
    rf"sons?|daughters?|named|including)\s+)(?P<a>{_NAME_WORD}(?:\s{_NAME_WORD}){{0,2}})"
    rf"|(?P<b>{_NAME_WORD}(?:\s{_NAME_WORD}){{1,2}})(?=,\s+(?:a|an)\s|\s+(?:was|has\s+been|had\s+been|is)\s+"
    rf"(?:\w+\s+)?(?:detained|arrested|sentenced|released|taken|jailed|imprisoned|serving|held))"
)
_NOT_NAME_WORDS = frozenset(
    [
        "The",
        "He",
        "She",
        "They",
        "His",
        "Her",
        "Police",
        "Authorities",
        "Officials",
        "Court",
        "Another",
        "Former",
        "Separately",
        "According",
        "Family",
        "Relatives",
        "In",
        "On",
        "At",
        "After",
        "Before",
        "During",
        "When",
        "While",
        "Since",
        "Later",
        "Local",
        "Public",
        "State",
        "Security",
        "Chinese",
        "Information",
        "Officials",
        "Authorities",
        "Tibetans",
        "Uyghurs",
        "Party",
        "Communist",
        "Province",
        "County",
        "City",
        "Township",
        "Village",
        "Monastery",
        "Prison",
        "Court",
        "People's",
        "Intermediate",
    ]
)
_SPEAKER = re.compile(r"\s*(?:\([^)]{0,30}\)\s*)?(?:said|says|told|tells|wrote|stated|added|explained)\b")
_WORKER_DOCUMENTS = 4_000
_EACH = re.compile(r"\b(?:each|all|both|respectively)\b", re.I)
_TERM_WORDS = re.compile(r"year|month|week|day|life|death|RTL", re.I)  # no term without one of these
_STALE_DAYS = 2 * 365  # pre-trial detention rarely lasts longer without a trial being reported
_PLURAL = re.compile(
    r"\b(?:they|them|their|each|both|all\s+(?:of\s+them|\d+|five|four|three|two)|the\s+(?:men|women|monks|nuns|"
    r"two|three|four|five|six|seven|eight|nine|ten|\d+|others|couple|practitioners|defendants))\b",
    re.I,
)
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|hers)\b", re.I)


@dataclass(eq=False)
class _Person:
    name: str
    names: list[str]
    mentions: list[Span] = field(default_factory=list)
    official: bool = False
    other: bool = False
    ethnicity: str | None = None
    occupation: str | None = None
    organizations: list[dict[str, str]] = field(default_factory=list)
    detentions: list[tuple[PartialDate | None, Span, bool]] = field(
        default_factory=list
    )  # date, span, arrest?
    sentenced: tuple[PartialDate | None, Span] | None = None
    terms: list[tuple[Term, Span]] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    places: list[tuple[str, Span]] = field(default_factory=list)
    health: list[tuple[str, Span]] = field(default_factory=list)
    events: list[tuple[str, PartialDate | None, int, Span]] = field(default_factory=list)  # status events
    spans: dict[str, list[Span]] = field(default_factory=dict)

    def cite(self, key: str, span: Span) -> None:
        spans = self.spans.setdefault(key, [])
        if list(span) not in [list(s) for s in spans]:
            spans.append(span)

    @property
    def tokens(self) -> list[str]:
        return self.name.split()


@dataclass
class _Mention:
    start: int
    end: int
    person: _Person


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


class _Document:
    def __init__(
        self, text: str, masked: str, published: dt.date | None, entities: list[tuple[int, int]]
    ) -> None:
        self.text = text
        self.masked = masked
        self.published = published
        self.sentences = split_sentences(masked)
        self._starts = [s for s, _ in self.sentences]
        self.dates = find_dates(masked, published)
        self.persons: list[_Person] = []
        self.mentions: list[_Mention] = []
        self._find_persons(entities)

    # -- persons ---------------------------------------------------------------------------------
    def _person_for(self, name: str) -> _Person | None:
        key = fold(name)
        tokens = name.split()
        for person in self.persons:
            if fold(person.name) == key or key in {fold(n) for n in person.names}:
                return person
        if len(tokens) == 1:
            matches = [
                p for p in self.persons if len(p.tokens) > 1 and tokens[0] in (p.tokens[0], p.tokens[-1])
            ]
            if len(matches) == 1:
                return matches[0]
        return None

    def _find_persons(self, entities: list[tuple[int, int]]) -> None:
        text = self.masked
        found: list[tuple[int, int, str]] = []
        for start, end in entities:
            raw = text[start:end]
            name = _NAME_TRIM.sub("", raw.strip(' ,.;:"“”()')).strip()
            name = _NAME_TRIM.sub("", name).strip()
            if len(name) < 2 or not name[0].isupper() or _NOT_A_NAME.search(name) or len(name.split()) > 4:
                continue
            offset = raw.find(name)
            found.append((start + offset, start + offset + len(name), name))
        for match in _PATTERN_NAME.finditer(text):
            group = "a" if match["a"] else "b"
            name = match[group]
            words = name.split()
            while words and words[0] in _NOT_NAME_WORDS:
                words.pop(0)
            if not words or any(w in _NOT_NAME_WORDS for w in words) or _NOT_A_NAME.search(" ".join(words)):
                continue
            start = match.end(group) - len(" ".join(words))
            end = match.end(group)
            if not any(start < e and s < end for s, e, _ in found):
                found.append((start, end, " ".join(words)))
        found = self._lists(found)
        aliases: dict[int, tuple[int, int, str]] = {}
        for start, end, _name in found:
            alias = _ALIAS.match(text, end)
            if alias and not _NOT_A_NAME.search(alias["name"]) and alias["name"] not in _NOT_NAME_WORDS:
                aliases[start] = (alias.start("name"), alias.end("name"), alias["name"])
        alias_starts = {a[0] for a in aliases.values()}
        found = [f for f in found if f[0] not in alias_starts]
        # Longer names first, so "Ding" joins "Ding Guozhu" wherever it is said.
        for start, end, name in sorted(found, key=lambda f: (-len(f[2].split()), f[0])):
            person = self._person_for(name)
            if person is None:
                person = _Person(name=name, names=[name])
                self.persons.append(person)
            self.mentions.append(_Mention(start, end, person))
            if start in aliases:
                a_start, a_end, a_name = aliases[start]
                if a_name not in person.names:
                    person.names.append(a_name)
                self.mentions.append(_Mention(a_start, a_end, person))
        self._han_names()
        self._short_mentions()
        self.mentions.sort(key=lambda m: m.start)
        for person in self.persons:
            person.mentions = sorted((m.start, m.end) for m in self.mentions if m.person is person)

    def _lists(self, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Lists of names ("Gedun, Tenphel, Tobgyal, and Dargyal") where one item is a known name: the
        model often tags only some items of such lists."""
        text = self.masked
        out = list(found)
        known = sorted(found)

        def add(start: int, end: int, name: str) -> bool:
            words = name.split()
            if not words or any(w in _NOT_NAME_WORDS for w in words) or _NOT_A_NAME.search(name):
                return False
            if not any(start < e and s < end for s, e, _ in out):
                out.append((start, end, name))
            return True

        for start, end, _ in known:
            position = start
            while True:  # items before a known one, and a name before its bracketed alias
                before = _ITEM_BEFORE.search(text, max(0, position - 60), position)
                if not before or not add(before.start("name"), before.end("name"), before["name"]):
                    break
                position = before.start("name")
            position = end
            while True:  # items after a known one (skipping bracketed aliases)
                alias = _ALIAS.match(text, position)
                if alias:
                    position = alias.end()
                item = _LIST_ITEM.match(text, position)
                if not item:
                    break
                name = _NAME_TRIM.sub("", item["name"])
                if not add(item.end("name") - len(name), item.end("name"), name):
                    break
                position = item.end("name")
        return out

    def _han_names(self) -> None:
        """Chinese-script names: beside a romanised mention "(马立新)", or matched by their pinyin."""
        for match in _HAN_NAME.finditer(self.masked):
            han = match[0]
            syllables = hanzi_to_pinyin(han)
            if not syllables:
                continue
            pinyin = (syllables[0] + " " + "".join(syllables[1:])).title()
            person = self._person_for(pinyin)
            if person is None:
                before = [m for m in self.mentions if 0 <= match.start() - m.end <= 3]
                person = before[-1].person if before else None
            if person is None:
                person = _Person(name=pinyin, names=[pinyin])
                self.persons.append(person)
            if han not in person.names:
                person.names.append(han)
            self.mentions.append(_Mention(match.start(), match.end(), person))

    def _short_mentions(self) -> None:
        """ "Ding" for "Ding Guozhu" where spaCy did not tag it: the first or last word of one person only."""
        taken = [(m.start, m.end) for m in self.mentions]
        counts: dict[str, list[_Person]] = {}
        for person in self.persons:
            if len(person.tokens) > 1 and person.name.isascii():
                for token in {person.tokens[0], person.tokens[-1]}:
                    counts.setdefault(token, []).append(person)
        for token, persons in counts.items():
            if len(persons) != 1 or len(token) < 2:
                continue
            for match in re.finditer(rf"\b{re.escape(token)}\b(?!\s+[A-Z])", self.masked):
                if not any(match.start() < e and s < match.end() for s, e in taken):
                    self.mentions.append(_Mention(match.start(), match.end(), persons[0]))

    def _roles_and_descriptors(self) -> None:
        text = self.masked
        for mention in self.mentions:
            person = mention.person
            sentence = self._sentence_of(mention.start)
            before = text[max(sentence[0], mention.start - 60) : mention.start]
            # an appositive: ", a researcher at ...," / " (an ethnic Uyghur businesswoman)"
            after_match = _APPOSITIVE.match(text, mention.end)
            after = after_match[0] if after_match else ""
            pieces = [p for p in re.split(r"[,;()]|\band\b", before) if p.strip()]
            near_before = before[before.rfind(pieces[-1]) :] if pieces else ""
            for window in (near_before, after):
                if lx.OTHER_TITLES.search(window):
                    person.other = True
                elif lx.OFFICIAL_TITLES.search(window):
                    person.official = True
                eth = lx.ETHNICITY.search(window)
                if eth and not person.ethnicity and not lx.NOT_ETHNIC_AFTER.match(window, eth.end()):
                    person.ethnicity = lx.ETHNICITIES[(eth["e1"] or eth["e2"] or eth["e3"]).lower()]
                    base = mention.start - len(near_before) if window is near_before else mention.end
                    span = (base + eth.start(), base + eth.end())
                    person.cite("ethnicity", span)
                occ = lx.OCCUPATION.search(window)
                if occ and not person.occupation:
                    person.occupation = occ["occ"].lower()
                    base = mention.start - len(near_before) if window is near_before else mention.end
                    person.cite("occupation", (base + occ.start("occ"), base + occ.end("occ")))
            for pattern in (lx.ORG_RELATION, lx.ORG_FOUNDED):
                org = pattern.match(
                    after.lstrip(" ,(").removeprefix("a ").removeprefix("an ").removeprefix("the ")
                )
                found = org or pattern.search(after)
                if found:
                    name = found["org"].strip()
                    name = re.sub(r"\s+(?:and|of|the|for|in)$", "", name)
                    relation = re.sub(r"-", "", found["relation"].lower()).replace("founded", "founder")
                    relation = {"established": "founder", "led": "leader", "joined": "member"}.get(
                        relation, relation
                    )
                    entry = {"name": name, "relation": relation}
                    if entry not in person.organizations and len(name) > 3:
                        person.organizations.append(entry)
                        offset = text.find(found[0], mention.end)
                        if offset >= 0:
                            person.cite("organizations", (offset, offset + len(found[0])))

    # -- where facts go --------------------------------------------------------------------------
    def _sentence_of(self, pos: int) -> Span:
        index = bisect.bisect_right(self._starts, pos) - 1
        if index >= 0 and self.sentences[index][0] <= pos < self.sentences[index][1]:
            return self.sentences[index]
        return (pos, pos)

    def _clause_of(self, pos: int, sentence: Span) -> Span:
        start = self.masked.rfind(";", sentence[0], pos) + 1 or sentence[0]
        end = self.masked.find(";", pos, sentence[1])
        return (max(start, sentence[0]), end if end >= 0 else sentence[1])

    def _candidates(self, span: Span) -> list[_Mention]:
        mentions = [m for m in self.mentions if span[0] <= m.start < span[1] and not m.person.official]
        # "..., his cousin Ablet Hoshur told reporters": the speaker is not the subject
        subjects = [m for m in mentions if not _SPEAKER.match(self.masked, m.end)]
        return subjects or mentions

    def targets(self, pos: int, *, nearest: bool, either_side: bool = False) -> list[_Person]:
        sentence = self._sentence_of(pos)
        for span in (self._clause_of(pos, sentence), sentence):
            mentions = self._candidates(span)
            if mentions:
                if nearest and either_side:
                    return [min(mentions, key=lambda m: min(abs(m.start - pos), abs(m.end - pos))).person]
                if nearest:
                    before = [m for m in mentions if m.start <= pos]
                    return [(before[-1] if before else mentions[0]).person]
                return list(dict.fromkeys(m.person for m in mentions))
        earlier = [m for m in self.mentions if m.start < sentence[0] and not m.person.official]
        if not earlier:
            return []
        if _PLURAL.search(self.masked, sentence[0], sentence[1]):
            # "They were sentenced ...": everyone named in the last sentence that named anyone
            last = self._sentence_of(earlier[-1].start)
            return list(dict.fromkeys(m.person for m in earlier if last[0] <= m.start < last[1]))
        if _PRONOUN.search(self.masked, sentence[0], sentence[1]):
            return [earlier[-1].person]
        return []

    def _date_near(self, pos: int, sentence: Span) -> DateMention | None:
        """The date closest to ``pos`` in its sentence, preferring one in the same clause."""
        clause = self._clause_of(pos, sentence)
        for span in (clause, sentence):
            dates = [d for d in self.dates if span[0] <= d.start < span[1]]
            dates = [d for d in dates if not d.bracketed] or dates
            if dates:
                return min(dates, key=lambda d: min(abs(d.start - pos), abs(d.end - pos)))
        return None

    # -- facts -----------------------------------------------------------------------------------
    def read_facts(self) -> None:
        self._roles_and_descriptors()
        text = self.masked
        for sentence in self.sentences:
            chunk = text[sentence[0] : sentence[1]]
            base = sentence[0]
            for match in lx.DETAINED.finditer(chunk):
                pos = base + match.start()
                date = self._date_near(pos, sentence)
                arrest = match[0].lower().startswith("arrest")
                for person in self.targets(pos, nearest=False):
                    person.detentions.append((date.value if date else None, sentence, arrest))
                    person.events.append(("detained", date.value if date else None, base, sentence))
                    person.cite("detained", sentence)
            sentenced = lx.SENTENCED.search(chunk)
            for term in find_terms(chunk) if _TERM_WORDS.search(chunk) else ():
                pos = base + term.start
                span = (base + term.start, base + term.end)
                clause = self._clause_of(pos, sentence)
                each = (
                    _EACH.search(text, clause[0], pos) is not None
                )  # "Liang, Xu and Liu each to five years"
                for person in self.targets(pos, nearest=not each):
                    person.terms.append((term, span))
                    person.cite("sentence", span)
                    person.cite("sentence_of", sentence)
                    person.events.append(("detained", None, base, sentence))
                    if sentenced:
                        date = self._date_near(base + sentenced.start(), sentence)
                        person.sentenced = (date.value if date else None, sentence)
                        if date:
                            person.cite("sentenced", (date.start, date.end))
            linked = [
                p
                for p in self.persons
                if sentence in p.spans.get("detained", []) + p.spans.get("sentence_of", [])
            ]
            for charge in find_charges(chunk, base):
                here = [p for p in self.targets(charge.start, nearest=False) if p in linked]
                for person in here or self.targets(charge.start, nearest=True):
                    person.charges.append(charge)
                    person.cite("charges", (charge.start, charge.end))
            for match in lx.PLACE.finditer(chunk):
                pos = base + match.start()
                span = (pos, base + match.end())
                place = " ".join(match[0].split())
                for person in self.targets(pos, nearest=True):
                    person.places.append((place, span))
                    person.cite("place", span)
            for match in lx.HEALTH.finditer(chunk):
                pos = base + match.start()
                span = (pos, base + match.end())
                for person in self.targets(pos, nearest=True):
                    person.health.append((match[0], span))
                    person.cite("health", span)
            for pattern, status in (
                (lx.RELEASED, "released"),
                (lx.DIED, "deceased"),
                (lx.DISAPPEARED, "disappeared"),
            ):
                for match in pattern.finditer(chunk):
                    if status == "released" and lx.CONDITIONAL.search(chunk):
                        continue
                    pos = base + match.start()
                    date = self._date_near(pos, sentence)
                    for person in self.targets(pos, nearest=True, either_side=True):
                        # within one sentence an outcome outranks the detention it follows
                        person.events.append((status, date.value if date else None, base + 1, sentence))
                        person.cite("status", sentence)
        self._document_ethnicity()

    def _document_ethnicity(self) -> None:
        """A text that names one people only ("Tibetan monks", "a Tibetan nun"): its detainees are of it."""
        found: dict[str, Span] = {}
        for match in lx.ETHNICITY.finditer(self.masked):
            if lx.NOT_ETHNIC_AFTER.match(self.masked, match.end()):
                continue
            found.setdefault(
                lx.ETHNICITIES[(match["e1"] or match["e2"] or match["e3"]).lower()], match.span()
            )
        if len(found) != 1:
            return
        ((ethnicity, span),) = found.items()
        for person in self.persons:
            # a name written in pinyin is most likely Han: a "Tibetan" page can name Han officials or lawyers
            if ethnicity != "Han" and _looks_pinyin(person.name):
                continue
            if person.ethnicity is None and _is_detainee(person):
                person.ethnicity = ethnicity
                person.cite("ethnicity", span)

    # -- output ----------------------------------------------------------------------------------
    def person_json(self, person: _Person) -> dict[str, Any]:
        detained = _detention_date(person)
        sentence = _main_term(person)
        released = None
        status = "unknown"
        status_basis = None
        events = sorted(person.events, key=lambda e: e[2])
        if events:
            last = events[-1]
            dated = [e for e in events if e[1] is not None]
            latest = max(dated, key=lambda e: e[1].latest) if dated else last  # type: ignore[union-attr]
            # texts tell stories out of order: a later date beats a later sentence; death is final
            if latest[1] is not None and (last[1] is None or latest[1].earliest > last[1].latest):
                last = latest
            status = "deceased" if any(e[0] == "deceased" for e in events) else last[0]
            status_basis = "stated"
            releases = [e for e in events if e[0] == "released" and e[1] is not None]
            if status == "released" and releases:
                released = releases[-1][1]
        if (
            status == "detained"
            and self.published
            and sentence
            and sentence[0].kind in ("fixed", "suspended")
        ):
            start = person.sentenced[0] if person.sentenced and person.sentenced[0] else detained
            term = sentence[0]
            if start is not None and term.months:
                ends = add_months(start.latest, term.months) + dt.timedelta(days=term.days)
                if ends < self.published:
                    status, status_basis = "released", "term_expired"
        if status == "detained" and status_basis == "stated" and self.published and not sentence:
            # a detention reported years before the text's date, with no sentence since: not known now
            dates = [d for d, _, _ in person.detentions if d is not None]
            if dates and max(d.latest for d in dates) < self.published - dt.timedelta(days=_STALE_DAYS):
                status, status_basis = "unknown", "stale"
        place = person.places[-1][0] if person.places else None
        charges: list[dict[str, object]] = []
        for charge in person.charges:
            if charge.as_json() not in charges:
                charges.append(charge.as_json())
        evidence = sorted(
            {tuple(s) for spans in person.spans.values() for s in spans} | set(person.mentions[:1])
        )
        return {
            "name": person.name,
            "names": person.names,
            "role": _role(person),
            "ethnicity": person.ethnicity,
            "organizations": person.organizations,
            "occupation": person.occupation,
            "detained": detained.isoformat() if detained else None,
            "sentenced": person.sentenced[0].isoformat()
            if person.sentenced and person.sentenced[0]
            else None,
            "released": released.isoformat() if released else None,
            "sentence": sentence[0].as_json() if sentence else None,
            "charges": charges,
            "place": place,
            "status": status,
            "status_basis": status_basis,
            "health": list(dict.fromkeys(h for h, _ in person.health)),
            "evidence": [list(s) for s in evidence],
            "spans": {key: [list(s) for s in spans] for key, spans in person.spans.items()},
            "mentions": [list(m) for m in person.mentions],
        }

    def access_json(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        for sentence in self.sentences:
            chunk = self.masked[sentence[0] : sentence[1]]
            for pattern, body in lx.BODIES:
                match = pattern.search(chunk)
                if not match:
                    continue
                if not (lx.ACCESS_WORDS.search(chunk)):
                    break
                status = next((s for p, s in lx.ACCESS_STATUS if p.search(chunk)), None)
                if status is None:
                    break
                if body == "commission":
                    body = " ".join(match[0].split())
                elif body == "UN Special Rapporteur" and match.groupdict().get("topic"):
                    body = f"UN Special Rapporteur on {match['topic'].strip()}"
                date = self._date_near(sentence[0] + match.end(), sentence)
                same = [e for e in events if e["body"] == body and e["status"] == status]
                if same:
                    same[0]["evidence"].append(list(sentence))
                    same[0]["conditions"] += [
                        c for p, c in lx.CONDITIONS if p.search(chunk) and c not in same[0]["conditions"]
                    ]
                    same[0]["date"] = same[0]["date"] or (date.iso if date else None)
                    break
                events.append(
                    {
                        "body": body,
                        "status": status,
                        "date": date.iso if date else None,
                        "conditions": [c for p, c in lx.CONDITIONS if p.search(chunk)],
                        "evidence": [list(sentence)],
                    }
                )
                break
        return events

    def allegations_json(self) -> list[dict[str, Any]]:
        bodies = [m.span() for p, _ in lx.BODIES for m in p.finditer(self.masked)]
        found: dict[str, list[list[int]]] = {}
        for pattern, kind in lx.ALLEGATIONS:
            for match in pattern.finditer(self.masked):
                if any(s <= match.start() < e for s, e in bodies):
                    continue
                found.setdefault(kind, []).append([match.start(), match.end()])
        return [{"type": kind, "evidence": spans} for kind, spans in found.items()]


def _looks_pinyin(name: str) -> bool:
    words = [w.lower() for w in re.split(r"[\s'’-]+", name) if w]
    return bool(words) and all(_segment_pinyin(w) for w in words)


def _is_detainee(person: _Person) -> bool:
    return bool(person.detentions or person.terms or person.charges or person.places or person.events)


def _role(person: _Person) -> str:
    if person.official:
        return "official"
    if _is_detainee(person) or person.health:
        return "detainee"
    return "other"


def _detention_date(person: _Person) -> PartialDate | None:
    """The latest dated detention (the case the text ends on), "detained" before "arrested" (a formal
    arrest comes after the detention)."""
    for want_arrest in (False, True):
        dated = [d for d, _, arrest in person.detentions if d is not None and arrest == want_arrest]
        if dated:
            return max(dated, key=lambda d: d.earliest)
    return None


def _main_term(person: _Person) -> tuple[Term, Span] | None:
    """The sentence a person is serving: a criminal one before an administrative one, the last stated."""
    criminal = [t for t in person.terms if not t[0].administrative]
    chosen = criminal or person.terms
    return chosen[0] if chosen else None


def _assemble(text: str, masked: str, published: str | None, entities: list[Span]) -> dict[str, Any]:
    document = _Document(text, masked, parse_published(published), entities)
    document.read_facts()
    persons = [document.person_json(p) for p in document.persons]
    # detainees first, in the order they are named
    persons.sort(key=lambda p: (p["role"] != "detainee", p["mentions"][0][0] if p["mentions"] else 0))
    return {
        "published": published,
        "persons": persons,
        "access": document.access_json(),
        "allegations": document.allegations_json(),
    }


def _prepare(text: str) -> str:
    return blank_boilerplate(text, content_spans(text))


def _entities(doc: Any) -> list[Span]:
    return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PERSON"]


def extract(text: str, *, published: str | None = None) -> dict[str, Any]:
    """The candidate facts of one document (see the module docstring)."""
    from .nlp import pipeline

    if published is not None:
        parse_published(published)  # a bad date fails here, before any work
    masked = _prepare(text)
    return _assemble(text, masked, published, _entities(pipeline()(masked)))


def extract_many(
    texts: Iterable[str],
    *,
    published: Iterable[str | None] | str | None = None,
    n_process: int = 1,
    batch_size: int = 128,
) -> Iterator[dict[str, Any]]:
    """``extract`` over many documents, in order, streaming: at most a few batches are in memory at once.

    With ``n_process`` > 1, whole documents go to worker processes that read them from start to JSON (the
    model is loaded once here and shared by fork): only texts and small results cross between processes,
    not spaCy's documents, which costs less than spaCy's own ``n_process``.
    """
    from .nlp import pipeline

    nlp = pipeline()
    fixed = published is None or isinstance(published, str)
    dates: Iterable[str | None] = itertools.repeat(published) if fixed else published  # type: ignore[arg-type,assignment]
    batches = _batches(zip(texts, dates, strict=False), batch_size)
    if n_process <= 1:
        for batch in batches:
            yield from _extract_batch(batch)
        return
    nlp.pipe  # noqa: B018 - loaded before the fork, shared by the workers
    # spaCy's string store grows with every new word a worker reads: a worker is replaced (forked again
    # from this process, model included) after a few thousand documents, so memory stays bounded.
    recycle = max(1, _WORKER_DOCUMENTS // batch_size)
    with multiprocessing.get_context("fork").Pool(n_process, maxtasksperchild=recycle) as pool:
        # a window of batches at a time: Pool.imap would otherwise read the whole input ahead
        for window in _batches(batches, n_process * 2):
            for results in pool.imap(_extract_batch, window):
                yield from results


def _extract_batch(batch: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """One batch through spaCy together (its networks run faster on batches), then the patterns."""
    from .nlp import pipeline

    docs = pipeline().pipe((_prepare(text) for text, _ in batch), batch_size=len(batch))
    return [
        _assemble(text, doc.text, when, _entities(doc)) for (text, when), doc in zip(batch, docs, strict=True)
    ]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch

"""Persons in a document: names from spaCy's recogniser, from patterns for the names it misses (Tibetan,
Uyghur and Chinese names after custody verbs, in lists, before an age or an appositive), from Chinese
script; their mentions (short forms, aliases) and descriptors (role, ethnicity, occupation, organisations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from habeas.lib.dates import PartialDate
from habeas.lib.names import _segment_pinyin, fold, hanzi_to_pinyin

from . import lexicon as lx
from .statutes import Charge
from .terms import Term
from .text import SentenceIndex, Span

_NAME_TRIM = re.compile(
    r"^(?:the|a|an|mr|mrs|ms|dr|judge|prof|professor|pastor|father|sister|brother|abbot|bishop|monk|nun|imam|"
    r"reverend|rev|elder|teacher|lawyer|attorney|activist|dissident|practitioner|petitioner|male|female)\.?\s+"
    r"|['’]s?$",
    re.I,
)
_LIST_ITEM = re.compile(
    r"(?:,\s+(?:and\s+)?|\s+and\s+)(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+(?:\s[A-Z][a-z\u00e0-\u024f'’-]+){0,2})"
    r"(?=\s*[,.;:)(—–]|\s+(?:and|on|in|to|were|was|for|are)\b|\s+\(|$)"
)
_ITEM_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+(?:\s[A-Z][a-z\u00e0-\u024f'’-]+){0,2})"
    r"(?:,\s+(?:and\s+)?|\s+and\s+|\s*\((?:or\s+|aka\s+)?)$"
)
# "(a.k.a. Khang Konchog)", "(or Gyaltsen Namdak, lay name Dawa)": a bracket that says it gives another
# name may go on after it; a bare one ("(Rinzang)") must hold the name alone
_ALIAS = re.compile(
    r"\s*\((?P<said>or\s+|aka\s+|a\.k\.a\.\s+|also\s+known\s+as\s+|(?:pen|religious|Tibetan|Uyghur|"
    r"Chinese|lay|online)\s+name:?\s+|also\s+called\s+)?[“\"]?(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+"
    r"(?:\s[A-Z][a-z\u00e0-\u024f'’-]+){0,2})[”\"]?(?:\)|(?(said)[,;]\s))"
)
_MORE_ALIAS = re.compile(
    r"(?:or\s+|aka\s+|a\.k\.a\.\s+|also\s+known\s+as\s+|(?:pen|religious|Tibetan|Uyghur|Chinese|lay|online)\s+"
    r"name:?\s+|also\s+called\s+)?[“\"]?(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+(?:\s[A-Z][a-z\u00e0-\u024f'’-]+){0,2})"
    r"[”\"]?(?:\)|[,;]\s)"
)
_NOT_A_NAME = re.compile(
    r"\d|^(?:Falun|Gong|Xinjiang|Tibet|Beijing|Allah|God|Jesus|Buddha|Dalai|Lama|Panchen|Party|Court|Prison)$"
    r"|Prison|Center|Centre|Court|Bureau|Police|Province|County|University|Party|Committee|Ministry"
    r"|Monastery|Nunnery|Temple|Church|Mosque|Village|Township|Prefecture|Region|\bTAP\b|\bTAR\b|News|Radio"
    r"|Daily|Wisdom|Boxun|Falun|Dafa|Weibo|Twitter|Facebook|WeChat"
    r"|^(?:Uyghur|Uighur|Tibetan|Han|Hui|Mongol|Mongolian|Kazakh|Christian|Muslim|Buddhist)s?$"
    # a prefecture's name cut before its people ("Aba Tibetan and Qiang Autonomous Prefecture"), news agencies
    r"|\s(?:Tibetan|Uyghur|Uighur|Mongolian)$|Autonomous|^(?:Xinhua|Phayul|Boxun|Dui\s+Hua)$"
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
# Names the small English model misses (Uyghur, Tibetan and Chinese names) in the places reports put them.
_NAME_WORD = r"(?:[A-Z][a-z\u00e0-\u024f'’]+(?:-[a-z\u00e0-\u024f]+)?)"
_NAME = rf"{_NAME_WORD}(?:\s{_NAME_WORD}){{0,2}}"
# Lower-case words between a verb and a name ("detained democracy and human rights advocate Chen Xi"), not
# pronouns, articles or prepositions ("detained him in Lhasa" names no one).
_STOP = (
    r"(?:him|her|them|his|their|its|it|in|at|on|from|by|to|for|after|before|during|with|without|near|since|"
    r"until|into|the|a|an|over|under|about|across|when|while|as|of|that|which|who|also|more|than|some|"
    r"several|many|all|both|each|other|others|was|were|had|has|been|being|be|is|are|not|no|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|dozens|hundreds|up|out|away|down|back|off|again|later|first)"
)
_DESCRIPTOR = rf"(?:(?:(?!{_STOP}\b)[a-z][a-z'’-]*|\d{{1,3}}-year-old),?\s+){{0,5}}?"
_NAME_END = (
    r"(?=\s*[,;:.()“\"]|\s+(?:and|on|in|at|for|to|from|after|of|as|into|who|when|while|because|with|along|"
    r"were|was|had)\b|$)"
)
_PATTERN_NAMES = [
    re.compile(p)
    for p in (
        # after a descriptor: "male Tobden", "females, Thatso and Thongtso", "practitioners Li and Wang"
        rf"\b(?:males?|females?|men|women|monks?|nuns?|practitioners?|activists?|lawyers?|brothers?|sisters?|"
        rf"wife|husband|sons?|daughters?|named|including|include[sd]?|petitioners?|defenders?|advocates?|"
        rf"writers?|herds(?:man|men)|students?|teachers?|farmers?|residents?|villagers?|Uyghurs?|Tibetans?),?"
        rf"\s+(?P<name>{_NAME}){_NAME_END}",
        # after a custody verb, with its object's descriptor: "detained writer Tagyal (pen name Shogdung)",
        # "sentenced Chen and Sheng to 9 years", "held petitioner Li Chunxia in custody"
        rf"\b(?:detained|arrested|sentenced|convicted|tried|charged|indicted|released|freed|took|taken|seized|"
        rf"abducted|held|holding|detaining|arresting|sentencing|identified|accused|summoned|beat|beaten)\s+"
        rf"{_DESCRIPTOR}(?P<name>{_NAME}){_NAME_END}",
        # a name with an age or sex: "Sanggyal Gyatso, age 30;", "Kalsang Lodroe, 23;", "Peng Boxiang (M)"
        rf"(?P<name>{_NAME})(?=\s*\((?:age\s+|aged\s+)?\d{{1,2}}\b|,\s+(?:age|aged)\s+\d|,\s+\d{{1,2}}\s*[;,)]"
        rf"|\s*\([MF]\))",
        # before an appositive or a custody verb: "Tashi Phuntsog, born in", "Tsering Dawa were part of",
        # "Yeshe Palmo (“Yeshe Pamo”), a nun"
        rf"(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD}){{1,2}})(?=(?:\s+\([^()]{{1,40}}\))?,\s+(?:a|an|born|age|aged)\s"
        rf"|\s+(?:was|were|has\s+been|had\s+been|have\s+been|is)\s+(?:\w+\s+)?(?:detained|arrested|"
        rf"sentenced|released|taken|jailed|imprisoned|serving|held|tried|charged|born|part|among|a|an))",
    )
]
# Words a report writes before a name that are not part of it ("Nuns Kunga Choezom", "Uyghurs Abdughani
# Imin"), and what may follow one ("Tenkar of Gyetse", "Chen Xi (a.k.a", "Hao Sen - to").
_LEADING = re.compile(
    r"^(?:(?:Nuns?|Monks?|Abbot|Lama|Geshe|Trulku|Tulku|Uyghurs?|Uighurs?|Tibetans?|Mongols?|Kazakhs?|"
    r"Practitioners?|Pastor|Bishop|Father|Elder|Brothers?|Sisters?|Imam|Activists?|Lawyers?|Petitioners?|"
    r"Males?|Females?|Students?|Writer|Dissident|Herdsman|Farmer|Teacher|Villagers?|Residents?)\s+)+"
)
_SURNAME_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b(He|Han)\s+$")
_PLACE_USE = re.compile(
    r"(?:county|prefecture|prefectural|city|town|township|province|provincial|municipality|village|district|"
    r"monastery|nunnery|TAP|TAR|T&QAP|protests?|uprising|region|"
    # "Aba (Ngaba) Tibetan and Qiang Autonomous Prefecture", "Ili Kazakh Autonomous Prefecture"
    r"(?:Tibetan|Uyghur|Kazakh|Hui|Mongol(?:ian)?|Qiang|Korean|Yi|Zhuang|Bai|Dai)(?:\s+and\s+[A-Z]\w+)?\s+Autonomous|"
    r"(?i:County|Prefecture|Municipal|District|Autonomous"
    r"|branch|PSB|Intermediate|People's|People’s))\b"
)
# "in Driru (Biru), Nagchu": a place with its other spelling in brackets, then the place it lies in
_PLACE_PAIR_AFTER = r"\s*\([A-Z][\w'’-]*\),\s+[A-Z]"
_TRAILING = re.compile(r"\s*(?:\(.*|\s-\s.*|\s+of\s+.*)$|(?:\s+[a-z]+)+$")
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


@dataclass(eq=False)
class Person:
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
    # the upper ends of ranges of terms given to a group the person is in ("from 2 to 5 years")
    ranges: list[tuple[Term, Span]] = field(default_factory=list)  # with the sentence stating it
    charges: list[Charge] = field(default_factory=list)
    places: list[tuple[str, Span]] = field(default_factory=list)
    health: list[tuple[str, Span]] = field(default_factory=list)
    events: list[tuple[str, PartialDate | None, int, Span]] = field(default_factory=list)  # status events
    spans: dict[str, list[Span]] = field(default_factory=dict)
    # how each fact reached the person, by (field, span): "named" in its sentence, "carried" over from an
    # earlier one, "joint" (sentenced together), "group" (a group's detention): the confidence reads it
    basis: dict[tuple[str, Span], str] = field(default_factory=dict)

    def cite(self, key: str, span: Span) -> None:
        spans = self.spans.setdefault(key, [])
        if list(span) not in [list(s) for s in spans]:
            spans.append(span)

    @property
    def tokens(self) -> list[str]:
        return self.name.split()


@dataclass
class Mention:
    start: int
    end: int
    person: Person


class PersonReader(SentenceIndex):
    """Finds the persons of a document and their mentions (``persons``, ``mentions`` in text order)."""

    persons: list[Person]
    mentions: list[Mention]

    def _person_for(self, name: str) -> Person | None:
        key = fold(name)
        tokens = name.split()
        for person in self.persons:
            if fold(person.name) == key or key in {fold(n) for n in person.names}:
                return person
        for person in self.persons:
            if _spelling_variant(tokens, person.tokens):
                return person
        if len(tokens) == 1:
            matches = [
                p for p in self.persons if len(p.tokens) > 1 and tokens[0] in (p.tokens[0], p.tokens[-1])
            ]
            # "Xie" in a text about Xie Fulin that names his brother Xie Shulin too: the one named first
            # (a report names its subject first and relatives after)
            if len(matches) == 1 or (matches and all(p.tokens[0] == tokens[0] for p in matches)):
                return matches[0]
        return None

    def _find_persons(self, entities: list[tuple[int, int]]) -> None:
        text = self.masked
        found: list[tuple[int, int, str]] = []
        for start, end in entities:
            raw = text[start:end]
            name = _TRAILING.sub("", raw.strip(' ,.;:"“”()'))
            name = _NAME_TRIM.sub("", name.strip(' ,.;:"“”()')).strip()
            name = _LEADING.sub("", _NAME_TRIM.sub("", name).strip())
            if len(name) < 2 or not name[0].isupper() or _NOT_A_NAME.search(name) or len(name.split()) > 4:
                continue
            offset = raw.find(name)
            begin = start + offset
            # "He Jiming", "Han Chunsheng": surnames the filters read as a pronoun or a people
            surname = _SURNAME_BEFORE.search(text, max(0, begin - 5), begin)
            if surname and _looks_pinyin(name.split()[0]):
                name, begin = f"{surname[1]} {name}", surname.start(1)
            found.append((begin, begin + len(name), name))
        for pattern in _PATTERN_NAMES:
            for match in pattern.finditer(text):
                words = _LEADING.sub("", match["name"]).split()
                is_surname = words[:1] in (["He"], ["Han"]) and len(words) > 1 and _looks_pinyin(words[1])
                while words and words[0] in _NOT_NAME_WORDS and not is_surname:
                    words.pop(0)
                name = " ".join(words)
                rest = words[1:] if is_surname else words
                if not words or any(w in _NOT_NAME_WORDS for w in rest) or _NOT_A_NAME.search(" ".join(rest)):
                    continue
                end = match.end("name")
                start = end - len(name)
                if not any(start < e and s < end for s, e, _ in found):
                    found.append((start, end, name))
        found = self._lists(found)
        aliases: dict[int, list[tuple[int, int, str]]] = {}
        for start, end, _name in found:
            alias = _ALIAS.match(text, end)
            while alias and not _NOT_A_NAME.search(alias["name"]) and alias["name"] not in _NOT_NAME_WORDS:
                aliases.setdefault(start, []).append((alias.start("name"), alias.end("name"), alias["name"]))
                # "(or Gyaltsen Namdak, lay name Dawa)": the bracket goes on with more names
                alias = None if alias[0].endswith(")") else _MORE_ALIAS.match(text, alias.end())
        alias_starts = {a[0] for found_aliases in aliases.values() for a in found_aliases}
        found = [f for f in found if f[0] not in alias_starts]
        # Longer names first, so "Ding" joins "Ding Guozhu" wherever it is said.
        for start, end, name in sorted(found, key=lambda f: (-len(f[2].split()), f[0])):
            person = self._person_for(name)
            if person is None:
                person = Person(name=name, names=[name])
                self.persons.append(person)
            elif name not in person.names and _spelling_variant(name.split(), person.tokens):
                person.names.append(name)
            self.mentions.append(Mention(start, end, person))
            for a_start, a_end, a_name in aliases.get(start, []):
                if a_name not in person.names:
                    person.names.append(a_name)
                self.mentions.append(Mention(a_start, a_end, person))
        self._not_places()
        self._han_names()
        self._short_mentions()
        self.mentions.sort(key=lambda m: m.start)
        for person in self.persons:
            person.mentions = sorted((m.start, m.end) for m in self.mentions if m.person is person)

    def _not_places(self) -> None:
        """Drop "persons" the text also uses as a place ("after the Kardze protest", "Kardze county"): the
        small model tags many Tibetan and Uyghur place names as persons."""
        dropped = set()
        text = self.masked
        for person in self.persons:
            for name in person.names:
                if any(_used_as_place(text, at, at + len(name)) for at in _occurrences(text, name)):
                    dropped.add(id(person))
                    break
        if dropped:
            self.persons = [p for p in self.persons if id(p) not in dropped]
            self.mentions = [m for m in self.mentions if id(m.person) not in dropped]

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
                person = Person(name=pinyin, names=[pinyin])
                self.persons.append(person)
            if han not in person.names:
                person.names.append(han)
            self.mentions.append(Mention(match.start(), match.end(), person))

    def _short_mentions(self) -> None:
        """ "Ding" for "Ding Guozhu" where spaCy did not tag it: the first or last word of one person only."""
        taken = [(m.start, m.end) for m in self.mentions]
        counts: dict[str, list[Person]] = {}
        for person in self.persons:
            if len(person.tokens) > 1 and person.name.isascii():
                for token in {person.tokens[0], person.tokens[-1]}:
                    counts.setdefault(token, []).append(person)
        for token, persons in counts.items():
            if len(token) < 2 or (len(persons) > 1 and not all(p.tokens[0] == token for p in persons)):
                continue
            text = self.masked
            for at in _occurrences(text, token):
                end = at + len(token)
                if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                    continue  # not a whole word
                if _CAPITAL_NEXT.match(text, end):
                    continue  # part of a longer name
                if not any(at < e and s < end for s, e in taken):
                    self.mentions.append(Mention(at, end, persons[0]))

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


# (precompiled: a pattern built around each name cost more than the rest of the extraction's patterns)
# "Sog (Suo) county", "Gangcha (Kangtsa) County PSB": the other spelling may come between
_PLACE_USE_AFTER = re.compile(rf"(?:\s*\([^()]{{1,30}}\))?\s+{_PLACE_USE.pattern}")
_PLACE_PAIR = re.compile(_PLACE_PAIR_AFTER)
_CAPITAL_NEXT = re.compile(r"\s+[A-Z]")
_IN_BEFORE = re.compile(r"\b(?:in|near)\s+$")


def _occurrences(text: str, name: str) -> list[int]:
    """Where ``name`` is written in ``text`` starting a word."""
    found = []
    at = text.find(name)
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            found.append(at)
        at = text.find(name, at + 1)
    return found


def _used_as_place(text: str, start: int, end: int) -> bool:
    """The name written at ``start:end`` names a place: "Kardze county", "in Driru (Biru), Nagchu"."""
    if _PLACE_USE_AFTER.match(text, end):
        return True
    return bool(_PLACE_PAIR.match(text, end) and _IN_BEFORE.search(text, max(0, start - 8), start))


def _spelling_variant(tokens: list[str], other: list[str]) -> bool:
    """Two romanisations of one name ("Kunchog" / "Konchog", "Palden Tsondru" / "Palden Tsondrue"): the
    same words but one, and that one differs by a letter or two in a word of five letters or more."""
    if len(tokens) != len(other) or tokens == other:
        return False
    differing = [(a, b) for a, b in zip(tokens, other, strict=True) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    if min(len(a), len(b)) < 5 or a[0].lower() != b[0].lower():
        return False
    return SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.8


def _looks_pinyin(name: str) -> bool:
    words = [w.lower() for w in re.split(r"[\s'’-]+", name) if w]
    return bool(words) and all(_segment_pinyin(w) for w in words)


def _is_detainee(person: Person) -> bool:
    return bool(person.detentions or person.terms or person.charges or person.places or person.events)


def _role(person: Person) -> str:
    if person.official:
        return "official"
    if _is_detainee(person) or person.health:
        return "detainee"
    return "other"

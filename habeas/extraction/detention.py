"""Detention facts and where they go: detentions, terms, charges, places, health and status events read
sentence by sentence and given to the person named in the same clause (the one named just before it for
terms, places and health; all of them for detentions and charges), else in the same sentence, else to the
person the text was last about ("he was sentenced to..."). Officials are never given detention facts.
Then each person's facts become the contract's JSON, status inferred from the last event.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from habeas.lib.dates import PartialDate, add_months

from . import lexicon as lx
from .confidence import confidence_for
from .dates import DateMention
from .persons import Mention, Person, PersonReader, _is_detainee, _looks_pinyin, _role
from .statutes import find_charges
from .terms import Term, find_terms, range_ends, respective_terms
from .text import Span

_SPEAKER = re.compile(r"\s*(?:\([^)]{0,30}\)\s*)?(?:said|says|told|tells|wrote|stated|added|explained)\b")
_EACH = re.compile(r"\b(?:each|all|both|respectively)\b", re.I)
_TERM_WORDS = re.compile(r"year|month|week|day|life|death|RTL", re.I)  # no term without one of these
# Pre-trial detention rarely lasts longer without a trial being reported. Three years, not two: on the CECC
# dev export, detentions 2 to 3 years old with nothing reported since were mostly still running (extended
# investigation, "political reeducation" camps), older ones almost always over.
_STALE_DAYS = 3 * 365
_PLURAL = re.compile(
    r"\b(?:they|them|their|each|both|all\s+(?:of\s+them|\d+|five|four|three|two)|the\s+(?:men|women|monks|nuns|"
    r"two|three|four|five|six|seven|eight|nine|ten|\d+|others|couple|practitioners|defendants))\b",
    re.I,
)
_NUMBER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# a reference to a group of persons named before (or just after) it, as the object or subject of a fact
_GROUP_REF = re.compile(
    # not after a preposition: "a relative of one of the nuns, was held at ..." is about the relative
    r"(?<!\bof\s)(?<!\bwith\s)(?<!\bamong\s)(?<!\bfrom\s)(?<!\bfor\s)(?<!\babout\s)(?<!\blike\s)"
    r"\b(?:them|they\s+(?:were|are|had\s+been|have\s+been|remain(?:ed)?)\b"
    rf"|(?P<others>the\s+(?:others|rest|other\s+(?:{_NUMBER}(?:\s+[a-z]+s)?|[a-z]+s)))\b"
    rf"|(?:the|these|those|all)\s+{_NUMBER}(?!\s*(?:-|\s)(?:years?|months?|days?|weeks?|yuan)\b)(?:\s+[a-z]+s)?\b"
    r"|the\s+(?:men|women|monks|nuns|students|practitioners|defendants|petitioners|activists|advocates|"
    r"lawyers|protesters|villagers|herders|individuals|detainees|brothers|sisters|couple|Tibetans|Uyghurs|"
    r"Christians|believers)\b)",
    re.I,
)
_NOT_EVENT_DATE = re.compile(r"\b(?:as\s+of|by|until|till|as\s+late\s+as)\s+$", re.I)
_CONNECTION = re.compile(
    r"\b(?:in\s+connection\s+with|connected\s+(?:to|with)|in\s+the\s+case\s+of|(?:a|the)\s+relative\s+of|"
    r"(?:wife|husband|son|daughter|mother|father|brother|sister)\s+of)\b",
    re.I,
)
_COLON_AFTER = re.compile(r"(?:['’]s?)?(?:\s+(?:imprisonment|in\s+prison|prison\s+terms?|each))?\s*:\s")
_PAST = re.compile(r"\b(?:previously|in\s+the\s+past|before\s+that|prior\s+to\s+that|once\s+before)\b", re.I)
_EPISODE_DAYS = 60
_JOINT_GAP = re.compile(
    r"(?:\s*\([^()]{0,40}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+|,?\s+as\s+well\s+as\s+(?:[a-z]+\s+)?)"
)
# after the last name: "... and Kalden on July 30 to", "..., and Li Xianbi were sentenced to"
_JOINT_TAIL = re.compile(
    r"(?:\s*\([^()]{0,40}\))?,?(?:\s+(?:were|are)\s+(?:each\s+|all\s+|both\s+)?(?:sentenced|ordered))?"
    r"(?:\s+(?:on|in)\s+[\w.]+(?:\s+\d{1,2})?(?:,?\s+\d{4})?,?)?\s+(?:each\s+|both\s+|all\s+)?to\s"
    # "..., and Wangmo received three-year sentences", "Li and Wu were each given 2 years"
    r"|(?:\s*\([^()]{0,40}\))?,?\s+(?:each\s+|all\s+|both\s+)?(?:received|were\s+(?:each\s+|all\s+)?given|got)\s"
    # a list of sentences: "Shi Ning and Zhang Shoulan, 8 years;"
    r"|,\s+(?=(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[-\s](?:years?|months?)\b)"
)
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|hers)\b", re.I)
_SUBJECT_PRONOUN = re.compile(r"\b(?:he|she|him|her)\b", re.I)
# A place written in two spellings, "Naqu (Nagchu) prefecture", "Ghulja (Yining) city": the local name (the
# Tibetan or Uyghur one, not pinyin) is the one records use
_ALIAS = re.compile(
    r"\b(?P<a>[A-Z][a-z]+(?:['’][a-z]+)?)\s+\((?:or\s+)?(?P<b>[A-Z][a-z]+(?:['’][a-z]+)?)\)"
    r"(?=\s*,|\s+(?i:county|prefect\w*|city|town\w*|municipal\w*|district|TAP|TAR|autonomous|tibetan|kazakh|"
    r"uyghur|mongol\w*|hui|psb|prison|detention|public))"
)
_BRACKETED_FIRST = re.compile(r"(?P<a>\S+) \((?P<b>[^()\s]+)\) ")


class FactReader(PersonReader):
    """Reads the facts of the persons found (``read_facts``) and writes them out (``person_json``)."""

    def _respective(self, chunk: str, base: int, sentence: Span, how: str) -> list[Span]:
        """ "sentenced Sui and Xu to prison terms of seven and four years, respectively": the n-th term to
        the n-th person named before the list in its clause. The spans (in ``chunk``) of lists given."""
        given = []
        for start, end, terms in respective_terms(chunk):
            clause = self._clause_of(base + start, sentence)
            named = [
                m for m in self.mentions if clause[0] <= m.start < base + start and not m.person.official
            ]
            persons = list(dict.fromkeys(m.person for m in named))[-len(terms) :]
            if len(persons) != len(terms):
                continue
            given.append((start, end))
            for person, term in zip(persons, terms, strict=True):
                span = (base + term.start, base + term.end)
                person.terms.append((term, span))
                person.basis[("sentence", span)] = "joint" if how == "named" else how
                person.cite("sentence", span)
                person.cite("sentence_of", sentence)
                person.events.append(("detained", None, base, sentence))
        return given

    def _joint_subjects(self, end: int, clause: Span) -> list[Person]:
        """Persons sentenced together: "sentenced Chen and Sheng to 9 years" (names joined by commas and
        "and" just before the term), not "sentenced Chen to 9 years and Sheng to 5"."""
        mentions = [
            m for m in self.mentions if clause[0] <= m.start and m.end < end and not m.person.official
        ]
        if len(mentions) < 2 or not _JOINT_TAIL.match(self.masked, mentions[-1].end, end):
            return []
        return self._joined(mentions)

    def _joint_before(self, pos: int, sentence: Span) -> list[Person]:
        """The persons of a list of names ("Jiao, Wu, and Pan", "Liu and Yang") whose last name is the
        last one written before ``pos`` in its clause."""
        clause = self._clause_of(pos, sentence)
        mentions = [
            m for m in self.mentions if clause[0] <= m.start and m.end <= pos and not m.person.official
        ]
        if len(mentions) < 2:
            return []
        return self._joined(mentions)

    def _joined(self, mentions: list[Mention]) -> list[Person]:
        """The persons of the list of names that ends with the last of ``mentions`` (names joined by
        commas and "and"), when it names more than one person."""
        joined = [mentions[-1]]
        for before in reversed(mentions[:-1]):
            if not _JOINT_GAP.fullmatch(self.masked, before.end, joined[0].start):
                break
            joined.insert(0, before)
        persons = list(dict.fromkeys(m.person for m in joined))
        return persons if len(persons) > 1 else []

    def _listed_after(self, end: int, sentence: Span) -> list[Person]:
        """ "sentenced three practitioners to four years' imprisonment: Dong, Jin, and Zou": the names
        listed after a colon that follows the term."""
        colon = _COLON_AFTER.match(self.masked, end)
        if colon is None:
            return []
        listed = [m for m in self.mentions if colon.end() <= m.start < sentence[1] and not m.person.official]
        persons = list(dict.fromkeys(m.person for m in listed))
        return persons if len(persons) > 1 else []

    def _candidates(self, span: Span) -> list[Mention]:
        mentions = [m for m in self.mentions if span[0] <= m.start < span[1] and not m.person.official]
        # "..., his cousin Ablet Hoshur told reporters": the speaker is not the subject
        subjects = [m for m in mentions if not _SPEAKER.match(self.masked, m.end)]
        # "detained Xi Chongdi in connection with Jiao, Wu, and Pan's case": those named after such a phrase
        # are not the fact's subjects
        link = _CONNECTION.search(self.masked, span[0], span[1])
        if link is not None:
            subjects = [m for m in subjects if m.start < link.start()] or subjects
        return subjects or mentions

    def _group(self, ref: re.Match[str], sentence: Span) -> list[Person]:
        """Whom a reference to a group means ("them", "the 13 advocates", "the others"): the persons named
        together before it in its own sentence, else those of the latest sentence naming two or more, else
        everyone named so far; with no one named before, the next sentence naming two or more ("detained
        12 men ... The men are A, B, ..."). "the others" leaves out those its own sentence names."""
        at = ref.start()
        mentions = [m for m in self.mentions if not m.person.official]
        here = [m for m in mentions if sentence[0] <= m.start < sentence[1]]
        group: list[Person] = []
        own = list(dict.fromkeys(m.person for m in here if m.start < at))
        others = ref.groupdict().get("others") is not None
        if len(own) >= 2 and not others:
            group = own
        else:
            earlier = [m for m in mentions if m.start < sentence[0]]
            together = [named for named in self._by_sentence(earlier) if len(named) >= 2]
            if together:
                group = together[-1]
            elif earlier:
                group = list(dict.fromkeys(m.person for m in earlier))
            else:
                later = self._by_sentence([m for m in mentions if m.start >= sentence[1]])
                group = next((named for named in later if len(named) >= 2), [])
        if others:
            named_here = {m.person for m in here}
            group = [p for p in group if p not in named_here]
        return group if len(group) >= 2 or (group and others) else []

    def _by_sentence(self, mentions: list[Mention]) -> list[list[Person]]:
        """The persons these mentions name, sentence by sentence in text order, each once per sentence."""
        named: dict[Span, list[Person]] = {}
        for m in mentions:
            persons = named.setdefault(self._sentence_of(m.start), [])
            if m.person not in persons:
                persons.append(m.person)
        return list(named.values())

    def _bracket_owner(self, pos: int, sentence: Span) -> Person | None:
        """The person whose name stands just before the bracket ``pos`` is in: "Feng Zhilan (age about 60;
        detained June 16)" is about Feng Zhilan alone."""
        opened = self.masked.rfind("(", sentence[0], pos)
        if opened < 0 or self.masked.find(")", opened, pos) >= 0:
            return None
        for m in self.mentions:
            if not m.person.official and m.end <= opened and not self.masked[m.end : opened].strip():
                return m.person
        return None

    def _list_date(self, person: Person) -> DateMention | None:
        """A date written beside a name in a list: "Zhang Fengmei (January 20, 2010); Zheng Faxin (January
        23, 2010)", "Konchog and Namgyal Tseten on March 20; and Dorje on March 21": the first date after
        the person's first mention in its clause, before any custody verb or sentence end."""
        first = person.mentions[0][0]
        sentence = self._sentence_of(first)
        clause = self._clause_of(first, sentence)
        if clause[1] - clause[0] > 300:
            return None
        after = [d for d in self.dates if first < d.start < clause[1] and not d.attribution]
        if not after:
            return None
        date = after[0]
        between = self.masked[first : date.start]
        if lx.DETAINED.search(between) or lx.RELEASED.search(between) or lx.SENTENCED.search(between):
            return None
        return date

    def _group_ref(self, pos: int, clause: Span, until: int) -> re.Match[str] | None:
        """The last reference to a group in ``clause`` before ``pos`` with no name between it and ``until``
        (the fact's end: "sentenced Li to 3 years" names its person inside the fact) ("police detained the
        women and took them to the Biru County PSB Detention Center")."""
        refs = list(_GROUP_REF.finditer(self.masked, clause[0], pos))
        if not refs:
            return None
        ref = refs[-1]
        if any(ref.end() <= m.start < until for m in self.mentions if not m.person.official):
            return None
        return ref

    def targets(
        self, pos: int, *, nearest: bool, either_side: bool = False, until: int | None = None
    ) -> list[Person]:
        sentence = self._sentence_of(pos)
        clause = self._clause_of(pos, sentence)
        ref = self._group_ref(pos, clause, max(pos, until or pos))
        if ref is not None:
            group = self._group(ref, sentence)
            if group:
                return group
        for span in (clause, sentence):
            mentions = self._candidates(span)
            if mentions:
                if nearest and either_side:
                    return [min(mentions, key=lambda m: min(abs(m.start - pos), abs(m.end - pos))).person]
                if nearest:
                    before = [m for m in mentions if m.start <= pos]
                    if before:
                        return [before[-1].person]
                    # "Authorities detained him at the Haizhu PSB Detention Center, ... linked to the poet
                    # Wu": a pronoun before the fact, the only name after it: the pronoun's person
                    earlier = [m for m in self.mentions if m.start < sentence[0] and not m.person.official]
                    if earlier and _SUBJECT_PRONOUN.search(self.masked, span[0], pos):
                        return [_topic(earlier)]
                    return [mentions[0].person]
                return list(dict.fromkeys(m.person for m in mentions))
        earlier = [m for m in self.mentions if m.start < sentence[0] and not m.person.official]
        if not earlier:
            return []
        plural = _PLURAL.search(self.masked, sentence[0], sentence[1])
        if plural:
            # "They were sentenced ...": the group the text was last about
            group = self._group(plural, sentence)
            if group:
                return group
            last = self._sentence_of(earlier[-1].start)
            return list(dict.fromkeys(m.person for m in earlier if last[0] <= m.start < last[1]))
        if _PRONOUN.search(self.masked, sentence[0], sentence[1]):
            return [_topic(earlier)]
        # a sentence without a subject ("Detained on May 3 for ..."; "Authorities held the activist at ...")
        # in a text that has named one person only so far: it goes on about that person
        if len({m.person for m in earlier}) == 1:
            return [earlier[-1].person]
        return []

    # -- facts -----------------------------------------------------------------------------------
    def read_facts(self) -> None:
        self._roles_and_descriptors()
        text = self.masked
        # dated detentions of anyone, named or not ("detained 14 nuns on May 12, 2008"), in text order
        dated_detentions: list[tuple[DateMention, Span, int]] = []
        aliases = _aliases(text) if "(" in text else {}
        for index, sentence in enumerate(self.sentences):
            chunk = text[sentence[0] : sentence[1]]
            base = sentence[0]
            # how a fact of this sentence reaches its person: named in it, or carried over from before
            how = "named" if self._candidates(sentence) else "carried"
            custody = list(lx.DETAINED.finditer(chunk))
            arrests = [base + m.start() for m in custody if m[0].lower().startswith("arrest")]
            for match in custody:
                pos = base + match.start()
                date = self._date_near(pos, sentence)
                if date and _NOT_EVENT_DATE.search(text, max(0, date.start - 15), date.start):
                    date = None  # "As of December 24, authorities had detained 26": a count's date
                arrest = match[0].lower().startswith("arrest")
                if date and not arrest and arrests:
                    # "On January 17, officials formally arrested all three and detained them at ...": the
                    # date is the arrest's
                    arrest = min(abs(a - date.start) for a in arrests) < abs(pos - date.start)
                if date and not arrest:
                    dated_detentions.append((date, sentence, index))
                owner = self._bracket_owner(pos, sentence)
                for person in [owner] if owner else self.targets(pos, nearest=False):
                    person.detentions.append((date.value if date else None, sentence, arrest))
                    person.events.append(("detained", date.value if date else None, base, sentence))
                    person.cite("detained", sentence)
                    person.basis.setdefault(("detained", sentence), how)
            sentenced = lx.SENTENCED.search(chunk)
            given = self._respective(chunk, base, sentence, how) if "respectively" in chunk else []
            for term in find_terms(chunk) if _TERM_WORDS.search(chunk) else ():
                if any(start <= term.start < end for start, end in given):
                    continue
                pos = base + term.start
                span = (base + term.start, base + term.end)
                clause = self._clause_of(pos, sentence)
                each = (
                    _EACH.search(text, clause[0], pos) is not None
                )  # "Liang, Xu and Liu each to five years"
                joint = self._joint_subjects(base + term.end, clause) or self._listed_after(span[1], sentence)
                # "sentenced Zhang to four years' imprisonment and Wei to five years'": the name inside the
                # term's words is its person, not the one written before them
                inside = [m for m in self.mentions if pos < m.start < span[1] and not m.person.official]
                named = [inside[0].person] if inside and not each else []
                for person in joint or named or self.targets(pos, nearest=not each, until=span[1]):
                    person.terms.append((term, span))
                    person.basis[("sentence", span)] = "joint" if joint else how
                    person.cite("sentence", span)
                    person.cite("sentence_of", sentence)
                    person.events.append(("detained", None, base, sentence))
                    if sentenced:
                        date = self._date_near(base + sentenced.start(), sentence)
                        person.sentenced = (date.value if date else None, sentence)
                        if date:
                            person.cite("sentenced", (date.start, date.end))
            for upper in range_ends(chunk) if _TERM_WORDS.search(chunk) else ():
                for person in self.targets(base + upper.start, nearest=False, until=base + upper.end):
                    person.ranges.append((upper, sentence))
            linked = [
                p
                for p in self.persons
                if sentence in p.spans.get("detained", []) + p.spans.get("sentence_of", [])
            ]
            for charge in find_charges(chunk, base):
                here = [p for p in self.targets(charge.start, nearest=False) if p in linked]
                for person in here or self.targets(charge.start, nearest=True):
                    person.charges.append(charge)
                    person.basis[("charges", (charge.start, charge.end))] = how
                    person.cite("charges", (charge.start, charge.end))
            for match in lx.PLACE.finditer(chunk):
                pos = base + match.start()
                span = (pos, base + match.end())
                place = _local_name(lx.place_name(match[0]), aliases)
                if lx.NOT_A_FACILITY.search(place):
                    continue
                held = self.targets(pos, nearest=True)
                # "Authorities held Jiao, Wu, and Pan at the ...", "Liu and Yang served their terms at the
                # ...": the place is that of everyone in the list it follows
                joint = self._joint_before(pos, sentence) if len(held) == 1 else []
                for person in joint if held and held[0] in joint else held:
                    person.places.append((place, span))
                    person.basis[("place", span)] = how
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
        self._group_detentions(dated_detentions)
        self._document_ethnicity()

    def _group_detentions(self, detentions: list[tuple[DateMention, Span, int]]) -> None:
        """A person whose detention the text does not date ("Lei and Wan were also detained"), or who is
        listed beside others just after a group's detention ("detained 14 nuns on May 12 ... The nuns were
        Pema, ..."): the date of the last dated detention before the person is first named."""
        for person in self.persons:
            if person.official or person.other or not person.mentions:
                continue
            # a formal arrest, or an earlier episode ("Previously, authorities detained both monks in 2015"),
            # does not date the detention the text is about
            if any(
                d is not None and not arrest and not _PAST.search(self.masked, s[0], s[1])
                for d, s, arrest in person.detentions
            ):
                continue
            first = person.mentions[0][0]
            before = [d for d in detentions if d[1][0] <= first]
            if not before:
                continue
            date, sentence, index = before[-1]
            beside = self._list_date(person)
            if (
                beside is not None
                and beside.value.month is not None  # "(age 26 in 2008)" is no date of detention
                and beside.value.year in (date.value.year, date.value.year + 1)
            ):
                date = beside  # the person's own date in the list of the group's members
            if not person.detentions:
                # no detention of their own: only a person listed beside others just after the detention
                here = self._sentence_of(first)
                named = {m.person for m in self.mentions if here[0] <= m.start < here[1]}
                if len(named) < 2 or here[0] > self._sentence_end(index + 2):
                    continue
            person.detentions.append((date.value, sentence, False))
            person.events.append(("detained", date.value, sentence[0], sentence))
            person.cite("detained", sentence)
            person.basis[("detained", sentence)] = "group"

    def _sentence_end(self, index: int) -> int:
        return self.sentences[min(index, len(self.sentences) - 1)][1]

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
    def _latest_date(self, spans: list[Span]) -> PartialDate | None:
        """The latest date written inside ``spans``."""
        dates = [d.value for d in self.dates for s, e in spans if s <= d.start < e]
        return max(dates, key=lambda d: d.latest, default=None)

    def _date_before(self, pos: int) -> PartialDate | None:
        """The last date written before ``pos`` that dates an event (not a source's own date)."""
        dates = [d for d in self.dates if d.start < pos and not d.attribution and not d.bracketed]
        return dates[-1].value if dates else None

    def person_json(self, person: Person) -> dict[str, Any]:
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
            # no date for the sentence or the detention: the latest date of the sentences that state it,
            # else the last date the text gave before it ("In November 2003, the group was found guilty ...
            # Zhan was sentenced to 3 years")
            start = start or self._latest_date(person.spans.get("sentence_of", []))
            start = start or self._date_before(sentence[1][0])
            term = sentence[0]
            if start is not None and (term.months or term.days):
                ends = add_months(start.latest, term.months) + dt.timedelta(days=term.days)
                if ends < self.published:
                    status, status_basis = "released", "term_expired"
        if status in ("detained", "unknown") and self.published and not sentence and person.ranges:
            # "ordered 5 villagers to serve between 5 and 10 days": over once the longest term is
            start = person.sentenced[0] if person.sentenced and person.sentenced[0] else detained
            start = start or self._latest_date([s for _, s in person.ranges])
            longest = max((t for t, _ in person.ranges), key=lambda t: (t.months, t.days))
            if start is not None:
                ends = add_months(start.latest, longest.months) + dt.timedelta(days=longest.days)
                if ends < self.published:
                    status, status_basis = "released", "term_expired"
        if status == "detained" and status_basis == "stated" and self.published and not sentence:
            # A detention reported years before the text's date, with no trial or sentence since: pre-trial
            # and administrative detention end within months, so the person is most likely out (presumed,
            # with a lower confidence than a stated release).
            dates = [d for d, _, _ in person.detentions if d is not None]
            last_day = max((d.latest for d in dates), default=None)
            if last_day is None:
                found = self._latest_date(person.spans.get("detained", []))
                last_day = found.latest if found else None
            if last_day is not None and last_day < self.published - dt.timedelta(days=_STALE_DAYS):
                status, status_basis = "released", "presumed"
        if status == "unknown" and self.published and _is_detainee(person) and not sentence:
            # charged or held somewhere, no event stated: the same presumption as a stale detention
            found = self._latest_date([self._sentence_of(m[0]) for m in person.mentions])
            if found is not None and found.latest < self.published - dt.timedelta(days=_STALE_DAYS):
                status, status_basis = "released", "presumed"
        place = person.places[-1][0] if person.places else None
        charges: list[dict[str, object]] = []
        charge_basis: list[str] = []
        for charge in person.charges:
            if charge.as_json() not in charges:
                charges.append(charge.as_json())
                charge_basis.append(person.basis.get(("charges", (charge.start, charge.end)), "named"))
        basis: dict[str, str] = {}
        if detained is not None:
            hows = {
                person.basis.get(("detained", s), "named") for d, s, _ in person.detentions if d == detained
            }
            basis["detained"] = next(h for h in ("named", "carried", "group") if h in hows or h == "group")
        if sentence is not None:
            basis["sentence"] = person.basis.get(("sentence", sentence[1]), "named")
        if person.places:
            basis["place"] = person.basis.get(("place", person.places[-1][1]), "named")
        if charges:
            basis["charges"] = "named" if "named" in charge_basis else "carried"
        basis["status"] = f"{status}:{status_basis}" if status_basis else status
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
            "basis": basis,
            "confidence": confidence_for(basis),
            "health": list(dict.fromkeys(h for h, _ in person.health)),
            "evidence": [list(s) for s in evidence],
            "spans": {key: [list(s) for s in spans] for key, spans in person.spans.items()},
            "mentions": [list(m) for m in person.mentions],
        }


def _aliases(text: str) -> dict[str, str]:
    """Pinyin spellings of places the text also gives in a local spelling: "Naqu (Nagchu) prefecture",
    "Ghulja (Yining) city" -> {"Naqu": "Nagchu", "Yining": "Ghulja"}."""
    aliases = {}
    for match in _ALIAS.finditer(text):
        a, b = match["a"].replace("’", "'"), match["b"].replace("’", "'")
        if _looks_pinyin(a) and not _looks_pinyin(b):
            aliases[a] = b
        elif _looks_pinyin(b) and not _looks_pinyin(a):
            aliases[b] = a
    return aliases


def _local_name(place: str, aliases: dict[str, str]) -> str:
    """A facility's name with its place in the local spelling the text gives: "Ma'erkang (Barkham) PSB
    Detention Center" -> "Barkham PSB Detention Center", "Naqu Prefecture PSB Detention Center" (the text
    having written "Naqu (Nagchu) prefecture") -> "Nagchu Prefecture PSB Detention Center"."""
    both = _BRACKETED_FIRST.match(place)
    if both is not None:
        a, b = both["a"], both["b"]
        if _looks_pinyin(a) != _looks_pinyin(b):
            local = b if _looks_pinyin(a) else a
            place = f"{local} {place[both.end() :]}"
    first, _, rest = place.partition(" ")
    if first in aliases and rest:
        place = f"{aliases[first]} {rest}"
    return place


def _topic(earlier: list[Mention]) -> Person:
    """Whom "he" or "she" most likely means: the person named most often so far (a report keeps coming
    back to its subject; relatives and co-defendants are named once or twice), the latest of equals."""
    counts: dict[int, int] = {}
    for mention in earlier:
        counts[id(mention.person)] = counts.get(id(mention.person), 0) + 1
    best = max(counts.values())
    return next(m.person for m in reversed(earlier) if counts[id(m.person)] == best)


def _detention_date(person: Person) -> PartialDate | None:
    """The latest dated detention (the case the text ends on), "detained" before "arrested" (a formal
    arrest comes after the detention)."""
    for want_arrest in (False, True):
        dated = [d for d, _, arrest in person.detentions if d is not None and arrest == want_arrest]
        if dated:
            latest = max(dated, key=lambda d: d.earliest)
            # one episode: "detained on March 23 ... criminally detained on March 24": the custody began
            # at the first of them
            episode = [d for d in dated if 0 <= (latest.earliest - d.earliest).days <= _EPISODE_DAYS]
            return min(episode, key=lambda d: d.earliest)
    return None


def _main_term(person: Person) -> tuple[Term, Span] | None:
    """The sentence a person is serving: a criminal one before an administrative one, the last stated."""
    criminal = [t for t in person.terms if not t[0].administrative]
    chosen = criminal or person.terms
    return chosen[0] if chosen else None

"""Charges as written -> the PRC Criminal Law article that defines them.

The table covers the articles that recur in political cases. A charge is only read where the sentence
says someone was charged, accused, convicted, detained or sentenced for it, and not in general remarks
("practitioners in similar cases are often charged under art. 300").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CL97 = "PRC-CL-1997"
CL79 = "PRC-CL-1979"

# (pattern, code, article): the first pattern that matches a span wins, so narrower ones come first.
CHARGES: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(p, re.I), code, article)
    for p, code, article in [
        (
            r"counter-?revolutionary\s+propaganda(?:\s+and\s+incitement)?|counter-?revolutionary\s+incitement",
            CL79,
            "102",
        ),
        (
            r"(?:organi[sz]\w*|lead\w*)(?:\s+(?:and|or)\s+\w+)?\s+(?:a\s+)?counter-?revolutionary\s+"
            r"(?:group|organi[sz]ation|clique)",
            CL79,
            "98",
        ),
        (r"hooliganism", CL79, "160"),
        (
            r"(?:incit\w*\s+(?:to\s+)?(?:the\s+)?subver\w*|incitement\s+to\s+subver\w*)"
            r"(?:\s+(?:of\s+)?(?:the\s+)?state(?:\s+power)?)?",
            CL97,
            "105(2)",
        ),
        (r"subver\w*\s+(?:of\s+)?(?:the\s+)?state(?:\s+power)?|subversion", CL97, "105(1)"),
        (
            r"incit\w*\s+(?:to\s+)?(?:ethnic\s+)?(?:split\w*|separatism)|incit\w*\s+(?:the\s+)?split\w*",
            CL97,
            "103(2)",
        ),
        (
            r"split\w*\s+(?:the\s+)?(?:state|country|nation)|(?:ethnic\s+)?separatism|splittism",
            CL97,
            "103(1)",
        ),
        (
            r"(?:leak|provid|sell|supply|send|pass)\w*\s+(?:state\s+secrets\s+(?:or\s+intelligence\s+)?|"
            r"intelligence\s+)(?:\w+\s+){0,3}?(?:abroad|overseas|to\s+(?:foreign|overseas|entities\s+abroad))"
            r"|(?:illegally\s+)?providing\s+(?:state\s+secrets|intelligence)(?:\s+\w+){0,4}\s+(?:abroad|overseas)"
            r"|(?:leak|provid|sell)\w*\s+intelligence|stealing\s+state\s+secrets|spying\s+on\s+state\s+secrets",
            CL97,
            "111",
        ),
        (r"espionage|\bspying\b", CL97, "110"),
        (
            r"(?:illegally\s+)?obtain\w*\s+state\s+secrets|illegal(?:ly)?\s+(?:acqui\w*|possess\w*)\s+(?:of\s+)?state\s+"
            r"secrets",
            CL97,
            "282",
        ),
        (r"(?:leak|divulg|disclos)\w*\s+state\s+secrets", CL97, "398"),
        (r"picking\s+quarrels|provoking\s+trouble|stirring\s+up\s+trouble", CL97, "293"),
        (
            r"(?:gather|assembl)\w*\s+(?:a\s+)?crowds?\s+to\s+(?:disturb|disrupt)\w*\s+(?:order\s+(?:in|at|of)\s+"
            r"(?:a\s+)?public\s+place|public\s+order)",
            CL97,
            "291",
        ),
        (
            r"(?:gather|assembl)\w*\s+(?:a\s+)?crowds?\s+to\s+(?:storm|attack)\w*\s+(?:a\s+)?state\s+organ",
            CL97,
            "290(2)",
        ),
        (
            r"(?:gather|assembl)\w*\s+(?:a\s+)?crowds?\s+to\s+(?:disturb|disrupt)\w*|(?:disturb|disrupt)\w*\s+"
            r"(?:social|public)\s+order",
            CL97,
            "290(1)",
        ),
        (
            r"(?:organi[sz]\w*|us\w*|utiliz\w*|leading)\s+(?:and\s+\w+\s+)?(?:a\s+)?(?:cult|heterodox)"
            r"|(?:cult|heterodox)\s+(?:organi[sz]ation|religion)|(?:undermin|sabotag|disrupt)\w*\s+(?:the\s+)?"
            r"(?:implementation|enforcement)\s+of\s+(?:the\s+|state\s+)?laws?|(?:undermin|sabotag)\w*\s+law\s+enforcement",
            CL97,
            "300(1)",
        ),
        (
            r"illegal\s+business\s+(?:activit\w*|operations?)|illegal\s+operation\s+of\s+a\s+business",
            CL97,
            "225",
        ),
        (
            r"obstruct\w*\s+(?:official|public)\s+(?:business|duties|duty)|obstruct\w*\s+(?:the\s+)?police",
            CL97,
            "277(1)",
        ),
        (r"illegal\s+(?:assembly|demonstration|procession)", CL97, "296"),
        (r"intentional\s+homicide|\bmurder\b", CL97, "232"),
        (r"intentional\s+(?:injury|assault)", CL97, "234"),
        (r"\bextortion\b|\bblackmail\w*", CL97, "274"),
        (r"\bfraud\b|\bswindl\w*", CL97, "266"),
        (r"inciting\s+ethnic\s+(?:hatred|discrimination)", CL97, "249"),
        (
            r"(?:organi[sz]\w*|lead\w*|participat\w*\s+in)\s+(?:a\s+)?terror\w*\s+(?:organi[sz]ation|group)",
            CL97,
            "120",
        ),
        (r"(?:advocat|promot)\w*\s+terror\w*(?:\s+(?:and|or)\s+extremism)?", CL97, "120-3"),
        (
            r"illegal(?:ly)?\s+(?:border\s+crossing|crossing\s+(?:the\s+|a\s+)?(?:national\s+)?border)"
            r"|illegally\s+crossing",
            CL97,
            "322",
        ),
        (r"\bembezzl\w*", CL97, "382"),
        (r"\bbriber\w*", CL97, "385"),
        (r"illegal\s+(?:possession|use)\s+of\s+(?:firearms|guns|explosives)", CL97, "128"),
    ]
]
# "charged under Article 105", "CL, art. 300", "Criminal Law Article 111"
_ARTICLE = re.compile(
    r"\b(?:art(?:icle)?\.?|§)\s*(?P<article>\d{2,3}(?:\s*\(\s*\d\s*\)|-\d)?)(?:\s+of\s+the\s+(?:PRC\s+)?"
    r"Criminal\s+Law|\s+of\s+(?:the\s+)?(?:CL|PRC\s+CL))?",
    re.I,
)
_CHARGE_CONTEXT = re.compile(
    r"\b(?:charg\w*|accus\w*|convict\w*|suspicion|suspected|indict\w*|guilty|crime\s+of|offen[cs]e\s+of|"
    r"prosecut\w*|sentenc\w*|arrest\w*|detain\w*|tried|trial|jail\w*|imprison\w*|crimes?\s+under)\b",
    re.I,
)
# One pass to rule out most sentences before trying each charge.
_ANY_CHARGE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _, _ in CHARGES), re.I)
_SUSPICION = re.compile(r"\b(?:suspicion|suspected|investigat\w*|allegedly)\b", re.I)
_GENERAL_REMARK = re.compile(
    r"\b(?:often|usually|typically|commonly|generally|in\s+similar\s+cases|such\s+cases|frequently)\b", re.I
)


@dataclass(frozen=True)
class Charge:
    start: int
    end: int
    text: str
    statute: str | None
    stage: str = "charged"  # or "suspected": "detained on suspicion of ..."

    def as_json(self) -> dict[str, object]:
        return {"text": self.text, "statute": self.statute, "stage": self.stage}


def statute_for(phrase: str) -> str | None:
    """The statute of a charge phrase: "inciting subversion of state power" -> ``PRC-CL-1997 art. 105(2)``."""
    for pattern, code, article in CHARGES:
        if pattern.search(phrase):
            return f"{code} art. {article}"
    return None


def find_charges(sentence: str, offset: int = 0) -> list[Charge]:
    """Charges named in one sentence (``offset`` places the spans in the whole text)."""
    if not _CHARGE_CONTEXT.search(sentence) or _GENERAL_REMARK.search(sentence):
        return []
    if not _ANY_CHARGE.search(sentence) and not _ARTICLE.search(sentence):
        return []
    found: list[Charge] = []
    taken: list[tuple[int, int]] = []
    for pattern, code, article in CHARGES:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            s, e = _whole_charge(sentence, start, end)
            taken.append((min(s, start), max(e, end)))
            stage = "suspected" if _SUSPICION.search(sentence, max(0, s - 50), s) else "charged"
            found.append(Charge(s + offset, e + offset, sentence[s:e], f"{code} art. {article}", stage))
    if not found:
        for match in _ARTICLE.finditer(sentence):
            article = re.sub(r"\s+", "", match["article"])
            code = CL79 if re.search(r"counter-?revolution|1979", sentence, re.I) else CL97
            found.append(
                Charge(match.start() + offset, match.end() + offset, match[0], f"{code} art. {article}")
            )
    found.sort(key=lambda charge: charge.start)
    return found


def _whole_charge(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The charge as written: the quoted phrase around the match where there is one, else the match."""
    before = max(sentence.rfind('"', 0, start), sentence.rfind("“", 0, start))
    after_candidates = [i for i in (sentence.find('"', end), sentence.find("”", end)) if i >= 0]
    if before >= 0 and after_candidates and start - before < 60 and min(after_candidates) - end < 60:
        inner = sentence[before + 1 : min(after_candidates)]
        if not any(q in inner for q in '"“”'):
            stripped = inner.strip(" ,.")
            first = before + 1 + inner.find(stripped)
            return first, first + len(stripped)
    return start, end

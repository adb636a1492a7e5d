"""Tibetan script in Extended Wylie transliteration ("བཀྲ་ཤིས་རྡོ་རྗེ" -> "bkra shis rdo rje").

Used where Tibetan script cannot be printed (reportlab does not shape Tibetan stacks, so a PDF would
show broken or blank glyphs): the name is given in the transliteration Tibetologists read, letter for
letter, rather than guessed at.

Each syllable (between tshegs) is read as stacks: a base letter with its subjoined letters and vowel
signs. The inherent "a" goes after the root stack when the syllable writes no vowel. The root is the
stack carrying a vowel or a subjoined letter; in a syllable of plain letters it is the first, or the
second when a prefix letter (g, d, b, m, ') comes first in three or more. Wylie's "." marking the rare
ambiguous spellings (g.yag) is not written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BASE = {
    "ཀ": "k", "ཁ": "kh", "ག": "g", "གྷ": "gh", "ང": "ng", "ཅ": "c", "ཆ": "ch", "ཇ": "j", "ཉ": "ny",
    "ཊ": "T", "ཋ": "Th", "ཌ": "D", "ཎ": "N", "ཏ": "t", "ཐ": "th", "ད": "d", "ན": "n", "པ": "p",
    "ཕ": "ph", "བ": "b", "མ": "m", "ཙ": "ts", "ཚ": "tsh", "ཛ": "dz", "ཝ": "w", "ཞ": "zh", "ཟ": "z",
    "འ": "'", "ཡ": "y", "ར": "r", "ལ": "l", "ཤ": "sh", "ཥ": "Sh", "ས": "s", "ཧ": "h", "ཨ": "",
    "ཪ": "r",
}  # fmt: skip
# Subjoined letters sit 0x50 above their base letters; wa-zur, ya-btags and ra-btags have their own.
_SUBJOINED = {chr(ord(base) + 0x50): latin for base, latin in _BASE.items() if len(base) == 1}
_SUBJOINED.update({"\u0fba": "w", "\u0fbb": "y", "\u0fbc": "r", "\u0fad": "w", "\u0fb1": "y", "\u0fb2": "r"})
_VOWELS = {
    "\u0f72": "i",
    "\u0f74": "u",
    "\u0f7a": "e",
    "\u0f7c": "o",
    "\u0f80": "-i",
    "\u0f7b": "ai",
    "\u0f7d": "au",
}
_MARKS = {"\u0f71": "A", "\u0f7e": "M", "\u0f82": "~M`", "\u0f83": "~M", "\u0f7f": "H", "\u0f84": "?"}
_DIGITS = {chr(0x0F20 + n): str(n) for n in range(10)}
_SEPARATORS = {"\u0f0b": " ", "\u0f0c": " ", "\u0f0d": " /", "\u0f0e": " //", "\u0f14": " :"}
_PREFIXES = {"g", "d", "b", "m", "'"}
TIBETAN = re.compile(r"[\u0f00-\u0fff]")


@dataclass
class _Stack:
    letters: list[str]
    vowel: str = ""
    marks: list[str] = field(default_factory=list)

    @property
    def stacked(self) -> bool:
        return len(self.letters) > 1 or bool(self.vowel)


def _root(stacks: list[_Stack]) -> int:
    for i, stack in enumerate(stacks):
        if stack.stacked:
            return i
    if len(stacks) >= 3 and stacks[0].letters[0] in _PREFIXES:
        return 1
    return 0


def _syllable(stacks: list[_Stack]) -> str:
    if not stacks:
        return ""
    root = _root(stacks)
    out = []
    for i, stack in enumerate(stacks):
        letters = "".join(stack.letters)
        vowel = stack.vowel
        if i == root:
            if "A" in stack.marks:  # a-chung: a long vowel
                stack.marks.remove("A")
                vowel = vowel.upper() if vowel else "A"
            vowel = vowel or "a"
        out.append(letters + vowel + "".join(stack.marks))
    return "".join(out)


def to_wylie(text: str) -> str:
    """``text`` with every Tibetan syllable in Wylie; anything else as it was."""
    out: list[str] = []
    stacks: list[_Stack] = []

    def close() -> None:
        if stacks:
            out.append(_syllable(stacks))
            stacks.clear()

    i = 0
    while i < len(text):
        ch = text[i]
        pair = text[i : i + 2]
        if pair == "གྷ":
            stacks.append(_Stack(["gh"]))
            i += 2
            continue
        if ch in _BASE:
            stacks.append(_Stack([_BASE[ch]]))
        elif ch in _SUBJOINED and stacks:
            stacks[-1].letters.append(_SUBJOINED[ch])
        elif ch in _VOWELS and stacks:
            stacks[-1].vowel += _VOWELS[ch]
        elif ch in _MARKS and stacks:
            stacks[-1].marks.append(_MARKS[ch])
        else:
            close()
            if ch in _SEPARATORS:
                out.append(_SEPARATORS[ch])
            elif ch in _DIGITS:
                out.append(_DIGITS[ch])
            elif not TIBETAN.match(ch):
                out.append(ch)
        i += 1
    close()
    return re.sub(r" {2,}", " ", "".join(out)).strip()

"""Names across scripts: detect the script, fold for search, derive search keys.

A researcher types "wang dan", "Wáng Dān", "WANG Dan", "王丹" or "王 丹" and expects the same
person. Each stored name gets a few folded *keys*; a query is folded the same way and matched by
prefix against them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Readings of characters that differ when they are a surname (pypinyin reads the common word).
SURNAME_READINGS = {
    "单": "shan",
    "單": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "區": "ou",
    "查": "zha",
    "朴": "piao",
    "盖": "ge",
    "蓋": "ge",
    "乐": "yue",
    "樂": "yue",
    "缪": "miao",
    "繆": "miao",
    "覃": "qin",
    "翟": "zhai",
    "尉": "yu",
    "召": "shao",
    "种": "chong",
    "種": "chong",
    "员": "yun",
    "員": "yun",
    "柏": "bai",
    "秘": "bi",
    "隗": "wei",
    "长": "chang",
    "長": "chang",
    "藏": "zang",
    "华": "hua",
    "華": "hua",
    "任": "ren",
    "沈": "shen",
    "宿": "su",
    "折": "she",
}

_SCRIPT_CLASSES: list[tuple[str, str]] = [
    ("Hani", "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"),
    ("Tibt", "\u0f00-\u0fff"),
    ("Arab", "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"),
    ("Cyrl", "\u0400-\u052f"),
    ("Mong", "\u1800-\u18af"),
    ("Latn", "A-Za-z\u00c0-\u024f\u1e00-\u1eff"),
]
_SCRIPT_RES = [(script, re.compile(f"[{chars}]")) for script, chars in _SCRIPT_CLASSES]
_HAN = _SCRIPT_RES[0][1]
_NOT_HAN = re.compile(f"[^{_SCRIPT_CLASSES[0][1]}]+")

_PUNCT = re.compile(r"[\s\-‐‑–—'’`·・.,()（）\[\]\"“”]+")
_NUMBERED_PINYIN = re.compile(r"([a-zü]+)[1-5]\b")


@lru_cache(maxsize=65536)
def detect_script(text: str) -> str:
    """ISO 15924 code of the dominant script; Han text is told apart as Hans or Hant."""
    best, best_count = "", 0
    for script, pattern in _SCRIPT_RES:
        count = len(pattern.findall(text))
        if count > best_count:
            best, best_count = script, count
    if best == "Hani":
        return "Hant" if to_simplified(text) != text else "Hans"
    return best


@lru_cache(maxsize=1)
def _opencc():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_opencc().convert(text))


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def han_only(text: str) -> str:
    return _NOT_HAN.sub("", text)


def strip_marks(text: str) -> str:
    """Drop diacritics and tone marks: Wáng Dān -> Wang Dan, Rabiyä -> Rabiya."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The search form of any text: simplified hanzi kept, everything else to lower-case ASCII,
    tones, diacritics, spaces and punctuation removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    if has_han(text):
        # Hanzi are kept (simplified); letters beside them fold like any Latin text, so
        # "Qincheng Prison 秦城监狱" and "qincheng prison 秦城監獄" agree.
        text = to_simplified(text)
        text = _NUMBERED_PINYIN.sub(r"\1", strip_marks(text).casefold())
        return _PUNCT.sub("", text)
    text = strip_marks(text).casefold()
    text = _NUMBERED_PINYIN.sub(r"\1", text)  # wang2 dan1 -> wang dan
    text = anyascii(text).casefold() if not text.isascii() else text
    return _PUNCT.sub("", text)


def hanzi_to_pinyin(text: str) -> list[str]:
    """Toneless pinyin syllables, with the surname (first character) read as a surname."""
    from pypinyin import Style, lazy_pinyin

    chars = han_only(to_simplified(text))
    if not chars:
        return []
    syllables = lazy_pinyin(chars, style=Style.NORMAL, errors="ignore", v_to_u=False)
    if chars[0] in SURNAME_READINGS and syllables:
        syllables[0] = SURNAME_READINGS[chars[0]]
    return [s.replace("ü", "v") for s in syllables]


def latin_tokens(text: str) -> list[str]:
    """Folded words of a name written in any non-Han script."""
    ascii_text = anyascii(strip_marks(unicodedata.normalize("NFKC", text))).casefold()
    ascii_text = _NUMBERED_PINYIN.sub(r"\1", ascii_text)
    return [t for t in re.split(r"[^a-z0-9]+", ascii_text) if t]


def name_keys(text: str) -> frozenset[str]:
    """Cached: the same names recur across thousands of records."""
    return _name_keys(text)


@lru_cache(maxsize=65536)
def _name_keys(text: str) -> frozenset[str]:
    """All keys a name is found by: the whole name folded, family and given names swapped,
    each word of two letters or more, and for Chinese characters their pinyin too."""
    keys: set[str] = set()
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return frozenset()
    if has_han(text):
        han = han_only(to_simplified(text))
        keys.add(han)
        syllables = hanzi_to_pinyin(han)
        if syllables:
            pinyin = {"".join(syllables)}
            if len(syllables) > 1:
                # "Wang Dan" is also written "Dan Wang" in Western order.
                pinyin.add("".join(syllables[1:]) + syllables[0])
                pinyin.add("".join(syllables[1:]))
            # ü is "v" here, but Latin text folds "Lü" to "lu": 吕 is found by lv, lu and lü.
            keys.update(pinyin)
            keys.update(k.replace("v", "u") for k in pinyin)
        # Romanisation given alongside, e.g. 王丹（Wang Dan）.
        rest = _HAN.sub(" ", text)
        tokens = latin_tokens(rest)
    else:
        tokens = latin_tokens(text)
    if tokens:
        keys.add("".join(tokens))
        if len(tokens) > 1:
            keys.add("".join(tokens[1:] + tokens[:1]))
            keys.add("".join(tokens[-1:] + tokens[:-1]))
        keys.update(t for t in tokens if len(t) >= 2)
    return frozenset(k[:300] for k in keys if k)


def query_key(query: str) -> str:
    """Fold a search query the way name keys were folded."""
    text = unicodedata.normalize("NFKC", query).strip()
    if has_han(text):
        return han_only(to_simplified(text))
    return "".join(latin_tokens(text))


def script_for_storage(text: str) -> str:
    """Script code to store beside a name (Hans/Hant for Chinese, else the detected script)."""
    return detect_script(text)

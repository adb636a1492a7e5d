"""Keys for linkage beyond personal names: places of detention, provinces, statute articles.

"Beijing No. 2 Prison", "Beijing Number 2 prison" and 北京市第二监狱 must meet; so must "Tibet [Xizang]
Auto. Region", "Xizang" and 西藏. Pure functions, memoised: a batch derives them for every record.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from habeas.lib.names import han_only, hanzi_to_pinyin, has_han, to_simplified

# -- provinces ---------------------------------------------------------------------------------------
# Canonical pinyin -> other spellings (English, hanzi, postal). Enough to fold CECC's "Tibet [Xizang]
# Auto. Region", CHRD's "Xinjiang" and a report's 新疆维吾尔自治区 to one value.
PROVINCES: dict[str, tuple[str, ...]] = {
    "beijing": ("北京", "peking"),
    "tianjin": ("天津",),
    "shanghai": ("上海",),
    "chongqing": ("重庆", "chungking"),
    "hebei": ("河北",),
    "shanxi": ("山西",),
    "shaanxi": ("陕西",),
    "liaoning": ("辽宁",),
    "jilin": ("吉林",),
    "heilongjiang": ("黑龙江",),
    "jiangsu": ("江苏",),
    "zhejiang": ("浙江",),
    "anhui": ("安徽",),
    "fujian": ("福建",),
    "jiangxi": ("江西",),
    "shandong": ("山东",),
    "henan": ("河南",),
    "hubei": ("湖北",),
    "hunan": ("湖南",),
    "guangdong": ("广东", "canton"),
    "hainan": ("海南",),
    "sichuan": ("四川", "szechuan"),
    "guizhou": ("贵州",),
    "yunnan": ("云南",),
    "gansu": ("甘肃",),
    "qinghai": ("青海",),
    "taiwan": ("台湾",),
    "neimenggu": ("内蒙古", "inner mongolia", "nei mongol"),
    "guangxi": ("广西",),
    "xizang": ("西藏", "tibet", "tar"),
    "ningxia": ("宁夏",),
    "xinjiang": ("新疆", "east turkestan", "xuar"),
    "hongkong": ("香港", "hong kong", "xianggang"),
    "macau": ("澳门", "macao", "aomen"),
}
_PROVINCE_LOOKUP: list[tuple[str, str]] = sorted(
    (
        (re.sub(r"[^a-z\u4e00-\u9fff]", "", variant.casefold()), canonical)
        for canonical, variants in PROVINCES.items()
        for variant in (canonical, *variants)
    ),
    key=lambda item: -len(item[0]),
)


@lru_cache(maxsize=4096)
def province_key(text: str) -> str:
    """The canonical province of a place or residence as written, else the folded text itself.

    The first province named wins ("Tibet [Xizang] Auto. Region" -> xizang; "Shanxi" is not
    "Shaanxi"): longer spellings are tried first, so "Heilongjiang" is not read as "Jiang..."."""
    if not text or not text.strip():
        return ""
    folded = re.sub(r"[^a-z\u4e00-\u9fff]", "", to_simplified(unicodedata.normalize("NFKC", text)).casefold())
    best: tuple[int, str] | None = None
    for variant, canonical in _PROVINCE_LOOKUP:
        at = folded.find(variant)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, canonical)
    return best[1] if best else folded[:60]


# -- statute articles ---------------------------------------------------------------------------------
_ARTICLE = re.compile(r"(?:art(?:icle)?\.?\s*|第)?(\d{1,3})(?:\s*条)?", re.IGNORECASE)


def article_key(text: str) -> str:
    """The article number of a charge: "CL97-art105", "Article 105(2)", "第一百零五条" (numerals in
    figures only) -> "105"; "" when none is written."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    # "CL97-art105": the statute's year is not the article.
    text = re.sub(r"\bCL\d{2}\b", "", text, flags=re.IGNORECASE)
    match = _ARTICLE.search(text)
    return match.group(1).lstrip("0") if match else ""


# -- places of detention ------------------------------------------------------------------------------
# Facility words: Chinese and English forms of one kind of place fold to one token, so the kind
# counts as a word of the name ("No. 2 Prison" is not "No. 2 Detention Centre").
_FACILITY_HAN: tuple[tuple[str, str], ...] = (
    ("职业技能教育培训中心", " vocationaltrainingcentre "),
    ("教育培训中心", " vocationaltrainingcentre "),
    ("未成年犯管教所", " juvenileprison "),
    ("女子监狱", " women prison "),
    ("劳动教养管理所", " labourcamp "),
    ("劳动教养所", " labourcamp "),
    ("劳教所", " labourcamp "),
    ("强制隔离戒毒所", " drugrehabilitation "),
    ("戒毒所", " drugrehabilitation "),
    ("看守所", " detentioncentre "),
    ("拘留所", " detentionhouse "),
    ("安康医院", " ankang "),
    ("精神病院", " psychiatrichospital "),
    ("派出所", " policestation "),
    ("公安局", " publicsecuritybureau "),
    ("监狱", " prison "),
    ("自治区", " "),
    ("自治州", " "),
)
_FACILITY_LATIN: tuple[tuple[str, str], ...] = (
    (r"vocational (skills )?(education and )?training (centre|center)", "vocationaltrainingcentre"),
    (r"juvenile (offender )?(prison|reformatory)", "juvenileprison"),
    (r"re-?education[- ]through[- ]labou?r (camp|centre|center)?", "labourcamp"),
    (r"labou?r camp", "labourcamp"),
    (
        r"(compulsory )?(isolation )?drug (rehabilitation|detoxification) (centre|center)",
        "drugrehabilitation",
    ),
    (r"detention (centre|center)", "detentioncentre"),
    (r"detention house", "detentionhouse"),
    (r"kanshousuo", "detentioncentre"),
    (r"juliusuo", "detentionhouse"),
    (r"jianyu", "prison"),
    (r"psychiatric hospital", "psychiatrichospital"),
    (r"police station", "policestation"),
    (r"public security bureau|\bpsb\b", "publicsecuritybureau"),
)
_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ORDINALS = {
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
# Words that carry no identity: administrative suffixes, "number", articles, prefixes of Russian
# federal institutions.
_NOISE = frozenset(
    {
        "no",
        "nr",
        "number",
        "num",
        "the",
        "of",
        "city",
        "municipal",
        "municipality",
        "province",
        "provincial",
        "prefecture",
        "county",
        "district",
        "autonomous",
        "region",
        "auto",
        "shi",
        "sheng",
        "xian",
        "qu",
        "di",
        "hao",
        "fku",
        "fgu",
        "ufsin",
        "rossii",
        "po",
    }
)


# Cities of Tibet and Xinjiang have a local name and a Chinese one; reports use either.
CITY_EXONYMS: dict[str, str] = {
    "wulumuqi": "urumqi",
    "lasa": "lhasa",
    "kashi": "kashgar",
    "yining": "ghulja",
    "gulja": "ghulja",
    "hetian": "hotan",
    "khotan": "hotan",
    "rikaze": "shigatse",
    "changdu": "chamdo",
    "akesu": "aksu",
    "kuerle": "korla",
    "tulufan": "turpan",
    "hami": "kumul",
    "aletai": "altay",
    "naqu": "nagchu",
    "linzhi": "nyingchi",
    "shannan": "lhoka",
    "ganzi": "kardze",
    "aba": "ngaba",
    "xining": "xining",
}


def _han_number(text: str) -> str:
    """第二 -> 2, 第十三 -> 13 (ordinals of facilities stay under a hundred)."""
    if text.isdigit():
        return str(int(text))
    value = 0
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    else:
        for ch in text:
            value = value * 10 + _CN_DIGITS.get(ch, 0)
    return str(value)


@lru_cache(maxsize=65536)
def place_tokens(text: str) -> tuple[str, ...]:
    """The words of a facility name, in any script, in one spelling: hanzi read as pinyin (facility
    words translated), numbers in figures, noise words dropped."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return ()
    if has_han(text):
        text = to_simplified(text)
        text = re.sub(
            r"第?([零一二两三四五六七八九十\d]+)(?=号|监狱|看守所|拘留所|劳教所|戒毒所|监区|分监狱)",
            lambda m: f" {_han_number(m.group(1))} ",
            text,
        )
        for word, token in _FACILITY_HAN:
            text = text.replace(word, token)
        text = re.sub(r"[省市县区号]", " ", text)
        text = re.sub(
            r"[\u4e00-\u9fff]+",
            lambda m: " " + "".join(hanzi_to_pinyin(han_only(m.group(0)))) + " ",
            text,
        )
    text = anyascii(text).casefold()
    text = re.sub(r"['’`]", "", text)
    text = text.replace("centre", "center").replace("center", "centre")
    for pattern, token in _FACILITY_LATIN:
        text = re.sub(pattern, f" {token} ", text)
    text = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", text)
    words = []
    for word in re.split(r"[^a-z0-9]+", text):
        if not word or word in _NOISE:
            continue
        word = CITY_EXONYMS.get(word) or _ORDINALS.get(word, word)
        words.append(str(int(word)) if word.isdigit() else word)
    return tuple(words)


def place_keys(text: str) -> frozenset[str]:
    """Whole-name keys of a facility: its words in sorted order (so "Prison No. 2, Beijing" meets
    "Beijing No. 2 Prison"), and the same without a leading province or city already recorded
    elsewhere (Beijing Qincheng Prison / Qincheng Prison are left to the token comparison)."""
    words = place_tokens(text)
    if not words:
        return frozenset()
    return frozenset({" ".join(sorted(words))})


def place_fold(text: str) -> str:
    return " ".join(place_tokens(text))

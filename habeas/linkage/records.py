"""What the engine compares: one row of plain values per person or place.

``PersonRecord`` is what any caller fills in (the batch from the database, the ingestion linker from an
extracted person, the benchmark from a CSV); ``person_row`` derives the keys the model compares.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from habeas.lib.names import (
    chinese_transcription_codes,
    has_han,
    linkage_fold,
    linkage_keys,
    linkage_tokens,
    tibetan_canonical,
    transcription_code_is_long,
)
from habeas.linkage.keys import article_key, place_fold, place_keys, place_tokens, province_key

_BLANK = frozenset({"", "na", "n/a", "none", "unknown", "?", ".", "-"})


def _clean(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    # CECC writes an unknown value as "(na)": two unknowns must not agree as one province.
    return "" if text.casefold().strip("()[] ") in _BLANK else text


def _fold_value(text: str | None) -> str:
    text = _clean(text)
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()[:100]


@dataclass
class PersonRecord:
    """A person as the linkage model sees it. Unknown is empty (None, "" or [])."""

    id: int
    names: list[str]
    birth_year: int | None = None
    sex: str = ""  # "M", "F", "X" or ""
    ethnicity: str = ""
    province: str = ""  # residence, as written in any script
    places: list[str] = field(default_factory=list)  # detention places, names as written
    detention_year: int | None = None  # first detention
    detention_month: int | None = None
    charges: list[str] = field(default_factory=list)  # statute articles or charge texts with one
    affiliations: list[str] = field(default_factory=list)
    # Highest confidentiality level of the facts above (evidence built from them inherits it).
    confidentiality: int = 0
    # The person's numbers in other databases, "scheme:value" (ExternalId): two records of one database
    # under different numbers are two persons in that database's own judgement.
    source_ids: list[str] = field(default_factory=list)


@dataclass
class PlaceRecord:
    id: int
    names: list[str]
    province: str = ""
    kind: str = ""
    latitude: float | None = None
    longitude: float | None = None
    confidentiality: int = 0


def person_row(record: PersonRecord) -> dict[str, Any]:
    exact: set[str] = set()
    han: set[str] = set()
    short: set[str] = set()
    source_codes: frozenset[str] = frozenset()
    chinese_codes: frozenset[str] = frozenset()
    phon: set[str] = set()
    tibetan: set[str] = set()
    tokens: set[str] = set()
    folds: set[str] = set()
    for name in record.names:
        name = _clean(name)
        if not name:
            continue
        source, chinese = chinese_transcription_codes(name)
        source_codes |= source
        chinese_codes |= chinese
        words = linkage_tokens(name)
        one_word = len(words) == 1 and not has_han(name)
        for key in linkage_keys(name):
            if key.startswith("t:") and one_word:
                short.add(key)  # Tenzin / Danzeng: a one-word name in another spelling, as weak as one
            elif key[:2] in ("t:", "p:"):
                phon.add(key)
                if key.startswith("t:"):
                    tibetan.add(key)
            else:
                (short if one_word else exact).add(key)
            if has_han(key):
                han.add(key)
        tokens.update(w for w in words if len(w) >= 2)
        tokens.update(tibetan_canonical(words) or ())
        fold = linkage_fold(name)
        if fold:
            folds.add(fold)
    year = record.birth_year if record.birth_year and 1850 < record.birth_year < 2100 else None
    det_y = record.detention_year if record.detention_year and 1900 < record.detention_year < 2100 else None
    det_m = (
        record.detention_month
        if det_y and record.detention_month and 1 <= record.detention_month <= 12
        else None
    )
    sex = record.sex.upper()[:1] if record.sex and record.sex.upper()[:1] in ("M", "F") else None
    places: set[str] = set()
    for place in record.places:
        places.update(place_keys(_clean(place)))
    charges = {a for a in (article_key(c) for c in record.charges) if a}
    affiliations = {_fold_value(a) for a in record.affiliations if _fold_value(a)}
    return {
        "unique_id": record.id,
        "bk": sorted(exact | phon | short),
        "tok": sorted(tokens),
        "name_exact": sorted(exact),
        "name_han": sorted(han),
        "name_short": sorted(short),
        **{
            column: list(codes)
            for column, codes in _transcription_columns(source_codes, chinese_codes).items()
        },
        "name_phon": sorted(phon),
        "name_tib": sorted(tibetan),
        "name_fold": sorted(folds),
        "birth_year": year,
        "sex": sex,
        "ethnicity": _fold_value(record.ethnicity) or None,
        "province": province_key(_clean(record.province)) or None,
        "places": sorted(places),
        "det_y": det_y,
        "det_ym": det_y * 12 + det_m - 1 if det_y and det_m else None,
        "charges": sorted(charges),
        "affiliations": sorted(affiliations),
        **_source_columns(record.source_ids),
    }


def _source_columns(source_ids: list[str]) -> dict[str, list[str]]:
    ids = {i.strip().casefold() for i in source_ids if i and ":" in i and i.partition(":")[2].strip()}
    return {"source_ids": sorted(ids), "source_schemes": sorted({i.partition(":")[0] for i in ids})}


@lru_cache(maxsize=65536)  # one record's codes are mostly one name's: memoised like the keys
def _transcription_columns(source: frozenset[str], chinese: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """A Tibetan or Uyghur name's codes (src) and those of a Chinese transcription (chi): the model
    needs a src code of one record among the chi codes of the other. Codes of three syllables or more
    (or a long consonant skeleton) are specific enough to block on alone; the blocking columns tag
    each code with its side ("s|", "c|")."""
    if not source and not chinese:
        return dict.fromkeys(_TRANSCRIPTION_COLUMNS, ())
    source_long = [c for c in source if transcription_code_is_long(c)]
    chinese_long = [c for c in chinese if transcription_code_is_long(c)]
    columns = {
        "name_src": source,
        "name_chi": chinese,
        "name_src_long": source_long,
        "name_chi_long": chinese_long,
        "tx_block": ["s|" + c for c in source] + ["c|" + c for c in chinese],
        "tx_block_long": ["s|" + c for c in source_long] + ["c|" + c for c in chinese_long],
    }
    return {column: tuple(sorted(codes)) for column, codes in columns.items()}


_TRANSCRIPTION_COLUMNS = (
    "name_src",
    "name_chi",
    "name_src_long",
    "name_chi_long",
    "tx_block",
    "tx_block_long",
)


def place_row(record: PlaceRecord) -> dict[str, Any]:
    keys: set[str] = set()
    tokens: set[str] = set()
    folds: set[str] = set()
    for name in record.names:
        name = _clean(name)
        if not name:
            continue
        keys |= place_keys(name)
        tokens.update(place_tokens(name))
        fold = place_fold(name)
        if fold:
            folds.add(fold)
    return {
        "unique_id": record.id,
        "name_keys": sorted(keys),
        "tokens": sorted(tokens),
        "numbers": sorted(t for t in tokens if t.isdigit()),
        "name_fold": sorted(folds),
        "province": province_key(_clean(record.province)) or None,
        "kind": _fold_value(record.kind) if record.kind not in ("", "unknown", "other") else None,
        "latitude": float(record.latitude) if record.latitude is not None else None,
        "longitude": float(record.longitude) if record.longitude is not None else None,
    }

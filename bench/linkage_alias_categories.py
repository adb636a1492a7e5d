"""What relates the two names of each true pair of bench/linkage.py's cecc-alias set, and how many of
each kind the model links now: the reachable ceiling of that set.

Each true pair is a CECC record's main name and one of its other names (alternate, additional or pinyin
column). The categories are decided by a judge that is deliberately independent of the linkage keys
(a loose alignment of consonant classes, see ``_alike``), so the table does not grade the model by
its own rules; ``--sample N`` prints N pairs of each category to check the judge by eye.

Usage: .venv/bin/python bench/linkage_alias_categories.py [--threshold 0.9] [--sample 0] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from linkage import DATA, cecc_alias_set  # noqa: E402

from habeas.lib.names import _segment_pinyin, has_han, latin_tokens  # noqa: E402
from habeas.linkage import engine  # noqa: E402
from habeas.linkage.records import person_row  # noqa: E402

TURKIC = {"uyghur", "kazak", "kazakh", "kyrgyz", "uzbek", "tatar"}
CATEGORIES = (
    "no name (damaged Chinese column: '???')",
    "same name, other form (spacing, order, marks) or a typo",
    "same name respelled (Tibetan, Uyghur or other spelling variant)",
    "Tibetan name and its Chinese-pinyin transcription",
    "Uyghur/Kazak name and its Chinese-pinyin transcription",
    "Mongol or other name and its Chinese-pinyin transcription",
    "Han name in another romanisation (Cantonese, Wade-Giles, Korean)",
    "part of the name (one word, a short form, an added Christian name)",
    "one word in common, the other word a different name",
    "Han name and another Han name (pen name, former name)",
    "unrelated names (religious vs lay name, other name)",
)

# A loose judge: consonant classes by place of articulation, shared by Tibetan, Uyghur and pinyin
# spellings. Glides and h are left out (Chinese transcriptions add and drop them).
_JUDGE_CLASSES = (
    ("tsh", "c"), ("ts", "c"), ("dz", "c"), ("zh", "j"), ("ch", "j"), ("sh", "s"), ("kh", "k"),
    ("gh", "k"), ("ph", "p"), ("th", "t"), ("dh", "t"), ("ng", "n"), ("ny", "n"), ("tr", "j"),
    ("dr", "j"), ("gy", "j"), ("ky", "j"), ("j", "j"), ("q", "jk"), ("x", "s"), ("c", "cj"), ("z", "cs"),
    ("s", "s"), ("k", "k"), ("g", "k"), ("p", "p"), ("b", "p"), ("f", "p"), ("t", "tj"), ("d", "t"),
    ("m", "mn"), ("n", "nl"), ("l", "ln"), ("r", "l"),
)  # fmt: skip


def _classes(word: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(word):
        for letters, cls in _JUDGE_CLASSES:
            if word.startswith(letters, i):
                out.append(cls)
                i += len(letters)
                break
        else:
            i += 1
    return out


def _lcs(a: list[str], b: list[str]) -> int:
    """Longest common subsequence where a class set matches any class in the other."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            hit = bool(set(x) & set(y))
            table[i + 1][j + 1] = max(table[i][j] + hit, table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


def _alike(one: list[str], other: list[str], *, silent_letters: bool = True) -> float:
    """Share of consonant classes in common, in the better of the two word orders of ``other``."""
    a = [c for w in one for c in _classes(w)]
    best = 0.0
    for order in (other, other[::-1]):
        b = [c for w in order for c in _classes(w)]
        if a and b:
            # Tibetan spellings keep silent letters (Paljor / Banjue, Tobgyal / Duobujie): the common
            # classes against the shorter name, but at least 0.4 of the longer.
            common = _lcs(a, b)
            if common >= 0.4 * max(len(a), len(b)):
                best = max(best, common / (min if silent_letters else max)(len(a), len(b)))
    return best


def _is_pinyin(tokens: list[str]) -> bool:
    return bool(tokens) and all(_segment_pinyin(t) is not None for t in tokens)


def _pinyin_tokens(name: str) -> list[str]:
    # Chinese transcriptions write syllable breaks as apostrophes or dots: Kaisa'er, Bahedati.Aken.
    return [t for t in re.split(r"[^a-z]+", name.casefold().replace("'", " ")) if t]


def categorise(main: str, alias: str, ethnicity: str) -> str:
    if not alias.strip() or (not re.search(r"[A-Za-z\u00c0-\u024f]", alias) and not has_han(alias)):
        return CATEGORIES[0]
    a, b = latin_tokens(main), latin_tokens(alias)
    if "".join(sorted(a)) == "".join(sorted(b)) or "".join(a) == "".join(b):
        return CATEGORIES[1]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if set(short) < set(long):  # Tsering / Tsering Dorje, Wang Dan / Peter Wang Dan
        return CATEGORIES[7]
    group = ethnicity.casefold().rstrip("?")
    main_pinyin, alias_pinyin = _is_pinyin(_pinyin_tokens(main)), _is_pinyin(_pinyin_tokens(alias))
    score = _alike(a, b)
    if group in ("", "han") and main_pinyin and alias_pinyin:
        return CATEGORIES[1] if score == 1.0 and len(a) == len(b) else CATEGORIES[9]
    if group in ("", "han") and main_pinyin != alias_pinyin and score >= 0.75:
        return CATEGORIES[6]
    transcription = alias_pinyin != main_pinyin
    shared = set(a) & set(b)
    if (
        shared
        and len(a) == len(b)
        and _alike([w for w in a if w not in shared], [w for w in b if w not in shared]) < 0.75
    ):
        return CATEGORIES[8]  # Chime Dolkar / Chime Dekyi
    one_word = len(a) == len(b) == 1
    least = min(len(_classes("".join(a))), len(_classes("".join(b))))
    if ((score >= 0.75 and least >= 2) or (one_word and score >= 0.6 and least >= 1)) and abs(
        len(a) - len(b)
    ) <= 1:
        if not transcription:
            # Two spellings in Latin letters keep the same letters: the stricter measure.
            return CATEGORIES[2] if _alike(a, b, silent_letters=False) >= 0.75 else CATEGORIES[10]
        if group == "tibetan":
            return CATEGORIES[3]
        if group in TURKIC:
            return CATEGORIES[4]
        return CATEGORIES[5]
    # One name is (a transcription of) part of the other: Lobsang Tenzin / Danzeng, Sodor for Sonam Dorje.
    if len(short) < len(long) and any(_alike([w], [x]) >= 0.8 for w in short for x in long):
        return CATEGORIES[7]
    return CATEGORIES[10]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threshold", type=float, default=0.9)
    p.add_argument("--sample", type=int, default=0, help="print N pairs of each category")
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--missed", action="store_true", help="with --sample: only pairs not linked")
    options = p.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"{DATA} is absent: the CECC export is needed")
    records, truth = cecc_alias_set()
    rows = [person_row(r) for r in records]
    linkage = engine.run(
        "persons", engine.to_table("persons", rows), threshold=0.5, db_api=engine.duckdb_api(2)
    )
    clusters = linkage.clusters(options.threshold)
    by_entity: dict[int, list] = defaultdict(list)
    for record in records:
        by_entity[truth[record.id]].append(record)
    counts: Counter[str] = Counter()
    reached: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for pair in by_entity.values():
        if len(pair) != 2:
            continue
        first, second = pair
        category = categorise(first.names[0], second.names[0], first.ethnicity)
        counts[category] += 1
        linked = clusters[first.id] == clusters[second.id]
        reached[category] += linked
        if not options.missed or not linked:
            examples[category].append(f"{first.names[0]} | {second.names[0]} | {first.ethnicity} | {linked}")
    total = sum(counts.values())
    print(f"# load {os.getloadavg()[0]:.2f}; {total} true pairs; threshold {options.threshold}")
    print("| what relates the two names | pairs | share | linked now | linked share |")
    print("|---|---|---|---|---|")
    for category in CATEGORIES:
        n = counts[category]
        share = reached[category] / max(n, 1)
        print(f"| {category} | {n:,} | {n / total:.1%} | {reached[category]:,} | {share:.0%} |")
    print(f"| all | {total:,} | 100% | {sum(reached.values()):,} | {sum(reached.values()) / total:.0%} |")
    if options.sample:
        rng = random.Random(5)
        for category in CATEGORIES:
            print(f"\n## {category}")
            for line in rng.sample(examples[category], min(options.sample, len(examples[category]))):
                print("  ", line)


if __name__ == "__main__":
    main()

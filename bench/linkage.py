"""Linkage quality and speed: labelled sets from ../shared/data and a generated set of 50,000 records.

Sets (each: records with a true entity id; the engine blocks, scores and clusters; pairwise precision,
recall and F1 are computed over all pairs inside predicted vs true clusters):

- cecc-alias: the CECC export (dev part). Each record becomes one record under its main name; a record
  that also gives an alternate, additional or pinyin name (the Chinese transcription of a Tibetan or
  Uyghur name: Palden Gyatso / Banden Jiacuo, Abdughani Imin / Abuduaini Yiming) becomes a second
  record under that name, as another source would report the person: each other field kept with
  probability 0.7. True pairs: the two records of one CECC number. Different CECC numbers are taken
  as different persons (the export may hold a few duplicates; they count against precision).
- chrd-cecc: the 186 CHRD records and the CECC records; 18 CHRD records carry their CECC number.
  Scored on the pairs that cross the two sources: a CHRD-CECC pair is true only where the number says
  so (strict: a CHRD record without a number that is linked counts as a false link).
- cppc-roman: the CPPC names in characters against their romanisations: each person once in
  characters (with sex, birth year and place), once romanised, with each field kept with probability
  0.7. The romanisation is the one the file gives in parentheses where it gives one (Uyghur and
  Tibetan names: AkbarImin), else pinyin with tone marks written by pypinyin WITHOUT our surname
  readings, in a random order and style (Liú Xiǎobō, LIU Xiaobo, Xiaobo Liu): the same library
  habeas uses, so this set tests the keys and the model, not the romaniser.
- generated: 50,000 records (seeded) of Han, Tibetan and Uyghur persons, about 30% of entities
  reported more than once, duplicates varying script (hanzi, pinyin, Wade-Giles; Uyghur Arabic,
  Cyrillic, ULY, English spellings; Tibetan spellings), order, typos, missing birth years, places and
  dates, and namesakes drawn from small name pools.

Usage: .venv/bin/python bench/linkage.py [--sets cecc-alias,chrd-cecc,cppc-roman,generated]
       [--records 50000] [--threshold 0.9] [--threads 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from habeas.linkage import engine  # noqa: E402
from habeas.linkage.records import PersonRecord, person_row  # noqa: E402

Labelled = tuple[list[PersonRecord], dict[int, int]]  # records, record id -> true entity id


# -- evaluation -------------------------------------------------------------------------------------
def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(
    predicted: dict[int, int], truth: dict[int, int], *, restrict: Callable[[int, int], bool] | None = None
) -> dict[str, float]:
    """Precision, recall and F1 over record pairs: a pair is predicted when both records fall in one
    predicted cluster, true when both belong to one entity. ``restrict`` keeps only some pairs (e.g.
    those crossing two sources); then pairs are enumerated, which is fine for small clusters."""
    if restrict is None:
        joint = Counter((predicted[r], truth[r]) for r in truth)
        tp = sum(_pairs(n) for n in joint.values())
        pred = sum(_pairs(n) for n in Counter(predicted[r] for r in truth).values())
        true = sum(_pairs(n) for n in Counter(truth.values()).values())
    else:
        tp = pred = true = 0
        by_pred: dict[int, list[int]] = defaultdict(list)
        by_true: dict[int, list[int]] = defaultdict(list)
        for r in truth:
            by_pred[predicted[r]].append(r)
            by_true[truth[r]].append(r)
        for members in by_pred.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if restrict(a, b):
                        pred += 1
                        tp += truth[a] == truth[b]
        for members in by_true.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    true += restrict(a, b)
    precision = tp / pred if pred else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true,
        "predicted_pairs": pred,
        "tp": tp,
    }


def run_set(
    name: str,
    records: list[PersonRecord],
    truth: dict[int, int],
    *,
    threshold: float,
    threads: int,
    restrict: Callable[[int, int], bool] | None = None,
) -> dict[str, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    rows = [person_row(r) for r in records]
    keyed = time.perf_counter()
    table = engine.to_table("persons", rows)
    linkage = engine.run("persons", table, threshold=min(threshold, 0.5), db_api=engine.duckdb_api(threads))
    clusters = linkage.clusters(threshold)
    done = time.perf_counter()
    scores = pairwise_scores(clusters, truth, restrict=restrict)
    return {
        "set": name,
        "records": len(records),
        "entities": len(set(truth.values())),
        "seconds_total": round(done - start, 2),
        "seconds_keys": round(keyed - start, 2),
        "seconds_engine": round(done - keyed, 2),
        # CPU seconds of this process (DuckDB's threads included): less dependent on other users' load.
        "cpu_seconds": round(time.process_time() - cpu, 2),
        **{k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items()},
    }


# -- real sets ----------------------------------------------------------------------------------------
def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _cecc_date(text: str) -> tuple[int | None, int | None]:
    parts = (text or "").split("/")
    year = _int(parts[0]) if parts else None
    month = _int(parts[1]) if len(parts) > 1 else None
    return year, month


def _cecc_record(uid: int, row: dict[str, str], names: list[str]) -> PersonRecord:
    year, month = _cecc_date(row["date_of_detention"])
    age = _int(row["Age"])
    charges = [c for c in (row.get("charge_statute") or "").split("/") if c.strip()]
    return PersonRecord(
        id=uid,
        names=names,
        birth_year=year - age if year and age else None,
        sex=row["Sex"],
        ethnicity=row["ethnic_group"].rstrip("?"),
        province=row["residence_province"],
        places=[row["current_last_prison_detentioncenter"]]
        if row["current_last_prison_detentioncenter"]
        else [],
        detention_year=year,
        detention_month=month,
        charges=charges,
        affiliations=[row["affiliation"]] if row["affiliation"] else [],
        source_ids=[f"cecc:{row['CECC_record_number']}"],
    )


def _thin(record: PersonRecord, rng: random.Random, keep: float = 0.7) -> PersonRecord:
    """Another source's report of the same person: each field known with probability ``keep``."""

    def k(value: Any, empty: Any) -> Any:
        return value if rng.random() < keep else empty

    return PersonRecord(
        id=record.id,
        names=record.names,
        birth_year=k(record.birth_year, None),
        sex=k(record.sex, ""),
        ethnicity=k(record.ethnicity, ""),
        province=k(record.province, ""),
        places=k(record.places, []),
        detention_year=k(record.detention_year, None),
        detention_month=record.detention_month,
        charges=k(record.charges, []),
        affiliations=k(record.affiliations, []),
        # Another source: not a record of the database the first one comes from.
        source_ids=[],
    )


def _cecc_rows() -> list[dict[str, str]]:
    with open(DATA / "cecc-ppd" / "cecc_ppd_2020-07-23_dev.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _split_names(text: str) -> list[str]:
    return [n.strip().rstrip("?").strip() for n in (text or "").replace(";", ",").split(",") if n.strip()]


def cecc_alias_set(seed: int = 1) -> Labelled:
    rng = random.Random(seed)
    records: list[PersonRecord] = []
    truth: dict[int, int] = {}
    uid = 0
    for entity, row in enumerate(_cecc_rows()):
        main = row["main.name"].strip()
        if not main:
            continue
        uid += 1
        records.append(_cecc_record(uid, row, [main]))
        truth[uid] = entity
        others = [
            n
            for n in _split_names(row["alternate.name..lay.or.pen."])
            + _split_names(row["additional.name.s."])
            + _split_names(row["pinyin.name"])
            if n.casefold() != main.casefold()
        ]
        if others:
            uid += 1
            alias = rng.choice(others)
            records.append(_thin(_cecc_record(uid, row, [alias]), rng))
            truth[uid] = entity
    return records, truth


def _chrd_record(uid: int, row: dict[str, str]) -> PersonRecord:
    date = (row["det.date"] or "").split(".")
    sex = row["gender"]
    sex = "F" if "female" in sex else "M" if "male" in sex else ""
    names = [
        n
        for n in (row["name.eng"], row["name.chi"], row["name.chi.alt"])
        if n and n.strip() not in ("NA", ".")
    ]
    return PersonRecord(
        id=uid,
        names=names,
        sex=sex,
        province=row["res.province"] if row["res.province"] != "NA" else "",
        detention_year=_int(date[0]) if date else None,
        detention_month=_int(date[1]) if len(date) > 1 else None,
    )


def chrd_cecc_set() -> tuple[
    list[PersonRecord], dict[int, int], Callable[[int, int], bool], Callable[[int, int], bool]
]:
    records: list[PersonRecord] = []
    truth: dict[int, int] = {}
    number_to_entity: dict[str, int] = {}
    for entity, row in enumerate(_cecc_rows()):
        uid = entity + 1
        records.append(_cecc_record(uid, row, [row["main.name"], *_split_names(row["pinyin.name"])]))
        truth[uid] = entity
        number_to_entity[row["CECC_record_number"]] = entity
    chrd_ids: set[int] = set()
    numbered: set[int] = set()
    with open(DATA / "cecc-ppd" / "chrd_detainees_2014-2015.csv", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            uid = 1_000_000 + i
            chrd_ids.add(uid)
            records.append(_chrd_record(uid, row))
            truth[uid] = number_to_entity.get(row["cecc.num"].strip(), 10_000_000 + i)
            if row["cecc.num"].strip() in number_to_entity:
                numbered.add(uid)

    def crossing(a: int, b: int) -> bool:
        return (a in chrd_ids) != (b in chrd_ids)

    def crossing_numbered(a: int, b: int) -> bool:
        # Only CHRD records whose CECC number is known: a link of one of them is right or wrong for
        # sure; a CHRD record without a number may well be in CECC (same name, sex, province and month
        # of detention) and is left out of this measure.
        return crossing(a, b) and (a in numbered or b in numbered)

    return records, truth, crossing, crossing_numbered


def cppc_set(seed: int = 2) -> Labelled:
    from pypinyin import Style, lazy_pinyin

    rng = random.Random(seed)
    records: list[PersonRecord] = []
    truth: dict[int, int] = {}
    with open(DATA / "names" / "cppc_chinese_political_prisoners.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for entity, row in enumerate(rows):
        raw = row["Name"].strip()
        if not raw:
            continue
        han, _, paren = raw.partition("（")
        paren = paren.rstrip("）").strip()
        birth = _int((row["Date of Birth"] or "")[:4])
        base = PersonRecord(
            id=0,
            names=[han],
            birth_year=birth,
            sex=row["Gender"][:1].upper() if row["Gender"] else "",
            places=[],
            province=row["Place"],
        )
        uid = len(records) + 1
        records.append(PersonRecord(**{**base.__dict__, "id": uid}))
        truth[uid] = entity
        if paren and not any("\u4e00" <= c <= "\u9fff" for c in paren):
            roman = paren
        else:
            chars = [c for c in han if "\u4e00" <= c <= "\u9fff"]
            if not chars:
                continue
            style = rng.choice([Style.TONE, Style.NORMAL])
            syllables = lazy_pinyin(chars, style=style)
            family, given = syllables[0], "".join(syllables[1:])
            order = rng.random()
            if order < 0.6:
                roman = f"{family.title()} {given.title()}"
            elif order < 0.8:
                roman = f"{given.title()} {family.title()}"
            else:
                roman = f"{family.upper()} {given.title()}"
        uid = len(records) + 1
        records.append(_thin(PersonRecord(**{**base.__dict__, "id": uid, "names": [roman]}), rng))
        truth[uid] = entity
    return records, truth


# -- generated set -----------------------------------------------------------------------------------
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉云飞鹏斌波宁晓东海林雪梅琳慧"
    "新春燕凤洁峰亮成俊德永福贵龙祥荣庆学德胜利宏光彬晨欣怡佳瑞博健松柏青山水清正义忠信良善仁和安康"
)


def _word_list(text: str) -> list[str]:
    return text.split()


TIBETAN_POOL = _word_list(
    "tenzin lobsang tashi dorje tsering sonam dolma pema phuntsok palden gyatso nyima norbu penpa "
    "choedron dondrub gonpo yeshe lhamo namgyal thubten jigme kelsang wangchuk ngawang rinchen "
    "gyaltsen tsewang samten phurbu kunchok lhundrub gendun choephel yangzom wangmo dekyi tsomo "
    "pasang dawa sherab tsultrim jampa kunga trinley ngodrub samdrub jamyang rigzin delek sangye "
    "tsetan choekyi"
)
UYGHUR_GIVEN = _word_list(
    "ilham abdukerim abduweli adil ahmet alim anwar arslan ayshem babur dilnur ekber eli erkin ferhat "
    "gulmira gulnar hamit hesen ibrahim imin iminjan kerim memet memtimin mihray mukhtar nurmemet "
    "obul omer perhat qurban rahile rebiya rozi sabit salih tahir tursun tohti umer yasin yusup "
    "zulpiqar"
)
ULY_TO_ARABIC = [
    ("ch", "چ"), ("gh", "غ"), ("sh", "ش"), ("ng", "ڭ"), ("zh", "ژ"),
    ("a", "ا"), ("e", "ە"), ("b", "ب"), ("p", "پ"), ("t", "ت"), ("j", "ج"), ("x", "خ"), ("d", "د"),
    ("r", "ر"), ("z", "ز"), ("s", "س"), ("f", "ف"), ("q", "ق"), ("k", "ك"), ("g", "گ"), ("l", "ل"),
    ("m", "م"), ("n", "ن"), ("h", "ھ"), ("o", "و"), ("u", "ۇ"), ("w", "ۋ"), ("i", "ى"), ("y", "ي"),
]  # fmt: skip
ULY_TO_CYRILLIC = [
    ("ch", "ч"), ("gh", "ғ"), ("sh", "ш"), ("ng", "ң"), ("zh", "ж"),
    ("a", "а"), ("e", "ә"), ("b", "б"), ("p", "п"), ("t", "т"), ("j", "җ"), ("x", "х"), ("d", "д"),
    ("r", "р"), ("z", "з"), ("s", "с"), ("f", "ф"), ("q", "қ"), ("k", "к"), ("g", "г"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("h", "һ"), ("o", "о"), ("u", "у"), ("w", "в"), ("i", "и"), ("y", "й"),
]  # fmt: skip
PROVINCES_BY_GROUP = {
    "Han": [
        "Beijing",
        "Shanghai",
        "Guangdong",
        "Sichuan",
        "Hunan",
        "Henan",
        "Shandong",
        "Jiangsu",
        "Zhejiang",
    ],
    "Tibetan": ["Tibet [Xizang] Auto. Region", "Qinghai", "Sichuan", "Gansu"],
    "Uyghur": ["Xinjiang Uyghur Auto. Region"],
}
CHARGES = ["art 105", "art 103", "art 111", "art 300", "art 293", "art 290", "art 278", "art 225"]


def _script(word: str, table: list[tuple[str, str]]) -> str:
    out, i = "", 0
    while i < len(word):
        for latin, other in table:
            if word.startswith(latin, i):
                out += other
                i += len(latin)
                break
        else:
            i += 1
    return out


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha() and c.isascii()]
    if len(letters) < 6:
        return text
    i = rng.choice(letters[1:])
    op = rng.random()
    if op < 0.4:  # substitution
        return text[:i] + rng.choice("aeiounrstlh") + text[i + 1 :]
    if op < 0.7:  # deletion
        return text[:i] + text[i + 1 :]
    if i + 1 < len(text) and text[i + 1].isalpha():  # transposition of neighbours
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


def _tibetan_spelling(word: str, rng: random.Random) -> str:
    """A spelling a reporter might write: rule-based changes (final devoicing, aspiration, vowel
    length), rarely the Chinese transcription."""
    from habeas.lib.names import TIBETAN_ELEMENTS

    r = rng.random()
    if r < 0.1 and TIBETAN_ELEMENTS.get(word):
        return rng.choice(TIBETAN_ELEMENTS[word])
    if r < 0.3 and word[-1] in "kg":
        return word[:-1] + ("g" if word[-1] == "k" else "k")
    if r < 0.45 and "ts" in word:
        return word.replace("ts", "tsh", 1)
    if r < 0.55 and word.endswith("e"):
        return word + "y"
    if r < 0.65 and "o" in word:
        return word.replace("o", "oe", 1)
    return word


def _han_name(chars: str, rng: random.Random) -> str:
    """One way of writing a Han name: characters, pinyin in either order and case, Wade-Giles."""
    from habeas.lib.names import hanzi_to_pinyin, pinyin_to_wade_giles

    r = rng.random()
    if r < 0.3:
        return chars
    syllables = hanzi_to_pinyin(chars)
    family, given = syllables[0], syllables[1:]
    if r < 0.4:
        wade = [pinyin_to_wade_giles(s) for s in syllables]
        return f"{wade[0].title()} {'-'.join(wade[1:]).title() if len(wade) > 2 else wade[1].title()}"
    given_text = "".join(given).title()
    if r < 0.7:
        return f"{family.title()} {given_text}"
    if r < 0.85:
        return f"{given_text} {family.title()}"
    return f"{family.upper()} {given_text}"


def _uyghur_name(given: str, father: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.2:
        return f"{_script(given, ULY_TO_ARABIC)} {_script(father, ULY_TO_ARABIC)}"
    if r < 0.3:
        return f"{_script(given, ULY_TO_CYRILLIC).title()} {_script(father, ULY_TO_CYRILLIC).title()}"
    words = [given, father]
    if r < 0.65:  # English spellings: x as kh or h, q as k, gh as g
        words = [w.replace("x", rng.choice(["kh", "h"])).replace("q", "k").replace("gh", "g") for w in words]
    if rng.random() < 0.15:
        words = words[::-1]
    return " ".join(w.title() for w in words)


def generated_set(n_records: int, seed: int = 7) -> Labelled:
    rng = random.Random(seed)
    records: list[PersonRecord] = []
    truth: dict[int, int] = {}
    places_by_province = {
        p: [f"{p.split()[0]} No. {i} Prison" for i in range(1, 8)]
        + [f"{p.split()[0]} Detention Centre {i}" for i in range(1, 6)]
        for group in PROVINCES_BY_GROUP.values()
        for p in group
    }
    surname_weights = [1 / (i + 1) ** 0.9 for i in range(len(SURNAMES))]
    entity = 0
    while len(records) < n_records:
        entity += 1
        group = rng.choices(["Han", "Tibetan", "Uyghur"], weights=[0.55, 0.25, 0.2])[0]
        province = rng.choice(PROVINCES_BY_GROUP[group])
        if group == "Han":
            chars = rng.choices(SURNAMES, weights=surname_weights)[0] + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2, 2]))
            )
            religious = ""

            def write(rng: random.Random = rng, chars: str = chars) -> str:
                return _han_name(chars, rng)
        elif group == "Tibetan":
            words = rng.sample(TIBETAN_POOL[: rng.choice([20, 40, len(TIBETAN_POOL)])], 2)
            religious = (
                " ".join(w.title() for w in rng.sample(TIBETAN_POOL, 2)) if rng.random() < 0.15 else ""
            )

            def write(rng: random.Random = rng, words: list[str] = words) -> str:
                spelled = [_tibetan_spelling(w, rng).title() for w in words]
                return " ".join(spelled[::-1] if rng.random() < 0.1 else spelled)
        else:
            given, father = rng.choice(UYGHUR_GIVEN), rng.choice(UYGHUR_GIVEN)
            religious = ""

            def write(rng: random.Random = rng, given: str = given, father: str = father) -> str:
                return _uyghur_name(given, father, rng)

        birth = rng.randint(1940, 2000)
        det_year = rng.randint(max(birth + 16, 1990), 2023)
        base = PersonRecord(
            id=0,
            names=[],
            birth_year=birth,
            sex=rng.choice("MMMF"),
            ethnicity=group,
            province=province,
            places=[rng.choice(places_by_province[province])],
            detention_year=det_year,
            detention_month=rng.randint(1, 12),
            charges=rng.sample(CHARGES, rng.choice([1, 1, 2])),
            affiliations=[f"Org {rng.randint(1, 3000)}"] if rng.random() < 0.1 else [],
        )
        copies = rng.choices([1, 2, 3, 4], weights=[0.7, 0.2, 0.07, 0.03])[0]
        for copy in range(copies):
            name = write()
            if copy and rng.random() < 0.12:
                name = _typo(name, rng)
            names = [name]
            if religious and rng.random() < 0.5:
                names.append(religious)
            record = PersonRecord(**{**base.__dict__, "id": len(records) + 1, "names": names})
            if copy:
                record = _thin(record, rng, keep=0.75)
                if record.birth_year and rng.random() < 0.1:
                    record.birth_year += rng.choice([-1, 1])  # age at detention read as birth year
                if rng.random() < 0.3:
                    record.detention_month = None
            records.append(record)
            truth[record.id] = entity
            if len(records) >= n_records:
                break
    return records, truth


# -- main ---------------------------------------------------------------------------------------------
def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sets", default="cecc-alias,chrd-cecc,cppc-roman,generated")
    p.add_argument("--records", type=int, default=50_000, help="generated records (default 50,000)")
    p.add_argument("--threshold", type=float, default=0.9, help="match probability that clusters (0.9)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--json", metavar="PATH")
    options = p.parse_args()
    wanted = [s.strip() for s in options.sets.split(",") if s.strip()]
    real = [s for s in wanted if s != "generated"]
    if real and not DATA.is_dir():
        print(f"skipping {', '.join(real)}: {DATA} is absent", file=sys.stderr)
        wanted = [s for s in wanted if s == "generated"]
    results = []
    print(
        f"# {platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.2f}, threshold {options.threshold}",
        flush=True,
    )
    for name in wanted:
        if name == "cecc-alias":
            records, truth = cecc_alias_set()
            result = run_set(name, records, truth, threshold=options.threshold, threads=options.threads)
        elif name == "chrd-cecc":
            records, truth, crossing, numbered = chrd_cecc_set()
            result = run_set(
                name, records, truth, threshold=options.threshold, threads=options.threads, restrict=crossing
            )
            results.append(result)
            print(json.dumps(result), flush=True)
            name = "chrd-cecc-numbered"
            result = run_set(
                name, records, truth, threshold=options.threshold, threads=options.threads, restrict=numbered
            )
        elif name == "cppc-roman":
            records, truth = cppc_set()
            result = run_set(name, records, truth, threshold=options.threshold, threads=options.threads)
        elif name == "generated":
            start = time.perf_counter()
            records, truth = generated_set(options.records)
            made = time.perf_counter() - start
            result = run_set(name, records, truth, threshold=options.threshold, threads=options.threads)
            result["seconds_generate"] = round(made, 2)
        else:
            raise SystemExit(f"unknown set {name!r}")
        result["load_after"] = round(os.getloadavg()[0], 2)
        results.append(result)
        print(json.dumps(result), flush=True)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()


__all__: Sequence[str] = ["cecc_alias_set", "chrd_cecc_set", "cppc_set", "generated_set", "pairwise_scores"]

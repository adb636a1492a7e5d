"""Fact extraction: accuracy against the CECC dev export, and speed end to end.

    .venv/bin/python bench/bench_extract.py                      # both
    .venv/bin/python bench/bench_extract.py --accuracy --misses /tmp/misses.txt
    .venv/bin/python bench/bench_extract.py --speed --docs 10000 --n-process 2

Accuracy: the extractor reads each record's ``short_summary`` (its HTML stripped as the CECC importer
does; published = the export date, 2020-07-23) and its output for the record's main person (the
extracted person whose name matches ``main.name``) is compared with the structured columns, read with
the importer's own parsers: sentence length, detention date (at the precision the record gives),
prison, status, ethnicity, charge statute. Per field: a prediction is a non-empty value for the main
person; precision = right / predicted, recall = right / records with a value in the column. The last
column leaves out predictions for records whose column is empty (CECC often codes no statute or prison
where the summary names one: such a prediction counts as wrong in "precision").

Speed: words/s through ``extract_many`` (spaCy in --n-process processes, the rest in this one) over
--docs summaries (the dev file repeated), with the peak resident memory of this process and of the
spaCy workers.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CECC_DEV = ROOT.parent / "shared" / "data" / "cecc-ppd" / "cecc_ppd_2020-07-23_dev.csv"
PUBLISHED = "2020-07-23"
SUBSTANTIVE = 200  # characters
FIELDS = ("sentence", "detained", "prison", "status", "ethnicity", "statute")

_ABBREVIATIONS = [
    (r"\bdet\.?\s*ctr\.?", "detention center"),
    (r"\bdet\.", "detention"),
    (r"\bctr\.?", "center"),
    (r"\bcentre\b", "center"),
    (r"\bpr\.", "prison"),
    (r"\bno\.\s*", "no "),
    (r"\bnumber\s+(?=\d)", "no "),
    (r"\badmin\.", "administrative"),
    (r"\brtl (?:detention center|camp|facility)\b", "rtl center"),
    (r"\bpublic security bureau\b", "psb"),
    (r"\bre-?education[- ]through[- ]labou?r\b", "rtl"),
    (r"\blabour\b", "labor"),
    (r"\bpublic security\b", "psb"),
    (r"\bmun\.", "municipal"),
    (r"\bpref\.", "prefecture"),
    (r"\bcty\.", "county"),
    (r"\bprov\.", "province"),
]


# Words place names carry or drop freely ("Shandong Province Women's Prison" = "Shandong Women's Prison").
_GENERIC = frozenset(
    [
        "the",
        "of",
        "municipal",
        "city",
        "district",
        "county",
        "province",
        "prefecture",
        "township",
        "no",
        "s",
        "psb",
    ]
)


# the person's JSON key whose basis and confidence a compared field reads
_BASIS_KEY = {"prison": "place", "statute": "charges"}


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
    import django

    django.setup()


def place_key(name: str) -> str:
    name = name.lower()
    for pattern, replacement in _ABBREVIATIONS:
        name = re.sub(pattern, replacement, name)
    name = re.sub(r"\([^)]*\)", " ", name)
    words = [w for w in re.split(r"[^a-z0-9]+", name) if w and w not in _GENERIC]
    return " ".join(words)


def same_place(predicted: str, gold: str) -> bool:
    a, b = place_key(predicted), place_key(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter.split()) >= 2 and f" {shorter} " in f" {longer} "


def main_person(result: dict[str, Any], name: str) -> dict[str, Any] | None:
    from habeas.lib.names import fold

    wanted = fold(name)
    tokens = set(wanted.split())
    persons = result["persons"]
    for person in persons:
        if wanted in {fold(n) for n in person["names"]}:
            return person
    for person in persons:
        words = set(fold(person["name"]).split())
        if tokens and (tokens <= words or (len(words) > 1 and words <= tokens)):
            return person
    return None


def gold_values(row: dict[str, str]) -> dict[str, Any]:
    from habeas.importers import cecc

    gold: dict[str, Any] = dict.fromkeys(FIELDS)
    try:
        kind, months, days = cecc.cecc_sentence(row)
        if kind != "fixed" or months or days:
            gold["sentence"] = (kind, months, days)
    except cecc.RowError:
        pass
    with contextlib.suppress(cecc.RowError):
        gold["detained"] = cecc.cecc_date(row["date_of_detention"])
    prison = row["current_last_prison_detentioncenter"].strip()
    # "Kashgar (general location)" names no place of detention: nothing a text could state.
    if prison and not cecc._absent(prison) and cecc.place_kind(prison) != "unknown":
        gold["prison"] = prison
    match = cecc._STATUS.match(row["detention_status"].strip())
    if match and match["code"] in ("DET", "REL", "DEC"):
        gold["status"] = cecc._STATUSES[match["code"]]
    ethnicity = row["ethnic_group"].strip().rstrip("?")
    if ethnicity and not cecc._absent(ethnicity):
        gold["ethnicity"] = ethnicity
    statutes = set()
    for code in (c.strip() for c in re.split(r"[/;,]", row["charge_statute"]) if c.strip()):
        found = cecc._STATUTE.match(code)
        if found and found["code"] in ("CL97", "CL79"):
            statutes.add((found["code"], found["article"]))
    gold["statute"] = statutes or None
    return gold


def predicted_values(person: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(FIELDS)
    if person is None:
        return out
    if person["sentence"]:
        s = person["sentence"]
        out["sentence"] = (s["kind"], s.get("months", 0), s.get("days", 0))
    out["detained"] = person["detained"]
    out["prison"] = person["place"]
    out["status"] = person["status"] if person["status"] in ("detained", "released", "deceased") else None
    out["ethnicity"] = person["ethnicity"]
    statutes = set()
    # the charge the case reached: formal charges before suspicions
    charged = [c for c in person["charges"] if c.get("stage") != "suspected"] or person["charges"]
    for charge in charged:
        found = re.match(r"PRC-CL-(1997|1979) art\. (\S+)", charge["statute"] or "")
        if found:
            statutes.add(("CL97" if found[1] == "1997" else "CL79", found[2]))
    out["statute"] = statutes or None
    return out


def right(field: str, predicted: Any, gold: Any) -> bool:
    if field == "sentence":
        kind, months, days = predicted
        gold_kind, gold_months, gold_days = gold
        if gold_kind == "fixed" and kind == "suspended":
            kind = "fixed"
        return (kind, months, days) == (gold_kind, gold_months, gold_days)
    if field == "detained":
        # at the precision the record gives; a vaguer prediction is wrong
        return str(predicted)[: len(gold.isoformat())] == gold.isoformat()
    if field == "prison":
        return same_place(predicted, gold)
    if field == "ethnicity":
        return predicted.lower() == gold.lower()
    if field == "statute":

        def level(value: tuple[str, str], precise: bool) -> tuple[str, str]:
            return value if precise else (value[0], value[1].split("(")[0])

        precise = all("(" in g[1] for g in gold)
        return {level(p, precise) for p in predicted} == {level(g, precise) for g in gold}
    return bool(predicted == gold)


def accuracy(options: argparse.Namespace) -> str:
    from habeas.extraction.extract import extract_many
    from habeas.importers import cecc

    with CECC_DEV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = rows[:: options.every]
    if options.limit:
        rows = rows[: options.limit]
    texts = [cecc.strip_html(row[cecc.SUMMARY]) for row in rows]
    counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    # the same counts over records whose summary says something ("Initial record data based on TIN
    # 91-0006." states none of the columns: no extractor can find them there)
    full: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    substantive = 0
    misses: list[str] = []
    # (field, basis) -> predictions where the column is filled, and right ones: the confidence table
    calibration: dict[tuple[str, str], Counter[str]] = {}
    found_main = 0
    started = time.perf_counter()
    results = extract_many(texts, published=PUBLISHED, n_process=options.n_process)
    for row, text, result in zip(rows, texts, results, strict=True):
        person = main_person(result, row["main.name"])
        found_main += person is not None
        gold, predicted = gold_values(row), predicted_values(person)
        long = len(text) >= SUBSTANTIVE
        substantive += long
        for field in FIELDS:
            g, p = gold[field], predicted[field]
            ok = g is not None and p is not None and right(field, p, g)
            for table in (counts, full) if long else (counts,):
                table[field]["gold"] += g is not None
                table[field]["predicted"] += p is not None
                table[field]["predicted_filled"] += p is not None and g is not None
                table[field]["right"] += ok
            if g is not None and p is not None and person is not None:
                how = person.get("basis", {}).get(_BASIS_KEY.get(field, field))
                if how:
                    band = calibration.setdefault((field, how), Counter())
                    band["predicted"] += 1
                    band["right"] += ok
                    band["confidence"] = person["confidence"].get(_BASIS_KEY.get(field, field), 0)
            if (g is not None or p is not None) and not ok and options.misses:
                misses.append(
                    f"{row['CECC_record_number']} {field}: gold={g!r} predicted={p!r} | {text[:300]}"
                )
    seconds = time.perf_counter() - started
    if options.misses:
        Path(options.misses).write_text("\n".join(misses) + "\n", encoding="utf-8")
    lines = [
        f"{len(rows):,} records of {CECC_DEV.name}, {seconds:.0f} s; main person found in {found_main:,}",
        "",
        *table_lines(counts, "all records"),
        "",
        *table_lines(full, f"the {substantive:,} records whose summary has {SUBSTANTIVE}+ characters"),
        "",
        "| field | basis | predicted (column filled) | right | fraction right | confidence given |",
        "|---|---|---:|---:|---:|---:|",
        *(
            f"| {f} | {how} | {c['predicted']:,} | {c['right']:,} | {c['right'] / c['predicted']:.2f} "
            f"| {c['confidence']:.2f} |"
            for (f, how), c in sorted(calibration.items())
        ),
    ]
    return "\n".join(lines)


def table_lines(counts: dict[str, Counter[str]], title: str) -> list[str]:
    lines = [
        f"| field ({title}) | in column | predicted | right | precision | recall | F1 "
        "| precision where the column is filled |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for field in FIELDS:
        c = counts[field]
        p = c["right"] / c["predicted"] if c["predicted"] else 0.0
        r = c["right"] / c["gold"] if c["gold"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        filled = c["right"] / c["predicted_filled"] if c["predicted_filled"] else 0.0
        lines.append(
            f"| {field} | {c['gold']:,} | {c['predicted']:,} | {c['right']:,} "
            f"| {p:.2f} | {r:.2f} | {f1:.2f} | {filled:.2f} |"
        )
    return lines


def speed(options: argparse.Namespace) -> str:
    from tqdm import tqdm

    from habeas.extraction.extract import extract_many
    from habeas.extraction.nlp import pipeline
    from habeas.importers import cecc

    pipeline()  # loaded before the clock starts, as a long-running process would have it
    with CECC_DEV.open(encoding="utf-8", newline="") as handle:
        summaries = [cecc.strip_html(row[cecc.SUMMARY]) for row in csv.DictReader(handle)]

    def documents() -> Any:
        for index in range(options.docs):
            yield summaries[index % len(summaries)]

    words = sum(len(summaries[i % len(summaries)].split()) for i in range(options.docs))
    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    persons = 0
    for result in tqdm(
        extract_many(documents(), published=PUBLISHED, n_process=options.n_process, batch_size=options.batch),
        total=options.docs,
        unit="doc",
        disable=not sys.stderr.isatty(),
    ):
        persons += len(result["persons"])
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    load_after = os.getloadavg()[0]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return (
        f"{options.docs:,} documents, {words:,} words, n_process={options.n_process}, batch {options.batch}: "
        f"{seconds:.1f} s, **{words / seconds:,.0f} words/s**, {options.docs / seconds:,.0f} docs/s, "
        f"{persons:,} persons; peak RSS {own:,.0f} MiB (this process), {children:,.0f} MiB (largest worker); "
        f"CPU {cpu:.0f} s in all ({words / cpu:,.0f} words per CPU-second); "
        f"load average {load_before:.1f} before, {load_after:.1f} after on {os.cpu_count()} cores"
    )


def _cpu_seconds() -> float:
    """User + system time of this process and its finished children (the spaCy workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accuracy", action="store_true", help="only the accuracy run")
    p.add_argument("--speed", action="store_true", help="only the speed run")
    p.add_argument("--docs", type=int, default=10_000, help="documents for the speed run (default 10,000)")
    p.add_argument("--n-process", type=int, default=2, help="spaCy processes (default 2)")
    p.add_argument("--batch", type=int, default=128, help="documents per batch (default 128)")
    p.add_argument("--limit", type=int, default=0, help="only the first N records for accuracy")
    p.add_argument("--every", type=int, default=1, help="only every Kth record for accuracy (a quick look)")
    p.add_argument("--misses", metavar="PATH", help="write every wrong or missed value there")
    options = p.parse_args()
    if not CECC_DEV.exists():
        sys.exit(f"{CECC_DEV} is missing: the benchmark reads the CECC dev export from ../shared/data")
    setup()
    both = not (options.accuracy or options.speed)
    if options.accuracy or both:
        print(accuracy(options), flush=True)
    if options.speed or both:
        print(speed(options), flush=True)


if __name__ == "__main__":
    main()

"""The extractor on real CECC summaries (../shared/data): a guard against regressions, not the benchmark
(bench/bench_extract.py scores every record). Skipped where the data is absent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from habeas.extraction.extract import extract_many
from habeas.importers.cecc import SUMMARY, cecc_sentence, strip_html

CECC_DEV = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "cecc-ppd"
    / "cecc_ppd_2020-07-23_dev.csv"
)
SAMPLE = 300


@pytest.mark.data
def test_spans_hold_and_stated_sentences_are_mostly_right_on_real_summaries() -> None:
    if not CECC_DEV.exists():
        pytest.skip(f"the CECC dev file is not here ({CECC_DEV})")
    with CECC_DEV.open(encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if len(row[SUMMARY]) >= 400][::7][:SAMPLE]
    texts = [strip_html(row[SUMMARY]) for row in rows]
    right = predicted = 0
    for row, text, result in zip(rows, texts, extract_many(texts, published="2020-07-23"), strict=True):
        for person in result["persons"]:
            for start, end in person["evidence"]:
                assert 0 <= start < end <= len(text) and text[start:end].strip()
        main = [p for p in result["persons"] if row["main.name"].strip() in p["names"]]
        if main and main[0]["sentence"]:
            kind, months, _ = cecc_sentence(row)
            sentence = main[0]["sentence"]
            predicted += 1
            right += (sentence["kind"].replace("suspended", "fixed"), sentence["months"]) == (kind, months)
    assert predicted >= 50
    assert right / predicted >= 0.7  # 0.8 over the whole file (bench/RESULTS.md)

"""The benchmark scripts still run: each one on a few generated persons in its own throwaway SQLite
database (never the suite's: DATABASE_URL is removed, since a benchmark empties its database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench(tmp_path: Path, script: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["HABEAS_VAR_DIR"] = str(tmp_path)
    done = subprocess.run(  # noqa: S603 (our own scripts)
        [sys.executable, str(ROOT / "bench" / script), "--persons", "30", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_bench_import_writes_the_generated_persons_and_prints_the_rates(tmp_path: Path) -> None:
    out = bench(tmp_path, "bench_import.py", "--cecc", str(tmp_path / "absent.csv"))
    assert "| habeas demo: generate and write (batch 2000) |      30 |" in out
    assert "rows written: Person 30," in out


def test_bench_search_times_every_kind_of_query(tmp_path: Path) -> None:
    out = bench(tmp_path, "bench_search.py")
    kinds = (
        "whole name (Latin)",
        "prefix (family name alone)",
        "hanzi",
        "pinyin without tones",
        "upper case",
    )
    for kind in kinds:
        assert f"| person_search: {kind} " in out and f"| person_list(q=): {kind} " in out


def test_bench_pages_counts_the_queries_of_each_page(tmp_path: Path) -> None:
    out = bench(tmp_path, "bench_pages.py", "--pages", "3")
    rows = [line.split("|") for line in out.splitlines() if line.startswith("| dossier (")]
    assert [row[1].strip() for row in rows] == ["dossier (Client)", "dossier (selector)"]
    assert all(int(row[3]) > 0 for row in rows)  # queries per page


@pytest.mark.skipif(
    not Path("/usr/bin/wrk").exists(), reason="wrk is not installed (Debian: apt-get install -y wrk)"
)
def test_bench_load_serves_signed_in_dossier_pages_without_errors(tmp_path: Path) -> None:
    out = bench(tmp_path, "bench_load.py", "--duration", "2", "--connections", "4", "--workers", "2")
    table = dict(
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in out.splitlines()
        if line.count("|") == 3
    )
    assert float(table["requests/s (wrk)"]) > 0
    assert table["responses other than 200 (server log)"] == "0"
    assert table["socket errors (wrk)"] == "none"

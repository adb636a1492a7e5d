"""Linkage on Spark (splink's Spark backend): time the generated set on a Spark master, count the
blocked pairs, and project to 1,000,000 records.

The projection's basis: the work is the number of blocked pairs (each scored once) plus a shuffle of
the exploded key table; with blocking on whole-name keys the pairs grow with n times the mean block
size, and the mean block size grows with n for common names (namesakes): pairs(n) is measured at two
sizes and extrapolated with the fitted exponent, and time as seconds per million pairs measured here.

Usage: .venv/bin/python bench/linkage_spark.py [--records 20000,40000] [--master local[2]]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from linkage import generated_set  # noqa: E402

from habeas.linkage import engine  # noqa: E402
from habeas.linkage.records import person_row  # noqa: E402


def count_blocked_pairs(sizes: list[int]) -> None:
    """Blocked pairs (every pair the blocking rules propose, before any threshold) and DuckDB's CPU
    time at several sizes: the machine-independent basis of the projection."""
    for n in sizes:
        records, _ = generated_set(n)
        table = engine.to_table("persons", [person_row(r) for r in records])
        cpu, wall = time.process_time(), time.perf_counter()
        run = engine.run("persons", table, threshold=1e-12, db_api=engine.duckdb_api(2))
        blocked = run.linker._db_api._con.execute(
            f"select count(*) from {run.predictions.physical_name}"  # noqa: S608 (splink's table name)
        ).fetchone()[0]
        print(
            json.dumps(
                {
                    "records": n,
                    "blocked_pairs": blocked,
                    "duckdb_cpu_seconds": round(time.process_time() - cpu, 2),
                    "duckdb_wall_seconds": round(time.perf_counter() - wall, 2),
                    "load": round(os.getloadavg()[0], 2),
                }
            ),
            flush=True,
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", default="20000,40000")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--threshold", type=float, default=0.5)
    p.add_argument(
        "--count-pairs",
        metavar="SIZES",
        help="only count blocked pairs on DuckDB at these sizes (e.g. 12500,25000,50000,100000)",
    )
    options = p.parse_args()
    if options.count_pairs:
        count_blocked_pairs([int(x) for x in options.count_pairs.split(",")])
        return
    from habeas.linkage.spark import spark_api

    start = time.perf_counter()
    api = spark_api(master=options.master)
    print(json.dumps({"spark_session_seconds": round(time.perf_counter() - start, 1)}), flush=True)
    measured = []
    for n in [int(x) for x in options.records.split(",")]:
        records, _ = generated_set(n)
        table = engine.to_table("persons", [person_row(r) for r in records])
        start = time.perf_counter()
        run = engine.run("persons", table, threshold=options.threshold, db_api=api)
        pairs = sum(1 for _ in run.pairs())
        clusters = run.clusters(0.9)
        seconds = time.perf_counter() - start
        row = {
            "records": n,
            "seconds": round(seconds, 1),
            "pairs_at_threshold": pairs,
            "clusters": len(set(clusters.values())),
            "load": round(os.getloadavg()[0], 2),
        }
        measured.append(row)
        print(json.dumps(row), flush=True)
    if len(measured) >= 2:
        a, b = measured[0], measured[-1]
        exponent = math.log(b["seconds"] / a["seconds"]) / math.log(b["records"] / a["records"])
        projected = b["seconds"] * (1_000_000 / b["records"]) ** exponent
        print(
            json.dumps(
                {
                    "time_exponent": round(exponent, 2),
                    "projected_seconds_1m_same_master": round(projected),
                    "master": options.master,
                }
            )
        )


if __name__ == "__main__":
    main()

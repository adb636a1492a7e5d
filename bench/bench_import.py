"""Import speed: the CECC dev file end to end (first import, then the re-import that changes nothing)
and N generated dossiers through the bulk writer (target: 5,000 persons/s with their facts,
citations and history (one row per batch since 2026-11-23)).

    .venv/bin/python bench/bench_import.py                                  # SQLite in a temp dir
    .venv/bin/python bench/bench_import.py --db /tmp/bench.sqlite3          # keep it for the others
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/habeas_bench .venv/bin/python bench/bench_import.py

The CECC file is imported with the real command (`habeas import cecc FILE`) in a child process, so its
time includes starting Django. The database ends holding the N generated persons, ready for
bench_search.py, bench_pages.py and bench_load.py with --reuse.
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import _common

CECC_DEV = _common.ROOT.parent / "shared" / "data" / "cecc-ppd" / "cecc_ppd_2020-07-23_dev.csv"


def _cpu(server: Callable[[], float]) -> tuple[float, float, float]:
    """CPU seconds so far: this process (the writer), its ended child processes (the forked
    generator) and the database server's backend for this connection (PostgreSQL on this machine)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), children.ru_utime + children.ru_stime, server()


def counts() -> dict[str, int]:
    from habeas.audit.models import History, HistoryBatch, HistoryRun
    from habeas.dossiers.models import Detention, NameKey, Person, PersonName
    from habeas.sources.models import Citation, Source

    models = [Person, PersonName, NameKey, Detention, Source, Citation, History, HistoryBatch, HistoryRun]
    return {model.__name__: model._default_manager.count() for model in models}


def cecc(path: Path) -> list[list[str]]:
    from habeas.dossiers.models import Person

    rows = []
    _common.empty()
    command = [str(_common.ROOT / ".venv" / "bin" / "habeas"), "import", "cecc", str(path), "--no-progress"]
    for label in ("CECC dev file, first import", "CECC dev file, re-import"):
        before = Person.objects.count()
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        seconds = time.perf_counter() - started
        added = Person.objects.count() - before
        last = (done.stdout.strip().splitlines() or [""])[-1][:100]
        print(f"{label}: exit {done.returncode}; {last}")
        if done.returncode not in (0, 1):  # 1: some rows were reported bad, the others written
            sys.exit(f"habeas import cecc failed:\n{done.stderr}")
        rows.append([label, f"{added:,}", f"{seconds:.2f}", f"{added / seconds:,.0f}" if added else "-"])
    return rows


def main() -> None:
    p = _common.parser(__doc__)
    p.add_argument("--cecc", type=Path, default=CECC_DEV, help="CECC CSV file (default: the dev file)")
    p.add_argument("--batch-size", type=int, default=2000)
    options = p.parse_args()
    database = _common.open_database(options)
    _common.header("Import", database)

    rows = []
    if options.cecc.is_file():
        rows += cecc(options.cecc)
    else:
        print(f"{options.cecc}: absent, CECC import not measured", file=sys.stderr)

    from habeas.importers.demo import demo_bundles

    # Generating the bundles alone (no database), to tell the generator's share from the writer's.
    gc.disable()
    started = time.perf_counter()
    for _bundle in demo_bundles(options.persons):
        pass
    generation = time.perf_counter() - started
    gc.enable()
    rows.append(
        [
            "generated bundles only (no database)",
            f"{options.persons:,}",
            f"{generation:.2f}",
            f"{options.persons / generation:,.0f}",
        ]
    )

    server = _common.server_cpu_clock()
    cpu_before = _cpu(server)
    seconds = _common.fill(options.persons, reuse=False, batch_size=options.batch_size)
    assert seconds is not None
    writer, child, backend = (after - before for after, before in zip(_cpu(server), cpu_before, strict=True))
    rows.append(
        [
            f"habeas demo: generate and write (batch {options.batch_size})",
            f"{options.persons:,}",
            f"{seconds:.2f}",
            f"{options.persons / seconds:,.0f}",
        ]
    )
    writing = seconds - generation
    rate = f"{options.persons / writing:,.0f}"
    rows.append(["  of which writing (difference)", "", f"{writing:.2f}", rate])
    _common.table(["import", "persons", "seconds", "persons/s"], rows)
    total = writer + child + backend
    times = (writer, child, backend, total)
    cores = os.cpu_count() or 1
    _common.table(
        ["habeas demo, CPU seconds", "writer", "generator (child)", "database server", "all"],
        [
            [f"{options.persons:,} persons", *(f"{t:.1f}" for t in times)],
            ["per 1,000 persons", *(f"{t * 1000 / options.persons:.2f}" for t in times)],
        ],
    )
    # What a free machine would give: the three processes overlap, so at best the busiest one, or all
    # the CPU time spread over every core, sets the pace.
    bound = max(writer, child, backend, total / cores)
    print(f"ceiling on a free {cores}-core machine: {options.persons / bound:,.0f} persons/s")
    print("rows written: " + ", ".join(f"{name} {n:,}" for name, n in counts().items()))
    print(f"after: {_common.load()}")


if __name__ == "__main__":
    main()

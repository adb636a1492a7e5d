"""What the benchmarks share: the database (throwaway SQLite, a kept SQLite file, or DATABASE_URL),
its fill with generated dossiers, the signed-in user, timing statistics and the printed tables.

The database named by DATABASE_URL (or by --db) is migrated and, unless --reuse finds it already
holding the requested number of generated persons, EMPTIED: never point it at real data.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_USER = "bench-researcher"


def parser(doc: str, *, persons: int = 100_000) -> argparse.ArgumentParser:
    """An argument parser with the options every benchmark takes; ``doc`` is the script's docstring."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--persons", type=int, default=persons, help=f"generated persons (default {persons:,})")
    p.add_argument(
        "--db",
        metavar="PATH",
        help="SQLite file to use and keep (default: a throwaway one in a temp dir; ignored when "
        "DATABASE_URL is set)",
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database's data when it already holds exactly --persons generated persons",
    )
    return p


def open_database(options: argparse.Namespace) -> str:
    """Point Django at the benchmark database, set it up and migrate it; returns a description."""
    if "HABEAS_VAR_DIR" not in os.environ:
        # The throwaway database (unless --db or DATABASE_URL names another) goes when the run ends.
        scratch = tempfile.mkdtemp(prefix="habeas-bench-")
        os.environ["HABEAS_VAR_DIR"] = scratch
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    if options.db and "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(options.db).resolve()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "habeas.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def empty() -> None:
    """Delete every row the benchmarks write (records, history, users, sessions), ids restarted."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    tables = [m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    keep = {"django_migrations", "django_content_type", "auth_permission"}
    tables = [t for t in tables if t not in keep]
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, reset_sequences=True))


def generated_persons() -> int:
    from habeas.dossiers.models import ExternalId
    from habeas.importers.demo import SCHEME

    return ExternalId.objects.filter(scheme=SCHEME).count()


def fill(persons: int, *, reuse: bool, batch_size: int = 2000) -> float | None:
    """Empty the database and generate ``persons`` dossiers (seed 0); seconds taken, or None when
    --reuse found them there already."""
    from habeas.dossiers.models import Person
    from habeas.importers.demo import demo_create

    if reuse and generated_persons() == persons == Person.objects.count():
        return None
    empty()
    return demo_create(persons, batch_size=batch_size).seconds


def researcher(clearance: int = 2) -> Any:
    """The signed-in reader of the page benchmarks: a researcher cleared for everything, or for
    ``clearance`` (0 public, 1 internal), the selectors then checking each record's level."""
    from habeas.accounts.models import User
    from habeas.accounts.services import user_create

    username = BENCH_USER if clearance == 2 else f"{BENCH_USER}-{clearance}"
    found = User.objects.filter(username=username).first()
    if found is None:
        found = user_create(username=username, password=None, role="researcher", clearance=clearance)
    return found


def sample_ids(count: int, *, seed: int = 1) -> list[int]:
    """``count`` person ids spread over the whole table (the same ones for the same data and seed)."""
    import random

    from habeas.dossiers.models import Person

    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    return random.Random(seed).sample(ids, min(count, len(ids)))


def timed(function: Callable[[], Any], repeat: int = 1, *, cpu: list[float] | None = None) -> list[float]:
    """Milliseconds per call, with the cyclic collector out of the way during each call.

    ``cpu`` collects this process's CPU milliseconds per call: on a machine shared with other work the
    wall time includes waiting for a core, the CPU time does not (it misses the PostgreSQL server's).
    """
    samples = []
    for _ in range(repeat):
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        samples.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - cpu_started) * 1000)
    return samples


def server_cpu_clock() -> Callable[[], float]:
    """A clock of the CPU seconds the database server has spent for this connection: PostgreSQL's
    backend process on this machine (its /proc schedstat, nanoseconds on a CPU); 0 for SQLite, whose
    work is this process's own. Added to ``time.process_time()`` it gives what a call costs on a free
    machine, which waiting for a core on a shared one does not inflate."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    if not stat.exists():  # the server is on another machine
        return lambda: 0.0
    return lambda: int(stat.read_text().split()[0]) / 1e9


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: Sequence[float]) -> list[str]:
    """median, 95th, 99th percentile and maximum, in milliseconds."""
    return [
        f"{statistics.median(samples):.1f}",
        f"{percentile(samples, 0.95):.1f}",
        f"{percentile(samples, 0.99):.1f}",
        f"{max(samples):.1f}",
    ]


SUMMARY_HEADERS = ["median ms", "p95 ms", "p99 ms", "max ms"]


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A Markdown table, so the output pastes into RESULTS.md as it is."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        padded = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        return "| " + " | ".join(padded) + " |"

    print(line(cells[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print(line(row))


def load() -> str:
    """The load averages (1, 5, 15 min): other work on the machine inflates the figures."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def machine() -> str:
    """CPU, cores, memory and versions, for the record in RESULTS.md."""
    import sqlite3

    import django
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    kib = int(Path("/proc/meminfo").read_text().split()[1])  # MemTotal, in KiB
    database = f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    return (
        f"{cpu}, {os.cpu_count()} cores, {kib / 2**20:.1f} GiB memory; "
        f"Python {platform.python_version()}, Django {django.get_version()}, {database}"
    )


def header(title: str, database: str) -> None:
    print(f"# {title}")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}")
    print(f"database: {database}; {load()}")

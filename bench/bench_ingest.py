"""Intake speed: `habeas ingest` on a folder of N generated, summary-sized documents (fictional texts,
one in ten an HTML page), end to end in a child process on a fresh SQLite database; then the readers
alone (read, decode, find metadata, boilerplate spans) in this process.

    .venv/bin/python bench/bench_ingest.py                 # 10,000 documents, then 2,000 for memory
    .venv/bin/python bench/bench_ingest.py --documents 500

Memory is bounded when the child's peak resident size does not grow with N (each file is read, stored
in its own transaction and let go).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = [
    "Ma Lixin",
    "Zhao Ping",
    "Li Hua",
    "Aygul Tursun",
    "Wang Jun",
    "Chen Mei",
    "Liu Dong",
    "Ablimit Qurban",
]
PLACES = ["Lanzhou No. 2 Prison", "Chishan Prison", "Kashgar City Detention Center", "Qinghe No. 3 Prison"]


def summary(rng: random.Random, number: int) -> str:
    name, place, year = rng.choice(NAMES), rng.choice(PLACES), rng.randint(1995, 2020)
    return (
        f"{name}, a {rng.randint(25, 70)}-year-old worker (case {number}), was detained in {year} and "
        f"sentenced to {rng.randint(1, 15)} years in prison for inciting subversion of state power. "
        f"Authorities held "
        f"{name.split()[0]} at {place}. Relatives said he was in poor health and had been denied visits "
        f"since {year + 1}. The court rejected his appeal in {year + 2}, and officials have not said when he "
        "may be released.\n"
    )


def write_documents(folder: Path, count: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    words = 0
    for number in range(count):
        text = summary(rng, number)
        words += len(text.split())
        if number % 10 == 0:
            page = (
                f"<html><head><title>Case {number}</title><script>track()</script></head><body>"
                f"<nav>Home | News</nav><article><h1>Case {number}</h1><p>{text}</p></article>"
                "<footer>© 2020 Example</footer>"
                "</body></html>"
            )
            (folder / f"doc{number:06d}.html").write_text(page, encoding="utf-8")
        else:
            (folder / f"doc{number:06d}.txt").write_text(text, encoding="utf-8")
    return words


def run_cli(folder: Path, var: Path) -> tuple[float, float, str]:
    """Seconds, peak resident MiB of the child, and its summary line."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HABEAS_VAR_DIR"] = str(var)
    habeas = ROOT / ".venv" / "bin" / "habeas"
    command = [str(habeas)] if habeas.exists() else [sys.executable, "-m", "habeas"]
    subprocess.run([*command, "migrate", "-v0"], env=env, check=True)  # noqa: S603 - our own command
    out, err = var / "ingest.out", var / "ingest.err"
    with out.open("w") as stdout, err.open("w") as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603
            [*command, "ingest", str(folder), "--no-progress"], env=env, stdout=stdout, stderr=stderr
        )
        # wait4 gives this child's own peak memory, not the largest of every child so far.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"habeas ingest failed:\n{err.read_text()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out.read_text().strip().splitlines()[-1]  # ru_maxrss: kB


def readers(folder: Path) -> tuple[int, float, int]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habeas.settings")
    from habeas.extraction.boilerplate import main_spans
    from habeas.extraction.readers import document_read

    files = sorted(folder.iterdir())
    data = [(path.name, path.read_bytes()) for path in files]
    words = 0
    started = time.perf_counter()
    for name, raw in data:
        document = document_read(raw, name=name)
        main_spans(document.text)
        words += len(document.text.split())
    return len(files), time.perf_counter() - started, words


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=10_000, help="documents to ingest (default 10,000)")
    options = parser.parse_args()
    sizes = sorted({min(2_000, options.documents), options.documents})
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, SQLite in a temp dir")
    print(f"{'documents':>10} {'words':>9} {'seconds':>8} {'docs/s':>7} {'words/s':>8} {'peak MiB':>9}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="habeas-bench-ingest-") as scratch:
            folder = Path(scratch) / "docs"
            folder.mkdir()
            words = write_documents(folder, size)
            seconds, peak, last = run_cli(folder, Path(scratch) / "var")
            print(
                f"{size:>10,} {words:>9,} {seconds:>8.1f} {size / seconds:>7.0f} {words / seconds:>8.0f} "
                f"{peak:>9.0f}"
            )
            print(f"{'':>10} ({last})")
            if size == sizes[-1]:
                count, spent, read_words = readers(folder)
                print(
                    f"readers alone (read, decode, metadata, boilerplate spans): {count / spent:,.0f} "
                    f"docs/s, {read_words / spent:,.0f} words/s"
                )


if __name__ == "__main__":
    main()

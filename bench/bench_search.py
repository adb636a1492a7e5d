"""Name search at N generated persons: person_search and person_list(q=...) over a few hundred
queries drawn from the generated names, by kind (whole names, prefixes down to a family name alone,
hanzi, pinyin with and without tones, upper case). Target: median <= 20 ms, 95th percentile <= 50 ms.

    .venv/bin/python bench/bench_search.py --db /tmp/bench.sqlite3 --reuse   # after bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/habeas_bench \
        .venv/bin/python bench/bench_search.py --reuse [--clearance 1]

Every query runs once untimed (warm caches, as on a server in use), then once timed. "CPU" is the CPU
time of this process plus, on PostgreSQL on this machine, of the server's backend process for this
connection: on a shared machine the wall time includes waiting for a core, the CPU time does not, so
it is close to what the call takes on a free machine.
"""

from __future__ import annotations

import random
import statistics
import time
import unicodedata
from collections import defaultdict
from typing import Any

import _common

PER_KIND = 60
ALONE = "prefix (family name alone)"


def _toneless(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def queries(seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query) pairs, PER_KIND of each kind, from the names of randomly drawn persons."""
    from pypinyin import Style, lazy_pinyin

    from habeas.dossiers.models import PersonName

    rng = random.Random(seed)
    ids = _common.sample_ids(PER_KIND * 8, seed=seed)
    names = defaultdict(list)
    for person_id, text, script in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "text", "script"
    ):
        names[person_id].append((text, script))
    latin = [t for i in ids for t, s in names[i] if s == "Latn" and " " in t]
    hanzi = [t for i in ids for t, s in names[i] if s in ("Hans", "Hant")]
    out: list[tuple[str, str]] = []
    for text in rng.sample(latin, min(PER_KIND, len(latin))):
        out.append(("whole name (Latin)", text))
    for text in rng.sample(latin, min(PER_KIND, len(latin))):
        family, given = text.split(" ", 1)
        out.append(("prefix (family + 2 letters)", f"{family} {given[:2]}"))
    for text in rng.sample(latin, min(PER_KIND, len(latin))):
        out.append((ALONE, text.split(" ", 1)[0]))
    for text in rng.sample(latin, min(PER_KIND, len(latin))):
        out.append(("upper case", text.upper()))
    for text in rng.sample(hanzi, min(PER_KIND, len(hanzi))):
        out.append(("hanzi", text if rng.random() < 0.7 else text[:2]))
    for text in rng.sample(hanzi, min(PER_KIND, len(hanzi))):
        syllables = lazy_pinyin(text, style=Style.TONE)
        out.append(("pinyin with tones", f"{syllables[0].title()} {''.join(syllables[1:])}"))
    for text in rng.sample(hanzi, min(PER_KIND, len(hanzi))):
        syllables = lazy_pinyin(text, style=Style.TONE)
        out.append(("pinyin without tones", _toneless(f"{syllables[0]} {''.join(syllables[1:])}")))
    return out


def main() -> None:
    p = _common.parser(__doc__)
    p.add_argument(
        "--clearance",
        type=int,
        choices=(0, 1, 2),
        default=2,
        help="the reader's clearance (default 2, everything; below it every name's level is checked)",
    )
    options = p.parse_args()
    database = _common.open_database(options)
    _common.header("Name search", database)
    filled = _common.fill(options.persons, reuse=options.reuse)
    print(f"fill: {'reused' if filled is None else f'{filled:.1f} s'}")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from habeas.dossiers.selectors import person_list, person_search

    user = _common.researcher(options.clearance)
    server = _common.server_cpu_clock()
    print(f"reader: clearance {options.clearance}")
    asked = queries()

    def search(q: str) -> int:
        return len(person_search(user, q))

    def listed(q: str) -> int:
        page = person_list(user, q=q)
        list(page.object_list)
        return page.paginator.count

    rows: list[list[Any]] = []
    for name, function in (("person_search", search), ("person_list(q=)", listed)):
        for _kind, q in asked:
            function(q)  # warm
        by_kind: dict[str, list[float]] = defaultdict(list)
        hits: dict[str, list[int]] = defaultdict(list)
        cpu: dict[str, list[float]] = defaultdict(list)
        for kind, q in asked:
            started, cpu_started = time.perf_counter(), time.process_time() + server()
            hits[kind].append(function(q))
            by_kind[kind].append((time.perf_counter() - started) * 1000)
            cpu[kind].append((time.process_time() + server() - cpu_started) * 1000)

        def cpu_cells(samples: list[float]) -> list[str]:
            return [f"{statistics.median(samples):.1f}", f"{_common.percentile(samples, 0.95):.1f}"]

        for kind, samples in by_kind.items():
            median_hits = statistics.median(hits[kind])
            rows.append(
                [
                    f"{name}: {kind}",
                    len(samples),
                    median_hits,
                    *_common.summary(samples),
                    *cpu_cells(cpu[kind]),
                ]
            )
        with CaptureQueriesContext(connection) as captured:
            function(asked[0][1])
        common = [k for k in by_kind if k != ALONE]
        for label, kinds in (
            (f"all ({len(captured)} queries each)", list(by_kind)),
            (f"all but '{ALONE}'", common),
        ):
            wall = [ms for k in kinds for ms in by_kind[k]]
            rows.append(
                [
                    f"**{name}: {label}**",
                    len(wall),
                    "",
                    *_common.summary(wall),
                    *cpu_cells([ms for k in kinds for ms in cpu[k]]),
                ]
            )
    headers = ["selector: query kind", "queries", "median hits", *_common.SUMMARY_HEADERS]
    _common.table([*headers, "CPU median ms", "CPU p95 ms"], rows)
    print("examples: " + "; ".join(q for _kind, q in asked[:: PER_KIND // 2]))
    print(f"after: {_common.load()}")


if __name__ == "__main__":
    main()

"""The dialogue at N generated persons: build a list of --entries persons from a dossier query, hand it
over, import an answer for each from a CSV file, then read the list (selector, with its query count),
export it as CSV, PDF and DOCX, and compute the statistics, the alerts and each selection helper.

    .venv/bin/python bench/bench_dialogue.py --persons 20000
    .venv/bin/python bench/bench_dialogue.py --db /tmp/bench.sqlite3 --reuse --persons 100000

Writes (build, import) run once; reads run --repeat times after one untimed call. "CPU" is this
process's CPU time: on a shared machine the wall time includes waiting for a core.
"""

from __future__ import annotations

import statistics
from typing import Any

import _common


def main() -> None:
    p = _common.parser(__doc__ or "", persons=20_000)
    p.add_argument("--entries", type=int, default=500, help="persons on the list (default 500)")
    p.add_argument("--repeat", type=int, default=5, help="timed calls per read (default 5)")
    options = p.parse_args()
    where = _common.open_database(options)
    print(f"{where}; {_common.machine()}")
    print(f"start: {_common.load()}")
    seconds = _common.fill(options.persons, reuse=options.reuse)
    if seconds is not None:
        print(f"filled {options.persons:,} persons in {seconds:.1f} s")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from habeas.dialogue import alerts, exports, selectors, services, stats
    from habeas.dialogue.imports import responses_import_csv
    from habeas.dialogue.models import Interlocutor, PrisonerList

    user = _common.researcher()
    interlocutor = Interlocutor.objects.filter(name="Bench ministry").first() or services.interlocutor_create(
        name="Bench ministry", kind="ministry", country="CN", by=user
    )
    rows: list[list[Any]] = []

    def once(label: str, function: Any) -> Any:
        cpu: list[float] = []
        result: list[Any] = []
        wall = _common.timed(lambda: result.append(function()), cpu=cpu)
        rows.append([label, "1", f"{wall[0]:.0f}", f"{cpu[0]:.0f}", ""])
        return result[0]

    new = services.list_create(
        title=f"bench list {PrisonerList.objects.count() + 1}", interlocutor=interlocutor, by=user
    )
    built = once(
        f"build list from query (status=detained), {options.entries} persons",
        lambda: services.list_build_from_query(
            prisoner_list=new, query="status=detained", by=user, limit=options.entries
        ),
    )
    services.list_hand_over(prisoner_list=new, handed_over="2026-01-15", by=user)
    csv_text = "entry,type,received,text,status\n" + "".join(
        f"{e.pk},information provided,2026-0{1 + i % 9}-20,Serving the sentence (bench {i}).,detained\n"
        for i, e in enumerate(built.added)
    )
    once(
        f"import {len(built.added)} responses from CSV (facts offered for review)",
        lambda: responses_import_csv(prisoner_list=new, data=csv_text.encode(), by=user),
    )

    def read(label: str, function: Any) -> None:
        function()
        with CaptureQueriesContext(connection) as queries:
            function()
        cpu: list[float] = []
        wall = _common.timed(function, options.repeat, cpu=cpu)
        rows.append(
            [
                label,
                str(options.repeat),
                f"{statistics.median(wall):.0f}",
                f"{statistics.median(cpu):.0f}",
                str(len(queries)),
            ]
        )

    read(f"list detail ({len(built.added)} entries)", lambda: selectors.prisoner_list_detail(user, new.pk))
    for fmt in ("csv", "pdf", "docx"):
        read(
            f"export {fmt} ({len(built.added)} entries)",
            lambda fmt=fmt: exports.export_list(user, new.pk, fmt),
        )
    read("statistics", lambda: stats.dialogue_stats(user))
    read("alerts (30 days)", lambda: alerts.dialogue_alerts(user, days=30))
    for kind in selectors.SUGGESTION_KINDS:
        read(f"suggestions: {kind}", lambda kind=kind: selectors.suggestions(user, kind))
    _common.table(["step", "calls", "median ms", "CPU ms", "queries"], rows)
    print(f"end: {_common.load()}")


if __name__ == "__main__":
    main()

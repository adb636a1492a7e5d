"""Speed of the whole-database JSON-lines export and restore.

Fills a throwaway database with N generated dossiers (dossiers_bulk_create), exports it, empties it
(ids restarted, as a fresh database), restores it, exports again and checks the two exports agree.

    .venv/bin/python bench/bench_jsonl.py --persons 20000                 # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch .venv/bin/python bench/bench_jsonl.py

The PostgreSQL database named by DATABASE_URL is migrated and EMPTIED: never point it at real data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def bundles(count: int):  # type: ignore[no-untyped-def]
    from habeas.dossiers.bulk import (
        AllegationIn,
        ChargeIn,
        DetentionIn,
        ExternalIdIn,
        HealthIn,
        LegalStepIn,
        NameIn,
        PersonIn,
        PlaceIn,
        SentenceChangeIn,
        SentenceIn,
        SourceIn,
        StatusIn,
    )

    for n in range(count):
        text = f"Person {n} (张{n}), detained in March 2009, sentenced to 11 years. Record {n}."
        yield PersonIn(
            source=SourceIn(text=text, title=f"Report {n}", published="2012-03"),
            names=[NameIn(f"Zhang Wei {n}"), NameIn(f"张伟{n}", kind="alias")],
            sex="MF"[n % 2],
            birth_date=["1970", "1971-05", "1972-05-03~"][n % 3],
            confidentiality=n % 3,
            external_ids=[ExternalIdIn("bench", str(n))],
            detentions=[
                DetentionIn(
                    started="2009-03",
                    measure="criminal_detention",
                    place=PlaceIn(f"Prison {n % 200}", kind="prison", province="Hebei"),
                    legal_steps=[LegalStepIn("trial", "2010-01-12")],
                    charges=[ChargeIn("inciting subversion", "PRC Criminal Law 1997", "105(2)")],
                    sentences=[
                        SentenceIn(
                            term_months=132,
                            pronounced="2010-02",
                            changes=[SentenceChangeIn("reduction", "2015")],
                        )
                    ],
                )
            ],
            statuses=[StatusIn("detained", "2009-03", detention=0)],
            health=[HealthIn("hepatitis B")],
            allegations=[AllegationIn("arbitrary_detention", wgad_category=2)],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=20_000)
    options = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="habeas-bench-")
    os.environ.setdefault("HABEAS_VAR_DIR", scratch)
    os.environ["DJANGO_SETTINGS_MODULE"] = "habeas.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from habeas.dossiers.bulk import dossiers_bulk_create
    from habeas.importers.jsonl import exported_models, jsonl_export_to_path, jsonl_import

    def empty() -> None:
        tables = [model._meta.db_table for model in exported_models()]
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, reset_sequences=True))

    call_command("migrate", verbosity=0)
    empty()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    dossiers_bulk_create(bundles(options.persons))
    print(f"generated {options.persons:,} persons in {time.perf_counter() - started:.1f} s")

    first, second = Path(scratch) / "first.jsonl", Path(scratch) / "second.jsonl"
    started = time.perf_counter()
    rows = jsonl_export_to_path(first) - 1
    seconds = time.perf_counter() - started
    size = first.stat().st_size
    print(f"export: {rows:,} rows, {size / 1e6:.1f} MB in {seconds:.2f} s = {rows / seconds:,.0f} rows/s")

    empty()
    started = time.perf_counter()
    with first.open(encoding="utf-8") as stream:
        result = jsonl_import(stream)
    seconds = time.perf_counter() - started
    print(f"import: {result.total:,} rows in {seconds:.2f} s = {result.total / seconds:,.0f} rows/s")

    jsonl_export_to_path(second)
    a, b = first.read_text(encoding="utf-8").split("\n"), second.read_text(encoding="utf-8").split("\n")
    same = a[1:] == b[1:]
    print(f"second export identical to the first (header time aside): {same}")
    empty()
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

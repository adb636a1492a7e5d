"""habeas export: the whole database as JSON lines, for backup or a move to another database."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from habeas.importers.jsonl import DEFAULT_CHUNK_SIZE, exported_models, jsonl_export, jsonl_export_to_path


class Command(BaseCommand):
    help = (
        "Write the whole database (users with password hashes, history, sources, places, dossiers) as "
        "JSON lines: a backup an administrator restores with 'habeas import jsonl FILE' into an empty "
        "database. The file is confidential: it is written readable by its owner only (mode 0600), "
        "atomically (a failed export leaves no partial file).\n\n"
        "Examples:\n"
        "  habeas export backup.jsonl\n"
        "  habeas export - | gzip > backup.jsonl.gz"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write; '-' for standard output")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"rows read from the database at a time (default {DEFAULT_CHUNK_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        to_stdout = path == "-"
        started = time.monotonic()
        bar = tqdm(
            unit=" rows",
            unit_scale=True,
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            desc="export",
        )
        try:
            if to_stdout:
                stream: Any = getattr(self.stdout, "_out", self.stdout)
                lines = jsonl_export(stream, progress=bar.update, chunk_size=options["chunk_size"])
                stream.flush()
            else:
                lines = jsonl_export_to_path(path, progress=bar.update, chunk_size=options["chunk_size"])
        finally:
            bar.close()
        seconds = time.monotonic() - started
        rows = lines - 1
        message = (
            f"Exported {rows:,} rows of {len(exported_models())} models"
            f"{'' if to_stdout else f' to {path} (readable by its owner only)'}"
            f" in {seconds:.1f} s ({rows / seconds if seconds else 0:,.0f} rows/s)."
        )
        # With '-' the data goes to standard output, so the report goes to standard error.
        (self.stderr if to_stdout else self.stdout).write(message)

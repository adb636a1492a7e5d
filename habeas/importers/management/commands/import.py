"""habeas import: bring records in from other systems (``cecc``) or restore an export (``jsonl``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

MAX_LISTED = 200


class Command(BaseCommand):
    help = (
        "Import data.\n\n"
        "  habeas import cecc FILE [--strict] [--by USERNAME]   CECC Political Prisoner Database CSV\n"
        "  habeas import jsonl FILE   restore a 'habeas export' into an empty database"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="format", required=True, metavar="{cecc,jsonl}")
        cecc = sub.add_parser(
            "cecc",
            help="CECC Political Prisoner Database CSV export",
            description=(
                "Import a CECC Political Prisoner Database CSV file (UTF-8). Each row becomes a public "
                "dossier citing its record. Rows already imported are skipped; rows changed since their "
                "import are reported and not updated. Bad rows are listed as 'line N, field F: reason' and "
                "not written; the other rows are written in one transaction. Exits with status 1 if any "
                "row was bad."
            ),
        )
        cecc.add_argument("file", help="the CSV file")
        cecc.add_argument("--strict", action="store_true", help="write nothing if any row is bad")
        cecc.add_argument("--by", metavar="USERNAME", help="record the import as done by this user")
        cecc.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
        cecc.add_argument(
            "--batch-size", type=int, default=2000, help="rows written per batch (default 2000)"
        )
        jsonl = sub.add_parser("jsonl", help="restore a 'habeas export' file into an empty database")
        jsonl.add_argument("file", help="the JSON-lines file written by 'habeas export'")
        jsonl.add_argument("--by", metavar="USERNAME", help="the administrator doing the restore")
        jsonl.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        from habeas.accounts.models import User

        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user named {username!r}") from None

    def _bar(self, options: dict[str, Any], desc: str) -> tqdm:
        return tqdm(
            unit=" rows",
            unit_scale=True,
            file=sys.stderr,
            disable=options["no_progress"] or not sys.stderr.isatty(),
            desc=desc,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["format"] == "cecc":
            self.handle_cecc(options)
        else:
            self.handle_jsonl(options)

    def handle_jsonl(self, options: dict[str, Any]) -> None:
        from habeas.importers.jsonl import jsonl_import

        by = self._user(options.get("by"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        bar = self._bar(options, "import jsonl")
        try:
            with path.open(encoding="utf-8") as stream:
                result = jsonl_import(stream, by=by, progress=bar.update)
        except UnicodeDecodeError as error:
            raise CommandError(f"{path.name} is not UTF-8 ({error}). Nothing was written.") from None
        finally:
            bar.close()
        summary = getattr(result, "summary", None)
        self.stdout.write(summary() if callable(summary) else str(result))

    def handle_cecc(self, options: dict[str, Any]) -> None:
        from habeas.importers.cecc import CeccFileError, cecc_import

        by = self._user(options.get("by"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        bar = self._bar(options, "import cecc")
        try:
            result = cecc_import(
                path,
                by=by,
                strict=options["strict"],
                progress=bar.update,
                batch_size=options["batch_size"],
            )
        except CeccFileError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()

        for title, problems in (
            ("Bad rows (not imported)", result.bad),
            ("Changed since imported (not updated)", result.changed),
        ):
            if not problems:
                continue
            self.stdout.write(f"{title}: {len(problems):,}")
            for problem in problems[:MAX_LISTED]:
                self.stdout.write(f"  {problem}")
            if len(problems) > MAX_LISTED:
                self.stdout.write(f"  ... and {len(problems) - MAX_LISTED:,} more")
        self.stdout.write(result.summary())
        if result.bad:
            raise CommandError(
                f"{result.bad_rows:,} bad row(s)"
                + (
                    "; --strict: nothing was written."
                    if not result.written
                    else "; the other rows were imported."
                )
            )

"""habeas dialogue: statistics, daily alerts, list exports and response imports."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from habeas.accounts.models import Confidentiality

CLEARANCES = {str(c.label): c.value for c in Confidentiality}


class Command(BaseCommand):
    help = (
        "The dialogue from the command line: prisoner lists, government responses, clemency.\n\n"
        "  stats             the figures (lists handed, persons asked, responses, response rate by\n"
        "                    interlocutor and year, acts of clemency, median days to response)\n"
        "  alerts            releases expected within --days days, overdue releases, lists with no\n"
        "                    response after --list-days days, anniversaries of detention this week;\n"
        "                    prints nothing when nothing is due and exits non-zero only on an error,\n"
        "                    so cron mails only what matters\n"
        "  export LIST_ID    a list for handing over (PDF, CSV or DOCX), as --user may see it\n"
        "  import-responses  answers from a CSV file (all rows or none; bad rows named by row and\n"
        "                    column)\n\n"
        "stats and alerts read as --user, or, without one, at --clearance (default internal).\n\n"
        "Examples:\n"
        "  habeas dialogue stats --format json\n"
        "  habeas dialogue alerts --days 30 --list-days 90 --user rita\n"
        "  habeas dialogue export 12 --format pdf --user rita -o list-12.pdf\n"
        "  habeas dialogue import-responses answers.csv --list 12 --user rita"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        stats = sub.add_parser("stats", help="the figures (example: habeas dialogue stats --format json)")
        alerts = sub.add_parser(
            "alerts", help="what needs attention today (example: habeas dialogue alerts --days 30)"
        )
        for reader in (stats, alerts):
            reader.add_argument("--format", choices=["text", "json"], default="text")
            reader.add_argument("--user", help="read as this user (their clearance)")
            reader.add_argument(
                "--clearance",
                choices=list(CLEARANCES),
                default="internal",
                help="without --user: the highest level read (default internal)",
            )
        alerts.add_argument("--days", type=int, default=30, help="releases expected within this many days")
        alerts.add_argument(
            "--list-days", type=int, default=90, help="lists handed over this many days ago with no answer"
        )
        alerts.add_argument("--on", help="the day to compute for, YYYY-MM-DD (default today)")
        export = sub.add_parser(
            "export",
            help="export a list (example: habeas dialogue export 12 --format pdf --user rita -o l.pdf)",
        )
        export.add_argument("list_id", type=int)
        export.add_argument("--format", choices=["pdf", "csv", "docx"], required=True)
        export.add_argument(
            "--user", required=True, help="export as this user: nothing above their clearance"
        )
        export.add_argument(
            "-o", "--output", required=True, help="the file to write ('-' for standard output)"
        )
        imports = sub.add_parser(
            "import-responses",
            help="import answers (example: habeas dialogue import-responses a.csv --list 12 --user rita)",
        )
        imports.add_argument(
            "csv", help="the CSV file (UTF-8; columns: entry or person, type, received, text, ...)"
        )
        imports.add_argument("--list", type=int, required=True, dest="list_id")
        imports.add_argument("--user", required=True, help="who records the answers (a researcher or admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except (ValidationError, PermissionDenied) as refused:
            messages = getattr(refused, "messages", None) or [str(refused)]
            raise CommandError("\n".join(messages)) from refused

    # -- readers -----------------------------------------------------------------------------------
    def _user(self, name: str) -> Any:
        from habeas.accounts.models import User

        try:
            return User.objects.get(username=name, is_active=True)
        except User.DoesNotExist as missing:
            raise CommandError(f"no active user named {name!r}") from missing

    def _reader(self, options: dict[str, Any]) -> Any:
        from habeas.accounts.models import User

        if options.get("user"):
            return self._user(options["user"])
        # Never saved: a reader that exists only to carry a clearance through the selectors.
        return User(username="(cli)", clearance=CLEARANCES[options["clearance"]], is_active=True)

    def _stats(self, options: dict[str, Any]) -> None:
        from habeas.dialogue.stats import dialogue_stats, stats_text

        stats = dialogue_stats(self._reader(options))
        if options["format"] == "json":
            self.stdout.write(json.dumps(stats.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(stats_text(stats))

    def _alerts(self, options: dict[str, Any]) -> None:
        import datetime as dt

        from habeas.dialogue.alerts import dialogue_alerts

        if options["days"] < 0 or options["list_days"] < 0:
            raise CommandError("--days and --list-days must not be negative")
        try:
            on = dt.date.fromisoformat(options["on"]) if options.get("on") else None
        except ValueError as bad:
            raise CommandError(f"--on: {options['on']!r} is not a date (YYYY-MM-DD)") from bad
        alerts = dialogue_alerts(
            self._reader(options), days=options["days"], list_days=options["list_days"], on=on
        )
        if alerts.empty:
            return  # cron: silence means nothing to do
        if options["format"] == "json":
            self.stdout.write(json.dumps(alerts.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(alerts.as_text())

    # -- export and import -------------------------------------------------------------------------
    def _export(self, options: dict[str, Any]) -> None:
        from habeas.dialogue.exports import export_list
        from habeas.dialogue.models import PrisonerList

        user = self._user(options["user"])
        try:
            data = export_list(user, options["list_id"], options["format"])
        except PrisonerList.DoesNotExist as missing:
            raise CommandError(f"no list {options['list_id']} visible to {user.get_username()}") from missing
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            return
        path = Path(options["output"])
        try:
            # 0600: a list names prisoners; only its exporter reads the file until they share it.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
        except OSError as bad:
            raise CommandError(f"cannot write {path}: {bad.strerror}") from bad
        self.stderr.write(f"list {options['list_id']} written to {path} ({len(data)} bytes)")

    def _import_responses(self, options: dict[str, Any]) -> None:
        from habeas.dialogue.imports import MAX_BYTES, ImportRowsError, responses_import_csv
        from habeas.dialogue.models import PrisonerList
        from habeas.dialogue.selectors import prisoner_list_for_edit

        user = self._user(options["user"])
        try:
            prisoner_list = prisoner_list_for_edit(user, options["list_id"])
        except PrisonerList.DoesNotExist as missing:
            raise CommandError(f"no list {options['list_id']} visible to {user.get_username()}") from missing
        path = Path(options["csv"])
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as bad:
            raise CommandError(f"cannot read {path}: {bad.strerror}") from bad
        try:
            created = responses_import_csv(prisoner_list=prisoner_list, data=data, by=user)
        except ImportRowsError as bad:
            raise CommandError(
                f"nothing imported: {len(bad.errors)} problem(s) in {path}\n"
                + "\n".join(str(e) for e in bad.errors)
            ) from bad
        self.stdout.write(f"{len(created)} responses imported into list {prisoner_list.pk}.")

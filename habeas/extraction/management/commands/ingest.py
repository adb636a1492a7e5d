"""habeas ingest: files and folders of documents become sources."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from habeas.accounts.models import Confidentiality
from habeas.extraction.readers import SUFFIXES, ReadError
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.sources.models import Reliability, SourceKind


def _partial_date(value: str) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except PartialDateError as error:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date like 2010, 2010-05 or 2010-05-03 ({error})"
        ) from None


def _confidentiality(value: str) -> int:
    levels = {label: int(level) for level, label in Confidentiality.choices}
    if value.isdigit() and int(value) in levels.values():
        return int(value)
    if value.lower() in levels:
        return levels[value.lower()]
    raise argparse.ArgumentTypeError(f"{value!r}: choose {', '.join(levels)}")


def documents_under(paths: list[Path]) -> Iterator[Path]:
    """Named files as they are; folders searched recursively for .txt, .html and .pdf files (hidden
    files and folders skipped), in a stable order."""
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.is_file() and not hidden and found.suffix.lower() in SUFFIXES:
                    yield found
        else:
            yield path


def _reason(path: Path, error: Exception) -> str:
    """What went wrong, starting with the file's path."""
    if isinstance(error, ValidationError):
        reason = "; ".join(error.messages)
    elif isinstance(error, ReadError):
        reason = str(error)
    else:
        reason = f"unexpected {type(error).__name__}: {error}"
    return reason if reason.startswith(str(path)) else f"{path}: {reason}"


class Command(BaseCommand):
    help = (
        "Store documents (plain text as scraped from a web page, HTML, PDF) as sources, once per text.\n\n"
        "Each file becomes a source with the title, publisher, publication date and language found in it; "
        "options given here win over what is found. Folders are searched recursively for .txt, .html and "
        ".pdf files. A text already stored is reported as 'already stored as source N'. A file that cannot "
        "be read is reported with its path and the reason, and the others are still stored (each file in "
        "its own transaction); the exit status is 1 if any failed.\n\n"
        "Example:\n"
        "  habeas ingest reports/2011/ notice.pdf --publisher 'Harbour Watch' --kind news "
        "--confidentiality internal --by rita"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
        parser.add_argument("--title", help="title (else the document's own)")
        parser.add_argument("--publisher", help="publisher (else the document's own)")
        parser.add_argument(
            "--published", type=_partial_date, help="publication date: 2010, 2010-05 or 2010-05-03"
        )
        parser.add_argument("--language", help="BCP 47 tag, e.g. en, zh-Hans (else detected)")
        parser.add_argument("--url", help="the address the document came from (http or https)")
        parser.add_argument(
            "--kind", choices=SourceKind.values, default=SourceKind.OTHER, help="kind of source"
        )
        official = parser.add_mutually_exclusive_group()
        official.add_argument(
            "--official", dest="official", action="store_true", default=None, help="issued by the state"
        )
        official.add_argument(
            "--unofficial", dest="official", action="store_false", help="not issued by the state"
        )
        parser.add_argument(
            "--reliability",
            choices=Reliability.values,
            default=Reliability.F,
            help="A (reliable) to F (unknown)",
        )
        parser.add_argument(
            "--confidentiality",
            type=_confidentiality,
            default=int(Confidentiality.INTERNAL),
            help="public, internal (default) or restricted",
        )
        parser.add_argument("--by", metavar="USERNAME", help="record the sources as added by this user")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        from habeas.accounts.models import User

        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user named {username!r}") from None
        return user

    def _report(self, line: str, stream: Any) -> None:
        # Written around the progress bar, not through it.
        with tqdm.external_write_mode(file=sys.stderr):
            stream.write(line)

    def handle(self, *args: Any, **options: Any) -> None:
        from habeas.extraction.services import document_ingest

        by = self._user(options["by"])
        if by is not None and options["confidentiality"] > by.clearance:
            raise CommandError(
                f"{by.username} is not cleared for {Confidentiality(options['confidentiality']).label}"
            )
        overrides = {
            key: options[key]
            for key in (
                "title",
                "publisher",
                "published",
                "language",
                "url",
                "kind",
                "official",
                "reliability",
            )
        }
        overrides["confidentiality"] = options["confidentiality"]
        paths = list(documents_under(options["paths"]))
        counts = {"stored": 0, "already": 0, "failed": 0}
        bar = tqdm(
            paths,
            unit=" files",
            file=sys.stderr,
            disable=options["no_progress"] or not sys.stderr.isatty(),
            desc="ingest",
        )
        for path in bar:
            try:
                result = document_ingest(path_or_bytes=path, by=by, **overrides)
            except Exception as error:  # one bad file, whatever went wrong, must not stop the others
                counts["failed"] += 1
                self._report(f"failed: {_reason(path, error)}", self.stderr)
                continue
            if result.created:
                counts["stored"] += 1
                line = f"stored as source {result.source.pk}: {path} ({result.source.title})"
            else:
                counts["already"] += 1
                line = f"{path}: already stored as source {result.source.pk}"
            self._report(line, self.stdout)
        summary = f"{counts['stored']} stored, {counts['already']} already stored, {counts['failed']} failed"
        if not paths:
            raise CommandError("no documents found (.txt, .html, .pdf) under the paths given")
        if counts["failed"]:
            raise CommandError(summary)
        self.stdout.write(summary)

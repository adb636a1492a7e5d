"""habeas extract: one document's candidate facts as JSON, nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from habeas.extraction.dates import parse_published
from habeas.extraction.readers import ReadError, document_read
from habeas.lib.dates import PartialDateError


class Command(BaseCommand):
    help = (
        "Print the candidate facts of one document (plain text, HTML or PDF) as one JSON object: persons "
        "with their role, detention, sentence, charges and statutes, place, status and health; access "
        "events; allegations. Every fact cites spans (character offsets) of the document's text: the file "
        "itself for plain text, the text read from it for HTML and PDF. Writes nothing to the database.\n\n"
        "Example: habeas extract report.txt --published 2011-03-04"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the document (.txt, .html or .pdf)")
        parser.add_argument(
            "--published",
            metavar="YYYY-MM-DD",
            help="publication date that relative dates are read against (default: the date the document "
            "states, if any)",
        )
        parser.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")

    def handle(self, *args: Any, **options: Any) -> None:
        from habeas.extraction.extract import extract

        path: Path = options["path"]
        published: str | None = options["published"]
        if published:
            try:
                parse_published(published)
            except PartialDateError as error:
                raise CommandError(f"--published: {error}") from None
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read it ({error.strerror or error})") from None
        try:
            document = document_read(data, name=str(path))
        except ReadError as error:
            raise CommandError(str(error)) from None
        if not published and document.metadata.published:
            published = document.metadata.published.isoformat().rstrip("~")
        result = extract(document.text, published=published)
        result["format"] = document.format
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=options["indent"]))

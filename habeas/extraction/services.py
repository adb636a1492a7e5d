"""Writes for intake: a document (a file's path or its bytes) becomes a Source.

The same function serves ``habeas ingest``, the upload form and the review queue's intake, so every way
in reads, dates and stores a document alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from habeas.extraction.readers import Document, ReadError, document_read
from habeas.lib.dates import PartialDate
from habeas.sources.models import Source
from habeas.sources.services import source_store

# What a user may say instead of what the document says (an empty value means "not given").
OVERRIDES = {
    "title",
    "publisher",
    "published",
    "language",
    "url",
    "kind",
    "official",
    "reliability",
    "confidentiality",
    "external_ref",
}
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class IngestResult:
    source: Source
    created: bool  # False: the same text was already stored, as ``source``
    document: Document  # what was read, with the metadata found in it


def document_load(path_or_bytes: Path | str | bytes, *, name: str = "") -> tuple[bytes, str]:
    """A file's bytes and the name to report it by."""
    if isinstance(path_or_bytes, bytes):
        return path_or_bytes, name
    path = Path(path_or_bytes)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise ReadError(f"{path}: {size:,} bytes, more than the {MAX_DOCUMENT_BYTES:,} a document may be")
        return path.read_bytes(), name or str(path)
    except OSError as error:
        raise ReadError(f"{path}: cannot be read ({error.strerror or error})") from None


def document_ingest(
    *,
    path_or_bytes: Path | str | bytes,
    by: Any = None,
    name: str = "",
    today: dt.date | None = None,
    fill: bool = True,
    **overrides: Any,
) -> IngestResult:
    """Read a document and store it as a Source, once per content hash.

    Title, publisher, publication date, language and address come from the document unless given in
    ``overrides`` (which also take kind, official, reliability, confidentiality, external_ref); an
    empty value counts as not given. With ``fill=False`` the overrides are final and nothing is taken
    from the document (the upload form: its fields showed what was found, and one the user emptied
    stays empty). Raises ``ReadError`` (unreadable file) or ``ValidationError`` (bad metadata);
    nothing is written then.
    """
    unknown = set(overrides) - OVERRIDES
    if unknown:
        raise TypeError(f"document_ingest() got unknown metadata: {', '.join(sorted(unknown))}")
    data, label = document_load(path_or_bytes, name=name)
    document = document_read(data, name=label, today=today)
    found = document.metadata
    given = {key: value for key, value in overrides.items() if value not in (None, "")}
    metadata: dict[str, Any] = {
        "title": found.title or Path(label).stem.replace("_", " ") or "(untitled)",
        "publisher": found.publisher[:300],
        "published": found.published,
        "language": found.language,
        "url": found.url,
    }
    if not fill:
        metadata = {"title": metadata["title"]}  # the service still needs a title
    metadata.update(given)
    if isinstance(metadata.get("published"), str):
        metadata["published"] = PartialDate.parse(metadata["published"])
    with transaction.atomic():
        source, created = source_store(text=document.text, by=by, **metadata)
    return IngestResult(source=source, created=created, document=document)

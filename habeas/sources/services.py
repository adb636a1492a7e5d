"""Writes for sources and citations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from habeas.accounts.models import Confidentiality
from habeas.audit.services import diff, field_values, history_record
from habeas.lib.dates import PartialDate
from habeas.sources.models import Citation, Source, SourceKind, content_hash

OFFICIAL_KINDS = {
    SourceKind.VERDICT,
    SourceKind.STATE_MEDIA,
    SourceKind.OFFICIAL,
    SourceKind.GOVERNMENT_RESPONSE,
}


class EditConflict(Exception):
    """Someone else saved the record after this edit began; nothing was written."""


def url_check(url: str) -> str:
    """A source's address: empty, or an absolute http(s) URL (it becomes a link on the source page)."""
    url = url.strip()
    if url and urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValidationError({"url": f"the address must start with http:// or https:// (got {url[:80]!r})"})
    return url


@transaction.atomic
def source_store(
    *,
    text: str,
    title: str,
    by: Any = None,
    publisher: str = "",
    url: str = "",
    published: PartialDate | str | None = None,
    language: str = "",
    kind: str = SourceKind.OTHER,
    official: bool | None = None,
    reliability: str = "F",
    confidentiality: int = Confidentiality.INTERNAL,
    external_ref: str = "",
) -> tuple[Source, bool]:
    """Store a document once per content hash. Returns ``(source, created)``."""
    if not text or not text.strip():
        raise ValidationError({"text": "a source needs its text"})
    existing = Source.objects.filter(content_hash=content_hash(text)).first()
    if existing is not None:
        return existing, False
    source = Source(  # type: ignore[misc]  # PartialDateField takes a PartialDate; the stubs see text
        text=text,
        title=title.strip()[:500] or "(untitled)",
        publisher=publisher,
        url=url_check(url),
        published=published,
        language=language,
        kind=kind,
        official=(kind in OFFICIAL_KINDS) if official is None else official,
        reliability=reliability,
        confidentiality=confidentiality,
        external_ref=external_ref,
        created_by=by if getattr(by, "pk", None) else None,
    )
    source.full_clean(exclude=["content_hash"])
    source.save()
    history_record(obj=source, action="create", by=by, changes={"title": [None, source.title]})
    return source, True


# The text is not editable: citations point into it by offset. A corrected text is a new source.
SOURCE_EDITABLE = {
    "title",
    "publisher",
    "url",
    "published",
    "language",
    "kind",
    "official",
    "reliability",
    "confidentiality",
}


@transaction.atomic
def source_update(*, source: Source, version: int, by: Any, **changes: Any) -> Source:
    """Change a source's metadata, refusing the save if someone else saved since ``version``."""
    unknown = set(changes) - SOURCE_EDITABLE
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = Source.objects.select_for_update().get(pk=source.pk)
    if current.version != version:
        raise EditConflict(
            f"“{current}” was changed by someone else (version {current.version}, your edit began at "
            f"version {version}); nothing was saved. Reload to see their change, then edit again."
        )
    if "url" in changes:
        changes["url"] = url_check(changes["url"] or "")
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()[:500]
        if not changes["title"]:
            raise ValidationError({"title": "a source needs a title"})
    before = field_values(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean(exclude=["content_hash"])
    current.version = F("version") + 1  # type: ignore[assignment]
    current.save()
    current.refresh_from_db()
    changed = diff(before, field_values(current, changes))
    if changed:
        history_record(obj=current, action="update", by=by, changes=changed)
    return current


def span_check(source: Source, start: int, end: int, quote: str | None = None) -> str:
    """The quoted text for a span, or a ValidationError that says what is wrong with it."""
    if start < 0 or end <= start:
        raise ValidationError(f"span {start}:{end} is empty or reversed")
    if end > len(source.text):
        raise ValidationError(
            f"span {start}:{end} runs past the end of the source ({len(source.text)} characters)"
        )
    found = source.text[start:end]
    if quote is not None and quote != found:
        raise ValidationError(f"the quote does not match the source text at {start}:{end}")
    return found


@transaction.atomic
def citation_get_or_create(
    *, source: Source, start: int, end: int, by: Any = None, quote: str | None = None
) -> Citation:
    """The citation for a span of a source, made once and shared by every fact that cites it."""
    found = span_check(source, start, end, quote)
    citation, _ = Citation.objects.get_or_create(
        source=source,
        start=start,
        end=end,
        defaults={"quote": found, "created_by": by if getattr(by, "pk", None) else None},
    )
    return citation


def citation_for_quote(*, source: Source, quote: str, by: Any = None, occurrence: int = 0) -> Citation:
    """Cite a quote by its words: the n-th occurrence of ``quote`` in the source text."""
    start = -1
    for _ in range(occurrence + 1):
        start = source.text.find(quote, start + 1)
        if start < 0:
            raise ValidationError(f"the source does not contain the quote {quote[:80]!r}")
    return citation_get_or_create(source=source, start=start, end=start + len(quote), by=by)

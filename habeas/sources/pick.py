"""Reads for the citation picker of the edit forms: sources the asking user may read, found by title or
publisher, and one of them with its text. A source above the user's clearance is never offered and,
asked for by number, is answered exactly like a missing one."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from habeas.accounts.selectors import visible_q
from habeas.sources.models import Source

Reader = Any  # User | AnonymousUser | None


def sources_to_cite(user: Reader, q: str, *, limit: int = 20) -> list[Source]:
    """Visible sources whose title or publisher contains every word of ``q`` (texts left unread)."""
    words = q.split()[:10]
    if not words:
        return []
    found = Source.objects.filter(**visible_q(user))
    for word in words:
        found = found.filter(Q(title__icontains=word) | Q(publisher__icontains=word))
    return list(found.defer("text", "content_hash").order_by("-published", "title", "pk")[:limit])


def source_to_cite(user: Reader, pk: int | str | None) -> Source:
    """One visible source with its text; ``Source.DoesNotExist`` when missing or above clearance."""
    try:
        number = int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError) as bad:
        raise Source.DoesNotExist(f"no source {pk!r}") from bad
    return Source.objects.filter(**visible_q(user)).get(pk=number)

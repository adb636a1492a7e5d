"""What the ``habeas access`` and ``habeas benchmarks`` commands share: the named user, citations given
as --source/--quote or --unsourced, levels by name, JSON output."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from habeas.accounts.models import Confidentiality, User
from habeas.accounts.selectors import visible_q
from habeas.dossiers.selectors import Cited
from habeas.sources.models import Source
from habeas.sources.services import citation_for_quote

LEVELS = {
    "public": Confidentiality.PUBLIC,
    "internal": Confidentiality.INTERNAL,
    "restricted": Confidentiality.RESTRICTED,
}


def reader_user(username: str) -> User:
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist as missing:
        raise CommandError(f"no active user named {username!r}") from missing


def writer_user(username: str) -> User:
    user = reader_user(username)
    if not user.can_edit:
        raise CommandError(f"{username} may not change records (only researchers and administrators)")
    return user


def level(options: dict[str, Any], default: int | None = None) -> int | None:
    name = options.get("confidentiality")
    return LEVELS[name] if name else default


def citation_args(options: dict[str, Any], user: User) -> dict[str, Any]:
    """citations=[...] from --source/--quote, or unsourced=True; exactly one of them."""
    source_pk, quote, unsourced = options.get("source"), options.get("quote"), options.get("unsourced")
    if unsourced and (source_pk or quote):
        raise CommandError("give either --source with --quote, or --unsourced, not both")
    if unsourced:
        return {"citations": [], "unsourced": True, "by": user}
    if not source_pk or not quote:
        raise CommandError('cite the source: --source N --quote "exact words" (or --unsourced)')
    try:
        source = Source.objects.get(pk=source_pk, **visible_q(user))
    except Source.DoesNotExist as missing:
        raise CommandError(f"no source {source_pk} visible to {user.get_username()}") from missing
    return {
        "citations": [citation_for_quote(source=source, quote=quote, by=user)],
        "unsourced": False,
        "by": user,
    }


def cited(item: Cited[Any]) -> dict[str, Any]:
    """A fact's sources for JSON: titles of the visible ones; a hidden source only as "restricted"."""
    return {
        "sources": [c.title if not c.restricted else "restricted source" for c in item.citations],
        "unsourced": item.unsourced,
    }


def refused(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(problems)}" for name, problems in error.message_dict.items())
    return "; ".join(error.messages)


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)

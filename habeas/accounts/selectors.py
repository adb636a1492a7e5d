from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from habeas.accounts.models import Confidentiality, User


def user_clearance(user: User | AnonymousUser | None) -> int:
    """Anonymous and inactive users see public records only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Confidentiality.PUBLIC
    assert isinstance(user, User)
    return int(user.clearance)


def visible_q(user: User | AnonymousUser | None, prefix: str = "") -> dict[str, Any]:
    """Filter kwargs that keep rows at or below the user's clearance (``prefix`` for joins)."""
    return {f"{prefix}confidentiality__lte": user_clearance(user)}

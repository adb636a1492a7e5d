"""Who may write: researchers and admins. Others get 403 on every form URL, whatever record it names,
so the answer says nothing about which records exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def editor_required(view: View) -> View:
    """Signed in (else to the sign-in page) and allowed to edit (else 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "can_edit", False):
            raise PermissionDenied("Only researchers and administrators may change records.")
        return view(request, *args, **kwargs)

    return login_required(wrapper)

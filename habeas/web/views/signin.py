"""Sign-in throttling hooks for django-axes (configured in settings): who the client is, and the page a
locked-out sign-in gets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address failures are counted against.

    ``REMOTE_ADDR``, unless ``HABEAS_PROXY_COUNT`` reverse proxies stand in front of the app: each
    appends the address it received from to X-Forwarded-For, so the client is the entry that the
    outermost proxy appended, counted from the right. Entries further left are whatever the client sent
    and are ignored.
    """
    count: int = settings.HABEAS_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page again, with a message that names no user and says nothing of whether the user
    name exists; 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "web/login.html",
        {"form": AuthenticationForm(request), "locked_out": True, "cooloff_minutes": minutes},
        status=429,
    )

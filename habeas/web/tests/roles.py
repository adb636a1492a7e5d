"""The role x URL matrix's shared parts: every area of the web app keeps its own matrix in its own tests
(test_access_matrix.py for dossiers, sources, places and review) and checks it the same way."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse

# The order of each matrix row's expected statuses (the ``as_role`` fixture signs in as each).
ROLES = ("admin", "researcher", "reviewer", "viewer", "anonymous")


def assert_answer(response: HttpResponse, expected: int, *, redirect_to_login: bool = True) -> None:
    """The expected status; a 302 (the signed-out visitor) must lead to the sign-in page."""
    assert response.status_code == expected
    if response.status_code == 302 and redirect_to_login:
        assert response["Location"].startswith(reverse("web:login") + "?next=")

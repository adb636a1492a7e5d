"""Fixtures shared by every test: one user per role, each with the clearance that role usually has."""

from __future__ import annotations

import pytest

from habeas.accounts.models import Confidentiality, Role, User

PASSWORD = "correct horse battery staple 42"  # noqa: S105 - test-only


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Argon2 is deliberately slow; tests that sign in many times use a fast hasher instead.

    ``habeas/accounts/tests`` checks that the real settings hash with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Selectors cache a few reads (the person list's filter choices); each test starts without them."""
    from django.core.cache import cache

    cache.clear()


def _persona(username: str, role: str, clearance: int) -> User:
    user = User(username=username, role=role, clearance=clearance)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def admin_user(db) -> User:
    return _persona("ada", Role.ADMIN, Confidentiality.RESTRICTED)


@pytest.fixture
def researcher(db) -> User:
    return _persona("rita", Role.RESEARCHER, Confidentiality.RESTRICTED)


@pytest.fixture
def reviewer(db) -> User:
    return _persona("rene", Role.REVIEWER, Confidentiality.INTERNAL)


@pytest.fixture
def viewer(db) -> User:
    """A viewer cleared for public records only: the lowest signed-in persona."""
    return _persona("vera", Role.VIEWER, Confidentiality.PUBLIC)


@pytest.fixture
def personas(admin_user, researcher, reviewer, viewer) -> dict[str, User]:
    return {"admin": admin_user, "researcher": researcher, "reviewer": reviewer, "viewer": viewer}

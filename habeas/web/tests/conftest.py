"""Fixtures shared by the web app's page tests."""

from __future__ import annotations

import pytest

from conftest import _persona
from habeas.accounts.models import Confidentiality, Role


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client, signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def as_role(client, personas):
    """``as_role("viewer")``: the test client signed in with that persona ("anonymous": signed out)."""

    def sign_in(role: str):
        if role != "anonymous":
            client.force_login(personas[role])
        return client

    return sign_in


@pytest.fixture
def low_researcher(db):
    """A researcher cleared for internal records only."""
    return _persona("lena", Role.RESEARCHER, Confidentiality.INTERNAL)

"""Fixtures shared by the web app's page tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client, signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in

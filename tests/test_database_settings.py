"""Database connection settings: JIT off on PostgreSQL (habeas/settings.py, bench/RESULTS.md section 2)."""

from __future__ import annotations

import pytest
from django.db import connection

from habeas.settings import _without_jit


@pytest.mark.django_db
def test_postgresql_connection_has_jit_off() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", "-c jit=off"),
        ("-c statement_timeout=5000", "-c statement_timeout=5000 -c jit=off"),
        # The deployer's own jit setting is kept, however it is written.
        ("-c jit=on", "-c jit=on"),
        ("-c statement_timeout=5000 -cjit=on", "-c statement_timeout=5000 -cjit=on"),
        ("--jit=on", "--jit=on"),
        # Another setting whose name ends in "jit" is not the jit setting.
        ("-c myjit=1", "-c myjit=1 -c jit=off"),
    ],
)
def test_jit_off_merges_with_options(given: str, expected: str) -> None:
    assert _without_jit(given) == expected

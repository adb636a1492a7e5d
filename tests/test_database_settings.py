"""Database connection settings on PostgreSQL: JIT off, random_page_cost 1.1 (habeas/settings.py,
bench/RESULTS.md section 2)."""

from __future__ import annotations

import pytest
from django.db import connection

from habeas.settings import POSTGRESQL_SETTINGS, _with_settings


@pytest.mark.django_db
def test_postgresql_connection_has_jit_off_and_ssd_page_costs() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's settings")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", "-c jit=off -c random_page_cost=1.1"),
        ("-c statement_timeout=5000", "-c statement_timeout=5000 -c jit=off -c random_page_cost=1.1"),
        # The deployer's own setting is kept, however it is written.
        ("-c jit=on", "-c jit=on -c random_page_cost=1.1"),
        ("-c statement_timeout=5000 -cjit=on", "-c statement_timeout=5000 -cjit=on -c random_page_cost=1.1"),
        ("--jit=on -c random_page_cost=2", "--jit=on -c random_page_cost=2"),
        # Another setting whose name ends in "jit" is not the jit setting.
        ("-c myjit=1", "-c myjit=1 -c jit=off -c random_page_cost=1.1"),
    ],
)
def test_settings_merge_with_options(given: str, expected: str) -> None:
    assert _with_settings(given, POSTGRESQL_SETTINGS) == expected

"""Small query helpers shared by the apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def distinct_values(rows: QuerySet[Any], column: str) -> list[str]:
    """The distinct non-empty values of a text column among ``rows``, sorted: what a filter offers."""
    return list(
        rows.order_by().exclude(**{column: ""}).values_list(column, flat=True).distinct().order_by(column)
    )

"""Small template helpers for the access pages."""

from __future__ import annotations

from django import template

from habeas.access.models import GuaranteeState, NegotiationStatus, Rating

register = template.Library()


@register.filter
def status_label(value: str | None) -> str:
    """A negotiation status in words ("dates set" for ``scheduled``); nothing for no status."""
    return str(NegotiationStatus(value).label) if value in NegotiationStatus.values else ""


@register.filter
def guarantee_state_label(value: str | None) -> str:
    return str(GuaranteeState(value).label) if value in GuaranteeState.values else ""


@register.filter
def rating_label(value: int | None) -> str:
    return str(Rating(value).label) if value in Rating.values else ""


@register.filter
def rating_class(value: int | None) -> str:
    """A CSS class per rating: ``rating-n1`` (regression) to ``rating-3`` (met)."""
    if value not in Rating.values:
        return "rating-none"
    return f"rating-{value}" if value >= 0 else f"rating-n{-value}"

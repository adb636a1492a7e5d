"""Small template helpers for dossier pages."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from habeas.lib.dates import PartialDate, Precision

register = template.Library()


@register.filter
def place_url(place_id: int | None) -> str:
    """The place's page, or nothing where there is no id (an undisclosed place) or no place pages."""
    if not place_id:
        return ""
    try:
        return reverse("web:place_detail", args=[place_id])
    except NoReverseMatch:
        return ""


@register.filter
def precision(date: PartialDate | None) -> str:
    """How much of a partial date is known, said in words for the title of a <time> element."""
    if date is None:
        return ""
    known = {
        Precision.YEAR: _("known to the year"),
        Precision.MONTH: _("known to the month"),
        Precision.DAY: _("exact day"),
    }[date.precision]
    return f"{known}, {_('approximate')}" if date.circa else known

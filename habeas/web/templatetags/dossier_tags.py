"""Small template helpers for dossier pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
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


@register.simple_tag
def citation_list(citations: list[Any]) -> SafeString:
    """The citations of a fact (``web/_citations.html``), written in Python: a dossier shows one list
    per fact, and an included template per fact cost more than the selector's queries. A source the
    reader may not see is named as restricted only; every value is escaped."""
    if not citations:
        return format_html('<p class="unsourced">{}</p>', _("entered without a source"))
    items = []
    for c in citations:
        if c.restricted:
            items.append(format_html('<li class="cite restricted">{}</li>', _("restricted source")))
            continue
        url = reverse("web:source_detail", args=[c.source_id]) + f"?cite={c.id}#cite-{c.id}"
        where = (", " + c.publisher if c.publisher else "") + (
            ", " + c.published.display() if c.published else ""
        )
        items.append(
            format_html(
                '<li class="cite"><a href="{}">{}</a>{} <span class="badge {}">{}</span>'
                "<blockquote>{}</blockquote></li>",
                url,
                c.title,
                where,
                "official" if c.official else "unofficial",
                _("official") if c.official else _("unofficial"),
                Truncator(c.quote).chars(400),
            )
        )
    return format_html('<ul class="citations">{}</ul>', mark_safe("".join(items)))  # noqa: S308 (escaped above)

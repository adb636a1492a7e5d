"""The citation picker's two reads, as JSON for web/edit.js: sources found by title or publisher, and one
source's text, in which the user selects the words that support a fact. Only sources the user may read;
one above their clearance is a 404, like a missing one. The text goes out as JSON data and web/edit.js
puts it in the page as text (never as HTML), so the offsets it reads back are offsets into this text."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from habeas.sources.models import Source
from habeas.sources.pick import source_to_cite, sources_to_cite
from habeas.web.views.edit import editor_required


@editor_required
@never_cache  # source titles and texts within the user's clearance: not for any cache
@require_GET
def pick_sources_view(request: HttpRequest) -> JsonResponse:
    found = sources_to_cite(request.user, request.GET.get("q", "")[:200])
    return JsonResponse(
        {
            "results": [
                {
                    "id": s.pk,
                    "title": s.title,
                    "publisher": s.publisher,
                    "published": s.published.display() if s.published else "",
                }
                for s in found
            ]
        }
    )


@editor_required
@never_cache
@require_GET
def pick_source_view(request: HttpRequest, pk: int) -> JsonResponse:
    try:
        source = source_to_cite(request.user, pk)
    except Source.DoesNotExist as missing:
        raise Http404 from missing
    return JsonResponse({"id": source.pk, "title": source.title, "text": source.text})

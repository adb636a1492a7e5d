"""Source pages: a source with its text, the cited span highlighted, and the facts that cite it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from habeas.sources.models import Source
from habeas.sources.selectors import source_detail as read_source


@login_required
@require_GET
def source_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = read_source(request.user, pk, cite=request.GET.get("cite"))
    except Source.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "web/source_detail.html", {"detail": detail, "source": detail.source})

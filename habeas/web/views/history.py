"""History pages: each record's changes (who, when, each field before and after), for readers cleared
for internal records and for the record itself (see habeas.web.history)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from habeas.web.history import RecordNotFound, record_history


@login_required
@require_GET
def history_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    try:
        history = record_history(request.user, kind, pk)
    except RecordNotFound as missing:
        raise Http404 from missing
    return render(request, "web/history.html", {"history": history})

"""History pages: each record's changes (who, when, each field before and after), for readers cleared
for internal records and for the record itself (see habeas.web.history)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from habeas.dossiers.models import Person
from habeas.places.models import Place
from habeas.web.history import RecordNotFound, record_history
from habeas.web.views._merged import merged_into

MERGEABLE: dict[str, type[Person] | type[Place]] = {"person": Person, "place": Place}


@login_required
@require_GET
def history_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    try:
        history = record_history(request.user, kind, pk)
    except RecordNotFound as missing:
        raise Http404 from missing
    # A merged-away record's history stays readable (the merge and undo pages link to it); it says
    # where the record went, when the reader may see that.
    if kind in MERGEABLE:
        try:
            survivor = merged_into(request.user, MERGEABLE[kind], pk)
        except Http404:
            survivor = None
        if survivor is not None:
            messages.info(
                request,
                _("This record was merged into #%(survivor)s: its facts are there now.")
                % {"survivor": survivor},
            )
    return render(request, "web/history.html", {"history": history})

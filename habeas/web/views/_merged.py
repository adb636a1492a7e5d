"""Pages of a merged-away dossier or place (habeas.linkage.merge: ``merged_into`` is set).

Such a record is no longer live: its facts are on the survivor. A page asked for by GET leads to the
same page of the survivor with a notice; a POST that would write to it is refused (409) and writes
nothing, since what the user typed was meant for a record that no longer stands on its own. A reader
not cleared for the merged-away record, or for its survivor, gets 404 as for any record they cannot see.
The history page stays reachable (the merge and undo pages link to it): it only reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from habeas.accounts.selectors import user_clearance
from habeas.dossiers.models import Person
from habeas.linkage.merge import final_survivor
from habeas.places.models import Place

View = Callable[..., HttpResponse]
MergeableModel = type[Person] | type[Place]


def merged_into(user: Any, model: MergeableModel, pk: int) -> int | None:
    """The live record a merged-away record ``pk`` now lives on, or None when ``pk`` is live (or not
    visible to ``user``: the view then answers as it does for any unseen record). Raises Http404 when
    the record is visible but its survivor is not."""
    clearance = user_clearance(user)
    merged = (
        model._base_manager.filter(pk=pk, confidentiality__lte=clearance)
        .values_list("merged_into_id", flat=True)
        .first()
    )
    if merged is None:
        return None
    survivor = final_survivor(model, pk)
    if survivor == pk or not model._base_manager.filter(pk=survivor, confidentiality__lte=clearance).exists():
        raise Http404
    return survivor


def _notice(model: MergeableModel) -> str:
    if model is Person:
        return _("Dossier #%(pk)s was merged into dossier #%(survivor)s: this is that dossier.")
    return _("Place #%(pk)s was merged into place #%(survivor)s: this is that place.")


def _refusal(model: MergeableModel) -> str:
    if model is Person:
        return _(
            "Not saved: dossier #%(pk)s was merged into dossier #%(survivor)s and can no longer be "
            "changed. Make the change on dossier #%(survivor)s."
        )
    return _(
        "Not saved: place #%(pk)s was merged into place #%(survivor)s and can no longer be changed. "
        "Make the change on place #%(survivor)s."
    )


def merged_answer(
    request: HttpRequest, model: MergeableModel, pk: int, *, survivor_page: str | None = None
) -> HttpResponse | None:
    """None when record ``pk`` is live; else the answer for a merged-away one: GET leads to the
    survivor's ``survivor_page`` (a URL name taking its number; default: this same page of the
    survivor) with a notice, any other method is refused with 409 and nothing written."""
    survivor = merged_into(request.user, model, pk)
    if survivor is None:
        return None
    numbers = {"pk": pk, "survivor": survivor}
    if survivor_page is None:
        survivor_url = _same_page(request, survivor)
    else:
        survivor_url = reverse(survivor_page, args=[survivor])
    if request.method in ("GET", "HEAD"):
        messages.info(request, _notice(model) % numbers)
        return HttpResponseRedirect(survivor_url)
    return render(
        request,
        "web/merged_refused.html",
        {"message": _refusal(model) % numbers, "survivor_url": survivor_url},
        status=409,
    )


def _same_page(request: HttpRequest, survivor: int) -> str:
    """The URL of the page asked for, with the survivor's number in place of the merged record's."""
    match = request.resolver_match
    assert match is not None and match.url_name
    kwargs = {**match.kwargs, "pk": survivor}
    url = reverse(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name, kwargs=kwargs)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def follows_merge(model: MergeableModel) -> Callable[[View], View]:
    """For views of one person or place (``pk``): a merged-away record's answer (see merged_answer)
    before the view runs."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            answer = merged_answer(request, model, kwargs["pk"])
            return answer if answer is not None else view(request, *args, **kwargs)

        return wrapper

    return decorate

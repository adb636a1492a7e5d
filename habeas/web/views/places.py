"""Place pages: the list of places of detention with current prisoner counts, one place with its
names, population over time and prisoners, and the forms that add or change a place and its counts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from habeas.places.models import Place
from habeas.places.selectors import place_detail, place_facets, place_for_edit, place_list, place_names
from habeas.places.services import PLACE_EDITABLE, EditConflict, place_create, place_update, population_record
from habeas.sources.models import Source
from habeas.sources.selectors import source_for_edit
from habeas.web.forms_places import PlaceFilterForm, PlaceForm, PopulationForm
from habeas.web.views._access import editor_required
from habeas.web.views._merged import follows_merge

FILTERS = ("q", "kind", "province", "authority")


@login_required
@require_GET
def place_list_view(request: HttpRequest) -> HttpResponse:
    form = PlaceFilterForm(request.GET or None, facets=place_facets(request.user))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    page = place_list(
        request.user,
        q=data.get("q") or "",
        kind=data.get("kind") or "",
        province=data.get("province") or "",
        authority=data.get("authority") or "",
        sort=data.get("sort") or "name",
        page=request.GET.get("page") or 1,
    )
    return render(
        request,
        "web/place_list.html",
        {
            "form": form,
            "page": page,
            "places": page.object_list,
            "filtered": any(data.get(k) for k in FILTERS),
        },
    )


@login_required
@require_GET
@follows_merge(Place)  # merged into another place (habeas.linkage.merge): its page is that one's
def place_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = place_detail(request.user, pk)
    except Place.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "web/place_detail.html", {"detail": detail, "place": detail.place})


def _add_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _visible_place(request: HttpRequest, pk: int) -> Place:
    try:
        return place_for_edit(request.user, pk)
    except Place.DoesNotExist as missing:
        raise Http404 from missing


@editor_required
@require_http_methods(["GET", "POST"])
def place_create_view(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            place = place_create(
                names=form.cleaned_data["names"], by=request.user, **form.fields_for_service()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Place saved."))
            return redirect("web:place_detail", pk=place.pk)
    return render(request, "web/place_form.html", {"form": form, "place": None})


@editor_required
@require_http_methods(["GET", "POST"])
@follows_merge(Place)
def place_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    place = _visible_place(request, pk)
    if request.method != "POST":
        initial: dict[str, Any] = {name: getattr(place, name) for name in (*PLACE_EDITABLE, "version")}
        initial["names"] = "\n".join(place_names(place))
        form = PlaceForm(initial=initial, user=request.user)
        return render(request, "web/place_form.html", {"form": form, "place": place})
    form = PlaceForm(request.POST, user=request.user)
    status = 200
    if form.is_valid():
        if not form.cleaned_data.get("version"):
            form.add_error(None, _("The form lost its version number: reload the page and edit again."))
        else:
            try:
                place_update(
                    place=place,
                    version=form.cleaned_data["version"],
                    by=request.user,
                    names=form.cleaned_data["names"],
                    **form.fields_for_service(),
                )
            except EditConflict as conflict:
                # Nothing saved; the form keeps what was typed.
                form.add_error(None, str(conflict))
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Place saved."))
                return redirect("web:place_detail", pk=place.pk)
    return render(request, "web/place_form.html", {"form": form, "place": place}, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
@follows_merge(Place)
def population_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    place = _visible_place(request, pk)
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source: Source | None = None
        if data.get("source"):
            try:
                source = source_for_edit(request.user, data["source"])
            except Source.DoesNotExist:
                # Missing and above clearance read the same.
                form.add_error("source", _("There is no source with that number."))
        if not form.errors:
            try:
                population_record(
                    place=place,
                    observed=data["observed"],
                    population=data["population"],
                    note=data.get("note") or "",
                    source=source,
                    quote=data.get("quote") or "",
                    unsourced=bool(data.get("unsourced")),
                    by=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Population count saved."))
                return redirect("web:place_detail", pk=place.pk)
    return render(request, "web/place_population_form.html", {"form": form, "place": place})

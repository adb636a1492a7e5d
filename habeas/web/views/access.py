"""Access pages: monitoring bodies, access negotiations (timeline, guarantees, forms that add steps and
guarantee states with the citation picker), a country's whole history, benchmarks with a scorecard.

Reads go through habeas.access.selectors (the reader's clearance decides what exists: a hidden record
answers 404 like a missing one); writes through habeas.access.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from habeas.access import selectors, services
from habeas.access.models import AccessNegotiation, BenchmarkSet, MonitoringBody, NegotiationStatus, Rating
from habeas.accounts.selectors import user_clearance
from habeas.dossiers.services import EditConflict
from habeas.web.forms import CiteForm
from habeas.web.forms_access import (
    AssessmentForm,
    BenchmarkSetForm,
    BodyFilterForm,
    BodyForm,
    CountryField,
    GuaranteeForm,
    NegotiationFilterForm,
    NegotiationForm,
    StatusForm,
)
from habeas.web.views._access import editor_required
from habeas.web.views.edit import _finding, _picker

PAGE_SIZE = 50


def _add_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _link(kind: str, pk: int) -> str:
    return reverse(
        {"negotiation": "web:access_negotiation_detail", "benchmark": "web:benchmark_scorecard"}[kind],
        args=[pk],
    )


def _negotiation(request: HttpRequest, pk: int) -> AccessNegotiation:
    try:
        return selectors.negotiation_get(request.user, pk)
    except AccessNegotiation.DoesNotExist as missing:
        raise Http404 from missing


def _form_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The shared form page: the record's fields, then the citation picker when there is one."""
    cite = context.get("cite")
    context.update(
        picker=_picker(request, cite) if cite is not None else None,
        draft_key=request.path,
        restore=request.method == "GET",
    )
    return render(request, "web/access/form.html", context, status=status)


def _saved(request: HttpRequest, text: str, url: str) -> HttpResponse:
    # extra_tags: the form's URL, so web/edit.js drops the draft it kept of it.
    messages.success(request, text, extra_tags=request.path)
    return redirect(url)


# -- bodies ----------------------------------------------------------------------------------------
@login_required
@require_GET
def body_list_view(request: HttpRequest) -> HttpResponse:
    form = BodyFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    bodies = selectors.bodies_list(request.user, kind=kind)
    return render(
        request, "web/access/body_list.html", {"form": form, "bodies": bodies, "filtered": bool(kind)}
    )


@login_required
@require_GET
def body_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        body = selectors.body_get(request.user, pk)
    except MonitoringBody.DoesNotExist as missing:
        raise Http404 from missing
    negotiations = selectors.negotiations_list(request.user, body=body.pk)[:200]
    return render(request, "web/access/body_detail.html", {"body": body, "negotiations": negotiations})


@editor_required
@require_http_methods(["GET", "POST"])
def body_create_view(request: HttpRequest) -> HttpResponse:
    form = BodyForm(request.POST if request.method == "POST" else None, user=request.user)
    context = {"form": form, "title": _("Add a monitoring body"), "back": reverse("web:access_body_list")}
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            # body_create adds the aliases in its own transaction: a refused alias leaves no body.
            body = services.body_create(
                name=values["name"],
                short_name=values["short_name"],
                kind=values["kind"],
                mandate=values["mandate"],
                description=values["description"],
                url=values["url"],
                aliases=values["aliases"],
                confidentiality=values["confidentiality"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(
                request, _("Monitoring body saved."), reverse("web:access_body_detail", args=[body.pk])
            )
    return _form_page(request, context)


# -- negotiations ----------------------------------------------------------------------------------
@login_required
@require_GET
def negotiation_list_view(request: HttpRequest) -> HttpResponse:
    bodies = list(selectors.bodies_visible(request.user))
    form = NegotiationFilterForm(request.GET or None, bodies=bodies)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.negotiations_list(
        request.user,
        country=data.get("country") or "",
        body=data.get("body"),
        status=data.get("status") or "",
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/access/negotiation_list.html",
        {
            "form": form,
            "page": page,
            "negotiations": page.object_list,
            "filtered": any(data.values()),
            "status_labels": dict(NegotiationStatus.choices),
        },
    )


@login_required
@require_GET
def negotiation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = selectors.negotiation_detail(request.user, pk)
    except AccessNegotiation.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request, "web/access/negotiation_detail.html", {"detail": detail, "negotiation": detail.negotiation}
    )


@editor_required
@require_http_methods(["GET", "POST"])
def negotiation_create_view(request: HttpRequest) -> HttpResponse:
    bodies = list(selectors.bodies_visible(request.user))
    data = request.POST if request.method == "POST" else None
    initial = {k: request.GET[k] for k in ("country", "body") if k in request.GET}
    form = NegotiationForm(data, initial=initial, user=request.user, bodies=bodies, creating=True)
    cite = CiteForm(data, user=request.user)
    context = {
        "form": form,
        "cite": cite,
        "title": _("New access negotiation"),
        "back": reverse("web:access_negotiation_list"),
    }
    if data is None or _finding(request, form, cite):
        return _form_page(request, context)
    if form.is_valid() & cite.is_valid():
        values = form.cleaned_data
        try:
            with transaction.atomic():
                negotiation = services.negotiation_request(
                    body=form.body_obj,
                    country=values["country"],
                    subject=values["subject"],
                    scope=values["scope"],
                    places=form.resolved_places,
                    purposes=values["purposes"],
                    date=values["requested"],
                    guarantees=values["guarantees"],
                    note=values["note"],
                    confidentiality=values["confidentiality"],
                    citations=cite.citations(request.user) or [],
                    unsourced=cite.is_unsourced,
                    by=request.user,
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(
                request,
                _("Negotiation saved."),
                reverse("web:access_negotiation_detail", args=[negotiation.pk]),
            )
    return _form_page(request, context, status=200)


@editor_required
@require_http_methods(["GET", "POST"])
def negotiation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _negotiation(request, pk)
    back = reverse("web:access_negotiation_detail", args=[negotiation.pk])
    kwargs: dict[str, Any] = {"user": request.user, "bodies": [], "creating": False}
    if request.method != "POST":
        visible = selectors.negotiation_detail(request.user, pk)
        initial = {
            "subject": negotiation.subject,
            "scope": negotiation.scope,
            "purposes": negotiation.purposes,
            "confidentiality": negotiation.confidentiality,
            "version": negotiation.version,
            "places": "\n".join(f"#{p.pk}" for p in visible.places),
        }
        form = NegotiationForm(initial=initial, **kwargs)
        return _form_page(
            request, {"form": form, "title": _("Edit negotiation"), "back": back, "negotiation": negotiation}
        )
    form = NegotiationForm(request.POST, **kwargs)
    context = {"form": form, "title": _("Edit negotiation"), "back": back, "negotiation": negotiation}
    if form.is_valid():
        values = form.cleaned_data
        if not values.get("version"):
            form.add_error(None, _("The form lost its version number: reload the page and edit again."))
            return _form_page(request, context)
        # Places the editor cannot see stay linked: the form only shows (and so only changes) visible ones.
        hidden = [p for p in negotiation.places.all() if p.confidentiality > user_clearance(request.user)]
        try:
            services.negotiation_update(
                negotiation=negotiation,
                version=values["version"],
                by=request.user,
                places=[*form.resolved_places, *hidden],
                subject=values["subject"],
                scope=values["scope"],
                purposes=values["purposes"],
                confidentiality=values["confidentiality"],
            )
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return _form_page(request, context, status=409)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, _("Negotiation saved."), back)
    return _form_page(request, context)


def _fact_view(
    request: HttpRequest,
    negotiation: AccessNegotiation,
    form_class: Any,
    title: str,
    save: Any,
) -> HttpResponse:
    """Add one cited fact to a negotiation: a status step or a guarantee's state."""
    data = request.POST if request.method == "POST" else None
    form: Any = form_class(data, user=request.user, parent_level=negotiation.confidentiality)
    cite = CiteForm(data, user=request.user)
    back = reverse("web:access_negotiation_detail", args=[negotiation.pk])
    context = {"form": form, "cite": cite, "title": title, "back": back, "negotiation": negotiation}
    if data is None or _finding(request, form, cite):
        return _form_page(request, context)
    if form.is_valid() & cite.is_valid():
        try:
            with transaction.atomic():
                save(
                    negotiation=negotiation,
                    citations=cite.citations(request.user) or [],
                    unsourced=cite.is_unsourced,
                    by=request.user,
                    **form.cleaned_data,
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, _("Saved."), back)
    return _form_page(request, context)


@editor_required
@require_http_methods(["GET", "POST"])
def status_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _negotiation(request, pk)
    return _fact_view(request, negotiation, StatusForm, _("Add a status"), services.status_record)


@editor_required
@require_http_methods(["GET", "POST"])
def guarantee_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = _negotiation(request, pk)
    return _fact_view(
        request, negotiation, GuaranteeForm, _("Record a guarantee's state"), services.guarantee_state_record
    )


# -- countries -------------------------------------------------------------------------------------
@login_required
@require_GET
def country_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/access/country_list.html", {"countries": selectors.countries_list(request.user)}
    )


@login_required
@require_GET
def country_view(request: HttpRequest, country: str) -> HttpResponse:
    try:
        code = CountryField().clean(country)
    except ValidationError as bad:
        raise Http404 from bad
    timeline = selectors.country_timeline(request.user, code, url_for=_link)
    negotiations = selectors.negotiations_list(request.user, country=code)
    sets = selectors.benchmark_sets_list(request.user, country=code)
    return render(
        request,
        "web/access/country.html",
        {
            "country": code,
            "timeline": timeline,
            "negotiations": negotiations,
            "benchmark_sets": sets,
            "sections": selectors.sections_for("country", request.user, code),
            "status_labels": dict(NegotiationStatus.choices),
        },
    )


# -- benchmarks ------------------------------------------------------------------------------------
@login_required
@require_GET
def benchmark_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/access/benchmark_list.html", {"sets": selectors.benchmark_sets_list(request.user)}
    )


@editor_required
@require_http_methods(["GET", "POST"])
def benchmark_create_view(request: HttpRequest) -> HttpResponse:
    initial = {"country": request.GET["country"]} if "country" in request.GET else None
    data = request.POST if request.method == "POST" else None
    form = BenchmarkSetForm(data, initial=initial, user=request.user)
    context = {"form": form, "title": _("Add a benchmark set"), "back": reverse("web:benchmark_list")}
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            bset = services.benchmark_set_create(
                title=values["title"],
                country=values["country"],
                description=values["description"],
                criteria=values["criteria"],
                confidentiality=values["confidentiality"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(
                request, _("Benchmark set saved."), reverse("web:benchmark_scorecard", args=[bset.pk])
            )
    return _form_page(request, context)


@login_required
@require_GET
def scorecard_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        card = selectors.scorecard(request.user, pk)
    except BenchmarkSet.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "web/access/scorecard.html",
        {"card": card, "benchmark_set": card.benchmark_set, "ratings": Rating.choices},
    )


@editor_required
@require_http_methods(["GET", "POST"])
def assessment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        bset = selectors.benchmark_set_get(request.user, pk)
    except BenchmarkSet.DoesNotExist as missing:
        raise Http404 from missing
    criteria = list(bset.criteria.order_by("position"))
    data = request.POST if request.method == "POST" else None
    initial = {"criterion": request.GET.get("criterion")} if request.GET.get("criterion") else None
    form = AssessmentForm(
        data, initial=initial, user=request.user, criteria=criteria, parent_level=bset.confidentiality
    )
    cite = CiteForm(data, user=request.user)
    back = reverse("web:benchmark_scorecard", args=[bset.pk])
    context = {
        "form": form,
        "cite": cite,
        "title": _("Add an assessment"),
        "back": back,
        "benchmark_set": bset,
    }
    if data is None or _finding(request, form, cite):
        return _form_page(request, context)
    if form.is_valid() & cite.is_valid():
        values = form.cleaned_data
        try:
            with transaction.atomic():
                services.assessment_record(
                    criterion=form.criteria[values["criterion"]],
                    date=values["date"],
                    rating=values["rating"],
                    summary=values["summary"],
                    confidentiality=values["confidentiality"],
                    citations=cite.citations(request.user) or [],
                    unsourced=cite.is_unsourced,
                    by=request.user,
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, _("Assessment saved."), back)
    return _form_page(request, context)

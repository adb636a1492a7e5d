"""Visit pages: the list, one visit with its checklist and gaps to the norms, interviews (notes decrypted
only for cleared readers, every read logged), reports for the authorities and the public (consent
decides what goes in), the gap table, recommendations with their follow-up, and the forms for each.

Each view authorizes, validates, calls one service or selector, and responds. Records the reader may
not see answer 404, like missing ones; forms answer 403 to readers who may not edit, whatever the record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance, visible_q
from habeas.dossiers.models import Person
from habeas.sources.models import Citation, Source
from habeas.sources.selectors import source_for_edit
from habeas.sources.services import citation_for_quote
from habeas.visits import forms, norms, selectors, services
from habeas.visits.crypto import NotesKeyError
from habeas.visits.models import Interview, Recommendation, StageKind, Visit, VisitPlace
from habeas.web.views._access import editor_required

GET_POST = require_http_methods(["GET", "POST"])


# -- helpers ---------------------------------------------------------------------------------------
def _add_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _visible_source(request: HttpRequest, form: Form, pk: int | None, field: str = "source") -> Source | None:
    if not pk:
        return None
    try:
        return source_for_edit(request.user, pk)
    except Source.DoesNotExist:
        # Missing and above clearance read the same.
        form.add_error(field, _("There is no source with that number."))
        return None


def _cite(request: HttpRequest, form: Form) -> list[Citation]:
    """The citation the form names (source and quote), made in the caller's transaction."""
    data = form.cleaned_data
    source = _visible_source(request, form, data.get("source"))
    if source is None:
        return []
    try:
        return [citation_for_quote(source=source, quote=data.get("quote") or "", by=request.user)]
    except ValidationError as error:
        form.add_error("quote", error.messages)
        return []


def _save(request: HttpRequest, form: Form, write: Callable[[list[Citation]], Any]) -> Any:
    """Cite and write in one transaction: a refused write leaves no citation behind. None on failure
    (the form then carries the errors)."""
    try:
        with transaction.atomic():
            citations = _cite(request, form) if "source" in form.fields else []
            if form.errors:
                raise _Abort
            return write(citations)
    except _Abort:
        return None
    except ValidationError as error:
        _add_errors(form, error)
    except NotesKeyError as error:
        form.add_error(None, str(error))
    return None


class _Abort(Exception):
    pass


def _cite_kwargs(form: Form) -> dict[str, Any]:
    data = form.cleaned_data
    return {"unsourced": bool(data.get("unsourced")), "confidentiality": data.get("confidentiality")}


def _visit(request: HttpRequest, pk: int) -> Visit:
    try:
        return selectors.visit_get(request.user, pk)
    except Visit.DoesNotExist as missing:
        raise Http404 from missing


def _interview(request: HttpRequest, pk: int) -> Interview:
    try:
        return selectors.interview_get(request.user, pk)
    except Interview.DoesNotExist as missing:
        raise Http404 from missing


def _place_choices(request: HttpRequest, visit: Visit) -> list[tuple[int, str]]:
    clearance = user_clearance(request.user)
    rows = visit.places.filter(confidentiality__lte=clearance, place__confidentiality__lte=clearance)
    return [(vp.pk, vp.place.name) for vp in rows.select_related("place").order_by("id")]


def _form_page(request: HttpRequest, form: Form, title: str, cancel: str, **extra: Any) -> HttpResponse:
    return render(request, "web/visits/form.html", {"form": form, "title": title, "cancel": cancel, **extra})


# -- reading ---------------------------------------------------------------------------------------
@login_required
@require_GET
def visit_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.VisitFilterForm(request.GET or None, user=request.user)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    page = selectors.visit_list(
        request.user, q=data.get("q") or "", body=data.get("body"), page=request.GET.get("page") or 1
    )
    return render(request, "web/visits/list.html", {"form": form, "page": page, "visits": page.object_list})


@login_required
@require_GET
def visit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = selectors.visit_detail(request.user, pk)
    except Visit.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "web/visits/detail.html", {"detail": detail, "visit": detail.visit})


# Decrypted notes are kept out of browser and proxy caches.
@never_cache
@login_required
@require_GET
def interview_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The interview; with ``?notes=1`` its notes and narratives, decrypted for a cleared reader, each
    read logged. Without a usable key the page says so, naming the setting."""
    try:
        detail = selectors.interview_detail(request.user, pk)
    except Interview.DoesNotExist as missing:
        raise Http404 from missing
    cleared = user_clearance(request.user) >= Confidentiality.RESTRICTED
    notes: str | None = None
    narratives: dict[int, str] = {}
    key_error = ""
    if request.GET.get("notes") and cleared:
        try:
            notes = services.interview_notes_read(interview=detail.interview, by=request.user)
            for view in detail.allegations:
                if view.has_narrative:
                    narratives[view.allegation.pk] = services.allegation_narrative_read(
                        allegation=view.allegation, by=request.user
                    )
        except NotesKeyError as error:
            key_error = str(error)
        except PermissionDenied:
            notes = None
        detail = selectors.interview_detail(request.user, pk)  # the read log now shows this read
    for view in detail.allegations:
        view.narrative = narratives.get(view.allegation.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "web/visits/interview.html",
        {
            "detail": detail,
            "interview": detail.interview,
            "visit": detail.visit,
            "cleared": cleared,
            "notes": notes,
            "key_error": key_error,
        },
        status=503 if key_error else 200,
    )


@login_required
@require_GET
def visit_report_view(request: HttpRequest, pk: int, audience: str) -> HttpResponse:
    if audience not in selectors.AUDIENCES:
        raise Http404
    try:
        report = selectors.visit_report(request.user, pk, audience)
    except Visit.DoesNotExist as missing:
        raise Http404 from missing
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(report.as_dict(), ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="visit-{pk}-{audience}.json"'
        return response
    return render(request, "web/visits/report.html", {"report": report, "visit": report.visit})


@login_required
@require_GET
def gap_list_view(request: HttpRequest) -> HttpResponse:
    measure = request.GET.get("measure") or ""
    if measure not in norms.Measure.values:
        measure = ""
    page = selectors.gap_list(request.user, measure=measure, page=request.GET.get("page") or 1)
    return render(
        request,
        "web/visits/gaps.html",
        {
            "page": page,
            "rows": page.object_list,
            "norms": list(norms.NORMS.values()),
            "measures": norms.Measure.choices,
            "measure": measure,
        },
    )


@login_required
@require_GET
def recommendation_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.RecommendationFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    page = selectors.recommendation_list(
        request.user,
        status=data.get("status") or "",
        q=data.get("q") or "",
        page=request.GET.get("page") or 1,
    )
    return render(
        request, "web/visits/recommendations.html", {"form": form, "page": page, "rows": page.object_list}
    )


# -- writing ---------------------------------------------------------------------------------------
@editor_required
@GET_POST
def visit_create_view(request: HttpRequest) -> HttpResponse:
    form = forms.VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = _save(
            request,
            form,
            lambda citations: services.visit_create(
                body=data["body"],
                negotiation=data.get("negotiation"),
                title=data["title"],
                started=data["started"],
                ended=data.get("ended"),
                announced=data["announced"],
                team=data["team"],
                summary_public=data.get("summary_public") or "",
                notes_internal=data.get("notes_internal") or "",
                citations=citations,
                by=request.user,
                **_cite_kwargs(form),
            ),
        )
        if visit is not None:
            messages.success(request, _("Visit saved."))
            return redirect("web:visit_detail", pk=visit.pk)
    return _form_page(request, form, _("Record a visit"), "web:visit_list")


@editor_required
@GET_POST
def visit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    if request.method != "POST":
        initial: dict[str, Any] = {n: getattr(visit, n) for n in (*services.VISIT_EDITABLE, "version")}
        initial["team"] = "\n".join(f"{m.name}, {m.role}" if m.role else m.name for m in visit.team.all())
        form = forms.VisitForm(initial=initial, user=request.user, editing=True)
        return _form_page(request, form, _("Edit the visit"), "web:visit_detail", cancel_pk=visit.pk)
    form = forms.VisitForm(request.POST, user=request.user, editing=True)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        if not data.get("version"):
            form.add_error(None, _("The form lost its version number: reload the page and edit again."))
        else:
            try:
                services.visit_update(
                    visit=visit,
                    version=data["version"],
                    by=request.user,
                    team=data["team"],
                    **{n: data.get(n) for n in services.VISIT_EDITABLE},
                )
            except services.EditConflict as conflict:
                form.add_error(None, str(conflict))
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Visit saved."))
                return redirect("web:visit_detail", pk=visit.pk)
    response = _form_page(request, form, _("Edit the visit"), "web:visit_detail", cancel_pk=visit.pk)
    response.status_code = status
    return response


@editor_required
@GET_POST
def visit_place_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    form = forms.VisitPlaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = _save(
            request,
            form,
            lambda citations: services.visit_place_add(
                visit=visit,
                place=data["place"],
                date=data.get("date"),
                population=data.get("population"),
                note=data.get("note") or "",
                citations=citations,
                by=request.user,
                **_cite_kwargs(form),
            ),
        )
        if row is not None:
            messages.success(request, _("Place added to the visit."))
            return redirect("web:visit_detail", pk=visit.pk)
    return _form_page(
        request, form, _("Add a place to the visit"), "web:visit_detail", cancel_pk=visit.pk, visit=visit
    )


@editor_required
@GET_POST
def visit_stage_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    visit = _visit(request, pk)
    if kind not in StageKind.values:
        raise Http404
    stage = visit.stages.filter(kind=kind, confidentiality__lte=user_clearance(request.user)).first()
    initial = (
        {"date": stage.date, "notes": stage.notes, "confidentiality": stage.confidentiality}
        if stage
        else None
    )
    form = forms.StageForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.stage_set(
                visit=visit,
                kind=kind,
                date=data.get("date"),
                notes=data.get("notes") or "",
                confidentiality=data["confidentiality"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Stage saved."))
            return redirect("web:visit_detail", pk=visit.pk)
    title = f"{_('Stage')}: {StageKind(kind).label}"
    return _form_page(request, form, title, "web:visit_detail", cancel_pk=visit.pk, visit=visit)


@editor_required
@GET_POST
def visit_guarantee_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    form = forms.GuaranteeOutcomeForm(request.POST or None, user=request.user)
    if request.method != "POST" and visit.body.guarantee_kinds:
        form.fields["guarantee"].initial = visit.body.guarantee_kinds[0]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = _save(
            request,
            form,
            lambda citations: services.guarantee_outcome_record(
                visit=visit,
                guarantee=data["guarantee"],
                outcome=data["outcome"],
                note=data.get("note") or "",
                citations=citations,
                by=request.user,
                **_cite_kwargs(form),
            ),
        )
        if row is not None:
            messages.success(request, _("Guarantee outcome saved."))
            return redirect("web:visit_detail", pk=visit.pk)
    return _form_page(
        request,
        form,
        _("Access obtained or denied, per guarantee"),
        "web:visit_detail",
        cancel_pk=visit.pk,
        visit=visit,
    )


@editor_required
@GET_POST
def interview_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    form = forms.InterviewForm(request.POST or None, user=request.user, places=_place_choices(request, visit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if data.get("person"):
            # A dossier merged into another (habeas.linkage) is interviewed under the surviving one.
            person = (
                Person.objects.filter(**visible_q(request.user), merged_into__isnull=True)
                .filter(pk=data["person"])
                .first()
            )
            if person is None:
                form.add_error("person", _("There is no dossier with that number."))
        visit_place = None
        if data.get("visit_place"):
            visit_place = VisitPlace.objects.filter(visit=visit, pk=data["visit_place"]).first()
        if not form.errors:
            interview = _save(
                request,
                form,
                lambda citations: services.interview_record(
                    visit=visit,
                    person=person,
                    visit_place=visit_place,
                    date=data.get("date"),
                    private=bool(data.get("private")),
                    consent_given=bool(data.get("consent_given")),
                    consent_authorities=bool(data.get("consent_authorities")),
                    consent_public=bool(data.get("consent_public")),
                    consent_named=bool(data.get("consent_named")),
                    reprisal_risk=data["reprisal_risk"],
                    notes=data.get("notes") or "",
                    citations=citations,
                    by=request.user,
                    **_cite_kwargs(form),
                ),
            )
            if interview is not None:
                messages.success(request, _("Interview saved."))
                return redirect("web:interview_detail", pk=interview.pk)
    return _form_page(
        request, form, _("Record an interview"), "web:visit_detail", cancel_pk=visit.pk, visit=visit
    )


INTERVIEW_EDITABLE = (
    "date",
    "private",
    "consent_given",
    "consent_authorities",
    "consent_public",
    "consent_named",
    "reprisal_risk",
)


@editor_required
@GET_POST
def interview_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Consent, privacy, reprisal risk and date of an interview (consent may be withdrawn later)."""
    interview = _interview(request, pk)
    if request.method != "POST":
        form = forms.InterviewEditForm(initial={n: getattr(interview, n) for n in INTERVIEW_EDITABLE})
    else:
        form = forms.InterviewEditForm(request.POST)
        if form.is_valid():
            try:
                services.interview_update(
                    interview=interview,
                    by=request.user,
                    **{n: form.cleaned_data.get(n) for n in INTERVIEW_EDITABLE},
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Interview saved."))
                return redirect("web:interview_detail", pk=interview.pk)
    return _form_page(request, form, _("Consent and risk"), "web:interview_detail", cancel_pk=interview.pk)


@never_cache
@editor_required
@GET_POST
def interview_notes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Rewrite an interview's notes: for editors cleared for restricted records (the current text is
    read, and logged, to fill the form)."""
    interview = _interview(request, pk)
    if user_clearance(request.user) < Confidentiality.RESTRICTED:
        raise PermissionDenied("Interview notes are restricted.")
    form = forms.NotesForm(request.POST or None)
    if request.method != "POST":
        try:
            current = services.interview_notes_read(interview=interview, by=request.user)
        except NotesKeyError as error:
            form.add_error(None, str(error))
        else:
            form = forms.NotesForm(initial={"notes": current})
    elif form.is_valid():
        try:
            services.interview_notes_set(
                interview=interview, notes=form.cleaned_data["notes"], by=request.user
            )
        except NotesKeyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Notes saved (encrypted)."))
            return redirect("web:interview_detail", pk=interview.pk)
    return _form_page(request, form, _("Interview notes"), "web:interview_detail", cancel_pk=interview.pk)


@editor_required
@GET_POST
def allegation_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _interview(request, pk)
    form = forms.AllegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = (
            "kind",
            "places",
            "methods_other",
            "perpetrators",
            "injuries",
            "witnesses",
            "consistency",
            "narrative",
        )
        texts: dict[str, Any] = {n: data.get(n) or "" for n in fields}
        row = _save(
            request,
            form,
            lambda citations: services.allegation_record(
                interview=interview,
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                methods=data.get("methods") or [],
                citations=citations,
                by=request.user,
                **texts,
                **_cite_kwargs(form),
            ),
        )
        if row is not None:
            messages.success(request, _("Allegation saved."))
            return redirect("web:interview_detail", pk=interview.pk)
    return _form_page(
        request, form, _("Record an allegation"), "web:interview_detail", cancel_pk=interview.pk
    )


@editor_required
@GET_POST
def follow_up_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _interview(request, pk)
    form = forms.FollowUpForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = _save(
            request,
            form,
            lambda citations: services.follow_up_record(
                interview=interview,
                date=data["date"],
                outcome=data.get("outcome") or "",
                reprisal_found=bool(data.get("reprisal_found")),
                citations=citations,
                by=request.user,
                **_cite_kwargs(form),
            ),
        )
        if row is not None:
            messages.success(request, _("Follow-up check saved."))
            return redirect("web:interview_detail", pk=interview.pk)
    return _form_page(
        request, form, _("Record a follow-up check"), "web:interview_detail", cancel_pk=interview.pk
    )


@editor_required
@GET_POST
def finding_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    places = _place_choices(request, visit)
    form = forms.FindingForm(request.POST or None, user=request.user, places=places)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit_place = VisitPlace.objects.filter(visit=visit, pk=data["visit_place"]).first()
        if visit_place is None:
            form.add_error("visit_place", _("That place is not one of this visit's places."))
        else:
            row = _save(
                request,
                form,
                lambda citations: services.finding_record(
                    visit_place=visit_place,
                    area=data["area"],
                    assessment=data["assessment"],
                    text=data["text"],
                    measure=data.get("measure") or "",
                    value=data.get("value"),
                    citations=citations,
                    by=request.user,
                    **_cite_kwargs(form),
                ),
            )
            if row is not None:
                messages.success(request, _("Finding saved."))
                return redirect("web:visit_detail", pk=visit.pk)
    return _form_page(
        request,
        form,
        _("Record a finding"),
        "web:visit_detail",
        cancel_pk=visit.pk,
        visit=visit,
        norms=list(norms.NORMS.values()),
        no_places=not places,
    )


def _recommendation_form(request: HttpRequest, visit: Visit | None) -> HttpResponse:
    form = forms.RecommendationForm(request.POST or None, user=request.user, from_visit=visit is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = _visible_source(request, form, data.get("report"), "report")
        if not form.errors:
            row = _save(
                request,
                form,
                lambda citations: services.recommendation_record(
                    visit=visit,
                    report=report,
                    addressed_to=data["addressed_to"],
                    area=data.get("area") or "",
                    text=data["text"],
                    made=data.get("made"),
                    citations=citations,
                    by=request.user,
                    **_cite_kwargs(form),
                ),
            )
            if row is not None:
                messages.success(request, _("Recommendation saved."))
                if visit is not None:
                    return redirect("web:visit_detail", pk=visit.pk)
                return redirect("web:recommendation_list")
    if visit is not None:
        return _form_page(
            request, form, _("Record a recommendation"), "web:visit_detail", cancel_pk=visit.pk, visit=visit
        )
    return _form_page(request, form, _("Record a recommendation from a report"), "web:recommendation_list")


@editor_required
@GET_POST
def visit_recommendation_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _recommendation_form(request, _visit(request, pk))


@editor_required
@GET_POST
def recommendation_add_view(request: HttpRequest) -> HttpResponse:
    return _recommendation_form(request, None)


@editor_required
@GET_POST
def recommendation_status_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        recommendation = selectors.recommendation_get(request.user, pk)
    except Recommendation.DoesNotExist as missing:
        raise Http404 from missing
    form = forms.RecommendationStatusForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = _save(
            request,
            form,
            lambda citations: services.recommendation_status_record(
                recommendation=recommendation,
                status=data["status"],
                date=data["date"],
                note=data.get("note") or "",
                citations=citations,
                by=request.user,
                **_cite_kwargs(form),
            ),
        )
        if row is not None:
            messages.success(request, _("Follow-up status saved."))
            if recommendation.visit_id:
                return redirect("web:visit_detail", pk=recommendation.visit_id)
            return redirect("web:recommendation_list")
    return _form_page(
        request,
        form,
        _("Follow-up of a recommendation"),
        "web:recommendation_list",
        recommendation=recommendation,
    )

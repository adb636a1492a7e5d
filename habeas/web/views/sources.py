"""Source pages: the list with filters, a source with its text (the cited span highlighted) and the
facts that cite it, and the forms that add a source or correct its metadata."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from habeas.sources.models import Source
from habeas.sources.selectors import source_detail as read_source
from habeas.sources.selectors import source_facets, source_for_edit, source_list
from habeas.sources.services import EditConflict, source_store, source_update
from habeas.web.forms_sources import SourceCreateForm, SourceEditForm, SourceFilterForm
from habeas.web.views._access import editor_required

FILTERS = ("q", "kind", "official", "reliability", "publisher", "language", "since", "until")


@login_required
@require_GET
def source_list_view(request: HttpRequest) -> HttpResponse:
    form = SourceFilterForm(request.GET or None, facets=source_facets(request.user))
    # An invalid filter is reported and left out; the valid ones still apply.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    page = source_list(
        request.user,
        q=data.get("q") or "",
        kind=data.get("kind") or "",
        official={"yes": True, "no": False}.get(data.get("official") or ""),
        reliability=data.get("reliability") or "",
        publisher=data.get("publisher") or "",
        language=data.get("language") or "",
        published_since=data.get("since"),
        published_until=data.get("until"),
        sort=data.get("sort") or "-published",
        page=request.GET.get("page") or 1,
    )
    return render(
        request,
        "web/source_list.html",
        {
            "form": form,
            "page": page,
            "sources": page.object_list,
            "filtered": any(data.get(k) for k in FILTERS),
        },
    )


@login_required
@require_GET
def source_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = read_source(request.user, pk, cite=request.GET.get("cite"))
    except Source.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "web/source_detail.html", {"detail": detail, "source": detail.source})


def _add_errors(form: SourceCreateForm | SourceEditForm, error: ValidationError) -> None:
    """A service's refusal shown on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@editor_required
@require_http_methods(["GET", "POST"])
def source_create_view(request: HttpRequest) -> HttpResponse:
    form = SourceCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            source, created = source_store(text=form.cleaned_data["body"], by=request.user, **form.metadata())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if created:
                messages.success(request, _("Source saved."))
                return redirect("web:source_detail", pk=source.pk)
            # The same text is stored once. Point to it only if the reader may see it; otherwise say
            # it exists without naming it (the hash is of text they hold, so that much is theirs).
            try:
                existing: Source | None = source_for_edit(request.user, source.pk)
            except Source.DoesNotExist:
                existing = None
            return render(
                request,
                "web/source_create.html",
                {"form": form, "existing": existing, "existing_hidden": existing is None},
            )
    return render(request, "web/source_create.html", {"form": form})


@editor_required
@require_http_methods(["GET", "POST"])
def source_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        source = source_for_edit(request.user, pk)
    except Source.DoesNotExist as missing:
        raise Http404 from missing
    if request.method != "POST":
        official = "yes" if source.official else "no"
        form = SourceEditForm(
            initial={
                "title": source.title,
                "publisher": source.publisher,
                "url": source.url,
                "published": source.published.isoformat() if source.published else "",
                "language": source.language,
                "kind": source.kind,
                "official": official,
                "reliability": source.reliability,
                "confidentiality": source.confidentiality,
                "version": source.version,
            },
            user=request.user,
        )
        return render(request, "web/source_edit.html", {"form": form, "source": source})
    form = SourceEditForm(request.POST, user=request.user)
    status = 200
    if form.is_valid():
        try:
            source_update(
                source=source, version=form.cleaned_data["version"], by=request.user, **form.metadata()
            )
        except EditConflict as conflict:
            # Nothing saved; the form keeps what was typed so it can be checked against their change.
            form.add_error(None, str(conflict))
            status = 409
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Source details saved."))
            return redirect("web:source_detail", pk=source.pk)
    return render(request, "web/source_edit.html", {"form": form, "source": source}, status=status)

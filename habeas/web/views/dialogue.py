"""Dialogue pages: engagements, prisoner lists and their entries, hand-over and exports, responses
(one by one or from a CSV file), outcomes, statistics with server-drawn charts, and alerts.

Reading: any signed-in user, within their clearance (a record above it answers 404, like a missing
one). Writing: researchers and administrators (``editor_required``; others get 403 whatever the URL
names). Every write goes through habeas.dialogue.services with the user as ``by``; internal notes are
shown only to readers cleared for internal records, and never exported.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance
from habeas.dialogue import exports, selectors, services, stats
from habeas.dialogue.alerts import dialogue_alerts
from habeas.dialogue.imports import ImportRowsError, responses_import_csv
from habeas.dialogue.models import Engagement, ListEntry, ListStatus, Response
from habeas.dossiers.models import Person, SentenceKind, Status
from habeas.dossiers.selectors import CitationView, person_list
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.web.dialogue_charts import bar_chart
from habeas.web.forms import CiteForm
from habeas.web.forms_dialogue import (
    DEFAULT_DAYS,
    DEFAULT_LIST_DAYS,
    AddFromQueryForm,
    AlertsForm,
    EngagementForm,
    EntryAddForm,
    EntryForm,
    HandOverForm,
    InterlocutorForm,
    ListForm,
    ListFromQueryForm,
    OutcomeForm,
    ResponseForm,
    ResponsesUploadForm,
)
from habeas.web.views._access import editor_required
from habeas.web.views._merged import merged_into
from habeas.web.views.edit import _finding, _picker

EXPORT_FORMATS = ("pdf", "docx", "csv")  # as offered on the list page


# -- shared ----------------------------------------------------------------------------------------
def _add_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _or_404(read: Any, *args: Any) -> Any:
    """A selector's record, or 404 for one missing or above the reader's clearance (the same answer)."""
    try:
        return read(*args)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing


def _internal(request: HttpRequest) -> bool:
    """Internal notes are for readers cleared for internal records."""
    return user_clearance(request.user) >= Confidentiality.INTERNAL


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    cite = context.get("cite")
    if cite is not None:
        context["picker"] = _picker(request, cite)
    context.setdefault("draft_key", request.path)
    context.setdefault("restore", request.method == "GET")
    return render(request, template, context, status=status)


def _engagement_choices(user: Any) -> list[Engagement]:
    """Engagements a list may be handed over in: the latest ones the user may see."""
    return list(selectors.engagement_list(user, per_page=selectors.MAX_PER_PAGE).object_list)


def _entry_view(request: HttpRequest, entry: ListEntry) -> selectors.EntryView:
    """The entry as the user may see it: the person's visible names, the visible responses."""
    views = selectors.entry_views(request.user, [entry])
    if not views:
        raise Http404
    return views[0]


FACT_LABELS = {
    "status": _lazy("status"),
    "sentence": _lazy("sentence"),
    "expected_release": _lazy("expected release"),
    "place": _lazy("place"),
}


def _facts_shown(facts: dict[str, Any]) -> list[tuple[str, str]]:
    """The facts a response gives, as words: (label, value)."""
    shown = []
    for key, label in FACT_LABELS.items():
        value = facts.get(key)
        if not value:
            continue
        if key == "status":
            value = Status(value).label if value in Status.values else value
        elif key == "sentence" and isinstance(value, dict):
            kind = SentenceKind(value["kind"]) if value.get("kind") in SentenceKind.values else None
            months = value.get("months")
            value = _years(months) if kind == SentenceKind.FIXED and months else (kind.label if kind else "")
        elif key == "expected_release":
            with contextlib.suppress(PartialDateError):
                value = PartialDate.coerce(value).display()  # type: ignore[union-attr]
        shown.append((str(label), str(value)))
    return shown


def _years(months: int) -> str:
    years, rest = divmod(int(months), 12)
    parts = [ngettext("%(n)s year", "%(n)s years", years) % {"n": years}] if years else []
    parts += [ngettext("%(n)s month", "%(n)s months", rest) % {"n": rest}] if rest else []
    return " ".join(parts)


def _response_citation(response: Response, clearance: int) -> CitationView | None:
    """The response's citation as the reader may see it, from the source already read with it."""
    citation, source = response.citation, response.source
    if citation is None or source is None:
        return None
    if source.confidentiality > clearance:
        return CitationView(id=citation.pk, restricted=True)
    return CitationView(
        id=citation.pk,
        restricted=False,
        source_id=source.pk,
        title=source.title,
        publisher=source.publisher,
        published=source.published,
        official=source.official,
        kind=source.get_kind_display(),
        quote=citation.quote,
    )


# -- engagements -----------------------------------------------------------------------------------
@login_required
@require_GET
def engagement_list_view(request: HttpRequest) -> HttpResponse:
    page = selectors.engagement_list(request.user, page=request.GET.get("page") or 1)
    return render(
        request, "web/dialogue/engagement_list.html", {"page": page, "engagements": page.object_list}
    )


@login_required
@require_GET
def engagement_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _or_404(selectors.engagement_detail, request.user, pk)
    return render(
        request,
        "web/dialogue/engagement_detail.html",
        {"detail": detail, "engagement": detail.engagement, "show_internal": _internal(request)},
    )


@editor_required
@require_http_methods(["GET", "POST"])
def engagement_create_view(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = EngagementForm(data, user=request.user, interlocutors=selectors.interlocutor_list(request.user))
    cite = CiteForm(data, user=request.user)
    context: dict[str, Any] = {"form": form, "cite": cite, "title": _("New engagement"), "engagement": None}
    if data is None or _finding(request, form, cite):
        return _form_page(request, "web/dialogue/engagement_form.html", context)
    if form.is_valid() & cite.is_valid():
        try:
            with transaction.atomic():
                engagement = services.engagement_create(
                    by=request.user,
                    citations=cite.citations(request.user) or [],
                    unsourced=cite.is_unsourced,
                    **form.values(),
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Engagement saved."), extra_tags=request.path)
            return redirect("web:dialogue_engagement", pk=engagement.pk)
    return _form_page(request, "web/dialogue/engagement_form.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def engagement_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _or_404(selectors.engagement_detail, request.user, pk)
    engagement = detail.engagement
    interlocutors = selectors.interlocutor_list(request.user)
    if request.method != "POST":
        initial = {
            "version": engagement.version,
            "kind": engagement.kind,
            "title": engagement.title,
            "date": engagement.date,
            "our_side": engagement.our_side,
            "interlocutor": engagement.interlocutor_id or "",
            "location": engagement.location,
            "notes": engagement.notes,
            "confidentiality": engagement.confidentiality,
        }
        form = EngagementForm(initial=initial, user=request.user, interlocutors=interlocutors)
    else:
        form = EngagementForm(request.POST, user=request.user, interlocutors=interlocutors)
    context: dict[str, Any] = {
        "form": form,
        "title": _("Edit %(title)s") % {"title": engagement.title},
        "engagement": engagement,
        "detail": detail,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            values = form.values()
            if engagement.interlocutor_id and engagement.interlocutor_id not in form.offered("interlocutor"):
                # Linked to an interlocutor this user may not see: not offered, so not theirs to unset.
                values.pop("interlocutor")
            services.engagement_update(
                engagement=engagement,
                version=form.cleaned_data.get("version") or -1,
                by=request.user,
                **values,
            )
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
            status = 409
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Engagement saved."), extra_tags=request.path)
            return redirect("web:dialogue_engagement", pk=engagement.pk)
    return _form_page(request, "web/dialogue/engagement_form.html", context, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def interlocutor_create_view(request: HttpRequest) -> HttpResponse:
    form = InterlocutorForm(request.POST or None, user=request.user)
    after = _safe_next(request.POST.get("next") or request.GET.get("next") or "")
    if request.method == "POST" and form.is_valid():
        try:
            interlocutor = services.interlocutor_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Interlocutor “%(name)s” saved.") % {"name": interlocutor.name},
                extra_tags=request.path,
            )
            return redirect(after or "web:dialogue_lists")
    return _form_page(request, "web/dialogue/interlocutor_form.html", {"form": form, "next": after})


def _safe_next(url: str) -> str:
    """Only our own dialogue pages as a place to return to (never another site)."""
    return url if re.fullmatch(r"/dialogue/[\w/?=&%.+-]*", url) else ""


# -- prisoner lists --------------------------------------------------------------------------------
@login_required
@require_GET
def list_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    if status not in ListStatus.values:
        status = ""
    page = selectors.prisoner_list_list(request.user, status=status, page=request.GET.get("page") or 1)
    return render(
        request,
        "web/dialogue/list_list.html",
        {"page": page, "lists": page.object_list, "status": status, "statuses": ListStatus.choices},
    )


@login_required
@require_GET
def list_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    detail = _or_404(selectors.prisoner_list_detail, request.user, pk)
    clearance = user_clearance(request.user)
    for view in detail.entries:
        for response in view.responses:
            cited = _response_citation(response, clearance)
            response.citation_views = [cited] if cited else []
            response.facts_shown = _facts_shown(response.facts)
    return render(
        request,
        "web/dialogue/list_detail.html",
        {
            "detail": detail,
            "plist": detail.prisoner_list,
            "show_internal": _internal(request),
            "draft": detail.prisoner_list.status == ListStatus.DRAFT,
            "formats": EXPORT_FORMATS,
        },
    )


def _query_of(text: str) -> str:
    """The person list's query string without its page number (a list takes every page)."""
    query = QueryDict(text.lstrip("?"), mutable=True)
    query.pop("page", None)
    return query.urlencode()


@editor_required
@require_http_methods(["GET", "POST"])
def list_create_view(request: HttpRequest) -> HttpResponse:
    """A new list, by hand or from a person-list query (``?query=`` the list page's query string)."""
    source = request.POST if request.method == "POST" else request.GET
    query = _query_of(source.get("query", "")[:2000]) if "query" in source else None
    choices: dict[str, Any] = {
        "user": request.user,
        "interlocutors": selectors.interlocutor_list(request.user),
        "engagements": _engagement_choices(request.user),
    }
    data = request.POST if request.method == "POST" else None
    form: ListForm
    found: int | None = None
    query_error = ""
    if query is not None:
        initial = {"query": query, "save_as": (request.GET.get("save_as") or "")[:200]}
        form = ListFromQueryForm(data, initial=initial, **choices)
        try:
            filters = services.query_filters(request.user, query)
        except ValidationError as error:
            query_error = " ".join(error.messages)
        else:
            found = person_list(request.user, **filters, page=1, per_page=1).paginator.count
    else:
        form = ListForm(data, **choices)
    if data is not None and not query_error and form.is_valid():
        try:
            with transaction.atomic():
                plist = services.list_create(by=request.user, **form.values())
                built = None
                if isinstance(form, ListFromQueryForm):
                    name = form.cleaned_data.get("save_as") or ""
                    used: Any = (
                        services.saved_query_save(owner=request.user, name=name, query=query or "")
                        if name
                        else query or ""
                    )
                    built = services.list_build_from_query(
                        prisoner_list=plist,
                        query=used,
                        by=request.user,
                        requests=form.cleaned_data["requests"],
                    )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if built is not None:
                text = _("List created with %(n)s persons from the query.") % {"n": len(built.added)}
                if built.truncated:
                    text += " " + _(
                        "The query found more persons than a list takes; the first ones were added."
                    )
                messages.success(request, text)
            else:
                messages.success(request, _("List created: now add persons to it."))
            return redirect("web:dialogue_list", pk=plist.pk)
    context: dict[str, Any] = {"form": form, "plist": None, "query": query, "found": found}
    if query is None:
        context["saved_queries"] = selectors.saved_query_list(request.user)
    elif not query_error:
        drafts = selectors.prisoner_list_list(request.user, status=ListStatus.DRAFT, per_page=100).object_list
        context["add_form"] = AddFromQueryForm(initial={"query": query}, drafts=drafts)
    context["query_error"] = query_error
    return render(request, "web/dialogue/list_form.html", context)


@editor_required
@require_POST
def list_build_view(request: HttpRequest) -> HttpResponse:
    """Add the persons a person-list query finds to a draft list already begun."""
    drafts = selectors.prisoner_list_list(request.user, status=ListStatus.DRAFT, per_page=100).object_list
    form = AddFromQueryForm(request.POST, drafts=drafts)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        back = urlencode({"query": form["query"].value() or ""})
        return redirect(reverse("web:dialogue_list_new") + "?" + back)
    plist = form.chosen_list()
    try:
        built = services.list_build_from_query(
            prisoner_list=plist,
            query=_query_of(form.cleaned_data["query"]),
            by=request.user,
            requests=form.cleaned_data["requests"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("%(n)s persons added from the query (%(already)s were on the list already).") % {
            "n": len(built.added),
            "already": built.already,
        }
        messages.success(request, text)
    return redirect("web:dialogue_list", pk=plist.pk)


@editor_required
@require_http_methods(["GET", "POST"])
def list_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    plist = _or_404(selectors.prisoner_list_for_edit, request.user, pk)
    choices: dict[str, Any] = {
        "user": request.user,
        "interlocutors": selectors.interlocutor_list(request.user),
        "engagements": _engagement_choices(request.user),
    }
    if request.method != "POST":
        initial = {
            "version": plist.version,
            "title": plist.title,
            "interlocutor": plist.interlocutor_id,
            "engagement": plist.engagement_id or "",
            "notes": plist.notes,
            "confidentiality": plist.confidentiality,
        }
        form = ListForm(initial=initial, **choices)
        return render(request, "web/dialogue/list_form.html", {"form": form, "plist": plist})
    form = ListForm(request.POST, **choices)
    status = 200
    if form.is_valid():
        try:
            values = form.values()
            if plist.engagement_id and plist.engagement_id not in form.offered("engagement"):
                # Within an engagement this user may not see: not offered, so not theirs to unset.
                values.pop("engagement")
            services.list_update(
                prisoner_list=plist,
                version=form.cleaned_data.get("version") or -1,
                by=request.user,
                **values,
            )
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
            status = 409
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("List saved."))
            return redirect("web:dialogue_list", pk=plist.pk)
    return render(request, "web/dialogue/list_form.html", {"form": form, "plist": plist}, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def list_hand_over_view(request: HttpRequest, pk: int) -> HttpResponse:
    plist = _or_404(selectors.prisoner_list_for_edit, request.user, pk)
    form = HandOverForm(request.POST or None, initial={"handed_over": plist.handed_over})
    if request.method == "POST" and form.is_valid():
        try:
            services.list_hand_over(
                prisoner_list=plist, handed_over=form.cleaned_data["handed_over"], by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("List marked as handed over."))
            return redirect("web:dialogue_list", pk=plist.pk)
    return render(request, "web/dialogue/hand_over.html", {"form": form, "plist": plist})


@login_required
@never_cache  # a list within the reader's clearance: not for any shared cache
@require_GET
def list_export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The list as handed over (PDF, CSV or DOCX): what the reader may see, nothing internal."""
    if fmt not in exports.EXPORTERS:
        raise Http404
    plist = _or_404(selectors.prisoner_list_for_edit, request.user, pk)
    body = exports.export_list(request.user, plist, fmt)
    response = HttpResponse(body, content_type=exports.EXPORTERS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(plist, fmt)}"'
    return response


# -- entries ---------------------------------------------------------------------------------------
def _person_label(line: selectors.PersonLine) -> str:
    """A person as offered for a list: names in both scripts, and what tells namesakes apart."""
    names = " ".join(n for n in (line.latin, line.han, line.other if not line.latin else "") if n)
    more = ", ".join(t for t in (line.sentence, line.place, line.status) if t)
    return f"{names or line.name} ({more})" if more else names or line.name


def _live_person(request: HttpRequest, pk: int) -> int:
    """A dossier merged into another (habeas.linkage.merge) is asked about as its survivor: the
    survivor is offered instead, with a notice; one whose survivor the user may not see is offered
    to nobody."""
    try:
        survivor = merged_into(request.user, Person, pk)
    except Http404:
        return 0
    if survivor is None:
        return pk
    messages.info(
        request,
        _("Dossier #%(pk)s was merged into dossier #%(survivor)s: this is that dossier.")
        % {"pk": pk, "survivor": survivor},
    )
    return survivor


@editor_required
@require_http_methods(["GET", "POST"])
def entry_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a person by name in any script (or come from a suggestion with ``?person=``), then say
    what is asked for them."""
    plist = _or_404(selectors.prisoner_list_for_edit, request.user, pk)
    source = request.POST if request.method == "POST" else request.GET
    q = (source.get("q") or "").strip()[:200]
    ids: list[int] = []
    if q:
        ids = [p.pk for p in person_list(request.user, q=q, page=1, per_page=20).object_list]
    elif (source.get("person") or "").isdigit() and "_find" not in source:
        ids = [_live_person(request, int(source["person"]))]
    lines = selectors.person_lines(request.user, ids)  # only persons the user may see
    choices = [(i, _person_label(lines[i])) for i in ids if i in lines]
    data = request.POST if request.method == "POST" else None
    form = EntryAddForm(
        data,
        user=request.user,
        persons=choices,
        initial={"requests": ["information"], "person": choices[0][0] if len(choices) == 1 else None},
    )
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            services.entry_add(
                prisoner_list=plist,
                person=Person.objects.get(pk=values["person"]),
                requests=values["requests"],
                case_summary=values.get("case_summary") or "",
                internal_note=values.get("internal_note") or "",
                confidentiality=values.get("confidentiality"),
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Person added to the list."))
            return redirect("web:dialogue_list", pk=plist.pk)
    return render(
        request,
        "web/dialogue/entry_add.html",
        {"form": form, "plist": plist, "q": q, "found": choices, "person": source.get("person", "")},
    )


SUGGESTION_LABELS = {
    "at_risk": _lazy("At risk: poor health with a long sentence left, death sentences, disappearances"),
    "overdue": _lazy("Held past the expected release"),
    "never_asked": _lazy("Detained and never asked about"),
    "unanswered": _lazy("Asked about, with no answer for longer than N months"),
}


@editor_required
@require_GET
def list_suggestions_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates for a draft list (the selection helpers), each with a link to add them."""
    plist = _or_404(selectors.prisoner_list_for_edit, request.user, pk)
    kind = request.GET.get("kind") or "at_risk"
    if kind not in SUGGESTION_LABELS:
        kind = "at_risk"
    months = request.GET.get("months") or "6"
    months_n = int(months) if months.isdigit() and 0 < int(months) <= 240 else 6
    options = {"months": months_n} if kind == "unanswered" else {}
    found = selectors.suggestions(request.user, kind, limit=100, **options)
    on_list = set(plist.entries.values_list("person_id", flat=True))
    return render(
        request,
        "web/dialogue/suggestions.html",
        {
            "plist": plist,
            "kind": kind,
            "kinds": list(SUGGESTION_LABELS.items()),
            "months": months_n,
            "suggestions": [(s, s.person.id in on_list) for s in found],
        },
    )


@editor_required
@require_http_methods(["GET", "POST"])
def entry_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _or_404(selectors.entry_for_edit, request.user, pk)
    initial = {
        "requests": entry.requests,
        "case_summary": entry.case_summary,
        "internal_note": entry.internal_note,
        "confidentiality": entry.confidentiality,
    }
    form = EntryForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        if entry.prisoner_list.status != ListStatus.DRAFT:
            # What the recipient received is fixed; only our own note and the level may change.
            changes = {k: v for k, v in changes.items() if k in ("internal_note", "confidentiality")}
        try:
            if changes:
                services.entry_update(entry=entry, by=request.user, **changes)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Entry saved."))
            return redirect("web:dialogue_list", pk=entry.prisoner_list_id)
    return render(
        request,
        "web/dialogue/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "plist": entry.prisoner_list,
            "name": _entry_view(request, entry).person.name,
        },
    )


@editor_required
@require_POST
def entry_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _or_404(selectors.entry_for_edit, request.user, pk)
    try:
        services.entry_remove(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Person taken off the list."))
    return redirect("web:dialogue_list", pk=entry.prisoner_list_id)


# -- responses and outcomes ------------------------------------------------------------------------
@editor_required
@require_http_methods(["GET", "POST"])
def response_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _or_404(selectors.entry_for_edit, request.user, pk)
    view = _entry_view(request, entry)
    data = request.POST if request.method == "POST" else None
    form = ResponseForm(data, user=request.user, floor=entry.confidentiality)
    # The official document the answer came in: picked and its words selected (or pasted), as on
    # every form that cites; or the answer's words typed above become a new official source.
    cite = CiteForm(data, user=request.user, required=False)
    context: dict[str, Any] = {
        "form": form,
        "cite": cite,
        "entry": entry,
        "plist": entry.prisoner_list,
        "name": view.person.name,
    }
    if data is None or _finding(request, form, cite):
        return _form_page(request, "web/dialogue/response_form.html", context)
    if form.is_valid() & cite.is_valid():
        values = form.cleaned_data
        span = cite.span
        try:
            services.response_record(
                entry=entry,
                type=values["type"],
                received=values.get("received"),
                text=values.get("text") or "",
                source=span.source if span else None,
                quote=span.quote if span else "",
                unsourced=cite.is_unsourced,
                facts=form.facts(),
                confidentiality=values["confidentiality"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Response recorded."), extra_tags=request.path)
            return redirect("web:dialogue_list", pk=entry.prisoner_list_id)
    return _form_page(request, "web/dialogue/response_form.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def outcome_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _or_404(selectors.entry_for_edit, request.user, pk)
    view = _entry_view(request, entry)
    data = request.POST if request.method == "POST" else None
    form = OutcomeForm(data, user=request.user, floor=entry.person.confidentiality, responses=view.responses)
    cite = CiteForm(data, user=request.user)
    context: dict[str, Any] = {
        "form": form,
        "cite": cite,
        "entry": entry,
        "plist": entry.prisoner_list,
        "name": view.person.name,
    }
    if data is None or _finding(request, form, cite):
        return _form_page(request, "web/dialogue/outcome_form.html", context)
    if form.is_valid() & cite.is_valid():
        values = form.cleaned_data
        try:
            with transaction.atomic():
                services.outcome_record(
                    person=entry.person,
                    kind=values["kind"],
                    date=values.get("date"),
                    new_expected_release=values.get("new_expected_release"),
                    note=values.get("note") or "",
                    citations=cite.citations(request.user) or [],
                    unsourced=cite.is_unsourced,
                    entries=[entry],
                    responses=form.chosen_responses(),
                    confidentiality=values["confidentiality"],
                    by=request.user,
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Outcome recorded."), extra_tags=request.path)
            return redirect("web:dialogue_list", pk=entry.prisoner_list_id)
    return _form_page(request, "web/dialogue/outcome_form.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def responses_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    plist = _or_404(selectors.prisoner_list_for_edit, request.user, pk)
    form = ResponsesUploadForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            created = responses_import_csv(
                prisoner_list=plist, data=form.cleaned_data["upload"], by=request.user
            )
        except ImportRowsError as refused:
            row_errors, status = refused.errors, 400
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", [str(error)]))
            status = 400
        else:
            messages.success(request, _("%(n)s responses imported.") % {"n": len(created)})
            return redirect("web:dialogue_list", pk=plist.pk)
    return render(
        request,
        "web/dialogue/responses_upload.html",
        {"form": form, "plist": plist, "row_errors": row_errors},
        status=status,
    )


# -- statistics and alerts -------------------------------------------------------------------------
def _rate_bar(label: Any, row: Any) -> tuple[str, float, str]:
    percent = round(100 * row.rate, 1)
    return (str(label), percent, f"{percent:g}% ({row.answered}/{row.asked})")


@login_required
@require_GET
def statistics_view(request: HttpRequest) -> HttpResponse:
    """The dialogue in numbers, from what the reader may see, with bar charts drawn here as SVG."""
    figures = stats.dialogue_stats(request.user)
    asked_years = [r for r in figures.by_year if r.asked]
    charts = [
        bar_chart(
            [(str(r.year), r.lists_handed, str(r.lists_handed)) for r in figures.by_year if r.lists_handed],
            title=_("Lists handed over, by year"),
        ),
        bar_chart(
            [_rate_bar(r.year, r) for r in asked_years], title=_("Response rate, by year"), maximum=100
        ),
        bar_chart(
            [_rate_bar(r.name, r) for r in figures.by_interlocutor if r.asked],
            title=_("Response rate, by interlocutor"),
            maximum=100,
        ),
        bar_chart(
            [(label, n, str(n)) for _value, label, n in figures.responses_by_type if n],
            title=_("Responses, by type"),
        ),
        bar_chart(
            [(str(r.year), r.outcomes, str(r.outcomes)) for r in figures.by_year if r.outcomes],
            title=_("Acts of clemency or better treatment, by year"),
        ),
        bar_chart(
            [(label, n, str(n)) for _value, label, n in figures.outcomes_by_kind if n],
            title=_("Acts of clemency or better treatment, by kind"),
        ),
    ]
    return render(
        request,
        "web/dialogue/statistics.html",
        {"stats": figures, "charts": [c for c in charts if c is not None]},
    )


@login_required
@require_GET
def alerts_view(request: HttpRequest) -> HttpResponse:
    """What needs attention: releases due within N days, overdue releases, lists without an answer
    after N days, anniversaries of detention this week (the page of ``habeas dialogue alerts``)."""
    form = AlertsForm(request.GET or None)
    # An invalid number is reported and the default used in its place.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    found = dialogue_alerts(
        request.user,
        days=data.get("days") or DEFAULT_DAYS,
        list_days=data.get("list_days") or DEFAULT_LIST_DAYS,
    )
    return render(request, "web/dialogue/alerts.html", {"form": form, "alerts": found})

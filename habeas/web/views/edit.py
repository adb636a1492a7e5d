"""Edit pages: create and edit a person, add facts to a dossier, edit and remove facts.

Only users who may write (researchers and administrators: ``User.can_edit``) reach these pages; others
get 403. A record above the user's clearance is answered with 404, like a missing one. Every write goes
through the services (habeas.dossiers.services) with the user as ``by``, so history rows name them.

Two people editing one record: each edit form carries the version of the saved values it began from;
a save from an older version is refused (409), and the form comes back with what this user typed kept
in the fields and the values saved meanwhile shown beside them. Saving again then is a deliberate
overwrite, of values the user has seen.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from habeas.accounts.selectors import user_clearance, visible_q
from habeas.dossiers import services
from habeas.dossiers.models import (
    Affiliation,
    Allegation,
    Charge,
    CustodyPeriod,
    Detention,
    Fact,
    HealthNote,
    LegalStep,
    Person,
    PersonName,
    Sentence,
    SentenceChange,
    StatusChange,
)
from habeas.dossiers.selectors import citation_view, person_dossier
from habeas.sources.models import Source
from habeas.sources.pick import source_to_cite, sources_to_cite
from habeas.web.forms import (
    AffiliationForm,
    AllegationForm,
    ChargeForm,
    CiteForm,
    CustodyPeriodForm,
    DetentionForm,
    FactForm,
    HealthForm,
    LegalStepForm,
    NameForm,
    NewNameFormSet,
    PersonCreateForm,
    PersonForm,
    SentenceChangeForm,
    SentenceForm,
    StatusForm,
)
from habeas.web.views._merged import follows_merge, merged_answer


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else to the sign-in page) and allowed to write (else 403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "can_edit", False):
            raise PermissionDenied(_("Your role may read dossiers but not change them."))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@dataclass(frozen=True)
class Kind:
    """A kind of fact the web app adds and edits: its form, what it hangs from, the service adding it."""

    slug: str
    model: type[Fact]
    form: type[FactForm]
    parent: str  # "person", "detention" or "sentence": the keyword the add service takes
    add: Callable[..., Any]
    path: str  # from the fact to its person, for the clearance check of every record on the way


KINDS = {
    k.slug: k
    for k in (
        Kind("name", PersonName, NameForm, "person", services.name_add, "person"),
        Kind("detention", Detention, DetentionForm, "person", services.detention_record, "person"),
        Kind("status", StatusChange, StatusForm, "person", services.status_record, "person"),
        Kind("health", HealthNote, HealthForm, "person", services.health_note_record, "person"),
        Kind("allegation", Allegation, AllegationForm, "person", services.allegation_record, "person"),
        Kind("affiliation", Affiliation, AffiliationForm, "person", services.affiliation_record, "person"),
        Kind("sentence", Sentence, SentenceForm, "detention", services.sentence_record, "detention__person"),
        Kind("charge", Charge, ChargeForm, "detention", services.charge_record, "detention__person"),
        Kind(
            "custody",
            CustodyPeriod,
            CustodyPeriodForm,
            "detention",
            services.custody_period_record,
            "detention__person",
        ),
        Kind(
            "legal-step",
            LegalStep,
            LegalStepForm,
            "detention",
            services.legal_step_record,
            "detention__person",
        ),
        Kind(
            "sentence-change",
            SentenceChange,
            SentenceChangeForm,
            "sentence",
            services.sentence_change_record,
            "sentence__detention__person",
        ),
    )
}
PARENTS: dict[str, tuple[type[models.Model], str]] = {
    "person": (Person, ""),
    "detention": (Detention, "person"),
    "sentence": (Sentence, "detention__person"),
}


def _visible_record(model: type[models.Model], user: Any, pk: int, path: str) -> Any:
    """The record if it and every record on its way to the person are visible to ``user``; else 404."""
    q = visible_q(user)
    prefix = ""
    for step in path.split("__") if path else []:
        prefix += f"{step}__"
        q.update(visible_q(user, prefix))
    try:
        return model._default_manager.filter(**q).get(pk=pk)
    except model.DoesNotExist as missing:  # type: ignore[attr-defined]
        raise Http404 from missing


def _kind(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError as unknown:
        raise Http404 from unknown


def _saved(request: HttpRequest, text: str, person_pk: int) -> HttpResponseRedirect:
    """Back to the dossier; the message tells web/edit.js that this form's draft can go."""
    messages.success(request, text, extra_tags=request.path)
    return HttpResponseRedirect(reverse("web:person_detail", args=[person_pk]))


def _merged_person(request: HttpRequest, person_pk: int) -> HttpResponse | None:
    """The answer for a fact of a merged-away dossier: to the survivor's facts, or refused."""
    return merged_answer(request, Person, person_pk, survivor_page="web:person_facts")


def _add_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# -- what the edit templates show beside the form ----------------------------------------------------
def _picker(request: HttpRequest, cite: CiteForm) -> dict[str, Any]:
    """Search results (the no-JavaScript "Find" button) and the chosen source with its text."""
    results: list[Source] = []
    find = (cite["find"].value() or "").strip()
    if find and request.method == "POST" and "_find" in request.POST:
        results = sources_to_cite(request.user, find)
    chosen = cite.source_obj
    if chosen is None and cite["source"].value():
        try:
            chosen = source_to_cite(request.user, cite["source"].value())
        except Source.DoesNotExist:
            chosen = None
    if chosen is not None and all(s.pk != chosen.pk for s in results):
        results.insert(0, chosen)
    return {"results": results, "chosen": chosen}


def _differences(form: FactForm, saved: FactForm) -> list[tuple[Any, str]]:
    """(field, saved value as shown) for each field where what the user typed differs from what is saved."""

    def text(value: Any) -> str:
        if value is None or value is False:
            return ""
        return "yes" if value is True else str(value)

    rows = []
    for name, field in saved.fields.items():
        if name == "version":
            continue
        typed, stored = text(form[name].value()), text(saved[name].value())
        if typed != stored:
            choices = {str(k): str(v) for k, v in getattr(field, "choices", ())}
            rows.append((form[name], choices.get(stored, stored) or _("(empty)")))
    return rows


def _render_form(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    form, cite = context["form"], context["cite"]
    conflict = context.get("conflict") or {}
    context.update(
        picker=_picker(request, cite),
        fields=[(field, conflict.get(field.name)) for field in form if not field.is_hidden],
        draft_key=request.path,
        # A form shown by GET may take back a draft web/edit.js kept; one shown again after a POST
        # already holds what the user typed.
        restore=request.method == "GET",
    )
    return render(request, "web/edit/fact_form.html", context, status=status)


def _finding(request: HttpRequest, *forms: Any) -> bool:
    """The no-JavaScript "Find" button: show the forms again with search results, saving nothing."""
    if "_find" not in request.POST:
        return False
    for form in forms:
        form.is_valid()
        for each in getattr(form, "forms", [form]):  # a formset's forms, or the form itself
            each.errors.clear()
    return True


# -- persons -----------------------------------------------------------------------------------------
@editor_required
@require_http_methods(["GET", "POST"])
def person_create_view(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PersonCreateForm(data, user=request.user, parent_level=1)
    names = NewNameFormSet(data, prefix="names")
    cite = CiteForm(data, user=request.user)
    context = {"form": form, "names": names, "cite": cite, "title": _("New person"), "person": None}
    if data is None or _finding(request, form, names, cite):
        return _render_form(request, context)
    if form.is_valid() & names.is_valid() & cite.is_valid():
        main = {
            "text": form.cleaned_data["main_name"],
            "kind": "main",
            "script": form.cleaned_data["main_script"] or None,
            "scheme": form.cleaned_data["main_scheme"],
        }
        more = [
            {"text": n["text"], "kind": n["kind"], "script": n["script"] or None, "scheme": n["scheme"]}
            for n in names.cleaned_data
            if n.get("text", "").strip()
        ]
        try:
            with transaction.atomic():
                person = services.person_create(
                    names=[main, *more],
                    citations=cite.citations(request.user) or [],
                    unsourced=cite.is_unsourced,
                    by=request.user,
                    **form.values(),
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, _("Dossier created."), person.pk)
    return _render_form(request, context)


@editor_required
@require_http_methods(["GET", "POST"])
@follows_merge(Person)
def person_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_record(Person, request.user, pk, "")
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, instance=person, user=request.user, initial={"version": person.version})
    cite = CiteForm(data, user=request.user, required=False)
    context = {
        "form": form,
        "cite": cite,
        "title": _("Edit %(name)s") % {"name": person},
        "person": person,
        "editing": True,
        "unsourced_by": person.unsourced_by,
        "current_citations": _current_citations(person, request.user),
    }
    if data is None or _finding(request, form, cite):
        return _render_form(request, context)
    if form.is_valid() & cite.is_valid():
        try:
            with transaction.atomic():
                services.person_update(
                    person=person,
                    version=_int(form.cleaned_data["version"]),
                    by=request.user,
                    citations=cite.citations(request.user),
                    unsourced=cite.is_unsourced,
                    **form.values(),
                )
        except services.EditConflict as conflict:
            current = Person.objects.get(pk=person.pk)
            return _conflict(request, context, PersonForm, current, str(current.version), conflict)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, _("Saved."), person.pk)
    return _render_form(request, context)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # no version sent: treated as a conflict, never as "overwrite"


def _current_citations(fact: Fact, user: Any) -> list[Any]:
    clearance = user_clearance(user)
    citations = [fact.citation] if fact.citation is not None else []
    extra = fact.extra_citations.select_related("source").order_by("pk")
    citations += [c for c in extra if c.pk != fact.citation_id]
    return [citation_view(c, clearance) for c in citations]


def _conflict(
    request: HttpRequest,
    context: dict[str, Any],
    form_class: type[FactForm],
    current: Any,
    version: str,
    error: Exception,
) -> HttpResponse:
    """The form again: the user's input kept, the values saved meanwhile beside it, the new version."""
    data = request.POST.copy()
    data["version"] = version
    saved = form_class(instance=current, user=request.user)
    # Validating writes the typed values onto the instance: give the bound form its own copy.
    form = form_class(data, instance=copy.copy(current), user=request.user)
    form.is_valid()
    context.update(
        form=form,
        conflict=dict((field.name, value) for field, value in _differences(form, saved)),
        conflict_message=str(error),
        current_citations=_current_citations(current, request.user),
    )
    return _render_form(request, context, status=409)


# -- facts -------------------------------------------------------------------------------------------
@editor_required
@require_http_methods(["GET", "POST"])
def fact_add_view(request: HttpRequest, parent: str, pk: int, kind: str) -> HttpResponse:
    spec = _kind(kind)
    if spec.parent != parent:
        raise Http404
    model, path = PARENTS[parent]
    record = _visible_record(model, request.user, pk, path)
    person_pk = int(record.pk) if parent == "person" else services.fact_person_id(record)
    # Nothing is added to a merged-away dossier: its facts live on the survivor.
    page = None if parent == "person" else "web:person_facts"
    if (merged := merged_answer(request, Person, person_pk, survivor_page=page)) is not None:
        return merged
    data = request.POST if request.method == "POST" else None
    form = spec.form(data, user=request.user, parent_level=record.confidentiality)
    cite = CiteForm(data, user=request.user)
    context = {
        "form": form,
        "cite": cite,
        "title": _("Add a %(kind)s") % {"kind": spec.model._meta.verbose_name},
        "person": _visible_record(Person, request.user, person_pk, ""),
        "parent": record if parent != "person" else None,
    }
    if data is None or _finding(request, form, cite):
        return _render_form(request, context)
    if form.is_valid() & cite.is_valid():
        try:
            with transaction.atomic():
                spec.add(
                    **{parent: record},
                    citations=cite.citations(request.user) or [],
                    unsourced=cite.is_unsourced,
                    by=request.user,
                    **form.values(),
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(
                request,
                _("%(kind)s added.") % {"kind": capfirst(str(spec.model._meta.verbose_name))},
                person_pk,
            )
    return _render_form(request, context)


@editor_required
@require_http_methods(["GET", "POST"])
def fact_edit_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    fact = _visible_record(spec.model, request.user, pk, spec.path)
    person_pk = services.fact_person_id(fact)
    # A fact left on a merged-away dossier (a name both carried) is not edited there.
    if (merged := _merged_person(request, person_pk)) is not None:
        return merged
    data = request.POST if request.method == "POST" else None
    form = spec.form(data, instance=fact, user=request.user, initial={"version": services.fact_version(fact)})
    cite = CiteForm(data, user=request.user, required=False)
    context = {
        "form": form,
        "cite": cite,
        "title": _("Edit %(kind)s") % {"kind": spec.model._meta.verbose_name},
        "person": _visible_record(Person, request.user, person_pk, ""),
        "editing": True,
        "unsourced_by": fact.unsourced_by,
        "current_citations": _current_citations(fact, request.user),
        "remove_url": reverse("web:fact_remove", args=[kind, pk]),
    }
    if data is None or _finding(request, form, cite):
        return _render_form(request, context)
    if form.is_valid() & cite.is_valid():
        try:
            with transaction.atomic():
                services.fact_update(
                    fact=fact,
                    version=form.cleaned_data["version"],
                    by=request.user,
                    citations=cite.citations(request.user),
                    unsourced=cite.is_unsourced,
                    **form.values(),
                )
        except services.EditConflict as conflict:
            current = spec.model._default_manager.filter(pk=pk).first()
            if current is None:
                messages.error(request, str(conflict))
                return HttpResponseRedirect(reverse("web:person_detail", args=[person_pk]))
            return _conflict(request, context, spec.form, current, services.fact_version(current), conflict)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _saved(request, _("Saved."), person_pk)
    return _render_form(request, context)


@editor_required
@require_http_methods(["GET", "POST"])
def fact_remove_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A confirmation page; the removal keeps every value in the history row."""
    spec = _kind(kind)
    fact = _visible_record(spec.model, request.user, pk, spec.path)
    person_pk = services.fact_person_id(fact)
    if (merged := _merged_person(request, person_pk)) is not None:
        return merged
    version = request.POST.get("version") or services.fact_version(fact)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.fact_remove(
                fact=fact, version=version, by=request.user, note=request.POST.get("note", "")[:500]
            )
        except services.EditConflict as conflict:
            error, status = str(conflict), 409
            current = spec.model._default_manager.filter(pk=pk).first()
            if current is None:
                messages.error(request, str(conflict))
                return HttpResponseRedirect(reverse("web:person_detail", args=[person_pk]))
            fact, version = current, services.fact_version(current)
        except ValidationError as refused:
            error, status = " ".join(refused.messages), 400
        else:
            return _saved(
                request,
                _("%(kind)s removed.") % {"kind": capfirst(str(spec.model._meta.verbose_name))},
                person_pk,
            )
    return render(
        request,
        "web/edit/fact_remove.html",
        {
            "fact": fact,
            "kind": spec,
            "verbose": spec.model._meta.verbose_name,
            "version": version,
            "error": error,
            "person": _visible_record(Person, request.user, person_pk, ""),
            "citations": _current_citations(fact, request.user),
            "values": _described(spec, fact, request.user),
        },
        status=status,
    )


def _described(spec: Kind, fact: Fact, user: Any) -> list[tuple[str, str]]:
    """(label, value as shown) of a fact's filled-in fields, in its form's order."""
    form = spec.form(instance=fact, user=user)
    rows = []
    for field in form:
        if field.is_hidden:
            continue
        value = field.value()
        if value in (None, "", False):
            continue
        choices = {str(k): str(v) for k, v in getattr(field.field, "choices", ())}
        shown = _("yes") if value is True else choices.get(str(value), str(value))
        rows.append((str(field.label), shown))
    return rows


@editor_required
@require_http_methods(["GET"])
@follows_merge(Person)
def person_facts_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every visible fact of a dossier with its edit, remove and add links."""
    try:
        dossier = person_dossier(request.user, pk)
    except Person.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "web/edit/person_facts.html", {"dossier": dossier, "person": dossier.person})

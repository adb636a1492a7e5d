"""Linkage review: the queue of candidate pairs (persons and places), a pair side by side with the
evidence that matched, the decisions, the merge history with "undo", and the split form.

Who decides what: reviewers, researchers and admins see the queue and mark pairs "different persons"
(never proposed again), defer or reopen them; that changes no dossier, like rejecting an extracted
candidate. Merging, undoing a merge and splitting move a person's facts from one dossier to another
(a false merge attributes one person's sentence to another), which is editing dossiers: researchers
and admins only, as for every other change to a dossier by hand. Viewers get 403 on every linkage URL.
A pair, merge or record above the reader's clearance answers 404, like a missing one.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from habeas.dossiers.models import Person
from habeas.dossiers.selectors import person_dossier
from habeas.linkage.merge import SPLITTABLE, merge_undo, person_split
from habeas.linkage.merge_models import MergeRecord
from habeas.linkage.models import Decision, LinkageSettings
from habeas.linkage.queue import (
    fact_label,
    merge_detail,
    merge_history,
    pair_decide,
    pair_detail,
    pair_for_review,
    pair_merge,
    pair_queue,
)
from habeas.linkage.services import THRESHOLD_FIELDS, linkage_settings_update
from habeas.web.views._access import editor_required
from habeas.web.views._merged import follows_merge
from habeas.web.views.review import reviewer_required

KINDS = ("person", "place")
DECISION_CHOICES = [
    (Decision.PENDING.value, gettext_lazy("pending")),
    (Decision.DEFERRED.value, gettext_lazy("deferred")),
    (Decision.DIFFERENT.value, gettext_lazy("different")),
    (Decision.MERGED.value, gettext_lazy("merged")),
    ("", gettext_lazy("any")),
]
ACTIONS = {"different": Decision.DIFFERENT, "defer": Decision.DEFERRED, "reopen": Decision.PENDING}


class PairFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Records"),
        required=False,
        choices=[("person", gettext_lazy("persons")), ("place", gettext_lazy("places of detention"))],
    )
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), required=False, choices=DECISION_CHOICES)
    score_min = forms.FloatField(
        label=gettext_lazy("Score at least"), required=False, min_value=0, max_value=1
    )
    score_max = forms.FloatField(
        label=gettext_lazy("Score at most"), required=False, min_value=0, max_value=1
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            self.add_error("score_max", _("The highest score is below the lowest."))
        return data

    def filters(self) -> dict[str, Any]:
        """The selector's arguments from what was valid; an invalid field is left out."""
        data = getattr(self, "cleaned_data", {})
        decision = self.data.get("decision", Decision.PENDING) if "decision" not in self.errors else ""
        return {
            "kind": data.get("kind") or "person",
            "decision": decision if decision in dict(DECISION_CHOICES) else Decision.PENDING,
            "score_min": data.get("score_min"),
            "score_max": data.get("score_max"),
        }


@reviewer_required
@require_GET
def pair_queue_view(request: HttpRequest) -> HttpResponse:
    form = PairFilterForm(request.GET or None)
    form.is_valid()
    filters = form.filters()
    page = pair_queue(request.user, **filters, page=request.GET.get("page") or 1)
    return render(
        request,
        "web/linkage/queue.html",
        {"form": form, "page": page, "rows": page.object_list, "kind": filters["kind"]},
    )


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return kind


@reviewer_required
@require_GET
def pair_detail_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    try:
        detail = pair_detail(request.user, _kind(kind), pk)
    except (LookupError, ObjectDoesNotExist) as missing:
        raise Http404 from missing
    return render(request, "web/linkage/pair.html", {"detail": detail, "pair": detail.pair, "kind": kind})


@reviewer_required
@require_POST
def pair_decide_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    try:
        pair = pair_for_review(request.user, _kind(kind), pk)
    except (LookupError, ObjectDoesNotExist) as missing:
        raise Http404 from missing
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")[:500]
    back = reverse("web:linkage_pair", args=[kind, pair.pk])
    try:
        if action == "merge":
            if not getattr(request.user, "can_edit", False):
                raise PermissionDenied("Only researchers and administrators merge records.")
            survivor = request.POST.get("survivor", "")
            if not survivor.isdigit():
                raise ValidationError(_("Choose which of the two records stays."))
            record = pair_merge(pair=pair, survivor_id=int(survivor), by=request.user, note=note)
            messages.success(request, _("Merged. You can undo it from the merge history."))
            return redirect("web:linkage_merge", pk=record.pk)
        if action not in ACTIONS:
            return HttpResponse(_("Unknown action: merge, different, defer or reopen."), status=400)
        pair_decide(pair=pair, decision=ACTIONS[action], by=request.user, note=note)
        messages.success(request, _("Saved: %(decision)s.") % {"decision": Decision(ACTIONS[action]).label})
    except ValidationError as refused:
        # Nothing was written (one transaction): say why on the pair's page.
        messages.error(request, _("Not saved: %(why)s") % {"why": "; ".join(refused.messages)})
    return redirect(back)


@reviewer_required
@require_GET
def merge_list_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    page = merge_history(request.user, kind=kind if kind in KINDS else "", page=request.GET.get("page") or 1)
    return render(request, "web/linkage/merges.html", {"page": page, "rows": page.object_list})


@reviewer_required
@require_GET
def merge_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = merge_detail(request.user, pk)
    except MergeRecord.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "web/linkage/merge.html", {"detail": detail, "record": detail.row.record})


@editor_required
@require_POST
def merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        record = merge_detail(request.user, pk).row.record
    except MergeRecord.DoesNotExist as missing:
        raise Http404 from missing
    try:
        merge_undo(record=record, by=request.user, note=request.POST.get("note", "")[:500])
        messages.success(request, _("Undone."))
    except ValidationError as refused:
        messages.error(request, _("Not undone: %(why)s") % {"why": "; ".join(refused.messages)})
    return redirect("web:linkage_merge", pk=record.pk)


# -- split -----------------------------------------------------------------------------------------
SPLIT_PREFIX = {model: model._meta.model_name for model in SPLITTABLE}


def _split_choices(dossier: Any) -> list[tuple[str, str, Any]]:
    """(field value, group, fact) for every record the form offers: what the reader sees of the
    dossier, so a hidden fact is never offered (nor moved: the service refuses a split above clearance)."""
    rows: list[tuple[str, str, Any]] = []
    rows += [(f"personname:{n.fact.pk}", _("Names"), n.fact) for n in dossier.names]
    rows += [
        (f"detention:{d.fact.pk}", _("Detentions (with everything recorded under them)"), d.fact)
        for d in dossier.detentions
    ]
    rows += [
        (f"statuschange:{s.fact.pk}", _("Status changes"), s.fact)
        for s in dossier.statuses
        if not s.fact.detention_id
    ]
    rows += [(f"healthnote:{h.fact.pk}", _("Health notes"), h.fact) for h in dossier.health]
    rows += [
        (f"allegation:{a.fact.pk}", _("Allegations"), a.fact)
        for a in dossier.allegations
        if not a.fact.detention_id
    ]
    rows += [(f"affiliation:{a.fact.pk}", _("Affiliations"), a.fact) for a in dossier.affiliations]
    return rows


@editor_required
@require_http_methods(["GET", "POST"])
@follows_merge(Person)  # a merged-away dossier is split on its survivor
def person_split_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = person_dossier(request.user, pk)
    except Person.DoesNotExist as missing:
        raise Http404 from missing
    choices = _split_choices(dossier)
    offered = {value: fact for value, _group, fact in choices}
    chosen = [v for v in request.POST.getlist("move") if v in offered] if request.method == "POST" else []
    if request.method == "POST":
        unknown = [v for v in request.POST.getlist("move") if v not in offered]
        if unknown:
            messages.error(request, _("Not split: some chosen records are not this dossier's."))
        else:
            try:
                record = person_split(
                    person=dossier.person,
                    records=[offered[v] for v in chosen],
                    by=request.user,
                    note=request.POST.get("note", "")[:500],
                )
            except ValidationError as refused:
                messages.error(request, _("Not split: %(why)s") % {"why": "; ".join(refused.messages)})
            else:
                messages.success(request, _("Split: the chosen records are now a dossier of their own."))
                return redirect("web:person_detail", pk=record.target_person_id)
    groups: dict[str, list[tuple[str, Any, bool]]] = {}
    for value, group, fact in choices:
        groups.setdefault(str(group), []).append((value, fact_label(fact), value in chosen))
    return render(
        request,
        "web/linkage/split.html",
        {"dossier": dossier, "person": dossier.person, "groups": groups},
    )


# -- the admin's thresholds ------------------------------------------------------------------------
class ThresholdsForm(forms.Form):
    person_auto_link = forms.FloatField(
        label=gettext_lazy("Persons: link automatically at or above"), min_value=0, max_value=1
    )
    person_review = forms.FloatField(
        label=gettext_lazy("Persons: queue for review at or above"), min_value=0, max_value=1
    )
    place_auto_link = forms.FloatField(
        label=gettext_lazy("Places: link automatically at or above"), min_value=0, max_value=1
    )
    place_review = forms.FloatField(
        label=gettext_lazy("Places: queue for review at or above"), min_value=0, max_value=1
    )


def admin_required(view: Any) -> Any:
    """Signed in (else to the sign-in page) and an administrator (else 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", "") != "admin" or not request.user.is_active:
            raise PermissionDenied("Only administrators set the linkage thresholds.")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@admin_required
@require_http_methods(["GET", "POST"])
def thresholds_view(request: HttpRequest) -> HttpResponse:
    current = LinkageSettings.current()
    initial = {name: getattr(current, name) for name in THRESHOLD_FIELDS}
    form = ThresholdsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            linkage_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(request, _("Thresholds saved."))
            return redirect("web:linkage_thresholds")
    return render(request, "web/linkage/thresholds.html", {"form": form, "current": current})

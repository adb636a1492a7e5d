"""The review queue: sources with candidate facts, a source's candidates beside its highlighted text,
and the decisions (accept, edit then accept, reject). Reviewers, researchers and admins decide;
viewers get 403 on every review URL; a source above the reader's clearance answers 404.

A reviewer cannot edit dossiers by hand, but deciding on candidates is what the role is for: an
accepted candidate lands through the dossier services as hand entry does, citing the source's own
words, in the reviewer's name, and only in dossiers the reviewer may see (or a new one). Running the
extractor ("Extract facts") stays with researchers and admins, who add sources.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from habeas.accounts.selectors import visible_q
from habeas.dossiers.models import Person
from habeas.linkage.merge import visible_survivor
from habeas.review.models import EDIT_FIELDS, Candidate
from habeas.review.selectors import candidate_for_review, review_detail, review_queue
from habeas.review.services import NEW, candidate_accept, candidate_reject, extraction_run
from habeas.sources.models import Source
from habeas.web.views._access import View, editor_required


def reviewer_required(view: View) -> View:
    """Signed in (else to the sign-in page) and allowed to review (else 403, whatever the record)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "can_review", False):
            raise PermissionDenied("Only reviewers, researchers and administrators review extracted facts.")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@reviewer_required
@require_GET
def review_queue_view(request: HttpRequest) -> HttpResponse:
    page = review_queue(request.user, page=request.GET.get("page") or 1)
    return render(request, "web/review_queue.html", {"page": page, "sources": page.object_list})


@reviewer_required
@require_GET
def review_source_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = review_detail(request.user, pk)
    except Source.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "web/review_source.html", {"detail": detail, "source": detail.source})


def _chosen_person(request: HttpRequest) -> Person | str | None:
    """The dossier chosen on the form: none (as proposed), a new one, or a visible dossier."""
    choice = (request.POST.get("person") or "").strip()
    if not choice:
        return None
    if choice == NEW:
        return NEW
    if not choice.isdigit():
        raise ValidationError("choose a person from the list or a new dossier")
    try:
        person = Person.objects.get(pk=int(choice), **visible_q(request.user))
    except Person.DoesNotExist as missing:
        raise ValidationError("that person does not exist or is not visible to you") from missing
    if person.merged_into_id:
        # Accepting into a merged-away dossier would put the fact where nobody reads it.
        survivor = visible_survivor(request.user, Person, person.pk)
        where = f"#{survivor}: choose that one" if survivor else "another dossier"
        raise ValidationError(f"dossier #{person.pk} was merged into {where}")
    return person


def _edits(request: HttpRequest, candidate: Candidate) -> dict[str, Any]:
    """The edit fields sent with 'accept with my edits' (fields left out of the form are not edits)."""
    edits: dict[str, Any] = {}
    for name in EDIT_FIELDS.get(candidate.kind, ()):
        key = f"edit-{name}"
        if key not in request.POST:
            continue
        value = request.POST[key].strip()
        if name == "names":
            edits[name] = [line.strip() for line in value.splitlines() if line.strip()]
        elif name == "conditions":  # one line, comma-separated
            edits[name] = [part.strip() for part in value.split(",") if part.strip()]
        elif name == "months":
            edits[name] = int(value) if value.isdigit() else value or None
        elif name in ("started", "date", "pronounced", "place_id"):
            edits[name] = value or None  # left empty: unknown
        else:
            edits[name] = value
    return edits


@reviewer_required
@require_POST
def candidate_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        candidate = candidate_for_review(request.user, pk)
    except Candidate.DoesNotExist as missing:
        raise Http404 from missing
    action = request.POST.get("action")
    back = reverse("web:review_source", args=[candidate.source_id]) + f"#candidate-{candidate.pk}"
    try:
        if action == "reject":
            candidate_reject(candidate=candidate, by=request.user, note=request.POST.get("note", "")[:500])
            messages.success(request, _("Rejected."))
        elif action in ("accept", "edit"):
            edits = _edits(request, candidate) if action == "edit" else None
            decided = candidate_accept(
                candidate=candidate, by=request.user, edits=edits, person=_chosen_person(request)
            )
            messages.success(request, _("Accepted: %(what)s.") % {"what": decided.get_state_display()})
        else:
            return HttpResponse(_("Unknown action: accept, edit or reject."), status=400)
    except ValidationError as refused:
        # Nothing was written (one transaction); say why beside the candidate.
        messages.error(request, _("Not saved: %(why)s") % {"why": "; ".join(refused.messages)})
    return redirect(back)


@editor_required
@require_POST
def source_extract_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the extractor on a source; its proposals wait in the review queue."""
    try:
        source = Source.objects.get(pk=pk, **visible_q(request.user))
    except Source.DoesNotExist as missing:
        raise Http404 from missing
    try:
        run = extraction_run(source=source, by=request.user)
    except ValidationError as refused:
        messages.error(request, _("No facts extracted: %(why)s") % {"why": "; ".join(refused.messages)})
        return redirect("web:source_detail", pk=source.pk)
    count = run.candidates.count()
    messages.success(request, _("%(count)d candidate facts to review.") % {"count": count})
    return redirect("web:review_source", pk=source.pk)

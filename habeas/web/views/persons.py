"""Person pages: the list with search, filters and sort, and the dossier with its cited timeline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from habeas.dossiers.models import Person
from habeas.dossiers.selectors import Facets, person_dossier, person_facets, person_list
from habeas.lib.dates import PartialDate, PartialDateError

SORT_CHOICES = [
    ("name", _("name")),
    ("-name", _("name, Z to A")),
    ("expected_release", _("expected release, soonest first")),
    ("-expected_release", _("expected release, latest first")),
    ("-status_date", _("latest status change first")),
]


class PartialDateInput(forms.CharField):
    """A year, a month or a day (``2010``, ``2010-05``, ``2010-05-03``)."""

    def clean(self, value: Any) -> PartialDate | None:
        text = super().clean(value)
        try:
            return PartialDate.coerce(text)
        except PartialDateError as error:
            raise forms.ValidationError(
                _("Enter a year, year-month or date (e.g. 2010, 2010-05).")
            ) from error


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False)
    issue = forms.ChoiceField(label=_("Issue"), required=False)
    overdue = forms.BooleanField(label=_("Held past expected release"), required=False)
    since = PartialDateInput(label=_("Detained since"), required=False, max_length=11)
    until = PartialDateInput(label=_("Detained until"), required=False, max_length=11)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, facets: Facets, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("any"))]
        fields: dict[str, Any] = self.fields
        fields["status"].choices = anything + facets.statuses
        fields["province"].choices = anything + [(p, p) for p in facets.provinces]
        fields["ethnicity"].choices = anything + [(e, e) for e in facets.ethnicities]
        fields["issue"].choices = anything + [(i, i) for i in facets.issues]


@login_required
@require_GET
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None, facets=person_facets(request.user))
    # An invalid filter is reported and left out; the valid ones still apply.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    page = person_list(
        request.user,
        q=data.get("q") or "",
        status=data.get("status") or "",
        province=data.get("province") or "",
        ethnicity=data.get("ethnicity") or "",
        issue=data.get("issue") or "",
        overdue=bool(data.get("overdue")),
        detained_since=data.get("since"),
        detained_until=data.get("until"),
        sort=data.get("sort") or "name",
        page=request.GET.get("page") or 1,
    )
    filtered = any(
        data.get(k) for k in ("q", "status", "province", "ethnicity", "issue", "overdue", "since", "until")
    )
    return render(
        request,
        "web/person_list.html",
        {"form": form, "page": page, "persons": page.object_list, "filtered": filtered},
    )


@login_required
@require_GET
def person_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = person_dossier(request.user, pk)
    except Person.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "web/person_detail.html", {"dossier": dossier, "person": dossier.person})

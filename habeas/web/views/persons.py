"""Person pages: the list with search, filters and sort, and the dossier with its cited timeline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from habeas.dialogue.selectors import person_dialogue
from habeas.dossiers.models import Person, SentenceKind
from habeas.dossiers.selectors import SEVERE_SENTENCES, Facets, person_dossier, person_facets, person_list
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.web.views._merged import follows_merge

SORT_CHOICES = [
    ("name", _("name")),
    ("-name", _("name, Z to A")),
    ("expected_release", _("expected release, soonest first")),
    ("-expected_release", _("expected release, latest first")),
    ("-status_date", _("latest status change first")),
    ("status_date", _("earliest status change first")),
]
# Words the sentence length fields accept besides a number of years, most severe last.
SEVERE_WORDS = {
    "life": "life",
    "death_reprieve": "death_reprieve",
    "death with reprieve": "death_reprieve",
    "reprieve": "death_reprieve",
    "death": "death",
}
WGAD_CHOICES = [
    ("", _("any")),
    *[(str(n), f"{roman}") for n, roman in enumerate(["I", "II", "III", "IV", "V"], 1)],
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


class SentenceLengthInput(forms.CharField):
    """A number of years (``10``, ``2.5``) or ``life``, ``death_reprieve``, ``death``; cleaned to the
    months of a term or the sentence kind (selectors.SentenceBound)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=20, **kwargs)
        self.widget.attrs.update({"list": "sentence-lengths", "inputmode": "text", "size": 8})

    def clean(self, value: Any) -> int | str | None:
        text = " ".join((super().clean(value) or "").casefold().replace("years", "").split())
        if not text:
            return None
        if text in SEVERE_WORDS:
            return SEVERE_WORDS[text]
        try:
            years = float(text)
        except ValueError:
            years = -1.0
        if not 0 <= years <= 99:
            raise forms.ValidationError(
                _("Enter a number of years (e.g. 10 or 2.5), or life, death_reprieve or death.")
            )
        return round(years * 12)


def _severity(bound: int | str) -> tuple[int, int]:
    """Orders terms below life, death with reprieve and death."""
    if isinstance(bound, str):
        return (1, SEVERE_SENTENCES.index(SentenceKind(bound)))
    return (0, bound)


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python: Django's widget templates render every option through a
    template, and the list's filters offer hundreds (provinces, ethnicities, charges), which made
    half the list page's rendering time. Same markup; grouped choices go the usual way."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if any(isinstance(label, list | tuple) for _option, label in self.choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        options = "".join(
            f'<option value="{escape(option)}"{" selected" if str(option) in chosen else ""}>'
            f"{escape(label)}</option>"
            for option, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # noqa: S308 (every value escaped)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    sex = forms.ChoiceField(label=_("Sex"), required=False, widget=QuickSelect)
    province = forms.ChoiceField(label=_("Province"), required=False, widget=QuickSelect)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False, widget=QuickSelect)
    religion = forms.ChoiceField(label=_("Religion"), required=False, widget=QuickSelect)
    issue = forms.ChoiceField(label=_("Issue"), required=False, widget=QuickSelect)
    charge = forms.ChoiceField(label=_("Charged under"), required=False, widget=QuickSelect)
    place = forms.CharField(
        label=_("Held at (place name)"),
        required=False,
        max_length=200,
        help_text=_("the start of any of its names"),
    )
    # Set by links from a place's page; kept through the form as a hidden field.
    place_id = forms.IntegerField(label=_("Place"), required=False, min_value=1, widget=forms.HiddenInput)
    sentence_min = SentenceLengthInput(label=_("Sentence at least (years)"))
    sentence_max = SentenceLengthInput(label=_("Sentence at most (years)"))
    sentenced_since = PartialDateInput(label=_("Sentenced since"), required=False, max_length=11)
    sentenced_until = PartialDateInput(label=_("Sentenced until"), required=False, max_length=11)
    since = PartialDateInput(label=_("Detained since"), required=False, max_length=11)
    until = PartialDateInput(label=_("Detained until"), required=False, max_length=11)
    allegation = forms.ChoiceField(label=_("Allegation"), required=False, widget=QuickSelect)
    wgad = forms.ChoiceField(
        label=_("WGAD category"), required=False, choices=WGAD_CHOICES, widget=QuickSelect
    )
    overdue = forms.BooleanField(label=_("Held past expected release"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=QuickSelect)

    def __init__(self, *args: Any, facets: Facets, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("any"))]
        fields: dict[str, Any] = self.fields
        fields["status"].choices = anything + facets.statuses
        fields["sex"].choices = anything + facets.sexes
        fields["province"].choices = anything + [(p, p) for p in facets.provinces]
        fields["ethnicity"].choices = anything + [(e, e) for e in facets.ethnicities]
        fields["religion"].choices = anything + [(r, r) for r in facets.religions]
        fields["issue"].choices = anything + [(i, i) for i in facets.issues]
        charges: list[tuple[str, str]] = []
        for statute in dict.fromkeys(statute for statute, _article in facets.charges):
            charges.append((f"{statute}|", _("%(statute)s, any article") % {"statute": statute}))
            charges += [
                (f"{statute}|{a}", f"{statute} art. {a}") for s, a in facets.charges if s == statute and a
            ]
        fields["charge"].choices = anything + charges
        fields["allegation"].choices = anything + facets.allegations

    MAIN = ("q", "status", "overdue", "sort")

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN]

    def more_fields(self) -> list[forms.BoundField]:
        """Shown folded (phones), opened when one of them is set or wrong."""
        return [f for f in self.visible_fields() if f.name not in self.MAIN]

    def more_open(self) -> bool:
        return any(f.errors or f.data not in (None, "") for f in self.more_fields())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("sentence_min"), data.get("sentence_max")
        if low is not None and high is not None and _severity(low) > _severity(high):
            self.add_error("sentence_max", _("The longest sentence is shorter than the shortest."))
        for first, last in (("since", "until"), ("sentenced_since", "sentenced_until")):
            start, end = data.get(first), data.get(last)
            if start and end and start.earliest > end.latest:
                self.add_error(last, _("This date is before the start of the period."))
        return data

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments from what was valid; an invalid field is left out."""
        data = getattr(self, "cleaned_data", {})
        statute, _sep, article = (data.get("charge") or "").partition("|")
        wgad = data.get("wgad")
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "sex": data.get("sex") or "",
            "province": data.get("province") or "",
            "ethnicity": data.get("ethnicity") or "",
            "religion": data.get("religion") or "",
            "issue": data.get("issue") or "",
            "statute": statute,
            "article": article,
            "place": data.get("place_id"),
            "place_name": data.get("place") or "",
            "sentence_min": data.get("sentence_min"),
            "sentence_max": data.get("sentence_max"),
            "sentenced_since": data.get("sentenced_since"),
            "sentenced_until": data.get("sentenced_until"),
            "detained_since": data.get("since"),
            "detained_until": data.get("until"),
            "allegation": data.get("allegation") or "",
            "wgad_category": int(wgad) if wgad else None,
            "overdue": bool(data.get("overdue")),
            "sort": data.get("sort") or "name",
        }


@login_required
@require_GET
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None, facets=person_facets(request.user))
    # An invalid filter is reported and left out; the valid ones still apply.
    form.is_valid()
    filters = form.filters()
    page = person_list(request.user, **filters, page=request.GET.get("page") or 1)
    filtered = any(v not in ("", None, False) for k, v in filters.items() if k != "sort")
    return render(
        request,
        "web/person_list.html",
        {"form": form, "page": page, "persons": page.object_list, "filtered": filtered},
    )


@login_required
@require_GET
@follows_merge(Person)  # merged into another dossier (habeas.linkage.merge): its page is that one's
def person_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = person_dossier(request.user, pk)
    except Person.DoesNotExist as missing:
        raise Http404 from missing
    context = {
        "dossier": dossier,
        "person": dossier.person,
        # The lists this person was named on, the answers and any clemency (habeas.dialogue).
        "dialogue": person_dialogue(request.user, pk),
    }
    return render(request, "web/person_detail.html", context)

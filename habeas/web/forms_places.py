"""Forms for places of detention: the list filters, a place with its names, a population count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance
from habeas.places.models import PlaceKind
from habeas.places.selectors import PlaceFacets
from habeas.web.forms_sources import PartialDateInput, confidentiality_choices

SORT_CHOICES = [
    ("name", _("name")),
    ("-name", _("name, Z to A")),
    ("province", _("province")),
    ("-prisoners", _("most prisoners held now first")),
    ("-capacity", _("largest capacity first")),
]
MAX_NAMES = 20


class PlaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    authority = forms.ChoiceField(label=_("Authority"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, facets: PlaceFacets, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("any"))]
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = anything + list(PlaceKind.choices)
        fields["province"].choices = anything + [(p, p) for p in facets.provinces]
        fields["authority"].choices = anything + [(a, a) for a in facets.authorities]


class PlaceForm(forms.Form):
    names = forms.CharField(
        label=_("Names"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One name per line, in any script (秦城监狱, Qincheng Prison); the first is the main name."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices, initial=PlaceKind.UNKNOWN)
    authority = forms.CharField(
        label=_("Authority"),
        max_length=200,
        required=False,
        help_text=_("Who runs it, e.g. Ministry of Justice"),
    )
    country = forms.CharField(label=_("Country"), max_length=2, required=False, help_text=_("e.g. CN"))
    province = forms.CharField(label=_("Province / jurisdiction"), max_length=120, required=False)
    prefecture = forms.CharField(label=_("Prefecture"), max_length=120, required=False)
    county = forms.CharField(label=_("County"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=Decimal(-90), max_value=Decimal(90)
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=Decimal(-180), max_value=Decimal(180)
    )
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality"), coerce=int)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["confidentiality"]
        field.choices = confidentiality_choices(user)
        field.initial = min(Confidentiality.INTERNAL, user_clearance(user))
        # Clear messages for impossible coordinates, naming the range.
        self.fields["latitude"].error_messages.update(
            min_value=_("Latitude must be between -90 and 90 degrees."),
            max_value=_("Latitude must be between -90 and 90 degrees."),
        )
        self.fields["longitude"].error_messages.update(
            min_value=_("Longitude must be between -180 and 180 degrees."),
            max_value=_("Longitude must be between -180 and 180 degrees."),
        )

    def clean_names(self) -> list[str]:
        names: list[str] = []
        for line in (self.cleaned_data.get("names") or "").splitlines():
            text = " ".join(line.split())
            if text and text not in names:
                names.append(text)
        if not names:
            raise forms.ValidationError(_("A place needs at least one name."))
        if len(names) > MAX_NAMES:
            raise forms.ValidationError(_("At most %(n)s names."), params={"n": MAX_NAMES})
        if any(len(n) > 300 for n in names):
            raise forms.ValidationError(_("A name may be at most 300 characters long."))
        return names

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if ("latitude" in data and "longitude" in data) and (data["latitude"] is None) != (
            data["longitude"] is None
        ):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("kind", "authority", "country", "province", "prefecture", "county", "address")
        values: dict[str, Any] = {k: (data.get(k) or "").strip() for k in keys}
        values.update(
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            capacity=data.get("capacity"),
            notes=data.get("notes") or "",
            confidentiality=data["confidentiality"],
        )
        return values


class PopulationForm(forms.Form):
    observed = PartialDateInput(label=_("Date"), help_text=_("2010, 2010-05 or 2010-05-03"))
    population = forms.IntegerField(label=_("People held"), min_value=0, max_value=10_000_000)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    source = forms.IntegerField(
        label=_("Source number"),
        required=False,
        min_value=1,
        help_text=_("The number in the source's address"),
    )
    quote = forms.CharField(
        label=_("Quote"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The exact words of the source that give this count."),
    )
    unsourced = forms.BooleanField(label=_("I enter this count without a source"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_source = bool(data.get("source"))
        if has_source and data.get("unsourced"):
            raise forms.ValidationError(_("Cite a source or mark the count as without a source, not both."))
        if not has_source and not data.get("unsourced"):
            raise forms.ValidationError(
                _("Cite a source (its number and the quoted words), or tick “without a source”.")
            )
        if has_source and not (data.get("quote") or "").strip():
            self.add_error("quote", _("Quote the words of the source that give this count."))
        return data

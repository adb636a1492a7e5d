"""Forms of the access pages: list filters, a monitoring body, a negotiation (with its request), a
status step, a guarantee's state, a benchmark set, a benchmark assessment. Facts pair with the dossier
forms' ``CiteForm`` (prefix ``cite``); the services validate again inside their transaction."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from habeas.access.models import (
    BodyKind,
    GuaranteeKind,
    GuaranteeState,
    Mandate,
    MonitoringBody,
    NegotiationStatus,
    Rating,
    Scope,
)
from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance
from habeas.lib.names import fold
from habeas.places.models import Place
from habeas.web.forms import PartialDateFormField
from habeas.web.forms_sources import confidentiality_choices

COUNTRY_HELP = _("Two letters, ISO 3166-1: CN, VN, KP…")
MAX_PLACES = 50
MAX_ALIASES = 50
MAX_CRITERIA = 100


def _level_field(user: Any, initial: int) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Confidentiality"),
        choices=confidentiality_choices(user),
        coerce=int,
        initial=min(initial, user_clearance(user)),
        help_text=_("Who may read it: public, internal (staff), restricted (cleared staff)."),
    )


class CountryField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        kwargs.setdefault("help_text", COUNTRY_HELP)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = (super().clean(value) or "").upper()
        if text and not re.fullmatch(r"[A-Z]{2}", text):
            raise forms.ValidationError(_("A country is two letters (ISO 3166-1 alpha-2), e.g. CN."))
        return text


# -- lists -----------------------------------------------------------------------------------------
class NegotiationFilterForm(forms.Form):
    country = CountryField(label=_("Country"), required=False, help_text="")
    body = forms.TypedChoiceField(label=_("Body"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Current status"), required=False, choices=[("", _("any")), *NegotiationStatus.choices]
    )

    def __init__(self, *args: Any, bodies: list[MonitoringBody], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["body"]
        field.choices = [("", _("any")), *[(b.pk, str(b)) for b in bodies]]


class BodyFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("any")), *BodyKind.choices])


# -- negotiations ----------------------------------------------------------------------------------
class PlacesField(forms.CharField):
    """Places named one per line, by a name the reader may see or as ``#id``; resolved by the form."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value) or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_PLACES:
            raise forms.ValidationError(_("Name at most %(n)s places.") % {"n": MAX_PLACES})
        return lines


def resolve_places(user: Any, lines: list[str]) -> tuple[list[Place], list[str]]:
    """(places found, lines not found or ambiguous). Only places at or below the reader's clearance
    are looked at, so a hidden place answers exactly like a missing one."""
    clearance = user_clearance(user)
    visible = Place.objects.filter(confidentiality__lte=clearance, merged_into__isnull=True)
    found: list[Place] = []
    missing: list[str] = []
    for line in lines:
        match = re.fullmatch(r"#(\d{1,12})", line)
        if match:
            hits = list(visible.filter(pk=int(match[1])))
        else:
            key = fold(line)[:300]
            hits = (
                list(visible.filter(Q(name__iexact=line) | Q(names__key=key)).distinct()[:2]) if key else []
            )
        if len(hits) == 1:
            if hits[0] not in found:
                found.append(hits[0])
        else:
            missing.append(line)
    return found, missing


class NegotiationForm(forms.Form):
    """A negotiation; when new, also its request: the date, what was asked, and (with the cite form)
    where that is stated."""

    body = forms.TypedChoiceField(label=_("Monitoring body"), coerce=int)
    country = CountryField(label=_("Country"))
    subject = forms.CharField(
        label=_("Subject"),
        max_length=300,
        help_text=_("What the access is for, e.g. torture, prison visits."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.COUNTRY_VISIT)
    places = PlacesField(
        label=_("Places"),
        required=False,
        help_text=_("For specific places: one per line, by name or as #number."),
    )
    purposes = forms.CharField(label=_("Purposes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(
        self, *args: Any, user: Any, bodies: list[MonitoringBody], creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        fields: dict[str, Any] = self.fields
        fields["body"].choices = [(b.pk, b.name) for b in bodies]
        fields["confidentiality"] = _level_field(user, Confidentiality.INTERNAL)
        self.bodies = {b.pk: b for b in bodies}
        self.resolved_places: list[Place] = []
        if creating:
            fields["requested"] = PartialDateFormField(label=_("Requested on"), required=True)
            fields["guarantees"] = forms.MultipleChoiceField(
                label=_("Guarantees asked for"),
                required=False,
                choices=[c for c in GuaranteeKind.choices if c[0] != GuaranteeKind.OTHER],
                widget=forms.CheckboxSelectMultiple,
            )
            fields["note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        else:
            # The body and country make the negotiation what it is: a different one is a new record.
            del fields["body"], fields["country"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        places, missing = resolve_places(self.user, data.get("places") or [])
        if missing:
            self.add_error(
                "places",
                _("No single place you may see is called: %(names)s") % {"names": "; ".join(missing)[:300]},
            )
        self.resolved_places = places
        return data

    @property
    def body_obj(self) -> MonitoringBody:
        return self.bodies[self.cleaned_data["body"]]


# -- facts -----------------------------------------------------------------------------------------
class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=NegotiationStatus.choices)
    date = PartialDateFormField(label=_("Date"), required=True)
    visit_from = PartialDateFormField(label=_("Visit from"), required=False)
    visit_to = PartialDateFormField(label=_("Visit to"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, parent_level: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confidentiality"] = _level_field(user, parent_level)
        self.fields["visit_from"].help_text = _("For “dates set” or “conducted”: when the visit runs.")


class GuaranteeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Guarantee"), choices=GuaranteeKind.choices)
    other_text = forms.CharField(
        label=_("Other guarantee"),
        required=False,
        max_length=300,
        help_text=_("What was asked, for “other”."),
    )
    state = forms.ChoiceField(label=_("State"), choices=GuaranteeState.choices)
    date = PartialDateFormField(label=_("Date"), required=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, parent_level: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confidentiality"] = _level_field(user, parent_level)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == GuaranteeKind.OTHER and not (data.get("other_text") or "").strip():
            self.add_error("other_text", _("Say what the other guarantee is."))
        return data


class AssessmentForm(forms.Form):
    criterion = forms.TypedChoiceField(label=_("Criterion"), coerce=int)
    date = PartialDateFormField(label=_("Date"), required=True)
    rating = forms.TypedChoiceField(label=_("Rating"), choices=Rating.choices, coerce=int)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, criteria: list[Any], parent_level: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["criterion"]
        field.choices = [(c.pk, f"{c.position}. {c.label}") for c in criteria]
        self.criteria = {c.pk: c for c in criteria}
        self.fields["confidentiality"] = _level_field(user, parent_level)


# -- new records -----------------------------------------------------------------------------------
def _lines(text: str, limit: int, what: object) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > limit:
        raise forms.ValidationError(_("Give at most %(n)s %(what)s.") % {"n": limit, "what": what})
    return lines


class BodyForm(forms.Form):
    """A new monitoring body and the other names it goes by (``body_create`` checks again)."""

    name = forms.CharField(label=_("Name"), max_length=300)
    short_name = forms.CharField(
        label=_("Short name"), max_length=60, required=False, help_text=_("e.g. ICRC, WGAD, USCIRF")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    mandate = forms.ChoiceField(label=_("Mandate"), choices=Mandate.choices, initial=Mandate.GENERAL)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Only web links: a javascript: or file: address would be shown as a link on the body's page.
    url = forms.URLField(
        label=_("Web site"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        validators=[
            URLValidator(schemes=["http", "https"], message=_("Give a web address (http or https)."))
        ],
    )
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Other names or abbreviations it goes by, one per line."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confidentiality"] = _level_field(user, Confidentiality.PUBLIC)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if MonitoringBody.objects.filter(name__iexact=name).exists():
            # Said whatever the existing body's level: refusing without saying why would be worse,
            # and the name is the one the editor typed.
            raise forms.ValidationError(_("A monitoring body with this name exists already."))
        return name

    def clean_aliases(self) -> list[str]:
        aliases = _lines(self.cleaned_data.get("aliases") or "", MAX_ALIASES, _("other names"))
        empty = [a for a in aliases if not fold(a)]
        if empty:
            raise forms.ValidationError(
                _("An other name needs letters or characters: %(names)s") % {"names": "; ".join(empty)[:200]}
            )
        too_long = [a for a in aliases if len(a) > 300]
        if too_long:
            raise forms.ValidationError(_("An other name is at most 300 characters."))
        return aliases


class BenchmarkSetForm(forms.Form):
    """A new benchmark set: its criteria in order, one per line as "Short label: the criterion"."""

    title = forms.CharField(label=_("Title"), max_length=300)
    country = CountryField(label=_("Country"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line, in order, as “Short label: the criterion”, "
            "e.g. “Visits: UN experts may visit prisons”."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confidentiality"] = _level_field(user, Confidentiality.PUBLIC)

    def clean_criteria(self) -> list[tuple[str, str]]:
        criteria: list[tuple[str, str]] = []
        bad: list[str] = []
        for number, line in enumerate(_lines(self.cleaned_data["criteria"], MAX_CRITERIA, _("criteria")), 1):
            label, colon, text = line.partition(":")
            label, text = label.strip(), text.strip()
            if not colon or not label or not text or len(label) > 100:
                bad.append(str(number))
            else:
                criteria.append((label, text))
        if bad:
            raise forms.ValidationError(
                _(
                    "Line %(lines)s: write each criterion as “Short label: the criterion” "
                    "(a label of at most 100 characters)."
                )
                % {"lines": ", ".join(bad[:20])}
            )
        if not criteria:
            raise forms.ValidationError(_("A benchmark set needs at least one criterion."))
        labels = [label.casefold() for label, _text in criteria]
        if len(set(labels)) != len(labels):
            raise forms.ValidationError(_("Two criteria have the same short label."))
        return criteria

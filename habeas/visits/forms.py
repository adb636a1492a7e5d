"""Forms for visits: each a thin shell over one service; the services check everything again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from habeas.access.models import AccessNegotiation, GuaranteeKind, MonitoringBody
from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance, visible_q
from habeas.dossiers.models import AllegationKind
from habeas.places.models import Place
from habeas.visits.models import (
    Announced,
    Area,
    Assessment,
    Consistency,
    FollowUpStatus,
    Method,
    Outcome,
    ReprisalRisk,
)
from habeas.visits.norms import Measure
from habeas.web.forms_sources import PartialDateInput, confidentiality_choices

MAX_TEAM_LINES = 50


class CitedForm(forms.Form):
    """A record that cites a source (its number and the quoted words) or is entered without one."""

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
        help_text=_("The exact words of the source that support this."),
    )
    unsourced = forms.BooleanField(label=_("I enter this without a source"), required=False)
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality"), coerce=int)
    default_level = Confidentiality.INTERNAL

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        field: Any = self.fields["confidentiality"]
        field.choices = confidentiality_choices(user)
        field.initial = min(self.default_level, user_clearance(user))
        # The citation fields last, after what the record says.
        for name in ("confidentiality", "source", "quote", "unsourced"):
            self.fields[name] = self.fields.pop(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_source = bool(data.get("source"))
        if has_source and data.get("unsourced"):
            raise forms.ValidationError(_("Cite a source or mark this as without a source, not both."))
        if not has_source and not data.get("unsourced"):
            raise forms.ValidationError(
                _("Cite a source (its number and the quoted words), or tick “without a source”.")
            )
        if has_source and not (data.get("quote") or "").strip():
            self.add_error("quote", _("Quote the words of the source that support this."))
        return data


class VisitForm(CitedForm):
    body = forms.ModelChoiceField(label=_("Monitoring body"), queryset=MonitoringBody.objects.none())
    negotiation = forms.ModelChoiceField(
        label=_("Access negotiation"), queryset=AccessNegotiation.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    started = PartialDateInput(label=_("Started"), help_text=_("2025, 2025-05 or 2025-05-03"))
    ended = PartialDateInput(label=_("Ended"), required=False)
    announced = forms.ChoiceField(label=_("Announced"), choices=Announced.choices, initial=Announced.UNKNOWN)
    team = forms.CharField(
        label=_("Team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One member per line: name, a comma, role (e.g. “A. Delegate, head of delegation”)."),
    )
    summary_public = forms.CharField(
        label=_("Public summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes_internal = forms.CharField(
        label=_("Internal notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        fields: Any = self.fields
        fields["body"].queryset = MonitoringBody.objects.filter(**visible_q(user)).order_by("name")
        fields["negotiation"].queryset = (
            AccessNegotiation.objects.filter(**visible_q(user), **visible_q(user, "body__"))
            .select_related("body")
            .order_by("country", "-created_at")
        )
        if editing:
            # Body, negotiation and citations are set when the visit is recorded.
            for name in ("body", "negotiation", "source", "quote", "unsourced"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        if "source" not in self.fields:
            return forms.Form.clean(self) or {}
        return super().clean()

    def clean_team(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("team") or "").splitlines():
            name, _sep, role = line.partition(",")
            if name.strip():
                rows.append((name.strip()[:200], role.strip()[:200]))
        if len(rows) > MAX_TEAM_LINES:
            raise forms.ValidationError(_("At most %(n)s team members."), params={"n": MAX_TEAM_LINES})
        return rows


class VisitPlaceForm(CitedForm):
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    date = PartialDateInput(label=_("Date"), required=False)
    population = forms.IntegerField(
        label=_("People held on the day"), required=False, min_value=0, max_value=10_000_000
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        field: Any = self.fields["place"]
        # Places merged into another (habeas.linkage) are visited under the surviving record.
        field.queryset = Place.objects.filter(**visible_q(user), merged_into__isnull=True).order_by("name")


class StageForm(forms.Form):
    date = PartialDateInput(label=_("Date"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality"), coerce=int)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["confidentiality"]
        field.choices = confidentiality_choices(user)
        field.initial = min(Confidentiality.INTERNAL, user_clearance(user))


class GuaranteeOutcomeForm(CitedForm):
    guarantee = forms.ChoiceField(label=_("Guarantee"), choices=GuaranteeKind.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InterviewForm(CitedForm):
    default_level = Confidentiality.RESTRICTED
    person = forms.IntegerField(
        label=_("Dossier number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to record the interview under a code: the person is then not identified."),
    )
    visit_place = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int, empty_value=None)
    date = PartialDateInput(label=_("Date"), required=False)
    private = forms.BooleanField(
        label=_("Private (no official within hearing)"), required=False, initial=True
    )
    consent_given = forms.BooleanField(label=_("Informed consent given"), required=False)
    consent_authorities = forms.BooleanField(label=_("May be raised with the authorities"), required=False)
    consent_public = forms.BooleanField(label=_("May be used in public reporting"), required=False)
    consent_named = forms.BooleanField(label=_("May be named"), required=False)
    reprisal_risk = forms.ChoiceField(label=_("Reprisal risk"), choices=ReprisalRisk.choices)
    notes = forms.CharField(
        label=_("Notes (encrypted, restricted)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, user: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        field: Any = self.fields["visit_place"]
        field.choices = [("", _("not said")), *places]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scopes = ("consent_authorities", "consent_public", "consent_named")
        if not data.get("consent_given") and any(data.get(s) for s in scopes):
            self.add_error("consent_given", _("A scope of use needs the person's informed consent."))
        return data


class InterviewEditForm(forms.Form):
    """Consent may be narrowed or withdrawn after the visit; the reports follow at once."""

    date = PartialDateInput(label=_("Date"), required=False)
    private = forms.BooleanField(label=_("Private (no official within hearing)"), required=False)
    consent_given = forms.BooleanField(label=_("Informed consent given"), required=False)
    consent_authorities = forms.BooleanField(label=_("May be raised with the authorities"), required=False)
    consent_public = forms.BooleanField(label=_("May be used in public reporting"), required=False)
    consent_named = forms.BooleanField(label=_("May be named"), required=False)
    reprisal_risk = forms.ChoiceField(label=_("Reprisal risk"), choices=ReprisalRisk.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scopes = ("consent_authorities", "consent_public", "consent_named")
        if not data.get("consent_given") and any(data.get(s) for s in scopes):
            self.add_error("consent_given", _("A scope of use needs the person's informed consent."))
        return data


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes (encrypted, restricted)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class AllegationForm(CitedForm):
    default_level = Confidentiality.RESTRICTED
    kind = forms.ChoiceField(label=_("Kind"), choices=AllegationKind.choices, initial=AllegationKind.TORTURE)
    date_from = PartialDateInput(label=_("From"), required=False)
    date_to = PartialDateInput(label=_("To"), required=False)
    places = forms.CharField(label=_("Where"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    methods = forms.MultipleChoiceField(
        label=_("Methods"), required=False, choices=Method.choices, widget=forms.CheckboxSelectMultiple
    )
    methods_other = forms.CharField(label=_("Other methods"), required=False, max_length=300)
    perpetrators = forms.CharField(
        label=_("Perpetrators"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    injuries = forms.CharField(label=_("Injuries"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    witnesses = forms.CharField(
        label=_("Witnesses"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consistency = forms.ChoiceField(
        label=_("Medical findings (Istanbul Protocol)"),
        choices=Consistency.choices,
        initial=Consistency.NOT_EXAMINED,
    )
    narrative = forms.CharField(
        label=_("Narrative (encrypted, restricted)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class FollowUpForm(CitedForm):
    default_level = Confidentiality.RESTRICTED
    date = PartialDateInput(label=_("Date of the check"))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reprisal_found = forms.BooleanField(label=_("Reprisal found"), required=False)


class FindingForm(CitedForm):
    visit_place = forms.TypedChoiceField(label=_("Place"), coerce=int)
    area = forms.ChoiceField(label=_("Inspection area"), choices=Area.choices)
    assessment = forms.ChoiceField(
        label=_("Assessment"), choices=Assessment.choices, initial=Assessment.CONCERN
    )
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    measure = forms.ChoiceField(
        label=_("Measured against a norm"),
        required=False,
        choices=[("", _("nothing measured")), *Measure.choices],
    )
    value = forms.DecimalField(
        label=_("Measured value"), required=False, min_value=Decimal(0), max_digits=9, decimal_places=2
    )

    def __init__(self, *args: Any, user: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        field: Any = self.fields["visit_place"]
        field.choices = places


class RecommendationForm(CitedForm):
    report = forms.IntegerField(
        label=_("Report (source number)"),
        required=False,
        min_value=1,
        help_text=_("The report that makes the recommendation, when it is not a visit's own."),
    )
    addressed_to = forms.CharField(
        label=_("Addressed to"), max_length=300, help_text=_("e.g. Ministry of Justice")
    )
    area = forms.ChoiceField(label=_("Inspection area"), required=False, choices=[("", "—"), *Area.choices])
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    made = PartialDateInput(label=_("Made"), required=False)

    def __init__(self, *args: Any, user: Any, from_visit: bool, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not from_visit:
            self.fields["report"].required = True


class RecommendationStatusForm(CitedForm):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    date = PartialDateInput(label=_("Date"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or place"), required=False, max_length=200)
    body = forms.TypedChoiceField(label=_("Body"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["body"]
        bodies = MonitoringBody.objects.filter(**visible_q(user)).order_by("name").values_list("pk", "name")
        field.choices = [("", _("any")), *bodies]


class RecommendationFilterForm(forms.Form):
    q = forms.CharField(label=_("Authority or text"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Current status"),
        required=False,
        choices=[("", _("any")), ("none", _("no follow-up yet")), *FollowUpStatus.choices],
    )

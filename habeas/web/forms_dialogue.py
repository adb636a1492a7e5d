"""Forms of the dialogue pages: interlocutors, engagements, prisoner lists and their entries, hand-over,
responses (with the official source they came in), outcomes, the response CSV upload and the alerts'
number of days. They check what was typed and say what is wrong; the writes are the services'
(habeas.dialogue.services), which validate again inside their transaction.

Choices of records (interlocutors, engagements, responses) are given by the view from what the user
may read: a form never offers, or accepts, a record above their clearance.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from habeas.dialogue.models import (
    RELEASE_CHANGING,
    EngagementKind,
    InterlocutorKind,
    OutcomeKind,
    RequestKind,
    ResponseType,
)
from habeas.dossiers.models import Status
from habeas.web.forms import PartialDateFormField
from habeas.web.forms_sources import confidentiality_choices

MAX_CSV_BYTES = 5 * 1024 * 1024


class RecordChoiceField(forms.TypedChoiceField):
    """A record picked from those the view offers (by id); anything else is refused as not offered."""

    def __init__(self, *, records: Iterable[Any] = (), blank: str | None = None, **kwargs: Any) -> None:
        super().__init__(coerce=int, **kwargs)
        self.set_records(records, blank=blank)

    def set_records(self, records: Iterable[Any], *, blank: str | None = None) -> None:
        self.records = {r.pk: r for r in records}
        choices: list[tuple[Any, Any]] = [("", blank)] if blank is not None else []
        self.choices = choices + [(r.pk, str(r)) for r in self.records.values()]

    def record(self, value: Any) -> Any:
        return self.records.get(value) if value not in (None, "") else None


class LevelMixin:
    """A confidentiality field offering only levels the user may read (nobody files above it)."""

    def offered(self, name: str) -> set[int]:
        """Ids of the records a RecordChoiceField offers."""
        field: Any = self.fields[name]  # type: ignore[attr-defined]
        return set(field.records)

    def _levels(self, user: Any, initial: int | None = None) -> None:
        field: Any = self.fields["confidentiality"]  # type: ignore[attr-defined]
        field.choices = confidentiality_choices(user)
        if initial is not None:
            field.initial = initial


def _confidentiality() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Confidentiality"),
        coerce=int,
        help_text=_("Who may read it: public, internal (staff), restricted (cleared staff)."),
    )


# -- interlocutors and engagements -----------------------------------------------------------------
class InterlocutorForm(LevelMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300, help_text=_("e.g. Ministry of Justice"))
    name_local = forms.CharField(
        label=_("Name in its own language"), max_length=300, required=False, help_text=_("e.g. 司法部")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=InterlocutorKind.choices, initial=InterlocutorKind.MINISTRY
    )
    country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("ISO code, e.g. CN")
    )
    notes = forms.CharField(
        label=_("Internal notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidentiality = _confidentiality()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._levels(user, initial=1)


class EngagementForm(LevelMixin, forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=EngagementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    date = PartialDateFormField(label=_("Date"), required=False)
    our_side = forms.CharField(
        label=_("Our side"),
        max_length=300,
        required=False,
        help_text=_("Who spoke for us: a delegation, an NGO"),
    )
    interlocutor = RecordChoiceField(label=_("Interlocutor"), required=False)
    location = forms.CharField(
        label=_("Place"), max_length=300, required=False, help_text=_("a city or venue")
    )
    notes = forms.CharField(
        label=_("Internal notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidentiality = _confidentiality()

    def __init__(self, *args: Any, user: Any, interlocutors: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._levels(user, initial=1)
        field: Any = self.fields["interlocutor"]
        field.set_records(interlocutors, blank=_("none"))

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        field: Any = self.fields["interlocutor"]
        return {
            "kind": data["kind"],
            "title": data["title"],
            "date": data.get("date"),
            "our_side": data.get("our_side") or "",
            "interlocutor": field.record(data.get("interlocutor")),
            "location": data.get("location") or "",
            "notes": data.get("notes") or "",
            "confidentiality": data["confidentiality"],
        }


# -- prisoner lists --------------------------------------------------------------------------------
class RequestsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Requests"))
        super().__init__(choices=RequestKind.choices, widget=forms.CheckboxSelectMultiple, **kwargs)


class ListForm(LevelMixin, forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300)
    interlocutor = RecordChoiceField(label=_("Handed to (interlocutor)"))
    engagement = RecordChoiceField(label=_("Within the engagement"), required=False)
    notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ours only: never exported."),
    )
    confidentiality = _confidentiality()

    def __init__(
        self, *args: Any, user: Any, interlocutors: Iterable[Any], engagements: Iterable[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._levels(user, initial=1)
        fields: Any = self.fields
        fields["interlocutor"].set_records(interlocutors, blank="")
        fields["engagement"].set_records(engagements, blank=_("none"))

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: Any = self.fields
        return {
            "title": data["title"],
            "interlocutor": fields["interlocutor"].record(data.get("interlocutor")),
            "engagement": fields["engagement"].record(data.get("engagement")),
            "notes": data.get("notes") or "",
            "confidentiality": data["confidentiality"],
        }


class ListFromQueryForm(ListForm):
    """A new list and the persons a person-list query finds, each asked the same requests."""

    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    requests = RequestsField(initial=[RequestKind.INFORMATION])
    save_as = forms.CharField(
        label=_("Keep this query under a name"),
        max_length=200,
        required=False,
        help_text=_("optional: to build later lists from the same query"),
    )


class AddFromQueryForm(forms.Form):
    """The persons a query finds, added to a draft list already begun."""

    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    prisoner_list = RecordChoiceField(label=_("Draft list"))
    requests = RequestsField(initial=[RequestKind.INFORMATION])

    def __init__(self, *args: Any, drafts: Iterable[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        field: Any = self.fields["prisoner_list"]
        field.set_records(drafts, blank="")

    def chosen_list(self) -> Any:
        field: Any = self.fields["prisoner_list"]
        return field.record(self.cleaned_data["prisoner_list"])


class EntryForm(LevelMixin, forms.Form):
    requests = RequestsField()
    case_summary = forms.CharField(
        label=_("Case summary for the recipient"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Exported with the list: write it for the recipient."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ours only: never exported."),
    )
    confidentiality = _confidentiality()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._levels(user)


class EntryAddForm(EntryForm):
    person = forms.TypedChoiceField(
        label=_("Person"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pick a person."),
            # Missing, above clearance or simply not among the results: the same words.
            "invalid_choice": _("Pick one of the persons found."),
        },
    )
    field_order = ["person", "requests", "case_summary", "internal_note", "confidentiality"]

    def __init__(self, *args: Any, persons: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["person"].choices = persons
        # Left empty: the entry takes the list's and the person's level, whichever is higher.
        fields["confidentiality"].required = False
        fields["confidentiality"].empty_value = None
        fields["confidentiality"].choices = [
            ("", _("as the list and the person")),
            *fields["confidentiality"].choices,
        ]


class HandOverForm(forms.Form):
    handed_over = PartialDateFormField(label=_("Handed over on"))


# -- responses and outcomes ------------------------------------------------------------------------
class ResponseForm(LevelMixin, forms.Form):
    type = forms.ChoiceField(label=_("Response"), choices=ResponseType.choices)
    received = PartialDateFormField(label=_("Received"), required=False)
    text = forms.CharField(
        label=_("What the answer says about this person"),
        required=False,
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Typed or pasted without a source below, these words are stored as an official source "
            "(a government response) and cited."
        ),
    )
    status = forms.ChoiceField(
        label=_("Status it gives"), required=False, choices=[("", _("not stated")), *Status.choices]
    )
    sentence = forms.CharField(
        label=_("Sentence it gives"),
        required=False,
        max_length=60,
        help_text=_("e.g. 10 years, 3 years 6 months, life, death with reprieve"),
    )
    expected_release = PartialDateFormField(label=_("Expected release it gives"), required=False)
    place = forms.CharField(label=_("Place of detention it gives"), required=False, max_length=300)
    confidentiality = _confidentiality()

    def __init__(self, *args: Any, user: Any, floor: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._levels(user, initial=floor)
        field: Any = self.fields["confidentiality"]
        field.choices = [(v, label) for v, label in field.choices if v >= floor]

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data.get(k) for k in ("status", "sentence", "expected_release", "place") if data.get(k)}


def _response_label(response: Any) -> str:
    when = response.received.display() if response.received else _("undated")
    return f"{response.get_type_display()}, {when}"


class OutcomeForm(LevelMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    date = PartialDateFormField(label=_("Date"), required=False)
    new_expected_release = PartialDateFormField(
        label=_("New expected release"),
        required=False,
        help_text=_("Only for a sentence reduction or a commutation."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responses = forms.TypedMultipleChoiceField(
        label=_("Following these responses"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    confidentiality = _confidentiality()

    def __init__(self, *args: Any, user: Any, floor: int, responses: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._levels(user, initial=floor)
        level: Any = self.fields["confidentiality"]
        level.choices = [(v, label) for v, label in level.choices if v >= floor]
        self.response_records = {r.pk: r for r in responses}
        field: Any = self.fields["responses"]
        field.choices = [(r.pk, _response_label(r)) for r in self.response_records.values()]
        field.initial = list(self.response_records)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_expected_release") and data.get("kind") not in RELEASE_CHANGING:
            self.add_error(
                "new_expected_release",
                _("Only a sentence reduction or a commutation gives a new release date."),
            )
        return data

    def chosen_responses(self) -> list[Any]:
        return [self.response_records[pk] for pk in self.cleaned_data.get("responses") or []]


class ResponsesUploadForm(forms.Form):
    upload = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with a header row; at most 5 MB. Every row is written, or none."),
    )

    def clean_upload(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["upload"]
        if upload.size is not None and upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        data = upload.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return data


DEFAULT_DAYS, DEFAULT_LIST_DAYS = 30, 90


class AlertsForm(forms.Form):
    days = forms.IntegerField(
        label=_("Releases expected within (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": DEFAULT_DAYS}),
    )
    list_days = forms.IntegerField(
        label=_("Lists without an answer after (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": DEFAULT_LIST_DAYS}),
    )

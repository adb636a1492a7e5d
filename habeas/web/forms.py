"""Forms of the edit pages. They check what was typed and say what is wrong with it; the writes are the
services' (habeas.dossiers.services), which validate again inside their transaction.

Every fact form is paired with a ``CiteForm`` (prefix ``cite``): the source span that supports the fact,
or an explicit "entered without a source".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance, visible_q
from habeas.dossiers.models import (
    Affiliation,
    Allegation,
    AllegationKind,
    Charge,
    CustodyPeriod,
    Detention,
    HealthNote,
    LegalStep,
    NameKind,
    Person,
    PersonName,
    RomanisationScheme,
    Sentence,
    SentenceChange,
    SentenceKind,
    StatusChange,
)
from habeas.dossiers.services import PERSON_EDITABLE
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.lib.fields import PartialDateField
from habeas.lib.quotes import quote_span
from habeas.places.models import Place
from habeas.sources.models import Citation, Source
from habeas.sources.pick import source_to_cite
from habeas.sources.services import citation_get_or_create, span_check

SCRIPTS = [
    ("", _("detect from the text")),
    ("Latn", _("Latin")),
    ("Hans", _("Chinese, simplified")),
    ("Hant", _("Chinese, traditional")),
    ("Arab", _("Arabic (Uyghur)")),
    ("Tibt", _("Tibetan")),
    ("Mong", _("Mongolian")),
    ("Cyrl", _("Cyrillic")),
]
WGAD_CATEGORIES = [
    ("", _("none")),
    *[(str(n), f"{_('category')} {r}") for n, r in enumerate(["I", "II", "III", "IV", "V"], 1)],
]
DATE_HELP = _("A year, a month or a day: 2010, 2010-05, 2010-05-03; add ~ for circa (2010~).")


class PartialDateFormField(forms.CharField):
    """A date known to the year, month or day (``2010``, ``2010-05``, ``2010-05-03``, ``2010~``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, PartialDate) else value

    def clean(self, value: Any) -> PartialDate | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except PartialDateError as error:
            raise ValidationError(
                _("“%(text)s” is not a date we can read (%(error)s). %(help)s"),
                params={"text": text, "error": error, "help": DATE_HELP},
                code="invalid_partial_date",
            ) from error


def _formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, PartialDateField):
        return PartialDateFormField(label=capfirst(db_field.verbose_name), required=not db_field.blank)
    return db_field.formfield(**kwargs)


def _levels(user: Any) -> list[tuple[int, str]]:
    """Confidentiality levels a user may give a record: none above what they may read themselves."""
    clearance = user_clearance(user)
    return [(value, label) for value, label in Confidentiality.choices if value <= clearance]


# -- the fact forms --------------------------------------------------------------------------------
class FactForm(forms.ModelForm):
    """A fact's own fields. ``values()`` gives what the services take; ``version`` (edits only) is the
    token of the saved values the edit began from (``fact_version``, or ``Person.version``)."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)
    # Term fields typed as years + months, stored in months: model field -> (years field, months field).
    terms: dict[str, tuple[str, str]] = {}

    def __init__(self, *args: Any, user: Any, parent_level: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        fields: dict[str, Any] = self.fields
        if "confidentiality" in fields:
            fields["confidentiality"] = forms.TypedChoiceField(
                label=_("Confidentiality"),
                choices=_levels(user),
                coerce=int,
                help_text=_("Who may read it: public, internal (staff), restricted (cleared staff)."),
            )
            if not self.instance.pk and parent_level is not None:
                self.initial.setdefault("confidentiality", parent_level)
        for model_field, (years, months) in self.terms.items():
            total = getattr(self.instance, model_field, None)
            if total is not None and years not in self.initial:
                self.initial[years], self.initial[months] = divmod(int(total), 12)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for model_field, (years, months) in self.terms.items():
            y, m = data.get(years), data.get(months)
            data[model_field] = None if y is None and m is None else (y or 0) * 12 + (m or 0)
        return data

    def values(self) -> dict[str, Any]:
        names = [n for n in self._meta.fields or () if n in self.cleaned_data]
        return {
            **{n: self.cleaned_data[n] for n in names},
            **{m: self.cleaned_data[m] for m in self.terms},
        }


def _years(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=99)


def _months(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=11)


class PersonForm(FactForm):
    class Meta:
        model = Person
        formfield_callback = _formfield
        fields = list(PERSON_EDITABLE)
        labels = {"residence_country": _("Residence: country (ISO code, e.g. CN)")}
        widgets = {
            "summary_public": forms.Textarea(attrs={"rows": 3}),
            "notes_internal": forms.Textarea(attrs={"rows": 3}),
        }


class NameForm(FactForm):
    script = forms.ChoiceField(label=_("Script"), choices=SCRIPTS, required=False)

    class Meta:
        model = PersonName
        formfield_callback = _formfield
        fields = ["text", "kind", "script", "scheme", "language", "confidentiality"]
        labels = {"text": _("Name"), "scheme": _("Romanisation")}

    def values(self) -> dict[str, Any]:
        values = super().values()
        # An empty script is detected from the text by the service (name_add(script=None)).
        if not values.get("script") and not self.instance.pk:
            values["script"] = None
        return values


class NewNameForm(forms.Form):
    """One more name on the new-person page (main name first, then these)."""

    text = forms.CharField(label=_("Name"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=NameKind.choices, initial=NameKind.ALIAS)
    script = forms.ChoiceField(label=_("Script"), choices=SCRIPTS, required=False)
    scheme = forms.ChoiceField(label=_("Romanisation"), choices=RomanisationScheme.choices, required=False)


NewNameFormSet = forms.formset_factory(NewNameForm, extra=3, max_num=20, absolute_max=20)


class PersonCreateForm(PersonForm):
    main_name = forms.CharField(label=_("Main name"), max_length=300)
    main_script = forms.ChoiceField(label=_("Script of the main name"), choices=SCRIPTS, required=False)
    main_scheme = forms.ChoiceField(
        label=_("Romanisation of the main name"), choices=RomanisationScheme.choices, required=False
    )

    field_order = ["main_name", "main_script", "main_scheme"]


class LongSelect(forms.Select):
    """A select of hundreds of options (places of detention), its options joined in Python: Django's
    widget renders a template per option, which took most of the page's time."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        current = "" if value in (None, "") else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) == current else "", label)
                for v, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class DetentionForm(FactForm):
    class Meta:
        model = Detention
        formfield_callback = _formfield
        fields = ["started", "ended", "measure", "place", "notes", "confidentiality"]
        labels = {"place": _("Place of detention")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "place": LongSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place: Any = self.fields["place"]
        # Only places the user may read are offered (and accepted).
        place.queryset = (
            # A merged-away place is no longer offered: its survivor is.
            Place.objects.filter(**visible_q(self.user), merged_into__isnull=True)
            .only("pk", "name")
            .order_by("name", "pk")
        )


class CustodyPeriodForm(FactForm):
    """Where a detained person was held, and when: one stay at one place within a detention."""

    class Meta:
        model = CustodyPeriod
        formfield_callback = _formfield
        fields = ["place", "started", "ended", "confidentiality"]
        labels = {"place": _("Place of detention")}
        widgets = {"place": LongSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place: Any = self.fields["place"]
        place.queryset = (
            # A merged-away place is no longer offered: its survivor is.
            Place.objects.filter(**visible_q(self.user), merged_into__isnull=True)
            .only("pk", "name")
            .order_by("name", "pk")
        )


class AffiliationForm(FactForm):
    """Membership of an organisation with a role ("co-founder"). The organisation is named when the
    affiliation is added; an edit changes the role and dates only (another organisation is another
    affiliation)."""

    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)

    class Meta:
        model = Affiliation
        formfield_callback = _formfield
        fields = ["role", "started", "ended", "confidentiality"]
        labels = {"role": _("Role")}
        help_texts = {"role": _('e.g. "co-founder", "member", "editor"')}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].required = True
            self.order_fields(["organisation", "role", "started", "ended", "confidentiality"])

    def clean_organisation(self) -> str:
        name = " ".join((self.cleaned_data.get("organisation") or "").split())
        if not name and not self.instance.pk:
            raise forms.ValidationError(_("Name the organisation."))
        return name

    def values(self) -> dict[str, Any]:
        values = super().values()
        if "organisation" in self.fields:
            values["organisation"] = self.cleaned_data["organisation"]
        return values


class SentenceForm(FactForm):
    term_years = _years(_("Term: years"))
    term_rest = _months(_("and months"))
    rights_years = _years(_("Deprivation of political rights: years"))
    rights_rest = _months(_("and months"))
    terms = {
        "term_months": ("term_years", "term_rest"),
        "political_rights_months": ("rights_years", "rights_rest"),
    }

    class Meta:
        model = Sentence
        formfield_callback = _formfield
        fields = ["kind", "pronounced", "court", "term_starts", "political_rights_life", "confidentiality"]
        labels = {
            "political_rights_life": _("Deprived of political rights for life"),
            "term_starts": _("Term counted from (leave empty: from the detention's start)"),
        }

    field_order = [
        "kind",
        "term_years",
        "term_rest",
        "pronounced",
        "court",
        "term_starts",
        "rights_years",
        "rights_rest",
    ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("kind") == SentenceKind.FIXED
            and not data.get("term_months")
            and not self.instance.term_days
        ):
            self.add_error("term_years", _("A fixed-term sentence needs its term: years, months or both."))
        return data


class SentenceChangeForm(FactForm):
    change_years = _years(_("Reduced (or extended) by: years"))
    change_rest = _months(_("and months"))
    new_years = _years(_("New term after a commutation: years"))
    new_rest = _months(_("and months"))
    terms = {"months": ("change_years", "change_rest"), "new_term_months": ("new_years", "new_rest")}

    class Meta:
        model = SentenceChange
        formfield_callback = _formfield
        fields = ["kind", "date", "new_kind", "note", "confidentiality"]
        labels = {"new_kind": _("Commuted to")}

    field_order = ["kind", "date", "change_years", "change_rest", "new_kind", "new_years", "new_rest"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("months") is None:
            data["months"] = 0  # not null in the model: "no reduction" is 0 months
        if data.get("kind") == "commutation" and not data.get("new_kind"):
            self.add_error("new_kind", _("Say what the sentence was commuted to."))
        return data


class StatusForm(FactForm):
    class Meta:
        model = StatusChange
        formfield_callback = _formfield
        fields = ["status", "date", "uncertain", "note", "confidentiality"]
        labels = {"uncertain": _("Reported, not confirmed")}


class HealthForm(FactForm):
    class Meta:
        model = HealthNote
        formfield_callback = _formfield
        fields = ["date", "condition", "note", "confidentiality"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class AllegationForm(FactForm):
    wgad_category = forms.TypedChoiceField(
        label=_("WGAD category"),
        choices=WGAD_CATEGORIES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Only for arbitrary detention: I no legal basis, II exercise of rights, III unfair "
            "trial, IV migrants without review, V discrimination."
        ),
    )

    class Meta:
        model = Allegation
        formfield_callback = _formfield
        fields = ["kind", "wgad_category", "date", "description", "confidentiality"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("wgad_category") and data.get("kind") != AllegationKind.ARBITRARY_DETENTION:
            self.add_error("wgad_category", _("A WGAD category applies only to arbitrary detention."))
        return data


class ChargeForm(FactForm):
    class Meta:
        model = Charge
        formfield_callback = _formfield
        fields = ["text", "statute", "article", "confidentiality"]
        labels = {"text": _("Charge, as written")}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("text") or "").strip() and not (data.get("statute") or "").strip():
            self.add_error("text", _("Write the charge, or name the statute and article."))
        return data


class LegalStepForm(FactForm):
    class Meta:
        model = LegalStep
        formfield_callback = _formfield
        fields = ["kind", "date", "court", "outcome", "uncertain", "confidentiality"]
        labels = {"uncertain": _("Reported, not confirmed")}


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- the citation picker ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CiteSpan:
    """A checked span of a source the user may read (the citation is made when the fact is saved)."""

    source: Source
    start: int
    end: int
    quote: str


class CiteForm(forms.Form):
    """Where a fact comes from: a span of a source the user may read, or "entered without a source".

    The span comes from the mouse selection (``start``/``end``/``selected``, filled by web/edit.js) or,
    without JavaScript, from the words pasted into ``quote``. Either way it is checked here against the
    source text, and again by the service that makes the citation.
    """

    find = forms.CharField(label=_("Find a source by title or publisher"), required=False, max_length=200)
    source = forms.IntegerField(required=False, min_value=1)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    selected = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    quote = forms.CharField(
        label=_("Or paste the exact words of the source"),
        required=False,
        strip=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    unsourced = forms.BooleanField(
        label=_("Entered without a source (your name is recorded)"), required=False
    )

    def __init__(self, *args: Any, user: Any, required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "cite")
        super().__init__(*args, **kwargs)
        self.user = user
        # An edit may leave the citations as they are; a new fact must say where it comes from.
        self.required = required
        self.span: CiteSpan | None = None
        self.source_obj: Source | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        source_pk, start, end = data.get("source"), data.get("start"), data.get("end")
        quote = data.get("quote") or ""
        has_span = start is not None or end is not None or bool(quote.strip())
        if source_pk:
            try:
                self.source_obj = source_to_cite(self.user, source_pk)
            except Source.DoesNotExist:
                # The same words for a missing source and one above the user's clearance.
                raise ValidationError({"source": _("Pick a source you may read.")}) from None
        if data.get("unsourced"):
            if source_pk and has_span:
                raise ValidationError(
                    _("Either cite a span of the source or tick “entered without a source”, not both.")
                )
            return data
        if not source_pk:
            if has_span:
                raise ValidationError({"source": _("Pick the source these words come from.")})
            if self.required:
                raise ValidationError(
                    _(
                        "Cite the source that states this (pick it, then select its words), or tick "
                        "“entered without a source”."
                    )
                )
            return data
        source = self.source_obj
        assert source is not None
        if start is not None and end is not None:
            try:
                found = span_check(source, start, end)
            except ValidationError as error:
                raise ValidationError({"quote": error.messages}) from None
            # Browsers send line breaks in form fields as CRLF: compare the words, not the line endings.
            selected = data.get("selected") or ""
            if selected and _lines(selected) != _lines(found):
                raise ValidationError(
                    {
                        "quote": _("The selected words do not match the source text at %(start)s–%(end)s.")
                        % {"start": start, "end": end}
                    }
                )
            self.span = CiteSpan(source, start, end, found)
        elif quote.strip():
            span = quote_span(source.text, quote)
            if span is None:
                raise ValidationError(
                    {
                        "quote": _("“%(title)s” does not contain these words; paste them exactly as written.")
                        % {"title": source.title}
                    }
                )
            self.span = CiteSpan(source, span[0], span[1], source.text[span[0] : span[1]])
        else:
            raise ValidationError(
                {"quote": _("Select the words of the source that state this, or paste them here.")}
            )
        return data

    @property
    def is_unsourced(self) -> bool:
        return bool(self.cleaned_data.get("unsourced")) and self.span is None

    def citations(self, by: Any) -> list[Citation] | None:
        """The citations to save with the fact (the caller's transaction), or None to keep them."""
        if self.span is None:
            return None
        s = self.span
        return [citation_get_or_create(source=s.source, start=s.start, end=s.end, quote=s.quote, by=by)]

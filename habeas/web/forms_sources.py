"""Forms for sources: the list filters, a new source from pasted text, and its metadata.

Files (text, HTML, PDF) are read by the upload form (habeas/web/forms_ingest.py), which finds their
details for the user to check: one way in for files, so the same file is always read the same way.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.sources.models import Reliability, SourceKind
from habeas.sources.selectors import SourceFacets
from habeas.sources.services import OFFICIAL_KINDS

SORT_CHOICES = [
    ("-published", _("newest first")),
    ("published", _("oldest first")),
    ("title", _("title")),
    ("-title", _("title, Z to A")),
    ("publisher", _("publisher")),
    ("-citations", _("most cited first")),
    ("-created", _("recently added first")),
]


class PartialDateInput(forms.CharField):
    """A year, a month or a day (``2010``, ``2010-05``, ``2010-05-03``), maybe circa (``2010~``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> PartialDate | None:
        text = super().clean(value)
        try:
            return PartialDate.coerce(text)
        except PartialDateError as error:
            raise forms.ValidationError(
                _("Enter a real year, year-month or date (e.g. 2010, 2010-05, 2010-05-03): %(problem)s"),
                params={"problem": str(error)},
            ) from error


def confidentiality_choices(user: Any) -> list[tuple[int, str]]:
    """Nobody files a record above their own clearance: they could not read it back."""
    clearance = user_clearance(user)
    return [(value, label) for value, label in Confidentiality.choices if value <= clearance]


class SourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or publisher"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    official = forms.ChoiceField(
        label=_("Official"),
        required=False,
        choices=[("", _("any")), ("yes", _("official")), ("no", _("unofficial"))],
    )
    reliability = forms.ChoiceField(label=_("Reliability"), required=False)
    publisher = forms.ChoiceField(label=_("Publisher"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    since = PartialDateInput(label=_("Published since"), required=False)
    until = PartialDateInput(label=_("Published until"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, facets: SourceFacets, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("any"))]
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = anything + list(SourceKind.choices)
        fields["reliability"].choices = anything + list(Reliability.choices)
        fields["publisher"].choices = anything + [(p, p) for p in facets.publishers]
        fields["language"].choices = anything + [(lang, lang) for lang in facets.languages]


class SourceMetadataForm(forms.Form):
    """What can be said about a source besides its text (the same fields when creating and editing)."""

    title = forms.CharField(label=_("Title"), max_length=500)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    url = forms.CharField(
        label=_("Address (URL)"), max_length=2000, required=False, help_text=_("http:// or https:// only")
    )
    published = PartialDateInput(
        label=_("Published"), required=False, help_text=_("2010, 2010-05 or 2010-05-03; 2010~ for circa")
    )
    language = forms.CharField(
        label=_("Language"), max_length=20, required=False, help_text=_("BCP 47 tag, e.g. en, zh-Hans")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices, initial=SourceKind.OTHER)
    official = forms.ChoiceField(
        label=_("Official"),
        choices=[
            ("auto", _("as the kind says (verdicts, state media, government answers are official)")),
            ("yes", _("official: issued by the state")),
            ("no", _("unofficial")),
        ],
        initial="auto",
    )
    reliability = forms.ChoiceField(label=_("Reliability"), choices=Reliability.choices, initial="F")
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality"), coerce=int)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["confidentiality"]
        field.choices = confidentiality_choices(user)
        field.initial = min(Confidentiality.INTERNAL, user_clearance(user))

    def clean_url(self) -> str:
        url: str = (self.cleaned_data.get("url") or "").strip()
        if not url:
            return ""
        # The address becomes a link on the source page: javascript:, data: and the like never do.
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise forms.ValidationError(_("The address must start with http:// or https://."))
        URLValidator(schemes=["http", "https"], message=_("Enter a valid web address."))(url)
        return url

    def clean_title(self) -> str:
        title = " ".join((self.cleaned_data.get("title") or "").split())
        if not title:
            raise forms.ValidationError(_("A source needs a title."))
        return title

    def official_value(self) -> bool:
        chosen = {"yes": True, "no": False}.get(self.cleaned_data.get("official", "auto"))
        return chosen if chosen is not None else self.cleaned_data.get("kind") in OFFICIAL_KINDS

    def metadata(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments of the source services."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "publisher": data.get("publisher", "").strip(),
            "url": data.get("url", ""),
            "published": data.get("published"),
            "language": data.get("language", "").strip(),
            "kind": data["kind"],
            "official": self.official_value(),
            "reliability": data["reliability"],
            "confidentiality": data["confidentiality"],
        }


class SourceCreateForm(SourceMetadataForm):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paste the text as it was published."),
    )
    field_order = ["text", "title"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("text") or ""
        if not text.strip():
            raise forms.ValidationError(_("A source needs its text: paste it, or upload the file instead."))
        data["body"] = text
        return data


class SourceEditForm(SourceMetadataForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

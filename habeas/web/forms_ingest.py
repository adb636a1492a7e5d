"""Forms for uploading a document: the file first, then its details as found in it (to check)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from habeas.extraction.readers import SUFFIXES
from habeas.web.forms_sources import SourceMetadataForm

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class DocumentUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Document"),
        help_text=_(
            "Plain text as scraped from a web page, an HTML page or a PDF (.txt, .html, .pdf), at most 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )

    def clean_document(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["document"]
        if not (upload.name or "").lower().endswith(SUFFIXES):
            raise forms.ValidationError(_("Upload a plain-text, HTML or PDF file (.txt, .html, .pdf)."))
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is 20 MB."),
                params={"size": upload.size / 1024 / 1024},
            )
        return upload


class DocumentDetailsForm(SourceMetadataForm):
    """The details of a staged upload: pre-filled with what the document says, every field editable."""

    token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{20,64}$", widget=forms.HiddenInput)

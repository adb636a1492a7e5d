"""Uploading a document: read it, show the details found in it to check, then store it as a source.

Two steps, because the details are pre-filled from the document and a file input cannot be filled back:
the first POST reads the file and keeps its bytes in a staging folder (named by a random token held in
the uploader's session, so nobody else can use it); the second stores it through the same service as
``habeas ingest``. Staged files are removed once stored, and after a day if never confirmed.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from habeas.extraction.boilerplate import content_text
from habeas.extraction.readers import Document, ReadError, document_read
from habeas.extraction.services import document_ingest
from habeas.sources.models import Source
from habeas.sources.selectors import source_for_edit
from habeas.web.forms_ingest import DocumentDetailsForm, DocumentUploadForm
from habeas.web.views._access import editor_required

SESSION_KEY = "habeas_uploads"
STAGED_FOR_SECONDS = 24 * 3600
PREVIEW_CHARACTERS = 3000


def _staging() -> Path:
    folder = Path(settings.VAR_DIR) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _stage(request: HttpRequest, data: bytes, name: str) -> str:
    folder = _staging()
    cutoff = time.time() - STAGED_FOR_SECONDS
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.upload"
    path.touch(mode=0o600)
    path.write_bytes(data)
    staged = dict(request.session.get(SESSION_KEY, {}))
    staged[token] = name
    request.session[SESSION_KEY] = dict(list(staged.items())[-5:])  # a few uploads in flight at most
    return token


def _staged(request: HttpRequest, token: str) -> tuple[Path, str] | None:
    """The staged file and its name, if this session staged it and it is still there."""
    name = request.session.get(SESSION_KEY, {}).get(token)
    path = _staging() / f"{token}.upload"
    return (path, name) if name is not None and path.is_file() else None


def _unstage(request: HttpRequest, token: str) -> None:
    (_staging() / f"{token}.upload").unlink(missing_ok=True)
    staged = dict(request.session.get(SESSION_KEY, {}))
    staged.pop(token, None)
    request.session[SESSION_KEY] = staged


def _initial(document: Document, name: str) -> dict[str, Any]:
    found = document.metadata
    return {
        "title": found.title or Path(name).stem.replace("_", " "),
        "publisher": found.publisher,
        "url": found.url,
        "published": found.published.isoformat() if found.published else "",
        "language": found.language,
    }


def _preview(document: Document) -> dict[str, Any]:
    article = content_text(document.text)
    return {
        "format": document.format,
        "encoding": document.encoding,
        "characters": len(document.text),
        "article": article[:PREVIEW_CHARACTERS],
        "cut": len(article) > PREVIEW_CHARACTERS,
    }


@editor_required
@require_http_methods(["GET", "POST"])
def source_upload_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    upload = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        document_file = upload.cleaned_data["document"]
        name = Path(document_file.name or "upload").name
        data = document_file.read()
        try:
            document = document_read(data, name=name)
        except ReadError as error:
            upload.add_error("document", str(error))
        else:
            token = _stage(request, data, name)
            details = DocumentDetailsForm(
                initial={**_initial(document, name), "token": token}, user=request.user
            )
            context = {"details": details, "name": name, "preview": _preview(document)}
            return render(request, "web/source_upload.html", context)
    return render(request, "web/source_upload.html", {"upload": upload})


def _confirm(request: HttpRequest) -> HttpResponse:
    details = DocumentDetailsForm(request.POST, user=request.user)
    valid = details.is_valid()
    token = "" if "token" in details.errors else details.cleaned_data["token"]
    staged = _staged(request, token) if token else None
    if staged is None:
        # Expired, stored already, or not this session's: start again rather than guess.
        return render(request, "web/source_upload.html", {"upload": DocumentUploadForm(), "expired": True})
    path, name = staged
    if valid:
        try:
            result = document_ingest(
                path_or_bytes=path, name=name, by=request.user, fill=False, **details.metadata()
            )
        except ReadError as error:
            details.add_error(None, str(error))
        except ValidationError as error:
            for field, problems in getattr(error, "error_dict", {None: error.error_list}).items():
                details.add_error(field if field in details.fields else None, problems)
        else:
            _unstage(request, token)
            if result.created:
                messages.success(request, _("Source saved."))
                return redirect("web:source_detail", pk=result.source.pk)
            # Stored before: point to it only if this reader may see it (as the paste form does).
            try:
                existing: Source | None = source_for_edit(request.user, result.source.pk)
            except Source.DoesNotExist:
                existing = None
            context: dict[str, Any] = {
                "existing": existing,
                "existing_hidden": existing is None,
                "upload": DocumentUploadForm(),
            }
            return render(request, "web/source_upload.html", context)
    document = document_read(path.read_bytes(), name=name)
    context = {"details": details, "name": name, "preview": _preview(document)}
    return render(request, "web/source_upload.html", context)

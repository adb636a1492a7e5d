"""Every dialogue URL x every role, and planted secrets that must never reach a reader without clearance:
not on any dialogue page, not in any export (PDF, DOCX, CSV), not in a search made for the secret itself.
Internal notes never leave in an export, whoever exports."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from pypdf import PdfReader

from habeas.accounts.models import Confidentiality, Role, User
from habeas.web import urls_dialogue
from habeas.web.tests.roles import ROLES, assert_answer
from habeas.web.tests.test_dialogue_pages import (
    INTERNAL_MARKERS,
    RESTRICTED_MARKERS,
    SECRET_HANZI,
    SECRET_NAME,
    World,
    build_world,
)

EXPORTS = ("pdf", "docx", "csv")


@pytest.fixture
def world(researcher) -> World:
    return build_world(researcher)


# url name -> expected status per role (admin, researcher, reviewer, viewer, anonymous).
# Reading: signed-in users within clearance (the reviewer is cleared for internal records, the viewer
# for public ones); forms: researchers and admins. 302 for the signed-out visitor is to the sign-in page.
READ = (200, 200, 200, 200, 302)
RESTRICTED_READ = (200, 200, 404, 404, 302)
MISSING = (404, 404, 404, 404, 302)
FORM = (200, 200, 403, 403, 302)
FORM_MISSING = (404, 404, 403, 403, 302)
GET_ONLY = (405, 405, 405, 405, 302)
MATRIX: list[tuple[str, str, tuple[int, int, int, int, int]]] = [
    ("GET", "lists", READ),
    ("GET", "lists_drafts", READ),
    ("POST", "lists", GET_ONLY),
    ("GET", "list_public", READ),
    ("GET", "list_restricted", RESTRICTED_READ),
    ("GET", "list_missing", MISSING),
    ("POST", "list_public", GET_ONLY),
    *[("GET", f"export_{fmt}", READ) for fmt in EXPORTS],
    *[("GET", f"export_{fmt}_restricted", RESTRICTED_READ) for fmt in EXPORTS],
    ("GET", "export_unknown_format", MISSING),
    ("GET", "export_missing", MISSING),
    ("GET", "engagements", READ),
    ("GET", "engagement_public", READ),
    ("GET", "engagement_restricted", RESTRICTED_READ),
    ("GET", "engagement_missing", MISSING),
    ("GET", "statistics", READ),
    ("POST", "statistics", GET_ONLY),
    ("GET", "alerts", READ),
    ("GET", "alerts_days", READ),
    ("POST", "alerts", GET_ONLY),
    # forms
    ("GET", "list_new", FORM),
    ("GET", "list_new_from_query", FORM),
    ("POST", "list_new", FORM),  # nothing filled in: the form again, with its errors
    ("GET", "list_build", (405, 405, 403, 403, 302)),
    ("POST", "list_build", (302, 302, 403, 403, 302)),  # nothing chosen: back to the form, saying why
    ("GET", "list_edit_public", FORM),
    ("GET", "list_edit_restricted", FORM),
    ("GET", "list_edit_missing", FORM_MISSING),
    ("POST", "list_edit_public", FORM),
    ("GET", "list_hand_over", FORM),
    ("GET", "list_hand_over_missing", FORM_MISSING),
    ("GET", "entry_add", FORM),
    ("GET", "entry_add_search", FORM),
    ("GET", "entry_add_missing", FORM_MISSING),
    ("GET", "suggestions", FORM),
    ("GET", "suggestions_unanswered", FORM),
    ("GET", "suggestions_missing", FORM_MISSING),
    ("GET", "responses_upload", FORM),
    ("POST", "responses_upload", FORM),  # no file: the form again
    ("GET", "responses_upload_missing", FORM_MISSING),
    ("GET", "entry_edit", FORM),
    ("GET", "entry_edit_restricted", FORM),
    ("GET", "entry_edit_missing", FORM_MISSING),
    ("GET", "entry_remove", (405, 405, 403, 403, 302)),
    ("POST", "entry_remove", (302, 302, 403, 403, 302)),  # refused (handed over): back to the list
    ("POST", "entry_remove_missing", FORM_MISSING),
    ("GET", "response_add", FORM),
    ("GET", "response_add_missing", FORM_MISSING),
    ("GET", "outcome_add", FORM),
    ("GET", "outcome_add_missing", FORM_MISSING),
    ("GET", "engagement_new", FORM),
    ("POST", "engagement_new", FORM),
    ("GET", "engagement_edit", FORM),
    ("GET", "engagement_edit_restricted", FORM),
    ("GET", "engagement_edit_missing", FORM_MISSING),
    ("GET", "interlocutor_new", FORM),
    ("POST", "interlocutor_new", FORM),
]


def url_for(name: str, world: World) -> str:
    handed, secret = world.handed.pk, world.secret_list.pk
    entry, far = world.liu_entry.pk, world.hidden_entry.pk + 1000
    urls = {
        "lists": reverse("web:dialogue_lists"),
        "lists_drafts": reverse("web:dialogue_lists") + "?status=draft",
        "list_public": reverse("web:dialogue_list", args=[handed]),
        "list_restricted": reverse("web:dialogue_list", args=[secret]),
        "list_missing": reverse("web:dialogue_list", args=[secret + 1000]),
        **{f"export_{f}": reverse("web:dialogue_list_export", args=[handed, f]) for f in EXPORTS},
        **{f"export_{f}_restricted": reverse("web:dialogue_list_export", args=[secret, f]) for f in EXPORTS},
        "export_unknown_format": reverse("web:dialogue_list_export", args=[handed, "html"]),
        "export_missing": reverse("web:dialogue_list_export", args=[secret + 1000, "pdf"]),
        "engagements": reverse("web:dialogue_engagements"),
        "engagement_public": reverse("web:dialogue_engagement", args=[world.engagement.pk]),
        "engagement_restricted": reverse("web:dialogue_engagement", args=[world.secret_engagement.pk]),
        "engagement_missing": reverse("web:dialogue_engagement", args=[world.secret_engagement.pk + 1000]),
        "statistics": reverse("web:dialogue_statistics"),
        "alerts": reverse("web:dialogue_alerts"),
        "alerts_days": reverse("web:dialogue_alerts") + "?days=400&list_days=10",
        "list_new": reverse("web:dialogue_list_new"),
        "list_new_from_query": reverse("web:dialogue_list_new") + "?query=status%3Ddetained",
        "list_build": reverse("web:dialogue_list_build"),
        "list_edit_public": reverse("web:dialogue_list_edit", args=[handed]),
        "list_edit_restricted": reverse("web:dialogue_list_edit", args=[secret]),
        "list_edit_missing": reverse("web:dialogue_list_edit", args=[secret + 1000]),
        "list_hand_over": reverse("web:dialogue_list_hand_over", args=[world.draft.pk]),
        "list_hand_over_missing": reverse("web:dialogue_list_hand_over", args=[secret + 1000]),
        "entry_add": reverse("web:dialogue_entry_add", args=[world.draft.pk]),
        "entry_add_search": reverse("web:dialogue_entry_add", args=[world.draft.pk]) + "?q=liu",
        "entry_add_missing": reverse("web:dialogue_entry_add", args=[secret + 1000]),
        "suggestions": reverse("web:dialogue_list_suggestions", args=[world.draft.pk]),
        "suggestions_unanswered": reverse("web:dialogue_list_suggestions", args=[world.draft.pk])
        + "?kind=unanswered&months=1",
        "suggestions_missing": reverse("web:dialogue_list_suggestions", args=[secret + 1000]),
        "responses_upload": reverse("web:dialogue_responses_upload", args=[handed]),
        "responses_upload_missing": reverse("web:dialogue_responses_upload", args=[secret + 1000]),
        "entry_edit": reverse("web:dialogue_entry_edit", args=[entry]),
        "entry_edit_restricted": reverse("web:dialogue_entry_edit", args=[world.hidden_entry.pk]),
        "entry_edit_missing": reverse("web:dialogue_entry_edit", args=[far]),
        "entry_remove": reverse("web:dialogue_entry_remove", args=[entry]),
        "entry_remove_missing": reverse("web:dialogue_entry_remove", args=[far]),
        "response_add": reverse("web:dialogue_response_add", args=[entry]),
        "response_add_missing": reverse("web:dialogue_response_add", args=[far]),
        "outcome_add": reverse("web:dialogue_outcome_add", args=[entry]),
        "outcome_add_missing": reverse("web:dialogue_outcome_add", args=[far]),
        "engagement_new": reverse("web:dialogue_engagement_new"),
        "engagement_edit": reverse("web:dialogue_engagement_edit", args=[world.engagement.pk]),
        "engagement_edit_restricted": reverse(
            "web:dialogue_engagement_edit", args=[world.secret_engagement.pk]
        ),
        "engagement_edit_missing": reverse(
            "web:dialogue_engagement_edit", args=[world.secret_engagement.pk + 1000]
        ),
        "interlocutor_new": reverse("web:dialogue_interlocutor_new"),
    }
    return urls[name]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "expected"), MATRIX, ids=[f"{m} {n}" for m, n, _ in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_matrix(as_role, world, method, name, expected, role_index) -> None:
    client = as_role(ROLES[role_index])
    url = url_for(name, world)
    response = client.post(url) if method == "POST" else client.get(url)
    # Only the signed-out visitor is sent to sign in; a refused removal goes back to its list.
    back = {"entry_remove": reverse("web:dialogue_list", args=[world.handed.pk]), "list_build": ""}
    to_login = ROLES[role_index] == "anonymous" or name not in back
    assert_answer(response, expected[role_index], redirect_to_login=to_login)
    if not to_login and response.status_code == 302:
        assert response["Location"].startswith(back[name] or reverse("web:dialogue_list_new"))


@pytest.mark.django_db
def test_every_dialogue_url_is_in_the_matrix(world) -> None:
    named = {p.name for p in urls_dialogue.urlpatterns}
    covered = {resolve(urlsplit(url_for(name, world)).path).url_name for _m, name, _e in MATRIX}
    assert named - covered == set()


# -- planted secrets -------------------------------------------------------------------------------
def export_text(body: bytes, fmt: str) -> str:
    """The words of an export as a reader would see them."""
    if fmt == "pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(body)) as docx:
            return "\n".join(docx.read(n).decode() for n in docx.namelist() if n.endswith(".xml"))
    return body.decode("utf-8-sig")


def pages(client, world: World) -> dict[str, str]:
    """Every dialogue page and export a reader might reach, and searches for the secrets themselves."""
    seen: dict[str, str] = {}
    for _method, name, _expected in MATRIX:
        url = url_for(name, world)
        response = client.get(url)
        if name.startswith("export_") and response.status_code == 200:
            seen[name] = export_text(response.content, name.split("_")[1])
        else:
            seen[name] = response.content.decode()
    # Every list, entry and engagement by number, whoever may see it.
    for plist in (world.handed, world.draft, world.secret_list):
        seen[f"list {plist.pk}"] = client.get(reverse("web:dialogue_list", args=[plist.pk])).content.decode()
        for fmt in EXPORTS:
            response = client.get(reverse("web:dialogue_list_export", args=[plist.pk, fmt]))
            body = (
                export_text(response.content, fmt)
                if response.status_code == 200
                else response.content.decode()
            )
            seen[f"export {plist.pk} {fmt}"] = body
    for entry in (world.liu_entry, world.hidden_entry):
        for name in ("web:dialogue_entry_edit", "web:dialogue_response_add", "web:dialogue_outcome_add"):
            seen[f"{name} {entry.pk}"] = client.get(reverse(name, args=[entry.pk])).content.decode()
    for kind in ("at_risk", "overdue", "never_asked", "unanswered"):
        url = reverse("web:dialogue_list_suggestions", args=[world.draft.pk])
        seen[f"suggest {kind}"] = client.get(url, {"kind": kind, "months": "1"}).content.decode()
    for query in (SECRET_NAME, SECRET_HANZI):
        # The search box shows back what the reader typed: that is not a leak, the results would be.
        for name, url, data in (
            ("add", reverse("web:dialogue_entry_add", args=[world.draft.pk]), {"q": query}),
            (
                "add by id",
                reverse("web:dialogue_entry_add", args=[world.draft.pk]),
                {"person": world.hidden.pk},
            ),
            ("from query", reverse("web:dialogue_list_new"), {"query": f"q={query}"}),
        ):
            html = client.get(url, data).content.decode()
            for echo in (f'value="{query}"', f"q={query}", f"q%3D{query}", f"q%253D{query}"):
                html = html.replace(echo, "")
            seen[f"{name} {query}"] = html
    return seen


def leaks(seen: dict[str, str], markers: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (page, marker) for page, text in seen.items() for marker in markers if marker.lower() in text.lower()
    ]


@pytest.fixture
def internal_researcher(db) -> User:
    """A researcher cleared for internal records only: may use every form, must not see restricted ones."""
    user = User(username="iris", role=Role.RESEARCHER, clearance=Confidentiality.INTERNAL)
    user.set_password("x")
    user.save()
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "reviewer", "internal researcher"])
def test_planted_secrets_never_reach_a_reader_without_clearance(
    as_role, client_for, internal_researcher, world, role
):
    client = client_for(internal_researcher) if role == "internal researcher" else as_role(role)
    seen = pages(client, world)
    assert leaks(seen, RESTRICTED_MARKERS) == []
    if role == "viewer":  # cleared for public records only: internal notes are not theirs either
        assert leaks(seen, INTERNAL_MARKERS) == []
    # What they may see is there, in the exports too (the check above looked at real text).
    assert "Liu Mingde" in seen["list_public"] and "刘明德" in seen["list_public"]
    for fmt in EXPORTS:
        assert "Liu Mingde" in seen[f"export_{fmt}"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_planted_secrets_are_shown_to_a_cleared_reader_but_internal_notes_never_exported(
    as_role, world, role
):
    seen = pages(as_role(role), world)
    assert SECRET_NAME in seen["list_public"] and SECRET_NAME in seen["export_pdf"]
    for fmt in EXPORTS:
        assert SECRET_NAME in seen[f"export_{fmt}"]
        assert leaks({fmt: seen[f"export_{fmt}"]}, INTERNAL_MARKERS) == []
    assert leaks({"list": seen["list_public"]}, INTERNAL_MARKERS[:2]) != []  # on the page, for staff

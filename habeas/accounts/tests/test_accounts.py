"""Accounts: roles and clearance, the 'habeas user' command, password rules, Argon2, visible_q."""

from __future__ import annotations

import importlib
import io

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from habeas.accounts.models import Confidentiality, Role, User
from habeas.accounts.selectors import user_clearance, visible_q
from habeas.accounts.services import user_create, user_set_access
from habeas.audit.models import History
from habeas.dossiers import services
from habeas.dossiers.models import Detention, Person

STRONG = "amber-lantern-orchard-1989"
PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


def user_history(user: User) -> list[History]:
    return list(History.objects.filter(content_type__model="user", object_id=user.pk).order_by("id"))


# -- settings ----------------------------------------------------------------------------------------
def test_real_settings_hash_passwords_with_argon2_first():
    real = importlib.import_module("habeas.settings")
    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    validators = {v["NAME"].rsplit(".", 1)[1] for v in real.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= validators


def test_argon2_is_installed_and_verifies():
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode(STRONG, hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify(STRONG, encoded)
    assert not hasher.verify(STRONG + "x", encoded)


# -- the command ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_user_add_creates_the_account_with_role_and_clearance(monkeypatch):
    monkeypatch.setenv("HABEAS_PASSWORD", STRONG)
    out = run("add", "ana", "--role", "researcher", "--clearance", "restricted", "--email", "ana@example.org")
    assert "created ana (researcher, clearance restricted)" in out
    ana = User.objects.get(username="ana")
    assert (ana.role, ana.clearance, ana.email) == (Role.RESEARCHER, RESTRICTED, "ana@example.org")
    assert not ana.is_staff and not ana.is_superuser
    assert ana.check_password(STRONG)
    (row,) = user_history(ana)
    assert row.action == "create"
    assert row.changes == {"role": [None, "researcher"], "clearance": [None, RESTRICTED]}


@pytest.mark.django_db
def test_user_add_defaults_to_viewer_with_internal_clearance(monkeypatch):
    monkeypatch.setenv("HABEAS_PASSWORD", STRONG)
    run("add", "bo")
    bo = User.objects.get(username="bo")
    assert (bo.role, bo.clearance) == (Role.VIEWER, INTERNAL)


@pytest.mark.django_db
def test_admins_are_staff_and_superusers(monkeypatch):
    monkeypatch.setenv("HABEAS_PASSWORD", STRONG)
    run("add", "root", "--role", "admin")
    root = User.objects.get(username="root")
    assert root.is_staff and root.is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83920174652", "entirely numeric"),
        ("ana-the-researcher", "too similar"),
    ],
)
def test_user_add_refuses_a_weak_password_and_creates_nothing(monkeypatch, password, reason):
    monkeypatch.setenv("HABEAS_PASSWORD", password)
    with pytest.raises(CommandError, match=f"password refused: .*{reason}"):
        run("add", "ana-the-researcher")
    assert not User.objects.filter(username="ana-the-researcher").exists()
    assert not History.objects.exists()


@pytest.mark.django_db
def test_user_add_without_a_password_off_a_terminal_is_refused(monkeypatch):
    monkeypatch.delenv("HABEAS_PASSWORD", raising=False)
    monkeypatch.setattr("habeas.accounts.management.commands.user.os.isatty", lambda fd: False)
    with pytest.raises(CommandError, match="no password"):
        run("add", "ana")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_user_add_refuses_an_existing_name(monkeypatch, researcher):
    monkeypatch.setenv("HABEAS_PASSWORD", STRONG)
    with pytest.raises(CommandError, match="already exists"):
        run("add", researcher.username)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args", [("add", "ana", "--role", "overlord"), ("add", "ana", "--clearance", "secret")]
)
def test_user_add_refuses_unknown_role_or_clearance(monkeypatch, args):
    monkeypatch.setenv("HABEAS_PASSWORD", STRONG)
    with pytest.raises(CommandError, match="invalid choice"):
        run(*args)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_user_set_changes_role_and_clearance_with_history(reviewer):
    out = run("set", reviewer.username, "--role", "admin", "--clearance", "restricted")
    assert f"{reviewer.username}: admin, clearance restricted" in out
    reviewer.refresh_from_db()
    assert (reviewer.role, reviewer.clearance) == (Role.ADMIN, RESTRICTED)
    assert reviewer.is_staff and reviewer.is_superuser
    (row,) = user_history(reviewer)
    assert row.action == "update"
    assert row.changes == {"role": ["reviewer", "admin"], "clearance": [INTERNAL, RESTRICTED]}
    run("set", reviewer.username, "--role", "viewer")
    reviewer.refresh_from_db()
    assert not reviewer.is_staff and not reviewer.is_superuser
    assert user_history(reviewer)[-1].changes == {"role": ["admin", "viewer"]}


@pytest.mark.django_db
def test_user_set_without_a_change_writes_no_history(reviewer):
    run("set", reviewer.username, "--role", "reviewer")
    assert user_history(reviewer) == []


@pytest.mark.django_db
def test_user_set_refuses_an_unknown_user_or_role(reviewer):
    with pytest.raises(CommandError, match="no user 'nobody'"):
        run("set", "nobody", "--role", "admin")
    with pytest.raises(CommandError, match="invalid choice"):
        run("set", reviewer.username, "--role", "overlord")
    reviewer.refresh_from_db()
    assert reviewer.role == Role.REVIEWER


@pytest.mark.django_db
def test_user_list_shows_role_clearance_and_inactive(personas):
    personas["viewer"].is_active = False
    personas["viewer"].save()
    lines = run("list").splitlines()
    assert lines == [
        "ada\tadmin\trestricted",
        "rene\treviewer\tinternal",
        "rita\tresearcher\trestricted",
        "vera\tviewer\tpublic (inactive)",
    ]


# -- services --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_user_create_refuses_unknown_role_and_clearance():
    with pytest.raises(ValueError, match="unknown role 'overlord'"):
        user_create(username="ana", password=STRONG, role="overlord")
    with pytest.raises(ValueError, match="unknown clearance"):
        user_create(username="ana", password=STRONG, clearance=5)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_user_create_without_password_is_unusable(admin_user):
    user = user_create(username="ana", password=None, by=admin_user)
    assert not user.has_usable_password()
    assert user_history(user)[0].user == admin_user


@pytest.mark.django_db
def test_user_create_refuses_a_duplicate_username(researcher):
    with pytest.raises(ValidationError):
        user_create(username=researcher.username, password=STRONG)


@pytest.mark.django_db
def test_user_set_access_refuses_unknown_values_and_records_who(admin_user, viewer):
    with pytest.raises(ValueError, match="unknown role"):
        user_set_access(user=viewer, role="overlord", by=admin_user)
    with pytest.raises(ValueError, match="unknown clearance"):
        user_set_access(user=viewer, clearance=3, by=admin_user)
    viewer.refresh_from_db()
    assert (viewer.role, viewer.clearance) == (Role.VIEWER, PUBLIC)
    user_set_access(user=viewer, clearance=INTERNAL, by=admin_user)
    (row,) = user_history(viewer)
    assert (row.user, row.changes) == (admin_user, {"clearance": [PUBLIC, INTERNAL]})


@pytest.mark.django_db
def test_the_database_refuses_unknown_role_or_clearance():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role="overlord")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", clearance=9)


@pytest.mark.django_db
def test_permissions_by_role(personas):
    assert personas["admin"].can_edit and personas["researcher"].can_edit
    assert not personas["reviewer"].can_edit and not personas["viewer"].can_edit
    assert personas["reviewer"].can_review and not personas["viewer"].can_review
    personas["researcher"].is_active = False
    assert not personas["researcher"].can_edit and not personas["researcher"].can_review


# -- visible_q ----------------------------------------------------------------------------------------
@pytest.fixture
def levels(researcher) -> dict[int, Person]:
    return {
        level: services.person_create(
            names=[f"P{level}"], unsourced=True, by=researcher, confidentiality=level
        )
        for level in (PUBLIC, INTERNAL, RESTRICTED)
    }


def visible(user, levels) -> set[int]:
    pks = set(Person.objects.filter(**visible_q(user)).values_list("pk", flat=True))
    return {level for level, person in levels.items() if person.pk in pks}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", {PUBLIC}),
        ("none", {PUBLIC}),
        ("viewer", {PUBLIC}),
        ("reviewer", {PUBLIC, INTERNAL}),
        ("researcher", {PUBLIC, INTERNAL, RESTRICTED}),
        ("admin", {PUBLIC, INTERNAL, RESTRICTED}),
    ],
)
def test_visible_q_by_clearance(personas, levels, persona, expected):
    user = {"anonymous": AnonymousUser(), "none": None}.get(persona) or personas.get(persona)
    assert visible(user, levels) == expected


@pytest.mark.django_db
def test_inactive_users_see_public_records_only(personas, levels):
    admin = personas["admin"]
    admin.is_active = False
    admin.save()
    assert user_clearance(admin) == PUBLIC
    assert visible(admin, levels) == {PUBLIC}


@pytest.mark.django_db
def test_visible_q_with_a_prefix_filters_through_a_join(researcher, reviewer, levels):
    detention = services.detention_record(
        person=levels[RESTRICTED], started="2019", unsourced=True, by=researcher, confidentiality=PUBLIC
    )
    assert visible_q(reviewer, "person__") == {"person__confidentiality__lte": INTERNAL}
    assert not Detention.objects.filter(pk=detention.pk, **visible_q(reviewer, "person__")).exists()
    assert Detention.objects.filter(pk=detention.pk, **visible_q(researcher, "person__")).exists()

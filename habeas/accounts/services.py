from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from habeas.accounts.models import Confidentiality, Role, User
from habeas.audit.services import history_record


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: Role | str = Role.VIEWER,
    clearance: Confidentiality | int = Confidentiality.INTERNAL,
    email: str = "",
    by: User | None = None,
) -> User:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(Role.values)}")
    if int(clearance) not in Confidentiality.values:
        raise ValueError(f"unknown clearance {clearance!r}")
    user = User(
        username=username,
        email=email,
        role=role,
        clearance=int(clearance),
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError("password refused: " + " ".join(error.messages)) from error
    user.full_clean(exclude=["password"])
    user.save()
    history_record(
        obj=user, action="create", by=by, changes={"role": [None, role], "clearance": [None, int(clearance)]}
    )
    return user


@transaction.atomic
def user_set_access(
    *, user: User, role: Role | str | None = None, clearance: int | None = None, by: User | None = None
) -> User:
    """Change what a user may do and read; the change is kept in the history."""
    before = {"role": user.role, "clearance": user.clearance}
    if role is not None:
        if role not in Role.values:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(Role.values)}")
        user.role = role
        user.is_staff = user.is_superuser = role == Role.ADMIN
    if clearance is not None:
        if int(clearance) not in Confidentiality.values:
            raise ValueError(f"unknown clearance {clearance!r}")
        user.clearance = int(clearance)
    user.save(update_fields=["role", "clearance", "is_staff", "is_superuser"])
    after = {"role": user.role, "clearance": user.clearance}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        history_record(obj=user, action="update", by=by, changes=changes)
    return user

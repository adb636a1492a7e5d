from __future__ import annotations

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
    user.full_clean(exclude=["password"])
    user.save()
    history_record(
        obj=user, action="create", by=by, changes={"role": [None, role], "clearance": [None, int(clearance)]}
    )
    return user

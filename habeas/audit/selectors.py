from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from habeas.accounts.models import Confidentiality, Role, User
from habeas.accounts.selectors import user_clearance
from habeas.audit.models import History


def _history_level(obj: models.Model) -> int:
    """The clearance needed to read a record's history.

    History keeps every earlier value, internal notes and values from before a record was made less
    confidential included, so it is never shown below INTERNAL, and never below the record's own level.
    A record without a level of its own takes its source's (citations); others count as internal.
    """
    level = getattr(obj, "confidentiality", None)
    if level is None and hasattr(obj, "source"):
        level = getattr(obj.source, "confidentiality", None)
    return max(int(level) if level is not None else Confidentiality.INTERNAL, Confidentiality.INTERNAL)


def history_for(obj: models.Model, *, user: Any) -> QuerySet[History]:
    """The history of one record, for ``user``: empty where the user may not read the record.

    An account's history (role and clearance changes) is for administrators and the account itself.
    """
    if isinstance(obj, User):
        active = user is not None and user.is_authenticated and user.is_active
        allowed = active and (user.role == Role.ADMIN or user.pk == obj.pk)
    else:
        allowed = user_clearance(user) >= _history_level(obj)
    if not allowed:
        return History.objects.none()
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return History.objects.filter(content_type=content_type, object_id=obj.pk).select_related("user")

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from habeas.accounts.models import Confidentiality, Role, User
from habeas.accounts.selectors import user_clearance
from habeas.audit.models import History, HistoryBatch, HistoryRun


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


def history_for(obj: models.Model, *, user: Any) -> list[History]:
    """The history of one record for ``user``, newest first: empty where the user may not read it.

    Records written one at a time have a row per change; a record created by a bulk import has, as its
    first row, an unsaved stand-in made from its import batch (``row.batch`` set; see
    ``habeas.audit.models``), followed by the rows of its later changes.

    An account's history (role and clearance changes) is for administrators and the account itself.
    """
    if isinstance(obj, User):
        active = user is not None and user.is_authenticated and user.is_active
        allowed = active and (user.role == Role.ADMIN or user.pk == obj.pk)
    else:
        allowed = user_clearance(user) >= _history_level(obj)
    if not allowed:
        return []
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    rows = list(History.objects.filter(content_type=content_type, object_id=obj.pk).select_related("user"))
    rows += batch_rows(content_type.pk, [obj.pk]).values()
    return newest_first(rows)


def newest_first(rows: list[History]) -> list[History]:
    """History rows and batch stand-ins in one order: newest first; at the same instant a batch counts as
    older (a record is imported before anything else happens to it)."""
    return sorted(rows, key=lambda row: (row.at, row.batch is None, row.pk or 0), reverse=True)


def batch_rows(content_type_id: int, object_ids: Iterable[int]) -> dict[int, History]:
    """For each of these records (of one kind) that a bulk import created, an unsaved History stand-in
    for its import: who, when, the import's note, ``batch`` set, no values. Keyed by record id.

    Two index range reads per call, whatever the number of records: the run starting nearest at or
    below the smallest id, then the runs starting after it up to the largest; each id is then looked up
    among them (runs of one kind never overlap: ids are written once and never reused, so the run starting
    nearest at or below an id is the only one that can hold it).
    """
    wanted = sorted(set(object_ids))
    if not wanted:
        return {}
    of_kind = HistoryRun.objects.filter(content_type_id=content_type_id).select_related("batch__user")
    first = of_kind.filter(first_id__lte=wanted[0]).order_by("-first_id").first()
    runs = [first] if first is not None else []
    if len(wanted) > 1:
        runs += of_kind.filter(first_id__gt=wanted[0], first_id__lte=wanted[-1]).order_by("first_id")
    starts = [run.first_id for run in runs]
    found: dict[int, History] = {}
    for pk in wanted:
        at = bisect_right(starts, pk) - 1
        if at >= 0 and runs[at].last_id >= pk:
            found[pk] = _stand_in(runs[at].batch, content_type_id, pk)
    return found


def _stand_in(batch: HistoryBatch, content_type_id: int, pk: int) -> History:
    row = History(
        at=batch.at,
        user=batch.user,
        action=batch.action,
        content_type_id=content_type_id,
        object_id=pk,
        changes={},
        note=batch.note,
    )
    row.batch = batch
    return row

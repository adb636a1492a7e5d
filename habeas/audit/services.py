"""Write history rows (and the batch rows of bulk imports: see ``habeas.audit.models``). Callers run
inside their own transaction, so the row lands or fails with the change it describes."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from habeas.audit.models import Action, History, HistoryBatch, HistoryRun
from habeas.lib.dates import PartialDate


def jsonable(value: Any) -> Any:
    """History keeps plain JSON: dates as ISO text, related records as their ids."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def field_values(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete values of a record (foreign keys as ids), for snapshots and diffs."""
    names = set(fields) if fields is not None else None
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or getattr(field, "derived", False):
            continue
        if names is not None and field.name not in names:
            continue
        values[field.name] = jsonable(getattr(obj, field.attname))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def history_record(
    *,
    obj: models.Model,
    action: str,
    by: Any = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> History:
    row = History(
        at=timezone.now(),
        user=by if getattr(by, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        changes=changes if changes is not None else field_values(obj),
        note=note[:500],
    )
    row.save()
    return row


def history_bulk(
    *, objs: Sequence[models.Model], action: str, by: Any = None, note: str = "", snapshot: bool = True
) -> list[History]:
    """One history row per record, in one insert, with their values (bulk imports write a batch row
    instead: ``history_batch``)."""
    if not objs:
        return []
    now = timezone.now()
    user = by if getattr(by, "pk", None) else None
    content_type = ContentType.objects.get_for_model(objs[0], for_concrete_model=True)
    rows = [
        History(
            at=now,
            user=user,
            action=action,
            content_type=content_type,
            object_id=obj.pk,
            changes=field_values(obj) if snapshot else {},
            note=note[:500],
        )
        for obj in objs
    ]
    return History.objects.bulk_create(rows, batch_size=2000)


def id_runs(ids: Iterable[int]) -> list[tuple[int, int]]:
    """The contiguous runs ``(first, last)`` of a set of ids: ``[1, 2, 3, 7]`` gives ``[(1, 3), (7, 7)]``."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk <= runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return [(first, last) for first, last in runs]


def history_batch(
    *,
    created: Iterable[tuple[type[models.Model], Iterable[int]]],
    rows: tuple[int, int],
    by: Any = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> HistoryBatch:
    """The one history row of a batch of records written in bulk: ``created`` lists, per model, the ids
    the batch wrote (only those: their runs must not cover anyone else's records); ``rows`` the first and
    last input row of the batch. No values are stored (see ``habeas.audit.models``)."""
    batch = HistoryBatch.objects.create(
        at=at or timezone.now(),
        user=by if getattr(by, "pk", None) else None,
        action=Action.IMPORT,
        note=note[:500],
        first_row=rows[0],
        last_row=rows[1],
    )
    HistoryRun.objects.bulk_create(
        HistoryRun(
            batch=batch,
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
            first_id=first,
            last_id=last,
        )
        for model, ids in created
        for first, last in id_runs(ids)
    )
    return batch

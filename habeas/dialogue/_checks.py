"""Checks every dialogue write shares: who may write, what they may see, levels, dates, vocabularies,
bounded text, and the save/update-with-history steps. Raise ValidationError naming the field at fault."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from habeas.accounts.models import Confidentiality
from habeas.accounts.selectors import user_clearance
from habeas.audit.services import diff, field_values, history_record
from habeas.lib.dates import PartialDate, PartialDateError
from habeas.sources.services import EditConflict


def _editor(by: Any) -> Any:
    if by is None or not getattr(by, "pk", None) or not getattr(by, "can_edit", False):
        raise PermissionDenied("only researchers and administrators change dialogue records")
    return by


def _visible(obj: Any, by: Any, what: str) -> Any:
    """The record, if ``by`` may read it; else the same refusal as for one that does not exist."""
    if obj is None or obj.confidentiality > user_clearance(by):
        raise ValidationError(f"that {what} does not exist or is not visible to you")
    return obj


def _level(value: Any, *, floor: int = Confidentiality.PUBLIC) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = -1
    if level not in Confidentiality.values:
        raise ValidationError({"confidentiality": f"{value!r} is not a confidentiality level (0, 1 or 2)"})
    return max(level, floor)


def _own_level(value: Any, by: Any, *, floor: int = Confidentiality.PUBLIC) -> int:
    """A level the writer can still read: nobody files a record they would then lose sight of."""
    level = _level(value, floor=floor)
    if level > user_clearance(by):
        raise ValidationError({"confidentiality": "you cannot file a record above your own clearance"})
    return level


def _date(value: Any, name: str) -> PartialDate | None:
    try:
        return PartialDate.coerce(value or None)
    except PartialDateError as bad:
        raise ValidationError({name: str(bad)}) from bad


def _choice(value: Any, choices: Any, name: str) -> str:
    text = str(value or "").strip()
    if text in choices.values:
        return text
    by_label = {str(label).casefold(): v for v, label in choices.choices}
    if text.casefold() in by_label:
        return by_label[text.casefold()]
    allowed = ", ".join(choices.values)
    raise ValidationError({name: f"{text[:60]!r} is not one of: {allowed}"})


def _text(value: Any, name: str, *, limit: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({name: f"the {name.replace('_', ' ')} is required"})
    if len(text) > limit:
        raise ValidationError({name: f"at most {limit} characters (got {len(text)})"})
    return text


def _save(obj: Any, *, by: Any, exclude: Sequence[str] = ()) -> Any:
    obj.full_clean(exclude=list(exclude))
    obj.save()
    history_record(obj=obj, action="create", by=by)
    return obj


@transaction.atomic
def _update(
    model: type[Any], obj: Any, *, by: Any, editable: set[str], changes: dict[str, Any], version: int | None
) -> Any:
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = model.objects.select_for_update().get(pk=obj.pk)
    if version is not None and current.version != version:
        raise EditConflict(
            f"“{current}” was changed by someone else (version {current.version}, your edit began at "
            f"version {version}); nothing was saved. Reload to see their change, then edit again."
        )
    before = field_values(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    if version is not None:
        current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    changed = diff(before, field_values(current, changes))
    if changed:
        history_record(obj=current, action="update", by=by, changes=changed)
    return current

"""Model fields shared by the apps."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from habeas.lib.dates import PartialDate, PartialDateError


class _PartialDateAttribute(DeferredAttribute):
    """Keeps ``<name>_start`` / ``<name>_end`` (when the model declares them) in step with the value,
    so range filters compare real dates while the record keeps only what was known."""

    def __set__(self, instance: models.Model, value: Any) -> None:
        name = self.field.attname
        try:
            value = PartialDate.coerce(value)
        except PartialDateError:
            # Left for full_clean() to report with the field's name; never stored.
            instance.__dict__[name] = value
            return
        instance.__dict__[name] = value
        bounds = cast("PartialDateField", self.field).bound_names(instance)
        if bounds:
            instance.__dict__[bounds[0]] = value.earliest if value else None
            instance.__dict__[bounds[1]] = value.latest if value else None


class PartialDateField(models.CharField):
    """A date known to the year, the month or the day, maybe circa: stored as EDTF text
    (``2018``, ``2018-05``, ``2018-05-03``, ``2018~``), which sorts correctly as text.

    Declare ``<name>_start = PartialDateBound()`` and ``<name>_end = PartialDateBound()`` beside it
    where queries filter by date range: they hold the first and last day the value can mean.
    """

    descriptor_class = _PartialDateAttribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def bound_names(self, instance: models.Model) -> tuple[str, str] | None:
        cached = self.__dict__.get("_bounds")
        if cached is None:
            names = {f.attname for f in type(instance)._meta.concrete_fields}
            start, end = f"{self.attname}_start", f"{self.attname}_end"
            cached = (start, end) if start in names and end in names else ()
            self.__dict__["_bounds"] = cached
        return cached or None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> PartialDate | None:
        if not value:
            return None
        return PartialDate.parse(value)

    def to_python(self, value: Any) -> PartialDate | None:
        try:
            return PartialDate.coerce(value)
        except PartialDateError as error:
            raise ValidationError(str(error), code="invalid_partial_date") from error

    def get_prep_value(self, value: Any) -> str:
        value = self.to_python(value)
        return value.isoformat() if value else ""

    def validate(self, value: Any, model_instance: Any) -> None:
        # Our Python value is a PartialDate, not text: check it can be read, then the usual rules.
        self.to_python(value)
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value: Any) -> None:
        return None

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj))


class PartialDateBound(models.DateField):
    """First or last day a partial date can mean; kept in step by ``PartialDateField``."""

    derived = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

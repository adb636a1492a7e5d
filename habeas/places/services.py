"""Writes for places of detention: the place with its names in several scripts, and dated population
observations. Each function is one transaction that writes its history rows too."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from habeas.audit.services import diff, field_values, history_record
from habeas.lib.names import detect_script, fold
from habeas.places.models import Place, PlaceName, PopulationObservation
from habeas.sources.models import Citation, Source
from habeas.sources.services import EditConflict, citation_for_quote

__all__ = ["EditConflict", "place_create", "place_update", "population_record"]

PLACE_EDITABLE = {
    "kind",
    "authority",
    "country",
    "province",
    "prefecture",
    "county",
    "address",
    "latitude",
    "longitude",
    "capacity",
    "notes",
    "confidentiality",
}
COORDINATE_STEP = Decimal("0.000001")  # the columns keep six decimals (about 10 cm)


def _coordinate(value: Any, name: str, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        message = f"{name} must be a number of degrees, not {str(value)[:40]!r}"
        raise ValidationError({name: message}) from error
    if not number.is_finite() or not -limit <= number <= limit:
        raise ValidationError({name: f"{name} must be between -{limit} and {limit} degrees (got {value})"})
    return number.quantize(COORDINATE_STEP)


def _coordinates(changes: dict[str, Any], place: Place) -> None:
    """Latitude -90..90, longitude -180..180, and both or neither: half a position is no position."""
    if "latitude" in changes:
        changes["latitude"] = _coordinate(changes["latitude"], "latitude", 90)
    if "longitude" in changes:
        changes["longitude"] = _coordinate(changes["longitude"], "longitude", 180)
    latitude = changes.get("latitude", place.latitude)
    longitude = changes.get("longitude", place.longitude)
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": "give both latitude and longitude, or neither"})


def _clean_names(names: Sequence[str | dict[str, Any]]) -> list[dict[str, Any]]:
    """Names as PlaceName fields, whitespace collapsed, each text once, the first the main name."""
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name in names:
        spec = {"text": name} if isinstance(name, str) else dict(name)
        text = " ".join(str(spec.get("text", "")).split())[:300]
        if not text or text in seen:
            continue
        seen.add(text)
        cleaned.append(
            {
                "text": text,
                "script": spec.get("script") or detect_script(text),
                "language": str(spec.get("language", ""))[:20],
            }
        )
    if not cleaned:
        raise ValidationError({"names": "a place needs at least one name"})
    return cleaned


def _name_rows(place: Place, names: list[dict[str, Any]]) -> list[PlaceName]:
    # The key is the folded name (hanzi simplified, Latin lower-case without marks), as the importers
    # write it, so a search in any script or spelling meets it.
    return [PlaceName(place=place, key=fold(n["text"])[:300], **n) for n in names]


@transaction.atomic
def place_create(*, names: Sequence[str | dict[str, Any]], by: Any = None, **fields: Any) -> Place:
    """A new place of detention. ``names``: strings or dicts of PlaceName fields; the first is the
    name researchers use most (``Place.name``)."""
    unknown = set(fields) - PLACE_EDITABLE
    if unknown:
        raise ValidationError(f"not a place field: {', '.join(sorted(unknown))}")
    cleaned = _clean_names(names)
    place = Place(name=cleaned[0]["text"], created_by=by if getattr(by, "pk", None) else None)
    _coordinates(fields, place)
    for name, value in fields.items():
        setattr(place, name, value)
    place.full_clean()
    place.save()
    PlaceName.objects.bulk_create(_name_rows(place, cleaned))
    changes = field_values(place)
    changes["names"] = [n["text"] for n in cleaned]
    history_record(obj=place, action="create", by=by, changes=changes)
    return place


@transaction.atomic
def place_update(
    *,
    place: Place,
    version: int,
    by: Any,
    names: Sequence[str | dict[str, Any]] | None = None,
    **changes: Any,
) -> Place:
    """Change a place and (when ``names`` is given) replace its names, refusing the save if someone
    else saved since ``version``. Names kept keep their rows."""
    unknown = set(changes) - PLACE_EDITABLE
    if unknown:
        raise ValidationError(f"not editable here: {', '.join(sorted(unknown))}")
    current = Place.objects.select_for_update().get(pk=place.pk)
    if current.version != version:
        raise EditConflict(
            f"“{current}” was changed by someone else (version {current.version}, your edit began at "
            f"version {version}); nothing was saved. Reload to see their change, then edit again."
        )
    _coordinates(changes, current)
    before = field_values(current, [*changes, "name"])
    old_names = list(current.names.order_by("pk").values_list("text", flat=True))
    cleaned = _clean_names(names) if names is not None else None
    for name, value in changes.items():
        setattr(current, name, value)
    if cleaned is not None:
        current.name = cleaned[0]["text"]
    current.full_clean()
    current.version = F("version") + 1  # type: ignore[assignment]
    current.save()
    current.refresh_from_db()
    changed = diff(before, field_values(current, [*changes, "name"]))
    if cleaned is not None:
        wanted = {n["text"] for n in cleaned}
        current.names.exclude(text__in=wanted).delete()
        PlaceName.objects.bulk_create(_name_rows(current, [n for n in cleaned if n["text"] not in old_names]))
        new_names = [n["text"] for n in cleaned]
        if sorted(new_names) != sorted(old_names):
            changed["names"] = [old_names, new_names]
    if changed:
        history_record(obj=current, action="update", by=by, changes=changed)
    return current


@transaction.atomic
def population_record(
    *,
    place: Place,
    observed: Any,
    population: int,
    by: Any,
    citation: Citation | None = None,
    source: Source | None = None,
    quote: str = "",
    unsourced: bool = False,
    note: str = "",
) -> PopulationObservation:
    """A dated count of the people held at a place. It cites a span (``citation``, or ``source`` and
    the ``quote`` of its words, cited in this same transaction) or is marked as entered without a
    source by the named user ``by``."""
    if citation is None and source is not None:
        if not quote.strip():
            raise ValidationError({"quote": "quote the words of the source that give this count"})
        try:
            citation = citation_for_quote(source=source, quote=quote, by=by)
        except ValidationError as error:
            raise ValidationError({"quote": error.messages}) from error
    if citation is None and not unsourced:
        raise ValidationError(
            "a population count needs a citation, or must be marked as entered without a source"
        )
    if citation is None and not getattr(by, "pk", None):
        raise ValidationError("a count entered without a source must name the user who entered it")
    observation = PopulationObservation(
        place=place,
        observed=observed,
        population=population,
        note=note.strip()[:500],
        citation=citation,
        unsourced_by=None if citation is not None else by,
    )
    observation.full_clean()
    observation.save()
    history_record(obj=observation, action="create", by=by, changes=field_values(observation))
    return observation

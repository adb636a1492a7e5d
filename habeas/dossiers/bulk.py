"""Bulk creation of whole dossiers: what importers and the demo generator use.

A *bundle* (``PersonIn``) describes one person with everything known about them and the one source
that says it; each fact may point at a span of that source's text (``span=(start, end)``) or, by
default, cites the whole text. ``dossiers_bulk_create`` writes bundles in batches with a fixed
number of INSERTs per batch (no per-row queries), including citations, name keys, derived columns
and one history row per batch (``habeas.audit.models.HistoryBatch``: who, when, the import's note,
and the id runs it created), inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from habeas.lib.dates import PartialDate

Span = tuple[int, int]
DateIn = PartialDate | str | None


@dataclass
class SourceIn:
    text: str
    title: str
    publisher: str = ""
    url: str = ""
    published: DateIn = None
    language: str = "en"
    kind: str = "other"
    official: bool | None = None  # None: decided by kind
    reliability: str = "F"
    confidentiality: int = 1
    external_ref: str = ""


@dataclass
class NameIn:
    text: str
    kind: str = "main"
    script: str | None = None  # None: detected from the text
    scheme: str = ""
    language: str = ""
    span: Span | None = None
    # Search keys, exactly name_keys(clean_name(text)); None: the writer derives them. Filled ahead of
    # the writer by prepare_names, e.g. in the process that generates the bundles.
    keys: frozenset[str] | None = None


@dataclass
class PlaceIn:
    name: str
    kind: str = "unknown"
    country: str = ""
    province: str = ""
    prefecture: str = ""
    county: str = ""
    other_names: list[str] = field(default_factory=list)


@dataclass
class CustodyIn:
    place: PlaceIn
    started: DateIn = None
    ended: DateIn = None
    span: Span | None = None


@dataclass
class LegalStepIn:
    kind: str
    date: DateIn = None
    court: str = ""
    outcome: str = ""
    uncertain: bool = False
    span: Span | None = None


@dataclass
class ChargeIn:
    text: str = ""
    statute: str = ""
    article: str = ""
    span: Span | None = None


@dataclass
class SentenceChangeIn:
    kind: str
    date: DateIn = None
    months: int = 0
    days: int = 0
    new_kind: str = ""
    new_term_months: int | None = None
    note: str = ""
    span: Span | None = None


@dataclass
class SentenceIn:
    kind: str = "fixed"
    term_months: int | None = None
    term_days: int = 0
    probation_months: int | None = None
    political_rights_months: int | None = None
    political_rights_life: bool = False
    pronounced: DateIn = None
    court: str = ""
    term_starts: DateIn = None
    changes: list[SentenceChangeIn] = field(default_factory=list)
    span: Span | None = None


@dataclass
class DetentionIn:
    started: DateIn = None
    ended: DateIn = None
    measure: str = "unknown"
    age_at_start: int | None = None
    place: PlaceIn | None = None
    custody: list[CustodyIn] = field(default_factory=list)
    legal_steps: list[LegalStepIn] = field(default_factory=list)
    charges: list[ChargeIn] = field(default_factory=list)
    sentences: list[SentenceIn] = field(default_factory=list)
    notes: str = ""
    span: Span | None = None


@dataclass
class StatusIn:
    status: str
    date: DateIn = None
    uncertain: bool = False
    note: str = ""
    detention: int | None = None  # index into PersonIn.detentions
    span: Span | None = None


@dataclass
class HealthIn:
    condition: str
    date: DateIn = None
    note: str = ""
    span: Span | None = None


@dataclass
class AllegationIn:
    kind: str
    wgad_category: int | None = None
    date: DateIn = None
    description: str = ""
    detention: int | None = None  # index into PersonIn.detentions
    span: Span | None = None


@dataclass
class AffiliationIn:
    organisation: str
    role: str = ""
    started: DateIn = None
    ended: DateIn = None
    span: Span | None = None


@dataclass
class ExternalIdIn:
    scheme: str
    value: str
    fingerprint: str = ""


@dataclass
class PersonIn:
    source: SourceIn
    names: list[NameIn]
    sex: str = ""
    birth_date: DateIn = None
    ethnicity: str = ""
    religion: str = ""
    occupation: str = ""
    residence_country: str = ""
    residence_province: str = ""
    residence_prefecture: str = ""
    residence_county: str = ""
    issue_category: str = ""
    summary_public: str = ""
    notes_internal: str = ""
    confidentiality: int = 1
    span: Span | None = None
    external_ids: list[ExternalIdIn] = field(default_factory=list)
    detentions: list[DetentionIn] = field(default_factory=list)
    statuses: list[StatusIn] = field(default_factory=list)
    health: list[HealthIn] = field(default_factory=list)
    allegations: list[AllegationIn] = field(default_factory=list)
    affiliations: list[AffiliationIn] = field(default_factory=list)
    # The record's line in the import's input file, for its history batch; None: its position.
    row: int | None = None


@dataclass
class BulkResult:
    persons: int = 0
    sources: int = 0
    sources_reused: int = 0
    citations: int = 0
    facts: int = 0
    places: int = 0
    history: int = 0  # history batch rows (one per batch written)
    person_ids: list[int] = field(default_factory=list)


def clean_name(text: str) -> str:
    """A name as stored: runs of white space as one space, at most 300 characters."""
    return " ".join(text.split())[:300]


def prepare_names(bundle: PersonIn) -> PersonIn:
    """Derive each name's script and search keys now, as the writer would: lets a worker process take
    this work (a quarter of an import's time in pinyin, OpenCC and romanisation) off the writer's."""
    from habeas.lib.names import detect_script, name_keys

    for name in bundle.names:
        text = clean_name(name.text)
        if name.script is None and text:
            name.script = detect_script(text)
        name.keys = name_keys(text)
    return bundle


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def dossiers_bulk_create(
    bundles: Iterable[PersonIn],
    *,
    by: Any = None,
    batch_size: int = 2000,
    note: str = "",
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Write bundles in batches; ``progress(n)`` is called after each batch with its size.

    Runs in one transaction per call (nested in the caller's, if any): a failure writes nothing.
    Bundles are assumed valid (importers validate and report bad rows before calling this); the
    database's constraints still refuse anything malformed.
    """
    from habeas.dossiers._bulk_writer import write_batches

    return write_batches(bundles, by=by, batch_size=batch_size, note=note, progress=progress)

"""Reads for the review queue, always for a reader: sources above their clearance do not exist for
them, and neither do dossiers or places they may not see (never offered as a link)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery

from habeas.access.models import NegotiationStatus
from habeas.accounts.selectors import visible_q
from habeas.dossiers.models import AllegationKind, Measure, NameKey, Person, SentenceKind, Status
from habeas.lib.names import fold, han_only, has_han, latin_tokens, name_keys, to_simplified
from habeas.places.models import Place, PlaceName
from habeas.review.models import EDIT_FIELDS, Candidate, CandidateKind, CandidateState
from habeas.sources.models import Source

if TYPE_CHECKING:  # the vocabularies' labels are lazy translations
    from django.utils.functional import _StrOrPromise as StrOrPromise

Reader = Any  # User | AnonymousUser | None


# -- linking ---------------------------------------------------------------------------------------
def _parts(text: str) -> list[str]:
    """The words of a name: each hanzi (one syllable each) and each Latin word."""
    if has_han(text):
        return list(han_only(to_simplified(text))) + latin_tokens(text)
    return latin_tokens(text)


def whole_name_keys(text: str) -> frozenset[str]:
    """The keys of a name as a whole, in any script and order: its name keys less those of its single
    words, so "Wang Dan" and "王丹" meet on "wangdan" and neither links to every Wang or every Dan.
    A one-word name keeps its keys (it has nothing else to be found by)."""
    keys = set(name_keys(text))
    parts = _parts(text)
    if len(parts) > 1:
        for part in parts:
            keys -= name_keys(part)
    return frozenset(keys)


def person_matches(user: Reader, names: Iterable[str], *, limit: int = 20) -> list[Person]:
    """Visible dossiers with a visible name equal to any of ``names`` in any script or romanisation.

    Exact keys (not prefixes): "Wang Dan" must not propose "Wang Danping". The name's own level is
    checked too, or a restricted alias would reveal that someone matches.
    """
    return persons_matching(user, {0: list(names)}, limit=limit)[0]


def persons_matching(
    user: Reader, groups: dict[int, list[str]], *, limit: int = 20
) -> dict[int, list[Person]]:
    """``person_matches`` for many name lists at once (one per candidate): two queries in all."""
    wanted = {group: set().union(*(whole_name_keys(n) for n in names)) for group, names in groups.items()}
    keys = sorted(set().union(*wanted.values()))
    hits: dict[str, set[int]] = {}
    if keys:
        rows = NameKey.objects.filter(
            key__in=keys, **visible_q(user, "name__"), **visible_q(user, "person__")
        ).values_list("key", "person_id")
        for key, person_id in rows:
            hits.setdefault(key, set()).add(person_id)
    ids = set().union(*hits.values())
    persons = list(Person.objects.filter(pk__in=ids, **visible_q(user)).order_by("display_name", "id"))
    found = {}
    for group, own in wanted.items():
        matched = set().union(*(hits.get(k, set()) for k in own))
        found[group] = [p for p in persons if p.pk in matched][:limit]
    return found


def place_matches(user: Reader, name: str, *, limit: int = 10) -> list[Place]:
    """Visible places with a name that folds to the same key as ``name``."""
    return places_matching(user, {0: name}, limit=limit)[0]


def places_matching(user: Reader, names: dict[int, str], *, limit: int = 10) -> dict[int, list[Place]]:
    """``place_matches`` for many names at once: two queries in all."""
    wanted = {group: fold(name or "")[:300] for group, name in names.items()}
    hits: dict[str, set[int]] = {}
    for key, place_id in PlaceName.objects.filter(
        key__in=sorted({k for k in wanted.values() if k})
    ).values_list("key", "place_id"):
        hits.setdefault(key, set()).add(place_id)
    ids = set().union(*hits.values())
    places = list(Place.objects.filter(pk__in=ids, **visible_q(user)).order_by("name", "id"))
    return {g: [p for p in places if p.pk in hits.get(k, set())][:limit] for g, k in wanted.items()}


# -- the queue -------------------------------------------------------------------------------------
def review_queue(user: Reader, *, page: int | str = 1, per_page: int = 50) -> Page:
    """Visible sources with pending candidates, with ``pending`` (their count), newest run first."""
    pending = (
        Candidate.objects.filter(source=OuterRef("pk"), state=CandidateState.PENDING)
        .order_by()
        .values("source")
        .annotate(n=Count("id"))
        .values("n")
    )
    sources = (
        Source.objects.filter(
            pk__in=Candidate.objects.filter(state=CandidateState.PENDING).values("source_id"),
            **visible_q(user),
        )
        .defer("text")
        .annotate(pending=Subquery(pending, output_field=IntegerField()))
        .order_by("-pending", "-id")
    )
    return Paginator(sources, per_page).get_page(page)


@dataclass(frozen=True)
class Mark:
    """A run of source text and the candidates whose spans cover it (none: plain text)."""

    text: str
    candidates: tuple[int, ...] = ()

    @property
    def first(self) -> int | None:
        return self.candidates[0] if self.candidates else None


def marked_segments(text: str, spans: Iterable[tuple[int, int, int]]) -> list[Mark]:
    """The source text cut at every span boundary, each run listing the candidates covering it;
    the template escapes each run, so hostile text is never built into HTML. Spans that do not fit
    the text are left out."""
    fitting = [(s, e, c) for s, e, c in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, _, _ in fitting), *(e for _, e, _ in fitting)})
    marks = []
    for start, end in pairwise(cuts):
        covering = tuple(sorted({c for s, e, c in fitting if s <= start and end <= e}))
        marks.append(Mark(text[start:end], covering))
    return [m for m in marks if m.text]


# Fields whose values come from a vocabulary: the edit form offers a choice.
CHOICES: dict[tuple[str, str], list[tuple[str, StrOrPromise]]] = {
    (CandidateKind.DETENTION, "measure"): list(Measure.choices),
    (CandidateKind.SENTENCE, "kind"): list(SentenceKind.choices),
    (CandidateKind.STATUS, "status"): list(Status.choices),
    (CandidateKind.ALLEGATION, "kind"): list(AllegationKind.choices),
    (CandidateKind.ACCESS, "status"): list(NegotiationStatus.choices),
}


@dataclass(frozen=True)
class EditField:
    name: str
    value: str
    choices: Sequence[tuple[str, StrOrPromise]] = field(default_factory=list)
    multiline: bool = False

    @property
    def label(self) -> str:
        return {"place_id": "place"}.get(self.name, self.name).replace("_", " ")


def edit_fields(candidate: Candidate, places: list[Place] | None = None) -> list[EditField]:
    """The edit-then-accept inputs of a candidate, filled with what the extractor proposed."""
    fields = []
    for name in EDIT_FIELDS.get(candidate.kind, ()):
        value = candidate.values.get(name)
        if name == "names":
            fields.append(EditField(name, "\n".join(value or []), multiline=True))
        elif name == "conditions":
            fields.append(EditField(name, ", ".join(value or [])))
        elif name == "place_id":
            offered = [(str(p.pk), p.name) for p in places or []]
            fields.append(EditField(name, "" if value is None else str(value), offered))
        else:
            text = "" if value is None else str(value)
            choices = CHOICES.get((candidate.kind, name), [])
            if choices and text not in {v for v, _ in choices}:
                # What the extractor wrote stays selected: a choice never changes a value unseen.
                choices = [(text, text or "—"), *choices]
            fields.append(EditField(name, text, choices))
    return fields


@dataclass
class CandidateView:
    candidate: Candidate
    quotes: list[str]
    fields: list[EditField] = field(default_factory=list)
    children: list[CandidateView] = field(default_factory=list)
    matches: list[Person] = field(default_factory=list)  # person candidates: visible dossiers offered
    proposed: Person | None = None  # the proposed dossier, when the reader may see it
    landed: Person | None = None  # accepted person candidates: the dossier, when visible

    @property
    def shown(self) -> list[tuple[str, Any]]:
        """The proposed values worth showing (names and role are in the heading)."""
        values = self.candidate.values.items()
        return [(k, v) for k, v in values if v not in (None, "", []) and k not in ("names", "role")]


@dataclass
class ReviewDetail:
    source: Source
    marks: list[Mark]
    persons: list[CandidateView]  # person candidates with their facts below them
    orphans: list[CandidateView]  # facts tied to no person (an allegation with no detainee named)
    pending: int
    places: dict[int, list[Place]]  # place candidates: visible places offered


def review_detail(user: Reader, source_id: int) -> ReviewDetail:
    """One source for review: its text with every candidate span marked, and the candidates of its
    latest runs. Raises Source.DoesNotExist above the reader's clearance, exactly as for a missing one."""
    source = Source.objects.get(pk=source_id, **visible_q(user))
    candidates = list(
        Candidate.objects.filter(source=source)
        .select_related("decided_by", "person")
        .prefetch_related("spans")
        .order_by("run_id", "position", "id")
    )
    views = {
        c.pk: CandidateView(c, [source.text[s.start : s.end] for s in c.spans.all()]) for c in candidates
    }
    visible_ids = set(
        Person.objects.filter(
            pk__in=[c.person_id for c in candidates if c.person_id], **visible_q(user)
        ).values_list("pk", flat=True)
    )
    persons: list[CandidateView] = []
    orphans: list[CandidateView] = []
    pending = [c for c in candidates if c.state == CandidateState.PENDING]
    matches = persons_matching(
        user, {c.pk: c.values.get("names") or [] for c in pending if c.kind == CandidateKind.PERSON}
    )
    places = places_matching(
        user, {c.pk: c.values.get("name") or "" for c in pending if c.kind == CandidateKind.PLACE}
    )
    for c in candidates:
        view = views[c.pk]
        if c.kind == CandidateKind.PERSON:
            persons.append(view)
            shown = c.person if c.person_id in visible_ids else None
            if c.state == CandidateState.PENDING:
                view.matches = matches[c.pk]
                view.proposed = shown
                if shown is not None and shown not in view.matches:
                    view.matches.insert(0, shown)
            else:
                view.landed = shown
        elif c.parent_id in views:
            views[c.parent_id].children.append(view)
        else:
            orphans.append(view)
        if c.state == CandidateState.PENDING:
            view.fields = edit_fields(c, places.get(c.pk))
    spans = [(s.start, s.end, c.pk) for c in candidates for s in c.spans.all()]
    return ReviewDetail(
        source=source,
        marks=marked_segments(source.text, spans),
        persons=persons,
        orphans=orphans,
        pending=sum(c.state == CandidateState.PENDING for c in candidates),
        places=places,
    )


def candidate_for_review(user: Reader, pk: int) -> Candidate:
    """A candidate whose source the reader may see (Candidate.DoesNotExist otherwise)."""
    return Candidate.objects.select_related("source").get(pk=pk, **visible_q(user, "source__"))

"""Candidates for one person: who in the database might this be?

What the ingestion linker calls for each extracted person: ``person_candidates`` finds the dossiers
that share a whole-name key with any of the names (in any script or spelling; Tibetan names in any of
their element spellings) or a Chinese-transcription code (``codes``: a Tibetan or Uyghur name and its
transcription), ``person_candidates_scored`` scores them with the same model as the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice, product
from typing import Any

from habeas.lib.names import TIBETAN_ELEMENTS, linkage_keys, linkage_tokens, name_keys, tibetan_canonical
from habeas.linkage import engine
from habeas.linkage.records import PersonRecord, person_row

# Whole-name spellings tried per Tibetan name (elements x their spellings grow fast).
_TIBETAN_SPELLINGS = 64
# A single word is looked up only if few dossiers carry it (a rare Uyghur or Tibetan given name,
# not "Wang" or "Tenzin").
_RARE_WORD = 50


def _tibetan_spellings(name: str) -> set[str]:
    canonical = tibetan_canonical(linkage_tokens(name))
    if not canonical:
        return set()
    options = [(c, *TIBETAN_ELEMENTS.get(c, ())) for c in canonical]
    spellings = set()
    for words in islice(product(*options), _TIBETAN_SPELLINGS):
        folded = [w.replace(" ", "") for w in words]
        spellings.add("".join(folded))
        if len(folded) > 1:
            spellings.add("".join(folded[1:] + folded[:1]))
    return spellings


def lookup_keys(names: Iterable[str]) -> set[str]:
    """The search keys (NameKey.key) under which a dossier of the same person would be stored."""
    keys: set[str] = set()
    for name in names:
        if not name or not name.strip():
            continue
        keys |= {k for k in linkage_keys(name) if not k.startswith(("t:", "p:"))}
        keys |= _tibetan_spellings(name)
    return {k[:300] for k in keys}


def person_candidates(names: Sequence[str], *, limit: int = 200, user: Any = None) -> list[int]:
    """Ids of active dossiers (not merged away) sharing a whole-name key with any of ``names``, or,
    failing that, a rare word of the name; at most ``limit``. With ``user``, only dossiers they may read."""
    from habeas.dossiers.models import NameKey, Person

    keys = lookup_keys(names)
    found: list[int] = []
    if keys:
        found = list(
            NameKey.objects.filter(key__in=sorted(keys))
            .values_list("person_id", flat=True)
            .distinct()[: limit * 2]
        )
    if len(found) < limit:
        # A Tibetan or Uyghur name and its Chinese transcription share no key (Yarphel Norbu /
        # Yangpei Luobu): the transcription codes of the names in the database.
        from habeas.linkage.codes import persons_by_transcription

        found += persons_by_transcription(names, limit=limit)
    if len(found) < limit:
        words = {w for name in names for w in name_keys(name) if len(w) >= 4} - keys
        for word in sorted(words):
            ids = list(NameKey.objects.filter(key=word).values_list("person_id", flat=True)[: _RARE_WORD + 1])
            if len(ids) <= _RARE_WORD:
                found += ids
    persons = Person.objects.filter(id__in=set(found), merged_into__isnull=True)
    if user is not None:
        persons = persons.filter(confidentiality__lte=getattr(user, "clearance", -1))
    return list(persons.order_by("id").values_list("id", flat=True)[:limit])


@dataclass(frozen=True)
class Candidate:
    person_id: int
    score: float
    match_weight: float
    evidence: dict[str, Any]
    confidentiality: int


def score_person(record: PersonRecord, candidate_ids: Sequence[int]) -> list[Candidate]:
    """Score one person (not in the database, or about to be) against the given dossiers, best first."""
    from habeas.linkage.dedupe import person_records

    if not candidate_ids:
        return []
    candidates = list(person_records(ids=list(candidate_ids)))
    levels = {c.id: c.confidentiality for c in candidates}
    # The record's id must not collide with a candidate's: negative ids are never primary keys.
    probe = PersonRecord(**{**record.__dict__, "id": -1})
    from habeas.dossiers.models import Person

    # The prior is that of the whole collection the candidates were picked from.
    population = Person.objects.filter(merged_into__isnull=True).count()
    scored = engine.score_against(
        "persons", person_row(probe), [person_row(c) for c in candidates], population=max(population, 1000)
    )
    return [
        Candidate(
            person_id=p.left,
            score=p.score,
            match_weight=p.match_weight,
            evidence=p.evidence,
            confidentiality=max(levels.get(p.left, 1), record.confidentiality),
        )
        for p in scored
    ]


def person_candidates_scored(
    values: PersonRecord | dict[str, Any], *, user: Any = None, limit: int = 50
) -> list[Candidate]:
    """For ONE extracted person: the dossiers it may be, scored, best first.

    ``values`` is a PersonRecord or a dict of its fields (names, birth_year, sex, ethnicity, province,
    places, detention_year, detention_month, charges, affiliations); compare each score with
    ``LinkageSettings.current()`` (``services.decision_for``)."""
    record = values if isinstance(values, PersonRecord) else PersonRecord(id=-1, **values)
    if not record.names:
        return []
    return score_person(record, person_candidates(record.names, limit=limit, user=user))

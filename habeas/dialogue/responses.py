"""Writes for responses: the interlocutor's answer about one list entry, stored with the official
source it came in, and the facts it gives offered to the dossier through the review queue."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from habeas.audit.services import field_values, history_record
from habeas.dialogue._checks import _choice, _date, _editor, _own_level, _text, _visible
from habeas.dialogue.models import (
    ListEntry,
    ListStatus,
    PrisonerList,
    Response,
    ResponseType,
)
from habeas.dossiers.models import Person, PersonName, SentenceKind, Status
from habeas.lib.dates import PartialDate
from habeas.sources.models import Citation, Source, SourceKind
from habeas.sources.services import citation_for_quote, citation_get_or_create, source_store

FACT_KEYS = ("status", "sentence", "expected_release", "place")
_YEARS = re.compile(
    r"^\s*(?:(?P<years>\d{1,2})\s*(?:years?|yrs?|y|年))?\s*(?:(?P<months>\d{1,3})\s*(?:months?|m|个月|月))?\s*$",
    re.IGNORECASE,
)
SENTENCE_WORDS = {
    "life": SentenceKind.LIFE,
    "life imprisonment": SentenceKind.LIFE,
    "无期徒刑": SentenceKind.LIFE,
    "death": SentenceKind.DEATH,
    "死刑": SentenceKind.DEATH,
    "death with reprieve": SentenceKind.DEATH_REPRIEVE,
    "death with two-year reprieve": SentenceKind.DEATH_REPRIEVE,
    "death_reprieve": SentenceKind.DEATH_REPRIEVE,
    "死缓": SentenceKind.DEATH_REPRIEVE,
}


def sentence_parse(value: Any) -> dict[str, Any] | None:
    """A sentence as an answer states it: "10 years", "3 years 6 months", "life", "死缓"; as the
    review queue's sentence values (kind and months)."""
    if value in (None, ""):
        return None
    if isinstance(value, dict):
        kind = _choice(value.get("kind") or SentenceKind.FIXED, SentenceKind, "sentence")
        months = value.get("months")
        if kind == SentenceKind.FIXED and not (isinstance(months, int) and 0 < months < 1200):
            raise ValidationError({"sentence": "a fixed term needs its months (1 to 1199)"})
        return {"kind": kind, "months": months if kind == SentenceKind.FIXED else None}
    text = " ".join(str(value).casefold().split())
    if text in SENTENCE_WORDS:
        return {"kind": str(SENTENCE_WORDS[text]), "months": None}
    match = _YEARS.match(text)
    if match and (match["years"] or match["months"]):
        months = int(match["years"] or 0) * 12 + int(match["months"] or 0)
        if 0 < months < 1200:
            return {"kind": SentenceKind.FIXED.value, "months": months}
    raise ValidationError(
        {"sentence": f"{str(value)[:60]!r} is not a sentence (e.g. 10 years, 3 years 6 months, life, death)"}
    )


def response_facts(facts: dict[str, Any] | None) -> dict[str, Any]:
    """The facts an answer gives, checked: status from the dossier vocabulary, sentence read,
    expected release a partial date, place as written."""
    facts = {k: v for k, v in (facts or {}).items() if v not in (None, "")}
    unknown = set(facts) - set(FACT_KEYS)
    if unknown:
        raise ValidationError({"facts": f"unknown facts: {', '.join(sorted(unknown))}"})
    clean: dict[str, Any] = {}
    if "status" in facts:
        clean["status"] = _choice(facts["status"], Status, "status")
    if "sentence" in facts:
        clean["sentence"] = sentence_parse(facts["sentence"])
    if "expected_release" in facts:
        day = _date(facts["expected_release"], "expected_release")
        clean["expected_release"] = day.isoformat() if day else None
    if "place" in facts:
        clean["place"] = _text(facts["place"], "place", limit=300)
    return clean


def _names_at(person: Person, level: int) -> list[str]:
    """The person's names at or below a level, main Latin name first (for a response's heading)."""
    names = list(
        PersonName.objects.filter(person=person, confidentiality__lte=level)
        .order_by("id")
        .values_list("text", "kind", "script")
    )
    names.sort(key=lambda n: (n[1] != "main", n[2] != "Latn"))
    return list(dict.fromkeys(text for text, _kind, _script in names))


def _response_source(
    *, entry: ListEntry, text: str, received: PartialDate | None, level: int, by: Any
) -> tuple[Source, Citation]:
    """Store an answer's words as an official source, headed by who answered about whom, and cite the
    words. The heading makes every answer its own document (two answers saying "released" are two
    sources) and tells a reader of the source what it is."""
    interlocutor = entry.prisoner_list.interlocutor
    names = _names_at(entry.person, level)
    concerning = " / ".join(names[:2]) or f"person #{entry.person_id}"
    heading = (
        f"Response of {interlocutor.name} ({received.display() if received else 'undated'}) to the list "
        f"“{entry.prisoner_list.title}”, concerning {concerning} (entry {entry.pk}):\n\n"
    )
    source, _created = source_store(
        text=heading + text,
        title=f"Response of {interlocutor.name} concerning {concerning}"[:500],
        by=by,
        publisher=interlocutor.name,
        published=received,
        kind=SourceKind.GOVERNMENT_RESPONSE,
        official=True,
        reliability="B",
        confidentiality=level,
    )
    start = len(heading)
    citation = citation_get_or_create(source=source, start=start, end=start + len(text), by=by)
    return source, citation


def _offer_facts(*, response: Response, citation: Citation, by: Any) -> Any:
    """Offer the answer's facts to the dossier as pending review candidates citing the answer's words;
    they reach the dossier only when a reviewer accepts them."""
    from habeas.review.models import Candidate, CandidateKind
    from habeas.review.services import extraction_run

    facts = response.facts
    level = response.confidentiality
    names = _names_at(response.entry.person, level) or [str(response.entry.person)]
    item: dict[str, Any] = {"name": names[0], "names": names[1:], "role": "detainee"}
    item["evidence"] = [[citation.start, citation.end]]
    if facts.get("status"):
        item["status"] = facts["status"]
        if facts["status"] == Status.RELEASED and response.received:
            item["released"] = response.received.isoformat()
    if facts.get("sentence"):
        item["sentence"] = facts["sentence"]
    if facts.get("place"):
        item["place"] = facts["place"]
    if not {"status", "sentence", "place"} & set(item):
        return None
    run = extraction_run(
        source=citation.source, by=by, extracted={"persons": [item]}, extractor_version="dialogue response"
    )
    # The answer is about this entry's person, whatever other dossiers share the name.
    Candidate.objects.filter(run=run, kind=CandidateKind.PERSON).update(person=response.entry.person)
    return run


@transaction.atomic
def response_record(
    *,
    entry: ListEntry,
    type: str,
    by: Any,
    received: PartialDate | str | None = None,
    text: str = "",
    source: Source | None = None,
    quote: str = "",
    unsourced: bool = False,
    facts: dict[str, Any] | None = None,
    confidentiality: int | None = None,
) -> Response:
    """Record the interlocutor's answer about one entry.

    The answer cites an official source: ``source`` (with the ``quote`` that is the answer, else its
    whole text), or, given only ``text``, the words are stored as a new official source of kind
    "government response". ``unsourced`` records it without a source in ``by``'s name; a
    ``no_response`` needs nothing. The ``facts`` it gives (status, sentence, expected release,
    place) are kept on the response and offered to the dossier through the review queue.
    """
    _editor(by)
    _visible(entry, by, "list entry")
    # Read afresh: the caller's copy of the list may predate its hand-over.
    entry.prisoner_list = PrisonerList.objects.select_related("interlocutor").get(pk=entry.prisoner_list_id)
    _visible(entry.prisoner_list, by, "list")
    kind = _choice(type, ResponseType, "type")
    if entry.prisoner_list.status != ListStatus.HANDED_OVER:
        raise ValidationError("the list has not been handed over yet: there is nothing to answer")
    day = _date(received, "received")
    handed = entry.prisoner_list.handed_over
    if day is not None and handed is not None and day.latest < handed.earliest:
        raise ValidationError({"received": f"the answer is dated before the list was handed over ({handed})"})
    text = _text(text, "text", limit=20000)
    floor = entry.confidentiality
    level = _own_level(floor if confidentiality is None else confidentiality, by, floor=floor)
    clean_facts = response_facts(facts)
    if kind == ResponseType.NO_RESPONSE and clean_facts:
        raise ValidationError({"facts": "no response gives no facts"})
    citation: Citation | None = None
    if source is not None:
        _visible(source, by, "source")
        if source.confidentiality > level:
            raise ValidationError(
                {"source": "the source is more confidential than the response; raise its level"}
            )
        if quote:
            citation = citation_for_quote(source=source, quote=quote, by=by)
        else:
            citation = citation_get_or_create(source=source, start=0, end=len(source.text), by=by)
        text = text or citation.quote[:20000]
    elif text and not unsourced:
        source, citation = _response_source(entry=entry, text=text, received=day, level=level, by=by)
    elif not unsourced and kind != ResponseType.NO_RESPONSE:
        raise ValidationError(
            "an answer needs its words or its source, or must be marked as entered without a source"
        )
    response = Response(  # type: ignore[misc]  # PartialDateField takes a PartialDate; the stubs see text
        entry=entry,
        received=day,
        type=kind,
        text=text,
        source=source,
        citation=citation,
        unsourced_by=by if citation is None and kind != ResponseType.NO_RESPONSE else None,
        facts=clean_facts,
        confidentiality=level,
        created_by=by,
    )
    response.full_clean()
    response.save()
    history_record(obj=response, action="create", by=by)
    if clean_facts and citation is not None:
        run = _offer_facts(response=response, citation=citation, by=by)
        if run is not None:
            response.review_run = run
            response.save(update_fields=["review_run"])
    return response


@transaction.atomic
def response_remove(*, response: Response, by: Any, note: str = "") -> None:
    """Remove a response recorded by mistake (its source stays: it is a document; candidates it offered
    and nobody decided on are withdrawn). Refused while an outcome cites it as what preceded it."""
    from habeas.review.models import Candidate, CandidateState

    _editor(by)
    _visible(response, by, "response")
    if response.outcomes.exists():
        raise ValidationError("an outcome is linked to this response; unlink or remove the outcome first")
    if response.review_run_id:
        Candidate.objects.filter(run_id=response.review_run_id, state=CandidateState.PENDING).delete()
    history_record(obj=response, action="delete", by=by, changes=field_values(response), note=note)
    response.delete()

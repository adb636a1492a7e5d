"""Candidate facts from one document, in the JSON shape of the extraction contract (issue 4).

``extract(text, published="2011-03-04")`` returns ``{"published", "persons", "access", "allegations"}``;
every fact carries spans that are offsets into the ORIGINAL text, boilerplate included. Boilerplate is
blanked out (same length, so offsets hold) before anything is read.

The work is split by kind: ``text`` (boilerplate blanked, sentences, dates), ``persons`` (names and
descriptors), ``detention`` (detention facts, where they go, status), ``access`` (access events and
allegations); this module puts them together and runs them over many documents.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import multiprocessing
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any

from .access import access_json, allegations_json
from .dates import parse_published
from .detention import FactReader
from .text import Span, blank_boilerplate, content_spans, split_sentences

__all__ = ["VERSION", "blank_boilerplate", "content_spans", "extract", "extract_many", "split_sentences"]

VERSION = "habeas.extraction.extract 2 (spaCy en_core_web_sm 3.8.0)"


_WORKER_DOCUMENTS = 4_000


class _Document(FactReader):
    def __init__(self, text: str, masked: str, published: dt.date | None, entities: list[Span]) -> None:
        super().__init__(text, masked, published)
        self.persons = []
        self.mentions = []
        self._find_persons(entities)


def _assemble(text: str, masked: str, published: str | None, entities: list[Span]) -> dict[str, Any]:
    document = _Document(text, masked, parse_published(published), entities)
    document.read_facts()
    persons = [document.person_json(p) for p in document.persons]
    # detainees first, in the order they are named
    persons.sort(key=lambda p: (p["role"] != "detainee", p["mentions"][0][0] if p["mentions"] else 0))
    return {
        "published": published,
        "persons": persons,
        "access": access_json(document),
        "allegations": allegations_json(document.masked),
    }


def _prepare(text: str) -> str:
    return blank_boilerplate(text, content_spans(text))


def _entities(doc: Any) -> list[Span]:
    return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PERSON"]


def extract(text: str, *, published: str | None = None) -> dict[str, Any]:
    """The candidate facts of one document (see the module docstring)."""
    from .nlp import pipeline

    if published is not None:
        parse_published(published)  # a bad date fails here, before any work
    masked = _prepare(text)
    return _assemble(text, masked, published, _entities(pipeline()(masked)))


def extract_many(
    texts: Iterable[str],
    *,
    published: Iterable[str | None] | str | None = None,
    n_process: int = 1,
    batch_size: int = 128,
) -> Iterator[dict[str, Any]]:
    """``extract`` over many documents, in order, streaming: at most a few batches are in memory at once.

    With ``n_process`` > 1, whole documents go to worker processes that read them from start to JSON (the
    model is loaded once here and shared by fork): only texts and small results cross between processes,
    not spaCy's documents, which costs less than spaCy's own ``n_process``.
    """
    from .nlp import pipeline

    nlp = pipeline()
    fixed = published is None or isinstance(published, str)
    dates: Iterable[str | None] = itertools.repeat(published) if fixed else published  # type: ignore[arg-type,assignment]
    batches = _batches(zip(texts, dates, strict=False), batch_size)
    if n_process <= 1:
        for batch in batches:
            yield from _extract_batch(batch)
        return
    nlp.pipe  # noqa: B018 - loaded before the fork, shared by the workers
    # spaCy's string store grows with every new word a worker reads: a worker is replaced (forked again
    # from this process, model included) after a few thousand documents, so memory stays bounded.
    recycle = max(1, _WORKER_DOCUMENTS // batch_size)
    # A few batches in flight at any time, handed on in order (Pool.imap would read the whole input
    # ahead; fixed windows of batches left a worker idle while the window's slowest batch finished).
    pending: collections.deque[AsyncResult[list[dict[str, Any]]]] = collections.deque()
    with multiprocessing.get_context("fork").Pool(n_process, maxtasksperchild=recycle) as pool:
        for batch in batches:
            pending.append(pool.apply_async(_extract_batch, (batch,)))
            if len(pending) >= n_process * 3:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _extract_batch(batch: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """One batch through spaCy together (its networks run faster on batches), then the patterns."""
    from .nlp import pipeline

    docs = pipeline().pipe((_prepare(text) for text, _ in batch), batch_size=len(batch))
    return [
        _assemble(text, doc.text, when, _entities(doc)) for (text, when), doc in zip(batch, docs, strict=True)
    ]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch

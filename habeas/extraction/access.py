"""Access events (a monitoring body and what happened to its visit) and allegations named in a document."""

from __future__ import annotations

from typing import Any

from . import lexicon as lx
from .text import SentenceIndex


def access_json(doc: SentenceIndex) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for sentence in doc.sentences:
        chunk = doc.masked[sentence[0] : sentence[1]]
        for pattern, body in lx.BODIES:
            match = pattern.search(chunk)
            if not match:
                continue
            if not (lx.ACCESS_WORDS.search(chunk)):
                break
            status = next((s for p, s in lx.ACCESS_STATUS if p.search(chunk)), None)
            if status is None:
                break
            if body == "commission":
                body = " ".join(match[0].split())
            elif body == "UN Special Rapporteur" and match.groupdict().get("topic"):
                body = f"UN Special Rapporteur on {match['topic'].strip()}"
            date = doc._date_near(sentence[0] + match.end(), sentence)
            same = [e for e in events if e["body"] == body and e["status"] == status]
            if same:
                same[0]["evidence"].append(list(sentence))
                same[0]["conditions"] += [
                    c for p, c in lx.CONDITIONS if p.search(chunk) and c not in same[0]["conditions"]
                ]
                same[0]["date"] = same[0]["date"] or (date.iso if date else None)
                break
            events.append(
                {
                    "body": body,
                    "status": status,
                    "date": date.iso if date else None,
                    "conditions": [c for p, c in lx.CONDITIONS if p.search(chunk)],
                    "evidence": [list(sentence)],
                }
            )
            break
    return events


def allegations_json(masked: str) -> list[dict[str, Any]]:
    bodies = [m.span() for p, _ in lx.BODIES for m in p.finditer(masked)]
    found: dict[str, list[list[int]]] = {}
    for pattern, kind in lx.ALLEGATIONS:
        for match in pattern.finditer(masked):
            if any(s <= match.start() < e for s, e in bodies):
                continue
            found.setdefault(kind, []).append([match.start(), match.end()])
    return [{"type": kind, "evidence": spans} for kind, spans in found.items()]

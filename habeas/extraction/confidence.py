"""How far to trust each extracted fact: a confidence from 0 to 1 per field, read from how the fact
reached its person (``basis``), calibrated on the CECC dev export.

The values are the fraction of right values among the predictions of that basis where CECC's column is
filled (``bench/bench_extract.py --accuracy`` prints the table; bench/RESULTS.md section 5 records it).
``habeas review --auto-accept ABOVE`` accepts only candidates at or above the threshold a user sets, so
a basis with few right values stays below any sensible threshold. Bases too rare to measure get a
cautious value below the measured ones of their field.
"""

from __future__ import annotations

# field -> basis -> confidence. Basis: "named" (the person is named in the fact's sentence), "joint"
# (sentenced together with others: "sentenced Chen and Sheng to 9 years"), "carried" (a pronoun or the
# only person named so far), "group" (a group's detention date given to a person listed with it); for
# status, "<status>:<how it was decided>".
CONFIDENCE: dict[str, dict[str, float]] = {
    # measured on the whole CECC dev export, 2026-11-23 17:20 UTC, after the fourth recall round
    # (bench/RESULTS.md section 5; the values before it in the comments)
    "detained": {"named": 0.83, "group": 0.75, "carried": 0.36},  # 0.81, 0.75, 0.24
    "sentence": {"named": 0.88, "joint": 0.94, "carried": 0.84},  # 0.89, 0.93, 0.83
    "place": {"named": 0.84, "carried": 0.77},  # 0.85, 0.81
    "charges": {"named": 0.81, "carried": 0.91},  # 0.81, 0.93
    "status": {
        "released:stated": 0.97,  # 0.97
        "released:term_expired": 0.93,  # 0.95
        "released:presumed": 0.85,  # 0.79 (presumed after three years now, not two)
        "deceased:stated": 0.68,  # 0.67
        "detained:stated": 0.78,  # 0.62
        "disappeared:stated": 0.5,  # not in CECC's codes: not measured
        "unknown": 0.3,
    },
}
_UNMEASURED = 0.5


def confidence_for(basis: dict[str, str]) -> dict[str, float]:
    """The confidence of each field a person's JSON states, from the basis of each. Fields without one
    (the person, health, organisations) have none: the review queue never accepts them unasked."""
    return {field: CONFIDENCE.get(field, {}).get(how, _UNMEASURED) for field, how in basis.items()}

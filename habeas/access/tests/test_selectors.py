"""Reads of the access app: what each reader may see, current status from visible rows only, the
country timeline with its providers, the scorecard, and bounded query counts."""

from __future__ import annotations

from typing import Any

import pytest

from habeas.access import selectors
from habeas.access.seeds import benchmarks_1993_seed
from habeas.access.services import assessment_record, body_create, guarantee_state_record, status_record
from habeas.access.tests.helpers import negotiation
from habeas.accounts.models import Confidentiality
from habeas.lib.dates import PartialDate

pytestmark = pytest.mark.django_db
PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


def test_negotiations_are_visible_by_their_level_and_their_bodys(researcher, reviewer, viewer) -> None:
    negotiation(level=PUBLIC, subject="a", by=researcher)
    negotiation(level=INTERNAL, subject="b", by=researcher)
    negotiation(level=RESTRICTED, subject="c", by=researcher)
    hidden = body_create(name="Hidden body", kind="ngo", confidentiality=RESTRICTED, by=researcher)
    from habeas.access.services import negotiation_create

    negotiation_create(body=hidden, country="CN", subject="d", confidentiality=PUBLIC, by=researcher)

    def subjects(user):
        return sorted(n.subject for n in selectors.negotiations_list(user))

    assert subjects(viewer) == ["a"]
    assert subjects(reviewer) == ["a", "b"]
    assert subjects(researcher) == ["a", "b", "c", "d"]
    assert selectors.countries_list(viewer) == [("CN", 1)]
    bodies: list[Any] = list(selectors.bodies_list(researcher))
    counts = {b.name: b.negotiation_count for b in bodies}
    assert counts["Hidden body"] == 1 and "Hidden body" not in {
        b.name for b in selectors.bodies_list(reviewer)
    }


def test_current_status_is_the_latest_visible_step_by_date_not_by_entry(researcher, viewer) -> None:
    n = negotiation(by=researcher)
    status_record(negotiation=n, status="conducted", date="2005-11", unsourced=True, by=researcher)
    status_record(
        negotiation=n, status="requested", date="2003", unsourced=True, by=researcher
    )  # entered later
    status_record(
        negotiation=n,
        status="cut_short",
        date="2005-12",
        unsourced=True,
        confidentiality=RESTRICTED,
        by=researcher,
    )
    theirs: Any = selectors.negotiations_list(viewer).get()
    mine: Any = selectors.negotiations_list(researcher).get()
    assert theirs.current_status == "conducted" and mine.current_status == "cut_short"
    assert selectors.negotiation_detail(viewer, n.pk).current.status == "conducted"
    assert [s.fact.status for s in selectors.negotiation_detail(viewer, n.pk).statuses] == [
        "requested",
        "conducted",
    ]
    assert list(selectors.negotiations_list(viewer, status="cut_short")) == []


def test_guarantee_state_is_the_latest_visible(researcher, viewer) -> None:
    n = negotiation(by=researcher)
    guarantee_state_record(
        negotiation=n, kind="un_documents", state="asked", date="2003", unsourced=True, by=researcher
    )
    guarantee_state_record(
        negotiation=n,
        kind="un_documents",
        state="refused",
        date="2004",
        unsourced=True,
        confidentiality=RESTRICTED,
        by=researcher,
    )
    (g,) = selectors.negotiation_detail(viewer, n.pk).guarantees
    assert g.state == "asked" and len(g.changes) == 1
    (g,) = selectors.negotiation_detail(researcher, n.pk).guarantees
    assert g.state == "refused"


def test_country_timeline_merges_providers_and_extra_in_date_order(researcher, viewer) -> None:
    n = negotiation(by=researcher)
    status_record(negotiation=n, status="requested", date="1993", unsourced=True, by=researcher)
    status_record(negotiation=n, status="agreed", date="2005", unsourced=True, by=researcher)

    def provider(user, country):
        return [selectors.TimelineEntry(PartialDate.parse("1999"), "visit", "visit", "", [])]

    selectors.register_timeline_provider("test", provider)
    try:
        extra = [selectors.TimelineEntry(None, "note", "undated note", "", [])]
        entries = selectors.country_timeline(viewer, "cn", extra=extra)
    finally:
        selectors._TIMELINE_PROVIDERS.pop("test")
    assert [e.label for e in entries] == ["requested", "visit", "agreed", "undated note"]
    assert selectors.country_timeline(viewer, "VN") == []


def test_register_section_refuses_an_unknown_page() -> None:
    with pytest.raises(ValueError, match="no page"):
        selectors.register_section("dossier", "x", lambda user, obj: None)


def test_scorecard_hides_restricted_assessments_and_restricted_sets(researcher, viewer) -> None:
    bset, _ = benchmarks_1993_seed()
    criterion = bset.criteria.get(label="Tibet")
    assessment_record(criterion=criterion, date="1994", rating=0, summary="a", unsourced=True, by=researcher)
    assessment_record(
        criterion=criterion,
        date="1996",
        rating=-1,
        summary="b",
        unsourced=True,
        confidentiality=RESTRICTED,
        by=researcher,
    )
    card = selectors.scorecard(viewer, bset.pk)
    assert [d.isoformat() for d in card.dates] == ["1994"]
    row = next(r for r in card.rows if r.criterion == criterion)
    assert row.latest.rating == 0 and row.change is None
    assert (
        next(r for r in selectors.scorecard(researcher, bset.pk).rows if r.criterion == criterion).change
        == -1
    )
    bset.confidentiality = RESTRICTED
    bset.save()
    with pytest.raises(type(bset).DoesNotExist):
        selectors.scorecard(viewer, bset.pk)


def test_reads_take_a_bounded_number_of_queries(researcher, viewer, django_assert_max_num_queries) -> None:
    for i in range(20):
        n = negotiation(subject=f"n{i}", by=researcher)
        status_record(negotiation=n, status="requested", date=f"{1990 + i}", unsourced=True, by=researcher)
        guarantee_state_record(
            negotiation=n, kind="un_documents", state="asked", date="1990", unsourced=True, by=researcher
        )
    bset, _ = benchmarks_1993_seed()
    for c in bset.criteria.all():
        assessment_record(criterion=c, date="1994", rating=0, summary="a", unsourced=True, by=researcher)
    with django_assert_max_num_queries(10):
        assert len(selectors.country_timeline(viewer, "CN")) == 40 + 7
    with django_assert_max_num_queries(6):
        assert len(selectors.scorecard(viewer, bset.pk).rows) == 7
    with django_assert_max_num_queries(8):
        detail = selectors.negotiation_detail(viewer, n.pk)
        assert len(detail.statuses) == 1 and detail.guarantees[0].changes

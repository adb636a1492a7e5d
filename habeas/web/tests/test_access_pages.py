"""Access pages: lists, a negotiation with its timeline and guarantees, the forms that add to it with
the citation picker, the country page and its hooks, the scorecard."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from habeas.access import selectors
from habeas.access.models import AccessNegotiation, Assessment, GuaranteeChange, NegotiationStatusChange
from habeas.access.seeds import benchmarks_1993_seed
from habeas.access.services import assessment_record, guarantee_state_record, status_record
from habeas.access.tests.helpers import REPORT, body, negotiation, place, source
from habeas.accounts.models import Confidentiality

pytestmark = pytest.mark.django_db


@pytest.fixture
def torture_visit(researcher) -> AccessNegotiation:
    n = negotiation(short_name="SR torture", subject="torture", by=researcher)
    status_record(negotiation=n, status="requested", date="2003", unsourced=True, by=researcher)
    status_record(
        negotiation=n,
        status="conducted",
        date="2005-11-02",
        visit_from="2005-11-20",
        visit_to="2005-12-02",
        unsourced=True,
        by=researcher,
    )
    guarantee_state_record(
        negotiation=n, kind="un_all_places", state="asked", date="2003", unsourced=True, by=researcher
    )
    guarantee_state_record(
        negotiation=n, kind="un_all_places", state="granted", date="2005-11", unsourced=True, by=researcher
    )
    return n


def test_negotiation_list_shows_the_current_status_and_filters(client_for, viewer, torture_visit) -> None:
    client = client_for(viewer)
    html = client.get(reverse("web:access_negotiation_list")).content.decode()
    assert "torture" in html and "conducted" in html and "2 Nov 2005" in html
    html = client.get(reverse("web:access_negotiation_list"), {"status": "refused"}).content.decode()
    assert "No negotiation matches." in html
    html = client.get(
        reverse("web:access_negotiation_list"), {"country": "cn", "body": torture_visit.body_id}
    ).content.decode()
    assert "torture" in html


def test_negotiation_list_bad_filters_are_ignored_not_errors(client_for, viewer, torture_visit) -> None:
    response = client_for(viewer).get(
        reverse("web:access_negotiation_list"), {"country": "<b>", "body": "x", "status": "nope"}
    )
    assert response.status_code == 200


def test_negotiation_list_reads_in_few_queries(
    client_for, viewer, researcher, django_assert_max_num_queries
) -> None:
    for i in range(30):
        n = negotiation(subject=f"visit {i}", by=researcher)
        status_record(negotiation=n, status="requested", date=f"{1990 + i}", unsourced=True, by=researcher)
    client = client_for(viewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:access_negotiation_list"))
    assert response.content.decode().count("visit ") >= 30


def test_negotiation_page_has_timeline_and_guarantee_history(client_for, viewer, torture_visit) -> None:
    html = (
        client_for(viewer)
        .get(reverse("web:access_negotiation_detail", args=[torture_visit.pk]))
        .content.decode()
    )
    assert "visit 20 Nov 2005 to 2 Dec 2005" in html
    assert "access to all prisons, detention centres and places of interrogation" in html
    assert 'class="state state-granted"' in html
    assert "entered without a source" in html


def test_a_restricted_step_is_not_the_current_status_for_a_reader_without_clearance(
    client_for, viewer, researcher, torture_visit
) -> None:
    status_record(
        negotiation=torture_visit,
        status="cut_short",
        date="2005-12-01",
        unsourced=True,
        confidentiality=Confidentiality.RESTRICTED,
        by=researcher,
    )
    row: Any = selectors.negotiations_list(viewer).get(pk=torture_visit.pk)
    assert row.current_status == "conducted"
    mine: Any = selectors.negotiations_list(researcher).get(pk=torture_visit.pk)
    assert mine.current_status == "cut_short"
    html = (
        client_for(viewer)
        .get(reverse("web:access_negotiation_detail", args=[torture_visit.pk]))
        .content.decode()
    )
    assert "cut short" not in html


def test_status_form_saves_a_cited_step(client_for, researcher, torture_visit) -> None:
    cited = source(by=researcher)
    url = reverse("web:access_status_add", args=[torture_visit.pk])
    client = client_for(researcher)
    assert client.get(url).status_code == 200
    quote = "give positive consideration to prison inspections"
    response = client.post(
        url,
        {
            "status": "report_published",
            "date": "2006-03",
            "note": "",
            "confidentiality": "0",
            "cite-source": cited.pk,
            "cite-quote": quote,
            "_save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    row = NegotiationStatusChange.objects.get(status="report_published")
    assert row.citation.quote == quote and row.created_by == researcher


def test_status_form_without_source_or_tick_says_what_is_missing(
    client_for, researcher, torture_visit
) -> None:
    url = reverse("web:access_status_add", args=[torture_visit.pk])
    response = client_for(researcher).post(
        url, {"status": "agreed", "date": "2005", "confidentiality": "0", "_save": "1"}
    )
    assert response.status_code == 200
    assert "Cite the source that states this" in response.content.decode()
    assert not NegotiationStatusChange.objects.filter(status="agreed").exists()


def test_status_form_bad_date_is_named(client_for, researcher, torture_visit) -> None:
    url = reverse("web:access_status_add", args=[torture_visit.pk])
    response = client_for(researcher).post(
        url,
        {"status": "agreed", "date": "2005-13", "confidentiality": "0", "cite-unsourced": "on", "_save": "1"},
    )
    assert "is not a date we can read" in response.content.decode()


def test_guarantee_form_other_needs_text_and_then_saves(client_for, researcher, torture_visit) -> None:
    url = reverse("web:access_guarantee_add", args=[torture_visit.pk])
    client = client_for(researcher)
    data = {
        "kind": "other",
        "state": "refused",
        "date": "2005-11",
        "confidentiality": "0",
        "cite-unsourced": "on",
        "_save": "1",
    }
    assert "Say what the other guarantee is." in client.post(url, data).content.decode()
    response = client.post(url, {**data, "other_text": "a doctor of the team's choosing"})
    assert response.status_code == 302
    assert GuaranteeChange.objects.filter(
        guarantee__other_text="a doctor of the team's choosing", state="refused"
    ).exists()


def test_create_form_records_the_request_with_guarantees_and_places(client_for, researcher) -> None:
    prison = place()
    client = client_for(researcher)
    url = reverse("web:access_negotiation_create")
    assert client.get(url + "?country=CN").status_code == 200
    response = client.post(
        url,
        {
            "body": body().pk,
            "country": "cn",
            "subject": "prison inspections",
            "scope": "places",
            "places": "qinghe no. 3 prison",
            "purposes": "",
            "requested": "2003-05",
            "confidentiality": "1",
            "guarantees": ["icrc_private_interviews", "icrc_repeat_visits"],
            "note": "",
            "cite-unsourced": "on",
            "_save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    n = AccessNegotiation.objects.get(subject="prison inspections")
    assert list(n.places.all()) == [prison] and n.country == "CN"
    assert n.guarantees.count() == 2 and n.statuses.get().status == "requested"


def test_create_form_does_not_find_a_hidden_place(client_for, reviewer, researcher) -> None:
    place("Secret Camp", level=Confidentiality.RESTRICTED)
    from habeas.web.forms_access import resolve_places

    found, missing = resolve_places(reviewer, ["Secret Camp"])
    assert found == [] and missing == ["Secret Camp"]
    found, _ = resolve_places(researcher, ["secret camp"])
    assert [p.name for p in found] == ["Secret Camp"]


def test_edit_form_refuses_a_stale_version(client_for, researcher, torture_visit) -> None:
    url = reverse("web:access_negotiation_edit", args=[torture_visit.pk])
    client = client_for(researcher)
    assert client.get(url).status_code == 200
    data = {
        "subject": "torture and ill-treatment",
        "scope": "country_visit",
        "places": "",
        "purposes": "",
        "confidentiality": "0",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "subject": "again"})
    assert response.status_code == 409 and "changed by someone else" in response.content.decode()


def test_country_page_shows_the_whole_history_with_providers(client_for, viewer, torture_visit) -> None:
    def visits(user, country):
        if country == "CN":
            yield selectors.TimelineEntry(
                None, "visit", "visit to a prison", "from the visits app", [], title="Provider"
            )

    selectors.register_timeline_provider("test", visits)
    try:
        html = client_for(viewer).get(reverse("web:access_country", args=["cn"])).content.decode()
    finally:
        selectors._TIMELINE_PROVIDERS.pop("test")
    history = html[html.index("The whole history") :]
    assert history.index("requested") < history.index("conducted") < history.index("visit to a prison")
    assert "guarantee granted" in html


def test_country_page_refuses_a_code_that_is_not_two_letters(client_for, viewer) -> None:
    assert client_for(viewer).get(reverse("web:access_country", args=["china"])).status_code == 404


def test_sections_appear_on_the_negotiation_page(client_for, viewer, torture_visit) -> None:
    selectors.register_section(
        "negotiation",
        "test",
        lambda user, n: selectors.Section("Visits here", "web/access/_timeline.html", {}),
    )
    try:
        html = (
            client_for(viewer)
            .get(reverse("web:access_negotiation_detail", args=[torture_visit.pk]))
            .content.decode()
        )
    finally:
        selectors._SECTIONS["negotiation"].pop("test")
    assert "<h2>Visits here</h2>" in html


def test_scorecard_shows_criteria_by_date_latest_and_change(client_for, viewer, researcher) -> None:
    bset, _ = benchmarks_1993_seed()
    humane = bset.criteria.get(label="Humane treatment")
    assessment_record(
        criterion=humane,
        date="1994",
        rating=0,
        summary="No prison visits allowed.",
        unsourced=True,
        by=researcher,
    )
    assessment_record(
        criterion=humane,
        date="2005",
        rating=2,
        summary="A UN visit took place.",
        unsourced=True,
        by=researcher,
    )
    card = selectors.scorecard(viewer, bset.pk)
    row = next(r for r in card.rows if r.criterion == humane)
    assert [d.isoformat() for d in card.dates] == ["1994", "2005"] and row.change == 2
    html = client_for(viewer).get(reverse("web:benchmark_scorecard", args=[bset.pk])).content.decode()
    assert "significant progress" in html and "▲ +2" in html and "A UN visit took place." in html
    listing = client_for(viewer).get(reverse("web:benchmark_list")).content.decode()
    assert "1993 conditions for renewing China" in listing


def test_assessment_form_saves(client_for, researcher) -> None:
    bset, _ = benchmarks_1993_seed()
    criterion = bset.criteria.get(label="Broadcasts")
    url = reverse("web:benchmark_assess", args=[bset.pk])
    client = client_for(researcher)
    assert client.get(url + f"?criterion={criterion.pk}").status_code == 200
    response = client.post(
        url,
        {
            "criterion": criterion.pk,
            "date": "1995",
            "rating": "-1",
            "summary": "Jamming resumed.",
            "confidentiality": "0",
            "cite-unsourced": "on",
            "_save": "1",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get().rating == -1


def test_body_pages(client_for, viewer, torture_visit) -> None:
    client = client_for(viewer)
    html = client.get(reverse("web:access_body_list")).content.decode()
    assert "Working Group on Arbitrary Detention" in html
    html = client.get(reverse("web:access_body_list"), {"kind": "icrc"}).content.decode()
    assert "International Committee of the Red Cross" in html and "Working Group" not in html
    html = client.get(reverse("web:access_body_detail", args=[torture_visit.body_id])).content.decode()
    assert "UN torture investigator" in html and "torture" in html


def test_timeline_citations_are_escaped(client_for, viewer, researcher, torture_visit) -> None:
    hostile = source(
        text=REPORT + " <script>alert(1)</script> was said.",
        title="<img src=x onerror=alert(1)>",
        by=researcher,
    )
    from habeas.sources.services import citation_for_quote

    quote = citation_for_quote(source=hostile, quote="<script>alert(1)</script>")
    status_record(
        negotiation=torture_visit,
        status="postponed",
        date="2004",
        citations=[quote],
        note="<b>x</b>",
        by=researcher,
    )
    html = client_for(viewer).get(reverse("web:access_country", args=["CN"])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html and "<b>x</b>" not in html
    assert isinstance(selectors.country_timeline(viewer, "CN")[0].citations, list)


def test_country_and_scorecard_pages_read_in_few_queries(
    client_for, viewer, researcher, django_assert_max_num_queries
) -> None:
    for i in range(15):
        n = negotiation(subject=f"visit {i}", by=researcher)
        status_record(negotiation=n, status="requested", date=f"{1990 + i}", unsourced=True, by=researcher)
        guarantee_state_record(
            negotiation=n, kind="un_documents", state="asked", date="1990", unsourced=True, by=researcher
        )
    bset, _ = benchmarks_1993_seed()
    for c in bset.criteria.all():
        assessment_record(criterion=c, date="1994", rating=1, summary="x", unsourced=True, by=researcher)
    client = client_for(viewer)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("web:access_country", args=["CN"])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("web:benchmark_scorecard", args=[bset.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("web:access_body_list")).status_code == 200

"""Visit pages: recording a visit, its places, stages, guarantees, interviews, findings and
recommendations through the forms, and what each page shows (gaps, consent, notes, reads)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.sources.services import citation_for_quote
from habeas.visits import services
from habeas.visits.models import Finding, Interview, NotesRead, Recommendation, Visit
from habeas.visits.tests.fixtures import notes_key_fixture, trip_fixture  # noqa: F401

NOTE = "Told the team about the night interrogations. Qzxvpagenote"


@pytest.fixture
def interview(trip, researcher):
    return services.interview_record(
        visit=trip.visit,
        visit_place=trip.visit_place,
        notes=NOTE,
        consent_given=True,
        consent_authorities=True,
        unsourced=True,
        by=researcher,
    )


@pytest.mark.django_db
def test_a_researcher_records_a_visit_through_the_form(client_for, researcher, trip):
    client = client_for(researcher)
    response = client.post(
        reverse("web:visit_create"),
        {
            "body": trip.body.pk,
            "title": "Second visit",
            "started": "2026-03",
            "announced": "announced",
            "team": "C. Delegate, head\nD. Interpreter, interpreter",
            "confidentiality": Confidentiality.INTERNAL,
            "unsourced": "on",
        },
    )
    visit = Visit.objects.get(title="Second visit")
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:visit_detail", args=[visit.pk]
    )
    assert [(m.name, m.role) for m in visit.team.all()] == [
        ("C. Delegate", "head"),
        ("D. Interpreter", "interpreter"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Second visit" in page and "D. Interpreter" in page and "initial talk with the authorities" in page


@pytest.mark.django_db
def test_a_finding_against_a_norm_shows_its_gap(client_for, researcher, trip):
    client = client_for(researcher)
    response = client.post(
        reverse("web:finding_add", args=[trip.visit.pk]),
        {
            "visit_place": trip.visit_place.pk,
            "area": "accommodation",
            "assessment": "serious",
            "text": "Cell block B: 40 men in 64 m2.",
            "measure": "floor_shared",
            "value": "1.6",
            "source": trip.report.pk,
            "quote": "1.6 m2 per person in cell block B",
            "confidentiality": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()
    finding = Finding.objects.get()
    assert finding.citation.quote == "1.6 m2 per person in cell block B"
    page = client.get(reverse("web:visit_detail", args=[trip.visit.pk])).content.decode()
    assert "1.80 m² short of the ICRC norm, shared cell (≥ 3.4 m²)" in page
    assert "47% of the norm" in page
    assert "also 0.40 m² below the 2 m² emergency minimum" in page
    gaps = client.get(reverse("web:visit_gaps")).content.decode()
    assert "1.80 m² short of the ICRC norm, shared cell" in gaps and "supplementary guidance" in gaps


@pytest.mark.django_db
def test_a_finding_form_refuses_a_measure_in_the_wrong_area(client_for, researcher, trip):
    response = client_for(researcher).post(
        reverse("web:finding_add", args=[trip.visit.pk]),
        {
            "visit_place": trip.visit_place.pk,
            "area": "food",
            "assessment": "concern",
            "text": "x",
            "measure": "solitary_days",
            "value": "30",
            "unsourced": "on",
            "confidentiality": 1,
        },
    )
    assert response.status_code == 200
    assert "belongs under “discipline and solitary confinement”" in response.content.decode()
    assert not Finding.objects.exists()


@pytest.mark.django_db
def test_a_failed_save_leaves_no_citation(client_for, researcher, trip):
    from habeas.sources.models import Citation

    before = Citation.objects.count()
    client_for(researcher).post(
        reverse("web:finding_add", args=[trip.visit.pk]),
        {
            "visit_place": trip.visit_place.pk,
            "area": "exercise",
            "text": "x",
            "measure": "hours_outdoors",
            "value": "30",
            "source": trip.report.pk,
            "quote": "reduce overcrowding",
            "confidentiality": 1,
            "assessment": "concern",
        },
    )
    assert Citation.objects.count() == before and not Finding.objects.exists()


@pytest.mark.django_db
def test_an_interview_without_a_dossier_gets_a_random_code(client_for, researcher, trip):
    client = client_for(researcher)
    response = client.post(
        reverse("web:interview_add", args=[trip.visit.pk]),
        {
            "visit_place": trip.visit_place.pk,
            "private": "on",
            "consent_given": "on",
            "consent_authorities": "on",
            "reprisal_risk": "high",
            "notes": NOTE,
            "unsourced": "on",
            "confidentiality": 2,
        },
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert (
        interview.person is None and interview.code.startswith("I-") and NOTE not in interview.notes_encrypted
    )


@pytest.mark.django_db
def test_scope_without_consent_is_refused(client_for, researcher, trip):
    response = client_for(researcher).post(
        reverse("web:interview_add", args=[trip.visit.pk]),
        {"consent_public": "on", "reprisal_risk": "low", "unsourced": "on", "confidentiality": 2},
    )
    assert response.status_code == 200 and "informed consent" in response.content.decode()
    assert not Interview.objects.exists()


@pytest.mark.django_db
def test_notes_are_shown_only_on_request_and_each_read_is_logged(client_for, researcher, interview):
    client = client_for(researcher)
    url = reverse("web:interview_detail", args=[interview.pk])
    assert NOTE not in client.get(url).content.decode() and NotesRead.objects.count() == 0
    response = client.get(url + "?notes=1")
    page = response.content.decode()
    assert NOTE in page and "This read was logged" in page
    assert "no-store" in response["Cache-Control"]
    read = NotesRead.objects.get()
    assert (read.user, read.interview, read.channel) == (researcher, interview, "web")
    assert researcher.username in page  # the read log on the page


@pytest.mark.django_db
def test_a_missing_key_is_a_clear_message_not_garbage(client_for, researcher, interview, settings):
    settings.HABEAS_NOTES_KEY = ""
    response = client_for(researcher).get(reverse("web:interview_detail", args=[interview.pk]) + "?notes=1")
    page = response.content.decode()
    assert response.status_code == 503 and "HABEAS_NOTES_KEY is not set" in page and NOTE not in page
    assert NotesRead.objects.count() == 0


@pytest.mark.django_db
def test_editing_notes_reencrypts_them(client_for, researcher, interview):
    client = client_for(researcher)
    url = reverse("web:interview_notes", args=[interview.pk])
    assert NOTE in client.get(url).content.decode()
    assert client.post(url, {"notes": "Rewritten."}).status_code == 302
    interview.refresh_from_db()
    assert services.interview_notes_read(interview=interview, by=researcher) == "Rewritten."


@pytest.mark.django_db
def test_allegation_with_istanbul_fields(client_for, researcher, interview):
    client = client_for(researcher)
    response = client.post(
        reverse("web:allegation_add", args=[interview.pk]),
        {
            "kind": "torture",
            "date_from": "2025-03",
            "date_to": "2025-04",
            "places": "interrogation room, county police station",
            "methods": ["beating", "sleep"],
            "perpetrators": "two interrogators",
            "injuries": "scars on both wrists",
            "witnesses": "cellmate",
            "consistency": "highly_consistent",
            "narrative": "Qzxvnarrative beaten for three nights",
            "unsourced": "on",
            "confidentiality": 2,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("web:interview_detail", args=[interview.pk])).content.decode()
    assert "beating, blunt trauma, sleep deprivation" in page and "highly consistent" in page
    assert "Qzxvnarrative" not in page
    assert (
        "Qzxvnarrative"
        in client.get(reverse("web:interview_detail", args=[interview.pk]) + "?notes=1").content.decode()
    )


@pytest.mark.django_db
def test_recommendation_follow_up_history(client_for, researcher, trip):
    client = client_for(researcher)
    response = client.post(
        reverse("web:visit_recommendation_add", args=[trip.visit.pk]),
        {
            "addressed_to": "Ministry of Justice",
            "text": "Reduce overcrowding in cell block B.",
            "area": "accommodation",
            "made": "2025-06",
            "source": trip.report.pk,
            "quote": "reduce overcrowding",
            "confidentiality": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()
    rec = Recommendation.objects.get()
    response = client.post(
        reverse("web:recommendation_status_add", args=[rec.pk]),
        {
            "status": "accepted",
            "date": "2025",
            "source": trip.report.pk,
            "quote": "the ministry accepted the recommendation",
            "confidentiality": 0,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("web:recommendation_list") + "?status=accepted").content.decode()
    assert "Reduce overcrowding" in page and "accepted" in page
    assert (
        "Reduce overcrowding"
        not in client.get(reverse("web:recommendation_list") + "?status=rejected").content.decode()
    )


@pytest.mark.django_db
def test_a_recommendation_from_a_report_needs_the_report(client_for, researcher, trip):
    client = client_for(researcher)
    data = {
        "addressed_to": "Ministry of Justice",
        "text": "Close the cellar.",
        "unsourced": "on",
        "confidentiality": 1,
    }
    assert client.post(reverse("web:recommendation_add"), data).status_code == 200
    data["report"] = trip.report.pk
    assert client.post(reverse("web:recommendation_add"), data).status_code == 302
    assert Recommendation.objects.get().report == trip.report


@pytest.mark.django_db
def test_stage_and_guarantee_forms(client_for, researcher, trip):
    client = client_for(researcher)
    url = reverse("web:visit_stage", args=[trip.visit.pk, "initial_talk"])
    assert (
        client.post(
            url, {"date": "2025-05-03", "notes": "Director gave the register.", "confidentiality": 1}
        ).status_code
        == 302
    )
    url = reverse("web:visit_guarantee", args=[trip.visit.pk])
    data = {
        "guarantee": "icrc_private_interviews",
        "outcome": "denied",
        "note": "Guards stayed.",
        "unsourced": "on",
        "confidentiality": 0,
    }
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("web:visit_detail", args=[trip.visit.pk])).content.decode()
    assert (
        "Director gave the register." in page and "private interviews with detainees of its choosing" in page
    )
    assert "denied" in page


@pytest.mark.django_db
def test_authorities_report_leaves_out_interviews_without_that_consent(client_for, researcher, trip):
    (person,) = make(bundle(41, names=("Gao Zhisheng",), level=Confidentiality.PUBLIC))
    consenting = services.interview_record(
        visit=trip.visit, consent_given=True, consent_authorities=True, unsourced=True, by=researcher
    )
    refusing = services.interview_record(visit=trip.visit, consent_given=True, unsourced=True, by=researcher)
    named = services.interview_record(
        visit=trip.visit,
        person=person,
        consent_given=True,
        consent_authorities=True,
        consent_named=True,
        unsourced=True,
        by=researcher,
    )
    for interview, injuries in (
        (consenting, "Qzxvconsented"),
        (refusing, "Qzxvrefused"),
        (named, "Qzxvnamed"),
    ):
        services.allegation_record(
            interview=interview, kind="torture", injuries=injuries, unsourced=True, by=researcher
        )
    client = client_for(researcher)
    page = client.get(reverse("web:visit_report", args=[trip.visit.pk, "authorities"])).content.decode()
    assert "Qzxvconsented" in page and "Qzxvnamed" in page and "Gao Zhisheng" in page
    assert "Qzxvrefused" not in page and "1 interview is left out" in page
    export = json.loads(
        client.get(reverse("web:visit_report", args=[trip.visit.pk, "authorities"]) + "?format=json").content
    )
    assert [a["injuries"] for a in export["allegations"]] == ["Qzxvconsented", "Qzxvnamed"]
    assert export["allegations"][0]["person"] == "a detainee"
    # The public report: restricted allegations never, whatever the consent.
    public = client.get(reverse("web:visit_report", args=[trip.visit.pk, "public"])).content.decode()
    assert "Qzxv" not in public


@pytest.mark.django_db
def test_visit_list_without_n_plus_one(client_for, researcher, trip, django_assert_max_num_queries):
    for n in range(15):
        services.visit_create(
            body=trip.body, title=f"Visit {n}", started="2024", unsourced=True, by=researcher
        )
    client = client_for(researcher)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:visit_list"))
    assert response.status_code == 200 and "Visit 14" in response.content.decode()


@pytest.mark.django_db
def test_visit_page_gaps_and_recommendations_without_n_plus_one(
    client_for, researcher, trip, django_assert_max_num_queries
):
    citation = citation_for_quote(source=trip.report, quote="reduce overcrowding")
    for n in range(12):
        services.finding_record(
            visit_place=trip.visit_place, area="accommodation", text=f"Cell {n}", measure="floor_shared",
            value=str(1 + n / 10), citations=[citation], by=researcher,
        )  # fmt: skip
        interview = services.interview_record(visit=trip.visit, unsourced=True, by=researcher)
        services.allegation_record(interview=interview, kind="torture", unsourced=True, by=researcher)
        rec = services.recommendation_record(
            visit=trip.visit, addressed_to="Ministry", text=f"Rec {n}", citations=[citation], by=researcher
        )
        services.recommendation_status_record(
            recommendation=rec, status="accepted", date="2025", citations=[citation], by=researcher
        )
    client = client_for(researcher)
    for url in (
        reverse("web:visit_detail", args=[trip.visit.pk]),
        reverse("web:visit_gaps"),
        reverse("web:recommendation_list"),
        reverse("web:visit_report", args=[trip.visit.pk, "authorities"]),
    ):
        with django_assert_max_num_queries(25):
            response = client.get(url)
        assert response.status_code == 200


@pytest.mark.django_db
def test_withdrawn_consent_takes_the_interview_out_of_the_authorities_report(
    client_for, researcher, interview
):
    services.allegation_record(
        interview=interview, kind="torture", injuries="Qzxvwithdrawn", unsourced=True, by=researcher
    )
    client = client_for(researcher)
    report = reverse("web:visit_report", args=[interview.visit_id, "authorities"])
    assert "Qzxvwithdrawn" in client.get(report).content.decode()
    response = client.post(
        reverse("web:interview_edit", args=[interview.pk]), {"consent_given": "on", "reprisal_risk": "high"}
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert not interview.consent_authorities and interview.reprisal_risk == "high"
    assert "Qzxvwithdrawn" not in client.get(report).content.decode()


@pytest.mark.django_db
def test_searching_visits_by_a_hidden_place_name_finds_nothing(client_for, researcher, viewer, trip):
    from habeas.places.services import place_create

    hidden = place_create(names=["Qzxvhiddensite"], confidentiality=Confidentiality.RESTRICTED, by=researcher)
    services.visit_place_add(visit=trip.visit, place=hidden, unsourced=True, by=researcher)
    url = reverse("web:visit_list") + "?q=qzxvhiddensite"
    assert trip.visit.title in client_for(researcher).get(url).content.decode()
    assert trip.visit.title not in client_for(viewer).get(url).content.decode()

"""From a request for access to a conducted visit, in a real browser: a researcher records the ICRC's
request to visit, its steps up to "conducted" (the access app's pages), then the visit itself with a
place, a coded interview whose notes are encrypted, and a finding against a norm (1.6 m2 per person in a
shared cell), and sees the gap to the ICRC's 3.4 m2 norm beside the 2 m2 emergency figure."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from habeas.access.models import AccessNegotiation, BodyKind, MonitoringBody
from habeas.accounts.models import Confidentiality
from habeas.places.services import place_create
from habeas.sources.services import source_store
from habeas.visits.models import Finding, Interview, NotesRead, Visit

REPORT = (
    "Delegation notes (a fictional text written for this test). On the first day the delegation counted "
    "40 men in a cell of 64 m2 in block B, that is 1.6 m2 per person in a shared cell. Exercise in the "
    "open air was limited to thirty minutes a day."
)
NOTES = "He said he was questioned at night for a week. Fictional test notes."


@pytest.fixture
def world(researcher, settings, tmp_path):
    from cryptography.fernet import Fernet

    settings.HABEAS_NOTES_KEY = Fernet.generate_key().decode()
    settings.HABEAS_NOTES_KEY_FILE = tmp_path / "absent.key"
    MonitoringBody.objects.get_or_create(
        name="International Committee of the Red Cross",
        defaults={"short_name": "ICRC", "kind": BodyKind.ICRC},
    )
    place_create(
        names=["Qinghe No. 9 Prison"], country="CN", confidentiality=Confidentiality.PUBLIC, by=researcher
    )
    source, _ = source_store(
        text=REPORT,
        title="Delegation notes, block B",
        confidentiality=Confidentiality.INTERNAL,
        by=researcher,
    )
    return source


@pytest.mark.django_db(transaction=True)
def test_from_request_to_a_visit_with_a_finding_against_the_norm(
    signed_in_page, researcher, world, screenshot
):
    page = signed_in_page(researcher)

    # 1. The request for access (the access app's form), guarantees asked for, entered without a source.
    page.goto("/access/negotiations/new/")
    page.get_by_label("Monitoring body").select_option(label="International Committee of the Red Cross")
    page.get_by_label("Country", exact=True).fill("CN")
    page.get_by_label("Subject", exact=True).fill("Visits to prisons holding political detainees")
    page.get_by_label("Requested on").fill("2025-01-10")
    page.get_by_label("private interviews with detainees of its choosing").check()
    page.get_by_label("Entered without a source (your name is recorded)").check()
    page.get_by_role("button", name="Save").last.click()
    negotiation = AccessNegotiation.objects.get()
    expect(page).to_have_url(re.compile(f"/access/negotiations/{negotiation.pk}/"))

    # 2. Its steps: agreed, then conducted.
    for status, date in (("agreed", "2025-03-01"), ("conducted", "2025-05-05")):
        page.get_by_role("link", name="Add a status").click()
        page.get_by_label("Status").select_option(status)
        page.get_by_label("Date", exact=True).fill(date)
        if status == "conducted":
            page.get_by_label("Visit from").fill("2025-05-03")
            page.get_by_label("Visit to").fill("2025-05-05")
        page.get_by_label("Entered without a source (your name is recorded)").check()
        page.get_by_role("button", name="Save").last.click()
        expect(page).to_have_url(re.compile(f"/access/negotiations/{negotiation.pk}/"))
    expect(page.locator("main")).to_contain_text("conducted")
    screenshot(page, "negotiation-conducted")

    # 3. The visit, in the course of that negotiation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Visits").click()
    page.get_by_role("link", name="Record a visit").click()
    page.get_by_label("Monitoring body").select_option(label="ICRC")
    page.get_by_label("Access negotiation").select_option(label=str(negotiation))
    page.get_by_label("Title").fill("Qinghe No. 9 Prison, May 2025")
    page.get_by_label("Started").fill("2025-05-03")
    page.get_by_label("Ended").fill("2025-05-05")
    page.get_by_label("Announced").select_option("unannounced")
    page.get_by_label("Team").fill("A. Delegate, head of delegation\nB. Doctor, doctor")
    page.get_by_label("Confidentiality").select_option(label="internal")
    page.get_by_label("I enter this without a source").check()
    page.get_by_role("button", name="Save").click()
    visit = Visit.objects.get()
    expect(page.get_by_role("heading", name="Qinghe No. 9 Prison, May 2025")).to_be_visible()

    page.get_by_role("link", name="Add a place").click()
    page.get_by_label("Place", exact=True).select_option(label="Qinghe No. 9 Prison")
    page.get_by_label("Date").fill("2025-05-03")
    page.get_by_label("People held on the day").fill("1240")
    page.get_by_label("I enter this without a source").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("1,240 held on the day")

    # 4. A private interview, recorded under a code; the notes are encrypted.
    page.get_by_role("link", name="Record an interview").click()
    page.get_by_label("Place", exact=True).select_option(label="Qinghe No. 9 Prison")
    page.get_by_label("Informed consent given").check()
    page.get_by_label("May be raised with the authorities").check()
    page.get_by_label("Reprisal risk").select_option("high")
    page.get_by_label("Notes (encrypted, restricted)").fill(NOTES)
    page.get_by_label("I enter this without a source").check()
    page.get_by_role("button", name="Save").click()
    interview = Interview.objects.get()
    assert interview.code.startswith("I-") and NOTES not in interview.notes_encrypted
    expect(page.get_by_role("heading", name=f"Interview: {interview.code}")).to_be_visible()
    page.get_by_role("button", name="Read the notes (each read is logged)").click()
    expect(page.locator(".notes-text")).to_have_text(NOTES)
    assert NotesRead.objects.filter(interview=interview, user=researcher).count() == 1
    screenshot(page, "interview-notes")

    # 5. A finding against the norm, citing the delegation's notes.
    page.goto(f"/visits/{visit.pk}/")
    page.get_by_role("link", name="Record a finding").click()
    page.get_by_label("Place", exact=True).select_option(label="Qinghe No. 9 Prison")
    page.get_by_label("Inspection area").select_option("accommodation")
    page.get_by_label("Assessment").select_option("serious")
    page.get_by_label("Finding").fill("Block B: 40 men in a cell of 64 m2.")
    page.get_by_label("Measured against a norm").select_option("floor_shared")
    page.get_by_label("Measured value").fill("1.6")
    page.get_by_label("Source number").fill(str(world.pk))
    page.get_by_label("Quote").fill("1.6 m2 per person in a shared cell")
    page.get_by_role("button", name="Save").click()
    assert Finding.objects.get().citation.source == world

    gaps = page.locator("table.gaps")
    expect(gaps).to_contain_text("1.60 m²")
    expect(gaps).to_contain_text("1.80 m² short of the ICRC norm, shared cell (≥ 3.4 m²)")
    expect(gaps).to_contain_text("47% of the norm")
    expect(gaps).to_contain_text("also 0.40 m² below the 2 m² emergency minimum")
    expect(page.locator("table.checklist").first).to_contain_text("Delegation notes, block B")
    page.locator("table.gaps").scroll_into_view_if_needed()
    screenshot(page, "visit-gap")

    # The country page (the access app's) shows the visit among the negotiation's steps.
    page.goto("/access/countries/CN/")
    expect(page.locator("main")).to_contain_text("Qinghe No. 9 Prison, May 2025")
    screenshot(page, "country-timeline")

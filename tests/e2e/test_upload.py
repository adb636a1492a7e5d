"""Uploading a scraped page in a real browser: the file is read, its details come back pre-filled for
checking, the article preview leaves the site's furniture out, and saving lands on the new source."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from habeas.sources.models import Source

PAGE = Path(__file__).resolve().parents[2] / "habeas" / "extraction" / "tests" / "pages" / "harbour_watch.txt"


@pytest.mark.django_db(transaction=True)
def test_upload_a_scraped_page_check_its_details_and_save(
    signed_in_page, researcher, screenshot, settings, tmp_path
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    page = signed_in_page(researcher)
    page.goto("/sources/")
    page.get_by_role("link", name="upload a file").click()
    page.wait_for_url("**/sources/upload/")
    page.get_by_label("Document").set_input_files(str(PAGE))
    page.get_by_role("button", name="Read the document").click()

    expect(page.get_by_label("Title")).to_have_value(
        'UN torture investigator says visit to Xinjiang prisons "still under discussion"'
    )
    expect(page.get_by_label("Publisher")).to_have_value("Harbour Watch")
    expect(page.get_by_label("Published")).to_have_value("2011-03-14")
    preview = page.locator(".source-text")
    expect(preview).to_contain_text("private interviews with inmates")
    expect(preview).not_to_contain_text("Accept all cookies")
    screenshot(page, "upload-details")

    page.get_by_label("Title").fill("Rapporteur: Xinjiang prison visit still under discussion")
    page.get_by_role("button", name="Save source").click()
    source = Source.objects.get()
    page.wait_for_url(f"**/sources/{source.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rapporteur: Xinjiang prison visit still under discussion"
    )
    assert source.text == PAGE.read_text(encoding="utf-8")
    screenshot(page, "upload-saved")

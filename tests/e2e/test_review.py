"""Reviewing extracted facts in a real browser: a reviewer follows a highlighted span to its candidate,
accepts the person and a fact, edits a sentence before accepting it, and rejects another."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from habeas.dossiers.models import HealthNote, Person, Sentence
from habeas.review.models import Candidate
from habeas.review.services import extraction_run
from habeas.review.tests.test_services import TEXT, contract
from habeas.sources.services import source_store


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_works_through_a_source(signed_in_page, screenshot, researcher, reviewer) -> None:
    source = source_store(text=TEXT, title="Activist jailed", published="2011-03-04")[0]
    extraction_run(source=source, by=researcher, extracted=contract())
    page = signed_in_page(reviewer)
    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_role("link", name="Activist jailed").click()
    expect(page.locator(".source-text mark")).to_have_count(4)
    page.locator(".source-text mark a", has_text="had been tortured").click()
    allegation = Candidate.objects.get(kind="allegation")
    expect(page).to_have_url(re.compile(f"#candidate-{allegation.pk}$"))
    screenshot(page, "review")

    person = page.locator(f"#candidate-{Candidate.objects.get(kind='person', values__role='detainee').pk}")
    person.locator("> form.decide").get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator(".message.success")).to_contain_text("Accepted")
    assert Person.objects.get().display_name == "Ma Lixin"

    detention = page.locator(f"#candidate-{Candidate.objects.get(kind='detention').pk}")
    detention.locator("> form.decide").get_by_role("button", name="Accept", exact=True).click()
    sentence = page.locator(f"#candidate-{Candidate.objects.get(kind='sentence').pk}")
    sentence.locator("> form.decide summary").click()
    sentence.locator("> form.decide").get_by_label("months").fill("60")
    sentence.locator("> form.decide").get_by_role("button", name="Accept with my edits").click()
    expect(page.locator(".message.success")).to_contain_text("edited and accepted")
    assert Sentence.objects.get().term_months == 60

    health = page.locator(f"#candidate-{Candidate.objects.get(kind='health').pk}")
    health.locator("> form.decide").get_by_role("button", name="Reject").click()
    expect(health).to_have_class(re.compile("rejected"))
    assert not HealthNote.objects.exists()
    screenshot(page, "decided")

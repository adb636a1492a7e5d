"""Editing a dossier in a real browser: a detention citing words selected with the mouse in the source
text, and typed input that survives the session ending mid-edit."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from habeas.accounts.models import Confidentiality
from habeas.dossiers import services
from habeas.dossiers.models import Detention, HealthNote, Person
from habeas.places.models import Place
from habeas.sources.services import source_store

TEXT = (
    "Harbour Wire, 12 July 2015 (a fictional report).\n"
    "Gao Ming (高明; his pen name 𠮷明 has a character outside the BMP), a lawyer from Linyi,\n"
    "was taken by police from his office on 9 July 2015 and is held\n"
    "at the Linyi Detention Centre. His wife has not been allowed to see him."
)
WORDS = "taken by police from his office on 9 July 2015"


@pytest.fixture
def dossier(researcher) -> Person:
    source_store(text=TEXT, title="Fictional wire: lawyer taken", publisher="Harbour Wire", by=researcher)
    Place.objects.create(name="Linyi Detention Centre", kind="detention_centre")
    return services.person_create(
        names=["Gao Ming", "高明"], unsourced=True, by=researcher, confidentiality=Confidentiality.INTERNAL
    )


def select_with_the_mouse(page: Page, words: str) -> None:
    """Press the mouse before the first character of ``words`` in the source text and release it after
    the last, as a person would."""
    text = page.locator(".cite-text")
    text.scroll_into_view_if_needed()
    box = page.evaluate(
        """(words) => {
            const node = document.querySelector('.cite-text').firstChild;
            const at = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 1);
            const first = range.getBoundingClientRect();
            range.setStart(node, at + words.length - 1); range.setEnd(node, at + words.length);
            const last = range.getBoundingClientRect();
            return {x1: first.left + 1, y1: first.top + first.height / 2,
                    x2: last.right - 1, y2: last.top + last.height / 2};
        }""",
        words,
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=12)
    page.mouse.up()


@pytest.mark.django_db(transaction=True)
def test_add_a_detention_citing_words_selected_with_the_mouse(
    signed_in_page, researcher, dossier, screenshot
) -> None:
    page = signed_in_page(researcher)
    page.goto(f"/persons/{dossier.pk}/")
    page.get_by_role("link", name="Add detention").click()
    expect(page.get_by_role("heading", name="Add a detention")).to_be_visible()

    page.get_by_label("Started").fill("2015-07-09")
    page.get_by_label("Measure").select_option("criminal_detention")
    page.get_by_label("Place of detention").select_option(label="Linyi Detention Centre")
    page.get_by_label("Find a source by title or publisher").fill("harbour")
    page.get_by_role("button", name="Find").click()
    page.get_by_label(re.compile("Fictional wire: lawyer taken")).check()
    expect(page.locator(".cite-text")).to_contain_text("taken by police from his office")

    select_with_the_mouse(page, WORDS)
    expect(page.locator(".cite-chosen-quote")).to_have_text(WORDS)
    screenshot(page, "span-selected")
    page.get_by_role("button", name="Save", exact=True).last.click()

    expect(page).to_have_url(re.compile(rf"/persons/{dossier.pk}/$"))
    expect(page.get_by_role("status").first).to_contain_text("Detention added.")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Linyi Detention Centre")
    expect(timeline).to_contain_text(WORDS)
    screenshot(page, "on-the-timeline")

    detention = Detention.objects.get(person=dossier)
    assert detention.citation is not None and detention.citation.quote == WORDS
    # Offsets count code points, as Python does (JavaScript counts 𠮷 as two UTF-16 units).
    assert TEXT[detention.citation.start : detention.citation.end] == WORDS
    assert detention.created_by == researcher


@pytest.mark.django_db(transaction=True)
def test_typed_input_survives_the_session_ending_mid_edit(
    signed_in_page, researcher, dossier, screenshot
) -> None:
    page = signed_in_page(researcher)
    form_url = f"/persons/{dossier.pk}/add/health/"
    page.goto(form_url)
    page.get_by_label("Condition").fill("heart condition, untreated")
    page.get_by_label("Note").fill("Long notes typed for a while: his wife was refused a visit.")
    page.get_by_label("Entered without a source").check()

    Session.objects.all().delete()  # the session expires while the researcher types
    page.get_by_role("button", name="Save", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    assert not HealthNote.objects.exists()

    page.get_by_label("User name").fill("rita")
    page.get_by_label("Password").fill("correct horse battery staple 42")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(form_url) + "$"))
    expect(page.locator(".draft-note")).to_be_visible()
    expect(page.get_by_label("Condition")).to_have_value("heart condition, untreated")
    expect(page.get_by_label("Note")).to_have_value(
        "Long notes typed for a while: his wife was refused a visit."
    )
    expect(page.get_by_label("Entered without a source")).to_be_checked()
    screenshot(page, "draft-restored")

    page.get_by_role("button", name="Save", exact=True).last.click()
    expect(page).to_have_url(re.compile(rf"/persons/{dossier.pk}/$"))
    note = HealthNote.objects.get()
    assert note.condition == "heart condition, untreated" and note.unsourced_by == researcher

    # Saved: the draft is gone, so the form opens empty next time.
    page.goto(form_url)
    expect(page.get_by_label("Condition")).to_have_value("")
    expect(page.locator(".draft-note")).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_a_kept_draft_can_be_discarded(signed_in_page, researcher, dossier) -> None:
    page = signed_in_page(researcher)
    form_url = f"/persons/{dossier.pk}/add/health/"
    page.goto(form_url)
    page.get_by_label("Condition").fill("typed, then left")
    page.goto(f"/persons/{dossier.pk}/")  # left without saving: the draft stays in this tab
    page.goto(form_url)
    expect(page.get_by_label("Condition")).to_have_value("typed, then left")
    page.get_by_role("button", name="Discard it").click()
    expect(page.get_by_label("Condition")).to_have_value("")
    expect(page.locator(".draft-note")).to_be_hidden()
    page.goto(form_url)
    expect(page.get_by_label("Condition")).to_have_value("")
    # Cancel drops it too.
    page.get_by_label("Condition").fill("typed, then cancelled")
    page.get_by_role("link", name="Cancel").click()
    page.goto(form_url)
    expect(page.get_by_label("Condition")).to_have_value("")
    assert not HealthNote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_editors_the_second_sees_both_versions_and_loses_nothing(
    signed_in_page, researcher, admin_user, dossier, screenshot
) -> None:
    detention = services.detention_record(person=dossier, started="2015-07", unsourced=True, by=researcher)
    url = f"/facts/detention/{detention.pk}/edit/"
    rita, ada = signed_in_page(researcher), signed_in_page(admin_user)
    rita.goto(url)
    ada.goto(url)
    rita.get_by_label("Notes").fill("Held incommunicado for six months.")
    rita.get_by_role("button", name="Save", exact=True).click()
    expect(rita).to_have_url(re.compile(rf"/persons/{dossier.pk}/$"))

    ada.get_by_label("Notes").fill("Family told of the detention in August.")
    ada.get_by_label("Measure").select_option("rsdl")
    ada.get_by_role("button", name="Save", exact=True).click()
    expect(ada.get_by_role("alert").first).to_contain_text("someone else changed this record")
    expect(ada.get_by_label("Notes")).to_have_value("Family told of the detention in August.")
    expect(ada.locator(".saved-now")).to_contain_text(["Held incommunicado for six months."])
    screenshot(ada, "conflict")
    assert Detention.objects.get(pk=detention.pk).notes == "Held incommunicado for six months."

    ada.get_by_role("button", name="Save", exact=True).click()  # having seen both: a deliberate save
    expect(ada).to_have_url(re.compile(rf"/persons/{dossier.pk}/$"))
    saved = Detention.objects.get(pk=detention.pk)
    assert (saved.notes, saved.measure) == ("Family told of the detention in August.", "rsdl")

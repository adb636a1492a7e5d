"""The dialogue loop in a real browser: a researcher builds a prisoner list from a person-list search,
hands it over and exports it as PDF, records the government's response and an act of clemency citing
words selected in the official letter, and watches the statistics change. All names are fictional."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from habeas.accounts.models import Confidentiality
from habeas.dialogue import services
from habeas.dialogue.models import ListStatus, Outcome, PrisonerList, Response
from habeas.dossiers import services as dossiers
from habeas.dossiers.models import Person
from habeas.places.services import place_create
from habeas.sources.models import SourceKind
from habeas.sources.services import source_store

PUBLIC = Confidentiality.PUBLIC
LETTER = (
    "Ministry of Justice, reply of 2 May 2026 to the list of 1 March 2026 (a fictional letter).\n"
    "Liu Mingde's sentence was reduced by one year on 20 April 2026; he is to be released on 5 March 2025.\n"
    "The ministry has no information on the other persons named."
)
WORDS = "Liu Mingde's sentence was reduced by one year on 20 April 2026"


def _person(by, names: list[str], **fields) -> Person:
    return dossiers.person_create(
        names=[{"text": n, "kind": "main" if i == 0 else "alias"} for i, n in enumerate(names)],
        unsourced=True,
        by=by,
        confidentiality=PUBLIC,
        **fields,
    )


@pytest.fixture
def dossiers_and_ministry(researcher) -> Person:
    """Two teachers held in Guizhou (the search finds them), a monk elsewhere (it does not), the
    ministry lists are handed to, and the ministry's reply, stored as an official source."""
    prison = place_create(
        names=["Chishui Prison", "赤水监狱"], by=researcher, province="Guizhou", confidentiality=PUBLIC
    )
    liu = _person(
        researcher,
        ["Liu Mingde", "刘明德"],
        occupation="teacher",
        summary_public="A teacher held for an essay.",
    )
    ma = _person(researcher, ["Ma Lan", "马兰"], occupation="teacher")
    tashi = _person(researcher, ["Tashi Dorje", "扎西多杰"], occupation="monk")
    for who, months in ((liu, 132), (ma, 60), (tashi, 0)):
        detention = dossiers.detention_record(
            person=who, started="2015-03-05", place=prison if months else None, unsourced=True, by=researcher
        )
        if months:
            dossiers.sentence_record(
                detention=detention,
                kind="fixed",
                term_months=months,
                term_starts="2015-03-05",
                unsourced=True,
                by=researcher,
            )
        dossiers.status_record(
            person=who, status="detained", date="2015-03-05", unsourced=True, by=researcher
        )
    services.interlocutor_create(
        name="Ministry of Justice",
        name_local="司法部",
        kind="ministry",
        country="CN",
        by=researcher,
        confidentiality=PUBLIC,
    )
    source_store(
        text=LETTER,
        title="Reply of the Ministry of Justice, May 2026",
        publisher="Ministry of Justice",
        kind=SourceKind.GOVERNMENT_RESPONSE,
        by=researcher,
        confidentiality=PUBLIC,
    )
    return liu


def select_with_the_mouse(page: Page, words: str) -> None:
    """Press the mouse before the first character of ``words`` in the source text, release after the last."""
    page.locator(".cite-text").scroll_into_view_if_needed()
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


def figure(page: Page, name: str) -> str:
    return page.locator(f"dl.figures dd.{name}").inner_text()


@pytest.mark.django_db(transaction=True)
def test_build_a_list_from_a_search_export_it_record_a_response_and_clemency_and_see_the_statistics(
    signed_in_page, researcher, dossiers_and_ministry, screenshot
) -> None:
    liu = dossiers_and_ministry
    page = signed_in_page(researcher)

    # Statistics before: nothing handed over yet.
    page.get_by_role("link", name="Dialogue", exact=True).click()
    page.get_by_role("link", name="Statistics", exact=True).click()
    assert figure(page, "lists-handed").startswith("0")
    assert figure(page, "outcomes").startswith("0")
    screenshot(page, "statistics-before")

    # 1. A search of the dossiers: teachers held at Chishui Prison.
    page.goto("/?place=Chishui&status=detained")
    expect(page.locator("table.persons tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Make a prisoner list from these results").click()
    expect(page.get_by_role("heading", name="New prisoner list")).to_be_visible()
    expect(page.locator(".from-query")).to_contain_text("The search finds 2 persons you may see")
    page.get_by_label("Title").fill("Dialogue round, spring 2026: Guizhou")
    page.get_by_label("Handed to (interlocutor)").select_option(label="Ministry of Justice")
    page.get_by_label("release", exact=True).check()
    page.get_by_label("Keep this query under a name").fill("Held at Chishui")
    screenshot(page, "new-list-from-search")
    page.get_by_role("button", name="Create list").click()

    expect(page.get_by_role("status").first).to_contain_text("List created with 2 persons from the query.")
    plist = PrisonerList.objects.get(title="Dialogue round, spring 2026: Guizhou")
    expect(page).to_have_url(re.compile(rf"/dialogue/lists/{plist.pk}/$"))
    entries = page.locator("ol.entries li.entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Liu Mingde")
    expect(entries.first).to_contain_text("刘明德")
    expect(entries.first).to_contain_text("information on status and whereabouts; release")

    # 2. Handed over on 1 March 2026.
    page.get_by_role("link", name="Mark as handed over").click()
    page.get_by_label("Handed over on").fill("2026-03-01")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("dl.summary").first).to_contain_text(re.compile(r"handed over on 1 Mar(ch)? 2026"))
    plist.refresh_from_db()
    assert plist.status == ListStatus.HANDED_OVER

    # 3. The PDF to hand over: a real PDF, names in both scripts.
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"%PDF") and download.value.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
    assert "Liu Mingde" in text and "Ma Lan" in text and "Tashi" not in text
    screenshot(page, "list-handed-over")

    # 4. The ministry's answer about Liu Mingde, in its own words.
    liu_entry = entries.filter(has_text="Liu Mingde")
    liu_entry.get_by_role("link", name="Record a response").click()
    expect(page.get_by_role("heading", name="Record a response about Liu Mingde")).to_be_visible()
    page.get_by_label("Response", exact=True).select_option(label="favourable result")
    page.get_by_label("Received").fill("2026-05-02")
    page.get_by_label("What the answer says about this person").fill(
        "His sentence was reduced by one year; he will be released on 5 March 2025."
    )
    page.get_by_label("Sentence it gives").fill("10 years")
    page.get_by_label("Expected release it gives").fill("2025-03-05")
    screenshot(page, "response-form")
    page.get_by_role("button", name="Save response").last.click()
    expect(page.get_by_role("status").first).to_contain_text("Response recorded.")
    expect(liu_entry.locator("ul.responses")).to_contain_text("favourable result")
    expect(liu_entry.locator("ul.responses")).to_contain_text("sentence: 10 years")
    response = Response.objects.get(entry__person=liu)
    assert response.source is not None and response.source.official

    # 5. The act of clemency, citing the words of the ministry's letter selected with the mouse.
    liu_entry.get_by_role("link", name="Record an outcome").click()
    page.get_by_label("Outcome", exact=True).select_option(label="sentence reduction")
    page.get_by_label("Date", exact=True).fill("2026-04-20")
    page.get_by_label("New expected release").fill("2025-03-05")
    expect(page.get_by_label("favourable result, 2 May 2026")).to_be_checked()
    page.get_by_label("Find a source by title or publisher").fill("Ministry")
    page.get_by_role("button", name="Find").click()
    page.get_by_label(re.compile("Reply of the Ministry of Justice, May 2026")).check()
    expect(page.locator(".cite-text")).to_contain_text("sentence was reduced by one year")
    select_with_the_mouse(page, WORDS)
    expect(page.locator(".cite-chosen-quote")).to_have_text(WORDS)
    screenshot(page, "outcome-form")
    page.get_by_role("button", name="Save outcome").last.click()
    expect(page.get_by_role("status").first).to_contain_text("Outcome recorded.")
    expect(liu_entry.locator("ul.outcomes")).to_contain_text("sentence reduction")
    outcome = Outcome.objects.get(person=liu)
    assert outcome.citation is not None and outcome.citation.quote == WORDS
    assert list(outcome.responses.all()) == [response] and outcome.entries.get().prisoner_list == plist

    # 6. The statistics now count the list, the answer and the act of clemency.
    page.get_by_role("link", name="Statistics", exact=True).click()
    assert figure(page, "lists-handed").startswith("1")
    assert figure(page, "persons-asked").startswith("2")
    assert figure(page, "persons-answered").startswith("1")
    assert figure(page, "outcomes").startswith("1, for 1 person")
    expect(page.locator("figure.chart svg")).not_to_have_count(0)
    expect(page.locator("figure.chart").filter(has_text="Response rate, by interlocutor")).to_contain_text(
        "50%"
    )
    screenshot(page, "statistics-after")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["list", "statistics", "response"])
def test_dialogue_pages_fit_a_phone_without_horizontal_scroll(
    new_page, signed_in_page, researcher, screenshot, where
) -> None:
    from habeas.web.tests.test_dialogue_pages import build_world

    world = build_world(researcher)
    page = signed_in_page(researcher, page=new_page(width=375, height=800))
    url = {
        "list": f"/dialogue/lists/{world.handed.pk}/",
        "statistics": "/dialogue/statistics/",
        "response": f"/dialogue/entries/{world.liu_entry.pk}/response/",
    }[where]
    page.goto(url)
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    screenshot(page, f"phone-{where}")
    assert scroll <= client + 1, f"{where} is {scroll}px wide on a {client}px phone"

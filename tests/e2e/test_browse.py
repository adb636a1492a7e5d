"""Reading in a real browser: the nav search in Chinese characters finds a dossier stored in pinyin, a
citation leads to the source with its span highlighted, the language form, and phone-width pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from habeas.accounts.models import Confidentiality
from habeas.dossiers.bulk import NameIn, PersonIn, SourceIn
from habeas.dossiers.models import Person
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.sources.models import Citation

PHONE = 375
TOLERANCE = 1  # a sub-pixel rounding, not a scroll bar's worth


@pytest.fixture
def liu(db) -> Person:
    """A dossier whose main name is in pinyin (刘明德 is its other name), beside a namesake written with
    another character (柳明德, the same pinyin) and others; its sentence cites a fictional report."""
    (liu,) = make(bundle(1))
    make(bundle(2, names=("Liu Mingde", "柳明德")), bundle(3, names=("Wang Dan", "王丹")))
    return liu


def no_horizontal_scroll(page: Page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


@pytest.mark.django_db(transaction=True)
def test_search_in_hanzi_finds_the_pinyin_dossier_and_its_citation_leads_to_the_span(
    signed_in_page, researcher, liu, screenshot
) -> None:
    page = signed_in_page(researcher)
    search = page.get_by_role("searchbox", name="Search names")
    search.fill("刘明德")
    search.press("Enter")
    page.wait_for_url("**/?q=*")
    results = page.locator("table.persons tbody tr")
    expect(results).to_have_count(1)  # not the namesake written 柳明德
    expect(results.first).to_contain_text("Liu Mingde")
    screenshot(page, "search-hanzi")

    results.first.get_by_role("link", name="Liu Mingde").click()
    page.wait_for_url(f"**/persons/{liu.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liu Mingde")
    screenshot(page, "dossier")

    cite = Citation.objects.get(quote__startswith="He was sentenced", source__title="Report 1")
    link = page.locator(f'a[href*="?cite={cite.pk}#cite-{cite.pk}"]').first
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(f"**/sources/{cite.source_id}/?cite={cite.pk}#cite-{cite.pk}")
    mark = page.locator(f"mark#cite-{cite.pk}")
    expect(mark).to_have_text(cite.quote)
    expect(mark).to_be_in_viewport()
    assert page.locator("mark").count() == 1
    # The highlight is drawn by the stylesheet (no inline style): a visible background colour.
    background = mark.evaluate("node => getComputedStyle(node).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page, "source-highlighted")


@pytest.mark.django_db(transaction=True)
def test_the_language_form_switches_to_chinese(signed_in_page, researcher, liu, screenshot) -> None:
    page = signed_in_page(researcher)
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="退出")).to_be_visible()  # Sign out
    screenshot(page, "chinese")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()  # Change
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["list", "dossier", "source", "history", "sign-in"])
def test_pages_fit_a_phone_without_horizontal_scroll(
    new_page, signed_in_page, researcher, screenshot, where
) -> None:
    # Long unbroken names and text are what push pages wider than a phone.
    long_name = "Nurmuhammad-Abdurehim-Qeyserjan-Tursunmemet"
    text = f"{long_name} (努尔穆罕默德), a fictional teacher, was detained in 2017. " + "x" * 120
    person, _other = make(
        PersonIn(
            source=SourceIn(text=text, title="A fictional report with a rather long title " * 3),
            names=[NameIn(long_name, span=(0, len(long_name))), NameIn("努尔穆罕默德")],
            confidentiality=Confidentiality.PUBLIC,
        ),
        bundle(2, each=2),
    )
    page = new_page(width=PHONE, height=800)
    if where != "sign-in":
        signed_in_page(researcher, page=page)
    source = Citation.objects.filter(quote__startswith=long_name).first().source_id  # type: ignore[union-attr]
    url = {
        "list": "/",
        "dossier": f"/persons/{person.pk}/",
        "source": f"/sources/{source}/",
        "history": f"/persons/{person.pk}/history/",
        "sign-in": "/login/",
    }[where]
    page.goto(url)
    scroll, client = no_horizontal_scroll(page)
    screenshot(page, f"phone-{where}")
    assert client == PHONE
    assert scroll <= PHONE + TOLERANCE, f"{where} is {scroll}px wide on a {PHONE}px phone"

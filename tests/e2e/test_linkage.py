"""Linkage review in a real browser: two dossiers of one lama under two spellings (Tenzin Delek /
Tenzin Deleg) wait as a pair; a reviewer sees the evidence side by side; a researcher merges them, finds
every fact on one dossier, then undoes the merge."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from habeas.dossiers.models import HealthNote, PersonName
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.linkage.models import Decision, MergeRecord, PersonPair
from habeas.linkage.services import person_pair_record

EVIDENCE = {
    "model": "persons-v1",
    "fields": {
        "name": {"level": "same Tibetan name, another spelling", "weight": 6.4},
        "detention": {"level": "same month", "weight": 3.2},
        "places": {"level": "same place", "weight": 2.1},
    },
}


@pytest.mark.django_db(transaction=True)
def test_merge_two_spellings_then_undo(signed_in_page, screenshot, researcher, reviewer) -> None:
    delek, deleg = make(
        bundle(1, names=("Tenzin Delek", "Trulku Tenzin Delek"), started="2002-04"),
        bundle(2, names=("Tenzin Deleg", "A-ngag Tashi"), started="2002-04"),
    )
    HealthNote.objects.filter(person=deleg).update(condition="heart condition")
    pair = person_pair_record(a=delek.pk, b=deleg.pk, score=0.96, evidence=EVIDENCE)

    # The reviewer finds the pair and sees why it was proposed.
    page = signed_in_page(reviewer)
    page.get_by_role("link", name="Duplicates").click()
    expect(page.locator("table.pairs")).to_contain_text("Tenzin Deleg")
    page.get_by_role("link", name="Compare").click()
    expect(page.locator("table.evidence tr.agrees")).to_have_count(3)
    expect(page.locator("table.evidence")).to_contain_text("same Tibetan name, another spelling")
    expect(page.locator(".pair-side")).to_have_count(2)
    expect(page.get_by_role("button", name="Merge")).to_have_count(0)  # reviewers do not merge
    screenshot(page, "pair")

    # A researcher merges, keeping Tenzin Delek's dossier.
    page = signed_in_page(researcher)
    page.goto(f"/linkage/person/{pair.pk}/")
    page.get_by_label(re.compile(f"#{delek.pk} ")).check()
    page.get_by_label("Note (why)").first.fill("same lama: Deleg is the Tibetan spelling")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".message.success")).to_contain_text("Merged")
    record = MergeRecord.objects.get()
    expect(page).to_have_url(re.compile(f"/linkage/merges/{record.pk}/$"))
    expect(page.locator("table.moved")).to_contain_text("A-ngag Tashi")
    screenshot(page, "merged")

    page.get_by_role("link", name="Dossier that received the records").click()
    expect(page.locator("ul.names")).to_contain_text("Tenzin Deleg")
    expect(page.locator("ul.names")).to_contain_text("A-ngag Tashi")
    expect(page.locator("article.dossier")).to_contain_text("heart condition")
    screenshot(page, "dossier")
    # The other spelling's page now leads here.
    page.goto(f"/persons/{deleg.pk}/")
    expect(page).to_have_url(re.compile(f"/persons/{delek.pk}/$"))

    page.goto(f"/linkage/merges/{record.pk}/")
    page.get_by_role("button", name="Undo merge").click()
    expect(page.locator(".message.success")).to_contain_text("Undone")
    screenshot(page, "undone")
    assert set(PersonName.objects.filter(person=deleg).values_list("text", flat=True)) == {
        "Tenzin Deleg",
        "A-ngag Tashi",
    }
    page.goto(f"/persons/{deleg.pk}/")
    expect(page.locator("h1")).to_have_text("Tenzin Deleg")
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING
    assert PersonPair.objects.count() == 1

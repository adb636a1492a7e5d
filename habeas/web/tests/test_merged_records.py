"""Pages of a merged-away dossier or place (habeas.linkage.merge): GET leads to the survivor's same page
with a notice (404 where the reader may not see the survivor), a POST writing to it is refused (409)
and writes nothing, its history stays readable, and undoing the merge makes it live again.

Every URL of the web app that takes a person's or a place's number is listed here: a new one fails
test_every_person_and_place_url_is_covered until it is added (and handled)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers.models import Person, PersonName
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.linkage.merge import merge_undo, person_merge, place_merge
from habeas.places.models import Place, PlaceName, PopulationObservation
from habeas.places.services import place_create
from habeas.web.tests.roles import assert_answer

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


@dataclass(frozen=True)
class Page:
    """A page of one person or place: its URL name, the arguments after the number, and a POST that
    would write (None: the page only reads)."""

    name: str
    more: tuple[Any, ...] = ()
    post: dict[str, Any] | None = None
    survivor_page: str | None = None  # where GET leads, when not the same page of the survivor


PERSON_PAGES = (
    Page("person_detail"),
    Page("person_edit", post={"version": "1", "occupation": "Qzxvmergedwrite", "confidentiality": INTERNAL}),
    Page("person_facts"),
    Page(
        "person_add",
        ("name",),
        post={"text": "Qzxvmergedwrite", "kind": "alias", "confidentiality": INTERNAL, "cite-unsourced": 1},
    ),
    Page("person_split", post={"move": [], "note": "Qzxvmergedwrite"}),
)
PLACE_PAGES = (
    Page("place_detail"),
    Page(
        "place_edit",
        post={"names": "Qzxvmergedwrite", "kind": "prison", "version": "1", "confidentiality": PUBLIC},
    ),
    Page("place_population_add", post={"observed": "2014", "population": "800", "unsourced": "on"}),
)
# Read-only and left reachable: the merge and undo pages link to them (see test_history_...).
HISTORY_PAGES = ("person_history", "place_history")
# Pages of a fact, which may still hang from a merged-away dossier (a name both records carried).
FACT_PAGES = (
    Page("fact_edit", post={"version": "1", "text": "Qzxvmergedwrite", "kind": "main", "confidentiality": 2}),
    Page("fact_remove", post={"version": "1", "note": "Qzxvmergedwrite"}),
)


def _routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            found.append((p.name, prefix + str(p.pattern)))
    return found


def test_every_person_and_place_url_is_covered() -> None:
    taking_a_number = {
        name
        for name, route in _routes(get_resolver().url_patterns)
        if route.startswith(("persons/<int:pk>/", "places/<int:pk>/"))
    }
    covered = {p.name for p in PERSON_PAGES + PLACE_PAGES} | set(HISTORY_PAGES)
    assert taking_a_number == covered


@pytest.fixture
def merged_persons(researcher) -> tuple[Person, Person, Any]:
    survivor, absorbed = make(
        bundle(1, names=("Tenzin Delek",), level=INTERNAL),
        bundle(2, names=("Tenzin Delek", "Tenzin Deleg"), level=INTERNAL),
    )
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    return survivor, absorbed, record


@pytest.fixture
def merged_places(researcher) -> tuple[Place, Place, Any]:
    survivor = place_create(names=["Drapchi Prison"], by=researcher, confidentiality=PUBLIC)
    absorbed = place_create(names=["TAR Prison"], by=researcher, confidentiality=PUBLIC)
    record = place_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    return survivor, absorbed, record


def _written() -> tuple[int, ...]:
    """What a refused POST must leave as it was."""
    return (
        History.objects.count(),
        PersonName.objects.count(),
        PopulationObservation.objects.count(),
        Person.objects.filter(occupation="Qzxvmergedwrite").count(),
        PlaceName.objects.filter(text="Qzxvmergedwrite").count(),
    )


def _check_pages(client, pages, absorbed: int, survivor: int) -> None:
    for page in pages:
        url = reverse(f"web:{page.name}", args=[absorbed, *page.more])
        response = client.get(url)
        target = page.survivor_page or page.name
        expected = reverse(f"web:{target}", args=[survivor, *([] if page.survivor_page else page.more)])
        assert (response.status_code, response["Location"]) == (302, expected), url
        # The notice shows on the page it leads to.
        assert f"#{absorbed} was merged into" in client.get(expected).content.decode(), url
        if page.post is not None:
            before = _written()
            refused = client.post(url, page.post)
            assert refused.status_code == 409, url
            assert "Not saved" in refused.content.decode() and f"#{survivor}" in refused.content.decode()
            assert _written() == before, url


@pytest.mark.django_db
def test_a_merged_away_persons_pages_lead_to_the_survivor_and_refuse_writes(
    client_for, researcher, merged_persons
) -> None:
    survivor, absorbed, _record = merged_persons
    _check_pages(client_for(researcher), PERSON_PAGES, absorbed.pk, survivor.pk)


@pytest.mark.django_db
def test_a_name_left_on_a_merged_away_person_is_not_edited_there(
    client_for, researcher, merged_persons
) -> None:
    survivor, absorbed, _record = merged_persons
    # The name both carried stays on the absorbed record (a name is stored once per person).
    left = PersonName.objects.get(person=absorbed)
    pages = [Page(p.name, post=p.post, survivor_page="person_facts") for p in FACT_PAGES]
    client = client_for(researcher)
    for page in pages:
        response = client.get(reverse(f"web:{page.name}", args=["name", left.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("web:person_facts", args=[survivor.pk])
        before = _written()
        refused = client.post(reverse(f"web:{page.name}", args=["name", left.pk]), page.post)
        assert refused.status_code == 409 and _written() == before
    assert PersonName.objects.filter(pk=left.pk, person=absorbed).exists()


@pytest.mark.django_db
def test_a_merged_away_places_pages_lead_to_the_survivor_and_refuse_writes(
    client_for, researcher, merged_places
) -> None:
    survivor, absorbed, _record = merged_places
    _check_pages(client_for(researcher), PLACE_PAGES, absorbed.pk, survivor.pk)
    assert Place.objects.get(pk=absorbed.pk).version == absorbed.version + 1  # the merge's mark only


@pytest.mark.django_db
def test_a_reader_not_cleared_for_the_survivor_gets_404(
    client_for, researcher, low_researcher, merged_persons
) -> None:
    survivor, absorbed, _record = merged_persons
    Person.objects.filter(pk=survivor.pk).update(confidentiality=RESTRICTED)
    client = client_for(low_researcher)
    for page in PERSON_PAGES:
        url = reverse(f"web:{page.name}", args=[absorbed.pk, *page.more])
        assert_answer(client.get(url), 404)
        if page.post is not None:
            assert_answer(client.post(url, page.post), 404)
    # The history page reads, but does not name where the record went.
    page = client.get(reverse("web:person_history", args=[absorbed.pk])).content.decode()
    assert "was merged into #" not in page


@pytest.mark.django_db
def test_a_viewer_is_led_to_the_survivor_and_still_may_not_edit(client_for, viewer, researcher) -> None:
    survivor, absorbed = make(bundle(1, names=("Liu Mingde",)), bundle(2, names=("Liu Ming De",)))
    person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    client = client_for(viewer)
    response = client.get(reverse("web:person_detail", args=[absorbed.pk]))
    assert response["Location"] == reverse("web:person_detail", args=[survivor.pk])
    # Roles come first: the answer to a form URL says nothing about merges.
    assert_answer(client.get(reverse("web:person_edit", args=[absorbed.pk])), 403)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["person", "place"])
def test_history_of_a_merged_away_record_stays_readable_and_says_where_it_went(
    client_for, researcher, merged_persons, merged_places, kind
) -> None:
    survivor, absorbed, record = merged_persons if kind == "person" else merged_places
    client = client_for(researcher)
    assert (
        reverse(f"web:{kind}_history", args=[absorbed.pk])
        in client.get(reverse("web:linkage_merge", args=[record.pk])).content.decode()
    )
    response = client.get(reverse(f"web:{kind}_history", args=[absorbed.pk]))
    assert response.status_code == 200
    assert f"merged into #{survivor.pk}" in response.content.decode()


@pytest.mark.django_db
def test_undoing_the_merge_makes_the_pages_live_again(
    client_for, researcher, merged_persons, merged_places
) -> None:
    _survivor, absorbed, record = merged_persons
    _place_survivor, place, place_record = merged_places
    merge_undo(record=record, by=researcher)
    merge_undo(record=place_record, by=researcher)
    client = client_for(researcher)
    for page in PERSON_PAGES:
        assert client.get(reverse(f"web:{page.name}", args=[absorbed.pk, *page.more])).status_code == 200
    for page in PLACE_PAGES:
        assert client.get(reverse(f"web:{page.name}", args=[place.pk, *page.more])).status_code == 200
    added = client.post(reverse("web:person_add", args=[absorbed.pk, "name"]), PERSON_PAGES[3].post)
    assert added.status_code == 302 and absorbed.names.filter(text="Qzxvmergedwrite").exists()
    counted = client.post(reverse("web:place_population_add", args=[place.pk]), PLACE_PAGES[2].post)
    assert counted.status_code == 302 and PopulationObservation.objects.filter(place=place).exists()
    history = client.get(reverse("web:person_history", args=[absorbed.pk])).content.decode()
    assert "was merged into #" not in history


# -- where a person or place is chosen by number ---------------------------------------------------
@pytest.mark.django_db
def test_a_candidate_is_not_accepted_into_a_merged_away_dossier(
    client_for, researcher, merged_persons
) -> None:
    from habeas.review.models import Candidate
    from habeas.review.services import extraction_run
    from habeas.review.tests.test_services import TEXT, contract
    from habeas.sources.services import source_store

    survivor, absorbed, _record = merged_persons
    source = source_store(text=TEXT, title="Activist jailed", confidentiality=INTERNAL)[0]
    extraction_run(source=source, by=researcher, extracted=contract())
    candidate = Candidate.objects.filter(run__source=source, kind="person").order_by("position").first()
    assert candidate is not None
    client = client_for(researcher)
    url = reverse("web:candidate_decide", args=[candidate.pk])
    response = client.post(url, {"action": "accept", "person": str(absorbed.pk)}, follow=True)
    assert f"was merged into #{survivor.pk}: choose that one" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.state == "pending"


@pytest.mark.django_db
def test_a_merged_away_place_is_not_offered_for_a_detention(client_for, researcher, merged_places) -> None:
    survivor, _absorbed, _record = merged_places
    (person,) = make(bundle(5, names=("Wang Dan",)))
    url = reverse("web:person_add", args=[person.pk, "detention"])
    page = client_for(researcher).get(url).content.decode()
    assert f'value="{survivor.pk}">Drapchi Prison' in page and "TAR Prison" not in page


@pytest.mark.django_db
def test_a_list_entry_for_a_merged_away_dossier_is_offered_for_its_survivor(
    client_for, researcher, merged_persons
) -> None:
    from habeas.dialogue import services as dialogue
    from habeas.dialogue.models import ListEntry

    survivor, absorbed, _record = merged_persons
    ministry = dialogue.interlocutor_create(name="Ministry of Justice", kind="ministry", by=researcher)
    plist = dialogue.list_create(title="Round", interlocutor=ministry, by=researcher)
    client = client_for(researcher)
    add = reverse("web:dialogue_entry_add", args=[plist.pk])
    page = client.get(add, {"person": absorbed.pk}).content.decode()
    offered = re.findall(r'<input type="radio" name="person" value="(\d+)"', page)
    assert offered == [str(survivor.pk)] and f"#{absorbed.pk} was merged into" in page
    refused = client.post(add, {"person": absorbed.pk, "requests": ["release"]})
    assert refused.status_code == 200 and not ListEntry.objects.exists()
    client.post(add, {"person": survivor.pk, "requests": ["release"]})
    assert ListEntry.objects.get().person == survivor

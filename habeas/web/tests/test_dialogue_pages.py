"""Dialogue pages: prisoner lists (by hand and from a person-list query), entries, hand-over, exports,
responses (with their official source, one by one or from a CSV file), outcomes, engagements,
statistics and alerts. All names and texts are fictional."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.dialogue import services
from habeas.dialogue.models import (
    Engagement,
    Interlocutor,
    ListEntry,
    ListStatus,
    Outcome,
    PrisonerList,
    Response,
    SavedQuery,
)
from habeas.dossiers import services as dossiers
from habeas.dossiers.models import Person
from habeas.places.services import place_create
from habeas.sources.models import Source, SourceKind
from habeas.sources.services import citation_for_quote, source_store

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'

# Unique strings in records a reader without clearance must never see, on any page or in any export.
SECRET_NAME = "Qzxvdlgname"  # a restricted person on a public list
SECRET_HANZI = "庄秘密"
SECRET_SUMMARY = "Qzxvdlgsummary"  # that person's restricted entry's case summary
SECRET_RESPONSE = "Qzxvdlgresponse"  # a restricted answer about a public person
SECRET_OUTCOME = "Qzxvdlgoutcome"  # a restricted outcome's note
SECRET_INTERLOCUTOR = "Qzxvdlginterlocutor"  # a restricted interlocutor, its list and engagement
SECRET_ENGAGEMENT = "Qzxvdlgengagement"
SECRET_LIST = "Qzxvdlglist"
SECRET_SOURCE = "Qzxvdlgsource"  # a restricted source cited by a restricted engagement
RESTRICTED_MARKERS = (
    SECRET_NAME,
    SECRET_HANZI,
    SECRET_SUMMARY,
    SECRET_RESPONSE,
    SECRET_OUTCOME,
    SECRET_INTERLOCUTOR,
    SECRET_ENGAGEMENT,
    SECRET_LIST,
    SECRET_SOURCE,
)
# Internal notes: for staff cleared for internal records, never for a public-only viewer, never exported.
INTERNAL_NOTE = "Qzxvinoteentry"
INTERNAL_LIST_NOTE = "Qzxvinotelist"
INTERNAL_ENGAGEMENT_NOTE = "Qzxvinoteengagement"
INTERNAL_MARKERS = (INTERNAL_NOTE, INTERNAL_LIST_NOTE, INTERNAL_ENGAGEMENT_NOTE)


@dataclass
class World:
    liu: Person  # public, 11 years at a public prison
    tashi: Person  # public, death with reprieve
    hidden: Person  # restricted
    ministry: Interlocutor
    secret_interlocutor: Interlocutor
    engagement: Engagement
    secret_engagement: Engagement
    handed: PrisonerList  # public, handed over: liu (public entry) and hidden (restricted entry)
    draft: PrisonerList  # public draft with tashi
    secret_list: PrisonerList  # restricted, to the restricted interlocutor
    liu_entry: ListEntry
    hidden_entry: ListEntry
    response: Response  # public answer about liu
    secret_response: Response
    outcome: Outcome
    secret_outcome: Outcome
    letter: Source  # a public official letter answering the list


def person(by: Any, names: list[str], *, level: int = PUBLIC, **fields: Any) -> Person:
    return dossiers.person_create(
        names=[
            {"text": n, "kind": "main" if i == 0 else "alias", "confidentiality": level}
            for i, n in enumerate(names)
        ],
        unsourced=True,
        by=by,
        confidentiality=level,
        **fields,
    )


def detain(by: Any, who: Person, *, started: str, place: Any = None, **sentence: Any) -> None:
    detention = dossiers.detention_record(
        person=who, started=started, place=place, unsourced=True, by=by, measure="formal_arrest"
    )
    if sentence:
        dossiers.sentence_record(detention=detention, unsourced=True, by=by, **sentence)
    dossiers.status_record(person=who, status="detained", date=started, unsourced=True, by=by)


LETTER = (
    "Ministry of Justice, reply of 2 May 2026 to the list of 1 March 2026 (a fictional letter).\n"
    "Liu Mingde is serving his sentence in Chishui Prison and is in good health.\n"
    "Other names on the list are not known to this ministry."
)


def build_world(by: Any) -> World:
    prison = place_create(
        names=["Chishui Prison", "赤水监狱"], by=by, province="Guizhou", confidentiality=PUBLIC
    )
    liu = person(by, ["Liu Mingde", "刘明德"], summary_public="A teacher detained for an essay.")
    detain(
        by, liu, started="2015-03-05", place=prison, kind="fixed", term_months=132, term_starts="2015-03-05"
    )
    tashi = person(by, ["Tashi Dorje", "扎西多杰"], summary_public="A monk sentenced to death with reprieve.")
    detain(by, tashi, started="2012-06", kind="death_reprieve")
    hidden = person(by, [SECRET_NAME, SECRET_HANZI], level=RESTRICTED, summary_public=SECRET_SUMMARY)
    detain(by, hidden, started="2019-01-10")
    ministry = services.interlocutor_create(
        name="Ministry of Justice",
        name_local="司法部",
        kind="ministry",
        country="CN",
        by=by,
        confidentiality=PUBLIC,
    )
    secret_interlocutor = services.interlocutor_create(
        name=f"Bureau {SECRET_INTERLOCUTOR}", by=by, confidentiality=RESTRICTED
    )
    report, _ = source_store(
        text="The 2026 human rights dialogue round took place in Geneva on 1 March 2026 (fictional).",
        title="Dialogue round report",
        publisher="Test Wire",
        by=by,
        confidentiality=PUBLIC,
    )
    engagement = services.engagement_create(
        kind="dialogue_round",
        title="Human rights dialogue, 2026 round",
        interlocutor=ministry,
        date="2026-03-01",
        location="Geneva",
        notes=INTERNAL_ENGAGEMENT_NOTE,
        citations=[citation_for_quote(source=report, quote="took place in Geneva on 1 March 2026")],
        by=by,
        confidentiality=PUBLIC,
    )
    secret_report, _ = source_store(
        text=f"Memo {SECRET_SOURCE}: a private meeting was held.",
        title=f"Memo {SECRET_SOURCE}",
        by=by,
        confidentiality=RESTRICTED,
    )
    secret_engagement = services.engagement_create(
        kind="meeting",
        title=f"Meeting {SECRET_ENGAGEMENT}",
        interlocutor=secret_interlocutor,
        citations=[citation_for_quote(source=secret_report, quote="a private meeting was held")],
        by=by,
        confidentiality=RESTRICTED,
    )
    handed = services.list_create(
        title="Dialogue round list 2026",
        interlocutor=ministry,
        engagement=engagement,
        notes=INTERNAL_LIST_NOTE,
        by=by,
        confidentiality=PUBLIC,
    )
    liu_entry = services.entry_add(
        prisoner_list=handed,
        person=liu,
        requests=["release", "family_visit"],
        case_summary="Liu Mingde, a teacher, was sentenced to 11 years for an essay.",
        internal_note=INTERNAL_NOTE,
        by=by,
    )
    hidden_entry = services.entry_add(
        prisoner_list=handed, person=hidden, requests=["information"], case_summary=SECRET_SUMMARY, by=by
    )
    handed = services.list_hand_over(prisoner_list=handed, handed_over="2026-03-01", by=by)
    liu_entry, hidden_entry = (ListEntry.objects.get(pk=e.pk) for e in (liu_entry, hidden_entry))
    letter, _ = source_store(
        text=LETTER,
        title="Reply of the Ministry of Justice, May 2026",
        publisher="Ministry of Justice",
        kind=SourceKind.GOVERNMENT_RESPONSE,
        by=by,
        confidentiality=PUBLIC,
    )
    response = services.response_record(
        entry=liu_entry,
        type="information_provided",
        received="2026-05-02",
        source=letter,
        quote="Liu Mingde is serving his sentence in Chishui Prison and is in good health.",
        by=by,
    )
    secret_response = services.response_record(
        entry=liu_entry,
        type="token_response",
        received="2026-06",
        text=f"Oral answer {SECRET_RESPONSE}",
        confidentiality=RESTRICTED,
        by=by,
    )
    outcome = services.outcome_record(
        person=liu,
        kind="family_visit",
        date="2026-07",
        note="His wife saw him for an hour.",
        unsourced=True,
        entries=[liu_entry],
        responses=[response],
        by=by,
    )
    secret_outcome = services.outcome_record(
        person=liu,
        kind="improved_treatment",
        note=f"Moved to a cell with a window {SECRET_OUTCOME}",
        unsourced=True,
        entries=[liu_entry],
        confidentiality=RESTRICTED,
        by=by,
    )
    draft = services.list_create(
        title="Letter to the court, draft", interlocutor=ministry, by=by, confidentiality=PUBLIC
    )
    services.entry_add(prisoner_list=draft, person=tashi, requests=["commutation"], by=by)
    secret_list = services.list_create(
        title=f"List {SECRET_LIST}",
        interlocutor=secret_interlocutor,
        engagement=secret_engagement,
        by=by,
        confidentiality=RESTRICTED,
    )
    services.entry_add(prisoner_list=secret_list, person=liu, requests=["release"], by=by)
    return World(
        liu=liu,
        tashi=tashi,
        hidden=hidden,
        ministry=ministry,
        secret_interlocutor=secret_interlocutor,
        engagement=engagement,
        secret_engagement=secret_engagement,
        handed=handed,
        draft=draft,
        secret_list=secret_list,
        liu_entry=liu_entry,
        hidden_entry=hidden_entry,
        response=response,
        secret_response=secret_response,
        outcome=outcome,
        secret_outcome=secret_outcome,
        letter=letter,
    )


@pytest.fixture
def world(researcher) -> World:
    return build_world(researcher)


def html_of(response) -> str:
    return response.content.decode()


# -- lists -----------------------------------------------------------------------------------------
def test_lists_page_counts_visible_entries_and_answers(client_for, viewer, researcher, world):
    html = html_of(client_for(viewer).get(reverse("web:dialogue_lists")))
    rows = re.findall(
        r'<a href="/dialogue/lists/(\d+)/">([^<]+)</a>.*?"number">(\d+)</td>\s*<td[^>]*>(\d+)<', html, re.S
    )
    assert {(int(pk), title, persons, answered) for pk, title, persons, answered in rows} == {
        (world.handed.pk, "Dialogue round list 2026", "1", "1"),  # the restricted entry is not counted
        (world.draft.pk, "Letter to the court, draft", "1", "0"),
    }
    html = html_of(client_for(researcher).get(reverse("web:dialogue_lists"), {"status": "draft"}))
    assert "Letter to the court, draft" in html and "Dialogue round list 2026" not in html


def test_list_page_shows_names_in_both_scripts_requests_responses_and_outcomes(client_for, researcher, world):
    html = html_of(client_for(researcher).get(reverse("web:dialogue_list", args=[world.handed.pk])))
    assert "Liu Mingde" in html and "刘明德" in html
    assert "release; family visit" in html
    assert "11 years" in html and "Chishui Prison" in html
    assert "Liu Mingde, a teacher, was sentenced to 11 years for an essay." in html
    assert "information provided" in html and "Reply of the Ministry of Justice, May 2026" in html
    assert "family visit granted" in html and "His wife saw him for an hour." in html
    # Cleared for everything: the restricted entry, answer and outcome, and the internal note.
    assert (
        SECRET_NAME in html and SECRET_RESPONSE in html and SECRET_OUTCOME in html and INTERNAL_NOTE in html
    )
    # Handed over: answers are recorded, nobody is taken off it.
    assert reverse("web:dialogue_response_add", args=[world.liu_entry.pk]) in html
    assert reverse("web:dialogue_entry_remove", args=[world.liu_entry.pk]) not in html


def test_list_page_reads_a_fixed_number_of_queries(
    client_for, researcher, world, django_assert_max_num_queries
):
    client = client_for(researcher)
    url = reverse("web:dialogue_list", args=[world.handed.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    # Read now: the next request empties the connection's query log.
    baseline = len(few.captured_queries)
    for i in range(8):
        extra = person(researcher, [f"Extra Person {i}", f"额外{i}"])
        detain(researcher, extra, started="2020-01", kind="fixed", term_months=24)
        services.entry_add(prisoner_list=world.draft, person=extra, requests=["information"], by=researcher)
    url = reverse("web:dialogue_list", args=[world.draft.pk])
    client.get(url)
    with django_assert_max_num_queries(baseline):
        html = html_of(client.get(url))
    assert "Extra Person 7" in html and "额外7" in html


def test_a_viewer_sees_no_edit_links_and_no_internal_notes(client_for, viewer, world):
    html = html_of(client_for(viewer).get(reverse("web:dialogue_list", args=[world.handed.pk])))
    assert "Liu Mingde" in html and INTERNAL_NOTE not in html and INTERNAL_LIST_NOTE not in html
    assert "Record a response" not in html and "Edit list" not in html
    assert "/export/pdf/" in html  # reading includes the export of what one may read


def test_create_a_list_by_hand_then_add_a_person_found_by_name_in_characters(client_for, researcher, world):
    client = client_for(researcher)
    response = client.post(
        reverse("web:dialogue_list_new"),
        {"title": "Letter to Guizhou", "interlocutor": world.ministry.pk, "confidentiality": PUBLIC},
    )
    plist = PrisonerList.objects.get(title="Letter to Guizhou")
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:dialogue_list", args=[plist.pk]
    )
    assert plist.status == ListStatus.DRAFT and plist.created_by == researcher

    add = reverse("web:dialogue_entry_add", args=[plist.pk])
    html = html_of(client.get(add, {"q": "刘明德"}))
    assert "Liu Mingde 刘明德" in html and "Tashi" not in html
    response = client.post(
        add,
        {
            "q": "刘明德",
            "person": world.liu.pk,
            "requests": ["medical_parole", "lawyer_access"],
            "case_summary": "A teacher; his health is poor.",
            "internal_note": "Ask his wife first.",
        },
    )
    assert response.status_code == 302
    entry = ListEntry.objects.get(prisoner_list=plist)
    assert entry.person == world.liu and entry.requests == ["medical_parole", "lawyer_access"]
    assert (
        entry.case_summary == "A teacher; his health is poor."
        and entry.internal_note == "Ask his wife first."
    )


def test_adding_a_person_not_among_the_results_is_refused(client_for, researcher, world):
    client = client_for(researcher)
    add = reverse("web:dialogue_entry_add", args=[world.draft.pk])
    response = client.post(add, {"q": "Liu", "person": world.tashi.pk, "requests": ["information"]})
    assert response.status_code == 200 and "Pick one of the persons found." in html_of(response)
    assert not ListEntry.objects.filter(prisoner_list=world.draft, person=world.liu).exists()


def test_adding_a_restricted_person_is_refused_to_a_reader_without_clearance(
    client_for, reviewer, admin_user, world
):
    # An admin cleared only for internal records cannot put a restricted person on a list, by id.
    admin_user.clearance = INTERNAL
    admin_user.save()
    response = client_for(admin_user).post(
        reverse("web:dialogue_entry_add", args=[world.draft.pk]),
        {"person": world.hidden.pk, "requests": ["information"]},
    )
    assert response.status_code == 200 and SECRET_NAME not in html_of(response)
    assert not ListEntry.objects.filter(prisoner_list=world.draft, person=world.hidden).exists()


def test_a_list_built_from_the_person_list_query_takes_every_match_and_keeps_the_query(
    client_for, researcher, world
):
    client = client_for(researcher)
    # The person list links here with its query string (the page number left out).
    query = "q=liu&status=detained&page=3"
    html = html_of(client.get(reverse("web:dialogue_list_new"), {"query": query}))
    assert "The search finds 1 person you may see" in html
    assert 'value="q=liu&amp;status=detained"' in html  # the hidden query, without the page
    response = client.post(
        reverse("web:dialogue_list_new"),
        {
            "query": "q=liu&status=detained",
            "title": "Teachers",
            "interlocutor": world.ministry.pk,
            "engagement": world.engagement.pk,
            "confidentiality": PUBLIC,
            "requests": ["release"],
            "save_as": "detained teachers",
        },
    )
    plist = PrisonerList.objects.get(title="Teachers")
    assert response.status_code == 302
    entries = list(plist.entries.all())
    assert [e.person for e in entries] == [world.liu] and entries[0].requests == ["release"]
    assert entries[0].case_summary == "A teacher detained for an essay."  # the dossier's public summary
    saved = SavedQuery.objects.get(owner=researcher, name="detained teachers")
    assert saved.query == "q=liu&status=detained" and plist.built_from == saved


def test_a_bad_query_is_named_and_nothing_is_created(client_for, researcher, world):
    client = client_for(researcher)
    data = {
        "query": "since=yesterday",
        "title": "Bad",
        "interlocutor": world.ministry.pk,
        "confidentiality": 0,
    }
    data["requests"] = ["information"]
    html = html_of(client.post(reverse("web:dialogue_list_new"), data))
    assert "the query cannot be used" in html and "since" in html
    assert not PrisonerList.objects.filter(title="Bad").exists()


def test_the_person_list_offers_editors_a_list_from_its_results(client_for, researcher, viewer, world):
    html = html_of(client_for(researcher).get(reverse("web:person_list"), {"q": "liu", "page": "1"}))
    assert "Make a prisoner list from these results" in html
    assert f"{reverse('web:dialogue_list_new')}?query=q%3Dliu%26page%3D1" in html
    html = html_of(client_for(viewer).get(reverse("web:person_list"), {"q": "liu"}))
    assert "Make a prisoner list from these results" not in html


def test_an_interlocutor_hidden_from_the_user_is_not_offered_nor_accepted(client_for, admin_user, world):
    admin_user.clearance = INTERNAL
    admin_user.save()
    client = client_for(admin_user)
    html = html_of(client.get(reverse("web:dialogue_list_new")))
    assert "Ministry of Justice" in html and SECRET_INTERLOCUTOR not in html
    data = {"title": "Sneaky", "interlocutor": world.secret_interlocutor.pk, "confidentiality": PUBLIC}
    html = html_of(client.post(reverse("web:dialogue_list_new"), data))
    assert "Select a valid choice" in html and not PrisonerList.objects.filter(title="Sneaky").exists()


def test_edit_list_and_a_stale_version_is_refused(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_list_edit", args=[world.draft.pk])
    data = {"title": "Letter to the court", "interlocutor": world.ministry.pk, "confidentiality": PUBLIC}
    assert client.post(url, {**data, "version": world.draft.version}).status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.title == "Letter to the court"
    response = client.post(url, {**data, "title": "Stale", "version": world.draft.version - 1})
    assert response.status_code == 409 and "changed by someone else" in html_of(response)


def test_entries_edit_and_remove_while_draft(client_for, researcher, world):
    client = client_for(researcher)
    entry = world.draft.entries.get()
    url = reverse("web:dialogue_entry_edit", args=[entry.pk])
    response = client.post(
        url,
        {
            "requests": ["commutation", "family_visit"],
            "case_summary": HOSTILE,
            "internal_note": "n",
            "confidentiality": 0,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.requests == ["commutation", "family_visit"] and entry.case_summary == HOSTILE
    html = html_of(client.get(reverse("web:dialogue_list", args=[world.draft.pk])))
    assert HOSTILE not in html and "&lt;script&gt;" in html
    assert client.post(reverse("web:dialogue_entry_remove", args=[entry.pk])).status_code == 302
    assert not world.draft.entries.exists()
    assert client.get(reverse("web:dialogue_entry_remove", args=[entry.pk])).status_code == 405


def test_a_handed_over_entry_keeps_what_the_recipient_received(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_entry_edit", args=[world.liu_entry.pk])
    response = client.post(
        url,
        {
            "requests": ["information"],
            "case_summary": "rewritten",
            "internal_note": "follow up",
            "confidentiality": 0,
        },
    )
    assert response.status_code == 302
    world.liu_entry.refresh_from_db()
    assert world.liu_entry.requests == [
        "release",
        "family_visit",
    ] and world.liu_entry.case_summary.startswith("Liu")
    assert world.liu_entry.internal_note == "follow up"
    # Taking someone off a handed-over list is refused, with the reason.
    response = client.post(reverse("web:dialogue_entry_remove", args=[world.liu_entry.pk]), follow=True)
    assert "handed over" in html_of(response) and ListEntry.objects.filter(pk=world.liu_entry.pk).exists()


def test_hand_over_needs_a_date_and_an_entry(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_list_hand_over", args=[world.draft.pk])
    assert "This field is required" in html_of(client.post(url, {"handed_over": ""}))
    assert "is not a date we can read" in html_of(client.post(url, {"handed_over": "soon"}))
    assert client.post(url, {"handed_over": "2026-11-20"}).status_code == 302
    world.draft.refresh_from_db()
    assert (
        world.draft.status == ListStatus.HANDED_OVER and world.draft.handed_over.isoformat() == "2026-11-20"
    )
    empty = services.list_create(title="Empty", interlocutor=world.ministry, by=researcher)
    html = html_of(
        client.post(reverse("web:dialogue_list_hand_over", args=[empty.pk]), {"handed_over": "2026"})
    )
    assert "empty list cannot be handed over" in html


# -- responses and outcomes ------------------------------------------------------------------------
def test_record_a_response_typed_in_stores_it_as_an_official_source_and_offers_its_facts(
    client_for, researcher, world
):
    client = client_for(researcher)
    url = reverse("web:dialogue_response_add", args=[world.liu_entry.pk])
    html = html_of(client.get(url))
    assert "Record a response about Liu Mingde" in html and 'class="cite-picker"' in html
    response = client.post(
        url,
        {
            "type": "favourable_result",
            "received": "2026-09-10",
            "text": "Liu Mingde's sentence was reduced by one year; he will be released in March 2025.",
            "status": "detained",
            "sentence": "10 years",
            "expected_release": "2025-03",
            "place": "Chishui Prison",
            "confidentiality": PUBLIC,
        },
    )
    assert response.status_code == 302
    answer = Response.objects.get(entry=world.liu_entry, type="favourable_result")
    assert answer.source.kind == SourceKind.GOVERNMENT_RESPONSE and answer.source.official
    assert answer.citation.quote.startswith("Liu Mingde's sentence was reduced")
    assert answer.facts["sentence"] == {"kind": "fixed", "months": 120}
    assert answer.review_run is not None  # the facts wait in the review queue
    html = html_of(client.get(reverse("web:dialogue_list", args=[world.handed.pk])))
    assert "favourable result" in html and "sentence: 10 years" in html


def test_record_a_response_citing_words_of_a_letter_already_stored(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_response_add", args=[world.liu_entry.pk])
    words = "Other names on the list are not known to this ministry."
    response = client.post(
        url,
        {
            "type": "person_unknown",
            "received": "2026-05-02",
            "cite-source": world.letter.pk,
            "cite-quote": words,
            "confidentiality": 0,
        },
    )
    assert response.status_code == 302
    answer = Response.objects.get(type="person_unknown")
    assert answer.source == world.letter and answer.citation.quote == words


def test_a_response_without_words_source_or_the_unsourced_box_is_refused(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_response_add", args=[world.liu_entry.pk])
    before = Response.objects.count()
    html = html_of(client.post(url, {"type": "information_provided", "confidentiality": 0}))
    assert "an answer needs its words or its source" in html and Response.objects.count() == before
    html = html_of(client.post(url, {"type": "no_response", "received": "2025-01", "confidentiality": 0}))
    assert "before the list was handed over" in html and Response.objects.count() == before
    assert client.post(url, {"type": "no_response", "confidentiality": 0}).status_code == 302


def test_a_response_cannot_be_recorded_on_a_draft_list(client_for, researcher, world):
    entry = world.draft.entries.get()
    url = reverse("web:dialogue_response_add", args=[entry.pk])
    html = html_of(client_for(researcher).post(url, {"type": "no_response", "confidentiality": 0}))
    assert "has not been handed over" in html and not Response.objects.filter(entry=entry).exists()


def test_record_an_outcome_linked_to_the_response_that_preceded_it(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_outcome_add", args=[world.liu_entry.pk])
    html = html_of(client.get(url))
    assert "Record an outcome for Liu Mingde" in html and "information provided" in html
    response = client.post(
        url,
        {
            "kind": "sentence_reduction",
            "date": "2026-10",
            "new_expected_release": "2025-03-05",
            "note": "One year off.",
            "responses": [world.response.pk],
            "cite-source": world.letter.pk,
            "cite-quote": "Liu Mingde is serving his sentence",
            "confidentiality": PUBLIC,
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(kind="sentence_reduction")
    assert list(outcome.entries.all()) == [world.liu_entry] and list(outcome.responses.all()) == [
        world.response
    ]
    assert (
        outcome.new_expected_release.isoformat() == "2025-03-05" and outcome.citation.source == world.letter
    )


def test_an_outcome_needs_a_source_or_the_unsourced_box_and_a_release_only_when_it_changes(
    client_for, researcher, world
):
    client = client_for(researcher)
    url = reverse("web:dialogue_outcome_add", args=[world.liu_entry.pk])
    html = html_of(client.post(url, {"kind": "release", "confidentiality": 0}))
    assert "entered without a source" in html and not Outcome.objects.filter(kind="release").exists()
    data = {"kind": "parole", "new_expected_release": "2027", "cite-unsourced": "on", "confidentiality": 0}
    html = html_of(client.post(url, data))
    assert (
        "Only a sentence reduction or a commutation" in html
        and not Outcome.objects.filter(kind="parole").exists()
    )


def test_responses_from_csv_all_or_none_with_row_errors(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_responses_upload", args=[world.handed.pk])
    before = Response.objects.count()
    bad = (
        "entry,type,received,text\n"
        f"{world.liu_entry.pk},information_provided,2026-06-01,He is held in Chishui Prison.\n"
        f"{world.liu_entry.pk},made up type,2026-06-01,x\n"
        f"99999,no_response,,\n"
    )
    response = client.post(url, {"upload": SimpleUploadedFile("answers.csv", bad.encode(), "text/csv")})
    html = html_of(response)
    assert response.status_code == 400 and "Nothing was imported." in html
    assert re.search(r">3</td><td>type</td><td>[^<]*made up type", html)
    assert re.search(r">4</td><td>entry</td><td>99999 is not on the list", html)
    assert Response.objects.count() == before  # the good row was not written either
    good = f"entry,type,received,text\n{world.liu_entry.pk},information_provided,2026-06-01,In prison.\n"
    response = client.post(url, {"upload": SimpleUploadedFile("answers.csv", good.encode(), "text/csv")})
    assert response.status_code == 302 and Response.objects.count() == before + 1


def test_a_csv_that_is_not_text_is_refused_with_its_reason(client_for, researcher, world):
    url = reverse("web:dialogue_responses_upload", args=[world.handed.pk])
    upload = SimpleUploadedFile("answers.csv", b"\xff\xfe\x00bad", "text/csv")
    html = html_of(client_for(researcher).post(url, {"upload": upload}))
    assert "not UTF-8" in html


# -- exports ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("csv", "text/csv"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_export_downloads_as_an_attachment(client_for, viewer, world, fmt, content_type):
    response = client_for(viewer).get(reverse("web:dialogue_list_export", args=[world.handed.pk, fmt]))
    assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
    name = f"prisoner-list-{world.handed.pk}-Dialogue-round-list-2026.{fmt}"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_export_of_an_unknown_format_is_404(client_for, researcher, world):
    response = client_for(researcher).get(reverse("web:dialogue_list_export", args=[world.handed.pk, "exe"]))
    assert response.status_code == 404


# -- engagements and interlocutors -----------------------------------------------------------------
def test_engagements_list_and_detail_with_citation_and_lists(client_for, viewer, world):
    client = client_for(viewer)
    html = html_of(client.get(reverse("web:dialogue_engagements")))
    assert "Human rights dialogue, 2026 round" in html and "Ministry of Justice" in html
    html = html_of(client.get(reverse("web:dialogue_engagement", args=[world.engagement.pk])))
    assert "Geneva" in html and "took place in Geneva on 1 March 2026" in html
    assert "Dialogue round list 2026" in html and INTERNAL_ENGAGEMENT_NOTE not in html


def test_create_an_engagement_citing_a_source_or_entered_without_one(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_engagement_new")
    data = {
        "kind": "letter",
        "title": "Letter of 3 June",
        "date": "2026-06-03",
        "interlocutor": world.ministry.pk,
    }
    data["confidentiality"] = PUBLIC
    html = html_of(client.post(url, data))
    assert (
        "entered without a source" in html
        and not Engagement.objects.filter(title="Letter of 3 June").exists()
    )
    response = client.post(
        url, {**data, "cite-source": world.letter.pk, "cite-quote": "Other names on the list"}
    )
    engagement = Engagement.objects.get(title="Letter of 3 June")
    assert response.status_code == 302 and engagement.citations.get().quote == "Other names on the list"
    response = client.post(
        url, {**data, "title": "Meeting in Beijing", "kind": "meeting", "cite-unsourced": "on"}
    )
    assert Engagement.objects.get(title="Meeting in Beijing").unsourced_by == researcher


def test_edit_an_engagement(client_for, researcher, world):
    client = client_for(researcher)
    url = reverse("web:dialogue_engagement_edit", args=[world.engagement.pk])
    html = html_of(client.get(url))
    assert 'value="Human rights dialogue, 2026 round"' in html
    data = {"kind": "dialogue_round", "title": "Dialogue, 2026", "date": "2026-03", "confidentiality": PUBLIC}
    response = client.post(
        url, {**data, "version": world.engagement.version, "interlocutor": world.ministry.pk}
    )
    assert response.status_code == 302
    world.engagement.refresh_from_db()
    assert world.engagement.title == "Dialogue, 2026" and world.engagement.date.isoformat() == "2026-03"


def test_create_an_interlocutor_and_return_to_the_list_form(client_for, researcher, world):
    client = client_for(researcher)
    back = reverse("web:dialogue_list_new") + "?query=q%3Dliu"
    url = reverse("web:dialogue_interlocutor_new")
    data = {
        "name": "Guizhou High People's Court",
        "kind": "court",
        "country": "cn",
        "confidentiality": PUBLIC,
    }
    response = client.post(url, {**data, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Interlocutor.objects.get(name="Guizhou High People's Court").country == "CN"
    # Somewhere else than our own pages is never a place to go back to.
    response = client.post(url, {**data, "name": "Another", "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:dialogue_lists")
    html = html_of(client.post(url, {**data, "country": "China"}))
    assert "Ensure this value has at most 2 characters" in html or "ISO" in html


# -- selection helpers -----------------------------------------------------------------------------
def test_suggestions_offer_the_persons_never_asked_about_with_a_link_to_add_them(
    client_for, researcher, world
):
    client = client_for(researcher)
    plist = services.list_create(
        title="New round", interlocutor=world.ministry, by=researcher, confidentiality=PUBLIC
    )
    html = html_of(
        client.get(reverse("web:dialogue_list_suggestions", args=[plist.pk]), {"kind": "never_asked"})
    )
    assert "Tashi Dorje" in html  # on a draft list only: never handed over
    assert "Liu Mingde" not in html  # asked about on the handed-over list
    add = reverse("web:dialogue_entry_add", args=[plist.pk]) + f"?person={world.tashi.pk}"
    assert add in html
    html = html_of(client.get(add))
    assert "Tashi Dorje 扎西多杰" in html and "checked" in html
    response = client.post(
        reverse("web:dialogue_entry_add", args=[plist.pk]),
        {"person": world.tashi.pk, "requests": ["commutation"]},
    )
    assert response.status_code == 302 and plist.entries.get().person == world.tashi


def test_suggestions_at_risk_list_death_sentences(client_for, researcher, world):
    html = html_of(
        client_for(researcher).get(
            reverse("web:dialogue_list_suggestions", args=[world.draft.pk]), {"kind": "at_risk"}
        )
    )
    assert "Tashi Dorje" in html and "death sentence" in html and "on this list" in html


# -- statistics and alerts -------------------------------------------------------------------------
def test_statistics_count_what_the_reader_may_see_and_draw_svg_charts(client_for, viewer, researcher, world):
    html = html_of(client_for(viewer).get(reverse("web:dialogue_statistics")))
    assert re.search(r'class="lists-handed">1\b', html) and re.search(r'class="persons-asked">1\b', html)
    assert re.search(r'class="outcomes">1, for 1 person', html)  # the restricted outcome is not counted
    assert '<svg viewBox="0 0 560' in html and "<script" not in html.split("</header>")[1]
    assert "Response rate, by interlocutor" in html and "100% (1/1)" in html
    html = html_of(client_for(researcher).get(reverse("web:dialogue_statistics")))
    assert re.search(r'class="persons-asked">2\b', html) and re.search(
        r'class="outcomes">2, for 1 person', html
    )


def test_statistics_change_when_a_response_and_an_outcome_are_recorded(client_for, researcher, world):
    client = client_for(researcher)
    tashi_entry = world.draft.entries.get()
    services.list_hand_over(prisoner_list=world.draft, handed_over="2026-10-01", by=researcher)
    before = html_of(client.get(reverse("web:dialogue_statistics")))
    assert re.search(r'class="lists-handed">2\b', before)
    assert re.search(r'class="persons-answered">1\b', before)
    services.response_record(
        entry=ListEntry.objects.get(pk=tashi_entry.pk),
        type="favourable_result",
        text="Commuted.",
        by=researcher,
    )
    services.outcome_record(person=world.tashi, kind="commutation", unsourced=True, by=researcher)
    after = html_of(client.get(reverse("web:dialogue_statistics")))
    assert re.search(r'class="persons-answered">2\b', after)
    assert re.search(r'class="outcomes">3, for 2 persons', after)


def test_statistics_chart_labels_are_escaped(client_for, researcher, world):
    Interlocutor.objects.filter(pk=world.ministry.pk).update(name=HOSTILE)
    html = html_of(client_for(researcher).get(reverse("web:dialogue_statistics")))
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_alerts_take_a_number_of_days_and_report_a_bad_one(client_for, researcher, world):
    client = client_for(researcher)
    html = html_of(client.get(reverse("web:dialogue_alerts"), {"days": "45", "list_days": "30"}))
    assert "Expected release within 45 days" in html and "Lists with no answer after 30 days" in html
    html = html_of(client.get(reverse("web:dialogue_alerts"), {"days": "-3"}))
    assert "Expected release within 30 days" in html and "greater than or equal to 1" in html


def test_saving_an_engagement_keeps_an_interlocutor_the_editor_may_not_see(
    client_for, admin_user, researcher, world
):
    engagement = services.engagement_create(
        kind="letter",
        title="Letter via the bureau",
        interlocutor=world.secret_interlocutor,
        unsourced=True,
        by=researcher,
        confidentiality=INTERNAL,
    )
    admin_user.clearance = INTERNAL
    admin_user.save()
    client = client_for(admin_user)
    url = reverse("web:dialogue_engagement_edit", args=[engagement.pk])
    html = html_of(client.get(url))
    assert SECRET_INTERLOCUTOR not in html
    data = {
        "kind": "letter",
        "title": "Letter via the bureau, sent",
        "confidentiality": INTERNAL,
        "interlocutor": "",
    }
    assert client.post(url, {**data, "version": engagement.version}).status_code == 302
    engagement.refresh_from_db()
    assert engagement.title.endswith("sent") and engagement.interlocutor == world.secret_interlocutor


def test_a_saved_search_is_offered_for_the_next_list_and_sets_what_it_was_built_from(
    client_for, researcher, world
):
    saved = services.saved_query_save(owner=researcher, name="Held in Guizhou", query="place=Chishui")
    client = client_for(researcher)
    html = html_of(client.get(reverse("web:dialogue_list_new")))
    link = f"{reverse('web:dialogue_list_new')}?query=place%3DChishui&amp;save_as=Held%20in%20Guizhou"
    assert link in html
    html = html_of(client.get(link.replace("&amp;", "&")))
    assert "The search finds 1 person" in html and 'value="Held in Guizhou"' in html
    data = {
        "query": "place=Chishui",
        "title": "Guizhou",
        "interlocutor": world.ministry.pk,
        "confidentiality": 0,
    }
    client.post(
        reverse("web:dialogue_list_new"), {**data, "requests": ["release"], "save_as": "Held in Guizhou"}
    )
    plist = PrisonerList.objects.get(title="Guizhou")
    assert plist.built_from == saved and [e.person for e in plist.entries.all()] == [world.liu]


def test_the_persons_a_search_finds_are_added_to_a_draft_list_already_begun(client_for, researcher, world):
    client = client_for(researcher)
    html = html_of(client.get(reverse("web:dialogue_list_new"), {"query": "q=liu"}))
    assert "Or add these persons to a draft list" in html and "Letter to the court, draft" in html
    assert "Dialogue round list 2026" not in html.split("Or add these persons")[1]  # handed over: not a draft
    url = reverse("web:dialogue_list_build")
    data = {"add-query": "q=liu", "add-prisoner_list": world.draft.pk, "add-requests": ["family_visit"]}
    response = client.post(url, data, follow=True)
    assert "1 persons added from the query (0 were on the list already)." in html_of(response)
    assert world.draft.entries.get(person=world.liu).requests == ["family_visit"]
    response = client.post(url, {**data, "add-prisoner_list": world.handed.pk}, follow=True)
    assert "Select a valid choice" in html_of(response)
    assert client.get(url).status_code == 405

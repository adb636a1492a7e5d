"""Edit pages: creating a person, adding every kind of fact with a cited span (selected or pasted) or
explicitly without a source, the clearance of the source, hostile input, roles and CSRF."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers import services
from habeas.dossiers.models import (
    Allegation,
    Charge,
    Detention,
    HealthNote,
    LegalStep,
    Person,
    PersonName,
    Sentence,
    SentenceChange,
    StatusChange,
)
from habeas.lib.dates import PartialDate
from habeas.places.models import Place
from habeas.sources.models import Citation, Source
from habeas.sources.services import source_store

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT = (
    "Fictional wire, 2016. Gao Ming (高明), a lawyer from Linyi, was taken by police on 9 July 2015\n"
    "and held at the Linyi detention centre. In 2016 a court sentenced him to four years and six months."
)


@pytest.fixture
def source(researcher) -> Source:
    return source_store(text=TEXT, title="Lawyer detained", publisher="Harbour Wire", by=researcher)[0]


@pytest.fixture
def secret_source(admin_user) -> Source:
    return source_store(
        text="Restricted memo: Gao Ming was moved to a secret site.",
        title="Secret memo",
        publisher="Harbour Wire",
        confidentiality=RESTRICTED,
        by=admin_user,
    )[0]


@pytest.fixture
def person(researcher) -> Person:
    return services.person_create(
        names=["Gao Ming", "高明"], unsourced=True, by=researcher, confidentiality=INTERNAL
    )


@pytest.fixture
def place(admin_user) -> Place:
    return Place.objects.create(
        name="Linyi Detention Centre", kind="detention_centre", confidentiality=PUBLIC
    )


@pytest.fixture
def as_user(client):
    def sign_in(user) -> Client:
        client.force_login(user)
        return client

    return sign_in


def span(words: str, text: str = TEXT) -> dict[str, Any]:
    start = text.index(words)
    return {"cite-start": start, "cite-end": start + len(words), "cite-selected": words}


def cited(source: Source, words: str) -> dict[str, Any]:
    return {"cite-source": source.pk, **span(words, source.text)}


def html(response) -> str:
    return response.content.decode()


def add_url(person: Person, kind: str) -> str:
    return reverse("web:person_add", args=[person.pk, kind])


# -- adding a detention with a selected span -------------------------------------------------------
def test_add_detention_citing_a_selected_span(as_user, researcher, person, source, place):
    client = as_user(researcher)
    page = client.get(add_url(person, "detention"))
    assert page.status_code == 200
    assert f'data-draft="{add_url(person, "detention")}"' in html(page) and "data-draft-restore" in html(page)
    words = "taken by police on 9 July 2015"
    response = client.post(
        add_url(person, "detention"),
        {
            "started": "2015-07-09",
            "measure": "criminal_detention",
            "place": place.pk,
            "confidentiality": INTERNAL,
            **cited(source, words),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:person_detail", args=[person.pk]
    )
    detention = Detention.objects.get(person=person)
    assert detention.started == PartialDate(2015, 7, 9) and detention.place == place
    assert detention.citation.quote == words and detention.citation.source == source
    assert detention.unsourced_by is None and detention.created_by == researcher
    assert History.objects.filter(object_id=detention.pk, action="create", user=researcher).exists()
    dossier = html(client.get(response["Location"]))
    assert words in dossier and "Linyi Detention Centre" in dossier
    # The message names the form whose draft web/edit.js then drops.
    assert f'data-draft-saved="{add_url(person, "detention")}"' in dossier


def test_the_span_is_checked_against_the_source_text(as_user, researcher, person, source):
    client = as_user(researcher)
    bad = {**cited(source, "taken by police"), "cite-selected": "taken by soldiers"}
    response = client.post(add_url(person, "detention"), {"measure": "unknown", "confidentiality": 1, **bad})
    assert response.status_code == 200
    assert "do not match the source text" in html(response)
    past_end = {"cite-source": source.pk, "cite-start": 10, "cite-end": len(TEXT) + 5}
    response = client.post(
        add_url(person, "detention"), {"measure": "unknown", "confidentiality": 1, **past_end}
    )
    assert "runs past the end of the source" in html(response)
    assert not Detention.objects.exists() and not Citation.objects.exists()


def test_a_span_with_a_line_break_sent_as_crlf_by_the_browser_is_accepted(
    as_user, researcher, person, source
):
    words = "9 July 2015\nand held"
    data = {**cited(source, words), "cite-selected": words.replace("\n", "\r\n")}
    response = as_user(researcher).post(
        add_url(person, "detention"), {"measure": "unknown", "confidentiality": 1, **data}
    )
    assert response.status_code == 302
    assert Detention.objects.get().citation.quote == words


# -- the pasted quote (no JavaScript) -------------------------------------------------------------
def test_a_pasted_quote_is_found_in_the_source_even_with_other_line_breaks(
    as_user, researcher, person, source
):
    pasted = "9 July 2015 and held at the Linyi  detention centre"
    response = as_user(researcher).post(
        add_url(person, "health"),
        {"condition": "unknown", "confidentiality": 1, "cite-source": source.pk, "cite-quote": pasted},
    )
    assert response.status_code == 302
    quote = HealthNote.objects.get().citation.quote
    assert quote == "9 July 2015\nand held at the Linyi detention centre"


def test_a_quote_that_is_not_in_the_source_is_refused_and_nothing_is_saved(
    as_user, researcher, person, source
):
    response = as_user(researcher).post(
        add_url(person, "health"),
        {
            "condition": "hepatitis",
            "confidentiality": 1,
            "cite-source": source.pk,
            "cite-quote": "he suffers from hepatitis",
        },
    )
    assert response.status_code == 200
    assert "does not contain these words" in html(response)
    assert 'value="hepatitis"' in html(response)  # what was typed is kept
    assert not HealthNote.objects.exists() and not Citation.objects.exists()


def test_a_fact_needs_a_citation_or_the_unsourced_box(as_user, researcher, person, source):
    client = as_user(researcher)
    response = client.post(add_url(person, "status"), {"status": "detained", "confidentiality": 1})
    assert "Cite the source that states this" in html(response)
    both = {"status": "detained", "confidentiality": 1, "cite-unsourced": "on", **cited(source, "lawyer")}
    assert "not both" in html(client.post(add_url(person, "status"), both))
    words_without_source = {"status": "detained", "confidentiality": 1, "cite-quote": "lawyer"}
    assert "Pick the source these words come from" in html(
        client.post(add_url(person, "status"), words_without_source)
    )
    assert not StatusChange.objects.exists()


def test_an_unsourced_fact_names_the_user_who_entered_it(as_user, researcher, person):
    response = as_user(researcher).post(
        add_url(person, "status"),
        {"status": "detained", "date": "2015-07", "confidentiality": 1, "cite-unsourced": "on"},
    )
    assert response.status_code == 302
    status = StatusChange.objects.get()
    assert status.unsourced_by == researcher and status.citation is None
    row = History.objects.get(object_id=status.pk, content_type__model="statuschange")
    assert row.user == researcher and row.changes["unsourced_by"] == researcher.pk
    assert Person.objects.get(pk=person.pk).current_status == "detained"


# -- clearance of sources and records --------------------------------------------------------------
def test_a_restricted_source_is_not_pickable_without_clearance(
    as_user, low_researcher, person, source, secret_source
):
    client = as_user(low_researcher)
    found = client.get(reverse("web:pick_sources"), {"q": "Harbour"}).json()["results"]
    assert [r["title"] for r in found] == ["Lawyer detained"]
    assert client.get(reverse("web:pick_source", args=[secret_source.pk])).status_code == 404
    response = client.post(
        add_url(person, "status"),
        {"status": "detained", "confidentiality": 1, **cited(secret_source, "moved to a secret site")},
    )
    assert response.status_code == 200 and "Pick a source you may read." in html(response)
    # Nothing of the source reaches the page (the words sent are the user's own, shown back to them).
    assert "Restricted memo" not in html(response) and "Secret memo" not in html(response)
    assert not StatusChange.objects.exists() and not Citation.objects.exists()
    # The no-JavaScript search does not offer it either.
    page = client.post(add_url(person, "status"), {"cite-find": "memo", "_find": "1"})
    assert "Secret memo" not in html(page) and "No source you may read matches." in html(page)


def test_a_cleared_researcher_may_cite_the_restricted_source(as_user, researcher, person, secret_source):
    client = as_user(researcher)
    assert (
        client.get(reverse("web:pick_source", args=[secret_source.pk])).json()["text"] == secret_source.text
    )
    response = client.post(
        add_url(person, "status"),
        {"status": "disappeared", "confidentiality": 1, **cited(secret_source, "moved to a secret site")},
    )
    assert response.status_code == 302 and StatusChange.objects.get().citation.source == secret_source


def test_a_record_above_the_editors_clearance_is_404(as_user, low_researcher, researcher):
    secret = services.person_create(
        names=["Hidden Person"], unsourced=True, by=researcher, confidentiality=RESTRICTED
    )
    detention = services.detention_record(person=secret, unsourced=True, by=researcher)
    client = as_user(low_researcher)
    for url in (
        reverse("web:person_edit", args=[secret.pk]),
        reverse("web:person_facts", args=[secret.pk]),
        add_url(secret, "detention"),
        reverse("web:detention_add", args=[detention.pk, "charge"]),
        reverse("web:fact_edit", args=["detention", detention.pk]),
        reverse("web:fact_remove", args=["detention", detention.pk]),
    ):
        assert client.get(url).status_code == 404, url
        if "/facts/" not in url or "/persons/" not in url:  # the facts page is read-only (GET)
            assert client.post(url, {"cite-unsourced": "on"}).status_code == 404, url
    assert Detention.objects.count() == 1


def test_the_level_offered_goes_no_higher_than_the_editors_clearance(as_user, low_researcher, person):
    client = as_user(low_researcher)
    page = html(client.get(add_url(person, "health")))
    assert '<option value="1" selected>internal</option>' in page and '<option value="2"' not in page
    response = client.post(
        add_url(person, "health"), {"condition": "x", "confidentiality": RESTRICTED, "cite-unsourced": "on"}
    )
    assert response.status_code == 200 and not HealthNote.objects.exists()


def test_only_visible_places_are_offered_and_accepted(as_user, low_researcher, person, place):
    hidden = Place.objects.create(name="Unlisted Site", confidentiality=RESTRICTED)
    client = as_user(low_researcher)
    assert "Unlisted Site" not in html(client.get(add_url(person, "detention")))
    response = client.post(
        add_url(person, "detention"),
        {"measure": "rsdl", "place": hidden.pk, "confidentiality": 1, "cite-unsourced": "on"},
    )
    assert response.status_code == 200 and not Detention.objects.exists()


# -- every kind of fact ----------------------------------------------------------------------------
@pytest.fixture
def detention(person, researcher) -> Detention:
    return services.detention_record(person=person, started="2015-07-09", unsourced=True, by=researcher)


def test_add_a_name_in_another_script_with_kind_and_scheme(as_user, researcher, person, source):
    response = as_user(researcher).post(
        add_url(person, "name"),
        {
            "text": "Kao Ming",
            "kind": "romanisation",
            "script": "",
            "scheme": "wade_giles",
            "confidentiality": 1,
            **cited(source, "Gao Ming (高明)"),
        },
    )
    assert response.status_code == 302
    name = PersonName.objects.get(text="Kao Ming")
    assert (name.kind, name.script, name.scheme) == ("romanisation", "Latn", "wade_giles")


def test_add_a_sentence_with_its_term_in_years_and_months(as_user, researcher, detention, source):
    response = as_user(researcher).post(
        reverse("web:detention_add", args=[detention.pk, "sentence"]),
        {
            "kind": "fixed",
            "term_years": 4,
            "term_rest": 6,
            "pronounced": "2016",
            "rights_years": 2,
            "confidentiality": 1,
            **cited(source, "sentenced him to four years and six months"),
        },
    )
    assert response.status_code == 302
    sentence = Sentence.objects.get()
    assert (sentence.term_months, sentence.political_rights_months) == (54, 24)
    assert sentence.pronounced == PartialDate(2016)
    assert Person.objects.get(pk=detention.person_id).expected_release == PartialDate(2020, 1, 8)


def test_a_sentence_counted_from_another_day_moves_the_expected_release(as_user, researcher, detention):
    response = as_user(researcher).post(
        reverse("web:detention_add", args=[detention.pk, "sentence"]),
        {
            "kind": "fixed",
            "term_years": 2,
            "term_starts": "2016-03-01",
            "confidentiality": 1,
            "cite-unsourced": "on",
        },
    )
    assert response.status_code == 302
    assert Sentence.objects.get().term_starts == PartialDate(2016, 3, 1)
    assert Person.objects.get(pk=detention.person_id).expected_release == PartialDate(2018, 2, 28)


def test_a_fixed_sentence_without_a_term_is_refused(as_user, researcher, detention):
    response = as_user(researcher).post(
        reverse("web:detention_add", args=[detention.pk, "sentence"]),
        {"kind": "fixed", "confidentiality": 1, "cite-unsourced": "on"},
    )
    assert "needs its term" in html(response) and not Sentence.objects.exists()


def test_add_a_sentence_change(as_user, researcher, detention):
    sentence = services.sentence_record(
        detention=detention, kind="fixed", term_months=54, unsourced=True, by=researcher
    )
    response = as_user(researcher).post(
        reverse("web:sentence_add", args=[sentence.pk, "sentence-change"]),
        {
            "kind": "reduction",
            "date": "2018-03",
            "change_years": 0,
            "change_rest": 8,
            "confidentiality": 1,
            "cite-unsourced": "on",
        },
    )
    assert response.status_code == 302
    change = SentenceChange.objects.get()
    assert (change.kind, change.months, change.sentence) == ("reduction", 8, sentence)


def test_add_charge_legal_step_health_and_allegation(as_user, researcher, person, detention):
    client = as_user(researcher)
    unsourced = {"confidentiality": 1, "cite-unsourced": "on"}
    posts = [
        (
            reverse("web:detention_add", args=[detention.pk, "charge"]),
            {"text": "inciting subversion", "statute": "PRC Criminal Law", "article": "105(2)"},
        ),
        (
            reverse("web:detention_add", args=[detention.pk, "legal-step"]),
            {"kind": "trial", "date": "2016-01"},
        ),
        (add_url(person, "health"), {"condition": "hypertension", "date": "2017"}),
        (
            add_url(person, "allegation"),
            {"kind": "arbitrary_detention", "wgad_category": "2", "date": "2015"},
        ),
    ]
    for url, data in posts:
        response = client.post(url, {**data, **unsourced})
        assert response.status_code == 302, html(response)
    assert str(Charge.objects.get()) == "inciting subversion (PRC Criminal Law art. 105(2))"
    assert LegalStep.objects.get().kind == "trial"
    assert HealthNote.objects.get().condition == "hypertension"
    assert Allegation.objects.get().wgad_category == 2


def test_a_wgad_category_only_goes_with_arbitrary_detention(as_user, researcher, person):
    response = as_user(researcher).post(
        add_url(person, "allegation"),
        {"kind": "torture", "wgad_category": "1", "confidentiality": 1, "cite-unsourced": "on"},
    )
    assert "applies only to arbitrary detention" in html(response) and not Allegation.objects.exists()


def test_an_unreadable_date_is_reported_with_the_field(as_user, researcher, person):
    response = as_user(researcher).post(
        add_url(person, "health"),
        {"condition": "x", "date": "2015-13", "confidentiality": 1, "cite-unsourced": "on"},
    )
    assert "is not a date we can read" in html(response) and not HealthNote.objects.exists()


def test_an_unknown_kind_or_a_kind_under_the_wrong_parent_is_404(as_user, researcher, person, detention):
    client = as_user(researcher)
    assert client.get(add_url(person, "spaceship")).status_code == 404
    assert client.get(add_url(person, "sentence")).status_code == 404
    assert client.get(reverse("web:detention_add", args=[detention.pk, "name"])).status_code == 404


# -- creating and editing a person ------------------------------------------------------------------
def test_create_a_person_with_names_in_several_scripts(as_user, researcher, source):
    data = {
        "main_name": "Gao Ming",
        "main_script": "",
        "main_scheme": "pinyin",
        "sex": "M",
        "birth_date": "1978~",
        "ethnicity": "Han",
        "occupation": "lawyer",
        "residence_province": "Shandong",
        "confidentiality": INTERNAL,
        "names-TOTAL_FORMS": 3,
        "names-INITIAL_FORMS": 0,
        "names-0-text": "高明",
        "names-0-kind": "main",
        "names-0-script": "Hans",
        "names-1-text": "Kao Ming",
        "names-1-kind": "romanisation",
        "names-1-scheme": "wade_giles",
        "names-2-kind": "alias",
        **cited(source, "Gao Ming (高明), a lawyer from Linyi"),
    }
    response = as_user(researcher).post(reverse("web:person_create"), data)
    assert response.status_code == 302
    person = Person.objects.get()
    assert response["Location"] == reverse("web:person_detail", args=[person.pk])
    assert person.display_name == "Gao Ming" and person.birth_date == PartialDate(1978, circa=True)
    assert [(n.text, n.kind, n.script, n.scheme) for n in person.names.order_by("pk")] == [
        ("Gao Ming", "main", "Latn", "pinyin"),
        ("高明", "main", "Hans", ""),
        ("Kao Ming", "romanisation", "Latn", "wade_giles"),
    ]
    assert person.citation.quote == "Gao Ming (高明), a lawyer from Linyi"
    assert all(n.citation_id == person.citation_id for n in person.names.all())


def test_create_a_person_needs_a_main_name(as_user, researcher):
    response = as_user(researcher).post(
        reverse("web:person_create"),
        {"confidentiality": 1, "names-TOTAL_FORMS": 0, "names-INITIAL_FORMS": 0, "cite-unsourced": "on"},
    )
    assert response.status_code == 200 and "This field is required" in html(response)
    assert not Person.objects.exists()


def test_edit_a_person_and_the_history_holds_before_and_after(as_user, researcher, person):
    client = as_user(researcher)
    page = html(client.get(reverse("web:person_edit", args=[person.pk])))
    assert f'name="version" value="{person.version}"' in page
    response = client.post(
        reverse("web:person_edit", args=[person.pk]),
        {"version": person.version, "sex": "M", "occupation": "lawyer", "confidentiality": INTERNAL},
    )
    assert response.status_code == 302
    saved = Person.objects.get(pk=person.pk)
    assert saved.occupation == "lawyer" and saved.version == person.version + 1
    row = History.objects.filter(object_id=person.pk, content_type__model="person", action="update").get()
    assert row.changes == {"sex": ["", "M"], "occupation": ["", "lawyer"]} and row.user == researcher


# -- editing and removing facts --------------------------------------------------------------------
def test_edit_a_fact_and_replace_its_citation(as_user, researcher, detention, source):
    client = as_user(researcher)
    url = reverse("web:fact_edit", args=["detention", detention.pk])
    page = html(client.get(url))
    assert f'value="{services.fact_version(detention)}"' in page
    assert "Entered without a source by rita." in page
    response = client.post(
        url,
        {
            "version": services.fact_version(detention),
            "started": "2015-07",
            "measure": "rsdl",
            "confidentiality": 1,
            **cited(source, "taken by police on 9 July 2015"),
        },
    )
    assert response.status_code == 302
    saved = Detention.objects.get(pk=detention.pk)
    assert saved.measure == "rsdl" and saved.citation.quote == "taken by police on 9 July 2015"
    assert saved.unsourced_by is None


def test_editing_without_picking_a_source_keeps_the_citations(as_user, researcher, detention):
    response = as_user(researcher).post(
        reverse("web:fact_edit", args=["detention", detention.pk]),
        {"version": services.fact_version(detention), "measure": "formal_arrest", "confidentiality": 1},
    )
    assert response.status_code == 302
    saved = Detention.objects.get(pk=detention.pk)
    assert saved.measure == "formal_arrest" and saved.unsourced_by == researcher


def test_remove_a_fact_asks_first_then_keeps_it_in_the_history(as_user, researcher, admin_user, person):
    note = services.health_note_record(person=person, condition="flu", unsourced=True, by=researcher)
    client = as_user(admin_user)
    url = reverse("web:fact_remove", args=["health", note.pk])
    assert "Remove this health note?" in html(client.get(url))
    response = client.post(url, {"version": services.fact_version(note), "note": "entered twice"})
    assert response.status_code == 302 and not HealthNote.objects.exists()
    row = History.objects.get(object_id=note.pk, content_type__model="healthnote", action="delete")
    assert (row.user, row.note, row.changes["condition"]) == (admin_user, "entered twice", "flu")


def test_removing_a_detention_with_facts_under_it_is_refused_with_the_reason(as_user, researcher, detention):
    services.charge_record(detention=detention, text="x", unsourced=True, by=researcher)
    response = as_user(researcher).post(
        reverse("web:fact_remove", args=["detention", detention.pk]),
        {"version": services.fact_version(detention)},
    )
    assert response.status_code == 400 and "still has charges" in html(response)
    assert Detention.objects.filter(pk=detention.pk).exists()


def test_facts_page_links_every_fact_to_its_edit_and_remove_pages(as_user, researcher, person, detention):
    sentence = services.sentence_record(detention=detention, kind="life", unsourced=True, by=researcher)
    page = html(as_user(researcher).get(reverse("web:person_facts", args=[person.pk])))
    for url in (
        reverse("web:fact_edit", args=["detention", detention.pk]),
        reverse("web:fact_remove", args=["sentence", sentence.pk]),
        reverse("web:sentence_add", args=[sentence.pk, "sentence-change"]),
        reverse("web:detention_add", args=[detention.pk, "charge"]),
    ):
        assert f'href="{url}"' in page


# -- hostile input ---------------------------------------------------------------------------------
def test_html_typed_into_fields_is_shown_escaped_everywhere(as_user, researcher, person, detention):
    client = as_user(researcher)
    client.post(
        reverse("web:detention_add", args=[detention.pk, "charge"]),
        {"text": HOSTILE, "statute": HOSTILE, "confidentiality": 1, "cite-unsourced": "on"},
    )
    client.post(
        add_url(person, "name"),
        {"text": HOSTILE, "kind": "alias", "confidentiality": 1, "cite-unsourced": "on"},
    )
    assert Charge.objects.get().text == HOSTILE and PersonName.objects.filter(text=HOSTILE).exists()
    charge = Charge.objects.get()
    pages = [
        client.get(reverse("web:person_detail", args=[person.pk])),
        client.get(reverse("web:person_facts", args=[person.pk])),
        client.get(reverse("web:fact_edit", args=["charge", charge.pk])),
        client.get(reverse("web:fact_remove", args=["charge", charge.pk])),
        # shown again with an error: the typed value comes back escaped
        client.post(add_url(person, "health"), {"condition": HOSTILE, "confidentiality": 1}),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in html(page) and "<img src=x" not in html(page)
        assert "&lt;script&gt;" in html(page)


def test_a_hostile_source_text_is_escaped_in_the_picker(as_user, researcher, person):
    evil = source_store(text=f"Report. {HOSTILE} Gao Ming was held.", title=f"Evil {HOSTILE}", by=researcher)[
        0
    ]
    client = as_user(researcher)
    page = client.post(add_url(person, "status"), {"cite-find": "Evil", "_find": "1", "cite-source": evil.pk})
    assert page.status_code == 200 and "<script>alert" not in html(page) and "&lt;script&gt;" in html(page)
    assert not StatusChange.objects.exists()  # "Find" saves nothing


# -- roles, CSRF, the JSON reads ---------------------------------------------------------------------
@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_roles_without_write_rights_get_403_and_write_nothing(as_user, personas, role, person):
    client = as_user(personas[role])
    for url in (reverse("web:person_create"), add_url(person, "status"), reverse("web:pick_sources")):
        assert client.get(url).status_code == 403
    response = client.post(
        add_url(person, "status"), {"status": "released", "confidentiality": 0, "cite-unsourced": "on"}
    )
    assert response.status_code == 403 and not StatusChange.objects.exists()
    assert "web/edit.js" not in html(client.get(reverse("web:person_list")))


def test_posts_without_the_csrf_token_are_refused(researcher, person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    response = client.post(
        add_url(person, "status"), {"status": "released", "confidentiality": 1, "cite-unsourced": "on"}
    )
    assert response.status_code == 403 and not StatusChange.objects.exists()
    assert 'name="csrfmiddlewaretoken"' in html(client.get(add_url(person, "status")))


def test_editors_get_the_edit_links_and_script_readers_do_not(as_user, researcher, viewer):
    public = services.person_create(
        names=["Open Case"], unsourced=True, by=researcher, confidentiality=PUBLIC
    )
    page = html(as_user(researcher).get(reverse("web:person_detail", args=[public.pk])))
    assert reverse("web:person_edit", args=[public.pk]) in page and add_url(public, "detention") in page
    assert "/static/web/edit.js" in page
    page = html(as_user(viewer).get(reverse("web:person_detail", args=[public.pk])))
    assert reverse("web:person_edit", args=[public.pk]) not in page and "edit.js" not in page


def test_the_picker_json_gives_the_exact_text(as_user, researcher, source):
    response = as_user(researcher).get(reverse("web:pick_source", args=[source.pk]))
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data == {"id": source.pk, "title": "Lawyer detained", "text": TEXT}
    found = as_user(researcher).get(reverse("web:pick_sources"), {"q": "wire lawyer"}).json()["results"]
    assert found == [
        {"id": source.pk, "title": "Lawyer detained", "publisher": "Harbour Wire", "published": ""}
    ]


def test_a_name_the_person_already_has_is_refused_with_a_message(as_user, researcher, person):
    response = as_user(researcher).post(
        add_url(person, "name"),
        {"text": "Gao  Ming", "kind": "main", "confidentiality": 1, "cite-unsourced": "on"},
    )
    assert response.status_code == 200 and "already exists" in html(response)
    assert PersonName.objects.filter(person=person).count() == 2


def test_edit_pages_have_no_inline_scripts_or_styles(as_user, researcher, person, detention):
    client = as_user(researcher)
    urls = [
        reverse("web:person_create"),
        reverse("web:person_edit", args=[person.pk]),
        reverse("web:person_facts", args=[person.pk]),
        add_url(person, "detention"),
        reverse("web:fact_edit", args=["detention", detention.pk]),
        reverse("web:fact_remove", args=["detention", detention.pk]),
    ]
    for url in urls:
        response = client.get(url)
        page = html(response)
        assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/web/edit.js" defer>']
        assert "<style" not in page and " style=" not in page and " onclick=" not in page
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_no_javascript_find_keeps_everything_typed_on_the_new_person_page(as_user, researcher, source):
    data = {
        "main_name": "Gao Ming",
        "occupation": "lawyer",
        "confidentiality": 1,
        "names-TOTAL_FORMS": 3,
        "names-INITIAL_FORMS": 0,
        "names-0-text": "高明",
        "names-0-kind": "alias",
        "cite-find": "harbour",
        "_find": "1",
    }
    page = html(as_user(researcher).post(reverse("web:person_create"), data))
    assert 'value="Gao Ming"' in page and 'value="lawyer"' in page and 'value="高明"' in page
    assert f'name="cite-source" value="{source.pk}"' in page and "Lawyer detained" in page
    assert 'class="error"' not in page  # searching is not saving: no "required" complaints
    assert not Person.objects.exists()


def test_the_place_list_escapes_names_and_marks_the_current_place(as_user, researcher, person, place):
    evil = Place.objects.create(name=HOSTILE, confidentiality=PUBLIC)
    detention = services.detention_record(person=person, place=place, unsourced=True, by=researcher)
    page = html(as_user(researcher).get(reverse("web:fact_edit", args=["detention", detention.pk])))
    assert f'<option value="{place.pk}" selected>Linyi Detention Centre</option>' in page
    assert f'<option value="{evil.pk}">&lt;script&gt;' in page and "<img src=x" not in page
    assert '<select name="place" id="id_place">' in page and '<option value="">---------</option>' in page

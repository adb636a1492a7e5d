"""The custody-period and affiliation forms: where a detainee was held, and the organisations they belong
to, each cited like every other fact, with the place list limited by clearance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers import services
from habeas.dossiers.models import Affiliation, CustodyPeriod, Detention, Organisation, Person
from habeas.lib.dates import PartialDate
from habeas.places.models import Place
from habeas.sources.services import source_store

pytestmark = pytest.mark.django_db

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
TEXT = (
    "Skip to main content\nHarbour Wire - World\n"
    "Gao Ming, a co-founder of the Linyi Workers' Association, was moved in March 2016 to Linyi Prison.\n"
    "Copyright 2016 Harbour Wire. All rights reserved."
)


@pytest.fixture
def person(researcher) -> Person:
    return services.person_create(
        names=["Gao Ming", "高明"], unsourced=True, by=researcher, confidentiality=INTERNAL
    )


@pytest.fixture
def detention(person, researcher) -> Detention:
    return services.detention_record(
        person=person, measure="criminal_detention", unsourced=True, by=researcher, confidentiality=INTERNAL
    )


@pytest.fixture
def source(researcher):
    return source_store(text=TEXT, title="Moved", publisher="Harbour Wire", by=researcher)[0]


def cited(source, words: str) -> dict:
    start = source.text.index(words)
    return {
        "cite-source": source.pk,
        "cite-start": start,
        "cite-end": start + len(words),
        "cite-selected": words,
    }


def test_a_custody_period_is_added_to_a_detention_with_its_citation(
    client_for, researcher, person, detention, source
):
    prison = Place.objects.create(name="Linyi Prison", kind="prison", confidentiality=PUBLIC)
    url = reverse("web:detention_add", args=[detention.pk, "custody"])
    client = client_for(researcher)
    assert "Linyi Prison" in client.get(url).content.decode()
    words = "was moved in March 2016 to Linyi Prison"
    response = client.post(
        url, {"place": prison.pk, "started": "2016-03", "confidentiality": INTERNAL, **cited(source, words)}
    )
    assert response.status_code == 302
    stay = CustodyPeriod.objects.get(detention=detention)
    assert stay.place == prison and stay.started == PartialDate(2016, 3)
    assert stay.citation.quote == words
    assert History.objects.filter(object_id=stay.pk, action="create", user=researcher).exists()
    facts = client.get(reverse("web:person_facts", args=[person.pk])).content.decode()
    assert "Linyi Prison" in facts and reverse("web:fact_edit", args=["custody", stay.pk]) in facts
    # An edit changes the dates; the history keeps both.
    edit_url = reverse("web:fact_edit", args=["custody", stay.pk])
    form = client.get(edit_url).content.decode()
    version = form.split('name="version" value="')[1].split('"')[0]
    response = client.post(
        edit_url,
        {
            "place": prison.pk,
            "started": "2016-03-14",
            "confidentiality": INTERNAL,
            "version": version,
            **cited(source, words),
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.started == PartialDate(2016, 3, 14)


def test_the_place_list_offers_only_places_the_user_may_read(
    client_for, researcher, low_researcher, detention, source
):
    hidden = Place.objects.create(name="Site Qzxvhidden", kind="other", confidentiality=RESTRICTED)
    url = reverse("web:detention_add", args=[detention.pk, "custody"])
    assert "Qzxvhidden" in client_for(researcher).get(url).content.decode()
    client = client_for(low_researcher)
    assert "Qzxvhidden" not in client.get(url).content.decode()
    # A hand-made POST naming the hidden place is refused, and nothing is written.
    response = client.post(url, {"place": hidden.pk, "confidentiality": INTERNAL, "cite-unsourced": "on"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not CustodyPeriod.objects.exists()


def test_an_affiliation_names_its_organisation_and_role(client_for, researcher, person, source):
    url = reverse("web:person_add", args=[person.pk, "affiliation"])
    client = client_for(researcher)
    words = "a co-founder of the Linyi Workers' Association"
    response = client.post(
        url,
        {
            "organisation": "  Linyi   Workers' Association ",
            "role": "co-founder",
            "confidentiality": INTERNAL,
            **cited(source, words),
        },
    )
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(person=person)
    assert affiliation.organisation.name == "Linyi Workers' Association"
    assert affiliation.role == "co-founder" and affiliation.citation.quote == words
    dossier = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert "Linyi Workers&#x27;" in dossier or "Linyi Workers'" in dossier
    # The edit form changes the role, not the organisation (another organisation is another affiliation).
    edit = client.get(reverse("web:fact_edit", args=["affiliation", affiliation.pk])).content.decode()
    assert 'name="organisation"' not in edit and 'name="role"' in edit


def test_an_affiliation_without_an_organisation_is_refused(client_for, researcher, person):
    url = reverse("web:person_add", args=[person.pk, "affiliation"])
    response = client_for(researcher).post(
        url, {"organisation": "   ", "role": "member", "confidentiality": INTERNAL, "cite-unsourced": "on"}
    )
    assert response.status_code == 200
    assert not Affiliation.objects.exists() and not Organisation.objects.exists()


def test_viewers_and_reviewers_cannot_add_either(client_for, viewer, reviewer, person, detention):
    for user in (viewer, reviewer):
        client = client_for(user)
        assert client.get(reverse("web:person_add", args=[person.pk, "affiliation"])).status_code == 403
        assert client.get(reverse("web:detention_add", args=[detention.pk, "custody"])).status_code == 403

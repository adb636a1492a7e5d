"""History pages: who, when, each field before and after; values naming other records readable; nothing
above the reader's clearance, earlier restricted values included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from habeas.accounts.models import Confidentiality
from habeas.dossiers import services
from habeas.dossiers.models import Charge, Detention, HealthNote, Person
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.places.models import Place
from habeas.sources.models import Citation
from habeas.sources.services import citation_for_quote, source_store, source_update
from habeas.web.history import record_history

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED
SECRET = "Qzxvearlieroccupation"


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def once_restricted(researcher) -> Person:
    """An internal dossier that was restricted for a while, and held a secret occupation then."""
    person = services.person_create(
        names=["Chen Yiping"], unsourced=True, by=researcher, confidentiality=INTERNAL, occupation="teacher"
    )
    person = services.person_update(
        person=person, version=person.version, by=researcher, confidentiality=RESTRICTED, occupation=SECRET
    )
    person = services.person_update(person=person, version=person.version, by=researcher, religion="none")
    person = services.person_update(
        person=person, version=person.version, by=researcher, occupation="farmer", confidentiality=INTERNAL
    )
    return person


@pytest.mark.django_db
def test_person_history_shows_who_when_and_each_field_before_and_after(client_for, researcher) -> None:
    person = services.person_create(
        names=["Chen Yiping"], unsourced=True, by=researcher, confidentiality=INTERNAL, occupation="teacher"
    )
    services.person_update(person=person, version=person.version, by=researcher, occupation="lawyer", sex="F")
    html = html_of(client_for(researcher), reverse("web:person_history", args=[person.pk]))
    assert "History of Chen Yiping" in html and "by rita" in html
    assert html.index("Updated") < html.index("Created")  # newest first
    assert '<th scope="row">Occupation</th>' in html
    assert "<td>teacher</td>" in html and "<td>lawyer</td>" in html
    assert "<td>female</td>" in html  # a choice by its label
    assert "<td>internal</td>" in html  # the level by its name
    # Derived columns (display name, status, version...) are not history for readers.
    assert "Display name" not in html and "Version" not in html
    # The dossier links here.
    dossier = html_of(client_for(researcher), reverse("web:person_detail", args=[person.pk]))
    assert reverse("web:person_history", args=[person.pk]) in dossier


@pytest.mark.django_db
def test_values_naming_other_records_show_readably(client_for, researcher) -> None:
    (liu,) = make(bundle(1))
    place = Place.objects.get(name="Qinghe No. 3 Prison")
    cite = Citation.objects.get(quote__startswith="He was sentenced")
    detention = services.detention_record(
        person=liu, started="2019-05", place=place, citations=[cite], by=researcher, measure="rsdl"
    )
    html = html_of(client_for(researcher), reverse("web:fact_history", args=["detention", detention.pk]))
    assert "Qinghe No. 3 Prison" in html  # the place by its name
    assert f'href="{reverse("web:person_detail", args=[liu.pk])}"' in html  # the person, linked
    assert "Liu Mingde" in html and "May 2019" in html  # a partial date as readers write it
    assert f"?cite={cite.pk}#cite-{cite.pk}" in html and "Report 1" in html  # the citation by its source
    assert "by rita" in html
    # The person's history page lists each visible fact with a link to its own history.
    person_page = html_of(client_for(researcher), reverse("web:person_history", args=[liu.pk]))
    assert reverse("web:fact_history", args=["detention", detention.pk]) in person_page
    # Bulk imports say who imported what, when (their values are the record's first values).
    imported = Detention.objects.exclude(pk=detention.pk).get(person=liu)
    assert "Imported" in html_of(
        client_for(researcher), reverse("web:fact_history", args=["detention", imported.pk])
    )
    for kind in ("name", "charge", "sentence", "sentence-change", "custody", "legal-step", "health"):
        assert f"/facts/{kind}/" in person_page, kind


@pytest.mark.django_db
def test_earlier_restricted_values_stay_hidden_from_an_internal_reader(
    client_for, reviewer, researcher, once_restricted
) -> None:
    url = reverse("web:person_history", args=[once_restricted.pk])
    seen = html_of(client_for(reviewer), url)
    assert SECRET not in seen and "none" not in seen.split("History of")[-1].replace("None", "")
    assert "above your clearance" in seen
    assert "<td>teacher</td>" in seen and "<td>farmer</td>" in seen  # before and after the restricted time
    # The religion change happened wholly while restricted: not even the field is named.
    assert "Religion" not in seen and "1 field changed while the record was above your clearance" in seen
    cleared = html_of(client_for(researcher), url)
    assert SECRET in cleared and "Religion" in cleared and "above your clearance" not in cleared


@pytest.mark.django_db
def test_a_restricted_citation_is_named_only_as_restricted(client_for, reviewer, researcher) -> None:
    (liu,) = make(bundle(1, level=INTERNAL))
    source, _ = source_store(
        text="Qzxvsecretmemo says he was moved.",
        title="Qzxvsecretmemo",
        by=researcher,
        confidentiality=RESTRICTED,
    )
    citation = citation_for_quote(source=source, quote="Qzxvsecretmemo says he was moved")
    status = services.status_record(
        person=liu,
        status="detained",
        date="2012",
        citations=[citation],
        by=researcher,
        confidentiality=INTERNAL,
    )
    url = reverse("web:fact_history", args=["status", status.pk])
    seen = html_of(client_for(reviewer), url)
    assert "Qzxvsecretmemo" not in seen and "restricted source" in seen
    assert "Qzxvsecretmemo" in html_of(client_for(researcher), url)


@pytest.mark.django_db
def test_a_viewer_reads_no_history_and_hidden_records_are_404(client_for, viewer, reviewer) -> None:
    public, internal = make(bundle(1, level=PUBLIC), bundle(2, names=("Wang Dan",), level=INTERNAL))
    page = html_of(client_for(viewer), reverse("web:person_history", args=[public.pk]))
    assert "cleared for internal records" in page and "by " not in page.split("History of")[-1]
    assert "Hepatitis" not in page and "/facts/" not in page
    # The dossier offers no history link to a reader who may not read it.
    dossier = html_of(client_for(viewer), reverse("web:person_detail", args=[public.pk]))
    assert reverse("web:person_history", args=[public.pk]) not in dossier
    client = client_for(viewer)
    assert client.get(reverse("web:person_history", args=[internal.pk])).status_code == 404
    assert client.get(reverse("web:person_history", args=[internal.pk + 999])).status_code == 404
    assert client.get(reverse("web:fact_history", args=["nonsense", public.pk])).status_code == 404
    # A public fact of a restricted person is as hidden as the person.
    (secret,) = make(bundle(3, names=("Zhou",), level=RESTRICTED))
    fact = HealthNote.objects.get(person=secret)
    HealthNote.objects.filter(pk=fact.pk).update(confidentiality=PUBLIC)
    url = reverse("web:fact_history", args=["health", fact.pk])
    assert client_for(reviewer).get(url).status_code == 404
    # Signed out: to the sign-in page.
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_source_and_place_history(client_for, researcher, reviewer) -> None:
    make(bundle(1))
    source, _ = source_store(
        text="A fictional letter from the family.",
        title="Family letter",
        publisher="Kin Press",
        by=researcher,
    )
    source_update(source=source, version=source.version, by=researcher, publisher="Kith Press")
    html = html_of(client_for(researcher), reverse("web:source_history", args=[source.pk]))
    assert "History of Family letter" in html and "by rita" in html
    assert "<td>Kin Press</td>" in html and "<td>Kith Press</td>" in html
    assert reverse("web:source_history", args=[source.pk]) in html_of(
        client_for(researcher), reverse("web:source_detail", args=[source.pk])
    )
    place = Place.objects.get(name="Qinghe No. 3 Prison")
    html = html_of(client_for(reviewer), reverse("web:place_history", args=[place.pk]))
    assert "History of Qinghe No. 3 Prison" in html
    assert f'href="{reverse("web:place_detail", args=[place.pk])}"' in html  # back to the place page
    place_page = html_of(client_for(reviewer), reverse("web:place_detail", args=[place.pk]))
    assert reverse("web:place_history", args=[place.pk]) in place_page


@pytest.mark.django_db
def test_hostile_values_in_history_are_escaped(client_for, researcher) -> None:
    hostile = '<script>alert("x")</script>'
    person = services.person_create(
        names=["Chen"], unsourced=True, by=researcher, confidentiality=INTERNAL, occupation=hostile
    )
    html = html_of(client_for(researcher), reverse("web:person_history", args=[person.pk]))
    assert hostile not in html and "&lt;script&gt;" in html


@pytest.mark.django_db
def test_history_page_queries_do_not_grow_with_the_history(researcher, django_assert_max_num_queries) -> None:
    (liu,) = make(bundle(1, each=3))
    for i in range(30):
        liu = services.person_update(person=liu, version=liu.version, by=researcher, occupation=f"job {i}")
    with django_assert_max_num_queries(25):
        history = record_history(researcher, "person", liu.pk)
    assert len(history.entries) == 31 and len(history.facts) > 20
    assert Citation.objects.exists()


@pytest.mark.django_db
def test_removed_facts_keep_their_history_on_the_person_page(client_for, researcher, reviewer) -> None:
    (liu,) = make(bundle(1, level=INTERNAL))
    charge = Charge.objects.get(detention__person=liu)
    services.fact_update(fact=charge, version=services.fact_version(charge), by=researcher, text="Qzxvcharge")
    charge.refresh_from_db()
    services.fact_remove(fact=charge, version=services.fact_version(charge), by=researcher, note="duplicate")
    secret = services.health_note_record(
        person=liu, condition="Qzxvsecretillness", unsourced=True, by=researcher, confidentiality=RESTRICTED
    )
    services.fact_remove(fact=secret, version=services.fact_version(secret), by=researcher)
    url = reverse("web:person_history", args=[liu.pk])
    seen = html_of(client_for(reviewer), url)
    assert "Removed facts" in seen and "Qzxvcharge" in seen and "duplicate" in seen
    assert "Deleted" in seen and "Updated" in seen  # the removed fact's whole history
    assert "Qzxvsecretillness" not in seen  # removed, but it was restricted
    assert "Qzxvsecretillness" in html_of(client_for(researcher), url)

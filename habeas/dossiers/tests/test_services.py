"""Dossier writes: one transaction with its history rows, a citation or a named user on every fact,
optimistic locking, derived columns and name keys kept in step."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers import services
from habeas.dossiers.models import (
    Affiliation,
    Detention,
    NameKey,
    Person,
    PersonName,
    Sentence,
    StatusChange,
)
from habeas.lib.dates import PartialDate
from habeas.sources.services import citation_for_quote, source_store

pytestmark = pytest.mark.django_db

TEXT = "Liu Mingde (刘明德) was detained on 5 March 2009 and sentenced to 11 years in 2010."


@pytest.fixture
def source(researcher):
    return source_store(text=TEXT, title="Report", by=researcher)[0]


@pytest.fixture
def person(researcher) -> Person:
    return services.person_create(names=["Liu Mingde", "刘明德"], unsourced=True, by=researcher)


def history_of(obj) -> list[History]:
    return list(History.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name))


class Boom(Exception):
    pass


# -- history in the same transaction -----------------------------------------------------------------
def test_person_create_writes_history_for_the_person_and_each_name(person, researcher):
    (row,) = history_of(person)
    assert (row.action, row.user) == ("create", researcher)
    assert row.changes["unsourced_by"] == researcher.pk
    names = list(person.names.order_by("pk"))
    assert [n.text for n in names] == ["Liu Mingde", "刘明德"]
    assert [n.kind for n in names] == ["main", "alias"]
    for name in names:
        assert [h.action for h in history_of(name)] == ["create"]
        assert history_of(name)[0].changes["text"] == name.text


def test_a_failing_history_row_rolls_back_the_person_and_its_names(monkeypatch, researcher):
    calls = []

    def fail_on_the_second(**kwargs):
        calls.append(kwargs["obj"])
        if len(calls) == 2:  # the person's row was written; the first name's fails
            raise Boom
        return real(**kwargs)

    real = services.history_record
    monkeypatch.setattr(services, "history_record", fail_on_the_second)
    with pytest.raises(Boom):
        services.person_create(names=["Liu Mingde", "刘明德"], unsourced=True, by=researcher)
    assert isinstance(calls[0], Person)
    assert Person.objects.count() == 0
    assert PersonName.objects.count() == 0
    assert NameKey.objects.count() == 0
    assert History.objects.count() == 0


@pytest.mark.parametrize(
    ("record", "target", "fields", "model"),
    [
        (services.detention_record, "person", {"started": "2009-03-05"}, Detention),
        (services.status_record, "person", {"status": "detained", "date": "2009"}, StatusChange),
        (services.sentence_record, "detention", {"term_months": 132}, Sentence),
        (services.name_add, "person", {"text": "Liu Ming-de"}, PersonName),
    ],
)
def test_fact_and_history_land_together_or_not_at_all(
    monkeypatch, person, researcher, record, target, fields, model
):
    detention = services.detention_record(person=person, started="2009-03-05", unsourced=True, by=researcher)
    owner = {"person": person, "detention": detention}[target]
    before_rows, before_history = model.objects.count(), History.objects.count()

    def fail(**kwargs):
        raise Boom

    monkeypatch.setattr(services, "history_record", fail)
    with pytest.raises(Boom):
        record(**{target: owner}, unsourced=True, by=researcher, **fields)
    assert model.objects.count() == before_rows
    assert History.objects.count() == before_history
    monkeypatch.undo()
    fact = record(**{target: owner}, unsourced=True, by=researcher, **fields)
    assert model.objects.count() == before_rows + 1
    assert [h.action for h in history_of(fact)] == ["create"]


def test_a_failing_refresh_rolls_back_the_fact(monkeypatch, person, researcher):
    def fail(ids):
        raise Boom

    monkeypatch.setattr(services.derive, "person_refresh", fail)
    with pytest.raises(Boom):
        services.status_record(person=person, status="released", date="2020", unsourced=True, by=researcher)
    assert not StatusChange.objects.exists()
    assert History.objects.filter(content_type__model="statuschange").count() == 0


# -- provenance --------------------------------------------------------------------------------------
def test_a_fact_needs_a_citation_or_a_named_user(person, researcher):
    with pytest.raises(ValidationError, match="needs a citation"):
        services.detention_record(person=person, started="2009", by=researcher)
    with pytest.raises(ValidationError, match="must name the user"):
        services.detention_record(person=person, started="2009", unsourced=True, by=None)
    with pytest.raises(ValidationError, match="needs a citation"):
        services.person_create(names=["Someone"], by=researcher)
    assert not Detention.objects.exists()
    assert Person.objects.count() == 1


@pytest.mark.parametrize("model", [Person, Detention])
def test_the_database_refuses_a_fact_with_neither_citation_nor_unsourced_by(person, model):
    row = model(person=person) if model is Detention else model()
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_the_database_refuses_an_unknown_confidentiality_level(person, researcher):
    with pytest.raises(IntegrityError), transaction.atomic():
        Detention.objects.create(person=person, unsourced_by=researcher, confidentiality=7)


def test_cited_facts_keep_first_and_extra_citations(person, source, researcher):
    first = citation_for_quote(source=source, quote="detained on 5 March 2009", by=researcher)
    second = citation_for_quote(source=source, quote="Liu Mingde", by=researcher)
    detention = services.detention_record(
        person=person, started="2009-03-05", citations=[first, second], by=researcher
    )
    detention.refresh_from_db()
    assert detention.citation == first
    assert detention.unsourced_by is None
    assert list(detention.extra_citations.all()) == [second]
    (row,) = history_of(detention)
    assert row.changes["citation"] == first.pk
    assert row.changes["extra_citations"] == [second.pk]
    # Cited facts do not need a user.
    anonymous = services.status_record(person=person, status="detained", citations=[first])
    assert anonymous.unsourced_by is None and anonymous.created_by is None


def test_person_with_citation_gives_its_names_the_same_citation(source, researcher):
    citation = citation_for_quote(source=source, quote="Liu Mingde (刘明德)", by=researcher)
    person = services.person_create(names=["Liu Mingde", "刘明德"], citations=[citation], by=researcher)
    assert {n.citation_id for n in person.names.all()} == {citation.pk}


# -- names -------------------------------------------------------------------------------------------
def test_names_get_script_and_search_keys(person):
    names = {n.text: n for n in person.names.all()}
    assert names["Liu Mingde"].script == "Latn"
    assert names["刘明德"].script == "Hans"
    keys = set(NameKey.objects.filter(name=names["刘明德"]).values_list("key", flat=True))
    assert {"刘明德", "liumingde", "mingdeliu"} <= keys
    assert set(NameKey.objects.filter(name=names["刘明德"]).values_list("person_id", flat=True)) == {
        person.pk
    }


def test_name_add_tidies_spaces_and_refuses_empty(person, researcher):
    name = services.name_add(person=person, text="  Liu   Ming-de ", unsourced=True, by=researcher)
    assert name.text == "Liu Ming-de"
    assert name.kind == "alias"
    with pytest.raises(ValidationError):
        services.name_add(person=person, text="   ", unsourced=True, by=researcher)
    with pytest.raises(ValidationError):
        services.person_create(names=[], unsourced=True, by=researcher)


def test_the_same_name_twice_is_refused(person, researcher):
    with pytest.raises(ValidationError):
        services.name_add(person=person, text="Liu Mingde", kind="main", unsourced=True, by=researcher)


def test_facts_inherit_the_person_confidentiality(researcher):
    person = services.person_create(
        names=["Secret"], unsourced=True, by=researcher, confidentiality=Confidentiality.RESTRICTED
    )
    assert person.names.get().confidentiality == Confidentiality.RESTRICTED
    detention = services.detention_record(person=person, started="2019", unsourced=True, by=researcher)
    assert detention.confidentiality == Confidentiality.RESTRICTED
    sentence = services.sentence_record(detention=detention, term_months=12, unsourced=True, by=researcher)
    assert sentence.confidentiality == Confidentiality.RESTRICTED


def test_affiliation_reuses_the_organisation(person, researcher):
    one = services.affiliation_record(
        person=person, organisation="Harmony  Party", role="co-founder", unsourced=True, by=researcher
    )
    two = services.affiliation_record(
        person=person, organisation="Harmony Party", unsourced=True, by=researcher
    )
    assert one.organisation_id == two.organisation_id
    assert one.organisation.name == "Harmony Party"
    assert Affiliation.objects.count() == 2


# -- derived columns ---------------------------------------------------------------------------------
def test_derived_columns_are_refreshed_after_each_write(person, researcher):
    assert person.display_name == "Liu Mingde"
    assert person.current_status == ""
    detention = services.detention_record(person=person, started="2009-03-05", unsourced=True, by=researcher)
    services.status_record(person=person, status="detained", date="2009-03-05", unsourced=True, by=researcher)
    row = Person.objects.get(pk=person.pk)
    assert (row.current_status, row.status_date) == ("detained", PartialDate(2009, 3, 5))
    assert row.expected_release is None
    services.sentence_record(detention=detention, term_months=24, unsourced=True, by=researcher)
    assert Person.objects.get(pk=person.pk).expected_release == PartialDate(2011, 3, 4)


# -- optimistic locking ------------------------------------------------------------------------------
def test_person_update_bumps_the_version_and_records_the_change(person, researcher):
    assert person.version == 1
    updated = services.person_update(
        person=person, version=1, by=researcher, occupation="lawyer", birth_date="1970-02"
    )
    assert updated.version == 2
    assert updated.birth_date == PartialDate(1970, 2)
    row = History.objects.filter(content_type__model="person", object_id=person.pk, action="update").get()
    assert row.changes == {"occupation": ["", "lawyer"], "birth_date": [None, "1970-02"]}
    assert row.user == researcher


def test_a_stale_version_raises_edit_conflict_and_keeps_both_sides(person, researcher, admin_user):
    mine = Person.objects.get(pk=person.pk)
    theirs = Person.objects.get(pk=person.pk)
    services.person_update(person=theirs, version=theirs.version, by=admin_user, occupation="teacher")
    with pytest.raises(services.EditConflict, match="changed by someone else"):
        services.person_update(
            person=mine, version=mine.version, by=researcher, occupation="lawyer", religion="x"
        )
    stored = Person.objects.get(pk=person.pk)
    assert (stored.occupation, stored.religion, stored.version) == ("teacher", "", 2)
    # The refused edit is still in hand to apply again after reloading.
    assert mine.version == 1
    retried = services.person_update(person=mine, version=stored.version, by=researcher, religion="Christian")
    assert (retried.occupation, retried.religion, retried.version) == ("teacher", "Christian", 3)
    updates = History.objects.filter(content_type__model="person", object_id=person.pk, action="update")
    assert updates.count() == 2


def test_person_update_refuses_derived_and_unknown_fields(person, researcher):
    for field in ("display_name", "current_status", "expected_release", "updated_at", "nonsense"):
        with pytest.raises(ValidationError, match="not editable"):
            fields: dict[str, Any] = {field: "x"}
            services.person_update(person=person, version=1, by=researcher, **fields)
    assert Person.objects.get(pk=person.pk).version == 1


def test_person_update_validates_and_writes_nothing_on_error(person, researcher):
    with pytest.raises(ValidationError):
        services.person_update(person=person, version=1, by=researcher, birth_date="1970-02-30")
    with pytest.raises(ValidationError):
        services.person_update(person=person, version=1, by=researcher, sex="Q")
    stored = Person.objects.get(pk=person.pk)
    assert (stored.version, stored.birth_date, stored.sex) == (1, None, "")
    assert not History.objects.filter(content_type__model="person", action="update").exists()


def test_person_update_without_a_change_writes_no_history(person, researcher):
    services.person_update(person=person, version=1, by=researcher, occupation="")
    assert not History.objects.filter(content_type__model="person", action="update").exists()


def test_a_fixed_sentence_without_a_term_is_refused(person, researcher):
    detention = services.detention_record(person=person, started="2009", unsourced=True, by=researcher)
    with pytest.raises(ValidationError):
        services.sentence_record(detention=detention, kind="fixed", unsourced=True, by=researcher)
    with pytest.raises(IntegrityError), transaction.atomic():
        Sentence.objects.create(detention=detention, kind="fixed", unsourced_by=researcher)
    assert not Sentence.objects.exists()
    life = services.sentence_record(detention=detention, kind="life", unsourced=True, by=researcher)
    assert life.term_months is None

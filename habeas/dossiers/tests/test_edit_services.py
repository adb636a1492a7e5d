"""Editing and removing facts: a version token so two editors cannot silently overwrite each other,
history before/after in the same transaction, citations replaced or kept, name keys and derived
columns kept in step, removal refused where it would take other facts along."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from habeas.accounts.models import Confidentiality
from habeas.audit.models import History
from habeas.dossiers import services
from habeas.dossiers.models import Detention, HealthNote, NameKey, Person, PersonName, Sentence, StatusChange
from habeas.dossiers.selectors import person_search
from habeas.lib.dates import PartialDate
from habeas.sources.services import citation_for_quote, source_store

pytestmark = pytest.mark.django_db

TEXT = (
    "Zhang Wenhui (张文辉) was taken from his home on 4 June 2015 and held at the Qinghe centre. "
    "He was released in 2019 and treated for a heart condition."
)


@pytest.fixture
def source(researcher):
    return source_store(text=TEXT, title="Fictional report", by=researcher)[0]


@pytest.fixture
def person(researcher) -> Person:
    return services.person_create(names=["Zhang Wenhui", "张文辉"], unsourced=True, by=researcher)


@pytest.fixture
def detention(person, researcher, source) -> Detention:
    cite = citation_for_quote(source=source, quote="taken from his home on 4 June 2015")
    return services.detention_record(
        person=person, started="2015-06-04", measure="criminal_detention", citations=[cite], by=researcher
    )


def history_of(obj) -> list[History]:
    return list(
        History.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name).order_by("id")
    )


class Boom(Exception):
    pass


# -- the version token -------------------------------------------------------------------------------
def test_fact_version_changes_with_any_saved_value_even_one_written_around_the_services(detention):
    before = services.fact_version(detention)
    assert services.fact_version(Detention.objects.get(pk=detention.pk)) == before
    Detention.objects.filter(pk=detention.pk).update(notes="changed by an import")
    assert services.fact_version(Detention.objects.get(pk=detention.pk)) != before


def test_fact_version_changes_when_an_extra_citation_is_added(detention, source):
    before = services.fact_version(detention)
    detention.extra_citations.add(citation_for_quote(source=source, quote="held at the Qinghe centre"))
    assert services.fact_version(detention) != before


# -- fact_update -------------------------------------------------------------------------------------
def test_fact_update_changes_values_and_records_before_and_after(detention, researcher):
    version = services.fact_version(detention)
    updated = services.fact_update(
        fact=detention, version=version, by=researcher, started="2015-06", measure="rsdl", notes="moved"
    )
    assert updated.started == PartialDate(2015, 6) and updated.measure == "rsdl"
    assert Detention.objects.get(pk=detention.pk).notes == "moved"
    create, update = history_of(detention)
    assert create.action == "create"
    assert (update.action, update.user) == ("update", researcher)
    assert update.changes["started"] == ["2015-06-04", "2015-06"]
    assert update.changes["measure"] == ["criminal_detention", "rsdl"]
    assert update.changes["notes"] == ["", "moved"]
    assert "citation" not in update.changes  # citations were left as they were


def test_fact_update_from_an_older_version_is_refused_and_writes_nothing(detention, researcher, admin_user):
    version = services.fact_version(detention)
    services.fact_update(fact=detention, version=version, by=admin_user, notes="first editor")
    with pytest.raises(services.EditConflict, match="changed by someone else"):
        services.fact_update(fact=detention, version=version, by=researcher, notes="second editor")
    assert Detention.objects.get(pk=detention.pk).notes == "first editor"
    assert [h.user for h in history_of(detention)] == [researcher, admin_user]


def test_fact_update_of_a_removed_fact_is_a_conflict(detention, researcher):
    version = services.fact_version(detention)
    Detention.objects.filter(pk=detention.pk).delete()
    with pytest.raises(services.EditConflict, match="removed by someone else"):
        services.fact_update(fact=detention, version=version, by=researcher, notes="x")


def test_fact_update_rolls_back_when_the_history_row_fails(monkeypatch, detention, researcher):
    version = services.fact_version(detention)

    def fail(**kwargs):
        raise Boom

    monkeypatch.setattr(services, "history_record", fail)
    with pytest.raises(Boom):
        services.fact_update(fact=detention, version=version, by=researcher, notes="lost")
    assert Detention.objects.get(pk=detention.pk).notes == ""


def test_fact_update_refuses_fields_that_are_not_editable(detention, researcher, person):
    version = services.fact_version(detention)
    with pytest.raises(ValidationError, match="not editable here: person"):
        services.fact_update(fact=detention, version=version, by=researcher, person=person)


def test_fact_update_validates_like_a_new_fact(person, researcher):
    note = services.allegation_record(person=person, kind="torture", unsourced=True, by=researcher)
    with pytest.raises(ValidationError):
        services.fact_update(fact=note, version=services.fact_version(note), by=researcher, wgad_category=2)
    assert note.__class__.objects.get(pk=note.pk).wgad_category is None


def test_fact_update_replaces_the_citation_or_marks_it_unsourced_naming_the_user(
    detention, source, researcher, admin_user
):
    new = citation_for_quote(source=source, quote="held at the Qinghe centre")
    old = detention.citation_id
    updated = services.fact_update(
        fact=detention, version=services.fact_version(detention), by=researcher, citations=[new]
    )
    assert updated.citation_id == new.pk and updated.unsourced_by is None
    assert history_of(detention)[-1].changes["citation"] == [old, new.pk]
    updated = services.fact_update(
        fact=updated, version=services.fact_version(updated), by=admin_user, unsourced=True
    )
    assert updated.citation is None and updated.unsourced_by == admin_user
    assert history_of(detention)[-1].changes["unsourced_by"] == [None, admin_user.pk]


def test_fact_update_of_a_name_rewrites_its_search_keys_and_the_display_name(person, researcher):
    main = person.names.get(kind="main")
    services.fact_update(
        fact=main, version=services.fact_version(main), by=researcher, text="  Zhang  Wenxin "
    )
    assert PersonName.objects.get(pk=main.pk).text == "Zhang Wenxin"
    assert Person.objects.get(pk=person.pk).display_name == "Zhang Wenxin"
    assert person_search(researcher, "wenxin") == [person]
    assert person_search(researcher, "wenhui") == [person]  # still found by the hanzi alias 张文辉
    assert not NameKey.objects.filter(name=main, key__contains="wenhui").exists()


def test_fact_update_keeps_derived_columns_in_step(person, researcher):
    status = services.status_record(
        person=person, status="detained", date="2015-06", unsourced=True, by=researcher
    )
    assert Person.objects.get(pk=person.pk).current_status == "detained"
    services.fact_update(fact=status, version=services.fact_version(status), by=researcher, status="released")
    assert Person.objects.get(pk=person.pk).current_status == "released"


# -- fact_remove -------------------------------------------------------------------------------------
def test_fact_remove_keeps_every_value_in_a_delete_row(person, researcher, admin_user):
    note = services.health_note_record(
        person=person, date="2019", condition="heart condition", unsourced=True, by=researcher
    )
    services.fact_remove(fact=note, version=services.fact_version(note), by=admin_user, note="duplicate")
    assert not HealthNote.objects.filter(pk=note.pk).exists()
    row = history_of(note)[-1]
    assert (row.action, row.user, row.note) == ("delete", admin_user, "duplicate")
    assert row.changes["condition"] == "heart condition" and row.changes["unsourced_by"] == researcher.pk


def test_fact_remove_from_an_older_version_is_refused(person, researcher):
    note = services.health_note_record(person=person, condition="cough", unsourced=True, by=researcher)
    version = services.fact_version(note)
    services.fact_update(fact=note, version=version, by=researcher, condition="pneumonia")
    with pytest.raises(services.EditConflict):
        services.fact_remove(fact=note, version=version, by=researcher)
    assert HealthNote.objects.filter(pk=note.pk).exists()


def test_removing_a_detention_with_a_sentence_is_refused_until_the_sentence_goes(detention, researcher):
    sentence = services.sentence_record(
        detention=detention, kind="fixed", term_months=48, unsourced=True, by=researcher
    )
    with pytest.raises(ValidationError, match="still has sentences"):
        services.fact_remove(fact=detention, version=services.fact_version(detention), by=researcher)
    services.fact_remove(fact=sentence, version=services.fact_version(sentence), by=researcher)
    services.fact_remove(fact=detention, version=services.fact_version(detention), by=researcher)
    assert not Detention.objects.filter(pk=detention.pk).exists()
    assert not Sentence.objects.exists()


def test_a_persons_only_name_cannot_be_removed(researcher):
    person = services.person_create(names=["Ma Lan"], unsourced=True, by=researcher)
    (name,) = person.names.all()
    with pytest.raises(ValidationError, match="only name"):
        services.fact_remove(fact=name, version=services.fact_version(name), by=researcher)


def test_removing_a_name_drops_its_keys_and_updates_the_display_name(person, researcher):
    main = person.names.get(kind="main")
    services.fact_remove(fact=main, version=services.fact_version(main), by=researcher)
    assert not NameKey.objects.filter(name_id=main.pk).exists()
    assert Person.objects.get(pk=person.pk).display_name == "张文辉"


def test_removing_a_status_change_refreshes_the_current_status(person, researcher):
    services.status_record(person=person, status="detained", date="2015", unsourced=True, by=researcher)
    released = services.status_record(
        person=person, status="released", date="2019", unsourced=True, by=researcher
    )
    services.fact_remove(fact=released, version=services.fact_version(released), by=researcher)
    assert Person.objects.get(pk=person.pk).current_status == "detained"
    assert StatusChange.objects.count() == 1


# -- person_update with citations, name_add with a level ----------------------------------------------
def test_person_update_can_replace_the_persons_citation(person, source, researcher):
    cite = citation_for_quote(source=source, quote="Zhang Wenhui (张文辉)")
    updated = services.person_update(
        person=person, version=person.version, by=researcher, citations=[cite], occupation="teacher"
    )
    assert updated.citation_id == cite.pk and updated.unsourced_by is None
    assert updated.version == person.version + 1
    row = history_of(person)[-1]
    assert row.changes["citation"] == [None, cite.pk] and row.changes["occupation"] == ["", "teacher"]


def test_person_update_without_citations_keeps_them(person, researcher):
    updated = services.person_update(person=person, version=person.version, by=researcher, religion="none")
    assert updated.unsourced_by == researcher
    assert "unsourced_by" not in history_of(person)[-1].changes


def test_name_add_takes_its_own_level(person, researcher):
    name = services.name_add(
        person=person,
        text="Ah Hui",
        confidentiality=Confidentiality.RESTRICTED,
        unsourced=True,
        by=researcher,
    )
    assert name.confidentiality == Confidentiality.RESTRICTED
    assert services.name_add(
        person=person, text="Xiao Zhang", unsourced=True, by=researcher
    ).confidentiality == (person.confidentiality)

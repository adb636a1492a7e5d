"""Split of a falsely merged dossier, its undo, and merges of places of detention."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from conftest import _persona
from habeas.accounts.models import Confidentiality, Role
from habeas.dossiers.models import Detention, HealthNote, NameKey, Person, PersonName, StatusChange
from habeas.dossiers.selectors import person_search
from habeas.dossiers.services import custody_period_record, detention_record
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.linkage.merge import merge_undo, person_merge, person_split, place_merge
from habeas.linkage.models import Decision, MergeRecord, PlacePair
from habeas.places.models import Place, PlaceName, PopulationObservation
from habeas.places.selectors import place_list
from habeas.places.services import place_create, population_record

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


@pytest.fixture
def low_researcher(db):
    return _persona("lena", Role.RESEARCHER, Confidentiality.INTERNAL)


def falsely_merged() -> Person:
    """One dossier holding two men: Li Wei the lawyer (2015) and Li Wei the petitioner (2019)."""
    (person,) = make(bundle(1, names=("Li Wei", "李伟"), started="2015-07", each=2))
    return person


# -- split -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_split_moves_the_chosen_names_and_facts_to_a_new_dossier(researcher) -> None:
    person = falsely_merged()
    name = PersonName.objects.get(person=person, text="Alias1x0")
    detention = Detention.objects.filter(person=person).order_by("pk").first()  # statuses hang from it
    assert detention is not None
    health = HealthNote.objects.filter(person=person).first()
    assert health is not None
    record = person_split(person=person, records=[name, detention, health], by=researcher)
    new = record.target_person
    assert list(PersonName.objects.filter(person=new).values_list("text", flat=True)) == ["Alias1x0"]
    assert list(Detention.objects.filter(person=new)) == [detention]
    assert list(HealthNote.objects.filter(person=new)) == [health]
    # A status tied to the moved detention went with it.
    assert StatusChange.objects.filter(person=new, detention=detention).exists()
    assert not StatusChange.objects.filter(person=person, detention=detention).exists()
    assert new.confidentiality == person.confidentiality
    assert new.citation_id == name.citation_id  # cites what its first name cites
    assert set(NameKey.objects.filter(name=name).values_list("person_id", flat=True)) == {new.pk}
    new.refresh_from_db()
    assert new.display_name == "Alias1x0"


@pytest.mark.django_db
def test_split_needs_a_name_to_go_and_a_name_to_stay(researcher) -> None:
    person = falsely_merged()
    detention = Detention.objects.filter(person=person).first()
    assert detention is not None
    with pytest.raises(ValidationError, match="at least one name for the new"):
        person_split(person=person, records=[detention], by=researcher)
    with pytest.raises(ValidationError, match="leave at least one name"):
        person_split(person=person, records=list(PersonName.objects.filter(person=person)), by=researcher)
    assert not MergeRecord.objects.exists()


@pytest.mark.django_db
def test_a_status_tied_to_a_detention_cannot_leave_without_it(researcher) -> None:
    person = falsely_merged()
    name = PersonName.objects.get(person=person, text="Alias1x0")
    status = StatusChange.objects.filter(person=person, detention__isnull=False).first()
    assert status is not None
    with pytest.raises(ValidationError, match="moves with its detention"):
        person_split(person=person, records=[name, status], by=researcher)


@pytest.mark.django_db
def test_split_refuses_records_of_another_person(researcher) -> None:
    person = falsely_merged()
    (other,) = make(bundle(2, names=("Zhang San",)))
    name = PersonName.objects.get(person=person, text="Alias1x0")
    with pytest.raises(ValidationError, match="not this person's"):
        person_split(
            person=person, records=[name, HealthNote.objects.filter(person=other).get()], by=researcher
        )


@pytest.mark.django_db
def test_split_above_clearance_is_refused(low_researcher) -> None:
    person = falsely_merged()
    name = PersonName.objects.get(person=person, text="Alias1x0")
    detention = Detention.objects.filter(person=person).first()
    assert detention is not None
    Detention.objects.filter(pk=detention.pk).update(confidentiality=RESTRICTED)
    with pytest.raises(ValidationError, match="above your clearance"):
        person_split(person=person, records=[name, detention], by=low_researcher)


@pytest.mark.django_db
def test_undoing_a_split_merges_the_new_dossier_back_and_can_itself_be_undone(researcher) -> None:
    person = falsely_merged()
    name = PersonName.objects.get(person=person, text="Alias1x0")
    split = person_split(person=person, records=[name], by=researcher)
    new = split.target_person
    merge_undo(record=split, by=researcher)
    name.refresh_from_db()
    new.refresh_from_db()
    assert name.person_id == person.pk and new.merged_into_id == person.pk
    split.refresh_from_db()
    merged = MergeRecord.objects.get(operation="merge", origin_person=new)
    assert split.undo_report == {"merged back": [f"merge #{merged.pk}"]}
    merge_undo(record=merged, by=researcher)
    name.refresh_from_db()
    assert name.person_id == new.pk


# -- places ----------------------------------------------------------------------------------------
def two_places(admin_user, level: int = INTERNAL) -> tuple[Place, Place]:
    survivor = place_create(names=["Beijing No. 2 Prison", "北京市第二监狱"], by=admin_user, kind="prison")
    absorbed = place_create(
        names=["Beijing Number 2 prison", "北京市第二监狱"],
        by=admin_user,
        province="Beijing",
        confidentiality=level,
    )
    return survivor, absorbed


@pytest.mark.django_db
def test_place_merge_moves_names_counts_and_detentions_and_undo_restores_them(admin_user, researcher) -> None:
    survivor, absorbed = two_places(admin_user)
    (person,) = make(bundle(1, names=("Liu Xiaobo",)))
    detention = detention_record(person=person, place=absorbed, unsourced=True, by=admin_user)
    custody = custody_period_record(detention=detention, place=absorbed, unsourced=True, by=admin_user)
    count = population_record(place=absorbed, observed="2015", population=1800, unsourced=True, by=admin_user)
    left, right = sorted([survivor, absorbed], key=lambda p: p.pk)
    pair = PlacePair.objects.create(left=left, right=right, score=0.99)

    record = place_merge(survivor=survivor, absorbed=absorbed, by=researcher, pair=pair)

    detention.refresh_from_db()
    custody.refresh_from_db()
    count.refresh_from_db()
    assert (detention.place_id, custody.place_id, count.place_id) == (survivor.pk,) * 3
    assert sorted(PlaceName.objects.filter(place=survivor).values_list("text", flat=True)) == [
        "Beijing No. 2 Prison",
        "Beijing Number 2 prison",
        "北京市第二监狱",
    ]
    # The name both carry stays on the absorbed place.
    assert list(PlaceName.objects.filter(place=absorbed).values_list("text", flat=True)) == ["北京市第二监狱"]
    survivor.refresh_from_db()
    assert survivor.province == "Beijing"  # filled from the absorbed place
    listed = [p.pk for p in place_list(researcher, q="Beijing").object_list]
    assert listed == [survivor.pk]
    pair.refresh_from_db()
    assert pair.decision == Decision.MERGED

    merge_undo(record=record, by=researcher)
    detention.refresh_from_db()
    custody.refresh_from_db()
    count.refresh_from_db()
    survivor.refresh_from_db()
    absorbed.refresh_from_db()
    assert (detention.place_id, custody.place_id, count.place_id) == (absorbed.pk,) * 3
    assert survivor.province == "" and absorbed.merged_into_id is None
    assert sorted(PlaceName.objects.filter(place=absorbed).values_list("text", flat=True)) == [
        "Beijing Number 2 prison",
        "北京市第二监狱",
    ]
    assert PopulationObservation.objects.get(pk=count.pk).place_id == absorbed.pk


@pytest.mark.django_db
def test_place_merge_above_clearance_is_refused(admin_user, low_researcher) -> None:
    survivor, absorbed = two_places(admin_user)
    (person,) = make(bundle(1, names=("Liu Xiaobo",)))
    detention_record(person=person, place=absorbed, unsourced=True, by=admin_user, confidentiality=RESTRICTED)
    with pytest.raises(ValidationError, match="above your clearance"):
        place_merge(survivor=survivor, absorbed=absorbed, by=low_researcher)
    absorbed.refresh_from_db()
    assert absorbed.merged_into_id is None


@pytest.mark.django_db
def test_merged_persons_are_not_found_by_names_left_behind(researcher, viewer) -> None:
    survivor, absorbed = make(
        bundle(1, names=("Gao Zhisheng",), level=PUBLIC),
        bundle(2, names=("Gao Zhisheng", "高智晟"), level=PUBLIC),
    )
    person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    assert person_search(viewer, "Gao Zhisheng") == [survivor]
    assert person_search(viewer, "高智晟") == [survivor]

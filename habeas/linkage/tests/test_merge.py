"""Merge and undo of person dossiers: nothing lost, everything back exactly, clearance respected."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import _persona
from habeas.accounts.models import Confidentiality, Role
from habeas.audit.models import Action, History
from habeas.dossiers.models import (
    Affiliation,
    Allegation,
    Charge,
    CustodyPeriod,
    Detention,
    ExternalId,
    HealthNote,
    LegalStep,
    NameKey,
    Person,
    PersonName,
    Sentence,
    SentenceChange,
    StatusChange,
)
from habeas.dossiers.selectors import person_list, person_search
from habeas.dossiers.services import (
    fact_remove,
    fact_update,
    fact_version,
    health_note_record,
    person_update,
    sentence_record,
    status_record,
)
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.linkage.merge import final_survivor, merge_undo, person_merge
from habeas.linkage.models import Decision, MergeRecord, PersonPair

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED

FACTS = (PersonName, ExternalId, Detention, StatusChange, HealthNote, Allegation, Affiliation)
NESTED = (CustodyPeriod, LegalStep, Charge, Sentence, SentenceChange)


@pytest.fixture
def low_researcher(db):
    """A researcher cleared for internal records only."""
    return _persona("lena", Role.RESEARCHER, Confidentiality.INTERNAL)


def two(level_a: int = INTERNAL, level_b: int = INTERNAL) -> tuple[Person, Person]:
    """Tenzin Delek and Tenzin Deleg: one real person, two dossiers, every kind of fact on each."""
    survivor, absorbed = make(
        bundle(1, names=("Tenzin Delek", "བསྟན་འཛིན་བདེ་ལེགས"), level=level_a, started="2002-04"),
        bundle(2, names=("Tenzin Deleg", "Trulku Tenzin Deleg"), level=level_b, started="2002-04", each=2),
    )
    return survivor, absorbed


def snapshot() -> dict[str, object]:
    """Every row of every kind of fact, with each column and its extra citations; name keys; the
    derived columns of every person: what an exact undo must give back."""
    state: dict[str, object] = {}
    for model in (*FACTS, *NESTED, Person):
        rows = {}
        for obj in model.objects.order_by("pk"):
            values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
            values.pop("updated_at", None)
            values.pop("version", None)
            if hasattr(obj, "extra_citations"):
                values["extra"] = sorted(obj.extra_citations.values_list("pk", flat=True))
            rows[obj.pk] = values
        state[model.__name__] = rows
    state["keys"] = sorted(NameKey.objects.values_list("person_id", "name_id", "key"))
    return state


@pytest.mark.django_db
def test_merge_moves_every_name_fact_and_citation(researcher) -> None:
    survivor, absorbed = two()
    cited = {
        (type(f).__name__, f.pk): (f.citation_id, sorted(f.extra_citations.values_list("pk", flat=True)))
        for model in FACTS
        if model is not ExternalId
        for f in model.objects.filter(person=absorbed)
    }
    counts = {model: model.objects.filter(person__in=[survivor, absorbed]).count() for model in FACTS}
    nested = {model: model.objects.count() for model in NESTED}

    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)

    for model in FACTS:
        assert model.objects.filter(person=absorbed).count() == 0, model
        assert model.objects.filter(person=survivor).count() == counts[model], model
    assert {model: model.objects.count() for model in NESTED} == nested
    for (name, pk), (first, extra) in cited.items():
        fact = next(m for m in FACTS if m.__name__ == name).objects.get(pk=pk)
        assert (fact.citation_id, sorted(fact.extra_citations.values_list("pk", flat=True))) == (first, extra)
    absorbed.refresh_from_db()
    assert absorbed.merged_into_id == survivor.pk
    assert not NameKey.objects.filter(person_id=absorbed.pk).exists()
    assert record.operation == "merge" and record.origin_person_id == absorbed.pk
    assert final_survivor(Person, absorbed.pk) == survivor.pk


@pytest.mark.django_db
def test_merged_person_is_found_under_every_name_and_listed_once(researcher, viewer) -> None:
    survivor, absorbed = two(PUBLIC, PUBLIC)
    person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    assert person_search(viewer, "Tenzin Deleg") == [survivor]
    assert person_search(viewer, "Trulku") == [survivor]
    filter_sets: list[dict[str, Any]] = [{}, {"status": "detained"}, {"province": "Hebei"}, {"q": "Tenzin"}]
    for filters in filter_sets:
        listed = [p.pk for p in person_list(viewer, **filters).object_list]
        assert listed == [survivor.pk], filters


@pytest.mark.django_db
def test_undo_restores_every_row_exactly(researcher) -> None:
    survivor, absorbed = two()
    PersonPair.objects.create(left=survivor, right=absorbed, score=0.9)
    before = snapshot()
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    assert snapshot() != before
    merge_undo(record=record, by=researcher)
    assert snapshot() == before
    record.refresh_from_db()
    assert record.undone_by == researcher and record.undo_report == {}


@pytest.mark.django_db
def test_a_name_both_carry_stays_behind_and_its_citations_join_the_survivors(researcher) -> None:
    survivor, absorbed = make(
        bundle(1, names=("Tenzin Delek",)), bundle(2, names=("Tenzin Delek", "Tenzin Deleg"))
    )
    twin = PersonName.objects.get(person=absorbed, text="Tenzin Delek")
    mine = PersonName.objects.get(person=survivor, text="Tenzin Delek")
    assert twin.citation_id != mine.citation_id
    before = snapshot()
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    twin.refresh_from_db()
    assert twin.person_id == absorbed.pk  # a name is stored once per person
    assert twin.citation_id in set(mine.extra_citations.values_list("pk", flat=True))
    assert not NameKey.objects.filter(name=twin).exists()  # the absorbed record is not found by it
    assert sorted(PersonName.objects.filter(person=survivor).values_list("text", flat=True)) == [
        "Tenzin Deleg",
        "Tenzin Delek",
    ]
    merge_undo(record=record, by=researcher)
    assert snapshot() == before


@pytest.mark.django_db
def test_derived_status_and_release_are_recomputed(researcher) -> None:
    survivor, absorbed = make(
        bundle(1, names=("Wang Dan",), status="released", started="1990-01"),
        bundle(2, names=("王丹",), status="detained", started="2009-03"),
    )
    before = (survivor.current_status, survivor.expected_release)
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    survivor.refresh_from_db()
    absorbed.refresh_from_db()
    assert survivor.current_status == "detained"  # the later status, which came with the merge
    assert absorbed.display_name == "" and absorbed.current_status == ""
    merge_undo(record=record, by=researcher)
    survivor.refresh_from_db()
    absorbed.refresh_from_db()
    assert (survivor.current_status, survivor.expected_release) == before
    assert absorbed.display_name == "王丹" and absorbed.current_status == "detained"


# -- after the merge -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_facts_added_to_the_survivor_after_the_merge_stay_on_undo(researcher) -> None:
    survivor, absorbed = two()
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    note = health_note_record(person=survivor, condition="diabetes", unsourced=True, by=researcher)
    merge_undo(record=record, by=researcher)
    note.refresh_from_db()
    assert note.person_id == survivor.pk


@pytest.mark.django_db
def test_facts_added_under_a_moved_detention_follow_it_back(researcher) -> None:
    survivor, absorbed = two()
    moved = Detention.objects.filter(person=absorbed).first()
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    sentence = sentence_record(detention=moved, kind="life", unsourced=True, by=researcher)
    status = status_record(person=survivor, detention=moved, status="released", unsourced=True, by=researcher)
    merge_undo(record=record, by=researcher)
    sentence.refresh_from_db()
    status.refresh_from_db()
    assert sentence.detention.person_id == absorbed.pk
    assert status.person_id == absorbed.pk  # with its detention, not split from it
    record.refresh_from_db()
    assert record.undo_report["followed their detention"] == [f"statuschange #{status.pk}"]


@pytest.mark.django_db
def test_a_moved_fact_edited_since_goes_back_edited_and_a_removed_one_is_reported(researcher) -> None:
    survivor, absorbed = two()
    edited, removed = HealthNote.objects.filter(person=absorbed).order_by("pk")
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    edited.refresh_from_db()
    removed.refresh_from_db()
    fact_update(fact=edited, version=fact_version(edited), by=researcher, condition="kidney failure")
    fact_remove(fact=removed, version=fact_version(removed), by=researcher)
    merge_undo(record=record, by=researcher)
    edited.refresh_from_db()
    assert (edited.person_id, edited.condition) == (absorbed.pk, "kidney failure")
    record.refresh_from_db()
    assert record.undo_report["removed"] == [f"health note #{removed.pk}"]


@pytest.mark.django_db
def test_empty_fields_are_filled_from_the_absorbed_record_and_emptied_on_undo(researcher) -> None:
    survivor, absorbed = two()
    Person.objects.filter(pk=survivor.pk).update(ethnicity="", religion="")
    Person.objects.filter(pk=absorbed.pk).update(ethnicity="Tibetan", religion="Buddhism")
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    survivor.refresh_from_db()
    assert (survivor.ethnicity, survivor.religion) == ("Tibetan", "Buddhism")
    # An edit after the merge wins over the undo.
    survivor = person_update(person=survivor, version=survivor.version, by=researcher, religion="Bon")
    merge_undo(record=record, by=researcher)
    survivor.refresh_from_db()
    assert (survivor.ethnicity, survivor.religion) == ("", "Bon")
    record.refresh_from_db()
    assert record.undo_report["changed since, kept"] == ["religion"]


@pytest.mark.django_db
def test_a_more_confidential_record_fills_nothing(researcher) -> None:
    survivor, absorbed = two(INTERNAL, RESTRICTED)
    Person.objects.filter(pk=survivor.pk).update(occupation="")
    Person.objects.filter(pk=absorbed.pk).update(occupation="informant")
    person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    survivor.refresh_from_db()
    assert survivor.occupation == ""
    # Each fact keeps its own level: the restricted names are still restricted on the survivor.
    assert set(PersonName.objects.filter(text="Tenzin Deleg").values_list("confidentiality", flat=True)) == {
        RESTRICTED
    }


# -- who may ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_merge_above_the_users_clearance_is_refused_and_writes_nothing(researcher, low_researcher) -> None:
    survivor, absorbed = two()
    HealthNote.objects.filter(person=absorbed).update(confidentiality=RESTRICTED)
    before = snapshot()
    with pytest.raises(ValidationError, match="above your clearance"):
        person_merge(survivor=survivor, absorbed=absorbed, by=low_researcher)
    assert snapshot() == before
    assert not MergeRecord.objects.exists()
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    with pytest.raises(ValidationError, match="above your clearance"):
        merge_undo(record=record, by=low_researcher)


@pytest.mark.django_db
def test_a_hidden_person_is_answered_like_a_missing_one(low_researcher) -> None:
    survivor, absorbed = two(INTERNAL, RESTRICTED)
    with pytest.raises(ValidationError, match="does not exist or is not visible"):
        person_merge(survivor=survivor, absorbed=absorbed, by=low_researcher)


@pytest.mark.django_db
def test_reviewers_and_viewers_may_not_merge(reviewer, viewer) -> None:
    survivor, absorbed = two()
    for user in (reviewer, viewer):
        with pytest.raises(PermissionDenied):
            person_merge(survivor=survivor, absorbed=absorbed, by=user)


@pytest.mark.django_db
def test_merging_twice_or_into_itself_is_refused(researcher) -> None:
    survivor, absorbed = two()
    with pytest.raises(ValidationError, match="itself"):
        person_merge(survivor=survivor, absorbed=survivor, by=researcher)
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    with pytest.raises(ValidationError, match="already merged"):
        person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    merge_undo(record=record, by=researcher)
    with pytest.raises(ValidationError, match="already undone"):
        merge_undo(record=record, by=researcher)


@pytest.mark.django_db
def test_undo_waits_for_a_later_merge_of_the_survivor(researcher) -> None:
    first, second, third = make(
        bundle(1, names=("Tenzin Delek",)), bundle(2, names=("Tenzin Deleg",)), bundle(3, names=("A-ngag",))
    )
    earlier = person_merge(survivor=second, absorbed=first, by=researcher)
    later = person_merge(survivor=third, absorbed=second, by=researcher)
    assert final_survivor(Person, first.pk) == third.pk
    with pytest.raises(ValidationError, match="undo that merge first"):
        merge_undo(record=earlier, by=researcher)
    merge_undo(record=later, by=researcher)
    merge_undo(record=earlier, by=researcher)
    assert PersonName.objects.get(text="Tenzin Delek").person_id == first.pk


# -- history and pairs -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_history_says_what_moved_where(researcher) -> None:
    survivor, absorbed = two()
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    moved = Detention.objects.filter(person=survivor).exclude(pk__in=[]).order_by("-pk").first()
    row = History.objects.get(
        content_type=ContentType.objects.get_for_model(Detention), object_id=moved.pk, action=Action.MERGE
    )
    assert row.changes == {"person": [absorbed.pk, survivor.pk]}
    assert f"merge #{record.pk}" in row.note and row.user == researcher
    marked = History.objects.get(
        content_type=ContentType.objects.get_for_model(Person), object_id=absorbed.pk, action=Action.MERGE
    )
    assert marked.changes == {"merged_into": [None, survivor.pk]}
    merge_undo(record=record, by=researcher)
    back = History.objects.get(
        content_type=ContentType.objects.get_for_model(Detention), object_id=moved.pk, action=Action.SPLIT
    )
    assert back.changes == {"person": [survivor.pk, absorbed.pk]}
    assert f"undo of merge #{record.pk}" in back.note


@pytest.mark.django_db
def test_the_pair_is_marked_merged_and_pending_again_after_undo(researcher) -> None:
    survivor, absorbed = two()
    left, right = sorted([survivor, absorbed], key=lambda p: p.pk)
    pair = PersonPair.objects.create(left=left, right=right, score=0.97)
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher, pair=pair)
    pair.refresh_from_db()
    assert (pair.decision, pair.decided_by) == (Decision.MERGED, researcher)
    merge_undo(record=record, by=researcher)
    pair.refresh_from_db()
    assert (pair.decision, pair.decided_by) == (Decision.PENDING, None)


@pytest.mark.django_db
def test_a_pair_about_other_records_is_refused(researcher) -> None:
    survivor, absorbed = two()
    (other,) = make(bundle(3, names=("Someone Else",)))
    pair = PersonPair.objects.create(left=survivor, right=other, score=0.5)
    with pytest.raises(ValidationError, match="not about these two"):
        person_merge(survivor=survivor, absorbed=absorbed, by=researcher, pair=pair)


def test_every_link_to_a_person_moves_except_derived_keys_and_linkages_own_rows() -> None:
    from habeas.linkage.merge import _links

    links = {(model._meta.label, name) for model, name in _links(Person)}
    assert {
        ("dossiers.Detention", "person"),
        ("dossiers.ExternalId", "person"),
        ("review.Candidate", "person"),
    } <= links
    # Apps that link to dossiers later (prisoner lists, interviews) are moved without a change here.
    later = {
        (m._meta.label, f.name)
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if f.is_relation and f.related_model is Person and m._meta.app_label not in ("dossiers", "linkage")
    }
    assert later <= links
    assert not any(
        label in ("dossiers.NameKey", "dossiers.Person") or label.startswith("linkage.") for label, _ in links
    )

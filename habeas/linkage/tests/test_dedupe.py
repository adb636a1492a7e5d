"""Pair storage and the dedupe batch on a small database: pairs stored once, re-scored, decided pairs
left alone, "different" never proposed again; the command end to end; places; candidates for one person."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from habeas.dossiers import services as dossiers
from habeas.linkage import dedupe
from habeas.linkage.candidates import person_candidates, person_candidates_scored
from habeas.linkage.models import Decision, LinkageSettings, PersonPair, PlacePair
from habeas.linkage.services import (
    ScoredPair,
    decided_pairs,
    decision_for,
    linkage_settings_update,
    pair_key,
    pairs_store,
    person_pair_record,
)
from habeas.places.services import place_create

pytestmark = pytest.mark.django_db
pytest.importorskip("splink", reason="splink is not installed")


def person(by, names, **fields):
    detention = fields.pop("detention", None)
    p = dossiers.person_create(names=names, unsourced=True, by=by, **fields)
    if detention:
        dossiers.detention_record(person=p, unsourced=True, by=by, started=detention)
    return p


@pytest.fixture
def people(researcher):
    return {
        "wang": person(researcher, ["王丹"], sex="M", birth_date="1969", ethnicity="Han",
                       residence_province="Beijing", detention="1989-07"),
        "wang2": person(researcher, ["Dan Wang"], sex="M", birth_date="1969", ethnicity="Han",
                        residence_province="Beijing", detention="1989-07"),
        "namesake": person(researcher, ["Wang Dan"], sex="F", birth_date="1985", ethnicity="Han",
                           residence_province="Sichuan", detention="2015-03"),
        "rebiya": person(researcher, ["Rebiya Kadeer"], sex="F", birth_date="1946", ethnicity="Uyghur",
                         residence_province="Xinjiang"),
        "rabiye": person(researcher, ["Rabiye Qadir", "ربىيە قادىر"], sex="F", birth_date="1946",
                         ethnicity="Uyghur", residence_province="新疆"),
    }  # fmt: skip


def _pair(a, b):
    left, right = pair_key(a.pk, b.pk)
    return PersonPair.objects.filter(left_id=left, right_id=right).first()


# -- storage rules ----------------------------------------------------------------------------------
def test_pair_is_stored_once_lower_id_left(people) -> None:
    a, b = people["wang"], people["wang2"]
    person_pair_record(a=b.pk, b=a.pk, score=0.7, evidence={"fields": {}})
    person_pair_record(a=a.pk, b=b.pk, score=0.8)
    pair = PersonPair.objects.get()
    assert (pair.left_id, pair.right_id) == (min(a.pk, b.pk), max(a.pk, b.pk))
    assert pair.score == 0.8


def test_database_refuses_a_reversed_or_repeated_pair(people) -> None:
    a, b = sorted([people["wang"].pk, people["wang2"].pk])
    PersonPair.objects.create(left_id=a, right_id=b, score=0.5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonPair.objects.create(left_id=b, right_id=a, score=0.5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonPair.objects.create(left_id=a, right_id=b, score=0.6)


def test_a_record_is_never_paired_with_itself_and_scores_are_probabilities(people) -> None:
    with pytest.raises(ValidationError):
        person_pair_record(a=people["wang"].pk, b=people["wang"].pk, score=0.9)
    with pytest.raises(ValidationError):
        person_pair_record(a=people["wang"].pk, b=people["wang2"].pk, score=1.5)


def test_pair_decided_different_is_never_proposed_again(people, reviewer) -> None:
    a, b = people["wang"], people["wang2"]
    pair = person_pair_record(a=a.pk, b=b.pk, score=0.7)
    pair.decision, pair.decided_by = Decision.DIFFERENT, reviewer
    pair.save()
    assert person_pair_record(a=a.pk, b=b.pk, score=0.99) is None
    pair.refresh_from_db()
    assert (pair.decision, pair.score) == (Decision.DIFFERENT, 0.7)
    counts = pairs_store(
        PersonPair, [ScoredPair(a.pk, b.pk, 0.99, 9.0, {})], decided=decided_pairs(PersonPair)
    )
    assert counts.skipped_decided == 1 and counts.created == 0
    pair.refresh_from_db()
    assert pair.score == 0.7


def test_rescoring_keeps_the_decision_of_a_deferred_pair(people) -> None:
    a, b = people["wang"], people["wang2"]
    pair = person_pair_record(a=a.pk, b=b.pk, score=0.6)
    pair.decision = Decision.DEFERRED
    pair.save()
    counts = pairs_store(PersonPair, [ScoredPair(a.pk, b.pk, 0.75, 3.0, {"x": 1})], decided=set())
    pair.refresh_from_db()
    assert counts.rescored == 1
    assert (pair.decision, pair.score, pair.evidence) == (Decision.DEFERRED, 0.75, {"x": 1})


# -- the batch ----------------------------------------------------------------------------------------
def test_dedupe_finds_the_same_person_across_scripts(people) -> None:
    report = dedupe.dedupe_persons(threshold=0.3)
    assert report.records == 5
    assert _pair(people["wang"], people["wang2"]).score >= 0.9
    assert _pair(people["rebiya"], people["rabiye"]).score >= 0.5
    namesake = _pair(people["wang"], people["namesake"])
    assert namesake is None or namesake.score < 0.5
    pair = _pair(people["wang"], people["wang2"])
    assert pair.decision == Decision.PENDING
    assert pair.evidence["fields"]["name"]["level"].startswith("same name")


def test_dedupe_twice_stores_nothing_twice_and_never_drops_decided_pairs(people, reviewer) -> None:
    dedupe.dedupe_persons(threshold=0.3)
    count = PersonPair.objects.count()
    pair = _pair(people["wang"], people["wang2"])
    pair.decision, pair.decided_by = Decision.MERGED, reviewer
    pair.save()
    report = dedupe.dedupe_persons(threshold=0.3)
    assert PersonPair.objects.count() == count
    assert report.stored.created == 0 and report.stored.skipped_decided == 1
    pair.refresh_from_db()
    assert pair.decision == Decision.MERGED


def test_dedupe_skips_persons_merged_away(people) -> None:
    from habeas.dossiers.models import Person

    Person.objects.filter(pk=people["wang2"].pk).update(merged_into=people["wang"])
    dedupe.dedupe_persons(threshold=0.3)
    assert _pair(people["wang"], people["wang2"]) is None


def test_pair_level_is_the_highest_level_of_its_evidence(people, researcher) -> None:
    from habeas.dossiers.models import Detention

    Detention.objects.filter(person=people["wang2"]).update(confidentiality=2)
    dedupe.dedupe_persons(threshold=0.3)
    assert _pair(people["wang"], people["wang2"]).confidentiality == 2


def test_dedupe_command_end_to_end(people, capsys) -> None:
    call_command("dedupe", "--threshold", "0.5", "--no-progress")
    out = capsys.readouterr().out
    assert "5 records" in out and "new" in out
    assert PersonPair.objects.filter(score__gte=0.5).exists()
    with pytest.raises(CommandError, match="threshold"):
        call_command("dedupe", "--threshold", "1.5", "--no-progress")


def test_dedupe_places_across_scripts(researcher) -> None:
    a = place_create(names=["Beijing No. 2 Prison"], province="Beijing", kind="prison", by=researcher)
    b = place_create(names=["北京市第二监狱"], province="北京", kind="prison", by=researcher)
    c = place_create(names=["Beijing No. 1 Prison"], province="Beijing", kind="prison", by=researcher)
    call_command("dedupe", "--places", "--threshold", "0.3", "--no-progress")
    ab = PlacePair.objects.get(left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk))
    assert ab.score >= 0.9
    assert not PlacePair.objects.filter(
        left_id=min(a.pk, c.pk), right_id=max(a.pk, c.pk), score__gte=0.5
    ).exists()


# -- one person (ingestion) ---------------------------------------------------------------------------
def test_candidates_for_one_name_in_another_script(people) -> None:
    ids = person_candidates(["Wang Dan"])
    assert {people["wang"].pk, people["wang2"].pk, people["namesake"].pk} <= set(ids)
    assert people["rebiya"].pk not in ids


def test_candidates_respect_the_readers_clearance(people, viewer) -> None:
    from habeas.dossiers.models import Person

    Person.objects.filter(pk=people["wang"].pk).update(confidentiality=2)
    assert people["wang"].pk not in person_candidates(["王丹"], user=viewer)


def test_scored_candidates_best_first(people) -> None:
    results = person_candidates_scored(
        {"names": ["Wang Dan"], "birth_year": 1969, "sex": "M", "province": "北京", "detention_year": 1989}
    )
    assert results[0].person_id in (people["wang"].pk, people["wang2"].pk)
    assert results[0].score > results[-1].score
    assert results[-1].person_id == people["namesake"].pk


# -- thresholds ---------------------------------------------------------------------------------------
def test_only_an_admin_sets_thresholds_and_they_must_be_ordered(admin_user, researcher) -> None:
    with pytest.raises(ValidationError):
        linkage_settings_update(by=researcher, person_auto_link=0.9)
    with pytest.raises(ValidationError):
        linkage_settings_update(by=admin_user, person_review=0.95, person_auto_link=0.9)
    with pytest.raises(ValidationError):
        linkage_settings_update(by=admin_user, person_review=-1)
    settings = linkage_settings_update(by=admin_user, person_auto_link=0.995, person_review=0.6)
    assert LinkageSettings.current().person_auto_link == 0.995
    assert decision_for(0.996, settings=settings) == "link"
    assert decision_for(0.7, settings=settings) == "review"
    assert decision_for(0.2, settings=settings) == "new"


def test_linkage_settings_command(admin_user, capsys) -> None:
    call_command("linkage_settings", "--person-review", "0.55", "--by", admin_user.username)
    assert "person-review: 0.55" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("linkage_settings", "--person-review", "0.55")

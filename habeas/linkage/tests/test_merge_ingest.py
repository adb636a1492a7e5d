"""Linking extracted persons on ingestion with the admin's thresholds: linked above, queued for review
in between (a pending pair with the new dossier once accepted), new below."""

from __future__ import annotations

import importlib.util

import pytest

from habeas.accounts.models import Confidentiality
from habeas.dossiers.models import Person
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.linkage import ingest
from habeas.linkage.candidates import Candidate as EngineCandidate
from habeas.linkage.models import Decision, LinkageSettings, Origin, PersonPair
from habeas.review.models import Candidate, CandidateKind
from habeas.review.services import NEW, candidate_accept, extraction_run
from habeas.sources.services import source_store

INTERNAL, RESTRICTED = Confidentiality.INTERNAL, Confidentiality.RESTRICTED
TEXT = (
    "Tenzin Delek (also Tenzin Deleg), a Tibetan lama, was detained in April 2002 in Lithang and later "
    "died in prison."
)


def extract(user, name: str = "Tenzin Deleg") -> Candidate:
    source, _ = source_store(text=TEXT, title="Report on a lama", by=user)
    at = TEXT.index(name)
    extraction_run(
        source=source,
        by=user,
        extracted={"persons": [{"name": name, "role": "detainee", "evidence": [[at, at + len(name)]]}]},
    )
    return Candidate.objects.get(source=source, kind=CandidateKind.PERSON)


def scores(monkeypatch, person: Person, score: float, level: int = INTERNAL) -> None:
    """The engine's answer for any extracted person: ``person`` at ``score``."""

    def fake(values, *, user=None, limit=50):
        return [
            EngineCandidate(person.pk, score, 4.0, {"fields": {"name": {"level": "x", "weight": 4}}}, level)
        ]

    monkeypatch.setattr("habeas.linkage.candidates.person_candidates_scored", fake)


@pytest.fixture
def delek(db) -> Person:
    (person,) = make(bundle(1, names=("Tenzin Delek",), level=INTERNAL))
    return person


@pytest.mark.django_db
def test_above_the_auto_link_threshold_the_person_is_linked(monkeypatch, delek, reviewer) -> None:
    scores(monkeypatch, delek, 0.995)
    candidate = extract(reviewer)
    assert candidate.person == delek
    candidate_accept(candidate=candidate, by=reviewer)
    assert Person.objects.count() == 1 and not PersonPair.objects.exists()


@pytest.mark.django_db
def test_between_the_thresholds_a_new_dossier_is_proposed_and_the_pair_queued(
    monkeypatch, delek, reviewer
) -> None:
    scores(monkeypatch, delek, 0.8)
    candidate = extract(reviewer)
    assert candidate.person is None  # a new dossier is proposed
    candidate = candidate_accept(candidate=candidate, by=reviewer)
    new = candidate.person
    assert new != delek
    pair = PersonPair.objects.get()
    assert {pair.left_id, pair.right_id} == {delek.pk, new.pk}
    assert (pair.decision, pair.origin, pair.score) == (Decision.PENDING, Origin.INGESTION, 0.8)


@pytest.mark.django_db
def test_the_admins_thresholds_decide(monkeypatch, delek, reviewer) -> None:
    scores(monkeypatch, delek, 0.8)
    LinkageSettings.objects.update_or_create(id=1, defaults={"person_auto_link": 0.75, "person_review": 0.5})
    assert extract(reviewer).person == delek


@pytest.mark.django_db
def test_below_the_review_threshold_nothing_is_queued(monkeypatch, delek, reviewer) -> None:
    scores(monkeypatch, delek, 0.2)
    candidate = candidate_accept(candidate=extract(reviewer), by=reviewer)
    assert candidate.person != delek and not PersonPair.objects.exists()


@pytest.mark.django_db
def test_a_score_drawn_from_facts_above_clearance_links_nothing(monkeypatch, delek, reviewer) -> None:
    scores(monkeypatch, delek, 0.995, level=RESTRICTED)
    candidate = candidate_accept(candidate=extract(reviewer), by=reviewer)
    assert candidate.person != delek and not PersonPair.objects.exists()


@pytest.mark.django_db
def test_a_reviewer_choosing_new_despite_a_link_still_gets_the_pair_queued(
    monkeypatch, delek, reviewer
) -> None:
    scores(monkeypatch, delek, 0.995)
    candidate = candidate_accept(candidate=extract(reviewer), by=reviewer, person=NEW)
    assert candidate.person != delek
    assert PersonPair.objects.filter(decision=Decision.PENDING).count() == 1


@pytest.mark.django_db
def test_a_pair_decided_different_is_not_queued_again(monkeypatch, delek, reviewer) -> None:
    scores(monkeypatch, delek, 0.8)
    first = candidate_accept(candidate=extract(reviewer), by=reviewer).person
    assert first is not None
    PersonPair.objects.update(decision=Decision.DIFFERENT)
    assert ingest.queue_pairs(person=first, by=reviewer) == []


@pytest.mark.django_db
def test_without_the_engine_exact_names_still_link(monkeypatch, delek, reviewer) -> None:
    def missing(*args, **kwargs):
        raise ImportError("No module named 'splink'")

    monkeypatch.setattr("habeas.linkage.candidates.person_candidates_scored", missing)
    assert extract(reviewer, "Tenzin Delek").person == delek
    assert extract(reviewer, "Tenzin Deleg").person is None


@pytest.mark.django_db
@pytest.mark.skipif(
    importlib.util.find_spec("splink") is None, reason="splink (the linkage engine) is not installed"
)
def test_the_engine_queues_another_spelling_of_a_tibetan_name(delek, reviewer) -> None:
    found = ingest.score_candidates(reviewer, ["Tenzin Deleg"])
    assert [s.person_id for s in found] == [delek.pk]
    LinkageSettings.objects.update_or_create(id=1, defaults={"person_auto_link": 1.0, "person_review": 0.0})
    candidate = candidate_accept(candidate=extract(reviewer), by=reviewer, person=NEW)
    pair = PersonPair.objects.get()
    assert {pair.left_id, pair.right_id} == {delek.pk, candidate.person_id}
    assert "name" in pair.evidence["fields"]

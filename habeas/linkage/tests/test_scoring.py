"""The model scores pairs: same person across scripts high, namesakes with conflicting facts low, the
evidence says which fields agreed; DuckDB and the one-record path agree."""

from __future__ import annotations

import pytest

from habeas.linkage import engine
from habeas.linkage.records import PersonRecord, PlaceRecord, person_row, place_row

pytest.importorskip("splink", reason="splink is not installed")

# The prior is that of a database this size (a small collection): eleven test records stand for it.
POPULATION = 2_000

PEOPLE = [
    PersonRecord(1, ["Rebiya Kadeer"], 1946, "F", "Uyghur", "Xinjiang"),
    PersonRecord(2, ["Rabiye Qadir", "ربىيە قادىر"], 1946, "F", "Uyghur", "新疆"),
    PersonRecord(3, ["王丹"], 1969, "M", "Han", "Beijing", ["Qincheng Prison"], 1989, 7, ["art 105"]),
    PersonRecord(4, ["Dan Wang"], 1969, "M", "Han", "Beijing", ["秦城监狱"], 1989, 7, ["CL97-art105"]),
    # A namesake: same name, everything else differs.
    PersonRecord(5, ["Wang Dan"], 1983, "F", "Han", "Sichuan"),
    PersonRecord(6, ["Tenzin Delek"], 1950, "M", "Tibetan", "Sichuan"),
    PersonRecord(7, ["Tenzin Deleg"], 1950, "M", "Tibetan", "Sichuan"),
    PersonRecord(8, ["Palden Gyatso"], 1933, "M", "Tibetan", "Tibet"),
    PersonRecord(9, ["Banden Jiacuo"], 1933, "M", "Tibetan", "Xizang"),
    # Homophones written in characters: one reading, two persons.
    PersonRecord(10, ["刘明德"], 1970, "M", "Han", "Hunan"),
    PersonRecord(11, ["柳明德"], 1970, "M", "Han", "Hunan"),
]


@pytest.fixture(scope="module")
def scored() -> dict[tuple[int, int], engine.Prediction]:
    table = engine.to_table("persons", [person_row(p) for p in PEOPLE])
    linkage = engine.run("persons", table, threshold=0.0001, population=POPULATION)
    return {(p.left, p.right): p for p in linkage.pairs()}


@pytest.mark.parametrize("pair", [(1, 2), (3, 4), (6, 7), (8, 9)])
def test_one_person_in_two_spellings_scores_high(scored, pair) -> None:
    assert scored[pair].score >= 0.95


@pytest.mark.parametrize("pair", [(3, 5), (4, 5)])
def test_namesake_with_conflicting_facts_scores_low(scored, pair) -> None:
    assert pair not in scored or scored[pair].score < 0.5


def test_homophones_in_characters_are_not_the_same_name(scored) -> None:
    pair = scored.get((10, 11))
    assert pair is None or pair.score < 0.99
    if pair:
        assert pair.evidence["fields"]["name"]["level"] == "same reading, different characters"


def test_pairs_are_stored_order_lower_id_left(scored) -> None:
    assert all(left < right for left, right in scored)


def test_evidence_names_the_fields_that_agreed(scored) -> None:
    fields = scored[(3, 4)].evidence["fields"]
    assert scored[(3, 4)].evidence["model"] == engine.MODEL_VERSION["persons"]
    assert fields["name"]["level"].startswith("same name")
    assert fields["places"]["level"] == "a detention place in common"
    assert fields["detention"]["level"] == "detained the same month"
    assert fields["charges"]["weight"] > 0
    # Unknown on one side is no evidence either way: the field is left out.
    assert "affiliations" not in fields


def test_clusters_join_the_same_person_only(scored) -> None:
    table = engine.to_table("persons", [person_row(p) for p in PEOPLE])
    clusters = engine.run("persons", table, threshold=0.5, population=POPULATION).clusters(0.9)
    assert clusters[1] == clusters[2]
    assert clusters[3] == clusters[4] != clusters[5]
    assert clusters[10] != clusters[11]


def test_one_record_against_candidates_matches_the_batch(scored) -> None:
    probe = person_row(PEOPLE[3])  # person 4 against 3 and 5
    results = engine.score_against("persons", probe, [person_row(PEOPLE[2]), person_row(PEOPLE[4])])
    assert [r.left for r in results] == [3, 5]
    assert results[0].score >= 0.95 > 0.5 > results[1].score


def test_places_across_scripts() -> None:
    places = [
        PlaceRecord(1, ["Beijing No. 2 Prison"], "Beijing", "prison"),
        PlaceRecord(2, ["北京市第二监狱"], "北京", "prison"),
        PlaceRecord(3, ["Beijing Number 2 prison"], "", ""),
        PlaceRecord(4, ["Beijing No. 1 Prison"], "Beijing", "prison"),
        PlaceRecord(5, ["Qincheng Prison"], "Beijing", "prison", 40.22, 116.33),
        PlaceRecord(6, ["秦城监狱"], "北京市", "prison", 40.221, 116.331),
    ]
    table = engine.to_table("places", [place_row(p) for p in places])
    run = engine.run("places", table, threshold=0.0001, population=2000)
    pairs = {(p.left, p.right): p.score for p in run.pairs()}
    assert pairs[(1, 2)] >= 0.95 and pairs[(5, 6)] >= 0.95
    assert pairs[(1, 3)] >= 0.5  # name alone, no province or kind: for review, not automatic
    assert pairs.get((1, 4), 0) < 0.5


def test_empty_and_single_tables() -> None:
    assert list(engine.run("persons", engine.to_table("persons", [person_row(PEOPLE[0])])).pairs()) == []

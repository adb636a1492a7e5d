"""Two records of one source database under different numbers (its curators keep them apart): a shared
one-word name and a group arrest's month, prison and monastery no longer link them automatically, and
they never share a cluster; a full name with the same birth year still reaches review; a record without
numbers is scored as before. The dedupe batch reads the numbers (ExternalId) from the database."""

from __future__ import annotations

import pytest

from habeas.linkage import engine
from habeas.linkage.records import PersonRecord, person_row

pytest.importorskip("splink", reason="splink is not installed")

POPULATION = 2_000
GROUP = {
    "sex": "M",
    "ethnicity": "Tibetan",
    "province": "Qinghai",
    "places": ["Chabcha PSB Det. Ctr."],
    "detention_year": 2009,
    "detention_month": 6,
    "affiliations": ["Rongwo Mon."],
}


def _monk(uid: int, name: str, birth: int | None, source: str | None) -> PersonRecord:
    return PersonRecord(uid, [name], birth, source_ids=[source] if source else [], **GROUP)  # type: ignore[arg-type]


PEOPLE = [
    # Two monks of one group arrest, one one-word name, two numbers of one database.
    _monk(1, "Gendun", 1984, "db:17"),
    _monk(2, "Gendun", None, "db:18"),
    # The same pair, one of them reported by another source (no number of that database).
    _monk(3, "Gendun", 1984, "db:30"),
    _monk(4, "Gendun", None, "other:5"),
    # A full name, the same birth year, the same group: a duplicate inside the database, or two
    # namesakes; for a reviewer to say.
    _monk(5, "Sonam Wangdue", 1979, "db:41"),
    _monk(6, "Sonam Wangdue", 1979, "db:42"),
    # Another source's report resembling both monks 1 and 2, the first more (the same birth year).
    _monk(7, "Gendun", 1984, "other:9"),
]
# Default auto-link threshold (LinkageSettings.person_auto_link).
AUTO_LINK = 0.99


@pytest.fixture(scope="module")
def scored() -> dict[tuple[int, int], engine.Prediction]:
    table = engine.to_table("persons", [person_row(p) for p in PEOPLE])
    linkage = engine.run("persons", table, threshold=0.0001, population=POPULATION)
    return {(p.left, p.right): p for p in linkage.pairs()}


def test_distinct_records_of_one_source_with_a_one_word_name_are_not_linked(scored) -> None:
    pair = scored[(1, 2)]
    assert pair.evidence["fields"]["sources"]["level"] == "distinct records of one source database"
    assert pair.score < AUTO_LINK  # for a reviewer, not linked automatically


def test_a_cluster_never_holds_two_records_one_source_keeps_apart() -> None:
    group = [p for p in PEOPLE if p.id in (1, 2, 7)]
    table = engine.to_table("persons", [person_row(p) for p in group])
    clusters = engine.run("persons", table, threshold=0.5, population=POPULATION).clusters(0.9)
    assert clusters[1] != clusters[2]
    assert clusters[7] == clusters[1]  # the likelier of the two
    # Without the numbers, the same three chain into one person.
    bare = [PersonRecord(**{**p.__dict__, "source_ids": []}) for p in group]
    table = engine.to_table("persons", [person_row(p) for p in bare])
    clusters = engine.run("persons", table, threshold=0.5, population=POPULATION).clusters(0.9)
    assert clusters[1] == clusters[2] == clusters[7]


def test_records_of_different_sources_are_scored_on_their_evidence(scored) -> None:
    pair = scored[(3, 4)]
    assert pair.evidence["fields"]["sources"]["weight"] == pytest.approx(1.0, abs=0.01)
    assert pair.score >= AUTO_LINK > scored[(1, 2)].score


def test_a_record_without_numbers_is_neither_for_nor_against() -> None:
    rows = [person_row(_monk(1, "Gendun", 1984, "db:17")), person_row(_monk(2, "Gendun", 1984, None))]
    pair = next(engine.run("persons", engine.to_table("persons", rows), threshold=0.0001).pairs())
    assert "sources" not in pair.evidence["fields"]


def test_a_full_name_with_the_same_birth_year_still_reaches_review(scored) -> None:
    assert scored[(5, 6)].score >= 0.5


def test_source_ids_are_folded_and_need_a_scheme_and_a_value() -> None:
    row = person_row(PersonRecord(1, ["X"], source_ids=["CECC:101", "cecc:101", "nonumber", "chrd:", " "]))
    assert row["source_ids"] == ["cecc:101"]
    assert row["source_schemes"] == ["cecc"]


@pytest.mark.django_db
def test_dedupe_reads_the_numbers_of_other_databases(researcher) -> None:
    from habeas.dossiers import services as dossiers
    from habeas.dossiers.models import ExternalId
    from habeas.linkage.dedupe import person_records

    a = dossiers.person_create(names=["Gendun"], unsourced=True, by=researcher)
    b = dossiers.person_create(names=["Gendun"], unsourced=True, by=researcher)
    ExternalId.objects.create(person=a, scheme="cecc", value="17")
    ExternalId.objects.create(person=a, scheme="chrd", value="3")
    records = {r.id: r for r in person_records(ids=[a.pk, b.pk])}
    assert sorted(records[a.pk].source_ids) == ["cecc:17", "chrd:3"]
    assert records[b.pk].source_ids == []

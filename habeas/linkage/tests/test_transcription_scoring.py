"""A Tibetan or Uyghur name against its Chinese transcription in the model: the pair is proposed without a
shared birth year or month, scores high with a little more agreement, and two different names in a
group arrest (same month, place, age) stay apart."""

from __future__ import annotations

import pytest

from habeas.linkage import engine
from habeas.linkage.records import PersonRecord, person_row

pytest.importorskip("splink", reason="splink is not installed")

POPULATION = 2_000
LEVELS = {level.label: level for level in engine.PERSON_COMPARISONS[0].levels}
TIBETAN_NAME = "same Tibetan name (known name elements, any spelling or transcription)"
TRANSCRIBED = "a name and its Chinese transcription (Tibetan or Uyghur name, three syllables or more)"

PEOPLE = [
    PersonRecord(1, ["Konchog Dorje"], 1975, "M", "Tibetan", "Sichuan"),
    PersonRecord(2, ["Gongjue Duoji"], 1975, "", "", "Sichuan"),
    # Yarphel is no element of the table: the syllable model alone.
    PersonRecord(3, ["Yarphel Tashi"], 1980, "M", "Tibetan", "Qinghai"),
    PersonRecord(4, ["Yangpei Zhaxi"], 1980, "M", "", "Qinghai"),
    PersonRecord(5, ["Kamil Rehim"], 1968, "M", "Uyghur", "Xinjiang"),
    PersonRecord(6, ["Kamili Reyimu"], 1968, "", "", "新疆"),
    # No shared birth year or month: proposed by the long transcription code alone.
    PersonRecord(7, ["Abdurehim Tursun"], None, "M", "Uyghur", "Xinjiang"),
    PersonRecord(8, ["Abudureyimu Tuersun"], None, "M", "", ""),
    # A group arrest: two monks of one monastery, same month, prison and age, different names.
    PersonRecord(9, ["Lobsang Sonam"], 1988, "M", "Tibetan", "Sichuan", ["Ngaba PSB Det. Ctr."], 2011, 4),
    PersonRecord(10, ["Luosang Xirao"], 1988, "M", "Tibetan", "Sichuan", ["Ngaba PSB Det. Ctr."], 2011, 4),
    PersonRecord(11, ["Lobsang Rinchen"], 1988, "M", "Tibetan", "Sichuan", ["Ngaba PSB Det. Ctr."], 2011, 4),
    PersonRecord(12, ["Luosang Langjie"], 1988, "M", "Tibetan", "Sichuan", ["Ngaba PSB Det. Ctr."], 2011, 4),
]


@pytest.fixture(scope="module")
def scored() -> dict[tuple[int, int], engine.Prediction]:
    table = engine.to_table("persons", [person_row(p) for p in PEOPLE])
    linkage = engine.run("persons", table, threshold=0.0001, population=POPULATION)
    return {(p.left, p.right): p for p in linkage.pairs()}


@pytest.mark.parametrize(
    ("pair", "level"),
    [((1, 2), TIBETAN_NAME), ((3, 4), TRANSCRIBED), ((5, 6), TRANSCRIBED)],
)
def test_name_and_its_transcription(scored, pair, level) -> None:
    assert scored[pair].evidence["fields"]["name"]["level"] == level
    assert scored[pair].score >= 0.9


def test_transcription_is_proposed_without_a_shared_year_or_month(scored) -> None:
    # The name and the sex alone: proposed and scored, but far from a link.
    assert scored[(7, 8)].evidence["fields"]["name"]["level"] == TRANSCRIBED
    assert scored[(7, 8)].score < 0.5


@pytest.mark.parametrize("pair", [(9, 10), (11, 12), (9, 12), (10, 11)])
def test_group_arrest_with_different_names_stays_apart(scored, pair) -> None:
    prediction = scored.get(pair)
    assert prediction is None or prediction.score < 0.5
    if prediction:
        assert prediction.evidence["fields"]["name"]["level"] == "differs"


def test_transcription_levels_rank_below_an_exact_name_and_above_a_typo() -> None:
    exact = LEVELS["same name (same key in some script or romanisation)"].weight
    typo = LEVELS["names nearly equal (Jaro-Winkler >= 0.95)"].weight
    one_word = LEVELS["a short name and its Chinese transcription (Tibetan or Uyghur one-word name)"].weight
    assert exact > LEVELS[TIBETAN_NAME].weight > LEVELS[TRANSCRIBED].weight > typo > one_word > 0


def test_level_weights_are_distinct() -> None:
    """The evidence names a level by its weight: two levels of one comparison must not share one."""
    for comparison in engine.PERSON_COMPARISONS:
        weights = [round(level.weight, 2) for level in comparison.levels]
        assert len(weights) == len(set(weights)), comparison.name


def test_two_known_tibetan_names_a_letter_apart_are_not_a_typo() -> None:
    """Wangmo and Zangmo are two name elements: in a group arrest the pair must not link; a real
    typo (a word that is no element) still counts as one."""

    def nun(uid: int, name: str) -> PersonRecord:
        return PersonRecord(uid, [name], 1975, "F", "Tibetan", "Tibet", ["TAR Prison (Drapchi)"], 1994, 5)

    people = [nun(1, "Phuntsog Wangmo"), nun(2, "Phuntsog Zangmo"), nun(3, "Phuntsog Wanmgo")]
    table = engine.to_table("persons", [person_row(p) for p in people])
    scored = {
        (p.left, p.right): p for p in engine.run("persons", table, threshold=0.0001, population=2000).pairs()
    }
    assert (1, 2) not in scored or scored[(1, 2)].score < 0.5
    assert scored[(1, 3)].evidence["fields"]["name"]["level"] in (
        "names nearly equal (Jaro-Winkler >= 0.95)",
        "one or two letters differ",
    )
    assert scored[(1, 3)].score >= 0.9

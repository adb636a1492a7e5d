"""Recall patterns of the third round of extraction work (issue 4), on fictional texts written for these
tests: place names the model tags as persons, other spellings of a name, whom "he" means, police detention
counted in days, terms received together, and more ways of writing dates, terms, places and charges."""

from __future__ import annotations

from typing import Any

import pytest

from habeas.extraction.dates import find_dates
from habeas.extraction.extract import extract
from habeas.extraction.terms import find_terms


def persons(text: str, published: str = "2020-07-23") -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in extract(text, published=published)["persons"]}


def names_of(found: dict[str, dict[str, Any]]) -> set[str]:
    return {name for p in found.values() for name in p["names"]}


@pytest.mark.parametrize(
    "text",
    [
        # a place with its other spelling in brackets, before "county" or the place it lies in
        "Police detained Dorje Wangchuk in Dzamthang (Rangtang) county on June 2, 2012, and held him at the "
        "Golok (Guoluo) Prefecture Detention Center.",
        "On May 9, 2015, officers detained Dorje Wangchuk in Tawu (Daofu), Kardze, after a protest.",
    ],
)
def test_places_written_like_names_are_not_persons(text: str) -> None:
    found = persons(text)
    assert "Dorje Wangchuk" in found
    assert not names_of(found) & {"Dzamthang", "Rangtang", "Golok", "Guoluo", "Tawu", "Daofu"}


def test_a_prefecture_cut_before_its_people_is_not_a_person() -> None:
    text = (
        "Security officials in Ngawa Tibetan and Qiang Autonomous Prefecture detained Lobsang Tsultrim on "
        "March 3, 2016. A court later sentenced Lobsang Tsultrim to 4 years in prison."
    )
    found = persons(text)
    assert "Ngawa Tibetan" not in found
    assert found["Lobsang Tsultrim"]["sentence"] == {"kind": "fixed", "months": 48}


def test_another_name_in_a_bracket_that_goes_on() -> None:
    text = (
        "Police detained Sonam Dargye (or Sonam Dargyal, lay name Pema) in April 2011. The court sentenced "
        "Sonam Dargyal to 3 years in prison."
    )
    found = persons(text)
    assert [name for name, p in found.items() if p["role"] == "detainee"] == ["Sonam Dargye"]
    assert "Sonam Dargyal" in found["Sonam Dargye"]["names"]
    assert found["Sonam Dargye"]["sentence"]["months"] == 36


def test_two_romanisations_of_one_name_are_one_person() -> None:
    text = (
        "On April 2, 2013, police detained the monk Kelsang Gyatso. The court sentenced Kalsang Gyatso to "
        "2 years in prison."
    )
    found = persons(text)
    assert len([p for p in found.values() if p["role"] == "detainee"]) == 1
    (monk,) = found.values()
    assert monk["detained"] == "2013-04-02"
    assert monk["sentence"]["months"] == 24


def test_names_that_differ_in_more_than_spelling_stay_apart() -> None:
    text = "Police detained Lobsang Tenpa and Lobsang Tenzin on May 4, 2012."
    assert {"Lobsang Tenpa", "Lobsang Tenzin"} <= set(persons(text))


def test_he_means_the_person_the_report_is_about() -> None:
    text = (
        "Police detained Ngawang Tharchin on March 5, 2018. Ngawang Tharchin had organised a protest with "
        "his wife Dolkar. In 2019 a court sentenced him to 7 years in prison."
    )
    found = persons(text)
    assert found["Ngawang Tharchin"]["sentence"]["months"] == 84
    assert found.get("Dolkar", {}).get("sentence") is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Police detained petitioner Wu Lanfang for ten days on June 3, 2014.", 10),
        ("The district PSB put her in administrative detention for 15 days.", 15),
        ("He served a 7-day administrative detention in Tianjin.", 7),
        ("Officials ordered 10 days' detention for the villagers.", 10),
    ],
)
def test_police_detention_counted_in_days(text: str, days: int) -> None:
    (term,) = find_terms(text)
    assert (term.kind, term.months, term.days) == ("fixed", 0, days)
    assert term.administrative == "administrative detention"


def test_a_detention_of_years_is_no_term() -> None:
    assert find_terms("Police detained him for two years without trial.") == []


def test_a_short_detention_ends_and_the_person_is_released() -> None:
    text = "On March 3, 2015, police detained petitioner Wu Lanfang for ten days for petitioning in Beijing."
    wu = persons(text)["Wu Lanfang"]
    assert wu["sentence"] == {
        "kind": "fixed",
        "months": 0,
        "days": 10,
        "administrative": "administrative detention",
    }
    assert (wu["status"], wu["status_basis"]) == ("released", "term_expired")


def test_terms_received_together() -> None:
    text = (
        "The county court sentenced the nuns on May 2, 2009. Dolma Tso, Yangchen, and Kunsang Lhamo, as well "
        "as layman Tenzin Dhondup, received three-year sentences."
    )
    found = persons(text)
    for name in ("Dolma Tso", "Yangchen", "Kunsang Lhamo", "Tenzin Dhondup"):
        assert found[name]["sentence"]["months"] == 36, name


def test_a_month_and_year_with_a_comma_between() -> None:
    (date,) = find_dates("He was detained in December, 1999 in Hohhot.", None)
    assert date.iso == "1999-12"

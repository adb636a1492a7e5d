"""The extractor's recall patterns, on fictional texts written for these tests: names the small model
misses, terms shared by several persons, dates with the narrative's or a shared year, facility names,
status inferred from the last event, and the confidence each fact carries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from habeas.extraction.confidence import CONFIDENCE
from habeas.extraction.dates import find_dates
from habeas.extraction.extract import extract
from habeas.extraction.lexicon import PLACE, place_name
from habeas.extraction.terms import find_terms

PAGES = Path(__file__).parent / "extract_pages"


def persons(text: str, published: str = "2020-07-23") -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in extract(text, published=published)["persons"]}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # after a custody verb, with the object's descriptor
        (
            "On May 3, 2018, police detained Lodroe Gyatso (also known as Sogkar Lodroe) in Lhasa.",
            ["Lodroe Gyatso"],
        ),
        ("Officials detained writer Tagyal (pen name Shogdung) at his office.", ["Tagyal"]),
        ("Police detained 68-year-old Dayang when he staged a protest.", ["Dayang"]),
        ("Authorities held petitioner Li Chunxia in custody for three days.", ["Li Chunxia"]),
        # leading words that are not part of the name
        (
            "Police detained Uyghurs Abdughani Imin and Obulkasim Abliz on January 13.",
            ["Abdughani Imin", "Obulkasim Abliz"],
        ),
        # with an age, in a bracketed list
        (
            "The monks (Sanggyal Gyatso, age 30; Kalsang Lodroe, 23; and Tashi Gyatso, 22) were detained.",
            ["Sanggyal Gyatso", "Kalsang Lodroe", "Tashi Gyatso"],
        ),
        # before an appositive or "were"
        ("Tashi Phuntsog, born in the early 1960s, was a senior monk.", ["Tashi Phuntsog"]),
        (
            "Dejor, Thartsog, and Tsering Dawa were part of a group that opposed the mine.",
            ["Dejor", "Thartsog", "Tsering Dawa"],
        ),
        # surnames the filters would read as a pronoun or a people
        ("Police criminally detained He Jiming in Tongyang town on July 18, 2015.", ["He Jiming"]),
        ("HRW reports that Han Chunsheng was sentenced to 8 years in prison.", ["Han Chunsheng"]),
        # nobody: a pronoun and a place
        ("Police detained him in Lhasa on May 3.", []),
    ],
)
def test_names_the_small_model_misses(text: str, names: list[str]) -> None:
    found = persons(text)
    assert all(name in found for name in names), list(found)
    if not names:
        assert not [p for p in found.values() if p["role"] == "detainee"]


def test_a_place_name_tagged_as_a_person_is_dropped() -> None:
    text = "Nuns held after Kardze protest.\n\nPolice detained Pema Yangzom in Kardze county on May 12, 2008."
    assert list(persons(text)) == ["Pema Yangzom"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The court sentenced Chen Hua and Sheng Li to 9 years in prison.",
            {"Chen Hua": 108, "Sheng Li": 108},
        ),
        (
            "The court sentenced Chen Hua to 9 years and Sheng Li to 5 years.",
            {"Chen Hua": 108, "Sheng Li": 60},
        ),
        (
            "A court sentenced Sonam Tobden and Kalden on July 30 to two years and six months in prison.",
            {"Sonam Tobden": 30, "Kalden": 30},
        ),
        (
            "Zhang Mingxiu, Zhou Yanying, and Li Xianbi were sentenced to 3 years in prison.",
            {"Zhang Mingxiu": 36, "Zhou Yanying": 36, "Li Xianbi": 36},
        ),
        (
            "The court sentenced them: Li Xiuqin (8 years), Jiang Hong (7 years), Song Dan (8 years).",
            {"Li Xiuqin": 96, "Jiang Hong": 84, "Song Dan": 96},
        ),
        (
            "On November 7, the court sentenced the 3 individuals as follows: Gao Rongdong to 6 years, "
            "Ma De to 5 years, and Wang Lin to 4 years.",
            {"Gao Rongdong": 72, "Ma De": 60, "Wang Lin": 48},
        ),
    ],
)
def test_terms_go_to_every_person_sentenced_with_them(text: str, expected: dict[str, int]) -> None:
    found = persons(text)
    assert {name: found[name]["sentence"]["months"] for name in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The court sentenced Sui Yanzhang and Xu Jun on January 17, 2008, to prison terms of seven "
            "and four years, respectively, on unknown charges.",
            {"Sui Yanzhang": 84, "Xu Jun": 48},
        ),
        (
            "The court sentenced Tang Ming, Zhong Wei, and Xiong Suying to prison sentences of 5 years, "
            "4 years, and 3 years, respectively.",
            {"Tang Ming": 60, "Zhong Wei": 48, "Xiong Suying": 36},
        ),
    ],
)
def test_terms_given_respectively(text: str, expected: dict[str, int]) -> None:
    found = persons(text)
    assert {name: found[name]["sentence"]["months"] for name in expected} == expected


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("ordered to serve one and half years of re-education through labor", 18),
        ("two and a half years in prison", 30),
    ],
)
def test_half_years(text: str, months: int) -> None:
    assert [t.months for t in find_terms(text)] == [months]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the first day takes the year written after it
        (
            "detained them on January 13 and 27, 2000, respectively",
            [("January 13", "2000-01-13")],
        ),
        (
            "raids on March 29 and March 30, 2008",
            [("March 29", "2008-03-29"), ("March 30, 2008", "2008-03-30")],
        ),
        # a source's date sets the narrative's year
        (
            "According to RFA (12 June 11), police detained her on June 9.",
            [("12 June 11", "2011-06-12"), ("June 9", "2011-06-09")],
        ),
        # a month-day without a year is in the past of the publication date
        ("police detained him on January 13", [("January 13", "2020-01-13")]),
    ],
)
def test_dates_take_the_year_the_text_gives(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[d.start : d.end], d.iso) for d in find_dates(text, dt.date(2020, 7, 23))] == expected


def test_a_sources_date_is_not_a_detention_date() -> None:
    text = "According to a December 6, 2010, CHRD report, on December 5 authorities detained Gao Puqiang."
    assert persons(text, "2011-01-10")["Gao Puqiang"]["detained"] == "2010-12-05"


def test_one_custody_episode_dates_from_its_first_day() -> None:
    text = (
        "On March 23, 2016, police in Beijing detained Tian Li, a petitioner. On March 24, Jilin authorities "
        "criminally detained Tian. On April 8, authorities formally arrested Tian."
    )
    assert persons(text)["Tian Li"]["detained"] == "2016-03-23"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("held at the Heizuizi RTL center located in Changchun", "Heizuizi RTL center"),
        ("sent to Xinjiang Prison No. 1 in Urumqi", "Xinjiang No. 1 Prison"),
        ("held in the Yunnan Number 2 Women’s Prison", "Yunnan No. 2 Women's Prison"),
        ("他被关押在兰州市第二监狱。", "兰州市第二监狱"),
        ("taken to the Dongcheng District PSB Detention Center", "Dongcheng District PSB Detention Center"),
    ],
)
def test_facility_names(text: str, place: str) -> None:
    assert [place_name(m[0]) for m in PLACE.finditer(text)] == [place]


def test_a_police_station_is_not_a_place_of_detention() -> None:
    text = "Police took Wang Jun to the Gama police station on May 3, 2019, and questioned him."
    assert persons(text)["Wang Jun"]["place"] is None


def test_the_page_of_a_group_detention(tmp_path: Path) -> None:
    """A scraped page: a group detained on a date, the nuns named after it, two sentenced together, a
    facility in lower case, a subject-less sentence; boilerplate and a caption printed twice around it."""
    text = (PAGES / "nunnery_protest.txt").read_text(encoding="utf-8")
    found = persons(text, "2009-06-20")
    assert set(found) == {"Pema Yangzom", "Dekyi", "Lhamo Tso", "Sonam Choedron", "Tashi Gyalpo"}
    for name in ("Pema Yangzom", "Dekyi", "Lhamo Tso", "Sonam Choedron"):
        assert found[name]["detained"] == "2008-05-12"  # the group's date
        assert found[name]["basis"]["detained"] == "group"
    for name in ("Pema Yangzom", "Dekyi"):
        assert found[name]["sentence"] == {"kind": "fixed", "months": 30}
        assert found[name]["charges"][0]["statute"] == "PRC-CL-1997 art. 103(2)"
        assert found[name]["status"] == "detained"  # two and a half years from June 2008: not over yet
    assert found["Lhamo Tso"]["status"] == "detained"  # bail is not a release
    tashi = found["Tashi Gyalpo"]
    assert (tashi["detained"], tashi["place"], tashi["occupation"]) == (
        "2009-03",
        "Dartsedo RTL center",
        "herdsman",
    )
    for person in found.values():
        for start, end in person["evidence"]:
            assert "free stories" not in text[start:end] and "Copyright" not in text[start:end]


@pytest.mark.parametrize(
    ("text", "status", "basis"),
    [
        # detained years before the text's date with no sentence since: presumed released
        ("Police detained Wang Jun on May 3, 2012, for petitioning.", "released", "presumed"),
        # a recent detention stays a detention
        ("Police detained Wang Jun on May 3, 2020, for petitioning.", "detained", "stated"),
        # a term counted from the date of the sentence that states it
        ("In 2012, a court sentenced Wang Jun to 3 years in prison.", "released", "term_expired"),
        ("Police detained Wang Jun in 2010. He was released on May 9, 2011.", "released", "stated"),
        ("Wang Jun died in custody in 2016.", "deceased", "stated"),
    ],
)
def test_status_from_the_last_event(text: str, status: str, basis: str) -> None:
    person = persons(text)["Wang Jun"]
    assert (person["status"], person["status_basis"]) == (status, basis)
    assert person["basis"]["status"] == f"{status}:{basis}"


def test_every_stated_fact_has_a_confidence_from_the_table() -> None:
    text = (PAGES / "nunnery_protest.txt").read_text(encoding="utf-8")
    for person in extract(text, published="2009-06-20")["persons"]:
        assert set(person["confidence"]) == set(person["basis"])
        for field, how in person["basis"].items():
            assert 0 < person["confidence"][field] <= 1
            assert person["confidence"][field] == CONFIDENCE[field].get(how, person["confidence"][field])
        for field in ("detained", "sentence", "place", "charges"):
            assert (person[field] not in (None, [])) == (field in person["confidence"])

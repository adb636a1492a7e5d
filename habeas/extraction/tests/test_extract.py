"""The extractor on hand-written, fictional scraped pages (boilerplate, several persons, officials beside
detainees, relative dates, access events): the contract's shape and the facts a reader would take."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from habeas.extraction.extract import extract, extract_many

PAGES = Path(__file__).parent / "extract_pages"
ROLES = {"detainee", "official", "other"}
KINDS = {"fixed", "life", "death", "death_reprieve", "suspended"}
STATUSES = {"detained", "released", "deceased", "disappeared", "unknown"}
ACCESS = {"requested", "considered", "invited", "agreed", "scheduled", "conducted", "refused", "postponed"}


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def union() -> tuple[str, dict[str, Any]]:
    text = page("union_founder.txt")
    return text, extract(text, published="2011-03-04")


@pytest.fixture(scope="module")
def executed() -> tuple[str, dict[str, Any]]:
    text = page("executed_teacher.txt")
    return text, extract(text, published="2019-11-12")


def person(result: dict[str, Any], name: str) -> dict[str, Any]:
    found = [p for p in result["persons"] if p["name"] == name]
    assert found, f"{name} not among {[p['name'] for p in result['persons']]}"
    return found[0]


def spans_of(result: dict[str, Any]) -> list[tuple[str, list[int]]]:
    out = []
    for p in result["persons"]:
        out += [("person", s) for s in p["evidence"]]
        out += [(key, s) for key, spans in p["spans"].items() for s in spans]
    for event in result["access"] + result["allegations"]:
        out += [("event", s) for s in event["evidence"]]
    return out


@pytest.mark.parametrize("name", ["union", "executed"])
def test_output_keeps_the_contract_shape(name: str, request: pytest.FixtureRequest) -> None:
    _, result = request.getfixturevalue(name)
    assert set(result) >= {"published", "persons", "access", "allegations"}
    keys = {
        "name",
        "names",
        "role",
        "ethnicity",
        "organizations",
        "occupation",
        "detained",
        "sentenced",
        "released",
        "sentence",
        "charges",
        "place",
        "status",
        "health",
        "evidence",
    }
    for p in result["persons"]:
        assert set(p) >= keys
        assert p["role"] in ROLES and p["status"] in STATUSES
        assert p["sentence"] is None or p["sentence"]["kind"] in KINDS
    for event in result["access"]:
        assert set(event) >= {"body", "status", "date", "conditions", "evidence"}
        assert event["status"] in ACCESS


@pytest.mark.parametrize("name", ["union", "executed"])
def test_every_span_is_inside_the_original_text_and_outside_boilerplate(
    name: str, request: pytest.FixtureRequest
) -> None:
    text, result = request.getfixturevalue(name)
    spans = spans_of(result)
    assert spans
    for _kind, (start, end) in spans:
        assert 0 <= start < end <= len(text)
        quoted = text[start:end]
        assert quoted.strip()
        for furniture in ("Skip to main content", "Story Tools", "Copyright", "free articles", "Privacy"):
            assert furniture not in quoted


def test_detainee_with_every_fact_cited(union: tuple[str, dict[str, Any]]) -> None:
    text, result = union
    ma = person(result, "Ma Lixin")
    assert ma["names"] == ["Ma Lixin", "马立新"]
    assert ma["role"] == "detainee"
    assert ma["ethnicity"] == "Hui"
    assert ma["occupation"] == "lathe operator"
    assert ma["organizations"] == [{"name": "Huaxin Workers' Union", "relation": "founder"}]
    assert ma["detained"] == "2010-11"  # "in November 2010": month precision
    assert ma["sentenced"] == "2011-02-28"  # "on Feb. 28", the year from the publication date
    assert ma["sentence"] == {"kind": "fixed", "months": 66}
    assert ma["charges"][0]["statute"] == "PRC-CL-1997 art. 105(2)"
    assert ma["charges"][0]["text"] == "inciting subversion of state power"
    assert ma["place"] == "Lanzhou No. 2 Prison"
    assert ma["status"] == "detained"
    assert ma["health"] == ["diabetes"]
    ((start, end),) = ma["spans"]["sentence"]
    assert text[start:end] == "five years and six months in prison"
    assert any("inciting subversion of state power" in text[s:e] for s, e in ma["spans"]["charges"])
    assert any(text[s:e] == "Lanzhou No. 2 Prison" for s, e in ma["spans"]["place"])


def test_officials_and_others_beside_detainees_get_no_detention_facts(
    union: tuple[str, dict[str, Any]],
) -> None:
    _, result = union
    assert person(result, "Wang Fang")["role"] == "official"  # "Judge Wang Fang"
    assert person(result, "Liu Qiang")["role"] == "official"  # "A court spokesman, Liu Qiang,"
    lawyer = person(result, "Zhang Wei")  # "his lawyer Zhang Wei said"
    assert lawyer["role"] == "other"
    for name in ("Wang Fang", "Liu Qiang", "Zhang Wei"):
        p = person(result, name)
        assert p["sentence"] is None and p["charges"] == [] and p["place"] is None


def test_sentences_charges_and_health_of_the_other_detainees(union: tuple[str, dict[str, Any]]) -> None:
    _, result = union
    rebiya = person(result, "Rebiya Ablimit")
    assert (rebiya["ethnicity"], rebiya["occupation"]) == ("Uyghur", "businesswoman")
    assert rebiya["sentence"] == {"kind": "fixed", "months": 96}  # "sentenced to eight years"
    assert [c["statute"] for c in rebiya["charges"]] == ["PRC-CL-1997 art. 111"]
    norbu = person(result, "Tenzin Norbu")
    assert norbu["sentence"] == {"kind": "fixed", "months": 156}  # "a 13-year prison sentence"
    assert norbu["health"] == ["Hepatitis B", "Parkinson's disease"]
    assert norbu["detained"] is None  # "13-year" is a duration, not a date
    assert person(result, "Chen Hua")["sentence"]["kind"] == "death_reprieve"


def test_access_events_with_body_status_date_and_conditions(union: tuple[str, dict[str, Any]]) -> None:
    text, result = union
    torture, wgad = result["access"]
    assert torture["body"] == "UN Special Rapporteur on torture"  # "the UN torture investigator"
    assert torture["status"] == "agreed"
    assert torture["date"] == "2011"  # "earlier this year"
    assert torture["conditions"] == ["unconditional", "any prison", "private interviews"]
    assert "torture investigator" in text[slice(*torture["evidence"][0])]
    assert wgad == {
        "body": "UN Working Group on Arbitrary Detention",
        "status": "requested",
        "date": "2011-03-01",
        "conditions": [],
        "evidence": wgad["evidence"],
    }


def test_allegations_skip_the_name_of_a_monitoring_body(union: tuple[str, dict[str, Any]]) -> None:
    text, result = union
    kinds = {a["type"]: a for a in result["allegations"]}
    assert "torture" in kinds
    # "he was tortured in custody" counts; "UN torture investigator" does not
    assert [text[s:e] for s, e in kinds["torture"]["evidence"]] == ["tortured"]


def test_death_release_disappearance_and_relative_dates(executed: tuple[str, dict[str, Any]]) -> None:
    _, result = executed
    tursun = person(result, "Abdukerim Tursun")
    assert tursun["status"] == "deceased"  # "executed ... on Monday"
    assert tursun["sentence"] == {"kind": "death", "months": 0}
    assert tursun["sentenced"] == "2018"  # "last year"
    assert tursun["detained"] == "2016-03"
    assert tursun["charges"][0]["statute"] == "PRC-CL-1997 art. 103(1)"
    assert (tursun["ethnicity"], tursun["occupation"]) == ("Uyghur", "teacher")
    shan = person(result, "Shan Yifan")
    assert shan["names"] == ["Shan Yifan", "单一凡"]  # 单 read as the surname Shan, not dan
    assert (shan["status"], shan["released"]) == ("released", "2019-11-01")
    assert shan["charges"][0]["statute"] == "PRC-CL-1997 art. 293"
    assert shan["place"] == "Beijing No. 1 Detention Center"
    assert shan["ethnicity"] is None  # the page's "Uyghur" is about someone else
    qiu = person(result, "Qiu Ming")
    assert (qiu["status"], qiu["detained"], qiu["occupation"]) == ("disappeared", "2019-10-03", "blogger")
    assert person(result, "Ablet Hoshur")["role"] == "other"  # the cousin who told reporters
    assert person(result, "Geng Hao")["role"] == "official"


def test_red_cross_postponed_and_requested_with_conditions(executed: tuple[str, dict[str, Any]]) -> None:
    _, result = executed
    by_status = {e["status"]: e for e in result["access"]}
    assert set(by_status) == {"postponed", "requested"}
    assert {e["body"] for e in result["access"]} == {"International Committee of the Red Cross"}
    assert by_status["requested"]["conditions"] == ["any prison", "private interviews", "no reprisals"]
    kinds = {a["type"] for a in result["allegations"]}
    assert {"torture", "execution", "incommunicado detention"} <= kinds


def test_a_text_without_facts_gives_empty_lists() -> None:
    result = extract("The weather in Lanzhou was mild this week.", published="2011-03-04")
    assert result == {"published": "2011-03-04", "persons": [], "access": [], "allegations": []}


def test_a_bad_publication_date_is_refused_with_its_value() -> None:
    with pytest.raises(ValueError, match="2011-13-04"):
        extract("text", published="2011-13-04")


def test_many_documents_in_worker_processes_give_what_one_at_a_time_gives(
    union: tuple[str, dict[str, Any]], executed: tuple[str, dict[str, Any]]
) -> None:
    texts = [union[0], executed[0], union[0]]
    dates = ["2011-03-04", "2019-11-12", "2011-03-04"]
    expected = [union[1], executed[1], union[1]]
    assert list(extract_many(texts, published=dates, n_process=2, batch_size=1)) == expected
    assert list(extract_many(texts, published=dates, n_process=1, batch_size=2)) == expected

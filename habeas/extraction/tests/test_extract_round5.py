"""Fifth round of extraction work (issue 4), on fictional texts written for these tests."""

from __future__ import annotations

import datetime as dt

from habeas.extraction.dates import find_dates
from habeas.extraction.terms import find_terms

from .test_extract_patterns import persons


def test_a_place_after_a_list_of_names_is_everyones() -> None:
    text = (
        "In June 2015, police in Taizhou detained Fang Xiaoli, Cao Minghui and Lu Dewen for printing "
        "leaflets. Authorities held Fang, Cao, and Lu at the Taizhou City PSB Detention Center."
    )
    found = persons(text)
    for name in ("Fang Xiaoli", "Cao Minghui", "Lu Dewen"):
        assert found[name]["place"] == "Taizhou City PSB Detention Center", name


def test_a_place_after_a_pair_is_both_but_not_the_one_named_apart() -> None:
    text = (
        "In 2012, a court in Baotou sentenced Gu Ping and Yan Hua to three years in prison, and Hou Jie to "
        "two years. Gu and Yan later served their sentences at the Baotou Women's Prison."
    )
    found = persons(text)
    assert found["Gu Ping"]["place"] == "Baotou Women's Prison"
    assert found["Yan Hua"]["place"] == "Baotou Women's Prison"
    assert found["Hou Jie"]["place"] is None


def test_a_place_takes_the_local_spelling_the_text_gives_for_its_town() -> None:
    text = (
        "On April 2, 2016, police in Zeku (Tsekhog) county, Huangnan (Malho) prefecture, Qinghai province, "
        "detained Tenpa Gyaltsen, a monk, after a protest. He was held at the Zeku County PSB "
        "Detention Center."
    )
    found = persons(text)
    assert found["Tenpa Gyaltsen"]["place"] == "Tsekhog County PSB Detention Center"


def test_a_place_written_with_both_spellings_keeps_the_local_one() -> None:
    text = (
        "In May 2019, authorities detained the herder Sonam Dhondup and held him at the Dege (Derge) "
        "County PSB Detention Center."
    )
    found = persons(text)
    assert found["Sonam Dhondup"]["place"] == "Derge County PSB Detention Center"


def test_a_place_keeps_its_spelling_when_the_text_gives_no_local_one() -> None:
    text = (
        "In 2014, police in Wuhu (Anhui province) detained Xu Lianying. Xu was later held at the Wuhu "
        "Municipal Detention Center."
    )
    found = persons(text)
    assert found["Xu Lianying"]["place"] == "Wuhu Municipal Detention Center"


def test_a_pronoun_before_the_place_outranks_a_name_written_after_it() -> None:
    text = (
        "On May 9, 2016, police in Yiwu detained Gao Fengming, a bookseller. Officials later held him at the "
        "Yiwu City Detention Center, allegedly for having sold books written by the essayist Ma Junhua."
    )
    found = persons(text)
    assert found["Gao Fengming"]["place"] == "Yiwu City Detention Center"
    assert found.get("Ma Junhua", {}).get("place") is None


def test_a_year_written_for_two_days_is_no_date_of_its_own() -> None:
    published = dt.date(2020, 7, 23)
    dates = find_dates("On August 3 and 4, 2012, police detained eleven villagers.", published)
    assert [d.iso for d in dates] == ["2012-08-03"]
    dates = find_dates("on either May 12 or 19, 2009, officers seized two monks", published)
    assert [d.iso for d in dates] == ["2009-05-12"]


def test_the_detention_date_of_two_days_is_the_first_day_not_the_year() -> None:
    text = (
        "On August 3 and 4, 2012, police in Lhundrub county detained Norbu Dhondup and Tashi Yangkyi after "
        "a gathering at a monastery."
    )
    found = persons(text)
    assert found["Norbu Dhondup"]["detained"] == "2012-08-03"


def test_a_list_of_terms_with_no_comma_between_name_and_term() -> None:
    terms = find_terms(
        "The court sentenced Ma to 6 years in prison, Lin 5 years, Qiu 4 years, and Dai 2 years."
    )
    assert [t.months for t in terms] == [72, 60, 48, 24]
    text = (
        "In March 2015, police in Kuytun detained Ma Lihua, Lin Jiafang, Qiu Wenhao and Dai Ruyi. In 2016 "
        "the court sentenced Ma to 6 years in prison, Lin 5 years, Qiu 4 years, and Dai 2 years."
    )
    found = persons(text)
    assert found["Qiu Wenhao"]["sentence"] == {"kind": "fixed", "months": 48}
    assert found["Dai Ruyi"]["sentence"] == {"kind": "fixed", "months": 24}


def test_the_name_inside_sentenced_to_is_the_terms_person() -> None:
    text = (
        "Police in Jiaxing detained Gong Weiming and Shu Tianle on April 2, 2013. The court tried Gong "
        "and Shu on May 20, 2014, and sentenced Gong to three years' imprisonment and Shu to "
        "six years' imprisonment."
    )
    found = persons(text)
    assert found["Gong Weiming"]["sentence"] == {"kind": "fixed", "months": 36}
    assert found["Shu Tianle"]["sentence"] == {"kind": "fixed", "months": 72}


def test_a_place_with_its_other_spelling_before_an_autonomous_prefecture_is_no_person() -> None:
    text = (
        "In 2014, police detained Lobsang Kunga, a monk of a monastery in Heishui county, Aba (Ngaba) "
        "Tibetan and Qiang Autonomous Prefecture, Sichuan province. Officials later sent him to the Deyang "
        "Prison."
    )
    found = persons(text)
    assert "Aba" not in found
    assert found["Lobsang Kunga"]["place"] == "Deyang Prison"

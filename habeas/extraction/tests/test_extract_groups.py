"""Fourth round of extraction work (issue 4), on fictional texts written for these tests: facts stated for a
group reach every member of it, ranges of terms are nobody's term (but end everyone's), and detention dates
that belong to an arrest or an earlier episode do not date the detention the text is about."""

from __future__ import annotations

import pytest

from habeas.extraction.terms import find_terms, range_ends

from .test_extract_patterns import persons


def test_a_place_stated_for_them_reaches_the_whole_group() -> None:
    text = (
        "On March 3, 2014, police in Xining detained three herders, Dorje Tsering, Lhundrub and Kalsang "
        "Dolma, after a protest at the county office. Relatives asked lawyer Wang Jianping to help "
        "them. Officers later took them to the Xining Municipal PSB Detention Center."
    )
    found = persons(text)
    for name in ("Dorje Tsering", "Lhundrub", "Kalsang Dolma"):
        assert found[name]["place"] == "Xining Municipal PSB Detention Center", name
    assert found["Wang Jianping"]["place"] is None


def test_a_charge_for_the_numbered_group_reaches_each_member() -> None:
    text = (
        "In May 2016, police in Wuhan detained Zhou Lifang, Ma Jianguo, Tang Wenbin and Ye Hui, four members "
        "of a reading group. On June 9, officials released Ye Hui on bail. On November 2, 2016, the "
        "procuratorate indicted the 4 individuals on the charge of \u201cinciting subversion of state "
        "power.\u201d"
    )
    found = persons(text)
    for name in ("Zhou Lifang", "Ma Jianguo", "Tang Wenbin", "Ye Hui"):
        assert [c["statute"] for c in found[name]["charges"]] == ["PRC-CL-1997 art. 105(2)"], name


def test_the_others_are_the_group_less_those_named_beside_them() -> None:
    text = (
        "In April 2017, police in Linyi detained five church members: Gao Min, Fu Jie, Qin Hong, Wei Lan and "
        "Du Peng. Authorities released Gao on bail and held the others at the Linyi City Detention Center."
    )
    found = persons(text)
    assert found["Gao Min"]["place"] is None
    for name in ("Fu Jie", "Qin Hong", "Wei Lan", "Du Peng"):
        assert found[name]["place"] == "Linyi City Detention Center", name


def test_a_group_named_after_its_facts() -> None:
    """ "sentenced them ... for splitting the state. The men are A, B, ...": no one was named before."""
    text = (
        "Authorities in Hotan detained 5 Uyghur men in 2015. The Hotan Intermediate People's Court later "
        "sentenced them to long prison terms for \u201csplitting the state.\u201d The men are Ablet Tursun "
        "(12 years), Memet Ehet (10 years), Yasin Qadir (10 years), Tohti Niyaz (8 years) and Kerim Savut "
        "(8 years)."
    )
    found = persons(text)
    assert found["Memet Ehet"]["sentence"] == {"kind": "fixed", "months": 120}
    for name in ("Ablet Tursun", "Memet Ehet", "Yasin Qadir", "Tohti Niyaz", "Kerim Savut"):
        assert [c["statute"] for c in found[name]["charges"]] == ["PRC-CL-1997 art. 103(1)"], name


def test_a_term_naming_its_person_is_not_the_groups() -> None:
    """ "tried them ... and sentenced A to 1.5 years, B to 2 years": each term names its person."""
    text = (
        "Police in Kashgar detained Rozi Mamut, Eli Hesen and Nur Islam on May 2, 2012. The court tried them "
        "on March 4, 2013, and sentenced Rozi Mamut to 1.5 years' imprisonment, Eli Hesen to 2 years' "
        "imprisonment, and Nur Islam to 3 years' imprisonment."
    )
    found = persons(text)
    assert found["Rozi Mamut"]["sentence"]["months"] == 18
    assert found["Eli Hesen"]["sentence"]["months"] == 24
    assert found["Nur Islam"]["sentence"]["months"] == 36


def test_the_group_is_not_the_object_of_a_preposition() -> None:
    text = (
        "Police detained the nuns Pema and Yangchen on May 1, 2012. Tsering Dorje, a cousin of one of the "
        "nuns, was held at the Tawu County Detention Center."
    )
    found = persons(text)
    assert found["Tsering Dorje"]["place"] == "Tawu County Detention Center"
    assert found["Pema"]["place"] is None


@pytest.mark.parametrize(
    "text",
    [
        "the court sentenced them to terms ranging from 3 to 12 years",
        "sentenced the men to prison terms from 3 years to life",
        "and the others to 7 to 8 years' imprisonment",
        "ordered the villagers to serve between 5 and 10 days' administrative detention",
    ],
)
def test_a_range_of_terms_is_no_ones_term(text: str) -> None:
    assert find_terms(text) == []


def test_a_date_before_a_term_is_not_a_range() -> None:
    (term,) = find_terms(
        "the court sentenced Sonam and Kalden on July 30 to two years and six months in prison"
    )
    assert term.months == 30


def test_a_sentence_reduction_is_not_a_term() -> None:
    terms = find_terms(
        "Zhao was sentenced to 3 years in prison and later received a 2-month sentence reduction."
    )
    assert [t.months for t in terms] == [36]


def test_the_longest_term_of_a_range_ends_everyones() -> None:
    assert [(t.months, t.days) for t in range_ends("to serve between 5 and 10 days' detention")] == [(0, 10)]
    assert range_ends("from 3 years to life") == []
    text = (
        "On June 2, 2016, police in Nantong ordered 3 villagers, Qian Ying, Shen Bo and Lu Fang, to serve "
        "between 5 and 10 days' administrative detention for petitioning."
    )
    found = persons(text)
    for name in ("Qian Ying", "Shen Bo", "Lu Fang"):
        assert found[name]["status"] == "released", name
        assert found[name]["basis"]["status"] == "released:term_expired"


def test_a_term_without_a_date_counts_from_the_last_date_before_it() -> None:
    text = (
        "In November 2003, a court in Fuzhou found a group of union organisers guilty. According to the "
        "report, Lin Daming was sentenced to 3 years in prison."
    )
    found = persons(text)
    assert found["Lin Daming"]["status"] == "released"
    assert found["Lin Daming"]["basis"]["status"] == "released:term_expired"


def test_a_date_shared_with_an_arrest_is_the_arrests() -> None:
    text = (
        "On September 4, 2010, police in Beijing detained writer Gu Ming. On January 17, 2011, officials "
        "formally arrested him and detained him at the Beijing No. 1 PSB Detention Center."
    )
    assert persons(text)["Gu Ming"]["detained"] == "2010-09-04"


def test_an_earlier_episode_or_an_arrest_does_not_hide_the_groups_date() -> None:
    text = (
        "On April 2, 2018, officials in Driru took into custody 20 residents of two villages. Sources named "
        "two of the detainees, the monks Rigzin Dorje and Tsultrim Nyima. Previously, authorities detained "
        "both monks for 1 year in 2015."
    )
    found = persons(text)
    assert found["Rigzin Dorje"]["detained"] == "2018-04-02"
    assert found["Tsultrim Nyima"]["detained"] == "2018-04-02"
    text = (
        "On November 30, 2008, police detained 6 practitioners at a home in Hexi district. The detainees "
        "were Wen Xia, Hou Jun and Mao Li. On January 7, 2009, the procuratorate approved the detainees' "
        "formal arrest."
    )
    found = persons(text)
    for name in ("Wen Xia", "Hou Jun", "Mao Li"):
        assert found[name]["detained"] == "2008-11-30", name


def test_a_date_beside_each_name_in_a_list() -> None:
    text = (
        "In December 2011 and January 2012, police in Zibo detained several practitioners. The report names "
        "three of them: Kong Xiuhua (detained December 20, 2011); Zhang Yumei (January 19, 2012); and Sun "
        "Guirong (January 25, 2012)."
    )
    found = persons(text)
    assert found["Zhang Yumei"]["detained"] == "2012-01-19"
    assert found["Sun Guirong"]["detained"] == "2012-01-25"
    text = (
        "On April 3-5, 2009, police in Machu detained 8 Tibetans: Lobsang Tenzin and Dolma Kyi on April 3; "
        "Jigme, Tsering Yangkyi and Choephel on April 4; and Norbu Wangdu on April 5."
    )
    found = persons(text)
    assert found["Jigme"]["detained"] == "2009-04-04"
    assert found["Norbu Wangdu"]["detained"] == "2009-04-05"


def test_a_detention_in_the_bracket_after_a_name_is_that_persons() -> None:
    text = (
        "Police in Fuling detained the practitioners Tan Meiling (age 58; detained June 16, 2014) and Luo "
        "Xiaoqin (detained around June 9, 2014)."
    )
    found = persons(text)
    assert found["Tan Meiling"]["detained"] == "2014-06-16"
    assert found["Luo Xiaoqin"]["detained"] == "2014-06-09"


def test_a_count_as_of_a_date_does_not_date_the_detention() -> None:
    text = (
        "Beginning on March 9, 2019, police in Guiyang detained members of a house church. As of March 20, "
        "authorities had detained 30 members, including Shi Hongwei and Lan Qing."
    )
    found = persons(text)
    assert found["Shi Hongwei"]["detained"] == "2019-03-09"


def test_a_citation_in_brackets_is_not_an_event_date() -> None:
    text = (
        "On July 12, 2011, police detained six monks at Dzogchen Monastery. According to a news report "
        "(13 July 11), police detained the six monks, Tenzin Norbu, Pema Dorje and Kunga, for refusing to "
        "attend a ceremony."
    )
    found = persons(text)
    assert found["Pema Dorje"]["detained"] == "2011-07-12"


def test_persons_named_in_connection_with_a_detention_are_not_detained() -> None:
    text = (
        "In early May 2016, police in Hangzhou detained Fang Li, Ren Xiu and Tao Jie. On February 3, 2017, "
        "police detained another practitioner, Cui Hong, in connection with Fang, Ren and Tao's case."
    )
    found = persons(text)
    assert found["Fang Li"]["detained"] == "2016-05"
    assert found["Cui Hong"]["detained"] == "2017-02-03"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # two and a half years before the text, nothing since: not yet presumed over
        ("In January 2018, police in Ghulja detained Ilham Tursun and held him in a camp.", "detained"),
        # more than three years: presumed released
        ("In January 2017, police in Ghulja detained Ilham Tursun and held him in a camp.", "released"),
    ],
)
def test_a_detention_is_presumed_over_after_three_years(text: str, status: str) -> None:
    assert persons(text, "2020-07-23")["Ilham Tursun"]["status"] == status


def test_terms_listed_for_pairs_and_after_a_colon() -> None:
    text = (
        "Police in Weihai detained 6 practitioners on May 4, 2009. The sentences were: Qi Lan, 10 years; "
        "Mo Yun and Hua Jing, 7 years; Dai Rong and Ke Ping, 3 years."
    )
    found = persons(text)
    assert found["Mo Yun"]["sentence"]["months"] == 84
    assert found["Hua Jing"]["sentence"]["months"] == 84
    assert found["Dai Rong"]["sentence"]["months"] == 36
    text = (
        "On June 3, 2010, the Xinyu court sentenced three practitioners to four years' and six months' "
        "imprisonment: Peng Hui, Lai Guoqiang, and Xu Jianhua."
    )
    found = persons(text)
    for name in ("Peng Hui", "Lai Guoqiang", "Xu Jianhua"):
        assert found[name]["sentence"]["months"] == 54, name


def test_the_other_four_received_the_same_term() -> None:
    text = (
        "In May 2015, police in Onsu detained Mamut Yasin, Aygul Yasin, Rozi Hesen, Tursun Eli and Kerim "
        "Hesen. In February 2016, a court sentenced Mamut Yasin to 6 years in prison, while the other four "
        "received 5-year prison sentences."
    )
    found = persons(text)
    assert found["Mamut Yasin"]["sentence"]["months"] == 72
    for name in ("Aygul Yasin", "Rozi Hesen", "Tursun Eli", "Kerim Hesen"):
        assert found[name]["sentence"]["months"] == 60, name

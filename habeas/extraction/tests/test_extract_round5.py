"""Fifth round of extraction work (issue 4), on fictional texts written for these tests."""

from __future__ import annotations

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

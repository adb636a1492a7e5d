"""Names across scripts: script detection, folding, pinyin with surname readings, search keys."""

from __future__ import annotations

import pytest

from habeas.lib.names import (
    detect_script,
    fold,
    hanzi_to_pinyin,
    name_keys,
    query_key,
    script_for_storage,
    to_simplified,
)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("王丹", "Hans"),
        ("刘晓波", "Hans"),
        ("劉曉波", "Hant"),
        ("高智晟", "Hans"),  # characters shared by both forms count as simplified
        ("Wang Dan", "Latn"),
        ("Wáng Dān", "Latn"),
        ("Rebiya Kadeer", "Latn"),
        ("ئىلھام توختى", "Arab"),  # Ilham Tohti in Uyghur Arabic script
        ("بۇلبۇل", "Arab"),
        ("བཀྲ་ཤིས་དབང་ཕྱུག", "Tibt"),  # Tashi Wangchuk
        ("Иван Петров", "Cyrl"),
        ("ᠮᠣᠩᠭᠣᠯ", "Mong"),
        ("", ""),
        ("123 ...", ""),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script
    assert script_for_storage(text) == script


def test_detect_script_of_mixed_text_is_the_dominant_script():
    assert detect_script("王丹 Wang Dan") == "Latn"  # 7 Latin letters against 2 hanzi
    assert detect_script("伊力哈木·土赫提 Ilham") == "Hans"  # 7 hanzi against 5 letters
    assert detect_script("劉曉波 Liu") == "Hant"


def test_to_simplified():
    assert to_simplified("劉曉波") == "刘晓波"
    assert to_simplified("達賴喇嘛") == "达赖喇嘛"
    assert to_simplified("王丹") == "王丹"
    assert to_simplified("Wang Dan") == "Wang Dan"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Wang Dan", "wangdan"),
        ("WANG Dan", "wangdan"),
        ("  Wáng   Dān ", "wangdan"),
        ("wang2 dan1", "wangdan"),
        ("Wang-Dan", "wangdan"),
        ("Rabiyä Qadir", "rabiyaqadir"),
        ("Gedhun Choekyi Nyima", "gedhunchoekyinyima"),
        ("Ｗａｎｇ", "wang"),  # full-width letters
        ("Иван", "ivan"),
        ("王 丹", "王丹"),
        ("劉曉波", "刘晓波"),
        ("刘·晓波", "刘晓波"),
    ],
)
def test_fold_removes_case_marks_spaces_and_punctuation(text, folded):
    assert fold(text) == folded


def test_fold_of_mixed_han_and_latin_folds_the_latin_part_too():
    """A place or name written 'Qincheng Prison 秦城监狱' must fold the same whatever the case."""
    assert fold("Qincheng Prison 秦城监狱") == fold("qincheng  prison 秦城監獄")
    assert fold("王丹 Wáng Dān") == "王丹wangdan"


@pytest.mark.parametrize(
    ("text", "syllables"),
    [
        ("王丹", ["wang", "dan"]),
        ("劉曉波", ["liu", "xiao", "bo"]),
        ("单光", ["shan", "guang"]),  # 单 as a surname is Shan, not dan
        ("曾金燕", ["zeng", "jin", "yan"]),  # 曾 as a surname is Zeng, not ceng
        ("解文", ["xie", "wen"]),  # not jie
        ("仇杰", ["qiu", "jie"]),  # not chou
        ("區明", ["ou", "ming"]),  # traditional form read after simplifying
        ("吕加平", ["lv", "jia", "ping"]),
        ("王丹（Wang Dan）", ["wang", "dan"]),
        ("Wang Dan", []),
    ],
)
def test_hanzi_to_pinyin_reads_the_first_character_as_a_surname(text, syllables):
    assert hanzi_to_pinyin(text) == syllables


def test_surname_reading_applies_to_the_first_character_only():
    # 单 later in a name is the ordinary word (dan), e.g. 王单.
    assert hanzi_to_pinyin("王单") == ["wang", "dan"]


def test_name_keys_of_hanzi_include_pinyin_in_both_orders():
    keys = name_keys("王丹")
    assert {"王丹", "wangdan", "danwang", "dan"} <= keys


def test_name_keys_of_traditional_hanzi_are_simplified():
    assert "刘晓波" in name_keys("劉曉波")
    assert "liuxiaobo" in name_keys("劉曉波")
    assert "xiaoboliu" in name_keys("劉曉波")


@pytest.mark.parametrize(
    "query",
    ["王丹", "王 丹", "Wang Dan", "wang dan", "WANG Dan", "Wáng Dān", "Dan Wang", "wangdan", "wang2 dan1"],
)
def test_every_way_of_writing_the_name_finds_the_hanzi_name(query):
    key = query_key(query)
    assert key
    assert any(k.startswith(key) for k in name_keys("王丹")), (query, key)


@pytest.mark.parametrize("query", ["Wang Dan", "Dan Wang", "dan", "wang"])
def test_pinyin_names_are_found_in_either_order_and_by_either_word(query):
    key = query_key(query)
    assert any(k.startswith(key) for k in name_keys("Wang Dan"))


def test_surname_readings_reach_the_keys():
    assert "shanguang" in name_keys("单光")
    assert "danguang" not in name_keys("单光")
    assert "zengjinyan" in name_keys("曾金燕")


def test_pinyin_u_umlaut_is_found_however_it_is_typed():
    """吕 is Lü: English reports write 'Lü', 'Lu' or 'Lv'; each must find the hanzi name."""
    keys = name_keys("吕加平")
    for query in ["Lü Jiaping", "Lu Jiaping", "Lv Jiaping", "Jiaping Lu"]:
        key = query_key(query)
        assert any(k.startswith(key) for k in keys), (query, key, keys)


def test_name_keys_of_romanisation_given_alongside():
    keys = name_keys("王丹（Wang Dan）")
    assert {"王丹", "wangdan", "danwang"} <= keys


def test_name_keys_of_other_scripts_are_ascii():
    for text in ["ئىلھام توختى", "Иван Петров", "བཀྲ་ཤིས"]:
        keys = name_keys(text)
        assert keys
        assert all(k.isascii() for k in keys)
    assert {"ivanpetrov", "petrovivan", "ivan", "petrov"} <= name_keys("Иван Петров")


def test_a_different_name_is_not_found():
    key = query_key("Li Peng")
    assert not any(k.startswith(key) for k in name_keys("王丹"))


def test_empty_names_have_no_keys():
    assert name_keys("") == frozenset()
    assert name_keys("   ") == frozenset()


def test_query_key():
    assert query_key(" 劉 曉波 ") == "刘晓波"
    assert query_key("Liu Xiaobo") == "liuxiaobo"
    assert query_key("Líu-Xiǎobō") == "liuxiaobo"
    assert query_key("   ") == ""

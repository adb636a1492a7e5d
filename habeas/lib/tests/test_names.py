"""Names across scripts: script detection, folding, pinyin with surname readings, search keys."""

from __future__ import annotations

import pytest

from habeas.lib.names import (
    detect_script,
    fold,
    hanzi_to_pinyin,
    name_keys,
    pinyin_to_wade_giles,
    query_key,
    romanisation_keys,
    script_for_storage,
    to_simplified,
    uyghur_to_latin,
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


# -- Wade-Giles ------------------------------------------------------------------------------------
def _finds(query: str, name: str) -> bool:
    key = query_key(query)
    return bool(key) and any(k.startswith(key) for k in name_keys(name))


@pytest.mark.parametrize(
    ("pinyin", "wade_giles"),
    [
        ("jing", "ching"),
        ("qing", "ch'ing"),
        ("xiao", "hsiao"),
        ("zhong", "chung"),
        ("ri", "jih"),
        ("zi", "tzu"),
        ("si", "ssu"),
        ("shi", "shih"),
        ("guo", "kuo"),
        ("lv", "lü"),
        ("er", "erh"),
    ],
)
def test_pinyin_to_wade_giles(pinyin, wade_giles):
    assert pinyin_to_wade_giles(pinyin) == wade_giles


@pytest.mark.parametrize("query", ["Wei Ching-sheng", "wei ching sheng", "WEI Chingsheng", "Ching-sheng Wei"])
@pytest.mark.parametrize("stored", ["魏京生", "魏京生", "Wei Jingsheng", "Wei Ching-sheng"])
def test_wade_giles_finds_hanzi_pinyin_and_wade_giles_names(query, stored):
    assert _finds(query, stored), (query, stored, sorted(name_keys(stored)))


@pytest.mark.parametrize("query", ["Wei Jingsheng", "jingsheng", "wei"])
def test_pinyin_finds_a_name_stored_in_wade_giles(query):
    assert _finds(query, "Wei Ching-sheng")


def test_wade_giles_aspiration_apostrophe_is_optional_in_queries():
    # 邓小平 is Teng Hsiao-p'ing; people type it with or without the apostrophe.
    for query in ["Teng Hsiao-p'ing", "Teng Hsiao-ping", "teng hsiaoping", "Hsiao-p’ing Teng"]:
        assert _finds(query, "邓小平"), query
    assert _finds("Deng Xiaoping", "Teng Hsiao-p'ing")
    assert query_key("Hsiao-p'ing") == query_key("Hsiao-ping") == "hsiaoping"


def test_an_aspirated_wade_giles_syllable_reads_as_pinyin_q_only():
    keys = name_keys("Ch'ing Lin")
    assert "qinglin" in keys and "jinglin" not in keys
    assert {"qinglin", "jinglin"} <= name_keys("Ching Lin")


def test_wade_giles_does_not_make_other_names_match():
    assert not _finds("Wei Ching-sheng", "魏晓明")
    assert not _finds("Wei Ching-sheng", "Rebiya Kadeer")
    assert not _finds("Teng Hsiao-ping", "Deng Xiaoming")


def test_wade_giles_keys_of_an_ambiguous_name_are_bounded():
    # chu is zhu, chu, ju or qu; three such syllables would read 64 ways.
    assert len(name_keys("Chu Chu-chu")) <= 40


def test_names_that_are_neither_pinyin_nor_wade_giles_get_no_romanisation_keys():
    assert romanisation_keys("Gedhun Choekyi Nyima") == set()
    assert romanisation_keys("Ilham Tohti") == set()
    # "Rebiya" happens to split into pinyin (re-bi-ya): its extra keys must not find other names.
    assert not any(_finds(q, "Rebiya Kadeer") for q in ["Wei Jingsheng", "Liu Xiaobo", "Chen"])


# -- Uyghur and Tibetan ----------------------------------------------------------------------------
def test_uyghur_arabic_script_is_read_as_uyghur_latin():
    assert uyghur_to_latin("ئىلھام توختى") == "ilham toxti"
    assert uyghur_to_latin("رابىيە قادىر") == "rabiye qadir"
    assert uyghur_to_latin("گۈلمىرە") == "gülmire"


@pytest.mark.parametrize(
    "query", ["Ilham Toxti", "ilham tohti", "Ilham Tokhti", "Tohti Ilham", "ILHAM", "ئىلھام"]
)
def test_uyghur_name_in_arabic_script_is_found_by_its_latin_spellings(query):
    assert _finds(query, "ئىلھام توختى")


@pytest.mark.parametrize("query", ["Rabiyä Qadir", "rabiya qadir", "RABIYA", "Qadir Rabiya", "Rabiyā Qādir"])
def test_uyghur_latin_name_is_found_ignoring_case_and_diacritics(query):
    assert _finds(query, "Rabiyä Qadir")


@pytest.mark.parametrize(
    "query", ["Gendün Chökyi Nyima", "gendun chokyi nyima", "Gendun Choekyi Nyima", "CHOKYI", "Nyima Gendun"]
)
def test_tibetan_name_is_found_ignoring_case_diacritics_and_umlaut_spelling(query):
    assert _finds(query, "Gendün Chökyi Nyima")


def test_tibetan_script_names_fold_to_the_same_key_as_queries_in_that_script():
    name = "བཀྲ་ཤིས་དབང་ཕྱུག"
    assert _finds(name, name)
    assert _finds("བཀྲ་ཤིས", name)
    assert not _finds("Rabiya", name)


@pytest.mark.parametrize(
    "name",
    [
        "王丹",
        "劉曉波",
        "王丹（Wang Dan）",
        "Wei Jingsheng",
        "Wei Ching-sheng",
        "Teng Hsiao-p'ing",
        "Lü Jiaping",
        "Xi'an Li",
        "ئىلھام توختى",
        "Rabiyä Qadir",
        "Gendün Chökyi Nyima",
        "བཀྲ་ཤིས་དབང་ཕྱུག",
        "Иван Петров",
        "  WANG   dan ",
    ],
)
def test_query_key_and_name_keys_agree_a_name_typed_as_stored_finds_itself(name):
    assert query_key(name) in name_keys(name)


def test_memoised_helpers_give_the_keys_the_uncached_functions_give(monkeypatch: pytest.MonkeyPatch) -> None:
    """The caches behind name_keys only remember pure results: keys computed with every helper's cache
    bypassed (the plain functions) equal the cached ones, for the demo's names in all scripts and for
    names that reuse a cached word or character in a new combination."""
    from habeas.importers.demo import demo_bundles
    from habeas.lib import names

    texts = list(dict.fromkeys(n.text for b in demo_bundles(300, seed=5) for n in b.names))
    texts += ["單明", "Wei Ching-sheng", "Ch'ing Wei", "Lü Xiaobo", "ئىلھام توختى", "Chökyi Gyaltsen"]
    cached = [name_keys(t) for t in texts] + [name_keys(t) for t in texts]  # second pass: all from caches
    helpers = [
        "to_simplified",
        "strip_marks",
        "_hanzi_to_pinyin",
        "_wg_fold",
        "_segment_pinyin_cached",
        "_romanisation_keys",
        "_latin_tokens",
        "detect_script",
        "fold",
    ]
    for helper in helpers:
        monkeypatch.setattr(names, helper, getattr(names, helper).__wrapped__)
    plain = [names._name_keys.__wrapped__(t) for t in texts]
    assert cached == plain + plain
    assert sum(len(k) for k in plain) > 5 * len(texts)  # real keys were compared, not empty sets
    # Lists handed out are copies: changing one does not change the next caller's.
    syllables = hanzi_to_pinyin("王丹")
    syllables.append("x")
    assert hanzi_to_pinyin("王丹") == ["wang", "dan"]

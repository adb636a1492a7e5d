"""Tibetan and Uyghur names against their Chinese transcriptions (lib/names.py's syllable model):
pairs that must meet, names that must not, and which side a name is read on."""

from __future__ import annotations

import pytest

from habeas.lib.names import chinese_transcription_codes, transcription_code_is_long


def transcribes(one: str, other: str) -> bool:
    """One name's source codes meet the other's Chinese codes (either way round)."""
    source_one, chinese_one = chinese_transcription_codes(one)
    source_other, chinese_other = chinese_transcription_codes(other)
    return bool(source_one & chinese_other or source_other & chinese_one)


TIBETAN = [
    # Known elements read through their own transcriptions.
    ("Konchog Lodroe", "Gongjue Luozhui"),
    ("Tenzin Tsering", "Danzeng Ciren"),
    ("Phuntsog Tashi", "Pingcuo Zhaxi"),  # Phuntsog / Pingcuo breaks the vowel rule: the table knows it
    ("Sonam Tobgyal", "Suolang Duobujie"),  # a syllable added for the closing b
    # The syllable model: initial classes and vowel rounding, finals dropped.
    ("Jamyang Ngawang", "Jiangyang Awang"),  # ng and no initial alike
    ("Rinchen Namgyal", "Renqing Langjie"),  # n written l
    ("Lobsang Dondrub", "Luosang Dunzhu"),  # dr as zh, closing b dropped
    ("Yarphel Dorje", "Yangpei Duoji"),  # Yarphel is not in the table
    ("Namkha Dolma", "Nanka Zhuoma"),
    ("Yonten Tashi", "Yundeng Zhaxi"),
    ("Choeden Sonam", "Qudan Suolang"),  # oe as u, n as l
    ("Sherab Gyaltsen", "Xirao Jianzan"),  # ao for a closing b
    ("Tobden Gyatso", "Daodeng Jiacuo"),  # ao for o
    ("Dawa Wangchug", "Dawa Wangzhu"),  # ch as zh
    ("Pema Kyi", "Baimaji"),  # word breaks differ
    ("Tenkar Dolma", "Danga Zhuoma"),  # dan-ga, not dang-a: pinyin would write Dang'a
    ("Dawa Tashi", "Dawa Zhaxi"),  # a Tibetan name that is also valid pinyin
    ("Tashi Tsering", "扎西次仁"),  # characters read as pinyin
]

UYGHUR = [
    ("Kamil Rehim", "Kamili Reyimu"),  # a vowel after each closing consonant, h as y
    ("Tursun Memet", "Tuersun Maimaiti"),  # r as er
    ("Abdurehim Tursun", "Abudureyimu Tuersun"),
    ("Ehmet Memet", "Aihemaiti Maimaiti"),
    ("Chimengul Kamil", "Qimanguli Kamili"),  # men-gul, not meng-ul
    ("Esqer Tursun", "Aisika'er Tuersun"),  # q as k, apostrophe inside a word
    ("Sadiq Kamil", "Sadike Kamili"),
    ("Qurban Memet", "Kuban Maimaiti"),  # a closing r left out
    ("Abdughani Memet", "Abuduaini Maimaiti"),  # gh left out
    ("Ismail Tursun", "Simayi Tuersun"),  # a closing l left out
]

# Different names: the codes must tell them apart even where they share a word or look alike.
DIFFERENT = [
    ("Lobsang Sonam", "Luosang Xirao"),  # Sherab, not Sonam
    ("Tashi Dorje", "Danzeng Duoji"),  # Tenzin Dorje
    ("Lobsang Rinchen", "Luosang Langjie"),  # r is not l: Lobsang Namgyal
    ("Rigzin Choedron", "Renzeng Quji"),  # Choekyi, not Choedron
    ("Tenzin", "Dajie"),  # zh of Danzhen is not j
    ("Kamil Rehim", "Kamili Tuersun"),
    ("Memet Tursun", "Maimaiti Yiming"),
    ("Ilham Tohti", "Yilihamu Tuersun"),
]


@pytest.mark.parametrize(("name", "transcription"), TIBETAN)
def test_tibetan_name_meets_its_chinese_transcription(name: str, transcription: str) -> None:
    assert transcribes(name, transcription)


@pytest.mark.parametrize(("name", "transcription"), UYGHUR)
def test_uyghur_name_meets_its_chinese_transcription(name: str, transcription: str) -> None:
    assert transcribes(name, transcription)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_names_do_not_meet(one: str, other: str) -> None:
    assert not transcribes(one, other)


def test_two_names_on_the_same_side_never_meet() -> None:
    # Two spellings in Latin letters (phonetic keys decide those) and two Chinese names alike.
    assert not transcribes("Tenzin Dorje", "Tendzin Dorjee")
    assert not transcribes("Ngawang Kalsang", "Ngawang Karzom")
    assert not transcribes("Danzeng Duoji", "Danzeng Duoji")


@pytest.mark.parametrize("name", ["Wang Dan", "Liu Xiaobo", "王小波", "刘晓波", "Wei Ching-sheng", ""])
def test_han_names_get_no_codes(name: str) -> None:
    """A Han name written family name first, in characters or Wade-Giles, is not a transcription."""
    assert chinese_transcription_codes(name) == (frozenset(), frozenset())


def test_sides() -> None:
    source, chinese = chinese_transcription_codes("Konchog Lodroe")
    assert source and not chinese
    source, chinese = chinese_transcription_codes("Gongjue Luozhui")
    assert chinese and not source


def test_long_codes_are_three_syllables_or_a_long_skeleton() -> None:
    source, _ = chinese_transcription_codes("Tenzin Tsering")
    assert all(transcription_code_is_long(c) for c in source if c.startswith("b:"))
    source, _ = chinese_transcription_codes("Tenpa")
    assert not any(transcription_code_is_long(c) for c in source)


def test_codes_per_name_are_bounded() -> None:
    source, _ = chinese_transcription_codes("Tsering Choedron Khyenrab Wangchug Tenzin")
    assert 0 < len(source) <= 2 * 2 * 16


@pytest.mark.parametrize(
    ("name", "transcription"),
    [
        ("Jampal Yonten", "Jiangbai Yundan"),
        ("Khedrub Dargye", "Kezhu Dajie"),
        ("Karma Zangmo", "Gama Sangmu"),
    ],
)
def test_common_elements_share_a_tibetan_key_with_their_transcription(name: str, transcription: str) -> None:
    from habeas.lib.names import linkage_keys

    shared = linkage_keys(name) & linkage_keys(transcription)
    assert any(key.startswith("t:") for key in shared)


def test_dolkar_is_not_dolma() -> None:
    from habeas.lib.names import linkage_keys

    assert not linkage_keys("Tsering Dolkar") & linkage_keys("Tsering Dolma")
    assert linkage_keys("Tsering Dolkar") & linkage_keys("Ciren Zhuoga")

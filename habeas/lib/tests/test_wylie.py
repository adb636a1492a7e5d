"""Tibetan script in Wylie: prefixes, superscripts, subscripts, suffixes and the inherent vowel."""

from __future__ import annotations

import pytest

from habeas.lib.wylie import to_wylie


@pytest.mark.parametrize(
    ("tibetan", "wylie"),
    [
        ("བཀྲ་ཤིས་རྡོ་རྗེ", "bkra shis rdo rje"),  # prefix + subscript; superscripts with vowels
        ("བསྟན་འཛིན་བདེ་ལེགས", "bstan 'dzin bde legs"),
        ("དཔལ་ལྡན་རྒྱ་མཚོ", "dpal ldan rgya mtsho"),  # plain prefix-root-suffix: root is the second
        ("བློ་བཟང་ཕུན་ཚོགས", "blo bzang phun tshogs"),
        ("བསོད་ནམས", "bsod nams"),  # plain root-suffix-suffix: root is the first
        ("དགའ་ལྡན", "dga' ldan"),
        ("བསྒྲུབས", "bsgrubs"),  # prefix, superscript, root, subscript, vowel, two suffixes
        ("ཨོ་རྒྱན", "o rgyan"),  # a-chen carries the vowel
        ("དགེ་འདུན་ཆོས་ཀྱི་ཉི་མ", "dge 'dun chos kyi nyi ma"),
    ],
)
def test_names_read_as_tibetologists_write_them(tibetan: str, wylie: str) -> None:
    assert to_wylie(tibetan) == wylie


def test_other_scripts_pass_through_and_shad_ends_a_phrase() -> None:
    assert to_wylie("Tashi (བཀྲ་ཤིས།) ༢༠༡༢") == "Tashi (bkra shis /) 2012"

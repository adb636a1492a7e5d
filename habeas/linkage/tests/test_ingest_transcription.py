"""On ingestion, an extracted Chinese transcription of a Tibetan or Uyghur name (and the other way round)
finds the existing dossier and is linked, queued for review or created as new by the admin's thresholds:
through the element table (Zhaxi Duojie / Tashi Dorje) and through the transcription codes of the names
in the database (Yangpei Luobu / Yarphel Norbu, Abudureyimu Kadier / Abdurehim Qadir), names imported
in bulk and names edited afterwards included. Constructed names, not records of the real data sets."""

from __future__ import annotations

import importlib.util

import pytest

from habeas.accounts.models import Confidentiality
from habeas.dossiers import services as dossiers
from habeas.dossiers.models import PersonName
from habeas.dossiers.tests.test_selectors import bundle, make
from habeas.linkage import ingest
from habeas.linkage.candidates import person_candidates
from habeas.linkage.codes import index_new_names
from habeas.linkage.models import LinkageSettings, NameCode

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(importlib.util.find_spec("splink") is None, reason="splink is not installed"),
]

# What an extractor gives besides the name: the place and year of detention.
HELD = {"place": "Chamdo Prison", "detained": "2012-03"}


def _dossier(by, name: str, ethnicity: str):
    person = dossiers.person_create(
        names=[name], unsourced=True, by=by, ethnicity=ethnicity, confidentiality=Confidentiality.INTERNAL
    )
    return person


def _held(person, by) -> None:
    from habeas.places.services import place_create

    place = place_create(names=["Chamdo Prison"], by=by, kind="prison")
    dossiers.detention_record(person=person, unsourced=True, by=by, started="2012-03", place=place)


def _thresholds(auto: float, review: float) -> None:
    LinkageSettings.objects.update_or_create(
        id=1, defaults={"person_auto_link": auto, "person_review": review}
    )


@pytest.mark.parametrize(
    ("existing", "ethnicity", "extracted"),
    [
        ("Tashi Dorje", "Tibetan", "Zhaxi Duojie"),  # every word in the element table
        ("Yarphel Norbu", "Tibetan", "Yangpei Luobu"),  # Yarphel is not: the syllable codes
        ("Abdurehim Qadir", "Uyghur", "Abudureyimu Kadier"),  # the Uyghur consonant skeleton
        ("Yangpei Luobu", "Tibetan", "Yarphel Norbu"),  # the other way round
    ],
)
def test_a_transcription_proposes_the_existing_dossier(researcher, existing, ethnicity, extracted) -> None:
    person = _dossier(researcher, existing, ethnicity)
    assert person.pk in person_candidates([extracted])
    found = ingest.score_candidates(researcher, [extracted], {"ethnicity": ethnicity})
    assert [s.person_id for s in found] == [person.pk]
    assert found[0].evidence["fields"]["name"]["weight"] > 5


def test_the_admins_thresholds_decide_link_review_or_new(researcher) -> None:
    person = _dossier(researcher, "Yarphel Norbu", "Tibetan")
    _held(person, researcher)
    score = ingest.score_candidates(researcher, ["Yangpei Luobu"], {"ethnicity": "Tibetan", **HELD})[0].score
    _thresholds(auto=min(score + 0.01, 1.0), review=max(score - 0.01, 0.0))
    decided = ingest.person_link(researcher, ["Yangpei Luobu"], {"ethnicity": "Tibetan", **HELD})
    assert (decided.decision, decided.person_id) == (ingest.REVIEW, None)
    assert [s.person_id for s in decided.scored] == [person.pk]
    _thresholds(auto=max(score - 0.01, 0.0), review=max(score - 0.02, 0.0))
    assert ingest.person_link(researcher, ["Yangpei Luobu"], {"ethnicity": "Tibetan", **HELD}).person_id == (
        person.pk
    )
    _thresholds(auto=1.0, review=min(score + 0.01, 1.0))
    assert ingest.person_link(researcher, ["Yangpei Luobu"], {"ethnicity": "Tibetan", **HELD}).decision == (
        ingest.NEW
    )


def test_a_han_name_is_not_coded_and_finds_no_namesake_by_codes(researcher) -> None:
    _dossier(researcher, "Wang Dan", "Han")
    index_new_names()
    assert set(NameCode.objects.values_list("code", flat=True)) == {""}
    assert person_candidates(["Liu Xiaobo"]) == []


def test_bulk_imported_names_are_coded_on_the_next_lookup(db) -> None:
    (person,) = make(bundle(1, names=("Yarphel Norbu",), level=Confidentiality.INTERNAL))
    assert not NameCode.objects.exists()  # a bulk import sends no signal
    assert person.pk in person_candidates(["Yangpei Luobu"])
    assert NameCode.objects.filter(name__person=person).exclude(code="").exists()


def test_an_edited_name_is_coded_again(researcher) -> None:
    person = _dossier(researcher, "Yarphel Norbu", "Tibetan")
    assert person.pk in person_candidates(["Yangpei Luobu"])
    name = PersonName.objects.get(person=person)
    dossiers.fact_update(fact=name, version=dossiers.fact_version(name), by=researcher, text="Kamil Rehim")
    assert person.pk not in person_candidates(["Yangpei Luobu"])
    assert person.pk in person_candidates(["Kamili Reyimu"])

"""Shared records for the dialogue tests: three prisoners of concern (one restricted, carrying a
planted secret), an interlocutor, and a handed-over list. All names and texts are fictional."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from habeas.accounts.models import Confidentiality
from habeas.dialogue import services
from habeas.dossiers import services as dossiers
from habeas.dossiers.models import Person
from habeas.places.services import place_create

# Unique strings planted in records a public-cleared reader must never see, in any output.
SECRET_NAME = "Zhuang Mimi"
SECRET_HANZI = "庄秘密"
SECRET_NOTE = "INTERNAL-NOTE-7Q3X"
SECRET_SUMMARY = "RESTRICTED-SUMMARY-K9P2"
SECRET_LIST_NOTE = "LIST-NOTE-W4R8"


@dataclass
class World:
    liu: Person  # public, fixed term, held at a public prison
    tashi: Person  # public, death with reprieve
    hidden: Person  # restricted
    interlocutor: Any
    handed: Any  # a handed-over public list with liu (public entry) and hidden (restricted entry)


def person(by: Any, names: list[str], *, level: int = Confidentiality.PUBLIC, **fields: Any) -> Person:
    return dossiers.person_create(
        names=[
            {"text": n, "kind": "main" if i == 0 else "alias", "confidentiality": level}
            for i, n in enumerate(names)
        ],
        unsourced=True,
        by=by,
        confidentiality=level,
        **fields,
    )


def detain(by: Any, who: Person, *, started: str, place: Any = None, **sentence: Any) -> Any:
    detention = dossiers.detention_record(
        person=who, started=started, place=place, unsourced=True, by=by, measure="formal_arrest"
    )
    if sentence:
        dossiers.sentence_record(detention=detention, unsourced=True, by=by, **sentence)
    dossiers.status_record(person=who, status="detained", date=started, unsourced=True, by=by)
    return detention


@pytest.fixture
def world(researcher) -> World:
    prison = place_create(
        names=["Chishui Prison", "赤水监狱"],
        by=researcher,
        country="CN",
        province="Guizhou",
        confidentiality=Confidentiality.PUBLIC,
    )
    liu = person(researcher, ["Liu Mingde", "刘明德"], summary_public="A teacher detained for an essay.")
    detain(
        researcher,
        liu,
        started="2015-03-05",
        place=prison,
        kind="fixed",
        term_months=132,
        term_starts="2015-03-05",
    )
    tashi = person(researcher, ["Tashi Dorje", "扎西多杰"])
    detain(researcher, tashi, started="2012-06", kind="death_reprieve")
    hidden = person(
        researcher,
        [SECRET_NAME, SECRET_HANZI],
        level=Confidentiality.RESTRICTED,
        notes_internal=SECRET_NOTE,
        summary_public=SECRET_SUMMARY,
    )
    detain(researcher, hidden, started="2019-01-10")
    ministry = services.interlocutor_create(
        name="Ministry of Justice",
        name_local="司法部",
        kind="ministry",
        country="CN",
        by=researcher,
        confidentiality=Confidentiality.PUBLIC,
    )
    handed = services.list_create(
        title="Dialogue round list 2026",
        interlocutor=ministry,
        by=researcher,
        notes=SECRET_LIST_NOTE,
        confidentiality=Confidentiality.PUBLIC,
    )
    services.entry_add(
        prisoner_list=handed,
        person=liu,
        requests=["release", "family_visit"],
        by=researcher,
        case_summary="Liu Mingde, a teacher, was sentenced to 11 years for an essay.",
        internal_note=SECRET_NOTE,
    )
    services.entry_add(
        prisoner_list=handed,
        person=hidden,
        requests=["information"],
        by=researcher,
        case_summary=SECRET_SUMMARY,
    )
    handed = services.list_hand_over(prisoner_list=handed, handed_over="2026-03-01", by=researcher)
    return World(liu=liu, tashi=tashi, hidden=hidden, interlocutor=ministry, handed=handed)


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 23)

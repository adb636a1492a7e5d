"""Fixtures for the visits tests here and in habeas/web/tests: a notes key set through settings (never a
file in var/), and a small world to visit. Import ``notes_key_fixture`` and ``trip_fixture`` from here."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from cryptography.fernet import Fernet

from habeas.access.models import BodyKind, MonitoringBody
from habeas.accounts.models import Confidentiality
from habeas.places.models import Place
from habeas.places.services import place_create
from habeas.sources.models import Source
from habeas.sources.services import source_store
from habeas.visits import services
from habeas.visits.models import Visit, VisitPlace

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True, name="notes_key")
def notes_key_fixture(settings, tmp_path) -> str:
    settings.HABEAS_NOTES_KEY = TEST_KEY
    # Never the developer's var/notes.key: a test without the setting sees no key at all.
    settings.HABEAS_NOTES_KEY_FILE = tmp_path / "absent.key"
    return TEST_KEY


@dataclass
class Trip:
    body: MonitoringBody
    place: Place
    visit: Visit
    visit_place: VisitPlace
    report: Source


@pytest.fixture(name="trip")
def trip_fixture(researcher) -> Trip:
    body = MonitoringBody.objects.create(
        name="Committee for Test Visits", short_name="CTV", kind=BodyKind.ICRC, confidentiality=0
    )
    place = place_create(names=["Qinghe No. 9 Prison"], confidentiality=Confidentiality.PUBLIC, by=researcher)
    report, _ = source_store(
        text="The delegation found 1.6 m2 per person in cell block B. It recommends that the Ministry of "
        "Justice reduce overcrowding. In 2025 the ministry accepted the recommendation.",
        title="Visit report",
        confidentiality=Confidentiality.PUBLIC,
        by=researcher,
    )
    visit = services.visit_create(
        body=body,
        title="Visit to Qinghe, May 2025",
        started="2025-05-03",
        ended="2025-05-05",
        announced="unannounced",
        team=[("A. Delegate", "head of delegation"), ("B. Doctor", "doctor")],
        confidentiality=Confidentiality.PUBLIC,
        unsourced=True,
        by=researcher,
    )
    visit_place = services.visit_place_add(
        visit=visit, place=place, date="2025-05-03", population=1240, unsourced=True, by=researcher
    )
    return Trip(body=body, place=place, visit=visit, visit_place=visit_place, report=report)

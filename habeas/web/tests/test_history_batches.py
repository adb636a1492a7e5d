"""History pages of records a bulk import created: their import (who, when, which import and batch),
newest first after their later changes, also for a removed fact; never for a record made later."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from habeas.audit.models import HistoryBatch
from habeas.dossiers import services
from habeas.dossiers.bulk import dossiers_bulk_create
from habeas.dossiers.models import HealthNote, Person
from habeas.dossiers.tests.test_selectors import bundle
from habeas.web.tests.test_history_pages import html_of


@pytest.fixture
def imported(admin_user) -> list[Person]:
    ids = dossiers_bulk_create([bundle(1), bundle(2)], by=admin_user, note="CECC import ppd.csv").person_ids
    return list(Person.objects.filter(pk__in=ids).order_by("pk"))


@pytest.mark.django_db
def test_an_imported_person_shows_its_import_after_its_updates(client_for, researcher, imported) -> None:
    person = imported[1]
    services.person_update(person=person, version=person.version, by=researcher, occupation="lawyer")
    html = html_of(client_for(researcher), reverse("web:person_history", args=[person.pk]))
    batch = HistoryBatch.objects.get()
    assert html.index("Updated") < html.index("Imported")  # newest first
    assert "by ada" in html and "CECC import ppd.csv" in html
    assert f"batch {batch.pk}, rows 1 to 2 of the import" in html
    assert "<td>lawyer</td>" in html
    # Each fact's own page shows its import too.
    detention = person.detentions.get()
    fact_page = html_of(client_for(researcher), reverse("web:fact_history", args=["detention", detention.pk]))
    assert "Imported" in fact_page and f"batch {batch.pk}" in fact_page


@pytest.mark.django_db
def test_a_removed_imported_fact_keeps_its_import(client_for, researcher, imported) -> None:
    note = HealthNote.objects.get(person=imported[0])
    services.fact_remove(fact=note, version=services.fact_version(note), by=researcher)
    html = html_of(client_for(researcher), reverse("web:person_history", args=[imported[0].pk]))
    removed = html[html.index("hepatitis B") :]
    assert removed.index("Deleted") < removed.index("Imported")


@pytest.mark.django_db
def test_a_person_created_after_the_import_shows_no_import(client_for, researcher, imported) -> None:
    later = services.person_create(names=["Chen Yiping"], unsourced=True, by=researcher)
    assert later.pk > imported[-1].pk
    if connection.vendor == "sqlite":  # PostgreSQL's writer reserved a block of ids: the next is further
        assert later.pk == imported[-1].pk + 1  # the id just past the batch's run
    html = html_of(client_for(researcher), reverse("web:person_history", args=[later.pk]))
    assert "Created" in html and "Imported" not in html and "batch" not in html

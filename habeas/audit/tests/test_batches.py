"""History of records written in bulk: one batch row per import batch with the id runs it created,
read by history_for as the record's import, before the rows of its later changes."""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers

from habeas.audit.models import History, HistoryBatch, HistoryRun
from habeas.audit.selectors import batch_rows, history_for
from habeas.audit.services import id_runs
from habeas.dossiers import services
from habeas.dossiers.bulk import DetentionIn, NameIn, PersonIn, SourceIn, dossiers_bulk_create
from habeas.dossiers.models import Detention, Person

SECRET = "Qzxvfamilyaskedsilence"


def bundle(number: int) -> PersonIn:
    return PersonIn(
        source=SourceIn(text=f"Report {number}: Liu Mingde was detained in 2009.", title=f"Report {number}"),
        names=[NameIn(f"Liu Mingde {number}")],
        notes_internal=SECRET,
        summary_public=f"summary {number}",
        detentions=[DetentionIn(started="2009", measure="criminal_detention", notes=SECRET)],
    )


def runs_of(model: type) -> list[tuple[int, int]]:
    content_type = ContentType.objects.get_for_model(model)
    runs = HistoryRun.objects.filter(content_type=content_type).order_by("first_id")
    return list(runs.values_list("first_id", "last_id"))


def test_id_runs_are_the_contiguous_stretches_of_the_ids_given() -> None:
    assert id_runs([]) == []
    assert id_runs([7]) == [(7, 7)]
    assert id_runs([3, 1, 2, 7, 8, 10]) == [(1, 3), (7, 8), (10, 10)]


@pytest.mark.django_db
def test_a_bulk_created_record_shows_its_import_then_its_later_updates(researcher, admin_user) -> None:
    result = dossiers_bulk_create([bundle(n) for n in range(3)], by=admin_user, note="CECC import ppd.csv")
    person = Person.objects.get(pk=result.person_ids[1])
    (imported,) = history_for(person, user=researcher)
    assert (imported.action, imported.user, imported.note) == ("import", admin_user, "CECC import ppd.csv")
    assert imported.batch is not None and (imported.batch.first_row, imported.batch.last_row) == (1, 3)
    assert imported.changes == {} and imported.object_id == person.pk and imported.pk is None

    services.person_update(person=person, version=person.version, by=researcher, occupation="lawyer")
    rows = history_for(person, user=researcher)
    assert [(row.action, row.user) for row in rows] == [("update", researcher), ("import", admin_user)]
    # What the import created stays recoverable: the update keeps the imported value as its "before".
    assert rows[0].changes["occupation"] == ["", "lawyer"]
    # Its facts have their import too.
    detention = Detention.objects.get(person=person)
    assert [row.action for row in history_for(detention, user=researcher)] == ["import"]


@pytest.mark.django_db
def test_one_batch_per_written_batch_with_the_rows_it_took(admin_user) -> None:
    note = "habeas demo --seed 0"
    dossiers_bulk_create([bundle(n) for n in range(5)], by=admin_user, note=note, batch_size=2)
    batches = list(HistoryBatch.objects.order_by("pk").values_list("first_row", "last_row", "note"))
    assert batches == [(1, 2, note), (3, 4, note), (5, 5, note)]
    assert not History.objects.exists()
    # Rows given by the importer (a file's lines) are kept as they are.
    lines = [bundle(n) for n in range(5, 7)]
    lines[0].row, lines[1].row = 14, 17
    dossiers_bulk_create(lines, note="CECC import ppd.csv")
    assert HistoryBatch.objects.order_by("-pk").values_list("first_row", "last_row")[0] == (14, 17)


@pytest.mark.django_db
def test_a_record_created_later_just_past_a_run_is_not_attributed_to_it(researcher) -> None:
    result = dossiers_bulk_create([bundle(n) for n in range(2)], by=researcher)
    ((first, last),) = runs_of(Person)
    # The run covers exactly the ids written, not the rest of a block the writer reserved.
    assert (first, last) == (min(result.person_ids), max(result.person_ids))
    later = services.person_create(names=["Chen Yiping"], unsourced=True, by=researcher)
    assert later.pk > last
    assert [row.action for row in history_for(later, user=researcher)] == ["create"]
    assert all(row.batch is None for row in history_for(later, user=researcher))


@pytest.mark.django_db
def test_records_written_between_two_imports_are_in_neither(researcher) -> None:
    dossiers_bulk_create([bundle(0)], by=researcher, note="first")
    between = services.person_create(names=["Chen Yiping"], unsourced=True, by=researcher)
    second = dossiers_bulk_create([bundle(1)], by=researcher, note="second")
    assert second.person_ids[0] > between.pk
    for first_id, last_id in runs_of(Person):
        assert not first_id <= between.pk <= last_id
    assert [row.note for row in history_for(between, user=researcher)] == [""]
    (imported,) = history_for(Person.objects.get(pk=second.person_ids[0]), user=researcher)
    assert imported.note == "second"


@pytest.mark.django_db
def test_batch_rows_of_many_records_across_batches_take_two_queries(
    researcher, django_assert_max_num_queries
) -> None:
    """The history page of removed facts asks for many records at once: not a query per record."""
    first = dossiers_bulk_create([bundle(0), bundle(1)], by=researcher, note="first")
    between = services.person_create(names=["Chen Yiping"], unsourced=True, by=researcher)
    second = dossiers_bulk_create([bundle(2), bundle(3)], by=researcher, note="second")
    kind = ContentType.objects.get_for_model(Person).pk
    ids = [*first.person_ids, between.pk, *second.person_ids, second.person_ids[-1] + 1]
    with django_assert_max_num_queries(2):
        imported = batch_rows(kind, ids)
    assert {pk: row.note for pk, row in imported.items()} == {
        **{pk: "first" for pk in first.person_ids},
        **{pk: "second" for pk in second.person_ids},
    }


@pytest.mark.django_db
def test_the_batch_row_holds_no_values(admin_user) -> None:
    dossiers_bulk_create([bundle(n) for n in range(3)], by=admin_user, note="habeas demo --seed 0")
    stored = serializers.serialize("json", [*HistoryBatch.objects.all(), *HistoryRun.objects.all()])
    assert SECRET not in stored and "Liu Mingde" not in stored and "summary" not in stored
    fields = {name for row in json.loads(stored) for name in row["fields"]}
    assert fields == {"at", "user", "action", "note", "first_row", "last_row", "batch", "content_type"} | {
        "first_id",
        "last_id",
    }


@pytest.mark.django_db
def test_the_import_is_shown_only_to_readers_of_the_record_history(admin_user, reviewer, viewer) -> None:
    restricted = bundle(0)
    restricted.confidentiality = 2
    result = dossiers_bulk_create([restricted, bundle(1)], by=admin_user)
    hidden, internal = (Person.objects.get(pk=pk) for pk in result.person_ids)
    assert history_for(hidden, user=reviewer) == []
    assert [row.action for row in history_for(internal, user=reviewer)] == ["import"]
    assert history_for(internal, user=viewer) == []

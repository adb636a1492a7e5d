"""The bulk writer: what importers and the demo generator rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models

from habeas.audit.models import History, HistoryBatch
from habeas.audit.selectors import batch_rows
from habeas.dossiers import derive
from habeas.dossiers.bulk import (
    AllegationIn,
    ChargeIn,
    DetentionIn,
    ExternalIdIn,
    HealthIn,
    LegalStepIn,
    NameIn,
    PersonIn,
    PlaceIn,
    SentenceChangeIn,
    SentenceIn,
    SourceIn,
    StatusIn,
    dossiers_bulk_create,
)
from habeas.dossiers.models import Charge, Detention, NameKey, Person, PersonName, Sentence, StatusChange
from habeas.places.models import Place
from habeas.sources.models import Citation, Source

TEXT = (
    "Liu Mingde (刘明德), a co-founder of the fictional Harmony Party, was detained in March 2009. "
    "He was sentenced to 11 years for inciting subversion. He suffers from hepatitis B."
)


def bundle(number: int, *, text: str = TEXT, status: str = "detained") -> PersonIn:
    sentence_at = text.index("He was sentenced")
    return PersonIn(
        source=SourceIn(text=f"{text} Record {number}.", title=f"Report {number}", publisher="Test Wire"),
        names=[NameIn("Liu Mingde"), NameIn("刘明德", span=(12, 15))],
        sex="M",
        external_ids=[ExternalIdIn("test", str(number))],
        detentions=[
            DetentionIn(
                started="2009-03",
                measure="criminal_detention",
                place=PlaceIn("Qinghe No. 3 Prison", kind="prison", province="Hebei"),
                legal_steps=[LegalStepIn("trial", "2010-01-12", court="Qinghe Intermediate People's Court")],
                charges=[ChargeIn("inciting subversion of state power", "PRC Criminal Law 1997", "105(2)")],
                sentences=[
                    SentenceIn(
                        term_months=132,
                        pronounced="2010-02",
                        span=(sentence_at, sentence_at + 50),
                        changes=[SentenceChangeIn("reduction", "2015-06", months=6)],
                    )
                ],
            )
        ],
        statuses=[StatusIn(status, "2009-03", detention=0)],
        health=[HealthIn("hepatitis B")],
        allegations=[AllegationIn("arbitrary_detention", wgad_category=2)],
    )


@pytest.mark.django_db
def test_bulk_create_writes_every_fact_with_a_citation_and_its_batch_history() -> None:
    result = dossiers_bulk_create([bundle(1), bundle(2)], note="test import")
    assert result.persons == 2 and Person.objects.count() == 2
    assert Detention.objects.count() == 2 and Charge.objects.count() == 2
    for model in (Person, PersonName, Detention, Charge, Sentence, StatusChange):
        assert not model.objects.filter(citation__isnull=True).exists()
    # One history row for the batch, none per record; every record it wrote is in one of its runs.
    assert History.objects.count() == 0 and result.history == HistoryBatch.objects.count() == 1
    written: list[type[models.Model]] = [Person, PersonName, Detention, Charge, Sentence, StatusChange]
    written += [Source, Place]
    for kind in written:
        ids = set(kind._default_manager.values_list("pk", flat=True))
        imported = batch_rows(ContentType.objects.get_for_model(kind).pk, ids)
        assert set(imported) == ids and ids
        assert {(row.action, row.note) for row in imported.values()} == {("import", "test import")}
    name = PersonName.objects.get(person_id=result.person_ids[0], text="刘明德")
    assert name.script == "Hans"
    assert name.citation is not None and name.citation.quote == "刘明德"
    sentence = Sentence.objects.get(detention__person_id=result.person_ids[0])
    assert sentence.citation is not None and sentence.citation.quote.startswith(
        "He was sentenced to 11 years"
    )


@pytest.mark.django_db
def test_bulk_derived_columns_equal_what_derive_computes_from_the_stored_facts() -> None:
    result = dossiers_bulk_create([bundle(1), bundle(2, status="released")])
    columns = ["display_name", "current_status", "status_date", "expected_release", "expected_release_latest"]
    written = list(Person.objects.order_by("pk").values_list(*columns))
    derive.person_refresh(result.person_ids)
    assert list(Person.objects.order_by("pk").values_list(*columns)) == written
    first = Person.objects.get(pk=result.person_ids[0])
    assert first.display_name == "Liu Mingde"
    # 132 months from some day in March 2009, less a 6-month reduction: the last day of the term
    # falls between 29 Aug and 30 Sep 2019, so only the year is certain.
    assert str(first.expected_release) == "2019"
    assert first.expected_release_latest == dt.date(2019, 9, 30)


@pytest.mark.django_db
def test_bulk_same_source_text_is_stored_once_and_its_citations_shared() -> None:
    same = bundle(1)
    twin = bundle(1)
    twin.external_ids = [ExternalIdIn("test", "1b")]
    dossiers_bulk_create([same])
    result = dossiers_bulk_create([twin])
    assert Source.objects.count() == 1
    assert result.sources == 0 and result.sources_reused == 1
    assert Citation.objects.values("source", "start", "end").distinct().count() == Citation.objects.count()


@pytest.mark.django_db
def test_bulk_places_are_reused_by_folded_name_and_province() -> None:
    first = bundle(1)
    second = bundle(2)
    assert second.detentions[0].place is not None
    second.detentions[0].place.name = "QINGHE NO 3 PRISON"
    dossiers_bulk_create([first, second])
    assert Place.objects.count() == 1


@pytest.mark.django_db
def test_bulk_name_keys_let_both_scripts_find_the_person() -> None:
    result = dossiers_bulk_create([bundle(1)])
    keys = set(NameKey.objects.filter(person_id=result.person_ids[0]).values_list("key", flat=True))
    assert {"liumingde", "刘明德", "mingdeliu"} <= keys


@pytest.mark.django_db
def test_bulk_unknown_vocabulary_is_refused_and_nothing_is_written() -> None:
    bad = bundle(2)
    bad.statuses[0].status = "vanished"
    with pytest.raises(ValueError, match="unknown status 'vanished'"):
        dossiers_bulk_create([bundle(1), bad])
    assert Person.objects.count() == Source.objects.count() == History.objects.count() == 0
    assert not HistoryBatch.objects.exists()


@pytest.mark.django_db
def test_bulk_span_outside_the_text_is_refused() -> None:
    bad = bundle(1)
    bad.health[0].span = (0, 10_000)
    with pytest.raises(ValueError, match="outside the source text"):
        dossiers_bulk_create([bad])
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_bulk_rows_get_ids_after_rows_made_by_the_orm() -> None:
    dossiers_bulk_create([bundle(1)])
    made = Person.objects.create(citation=Citation.objects.first())
    result = dossiers_bulk_create([bundle(2)])
    assert result.person_ids[0] > made.pk


@pytest.mark.django_db
def test_bulk_large_write_leaves_fresh_planner_statistics_on_postgresql(monkeypatch) -> None:
    from django.db import connection

    from habeas.dossiers import _bulk_writer

    if connection.vendor != "postgresql":
        pytest.skip("statistics are refreshed on PostgreSQL only (autovacuum lags behind a bulk import)")

    def analyzed() -> bool:
        """The planner's statistics of name keys describe the keys just written."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_vals::text FROM pg_stats WHERE tablename = %s AND attname = 'key'",
                [NameKey._meta.db_table],
            )
            row = cursor.fetchone()
        return row is not None and "liumingde" in (row[0] or "")

    monkeypatch.setattr(_bulk_writer, "ANALYZE_AFTER", 3)
    dossiers_bulk_create([bundle(1), bundle(2)])
    assert not analyzed()  # below the threshold: left to autovacuum
    dossiers_bulk_create([bundle(n) for n in range(3, 6)])
    assert analyzed()

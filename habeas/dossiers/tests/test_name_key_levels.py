"""NameKey.level: name search below full clearance reads each key's stored level instead of joining
its name, so the stored level must never be below the name's or the person's, whatever changes them
(services, merge and its undo, split, a plain QuerySet.update, bulk import, a JSON-lines restore).

Every test checks the invariant over the whole table (``assert_levels_exact``) and what a reader below
the record's level is actually told by both search selectors.
"""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from habeas.accounts.models import Confidentiality
from habeas.dossiers import services
from habeas.dossiers.bulk import NameIn, PersonIn, SourceIn, dossiers_bulk_create
from habeas.dossiers.models import NameKey, Person, PersonName
from habeas.dossiers.selectors import person_list, person_search
from habeas.dossiers.services import fact_version

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


def assert_levels_exact() -> None:
    """Every key's level is the stricter of its name's and its person's, as the database holds them."""
    wrong = [
        (key.key, key.level, key.name.confidentiality, key.person.confidentiality)
        for key in NameKey.objects.select_related("name", "person")
        if key.level != max(key.name.confidentiality, key.person.confidentiality)
    ]
    assert wrong == []


def found(user, query: str) -> set[int]:
    """Persons the reader is told match ``query``, by both search selectors (which must agree)."""
    searched = {p.pk for p in person_search(user, query)}
    listed = {p.pk for p in person_list(user, q=query).object_list}
    assert searched == listed
    return searched


def dossier(names: list[str | dict], *, level: int = PUBLIC, by=None) -> Person:
    return services.person_create(names=names, unsourced=True, by=by, confidentiality=level)


@pytest.fixture
def person(researcher) -> Person:
    """A public person with a public main name and a restricted alias."""
    p = dossier(["Gao Wenbin"], by=researcher)
    services.name_add(
        person=p, text="Qiao Hongyan", confidentiality=RESTRICTED, unsourced=True, by=researcher
    )
    return p


# -- writing keys ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_new_keys_take_the_stricter_of_the_names_and_the_persons_level(person, viewer, reviewer, researcher):
    internal = dossier(["Lin Qiaoyun"], level=INTERNAL, by=researcher)
    assert_levels_exact()
    assert set(NameKey.objects.filter(name__text="Gao Wenbin").values_list("level", flat=True)) == {PUBLIC}
    assert set(NameKey.objects.filter(name__text="Qiao Hongyan").values_list("level", flat=True)) == {
        RESTRICTED
    }
    assert set(NameKey.objects.filter(person=internal).values_list("level", flat=True)) == {INTERNAL}
    assert found(viewer, "gao") == {person.pk}
    assert found(viewer, "qiao") == set()  # the restricted alias says nothing below its level
    assert found(reviewer, "qiao") == {internal.pk}  # Lin Qiaoyun's given name
    assert found(researcher, "qiao") == {person.pk, internal.pk}


@pytest.mark.django_db
def test_bulk_written_keys_carry_the_bundles_level(viewer, reviewer, researcher):
    source = SourceIn(text="A report about two persons.", title="Report", publisher="Wire")
    ids = dossiers_bulk_create(
        [
            PersonIn(source=source, names=[NameIn("Ma Jian"), NameIn("马健")], confidentiality=PUBLIC),
            PersonIn(source=source, names=[NameIn("Ma Lan"), NameIn("马兰")], confidentiality=RESTRICTED),
        ]
    ).person_ids
    assert_levels_exact()
    public, restricted = ids
    assert set(NameKey.objects.filter(person_id=restricted).values_list("level", flat=True)) == {RESTRICTED}
    assert found(viewer, "ma") == found(viewer, "马") == {public}
    assert found(reviewer, "ma lan") == set()
    assert found(researcher, "ma") == {public, restricted}


@pytest.mark.django_db
def test_a_renamed_name_keeps_its_level_on_its_new_keys(person, viewer, researcher):
    alias = PersonName.objects.get(text="Qiao Hongyan")
    services.fact_update(fact=alias, version=fact_version(alias), by=researcher, text="Shen Yufei")
    assert_levels_exact()
    assert found(viewer, "shen") == set()
    assert found(researcher, "shen") == {person.pk}


# -- changing levels ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_raising_and_lowering_a_names_level_moves_its_keys(person, viewer, researcher):
    main = PersonName.objects.get(text="Gao Wenbin")
    services.name_add(person=person, text="Wu Gan", unsourced=True, by=researcher)
    main = services.fact_update(
        fact=main, version=fact_version(main), by=researcher, confidentiality=RESTRICTED
    )
    assert_levels_exact()
    assert found(viewer, "gao") == set()
    assert found(viewer, "wu gan") == {person.pk}  # still found by the public name
    services.fact_update(fact=main, version=fact_version(main), by=researcher, confidentiality=PUBLIC)
    assert_levels_exact()
    assert found(viewer, "gao") == {person.pk}


@pytest.mark.django_db
def test_raising_and_lowering_a_persons_level_moves_all_its_keys(person, viewer, reviewer, researcher):
    person = services.person_update(
        person=person, version=person.version, by=researcher, confidentiality=INTERNAL
    )
    assert_levels_exact()
    assert set(NameKey.objects.filter(name__text="Gao Wenbin").values_list("level", flat=True)) == {INTERNAL}
    assert found(viewer, "gao") == set()
    assert found(reviewer, "gao") == {person.pk} and found(reviewer, "qiao") == set()
    person = services.person_update(
        person=person, version=person.version, by=researcher, confidentiality=PUBLIC
    )
    assert_levels_exact()
    # Lowering the person does not lower the restricted alias below its own level.
    assert set(NameKey.objects.filter(name__text="Qiao Hongyan").values_list("level", flat=True)) == {
        RESTRICTED
    }
    assert found(viewer, "gao") == {person.pk} and found(viewer, "qiao") == set()


@pytest.mark.django_db
def test_a_level_changed_by_plain_sql_updates_is_followed_too(person, viewer, researcher):
    """The database keeps the copy, not the services: QuerySet.update() (no save(), no signal) too."""
    PersonName.objects.filter(text="Gao Wenbin").update(confidentiality=INTERNAL)
    assert_levels_exact()
    assert found(viewer, "gao") == set()
    PersonName.objects.filter(text="Qiao Hongyan").update(confidentiality=PUBLIC)
    assert_levels_exact()
    assert found(viewer, "qiao") == {person.pk}
    Person.objects.filter(pk=person.pk).update(confidentiality=RESTRICTED)
    assert_levels_exact()
    assert set(NameKey.objects.filter(person=person).values_list("level", flat=True)) == {RESTRICTED}
    assert found(viewer, "qiao") == set()
    # A key pointed at another person or name takes that one's level.
    other = dossier(["Xu Zhiyong"], by=researcher)
    NameKey.objects.filter(person=person).update(person=other)
    assert_levels_exact()
    NameKey.objects.filter(person=other, name__text="Qiao Hongyan").update(
        name=PersonName.objects.get(text="Xu Zhiyong")
    )
    assert_levels_exact()


# -- merge, undo, split --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_merge_into_a_restricted_dossier_hides_the_moved_names_and_undo_shows_them_again(viewer, researcher):
    from habeas.linkage.merge import merge_undo, person_merge

    absorbed = dossier(["Ding Jiaxi", "Ding Jiaxi Alias"], by=researcher)
    survivor = dossier(["Ding Jiaxi", "丁家喜"], level=RESTRICTED, by=researcher)
    assert found(viewer, "ding") == {absorbed.pk}
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    assert_levels_exact()
    # The moved alias now belongs to the restricted dossier: its keys are restricted with it.
    assert set(NameKey.objects.filter(name__text="Ding Jiaxi Alias").values_list("level", flat=True)) == {
        RESTRICTED
    }
    assert found(viewer, "ding") == set()
    assert found(researcher, "ding") == {survivor.pk}
    merge_undo(record=record, by=researcher)
    assert_levels_exact()
    # The alias came back and the duplicate name left on the absorbed dossier got its keys back.
    assert found(viewer, "ding jiaxi alias") == {absorbed.pk}
    assert found(viewer, "ding") == {absorbed.pk}
    assert found(researcher, "ding") == {absorbed.pk, survivor.pk}


@pytest.mark.django_db
def test_a_restricted_alias_merged_into_a_public_dossier_stays_restricted(viewer, researcher):
    from habeas.linkage.merge import merge_undo, person_merge

    survivor = dossier(["Chen Guangcheng"], by=researcher)
    absorbed = dossier(["Chen Guangcheng"], by=researcher)
    services.name_add(
        person=absorbed, text="Blind Lawyer", confidentiality=RESTRICTED, unsourced=True, by=researcher
    )
    record = person_merge(survivor=survivor, absorbed=absorbed, by=researcher)
    assert_levels_exact()
    assert found(viewer, "blind") == set()
    assert found(researcher, "blind") == {survivor.pk}
    merge_undo(record=record, by=researcher)
    assert_levels_exact()
    assert found(viewer, "blind") == set()
    assert found(researcher, "blind") == {absorbed.pk}


@pytest.mark.django_db
def test_split_keys_follow_their_names(viewer, researcher):
    from habeas.linkage.merge import person_split

    p = dossier(["Li Heping", "Wang Quanzhang"], by=researcher)
    moved = PersonName.objects.get(text="Wang Quanzhang")
    person_split(person=p, records=[moved], by=researcher)
    assert_levels_exact()
    new = Person.objects.exclude(pk=p.pk).get()
    assert found(viewer, "wang quanzhang") == {new.pk}
    assert found(viewer, "li heping") == {p.pk}


# -- restore -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_restore_sets_key_levels_from_the_names_whatever_the_file_says(person, viewer, researcher):
    from habeas.importers.jsonl import jsonl_export, jsonl_import
    from habeas.importers.tests.test_jsonl import wipe

    buffer = io.StringIO()
    jsonl_export(buffer)
    exported = buffer.getvalue()
    lines = []
    for line in exported.splitlines():
        row = json.loads(line)
        if row.get("model") == "dossiers.namekey":
            row["fields"]["level"] = PUBLIC  # an edited file claims every key is public
        lines.append(json.dumps(row, ensure_ascii=False))
    wipe()
    jsonl_import(io.StringIO("\n".join(lines) + "\n"))
    assert_levels_exact()
    assert found(viewer, "qiao") == set()
    assert found(researcher, "qiao") == {person.pk}
    # The round trip of an untouched file is exact: the restored levels are those exported.
    again = io.StringIO()
    jsonl_export(again)
    assert again.getvalue().splitlines()[1:] == exported.splitlines()[1:]


# -- the database's side ---------------------------------------------------------------------------------
TRIGGERS = {"namekey_level_on_name_change", "namekey_level_on_person_change", "namekey_level_on_key_move"}


@pytest.mark.django_db
def test_name_key_level_triggers_exist() -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table: a later migration that
    rebuilds dossiers_person, dossiers_personname or dossiers_namekey must create them again (see
    migration 0008), or a level change would leave keys readable below their level."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert names >= TRIGGERS


@pytest.mark.django_db
def test_name_search_below_full_clearance_reads_the_key_index_without_the_names(person, viewer, reviewer):
    """The name match of a Latin query reads namekey_key_level_idx (range and level) and joins neither
    names nor persons: the persons are filtered once, in the outer query."""
    for reader in (viewer, reviewer):
        with CaptureQueriesContext(connection) as captured:
            person_search(reader, "gao")
        (sql,) = [q["sql"] for q in captured.captured_queries]
        assert "dossiers_personname" not in sql
        assert "dossiers_namekey" in sql and '"level" <=' in sql
    with CaptureQueriesContext(connection) as captured:
        person_search(viewer, "gao")
    (sql,) = [q["sql"] for q in captured.captured_queries]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table of a few rows is otherwise scanned
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql)
        plan = " ".join(str(column) for row in cursor.fetchall() for column in row)
    assert "namekey_key_level_idx" in plan, plan
    if connection.vendor == "postgresql":
        assert "Index Only Scan using namekey_key_level_idx" in plan, plan
    assert found(viewer, "gao") == {person.pk}

"""History rows: what they hold, and who may read them (the record's level, never below internal)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from habeas.accounts.models import Confidentiality, Role, User
from habeas.accounts.services import user_set_access
from habeas.audit.models import History
from habeas.audit.selectors import history_for
from habeas.audit.services import diff, field_values, history_bulk, history_record, jsonable
from habeas.dossiers import services
from habeas.dossiers.models import Person
from habeas.lib.dates import PartialDate
from habeas.sources.services import citation_for_quote, source_store

PUBLIC, INTERNAL, RESTRICTED = Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED


def test_jsonable_keeps_plain_json():
    assert jsonable(PartialDate(2018, 5)) == "2018-05"
    assert jsonable(dt.date(2018, 5, 3)) == "2018-05-03"
    assert jsonable(dt.datetime(2018, 5, 3, 12, 30)) == "2018-05-03T12:30:00"
    assert jsonable(decimal.Decimal("1.50")) == "1.50"
    assert jsonable((1, PartialDate(2018))) == [1, "2018"]
    assert jsonable("text") == "text"
    assert jsonable(None) is None


def test_diff_lists_only_what_changed():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
    assert diff({"a": 1}, {"a": 1}) == {}


@pytest.mark.django_db
def test_field_values_are_a_json_snapshot_without_derived_bounds(researcher):
    person = services.person_create(names=["Liu Mingde"], unsourced=True, by=researcher)
    detention = services.detention_record(
        person=person, started="2018-05", unsourced=True, by=researcher, measure="rsdl"
    )
    values = field_values(detention)
    assert values["started"] == "2018-05"
    assert values["person"] == person.pk
    assert values["unsourced_by"] == researcher.pk
    assert values["measure"] == "rsdl"
    assert "started_start" not in values and "started_end" not in values
    assert "id" not in values
    assert field_values(detention, ["started"]) == {"started": "2018-05"}


@pytest.mark.django_db
def test_history_record_and_bulk(researcher):
    person = services.person_create(names=["Liu Mingde"], unsourced=True, by=researcher)
    row = history_record(
        obj=person, action="update", by=researcher, changes={"sex": ["", "M"]}, note="x" * 600
    )
    row.refresh_from_db()
    assert row.user == researcher
    assert row.content_type == ContentType.objects.get_for_model(Person)
    assert row.object_id == person.pk
    assert row.changes == {"sex": ["", "M"]}
    assert len(row.note) == 500
    anonymous = history_record(obj=person, action="update", by=AnonymousUser())
    assert anonymous.user is None
    assert anonymous.changes["display_name"] == "Liu Mingde"  # a snapshot when no changes are given
    detentions = [
        services.detention_record(person=person, started=year, unsourced=True, by=researcher)
        for year in ("2001", "2002")
    ]
    before = History.objects.count()
    rows = history_bulk(objs=detentions, action="import", by=researcher, note="batch")
    assert History.objects.count() == before + 2
    assert {r.object_id for r in rows} == {d.pk for d in detentions}
    assert all(r.changes["started"] in {"2001", "2002"} for r in rows)
    assert history_bulk(objs=[], action="import") == []


# -- who reads history -------------------------------------------------------------------------------
@pytest.fixture
def dossiers(researcher) -> dict[int, Person]:
    """One person per level, each with a name and an internal note in its history."""
    made: dict[int, Person] = {}
    for level in (PUBLIC, INTERNAL, RESTRICTED):
        made[int(level)] = services.person_create(
            names=[f"Person {level}"],
            unsourced=True,
            by=researcher,
            confidentiality=level,
            notes_internal="the family asked us not to publish",
        )
    return made


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "readable"),
    [
        ("anonymous", set()),
        ("viewer", set()),  # public clearance: history holds internal notes, so none
        ("reviewer", {PUBLIC, INTERNAL}),
        ("researcher", {PUBLIC, INTERNAL, RESTRICTED}),
        ("admin", {PUBLIC, INTERNAL, RESTRICTED}),
    ],
)
def test_history_follows_the_record_confidentiality(personas, dossiers, persona, readable):
    user = AnonymousUser() if persona == "anonymous" else personas[persona]
    seen = {level for level, person in dossiers.items() if history_for(person, user=user)}
    assert seen == readable


@pytest.mark.django_db
def test_history_of_a_restricted_fact_is_hidden_from_an_internal_reader(dossiers, reviewer, researcher):
    detention = services.detention_record(
        person=dossiers[INTERNAL], started="2019", unsourced=True, by=researcher, confidentiality=RESTRICTED
    )
    assert not history_for(detention, user=reviewer)
    assert [row.action for row in history_for(detention, user=researcher)] == ["create"]


@pytest.mark.django_db
def test_inactive_users_read_no_history(dossiers, researcher):
    researcher.is_active = False
    researcher.save()
    assert not history_for(dossiers[INTERNAL], user=researcher)
    assert not history_for(dossiers[PUBLIC], user=None)


@pytest.mark.django_db
def test_history_of_a_citation_follows_its_source(researcher, reviewer):
    source, _ = source_store(
        text="He was detained in 2019.", title="t", by=researcher, confidentiality=RESTRICTED
    )
    citation = citation_for_quote(source=source, quote="detained in 2019", by=researcher)
    history_record(obj=citation, action="create", by=researcher)
    assert not history_for(citation, user=reviewer)
    assert len(history_for(citation, user=researcher)) == 1


@pytest.mark.django_db
def test_history_of_an_account_is_for_admins_and_the_account_itself(admin_user, researcher, reviewer):
    user_set_access(user=reviewer, role=Role.RESEARCHER, by=admin_user)
    (row,) = history_for(reviewer, user=admin_user)
    assert row.changes == {"role": ["reviewer", "researcher"]}
    assert len(history_for(reviewer, user=reviewer)) == 1
    assert not history_for(reviewer, user=researcher)
    assert not history_for(reviewer, user=AnonymousUser())


@pytest.mark.django_db
def test_history_for_is_newest_first_and_scoped_to_the_record(dossiers, researcher):
    person = dossiers[INTERNAL]
    updated = services.person_update(
        person=person, version=person.version, by=researcher, occupation="lawyer"
    )
    rows = list(history_for(updated, user=researcher))
    assert [r.action for r in rows] == ["update", "create"]
    assert {r.object_id for r in rows} == {person.pk}
    assert rows[0].changes == {"occupation": ["", "lawyer"]}
    assert isinstance(rows[0].user, User)
    assert rows[0].user == researcher

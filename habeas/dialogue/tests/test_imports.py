"""Response CSV import: all rows or none, each bad row named by row and column, hostile files refused."""

from __future__ import annotations

import pytest

from habeas.audit.models import History
from habeas.dialogue import imports
from habeas.dialogue.imports import ImportRowsError, responses_import_csv
from habeas.dialogue.models import Response
from habeas.review.models import Candidate
from habeas.sources.models import Source

pytestmark = pytest.mark.django_db


def errors_of(world, researcher, data) -> list[str]:
    with pytest.raises(ImportRowsError) as failed:
        responses_import_csv(prisoner_list=world.handed, data=data, by=researcher)
    assert Response.objects.count() == 0
    return [str(e) for e in failed.value.errors]


def test_rows_are_imported_with_their_facts_offered_for_review(world, researcher):
    liu = world.handed.entries.get(person=world.liu)
    data = (
        "\ufeffEntry,Type,Received,Text,Sentence,Expected_release,Place\r\n"
        f'{liu.pk},Information provided,2026-05,"He is serving 11 years, release in 2026.",11 years,'
        "2026-03-04,Chishui Prison\r\n"
        "\r\n"
        f"{liu.pk},no_response,2026-09,,,,\r\n"
    ).encode()
    created = responses_import_csv(prisoner_list=world.handed, data=data, by=researcher)
    assert [r.type for r in created] == ["information_provided", "no_response"]
    assert created[0].facts["sentence"] == {"kind": "fixed", "months": 132}
    assert Candidate.objects.filter(run=created[0].review_run, kind="sentence").exists()


def test_rows_may_name_the_person_instead_of_the_entry(world, researcher):
    data = f"person,type,text\n{world.liu.pk},token response,We are looking into it.\n"
    (response,) = responses_import_csv(prisoner_list=world.handed, data=data, by=researcher)
    assert response.entry.person == world.liu


def test_rows_may_name_the_person_in_any_script(world, researcher):
    data = "name,type,text\n刘明德,token response,Noted.\nliu mingde,no response,\n"
    created = responses_import_csv(prisoner_list=world.handed, data=data, by=researcher)
    assert [r.entry.person for r in created] == [world.liu, world.liu]


def test_a_name_not_on_the_list_or_above_clearance_is_not_found(world, researcher, admin_user):
    admin_user.clearance = 0
    admin_user.save()
    errors = errors_of(world, admin_user, "name,type,text\n庄秘密,token response,x\nWang Dan,refused,x\n")
    assert errors == [
        "row 2, column name: nobody named '庄秘密' is on the list “Dialogue round list 2026”",
        "row 3, column name: nobody named 'Wang Dan' is on the list “Dialogue round list 2026”",
    ]


def test_every_bad_row_is_reported_and_nothing_is_written(world, researcher):
    liu = world.handed.entries.get(person=world.liu)
    data = (
        "entry,type,received,text,status\n"
        f"{liu.pk},token response,2026-05-02,Noted.,\n"  # fine, but rolled back with the rest
        f"{liu.pk},maybe,2026-05-02,x,\n"
        f"{liu.pk},token response,31 May,x,\n"
        f"{liu.pk},information provided,2026-05,x,free\n"
        "99999,token response,2026-05,x,\n"
        "abc,token response,2026-05,x,\n"
        ",token response,2026-05,x,\n"
        f"{liu.pk},token response,2026-05,x,,extra\n"
    )
    errors = errors_of(world, researcher, data)
    assert errors[0].startswith("row 3, column type: 'maybe' is not one of")
    assert errors[1].startswith("row 4, column received:")
    assert errors[2].startswith("row 5, column status: 'free' is not one of")
    assert errors[3] == "row 6, column entry: 99999 is not on the list “Dialogue round list 2026”"
    assert errors[4] == "row 7, column entry: 'abc' is not a number"
    assert errors[5] == "row 8, column entry: say which entry (or person) the answer is about"
    assert errors[6] == "row 9: the row has more cells than the header"
    assert len(errors) == 7
    assert not Source.objects.filter(kind="government_response").exists()
    assert not History.objects.filter(content_type__model="response").exists()


def test_an_entry_of_another_list_or_above_clearance_is_not_on_the_list(world, researcher, admin_user):
    hidden = world.handed.entries.get(person=world.hidden)
    admin_user.clearance = 0
    admin_user.save()
    errors = errors_of(world, admin_user, f"entry,type,text\n{hidden.pk},token response,x\n")
    assert errors == [f"row 2, column entry: {hidden.pk} is not on the list “Dialogue round list 2026”"]


def test_header_problems(world, researcher):
    assert errors_of(world, researcher, "entry,kind\n1,x\n") == [
        "row 1, column kind: unknown column",
        "row 1, column type: the file needs a type column",
    ]
    assert errors_of(world, researcher, "type,text\nno response,\n") == [
        "row 1, column entry: the file needs an entry column (or a person or name column)"
    ]
    assert errors_of(world, researcher, b"") == ["the file is empty"]
    assert errors_of(world, researcher, "entry,type\n") == ["the file holds no rows"]


def test_hostile_files(world, researcher, monkeypatch):
    assert "not UTF-8" in errors_of(world, researcher, "entry,type\n1,réponse\n".encode("latin-1"))[0]
    assert "NUL" in errors_of(world, researcher, b"entry,type\n1,\x00\n")[0]
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    assert "larger than" in errors_of(world, researcher, b"entry,type\n" + b"1,no response\n" * 20)[0]
    monkeypatch.setattr(imports, "MAX_BYTES", 5 * 1024 * 1024)
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    liu = world.handed.entries.get(person=world.liu)
    rows = "".join(f"{liu.pk},no response\n" for _ in range(3))
    assert errors_of(world, researcher, "entry,type\n" + rows)[-1] == "row 4: a file holds at most 2 rows"
    monkeypatch.setattr(imports, "MAX_CELL", 10)
    assert errors_of(world, researcher, f"entry,type,text\n{liu.pk},refused,{'x' * 11}\n") == [
        "row 2, column text: at most 10 characters"
    ]


def test_a_formula_in_a_cell_is_kept_as_text(world, researcher):
    liu = world.handed.entries.get(person=world.liu)
    data = f'entry,type,text\n{liu.pk},token response,"=HYPERLINK(""http://x"")"\n'
    (response,) = responses_import_csv(prisoner_list=world.handed, data=data, by=researcher)
    assert response.text == '=HYPERLINK("http://x")'


def test_a_person_merged_into_one_on_the_list_is_named_not_taken(world, researcher):
    from habeas.dialogue.tests.conftest import person
    from habeas.linkage.merge import person_merge

    namesake = person(researcher, ["Liu Ming De"])
    person_merge(survivor=world.liu, absorbed=namesake, by=researcher)
    errors = errors_of(world, researcher, f"person,type,text\n{namesake.pk},token response,x\n")
    assert errors == [
        f"row 2, column person: person {namesake.pk} was merged into {world.liu.pk}: write {world.liu.pk}"
    ]

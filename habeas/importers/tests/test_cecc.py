"""The CECC Political Prisoner Database importer, on invented rows (and the real file where present)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from habeas.audit.models import History, HistoryBatch
from habeas.audit.selectors import history_for
from habeas.dossiers.models import (
    Affiliation,
    Charge,
    Detention,
    ExternalId,
    LegalStep,
    Person,
    PersonName,
    Sentence,
    StatusChange,
)
from habeas.importers.cecc import (
    COLUMNS,
    CeccFileError,
    RowError,
    bracket_forms,
    cecc_date,
    cecc_import,
    cecc_sentence,
    place_kind,
    strip_html,
)
from habeas.lib.dates import PartialDate
from habeas.places.models import Place, PlaceName
from habeas.sources.models import Citation, Source

REAL_FILE = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "cecc-ppd"
    / "cecc_ppd_2020-07-23_dev.csv"
)

# Invented people; the shape of CECC's values, none of its records.
LIU = {
    "CECC_record_number": "2010-00042",
    "detention_status": "DET",
    "issue_category": "spch/assoc",
    "main.name": "Liu Mingde",
    "Chinese.characters..main.name.": "刘明德(?)",
    "alternate.name..lay.or.pen.": "Old Liu (pen name)",
    "additional.name.s.": "Liu Mingte; Lau Ming-tak",
    "pinyin.name": "Liu Mingde",
    "ethnic_group": "Han",
    "Sex": "M",
    "Age": "47",
    "religion": "(na)",
    "occupation": "teacher",
    "affiliation": "Harmony Study Circle",
    "residence_province": "Tibet [Xizang] Auto. Region",
    "residence_prefecture": "Lasa [Lhasa] Shi (pref.)",
    "residence_county": "Chengguan Qu (cty.)",
    "date_of_detention": "2009/03/dd",
    "current_last_prison_detentioncenter": "Qinghe No. 3 Prison",
    "current_last_sentence_or_time_served_years": "11",
    "current_last_sentence_or_time_served_months": "6",
    "current_last_sentence_or_time_served_weeks": "2",
    "current_last_sentence_or_time_served_days": "3",
    "province_imprisoned_detained": "Hebei Province",
    "prefecture_imprisoned_detained": "Akesu [Aksu] Pref.",
    "county_imprisoned_detained": "(na)",
    "legal_process": "chg/tri?/sent-app/rel?",
    "formal_arrest_date": "2009/04/15",
    "trial_court": "Qinghe Intermediate People's Court",
    "trial_date": "2010/01/12",
    "sentence_court": "Qinghe Intermediate People's Court",
    "sentence_date": "2010/02/dd",
    "appeal_court": "Hebei High People's Court",
    "appeal_date": "2010/mm/dd",
    "appeal_ruling_court": "Hebei High People's Court",
    "appeal_ruling_date": "2010/06/30",
    "charge_statute": "CL97-art105(2)/CL97-art293/XYZ-art9",
    "sentence_ends_per_PRC": "",
    "actual_date_released": "",
    "short_summary": (
        'According to the <A HREF="https://example.org/report">Example Monitor</A> (5 May 10), '
        "public security officials detained Liu Mingde, a teacher and member of the Harmony Study Circle, "
        "in March 2009. He was held at Qinghe No. 3 Prison and sentenced for &quot;inciting subversion "
        "of state power&quot; and picking quarrels."
    ),
}


def row(**changes: str) -> dict[str, str]:
    return {**LIU, **changes}


def write_csv(path: Path, rows: list[dict[str, str]], *, columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"dossiers", "sources", "places", "audit"}
    }


def cited(fact: Any) -> Citation:
    assert fact.citation is not None
    return fact.citation


def person(number: str = "2010-00042") -> Person:
    return Person.objects.get(external_ids__scheme="cecc", external_ids__value=number)


# -- values ----------------------------------------------------------------------------------------
def test_cecc_date_reads_every_shape_and_refuses_impossible_days() -> None:
    assert cecc_date("") is None
    assert cecc_date("2018/mm/dd") == PartialDate(2018)
    assert cecc_date("2018/MM/DD") == PartialDate(2018)
    assert cecc_date("1989/01/dd") == PartialDate(1989, 1)
    assert cecc_date("1989/04/01") == PartialDate(1989, 4, 1)
    for bad, words in (("2019/02/30", "no day 30"), ("2019/13/01", "month 13"), ("May 2019", "not a date")):
        with pytest.raises(RowError, match=words) as caught:
            cecc_date(bad, "trial_date")
        assert caught.value.field == "trial_date"
    with pytest.raises(RowError, match="day without a month"):
        cecc_date("2019/mm/05", "trial_date")


def test_sentences_read_weeks_as_days_and_words_as_kinds() -> None:
    assert cecc_sentence(row()) == ("fixed", 138, 17)
    blank = {"current_last_sentence_or_time_served_" + u: "" for u in ("years", "months", "weeks", "days")}
    assert cecc_sentence({**blank, "current_last_sentence_or_time_served_weeks": "3"}) == ("fixed", 0, 21)
    assert cecc_sentence({**blank, "current_last_sentence_or_time_served_years": "life"})[0] == "life"
    assert cecc_sentence({**blank, "current_last_sentence_or_time_served_years": "Death"})[0] == "death"
    assert (
        cecc_sentence({**blank, "current_last_sentence_or_time_served_years": "DSR"})[0] == "death_reprieve"
    )
    with pytest.raises(RowError, match="not a number of months"):
        cecc_sentence({**blank, "current_last_sentence_or_time_served_months": "six"})
    with pytest.raises(RowError, match="nor life, death or DSR"):
        cecc_sentence({**blank, "current_last_sentence_or_time_served_years": "10?"})


def test_html_is_stripped_keeping_the_text_and_entities() -> None:
    assert strip_html('See <a href="x">RFA</a> &amp; <b>ICT</b>.') == "See RFA & ICT."


def test_place_kinds_and_bracketed_names() -> None:
    assert place_kind("Lhasa PSB Det. Ctr. (Gutsa)") == "detention_centre"
    assert place_kind("TAR Prison (Drapchi)") == "prison"
    assert place_kind("TAR RTL Ctr. (Trisam)") == "reeducation"
    assert place_kind("Yucheng Admin. Det. Ctr.") == "administrative_detention"
    assert place_kind("Harbin (psychiatric hospital)") == "psychiatric"
    assert place_kind("Xinjiang (general location)") == "unknown"
    assert bracket_forms("Huhehaote [Hohhot] No. 1 Prison") == [
        "Huhehaote No. 1 Prison",
        "Hohhot No. 1 Prison",
    ]


# -- one row, every column -------------------------------------------------------------------------
@pytest.mark.django_db
def test_every_column_lands_in_its_field(tmp_path: Path, researcher) -> None:
    result = cecc_import(write_csv(tmp_path / "ppd.csv", [row()]))
    assert (result.imported, result.bad) == (1, [])
    liu = person()
    assert liu.confidentiality == 0 and liu.sex == "M" and liu.ethnicity == "Han" and liu.religion == ""
    assert liu.occupation == "teacher" and liu.issue_category == "spch/assoc"
    assert liu.residence_province == "Tibet [Xizang] Auto. Region" and liu.residence_country == "CN"
    assert (
        liu.residence_prefecture == "Lasa [Lhasa] Shi (pref.)"
        and liu.residence_county == "Chengguan Qu (cty.)"
    )
    assert "<" not in liu.summary_public and 'for "inciting subversion' in liu.summary_public
    assert liu.display_name == "Liu Mingde" and liu.current_status == "detained"

    names = set(PersonName.objects.filter(person=liu).values_list("text", "kind", "script", "scheme"))
    assert names == {
        ("Liu Mingde", "main", "Latn", ""),
        ("刘明德", "main", "Hans", ""),
        ("Old Liu", "pen", "Latn", ""),
        ("Liu Mingte", "alias", "Latn", ""),
        ("Lau Ming-tak", "alias", "Latn", ""),
        ("Liu Mingde", "romanisation", "Latn", "pinyin"),
    }
    ext = ExternalId.objects.get(person=liu)
    assert (ext.scheme, ext.value, len(ext.fingerprint)) == ("cecc", "2010-00042", 64)

    source = Source.objects.get()
    assert source.title == "CECC Political Prisoner Database record 2010-00042"
    assert source.publisher == "Congressional-Executive Commission on China"
    assert (source.kind, source.language, source.confidentiality, source.official) == (
        "database",
        "en",
        0,
        False,
    )
    assert source.external_ref == "cecc:2010-00042"
    assert source.text.startswith("According to the Example Monitor (5 May 10)")
    assert "legal_process: chg/tri?/sent-app/rel?" in source.text and "???" not in source.text

    detention = Detention.objects.get(person=liu)
    assert str(detention.started) == "2009-03" and detention.ended is None
    assert detention.measure == "criminal_detention" and detention.age_at_start == 47
    place = detention.place
    assert place is not None
    assert (place.name, place.kind, place.country) == ("Qinghe No. 3 Prison", "prison", "CN")
    assert (place.province, place.prefecture, place.county) == ("Hebei Province", "Akesu [Aksu] Pref.", "")
    assert "CECC legal process: chg/tri?/sent-app/rel?" in detention.notes

    steps = {s.kind: s for s in LegalStep.objects.filter(detention=detention)}
    assert set(steps) == {
        "formal_arrest",
        "indictment",
        "trial",
        "sentence",
        "appeal",
        "appeal_ruling",
        "release",
    }
    assert str(steps["formal_arrest"].date) == "2009-04-15"
    assert steps["trial"].uncertain and str(steps["trial"].date) == "2010-01-12"
    assert steps["trial"].court == "Qinghe Intermediate People's Court"
    assert str(steps["sentence"].date) == "2010-02" and not steps["sentence"].uncertain
    assert str(steps["appeal"].date) == "2010" and steps["appeal"].court == "Hebei High People's Court"
    assert str(steps["appeal_ruling"].date) == "2010-06-30"
    assert steps["release"].uncertain and steps["release"].date is None

    charges = {c.article: c for c in Charge.objects.filter(detention=detention)}
    assert charges["105(2)"].statute == "PRC Criminal Law 1997"
    assert charges["105(2)"].text == "inciting subversion of state power"
    assert charges["293"].text == "picking quarrels and provoking trouble"
    assert (charges["9"].statute, charges["9"].text) == ("XYZ", "XYZ-art9")

    sentence = Sentence.objects.get(detention=detention)
    assert (sentence.kind, sentence.term_months, sentence.term_days) == ("fixed", 138, 17)
    assert str(sentence.pronounced) == "2010-02" and sentence.court == "Qinghe Intermediate People's Court"

    status = StatusChange.objects.get(person=liu)
    assert (status.status, str(status.date), status.uncertain) == ("detained", "2009-03", False)
    assert Affiliation.objects.get(person=liu).organisation.name == "Harmony Study Circle"
    # One history row for the batch, noted with the file name and the line it came from (after the header).
    (batch,) = HistoryBatch.objects.all()
    assert (batch.action, batch.note) == ("import", "CECC import ppd.csv")
    assert (batch.first_row, batch.last_row) == (2, 2)
    assert not History.objects.exists()
    assert [row.note for row in history_for(liu, user=researcher)] == ["CECC import ppd.csv"]


@pytest.mark.django_db
def test_every_citation_quotes_its_source_and_points_where_the_fact_is(tmp_path: Path) -> None:
    cecc_import(write_csv(tmp_path / "ppd.csv", [row()]))
    source = Source.objects.get()
    for citation in Citation.objects.all():
        assert citation.quote == source.text[citation.start : citation.end]
        assert citation.end - citation.start < len(source.text)  # never the whole text
    summary_end = len(Person.objects.get().summary_public)
    main = PersonName.objects.get(kind="main", script="Latn")
    assert cited(main).quote == "Liu Mingde" and cited(main).end <= summary_end  # quoted from the summary
    charge = Charge.objects.get(article="105(2)")
    assert cited(charge).quote == "inciting subversion" and cited(charge).end <= summary_end
    pinyin = PersonName.objects.get(kind="romanisation")
    assert cited(pinyin).quote == "Liu Mingde" and cited(pinyin).start > summary_end  # the structured block
    sentence = Sentence.objects.get()
    assert "current_last_sentence_or_time_served_years: 11" in cited(sentence).quote
    status = StatusChange.objects.get()
    assert cited(status).quote.startswith("DET") and "2009/03/dd" in cited(status).quote
    assert cited(Person.objects.get()).quote.startswith("-" * 40)


@pytest.mark.django_db
def test_statuses_with_question_marks_and_qualifiers(tmp_path: Path) -> None:
    rows = [
        row(CECC_record_number="2010-00001", detention_status="REL?", actual_date_released="2012/05/dd"),
        row(
            CECC_record_number="2010-00002",
            detention_status="DET?/life",
            **{
                "current_last_sentence_or_time_served_years": "",
                "current_last_sentence_or_time_served_months": "",
                "current_last_sentence_or_time_served_weeks": "",
                "current_last_sentence_or_time_served_days": "",
            },
        ),
        row(CECC_record_number="2010-00003", detention_status="DEC/?"),
        row(CECC_record_number="2010-00004", detention_status="REL/dec", actual_date_released="2001/01/01"),
        row(CECC_record_number="2010-00005", detention_status="ESC"),
        row(CECC_record_number="2010-00006", detention_status="HOUSE?"),
        row(CECC_record_number="2010-00007", detention_status="DET/dth-r"),
    ]
    result = cecc_import(write_csv(tmp_path / "ppd.csv", rows))
    assert result.imported == 7 and not result.bad
    got = {
        s.person.external_ids.get().value: (s.status, str(s.date) if s.date else None, s.uncertain)
        for s in StatusChange.objects.select_related("person")
    }
    assert got == {
        "2010-00001": ("released", "2012-05", True),
        "2010-00002": ("detained", "2009-03", True),
        "2010-00003": ("deceased", None, True),
        "2010-00004": ("deceased", None, False),
        "2010-00005": ("escaped", None, False),
        "2010-00006": ("house_arrest", "2009-03", True),
        "2010-00007": ("detained", "2009-03", False),
    }
    assert person("2010-00001").current_status == "released"
    assert Detention.objects.get(person=person("2010-00001")).ended == PartialDate(2012, 5)
    life = Sentence.objects.get(detention__person=person("2010-00002"))
    assert (life.kind, life.term_months) == ("life", None)
    assert Sentence.objects.get(detention__person=person("2010-00007")).kind == "death_reprieve"
    assert "released, later died" in StatusChange.objects.get(person=person("2010-00004")).note


@pytest.mark.django_db
def test_time_served_without_a_sentence_is_a_note_and_prc_end_date_is_checked(tmp_path: Path) -> None:
    served = row(
        CECC_record_number="2010-00001",
        legal_process="PSB/rel",
        actual_date_released="2009/04/10",
        detention_status="REL",
        charge_statute="",
    )
    ends = row(
        CECC_record_number="2010-00002",
        date_of_detention="2009/03/01",
        sentence_ends_per_PRC="2020/09/30",
        **{"current_last_sentence_or_time_served_weeks": "", "current_last_sentence_or_time_served_days": ""},
    )
    cecc_import(write_csv(tmp_path / "ppd.csv", [served, ends]))
    detention = Detention.objects.get(person=person("2010-00001"))
    assert not Sentence.objects.filter(detention=detention).exists()
    assert "Time served per CECC (no sentence recorded): 11 years, 6 months, 17 days." in detention.notes
    assert detention.measure == "unknown"
    checked = Detention.objects.get(person=person("2010-00002"))
    assert "Sentence ends per PRC (CECC): 2020-09-30" in checked.notes and "(differs)" in checked.notes
    # The term then counts from the day that makes it end on the PRC's date.
    assert str(Person.objects.get(pk=checked.person_id).expected_release) == "2020-09-30"


# -- re-import -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_reimport_changes_nothing_and_a_changed_row_is_reported_not_written(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ppd.csv", [row(), row(CECC_record_number="2010-00043", **{"main.name": "Wang Fang"})]
    )
    assert cecc_import(path).imported == 2
    before = table_counts()
    again = cecc_import(path)
    assert (again.imported, again.unchanged, again.changed, again.bad) == (0, 2, [], [])
    assert table_counts() == before

    write_csv(
        path, [row(occupation="farmer"), row(CECC_record_number="2010-00043", **{"main.name": "Wang Fang"})]
    )
    changed = cecc_import(path)
    assert (changed.imported, changed.unchanged, len(changed.changed)) == (0, 1, 1)
    assert "2010-00042" in str(changed.changed[0]) and "not updated" in str(changed.changed[0])
    assert table_counts() == before
    assert person().occupation == "teacher"


# -- bad input -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_bad_rows_are_listed_with_line_and_field_and_not_written(tmp_path: Path) -> None:
    rows = [
        row(CECC_record_number="2010-00001"),
        row(CECC_record_number="2010-00002", trial_date="2019/02/30"),
        row(CECC_record_number="2010-00003", date_of_detention="2019/13/01"),
        row(CECC_record_number="2010-00004", **{"current_last_sentence_or_time_served_months": "a few"}),
        row(CECC_record_number="2010-00001"),
        row(CECC_record_number="2010-00005", detention_status="GONE"),
        row(CECC_record_number="2010-00006", Age="about 40"),
        row(CECC_record_number="2010-00007", charge_statute="article 105"),
        row(CECC_record_number="2010-00008"),
    ]
    # A summary with a line break: the line numbers that follow count physical lines.
    rows[0]["short_summary"] = "First line.\nSecond line."
    result = cecc_import(write_csv(tmp_path / "ppd.csv", rows))
    assert result.imported == 2
    reported = [(p.line, p.field, p.record) for p in result.bad]
    assert reported == [
        (4, "trial_date", "2010-00002"),
        (5, "date_of_detention", "2010-00003"),
        (6, "current_last_sentence_or_time_served_months", "2010-00004"),
        (7, "CECC_record_number", "2010-00001"),
        (8, "detention_status", "2010-00005"),
        (9, "Age", "2010-00006"),
        (10, "charge_statute", "2010-00007"),
    ]
    assert "line 4 (record 2010-00002), field trial_date: '2019/02/30' is impossible" in str(result.bad[0])
    assert "duplicate of line 2" in str(result.bad[3])
    assert set(ExternalId.objects.values_list("value", flat=True)) == {"2010-00001", "2010-00008"}
    assert Source.objects.count() == 2 and Person.objects.count() == 2


@pytest.mark.django_db
def test_strict_writes_nothing_when_a_row_is_bad(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ppd.csv", [row(), row(CECC_record_number="2010-00043", trial_date="2019/02/30")]
    )
    result = cecc_import(path, strict=True)
    assert not result.written and result.imported == 0 and len(result.bad) == 1
    assert all(count == 0 for count in table_counts().values())
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import", "cecc", str(path), "--strict", stdout=io.StringIO())
    assert all(count == 0 for count in table_counts().values())


@pytest.mark.django_db
def test_wrong_field_count_is_a_bad_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ppd.csv", [row()])
    with path.open("a", encoding="utf-8") as stream:
        stream.write("2010-00099,DET,spch\n")
    result = cecc_import(path)
    assert result.imported == 1 and str(result.bad[0]) == "line 3: 3 fields where the header has 40"


@pytest.mark.django_db
def test_file_not_utf8_is_refused_naming_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerow(row(occupation="café owner", **{"Chinese.characters..main.name.": "???"}))
    data = buffer.getvalue().encode("cp1252")
    path.write_bytes(data)
    offset = data.index(b"\xe9")
    with pytest.raises(
        CeccFileError, match=rf"latin.csv is not UTF-8 \(byte 0xe9 at offset {offset}, line 2\)"
    ):
        cecc_import(path)
    assert Person.objects.count() == 0
    # UTF-8 with a byte-order mark is fine.
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + data.decode("cp1252").encode("utf-8"))
    assert cecc_import(bom).imported == 1


@pytest.mark.django_db
def test_missing_columns_or_header_refuse_the_file(tmp_path: Path) -> None:
    short = write_csv(tmp_path / "short.csv", [row()], columns=tuple(c for c in COLUMNS if c != "Sex"))
    with pytest.raises(CeccFileError, match="line 1: missing column\\(s\\): Sex"):
        cecc_import(short)
    headless = tmp_path / "headless.csv"
    with headless.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow([LIU[c] for c in COLUMNS])
    with pytest.raises(CeccFileError, match="no header line"):
        cecc_import(headless)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CommandError, match="empty"):
        call_command("import", "cecc", str(empty), stdout=io.StringIO())
    assert Person.objects.count() == 0


# -- the command -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_command_prints_a_summary_and_fails_on_bad_rows(tmp_path: Path, researcher) -> None:
    path = write_csv(tmp_path / "ppd.csv", [row()])
    out = io.StringIO()
    call_command("import", "cecc", str(path), "--by", researcher.username, stdout=out)
    assert "Imported 1 record(s); 0 unchanged" in out.getvalue()
    assert HistoryBatch.objects.filter(user=researcher).count() == HistoryBatch.objects.count() == 1

    write_csv(path, [row(), row(CECC_record_number="2010-00043", sentence_date="2010/02/31")])
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import", "cecc", str(path), stdout=out)
    assert "line 3 (record 2010-00043), field sentence_date" in out.getvalue()
    assert "1 unchanged" in out.getvalue()
    with pytest.raises(CommandError, match="no user named"):
        call_command("import", "cecc", str(path), "--by", "nobody", stdout=io.StringIO())


@pytest.mark.e2e
def test_cli_imports_into_a_fresh_sqlite_database(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ppd.csv", [row(), row(CECC_record_number="2010-00043", trial_date="2019/02/30")]
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HABEAS_VAR_DIR"] = str(tmp_path / "var")
    run = [sys.executable, "-m", "habeas"]
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [*run, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=300
    )
    done = subprocess.run(  # noqa: S603
        [*run, "import", "cecc", str(path)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1, done.stderr
    assert "Imported 1 record(s)" in done.stdout
    assert "line 3 (record 2010-00043), field trial_date: '2019/02/30' is impossible" in done.stdout
    assert (tmp_path / "var" / "habeas.sqlite3").exists()
    again = subprocess.run(  # noqa: S603
        [*run, "import", "cecc", str(path), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Imported 0 record(s); 1 unchanged" in again.stdout


# -- the real file ---------------------------------------------------------------------------------
@pytest.mark.data
@pytest.mark.django_db
def test_real_dev_file_imports_fully() -> None:
    if not REAL_FILE.exists():
        pytest.skip(f"the CECC dev file is not here ({REAL_FILE})")
    with REAL_FILE.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    result = cecc_import(REAL_FILE)
    # One real row gives a release date that does not exist; it is reported, not guessed.
    assert [(p.field, p.reason) for p in result.bad] == [
        ("actual_date_released", "'1997/02/29' is impossible: 1997-02 has no day 29")
    ]
    assert result.imported == len(rows) - 1 == Person.objects.count() == ExternalId.objects.count()
    assert Citation.objects.filter(quote="").count() == 0

    def expected(code: str) -> str:
        if code.startswith("REL/dec"):
            return "deceased"
        head = code.split("/")[0].split("-")[0].rstrip("?")
        return {
            "DET": "detained",
            "REL": "released",
            "DEC": "deceased",
            "ESC": "escaped",
            "HOUSE": "house_arrest",
        }[head]

    bad_record = result.bad[0].record
    wanted = Counter(expected(r["detention_status"]) for r in rows if r["CECC_record_number"] != bad_record)
    assert Counter(Person.objects.values_list("current_status", flat=True)) == wanted
    for citation in Citation.objects.select_related("source").order_by("?")[:500]:
        assert citation.source.text[citation.start : citation.end] == citation.quote
    assert Place.objects.filter(kind="prison").exists() and PlaceName.objects.count() >= Place.objects.count()


@pytest.mark.django_db(transaction=True)
def test_import_jsonl_subcommand_restores_an_export(tmp_path: Path) -> None:
    path = tmp_path / "backup.jsonl"
    call_command("export", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import", "jsonl", str(path), stdout=out)
    assert "Restored" in out.getvalue()

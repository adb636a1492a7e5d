"""List exports for handing over: names in both scripts side by side, sentence, place, request and
the recipient's summary; never an internal note or anything above the exporter's clearance."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pytest
from docx import Document
from pypdf import PdfReader

from habeas.accounts.models import Confidentiality
from habeas.dialogue import services
from habeas.dialogue.exports import EXPORTERS, MARK_FONT, csv_safe, export_filename, export_list, pdf_text
from habeas.dialogue.models import PrisonerList
from habeas.dialogue.tests.conftest import (
    SECRET_HANZI,
    SECRET_LIST_NOTE,
    SECRET_NAME,
    SECRET_NOTE,
    SECRET_SUMMARY,
)

pytestmark = pytest.mark.django_db

SECRETS = (SECRET_NAME, SECRET_HANZI, SECRET_NOTE, SECRET_SUMMARY, SECRET_LIST_NOTE)


def text_of(fmt: str, data: bytes) -> str:
    if fmt == "csv":
        return data.decode("utf-8-sig")
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_export_holds_both_scripts_sentence_place_request_and_summary(world, researcher, fmt):
    text = text_of(fmt, export_list(researcher, world.handed, fmt))
    for expected in (
        "Liu Mingde",
        "刘明德",
        "11 y",
        "Chishui Prison",
        "release; family visit",
        "a teacher, was sentenced to 11 years",
    ):
        assert expected in text, (fmt, expected)
    if fmt != "csv":  # a CSV is the table alone; the documents say whom they are for
        assert "To: Ministry of Justice (司法部)" in text and "Handed over: 1 Mar 2026" in text


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_planted_secrets_never_reach_an_export_for_a_reader_without_clearance(world, admin_user, fmt):
    admin_user.clearance = Confidentiality.PUBLIC
    admin_user.save()
    text = text_of(fmt, export_list(admin_user, world.handed, fmt))
    assert "Liu Mingde" in text
    for secret in SECRETS:
        assert secret not in text, (fmt, secret)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_internal_notes_never_reach_an_export_even_with_full_clearance(world, researcher, fmt):
    text = text_of(fmt, export_list(researcher, world.handed, fmt))
    assert SECRET_NAME in text and SECRET_HANZI in text and SECRET_SUMMARY in text  # cleared for these
    assert SECRET_NOTE not in text and SECRET_LIST_NOTE not in text


def test_a_list_above_clearance_is_not_exported(world, researcher, viewer):
    hidden = services.list_create(
        title="Restricted",
        interlocutor=world.interlocutor,
        by=researcher,
        confidentiality=Confidentiality.RESTRICTED,
    )
    with pytest.raises(PrisonerList.DoesNotExist):
        export_list(viewer, hidden, "csv")


HOSTILE = '=HYPERLINK("http://evil.example","x") <b>bold</b> & \x07 <para>'


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_hostile_values_are_written_as_text(world, researcher, fmt):
    new = services.list_create(title="-2+3 <script>", interlocutor=world.interlocutor, by=researcher)
    services.entry_add(
        prisoner_list=new, person=world.tashi, requests=["commutation"], case_summary=HOSTILE, by=researcher
    )
    data = export_list(researcher, new, fmt)
    text = text_of(fmt, data)
    assert "<b>bold</b>" in text.replace("\n", "")
    assert "\x07" not in text
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[1][-1].startswith("'=HYPERLINK")
        assert rows[1][2] == "扎西多杰"


def test_csv_safe_prefixes_formula_starts():
    assert [csv_safe(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain", "")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "plain",
        "",
    ]


def test_filename_is_ascii(world):
    world.handed.title = "名单 / list: 2026"
    assert export_filename(world.handed, "pdf") == f"prisoner-list-{world.handed.pk}-list-2026.pdf"


def test_unknown_format_is_refused(world, researcher):
    with pytest.raises(ValueError, match="unknown format"):
        export_list(researcher, world.handed, "xls")


# -- names only in Uyghur (Arabic script) or Tibetan script ----------------------------------------
UYGHUR = "ئىلھام توختى"
TIBETAN = "བཀྲ་ཤིས་རྡོ་རྗེ"
SECRET_UYGHUR = "رەھىلە داۋۇت"
ARABIC_OR_TIBETAN = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff\u0f00-\u0fff]")


def drawn(data: bytes) -> list[tuple[str, str]]:
    """(text, font name) of every piece of text the PDF draws."""
    runs: list[tuple[str, str]] = []

    def visit(text, _cm, _tm, font, _size) -> None:
        if text.strip():
            runs.append((text, str(font.get("/BaseFont", "")) if font else ""))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def read_arabic(runs: list[tuple[str, str]]) -> str:
    """What the Amiri runs say, shaped forms read back as letters (pypdf gives right-to-left runs in
    reading order)."""
    return unicodedata.normalize("NFKC", "".join(t for t, font in runs if "Amiri" in font))


@pytest.fixture
def scripts_list(world, researcher):
    from habeas.dialogue.tests.conftest import person

    plist = services.list_create(
        title="Names in other scripts",
        interlocutor=world.interlocutor,
        by=researcher,
        confidentiality=Confidentiality.PUBLIC,
    )
    for names, level in (([UYGHUR], 0), ([TIBETAN], 0), ([SECRET_UYGHUR], Confidentiality.RESTRICTED)):
        services.entry_add(
            prisoner_list=plist,
            person=person(researcher, names, level=level),
            requests=["information"],
            by=researcher,
            confidentiality=level,
        )
    return plist


def test_a_pdf_prints_uyghur_names_shaped_and_tibetan_names_in_wylie(scripts_list, researcher):
    runs = drawn(export_list(researcher, scripts_list, "pdf"))
    # Drawn in a font that has the glyphs: the built-in CJK font has none for these scripts.
    assert UYGHUR in read_arabic(runs) and SECRET_UYGHUR in read_arabic(runs)
    assert not [t for t, font in runs if "Amiri" not in font and ARABIC_OR_TIBETAN.search(t)]
    text = " ".join(t for t, _font in runs)
    assert "bkra shis rdo rje†" in text.replace(" †", "†")
    assert "given in Wylie transliteration" in text


@pytest.mark.parametrize(
    ("cell", "printed"),
    [
        ("བསྟན་འཛིན་བདེ་ལེགས", "bstan 'dzin bde legs†"),
        ("དགེ་འདུན་ཆོས་ཀྱི་ཉི་མ", "dge 'dun chos kyi nyi ma†"),
        # words apart and a closing tsheg: no EWTS "_" for the space, no space before the dagger
        ("བཀྲ་ཤིས་ རྡོ་རྗེ་", "bkra shis rdo rje†"),
        # Tibetan within other text: only the Tibetan runs transliterated and marked
        ("Tashi (བཀྲ་ཤིས།) ༢༠༡༢", "Tashi (bkra shis/†) 2012†"),
    ],
)
def test_a_pdf_cell_prints_tibetan_in_wylie_with_a_dagger(cell, printed):
    text = pdf_text(cell, width=200, size=9)
    assert text.transliterated
    assert text.markup == printed.replace("†", f'<font name="{MARK_FONT}">†</font>')


def test_the_pdf_prints_the_wylie_the_demo_data_stores_for_its_tibetan_names():
    from habeas.dialogue.exports import to_wylie
    from habeas.importers.demo import _TIB_PEN, _TIBETAN

    for _thl, tibetan, wylie, *_rest in [*_TIBETAN, *_TIB_PEN]:
        assert to_wylie(tibetan) == wylie.replace("_", " "), tibetan


def test_a_pdf_holds_no_uyghur_name_above_the_readers_clearance(scripts_list, admin_user):
    admin_user.clearance = Confidentiality.PUBLIC
    admin_user.save()
    data = export_list(admin_user, scripts_list, "pdf")
    runs = drawn(data)
    assert UYGHUR in read_arabic(runs)
    assert SECRET_UYGHUR not in read_arabic(runs)
    text = text_of("pdf", data)
    assert SECRET_UYGHUR not in text and SECRET_UYGHUR[::-1] not in text


def test_a_pdf_without_tibetan_has_no_transliteration_note(world, researcher):
    assert "Wylie" not in text_of("pdf", export_list(researcher, world.handed, "pdf"))


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_an_export_is_in_english_whatever_language_the_exporter_reads(world, researcher, fmt):
    from django.utils import translation

    with translation.override("zh-hans"):
        text = text_of(fmt, export_list(researcher, world.handed, fmt))
    assert "release; family visit" in text and "释放" not in text

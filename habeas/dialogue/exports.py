"""A prisoner list as the recipient reads it: CSV, PDF or DOCX.

Each row lists its fields by hand: number, name in Latin script, name in Chinese characters (or
another script), sentence, place held, detained since, what is asked, and the case summary written
for the recipient. Never the entry's internal note, the list's notes, or anything above the
exporting user's clearance: the rows come from the same selector as the list page.

Scripts in the PDF: Chinese and Latin in reportlab's built-in CID font; Uyghur (Arabic script)
shaped by arabic-reshaper and python-bidi and drawn in Amiri; Tibetan, which reportlab cannot shape,
in Wylie transliteration (Extended Wylie, by Esukhia's pyewts) marked with a dagger and explained
under the table.

Hostile values: CSV cells that a spreadsheet would run as a formula are prefixed with an apostrophe;
PDF text is escaped before reportlab reads its markup; control characters are dropped (Word refuses
them and they have no business in a letter).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from habeas.dialogue.models import PrisonerList
from habeas.dialogue.selectors import prisoner_list_detail

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    ("number", "No."),
    ("name_latin", "Name"),
    ("name_other", "Name (Chinese)"),
    ("sentence", "Sentence"),
    ("place", "Place held"),
    ("detained", "Detained"),
    ("requests", "Request"),
    ("case_summary", "Case summary"),
)


@dataclass(frozen=True)
class ExportRow:
    number: int
    name_latin: str
    name_other: str
    sentence: str
    place: str
    detained: str
    requests: str
    case_summary: str


@dataclass(frozen=True)
class ExportDocument:
    title: str
    interlocutor: str
    handed_over: str
    rows: list[ExportRow]


def clean(value: Any) -> str:
    return _CONTROL.sub("", str(value or ""))


def export_document(user: Any, pk: int) -> ExportDocument:
    """The rows of a list ``user`` may see. Raises PrisonerList.DoesNotExist above clearance."""
    # In English like the headings, whatever language the exporter reads the pages in: what is handed
    # over does not depend on who clicked.
    with translation.override("en"):
        detail = prisoner_list_detail(user, pk)
    pl = detail.prisoner_list
    rows = [
        ExportRow(
            number=number,
            name_latin=clean(view.person.latin or view.person.other),
            name_other=clean(view.person.han or (view.person.other if view.person.latin else "")),
            sentence=clean(view.person.sentence),
            place=clean(view.person.place),
            detained=clean(view.person.detained.display() if view.person.detained else ""),
            requests=clean("; ".join(view.requests)),
            case_summary=clean(view.entry.case_summary),
        )
        for number, view in enumerate(detail.entries, 1)
    ]
    interlocutor = pl.interlocutor.name + (
        f" ({pl.interlocutor.name_local})" if pl.interlocutor.name_local else ""
    )
    return ExportDocument(
        title=clean(pl.title),
        interlocutor=clean(interlocutor),
        handed_over=pl.handed_over.display() if pl.handed_over else "",
        rows=rows,
    )


def _cells(row: ExportRow) -> list[str]:
    return [str(getattr(row, name)) for name, _label in COLUMNS]


def csv_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(doc: ExportDocument) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese names right."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _name, label in COLUMNS])
    for row in doc.rows:
        writer.writerow([csv_safe(cell) for cell in _cells(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


CJK_FONT = "STSong-Light"  # reportlab's built-in CID font: Chinese (and Latin) without font files
# Uyghur in Arabic script: Amiri (OFL, from the pinned fontpkg-amiri package) holds the presentation
# forms that arabic-reshaper shapes letters into, since reportlab itself does no Arabic shaping.
ARABIC_FONT = "Amiri"
MARK_FONT = "Helvetica"  # one of PDF's standard fonts: the dagger marking a transliteration
_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(f"[{_ARABIC_LETTERS}]+(?:[ \u00a0]+[{_ARABIC_LETTERS}]+)*")
_TIBETAN_RUN = re.compile(r"[\u0f00-\u0fff]+(?:[ ]+[\u0f00-\u0fff]+)*")
TIBETAN_NOTE = (
    "† Tibetan script cannot be printed in this PDF: names marked † are given in Wylie "
    "transliteration. The CSV and DOCX exports of this list hold them in Tibetan script."
)


@functools.cache
def _ewts_converter() -> Any:
    """Esukhia's Tibetan <-> EWTS converter, built once (construction takes microseconds, the import a
    few milliseconds: loaded only when a PDF holds Tibetan script)."""
    import pyewts

    return pyewts.pyewts()


def to_wylie(run: str) -> str:
    """A run of Tibetan script (words apart by spaces) in Extended Wylie: "བཀྲ་ཤིས་རྡོ་རྗེ" -> "bkra
    shis rdo rje". Each word is converted on its own: EWTS writes a space within Tibetan text as "_"
    and a final tsheg as a trailing space, neither of which a reader of the list should see."""
    return " ".join(_ewts_converter().toWylie(word).strip() for word in run.split())


def _register_fonts() -> None:
    from importlib.resources import files

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if CJK_FONT not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    if ARABIC_FONT not in registered:
        path = files("fontpkg_amiri") / "files" / "Amiri-Regular.ttf"
        pdfmetrics.registerFont(TTFont(ARABIC_FONT, str(path)))


def _visual_arabic(run: str) -> str:
    """An Arabic-script run as drawn left to right: letters in their joined forms, right to left."""
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(run)))


def _arabic_lines(text: str, width: float, size: float) -> list[str]:
    """Words of an Arabic-script text in lines that fit ``width``, each line shaped on its own (a
    line shaped whole and then wrapped would start with the text's last words)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[list[str]] = []
    for word in text.split():
        if lines and stringWidth(_visual_arabic(" ".join([*lines[-1], word])), ARABIC_FONT, size) <= width:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_visual_arabic(" ".join(words)) for words in lines]


@dataclass
class PdfText:
    """A cell's text as reportlab markup: Chinese and Latin in the CJK font, Arabic script shaped in
    the Arabic font, Tibetan transliterated and marked (``transliterated``)."""

    markup: str
    right_to_left: bool = False  # the whole cell is Arabic script: aligned right
    mixed_arabic: bool = False  # Arabic within other text: wrapped at spaces only
    transliterated: bool = False


def pdf_text(text: str, width: float, size: float) -> PdfText:
    from xml.sax.saxutils import escape

    _register_fonts()
    result = PdfText("")
    lines = []
    for line in text.split("\n"):
        if _ARABIC_RUN.fullmatch(line.strip() or "-"):
            shaped = _arabic_lines(line, width, size)
            lines.append("<br/>".join(f'<font name="{ARABIC_FONT}">{escape(s)}</font>' for s in shaped))
            result.right_to_left = True
            continue
        parts, at = [], 0
        for match in sorted(
            [*_ARABIC_RUN.finditer(line), *_TIBETAN_RUN.finditer(line)], key=lambda m: m.start()
        ):
            parts.append(escape(line[at : match.start()]))
            run = match.group()
            if _TIBETAN_RUN.fullmatch(run):
                parts.append(f'{escape(to_wylie(run))}<font name="{MARK_FONT}">†</font>')
                result.transliterated = True
            else:
                # Kept on one line: a run wrapped after shaping would read in the wrong order.
                visual = _visual_arabic(run).replace(" ", "\u00a0")
                parts.append(f'<font name="{ARABIC_FONT}">{escape(visual)}</font>')
                result.mixed_arabic = True
            at = match.end()
        parts.append(escape(line[at:]))
        lines.append("".join(parts))
    result.markup = "<br/>".join(lines)
    return result


def to_pdf(doc: ExportDocument) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    _register_fonts()
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=8.5, leading=11, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=9)
    title = ParagraphStyle("title", parent=body, fontSize=14, leading=18)
    page_width = landscape(A4)[0] - 24 * mm
    transliterated = False

    def para(text: str, style: ParagraphStyle = body, width: float = page_width) -> Paragraph:
        nonlocal transliterated
        # The table's cells have 6 points of padding on each side.
        shown = pdf_text(text, width - 12, style.fontSize)
        transliterated = transliterated or shown.transliterated
        if shown.right_to_left:
            style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
        elif shown.mixed_arabic:
            style = ParagraphStyle(f"{style.name}-words", parent=style, wordWrap=None)
        return Paragraph(shown.markup, style)

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=doc.title,
        author="",
        creator="habeas",
    )
    story: list[Any] = [para(doc.title, title), Spacer(1, 3 * mm)]
    story.append(
        para(f"To: {doc.interlocutor}" + (f"    Handed over: {doc.handed_over}" if doc.handed_over else ""))
    )
    story.append(Spacer(1, 4 * mm))
    widths = [w * mm for w in (10, 32, 24, 38, 36, 20, 36, 77)]
    data = [[para(label, head, width) for (_name, label), width in zip(COLUMNS, widths, strict=True)]]
    data += [
        [para(cell, width=width) for cell, width in zip(_cells(row), widths, strict=True)] for row in doc.rows
    ]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    if transliterated:
        story += [
            Spacer(1, 3 * mm),
            Paragraph(TIBETAN_NOTE.replace("†", f'<font name="{MARK_FONT}">†</font>'), body),
        ]
    pdf.build(story)
    return buffer.getvalue()


def to_docx(doc: ExportDocument) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    # Word picks the East Asian font for Chinese characters from this attribute.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    document.core_properties.title = doc.title
    document.core_properties.author = ""
    document.add_heading(doc.title, level=1)
    document.add_paragraph(
        f"To: {doc.interlocutor}" + (f"    Handed over: {doc.handed_over}" if doc.handed_over else "")
    )
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, (_name, label) in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = label
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in doc.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, _cells(row), strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Exporter:
    content_type: str
    extension: str
    write: Callable[[ExportDocument], bytes]


EXPORTERS: dict[str, Exporter] = {
    "csv": Exporter("text/csv; charset=utf-8", "csv", to_csv),
    "pdf": Exporter("application/pdf", "pdf", to_pdf),
    "docx": Exporter(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", to_docx
    ),
}


def export_list(user: Any, prisoner_list: PrisonerList | int, fmt: str) -> bytes:
    """The list in one of EXPORTERS' formats, as ``user`` may see it.
    Raises PrisonerList.DoesNotExist above clearance, ValueError for an unknown format."""
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(EXPORTERS)}")
    pk = prisoner_list.pk if isinstance(prisoner_list, PrisonerList) else int(prisoner_list)
    return EXPORTERS[fmt].write(export_document(user, pk))


def export_filename(prisoner_list: PrisonerList, fmt: str) -> str:
    """An ASCII file name for the download (titles may hold anything)."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", prisoner_list.title).strip("-")[:60] or "list"
    return f"prisoner-list-{prisoner_list.pk}-{stem}.{EXPORTERS[fmt].extension}"

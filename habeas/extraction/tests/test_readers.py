"""Readers: each format, each encoding, hostile HTML, refusals that name the file and the problem."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from habeas.extraction.boilerplate import content_text
from habeas.extraction.readers import ReadError, document_read, text_decode
from habeas.extraction.tests.pdf import pdf_bytes
from habeas.lib.dates import PartialDate

PAGES = Path(__file__).parent / "pages"
CHINESE = (
    "新华社北京2010年11月3日电 工人马立新因涉嫌煽动颠覆国家政权罪被刑事拘留。\n"
    "他的妻子说，他患有糖尿病，需要每天服药。\n"
)


# -- plain text and its encodings ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (CHINESE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "utf-8-sig"),
        (CHINESE.encode("gb18030"), "gb18030"),
        (CHINESE.encode("gbk"), "gb18030"),
        (CHINESE.encode("utf-16"), "utf-16"),  # Python writes the byte-order mark
        (codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"), "utf-16"),
    ],
)
def test_text_in_each_accepted_encoding_reads_the_same(encoded: bytes, encoding: str) -> None:
    text, found = text_decode(encoded)
    assert text == CHINESE  # the byte-order mark is not part of the text citations point into
    assert found == encoding


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("café résumé naïve façade\n".encode("latin-1"), "not UTF-8"),
        ("Ünterschrift für Häftlinge\n".encode("cp1252"), "not UTF-8"),
        (CHINESE.encode("utf-16-le"), "NUL bytes"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
    ],
)
def test_text_in_other_encodings_is_refused_naming_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(ReadError, match=problem) as refused:
        document_read(data, name="notes/report.txt")
    assert str(refused.value).startswith("notes/report.txt: ")


def test_plain_text_is_stored_as_given_and_its_metadata_found() -> None:
    raw = (PAGES / "riverside_courier.txt").read_bytes()
    document = document_read(raw, name="riverside_courier.txt")
    assert document.format == "text"
    assert document.text == raw.decode("utf-8")  # boilerplate stays: citations count from the start
    found = document.metadata
    assert found.title == "Labour organiser given 11-year term after closed trial"
    assert found.published == PartialDate(2002, 11, 9)
    assert found.publisher == "Riverside Courier Media Group"
    assert found.language == "en"


@pytest.mark.parametrize(
    ("page", "published", "publisher"),
    [
        ("harbour_watch", PartialDate(2011, 3, 14), "Harbour Watch"),
        ("lantern_rights_alert", PartialDate(2019, 4, 3), "Lantern Rights Network"),
    ],
)
def test_dates_and_publishers_are_read_where_the_page_says_them(
    page: str, published: PartialDate, publisher: str
) -> None:
    document = document_read((PAGES / f"{page}.txt").read_bytes(), name=f"{page}.txt")
    assert document.metadata.published == published
    assert document.metadata.publisher == publisher


@pytest.mark.parametrize(
    ("top", "published"),
    [
        ("Nov. 9, 2002", PartialDate(2002, 11, 9)),
        ("Published: 2011-03-04", PartialDate(2011, 3, 4)),
        ("Posted on 3 April 2019 at 10:12", PartialDate(2019, 4, 3)),
        ("BEIJING, March 2008 (Xinhua) --", PartialDate(2008, 3)),
        ("发布时间：2010年11月3日", PartialDate(2010, 11, 3)),
        ("Updated 15 March 2011", PartialDate(2011, 3, 15)),
    ],
)
def test_a_dateline_near_the_top_dates_the_text(top: str, published: PartialDate) -> None:
    body = "A court sentenced the journalist to four years in prison on Friday, his lawyer said."
    document = document_read(f"{top}\n\n{body}\n".encode(), name="x.txt")
    assert document.metadata.published == published


def test_a_date_in_the_future_or_in_prose_far_down_is_not_the_publication_date() -> None:
    paragraphs = ["The prisoner's family said he had been in poor health for several years."] * 45
    text = "Officials promise reforms by January 2031\n\n" + "\n".join(paragraphs) + "\nNov. 9, 2002\n"
    document = document_read(text.encode(), name="x.txt", today=dt.date(2026, 1, 1))
    assert document.metadata.published is None


def test_chinese_text_is_tagged_zh() -> None:
    document = document_read(CHINESE.encode("gb18030"), name="notice.txt")
    assert document.metadata.language == "zh"
    assert document.metadata.published == PartialDate(2010, 11, 3)


# -- HTML ---------------------------------------------------------------------------------------------
def test_html_keeps_the_article_and_its_metadata() -> None:
    document = document_read((PAGES / "northern_ledger.html").read_bytes(), name="northern_ledger.html")
    assert document.format == "html"
    found = document.metadata
    assert found.title == "Court jails blogger for seven years over posts on detained lawyers"
    assert found.publisher == "The Northern Ledger"  # og:site_name before JSON-LD
    assert found.published == PartialDate(2014, 6, 20)  # article:published_time before JSON-LD
    assert found.language == "en-GB"
    assert found.url == "https://ledger.example.org/asia/2014/06/blogger-jailed"
    assert content_text(document.text).split("\n\n") == [
        "Court jails blogger for seven years over posts on detained lawyers",
        "June 20, 2014",
        "A court in the eastern city of Hangzhou on Friday sentenced blogger Zhao Ping to seven years in "
        "prison for inciting subversion of state power, his lawyer said.",
        "Zhao, 38, had written dozens of posts about lawyers detained in a nationwide sweep last July.\n"
        "He was taken into custody in September.",
        "His wife said she had not been allowed to visit him at the Hangzhou No. 1 Detention Centre.",
    ]


@pytest.mark.parametrize(
    "marker",
    [
        "SCRIPT-IN-HEAD",
        "SCRIPT-IN-BODY-MARKER",
        "alert",
        "onclick",
        "onerror",
        "BODY-ONLOAD-MARKER",
        "P-ONCLICK-MARKER",
        "IMG-ONERROR-MARKER",
        "COMMENT-MARKER",
        "NOSCRIPT-MARKER",
        "HIDDEN-MARKER",
        "STYLE-HIDDEN-MARKER",
        "IFRAME-MARKER",
        "SVG-MARKER",
        "color: red",
        "secret-style-marker",
        "We use cookies",
        "Opinion",
        "Lawyers' families call for answers",
        "All rights reserved",
        "<",
        ">",
    ],
)
def test_hostile_html_never_reaches_the_text(marker: str) -> None:
    document = document_read((PAGES / "northern_ledger.html").read_bytes(), name="northern_ledger.html")
    assert marker not in document.text


def test_html_without_article_markup_reads_the_body_and_its_declared_charset() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>通知</title></head><body><div>首页 | 新闻 | 通知</div>"
        "<p>2010年11月3日</p><p>马立新因涉嫌煽动颠覆国家政权罪被刑事拘留，羁押于兰州市第一看守所。</p>"
        "</body></html>"
    )
    document = document_read(page.encode("gb18030"), name="notice.htm")
    assert document.encoding == "gb18030"
    assert "马立新因涉嫌煽动颠覆国家政权罪被刑事拘留" in document.text
    assert document.metadata.published == PartialDate(2010, 11, 3)
    assert document.metadata.language == "zh"
    assert content_text(document.text).endswith("羁押于兰州市第一看守所。")


def test_html_is_recognised_by_its_content_when_the_name_says_nothing() -> None:
    page = b"<!doctype html><html><body><script>x()</script><p>The hearing was postponed.</p></body></html>"
    document = document_read(page, name="download")
    assert document.format == "html"
    assert document.text == "The hearing was postponed."


# -- PDF ----------------------------------------------------------------------------------------------
def test_pdf_text_layer_and_title() -> None:
    lines = [
        "Published: 2 May 2012",
        "Activist (Li) freed after serving four-year sentence",
        "Li Hua was released from Chishan Prison on Monday, relatives said.",
    ]
    document = document_read(pdf_bytes(lines, title="Release notice"), name="notice.pdf")
    assert document.format == "pdf"
    assert document.text.splitlines() == lines
    assert document.metadata.title == "Release notice"
    assert document.metadata.published == PartialDate(2012, 5, 2)


def test_pdf_title_from_a_word_processor_is_not_the_documents() -> None:
    lines = ["Prison visits suspended in Gansu", "Visits to three prisons were suspended in March."]
    document = document_read(pdf_bytes(lines, title="Microsoft Word - draft3.docx"), name="notice.pdf")
    assert document.metadata.title == "Prison visits suspended in Gansu"


def test_pdf_without_a_text_layer_is_refused_naming_the_file() -> None:
    with pytest.raises(ReadError, match=r"^scans/page1\.pdf: the PDF has no text layer"):
        document_read(pdf_bytes([]), name="scans/page1.pdf")


def test_a_broken_pdf_is_refused_naming_the_file() -> None:
    with pytest.raises(ReadError, match=r"^broken\.pdf: not a readable PDF"):
        document_read(b"%PDF-1.4\n1 0 obj << /Type /Catalog", name="broken.pdf")


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ReadError, match=r"empty\.txt: the document has no text"):
        document_read(b"  \n\n", name="empty.txt")


def test_a_chinese_page_in_gbk_gives_its_headline_publisher_and_date() -> None:
    raw = (PAGES / "xibei_daily_notice.txt").read_text(encoding="utf-8").encode("gbk")
    document = document_read(raw, name="xibei_daily_notice.txt")
    assert document.encoding == "gb18030"
    assert document.metadata.title == "兰州市中级人民法院公开宣判一起煽动颠覆国家政权案"
    assert document.metadata.publisher == "西北日报"
    assert document.metadata.published == PartialDate(2011, 3, 4)
    assert document.metadata.language == "zh"


def test_html_in_an_encoding_it_declares_is_read_in_it() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Détenu à Genève.</p></body></html>'
    document = document_read(page.encode("cp1252"), name="page.html")
    assert document.text == "Détenu à Genève."
    assert document.encoding == "cp1252"


def test_html_furniture_named_by_class_goes_but_a_wrapper_so_named_keeps_the_article() -> None:
    article = (
        "The lawyer said his client had been held in a secret location for six months without charge, "
        "and that his family had received no notice of where he was."
    )
    page = (
        '<html><body><div class="page has-sidebar"><div class="share-tools">Share Tweet Email</div>'
        f'<div id="cookie-banner">This site uses cookies to work.</div><p>{article}</p>'
        '<div class="related-stories"><p>Another case in the same city draws concern</p></div>'
        '<span class="byline">Staff reporter</span></div></body></html>'
    )
    document = document_read(page.encode(), name="page.html")
    assert document.text == article


def test_pdf_page_furniture_is_left_out_of_the_spans() -> None:
    lines = [
        "Riverside Courier | World | Asia",
        "Story Tools",
        "Prison visits suspended in Gansu after outbreak",
        "By Jane Holloway, Staff Writer",
        "Visits to three prisons in Gansu were suspended in March, relatives of inmates said.",
        "One relative said her brother, serving eight years, had not been heard from since.",
        "(c) 2012 Riverside Courier Media Group. All rights reserved.",
    ]
    document = document_read(pdf_bytes(lines), name="courier.pdf")
    # PDF lines follow each other without blank lines: the two article lines read as one paragraph.
    assert content_text(document.text) == f"{lines[2]}\n\n{lines[4]}\n{lines[5]}"

"""Readers: a file's bytes become the text a Source stores, plus what the file says about itself.

Three formats: plain text (as scraped from a web page), HTML (the page's text, scripts and styles never
included) and PDF (its text layer; scans without one are refused, habeas does no OCR). The text is what
citations will point into, so readers decide it once and nothing later rewrites it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from habeas.extraction.metadata import Metadata, date_find, language_guess, text_metadata

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PDF_SUFFIXES = (".pdf",)
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES


class ReadError(ValueError):
    """A file that cannot be read as a document; the message names the file and says why."""


@dataclass
class Document:
    text: str
    format: str  # "text", "html" or "pdf"
    encoding: str = ""
    metadata: Metadata = field(default_factory=Metadata)


def document_read(data: bytes, *, name: str = "", today: dt.date | None = None) -> Document:
    """Read a document by its name's suffix, or by its first bytes when the name says nothing."""
    label = name or "the file"
    lowered = name.lower()
    if data[:5] == b"%PDF-" or lowered.endswith(PDF_SUFFIXES):
        document = pdf_read(data, name=label, today=today)
    elif lowered.endswith(HTML_SUFFIXES) or (
        not lowered.endswith(TEXT_SUFFIXES)
        and re.search(rb"<(?:!doctype\s+html|html)[\s>]", data[:2048], re.I)
    ):
        document = html_read(data, name=label, today=today)
    else:
        document = text_read(data, name=label, today=today)
    if not document.text.strip():
        raise ReadError(f"{label}: the document has no text")
    return document


# -- plain text ----------------------------------------------------------------------------------------
def text_decode(data: bytes, *, name: str = "the file", declared: str = "") -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without a byte-order mark), UTF-16 with a
    byte-order mark, or GB18030 (which covers GBK and GB2312). Anything else is refused, never guessed
    into mojibake that would then be cited."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        raise ReadError(
            f"{name}: not a text file (it contains NUL bytes; UTF-16 text needs its byte-order mark)"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as not_utf8:
        # An HTML page that names its encoding (windows-1252, Big5...) is read in it: a declaration,
        # not a guess. Plain text declares nothing.
        codec = _codec(declared) if declared else ""
        if codec in ("gb2312", "gbk", "gb18030", "cp936"):
            return _decode(data, "gb18030", name), "gb18030"  # GB18030 covers the older two
        if codec not in ("", "utf-8", "utf-16"):
            return _decode(data, codec, name), codec
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
        if text and _plausibly_chinese(data):
            return text, "gb18030"
        raise ReadError(
            f"{name}: the text is not UTF-8, UTF-16 with a byte-order mark, or GB18030/GBK "
            f"(byte {not_utf8.start} cannot be read); save it as UTF-8"
        ) from None


def _codec(label: str) -> str:
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ReadError(f"{name}: not valid {encoding} text (byte {error.start} cannot be read)") from None


def _plausibly_chinese(data: bytes) -> bool:
    """GBK decodes most byte soup without error; real Chinese text is mostly two-byte characters from
    the common GB2312 block (both bytes 0xA1-0xFE). Latin-1 or Windows-1252 text is not."""
    pairs = common = 0
    index = 0
    while index < len(data) - 1:
        byte = data[index]
        if byte < 0x80:
            index += 1
            continue
        pairs += 1
        if 0xA1 <= byte <= 0xFE and 0xA1 <= data[index + 1] <= 0xFE:
            common += 1
        index += 4 if 0x30 <= data[index + 1] <= 0x39 else 2
    return pairs > 0 and common >= 0.8 * pairs


def text_read(data: bytes, *, name: str = "the file", today: dt.date | None = None) -> Document:
    text, encoding = text_decode(data, name=name)
    return Document(text=text, format="text", encoding=encoding, metadata=text_metadata(text, today=today))


# -- HTML ----------------------------------------------------------------------------------------------
# Never text: code, styles, embedded objects, form controls.
_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "canvas",
    "button", "select", "option", "textarea", "input", "head", "audio", "video", "map",
)  # fmt: skip
# Site furniture around the article; boilerplate.py catches what is left as plain lines.
_FURNITURE = ("nav", "aside", "footer", "dialog")
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"}
_BLOCK = {
    "address", "article", "blockquote", "body", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "details", "summary", "center", "form", "fieldset", "legend",
}  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w]+)""", re.IGNORECASE)
# Class and id words that sites give their furniture ("share-tools", "cookie-banner", "related-links").
_FURNITURE_CLASS = re.compile(
    r"(?:^|[-_\s])(?:cookies?|consent|share|sharing|social|newsletter|related|recommended|advert|ads?|promo"
    r"|paywall|subscribe|subscription|breadcrumbs?|comments?|sidebar|menu|navbar|nav|footer|masthead|byline)"
    r"(?:$|[-_\s])",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def html_read(data: bytes, *, name: str = "the file", today: dt.date | None = None) -> Document:
    from lxml import etree
    from lxml import html as lxml_html

    declared = _CHARSET.search(data[:4096])
    text, encoding = text_decode(data, name=name, declared=declared.group(1).decode() if declared else "")
    # Comments and processing instructions are dropped by the parser itself; no network, no entities.
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", text), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ReadError(f"{name}: the HTML cannot be read ({error})") from None
    found = _html_metadata(root, today=today)
    body = _main_element(root)
    heading = root.find(".//h1")
    lines = _html_text(body)
    if heading is not None and body is not root and not _inside(heading, body):
        title = " ".join(heading.text_content().split())
        if title:
            lines.insert(0, title)
    page_text = "\n\n".join(lines)
    from_text = text_metadata(page_text, today=today)
    found.fill(from_text)
    if not found.language:
        found.language = language_guess(page_text)
    return Document(text=page_text, format="html", encoding=encoding, metadata=found)


def _inside(element: Any, ancestor: Any) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())


def _main_element(root: Any) -> Any:
    """The article itself when the page marks it (the longest <article>, else <main>), else the body."""
    articles = root.findall(".//article")
    if articles:
        return max(articles, key=lambda element: len(element.text_content()))
    main = root.find(".//main")
    if main is not None:
        return main
    body = root.find("body")
    return body if body is not None else root


def _hidden(element: Any) -> bool:
    return (
        element.get("hidden") is not None
        or (element.get("aria-hidden") or "").lower() == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
        or (element.get("role") or "").lower() in _FURNITURE_ROLES
    )


def _html_text(root: Any) -> list[str]:
    """The page's text as paragraphs: a line per block element, a line break per <br>."""
    paragraphs: list[str] = []
    current: list[str] = []
    # An element named like furniture goes only while it is small beside the page: a wrapper named
    # "page has-sidebar" around the whole article must not take the article with it.
    small = len(root.text_content()) / 4

    def furniture(element: Any) -> bool:
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        return bool(_FURNITURE_CLASS.search(names)) and len(element.text_content()) < small

    def flush() -> None:
        joined = "".join(current)
        lines = [" ".join(part.split()) for part in joined.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
        current.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _DROP or tag in _FURNITURE or _hidden(element) or furniture(element):
            if element.tail:
                current.append(element.tail)
            return
        block = tag in _BLOCK
        if block:
            flush()
        if tag == "br":
            current.append("\n")
        # <img alt> is left out: it repeats the caption, and it is not text the page shows.
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    walk(root)
    flush()
    return paragraphs


def _meta(root: Any, *keys: str) -> str:
    for key in keys:
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            for element in root.iterfind(f".//meta[@{attribute}]"):
                if (element.get(attribute) or "").lower() == key and (element.get("content") or "").strip():
                    return " ".join(element.get("content").split())
    return ""


def _json_ld(root: Any) -> list[dict[str, Any]]:
    """schema.org objects in <script type="application/ld+json"> (read as data, never run)."""
    found: list[dict[str, Any]] = []
    for script in root.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return found


def _html_metadata(root: Any, *, today: dt.date | None) -> Metadata:
    ld = _json_ld(root)

    def from_ld(key: str) -> str:
        for item in ld:
            value = item.get(key)
            if isinstance(value, dict):
                value = value.get("name")
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())
        return ""

    title = _meta(root, "og:title", "twitter:title", "citation_title", "dc.title", "title") or from_ld(
        "headline"
    )
    if not title:
        heading = root.find(".//h1")
        title = " ".join(heading.text_content().split()) if heading is not None else ""
    if not title:
        element = root.find(".//title")
        title = " ".join(element.text_content().split()) if element is not None else ""
    publisher = _meta(
        root, "og:site_name", "citation_publisher", "dc.publisher", "publisher", "application-name"
    ) or from_ld("publisher")
    published = None
    candidates = [
        _meta(
            root,
            "article:published_time",
            "datepublished",
            "citation_publication_date",
            "citation_date",
            "dc.date.issued",
            "dc.date",
            "date",
            "pubdate",
            "publishdate",
            "publish-date",
            "sailthru.date",
        ),
        from_ld("datePublished"),
    ]
    for time in root.iterfind(".//time"):
        candidates.append(time.get("datetime") or time.text_content())
    for candidate in candidates:
        if candidate:
            published = date_find(candidate, today=today)
            if published:
                break
    language = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    language = language or _meta(root, "content-language", "dc.language", "language")
    if not language and (locale := _meta(root, "og:locale")):
        language = locale.replace("_", "-")
    url = _meta(root, "og:url")
    if not url:
        link = root.find(".//link[@rel='canonical']")
        url = (link.get("href") or "").strip() if link is not None else ""
    return Metadata(
        title=title,
        publisher=publisher,
        published=published,
        language=language.split(",")[0].strip()[:20],
        url=url if url.lower().startswith(("http://", "https://")) else "",
    )


# -- PDF -----------------------------------------------------------------------------------------------
def pdf_read(data: bytes, *, name: str = "the file", today: dt.date | None = None) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs ("EOF marker not found"); a refusal below says what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(f"{name}: the PDF is encrypted with a password; save an unlocked copy")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info: Any = reader.metadata or {}
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ReadError(f"{name}: not a readable PDF ({error})") from None
    text = "\n\n".join(page for page in pages if page)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ReadError(
            f"{name}: the PDF has no text layer (a scan or images only; habeas does no OCR). "
            "Run it through OCR first, or ingest the text."
        )
    found = Metadata()
    title = str(info.get("/Title") or "").strip()
    # Word processors write "Microsoft Word - draft3.docx" as a title: not the document's title.
    if title and not re.search(r"\.(?:docx?|odt|rtf|pdf)$|^(?:untitled|microsoft word)", title, re.I):
        found.title = " ".join(title.split())
    found.fill(text_metadata(text, today=today))
    return Document(text=text, format="pdf", metadata=found)

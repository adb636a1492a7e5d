"""Boilerplate removal: the spans are exactly the article's paragraphs, as offsets into the original."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from habeas.extraction.boilerplate import content_text, explain, main_spans

PAGES = Path(__file__).parent / "pages"
PAGE_NAMES = sorted(path.stem for path in PAGES.glob("*.txt") if not path.stem.endswith(".expected"))


def _paragraphs(name: str) -> list[str]:
    expected = (PAGES / f"{name}.expected.txt").read_text(encoding="utf-8")
    return [block.strip() for block in expected.split("\n\n") if block.strip()]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_spans_are_exactly_the_article_paragraphs(name: str) -> None:
    text = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    spans = main_spans(text)
    assert [text[start:end] for start, end in spans] == _paragraphs(name), explain(text)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_spans_are_ordered_and_do_not_overlap(name: str) -> None:
    text = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    spans = main_spans(text)
    assert spans
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))


def test_every_page_has_its_expected_paragraphs() -> None:
    assert len(PAGE_NAMES) >= 3
    for name in PAGE_NAMES:
        assert (PAGES / f"{name}.expected.txt").is_file(), name


def test_offsets_hold_with_windows_line_endings() -> None:
    text = (PAGES / "riverside_courier.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    spans = main_spans(text)
    assert [text[start:end] for start, end in spans] == _paragraphs("riverside_courier")


def test_a_summary_on_one_line_is_content_whole() -> None:
    summary = (
        "Liang Qiaoyun, a teacher and member of an unregistered Protestant church, was detained by police "
        "in Kunming in June 2009 and later sentenced to three years in prison for organizing a cult to "
        "undermine implementation of the law. Her family said she was in poor health."
    )
    assert main_spans(summary) == [(0, len(summary))]
    padded = "\n  " + summary + "  \n"
    assert main_spans(padded) == [(3, 3 + len(summary))]


def test_a_paragraph_wrapped_over_lines_is_one_span() -> None:
    text = (
        "Officials said the prisoner had been moved to a hospital\n"
        "in the provincial capital for treatment of heart disease.\n\n"
        "His family has not been told which hospital holds him, his lawyer said on Tuesday."
    )
    spans = main_spans(text)
    assert len(spans) == 2
    assert text[spans[0][0] : spans[0][1]].endswith("heart disease.")
    assert "\n" in text[spans[0][0] : spans[0][1]]


def test_caption_printed_twice_both_copies_go_but_a_repeated_paragraph_keeps_its_first() -> None:
    paragraph = (
        "The court said the defendant had confessed, a claim his lawyer rejected as the product of weeks "
        "of sleep deprivation in a police detention centre."
    )
    caption = "Relatives wait outside the courthouse on Tuesday."
    other = "Another paragraph that says something else."
    text = "\n\n".join([paragraph, caption, caption, other, paragraph])
    kept = [text[start:end] for start, end in main_spans(text)]
    assert caption not in kept
    assert kept.count(paragraph) == 1
    assert kept[0] == paragraph


@pytest.mark.parametrize(
    "line",
    [
        "Skip to main content",
        "Story Tools",
        "Share this article",
        "Print",
        "E-mail this story",
        "You've read 5 of 5 free stories",
        "Subscribe",
        "Already a subscriber? Log in.",
        "By Jane Doe, Staff Writer",
        "By JANE DOE and John Roe",
        "(Photo: Courtesy of the family)",
        "Demonstrators outside the consulate. AP Photo/Staff",
        "Copyright © 2011 Example Media Ltd. All rights reserved.",
        "Privacy Policy",
        "Terms of Use",
        "We use cookies to give you the best experience. Accept all",
        "Home | News | World | Asia",
        "Advertisement",
        "Click here to read the full report",
        "Download our app",
        "Please enable JavaScript to view the comments.",
        "Image 3 of 12",
        "Next",
        "Report an error",
        "首页",
        "【打印本页】【关闭窗口】",
        "责任编辑：王静",
        "版权所有 西北日报社 未经授权禁止转载",
    ],
)
def test_furniture_lines_are_left_out(line: str) -> None:
    article = (
        "Two lawyers who represented the activist were themselves detained on Monday, according to a "
        "statement issued by a rights group based in Hong Kong."
    )
    text = f"{article}\n\n{line}\n\n{article} They were released the next day."
    kept = [text[start:end] for start, end in main_spans(text)]
    assert line not in kept
    assert kept[0] == article


@pytest.mark.parametrize(
    "line",
    [
        "Nov. 9, 2002",
        "BEIJING, Nov. 9 --",
        "Published: 14 March 2011 09:30 GMT",
        "By Friday, the court had released all four of the students without charge.",
        "Copyright law was used against him once before, in 2009.",
        "He refused to subscribe to the party line, his lawyer said.",
        "Photo evidence of the beatings was shown to the court.",
        "Share prices fell after the arrests were announced.",
        "The family said they would print his letters in a book.",
        '"Free him," his wife said.',
        "Related cases are listed in the appendix to this report.",
    ],
)
def test_datelines_and_prose_that_look_like_furniture_are_content(line: str) -> None:
    article = (
        "Two lawyers who represented the activist were themselves detained on Monday, according to a "
        "statement issued by a rights group based in Hong Kong."
    )
    text = f"{line}\n\n{article}"
    kept = [text[start:end] for start, end in main_spans(text)]
    assert kept == [line, article]


def test_content_text_joins_the_paragraphs() -> None:
    text = (PAGES / "harbour_watch.txt").read_text(encoding="utf-8")
    assert content_text(text) == "\n\n".join(_paragraphs("harbour_watch"))
    assert "cookies" not in content_text(text)


def test_empty_text_has_no_spans() -> None:
    assert main_spans("") == []
    assert main_spans("\n \n\t\n") == []


CECC_DEV = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "cecc-ppd"
    / "cecc_ppd_2020-07-23_dev.csv"
)


@pytest.mark.data
def test_database_summaries_are_kept_whole() -> None:
    """A CECC summary is all article: the fact extractor reads inside main_spans, so none may be lost."""
    if not CECC_DEV.exists():
        pytest.skip(f"the CECC dev file is not here ({CECC_DEV})")
    with CECC_DEV.open(encoding="utf-8", newline="") as stream:
        summaries = [row["short_summary"] for row in csv.DictReader(stream) if row["short_summary"].strip()]
    assert len(summaries) > 1000
    lost = []
    for summary in summaries:
        kept = "".join(summary[start:end] for start, end in main_spans(summary))
        if "".join(kept.split()) != "".join(summary.split()):
            lost.append(summary[:120])
    assert lost == []


def test_a_list_the_article_introduces_is_content_but_a_menu_is_not() -> None:
    text = (
        "Home\nWorld\nAsia\n\n"
        "Police in the city detained four members of the reading group on Saturday, a relative said.\n\n"
        "Those still held are:\nMa Lixin\nZhao Ping\nLi Hua\n\n"
        "A fourth member was released on bail on Sunday evening, the relative said.\n\n"
        "Home\nContact\nJobs\n"
    )
    kept = [text[start:end] for start, end in main_spans(text)]
    assert kept == [
        "Police in the city detained four members of the reading group on Saturday, a relative said.",
        "Those still held are:\nMa Lixin\nZhao Ping\nLi Hua",
        "A fourth member was released on bail on Sunday evening, the relative said.",
    ]

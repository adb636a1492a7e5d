"""Boilerplate removal that keeps offsets into the original text.

A scraped page is the article plus what the site wraps around it: menus, "Skip to main content", share
and print links, paywall counters, captions printed twice (alt text and caption), bylines, related-article
lists, cookie banners, copyright and privacy footers. Facts must cite the original text, so nothing here
rewrites it: :func:`main_spans` only says which spans of it are the article.

The unit is the line (scrapers put each block on its own line). Each non-blank line is judged by what it
says (patterns) and where it stands (runs of short menu items, lists after a "Related" heading, copies of
a line seen before); consecutive content lines (a paragraph wrapped over several lines) become one span.
A long line that reads as prose is kept unless a strong pattern (cookie banner, copyright) names it, so a
document that is all article (a database summary on one line) comes back whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# A line that only dates the article ("Nov. 9, 2002", "Published: 9 November 2002 10:42 GMT",
# "BEIJING, Nov. 9 --", "2002年11月9日"): a dateline, which is content.
_DATELINE = re.compile(
    rf"^(?:(?:published|posted|updated|last updated|date)\s*(?:on|at)?\s*:?\s*)?"
    rf"(?:[A-Z][A-Z .'-]{{1,30}},?\s+)?"
    rf"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH},?(?:\s+\d{{4}})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?)"
    rf"(?:[\s,]+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?"
    rf"\s*(?:\([^)]{{1,30}}\))?\s*(?:--|—|–|-)?\s*$",
    re.IGNORECASE,
)

# Lines that are site furniture whatever their neighbours: each pattern matches the whole line.
_FURNITURE = re.compile(
    r"^(?:"
    r"skip to (?:main )?(?:content|navigation|search)|jump to (?:main )?content|story tools|article tools"
    r"|tools|share(?: (?:this|the)(?: article| story| page)?)?(?: on \w+| via \w+)?|share (?:on|via) \w+"
    r"|print(?: this)?(?: (?:article|story|page))?|printer[- ]friendly(?: version)?"
    r"|e-?mail(?: this)?(?: (?:article|story|page|to a friend))?|send to a friend|copy link|save(?: article)?"
    r"|tweet|facebook|twitter|x|whatsapp|linkedin|telegram|reddit|weibo|wechat|line|pinterest"
    r"|comments?(?: \(\d+\))?|\d+ comments?|view comments|leave a comment|add comment"
    r"|listen(?: to this article)?(?: \d+ min(?:utes?)?)?|\d+ min(?:ute)? read|reading time:? .*"
    r"|advertisement|advertising|sponsored(?: content)?|ad|scroll to continue(?: with content)?"
    r"|(?:font|text) size:?(?: [aA+\-−]){0,4}|a\s*a\s*a|[aA][+\-−]?(?: [aA][+\-−]?){1,3}"
    r"|menu|main menu|close|search|open search|sign in|log ?in|log ?out|register|my account|home(?:page)?"
    r"|back to top|top of page|next article|previous article|next story|previous story|more|see more"
    r"|read more|continue reading|show more|load more|read (?:the )?full (?:story|article)"
    r"|follow us(?: on \w+)?|contact us|about us|about|contact|newsletter|sign up(?: for .*newsletter.*)?"
    r"|(?:tags?|topics?|filed under|categories|keywords)\s*:.*|(?:tags?|topics?)"
    r"|subscribe(?: now| today)?(?: for .{0,40})?|subscribe to .{0,60}|subscriber(?:s)? only"
    r"|become a member"
    r"|already (?:a subscriber|have an account)\??(?: (?:log|sign) ?in\.?)?"
    r"|support (?:our|independent) .{0,60}"
    r"|donate(?: now)?|gift this article|unlock this article"
    r"|this (?:article|story) is for subscribers only\.?"
    r"|click here.{0,60}|(?:download|get) (?:our|the) app.{0,40}|please enable javascript.{0,60}"
    r"|(?:your )?browser does not support .{0,60}|loading(?:\.\.\.|…)?|next|previous|prev|watch|play video"
    r"|video duration:? [\d:]+|(?:image|photo|slide) \d+ (?:of|/) \d+|\d+ (?:of|/) \d+"
    r"|report (?:an error|a correction|a typo)|send us a tip|contact the (?:author|reporter)|back to results"
    # Chinese sites: home, print, close, share, font size, previous/next, editor, page views, location.
    r"|首页|返回首页|返回顶部|打印(?:本页|此文)?|关闭(?:窗口|本页)?|收藏|评论|登录|注册|订阅|分享到[:：]?.*|扫一扫.*"
    r"|字号[:：].*|(?:【[^】]{1,10}】\s*)+|(?:上|下)一(?:篇|页)[:：].*|(?:责任)?编辑[:：].{0,20}|(?:浏览|点击|阅读)"
    r"(?:次数|数|量)?[:：].*|(?:您的|当前)位置[:：].*"
    r")[.!:：]?$",
    re.IGNORECASE,
)

# Paywall counters and prompts, anywhere in a short line.
_PAYWALL = re.compile(
    r"you(?:'ve| have) read \d+ of \d+ (?:free )?(?:articles?|stories|stories this month)"
    r"|\d+ (?:free )?(?:articles?|stories) (?:left|remaining)|free (?:articles?|stories) (?:left|remaining)"
    r"|subscribe (?:now|today|for|to (?:continue|keep) reading)|to continue reading,? (?:please )?"
    r"(?:subscribe|log ?in|sign ?in)|(?:log|sign) ?in to (?:continue|keep) reading"
    r"|you(?:'ve| have) reached your (?:free )?(?:article|story) limit|unlimited (?:digital )?access for",
    re.IGNORECASE,
)

_COOKIE = re.compile(
    r"cookie.*(?:we use|this (?:web)?site|our (?:web)?site|consent|accept|preferences|settings|policy)"
    r"|(?:we use|this (?:web)?site uses|our (?:web)?site uses).*cookie"
    r"|^(?:accept|reject|allow|decline)(?: all)?(?: cookies)?$|^manage (?:cookie )?(?:preferences|settings)$",
    re.IGNORECASE,
)

_FOOTER = re.compile(
    r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))|all rights reserved"
    r"|^(?:privacy|cookie) (?:policy|notice|statement|settings)"
    r"|^terms (?:of (?:use|service)|and conditions)|^(?:privacy|terms|accessibility|sitemap|site map)$"
    r"|^(?:this (?:article|story|material) (?:may )?(?:not )?be (?:re)?published|do not reproduce)"
    r"|^reproduction (?:in whole or in part )?(?:is )?(?:prohibited|forbidden)"
    r"|版权所有|ICP备|公网安备|未经(?:许可|授权).{0,12}(?:转载|使用|复制)",
    re.IGNORECASE,
)

# "By Jane Doe", "By JANE DOE and John Roe, Staff Writers", "Written by ...", "Reporting by ...".
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|bin|al-\w+))*"
_BYLINE = re.compile(
    rf"^(?i:by|written by|words by|story by|author:?)\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*"
    r"(?:\s+in\s+[A-Z][\w'’ -]{1,40})?(?:\s*(?:,|\||-|–|—)\s*.{0,60})?$"
    r"|^(?i:reporting|additional reporting|writing|editing|edited|reported|compiled|translated)"
    r"(?i: by)?\s*:?\s+[A-Z].{0,150}$",
)

# Image captions and credits: "(Photo: ...)", "AP Photo/...", "Image: ...", "... /Reuters", "Getty Images".
_CAPTION = re.compile(
    r"\((?:photo|photograph|image|picture|file photo|video)\b[^)]*\)\s*$"
    r"|\b(?:AP|AFP|EPA|Reuters|Xinhua|Kyodo|Getty)\s*(?:Photo|Images)?\s*/\s*\w"
    r"|\b(?:AFP|Reuters|Getty Images|AP Photo|EPA|Shutterstock)\s*\)?\s*$"
    r"|^(?:photo|photograph|image|picture|file photo|caption|image caption|image source|credit|photo credit)"
    r"\s*:"
    r"|^(?:enlarge|expand) (?:this )?image$",
    re.IGNORECASE,
)

# A heading that starts a list of other stories: every headline-like line after it is not the article.
_RELATED = re.compile(
    r"^(?:related(?: (?:articles?|stories|coverage|content|links|news|reading|topics))?"
    r"|more (?:on|from|about)\b.{0,60}|read (?:more|next|also)|see also|also read"
    r"|you (?:may|might) also (?:like|be interested in)"
    r"|recommended(?: for you| reading)?|most (?:read|popular|viewed|shared)|trending(?: now)?"
    r"|latest (?:news|stories)|top stories|in other news|editor'?s picks|around the web|more stories"
    r"|相关(?:新闻|阅读|链接|文章|报道)|推荐阅读|延伸阅读|热点(?:新闻)?|热门(?:文章|新闻)|猜你喜欢)\s*[:：]?$",
    re.IGNORECASE,
)

# Menu items side by side: "Home | World | Asia", "News › China › Politics", "Home / World / Asia".
_MENU_SEPARATOR = re.compile(r"\s+(?:[|•·›»>/]|::)\s+|\s{3,}|\t")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?。！？:;\"”’)]\s*$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class _Line:
    start: int  # offsets of the line without its surrounding white space
    end: int
    text: str
    content: bool = True
    why: str = ""

    @property
    def words(self) -> int:
        # A run of Chinese characters counts as one word per two characters: no spaces to count.
        cjk = len(_CJK.findall(self.text))
        return len(_WORD.findall(self.text)) + cjk // 2

    @property
    def short(self) -> bool:
        """A menu item or a label, not a sentence: a few words and no sentence ending."""
        return self.words <= 4 and not _SENTENCE_END.search(self.text)


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        out.append(_Line(start, start + len(stripped), stripped))
    return out


def _key(line: str) -> str:
    return " ".join(line.casefold().split())


def _mark(line: _Line, why: str) -> None:
    line.content = False
    line.why = line.why or why


def _by_pattern(line: _Line) -> None:
    text, words = line.text, line.words
    if _DATELINE.match(text):
        line.why = "dateline"  # content, and exempt from the short-line rules below
        return
    if _COOKIE.search(text) and words <= 80:
        _mark(line, "cookie banner")
    elif _FOOTER.search(text) and words <= 60:
        _mark(line, "footer")
    elif words <= 30 and _PAYWALL.search(text):
        _mark(line, "paywall")
    elif words <= 12 and _FURNITURE.match(text):
        _mark(line, "site tools")
    elif words <= 40 and _CAPTION.search(text):
        _mark(line, "caption")
    elif words <= 16 and _BYLINE.match(text) and not text.endswith((".", "!", "?")):
        _mark(line, "byline")
    else:
        items = _MENU_SEPARATOR.split(text)
        # Three menu items side by side, or a masthead "SITE NAME | Slogan" (a bar is not prose).
        if (len(items) >= 3 and all(len(_WORD.findall(item)) <= 4 for item in items)) or (
            " | " in text and all(len(_WORD.findall(item)) <= 6 for item in items)
        ):
            _mark(line, "navigation")


def _repeated(lines: list[_Line]) -> None:
    """A line printed twice: the later copy goes; both go when they stand close together (the alt text
    and the caption of one picture), since an article does not repeat itself within a few lines."""
    seen: dict[str, int] = {}
    for index, line in enumerate(lines):
        if line.why == "dateline" or line.words < 3:
            continue
        key = _key(line.text)
        if key in seen:
            _mark(line, "repeated line")
            first = seen[key]
            if index - first <= 3:
                _mark(lines[first], "caption printed twice")
        else:
            seen[key] = index


def _related_lists(lines: list[_Line]) -> None:
    """After a "Related articles" heading, the headlines that follow it (until prose starts again)."""
    inside = False
    for line in lines:
        if _RELATED.match(line.text) and line.words <= 8:
            _mark(line, "related articles")
            inside = True
        elif inside:
            prose = line.words >= 12 and _SENTENCE_END.search(line.text) is not None
            if prose and line.content:
                inside = False
            else:
                _mark(line, "related articles")


def _short_runs(lines: list[_Line]) -> None:
    """Menus printed one item a line: two or more short lines in a row, and any short line that does
    not stand between two paragraphs of the article (section labels above it, link lists below it),
    unless an article line ending in a colon introduces them."""
    prose = [i for i, line in enumerate(lines) if line.content and line.words >= 8]
    first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    index = 0
    while index < len(lines):
        line = lines[index]
        if not (line.content and line.short and line.why != "dateline"):
            index += 1
            continue
        run_end = index
        while run_end + 1 < len(lines) and lines[run_end + 1].short and lines[run_end + 1].why != "dateline":
            run_end += 1
        alone_inside = run_end == index and first < index < last
        # "Those still held are:" followed by a name a line: the article's own list, not a menu.
        previous = lines[index - 1] if index else None
        introduced = previous is not None and previous.content and previous.text.endswith((":", "："))
        if not (alone_inside or (introduced and first < index)):
            for item in lines[index : run_end + 1]:
                _mark(item, "navigation")
        index = run_end + 1


def _classify(text: str) -> list[_Line]:
    lines = _lines(text)
    for line in lines:
        _by_pattern(line)
    _repeated(lines)
    _related_lists(lines)
    _short_runs(lines)
    return lines


def main_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that are the article, in order; the rest is boilerplate.

    Each span is ``(start, end)`` into the original string, white space at its edges left out; lines
    of one paragraph that follow each other without a blank line between them form one span.
    """
    spans: list[tuple[int, int]] = []
    previous: _Line | None = None
    for line in _classify(text):
        if not line.content:
            previous = None
            continue
        joined = previous is not None and "\n\n" not in text[previous.end : line.start].replace("\r", "")
        if joined and spans:
            spans[-1] = (spans[-1][0], line.end)
        else:
            spans.append((line.start, line.end))
        previous = line
    return spans


def content_text(text: str) -> str:
    """The article alone, paragraphs separated by a blank line (for display; cite ``main_spans``)."""
    return "\n\n".join(text[start:end] for start, end in main_spans(text))


def explain(text: str) -> list[tuple[int, int, str]]:
    """Each non-blank line with why it was left out (empty reason: content): for debugging rules."""
    return [(line.start, line.end, "" if line.content else line.why) for line in _classify(text)]

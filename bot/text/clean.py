"""Clean: noisy pasted text in, paragraphs of story text out.

The order matters. Chat markup becomes plain text first (also where a wrap split it);
then hard-wrapped lines are rejoined into logical paragraphs (mid-word in Chinese,
mid-number too); only then is each whole paragraph judged — story text, a heading (a
section marker, kept aside), or boilerplate and editor's notes (dropped). Boilerplate is
never matched against a physical line, so a wrapped line that happens to begin with
關注 or 點擊 is never cut out of the middle of a sentence. Inside a kept paragraph only
three things are removed: a photo credit, a byline that opens it and a source or
editor's note in brackets that closes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from bot.text.markup import to_plain_text
from bot.text.script import CJK_RE, HAN_RE, SENTENCE_END, is_cjk, is_han

# Whole paragraphs that are never part of the story.
_BOILERPLATE = re.compile(
    r"""^(?:
        [（(【〔\[]?\s*(?:本[报報]|新[华華]社|中央社)?\s*[记記]者[^。！？]{0,30}?(?:[／/][^。！？]{0,12}?)?(?:[报報]導|[报報]道)\s*[）)】〕\]]?\s*$
      | (?:本[报報]|本刊|本台)[记記]者\s*\S{1,12}(?:\s+\S{1,12}){0,3}\s*$
      | [（(【〔\[]?\s*(?:本文)?(?:来源|來源|稿源|出处|出處)\s*[：:].*$
      | [（(【〔\[]?\s*(?:责任编辑|責任編輯|编辑|編輯|责编|責編|校对|校對|审核|審核)\s*[：:].*$
      | [（(【〔\[]?\s*(?:版权声明|版權聲明|版权所有|版權所有|免责声明|免責聲明)[】〕\]）)]?.*$
      | (?:未经|未經).{0,20}(?:转载|轉載).*$
      | [（(【〔\[]?\s*(?:转载|轉載)[^。！？]{0,40}$
      | [（(【〔\[]?\s*(?:圖|图|攝影|摄影|照片|圖片來源|图片来源|圖片|图片)\s*[／/:：].{0,40}$
      | (?:©|\(c\)|copyright\b).*$
      | all\ rights\ reserved\.?$
      | by\ [A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:,\s*[\w\s]+)?$
      | (?:photo|image)\s*(?:credit)?\s*[:：].{0,80}$
      | (?:点击|點擊|关注|關注|扫码|掃碼|长按|長按|追蹤|追踪|订阅|訂閱)[^。！？]{0,30}
        (?:公众号|公眾號|微信|微博|粉絲|粉丝|專頁|专页|頻道|频道|二维码|二維碼|QR|app|下載|下载|臉書|脸书|Facebook|LINE|IG)
        [^。！？]{0,20}$
      | 分享到[：:]?.{0,30}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Editor's notes: not the article's own words, as a whole paragraph.
_NOTE = re.compile(
    r"""^(?:
        [（(【\[]\s*(?:完|全文完|本文完|END|end)\s*[）)】\]]
      | [-—－─]{1,3}\s*(?:完|END)\s*[-—－─]{1,3}
      | [（(【\[]?\s*(?:原題為?|原题为?|原標題|原标题|本文轉載自|本文转载自|本文經授權轉載|本文经授权转载|
          編按|编按|編者按|编者按|作者為|作者为|作者係|(?:本文)?作者簡介|(?:本文)?作者简介)[^\n]{0,200}$
      | [【\[]\s*(?:延伸閱讀|延伸阅读|相關新聞|相关新闻|相關閱讀|相关阅读|推薦閱讀|推荐阅读|更多新聞|更多新闻)
        \s*[】\]].*$
      | (?:延伸閱讀|延伸阅读|相關新聞|相关新闻|相關閱讀|相关阅读|推薦閱讀|推荐阅读|更多新聞|更多新闻)\s*[：:].*$
      | (?:related|read\ more|see\ also)\s*:.*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Pieces inside a kept paragraph that are not the story.
_INLINE = [
    # Photo credits anywhere: （圖／記者王小明攝）, (图/新华社)
    re.compile(r"[（(]\s*(?:圖|图|攝影|摄影|照片|圖片來源|图片来源)\s*[／/:：][^（）()]{0,40}[）)]"),
    # Source and editor notes in brackets: （本文来源：经济日报 编辑：李华）
    re.compile(r"[（(]\s*(?:本文)?(?:来源|來源|编辑|編輯|责任编辑|責任編輯)\s*[：:][^（）()]{0,60}[）)]"),
    # A byline opening a paragraph: 〔記者王小明／台北報導〕, 【记者 李华/北京报道】
    re.compile(
        r"^[（(【〔\[]\s*[记記]者[^。！？）)】〕\]]{0,30}?[／/][^。！？）)】〕\]]{0,12}?(?:[报報]導|[报報]道)\s*[）)】〕\]]\s*"
    ),
    re.compile(
        r"^(?:本[报報]|新[华華]社|中央社)?[记記]者[^，。！？、]{1,20}?[／/][^，。！？、]{1,8}?(?:[报報]導|[报報]道)\s*"
    ),
    # A note closing a paragraph: （完）, （原題為…）, （本文轉載自…）, or the outlet a post came from: （南方日報）
    re.compile(
        r"[（(]\s*(?:完|全文完|本文完|原題為?[^（）()]{0,80}|原题为?[^（）()]{0,80}|原標題[^（）()]{0,80}|"
        r"原标题[^（）()]{0,80}|本文轉載自[^（）()]{0,60}|本文转载自[^（）()]{0,60}|"
        r"[^（）()，。、\s]{1,12}(?:日報|日报|晚報|晚报|時報|时报|早報|早报|商報|商报|新聞網?|新闻网?|週刊|周刊|"
        r"雜誌|杂志|新聞社|新闻社|通訊社|通讯社|電視台|电视台|網|网))\s*[）)]\s*$"
    ),
]

_TITLE_PREFIX = re.compile(r"^\s*(?:标题|標題|題目|题目|title)\s*[：:]\s*(.+?)\s*$", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(\S.*?)\s*#*$")
# Numbered section headings: 一、 （一） (1) 1. 1、 第一章 第三節 壹、
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十壹貳參肆伍陸柒捌玖拾]{1,3}[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]|"
    r"\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十百\d]{1,3}[章節节篇部]|[A-Z][.、](?=\s))\s*\S"
)
# A line that is only a date: 中華民國八十二年元月五日, 2026年5月16日, 115年05月16日, 2026-05-16.
_DATE_LINE = re.compile(
    r"^(?:中華民國|中华民国|民國|民国|西元|公元)?\s*[\d〇零一二三四五六七八九十百]{2,4}\s*年\s*"
    r"(?:[\d一二三四五六七八九十元正]{1,3}\s*月\s*(?:[\d一二三四五六七八九十廿卅]{1,3}\s*[日號号]?)?)?$"
    r"|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$"
)
# Zero-width characters, and C0/C1 control characters but newline and tab: never story text (and
# an ESC in an article could rewrite a terminal's title or clipboard).
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", ".": "。"}
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{CJK_RE.pattern[1:-1]}])[ \t\u3000]+(?=[{CJK_RE.pattern[1:-1]}])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_HAN_RUNS = re.compile(f"[{HAN_RE.pattern[1:-1]}]+")
_HALF_WIDTH_MARKS = re.compile(r"[,:;?!.]")
#: Punctuation that ends a line of prose (a heading has none of it at its end).
_PROSE_END = SENTENCE_END + "。.，,、；;：:」』”’）)"

MAX_TITLE_CHARS = 60
#: A heading is short: at most this many characters (Chinese) or words (English).
MAX_HEADING_CHARS = 40
MAX_HEADING_WORDS = 12


@dataclass(frozen=True, slots=True)
class Cleaned:
    title: str | None
    paragraphs: tuple[str, ...]
    #: Boilerplate, editor's notes and the inline credits, bylines and notes that were dropped.
    removed: tuple[str, ...]
    #: Section headings found between paragraphs (markers, not story text), in order.
    headings: tuple[str, ...] = ()
    #: For each paragraph, the number of headings before it: its section.
    sections: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def clean(raw: str, *, title: str | None = None) -> Cleaned:
    """Clean ``raw`` article text; ``title`` is one the loader already knows (HTML)."""
    # One regex pass: str.translate with a table looks up every character (20x slower on CJK).
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", raw))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = to_plain_text(text)
    lines = [line.rstrip() for line in text.split("\n")]

    found_title, lines = _take_title(lines)
    logical = [_tidy(p) for p in _join_lines(lines)]
    logical = [p for p in logical if p]

    paragraphs: list[str] = []
    sections: list[int] = []
    removed: list[str] = []
    headings: list[str] = []
    for i, para in enumerate(logical):
        if _not_story(para):
            removed.append(para)
            continue
        if _is_heading(para, logical[i + 1] if i + 1 < len(logical) else None):
            heading = _heading_text(para)
            if found_title is None and title is None and not paragraphs and not headings and not _NUMBERED.match(para):
                found_title = heading  # an unnumbered heading before any text is the article's title
            else:
                headings.append(heading)
            continue
        para, dropped = _strip_inline(para)
        removed.extend(dropped)
        para = normalise_punctuation(para)
        if para and any(ch.isalnum() for ch in para):
            paragraphs.append(para)
            sections.append(len(headings))
        elif para:
            removed.append(para)
    title = title or found_title
    if title is not None:
        title = normalise_punctuation(_SPACES.sub(" ", title).strip()) or None
    return Cleaned(
        title=title,
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        headings=tuple(headings),
        sections=tuple(sections),
    )


def _not_story(line: str) -> bool:
    return is_boilerplate_line(line) or is_editors_note(line) or _DATE_LINE.match(line) is not None


def is_boilerplate_line(line: str) -> bool:
    """Whether a whole logical line (or paragraph) is boilerplate: a byline, a credit, a notice."""
    return _BOILERPLATE.match(line.strip()) is not None


def is_editors_note(line: str) -> bool:
    """Whether a whole paragraph is an editor's note: （完）, （原題為…）, 【延伸閱讀】…"""
    return _NOTE.match(line.strip()) is not None


def _tidy(paragraph: str) -> str:
    return _SPACE_BETWEEN_CJK.sub("", _SPACES.sub(" ", paragraph)).strip()


def _take_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """Find a title: a ``标题：`` prefix, or a short first line that is not a wrapped one (a
    byline, an editor's note or a date before it is passed over: those are dropped anyway)."""
    first = next(
        (i for i, line in enumerate(lines) if line.strip() and not _not_story(line.strip())),
        None,
    )
    if first is None:
        return None, lines
    line = lines[first].strip()
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        line = markdown.group(1)
    prefixed = _TITLE_PREFIX.match(line)
    if prefixed:
        return prefixed.group(1), lines[first + 1 :]
    if not _looks_like_title(line) or (_NUMBERED.match(line) and not markdown):
        return None, lines
    following = lines[first + 1] if first + 1 < len(lines) else ""
    width = wrap_width(lines)
    # In hard-wrapped text a full-width first line is the start of a paragraph, not a title.
    if following.strip() and width is not None and len(line) >= width - 2:
        return None, lines
    if not any(rest.strip() for rest in lines[first + 1 :]):
        return None, lines  # the whole text is one short line: that is the article
    if following.strip() and any(mark in line for mark in "，,；;") and not markdown:
        return None, lines  # a clause mark and no blank line after it: more likely a wrapped sentence
    return line, lines[first + 1 :]


def _looks_like_title(line: str) -> bool:
    if line[-1] in SENTENCE_END + "。.，,、；;：:" or _DATE_LINE.match(line):
        return False
    if any(ch in line for ch in "。！？"):
        return False
    if HAN_RE.search(line):
        return len(line) <= MAX_TITLE_CHARS
    return len(line.split()) <= 16 and len(line) <= 120


def _short_unpunctuated(line: str) -> bool:
    """A line that could be a heading: short, and not ending like prose."""
    if not line or line[-1] in _PROSE_END:
        return False
    if HAN_RE.search(line):
        return len(line) <= MAX_HEADING_CHARS
    return len(line.split()) <= MAX_HEADING_WORDS


def _heading_like(line: str) -> bool:
    """Short, no end punctuation, and numbered or without any clause mark; not a date."""
    if not _short_unpunctuated(line) or _DATE_LINE.match(line):
        return False
    return bool(_NUMBERED.match(line)) or not any(mark in line for mark in "，,；;：:")


def _is_heading(paragraph: str, following: str | None) -> bool:
    """A section heading: short, no end punctuation, followed by story text (not another short
    line, as in a letter's closing lines); numbered (一、 （一） 1.) or without any clause mark."""
    if following is None or _MARKDOWN_HEADING.match(paragraph):
        return following is not None
    if not _heading_like(paragraph):
        return False
    return not (_short_unpunctuated(following) and not _NUMBERED.match(following))


def _heading_text(paragraph: str) -> str:
    markdown = _MARKDOWN_HEADING.match(paragraph)
    return markdown.group(1) if markdown else paragraph


def wrap_width(lines: list[str]) -> int | None:
    """The width text was hard-wrapped at, or None if it was not hard-wrapped."""
    lengths = [len(line.strip()) for line in lines if line.strip()]
    if len(lengths) < 3:
        return None
    widest = max(lengths)
    near = [n for n in lengths if n >= widest * 0.85]
    if len(near) < 3 or len(near) < 0.6 * (len(lengths) - 1):
        return None
    # CJK text wraps at an exact character count; prose wraps at word ends below it.
    common, count = Counter(lengths).most_common(1)[0]
    return common if count >= 0.5 * len(near) else widest


def _join_lines(lines: list[str]) -> list[str]:
    """Join wrapped lines into logical paragraphs.

    A blank line, an indent, a heading-like line or a line that ends a paragraph starts a new
    one. In hard-wrapped text a line ends its paragraph when it stops short of the wrap width
    (Chinese) or ends a sentence short of it (English); in text that is not hard-wrapped, a
    line that ends a sentence ends its paragraph.
    """
    width = wrap_width(lines)
    paragraphs: list[str] = []
    current = ""
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        indented = raw[:1] in (" ", "\u3000", "\t") and len(raw) - len(raw.lstrip()) >= 2
        if current and (indented or _ends_paragraph(previous, line, width)):
            paragraphs.append(current)
            current = ""
        if current and width is not None and len(previous) == width and _cjk_prose(previous):
            current += line  # an exact-width wrap in Chinese text splits English words too: Te|rrance
        else:
            current = join_wrapped(current, line) if current else line
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _cjk_prose(line: str) -> bool:
    """Mostly Chinese: a line wrapped at an exact character count, words and all."""
    return len(line) - len(_HAN_RUNS.sub("", line)) >= 0.5 * len(line)


def _ends_paragraph(line: str, following: str, width: int | None) -> bool:
    """Whether the break after physical ``line`` (before ``following``) is a paragraph end, not a wrap."""
    if _MARKDOWN_HEADING.match(following) or (_NUMBERED.match(following) and _short_unpunctuated(line)):
        return True
    ends_sentence = line[-1] in SENTENCE_END + "」』”）)"
    if width is None:
        # Not hard-wrapped: a sentence end, or a heading-like line on either side, is a break.
        return (
            ends_sentence
            or _heading_like(line)
            or bool(_DATE_LINE.match(line))
            or (_heading_like(following) and len(following) < 16)
        )
    short = len(line) < width - 2
    if is_cjk(line[-1]):
        return short  # CJK wraps at an exact width: a short line is a paragraph's last
    return short and (ends_sentence or len(line) < width * 0.5)


def join_wrapped(left: str, right: str) -> str:
    """Join two wrapped lines: nothing between CJK text or digits, a space between words."""
    a, b = left[-1], right[0]
    if is_cjk(a) or is_cjk(b) or (a.isdigit() and b.isdigit()):
        return left + right
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.islower():
        return left + right
    return left + " " + right


def _strip_inline(para: str) -> tuple[str, list[str]]:
    dropped: list[str] = []
    for pattern in _INLINE:
        for match in pattern.finditer(para):
            dropped.append(match.group(0).strip())
        para = pattern.sub("", para)
    return para.strip(), dropped


def normalise_punctuation(text: str) -> str:
    """Half-width ``, : ; ? ! .`` inside Chinese text become full width (not in 3:30 or 1,000)."""
    if not HAN_RE.search(text):
        return text
    out = list(text)
    n = len(text)
    for mark in _HALF_WIDTH_MARKS.finditer(text):
        i, ch = mark.start(), mark.group(0)
        full = _HALF_TO_FULL[ch]
        prev = _neighbour(text, i, -1)
        nxt = _neighbour(text, i, 1)
        if prev.isdigit() and nxt.isdigit():
            continue  # 3:30, 1,000, 2.5
        if ch == ".":
            # Only a full stop that ends a Chinese sentence (at the end, or before a space): never
            # the dot inside a transliterated name (麥克米連.史考特), an address or a decimal.
            after = text[i + 1 : i + 2]
            if is_han(prev) and after in ("", "\n", " ", "\u3000"):
                out[i] = full
                if after == " " and is_han(nxt):
                    out[i + 1] = ""
            continue
        if is_cjk(prev) or is_han(nxt):
            out[i] = full
            # drop the space a half-width mark usually carries after it
            if i + 1 < n and text[i + 1] == " ":
                out[i + 1] = ""
    return "".join(out)


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] in " \t":
        j += step
    return text[j] if 0 <= j < len(text) else ""

"""Clean: noisy pasted text in, paragraphs of readable text out.

Rejoins hard-wrapped lines (mid-word in Chinese, mid-number too), normalises half-width
punctuation inside Chinese text, finds a title, and drops boilerplate: bylines,
source/editor lines, copyright notices and photo credits.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from bot.text.script import CJK_RE, HAN_RE, SENTENCE_END, is_cjk, is_han

# Whole lines that are never part of the story.
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        [（(【〔\[]?\s*(?:本[报報]|新[华華]社|中央社)?\s*[记記]者[^。！？]{0,30}?(?:[／/][^。！？]{0,12}?)?(?:[报報]導|[报報]道)\s*[）)】〕\]]?\s*$
      | (?:本[报報]|本刊|本台)[记記]者\s*\S{1,12}(?:\s+\S{1,12}){0,3}\s*$
      | [（(【〔\[]?\s*(?:本文)?(?:来源|來源|稿源|出处|出處)\s*[：:].*$
      | [（(【〔\[]?\s*(?:责任编辑|責任編輯|编辑|編輯|责编|責編|校对|校對|审核|審核)\s*[：:].*$
      | [（(【〔\[]?\s*(?:版权声明|版權聲明|版权所有|版權所有|免责声明|免責聲明)[】〕\]）)]?.*$
      | (?:未经|未經).{0,20}(?:转载|轉載).*$
      | [（(【〔\[]?\s*(?:转载|轉載).*$
      | [（(【〔\[]?\s*(?:圖|图|攝影|摄影|照片|圖片來源|图片来源|圖片|图片)\s*[／/:：].{0,40}$
      | (?:©|\(c\)|copyright\b).*$
      | all\ rights\ reserved\.?$
      | by\ [A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:,\s*[\w\s]+)?$
      | (?:photo|image)\s*(?:credit)?\s*[:：].{0,80}$
      | (?:点击|點擊|关注|關注|扫码|掃碼|分享到).{0,30}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Pieces of boilerplate that sit inside a paragraph.
_INLINE_BOILERPLATE = [
    # Photo credits: （圖／記者王小明攝）, (图/新华社)
    re.compile(r"[（(]\s*(?:圖|图|攝影|摄影|照片|圖片來源|图片来源)\s*[／/:：][^（）()]{0,40}[）)]"),
    # Source and editor notes: （本文来源：经济日报 编辑：李华）
    re.compile(r"[（(]\s*(?:本文)?(?:来源|來源|编辑|編輯|责任编辑|責任編輯)\s*[：:][^（）()]{0,60}[）)]"),
    # A byline opening a paragraph: 〔記者王小明／台北報導〕, 【记者 李华/北京报道】
    re.compile(
        r"^[（(【〔\[]\s*[记記]者[^。！？）)】〕\]]{0,30}?[／/][^。！？）)】〕\]]{0,12}?(?:[报報]導|[报報]道)\s*[）)】〕\]]\s*"
    ),
    re.compile(
        r"^(?:本[报報]|新[华華]社|中央社)?[记記]者[^，。！？、]{1,20}?[／/][^，。！？、]{1,8}?(?:[报報]導|[报報]道)\s*"
    ),
]

_TITLE_PREFIX = re.compile(r"^\s*(?:标题|標題|題目|题目|title)\s*[：:]\s*(.+?)\s*$", re.IGNORECASE)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", ".": "。"}
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{CJK_RE.pattern[1:-1]}])[ \t\u3000]+(?=[{CJK_RE.pattern[1:-1]}])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")

MAX_TITLE_CHARS = 60


@dataclass(frozen=True, slots=True)
class Cleaned:
    title: str | None
    paragraphs: tuple[str, ...]
    #: Boilerplate lines and fragments that were dropped.
    removed: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def clean(raw: str, *, title: str | None = None) -> Cleaned:
    """Clean ``raw`` article text; ``title`` is one the loader already knows (HTML)."""
    text = unicodedata.normalize("NFC", raw).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    removed: list[str] = []

    kept: list[str] = []
    for line in lines:
        if line.strip() and is_boilerplate_line(line.strip()):
            removed.append(line.strip())
            continue
        kept.append(line)

    found_title, kept = _take_title(kept)
    title = title or found_title
    paragraphs: list[str] = []
    for para in _join_lines(kept):
        para, dropped = _strip_inline_boilerplate(para)
        removed.extend(dropped)
        para = normalise_punctuation(para)
        if para and not is_boilerplate_line(para):
            paragraphs.append(para)
        elif para:
            removed.append(para)
    if title is not None:
        title = normalise_punctuation(_SPACES.sub(" ", title).strip()) or None
    return Cleaned(title=title, paragraphs=tuple(paragraphs), removed=tuple(removed))


def is_boilerplate_line(line: str) -> bool:
    return _BOILERPLATE_LINE.match(line) is not None


def _take_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """Find a title: a ``标题：`` prefix, or a short first line that is not a wrapped one."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None, lines
    line = lines[first].strip()
    if line.startswith("#"):  # a Markdown heading
        line = line.lstrip("#").strip() or line
    prefixed = _TITLE_PREFIX.match(line)
    if prefixed:
        return prefixed.group(1), lines[first + 1 :]
    if not _looks_like_title(line):
        return None, lines
    following = lines[first + 1] if first + 1 < len(lines) else ""
    width = wrap_width(lines)
    # In hard-wrapped text a full-width first line is the start of a paragraph, not a title.
    if following.strip() and width is not None and _display_len(line) >= width - 2:
        return None, lines
    if not following.strip() and first + 1 >= len(lines):
        return None, lines  # the whole text is one short line: that is the article
    return line, lines[first + 1 :]


def _looks_like_title(line: str) -> bool:
    if line[-1] in SENTENCE_END + "。.，,、；;：:":
        return False
    if any(ch in line for ch in "。！？"):
        return False
    if HAN_RE.search(line):
        return len(line) <= MAX_TITLE_CHARS
    return len(line.split()) <= 16 and len(line) <= 120


def _display_len(line: str) -> int:
    return len(line.strip())


def wrap_width(lines: list[str]) -> int | None:
    """The width text was hard-wrapped at, or None if it was not hard-wrapped."""
    lengths = [_display_len(line) for line in lines if line.strip()]
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
    """Join wrapped lines into paragraphs; blank lines and indents start a new paragraph."""
    width = wrap_width(lines)
    paragraphs: list[str] = []
    current = ""
    previous_line = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        indented = raw[:1] in (" ", "\u3000", "\t") and len(raw) - len(raw.lstrip()) >= 2
        if current and (indented or _ends_paragraph(previous_line, width)):
            paragraphs.append(current)
            current = ""
        current = join_wrapped(current, line) if current else line
        previous_line = line
    if current:
        paragraphs.append(current)
    return [_SPACE_BETWEEN_CJK.sub("", _SPACES.sub(" ", p)).strip() for p in paragraphs]


def _ends_paragraph(line: str, width: int | None) -> bool:
    """Whether the break after physical ``line`` is a real paragraph end, not a wrap."""
    if line[-1] not in SENTENCE_END + "」』”）)":
        return False
    # Unwrapped text: a line that ends a sentence ends its paragraph. Wrapped text: only
    # a line that stops short of the wrap width does.
    return width is None or len(line) < width - 2


def join_wrapped(left: str, right: str) -> str:
    """Join two wrapped lines: nothing between CJK text or digits, a space between words."""
    a, b = left[-1], right[0]
    if is_cjk(a) or is_cjk(b) or (a.isdigit() and b.isdigit()):
        return left + right
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.islower():
        return left + right
    return left + " " + right


def _strip_inline_boilerplate(para: str) -> tuple[str, list[str]]:
    dropped: list[str] = []
    for pattern in _INLINE_BOILERPLATE:
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
    for i, ch in enumerate(text):
        full = _HALF_TO_FULL.get(ch)
        if full is None:
            continue
        prev = _neighbour(text, i, -1)
        nxt = _neighbour(text, i, 1)
        if prev.isdigit() and nxt.isdigit():
            continue  # 3:30, 1,000, 2.5
        if ch == ".":
            # Only a full stop that ends a Chinese sentence, never an abbreviation or decimal.
            if is_han(prev) and (nxt == "" or is_han(nxt) or nxt in "\n"):
                out[i] = full
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

"""Split: paragraphs into sentences, and run-on sentences into readable clauses.

Every piece keeps its offsets in the cleaned text, so the analysis of a Simplified
copy can be mapped back to the original script character for character.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from bot.text.script import CLOSERS

#: The longest unit (key point) in Chinese characters; a longer sentence is shown by its head.
MAX_UNIT_CHARS = 90
#: English units are measured in characters too, but words run longer.
MAX_UNIT_CHARS_EN = 240

# In Chinese text a half-width ! or ? ends a sentence only when no word follows it at once (not in
# <!channel>) and no Latin word comes right before it (not in 「Yahoo!」 or 「Talofa!」(吐瓦魯語…)).
_HALF_MARK_IN_WORD = r"(?:[!?](?=[A-Za-z0-9<>&/])|(?<=[A-Za-z])[!?])"
_ZH_SENTENCE = re.compile(
    rf"(?:[^。！？!?…]|{_HALF_MARK_IN_WORD})*"
    rf"(?:(?:[。！？…]|(?!{_HALF_MARK_IN_WORD})[!?])+[{re.escape(CLOSERS)}]*|$)"
)
# English: a full stop, ! or ? (with closing quotes), then space and a capital or quote.
_EN_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_EN_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "gen",
    "gov",
    "sen",
    "rep",
    "lt",
    "col",
    "capt",
    "no",
    "fig",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
}


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the cleaned text: ``text == clean_text[start:end]``."""

    text: str
    start: int
    end: int
    paragraph: int


def split_sentences(paragraphs: tuple[str, ...] | list[str], *, english: bool = False) -> list[Span]:
    """Sentences of the cleaned text (paragraphs joined by ``\\n``), in order."""
    spans: list[Span] = []
    offset = 0
    split: dict[str, list[Span]] = {}  # a pasted copy of a paragraph is split once
    for p_index, para in enumerate(paragraphs):
        if para not in split:
            pieces = _split_en(para) if english else _split_zh(para)
            split[para] = [span for start, end in pieces for span in _trimmed(para, start, end, 0, 0)]
        spans.extend(Span(s.text, offset + s.start, offset + s.end, p_index) for s in split[para])
        offset += len(para) + 1
    return spans


def _split_zh(para: str) -> list[tuple[int, int]]:
    out = []
    for match in _ZH_SENTENCE.finditer(para):
        if match.end() > match.start():
            out.append((match.start(), match.end()))
    return out


def _split_en(para: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    for match in _EN_BOUNDARY.finditer(para):
        before = para[start : match.start()]
        last_word = before.rsplit(None, 1)[-1].rstrip(".!?\"'”’)]").lower() if before.strip() else ""
        if last_word in _EN_ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(para)))
    return out


def _trimmed(para: str, start: int, end: int, offset: int, p_index: int) -> list[Span]:
    while start < end and para[start].isspace():
        start += 1
    while end > start and para[end - 1].isspace():
        end -= 1
    if end <= start:
        return []
    text = para[start:end]
    if not any(ch.isalnum() for ch in text):
        return []  # stray punctuation
    return [Span(text, offset + start, offset + end, p_index)]


@dataclass(frozen=True, slots=True)
class Unit:
    """What may be shown as a key point: a whole sentence of the article, or its head.

    ``text`` is the article's own text from ``start`` to ``end``, then "…" when trailing
    clauses were dropped (``cut``); its last character is otherwise punctuation the article
    has at that place. A sentence that depends on the one before it (但…, However, …) is
    never a unit alone: it is joined to that sentence.
    """

    text: str
    start: int
    end: int
    #: Index of the (first) sentence it comes from, among the deduplicated sentences.
    sentence: int
    paragraph: int
    cut: bool = False
    #: Where the whole sentence (with any sentences joined to it) starts and ends: a summary,
    #: with more room than a key point, may show it whole.
    whole: tuple[int, int] = (0, 0)

    @property
    def shown(self) -> str:
        """The article's text without the "…" that marks a cut."""
        return self.text[:-1] if self.cut else self.text


#: A sentence that depends on the one before it (但…, However …) joins it.
JOIN_DEPENDENT = True
#: A sentence too long for a unit is split at its semicolons before it is cut.
SEMICOLON_PARTS = True

ZH_DEPENDENT = (
    "但是", "但", "而且", "而", "卻", "却", "也", "還", "还", "並且", "并且", "並", "并", "因此", "所以",
    "然而", "不過", "不过", "可是", "如今", "於是", "于是", "因而", "否則", "否则", "甚至",
)  # fmt: skip
_EN_DEPENDENT = re.compile(
    r"^(?:however|but|and|also|so|yet|still|therefore|thus|meanwhile|instead|moreover|furthermore|then|"
    r"nevertheless|nonetheless|otherwise|hence|or)\b",
    re.IGNORECASE,
)
_CLAUSE_END_ZH = "，；：、,;:"
_CLAUSE_END_EN = ",;:"
_OPENERS = "「『“‘（(《〈【〔\"'"


def depends_on_previous(text: str, *, english: bool = False) -> bool:
    """Whether a sentence or clause starts with a word tying it to what came before."""
    head = text.lstrip(_OPENERS + " ")
    if english:
        return _EN_DEPENDENT.match(head) is not None
    return head.startswith(ZH_DEPENDENT)


def make_units(
    sentences: list[Span], *, english: bool = False, limit: int | None = None, text: str | None = None
) -> list[Unit]:
    """One unit per sentence (a dependent sentence joins the one before it), each within ``limit``.

    A sentence longer than the limit is split at its semicolons into parts that stand alone;
    a part still too long keeps only its leading clauses, marked with "…". Nothing is ever
    cut in the middle of a clause, except a run with no clause mark at all, which is cut at
    a word boundary.
    """
    limit = limit or (MAX_UNIT_CHARS_EN if english else MAX_UNIT_CHARS)
    groups: list[list[int]] = []
    for i, sentence in enumerate(sentences):
        joinable = groups and sentences[groups[-1][-1]].paragraph == sentence.paragraph
        if joinable and JOIN_DEPENDENT and depends_on_previous(sentence.text, english=english):
            groups[-1].append(i)
        else:
            groups.append([i])
    units: list[Unit] = []
    for group in groups:
        first, last = sentences[group[0]], sentences[group[-1]]
        joined = text[first.start : last.end] if text is not None else _between(sentences, group)
        whole = Span(joined, first.start, last.end, first.paragraph)
        span = (whole.start, whole.end)
        if len(whole.text) <= limit:
            units.append(Unit(whole.text, whole.start, whole.end, group[0], first.paragraph, whole=span))
            continue
        if len(group) > 1 and len(first.text) <= limit:
            # The dependent sentences do not fit beside it: show the first whole, the rest cut.
            units.append(_head(whole, limit, group[0], english, span))
            continue
        for part in _semicolon_parts(whole, english) if SEMICOLON_PARTS else [whole]:
            if len(part.text) <= limit:
                units.append(Unit(part.text, part.start, part.end, group[0], first.paragraph, whole=span))
            else:
                units.append(_head(part, limit, group[0], english, span))
    return units


def _between(sentences: list[Span], group: list[int]) -> str:
    """Without the cleaned text: consecutive sentences with a space for what separated them."""
    text = sentences[group[0]].text
    for a, b in itertools.pairwise(group):
        gap = sentences[b].start - sentences[a].end
        text += " " * gap + sentences[b].text
    return text


def _semicolon_parts(span: Span, english: bool) -> list[Span]:
    """``span`` cut after each semicolon, a part that depends on the one before joined to it."""
    marks = ";" if english else "；;"
    pieces: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(span.text):
        if ch in marks and i + 1 < len(span.text):
            pieces.append((start, i + 1))
            start = i + 1
    pieces.append((start, len(span.text)))
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        piece = span.text[a:b].strip()
        if merged and (not piece or depends_on_previous(piece, english=english)):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    out = []
    for a, b in merged:
        out.extend(_trimmed(span.text, a, b, span.start, span.paragraph))
    return out


def _head(span: Span, limit: int, sentence: int, english: bool, whole: tuple[int, int]) -> Unit:
    """The leading whole clauses of ``span`` that fit ``limit`` (with the "…"), marked as cut."""
    text = span.text
    marks = _CLAUSE_END_EN if english else _CLAUSE_END_ZH
    end = 0
    for i, ch in enumerate(text[: limit - 1]):
        if ch in marks and not (ch in ",:" and _between_digits(text, i)):
            end = i
    if end == 0 and not english:
        end = max((i for i, ch in enumerate(text[: limit - 1]) if ch == "、"), default=0)
    if end == 0:
        end = cut_at_word(text, limit - 1, english=english)
    shown = text[:end].rstrip(marks + " ")
    return Unit(shown + "…", span.start, span.start + len(shown), sentence, span.paragraph, cut=True, whole=whole)


def cut_at_word(text: str, limit: int, *, english: bool = False) -> int:
    """The latest word boundary at or before ``limit``: never inside a word or a number."""
    if len(text) <= limit:
        return len(text)
    if english:
        cut = text.rfind(" ", 0, limit + 1)
        return cut if cut > 0 else limit
    from bot.text.analyse import jieba_module, to_simplified

    best = 0
    for _word, start, end in jieba_module().tokenize(to_simplified(text[: limit + 8])):
        if end <= limit:
            best = end
        if start >= limit:
            break
    for number in _NUMBER.finditer(text[: limit + 8]):
        if number.start() < best < number.end():
            best = number.start()  # 2,563 or 41848 stays whole
    return best or limit


_NUMBER = re.compile(r"\d+(?:[,.]\d+)*")


def _between_digits(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()

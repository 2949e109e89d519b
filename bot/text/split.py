"""Split: paragraphs into sentences, and run-on sentences into readable clauses.

Every piece keeps its offsets in the cleaned text, so the analysis of a Simplified
copy can be mapped back to the original script character for character.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.text.script import CLOSERS

#: A Chinese unit longer than this is split further on ，；： (and 、 if it must).
MAX_UNIT_CHARS = 80
#: English units are measured in characters too, but words run longer.
MAX_UNIT_CHARS_EN = 240

# A half-width ! or ? ends a sentence only when no word follows it at once (not in <!channel>).
_HALF_MARK_IN_WORD = r"[!?](?=[A-Za-z0-9<>&/])"
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
_CLAUSE_ZH = "，；：,;:"
_CLAUSE_EN = ";:,"


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
    for p_index, para in enumerate(paragraphs):
        pieces = _split_en(para) if english else _split_zh(para)
        for start, end in pieces:
            spans.extend(_trimmed(para, start, end, offset, p_index))
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


def split_units(sentence: Span, *, english: bool = False) -> list[Span]:
    """Split a long sentence into clause groups of readable length, each ≤ the unit limit."""
    limit = MAX_UNIT_CHARS_EN if english else MAX_UNIT_CHARS
    if len(sentence.text) <= limit:
        return [sentence]
    marks = _CLAUSE_EN if english else _CLAUSE_ZH
    clauses = _cut_after(sentence.text, marks)
    if any(len(c) > limit for c in clauses) and not english:
        clauses = [piece for c in clauses for piece in (_cut_after(c, "、") if len(c) > limit else [c])]
    # Last resort for a run with no clause marks at all: cut at the limit (at a space in English).
    clauses = [piece for c in clauses for piece in (_chop(c, limit, english) if len(c) > limit else [c])]
    pieces = _balanced(clauses, limit)
    out = []
    pos = sentence.start
    for piece in pieces:
        out.extend(_trimmed(piece, 0, len(piece), pos, sentence.paragraph))
        pos += len(piece)
    return out


def _cut_after(text: str, marks: str) -> list[str]:
    pieces = []
    start = 0
    for i, ch in enumerate(text):
        if ch in marks and i + 1 < len(text) and not (ch in ",:" and _between_digits(text, i)):
            pieces.append(text[start : i + 1])
            start = i + 1
    pieces.append(text[start:])
    return [p for p in pieces if p]


def _chop(text: str, limit: int, english: bool) -> list[str]:
    pieces = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit) + 1 if english else limit
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text] if text else pieces


def _between_digits(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _balanced(clauses: list[str], limit: int) -> list[str]:
    """Group consecutive clauses into about-even pieces no longer than ``limit`` when possible."""
    total = sum(len(c) for c in clauses)
    target = total / max(1, math.ceil(total / (limit * 0.5)))
    groups: list[str] = []
    current = ""
    for clause in clauses:
        if current and (len(current) + len(clause) > limit or len(current) >= target):
            groups.append(current)
            current = ""
        current += clause
    if current:
        groups.append(current)
    return groups

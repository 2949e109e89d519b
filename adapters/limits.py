"""Fitting text into a platform's limits without losing a character.

Slack and Discord reject (or silently cut) a message that breaks one of their limits, so
the renderers split long text instead of truncating it. Both platforms use this one
splitter; they differ only in how they count (Slack counts UTF-16 code units) and in what
a hard cut must not break apart (an ``&amp;`` entity in Slack, a ``\\*`` escape in Discord).
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: How a platform counts the length of a text.
Measure = Callable[[str], int]
#: Given a window that is about to be cut hard at its end, how many characters to give back
#: so that the cut does not fall inside something that must stay whole.
Guard = Callable[[str], int]

# Where a long text may be cut, best first: a line break, the end of a sentence, then a
# clause or word boundary. A hard cut is the last resort.
_BREAKS = (
    re.compile(r"\n"),
    re.compile(r"[。！？!?](?:[」』”’\"')]*)|\.(?=\s)"),
    re.compile(r"[，、；;：:,]|\s"),
)


def _no_guard(_window: str) -> int:
    return 0


def fitting_prefix(text: str, limit: int, measure: Measure = len) -> str:
    """The longest start of ``text`` whose measure is at most ``limit``."""
    window = text[:limit]
    while window and measure(window) > limit:  # characters that count more than one
        window = window[:-1]
    return window


def cut_point(text: str, limit: int, *, measure: Measure = len, guard: Guard = _no_guard) -> int:
    """Where to cut ``text`` so that the first piece fits ``limit``: the latest good boundary in
    the second half of the piece, else a hard cut that ``guard`` may move back."""
    window = fitting_prefix(text, limit, measure)
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(window) if m.end() >= len(window) // 2]
        if ends:
            return ends[-1]
    back = guard(window)
    return len(window) - back if 0 <= back < len(window) else len(window)


def split_text(text: str, limit: int, *, measure: Measure = len, guard: Guard = _no_guard) -> list[str]:
    """Cut ``text`` into pieces that each fit ``limit``; joined, they give ``text`` back."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    pieces: list[str] = []
    rest = text
    while measure(rest) > limit:
        cut = max(1, cut_point(rest, limit, measure=measure, guard=guard))
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def shorten(text: str, limit: int, *, measure: Measure = len, guard: Guard = _no_guard) -> str:
    """Fit a label (a title, a header, a thread name) into ``limit`` with a visible ellipsis."""
    if measure(text) <= limit:
        return text
    head = split_text(text, limit - 1, measure=measure, guard=guard)[0].rstrip()
    return head + "…"

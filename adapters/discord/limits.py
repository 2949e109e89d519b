"""Discord's message limits, and text splitting that respects them without losing a character.

A message that breaks one of these is rejected by Discord (HTTP 400), so the renderer
splits instead; see PLATFORM_NOTES.md for where the numbers come from.
"""

from __future__ import annotations

import re

CONTENT = 2000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBEDS_PER_MESSAGE = 10
#: Characters across all the embeds of one message (title, description, fields, footer).
EMBEDS_TOTAL = 6000
THREAD_NAME = 100

# Where a long text may be cut, best first: a line break, the end of a sentence,
# a clause or word boundary. A hard cut is the last resort.
_BREAKS = (
    re.compile(r"\n"),
    re.compile(r"[。！？!?](?:[」』”’\"')]*)|\.(?=\s)"),
    re.compile(r"[，、；;：:,]|\s"),
)


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters; joined, they give ``text`` back.

    Cuts fall on the latest good boundary in the second half of a piece, so pieces stay
    readable; a cut never separates a Markdown escape backslash from the character it escapes.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    window = text[:limit]
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(window) if m.end() >= limit // 2]
        if ends:
            return ends[-1]
    cut = limit
    # An odd run of backslashes before the cut means the last one escapes text[cut].
    run = len(window) - len(window.rstrip("\\"))
    if run % 2 == 1:
        cut -= 1
    return cut


def shorten(text: str, limit: int) -> str:
    """Fit a label (a title, a thread name) into ``limit`` characters, with a visible ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

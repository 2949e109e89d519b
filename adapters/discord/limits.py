"""Discord's message limits, and text splitting that respects them without losing a character.

A message that breaks one of these is rejected by Discord (HTTP 400), so the renderer
splits instead; see PLATFORM_NOTES.md for where the numbers come from.
"""

from __future__ import annotations

from adapters import limits as shared

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


def _escape_guard(window: str) -> int:
    """An odd run of backslashes at the end means the last one escapes the next character."""
    run = len(window) - len(window.rstrip("\\"))
    return 1 if run % 2 == 1 else 0


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters; joined, they give ``text`` back.

    A cut never separates a Markdown escape backslash from the character it escapes.
    """
    return shared.split_text(text, limit, guard=_escape_guard)


def shorten(text: str, limit: int) -> str:
    """Fit a label (a title, a thread name) into ``limit`` characters, with a visible ellipsis."""
    return shared.shorten(" ".join(text.split()), limit, guard=_escape_guard)

"""Brief what a chat user gave (text or a link) without blocking an event loop.

Loading a URL and summarising are blocking, CPU- or network-bound calls; adapters
await them here so a bot keeps answering other requests meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.briefing import Briefing
from bot.commands import BriefCommand
from bot.errors import BriefbotError
from bot.translate import Translator

#: What adapters call to turn a command into a briefing (tests can hold it on an event).
Briefer = Callable[[BriefCommand], Awaitable[Briefing]]

GENERIC_FAILURE = "Something went wrong while briefing that; the error was logged. Please try again later."


@dataclass(frozen=True, slots=True)
class BriefOptions:
    points: int = 5
    translator: Translator | None = None


def brief_now(command: BriefCommand, options: BriefOptions = BriefOptions()) -> Briefing:
    """Blocking: load (if a link) and summarise."""
    from bot.load import check_text_size, load
    from bot.pipeline import summarize

    if command.is_url:
        loaded = load(command.source)
        return summarize(
            loaded.text,
            points=options.points,
            source=loaded.source,
            title=loaded.title,
            translator=options.translator,
        )
    check_text_size(command.source)
    return summarize(command.source, points=options.points, source="pasted text", translator=options.translator)


def brief_source(
    source: str, *, points: int = 5, translator: Translator | None = None, max_bytes: int | None = None
) -> Briefing:
    """Blocking: load a file, ``-`` or a URL and brief it (the command line's path)."""
    from bot.load import load
    from bot.pipeline import summarize

    loaded = load(source, max_bytes=max_bytes)
    return summarize(
        loaded.text,
        points=points,
        source=loaded.source,
        title=loaded.title,
        translator=translator,
        max_bytes=max_bytes,
    )


def make_briefer(options: BriefOptions = BriefOptions()) -> Briefer:
    """An async briefer that runs the blocking work in a worker thread."""

    async def brief(command: BriefCommand) -> Briefing:
        return await asyncio.to_thread(brief_now, command, options)

    return brief


def user_message(exc: BaseException) -> str:
    """The one sentence a chat user sees for a failure."""
    if isinstance(exc, BriefbotError):
        return exc.message
    return GENERIC_FAILURE

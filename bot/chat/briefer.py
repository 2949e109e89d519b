"""Brief what a chat user gave (text or a link) without blocking an event loop.

Loading a URL and summarising are blocking, CPU- or network-bound calls; adapters
await them here so a bot keeps answering other requests meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.briefing import Briefing
from bot.chat.commands import BriefCommand, CommandError
from bot.errors import BriefbotError
from bot.text.pipeline import brief_source
from bot.translate.base import Translator

#: What adapters call to turn a command into a briefing (tests can hold it on an event).
Briefer = Callable[[BriefCommand], Awaitable[Briefing]]

DISCUSSION_FILE_LOCAL_ONLY = (
    "--discussion FILE reads a local export, so it works only in briefbot chat and on the command line; "
    "here, mention the bot in a thread to brief that thread."
)
GENERIC_FAILURE = "Something went wrong while briefing that; the error was logged. Please try again later."


@dataclass(frozen=True, slots=True)
class BriefOptions:
    points: int = 5
    translator: Translator | None = None


def make_briefer(options: BriefOptions = BriefOptions()) -> Briefer:
    """An async briefer that runs the blocking work in a worker thread."""

    async def brief(command: BriefCommand) -> Briefing:
        if command.discussion:
            # A chat platform never reads a local file; its threads are briefed from the platform.
            raise CommandError(DISCUSSION_FILE_LOCAL_ONLY)
        return await asyncio.to_thread(
            brief_source,
            command.source,
            pasted=not command.is_url,
            points=options.points,
            translator=options.translator,
        )

    return brief


def user_message(exc: BaseException) -> str:
    """The one sentence a chat user sees for a failure."""
    if isinstance(exc, BriefbotError):
        return exc.message
    return GENERIC_FAILURE

"""Brief what a chat user gave (text or a link) without blocking an event loop.

Loading a URL and summarising are blocking, CPU- or network-bound calls; adapters
await them here so a bot keeps answering other requests meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.briefing import Briefing
from bot.chat.commands import BriefCommand
from bot.chat.i18n import GENERIC_FAILURE, error_text, tr
from bot.text.pipeline import brief_source
from bot.translate.base import Translator

#: What adapters call to turn a command into a briefing (tests can hold it on an event).
Briefer = Callable[[BriefCommand], Awaitable[Briefing]]

__all__ = ["GENERIC_FAILURE", "BriefOptions", "Briefer", "make_briefer", "user_message", "working"]


@dataclass(frozen=True, slots=True)
class BriefOptions:
    points: int = 5
    translator: Translator | None = None


def make_briefer(options: BriefOptions = BriefOptions()) -> Briefer:
    """An async briefer that runs the blocking work in a worker thread."""

    async def brief(command: BriefCommand) -> Briefing:
        return await asyncio.to_thread(
            brief_source,
            command.source,
            pasted=not command.is_url,
            points=options.points,
            translator=options.translator,
        )

    return brief


def user_message(exc: BaseException, locale: str = "en") -> str:
    """The one sentence a chat user sees for a failure, in ``locale``."""
    return error_text(exc, locale)


def working(locale: str = "en", *, thread: bool = False, private: bool = False, short: bool = False) -> str:
    """The acknowledgement sent at once while a briefing is made ("Working on it…")."""
    if short:
        return tr(locale, "Working on it…")
    if private:
        return tr(locale, "Working on it… the briefing will appear here, for you only, in a moment.")
    if thread:
        return tr(
            locale, "Working on it… the briefing will appear in this channel, with one thread reply per key point."
        )
    return tr(locale, "Working on it… the briefing will appear in this channel in a moment.")

"""Brief what a chat user gave (text or a link) without blocking an event loop.

Loading a URL waits on the network, analysing an article is CPU work, and a translation
backend waits on the network again; each runs in its own bounded pool
(``bot.chat.workers``), so an adapter's event loop keeps answering other requests and one
kind of work never holds up another. A bounded queue sits in front: an adapter asks the
briefer to ``admit`` a command first — instantly, so a full queue is answered in the ack —
and awaits the briefing inside the ticket.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot import metrics
from bot.briefing import Briefing
from bot.chat.commands import BriefCommand, CommandError
from bot.chat.i18n import GENERIC_FAILURE, N_, error_text, tr
from bot.chat.workers import Ticket, Workers
from bot.text.load import load
from bot.text.pipeline import Draft, draft
from bot.translate.base import TranslationResult, Translator
from bot.translate.glossary import GlossaryTranslator

#: Turns a command into a briefing (tests may hold it on an event).
Brief = Callable[[BriefCommand], Awaitable[Briefing]]

DISCUSSION_FILE_LOCAL_ONLY = N_(
    "--discussion FILE reads a local export, so it works only in briefbot chat and on the command line; "
    "here, mention the bot in a thread to brief that thread."
)

__all__ = ["GENERIC_FAILURE", "BriefOptions", "Briefer", "make_briefer", "user_message", "working"]


@dataclass(frozen=True, slots=True)
class BriefOptions:
    points: int = 5
    translator: Translator | None = None


class Briefer:
    """What adapters call: ``admit(command)`` for a place in the queue, then ``await briefer(command)``.

    Without ``workers`` every command is admitted (tests that hand in their own ``brief``).
    """

    def __init__(self, brief: Brief, workers: Workers | None = None) -> None:
        self._brief = brief
        self.workers = workers

    def admit(self, command: BriefCommand) -> Ticket:
        """A place in the queue, held by a ``with`` block; raises ``Busy`` (one sentence) when full."""
        if self.workers is None:
            return Ticket()
        return self.workers.admit(link=command.is_url)

    async def __call__(self, command: BriefCommand) -> Briefing:
        return await self._brief(command)


def make_briefer(options: BriefOptions = BriefOptions(), workers: Workers | None = None) -> Briefer:
    """The real briefer: links fetched in the network pool, articles analysed in the CPU pool.

    Without ``workers``, a set of in-process pools (one analysing thread) is made for it.
    """
    workers = workers or Workers()

    async def brief(command: BriefCommand) -> Briefing:
        if command.discussion:
            # A chat platform never reads a local file; its threads are briefed from the platform.
            raise CommandError(DISCUSSION_FILE_LOCAL_ONLY)
        if command.is_url:
            loaded = await workers.network.run(load, command.source)
            text, source, title = loaded.text, loaded.source, loaded.title
        else:
            text, source, title = command.source, "pasted text", None
        return await brief_text(
            workers, text, points=options.points, source=source, title=title, translator=options.translator
        )

    return Briefer(brief, workers)


async def brief_text(
    workers: Workers,
    text: str,
    *,
    points: int = 5,
    source: str = "text",
    title: str | None = None,
    translator: Translator | None = None,
) -> Briefing:
    """``summarize`` in the pools: the article analysed in ``workers.cpu``, with the offline
    glossary there too; a translation backend asked from ``workers.network``."""
    if translator is None or isinstance(translator, GlossaryTranslator):
        chosen, glossed, seconds = await workers.cpu.run(_draft_and_gloss, text, points, source, title)
        metrics.record_translation(glossed.info.name, seconds, fell_back=False)
        return chosen.finish(glossed)
    chosen = await workers.cpu.run(functools.partial(draft, text, points, source=source, title=title))
    result, seconds = await workers.network.run(_timed_translation, translator, chosen)
    metrics.record_translation(translator.info.name, seconds, fell_back=result.fallback_reason is not None)
    return chosen.finish(result)


def _draft_and_gloss(text: str, points: int, source: str, title: str | None) -> tuple[Draft, TranslationResult, float]:
    """In a worker: the draft, its glossary and the seconds the glossary took."""
    chosen = draft(text, points, source=source, title=title)
    result, seconds = _timed_translation(GlossaryTranslator(), chosen)
    return chosen, result, seconds


def _timed_translation(translator: Translator, chosen: Draft) -> tuple[TranslationResult, float]:
    start = time.perf_counter()
    result = translator.translate(chosen.request)
    return result, time.perf_counter() - start


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

"""One scheduled run: claim, collect, brief once, deliver to every channel.

The claim comes first: a channel whose (schedule, channel, run key) row is already
taken gets nothing from this run, whoever took it. Briefings are computed once per
article and stored, so every channel (and every later run) reuses them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.briefing import Briefing
from bot.chat.briefer import user_message
from bot.errors import BriefbotError
from bot.schedule.digest import Digest, DigestItem, Receipt
from bot.schedule.sources import SourceArticle, collect
from bot.schedule.spec import ScheduleSpec, trigger_for, zone
from bot.store import SAME_STORY, Store, StoredArticle
from bot.text.dedupe import minhash, signature_similarity
from bot.text.pipeline import summarize
from bot.translate.base import Translator
from bot.translate.glossary import GlossaryTranslator

log = logging.getLogger(__name__)

#: Deliver a digest to one channel of a platform.
Deliverer = Callable[[str, Digest], Awaitable[Receipt]]
CHANNEL_CONCURRENCY = 50


@dataclass
class ChannelOutcome:
    channel: str
    status: str  # posted, empty, failed, taken
    detail: str | None = None
    receipt: Receipt | None = None


@dataclass
class _Batch:
    """What one run shares between its channels: the articles, their text, their briefings.

    Kept per run, not on the runner, so a bot that runs for months holds no article it
    is done with; later runs find the briefings in the store.
    """

    articles: list[StoredArticle]
    texts: dict[int, SourceArticle]
    briefings: dict[int, Briefing] = field(default_factory=dict)


@dataclass
class Runner:
    store: Store
    deliverers: dict[str, Deliverer]
    nothing_new: str = "post"
    translator: Translator | None = None
    #: Channels delivered to at once (each platform paces its own per-channel rate).
    channel_concurrency: int = CHANNEL_CONCURRENCY
    #: Briefings being made right now, so runs that fire together share one (removed when done).
    _in_flight: dict[tuple[int, int], asyncio.Task[Briefing]] = field(default_factory=dict)

    @property
    def translator_name(self) -> str:
        return (self.translator or GlossaryTranslator()).info.name

    async def run(self, spec: ScheduleSpec, run_key: str) -> list[ChannelOutcome]:
        claims = await asyncio.to_thread(
            lambda: {ch: self.store.claim(spec.id, spec.platform, ch, run_key) for ch in spec.channels}
        )
        outcomes = [ChannelOutcome(ch, "taken") for ch, pid in claims.items() if pid is None]
        live = {ch: pid for ch, pid in claims.items() if pid is not None}
        if not live:
            log.info("schedule %s run %s: already claimed everywhere", spec.id, run_key)
            return outcomes
        try:
            batch = await self._collect(spec)
        except Exception as exc:
            if not isinstance(exc, BriefbotError):
                log.exception("schedule %s: reading %s failed", spec.id, spec.source)
            message = user_message(exc)
            await asyncio.to_thread(self._fail_all, live, message)
            return outcomes + [ChannelOutcome(ch, "failed", message) for ch in live]

        deliver = self.deliverers.get(spec.platform)
        gate = asyncio.Semaphore(self.channel_concurrency)

        async def one(channel: str, post_id: int) -> ChannelOutcome:
            async with gate:
                return await self._deliver(spec, run_key, channel, post_id, batch, deliver)

        outcomes += await asyncio.gather(*(one(ch, pid) for ch, pid in live.items()))
        return outcomes

    def _fail_all(self, live: dict[str, int], message: str) -> None:
        for post_id in live.values():
            self.store.finish(post_id, "failed", error=message)

    async def _collect(self, spec: ScheduleSpec) -> _Batch:
        """The source's articles, stored, with the same story appearing twice kept once."""
        found: list[SourceArticle] = await asyncio.to_thread(collect, spec.source, spec.articles * 3)

        def store_all() -> _Batch:
            batch = _Batch(articles=[], texts={})
            for item in found:
                stored = self.store.article(
                    url=item.url, text=item.text, title=item.title, signature=minhash(item.text)
                )
                if any(
                    k.id == stored.id or signature_similarity(k.signature, stored.signature) >= SAME_STORY
                    for k in batch.articles
                ):
                    continue
                batch.articles.append(stored)
                batch.texts[stored.id] = item
            return batch

        return await asyncio.to_thread(store_all)

    async def _deliver(
        self,
        spec: ScheduleSpec,
        run_key: str,
        channel: str,
        post_id: int,
        batch: _Batch,
        deliver: Deliverer | None,
    ) -> ChannelOutcome:
        try:
            if deliver is None:
                raise BriefbotError(f"{spec.platform} is not connected in this process; set its token and restart.")
            fresh = await asyncio.to_thread(
                lambda: [a for a in batch.articles if not self.store.delivered_to(spec.platform, channel, a)]
            )
            fresh = fresh[: spec.articles]
            items = tuple([DigestItem(a.id, a.url, await self._briefing(a, spec.points, batch)) for a in fresh])
            digest = Digest(spec.id, run_key, _label(run_key), items, thread=spec.thread)
            if digest.empty and self.nothing_new == "skip":
                await asyncio.to_thread(self.store.finish, post_id, "empty")
                return ChannelOutcome(channel, "empty")
            receipt = await deliver(channel, digest)
        except asyncio.CancelledError:
            # Stopped before the post went out: give the slot back for the next run.
            self.store.release(post_id)
            raise
        except Exception as exc:
            if not isinstance(exc, BriefbotError):
                log.exception("schedule %s: delivery to %s failed", spec.id, channel)
            message = user_message(exc)
            await asyncio.to_thread(self.store.finish, post_id, "failed", error=message)
            return ChannelOutcome(channel, "failed", message)
        await asyncio.to_thread(self._posted, post_id, receipt, [a.id for a in fresh], spec.platform, channel)
        return ChannelOutcome(channel, "posted", receipt=receipt)

    def _posted(self, post_id: int, receipt: Receipt, article_ids: list[int], platform: str, channel: str) -> None:
        self.store.finish(post_id, "posted", message_id=receipt.message_id, thread_id=receipt.thread_id)
        self.store.mark_delivered(article_ids, platform, channel, post_id)

    async def _briefing(self, article: StoredArticle, points: int, batch: _Batch) -> Briefing:
        """The article's briefing: made once however many channels and runs want it at the same time,
        and read back from the store by later runs."""
        if article.id not in batch.briefings:
            key = (article.id, points)
            task = self._in_flight.get(key)
            if task is None:
                task = asyncio.ensure_future(self._make_briefing(article.id, points, batch.texts[article.id]))
                self._in_flight[key] = task
                task.add_done_callback(lambda _: self._in_flight.pop(key, None))
            # shield: one channel being cancelled must not cancel the others' briefing.
            batch.briefings[article.id] = await asyncio.shield(task)
        return batch.briefings[article.id]

    async def _make_briefing(self, article_id: int, points: int, source: SourceArticle) -> Briefing:
        name = self.translator_name
        briefing = await asyncio.to_thread(self.store.cached_briefing, article_id, points, name)
        if briefing is None:
            briefing = await asyncio.to_thread(
                summarize, source.text, points, source=source.url, title=source.title, translator=self.translator
            )
            # Stored under the translator's name only if that translator made it: a briefing that
            # fell back to the glossary (the LLM failed this once) must not stand in for later runs.
            if briefing.translator.name == name:
                await asyncio.to_thread(self.store.save_briefing, article_id, points, name, briefing)
        return briefing


def run_key_for(spec: ScheduleSpec, fire_time: datetime) -> str:
    """The slot of a scheduled run, in the schedule's own time zone."""
    return fire_time.astimezone(zone(spec.timezone)).strftime("%Y-%m-%dT%H:%M")


def manual_run_key(spec: ScheduleSpec, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return "manual:" + now.astimezone(zone(spec.timezone)).strftime("%Y-%m-%d")


def due_slot(spec: ScheduleSpec, now: datetime, grace_seconds: int) -> datetime | None:
    """The latest fire time of ``spec`` within the grace window before ``now``."""
    trigger = trigger_for(spec.when, spec.timezone)
    start = now - timedelta(seconds=grace_seconds + 60)
    fire = trigger.get_next_fire_time(None, start)
    last = None
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return last


def _label(run_key: str) -> str:
    return run_key.removeprefix("manual:")[:10]

"""One scheduled run: claim, collect, brief once, deliver to every channel — at most once.

The claim comes first: a channel whose (schedule, channel, run key) row is already taken
gets nothing from this run, whoever took it. Just before its first message a channel's row
moves to ``sending``; from then on the run is never posted again, whatever happens (a crash
leaves ``unknown``). Only a channel that surely received nothing (``failed``) is tried again,
with backoff, within the grace period. Briefings are computed once per article, each on its
own (one that fails is skipped and reported), concurrently, and stored, so every channel and
every later run reuses them. Database calls run in a small pool of their own, off the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from bot.briefing import Briefing
from bot.chat.briefer import user_message
from bot.errors import BriefbotError
from bot.schedule.digest import DeliveryError, Digest, DigestItem, Receipt, SkippedArticle
from bot.schedule.sources import SourceArticle, collect
from bot.schedule.spec import ScheduleSpec, trigger_for, zone
from bot.store import (
    EMPTY,
    FAILED,
    PARTIAL,
    POSTED,
    SAME_STORY,
    UNKNOWN,
    Claim,
    Finish,
    Store,
    StoredArticle,
)
from bot.text.dedupe import minhash, signature_similarity
from bot.text.pipeline import summarize
from bot.translate.base import Translator
from bot.translate.glossary import GlossaryTranslator

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Deliver a digest to one channel of a platform. Raise ``DeliveryError`` saying how many
#: messages went out; any other exception counts as "unknown" (something may have been posted).
Deliverer = Callable[[str, Digest], Awaitable[Receipt]]
#: Briefings made at once (each may wait on a translation backend).
BRIEFING_CONCURRENCY = 8
#: Seconds between two refreshes of a running run's rows.
HEARTBEAT_SECONDS = 30.0
#: A scheduled run is claimed at most this many times per channel (the first try and retries).
MAX_ATTEMPTS = 5
#: The first retry waits this long; each next one twice as long, at most ``RETRY_MAX_SECONDS``.
RETRY_BASE_SECONDS = 60.0
RETRY_MAX_SECONDS = 15 * 60.0
#: Run keys of runs started by hand (``/brief schedule run``): one per local day.
MANUAL_PREFIX = "manual:"


@dataclass
class ChannelOutcome:
    channel: str
    #: posted, partial, empty, failed, unknown; taken (another run's row: see ``found``);
    #: unavailable (this process cannot post to the platform, so it claimed nothing).
    status: str
    detail: str | None = None
    receipt: Receipt | None = None
    #: For ``taken``: the status of the row found (posted, sending, unknown…).
    found: str | None = None
    #: Articles left out because they could not be briefed.
    skipped: tuple[SkippedArticle, ...] = ()
    attempt: int = 1
    #: When a failed scheduled run will be tried again (None: it will not).
    retry_at: datetime | None = None


@dataclass
class _Batch:
    """What one run shares between its channels: the articles, their text, their briefings.

    Kept per run, not on the runner, so a bot that runs for months holds no article it
    is done with; later runs find the briefings in the store.
    """

    articles: list[StoredArticle]
    texts: dict[int, SourceArticle]
    briefings: dict[int, Briefing | SkippedArticle] = field(default_factory=dict)
    #: Per channel, the articles already delivered there; and their signatures.
    delivered: dict[str, set[int]] = field(default_factory=dict)
    signatures: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: (new article, delivered article) → the same story? Computed once per run, not per channel.
    same: dict[tuple[int, int], bool] = field(default_factory=dict)

    def fresh_for(self, channel: str) -> list[StoredArticle]:
        """The run's articles not yet delivered to ``channel`` — nor the same story from elsewhere."""
        done = self.delivered.get(channel, set())
        out = []
        for article in self.articles:
            if article.id in done:
                continue
            if any(self._same(article, other) for other in done):
                continue
            out.append(article)
        return out

    def _same(self, article: StoredArticle, other: int) -> bool:
        key = (article.id, other)
        found = self.same.get(key)
        if found is None:
            signature = self.signatures.get(other)
            found = self.same[key] = (
                bool(signature) and signature_similarity(article.signature, signature) >= SAME_STORY
            )
        return found


@dataclass
class Runner:
    store: Store
    deliverers: dict[str, Deliverer]
    nothing_new: str = "post"
    translator: Translator | None = None
    #: Seconds after a slot during which a failed run is still retried.
    grace_seconds: int = 3600
    heartbeat_seconds: float = HEARTBEAT_SECONDS
    retry_base_seconds: float = RETRY_BASE_SECONDS
    briefing_concurrency: int = BRIEFING_CONCURRENCY
    #: Briefings being made right now, so runs that fire together share one (removed when done).
    _in_flight: dict[tuple[int, int], asyncio.Future[Briefing | SkippedArticle]] = field(default_factory=dict)
    _db_pool: ThreadPoolExecutor | None = None
    _brief_pool: ThreadPoolExecutor | None = None
    _ends: list[tuple[Finish, asyncio.Future[None]]] = field(default_factory=list)
    _ending: asyncio.Task[None] | None = None

    @property
    def translator_name(self) -> str:
        return (self.translator or GlossaryTranslator()).info.name

    async def db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking store call in the runner's own threads, never on the event loop
        (and never in the loop's default pool, which the chat adapters need)."""
        if self._db_pool is None:
            self._db_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="briefbot-db")
        return await asyncio.get_running_loop().run_in_executor(self._db_pool, functools.partial(fn, *args, **kwargs))

    async def finish(self, post_id: int, status: str, **values: Any) -> None:
        """``Store.finish``, with the ends of a run's channels that arrive together written in one
        transaction (200 channels finishing at once are a few commits, not 200)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._ends.append((Finish(post_id, status, **values), done))
        if self._ending is None or self._ending.done():
            self._ending = asyncio.ensure_future(self._write_ends())
        await asyncio.shield(done)

    async def _write_ends(self) -> None:
        while self._ends:
            batch, self._ends = self._ends, []
            try:
                await self.db(self.store.finish_many, [end for end, _ in batch])
            except BaseException as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc if isinstance(exc, Exception) else RuntimeError("stopped"))
                if not isinstance(exc, Exception):
                    raise
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    def close(self) -> None:
        for pool in (self._db_pool, self._brief_pool):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        self._db_pool = self._brief_pool = None

    async def run(
        self,
        spec: ScheduleSpec,
        run_key: str,
        *,
        slot: datetime | None = None,
        channels: tuple[str, ...] | None = None,
    ) -> list[ChannelOutcome]:
        """Post ``spec``'s digest for ``run_key`` (the slot's key, or a manual key) to its
        channels — or to ``channels`` (a retry) — wherever this run wins the claim."""
        channels = channels or spec.channels
        deliver = self.deliverers.get(spec.platform)
        if deliver is None:
            # Claim nothing: a process that can post to this platform will take the run.
            detail = f"{spec.platform} is not connected in this process, so it left the run to one that is"
            return [ChannelOutcome(ch, "unavailable", detail) for ch in channels]
        claims = await self.db(self.store.claim_many, spec.id, spec.platform, list(channels), run_key)
        outcomes = [
            ChannelOutcome(c.channel, "taken", c.error, found=c.status, attempt=c.attempts)
            for c in claims.values()
            if c.post_id is None
        ]
        live = {c.channel: c for c in claims.values() if c.post_id is not None}
        if not live:
            log.info("schedule %s run %s: already claimed everywhere", spec.id, run_key)
            return outcomes
        open_ids = {c.post_id for c in live.values() if c.post_id is not None}
        heartbeat = asyncio.ensure_future(self._heartbeat(open_ids))
        try:
            try:
                batch = await self._collect(spec, list(live))
            except Exception as exc:
                if not isinstance(exc, BriefbotError):
                    log.exception("schedule %s: reading %s failed", spec.id, spec.source)
                message = user_message(exc)
                failed = [await self._fail(c, message, slot) for c in live.values()]
                return outcomes + failed
            label = run_label(spec, slot) if slot else _manual_label(run_key)

            async def one(claim: Claim) -> ChannelOutcome:
                try:
                    return await self._deliver(spec, run_key, label, slot, claim, batch, deliver)
                finally:
                    open_ids.discard(claim.post_id)

            outcomes += await asyncio.gather(*(one(c) for c in live.values()))
            return outcomes
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    async def _heartbeat(self, post_ids: set[int]) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                await self.db(self.store.touch, sorted(post_ids))
            except Exception:
                log.exception("could not refresh the running claims")

    async def _collect(self, spec: ScheduleSpec, channels: list[str]) -> _Batch:
        """The source's articles, stored, with the same story appearing twice kept once; and
        what each channel already has (one query for the run, not one per channel and article)."""
        found: list[SourceArticle] = await self.db(collect, spec.source, spec.articles * 3)

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
            batch.delivered = self.store.delivered_ids(spec.platform, channels)
            batch.signatures = self.store.signatures(set().union(*batch.delivered.values()))
            return batch

        return await self.db(store_all)

    def _retry_at(self, slot: datetime | None, attempt: int) -> datetime | None:
        """When a failed scheduled run is tried again: backoff, within the grace period."""
        if slot is None or attempt >= MAX_ATTEMPTS:
            return None
        delay = min(self.retry_base_seconds * 2 ** (attempt - 1), RETRY_MAX_SECONDS)
        at = datetime.now(UTC) + timedelta(seconds=delay)
        return at if at <= slot + timedelta(seconds=self.grace_seconds) else None

    async def _fail(self, claim: Claim, message: str, slot: datetime | None) -> ChannelOutcome:
        retry_at = self._retry_at(slot, claim.attempts)
        await self.finish(claim.post_id, FAILED, error=message, retry_at=retry_at)
        return ChannelOutcome(claim.channel, FAILED, message, attempt=claim.attempts, retry_at=retry_at)

    async def _deliver(
        self,
        spec: ScheduleSpec,
        run_key: str,
        label: str,
        slot: datetime | None,
        claim: Claim,
        batch: _Batch,
        deliver: Deliverer,
    ) -> ChannelOutcome:
        channel, post_id = claim.channel, claim.post_id
        assert post_id is not None
        sending = False
        try:
            fresh = batch.fresh_for(channel)
            items, skipped = await self._items(fresh, spec, batch)
            digest = Digest(spec.id, run_key, label, tuple(items), thread=spec.thread)
            note = _skipped_note(skipped)
            if digest.empty and self.nothing_new == "skip":
                await self.finish(post_id, EMPTY, error=note)
                return ChannelOutcome(channel, EMPTY, note, skipped=skipped, attempt=claim.attempts)
            if not await self.db(self.store.start_sending, post_id):
                # A sweep took the row (this process looked dead): it is no longer ours to post.
                return ChannelOutcome(channel, "taken", found=FAILED, attempt=claim.attempts)
            sending = True
            receipt = await deliver(channel, digest)
        except asyncio.CancelledError:
            # Stopped: before the first message, nothing went out and the run may be retried;
            # after it, no one can say what arrived.
            if sending:
                await self.finish(post_id, UNKNOWN, error="the bot stopped while posting")
            else:
                at = self._retry_at(slot, claim.attempts)
                await self.finish(post_id, FAILED, error="the bot stopped before posting", retry_at=at)
            raise
        except DeliveryError as exc:
            if exc.sent == 0:
                return await self._fail(claim, exc.message, slot)
            ids = [item.article_id for item in digest.items]
            if exc.sent is None:
                await self.finish(post_id, UNKNOWN, error=exc.message, delivered=None)
                return ChannelOutcome(channel, UNKNOWN, exc.message, attempt=claim.attempts)
            # Part of the digest is in the channel: its articles count as delivered.
            detail = f"{exc.sent} message{'s' if exc.sent != 1 else ''} went out, then: {exc.message}"
            await self.finish(post_id, PARTIAL, error=detail, delivered=(ids, spec.platform, channel))
            return ChannelOutcome(channel, PARTIAL, detail, attempt=claim.attempts)
        except Exception as exc:
            if not isinstance(exc, BriefbotError):
                log.exception("schedule %s: delivery to %s failed", spec.id, channel)
            message = user_message(exc)
            if not sending:
                return await self._fail(claim, message, slot)
            await self.finish(post_id, UNKNOWN, error=message)
            return ChannelOutcome(channel, UNKNOWN, message, attempt=claim.attempts)
        await self.finish(
            post_id,
            POSTED,
            message_id=receipt.message_id,
            thread_id=receipt.thread_id,
            error=note,
            delivered=([a.article_id for a in digest.items], spec.platform, channel),
        )
        return ChannelOutcome(channel, POSTED, note, receipt=receipt, skipped=skipped, attempt=claim.attempts)

    async def _items(
        self, fresh: list[StoredArticle], spec: ScheduleSpec, batch: _Batch
    ) -> tuple[list[DigestItem], tuple[SkippedArticle, ...]]:
        """The first ``spec.articles`` of ``fresh`` that can be briefed, and those that could not."""
        pending = [self._briefing(a, spec.points, batch) for a in fresh[: spec.articles]]  # start them together
        items: list[DigestItem] = []
        skipped: list[SkippedArticle] = []
        for n, article in enumerate(fresh):
            if len(items) >= spec.articles:
                break
            made = await (pending[n] if n < len(pending) else self._briefing(article, spec.points, batch))
            if isinstance(made, SkippedArticle):
                skipped.append(made)
            else:
                items.append(DigestItem(article.id, article.url, made))
        for extra in pending[len(items) + len(skipped) :]:
            extra.cancel()
        return items, tuple(skipped)

    def _briefing(
        self, article: StoredArticle, points: int, batch: _Batch
    ) -> asyncio.Future[Briefing | SkippedArticle]:
        """The article's briefing (or why it has none): made once however many channels and
        runs want it at the same time, and read back from the store by later runs."""
        if article.id in batch.briefings:
            done: asyncio.Future[Briefing | SkippedArticle] = asyncio.get_running_loop().create_future()
            done.set_result(batch.briefings[article.id])
            return done
        key = (article.id, points)
        task = self._in_flight.get(key)
        if task is None:
            task = asyncio.ensure_future(self._make_briefing(article, points, batch.texts[article.id]))
            self._in_flight[key] = task
            task.add_done_callback(lambda _: self._in_flight.pop(key, None))

        def keep(made: asyncio.Future[Briefing | SkippedArticle]) -> None:
            if not made.cancelled() and made.exception() is None:
                batch.briefings[article.id] = made.result()

        task.add_done_callback(keep)
        # shield: one channel being cancelled must not cancel the others' briefing.
        return asyncio.shield(task)

    async def _make_briefing(
        self, article: StoredArticle, points: int, source: SourceArticle
    ) -> Briefing | SkippedArticle:
        name = self.translator_name
        briefing = await self.db(self.store.cached_briefing, article.id, points, name)
        if briefing is not None:
            return briefing
        failed_before = await self.db(self.store.briefing_failure, article.id, points, name)
        if failed_before is not None:
            return SkippedArticle(article.id, article.url, failed_before)
        if self._brief_pool is None:
            self._brief_pool = ThreadPoolExecutor(self.briefing_concurrency, thread_name_prefix="briefbot-brief")
        make = functools.partial(
            summarize, source.text, points, source=source.url, title=source.title, translator=self.translator
        )
        try:
            briefing = await asyncio.get_running_loop().run_in_executor(self._brief_pool, make)
        except BriefbotError as exc:
            # The article itself is the problem (it cleans to nothing, say): skip it from now on.
            log.warning("schedule: skipping %s: %s", article.url, exc.message)
            await self.db(self.store.remember_briefing_failure, article.id, points, name, exc.message)
            return SkippedArticle(article.id, article.url, exc.message)
        except Exception as exc:
            log.exception("schedule: briefing %s failed", article.url)
            return SkippedArticle(article.id, article.url, user_message(exc))
        # Stored under the translator's name only if that translator made it: a briefing that
        # fell back to the glossary (the LLM failed this once) must not stand in for later runs.
        if briefing.translator.name == name:
            await self.db(self.store.save_briefing, article.id, points, name, briefing)
        return briefing


def _skipped_note(skipped: tuple[SkippedArticle, ...]) -> str | None:
    if not skipped:
        return None
    first = skipped[0]
    more = f" and {len(skipped) - 1} more" if len(skipped) > 1 else ""
    count = f"{len(skipped)} article{'s' if len(skipped) != 1 else ''}"
    return f"skipped {count} that could not be briefed: {first.url or 'an article'} ({first.reason}){more}"


def run_key_for(slot: datetime) -> str:
    """A scheduled run's key: its slot as a UTC instant (the repeated 01:30 is two instants)."""
    return slot.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def slot_of(run_key: str) -> datetime | None:
    """The slot a scheduled run key names; None for a manual run."""
    if run_key.startswith(MANUAL_PREFIX):
        return None
    try:
        return datetime.strptime(run_key, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def run_label(spec: ScheduleSpec, slot: datetime) -> str:
    """The slot as people read it: local time with the zone's abbreviation."""
    return slot.astimezone(zone(spec.timezone)).strftime("%Y-%m-%d %H:%M %Z")


def describe_run(spec: ScheduleSpec, run_key: str) -> str:
    slot = slot_of(run_key)
    if slot is not None:
        return run_label(spec, slot)
    return "manual run " + _manual_label(run_key)


def manual_run_key(spec: ScheduleSpec, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return MANUAL_PREFIX + now.astimezone(zone(spec.timezone)).strftime("%Y-%m-%d")


def _manual_label(run_key: str) -> str:
    return run_key.removeprefix(MANUAL_PREFIX)[:10]


def due_slot(spec: ScheduleSpec, now: datetime, grace_seconds: int) -> datetime | None:
    """The latest fire time of ``spec`` within the grace window before ``now`` (UTC).

    Scheduled jobs are handed their slot by the scheduler; this is for a job that was not
    (one stored by an older briefbot). Each step starts after the last fire time in UTC.
    """
    trigger = trigger_for(spec.when, spec.timezone)
    fire = trigger.get_next_fire_time(None, now - timedelta(seconds=grace_seconds))
    last = None
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, now)
    return last.astimezone(UTC) if last is not None else None

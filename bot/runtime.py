"""What a running bot holds: config, store, runner and scheduler, shared by every adapter.

``briefbot serve``, ``briefbot chat`` and ``briefbot schedule`` build one of these; the
scheduled jobs run with it (``bot.schedule.jobs.install``), and adapters get schedule
contexts from it and never touch the scheduler themselves. An adapter that connects
registers its deliverer (``runtime.deliverers["slack"] = …``); from then on this process
runs that platform's schedules.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.base import BaseScheduler

from bot.chat.schedule import AdminCheck, ScheduleContext
from bot.chat.settings import ChannelSettings, SettingsContext, effective
from bot.chat.workers import Workers
from bot.config import Config, database_url
from bot.schedule.jobs import (
    MAINTENANCE_SECONDS,
    add_job,
    add_maintenance,
    attached,
    build_scheduler,
    install,
    job_store,
    remove_job,
    sync_jobs,
)
from bot.schedule.runner import ChannelOutcome, Deliverer, Runner, manual_run_key, slot_of
from bot.schedule.spec import ScheduleSpec
from bot.store import Store, StoreCache
from bot.translate.base import Translator
from bot.translate.choose import make_translator

log = logging.getLogger(__name__)

#: Seconds without a refresh after which a running row is taken to belong to a stopped process
#: (a running process refreshes its rows every ``Runner.heartbeat_seconds``, 30 s by default).
STALE_SECONDS = 180.0


class Deliverers(dict[str, Deliverer]):
    """The platforms this process can post to; tells the runtime when one is added."""

    def __init__(self, *args: object, on_add: Callable[[str], None] | None = None) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.on_add = on_add

    def __setitem__(self, platform: str, deliverer: Deliverer) -> None:
        new = platform not in self
        super().__setitem__(platform, deliverer)
        if new and self.on_add is not None:
            self.on_add(platform)


@dataclass
class BotRuntime:
    config: Config
    store: Store
    runner: Runner
    scheduler: BaseScheduler | None = None
    stale_seconds: float = STALE_SECONDS
    maintenance_seconds: float = MAINTENANCE_SECONDS
    #: The bounded pools and queue (``briefbot serve``); ``bot.chat.briefer.brief_text`` briefs in them.
    workers: Workers | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        deliverers = Deliverers(self.runner.deliverers, on_add=self._platform_added)
        self.runner.deliverers = deliverers

    @classmethod
    def create(
        cls,
        config: Config,
        deliverers: dict[str, Deliverer],
        *,
        translator: Translator | None = None,
        stale_seconds: float = STALE_SECONDS,
        translator_name: str | None = None,
    ) -> BotRuntime:
        """Open the store, load the config's schedules, and mark runs cut off by a stopped
        process (``unknown``, or ``failed`` when nothing was sent yet). Call at start-up.
        ``translator_name`` (a --translator flag) wins over the config and ``BRIEFBOT_TRANSLATOR``."""
        store = Store(database_url(config))
        if translator is None:
            translator = make_translator(translator_name, config=config, cache=StoreCache(store))
        preload = getattr(translator, "preload", None)
        if callable(preload):
            preload()  # an offline model loads once, here, before any request or scheduled run waits on it
        runner = Runner(
            store, deliverers, nothing_new=config.nothing_new, translator=translator, grace_seconds=config.grace_seconds
        )
        runtime = cls(config, store, runner, stale_seconds=stale_seconds)
        runtime.load_config_schedules()
        runtime.sweep()
        return runtime

    @property
    def deliverers(self) -> Deliverers:
        return self.runner.deliverers  # type: ignore[return-value]

    @property
    def grace_seconds(self) -> int:
        return self.config.grace_seconds

    def load_config_schedules(self) -> None:
        """The config file's schedules replace the stored ones that came from the config."""
        wanted = {s.id for s in self.config.schedules}
        for spec in self.store.schedules():
            if spec.origin == "config" and spec.id not in wanted:
                self.store.remove_schedule(spec.id)
        for spec in self.config.schedules:
            self.store.upsert_schedule(spec.with_origin("config"))

    def sweep(self) -> None:
        """Blocking: mark the rows of runs whose process stopped."""
        unknown, failed = self.store.sweep_stale(self.stale_seconds)
        if unknown:
            log.warning(
                "%d scheduled post(s) were cut off mid-post by a stop: status unknown (see schedule list)", unknown
            )
        if failed:
            log.warning("%d scheduled post(s) stopped before posting: they will be retried", failed)

    async def start_scheduler(self) -> BaseScheduler:
        """Start APScheduler in its own thread (needs a running loop for the jobs); due runs
        within the grace period fire now. The platforms already registered get their jobs."""
        install(self)
        loop = asyncio.get_running_loop()

        def start() -> BaseScheduler:
            with self._lock:
                scheduler = build_scheduler(
                    self.store, self.config.grace_seconds, platforms=list(self.deliverers), loop=loop
                )
                scheduler.start(paused=True)
                sync_jobs(scheduler, self.store.schedules())
                add_maintenance(scheduler, self.maintenance_seconds)
                scheduler.resume()
                self.scheduler = scheduler
                self._attach_new_platforms()  # any that connected while this started
                return scheduler

        return await self.runner.db(start)

    def _platform_added(self, platform: str) -> None:
        """A platform connected after the scheduler started: attach its job store too."""
        if self.scheduler is None:
            return

        def attach() -> None:
            with self._lock:
                self._attach_new_platforms()

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            attach()
        else:
            loop.run_in_executor(None, attach)

    def _attach_new_platforms(self) -> None:
        scheduler = self.scheduler
        if scheduler is None or not scheduler.running:
            return
        for platform in sorted(set(self.deliverers) - attached(scheduler)):
            scheduler.add_jobstore(job_store(self.store, platform), alias=platform)
            sync_jobs(scheduler, self.store.schedules(), [platform])
            log.info("scheduler: now running %s schedules here", platform)

    async def maintain(self) -> None:
        """Sweep stopped processes' rows; retry failed scheduled runs whose time has come."""
        await self.runner.db(self.sweep)
        platforms = list(self.deliverers)
        for retry in await self.runner.db(self.store.due_retries, platforms):
            spec = await self.runner.db(self.store.get_schedule, retry.schedule_id)
            slot = slot_of(retry.run_key)
            if spec is None or slot is None:
                continue
            outcomes = await self.runner.run(spec, retry.run_key, slot=slot, channels=retry.channels)
            for o in outcomes:
                log.info("schedule %s retry of %s → %s: %s", spec.id, retry.run_key, o.channel, o.status)

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        install(None)
        self.runner.close()
        self.store.close()

    def on_change(self, spec: ScheduleSpec | None, schedule_id: str) -> None:
        """Blocking (it writes the job store): call it off the event loop."""
        if self.scheduler is None:
            return
        with self._lock:
            if spec is None:
                remove_job(self.scheduler, schedule_id)
            else:
                add_job(self.scheduler, spec)

    async def run_now(self, spec: ScheduleSpec) -> list[ChannelOutcome]:
        return await self.runner.run(spec, manual_run_key(spec))

    def channel_settings(self, platform: str, channel: str) -> ChannelSettings:
        """What a channel gets (its admins' choice, the config, the defaults); blocking: a store read."""
        return effective(self.store, self.config, platform, channel)

    def settings_context(
        self, *, platform: str, channel: str, user: str, admins: AdminCheck, locale: str = "en"
    ) -> SettingsContext:
        return SettingsContext(
            store=self.store,
            platform=platform,
            channel=channel,
            user=user,
            admins=admins,
            config=self.config,
            locale=locale,
        )

    def schedule_context(
        self,
        *,
        platform: str,
        channel: str,
        user: str,
        admins: AdminCheck,
        allow_local_sources: bool = False,
        locale: str = "en",
    ) -> ScheduleContext:
        return ScheduleContext(
            store=self.store,
            platform=platform,
            channel=channel,
            user=user,
            admins=admins,
            default_timezone=self.config.timezone,
            allow_local_sources=allow_local_sources,
            on_change=self.on_change,
            run_now=self.run_now,
            locale=locale,
        )

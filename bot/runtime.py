"""What a running bot holds: config, store, runner and scheduler, shared by every adapter.

``briefbot serve``, ``briefbot chat`` and ``briefbot schedule`` build one of these; the
scheduled jobs run with it (``bot.schedule.jobs.install``), and adapters get schedule
contexts from it and never touch the scheduler themselves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.chat.schedule import AdminCheck, ScheduleContext
from bot.chat.settings import ChannelSettings, SettingsContext, effective
from bot.config import Config, database_url
from bot.schedule.jobs import add_job, build_scheduler, install, remove_job, sync_jobs
from bot.schedule.runner import ChannelOutcome, Deliverer, Runner, manual_run_key
from bot.schedule.spec import ScheduleSpec
from bot.store import Store, StoreCache
from bot.translate.base import Translator
from bot.translate.choose import make_translator

log = logging.getLogger(__name__)


@dataclass
class BotRuntime:
    config: Config
    store: Store
    runner: Runner
    scheduler: AsyncIOScheduler | None = None
    deliverers: dict[str, Deliverer] = field(default_factory=dict)

    @classmethod
    def create(
        cls, config: Config, deliverers: dict[str, Deliverer], *, translator: Translator | None = None
    ) -> BotRuntime:
        store = Store(database_url(config))
        if translator is None:
            translator = make_translator(config=config, cache=StoreCache(store))
        preload = getattr(translator, "preload", None)
        if callable(preload):
            preload()  # an offline model loads once, here, before any request or scheduled run waits on it
        runner = Runner(store, deliverers, nothing_new=config.nothing_new, translator=translator)
        runtime = cls(config, store, runner, deliverers=deliverers)
        runtime.load_config_schedules()
        return runtime

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

    async def start_scheduler(self) -> AsyncIOScheduler:
        """Start APScheduler (needs a running loop); due runs within the grace period fire now."""
        install(self)
        scheduler = build_scheduler(self.store, self.config.grace_seconds)
        scheduler.start(paused=True)
        sync_jobs(scheduler, self.store.schedules())
        scheduler.resume()
        self.scheduler = scheduler
        return scheduler

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        install(None)
        self.store.close()

    def on_change(self, spec: ScheduleSpec | None, schedule_id: str) -> None:
        if self.scheduler is None:
            return
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

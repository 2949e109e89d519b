"""APScheduler 3.11 wiring: one job per schedule, stored in the bot's own database.

Jobs carry only the schedule id (they are pickled into the job store); the live
objects a run needs — the bot's runtime: store, runner, deliverers — are installed in
this module by the process that runs the scheduler.

- **Off the loop.** The scheduler is a ``BackgroundScheduler``: its own thread reads and
  writes the job store, so a slow or locked database never stalls the event loop that
  answers Slack and Discord. ``LoopExecutor`` hands each due job's coroutine to that loop.
- **The slot comes from APScheduler.** The executor passes each job the time it was
  scheduled for (``scheduled_run_time``); nothing recomputes it from the clock.
- **One job store per platform** (``apscheduler_jobs_slack``, ``…_discord``, ``…_shell``): a
  process only attaches the stores of platforms it can post to, so a Slack-only replica
  never fires — and never uses up — a Discord schedule's run.
- A run due while the bot was down is posted on start if it is within the grace period,
  and otherwise recorded as missed. A maintenance job (in memory, every process) sweeps
  rows whose process stopped and retries failed runs.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Iterable
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.executors.base import BaseExecutor
from apscheduler.job import Job
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

from bot import metrics
from bot.schedule.runner import ChannelOutcome, Runner, due_slot, run_key_for
from bot.schedule.spec import ScheduleSpec, trigger_for
from bot.store import Store

log = logging.getLogger(__name__)

JOB_PREFIX = "schedule:"
JOB_FUNCTION = "bot.schedule.jobs:scheduled_job"
MAINTENANCE_JOB = "maintenance"
#: Seconds between two maintenance passes (sweep stale claims, retry failed runs).
MAINTENANCE_SECONDS = 30.0


class JobHost(Protocol):
    """What a scheduled job runs with (``bot.runtime.BotRuntime`` in a running bot)."""

    @property
    def store(self) -> Store: ...

    @property
    def runner(self) -> Runner: ...

    @property
    def grace_seconds(self) -> int: ...

    async def maintain(self) -> None: ...


_runtime: JobHost | None = None


def install(runtime: JobHost | None) -> None:
    """Give scheduled jobs in this process the objects they run with."""
    global _runtime
    _runtime = runtime


def table_for(platform: str) -> str:
    """The job store table of a platform's schedules."""
    return f"apscheduler_jobs_{platform}"


def job_store(store: Store, platform: str) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(engine=store.engine, tablename=table_for(platform))


async def scheduled_job(schedule_id: str, scheduled_run_time: datetime | None = None) -> list[ChannelOutcome]:
    """The job APScheduler runs: plain data in, everything else from the installed runtime."""
    runtime = _runtime
    if runtime is None:
        log.error("schedule %s fired but no runtime is installed", schedule_id)
        return []
    runner = runtime.runner
    spec = await runner.db(runtime.store.get_schedule, schedule_id)
    if spec is None:
        log.warning("schedule %s fired but no longer exists", schedule_id)
        return []
    now = datetime.now(UTC)
    slot = scheduled_run_time or due_slot(spec, now, runtime.grace_seconds)
    if slot is None:
        log.warning("schedule %s fired with no slot within the grace period", schedule_id)
        return []
    slot = slot.astimezone(UTC)
    run_key = run_key_for(slot)
    if now - slot > timedelta(seconds=runtime.grace_seconds):
        await runner.db(_record_missed, runtime.store, spec, run_key)
        return []
    outcomes = await runner.run(spec, run_key, slot=slot)
    _log(spec, run_key, outcomes)
    return outcomes


def _record_missed(store: Store, spec: ScheduleSpec, run_key: str) -> None:
    for channel in spec.channels:
        if store.record_missed(spec.id, spec.platform, channel, run_key):
            log.warning("schedule %s run %s for %s missed (past the grace period)", spec.id, run_key, channel)
            metrics.record_scheduled_run(spec.platform, "missed")


def _log(spec: ScheduleSpec, run_key: str, outcomes: list[ChannelOutcome]) -> None:
    for o in outcomes:
        log.info(
            "schedule %s run %s → %s: %s%s", spec.id, run_key, o.channel, o.status, f" ({o.detail})" if o.detail else ""
        )
        if o.status != "taken":  # taken: another process ran it, and counts it
            metrics.record_scheduled_run(spec.platform, o.status)


async def maintenance_job(scheduled_run_time: datetime | None = None) -> None:
    """Sweep rows whose process stopped, and retry failed runs whose time has come."""
    runtime = _runtime
    if runtime is not None:
        await runtime.maintain()


class LoopExecutor(BaseExecutor):
    """Runs coroutine jobs on the bot's event loop, submitted from the scheduler's thread.

    Each job is called with ``scheduled_run_time``: the slot APScheduler computed (with
    ``coalesce``, the latest of those that fell due). The job decides what a late slot means.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._loop = loop
        self._futures: set[Future[Any]] = set()

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        coroutine = self._run(job, run_times)
        try:
            future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        except RuntimeError:
            # The event loop closed while the scheduler's thread was submitting (the process is
            # stopping): nothing runs, as when the scheduler shuts down first.
            coroutine.close()
            log.info("schedule: job %s not started, the bot is stopping", job.id)
            self._run_job_success(job.id, [])
            return
        self._futures.add(future)

        def done(f: Future[Any]) -> None:
            self._futures.discard(f)
            if f.cancelled():  # the scheduler is shutting down
                self._run_job_success(job.id, [])
                return
            try:
                events = f.result()
            except BaseException:
                self._run_job_error(job.id, *sys.exc_info()[1:])
            else:
                self._run_job_success(job.id, events)

        future.add_done_callback(done)

    async def _run(self, job: Job, run_times: list[datetime]) -> list[JobExecutionEvent]:
        events = []
        for run_time in run_times:
            try:
                result = await job.func(*job.args, scheduled_run_time=run_time, **job.kwargs)
            except Exception as exc:
                log.exception("job %s failed", job.id)
                tb = "".join(traceback.format_tb(exc.__traceback__))
                events.append(
                    JobExecutionEvent(
                        EVENT_JOB_ERROR, job.id, job._jobstore_alias, run_time, exception=exc, traceback=tb
                    )
                )
            else:
                events.append(
                    JobExecutionEvent(EVENT_JOB_EXECUTED, job.id, job._jobstore_alias, run_time, retval=result)
                )
        return events

    def shutdown(self, wait: bool = True) -> None:
        for future in list(self._futures):
            future.cancel()
        self._futures.clear()


def build_scheduler(
    store: Store,
    grace_seconds: int,
    *,
    platforms: Iterable[str],
    loop: asyncio.AbstractEventLoop | None = None,
) -> BackgroundScheduler:
    """A scheduler (not started) with a job store for each of ``platforms``."""
    loop = loop or asyncio.get_running_loop()
    jobstores: dict[str, Any] = {"default": MemoryJobStore()}
    for platform in sorted(set(platforms)):
        jobstores[platform] = job_store(store, platform)
    scheduler = BackgroundScheduler(
        jobstores=jobstores,
        executors={"default": LoopExecutor(loop)},
        # The job decides about late runs (grace), so APScheduler never drops one itself.
        job_defaults={"coalesce": True, "max_instances": 4, "misfire_grace_time": None},
        timezone=UTC,
    )

    def on_max_instances(event: JobSubmissionEvent) -> None:
        # Runs in the scheduler's thread: a slot APScheduler would drop silently is recorded.
        schedule_id = event.job_id.removeprefix(JOB_PREFIX)
        spec = store.get_schedule(schedule_id)
        if spec is not None:
            for run_time in event.scheduled_run_times:
                _record_missed(store, spec, run_key_for(run_time))

    scheduler.add_listener(on_max_instances, EVENT_JOB_MAX_INSTANCES)
    return scheduler


def add_maintenance(scheduler: BaseScheduler, seconds: float = MAINTENANCE_SECONDS) -> None:
    """The per-process maintenance job, in memory (every process sweeps and retries)."""
    scheduler.add_job(
        "bot.schedule.jobs:maintenance_job",
        "interval",
        seconds=seconds,
        id=MAINTENANCE_JOB,
        jobstore="default",
        replace_existing=True,
        next_run_time=datetime.now(UTC),
    )


def attached(scheduler: BaseScheduler) -> set[str]:
    """The platforms whose job stores this scheduler holds."""
    return {alias for alias in scheduler._jobstores if alias != "default"}


def sync_jobs(scheduler: BaseScheduler, specs: list[ScheduleSpec], platforms: Iterable[str] | None = None) -> None:
    """One job per schedule, in its platform's store; call between ``start(paused=True)``
    and ``resume()`` (blocking: it reads and writes the job store).

    A job whose schedule is unchanged keeps its stored next run time, so a run that
    fell due while the bot was down is still seen (and posted or recorded as missed).
    """
    stores = attached(scheduler) if platforms is None else set(platforms) & attached(scheduler)
    wanted = {JOB_PREFIX + s.id: s for s in specs if s.platform in stores}
    for alias in stores:
        for job in scheduler.get_jobs(jobstore=alias):
            if job.id.startswith(JOB_PREFIX) and (job.id not in wanted or wanted[job.id].platform != alias):
                job.remove()
    for job_id, spec in wanted.items():
        add_job(scheduler, spec, job_id=job_id)


def add_job(scheduler: BaseScheduler, spec: ScheduleSpec, *, job_id: str | None = None) -> None:
    """Add or update ``spec``'s job (blocking); a platform this process does not serve is
    left to a process that does."""
    if spec.platform not in attached(scheduler):
        return
    job_id = job_id or JOB_PREFIX + spec.id
    trigger = trigger_for(spec.when, spec.timezone)
    existing = scheduler.get_job(job_id, jobstore=spec.platform)
    unchanged = (
        existing is not None
        and existing.func_ref == JOB_FUNCTION
        and repr(existing.trigger) == repr(trigger)
        and list(existing.args) == [spec.id]
    )
    if unchanged:
        return
    scheduler.add_job(
        JOB_FUNCTION,
        trigger=trigger,
        id=job_id,
        name=f"briefing {spec.id}",
        args=[spec.id],
        jobstore=spec.platform,
        replace_existing=True,
    )


def remove_job(scheduler: BaseScheduler, schedule_id: str) -> None:
    for alias in attached(scheduler):
        job = scheduler.get_job(JOB_PREFIX + schedule_id, jobstore=alias)
        if job is not None:
            job.remove()

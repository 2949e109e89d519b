"""APScheduler 3.11 wiring: one job per schedule, stored in the bot's own database.

Jobs carry only the schedule id (they are pickled into the job store); the live
objects a run needs — the bot's runtime: store, runner, deliverers — are installed in
this module by the process that runs the scheduler. A run missed while the bot was down
is posted on start if it is within the grace period, and otherwise recorded as missed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Protocol

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import metrics
from bot.schedule.runner import Runner, due_slot, run_key_for
from bot.schedule.spec import ScheduleSpec, trigger_for
from bot.store import Store

log = logging.getLogger(__name__)

JOB_PREFIX = "schedule:"
JOB_FUNCTION = "bot.schedule.jobs:scheduled_job"


class JobHost(Protocol):
    """What a scheduled job runs with (``bot.runtime.BotRuntime`` in a running bot)."""

    @property
    def store(self) -> Store: ...

    @property
    def runner(self) -> Runner: ...

    @property
    def grace_seconds(self) -> int: ...


_runtime: JobHost | None = None


def install(runtime: JobHost | None) -> None:
    """Give scheduled jobs in this process the objects they run with."""
    global _runtime
    _runtime = runtime


async def scheduled_job(schedule_id: str) -> None:
    """The job APScheduler runs: plain data in, everything else from the installed runtime."""
    runtime = _runtime
    if runtime is None:
        log.error("schedule %s fired but no runtime is installed", schedule_id)
        return
    spec = runtime.store.get_schedule(schedule_id)
    if spec is None:
        log.warning("schedule %s fired but no longer exists", schedule_id)
        return
    now = datetime.now(UTC)
    slot = due_slot(spec, now, runtime.grace_seconds)
    run_key = run_key_for(spec, slot or now)
    outcomes = await runtime.runner.run(spec, run_key)
    for o in outcomes:
        log.info(
            "schedule %s run %s → %s: %s%s", spec.id, run_key, o.channel, o.status, f" ({o.detail})" if o.detail else ""
        )
        if o.status != "taken":  # taken: another process ran it, and counts it
            metrics.record_scheduled_run(spec.platform, o.status)


def build_scheduler(store: Store, grace_seconds: int) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=store.engine, tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": max(1, grace_seconds)},
        timezone=UTC,
    )

    def on_missed(event: JobExecutionEvent) -> None:
        schedule_id = event.job_id.removeprefix(JOB_PREFIX)
        spec = store.get_schedule(schedule_id)
        if spec is None:
            return
        run_key = run_key_for(spec, event.scheduled_run_time)
        for channel in spec.channels:
            if store.record_missed(spec.id, spec.platform, channel, run_key):
                log.warning("schedule %s run %s for %s missed (past the grace period)", spec.id, run_key, channel)
                metrics.record_scheduled_run(spec.platform, "missed")

    scheduler.add_listener(on_missed, EVENT_JOB_MISSED)
    return scheduler


def sync_jobs(scheduler: AsyncIOScheduler, specs: list[ScheduleSpec]) -> None:
    """One job per schedule; call between ``start(paused=True)`` and ``resume()``.

    A job whose schedule is unchanged keeps its stored next run time, so a run that
    fell due while the bot was down is still seen (and posted or recorded as missed).
    """
    wanted = {JOB_PREFIX + s.id: s for s in specs}
    for job in scheduler.get_jobs():
        if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
            job.remove()
    for job_id, spec in wanted.items():
        add_job(scheduler, spec, job_id=job_id)


def add_job(scheduler: AsyncIOScheduler, spec: ScheduleSpec, *, job_id: str | None = None) -> None:
    job_id = job_id or JOB_PREFIX + spec.id
    trigger = trigger_for(spec.when, spec.timezone)
    existing = scheduler.get_job(job_id)
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
        replace_existing=True,
    )


def remove_job(scheduler: AsyncIOScheduler, schedule_id: str) -> None:
    job = scheduler.get_job(JOB_PREFIX + schedule_id)
    if job is not None:
        job.remove()

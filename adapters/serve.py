"""``briefbot serve``: every adapter whose tokens are set, plus the scheduler, in one process.

Before anything listens, the worker processes (``bot.chat.workers``) and this process load
the models, so the first briefing is as fast as the rest. One HTTP port carries the health,
readiness and metrics routes (``adapters.health``), with Slack's events when Slack runs in
HTTP mode, and on their own otherwise (Socket Mode, Discord alone).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from adapters.deliverers import print_digest
from adapters.discussion import make_discussion_briefer
from adapters.health import Readiness, serve_health
from bot import metrics
from bot.chat.briefer import BriefOptions, make_briefer
from bot.chat.workers import Workers
from bot.config import Config, load_config
from bot.errors import ConfigError
from bot.runtime import BotRuntime
from bot.store import SeenEvents, Store

if TYPE_CHECKING:
    from adapters.discord.settings import DiscordSettings
    from adapters.slack.settings import SlackSettings

log = logging.getLogger("briefbot.serve")

#: Seconds to wait for the adapters to connect before the scheduler starts anyway.
CONNECT_WAIT = 30.0


def serve(args: argparse.Namespace) -> int:
    from adapters.discord.settings import load_discord_settings
    from adapters.slack.settings import load_slack_settings

    config = load_config(getattr(args, "config", None))
    slack = load_slack_settings()
    discord = load_discord_settings()
    if slack is None and discord is None:
        raise ConfigError(
            "Nothing to serve: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack, "
            "or DISCORD_BOT_TOKEN for Discord."
        )
    workers = Workers.from_env()
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    workers.start()  # the worker processes load the models while this one does
    try:
        from bot.text.analyse import preload

        # Scheduled runs still brief in this process: load here too, or the first one stalls the loop.
        preload()
        # What is loaded now lives as long as the process; the collector need not walk it again
        # and again (full collections over the models paused the loop under load).
        gc.freeze()
        points = args.points or config.points
        translator = getattr(args, "translator", None)
        asyncio.run(
            _serve(
                config,
                slack,
                discord,
                workers=workers,
                host=args.host,
                port=args.port,
                points=points,
                translator=translator,
            )
        )
    finally:
        workers.close()
    return 0


async def _serve(
    config: Config,
    slack: SlackSettings | None,
    discord: DiscordSettings | None,
    *,
    workers: Workers,
    host: str,
    port: int,
    points: int,
    translator: str | None = None,
) -> None:
    runtime = BotRuntime.create(config, {"shell": print_digest}, translator_name=translator)
    runtime.workers = workers
    briefer = make_briefer(BriefOptions(points=points, translator=runtime.runner.translator), workers)
    discuss = make_discussion_briefer(translator=runtime.runner.translator)
    readiness = Readiness()
    readiness.add("database", lambda: database_problem(runtime.store, workers))
    readiness.add("workers", lambda: workers_problem(workers))
    metrics.watch(workers)
    await workers.started()
    if workers.processes:
        log.info("%d worker process(es) ready, models loaded", workers.processes)
    jobs: list[Coroutine[Any, Any, None]] = []
    expected: set[str] = set()
    if slack is not None:
        from adapters.slack.redelivery import StoredEvents
        from adapters.slack.server import run_slack

        events = StoredEvents(SeenEvents(runtime.store), workers.store)
        jobs.append(
            run_slack(
                slack,
                host=host,
                port=port,
                briefer=briefer,
                runtime=runtime,
                discuss=discuss,
                readiness=readiness,
                events=events,
            )
        )
        expected.add("slack")
    if discord is not None:
        from adapters.discord.client import run_discord

        jobs.append(run_discord(discord, briefer=briefer, runtime=runtime, discuss=discuss, readiness=readiness))
        expected.add("discord")
    if slack is None or slack.socket_mode:  # else Slack's HTTP server carries these routes
        jobs.append(serve_health(readiness, host=host, port=port))
    try:
        await _run_all(jobs, runtime, expected)
    finally:
        metrics.watch(None)
        runtime.stop()


async def database_problem(store: Store, workers: Workers) -> str | None:
    def ping() -> None:
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await workers.store.run(ping)
    except Exception as exc:
        log.warning("readiness: the database does not answer", exc_info=True)
        return f"the database does not answer ({type(exc).__name__}); see the log."
    return None


async def workers_problem(workers: Workers) -> str | None:
    why = workers.saturated()
    return f"{why}; new briefings are told to try again in a minute." if why else None


async def _run_all(jobs: list[Coroutine[Any, Any, None]], runtime: BotRuntime, expected: set[str]) -> None:
    """Run the adapters, start the scheduler once they can deliver, stop on a signal or a failure."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(job) for job in jobs]
    stopper = asyncio.create_task(stop.wait())
    starter = asyncio.create_task(_start_scheduler_when_ready(runtime, expected, tasks))
    try:
        done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
    finally:  # also when serve itself is cancelled: no adapter outlives it
        for task in [*tasks, stopper, starter]:
            task.cancel()
        await asyncio.gather(*tasks, stopper, starter, return_exceptions=True)
    for task in done:
        if task is not stopper and not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    log.info("stopped")


async def _start_scheduler_when_ready(runtime: BotRuntime, expected: set[str], tasks: list[asyncio.Task]) -> None:
    # A run that fires before its platform can deliver would fail; wait (a while) for them.
    deadline = asyncio.get_running_loop().time() + CONNECT_WAIT
    while not expected <= runtime.deliverers.keys() and asyncio.get_running_loop().time() < deadline:
        if any(t.done() for t in tasks):
            return
        await asyncio.sleep(0.1)
    missing = expected - runtime.deliverers.keys()
    if missing:
        log.warning("starting the scheduler although %s is not connected yet", ", ".join(sorted(missing)))
    await runtime.start_scheduler()
    log.info("scheduler started with %d schedule(s)", len(runtime.store.schedules()))

"""``briefbot serve``: every adapter whose tokens are set, plus the scheduler, in one process."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from adapters.deliverers import print_digest
from bot.chat.briefer import BriefOptions, make_briefer
from bot.config import Config, load_config
from bot.errors import ConfigError
from bot.runtime import BotRuntime

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
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    points = args.points or config.points
    translator = getattr(args, "translator", None)
    asyncio.run(_serve(config, slack, discord, port=args.port, points=points, translator=translator))
    return 0


async def _serve(
    config: Config,
    slack: SlackSettings | None,
    discord: DiscordSettings | None,
    *,
    port: int,
    points: int,
    translator: str | None = None,
) -> None:
    runtime = BotRuntime.create(config, {"shell": print_digest}, translator_name=translator)
    briefer = make_briefer(BriefOptions(points=points, translator=runtime.runner.translator))
    jobs: list[Coroutine[Any, Any, None]] = []
    expected: set[str] = set()
    if slack is not None:
        from adapters.slack.server import run_slack

        jobs.append(run_slack(slack, port=port, briefer=briefer, runtime=runtime))
        expected.add("slack")
    if discord is not None:
        from adapters.discord.client import run_discord

        jobs.append(run_discord(discord, briefer=briefer, runtime=runtime))
        expected.add("discord")
    try:
        await _run_all(jobs, runtime, expected)
    finally:
        runtime.stop()


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
    done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
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

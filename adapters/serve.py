"""``briefbot serve``: run every adapter whose tokens are set, in one process."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from typing import Any

from bot.errors import ConfigError
from bot.service import BriefOptions, make_briefer

log = logging.getLogger("briefbot.serve")


def serve(args: argparse.Namespace) -> int:
    from adapters.discord.settings import load_discord_settings
    from adapters.slack.settings import load_slack_settings

    slack = load_slack_settings()
    discord = load_discord_settings()
    if slack is None and discord is None:
        raise ConfigError(
            "Nothing to serve: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack, "
            "or DISCORD_BOT_TOKEN for Discord."
        )
    briefer = make_briefer(BriefOptions(points=args.points or 5))
    jobs: list[Coroutine[Any, Any, None]] = []
    if slack is not None:
        from adapters.slack.server import run_slack

        jobs.append(run_slack(slack, port=args.port, briefer=briefer))
    if discord is not None:
        from adapters.discord.client import run_discord

        jobs.append(run_discord(discord, briefer=briefer))
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    asyncio.run(_run_all(jobs))
    return 0


async def _run_all(jobs: list[Coroutine[Any, Any, None]]) -> None:
    """Run the adapters until one fails or the process is told to stop."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(job) for job in jobs]
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
    for task in [*tasks, stopper]:
        task.cancel()
    await asyncio.gather(*tasks, stopper, return_exceptions=True)
    for task in done:
        if task is not stopper and not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    log.info("stopped")

"""Digest deliverers for the platforms whose tokens are set, for one-off runs."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from bot.schedule.digest import Digest, Receipt
from bot.schedule.runner import Deliverer

if TYPE_CHECKING:
    from bot.runtime import BotRuntime


async def print_digest(channel: str, digest: Digest) -> Receipt:
    """Schedules for the ``shell`` channel print on standard output when no terminal chat runs."""
    from adapters.shell.render import render_digest

    sys.stdout.write(render_digest(digest))
    return Receipt(message_id=None)


@contextlib.asynccontextmanager
async def open_deliverers(
    platforms: set[str], runtime: BotRuntime | None = None
) -> AsyncIterator[dict[str, Deliverer]]:
    """Deliverers for ``platforms`` over the platforms' web APIs (no event server, no gateway);
    ``runtime`` gives them the channels' settings (language, script, order) and the feedback store."""
    deliverers: dict[str, Deliverer] = {"shell": print_digest}
    async with contextlib.AsyncExitStack() as stack:
        if "slack" in platforms:
            from adapters.slack.digest import open_slack_deliverer

            slack_settings = (lambda channel: runtime.channel_settings("slack", channel)) if runtime else None
            deliverers["slack"] = await stack.enter_async_context(open_slack_deliverer(slack_settings))
        if "discord" in platforms:
            from adapters.discord.digest import open_discord_deliverer

            deliverers["discord"] = await stack.enter_async_context(open_discord_deliverer(runtime))
        yield deliverers

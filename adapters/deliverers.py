"""Digest deliverers for the platforms whose tokens are set, for one-off runs."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Callable

from bot.chat.settings import ChannelSettings
from bot.schedule.digest import Digest, Receipt
from bot.schedule.runner import Deliverer


async def print_digest(channel: str, digest: Digest) -> Receipt:
    """Schedules for the ``shell`` channel print on standard output when no terminal chat runs."""
    from adapters.shell.render import render_digest

    sys.stdout.write(render_digest(digest))
    return Receipt(message_id=None)


@contextlib.asynccontextmanager
async def open_deliverers(
    platforms: set[str], channel_settings: Callable[[str, str], ChannelSettings] | None = None
) -> AsyncIterator[dict[str, Deliverer]]:
    """Deliverers for ``platforms`` over the platforms' web APIs (no event server, no gateway);
    ``channel_settings(platform, channel)`` (blocking) gives each channel its locale, script and order."""
    deliverers: dict[str, Deliverer] = {"shell": print_digest}
    async with contextlib.AsyncExitStack() as stack:
        if "slack" in platforms:
            from adapters.slack.digest import open_slack_deliverer

            slack_settings = (lambda channel: channel_settings("slack", channel)) if channel_settings else None
            deliverers["slack"] = await stack.enter_async_context(open_slack_deliverer(slack_settings))
        if "discord" in platforms:
            from adapters.discord.digest import open_discord_deliverer

            deliverers["discord"] = await stack.enter_async_context(open_discord_deliverer())
        yield deliverers

"""``briefbot post discord CHANNEL_ID SOURCE [--thread] [--points N]``: post one briefing and exit.

REST only (no gateway), with the same renderer and delivery code as ``/brief``; for cron
jobs and scripts. Prints the briefing's message id (a thread started from it has the same id).
"""

from __future__ import annotations

import argparse
import asyncio

import discord

from adapters.discord.client import login, rest_client
from adapters.discord.commands import MISSING_TOKEN
from adapters.discord.deliver import Posted, post_briefing
from adapters.discord.errors import explain
from adapters.discord.locales import PLATFORM, Audience
from adapters.discord.settings import DiscordSettings, load_discord_settings
from bot.briefing import Briefing
from bot.chat.i18n import resolve_locale
from bot.chat.settings import ChannelSettings, configured
from bot.config import load_config
from bot.errors import ConfigError, InputError


def channel_id(raw: str) -> int:
    """Discord ids are positive integers (snowflakes); a name or a mention is not one."""
    text = raw.strip()
    if not text.isdigit() or int(text) == 0:
        raise InputError(
            "CHANNEL must be a Discord channel id (a number such as 123456789012345678), not {raw}; "
            "right-click the channel with Developer Mode on and choose Copy Channel ID.",
            raw=repr(raw),
        )
    return int(text)


def main(args: argparse.Namespace) -> int:
    channel = channel_id(args.channel)
    settings = load_discord_settings()
    if settings is None:
        raise ConfigError(MISSING_TOKEN)

    from bot.text.pipeline import brief_source
    from bot.translate.choose import for_command_line

    translator = for_command_line(getattr(args, "translator", None), getattr(args, "config", None))
    briefing = brief_source(args.source, points=args.points, translator=translator)
    # The channel's language, script and order as the config file gives them ([bot], [channels."discord:…"]).
    config = load_config(getattr(args, "config", None))
    chosen = configured(config, PLATFORM, str(channel))
    audience = Audience(resolve_locale(None, chosen.locale, None), chosen)
    posted = asyncio.run(post(settings, channel, briefing, thread=args.thread, audience=audience))
    print(posted.message_ids[0])
    return 0


async def post(
    settings: DiscordSettings, channel: int, briefing: Briefing, *, thread: bool, audience: Audience | None = None
) -> Posted:
    """Log in over REST, post ``briefing`` in ``channel`` (and its thread), log out."""
    audience = audience or Audience("en", ChannelSettings())
    client = rest_client(settings)
    try:
        await login(client, settings.token)
        target = await client.fetch_channel(channel)
        if not isinstance(target, discord.abc.Messageable):
            raise InputError(
                "Channel {channel} is not one messages can be posted in; give a text channel's id.", channel=channel
            )
        return await post_briefing(target, audience.show(briefing), audience.locale, thread=thread)
    except discord.DiscordException as exc:
        raise explain(exc, channel=channel) from None
    finally:
        await client.close()

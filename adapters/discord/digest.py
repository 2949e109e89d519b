"""The daily digest in Discord: one embed listing the new articles, and a thread under it.

The thread holds each article's full briefing, or — for a schedule with ``thread`` —
each article's key points as separate messages. Every send carries
``allowed_mentions`` none; discord.py keeps within Discord's rate-limit buckets itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import discord

from adapters.discord import limits
from adapters.discord.client import login, rest_client
from adapters.discord.deliver import NO_PINGS, can_start_thread
from adapters.discord.errors import explain
from adapters.discord.render import COLOUR, briefing_messages, safe, thread_messages
from adapters.discord.settings import load_discord_settings
from bot.errors import BriefbotError, ConfigError
from bot.schedule.digest import NOTHING_NEW, Digest, Receipt
from bot.schedule.runner import Deliverer


def digest_embeds(digest: Digest) -> list[list[discord.Embed]]:
    """The digest message(s): one field per article, packed into embeds and messages within the limits."""
    title = f"Daily briefing · {digest.label}"
    if digest.empty:
        return [[discord.Embed(title=title, description=NOTHING_NEW, colour=COLOUR)]]
    footer = f"{len(digest.items)} new · full briefings in the thread"
    budget = limits.EMBEDS_TOTAL - len(title) - len(footer)
    messages: list[list[discord.Embed]] = []
    used = budget  # forces a first message
    for n, item in enumerate(digest.items, 1):
        zh, en = item.one_sentence()
        lines = [safe(s) for s in (zh, en) if s]
        if item.url and item.url.lower().startswith(("http://", "https://")):
            lines.append(item.url)
        name = limits.shorten(f"{n}. {item.headline}", limits.FIELD_NAME)
        value = limits.shorten("\n".join(lines) or "—", limits.FIELD_VALUE)
        if used + len(name) + len(value) > budget:
            messages.append([discord.Embed(title=title, colour=COLOUR)])
            used = 0
        elif len(messages[-1][-1].fields) == limits.FIELDS:
            if len(messages[-1]) == limits.EMBEDS_PER_MESSAGE:
                messages.append([discord.Embed(title=title, colour=COLOUR)])
                used = 0
            else:
                messages[-1].append(discord.Embed(colour=COLOUR))
        messages[-1][-1].add_field(name=name, value=value, inline=False)
        used += len(name) + len(value)
    messages[-1][-1].set_footer(text=footer)
    return messages


async def deliver_digest(client: discord.Client, channel_id: str, digest: Digest) -> Receipt:
    try:
        channel = await client.fetch_channel(int(channel_id))
    except ValueError:
        raise BriefbotError(f"Discord channel ids are numbers, not {channel_id!r}; fix the schedule.") from None
    except discord.DiscordException as exc:
        raise explain(exc, channel=channel_id) from None
    if not isinstance(channel, discord.abc.Messageable):
        raise BriefbotError(f"Discord channel {channel_id} cannot receive messages; choose a text channel.")
    try:
        first: discord.Message | None = None
        count = 0
        for embeds in digest_embeds(digest):
            sent = await channel.send(embeds=embeds, allowed_mentions=NO_PINGS)
            first = first or sent
            count += 1
        if digest.empty or first is None:
            return Receipt(message_id=str(first.id) if first else None, messages=count)
        target: discord.abc.Messageable = channel
        thread_id = None
        if can_start_thread(channel):
            thread = await first.create_thread(name=limits.shorten(f"Briefings {digest.label}", limits.THREAD_NAME))
            target, thread_id = thread, str(thread.id)
        for n, item in enumerate(digest.items, 1):
            if digest.thread:
                heading = limits.shorten(f"**{n}. {safe(item.headline)}** — key points:", limits.CONTENT)
                await target.send(heading, allowed_mentions=NO_PINGS)
                count += 1
                for pieces in thread_messages(item.briefing):
                    for content in pieces:
                        await target.send(content, allowed_mentions=NO_PINGS)
                        count += 1
            else:
                for embeds in briefing_messages(item.briefing):
                    await target.send(embeds=embeds, allowed_mentions=NO_PINGS)
                    count += 1
        return Receipt(message_id=str(first.id), thread_id=thread_id, messages=count)
    except discord.DiscordException as exc:
        raise explain(exc, channel=channel_id) from None


def discord_deliverer(client: discord.Client) -> Deliverer:
    async def deliver(channel: str, digest: Digest) -> Receipt:
        return await deliver_digest(client, channel, digest)

    return deliver


@contextlib.asynccontextmanager
async def open_discord_deliverer() -> AsyncIterator[Deliverer]:
    """A deliverer over REST alone (``briefbot schedule run``): only DISCORD_BOT_TOKEN is needed."""
    settings = load_discord_settings()
    if settings is None:
        raise ConfigError("DISCORD_BOT_TOKEN is not set; it is needed to post this schedule to Discord.")
    client = rest_client(settings)
    try:
        await login(client, settings.token)
        yield discord_deliverer(client)
    finally:
        await client.close()

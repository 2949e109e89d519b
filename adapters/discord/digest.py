"""The daily digest in Discord: one embed listing the new articles, and a thread under it.

The thread holds each article's full briefing, or — for a schedule with ``thread`` —
each article's key points as separate messages. Every send carries
``allowed_mentions`` none, and the key points (plain text) ``suppress_embeds``, so a
link in one doesn't unfurl a preview under every point; discord.py keeps within
Discord's rate-limit buckets itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import aiohttp
import discord

from adapters.discord import limits
from adapters.discord.client import login, rest_client
from adapters.discord.deliver import NO_PINGS, can_start_thread
from adapters.discord.errors import explain
from adapters.discord.render import COLOUR, briefing_messages, safe, thread_messages
from adapters.discord.settings import load_discord_settings
from bot.errors import ConfigError
from bot.schedule.digest import NOTHING_NEW, DeliveryError, Digest, Receipt, RenderCache, digest_key


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


class DiscordDigestDeliverer:
    """Delivers digests over one discord.py client (one HTTP session, discord.py's own
    rate-limit buckets): ``await deliverer(channel_id, digest)``. Each briefing's embeds are
    built once per run, however many channels get them.

    A failure is a ``DeliveryError`` counting the messages that went out: an answer from
    Discord (4xx) or a connection never made means the message was not posted; anything
    else (a timeout, a 5xx after discord.py's own retries) may have been.
    """

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self.rendered: RenderCache[list] = RenderCache()
        self._active = 0

    async def __call__(self, channel_id: str, digest: Digest) -> Receipt:
        self._active += 1
        try:
            return await self._deliver(channel_id, digest)
        finally:
            self._active -= 1
            if self._active == 0:
                self.rendered.clear()

    async def _deliver(self, channel_id: str, digest: Digest) -> Receipt:
        try:
            channel = await self.client.fetch_channel(int(channel_id))
        except ValueError:
            raise DeliveryError(
                f"Discord channel ids are numbers, not {channel_id!r}; fix the schedule.", sent=0
            ) from None
        except (discord.DiscordException, aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(_sentence(exc, channel_id), sent=0) from None  # nothing was sent yet
        if not isinstance(channel, discord.abc.Messageable):
            raise DeliveryError(f"Discord channel {channel_id} cannot receive messages; choose a text channel.", sent=0)
        count = 0
        try:
            first: discord.Message | None = None
            key = ("digest", *digest_key(digest))
            for embeds in self.rendered.get(key, digest, lambda: digest_embeds(digest)):
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
                    await target.send(heading, allowed_mentions=NO_PINGS, suppress_embeds=True)
                    count += 1
                    for pieces in self.rendered.briefing("points", item.briefing, thread_messages):
                        for content in pieces:
                            await target.send(content, allowed_mentions=NO_PINGS, suppress_embeds=True)
                            count += 1
                else:
                    for embeds in self.rendered.briefing("briefing", item.briefing, briefing_messages):
                        await target.send(embeds=embeds, allowed_mentions=NO_PINGS)
                        count += 1
            return Receipt(message_id=str(first.id), thread_id=thread_id, messages=count)
        except (discord.DiscordException, aiohttp.ClientError, TimeoutError) as exc:
            surely_not = (isinstance(exc, discord.HTTPException) and exc.status < 500) or isinstance(
                exc, aiohttp.ClientConnectorError
            )
            raise DeliveryError(_sentence(exc, channel_id), sent=count if surely_not else (count or None)) from None


def _sentence(exc: BaseException, channel_id: str) -> str:
    if isinstance(exc, discord.DiscordException):
        return explain(exc, channel=channel_id).message
    return f"Could not reach Discord ({type(exc).__name__}); check the network, or BRIEFBOT_DISCORD_API_URL."


def discord_deliverer(client: discord.Client) -> DiscordDigestDeliverer:
    return DiscordDigestDeliverer(client)


@contextlib.asynccontextmanager
async def open_discord_deliverer() -> AsyncIterator[DiscordDigestDeliverer]:
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

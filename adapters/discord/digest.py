"""The daily digest in Discord: one embed listing the new articles, and a thread under it.

The thread holds each article's full briefing, or — for a schedule with ``thread`` —
each article's key points as separate messages. Every send carries
``allowed_mentions`` none, and the key points (plain text) ``suppress_embeds``, so a
link in one doesn't unfurl a preview under every point; discord.py keeps within
Discord's rate-limit buckets itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from adapters.discord import limits
from adapters.discord.client import login, rest_client
from adapters.discord.deliver import NO_PINGS, can_start_thread
from adapters.discord.errors import explain
from adapters.discord.feedback import feedback_view
from adapters.discord.locales import Audience, audience_of_channel
from adapters.discord.render import COLOUR, briefing_messages, safe, thread_messages
from adapters.discord.settings import load_discord_settings
from bot.briefing import Briefing
from bot.chat.display import Display, chinese_script, in_script
from bot.chat.i18n import N_, ntr, tr
from bot.chat.settings import ChannelSettings
from bot.errors import ConfigError, Message
from bot.schedule.digest import DeliveryError, Digest, Receipt, RenderCache, digest_key

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.discord")

#: ``bot.schedule.digest.NOTHING_NEW``'s words, for the catalogue.
_NOTHING_NEW = N_("Nothing new today.")


def digest_embeds(digest: Digest, audience: Audience | None = None) -> list[list[discord.Embed]]:
    """The digest message(s): one field per article, packed into embeds and messages within the
    limits; the headlines and sentences in the channel's script and order, the words in its locale."""
    audience = audience or Audience("en", ChannelSettings())
    locale = audience.locale
    title = limits.shorten(tr(locale, "Daily briefing · {label}", label=digest.label), limits.TITLE)
    if digest.empty:
        return [[discord.Embed(title=title, description=tr(locale, _NOTHING_NEW), colour=COLOUR)]]
    footer = ntr(
        locale, "{n} new · full briefing in the thread", "{n} new · full briefings in the thread", len(digest.items)
    )
    budget = limits.EMBEDS_TOTAL - len(title) - len(footer)
    messages: list[list[discord.Embed]] = []
    used = budget  # forces a first message
    for n, item in enumerate(digest.items, 1):
        d = audience.show(item.briefing)
        was = chinese_script(item.briefing)
        zh, en = item.one_sentence()
        lines = [safe(text) for _side, text in d.sides(in_script(zh, d.script, was), en)]
        if item.url and item.url.lower().startswith(("http://", "https://")):
            lines.append(item.url)
        headline = in_script(item.headline, d.script, was) or item.headline
        name = limits.shorten(f"{n}. {headline}", limits.FIELD_NAME)
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
    rate-limit buckets): ``await deliverer(channel_id, digest)``. Each briefing is rendered once
    per run for each variant of the channels' settings (locale, script, order), however many
    channels share it; with a ``runtime`` each briefing gets the 👍/👎 buttons and each channel its
    own settings.

    A failure is a ``DeliveryError`` counting the messages that went out: an answer from
    Discord (4xx) or a connection never made means the message was not posted; anything
    else (a timeout, a 5xx after discord.py's own retries) may have been.
    """

    def __init__(self, client: discord.Client, runtime: BotRuntime | None = None) -> None:
        self.client = client
        self.runtime = runtime
        self.rendered: RenderCache[Any] = RenderCache()
        self._active = 0

    async def __call__(self, channel_id: str, digest: Digest) -> Receipt:
        self._active += 1
        try:
            return await self._deliver(channel_id, digest)
        finally:
            self._active -= 1
            if self._active == 0:
                self.rendered.clear()

    def _render(self, kind: str, audience: Audience, briefing: Briefing, make: Callable[[Display, str], Any]) -> Any:
        variant = (kind, audience.locale, audience.settings.zh, audience.settings.order, id(briefing))
        return self.rendered.get(variant, briefing, lambda: make(audience.show(briefing), audience.locale))

    async def _feedback_key(self, briefing: Briefing) -> str | None:
        if self.runtime is None:
            return None
        try:
            return await asyncio.to_thread(self.runtime.store.remember_briefing, briefing)
        except Exception:
            log.warning("could not remember a briefing for feedback; posting it without buttons", exc_info=True)
            return None

    async def _deliver(self, channel_id: str, digest: Digest) -> Receipt:
        try:
            channel = await self.client.fetch_channel(int(channel_id))
        except ValueError:
            raise DeliveryError(
                str(
                    Message(
                        "Discord channel ids are numbers, not {channel}; fix the schedule.",
                        {"channel": repr(channel_id)},
                    )
                ),
                sent=0,
            ) from None
        except (discord.DiscordException, aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(_sentence(exc, channel_id), sent=0) from None  # nothing was sent yet
        if not isinstance(channel, discord.abc.Messageable):
            raise DeliveryError(
                str(
                    Message(
                        "Discord channel {channel} cannot receive messages; choose a text channel.",
                        {"channel": channel_id},
                    )
                ),
                sent=0,
            )
        audience = await audience_of_channel(self.runtime, channel_id)
        locale = audience.locale
        count = 0
        try:
            first: discord.Message | None = None
            key = ("digest", locale, audience.settings.zh, audience.settings.order, *digest_key(digest))
            for embeds in self.rendered.get(key, digest, lambda: digest_embeds(digest, audience)):
                sent = await channel.send(embeds=embeds, allowed_mentions=NO_PINGS)
                first = first or sent
                count += 1
            if digest.empty or first is None:
                return Receipt(message_id=str(first.id) if first else None, messages=count)
            target: discord.abc.Messageable = channel
            thread_id = None
            if can_start_thread(channel):
                name = limits.shorten(tr(locale, "Briefings {label}", label=digest.label), limits.THREAD_NAME)
                thread = await first.create_thread(name=name)
                target, thread_id = thread, str(thread.id)
            for n, item in enumerate(digest.items, 1):
                feedback = await self._feedback_key(item.briefing)
                if digest.thread:
                    d = audience.show(item.briefing)
                    headline = in_script(item.headline, d.script, chinese_script(item.briefing)) or item.headline
                    text = tr(locale, "{n}. {headline} — key points:", n=n, headline=safe(headline))
                    view = feedback_view(feedback) if feedback else discord.utils.MISSING
                    heading = limits.shorten(f"**{text}**", limits.CONTENT)
                    await target.send(heading, allowed_mentions=NO_PINGS, suppress_embeds=True, view=view)
                    count += 1
                    for pieces in self._render("points", audience, item.briefing, thread_messages):
                        for content in pieces:
                            await target.send(content, allowed_mentions=NO_PINGS, suppress_embeds=True)
                            count += 1
                else:
                    pages = self._render("briefing", audience, item.briefing, briefing_messages)
                    for page, embeds in enumerate(pages, 1):
                        last = page == len(pages) and feedback is not None
                        view = feedback_view(feedback) if last and feedback else discord.utils.MISSING
                        await target.send(embeds=embeds, allowed_mentions=NO_PINGS, view=view)
                        count += 1
            return Receipt(message_id=str(first.id), thread_id=thread_id, messages=count)
        except (discord.DiscordException, aiohttp.ClientError, TimeoutError) as exc:
            surely_not = (isinstance(exc, discord.HTTPException) and exc.status < 500) or isinstance(
                exc, aiohttp.ClientConnectorError
            )
            raise DeliveryError(_sentence(exc, channel_id), sent=count if surely_not else (count or None)) from None


def _sentence(exc: BaseException, channel_id: str) -> str:
    """The failure as the schedule's status records it (English, as the runner keeps it)."""
    if isinstance(exc, discord.DiscordException):
        return explain(exc, channel=channel_id).message
    return str(
        Message(
            "Could not reach Discord ({error}); check the network, or BRIEFBOT_DISCORD_API_URL.",
            {"error": type(exc).__name__},
        )
    )


def discord_deliverer(client: discord.Client, runtime: BotRuntime | None = None) -> DiscordDigestDeliverer:
    """The deliverer for ``client``; with ``runtime``, channel settings and feedback buttons."""
    return DiscordDigestDeliverer(client, runtime)


@contextlib.asynccontextmanager
async def open_discord_deliverer(runtime: BotRuntime | None = None) -> AsyncIterator[DiscordDigestDeliverer]:
    """A deliverer over REST alone (``briefbot schedule run``): only DISCORD_BOT_TOKEN is needed."""
    settings = load_discord_settings()
    if settings is None:
        raise ConfigError("DISCORD_BOT_TOKEN is not set; it is needed to post this schedule to Discord.")
    client = rest_client(settings)
    try:
        await login(client, settings.token)
        yield discord_deliverer(client, runtime)
    finally:
        await client.close()

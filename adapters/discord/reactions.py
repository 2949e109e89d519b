"""Brief a link when someone reacts to its message with the channel's reaction (📰 by default).

Off by default; a channel's admins turn it on with ``/brief text: settings reactions=on`` (and
may choose another emoji with ``reaction=…``). Discord sends ``MESSAGE_REACTION_ADD`` as a raw
event (the message need not be in discord.py's cache), with the guild reactions intent, which
is not privileged. The message is then read over REST, which needs Read Message History and —
for another person's message text — the Message Content intent switched on in the Developer
Portal. The briefing goes in the message's thread (started from the message, or the thread
the message is in), in the channel's language, script and order, with the 👍/👎 buttons.

A message is briefed once: the first reaction claims it in the store (any process, any
restart), and every later one — the same emoji from someone else, or a second bot — is ignored.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING

import discord

from adapters.discord import limits
from adapters.discord.deliver import NO_PINGS, Posted, can_start_thread, post_briefing
from adapters.discord.errors import explain
from adapters.discord.locales import PLATFORM, audience_of_channel
from adapters.discord.render import error_content, thread_name
from bot import metrics
from bot.chat.briefer import Briefer
from bot.chat.commands import BriefCommand
from bot.chat.i18n import error_text
from bot.chat.settings import reaction_matches
from bot.chat.workers import Busy
from bot.errors import BriefbotError

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.discord")

#: An http(s) link in a message; ``<…>`` (no preview) and trailing punctuation are not part of it.
_LINK = re.compile(r"https?://[^\s<>()\[\]]+", re.IGNORECASE)
_TRAILING = ".,;:!?。，；：！？'\"’”"
#: Messages that are something a person wrote (a reply counts).
_WRITTEN = {discord.MessageType.default, discord.MessageType.reply}


def first_link(message: discord.Message) -> str | None:
    """The first http(s) link in a message's text, else in its embeds (a link preview)."""
    for text in [message.content, *(e.url or "" for e in message.embeds)]:
        found = _LINK.search(text or "")
        if found:
            return found.group(0).rstrip(_TRAILING)
    return None


async def brief_on_reaction(
    client: discord.Client,
    payload: discord.RawReactionActionEvent,
    briefer: Briefer,
    runtime: BotRuntime | None,
) -> None:
    """Act on one reaction event; never raises (a failure is logged, or said in the thread)."""
    try:
        await _on_reaction(client, payload, briefer, runtime)
    except Exception:
        log.exception("reaction on message %s failed", payload.message_id)


async def _on_reaction(
    client: discord.Client, payload: discord.RawReactionActionEvent, briefer: Briefer, runtime: BotRuntime | None
) -> None:
    if runtime is None or payload.guild_id is None:  # no settings without a store; no reactions in DMs
        return
    if client.user is not None and payload.user_id == client.user.id:
        return
    audience = await audience_of_channel(runtime, str(payload.channel_id))
    settings = audience.settings
    if not settings.reactions_on or not reaction_matches(settings.reaction_emoji, str(payload.emoji)):
        return
    channel = client.get_partial_messageable(payload.channel_id, guild_id=payload.guild_id)
    try:
        message = await channel.fetch_message(payload.message_id)
    except discord.HTTPException as exc:
        log.info("could not read message %s for a reaction: %s", payload.message_id, explain(exc).message)
        return
    if message.type not in _WRITTEN or (client.user is not None and message.author.id == client.user.id):
        return
    link = first_link(message)
    if link is None:
        return
    claimed = await asyncio.to_thread(runtime.store.claim_reaction, PLATFORM, str(payload.message_id))
    if not claimed:  # briefed already (or being briefed) for an earlier reaction
        return
    command = BriefCommand(link)
    try:
        ticket = briefer.admit(command)
    except Busy:
        metrics.record_briefing(PLATFORM, "reaction", "busy")
        log.warning("queue full: reaction on message %s not briefed", payload.message_id)
        return
    target: discord.abc.Messageable | None = None
    try:
        with ticket:
            briefing = await briefer(command)
        shown = audience.show(briefing)
        target = await _thread_for(client, message, thread_name(shown, audience.locale))
        key = await asyncio.to_thread(runtime.store.remember_briefing, briefing)
        await post_briefing(target, shown, audience.locale, thread=False, posted=Posted(), feedback=key)
        metrics.record_briefing(PLATFORM, "reaction", "posted")
    except Exception as exc:
        refused = isinstance(exc, BriefbotError)
        log.log(logging.INFO if refused else logging.ERROR, "reaction briefing failed: %s", exc, exc_info=not refused)
        metrics.record_briefing(PLATFORM, "reaction", "refused" if refused else "failed")
        sentence = error_text(explain(exc) if isinstance(exc, discord.DiscordException) else exc, audience.locale)
        await _say(client, message, target, link, sentence)


async def _thread_for(client: discord.Client, message: discord.Message, name: str) -> discord.abc.Messageable:
    """Where the briefing goes: the thread the message is in, the thread started from it, or a new
    thread started from it named ``name``; in a channel without threads, the channel."""
    channel: object = message.channel
    if not isinstance(channel, discord.TextChannel | discord.Thread):  # a raw event's channel has no type
        channel = await client.fetch_channel(message.channel.id)
    if isinstance(channel, discord.Thread):
        return channel
    guild_id = getattr(getattr(channel, "guild", None), "id", None)
    if message.thread is not None or message.flags.has_thread:  # a thread started from it has its id
        return client.get_partial_messageable(message.id, guild_id=guild_id)
    if isinstance(channel, discord.TextChannel) and can_start_thread(channel):
        return await channel.get_partial_message(message.id).create_thread(name=name)
    return channel  # type: ignore[return-value]


async def _say(
    client: discord.Client,
    message: discord.Message,
    target: discord.abc.Messageable | None,
    link: str,
    sentence: str,
) -> None:
    """One sentence where the briefing would have gone; never raise."""
    try:
        where = target or await _thread_for(client, message, limits.shorten(link, limits.THREAD_NAME))
        await where.send(error_content(sentence), allowed_mentions=NO_PINGS)
    except Exception:
        log.warning("could not say why a reaction briefing failed", exc_info=True)

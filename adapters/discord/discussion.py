"""Brief a Discord discussion: ``/brief`` with no options inside a thread (posted there), and the
message context-menu command "Brief this discussion" (the message's thread, or the 50 messages
around it, shown privately with a button that shares it).

History is read over REST, 100 messages a call (discord.py pages with ``before``; ``around`` is
one call). Reading other people's message text needs the privileged Message Content intent:
without it Discord sends their messages empty, which is detected and said, never summarised.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.discord.deliver import NO_PINGS
from adapters.discord.locales import audience_of, audience_of_channel
from adapters.discord.render import discussion_messages
from adapters.discussion import (
    AROUND,
    EXPIRED,
    MAX_MESSAGES,
    NOTHING_SAID,
    DiscussionBriefer,
    ShareCache,
    has_human_text,
)
from bot.chat.i18n import N_, tr
from bot.errors import BriefbotError
from bot.text.discussion import DiscussionBriefing, Message

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.discord")

MENU_NAME = N_("Brief this discussion")
SHARE_ID = "brief-share"
NO_MESSAGE_CONTENT = N_(
    "Discord sent these messages without their text because the bot lacks the Message Content intent: "
    "turn on Message Content Intent in the Developer Portal (your app → Bot → Privileged Gateway Intents), "
    "then try again."
)
#: Message types that are something a person said (default, reply, a slash command's message).
_SAID = {discord.MessageType.default, discord.MessageType.reply, discord.MessageType.chat_input_command}
_THREAD_TYPES = (discord.ChannelType.public_thread, discord.ChannelType.private_thread, discord.ChannelType.news_thread)


class DiscussionError(BriefbotError):
    """The discussion cannot be briefed; the sentence says why and what to do."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a briefing came from, and where sharing it posts it."""

    channel_id: int
    is_thread: bool


@dataclass
class DiscordDiscussions:
    """What the discussion commands share: the briefer, the briefings waiting to be shared, and
    the runtime whose channel settings say which language to answer in."""

    discuss: DiscussionBriefer
    cache: ShareCache[Place]
    runtime: BotRuntime | None = None


def is_thread(channel: Any) -> bool:
    return isinstance(channel, discord.Thread) or getattr(channel, "type", None) in _THREAD_TYPES


# -- reading --------------------------------------------------------------------------------


async def read_thread(client: discord.Client, thread_id: int, guild_id: int | None) -> list[Message]:
    """A thread's messages, oldest first: the latest ``MAX_MESSAGES``, 100 a call."""
    channel = client.get_partial_messageable(thread_id, guild_id=guild_id)
    raw = [m async for m in channel.history(limit=MAX_MESSAGES)]
    return _convert(list(reversed(raw)), client, guild_id)


async def read_around(client: discord.Client, channel_id: int, message_id: int, guild_id: int | None) -> list[Message]:
    """The ``AROUND`` messages around one, oldest first, in one call."""
    channel = client.get_partial_messageable(channel_id, guild_id=guild_id)
    raw = [m async for m in channel.history(limit=AROUND, around=discord.Object(id=message_id))]
    return _convert(sorted(raw, key=lambda m: m.id), client, guild_id)


def _convert(raw: Sequence[discord.Message], client: discord.Client, guild_id: int | None) -> list[Message]:
    me = client.user.id if client.user else None
    # A thread started from a message begins with a THREAD_STARTER_MESSAGE whose reference carries
    # that message (from the parent channel): it is where the discussion starts, so it is read too.
    raw = [_starter(m) or m for m in raw]
    # The bot's own empty messages are placeholders, such as this very command's "thinking…".
    said = [m for m in raw if m.type in _SAID and not (m.author.id == me and not m.content and not m.embeds)]
    if content_hidden(said, me):
        raise DiscussionError(NO_MESSAGE_CONTENT)
    numbers = {m.id: n for n, m in enumerate(said, 1)}
    where = str(guild_id) if guild_id else "@me"
    out = []
    for m in said:
        reference = m.reference.message_id if m.reference else None
        out.append(
            Message(
                author=m.author.display_name,
                text=m.content,
                ts=m.created_at,
                permalink=f"https://discord.com/channels/{where}/{m.channel.id}/{m.id}",
                author_id=str(m.author.id),
                is_bot=m.author.id == me,
                reply_to=numbers.get(reference) if reference else None,
                reactions=sum(r.count for r in m.reactions) or None,
            )
        )
    return out


def _starter(message: discord.Message) -> discord.Message | None:
    if message.type is not discord.MessageType.thread_starter_message or message.reference is None:
        return None
    resolved = message.reference.resolved
    return resolved if isinstance(resolved, discord.Message) else None


def content_hidden(messages: Sequence[discord.Message], me: int | None) -> bool:
    """Whether Discord withheld message text (no Message Content intent).

    Without the intent every message from someone else arrives with no content, embeds or
    attachments, except those that mention the bot; with it, an empty message is rare. So: some
    such messages, and all of them empty.
    """
    others = [m for m in messages if m.author.id != me and not any(u.id == me for u in m.mentions)]
    return bool(others) and all(not m.content and not m.embeds and not m.attachments for m in others)


# -- the commands ---------------------------------------------------------------------------


async def brief_this_thread(
    interaction: discord.Interaction, discussions: DiscordDiscussions, locale: str = "en"
) -> None:
    """``/brief`` with no options in a thread: the thread's briefing, posted in it (its words in ``locale``)."""
    from adapters.discord.commands import reply_privately, sentence_for

    await interaction.response.defer(thinking=True)
    posted = False
    try:
        channel = interaction.channel
        assert channel is not None
        messages = await read_thread(interaction.client, channel.id, interaction.guild_id)
        briefing = await _brief(discussions, messages, getattr(channel, "name", None))
        for embeds in discussion_messages(briefing, locale):
            await interaction.followup.send(embeds=embeds, allowed_mentions=NO_PINGS, wait=True)
            posted = True
    except Exception as exc:
        _log_failure(exc)
        await reply_privately(interaction, sentence_for(exc, locale), nothing_posted=not posted)


async def brief_around_message(
    interaction: discord.Interaction, message: discord.Message, discussions: DiscordDiscussions
) -> None:
    """The context menu: the message's thread, or the messages around it, shown only to the user."""
    from adapters.discord.commands import reply_privately, sentence_for

    locale = (await audience_of(interaction, discussions.runtime)).locale
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        client, guild_id = interaction.client, interaction.guild_id
        channel = interaction.channel
        title: str | None = None
        if is_thread(channel):  # a message inside a thread: the whole thread
            place = Place(message.channel.id, True)
            title = getattr(channel, "name", None)
        elif message.thread is not None or message.flags.has_thread:  # it started one (same id)
            place = Place(message.thread.id if message.thread else message.id, True)
            title = message.thread.name if message.thread else await _thread_name(client, message.id)
        else:
            place = Place(message.channel.id, False)
        if place.is_thread:
            messages = await read_thread(client, place.channel_id, guild_id)
        else:
            messages = await read_around(client, place.channel_id, message.id, guild_id)
        briefing = await _brief(discussions, messages, title)
        key = discussions.cache.put(briefing, place)
        pages = discussion_messages(briefing, locale)
        for n, embeds in enumerate(pages, 1):
            view = share_view(key, place, locale) if n == len(pages) else discord.utils.MISSING
            await interaction.followup.send(embeds=embeds, ephemeral=True, allowed_mentions=NO_PINGS, view=view)
    except Exception as exc:
        _log_failure(exc)
        await reply_privately(interaction, sentence_for(exc, locale))


class ShareButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"{SHARE_ID}:(?P<key>[A-Za-z0-9_-]+)"):
    """The share button under a privately shown briefing; its id carries the briefing's key."""

    def __init__(self, key: str, label: str = "Share") -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=f"{SHARE_ID}:{key}")
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShareButton:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        from adapters.discord.commands import reply_privately, sentence_for

        discussions: DiscordDiscussions | None = getattr(interaction.client, "discussions", None)
        audience = await audience_of(interaction, discussions.runtime if discussions else None)
        locale = audience.locale
        pending = discussions.cache.take(self.key) if discussions else None
        if pending is None:
            await reply_privately(interaction, tr(locale, EXPIRED))
            return
        assert discussions is not None
        target = interaction.client.get_partial_messageable(pending.where.channel_id, guild_id=interaction.guild_id)
        # Shared for everyone there: in the channel's language, not the sharer's.
        shared = await audience_of_channel(discussions.runtime, str(pending.where.channel_id))
        try:
            for embeds in discussion_messages(pending.briefing, shared.locale):
                await target.send(embeds=embeds, allowed_mentions=NO_PINGS)
        except Exception as exc:
            discussions.cache.restore(self.key, pending)
            _log_failure(exc)
            await reply_privately(interaction, sentence_for(exc, locale))
            return
        done = tr(locale, "Shared in the thread.") if pending.where.is_thread else tr(locale, "Shared in the channel.")
        try:
            await interaction.response.edit_message(content=done, view=None)
        except discord.HTTPException:
            log.warning("could not replace the share button after sharing", exc_info=True)


def share_view(key: str, place: Place, locale: str = "en") -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    label = tr(locale, "Share in the thread") if place.is_thread else tr(locale, "Share in the channel")
    view.add_item(ShareButton(key, label))
    return view


def make_context_menu(discussions: DiscordDiscussions) -> app_commands.ContextMenu:
    async def brief_discussion(interaction: discord.Interaction, message: discord.Message) -> None:
        await brief_around_message(interaction, message, discussions)

    return app_commands.ContextMenu(name=locale_str(MENU_NAME), callback=brief_discussion)


async def _thread_name(client: discord.Client, thread_id: int) -> str | None:
    """The thread's name (one REST call); None when Discord will not say."""
    try:
        return getattr(await client.fetch_channel(thread_id), "name", None)
    except discord.HTTPException:
        return None


async def _brief(discussions: DiscordDiscussions, messages: list[Message], title: str | None) -> DiscussionBriefing:
    if not has_human_text(messages):
        raise DiscussionError(NOTHING_SAID)
    return await discussions.discuss(messages, title)


def _log_failure(exc: BaseException) -> None:
    if isinstance(exc, BriefbotError):
        log.info("refused: %s", exc.message)
    else:
        log.error("discussion briefing failed", exc_info=exc)

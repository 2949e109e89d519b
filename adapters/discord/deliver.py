"""Deliver a rendered briefing over Discord's REST API: to a channel, or as an interaction follow-up.

No gateway connection is needed: ``fetch_channel`` → ``send`` → ``create_thread`` →
``thread.send`` are plain REST calls. Every message goes out with
``allowed_mentions`` set to none, so ``@everyone`` or ``<@id>`` in an article pings nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord.errors import DiscordError
from adapters.discord.render import briefing_messages, thread_messages, thread_name
from bot.briefing import Briefing

#: Passed on every send; also the client default (``client.py``). Webhook and
#: follow-up sends ignore the client default, which is why it is passed each time.
NO_PINGS = discord.AllowedMentions.none()

NO_THREAD_HERE = (
    "Threads can only be started from messages in a server text channel; use one, or leave the thread option off."
)


@dataclass
class Posted:
    """What was posted so far; filled in as it happens, so a failure halfway can be told apart."""

    message_ids: list[int] = field(default_factory=list)
    thread_id: int | None = None
    thread_message_ids: list[int] = field(default_factory=list)


def can_start_thread(channel: Any) -> bool:
    """Whether a public thread can be started from a message in ``channel``."""
    return isinstance(channel, discord.TextChannel)  # text and announcement channels


async def post_briefing(
    channel: discord.abc.Messageable, briefing: Briefing, *, thread: bool, posted: Posted | None = None
) -> Posted:
    """Post ``briefing`` in ``channel``; with ``thread``, discuss each key point in a thread under it."""
    posted = posted if posted is not None else Posted()
    if thread and not can_start_thread(channel):
        raise DiscordError(NO_THREAD_HERE)
    first: discord.Message | None = None
    for embeds in briefing_messages(briefing):
        message = await channel.send(embeds=embeds, allowed_mentions=NO_PINGS)
        posted.message_ids.append(message.id)
        first = first or message
    if thread and first is not None:
        await _discuss_in_thread(first, briefing, posted)
    return posted


async def follow_up_briefing(
    interaction: discord.Interaction, briefing: Briefing, *, thread: bool, posted: Posted | None = None
) -> Posted:
    """Answer a deferred interaction with ``briefing``; with ``thread``, start a thread from it."""
    posted = posted if posted is not None else Posted()
    channel = interaction.channel
    if thread and not can_start_thread(channel):
        raise DiscordError(NO_THREAD_HERE)
    for embeds in briefing_messages(briefing):
        message = await interaction.followup.send(embeds=embeds, allowed_mentions=NO_PINGS, wait=True)
        posted.message_ids.append(message.id)
    if thread and posted.message_ids:
        # A follow-up message comes back without its server attached, and discord.py refuses
        # to start a thread from it; the same message reached through the channel has one.
        anchor = channel.get_partial_message(posted.message_ids[0])  # type: ignore[union-attr]
        await _discuss_in_thread(anchor, briefing, posted)
    return posted


async def _discuss_in_thread(
    message: discord.Message | discord.PartialMessage, briefing: Briefing, posted: Posted
) -> None:
    thread = await message.create_thread(name=thread_name(briefing))
    posted.thread_id = thread.id
    for pieces in thread_messages(briefing):
        for content in pieces:
            sent = await thread.send(content, allowed_mentions=NO_PINGS, suppress_embeds=True)
            posted.thread_message_ids.append(sent.id)

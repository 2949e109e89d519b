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
from adapters.discord.feedback import feedback_view
from adapters.discord.render import briefing_messages, thread_messages, thread_name
from bot.chat.display import Display
from bot.chat.i18n import N_

#: Passed on every send; also the client default (``client.py``). Webhook and
#: follow-up sends ignore the client default, which is why it is passed each time.
NO_PINGS = discord.AllowedMentions.none()

NO_THREAD_HERE = N_(
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


def _buttons(feedback: str | None, last: bool) -> Any:
    """The 👍/👎 buttons under a briefing's last message (``feedback`` is its key), else none."""
    return feedback_view(feedback) if feedback and last else discord.utils.MISSING


async def post_briefing(
    channel: discord.abc.Messageable,
    d: Display,
    locale: str = "en",
    *,
    thread: bool,
    posted: Posted | None = None,
    feedback: str | None = None,
) -> Posted:
    """Post the briefing in ``channel`` as the channel shows it (``d``), the bot's words in ``locale``;
    with ``thread``, discuss each key point in a thread under it. ``feedback``: the briefing's key,
    for the 👍/👎 buttons under it."""
    posted = posted if posted is not None else Posted()
    if thread and not can_start_thread(channel):
        raise DiscordError(NO_THREAD_HERE)
    first: discord.Message | None = None
    pages = briefing_messages(d, locale)
    for n, embeds in enumerate(pages, 1):
        view = _buttons(feedback, n == len(pages))
        message = await channel.send(embeds=embeds, allowed_mentions=NO_PINGS, view=view)
        posted.message_ids.append(message.id)
        first = first or message
    if thread and first is not None:
        await _discuss_in_thread(first, d, locale, posted)
    return posted


async def follow_up_briefing(
    interaction: discord.Interaction,
    d: Display,
    locale: str = "en",
    *,
    thread: bool,
    posted: Posted | None = None,
    feedback: str | None = None,
    private: bool = False,
) -> Posted:
    """Answer a deferred interaction with the briefing; with ``thread``, start a thread from it;
    ``private``: for the user alone (ephemeral), never with a thread."""
    posted = posted if posted is not None else Posted()
    channel = interaction.channel
    if thread and (private or not can_start_thread(channel)):
        raise DiscordError(NO_THREAD_HERE)
    pages = briefing_messages(d, locale)
    for n, embeds in enumerate(pages, 1):
        message = await interaction.followup.send(
            embeds=embeds,
            allowed_mentions=NO_PINGS,
            wait=True,
            ephemeral=private,
            view=_buttons(feedback, n == len(pages)),
        )
        posted.message_ids.append(message.id)
    if thread and posted.message_ids:
        # A follow-up message comes back without its server attached, and discord.py refuses
        # to start a thread from it; the same message reached through the channel has one.
        anchor = channel.get_partial_message(posted.message_ids[0])  # type: ignore[union-attr]
        await _discuss_in_thread(anchor, d, locale, posted)
    return posted


async def _discuss_in_thread(
    message: discord.Message | discord.PartialMessage, d: Display, locale: str, posted: Posted
) -> None:
    thread = await message.create_thread(name=thread_name(d, locale))
    posted.thread_id = thread.id
    await post_points(thread, d, locale, posted)


async def post_points(target: discord.abc.Messageable, d: Display, locale: str, posted: Posted) -> None:
    """One message per key point in ``target`` (a thread), with no link previews."""
    for pieces in thread_messages(d, locale):
        for content in pieces:
            sent = await target.send(content, allowed_mentions=NO_PINGS, suppress_embeds=True)
            posted.thread_message_ids.append(sent.id)

"""Deliver a briefing to a Slack channel: the message(s), then (thread mode) one reply per key point.

Shared by the app (/brief, mentions) and ``briefbot post slack``. Messages go out in order,
one at a time, paced by a ``ChannelPacer``: Slack allows about one message per second per
channel (a thread's replies count too), and the client's retry handler waits out any 429
(``Retry-After``) that comes anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import ChannelPacer
from adapters.slack.errors import SlackPostError, describe
from adapters.slack.layout import SlackMessage
from adapters.slack.render import render_briefing, render_point_replies
from bot.briefing import Briefing
from bot.chat.i18n import N_
from bot.chat.settings import Order, Script
from bot.errors import Message

#: Seconds between two messages to one channel (Slack: about one a second).
CHANNEL_INTERVAL = 1.05


@dataclass(frozen=True, slots=True)
class PostResult:
    channel: str
    #: The first message of the briefing: the parent of its thread replies.
    ts: str
    #: Every message of the briefing (more than one when it did not fit one message).
    message_ts: tuple[str, ...]
    #: The thread replies, in key-point order.
    reply_ts: tuple[str, ...] = ()


async def post_briefing(
    client: AsyncWebClient,
    channel: str,
    briefing: Briefing,
    *,
    thread: bool = False,
    thread_ts: str | None = None,
    pacer: ChannelPacer | None = None,
    locale: str = "en",
    zh: Script | None = None,
    order: Order | None = None,
    feedback: str | None = None,
) -> PostResult:
    """Post ``briefing`` in ``channel`` (inside ``thread_ts`` when given); raise ``SlackPostError``.

    ``pacer`` spaces the messages out per channel; share one between everything that posts.
    ``locale`` words the bot's own text, ``zh`` and ``order`` are the channel's display, and
    ``feedback`` (the briefing's key in the store) adds the 👍 / 👎 buttons.
    """
    pacer = pacer or ChannelPacer(CHANNEL_INTERVAL)

    async def post(message: SlackMessage, thread_ts: str | None) -> str:
        async with pacer.turn(channel):
            return await post_message(client, channel, message, thread_ts=thread_ts)

    message_ts = []
    for message in render_briefing(briefing, locale, zh=zh, order=order, feedback=feedback):
        message_ts.append(await post(message, thread_ts))
    reply_ts = []
    if thread:
        # Slack threads do not nest: inside a thread, the replies join that same thread.
        parent = thread_ts or message_ts[0]
        try:
            for reply in render_point_replies(briefing, locale, zh=zh, order=order):
                for message in reply:
                    reply_ts.append(await post(message, parent))
        except SlackPostError as exc:
            reason = Message(exc.msgid, exc.params)
            partly = Message(
                N_("The briefing was posted, but not all its thread replies: {reason}"), {"reason": reason}
            )
            raise SlackPostError(partly, exc.code) from exc
    return PostResult(channel=channel, ts=message_ts[0], message_ts=tuple(message_ts), reply_ts=tuple(reply_ts))


async def post_message(client: AsyncWebClient, channel: str, message: SlackMessage, *, thread_ts: str | None) -> str:
    """chat.postMessage with unfurling and name-linking off; returns the message's ts."""
    try:
        response = await client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=list(message.blocks),
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            parse="none",
            link_names=False,
        )
    except SlackApiError as exc:
        code = str(exc.response.get("error", "unknown_error"))
        raise SlackPostError(describe(code, channel, exc.response.get("needed")), code) from exc
    except (TimeoutError, aiohttp.ClientError) as exc:
        unreachable = Message(
            N_("Could not reach Slack at {url} ({reason}); check the network, or BRIEFBOT_SLACK_API_URL if it is set."),
            {"url": client.base_url, "reason": type(exc).__name__},
        )
        raise SlackPostError(unreachable, "unreachable") from exc
    return str(response["ts"])

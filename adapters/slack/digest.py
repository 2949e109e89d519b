"""The daily digest in Slack: one message listing the new articles, and a thread under it.

The thread holds each article's full briefing, or — for a schedule with ``thread`` —
each article's key points as separate replies. Posts to one channel are paced under
Slack's rate of about one message per second.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import ChannelPacer
from adapters.slack.client import make_web_client
from adapters.slack.deliver import CHANNEL_INTERVAL, post_message
from adapters.slack.layout import SlackMessage, header, paginate, sections, truncate
from adapters.slack.render import escape_mrkdwn as e
from adapters.slack.render import render_briefing, render_point_replies, source_markup
from adapters.slack.settings import load_slack_settings
from bot.errors import ConfigError
from bot.schedule.digest import NOTHING_NEW, Digest, Receipt
from bot.schedule.runner import Deliverer

#: Seconds between two messages to the same channel (the same pace as /brief's posts).
SLACK_CHANNEL_INTERVAL = CHANNEL_INTERVAL


def render_digest(digest: Digest) -> list[SlackMessage]:
    title = f"Daily briefing · {digest.label}"
    if digest.empty:
        return [SlackMessage(text=f"{title}: {NOTHING_NEW}", blocks=(header(title), *sections([NOTHING_NEW])))]
    lines = []
    for n, item in enumerate(digest.items, 1):
        zh, en = item.one_sentence()
        parts = [f"*{n}. {e(truncate(item.headline, 200)[0])}*"]
        parts += [e(s) for s in (zh, en) if s]
        if item.url and item.url.lower().startswith(("http://", "https://")):
            parts.append(source_markup(item.url))
        lines.append("\n".join(parts))
    lead = f"{len(digest.items)} new article{'s' if len(digest.items) != 1 else ''} · full briefings in the thread"
    blocks = [header(title), *sections(lines, lead=lead)]
    text = e(f"{title}: " + "; ".join(item.headline for item in digest.items))[:3000]
    return [SlackMessage(text=text, blocks=tuple(page)) for page in paginate(blocks)]


def _thread_messages(digest: Digest) -> list[SlackMessage]:
    out: list[SlackMessage] = []
    for n, item in enumerate(digest.items, 1):
        if digest.thread:
            lead = f"*{n}. {e(truncate(item.headline, 200)[0])}* — key points below"
            out.append(SlackMessage(text=e(f"{n}. {item.headline}"), blocks=tuple(sections([lead]))))
            out += [message for reply in render_point_replies(item.briefing) for message in reply]
        else:
            out += render_briefing(item.briefing)
    return out


async def deliver_digest(client: AsyncWebClient, channel: str, digest: Digest, pacer: ChannelPacer) -> Receipt:
    parent: str | None = None
    count = 0
    for message in render_digest(digest):
        async with pacer.turn(channel):
            ts = await post_message(client, channel, message, thread_ts=None)
        parent = parent or ts
        count += 1
    for message in _thread_messages(digest):
        async with pacer.turn(channel):
            await post_message(client, channel, message, thread_ts=parent)
        count += 1
    return Receipt(message_id=parent, thread_id=parent if digest.items else None, messages=count)


def slack_deliverer(
    client: AsyncWebClient, *, interval: float = SLACK_CHANNEL_INTERVAL, pacer: ChannelPacer | None = None
) -> Deliverer:
    """Digests posted through ``client``; ``pacer`` (shared with the app's /brief posts) keeps
    everything sent to one channel at Slack's pace, else a pacer of ``interval`` of its own."""
    pacer = pacer or ChannelPacer(interval)

    async def deliver(channel: str, digest: Digest) -> Receipt:
        return await deliver_digest(client, channel, digest, pacer)

    return deliver


@contextlib.asynccontextmanager
async def open_slack_deliverer() -> AsyncIterator[Deliverer]:
    """A deliverer over the Web API alone (``briefbot schedule run``): only SLACK_BOT_TOKEN is needed."""
    settings = load_slack_settings(receive=False)
    if settings is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set; it is needed to post this schedule to Slack.")
    yield slack_deliverer(make_web_client(settings))

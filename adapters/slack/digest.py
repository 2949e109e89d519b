"""The daily digest in Slack: one message listing the new articles, and a thread under it.

The thread holds each article's full briefing, or — for a schedule with ``thread`` —
each article's key points as separate replies.

Fan-out to many channels: every channel goes ahead at once, each paced under Slack's
rate of about one message per second (start to start); a 429's ``Retry-After`` pauses
``chat.postMessage`` for every channel of this client; all posts of a run share one HTTP
session; and each briefing is rendered once per run, not once per channel.

At most once: a post is only retried when it surely did not go out (Slack answered with
an error, or the connection was never made). A failure is reported as a ``DeliveryError``
counting the messages that did go out, so the runner can tell "nothing was posted" from
"part of it was" and from "no one can tell" (a timeout after the request was sent).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import ChannelPacer, MethodGate
from adapters.slack.client import make_web_client
from adapters.slack.deliver import CHANNEL_INTERVAL, post_message
from adapters.slack.errors import SlackPostError
from adapters.slack.layout import SlackMessage, header, paginate, sections, truncate
from adapters.slack.render import escape_mrkdwn as e
from adapters.slack.render import render_briefing, render_point_replies, source_markup
from adapters.slack.settings import load_slack_settings
from bot.chat.display import chinese_script, for_display, in_script
from bot.chat.i18n import ntr, tr
from bot.chat.settings import ChannelSettings, Order, Script
from bot.errors import ConfigError
from bot.schedule.digest import NOTHING_NEW, DeliveryError, Digest, Receipt, RenderCache, digest_key

#: Seconds between the starts of two messages to the same channel (the same pace as /brief's posts).
SLACK_CHANNEL_INTERVAL = CHANNEL_INTERVAL
METHOD = "chat.postMessage"
#: 429s one message waits out before the digest stops (each waits its Retry-After).
MAX_RATE_LIMITED = 5
#: Connections that could not be made, retried this many times (nothing was sent).
MAX_CONNECT_RETRIES = 2


def render_digest(
    digest: Digest, locale: str = "en", *, zh: Script | None = None, order: Order | None = None
) -> list[SlackMessage]:
    """The digest's parent message, worded in ``locale``, each article in the channel's script and order."""
    title = tr(locale, "Daily briefing · {label}", label=digest.label)
    if digest.empty:
        nothing = tr(locale, NOTHING_NEW)
        return [SlackMessage(text=e(f"{title}: {nothing}"), blocks=(header(e(title)), *sections([e(nothing)])))]
    lines = []
    headlines = []
    for n, item in enumerate(digest.items, 1):
        d = for_display(item.briefing, zh=zh, order=order)
        current = chinese_script(item.briefing)
        headline = in_script(item.headline, d.script, current) or item.headline
        headlines.append(headline)
        zh_sentence, en_sentence = item.one_sentence()
        parts = [f"*{n}. {e(truncate(headline, 200)[0])}*"]
        parts += [e(text) for _side, text in d.sides(in_script(zh_sentence, d.script, current), en_sentence)]
        if item.url and item.url.lower().startswith(("http://", "https://")):
            parts.append(source_markup(item.url, locale))
        lines.append("\n".join(parts))
    lead = ntr(
        locale,
        "{n} new article · full briefings in the thread",
        "{n} new articles · full briefings in the thread",
        len(digest.items),
    )
    blocks = [header(e(title)), *sections(lines, lead=e(lead))]
    text = e(f"{title}: " + "; ".join(headlines))[:3000]
    return [SlackMessage(text=text, blocks=tuple(page)) for page in paginate(blocks)]


class _NotSent(Exception):
    """The message surely did not reach Slack."""


class _MaybeSent(Exception):
    """No one can tell whether the message reached Slack."""


class SlackDigestDeliverer:
    """Delivers digests over one Web API client: ``await deliverer(channel, digest)``."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        interval: float = SLACK_CHANNEL_INTERVAL,
        pacer: ChannelPacer | None = None,
        channel_settings: Callable[[str], ChannelSettings] | None = None,
    ) -> None:
        self.source = client
        #: A channel's settings (its locale, script and order), read before each delivery; blocking.
        self.channel_settings = channel_settings
        # Shared with the app's /brief posts when given, so one channel gets one pace for both.
        self.pacer = pacer or ChannelPacer(interval)
        self.gate = MethodGate()
        self.rendered: RenderCache[list[SlackMessage]] = RenderCache()
        self._web: AsyncWebClient | None = None
        self._session: aiohttp.ClientSession | None = None
        self._active = 0
        #: HTTP sessions opened so far (one per burst of deliveries; tests read it).
        self.sessions_opened = 0

    def _client(self) -> AsyncWebClient:
        """A copy of the source client that sends every request of this run over one session."""
        if self._web is None or self._session is None or self._session.closed:
            src = self.source
            self._session = aiohttp.ClientSession(trust_env=src.trust_env_in_session)
            self.sessions_opened += 1
            self._web = AsyncWebClient(
                token=src.token,
                base_url=src.base_url,
                timeout=src.timeout,
                ssl=src.ssl,
                proxy=src.proxy,
                headers=dict(src.headers),
                session=self._session,
                retry_handlers=[],  # retried here, only when nothing can have been posted
            )
        return self._web

    async def __call__(self, channel: str, digest: Digest) -> Receipt:
        self._active += 1
        try:
            return await self._deliver(self._client(), channel, digest)
        finally:
            self._active -= 1
            if self._active == 0:
                await self._close()

    async def _close(self) -> None:
        session, self._session, self._web = self._session, None, None
        self.rendered.clear()
        if session is not None:
            await session.close()

    async def aclose(self) -> None:
        if self._active == 0:
            await self._close()

    async def _variant(self, channel: str) -> tuple[str, Script | None, Order | None]:
        """How ``channel`` shows briefings: (locale, script, order); channels alike share renders."""
        if self.channel_settings is None:
            return "en", None, None
        settings = await asyncio.to_thread(self.channel_settings, channel)
        return settings.locale or "en", settings.zh, settings.order

    async def _deliver(self, web: AsyncWebClient, channel: str, digest: Digest) -> Receipt:
        parent: str | None = None
        sent = 0
        variant = await self._variant(channel)
        locale, zh, order = variant
        try:
            parent_messages = self.rendered.get(
                ("digest", *digest_key(digest), variant),
                digest,
                lambda: render_digest(digest, locale, zh=zh, order=order),
            )
            for message in parent_messages:
                ts = await self._post(web, channel, message, None)
                parent = parent or ts
                sent += 1
            for message in self._thread_messages(digest, variant):
                await self._post(web, channel, message, parent)
                sent += 1
        except _NotSent as exc:
            raise DeliveryError(str(exc), sent=sent) from exc
        except _MaybeSent as exc:
            raise DeliveryError(str(exc), sent=sent or None) from exc
        return Receipt(message_id=parent, thread_id=parent if digest.items else None, messages=sent)

    def _thread_messages(self, digest: Digest, variant: tuple[str, Script | None, Order | None]) -> list[SlackMessage]:
        """The thread under the digest, rendered once per run for each (locale, script, order)."""
        locale, zh, order = variant
        out: list[SlackMessage] = []
        for n, item in enumerate(digest.items, 1):
            if digest.thread:
                headline = in_script(
                    item.headline, for_display(item.briefing, zh=zh).script, chinese_script(item.briefing)
                )
                headline = headline or item.headline
                below = tr(locale, "key points below")
                lead = f"*{n}. {e(truncate(headline, 200)[0])}* — {e(below)}"
                out.append(SlackMessage(text=e(f"{n}. {headline}"), blocks=tuple(sections([lead]))))
                replies = self.rendered.briefing(
                    f"points:{locale}:{zh}:{order}",
                    item.briefing,
                    lambda b: render_point_replies(b, locale, zh=zh, order=order),
                )
                out += [message for reply in replies for message in reply]
            else:
                out += self.rendered.briefing(
                    f"briefing:{locale}:{zh}:{order}",
                    item.briefing,
                    lambda b: render_briefing(b, locale, zh=zh, order=order),
                )
        return out

    async def _post(self, web: AsyncWebClient, channel: str, message: SlackMessage, thread_ts: str | None) -> str:
        limited = refused = 0
        async with self.pacer.turn(channel):
            while True:
                if await self.gate.ready(METHOD):
                    self.pacer.started(channel)
                try:
                    return await post_message(web, channel, message, thread_ts=thread_ts)
                except SlackPostError as exc:
                    cause = exc.__cause__
                    if isinstance(cause, SlackApiError):
                        if cause.response.status_code == 429 and limited < MAX_RATE_LIMITED:
                            limited += 1
                            self.gate.limited(METHOD, _retry_after(cause))
                            continue
                        raise _NotSent(exc.message) from exc  # Slack answered: not posted
                    if isinstance(cause, aiohttp.ClientConnectorError):
                        if refused < MAX_CONNECT_RETRIES:
                            refused += 1
                            await asyncio.sleep(refused)
                            continue
                        raise _NotSent(exc.message) from exc  # never connected: not posted
                    raise _MaybeSent(exc.message) from exc


def _retry_after(exc: SlackApiError) -> float:
    try:
        return float(exc.response.headers.get("Retry-After", 1))
    except (TypeError, ValueError):
        return 1.0


def slack_deliverer(
    client: AsyncWebClient,
    *,
    interval: float = SLACK_CHANNEL_INTERVAL,
    pacer: ChannelPacer | None = None,
    channel_settings: Callable[[str], ChannelSettings] | None = None,
) -> SlackDigestDeliverer:
    """Digests posted through ``client``; ``pacer`` (shared with the app's /brief posts) keeps
    everything sent to one channel at Slack's pace, else a pacer of ``interval`` of its own.
    ``channel_settings`` (blocking) gives a channel's locale, script and order; without it, English
    and each article as written."""
    return SlackDigestDeliverer(client, interval=interval, pacer=pacer, channel_settings=channel_settings)


@contextlib.asynccontextmanager
async def open_slack_deliverer(
    channel_settings: Callable[[str], ChannelSettings] | None = None,
) -> AsyncIterator[SlackDigestDeliverer]:
    """A deliverer over the Web API alone (``briefbot schedule run``): only SLACK_BOT_TOKEN is needed."""
    settings = load_slack_settings(receive=False)
    if settings is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set; it is needed to post this schedule to Slack.")
    deliverer = slack_deliverer(make_web_client(settings), channel_settings=channel_settings)
    try:
        yield deliverer
    finally:
        await deliverer.aclose()

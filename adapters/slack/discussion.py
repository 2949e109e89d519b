"""Brief a Slack discussion: a thread (mention the bot in it), any message's thread or
surroundings (the "Brief this discussion" message shortcut), or a message permalink (``/brief``).

Messages are read with ``conversations.replies`` (a thread) and ``conversations.history`` (the
messages around one outside a thread), a page at a time (``cursor``); the shared client waits
out a 429's ``Retry-After``. Authors' display names come from ``users.info``, once per user per
process. Permalinks are built from the workspace URL that ``auth.test`` gives (one call per
process) instead of one ``chat.getPermalink`` per message: the two give the same link.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.discussion import (
    AROUND,
    EXPIRED,
    MAX_MESSAGES,
    NOTHING_SAID,
    DiscussionBriefer,
    ShareCache,
    has_human_text,
)
from adapters.slack.deliver import post_message
from adapters.slack.errors import describe
from adapters.slack.readers import Readers
from adapters.slack.render import escape_mrkdwn, render_discussion
from adapters.slack.user_text import from_slack
from bot.chat.briefer import user_message
from bot.chat.i18n import N_, tr
from bot.errors import BriefbotError
from bot.text.discussion import DiscussionBriefing, Message

log = logging.getLogger("briefbot.slack")

#: Messages per conversations.replies / conversations.history call (Slack allows up to 999 for
#: internal apps; new apps distributed outside the Marketplace get 15 whatever is asked).
PAGE = 200
#: Pages read from one thread at most: past this the thread is far longer than a briefing reads.
MAX_PAGES = 4 * MAX_MESSAGES // PAGE
#: Pages read from one time window after a message when looking for its neighbours.
MAX_AFTER_PAGES = 3
#: The first window after a message, in seconds; windows widen eightfold from it.
FIRST_WINDOW = 60.0
#: Windows read at most when looking for a message's neighbours.
MAX_WINDOWS = 12
#: Events that are not something a person said.
_NOT_SAID = {
    "channel_join",
    "channel_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "channel_archive",
    "channel_unarchive",
    "group_join",
    "group_leave",
    "pinned_item",
    "unpinned_item",
    "message_deleted",
    "message_changed",
    "tombstone",
}
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_PERMALINK = re.compile(
    r"https://[a-z0-9.-]+\.slack\.com/archives/([CGD][A-Z0-9]+)/p(\d{10})(\d{6})(?:\?(\S*))?", re.IGNORECASE
)
_THREAD_TS = re.compile(r"(?:^|&)thread_ts=(\d{10}\.\d{6})(?:&|$)")

#: A direct message (a "D…" conversation): no one can invite the bot into it.
DIRECT_MESSAGE = N_(
    "I can't read direct messages: start the discussion in a channel I'm in, or export it and run "
    "briefbot brief --discussion on the file."
)
NOT_IN_CHANNEL = N_(
    "I can't read that channel because I'm not in it: type /invite @briefbot there (or add me from the "
    "channel's details), then try again."
)


class DiscussionFetchError(BriefbotError):
    """Slack would not give the messages; the sentence says what to do."""


@dataclass(frozen=True, slots=True)
class Discussion:
    messages: list[Message]
    channel: str
    #: The thread it is, or None for the messages around one outside a thread.
    thread_ts: str | None


@dataclass(frozen=True, slots=True)
class Target:
    """Which discussion to read: a thread (``thread_ts``), or the messages around ``ts``."""

    channel: str
    ts: str
    thread_ts: str | None = None


def parse_permalink(text: str) -> Target | None:
    """A Slack message link (``https://team.slack.com/archives/C…/p…``) as a target, else None."""
    match = _PERMALINK.fullmatch(text.strip().strip("<>").split("|", 1)[0])
    if match is None:
        return None
    channel, seconds, micros, query = match.groups()
    thread = _THREAD_TS.search(query or "")
    return Target(channel=channel.upper(), ts=f"{seconds}.{micros}", thread_ts=thread.group(1) if thread else None)


class SlackDiscussions:
    """Reads discussions through one Web API client; keeps display names and the workspace URL."""

    def __init__(self, client: AsyncWebClient, *, max_names: int = 5000) -> None:
        self.client = client
        self._names: dict[str, str] = {}
        self._max_names = max_names
        self._team_url: str | None = None

    # -- fetching ----------------------------------------------------------------------------
    async def read(
        self,
        target: Target,
        *,
        bot_user_id: str | None,
        bot_id: str | None,
        around: bool | None = None,
        skip_ts: str | None = None,
    ) -> Discussion:
        """The discussion at ``target``, oldest first (the bot's own messages marked ``is_bot``).

        ``around``: True reads the messages around ``target.ts``; None (a link, which may point
        at a thread's parent without saying so) reads its thread when it has one. ``skip_ts``
        leaves out one message (the mention that asked for the briefing).
        """
        try:
            thread_ts = None if around else target.thread_ts
            raw: list[dict[str, Any]] = []
            if thread_ts:
                raw = await self._replies(target.channel, thread_ts)
            elif around is None:
                raw = await self._replies(target.channel, target.ts)
                if len(raw) > 1 or (raw and raw[0].get("reply_count")):
                    thread_ts = target.ts
            if not thread_ts:
                raw = await self._around(target.channel, target.ts)
            raw = [m for m in raw if m.get("ts") != skip_ts]
            messages = await self._messages(raw, target.channel, bot_user_id=bot_user_id, bot_id=bot_id)
        except SlackApiError as exc:
            raise fetch_error(exc, target.channel) from exc
        return Discussion(messages, target.channel, thread_ts)

    async def _replies(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """The messages of a thread, parent first (the core keeps the latest ``MAX_MESSAGES``)."""
        out: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            page = await self.client.conversations_replies(channel=channel, ts=thread_ts, limit=PAGE, cursor=cursor)
            out += page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor or not page.get("has_more", True):
                break
        return out

    async def _around(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """Up to ``AROUND`` messages: about half after ``ts``, the rest before it and itself."""
        after = await self._after(channel, ts)
        before: list[dict[str, Any]] = []
        cursor = None
        while len(before) < AROUND - len(after):
            page = await self.client.conversations_history(
                channel=channel, latest=ts, inclusive=True, limit=AROUND - len(after) - len(before), cursor=cursor
            )
            before += page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor or not page.get("has_more"):
                break
        return sorted([*before[: AROUND - len(after)], *after], key=_ts)

    async def _after(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """The ``AROUND // 2 - 1`` messages just after ``ts`` (fewer when the channel has fewer).

        History comes newest first, so paging from now back to ``ts`` in a busy channel would read
        everything said since. Everything after it is read when that fits in ``MAX_AFTER_PAGES``
        pages (a recent message: one call); otherwise a time window after ``ts`` (``latest``),
        widened eightfold while it holds too few messages and halved back while it holds more,
        at most ``MAX_WINDOWS`` windows.
        """
        need = AROUND // 2 - 1
        everything = await self._window(channel, ts, None)
        if everything is not None:
            return sorted(everything, key=_ts)[:need]  # a recent message: all that came after fits
        start = float(ts)
        width, few, busy = FIRST_WINDOW, 0.0, None
        best: list[dict[str, Any]] = []
        for _ in range(MAX_WINDOWS):
            found = await self._window(channel, ts, f"{start + width:.6f}")
            if found is not None and len(found) >= need:
                return sorted(found, key=_ts)[:need]
            if found is None:
                busy = width  # too many to page through: narrow it
            else:
                few, best = width, found
            width = width * 8 if busy is None else (few + busy) / 2
        return sorted(best, key=_ts)[:need]

    async def _window(self, channel: str, ts: str, latest: str | None) -> list[dict[str, Any]] | None:
        """The messages after ``ts`` up to ``latest`` (None: up to now), or None past
        ``MAX_AFTER_PAGES`` pages."""
        out: list[dict[str, Any]] = []
        cursor: str | None = None
        bounds = {"latest": latest} if latest else {}
        for _ in range(MAX_AFTER_PAGES):
            page = await self.client.conversations_history(
                channel=channel, oldest=ts, inclusive=False, limit=PAGE, cursor=cursor, **bounds
            )
            out += page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor or not page.get("has_more"):
                return out
        return None

    # -- turning Slack's messages into the core's ----------------------------------------------
    async def _messages(
        self, raw: Sequence[dict[str, Any]], channel: str, *, bot_user_id: str | None, bot_id: str | None
    ) -> list[Message]:
        team_url = await self.team_url()
        out = []
        for item in raw:
            if item.get("subtype") in _NOT_SAID or not item.get("ts"):
                continue
            user = item.get("user")
            own = bool(user and user == bot_user_id) or bool(bot_id and item.get("bot_id") == bot_id)
            if user:
                author = await self.name(user)
            else:
                author = item.get("username") or (item.get("bot_profile") or {}).get("name") or "a bot"
            reactions = sum(int(r.get("count") or 0) for r in item.get("reactions") or []) or None
            out.append(
                Message(
                    author=author,
                    text=await self._plain(item.get("text") or ""),
                    ts=datetime.fromtimestamp(float(item["ts"]), UTC),
                    permalink=permalink(team_url, channel, item["ts"], item.get("thread_ts")),
                    author_id=user or item.get("bot_id"),
                    is_bot=own,
                    reactions=reactions,
                )
            )
        return out

    async def _plain(self, text: str) -> str:
        """Slack markup as plain text, with ``<@U…>`` mentions as ``@display name``."""
        for user in set(_USER_MENTION.findall(text)):
            name = (await self.name(user)).replace("|", "/").replace(">", "")
            text = re.sub(rf"<@{user}(?:\|[^>]*)?>", f"<@{user}|{name}>".replace("\\", "\\\\"), text)
        return from_slack(text)

    async def name(self, user: str) -> str:
        """The user's display name (else real name, else handle); the id when Slack will not say."""
        if user in self._names:
            return self._names[user]
        try:
            info = await self.client.users_info(user=user)
        except SlackApiError as exc:
            log.info("users.info %s failed (%s); showing the id", user, exc.response.get("error"))
            return user
        profile = (info.get("user") or {}).get("profile") or {}
        found = (
            profile.get("display_name")
            or profile.get("real_name")
            or (info.get("user") or {}).get("real_name")
            or (info.get("user") or {}).get("name")
            or user
        )
        if len(self._names) >= self._max_names:
            self._names.clear()
        self._names[user] = found
        return found

    async def team_url(self) -> str | None:
        if self._team_url is None:
            try:
                self._team_url = str((await self.client.auth_test()).get("url") or "")
            except SlackApiError:
                log.info("auth.test failed; briefings will cite messages without links")
                return None
        return self._team_url or None


def permalink(team_url: str | None, channel: str, ts: str, thread_ts: str | None) -> str | None:
    """The link Slack's chat.getPermalink gives: ``https://team.slack.com/archives/C…/p<ts>``."""
    if not team_url or not team_url.startswith("https://"):
        return None
    link = f"{team_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link


def fetch_error(exc: SlackApiError, channel: str) -> DiscussionFetchError:
    code = str(exc.response.get("error", "unknown_error"))
    if code in {"not_in_channel", "channel_not_found", "missing_scope"} and channel.startswith("D"):
        return DiscussionFetchError(DIRECT_MESSAGE)
    if code in {"not_in_channel", "channel_not_found"}:
        return DiscussionFetchError(NOT_IN_CHANNEL)
    if code == "thread_not_found":
        return DiscussionFetchError(N_("Slack has no such message any more; it may have been deleted."))
    found = describe(code, channel, exc.response.get("needed"))
    return DiscussionFetchError(found.msgid, **found.params)


def _ts(item: dict[str, Any]) -> float:
    return float(item.get("ts") or 0)


# -- the triggers ------------------------------------------------------------------------------

#: What may follow the bot's mention inside a thread to brief that thread.
THREAD_WORDS = {"", "brief", "brief this", "brief thread", "brief this thread", "summary", "摘要", "總結", "总结"}
WORKING_PRIVATE = N_("Working on it… the briefing will appear here, visible only to you, with a button to share it.")
OUTSIDE_THREAD = N_(
    "To brief a discussion, mention me inside its thread, use the message shortcut Brief this discussion, "
    "or type /brief followed by a message's link."
)


@dataclass(frozen=True, slots=True)
class Shared:
    """Where a privately shown briefing goes when its share button is pressed."""

    channel: str
    thread_ts: str | None


class DiscussionTriggers:
    """Thread mentions, the message shortcut, ``/brief <permalink>`` and the share button."""

    def __init__(
        self,
        reader: SlackDiscussions,
        discuss: DiscussionBriefer,
        cache: ShareCache[Shared] | None = None,
        readers: Readers | None = None,
    ):
        self.reader = reader
        self.discuss = discuss
        self.cache: ShareCache[Shared] = cache or ShareCache()
        self.readers = readers or Readers(reader.client)

    async def _locale(self, user: str | None, channel: str) -> str:
        return (await self.readers.request(user, channel)).locale

    async def brief_thread_here(self, event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        """``@briefbot`` (or ``@briefbot brief``) in a thread: the briefing as a reply in that thread."""
        channel, thread_ts = event.get("channel", ""), event.get("thread_ts", "")
        locale = await self._locale(event.get("user"), channel)
        try:
            # The mention that asked is a command, not part of the discussion.
            found = await self.reader.read(
                Target(channel, thread_ts, thread_ts),
                bot_user_id=context.bot_user_id,
                bot_id=context.bot_id,
                skip_ts=event.get("ts"),
            )
            briefing = await self._brief(found.messages)
            for message in render_discussion(briefing, locale):
                await post_message(client, channel, message, thread_ts=thread_ts)
        except Exception as exc:
            _log_failure(exc)
            await _whisper(client, channel, event.get("user"), thread_ts, escape_mrkdwn(user_message(exc, locale)))

    async def on_shortcut(
        self, ack: AsyncAck, shortcut: dict, respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        """The message shortcut: the message's thread, or the messages around it, shown privately."""
        await ack()
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id") or ""
        ts = message.get("ts") or shortcut.get("message_ts") or ""
        thread_ts = message.get("thread_ts")
        locale = await self._locale((shortcut.get("user") or {}).get("id"), channel)
        await self._brief_privately(Target(channel, ts, thread_ts), respond, context, locale, around=not thread_ts)

    async def on_permalink(
        self, target: Target, ack: AsyncAck, respond: AsyncRespond, context: AsyncBoltContext, locale: str = "en"
    ) -> None:
        """``/brief <message link>``: like the shortcut, from any channel."""
        await ack(text=tr(locale, WORKING_PRIVATE), response_type="ephemeral")
        await self._brief_privately(target, respond, context, locale, around=None)

    async def _brief_privately(
        self, target: Target, respond: AsyncRespond, context: AsyncBoltContext, locale: str, *, around: bool | None
    ) -> None:
        try:
            found = await self.reader.read(
                target, bot_user_id=context.bot_user_id, bot_id=context.bot_id, around=around
            )
            briefing = await self._brief(found.messages)
            shared = Shared(found.channel, found.thread_ts)
            key = self.cache.put(briefing, shared)
            label = tr(locale, "Share in the thread") if shared.thread_ts else tr(locale, "Share in the channel")
            for message in render_discussion(briefing, locale, share_key=key, share_label=label):
                await respond(
                    text=message.text, blocks=list(message.blocks), response_type="ephemeral", replace_original=False
                )
        except Exception as exc:
            _log_failure(exc)
            await _say_privately(respond, user_message(exc, locale))

    async def on_share(self, ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient) -> None:
        """The share button: post the briefing the user saw, publicly, where it came from."""
        await ack()
        action = (body.get("actions") or [{}])[0]
        key = str(action.get("value") or "")
        pending = self.cache.take(key)
        user = (body.get("user") or {}).get("id")
        channel = (body.get("channel") or {}).get("id") or (pending.where.channel if pending else "")
        locale = await self._locale(user, channel)
        if pending is None:
            await _say_privately(respond, tr(locale, EXPIRED))
            return
        where = pending.where
        try:
            # What the user saw privately, in the same words (the request's locale).
            for message in render_discussion(pending.briefing, locale):
                await post_message(client, where.channel, message, thread_ts=where.thread_ts)
        except Exception as exc:
            self.cache.restore(key, pending)  # so that the button can be pressed again
            _log_failure(exc)
            await _say_privately(respond, user_message(exc, locale))
            return
        done = tr(locale, "Shared in the thread.") if where.thread_ts else tr(locale, "Shared in the channel.")
        try:
            await respond(text=done, response_type="ephemeral", replace_original=True)
        except Exception:
            log.warning("could not replace the share button after sharing", exc_info=True)

    async def _brief(self, messages: list[Message]) -> DiscussionBriefing:
        if not has_human_text(messages):
            raise DiscussionFetchError(NOTHING_SAID)
        return await self.discuss(messages, None)


async def _say_privately(respond: AsyncRespond, sentence: str) -> None:
    try:
        await respond(text=escape_mrkdwn(sentence), response_type="ephemeral", replace_original=False)
    except Exception:
        log.exception("could not tell the user %r through response_url", sentence)


async def _whisper(client: AsyncWebClient, channel: str, user: str | None, thread_ts: str | None, text: str) -> None:
    if not user:
        return
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
    except Exception:
        log.exception("could not tell the user about the failure with chat.postEphemeral")


def _log_failure(exc: BaseException) -> None:
    if isinstance(exc, BriefbotError):
        log.info("refused: %s", exc.message)
    else:
        log.error("discussion briefing failed", exc_info=exc)

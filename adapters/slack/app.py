"""The Slack app: ``/brief``, mentions of the bot (with a file, too), the reaction that briefs a
link, and the feedback buttons, on slack-bolt's ``AsyncApp``.

A slash command is acknowledged first, ephemerally, before any slow work (Slack allows
3 s); the briefing is then built off the event loop and posted in the channel, paced per
channel — or, with ``/brief private``, shown to the one who asked and nobody else. When the
briefing queue is full the ack itself says so. A mistake gets one ephemeral sentence, nothing
is posted, and the app keeps serving: no exception leaves a handler, and tracebacks go only
to the log.

Every word the bot writes is in the request's locale (the user's Slack language, else the
channel's, else the config's, else English: ``adapters.slack.readers``), and every briefing is
shown in the channel's script and order.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

from adapters.discussion import DiscussionBriefer, make_discussion_briefer
from adapters.pacing import ChannelPacer
from adapters.slack.admins import SlackAdmins
from adapters.slack.client import make_web_client
from adapters.slack.deliver import CHANNEL_INTERVAL, post_briefing
from adapters.slack.discussion import (
    OUTSIDE_THREAD,
    THREAD_WORDS,
    DiscussionTriggers,
    SlackDiscussions,
    parse_permalink,
)
from adapters.slack.files import read_shared_file
from adapters.slack.readers import Readers, Request
from adapters.slack.redelivery import EventLog, SkipRedeliveries
from adapters.slack.render import SHARE_ACTION, VOTE_DOWN, VOTE_UP, escape_mrkdwn, render_briefing, render_help
from adapters.slack.settings import SlackSettings
from adapters.slack.user_text import after_mention, from_slack
from bot import metrics
from bot.briefing import Briefing
from bot.chat.briefer import Briefer, user_message, working
from bot.chat.commands import BriefCommand, HelpCommand, ScheduleCommand, parse
from bot.chat.i18n import N_, tr
from bot.chat.settings import SettingsCommand, reaction_matches
from bot.chat.workers import Busy
from bot.errors import BriefbotError

if TYPE_CHECKING:
    from bot.runtime import BotRuntime
    from bot.store import Store

log = logging.getLogger("briefbot.slack")


class _DropTokenUnusedWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and, given our client, warns that it goes unused: the
    client carries that very token, so the warning would only alarm whoever starts the bot."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


bolt_log = logging.getLogger("briefbot.slack.bolt")
bolt_log.addFilter(_DropTokenUnusedWarning())

PLATFORM = "slack"
COMMAND = "/brief"
#: The message shortcut "Brief this discussion" (config/slack-manifest.yml).
SHORTCUT = "brief_discussion"
MENTION = "@briefbot"
NO_SCHEDULES = N_("Schedules are not set up on this bot yet.")
NO_SETTINGS = N_("Channel settings are not kept on this bot (it runs without a store).")
NO_FEEDBACK = N_("Feedback is not kept on this bot (it runs without a store).")
VOTE_GONE = N_("That briefing is no longer known to the bot, so the vote was not kept.")
VOTED = N_("Thanks: your vote is {vote}. This briefing now has {up} 👍 and {down} 👎.")
#: Seconds the slow work waits after the ack (see on_command).
ACK_HEAD_START = 0.02
_VOTES = re.compile(f"^(?:{VOTE_UP}|{VOTE_DOWN})$")
_LINK = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)


def build_app(
    settings: SlackSettings,
    *,
    briefer: Briefer,
    client: AsyncWebClient | None = None,
    runtime: BotRuntime | None = None,
    discuss: DiscussionBriefer | None = None,
    events: EventLog | None = None,
    pacer: ChannelPacer | None = None,
) -> AsyncApp:
    """The bolt app for ``settings``; ``briefer`` turns a command into a ``Briefing``;
    ``runtime`` (the config and the store) answers ``/brief schedule …`` and ``/brief settings``,
    keeps votes and reactions, and gives channels their settings; ``discuss`` briefs
    discussions (threads, the message shortcut, ``/brief <message link>``); ``events``
    remembers event ids (in this process unless given); ``pacer`` spaces out posts per channel."""
    app = AsyncApp(
        name="briefbot",
        logger=bolt_log,
        client=client or make_web_client(settings),
        signing_secret=settings.signing_secret or "",  # Socket Mode requests are not signed
    )
    app.use(SkipRedeliveries(events))
    readers = Readers(app.client, runtime)
    discussions = DiscussionTriggers(
        SlackDiscussions(app.client), discuss or make_discussion_briefer(), readers=readers
    )
    bot = SlackBot(briefer, readers, discussions, runtime, pacer or ChannelPacer(CHANNEL_INTERVAL))

    app.command(COMMAND)(bot.on_command)
    app.event("app_mention")(bot.on_mention)
    app.event("reaction_added")(bot.on_reaction)
    app.action(_VOTES)(bot.on_vote)

    @app.shortcut(SHORTCUT)
    async def on_shortcut(ack: AsyncAck, shortcut: dict, respond: AsyncRespond, context: AsyncBoltContext) -> None:
        await discussions.on_shortcut(ack, shortcut, respond, context)

    @app.action(SHARE_ACTION)
    async def on_share(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient) -> None:
        await discussions.on_share(ack, body, respond, client)

    return app


class SlackBot:
    """The handlers: what each request asks for, answered in its locale and the channel's display."""

    def __init__(
        self,
        briefer: Briefer,
        readers: Readers,
        discussions: DiscussionTriggers,
        runtime: BotRuntime | None,
        pacer: ChannelPacer,
    ) -> None:
        self.briefer = briefer
        self.readers = readers
        self.discussions = discussions
        self.runtime = runtime
        self.pacer = pacer

    @property
    def store(self) -> Store | None:
        return self.runtime.store if self.runtime is not None else None

    # -- /brief ---------------------------------------------------------------------------
    async def on_command(
        self, ack: AsyncAck, command: dict, respond: AsyncRespond, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        channel, user = command.get("channel_id", ""), command.get("user_id")
        request = await self.readers.request(user, channel)
        locale = request.locale
        text = from_slack(command.get("text", ""))
        target = parse_permalink(text)
        if target is not None:
            await self.discussions.on_permalink(target, ack, respond, context, locale)
            return
        # Parsing is instant, so a mistake, help, schedules and settings are answered in the ack
        # itself (or right after it): one ephemeral message, never "working on it" then a mistake.
        try:
            parsed = parse(text, COMMAND)
        except BriefbotError as exc:
            await ack(text=escape_mrkdwn(user_message(exc, locale)), response_type="ephemeral")
            return
        if isinstance(parsed, HelpCommand):
            help_message = render_help(COMMAND, locale, mention=MENTION)
            await ack(text=help_message.text, blocks=list(help_message.blocks), response_type="ephemeral")
            return
        if isinstance(parsed, ScheduleCommand | SettingsCommand):
            if self.runtime is None:
                missing = NO_SCHEDULES if isinstance(parsed, ScheduleCommand) else NO_SETTINGS
                await ack(text=tr(locale, missing), response_type="ephemeral")
                return
            await ack(text=working(locale, short=True), response_type="ephemeral")
            answer = await self._admin_answer(parsed, client, channel, user, locale)
            try:
                await respond(text=escape_mrkdwn(answer), response_type="ephemeral", replace_original=False)
            except Exception:
                log.exception("could not send the answer through response_url")
            return
        await self._command_briefing(parsed, ack, respond, client, channel, request)

    async def _command_briefing(
        self,
        command: BriefCommand,
        ack: AsyncAck,
        respond: AsyncRespond,
        client: AsyncWebClient,
        channel: str,
        request: Request,
    ) -> None:
        locale = request.locale
        trigger = "private" if command.private else "command"
        started = time.monotonic()
        try:
            ticket = self.briefer.admit(command)  # a full queue is answered in the ack, and nothing else happens
        except Busy as exc:
            metrics.record_briefing(PLATFORM, trigger, "busy")
            await ack(text=escape_mrkdwn(user_message(exc, locale)), response_type="ephemeral")
            return
        with ticket:
            await ack(text=working(locale, thread=command.thread, private=command.private), response_type="ephemeral")
            # Bolt sends the ack from a loop that wakes every 10 ms; a short head start keeps a fast
            # briefing from reaching the channel before "working on it" reaches the user.
            await asyncio.sleep(ACK_HEAD_START)
            try:
                briefing = await self.briefer(command)
                ticket.release()  # built: waiting for the channel's turn to post holds no place in the queue
                if command.private:
                    for message in await self._messages(briefing, request):
                        await respond(
                            text=message.text,
                            blocks=list(message.blocks),
                            response_type="ephemeral",
                            replace_original=False,
                        )
                else:
                    await self._post(client, channel, briefing, request, thread=command.thread)
            except Exception as exc:
                _log_failure(exc, trigger)
                try:
                    sentence = escape_mrkdwn(user_message(exc, locale))
                    await respond(text=sentence, response_type="ephemeral", replace_original=False)
                except Exception:
                    log.exception("could not tell the user about the failure through response_url")
                return
        metrics.record_briefing(PLATFORM, trigger, "posted", time.monotonic() - started)

    # -- mentions -------------------------------------------------------------------------
    async def on_mention(self, event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        channel, user = event.get("channel", ""), event.get("user")
        thread_ts = event.get("thread_ts") or event.get("ts")
        request = await self.readers.request(user, channel)
        locale = request.locale
        words = after_mention(event.get("text", ""), context.bot_user_id)
        if event.get("files"):
            await self._brief_file(event, client, request)
        elif words.lower() in THREAD_WORDS and event.get("thread_ts"):
            await self.discussions.brief_thread_here(event, client, context)
        elif words.lower() in THREAD_WORDS - {""}:
            await _whisper_safely(client, channel, user, event.get("ts"), escape_mrkdwn(tr(locale, OUTSIDE_THREAD)))
        else:
            await self._mention_command(words, event, client, request, thread_ts)

    async def _mention_command(
        self, words: str, event: dict, client: AsyncWebClient, request: Request, thread_ts: str | None
    ) -> None:
        channel, user, locale = event.get("channel", ""), event.get("user"), request.locale
        started = time.monotonic()
        trigger = None  # set once a briefing is asked for, so its outcome is counted
        try:
            parsed = parse(words, MENTION)
            if isinstance(parsed, HelpCommand):
                help_message = render_help(MENTION, locale, mention=MENTION)
                await _whisper(client, channel, user, thread_ts, help_message.text, list(help_message.blocks))
            elif isinstance(parsed, ScheduleCommand | SettingsCommand):
                if self.runtime is None:
                    answer = tr(locale, NO_SCHEDULES if isinstance(parsed, ScheduleCommand) else NO_SETTINGS)
                else:
                    answer = await self._admin_answer(parsed, client, channel, user, locale)
                await _whisper(client, channel, user, thread_ts, escape_mrkdwn(answer))
            else:
                trigger = "private" if parsed.private else "mention"
                with self.briefer.admit(parsed) as ticket:
                    briefing = await self.briefer(parsed)
                    ticket.release()
                    if parsed.private:
                        for message in await self._messages(briefing, request):
                            await _whisper(client, channel, user, thread_ts, message.text, list(message.blocks))
                    else:
                        await self._post(client, channel, briefing, request, thread=parsed.thread, thread_ts=thread_ts)
                metrics.record_briefing(PLATFORM, trigger, "posted", time.monotonic() - started)
        except Exception as exc:
            _log_failure(exc, trigger)
            await _whisper_safely(client, channel, user, thread_ts, escape_mrkdwn(user_message(exc, locale)))

    async def _brief_file(self, event: dict, client: AsyncWebClient, request: Request) -> None:
        """A mention with a file attached: brief the (first) file, in the mention's thread."""
        channel, user = event.get("channel", ""), event.get("user")
        thread_ts = event.get("thread_ts") or event.get("ts")

        async def command() -> tuple[BriefCommand, str | None]:
            shared = await read_shared_file(client, event["files"][0])
            return BriefCommand(shared.text), shared.name

        await self._brief_in_thread("file", command, client, channel, user, thread_ts, request)

    # -- reactions ------------------------------------------------------------------------
    async def on_reaction(self, event: dict, client: AsyncWebClient) -> None:
        """The channel's reaction on a message with a link briefs that link in the message's thread:
        only where an admin turned reactions on, and only the first time for a message."""
        item = event.get("item") or {}
        channel, ts, user = item.get("channel", ""), item.get("ts", ""), event.get("user")
        if item.get("type") != "message" or not channel or not ts or self.store is None:
            return
        try:
            settings = await self.readers.channel(channel)
            if not settings.reactions_on or not reaction_matches(settings.reaction_emoji, event.get("reaction", "")):
                return
            message = await _message_at(client, channel, ts)
        except Exception:
            log.exception("could not read the message a reaction was added to")
            return
        link = first_link(str((message or {}).get("text") or ""))
        if message is None or link is None:
            return
        if not await asyncio.to_thread(self.store.claim_reaction, PLATFORM, f"{channel}:{ts}"):
            return  # briefed already (or being briefed), here or by another process
        request = await self.readers.request(user, channel)
        thread_ts = message.get("thread_ts") or ts

        async def command() -> tuple[BriefCommand, str | None]:
            return BriefCommand(link), None

        await self._brief_in_thread("reaction", command, client, channel, user, thread_ts, request)

    async def _brief_in_thread(
        self,
        trigger: str,
        command: Callable[[], Awaitable[tuple[BriefCommand, str | None]]],
        client: AsyncWebClient,
        channel: str,
        user: str | None,
        thread_ts: str,
        request: Request,
    ) -> None:
        """Brief what ``command()`` gives (its source named as given) and post it in the thread;
        a failure is one private sentence to ``user`` there, in their locale."""
        started = time.monotonic()
        try:
            wanted, source = await command()
            with self.briefer.admit(wanted) as ticket:
                briefing = await self.briefer(wanted)
                if source is not None:
                    briefing = replace(briefing, source=source)
                ticket.release()
                await self._post(client, channel, briefing, request, thread_ts=thread_ts)
            metrics.record_briefing(PLATFORM, trigger, "posted", time.monotonic() - started)
        except Exception as exc:
            _log_failure(exc, trigger)
            await _whisper_safely(client, channel, user, thread_ts, escape_mrkdwn(user_message(exc, request.locale)))

    # -- feedback -------------------------------------------------------------------------
    async def on_vote(self, ack: AsyncAck, body: dict, respond: AsyncRespond) -> None:
        """👍 / 👎 on a briefing: one vote per person, pressing again changes it; the counts, privately."""
        await ack()
        action = (body.get("actions") or [{}])[0]
        user = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
        locale = (await self.readers.request(user, channel)).locale
        vote = 1 if action.get("action_id") == VOTE_UP else -1
        key = str(action.get("value") or "")
        store = self.store
        try:
            if store is None:
                answer = tr(locale, NO_FEEDBACK)
            else:
                try:
                    await asyncio.to_thread(
                        store.record_vote, key, platform=PLATFORM, channel=channel, user=user, vote=vote
                    )
                except KeyError:
                    answer = tr(locale, VOTE_GONE)
                else:
                    up, down = await asyncio.to_thread(store.votes_for, key)
                    answer = tr(locale, VOTED, vote="👍" if vote > 0 else "👎", up=up, down=down)
        except Exception as exc:
            _log_failure(exc)
            answer = user_message(exc, locale)
        try:
            await respond(text=escape_mrkdwn(answer), response_type="ephemeral", replace_original=False)
        except Exception:
            log.exception("could not acknowledge a vote through response_url")

    # -- shared ---------------------------------------------------------------------------
    async def _admin_answer(
        self,
        command: ScheduleCommand | SettingsCommand,
        client: AsyncWebClient,
        channel: str,
        user: str | None,
        locale: str,
    ) -> str:
        """Carry out a schedule or settings command for this channel; the answer, or the one
        sentence saying why not."""
        from bot.chat import schedule, settings

        assert self.runtime is not None
        try:
            admins = SlackAdmins(client, self.runtime.config.admins)
            if isinstance(command, SettingsCommand):
                context = self.runtime.settings_context(
                    platform=PLATFORM, channel=channel, user=user or "", admins=admins, locale=locale
                )
                try:
                    return await settings.handle(command, context)
                finally:
                    self.readers.forget(channel)
            scheduling = self.runtime.schedule_context(
                platform=PLATFORM, channel=channel, user=user or "", admins=admins, locale=locale
            )
            return await schedule.handle(command, scheduling)
        except Exception as exc:
            _log_failure(exc)
            return user_message(exc, locale)

    async def _remember(self, briefing: Briefing) -> str | None:
        """The briefing's key for its feedback buttons (None without a store: no buttons)."""
        if self.store is None:
            return None
        return await asyncio.to_thread(self.store.remember_briefing, briefing)

    async def _messages(self, briefing: Briefing, request: Request) -> list[Any]:
        s = request.settings
        key = await self._remember(briefing)
        return render_briefing(briefing, request.locale, zh=s.zh, order=s.order, feedback=key)

    async def _post(
        self,
        client: AsyncWebClient,
        channel: str,
        briefing: Briefing,
        request: Request,
        *,
        thread: bool = False,
        thread_ts: str | None = None,
    ) -> None:
        s = request.settings
        key = await self._remember(briefing)
        await post_briefing(
            client,
            channel,
            briefing,
            thread=thread,
            thread_ts=thread_ts,
            pacer=self.pacer,
            locale=request.locale,
            zh=s.zh,
            order=s.order,
            feedback=key,
        )


def first_link(text: str) -> str | None:
    """The first http(s) link in a Slack message's text (``<https://…|label>`` included)."""
    found = _LINK.search(from_slack(text))
    return found.group(0).rstrip(".,;:!?)]}»」』") if found else None


async def _message_at(client: AsyncWebClient, channel: str, ts: str) -> dict | None:
    """The message at ``ts``: in the channel's history, else a thread reply."""
    page = await client.conversations_history(channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1)
    for message in page.get("messages") or []:
        if message.get("ts") == ts:
            return message
    page = await client.conversations_replies(channel=channel, ts=ts, limit=1, inclusive=True)
    for message in page.get("messages") or []:
        if message.get("ts") == ts:
            return message
    return None


async def _whisper(
    client: AsyncWebClient,
    channel: str,
    user: str | None,
    thread_ts: str | None,
    text: str,
    blocks: list[dict] | None = None,
) -> None:
    """An ephemeral message to the one user who asked."""
    if not user:
        return
    await client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks, thread_ts=thread_ts)


async def _whisper_safely(
    client: AsyncWebClient, channel: str, user: str | None, thread_ts: str | None, text: str
) -> None:
    try:
        await _whisper(client, channel, user, thread_ts, text)
    except Exception:
        log.exception("could not tell the user with chat.postEphemeral")


def _log_failure(exc: BaseException, trigger: str | None = None) -> None:
    """Log a failure; with ``trigger``, count it as a briefing refused (one sentence to the user) or failed."""
    if isinstance(exc, Busy):
        outcome = "busy"
        log.info("busy: %s", exc.message)
    elif isinstance(exc, BriefbotError):
        outcome = "refused"
        log.info("refused: %s", exc.message)
    else:
        outcome = "failed"
        log.error("briefing failed", exc_info=exc)
    if trigger is not None:
        metrics.record_briefing(PLATFORM, trigger, outcome)

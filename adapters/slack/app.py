"""The Slack app: ``/brief`` and mentions of the bot, on slack-bolt's ``AsyncApp``.

A slash command is acknowledged first, ephemerally, before any slow work (Slack allows
3 s); the briefing is then built off the event loop and posted in the channel, paced per
channel. When the briefing queue is full the ack itself says so. A mistake gets one
ephemeral sentence, nothing is posted, and the app keeps serving: no exception leaves a
handler, and tracebacks go only to the log.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

from adapters.discussion import DiscussionBriefer, make_discussion_briefer
from adapters.pacing import ChannelPacer
from adapters.slack.client import make_web_client
from adapters.slack.deliver import CHANNEL_INTERVAL, post_briefing
from adapters.slack.discussion import (
    OUTSIDE_THREAD,
    THREAD_WORDS,
    DiscussionTriggers,
    SlackDiscussions,
    parse_permalink,
)
from adapters.slack.redelivery import EventLog, SkipRedeliveries
from adapters.slack.render import SHARE_ACTION, escape_mrkdwn, render_help
from adapters.slack.settings import SlackSettings
from adapters.slack.user_text import after_mention, from_slack
from bot import metrics
from bot.chat.briefer import Briefer, user_message
from bot.chat.commands import BriefCommand, CommandError, HelpCommand, ScheduleCommand, parse
from bot.chat.workers import Busy, Ticket
from bot.errors import BriefbotError

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

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
WORKING = "Working on it… the briefing will appear in this channel in a moment."
WORKING_THREAD = "Working on it… the briefing will appear in this channel, with one thread reply per key point."
NO_SCHEDULES = "Schedules are not set up on this bot yet."
#: Seconds the slow work waits after the ack (see handle_command).
ACK_HEAD_START = 0.02


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
    ``runtime`` (when the scheduler runs) answers ``/brief schedule …``; ``discuss`` briefs
    discussions (threads, the message shortcut, ``/brief <message link>``); ``events``
    remembers event ids (in this process unless given); ``pacer`` spaces out posts per channel."""
    app = AsyncApp(
        name="briefbot",
        logger=bolt_log,
        client=client or make_web_client(settings),
        signing_secret=settings.signing_secret or "",  # Socket Mode requests are not signed
    )
    app.use(SkipRedeliveries(events))
    pacer = pacer or ChannelPacer(CHANNEL_INTERVAL)
    discussions = DiscussionTriggers(SlackDiscussions(app.client), discuss or make_discussion_briefer())

    @app.command(COMMAND)
    async def on_brief(
        ack: AsyncAck, command: dict, respond: AsyncRespond, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        target = parse_permalink(from_slack(command.get("text", "")))
        if target is not None:
            await discussions.on_permalink(target, ack, respond, context)
            return
        await handle_command(ack, command, respond, client, briefer, runtime, pacer)

    @app.event("app_mention")
    async def on_mention(event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        words = after_mention(event.get("text", ""), context.bot_user_id).lower()
        if words in THREAD_WORDS and event.get("thread_ts"):
            await discussions.brief_thread_here(event, client, context)
        elif words in THREAD_WORDS - {""}:
            try:
                await _whisper(client, event.get("channel", ""), event.get("user"), event.get("ts"), OUTSIDE_THREAD)
            except Exception:
                log.exception("could not answer a mention outside a thread")
        else:
            await handle_mention(event, client, context.bot_user_id, briefer, runtime, pacer)

    @app.shortcut(SHORTCUT)
    async def on_shortcut(ack: AsyncAck, shortcut: dict, respond: AsyncRespond, context: AsyncBoltContext) -> None:
        await discussions.on_shortcut(ack, shortcut, respond, context)

    @app.action(SHARE_ACTION)
    async def on_share(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient) -> None:
        await discussions.on_share(ack, body, respond, client)

    return app


async def handle_command(
    ack: AsyncAck,
    command: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    briefer: Briefer,
    runtime: BotRuntime | None = None,
    pacer: ChannelPacer | None = None,
) -> None:
    # Parsing is instant, so a mistake, help or schedules are answered in the ack itself:
    # one ephemeral message rather than "working on it" followed by the answer.
    try:
        parsed = parse(from_slack(command.get("text", "")), COMMAND)
    except CommandError as exc:
        await ack(text=escape_mrkdwn(exc.message), response_type="ephemeral")
        return
    if isinstance(parsed, HelpCommand):
        help_message = render_help(COMMAND)
        await ack(text=help_message.text, blocks=list(help_message.blocks), response_type="ephemeral")
        return
    if isinstance(parsed, ScheduleCommand):
        if runtime is None:
            await ack(text=NO_SCHEDULES, response_type="ephemeral")
            return
        await ack(text="Working on it…", response_type="ephemeral")
        answer = await _schedule_answer(parsed, client, command.get("channel_id", ""), command.get("user_id"), runtime)
        try:
            await respond(text=escape_mrkdwn(answer), response_type="ephemeral", replace_original=False)
        except Exception:
            log.exception("could not send the schedule answer through response_url")
        return
    started = time.monotonic()
    try:
        ticket = briefer.admit(parsed)  # a full queue is answered in the ack too, and nothing else happens
    except Busy as exc:
        metrics.record_briefing(PLATFORM, "command", "busy")
        await ack(text=escape_mrkdwn(exc.message), response_type="ephemeral")
        return
    with ticket:
        await ack(text=WORKING_THREAD if parsed.thread else WORKING, response_type="ephemeral")
        # Bolt sends the ack from a loop that wakes every 10 ms; a short head start keeps a fast
        # briefing from reaching the channel before "working on it" reaches the user.
        await asyncio.sleep(ACK_HEAD_START)
        try:
            await _brief_and_post(parsed, client, command["channel_id"], briefer, ticket, pacer)
        except Exception as exc:
            _log_failure(exc, "command")
            try:
                await respond(text=escape_mrkdwn(user_message(exc)), response_type="ephemeral", replace_original=False)
            except Exception:
                log.exception("could not tell the user about the failure through response_url")
            return
    metrics.record_briefing(PLATFORM, "command", "posted", time.monotonic() - started)


async def handle_mention(
    event: dict,
    client: AsyncWebClient,
    bot_user_id: str | None,
    briefer: Briefer,
    runtime: BotRuntime | None = None,
    pacer: ChannelPacer | None = None,
) -> None:
    channel = event.get("channel", "")
    user = event.get("user")
    thread_ts = event.get("thread_ts") or event.get("ts")
    started = time.monotonic()
    trigger = None  # set once a briefing is asked for, so its outcome is counted
    try:
        parsed = parse(after_mention(event.get("text", ""), bot_user_id), MENTION)
        if isinstance(parsed, HelpCommand):
            help_message = render_help(MENTION)
            await _whisper(client, channel, user, thread_ts, help_message.text, list(help_message.blocks))
        elif isinstance(parsed, ScheduleCommand):
            answer = (
                await _schedule_answer(parsed, client, channel, user, runtime) if runtime is not None else NO_SCHEDULES
            )
            await _whisper(client, channel, user, thread_ts, escape_mrkdwn(answer))
        else:
            trigger = "mention"
            with briefer.admit(parsed) as ticket:
                await _brief_and_post(parsed, client, channel, briefer, ticket, pacer, thread_ts=thread_ts)
            metrics.record_briefing(PLATFORM, "mention", "posted", time.monotonic() - started)
    except Exception as exc:
        _log_failure(exc, trigger)
        try:
            await _whisper(client, channel, user, thread_ts, escape_mrkdwn(user_message(exc)))
        except Exception:
            log.exception("could not tell the user about the failure with chat.postEphemeral")


async def _schedule_answer(
    command: ScheduleCommand, client: AsyncWebClient, channel: str, user: str | None, runtime: BotRuntime
) -> str:
    """Carry out a schedule command for this channel; the answer, or the one sentence saying why not."""
    from adapters.slack.admins import SlackAdmins
    from bot.chat.schedule import handle

    try:
        admins = SlackAdmins(client, runtime.config.admins)
        context = runtime.schedule_context(platform="slack", channel=channel, user=user or "", admins=admins)
        return await handle(command, context)
    except Exception as exc:
        _log_failure(exc)
        return user_message(exc)


async def _brief_and_post(
    command: BriefCommand,
    client: AsyncWebClient,
    channel: str,
    briefer: Briefer,
    ticket: Ticket,
    pacer: ChannelPacer | None,
    *,
    thread_ts: str | None = None,
) -> None:
    briefing = await briefer(command)
    ticket.release()  # built: waiting for the channel's turn to post holds no place in the queue
    await post_briefing(client, channel, briefing, thread=command.thread, thread_ts=thread_ts, pacer=pacer)


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

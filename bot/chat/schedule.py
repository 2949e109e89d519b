"""``/brief schedule add|list|remove|run`` — the same on every platform and in the shell.

Everyone may list; only admins may add, remove or run. Each adapter answers "is this user
an admin?" its own way through one protocol, ``AdminCheck`` (Slack workspace admins or
listed users, Discord's Manage Server or listed roles, the local user in the shell), and
renders the reply; the rules live here once.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bot.chat.commands import ScheduleCommand
from bot.chat.i18n import N_, tr
from bot.errors import BriefbotError, ConfigError, Message
from bot.schedule.runner import ChannelOutcome, describe_run
from bot.schedule.spec import ScheduleSpec, next_fire, validate, zone
from bot.store import PostStatus, Store
from bot.text.load import is_url

USAGE = Message(
    "Usage: /brief schedule add daily HH:MM [Area/City] <feed, folder or link> [thread] [articles=N] · "
    "/brief schedule add cron M H D Mon Wd [Area/City] <source> [thread] · /brief schedule list · "
    "/brief schedule remove <id> · /brief schedule run <id>"
)
_COUNT = re.compile(r"^(articles|points)=(\d{1,2})$", re.IGNORECASE)


class AdminCheck(Protocol):
    """Whether a user may change or run schedules; each platform implements it."""

    async def is_admin(self, user: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class FixedAdmin:
    """Everyone is (or no one is) an admin: the shell's local user, the command line."""

    answer: bool = True

    async def is_admin(self, user: str) -> bool:
        return self.answer


@dataclass
class ScheduleContext:
    store: Store
    platform: str
    channel: str
    user: str
    admins: AdminCheck
    default_timezone: str = "UTC"
    #: Local folders are only accepted where the user owns the machine (the shell).
    allow_local_sources: bool = False
    #: Called after a schedule is added or removed (to update the live scheduler). It blocks
    #: (it writes the job store), so it is called in a thread.
    on_change: Callable[[ScheduleSpec | None, str], None] | None = None
    #: Run a schedule now (posts its digest); None where nothing can deliver.
    run_now: Callable[[ScheduleSpec], Awaitable[list[ChannelOutcome]]] | None = None
    #: The language of the replies (the request's locale).
    locale: str = "en"


class ScheduleError(BriefbotError):
    pass


async def handle(command: ScheduleCommand, ctx: ScheduleContext) -> str:
    """Carry out a schedule command; the reply is one or a few plain lines, in ``ctx.locale``."""
    action = command.action
    if action == "list":
        return await asyncio.to_thread(_list, ctx)
    if action not in ("add", "remove", "run"):
        raise ScheduleError("Unknown schedule action {action}. {usage}", action=repr(action), usage=USAGE)
    if not await ctx.admins.is_admin(ctx.user):
        raise ScheduleError("Only admins can change or run schedules; ask a workspace or server admin.")
    if action == "add":
        spec = parse_add(command.args, ctx)
        added = await asyncio.to_thread(ctx.store.add_schedule, spec)
        if not added:
            raise ScheduleError("A schedule with id {id} already exists; try again.", id=spec.id)
        if ctx.on_change:
            await asyncio.to_thread(ctx.on_change, spec, spec.id)
        when = next_fire(spec, datetime.now(UTC))
        template = (
            "Added schedule {id}: {when} ({timezone}) from {source} with key points in a thread; next run {next}."
            if spec.thread
            else "Added schedule {id}: {when} ({timezone}) from {source}; next run {next}."
        )
        return tr(
            ctx.locale,
            template,
            id=spec.id,
            when=spec.when,
            timezone=spec.timezone,
            source=spec.source,
            next=_fmt(when, spec.timezone, ctx.locale),
        )
    if not command.args:
        raise ScheduleError("Say which schedule: /brief schedule {action} <id>.", action=action)
    schedule_id = command.args[0]
    spec = await asyncio.to_thread(ctx.store.get_schedule, schedule_id)
    if spec is None:
        raise ScheduleError("There is no schedule {id}; /brief schedule list shows them.", id=schedule_id)
    if action == "remove":
        await asyncio.to_thread(ctx.store.remove_schedule, schedule_id)
        if ctx.on_change:
            await asyncio.to_thread(ctx.on_change, None, schedule_id)
        if spec.origin == "config":
            return tr(
                ctx.locale,
                "Removed schedule {id} (it is also in the config file, so it returns on restart).",
                id=schedule_id,
            )
        return tr(ctx.locale, "Removed schedule {id}.", id=schedule_id)
    if ctx.run_now is None:
        raise ScheduleError(
            "Schedule {id} posts to {platform}, which is not connected here.", id=schedule_id, platform=spec.platform
        )
    outcomes = await ctx.run_now(spec)
    return "; ".join(_outcome(o, ctx.locale) for o in outcomes) or tr(
        ctx.locale, "Schedule {id} has no channels.", id=schedule_id
    )


def parse_add(args: tuple[str, ...], ctx: ScheduleContext) -> ScheduleSpec:
    words = list(args)
    if not words:
        raise ScheduleError(USAGE.msgid)
    kind = words.pop(0).lower()
    if kind == "daily":
        if not words:
            raise ScheduleError("Give a time after daily, like: /brief schedule add daily 08:00 Asia/Taipei <source>.")
        when = "daily " + words.pop(0)
    elif kind == "cron":
        if len(words) < 5:
            raise ScheduleError("A cron schedule has five fields: minute hour day month weekday.")
        when = " ".join(words[:5])
        words = words[5:]
    else:
        raise ScheduleError("Start with daily or cron, not {kind}. {usage}", kind=repr(kind), usage=USAGE)
    timezone = ctx.default_timezone
    if words and _looks_like_zone(words[0]):
        timezone = words.pop(0)
        try:
            zone(timezone)
        except ConfigError as exc:
            raise ScheduleError(exc.msgid, **exc.params) from None
    if not words:
        raise ScheduleError("Give a source after the time: a feed or article link, e.g. https://example.com/rss.")
    source = words.pop(0).strip("<>").split("|", 1)[0]  # Slack wraps links as <url|label>
    if not is_url(source) and not ctx.allow_local_sources:
        raise ScheduleError("From chat, a schedule's source must be an http(s) link to a feed or an article.")
    thread, articles, points = False, 5, 5
    for word in words:
        count = _COUNT.match(word)
        if word.lower() == "thread":
            thread = True
        elif count:
            if count.group(1).lower() == "articles":
                articles = int(count.group(2))
            else:
                points = int(count.group(2))
        else:
            raise ScheduleError("I don't understand {word} here. {usage}", word=repr(word), usage=USAGE)
    spec = ScheduleSpec(
        id=f"{ctx.platform[:2]}-{secrets.token_hex(3)}",
        platform=ctx.platform,
        channels=(ctx.channel,),
        when=when,
        timezone=timezone,
        source=source,
        articles=articles,
        thread=thread,
        points=points,
        origin="chat",
        created_by=ctx.user,
    )
    try:
        return validate(spec)
    except ConfigError as exc:
        raise ScheduleError(exc.msgid, **exc.params) from None


def _looks_like_zone(word: str) -> bool:
    return word.upper() == "UTC" or (bool(re.fullmatch(r"[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+", word)) and "://" not in word)


def _list(ctx: ScheduleContext) -> str:
    specs = [
        s
        for s in ctx.store.schedules()
        if ctx.platform == "shell" or (s.platform == ctx.platform and ctx.channel in s.channels)
    ]
    if not specs:
        return tr(ctx.locale, "No schedules here yet. Add one with /brief schedule add daily 08:00 <feed link>.")
    now = datetime.now(UTC)
    lines = []
    for s in specs:
        runs = ctx.store.runs_for(s.id, runs=5)
        line = tr(
            ctx.locale,
            "{id}: {when} ({timezone}) → {platform} {channels} from {source}{thread}; next {next}",
            id=s.id,
            when=s.when,
            timezone=s.timezone,
            platform=s.platform,
            channels=", ".join(s.channels),
            source=s.source,
            thread=" [thread]" if s.thread else "",
            next=_fmt(next_fire(s, now), s.timezone, ctx.locale),
        )
        if runs:
            key, rows = runs[0]
            line += tr(
                ctx.locale, "; last run {run}: {status}", run=describe_run(s, key), status=_tally(rows, ctx.locale)
            )
        problems = [
            (describe_run(s, key), p.status, p.channel)
            for key, rows in runs
            for p in rows
            if p.status in ("missed", "unknown", "partial")
        ]
        lines.append(line)
        if problems:
            said = "; ".join(
                tr(ctx.locale, "{run} {status} for {channel}", run=run, status=_status(status, ctx.locale), channel=ch)
                for run, status, ch in problems[:5]
            )
            lines.append("  " + tr(ctx.locale, "needs a look: {problems}", problems=said))
            if any(status == "unknown" for _, status, _ in problems):
                lines.append("  " + tr(ctx.locale, UNKNOWN_HELP, id=s.id))
    return "\n".join(lines)


#: What an operator does about a run cut off mid-post.
UNKNOWN_HELP = N_(
    "unknown: the bot stopped while posting, so the digest may or may not be in the channel; "
    "it is never re-sent by itself. Look in the channel: if it is missing, "
    "/brief schedule run {id} (or briefbot schedule run {id}) posts it now."
)

#: How each run status reads in a listing.
_STATUS_WORDS = {
    "posted": N_("posted"),
    "empty": N_("empty"),
    "failed": N_("failed"),
    "missed": N_("missed"),
    "unknown": N_("unknown"),
    "partial": N_("partial"),
    "claimed": N_("claimed"),
    "sending": N_("sending"),
}


def _status(status: str, locale: str) -> str:
    word = _STATUS_WORDS.get(status)
    return tr(locale, word) if word else status


def _tally(rows: list[PostStatus], locale: str = "en") -> str:
    """One run's channels by status: ``posted`` or ``posted 198, failed 1 (retry 08:04 UTC)``."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    if len(rows) == 1:
        row = rows[0]
        text = _status(row.status, locale)
        if row.error and row.status != "missed":
            text += f" ({row.error})"
    else:
        text = ", ".join(f"{_status(status, locale)} {n}" for status, n in counts.items())
        notes = sorted({r.error for r in rows if r.error and r.status in ("posted", "empty")})
        if notes:
            text += f" ({notes[0]})"
    retries = [r.retry_at for r in rows if r.status == "failed" and r.retry_at]
    if retries:
        text += tr(locale, "; retrying at {time} UTC", time=f"{min(retries).astimezone(UTC):%H:%M}")
    return text


def _fmt(when: datetime | None, timezone: str, locale: str = "en") -> str:
    if when is None:
        return tr(locale, "never")
    return when.astimezone(zone(timezone)).strftime("%Y-%m-%d %H:%M %Z")


def _outcome(o: ChannelOutcome, locale: str = "en") -> str:
    """One channel's result, in words that say what really happened."""
    ch, detail = o.channel, o.detail
    if o.status == "posted":
        if detail:
            return tr(locale, "Posted to {channel} ({detail}).", channel=ch, detail=detail)
        return tr(locale, "Posted to {channel}.", channel=ch)
    if o.status == "empty":
        return tr(locale, "Nothing new for {channel}.", channel=ch)
    if o.status == "failed":
        if o.retry_at:
            return tr(
                locale,
                "Could not post to {channel}: {detail} It will be tried again at {time} UTC.",
                channel=ch,
                detail=detail,
                time=f"{o.retry_at.astimezone(UTC):%H:%M}",
            )
        return tr(
            locale,
            "Could not post to {channel}: {detail} Nothing was posted; run it again to retry.",
            channel=ch,
            detail=detail,
        )
    if o.status == "partial":
        return tr(
            locale,
            "Posted only part of the digest to {channel}: {detail}. It will not be re-sent.",
            channel=ch,
            detail=detail,
        )
    if o.status == "unknown":
        return tr(
            locale,
            "The post to {channel} was cut off ({detail}); it may or may not have arrived, so it will not be "
            "re-sent. Check the channel.",
            channel=ch,
            detail=detail,
        )
    if o.status == "unavailable":
        return tr(locale, "Did not post to {channel}: {detail}.", channel=ch, detail=detail)
    return _taken(o, locale)


def _taken(o: ChannelOutcome, locale: str = "en") -> str:
    found, ch, detail = o.found, o.channel, o.detail
    if found == "posted":
        return tr(locale, "Already posted to {channel} for this run; nothing sent again.", channel=ch)
    if found in ("claimed", "sending"):
        return tr(locale, "Another run is posting to {channel} right now; nothing sent from here.", channel=ch)
    if found == "empty":
        return tr(locale, "This run already found nothing new for {channel}; nothing sent.", channel=ch)
    if found == "partial":
        return tr(
            locale,
            "This run already posted part of the digest to {channel} ({detail}); nothing sent again.",
            channel=ch,
            detail=detail,
        )
    if found == "unknown":
        return tr(
            locale,
            "This run was cut off while posting to {channel} ({detail}); it may or may not have arrived, so "
            "nothing is sent again. Check the channel.",
            channel=ch,
            detail=detail,
        )
    if found == "failed":
        return tr(locale, "Another run took over the failed post to {channel}; nothing sent from here.", channel=ch)
    return tr(locale, "This run is already {status} for {channel}; nothing sent.", status=found, channel=ch)

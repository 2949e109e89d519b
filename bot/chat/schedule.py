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
from bot.errors import BriefbotError, ConfigError
from bot.schedule.runner import ChannelOutcome, describe_run
from bot.schedule.spec import ScheduleSpec, next_fire, validate, zone
from bot.store import PostStatus, Store
from bot.text.load import is_url

USAGE = (
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


class ScheduleError(BriefbotError):
    pass


async def handle(command: ScheduleCommand, ctx: ScheduleContext) -> str:
    """Carry out a schedule command; the reply is one or a few plain lines."""
    action = command.action
    if action == "list":
        return await asyncio.to_thread(_list, ctx)
    if action not in ("add", "remove", "run"):
        raise ScheduleError(f"Unknown schedule action {action!r}. {USAGE}")
    if not await ctx.admins.is_admin(ctx.user):
        raise ScheduleError("Only admins can change or run schedules; ask a workspace or server admin.")
    if action == "add":
        spec = parse_add(command.args, ctx)
        added = await asyncio.to_thread(ctx.store.add_schedule, spec)
        if not added:
            raise ScheduleError(f"A schedule with id {spec.id} already exists; try again.")
        if ctx.on_change:
            await asyncio.to_thread(ctx.on_change, spec, spec.id)
        when = next_fire(spec, datetime.now(UTC))
        return (
            f"Added schedule {spec.id}: {spec.when} ({spec.timezone}) from {spec.source}"
            f"{' with key points in a thread' if spec.thread else ''}; next run {_fmt(when, spec.timezone)}."
        )
    if not command.args:
        raise ScheduleError(f"Say which schedule: /brief schedule {action} <id>.")
    schedule_id = command.args[0]
    spec = await asyncio.to_thread(ctx.store.get_schedule, schedule_id)
    if spec is None:
        raise ScheduleError(f"There is no schedule {schedule_id}; /brief schedule list shows them.")
    if action == "remove":
        await asyncio.to_thread(ctx.store.remove_schedule, schedule_id)
        if ctx.on_change:
            await asyncio.to_thread(ctx.on_change, None, schedule_id)
        extra = " (it is also in the config file, so it returns on restart)" if spec.origin == "config" else ""
        return f"Removed schedule {schedule_id}{extra}."
    if ctx.run_now is None:
        raise ScheduleError(f"Schedule {schedule_id} posts to {spec.platform}, which is not connected here.")
    outcomes = await ctx.run_now(spec)
    return "; ".join(_outcome(o) for o in outcomes) or f"Schedule {schedule_id} has no channels."


def parse_add(args: tuple[str, ...], ctx: ScheduleContext) -> ScheduleSpec:
    words = list(args)
    if not words:
        raise ScheduleError(USAGE)
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
        raise ScheduleError(f"Start with daily or cron, not {kind!r}. {USAGE}")
    timezone = ctx.default_timezone
    if words and _looks_like_zone(words[0]):
        timezone = words.pop(0)
        try:
            zone(timezone)
        except ConfigError as exc:
            raise ScheduleError(exc.message) from None
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
            raise ScheduleError(f"I don't understand {word!r} here. {USAGE}")
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
        raise ScheduleError(exc.message) from None


def _looks_like_zone(word: str) -> bool:
    return word.upper() == "UTC" or (bool(re.fullmatch(r"[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+", word)) and "://" not in word)


def _list(ctx: ScheduleContext) -> str:
    specs = [
        s
        for s in ctx.store.schedules()
        if ctx.platform == "shell" or (s.platform == ctx.platform and ctx.channel in s.channels)
    ]
    if not specs:
        return "No schedules here yet. Add one with /brief schedule add daily 08:00 <feed link>."
    now = datetime.now(UTC)
    lines = []
    for s in specs:
        runs = ctx.store.runs_for(s.id, runs=5)
        status = ""
        if runs:
            key, rows = runs[0]
            status = f"; last: {describe_run(s, key)}: {_tally(rows)}"
        problems = [
            f"{describe_run(s, key)} {p.status} for {p.channel}"
            for key, rows in runs
            for p in rows
            if p.status in ("missed", "unknown", "partial")
        ]
        lines.append(
            f"{s.id}: {s.when} ({s.timezone}) → {s.platform} {', '.join(s.channels)} from {s.source}"
            f"{' [thread]' if s.thread else ''}; next {_fmt(next_fire(s, now), s.timezone)}{status}"
        )
        if problems:
            lines.append("  needs a look: " + "; ".join(problems[:5]))
            if any(" unknown for " in p for p in problems):
                lines.append(f"  {UNKNOWN_HELP.format(id=s.id)}")
    return "\n".join(lines)


#: What an operator does about a run cut off mid-post.
UNKNOWN_HELP = (
    "unknown: the bot stopped while posting, so the digest may or may not be in the channel; "
    "it is never re-sent by itself. Look in the channel: if it is missing, "
    "/brief schedule run {id} (or briefbot schedule run {id}) posts it now."
)


def _tally(rows: list[PostStatus]) -> str:
    """One run's channels by status: ``posted`` or ``posted 198, failed 1 (retry 08:04 UTC)``."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    if len(rows) == 1:
        row = rows[0]
        text = row.status
        if row.error and row.status != "missed":
            text += f" ({row.error})"
    else:
        text = ", ".join(f"{status} {n}" for status, n in counts.items())
        notes = sorted({r.error for r in rows if r.error and r.status in ("posted", "empty")})
        if notes:
            text += f" ({notes[0]})"
    retries = [r.retry_at for r in rows if r.status == "failed" and r.retry_at]
    if retries:
        text += f"; retrying at {min(retries).astimezone(UTC):%H:%M} UTC"
    return text


def _fmt(when: datetime | None, timezone: str) -> str:
    if when is None:
        return "never"
    return when.astimezone(zone(timezone)).strftime("%Y-%m-%d %H:%M %Z")


def _outcome(o: ChannelOutcome) -> str:
    """One channel's result, in words that say what really happened."""
    if o.status == "posted":
        skipped = f" ({o.detail})" if o.detail else ""
        return f"Posted to {o.channel}{skipped}."
    if o.status == "empty":
        return f"Nothing new for {o.channel}."
    if o.status == "failed":
        again = (
            f" It will be tried again at {o.retry_at.astimezone(UTC):%H:%M} UTC."
            if o.retry_at
            else " Nothing was posted; run it again to retry."
        )
        return f"Could not post to {o.channel}: {o.detail}{again}"
    if o.status == "partial":
        return f"Posted only part of the digest to {o.channel}: {o.detail}. It will not be re-sent."
    if o.status == "unknown":
        return (
            f"The post to {o.channel} was cut off ({o.detail}); it may or may not have arrived, "
            "so it will not be re-sent. Check the channel."
        )
    if o.status == "unavailable":
        return f"Did not post to {o.channel}: {o.detail}."
    return _taken(o)


def _taken(o: ChannelOutcome) -> str:
    found = o.found
    if found == "posted":
        return f"Already posted to {o.channel} for this run; nothing sent again."
    if found in ("claimed", "sending"):
        return f"Another run is posting to {o.channel} right now; nothing sent from here."
    if found == "empty":
        return f"This run already found nothing new for {o.channel}; nothing sent."
    if found == "partial":
        return f"This run already posted part of the digest to {o.channel} ({o.detail}); nothing sent again."
    if found == "unknown":
        return (
            f"This run was cut off while posting to {o.channel} ({o.detail}); it may or may not have arrived, "
            "so nothing is sent again. Check the channel."
        )
    if found == "failed":
        return f"Another run took over the failed post to {o.channel}; nothing sent from here."
    return f"This run is already {found} for {o.channel}; nothing sent."

"""Schedule specifications: when a channel gets its briefing, from what source.

A spec is plain data (it is stored in the database and in the config file); this
module turns its ``when`` into an APScheduler trigger and validates every field with
one sentence a person can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from bot.errors import ConfigError

PLATFORMS = ("slack", "discord", "shell")
_DAILY = re.compile(r"^daily\s+([01]?\d|2[0-3]):([0-5]\d)$", re.IGNORECASE)
_DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True, slots=True)
class ScheduleSpec:
    id: str
    platform: str
    #: Channel ids (Slack C…, Discord snowflakes, or "shell"); one claim row each per run.
    channels: tuple[str, ...]
    #: ``daily HH:MM`` or a five-field cron expression (minute hour day month weekday).
    when: str
    timezone: str
    source: str
    articles: int = 5
    thread: bool = False
    points: int = 5
    #: Where the spec came from: ``config`` or ``chat``.
    origin: str = "config"
    created_by: str | None = None

    def with_origin(self, origin: str, created_by: str | None = None) -> ScheduleSpec:
        return replace(self, origin=origin, created_by=created_by)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name!r} is not a known IANA time zone (for example Asia/Taipei or Europe/London)."
        ) from None


def trigger_for(when: str, timezone: str) -> CronTrigger:
    """The cron trigger for ``when`` in ``timezone``; raises ConfigError on a bad expression."""
    tz = zone(timezone)
    text = " ".join(when.split())
    daily = _DAILY.match(text)
    if daily:
        return CronTrigger(hour=int(daily.group(1)), minute=int(daily.group(2)), timezone=tz)
    fields = text.split(" ")
    if len(fields) != 5:
        raise ConfigError(
            f"{when!r} is not a schedule: use 'daily HH:MM' or a five-field cron expression like '0 8 * * mon-fri'."
        )
    minute, hour, day, month, dow = fields
    try:
        # Cron counts weekdays from Sunday = 0; APScheduler 3 from Monday = 0. Names are unambiguous.
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=_weekday_names(dow), timezone=tz)
    except ValueError as exc:
        raise ConfigError(f"{when!r} is not a valid cron expression ({exc}).") from None


def _weekday_names(field: str) -> str:
    return re.sub(r"\d+", lambda m: _DOW_NAMES[int(m.group(0))] if int(m.group(0)) <= 7 else m.group(0), field)


def next_fire(spec: ScheduleSpec, now: datetime) -> datetime | None:
    return trigger_for(spec.when, spec.timezone).get_next_fire_time(None, now)


def validate(spec: ScheduleSpec) -> ScheduleSpec:
    """Check every field; return the spec unchanged or raise ConfigError naming the field."""
    if not _ID.match(spec.id):
        raise ConfigError(f"Schedule id {spec.id!r} must be letters, digits, '-', '_' or '.' (at most 64).")
    if spec.platform not in PLATFORMS:
        raise ConfigError(f"Schedule {spec.id}: platform must be one of {', '.join(PLATFORMS)}, not {spec.platform!r}.")
    if not spec.channels or not all(c.strip() for c in spec.channels):
        raise ConfigError(f'Schedule {spec.id}: channel is empty; give channel = "…" or channels = ["…"].')
    if not spec.source.strip():
        raise ConfigError(f"Schedule {spec.id}: source is empty; give a folder, a feed URL or an article URL.")
    if not 1 <= spec.articles <= 50:
        raise ConfigError(f"Schedule {spec.id}: articles must be between 1 and 50, not {spec.articles}.")
    if not 1 <= spec.points <= 20:
        raise ConfigError(f"Schedule {spec.id}: points must be between 1 and 20, not {spec.points}.")
    trigger_for(spec.when, spec.timezone)
    return spec

"""Schedule specifications: when a channel gets its briefing, from what source.

A spec is plain data (it is stored in the database and in the config file); this
module turns its ``when`` into an APScheduler trigger and validates every field with
one sentence a person can act on.

``when`` reads as cron reads it (crontab(5)), built from APScheduler's own triggers:

- weekdays count from Sunday = 0 (7 is Sunday too), names ``sun``…``sat``;
- when both day of month and day of week are restricted (neither starts with ``*``), a day
  that matches *either* fires (``0 8 1 * mon``: the 1st, and every Monday) — an
  ``OrTrigger`` of two ``CronTrigger``s; when one starts with ``*``, both must match;
- on the night clocks go back, a wall-clock time that happens twice fires once, at its
  first occurrence — unless the minute or hour field starts with ``*`` (``0 * * * *``,
  ``*/15 1 * * *``): those fire in each of the two real hours;
- a time the clock skips in spring fires once, read with the offset from before the
  change (02:30 on the New York spring-forward day fires at 03:30 EDT).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.util import obj_to_ref, ref_to_obj

from bot.errors import ConfigError

PLATFORMS = ("slack", "discord", "shell")
_DAILY = re.compile(r"^daily\s+([01]?\d|2[0-3]):([0-5]\d)$", re.IGNORECASE)
_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DOW_PART = re.compile(r"^(\*|[a-z]{3}|\d+)(?:-([a-z]{3}|\d+))?(?:/(\d+))?$")
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


#: The largest change of a zone's UTC offset the schedule looks around (tzdata's largest since
#: 2012 is Antarctica/Troll's two hours).
MAX_SHIFT = timedelta(hours=3)


class CronSchedule(BaseTrigger):
    """A schedule's trigger: cron's reading of ``when`` in one time zone.

    APScheduler's own ``CronTrigger`` objects, run in UTC, where no clock changes, list the wall-clock
    times that match (an ``OrTrigger`` of two for cron's day-of-month OR day-of-week); this
    class turns each wall-clock time into the moments it happens in the zone. A time that
    happens twice fires once, at its first occurrence, unless ``every_pass``; a time the
    clock skips fires once, read with the offset from before the change. Every step starts
    1 µs after the previous fire time, counted in UTC, so it always moves forward.
    APScheduler pickles the trigger into the job store: it keeps plain state only.
    """

    __slots__ = ("every_pass", "timezone", "walls", "when", "zone_name")
    VERSION = 1

    def __init__(self, walls: BaseTrigger, *, every_pass: bool, when: str, zone_name: str) -> None:
        self.walls = walls
        self.every_pass = every_pass
        self.when = when
        self.zone_name = zone_name
        self.timezone = zone(zone_name)

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        if previous_fire_time is not None:
            start = previous_fire_time.astimezone(UTC) + timedelta(microseconds=1)
        else:
            start = now.astimezone(UTC)
        local = start.astimezone(self.timezone)
        wall = self._next_wall(_naive(local))
        if wall is None:
            return None
        moments = self._moments(wall)
        if len(moments) == 1 and moments[0] >= start and self._steady_around(start):
            return moments[0].astimezone(self.timezone)  # no clock change near: the usual case
        # Near a change of the clock: look at every wall-clock time that can map after ``start``.
        best: datetime | None = None
        wall = self._next_wall(_naive(local) - MAX_SHIFT)
        while wall is not None and (best is None or wall <= _naive(best.astimezone(self.timezone)) + MAX_SHIFT):
            for moment in self._moments(wall):
                if moment >= start and (best is None or moment < best):
                    best = moment
            wall = self._next_wall(wall + timedelta(microseconds=1))
        return best.astimezone(self.timezone) if best is not None else None

    def _steady_around(self, moment: datetime) -> bool:
        """Whether the zone's offset is the same ``MAX_SHIFT`` either side of ``moment``."""
        return (moment - MAX_SHIFT).astimezone(self.timezone).utcoffset() == (moment + MAX_SHIFT).astimezone(
            self.timezone
        ).utcoffset()

    def _next_wall(self, after: datetime) -> datetime | None:
        """The first matching wall-clock time at or after ``after`` (naive, as UTC to APScheduler)."""
        found = self.walls.get_next_fire_time(None, after.replace(tzinfo=UTC))
        return _naive(found) if found is not None else None

    def _moments(self, wall: datetime) -> list[datetime]:
        """When the zone's clock shows ``wall`` and this schedule fires (UTC)."""
        first = wall.replace(tzinfo=self.timezone, fold=0)
        second = wall.replace(tzinfo=self.timezone, fold=1)
        if first.utcoffset() == second.utcoffset():
            return [first.astimezone(UTC)]
        if _naive(first.astimezone(UTC).astimezone(self.timezone)) != wall:
            return [first.astimezone(UTC)]  # skipped by the clock: read with the offset from before
        if self.every_pass:
            return [first.astimezone(UTC), second.astimezone(UTC)]
        return [first.astimezone(UTC)]

    def __getstate__(self) -> dict[str, Any]:
        return {
            "version": self.VERSION,
            "walls": (obj_to_ref(type(self.walls)), self.walls.__getstate__()),
            "every_pass": self.every_pass,
            "when": self.when,
            "zone": self.zone_name,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("version", 1) > self.VERSION:
            raise ValueError(f"CronSchedule state version {state['version']} is newer than this code")
        cls_ref, walls_state = state["walls"]
        cls = ref_to_obj(cls_ref)
        walls = cls.__new__(cls)
        walls.__setstate__(walls_state)
        self.walls = walls
        self.every_pass = state["every_pass"]
        self.when = state["when"]
        self.zone_name = state["zone"]
        self.timezone = zone(self.zone_name)

    def __repr__(self) -> str:
        return f"<CronSchedule v{self.VERSION} {self.when!r} {self.zone_name} every_pass={self.every_pass}>"

    def __str__(self) -> str:
        return f"{self.when} ({self.zone_name})"


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None, fold=0)


def trigger_for(when: str, timezone: str) -> CronSchedule:
    """The trigger for ``when`` in ``timezone``; raises ConfigError on a bad expression."""
    zone(timezone)
    text = " ".join(when.split())
    daily = _DAILY.match(text)
    if daily:
        fixed = CronTrigger(hour=int(daily.group(1)), minute=int(daily.group(2)), timezone=UTC)
        return CronSchedule(fixed, every_pass=False, when=text, zone_name=timezone)
    fields = text.split(" ")
    if len(fields) != 5:
        raise ConfigError(
            f"{when!r} is not a schedule: use 'daily HH:MM' or a five-field cron expression like '0 8 * * mon-fri'."
        )
    minute, hour, day, month, dow = (f.lower() for f in fields)
    try:
        weekdays = _weekdays(dow)
        common = {"minute": minute, "hour": hour, "month": month, "timezone": UTC}
        walls: BaseTrigger
        if day.startswith("*") or dow.startswith("*"):
            # As in cron: when either starts with *, a day must match both.
            walls = CronTrigger(day=day, day_of_week=weekdays, **common)
        else:
            # Both restricted: cron fires on a day matching either field.
            walls = OrTrigger([CronTrigger(day=day, **common), CronTrigger(day_of_week=weekdays, **common)])
    except ValueError as exc:
        raise ConfigError(f"{when!r} is not a valid cron expression ({exc}).") from None
    every_pass = minute.startswith("*") or hour.startswith("*")
    return CronSchedule(walls, every_pass=every_pass, when=text, zone_name=timezone)


def _weekdays(field: str) -> str:
    """Cron's weekday field (Sunday = 0 or 7, names, ranges, steps, lists) as APScheduler's
    day names, which count from Monday and so cannot take cron's numbers or steps as they are."""
    days: set[int] = set()
    for part in field.split(","):
        match = _DOW_PART.match(part)
        if not match:
            raise ValueError(f"weekday {part!r} is not a day 0-7, a name like mon, a range or a step")
        first, last, step = match.groups()
        if first == "*":
            if last:
                raise ValueError(f"weekday {part!r}: * cannot start a range")
            low, high = 0, 6
        else:
            if step and not last:
                raise ValueError(f"weekday {part!r}: a step needs a range, such as 1-5/2 or */2")
            low = _weekday_number(first)
            high = _weekday_number(last) if last else low
            if high < low:
                raise ValueError(f"weekday range {part!r} runs backwards; Sunday at the end is 7 (5-7)")
        stride = int(step) if step else 1
        if stride < 1:
            raise ValueError(f"weekday step in {part!r} must be at least 1")
        days.update(d % 7 for d in range(low, high + 1, stride))
    return ",".join(_DOW_NAMES[d] for d in sorted(days))


def _weekday_number(token: str) -> int:
    if token.isdigit():
        number = int(token)
        if number > 7:
            raise ValueError(f"weekday {number} is out of range (0-7, where 0 and 7 are Sunday)")
        return number
    if token not in _DOW_NAMES:
        raise ValueError(f"{token!r} is not a weekday name (sun, mon, tue, wed, thu, fri, sat)")
    return _DOW_NAMES.index(token)


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

"""Item 1 and 2 of issue 11: schedules across the clock changes of every IANA zone.

The expected fire times come from an independent reading of the rule the README states:
each matching wall-clock time fires once, at its first occurrence when the clock shows it
twice — or at both when the minute or hour field starts with ``*`` (each is a real hour) —
and, when the clock skips it, at that time read with the offset from before the change.
"""

from __future__ import annotations

import threading
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from bot.schedule.runner import due_slot, run_key_for, run_label
from bot.schedule.spec import ScheduleSpec, trigger_for

START, END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)


def transitions(tz: zoneinfo.ZoneInfo) -> list[tuple[datetime, timedelta, timedelta]]:
    """Every change of ``tz``'s UTC offset in 2026–2027: (instant, offset before, offset after)."""
    out = []
    t, before = START, START.astimezone(tz).utcoffset()
    while t < END:
        step_end = t + timedelta(days=7)
        after_week = step_end.astimezone(tz).utcoffset()
        lo = t
        while before != after_week:
            hi = step_end
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(tz).utcoffset() == before:
                    lo = mid
                else:
                    hi = mid
            after = hi.astimezone(tz).utcoffset()
            out.append((hi.replace(second=0, microsecond=0), before, after))
            before, lo = after, hi
        t = step_end
    return out


ZONES = {name: transitions(zoneinfo.ZoneInfo(name)) for name in sorted(zoneinfo.available_timezones())}
ZONES = {name: found for name, found in ZONES.items() if found}


def expected(tz, minutes, hours, every_pass, start, end) -> list[datetime]:
    out = set()
    day = (start - timedelta(days=1)).date()
    while day <= (end + timedelta(days=1)).date():
        for hour in hours:
            for minute in minutes:
                wall = datetime(day.year, day.month, day.day, hour, minute)
                first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
                out.add(first.astimezone(UTC))
                real = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall
                if every_pass and real and first.utcoffset() != second.utcoffset():
                    out.add(second.astimezone(UTC))
        day += timedelta(days=1)
    return sorted(x for x in out if start <= x <= end)


def fires(trigger, start: datetime, end: datetime) -> list[datetime]:
    """Fire times the way APScheduler steps through them (previous fire time, now)."""
    out: list[datetime] = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire <= end:
        out.append(fire.astimezone(UTC))
        assert len(out) < 200, "the computation does not end"
        fire = trigger.get_next_fire_time(fire, end)
        assert fire is None or fire.astimezone(UTC) > out[-1]
    return out


def test_there_are_zones_to_test():
    assert len(ZONES) > 100 and "America/New_York" in ZONES and "Australia/Lord_Howe" in ZONES
    assert sum(len(found) for found in ZONES.values()) > 700


@pytest.mark.parametrize("name", sorted(ZONES))
def test_every_zone_fires_each_real_slot_once_around_its_clock_changes(name):
    tz = zoneinfo.ZoneInfo(name)
    for at, before, _after in ZONES[name]:
        wall_at = (at + before).replace(tzinfo=None)  # the wall-clock time the change happens at
        inside = wall_at + timedelta(minutes=15)  # in the skipped or repeated part
        day = (at - timedelta(hours=26), at + timedelta(hours=26))
        hours = (at - timedelta(hours=5), at + timedelta(hours=5))
        h = wall_at.hour
        cases = [
            ("daily 01:30", {30}, {1}, False, day),
            (f"daily {inside:%H:%M}", {inside.minute}, {inside.hour}, False, day),
            ("0 * * * *", {0}, range(24), True, hours),
            ("30 * * * *", {30}, range(24), True, hours),
            (f"*/20 {h} * * *", {0, 20, 40}, {h}, True, day),
            (f"10 {h},{(h + 1) % 24} * * *", {10}, {h, (h + 1) % 24}, False, day),
        ]
        for when, minutes, hour_set, every_pass, (start, end) in cases:
            got = fires(trigger_for(when, name), start, end)
            want = expected(tz, minutes, sorted(hour_set), every_pass, start, end)
            assert got == want, (name, at, when)


def _finishes(fn, *args) -> object:
    """Run ``fn`` in a thread; fail (rather than hang the suite) if it does not end."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(fn(*args)), daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), f"{fn.__name__}{args[:2]} never ends"
    return result[0]


NY, LONDON = "America/New_York", "Europe/London"


@pytest.mark.parametrize(
    "when, tz, now, slot",
    [
        # The three hangs of issue 11, and where each run's slot really is.
        ("daily 01:30", NY, datetime(2026, 11, 1, 6, 30, 1, tzinfo=UTC), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        ("0 * * * *", NY, datetime(2026, 11, 1, 6, 0, 1, tzinfo=UTC), datetime(2026, 11, 1, 6, 0, tzinfo=UTC)),
        ("0 * * * *", NY, datetime(2026, 11, 1, 7, 0, 1, tzinfo=UTC), datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
        (
            "daily 01:30",
            LONDON,
            datetime(2026, 10, 25, 1, 30, 1, tzinfo=UTC),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        ),
    ],
)
def test_the_due_slot_on_the_night_clocks_go_back_ends(when, tz, now, slot):
    spec = ScheduleSpec("s", "shell", ("shell",), when, tz, "seeds")
    assert _finishes(due_slot, spec, now, 7200) == slot


def test_run_keys_are_utc_instants_and_labels_local_time():
    spec = ScheduleSpec("s", "shell", ("shell",), "30 * * * *", NY, "seeds")
    first, second = datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    # The hourly schedule's two 01:30s are two runs, not one.
    assert run_key_for(first) == "2026-11-01T05:30Z" and run_key_for(second) == "2026-11-01T06:30Z"
    assert run_label(spec, first) == "2026-11-01 01:30 EDT" and run_label(spec, second) == "2026-11-01 01:30 EST"

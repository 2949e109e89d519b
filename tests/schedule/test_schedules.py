from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import ConfigError
from bot.schedule.runner import due_slot, run_key_for
from bot.schedule.spec import ScheduleSpec, trigger_for

TAIPEI = ZoneInfo("Asia/Taipei")
NEW_YORK = ZoneInfo("America/New_York")


def spec(when: str, tz: str = "Asia/Taipei") -> ScheduleSpec:
    return ScheduleSpec("s", "shell", ("shell",), when, tz, "seeds")


def test_daily_taipei_next_fire_for_a_given_now():
    trigger = trigger_for("daily 08:00", "Asia/Taipei")
    before = datetime(2026, 11, 26, 7, 59, tzinfo=TAIPEI)
    after = datetime(2026, 11, 26, 8, 1, tzinfo=TAIPEI)
    assert trigger.get_next_fire_time(None, before) == datetime(2026, 11, 26, 8, 0, tzinfo=TAIPEI)
    assert trigger.get_next_fire_time(None, after) == datetime(2026, 11, 27, 8, 0, tzinfo=TAIPEI)
    # 08:00 in Taipei is 00:00 UTC.
    assert trigger.get_next_fire_time(None, before).astimezone(UTC).hour == 0


def test_new_york_0230_across_spring_forward():
    trigger = trigger_for("daily 02:30", "America/New_York")
    # 2026-03-08: clocks jump from 02:00 to 03:00; 02:30 does not exist that day.
    fire = trigger.get_next_fire_time(None, datetime(2026, 3, 8, 0, 0, tzinfo=NEW_YORK))
    assert fire.astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT
    nxt = trigger.get_next_fire_time(fire, datetime(2026, 3, 8, 8, 0, tzinfo=UTC))
    assert nxt.astimezone(UTC) == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # 02:30 EDT again
    # The day before, 02:30 EST is 07:30 UTC too.
    prev = trigger.get_next_fire_time(None, datetime(2026, 3, 7, 0, 0, tzinfo=NEW_YORK))
    assert prev.astimezone(UTC) == datetime(2026, 3, 7, 7, 30, tzinfo=UTC)


def test_cron_weekdays_count_from_sunday_like_cron():
    trigger = trigger_for("0 8 * * 1-5", "UTC")  # Monday to Friday in cron's numbering
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, saturday).date().isoformat() == "2026-11-30"  # Monday
    sunday_only = trigger_for("30 6 * * 0", "UTC")
    assert sunday_only.get_next_fire_time(None, saturday) == datetime(2026, 11, 29, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "when, tz, words",
    [
        ("daily 25:00", "UTC", "not a schedule"),
        ("0 8 * *", "UTC", "five-field"),
        ("61 8 * * *", "UTC", "not a valid cron"),
        ("daily 08:00", "Mars/Olympus", "IANA time zone"),
    ],
)
def test_bad_schedules_are_one_sentence(when, tz, words):
    with pytest.raises(ConfigError) as info:
        trigger_for(when, tz)
    assert words in info.value.message


def test_due_slot_and_run_keys():
    s = spec("daily 08:00")
    now = datetime(2026, 11, 26, 8, 20, tzinfo=TAIPEI)
    slot = due_slot(s, now, grace_seconds=3600)
    assert slot == datetime(2026, 11, 26, 8, 0, tzinfo=TAIPEI)
    assert run_key_for(slot) == "2026-11-26T00:00Z"  # the UTC instant: 08:00 in Taipei
    assert due_slot(s, datetime(2026, 11, 26, 10, 0, tzinfo=TAIPEI), grace_seconds=3600) is None

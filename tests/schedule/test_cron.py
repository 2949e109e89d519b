"""Item 7 of issue 11: ``when`` means what cron means (crontab(5)), checked against cron's
own rules applied day by day, and against expansions worked out by hand."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.errors import ConfigError
from bot.schedule.spec import trigger_for


def cron_days(day_field: str, dow_field: str, year: int) -> list[date]:
    """Days of ``year`` cron runs a job on, by crontab(5): when both fields are restricted
    (neither starts with *), a day matching either runs; otherwise it must match both."""

    def expand(field: str, low: int, high: int) -> set[int]:
        out: set[int] = set()
        for part in field.split(","):
            rng, _, step = part.partition("/")
            if rng == "*":
                a, b = low, high
            elif "-" in rng:
                a, b = (int(x) for x in rng.split("-"))
            else:
                a = b = int(rng)
            out.update(range(a, b + 1, int(step or 1)))
        return out

    doms = expand(day_field, 1, 31)
    dows = {d % 7 for d in expand(dow_field, 0, 7 if dow_field != "*" else 6)}
    either = not day_field.startswith("*") and not dow_field.startswith("*")
    out, day = [], date(year, 1, 1)
    while day.year == year:
        dom_ok, dow_ok = day.day in doms, (day.isoweekday() % 7) in dows
        if (dom_ok or dow_ok) if either else (dom_ok and dow_ok):
            out.append(day)
        day += timedelta(days=1)
    return out


def fire_days(when: str, year: int = 2026) -> list[date]:
    trigger = trigger_for(when, "UTC")
    out, fire = [], trigger.get_next_fire_time(None, datetime(year, 1, 1, tzinfo=UTC))
    while fire is not None and fire.year == year:
        out.append(fire.date())
        fire = trigger.get_next_fire_time(fire, fire)
    return out


@pytest.mark.parametrize(
    "day, dow",
    [
        ("1", "1"),  # 0 8 1 * mon: the 1st of each month, and every Monday
        ("1,15", "5"),  # crontab(5)'s example: the 1st and 15th, plus every Friday
        ("13", "5"),
        ("*", "*/2"),  # Sunday, Tuesday, Thursday, Saturday
        ("*/2", "1"),  # * first: both must match (odd days that are Mondays)
        ("*", "0"),
        ("*", "7"),  # 7 is Sunday too
        ("*", "5-7"),
        ("*", "1-5/2"),
        ("10-20", "*"),
        ("*", "0,3,6"),
    ],
)
def test_days_match_cron(day, dow):
    assert fire_days(f"0 8 {day} * {dow}") == cron_days(day, dow, 2026)


def test_known_expansions():
    # 0 8 1 * mon in 2026: twelve 1sts and 52 Mondays, of which 1 June is both: 63 days.
    days = fire_days("0 8 1 * mon")
    assert len(days) == 63 and date(2026, 6, 1) in days and date(2026, 1, 5) in days and date(2026, 2, 1) in days
    # Every other weekday counted from Sunday, as cron does (APScheduler counts from Monday).
    assert [d.strftime("%a") for d in fire_days("0 8 * * */2")[:4]] == ["Thu", "Sat", "Sun", "Tue"]
    assert fire_days("0 8 * * */2")[0] == date(2026, 1, 1)  # a Thursday
    # Names work in ranges and are case-blind; Sunday can close a range as 7.
    assert fire_days("0 8 * * MON-fri") == fire_days("0 8 * * 1-5")
    assert fire_days("0 8 * * sat,sun") == fire_days("0 8 * * 6-7")


@pytest.mark.parametrize(
    "when, words",
    [
        ("0 8 * * 8", "out of range"),
        ("0 8 * * 5-1", "runs backwards"),
        ("0 8 * * 1/2", "a step needs a range"),
        ("0 8 * * funday", "not a day"),
        ("0 8 32 * *", "not a valid cron"),
    ],
)
def test_bad_weekday_fields_are_one_sentence(when, words):
    with pytest.raises(ConfigError) as info:
        trigger_for(when, "UTC")
    assert words in info.value.message


def test_the_trigger_survives_the_job_store():
    trigger = trigger_for("0 8 1 * mon", "America/New_York")
    copy = pickle.loads(pickle.dumps(trigger))
    now = datetime(2026, 11, 1, tzinfo=UTC)
    assert repr(copy) == repr(trigger)
    assert copy.get_next_fire_time(None, now) == trigger.get_next_fire_time(None, now)

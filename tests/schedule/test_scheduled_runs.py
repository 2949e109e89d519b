"""Scheduled runs through real APScheduler, SQLAlchemy and SQLite: grace, missed runs,
feeds with the same story twice, admin checks, and run-twice-post-once."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from bot.chat.commands import ScheduleCommand
from bot.chat.schedule import FixedAdmin, ScheduleError, handle
from bot.config import Config
from bot.runtime import BotRuntime
from bot.schedule.digest import Digest, Receipt
from bot.schedule.jobs import JOB_PREFIX
from bot.schedule.spec import ScheduleSpec
from fakes.counting import CountingTranslator
from tests.conftest import ARTICLE_HTML, ROOT, article_folder

EVAL = ROOT / "tests" / "eval"


def runs_counted(outcome: str) -> float:
    """Scheduled runs to the shell with ``outcome`` so far, as ``/metrics`` reports them."""
    return REGISTRY.get_sample_value("briefbot_scheduled_runs_total", {"platform": "shell", "outcome": outcome}) or 0.0


class Inbox:
    """A deliverer that keeps what it was given."""

    def __init__(self) -> None:
        self.digests: list[tuple[str, Digest]] = []

    async def __call__(self, channel: str, digest: Digest) -> Receipt:
        self.digests.append((channel, digest))
        return Receipt(message_id=f"m{len(self.digests)}")


def folder_source(tmp_path):
    return article_folder(tmp_path)


def make_spec(source, when: str, **kw) -> ScheduleSpec:
    return ScheduleSpec(
        id=kw.pop("id", "daily"),
        platform="shell",
        channels=kw.pop("channels", ("shell",)),
        when=when,
        timezone="UTC",
        source=str(source),
        **kw,
    )


def config_for(tmp_path, *specs, grace_minutes=60, nothing_new="post") -> Config:
    return Config(
        database=f"sqlite:///{tmp_path / 'bot.db'}",
        schedules=tuple(specs),
        grace_seconds=grace_minutes * 60,
        nothing_new=nothing_new,
        timezone="UTC",
    )


async def _crash_before(config: Config, spec: ScheduleSpec, fire_at: datetime) -> None:
    """A bot that ran, and stopped just before ``fire_at``: the job store says the run is due then."""
    runtime = BotRuntime.create(config, {"shell": Inbox()})
    scheduler = await runtime.start_scheduler()
    scheduler.pause()  # the process "dies" before it gets to run anything
    scheduler.modify_job(JOB_PREFIX + spec.id, next_run_time=fire_at)
    runtime.stop()


async def _restart(config: Config, *, expect: int, seconds: float = 20.0) -> tuple[BotRuntime, Inbox]:
    """Start the bot again; wait until ``expect`` digests arrived (or ``seconds`` passed)."""
    inbox = Inbox()
    runtime = BotRuntime.create(config, {"shell": inbox})
    await runtime.start_scheduler()
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline and (expect == 0 or len(inbox.digests) < expect):
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # room for a wrong extra post to show up
    runtime.stop()
    return runtime, inbox


async def test_restart_within_grace_posts_the_missed_run_once(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    due = (datetime.now(UTC) - timedelta(minutes=10)).replace(second=0, microsecond=0)
    spec = make_spec(folder_source(tmp_path), f"daily {due:%H:%M}")
    config = config_for(tmp_path, spec)
    await _crash_before(config, spec, due)
    posted = runs_counted("posted")

    _, inbox = await _restart(config, expect=1)
    assert len(inbox.digests) == 1
    assert runs_counted("posted") == posted + 1
    channel, digest = inbox.digests[0]
    assert channel == "shell" and digest.run_key == f"{due:%Y-%m-%dT%H:%MZ}"
    assert len(digest.items) == 2

    # A second restart finds the run done: nothing more.
    _, again = await _restart(config, expect=0, seconds=1.5)
    assert again.digests == []


async def test_restart_after_the_grace_period_records_a_missed_run(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    due = (datetime.now(UTC) - timedelta(hours=2)).replace(second=0, microsecond=0)
    spec = make_spec(folder_source(tmp_path), f"daily {due:%H:%M}")
    config = config_for(tmp_path, spec, grace_minutes=60)
    await _crash_before(config, spec, due)
    missed = runs_counted("missed")

    runtime, inbox = await _restart(config, expect=0, seconds=1.5)
    assert inbox.digests == []
    assert runs_counted("missed") == missed + 1
    runtime = BotRuntime.create(config, {})
    try:
        statuses = runtime.store.posts_for(spec.id)
        assert [(p.run_key, p.status) for p in statuses] == [(f"{due:%Y-%m-%dT%H:%MZ}", "missed")]
        ctx = runtime.schedule_context(platform="shell", channel="shell", user="u", admins=FixedAdmin(True))
        listing = await handle(ScheduleCommand("list", ()), ctx)
        assert "missed" in listing and f"{due:%Y-%m-%d %H:%M} UTC" in listing
    finally:
        runtime.stop()


async def test_run_twice_posts_once_and_reuses_briefings(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    spec = make_spec(folder_source(tmp_path), "daily 08:00", channels=("a", "b", "c"))
    inbox = Inbox()
    counter = CountingTranslator()
    runtime = BotRuntime.create(config_for(tmp_path, spec), {"shell": inbox}, translator=counter)
    try:
        first = await runtime.run_now(spec)
        second = await runtime.run_now(spec)
        assert sorted(o.status for o in first) == ["posted", "posted", "posted"]
        assert sorted(o.status for o in second) == ["taken", "taken", "taken"]
        assert len(inbox.digests) == 3
        assert counter.calls == 2  # two articles, summarised once for three channels
        # A later run (another day) has nothing new for these channels.
        outcomes = await runtime.runner.run(spec, "2099-01-01T08:00")
        assert {o.status for o in outcomes} == {"posted"}
        assert all(d.empty for _, d in inbox.digests[3:])
    finally:
        runtime.stop()


async def test_nothing_new_can_skip_the_post(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    spec = make_spec(empty, "daily 08:00")
    inbox = Inbox()
    runtime = BotRuntime.create(config_for(tmp_path, spec, nothing_new="skip"), {"shell": inbox})
    try:
        outcomes = await runtime.run_now(spec)
        assert [o.status for o in outcomes] == ["empty"] and inbox.digests == []
    finally:
        runtime.stop()


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test feed</title><link>{base}/</link><description>t</description>
<item><title>颱風</title><link>{base}/a1</link><guid>1</guid></item>
<item><title>颱風（轉載）</title><link>{base}/a2</link><guid>2</guid></item>
<item><title>新能源汽车</title><link>{base}/a3</link><guid>3</guid></item>
</channel></rss>"""


async def test_feed_with_the_same_story_twice_gives_two_briefings(tmp_path, monkeypatch, local_site, allow_private):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    typhoon = (EVAL / "dev_typhoon.txt").read_text(encoding="utf-8")
    same_story = typhoon.replace("八點", "九點").replace("氣象署", "中央氣象署")
    ev = (EVAL / "dev_ev_export.txt").read_text(encoding="utf-8")
    for path, text in (("/a1", typhoon), ("/a2", same_story), ("/a3", ev)):
        local_site.add(path, body=ARTICLE_HTML.format(body=text.replace("\n", "")).encode("utf-8"))
    feed_url = local_site.add(
        "/feed.xml", body=FEED.format(base=local_site.base).encode("utf-8"), content_type="application/rss+xml"
    )
    spec = make_spec(feed_url, "daily 08:00", articles=5)
    inbox = Inbox()
    counter = CountingTranslator()
    runtime = BotRuntime.create(config_for(tmp_path, spec), {"shell": inbox}, translator=counter)
    try:
        outcomes = await runtime.run_now(spec)
        assert [o.status for o in outcomes] == ["posted"], outcomes
        ((_, digest),) = inbox.digests
        assert [item.url for item in digest.items] == [f"{local_site.base}/a1", f"{local_site.base}/a3"]
        assert counter.calls == 2
    finally:
        runtime.stop()


async def test_non_admin_cannot_change_schedules(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    runtime = BotRuntime.create(config_for(tmp_path), {})
    try:
        ctx = runtime.schedule_context(platform="slack", channel="C1", user="U9", admins=FixedAdmin(False))
        for command in (
            ScheduleCommand("add", ("daily", "08:00", "Asia/Taipei", "https://example.com/rss")),
            ScheduleCommand("remove", ("x",)),
            ScheduleCommand("run", ("x",)),
        ):
            with pytest.raises(ScheduleError, match="Only admins"):
                await handle(command, ctx)
        assert runtime.store.schedules() == []
        # Listing is for everyone.
        assert "No schedules" in await handle(ScheduleCommand("list", ()), ctx)
    finally:
        runtime.stop()


async def test_admin_adds_lists_and_removes(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    runtime = BotRuntime.create(config_for(tmp_path), {})
    try:
        ctx = runtime.schedule_context(platform="slack", channel="C1", user="U1", admins=FixedAdmin(True))
        reply = await handle(
            ScheduleCommand("add", ("daily", "08:00", "Asia/Taipei", "https://example.com/rss", "thread")), ctx
        )
        assert reply.startswith("Added schedule ")
        (spec,) = runtime.store.schedules()
        assert spec.channels == ("C1",) and spec.thread and spec.timezone == "Asia/Taipei" and spec.created_by == "U1"
        assert spec.id in await handle(ScheduleCommand("list", ()), ctx)
        with pytest.raises(ScheduleError, match="http"):  # no local paths from chat
            await handle(ScheduleCommand("add", ("daily", "08:00", "/etc")), ctx)
        assert "Removed" in await handle(ScheduleCommand("remove", (spec.id,)), ctx)
        assert runtime.store.schedules() == []
    finally:
        runtime.stop()

"""Issue 11, items 3–6 and 9: what a scheduled run guarantees, on SQLite and PostgreSQL.

At most once per (schedule, slot, channel): a real process killed inside the deliverer
leaves ``unknown`` (never re-sent, shown in both listings); killed before posting, the run
is retried and posted once. A long run's heartbeat keeps a sweep off its rows, and a run
whose row was swept anyway sends nothing. Only the platform's own processes claim its runs; a failed
run is claimed again and said to have failed; one bad article is skipped, not fatal; and
no database call runs on the event loop.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from bot.chat.commands import ScheduleCommand
from bot.chat.schedule import FixedAdmin, handle
from bot.config import Config
from bot.runtime import BotRuntime
from bot.schedule.digest import Digest, Receipt
from bot.schedule.jobs import JOB_PREFIX
from bot.schedule.runner import run_key_for
from bot.schedule.spec import ScheduleSpec
from bot.translate.glossary import GlossaryTranslator
from fakes.counting import CountingTranslator
from tests.conftest import ROOT, article_folder, run_cli
from tests.schedule.crash_process import SPEC_ID
from tests.schedule.test_claim import _seed_jobs


class Inbox:
    def __init__(self) -> None:
        self.digests: list[tuple[str, Digest]] = []

    async def __call__(self, channel: str, digest: Digest) -> Receipt:
        self.digests.append((channel, digest))
        return Receipt(message_id=f"m{len(self.digests)}")


def crash(db_url: str, source, outfile, where: str, slot: datetime) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.schedule.crash_process",
            db_url,
            str(source),
            str(outfile),
            where,
            slot.isoformat(),
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]  # SIGKILL: no clean-up ran


def config_for(db_url: str, source) -> Config:
    spec = ScheduleSpec(SPEC_ID, "shell", ("shell",), "daily 07:00", "UTC", str(source))
    return Config(database=db_url, schedules=(spec,), timezone="UTC")


async def test_a_process_killed_inside_the_deliverer_leaves_unknown_and_never_posts_again(
    db_url, tmp_path, monkeypatch
):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    source, outfile = article_folder(tmp_path), tmp_path / "channel.log"
    slot = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    crash(db_url, source, outfile, "deliverer", slot)
    assert len(outfile.read_text().splitlines()) == 1  # the first message went out, then the kill

    # The next start sweeps the row of the dead process (stale at once here) to unknown.
    inbox = Inbox()
    runtime = BotRuntime.create(config_for(db_url, source), {"shell": inbox}, stale_seconds=0)
    try:
        (post,) = runtime.store.posts_for(SPEC_ID)
        assert post.status == "unknown" and post.run_key == run_key_for(slot)
        spec = runtime.store.get_schedule(SPEC_ID)
        # The same slot again (a second scheduler, a retry pass): nothing is sent.
        outcomes = await runtime.runner.run(spec, run_key_for(slot), slot=slot)
        assert [(o.status, o.found) for o in outcomes] == [("taken", "unknown")]
        await runtime.maintain()
        assert inbox.digests == []
        ctx = runtime.schedule_context(platform="shell", channel="shell", user="u", admins=FixedAdmin(True))
        listing = await handle(ScheduleCommand("list", ()), ctx)
        assert "unknown" in listing and "may or may not be in the channel" in listing
        assert f"briefbot schedule run {SPEC_ID}" in listing
    finally:
        runtime.stop()
    assert len(outfile.read_text().splitlines()) == 1

    if db_url.startswith("sqlite"):  # the command line reads the same file and says the same
        cfg = tmp_path / "bot.toml"
        cfg.write_text(
            f'[bot]\ntimezone = "UTC"\ndatabase = "{db_url}"\n\n[[schedules]]\nid = "{SPEC_ID}"\n'
            f'platform = "shell"\nchannel = "shell"\nwhen = "daily 07:00"\nsource = "{source}"\n',
            encoding="utf-8",
        )
        db_path = db_url.removeprefix("sqlite:///")
        result = run_cli("schedule", "list", "--config", str(cfg), env={"BRIEFBOT_DB": db_path})
        assert result.code == 0, result.err
        assert f"{SPEC_ID}:" in result.out and "unknown" in result.out


async def test_a_process_killed_before_posting_is_retried_and_posts_once(db_url, tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    source, outfile = article_folder(tmp_path), tmp_path / "channel.log"
    slot = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    crash(db_url, source, outfile, "briefing", slot)
    assert not outfile.exists()  # killed while briefing: nothing was posted

    inbox = Inbox()
    runtime = BotRuntime.create(config_for(db_url, source), {"shell": inbox}, stale_seconds=0)
    try:
        (post,) = runtime.store.posts_for(SPEC_ID)
        assert post.status == "failed" and post.retry_at is not None  # nothing sent: may be retried
        await runtime.maintain()
        await runtime.maintain()
        assert len(inbox.digests) == 1 and inbox.digests[0][1].run_key == run_key_for(slot)
        (post,) = runtime.store.posts_for(SPEC_ID)
        assert post.status == "posted" and post.attempts == 2
    finally:
        runtime.stop()


def test_a_platform_runs_only_where_it_can_post(db_url, tmp_path):
    """The README's layout: Discord in one replica, Slack in all. The Slack-only replica never
    takes a Discord schedule's run; the Discord replica posts each once."""
    folder = article_folder(tmp_path, "dev_ev_export.txt")
    outfile = tmp_path / "posts.log"
    fire_at = datetime.now(UTC) + timedelta(seconds=4)
    discord_ids = _seed_jobs(db_url, folder, 6, fire_at, prefix="dc", platform="discord")
    slack_ids = _seed_jobs(db_url, folder, 6, fire_at, prefix="sl", platform="slack")
    stop_at = str(fire_at.timestamp() + 6)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.schedule.scheduler_process", db_url, str(outfile), stop_at, platforms],
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )
        for platforms in ("slack", "slack,discord")
    ]
    for p in procs:
        _, err = p.communicate(timeout=90)
        assert p.returncode == 0, err.decode()[-2000:]
    lines = [line.split() for line in outfile.read_text().splitlines()]
    posts = Counter(line[1] for line in lines)
    assert all(posts[i] == 1 for i in discord_ids + slack_ids), lines
    assert all(line[5] == "slack/discord" for line in lines if line[1] in discord_ids), lines
    store_runtime = BotRuntime.create(Config(database=db_url), {})
    try:
        statuses = {p.status for i in discord_ids + slack_ids for p in store_runtime.store.posts_for(i)}
        assert statuses == {"posted"}
    finally:
        store_runtime.stop()


async def test_a_process_without_the_platform_claims_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    spec = ScheduleSpec("dc", "discord", ("123",), "daily 08:00", "UTC", str(article_folder(tmp_path)))
    runtime = BotRuntime.create(
        Config(database=f"sqlite:///{tmp_path / 'b.db'}", schedules=(spec,)), {"slack": Inbox()}
    )
    try:
        ctx = runtime.schedule_context(platform="shell", channel="shell", user="u", admins=FixedAdmin(True))
        reply = await handle(ScheduleCommand("run", ("dc",)), ctx)
        assert "Did not post to 123: discord is not connected in this process" in reply
        assert runtime.store.posts_for("dc") == []  # no claim: a Discord process may still post it
    finally:
        runtime.stop()


async def test_a_failed_run_is_retried_with_backoff_and_worded_as_failed(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    spec = ScheduleSpec("r", "shell", ("shell",), "daily 08:00", "UTC", str(article_folder(tmp_path)))
    config = Config(database=f"sqlite:///{tmp_path / 'b.db'}", schedules=(spec,), timezone="UTC")
    sent: list[Digest] = []
    down = True

    async def flaky(channel: str, digest: Digest) -> Receipt:
        from bot.schedule.digest import DeliveryError

        if down:
            raise DeliveryError("Could not reach the chat service.", sent=0)
        sent.append(digest)
        return Receipt(message_id="m")

    runtime = BotRuntime.create(config, {"shell": flaky})
    runtime.runner.retry_base_seconds = 0  # retry at once (the default backoff starts at 60 s)
    try:
        ctx = runtime.schedule_context(platform="shell", channel="shell", user="u", admins=FixedAdmin(True))
        first = await handle(ScheduleCommand("run", ("r",)), ctx)
        assert first.startswith("Could not post to shell: Could not reach the chat service.")
        assert "Already posted" not in first and "run it again" in first
        down = False
        second = await handle(ScheduleCommand("run", ("r",)), ctx)
        assert second == "Posted to shell." and len(sent) == 1
        third = await handle(ScheduleCommand("run", ("r",)), ctx)
        assert third.startswith("Already posted to shell") and len(sent) == 1

        # A scheduled slot that fails is retried by the maintenance pass, within the grace period.
        down = True
        slot = datetime.now(UTC).replace(second=0, microsecond=0)
        (outcome,) = await runtime.runner.run(spec, run_key_for(slot), slot=slot)
        assert outcome.status == "failed" and outcome.retry_at is not None
        down = False
        await runtime.maintain()
        assert len(sent) == 2 and sent[-1].run_key == run_key_for(slot)
        (post,) = [p for p in runtime.store.posts_for("r") if p.run_key == run_key_for(slot)]
        assert post.status == "posted" and post.attempts == 2
        # Past the grace period a failed slot stays failed.
        old = slot - timedelta(hours=3)
        down = True
        (late,) = await runtime.runner.run(spec, run_key_for(old), slot=old)
        assert late.status == "failed" and late.retry_at is None
    finally:
        runtime.stop()


async def test_one_bad_article_is_skipped_and_reported_not_fatal(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    folder = article_folder(tmp_path)
    (folder / "zz_empty.txt").write_text("（完）\n", encoding="utf-8")  # cleans to nothing
    spec = ScheduleSpec("b", "shell", ("a", "b"), "daily 08:00", "UTC", str(folder))
    inbox = Inbox()
    counter = CountingTranslator()
    config = Config(database=f"sqlite:///{tmp_path / 'b.db'}", schedules=(spec,), timezone="UTC")
    runtime = BotRuntime.create(config, {"shell": inbox}, translator=counter)
    try:
        outcomes = await runtime.run_now(spec)
        assert [o.status for o in outcomes] == ["posted", "posted"]
        assert all(len(d.items) == 2 for _, d in inbox.digests)
        assert all(len(o.skipped) == 1 and "zz_empty.txt" in (o.skipped[0].url or "") for o in outcomes)
        ctx = runtime.schedule_context(platform="shell", channel="shell", user="u", admins=FixedAdmin(True))
        assert "skipped 1 article that could not be briefed" in await handle(ScheduleCommand("list", ()), ctx)
        calls = counter.calls
        # A later run skips it at once (remembered), and still says so.
        later = await runtime.runner.run(spec, "2099-01-01T08:00Z", slot=datetime(2099, 1, 1, 8, tzinfo=UTC))
        assert [o.status for o in later] == ["posted", "posted"] and all(len(o.skipped) == 1 for o in later)
        assert counter.calls == calls
    finally:
        runtime.stop()


async def test_articles_are_briefed_concurrently(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    from bot.translate.glossary import GlossaryTranslator

    lock = threading.Lock()
    state = {"now": 0, "most": 0}
    both = threading.Barrier(2, timeout=20)

    class Overlapping(GlossaryTranslator):
        def translate(self, request):
            with lock:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            try:
                both.wait()  # passes only when two briefings are being made at the same time
            finally:
                with lock:
                    state["now"] -= 1
            return super().translate(request)

    spec = ScheduleSpec("c", "shell", ("a",), "daily 08:00", "UTC", str(article_folder(tmp_path)))
    config = Config(database=f"sqlite:///{tmp_path / 'b.db'}", schedules=(spec,), timezone="UTC")
    runtime = BotRuntime.create(config, {"shell": Inbox()}, translator=Overlapping())
    try:
        (outcome,) = await runtime.run_now(spec)
        assert outcome.status == "posted" and not outcome.skipped and state["most"] == 2
    finally:
        runtime.stop()


async def test_no_database_call_runs_on_the_event_loop(tmp_path, monkeypatch):
    """The scheduler's job store, its jobs, the runner, the maintenance pass and the schedule
    commands: every SQL statement runs on some other thread than the loop's."""
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    due = (datetime.now(UTC) - timedelta(minutes=5)).replace(second=0, microsecond=0)
    spec = ScheduleSpec("loop", "shell", ("shell",), f"daily {due:%H:%M}", "UTC", str(article_folder(tmp_path)))
    config = Config(database=f"sqlite:///{tmp_path / 'b.db'}", schedules=(spec,), timezone="UTC")
    inbox = Inbox()
    runtime = BotRuntime.create(config, {"shell": inbox})
    loop_thread = threading.get_ident()
    on_loop: list[str] = []

    @event.listens_for(runtime.store.engine, "before_cursor_execute")
    def _watch(conn, cursor, statement, *args) -> None:
        if threading.get_ident() == loop_thread:
            on_loop.append(statement.split("\n")[0][:80])

    try:
        scheduler = await runtime.start_scheduler()
        await asyncio.to_thread(scheduler.modify_job, JOB_PREFIX + spec.id, next_run_time=due)
        for _ in range(200):
            if inbox.digests:
                break
            await asyncio.sleep(0.05)
        assert len(inbox.digests) == 1
        ctx = runtime.schedule_context(
            platform="shell", channel="shell", user="u", admins=FixedAdmin(True), allow_local_sources=True
        )
        added = await handle(ScheduleCommand("add", ("daily", "09:00", "UTC", str(tmp_path))), ctx)
        await handle(ScheduleCommand("list", ()), ctx)
        await handle(ScheduleCommand("remove", (added.split()[2].rstrip(":"),)), ctx)
        await handle(ScheduleCommand("run", ("loop",)), ctx)
        await runtime.maintain()
    finally:
        runtime.stop()
    assert on_loop == []


class Held(GlossaryTranslator):
    """A translator that holds every briefing until the test lets it go (a long run)."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()
        self.entered = threading.Event()

    def translate(self, request):
        self.entered.set()
        assert self.go.wait(60), "never released"
        return super().translate(request)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def _row(runtime: BotRuntime, schedule_id: str, want=lambda post: True):
    for _ in range(1000):  # up to ~20 s; the conditions are met in well under one
        posts = await asyncio.to_thread(runtime.store.posts_for, schedule_id)
        if posts and want(posts[0]):
            return posts[0]
        await asyncio.sleep(0.02)
    raise AssertionError(f"the row never got there: {posts}")


async def test_a_long_run_keeps_its_claim_and_a_swept_one_posts_nothing(db_url, tmp_path, monkeypatch):
    """The heartbeat refreshes a running run's row, so a sweep (another process starting up,
    or the maintenance pass) leaves it alone; a row swept anyway — its process looked dead —
    is no longer the run's to post, so it sends nothing and the row stays retryable."""
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    folder = article_folder(tmp_path, "dev_ev_export.txt")
    spec = ScheduleSpec("long", "shell", ("shell",), "daily 08:00", "UTC", str(folder))
    held, inbox = Held(), Inbox()
    runtime = BotRuntime.create(Config(database=db_url, schedules=(spec,)), {"shell": inbox}, translator=held)
    runtime.runner.heartbeat_seconds = 0.05
    try:
        slot = datetime(2026, 3, 2, 8, tzinfo=UTC)
        run = asyncio.ensure_future(runtime.runner.run(spec, run_key_for(slot), slot=slot))
        assert await asyncio.to_thread(held.entered.wait, 20)
        first = await _row(runtime, "long", lambda p: p.status == "claimed")
        refreshed = await _row(runtime, "long", lambda p: p.updated_at > first.updated_at)
        # Stale means "older than the last refresh": the heartbeat's rows are not.
        since = (datetime.now(UTC) - _aware(refreshed.updated_at)).total_seconds()
        first_gap = (_aware(refreshed.updated_at) - _aware(first.updated_at)).total_seconds()
        assert await asyncio.to_thread(runtime.store.sweep_stale, since + first_gap / 2) == (0, 0)
        held.go.set()
        (outcome,) = await run
        assert outcome.status == "posted" and len(inbox.digests) == 1

        # The next slot brings a new article, held again; the process is taken for dead meanwhile
        # (it stops refreshing its rows, so no refresh can land between the sweep's cutoff and its update).
        runtime.runner.heartbeat_seconds = 3600
        held.go.clear()
        held.entered.clear()
        article_folder(tmp_path, "dev_typhoon.txt")
        later = datetime(2026, 3, 3, 8, tzinfo=UTC)
        run = asyncio.ensure_future(runtime.runner.run(spec, run_key_for(later), slot=later))
        await asyncio.to_thread(held.entered.wait, 20)
        assert await asyncio.to_thread(runtime.store.sweep_stale, 0) == (0, 1)
        held.go.set()
        (outcome,) = await run
        assert outcome.status == "taken" and outcome.found == "failed"
        assert len(inbox.digests) == 1  # nothing more was sent
        (post,) = [p for p in runtime.store.posts_for("long") if p.run_key == run_key_for(later)]
        assert post.status == "failed" and post.retry_at is not None
    finally:
        held.go.set()
        runtime.stop()

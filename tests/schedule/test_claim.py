"""Exactly once: the claim row, in one process and across real processes."""

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from bot.schedule.jobs import JOB_FUNCTION, JOB_PREFIX, table_for
from bot.schedule.spec import ScheduleSpec, trigger_for
from bot.store import Store
from tests.conftest import ROOT

EVAL = ROOT / "tests" / "eval"


def test_claim_is_taken_once(db_url):
    store = Store(db_url)
    try:
        first = store.claim("s1", "slack", "C1", "2026-11-26T08:00")
        assert first is not None
        assert store.claim("s1", "slack", "C1", "2026-11-26T08:00") is None
        # Another channel, run or schedule is another claim.
        assert store.claim("s1", "slack", "C2", "2026-11-26T08:00") is not None
        assert store.claim("s1", "slack", "C1", "2026-11-27T08:00") is not None
        assert store.claim("s2", "slack", "C1", "2026-11-26T08:00") is not None
        store.finish(first, "posted", message_id="123.456")
        assert store.posts_for("s1")[-1].status in {"posted", "claimed"}
    finally:
        store.close()


def _seed_jobs(db_url: str, folder, count: int, fire_at: datetime, prefix: str, platform: str = "shell") -> list[str]:
    """Schedules due one minute ago, and their jobs in the shared store, all next due at ``fire_at``."""
    store = Store(db_url)
    due = datetime.now(UTC) - timedelta(minutes=1)
    ids = []
    jobstore_scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=store.engine, tablename=table_for(platform))}, timezone=UTC
    )
    jobstore_scheduler.start(paused=True)
    for n in range(count):
        spec = ScheduleSpec(
            id=f"{prefix}-{n}",
            platform=platform,
            channels=("race-channel",),
            when=f"daily {due:%H:%M}",
            timezone="UTC",
            source=str(folder),
            articles=1,
        )
        store.upsert_schedule(spec)
        jobstore_scheduler.add_job(
            JOB_FUNCTION,
            trigger=trigger_for(spec.when, spec.timezone),
            id=JOB_PREFIX + spec.id,
            args=[spec.id],
            next_run_time=fire_at,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=3600,
        )
        ids.append(spec.id)
    jobstore_scheduler.shutdown(wait=False)
    store.close()
    return ids


def test_two_processes_fire_the_same_due_jobs_and_post_once(db_url, tmp_path):
    """Two schedulers on one database (the 3.x FAQ says never share a job store): both may run
    a due job, and the claim row still lets exactly one post through — every time."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ev.txt").write_text((EVAL / "dev_ev_export.txt").read_text(encoding="utf-8"), encoding="utf-8")
    outfile = tmp_path / "posts.log"
    rounds, per_round = 2, 12
    for r in range(rounds):
        fire_at = datetime.now(UTC) + timedelta(seconds=3)
        ids = _seed_jobs(db_url, folder, per_round, fire_at, prefix=f"race{r}")
        stop_at = fire_at.timestamp() + 5
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.schedule.scheduler_process", db_url, str(outfile), str(stop_at)],
                cwd=ROOT,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode == 0, err.decode()[-2000:]
        lines = outfile.read_text().splitlines() if outfile.exists() else []
        posts = Counter(line.split()[1] for line in lines)
        for schedule_id in ids:
            assert posts[schedule_id] == 1, (r, schedule_id, lines)
        outfile.unlink(missing_ok=True)

"""``briefbot chat`` as a user types it: a subprocess driven through stdin."""

from tests.conftest import SEED, run_cli


def test_chat_briefs_schedules_and_lists(tmp_path):
    lines = "\n".join(
        [
            f"/brief {SEED.relative_to(SEED.parent.parent)}",
            "/brief schedule add daily 08:00 Asia/Taipei tests/eval thread",
            "/brief schedule list",
            "/brief thread 颱風明天傍晚最接近北部海面，東北部及北部山區可能出現豪雨。縣市政府將在今晚八點前公布是否停班停課。",
            "/brief",
            "hello",
            "/quit",
        ]
    )
    result = run_cli("chat", stdin=lines.encode(), env={"BRIEFBOT_DB": str(tmp_path / "chat.db")})
    assert result.code == 0, result.err
    out = result.out
    assert "Key points" in out and "好萊塢 — Hollywood" in out
    assert "Added schedule sh-" in out
    schedule_id = out.split("Added schedule ", 1)[1].split(":", 1)[0]
    listing = [line for line in out.splitlines() if line.startswith(schedule_id + ":")]
    assert listing and "daily 08:00 (Asia/Taipei)" in listing[0] and "next 20" in listing[0]
    assert "[thread]\n  ↳ 1. 颱風明天傍晚最接近北部海面" in out and "↳ 2. 縣市政府將在今晚八點前公布" in out
    assert "briefbot: Nothing to brief" in out  # a mistake gets one sentence and the shell goes on
    assert "Traceback" not in out + result.err


def test_chat_schedule_run_prints_the_digest_once(tmp_path):
    env = {"BRIEFBOT_DB": str(tmp_path / "chat.db")}
    add = run_cli("chat", stdin=b"/brief schedule add daily 08:00 UTC tests/eval\n", env=env)
    schedule_id = add.out.split("Added schedule ", 1)[1].split(":", 1)[0]
    result = run_cli(
        "chat", stdin=f"/brief schedule run {schedule_id}\n/brief schedule run {schedule_id}\n".encode(), env=env
    )
    assert result.code == 0, result.err
    assert result.out.count("Daily briefing") == 1
    assert "Posted to shell." in result.out and "Already posted to shell" in result.out

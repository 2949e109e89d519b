"""bench/schedule.py stays runnable: a tiny run prints every figure the README quotes."""

from __future__ import annotations

from bench import schedule


def test_the_schedule_bench_prints_its_figures(capsys):
    args = ["--channels", "3", "--articles", "2", "--interval", "0", "--runs", "1", "--llm-latency", "0"]
    assert schedule.main(args) == 0
    out = capsys.readouterr().out
    assert "channels posted: 3/3; messages: 9 (3 per channel)" in out
    assert "articles summarised: 2 (for 2 articles × 3 channels)" in out
    assert "floor (the same digest to 1 channel" in out and "ratio to the floor:" in out

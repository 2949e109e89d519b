"""Scheduling at scale: one schedule, 20 new articles, 200 Slack channels (the fake Slack).

    python -m bench.schedule [--channels 200] [--articles 20] [--interval 1.05] [--concurrency 50]

Prints how many times articles were summarised (each once, however many channels get
it), the smallest gap between two posts to one channel (Slack allows about one a
second), the total time and the peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from adapters.slack.client import make_web_client
from adapters.slack.digest import slack_deliverer
from adapters.slack.settings import SlackSettings
from bench.corpus import distinct_chinese
from bot.config import Config
from bot.runtime import BotRuntime
from bot.schedule.spec import ScheduleSpec
from fakes.counting import CountingTranslator
from fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack


async def run(args: argparse.Namespace) -> None:
    fake = await FakeSlack().start()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i in range(args.articles):
            (folder / f"{i:02d}.txt").write_text(
                f"第{i + 1}號新聞稿件\n" + distinct_chinese(2500, seed=i), encoding="utf-8"
            )
        channels = tuple(f"C{n:05d}" for n in range(args.channels))
        spec = ScheduleSpec("scale", "slack", channels, "daily 08:00", "UTC", str(folder), articles=args.articles)
        config = Config(database=f"sqlite:///{tmp}/bench.db", schedules=(spec,), timezone="UTC")
        client = make_web_client(
            SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
        )
        counter = CountingTranslator()
        runtime = BotRuntime.create(
            config, {"slack": slack_deliverer(client, interval=args.interval)}, translator=counter
        )
        runtime.runner.channel_concurrency = args.concurrency
        start = time.perf_counter()
        try:
            outcomes = await runtime.run_now(spec)
        finally:
            runtime.stop()
        total = time.perf_counter() - start
    await fake.close()

    by_channel: dict[str, list[float]] = defaultdict(list)
    for call in fake.posts:
        by_channel[call.body["channel"]].append(call.at)
    gaps = [b - a for times in by_channel.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    posted = sum(1 for o in outcomes if o.status == "posted")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"channels posted: {posted}/{len(channels)}; messages: {len(fake.posts)}")
    print(f"articles summarised: {counter.calls} (for {args.articles} articles × {len(channels)} channels)")
    print(f"smallest gap between two posts to one channel: {min(gaps):.3f} s (Slack: about 1 per second)")
    print(f"total time: {total:.1f} s; peak RSS: {peak:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.05, help="seconds between posts to one channel")
    parser.add_argument("--concurrency", type=int, default=50, help="channels served at once")
    asyncio.run(run(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

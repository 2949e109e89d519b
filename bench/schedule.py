"""Scheduling at scale: one schedule, 20 new articles, 200 Slack channels (the fake Slack).

    python -m bench.schedule [--channels 200] [--articles 20] [--interval 1.05] [--runs 3]

The floor is measured in the same run: the same digest to one channel, whose messages can
go no faster than one per interval. The fan-out to every channel is then timed against
it (median of ``--runs`` of each, interleaved). Also prints how many times articles were
summarised (each once, however many channels get it), the smallest gap between two posts
to one channel (Slack allows about one a second), the peak memory, and how long briefing
takes before the first post when the translator answers after ``--llm-latency`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from adapters.slack.client import make_web_client
from adapters.slack.digest import slack_deliverer
from adapters.slack.settings import SlackSettings
from bench.corpus import distinct_chinese
from bot.config import Config
from bot.runtime import BotRuntime
from bot.schedule.runner import BRIEFING_CONCURRENCY
from bot.schedule.spec import ScheduleSpec
from bot.translate.base import TranslationRequest, TranslationResult
from fakes.counting import CountingTranslator
from fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack

TARGET = 1.2


@dataclass
class Result:
    seconds: float
    posted: int
    messages: int
    summarised: int
    smallest_gap: float


def _articles(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        text = f"第{i + 1}號新聞稿件\n" + distinct_chinese(2500, seed=i)
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")


def _serve_fake(conn: Connection) -> None:
    """The fake Slack in a process of its own, as the real one is on another machine: the bot's
    process is charged only for its own work. Sends its URL, then on request what it received."""

    async def serve() -> None:
        fake = await FakeSlack().start()
        conn.send(fake.api_url)
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)
        conn.send([(call.body["channel"], call.at) for call in fake.posts])
        await fake.close()

    asyncio.run(serve())


class RemoteFake:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve_fake, args=(child,), daemon=True)
        self.process.start()
        self.api_url: str = self.conn.recv()

    def posts(self) -> list[tuple[str, float]]:
        self.conn.send("done")
        posts = self.conn.recv()
        self.process.join(timeout=10)
        return posts


async def fan_out(channels: int, articles: int, interval: float, translator: object | None = None) -> Result:
    """Post one schedule's digest of ``articles`` new articles to ``channels`` channels."""
    fake = await asyncio.to_thread(RemoteFake)
    posts: list[tuple[str, float]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "articles"
            _articles(folder, articles)
            names = tuple(f"C{n:05d}" for n in range(channels))
            spec = ScheduleSpec("scale", "slack", names, "daily 08:00", "UTC", str(folder), articles=articles)
            config = Config(database=f"sqlite:///{tmp}/bench.db", schedules=(spec,), timezone="UTC")
            client = make_web_client(
                SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
            )
            counter = CountingTranslator(translator) if translator is not None else CountingTranslator()
            runtime = BotRuntime.create(
                config, {"slack": slack_deliverer(client, interval=interval)}, translator=counter
            )
            start = time.perf_counter()
            try:
                outcomes = await runtime.run_now(spec)
            finally:
                seconds = time.perf_counter() - start
                runtime.stop()
    finally:
        posts = await asyncio.to_thread(fake.posts)
    by_channel: dict[str, list[float]] = defaultdict(list)
    for channel, at in posts:  # the fake's clock: CLOCK_MONOTONIC is the same in every process
        by_channel[channel].append(at)
    gaps = [b - a for times in by_channel.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    posted = sum(1 for o in outcomes if o.status == "posted")
    return Result(seconds, posted, len(posts), counter.calls, min(gaps) if gaps else float("nan"))


@dataclass
class SlowTranslator:
    """The offline glossary, answering after ``latency`` seconds like a remote model."""

    latency: float

    def __post_init__(self) -> None:
        from bot.translate.glossary import GlossaryTranslator

        self.inner = GlossaryTranslator()

    @property
    def info(self):
        return self.inner.info

    def translate(self, request: TranslationRequest) -> TranslationResult:
        time.sleep(self.latency)
        return self.inner.translate(request)


async def run(args: argparse.Namespace) -> None:
    floors: list[Result] = []
    fans: list[Result] = []
    for _ in range(args.runs):
        floors.append(await fan_out(1, args.articles, args.interval))
        fans.append(await fan_out(args.channels, args.articles, args.interval))
    floor = statistics.median(r.seconds for r in floors)
    total = statistics.median(r.seconds for r in fans)
    last = fans[-1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_channel = last.messages // max(last.posted, 1)
    print(f"channels posted: {last.posted}/{args.channels}; messages: {last.messages} ({per_channel} per channel)")
    print(f"articles summarised: {last.summarised} (for {args.articles} articles × {args.channels} channels)")
    print(f"smallest gap between two posts to one channel: {last.smallest_gap:.3f} s (Slack: about 1 per second)")
    print(
        f"floor (the same digest to 1 channel, {per_channel} messages at ≥ {args.interval} s): {floor:.1f} s; "
        f"runs {', '.join(f'{r.seconds:.1f}' for r in floors)}"
    )
    print(f"{args.channels} channels: {total:.1f} s; runs {', '.join(f'{r.seconds:.1f}' for r in fans)}")
    ratio = total / floor
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"ratio to the floor: {ratio:.2f}× (target ≤ {TARGET}×: {verdict}); peak RSS: {peak:.0f} MB")

    if args.llm_latency > 0:
        slow = await fan_out(1, args.llm_articles, 0.0, translator=SlowTranslator(args.llm_latency))
        serial = args.llm_articles * args.llm_latency
        rounds = -(-args.llm_articles // BRIEFING_CONCURRENCY)
        print(
            f"briefing {args.llm_articles} articles with a translator that answers after {args.llm_latency} s, "
            f"then posting to 1 channel: {slow.seconds:.2f} s "
            f"(one at a time would wait {serial:.1f} s; {BRIEFING_CONCURRENCY} at a time, "
            f"{rounds} round{'s' if rounds != 1 else ''} of {args.llm_latency} s)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.05, help="seconds between posts to one channel")
    parser.add_argument("--runs", type=int, default=3, help="runs of the floor and of the fan-out (median)")
    parser.add_argument("--llm-latency", type=float, default=0.5, help="translator latency for the briefing figure")
    parser.add_argument("--llm-articles", type=int, default=10)
    asyncio.run(run(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

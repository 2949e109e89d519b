"""Slack speed: request → ack, and request → posted briefing, against the fake Slack.

    python -m bench.slack [--requests 50]

The app runs as ``briefbot serve`` runs it (bolt's aiohttp server on a real port, the real
briefer with the offline glossary) against the fake Slack of ``fakes/slack_api.py``; each
request is the seed article as ``/brief`` text, form-encoded and signed, sent over a real socket.
The posted time is when the fake Slack received chat.postMessage. Requests go one at a time,
after two warm-up requests, each to a channel of its own: the bot posts at most about one
message a second to one channel, and this measures the bot, not that pace.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import time

import aiohttp
from aiohttp import web

from adapters.slack.app import build_app
from adapters.slack.server import make_web_app
from adapters.slack.settings import SlackSettings
from bench.corpus import SEED
from bot.chat.briefer import make_briefer
from fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack, sign, slash_command_body

ACK_TARGET_MS = 50
POST_TARGET_MS = 300
WARM_UP = 2


async def measure(requests: int) -> tuple[list[float], list[float]]:
    fake = await FakeSlack().start()
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
    runner = web.AppRunner(make_web_app(build_app(settings, briefer=make_briefer())), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/slack/events"
    seed = SEED.read_text(encoding="utf-8")
    acks: list[float] = []
    posts: list[float] = []
    try:
        async with aiohttp.ClientSession() as session:
            for n in range(WARM_UP + requests):
                body = slash_command_body(seed, response_url=fake.response_url(f"r{n}"), channel=f"C{n:05d}")
                headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
                posted_before = len(fake.posts)
                start = time.monotonic()
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        raise RuntimeError(f"the app answered {resp.status}")
                acked = time.monotonic()
                await fake.wait_for(lambda count=posted_before: len(fake.posts) > count, timeout=30)
                if n >= WARM_UP:
                    acks.append((acked - start) * 1000)
                    posts.append((fake.posts[-1].at - start) * 1000)
    finally:
        await runner.cleanup()
        await fake.close()
    return acks, posts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args(argv)
    acks, posts = asyncio.run(measure(args.requests))
    ack_ms, post_ms = statistics.median(acks), statistics.median(posts)
    python = sys.version.split()[0]
    print(f"machine: {platform.machine()}, Python {python}; {args.requests} requests, the seed as /brief text")
    print(f"request → ack               median {ack_ms:7.1f} ms   (target ≤ {ACK_TARGET_MS} ms)")
    print(f"request → posted briefing   median {post_ms:7.1f} ms   (target ≤ {POST_TARGET_MS} ms, glossary)")
    print(f"    slowest: ack {max(acks):.1f} ms, posted {max(posts):.1f} ms")
    met = ack_ms <= ACK_TARGET_MS and post_ms <= POST_TARGET_MS
    print("both targets met" if met else "a target was missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Discord latency benchmark: ``/brief`` on the seed, against the fake Discord API on 127.0.0.1.

    python -m bench.discord [--repeat 30]

The real ``run_discord`` (what ``briefbot serve`` runs) connects to the fake's gateway;
each round the fake sends an INTERACTION_CREATE and timestamps the requests it gets back.
(a) interaction → deferral: until the interaction callback arrives (Discord allows 3 s).
(b) interaction → briefing: until the last follow-up carrying the briefing arrives,
    with the offline glossary translator (the default).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import platform
import statistics
import time

import discord
import yarl

from adapters.discord.client import run_discord
from adapters.discord.settings import DiscordSettings
from bench.corpus import SEED
from bot.chat.briefer import make_briefer
from fakes.discord_api import APP_ID, TOKEN, FakeDiscord

DEFER_TARGET_MS = 50
POSTED_TARGET_MS = 300


async def one_round(fake: FakeDiscord, text: str) -> tuple[float, float]:
    payload = fake.interaction_payload({"text": text})
    token = payload["token"]
    callback = rf"/interactions/\d+/{token}/callback"
    followup = rf"/webhooks/{APP_ID}/{token}"
    start = time.perf_counter()
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_for(lambda: any(c.status == 200 for c in fake.calls_to("POST", followup)), timeout=30)
    deferred = fake.calls_to("POST", callback)[0].at - start
    posted = max(c.at for c in fake.calls_to("POST", followup)) - start
    return deferred, posted


async def measure(repeat: int) -> tuple[list[float], list[float]]:
    text = SEED.read_text(encoding="utf-8")
    async with FakeDiscord() as fake:
        discord.http.Route.BASE = fake.api_url  # also set by run_discord; here before anything connects
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
        server = asyncio.create_task(run_discord(DiscordSettings(TOKEN, fake.api_url), briefer=make_briefer()))
        try:
            await asyncio.wait_for(fake.ready.wait(), timeout=10)
            for _ in range(2):  # warm: jieba's dictionary, the IDF table, CC-CEDICT
                await one_round(fake, text)
            rounds = [await one_round(fake, text) for _ in range(repeat)]
        finally:
            server.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await server
    return [d for d, _ in rounds], [p for _, p in rounds]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    deferred, posted = asyncio.run(measure(args.repeat))
    defer_ms = statistics.median(deferred) * 1000
    posted_ms = statistics.median(posted) * 1000
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, discord.py {discord.__version__}")
    print(f"/brief on the seed, {args.repeat} rounds against the fake Discord API (gateway + REST on 127.0.0.1)")
    print(f"(a) interaction → deferral        median {defer_ms:8.2f} ms   (target ≤ {DEFER_TARGET_MS} ms)")
    print(f"(b) interaction → briefing posted median {posted_ms:8.2f} ms   (target ≤ {POSTED_TARGET_MS} ms, glossary)")
    ok = defer_ms <= DEFER_TARGET_MS and posted_ms <= POSTED_TARGET_MS
    print("both targets met" if ok else "a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

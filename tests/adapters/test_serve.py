"""``briefbot serve`` as a user runs it: a subprocess with its worker processes, against the fakes.

Slow links are a real HTTP server on 127.0.0.1 that holds its answer until the test lets it go.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.chat.briefer import working
from bot.chat.workers import BUSY
from fakes.discord_api import TOKEN as DISCORD_TOKEN
from fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack, sign, slash_command_body
from tests.conftest import ROOT, run_cli_async

WORKING = working("en")


ARTICLE = "南韓政府成立電影委員會及媒體中心，大力打造商業影視產品。韓劇的節奏曾不被看好，如今卻成賣座主流。"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    """A running ``briefbot serve`` and what it said on stderr so far."""

    proc: asyncio.subprocess.Process
    port: int
    session: aiohttp.ClientSession
    err: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def get(self, path: str) -> tuple[int, str]:
        async with self.session.get(self.base + path) as resp:
            return resp.status, await resp.text()

    async def brief(self, text: str, *, response_url: str, channel: str = "C123") -> tuple[int, dict]:
        body = slash_command_body(text, response_url=response_url, channel=channel)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        async with self.session.post(self.base + "/slack/events", data=body, headers=headers) as resp:
            return resp.status, json.loads(await resp.text())


@contextlib.asynccontextmanager
async def briefbot_serve(fake: FakeSlack, tmp_path: Path, **env: str) -> AsyncIterator[Served]:
    """``briefbot serve --host 127.0.0.1`` with Slack over HTTP against ``fake``, until the block ends."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    clean.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        BRIEFBOT_SLACK_API_URL=fake.api_url,
        BRIEFBOT_DB=str(tmp_path / "serve.db"),
        **env,
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        cwd=ROOT,
        env=clean,
        stderr=asyncio.subprocess.PIPE,
    )
    async with aiohttp.ClientSession() as session:
        served = Served(proc, port, session)

        async def read_stderr() -> None:
            async for line in proc.stderr:  # type: ignore[union-attr]
                served.err.append(line.decode())

        reader = asyncio.create_task(read_stderr())
        try:
            for _ in range(1500):
                assert proc.returncode is None, "".join(served.err)
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    if (await served.get("/healthz"))[0] == 200:
                        break
                await asyncio.sleep(0.02)
            yield served
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), timeout=30)
            await reader
    assert proc.returncode == 0, "".join(served.err)
    assert "Traceback" not in "".join(served.err)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.close()


async def until(condition, timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_slow_links_do_not_hold_up_anyone_elses_briefing(fake, tmp_path, local_site, seed_text):
    # As many slow links as asyncio's default pool has threads: before, they filled it.
    slow_links = min(32, (os.cpu_count() or 1) + 4)
    hold = threading.Event()
    slow = local_site.add("/slow", body=seed_text.encode(), content_type="text/plain; charset=utf-8", hold=hold)
    env = {"BRIEFBOT_ALLOW_PRIVATE_URLS": "1", "BRIEFBOT_FETCH_TIMEOUT": "120"}
    async with briefbot_serve(fake, tmp_path, **env) as served:
        try:
            for n in range(slow_links):
                status, answer = await served.brief(slow, response_url=fake.response_url(f"slow{n}"), channel=f"CS{n}")
                assert status == 200 and answer["text"] == WORKING
            await until(lambda: len(local_site.hits) >= min(slow_links, 16))  # every network thread is waiting

            status, answer = await served.brief(ARTICLE, response_url=fake.response_url("quick"))
            assert status == 200 and answer["text"] == WORKING
            await fake.wait_for(lambda: any(p.body["channel"] == "C123" for p in fake.posts), timeout=30)
            # Posted while every slow link was still being fetched.
            assert [p.body["channel"] for p in fake.posts] == ["C123"]
            assert fake.of("response_url") == []
        finally:
            hold.set()
        await fake.wait_for(lambda: len(fake.posts) == slow_links + 1, timeout=60)


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (IPv4, from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def metric(text: str, name: str, **labels: str) -> float:
    """One sample's value from Prometheus text (read with prometheus-client's own parser); 0 when absent."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


async def test_a_full_queue_says_busy_and_readiness_tells_the_truth(fake, tmp_path, local_site, seed_text):
    hold = threading.Event()
    slow = local_site.add("/slow", body=seed_text.encode(), content_type="text/plain; charset=utf-8", hold=hold)
    env = {"BRIEFBOT_ALLOW_PRIVATE_URLS": "1", "BRIEFBOT_FETCH_TIMEOUT": "120", "BRIEFBOT_QUEUE_LIMIT": "2"}
    async with briefbot_serve(fake, tmp_path, **env) as served:
        assert listening_addresses(served.port) == {"127.0.0.1"}  # --host, not every interface
        status, body = await served.get("/readyz")
        assert status == 200, body
        assert json.loads(body) == {"ready": True, "checks": {"database": "ok", "workers": "ok", "slack": "ok"}}
        try:
            for n in range(2):
                await served.brief(slow, response_url=fake.response_url(f"slow{n}"), channel=f"CS{n}")
            await until(lambda: len(local_site.hits) == 2)

            status, body = await served.get("/readyz")
            assert status == 503
            checks = json.loads(body)["checks"]
            assert checks["workers"].startswith("the queue is full (2 briefings in flight, limit 2)")
            assert checks["database"] == "ok" and checks["slack"] == "ok"
            assert await served.get("/healthz") == (200, "ok")  # alive all the same

            status, answer = await served.brief(ARTICLE, response_url=fake.response_url("turned-away"))
            assert status == 200 and answer == {"text": BUSY, "response_type": "ephemeral"}
        finally:
            hold.set()
        await fake.wait_for(lambda: len(fake.posts) == 2, timeout=60)

        async def ready() -> bool:
            return (await served.get("/readyz"))[0] == 200

        for _ in range(500):
            if await ready():
                break
            await asyncio.sleep(0.02)
        assert await ready()
        status, text = await served.get("/metrics")
        assert status == 200
        assert metric(text, "briefbot_briefings_total", platform="slack", trigger="command", outcome="posted") == 2
        assert metric(text, "briefbot_briefings_total", platform="slack", trigger="command", outcome="busy") == 1
        assert metric(text, "briefbot_briefing_seconds_count", platform="slack", trigger="command") == 2
        assert metric(text, "briefbot_translation_seconds_count", translator="cc-cedict") == 2
        assert metric(text, "briefbot_queue_depth") == 0
        assert metric(text, "briefbot_queue_limit") == 2
        assert metric(text, "briefbot_pool_size", pool="cpu") >= 1
        assert metric(text, "process_resident_memory_bytes") > 0
    assert fake.of("response_url") == []  # the busy answer was the ack itself
    err = "".join(served.err)
    # The worker processes had loaded the models before the bot listened.
    assert err.index("worker process(es) ready, models loaded") < err.index("listening on http://127.0.0.1:")


async def test_serve_with_discord_out_of_reach_is_one_sentence_and_exit_2():
    unreachable = f"http://127.0.0.1:{free_port()}/api/v10"
    run = await run_cli_async(
        "serve",
        "--port",
        str(free_port()),
        env={"DISCORD_BOT_TOKEN": DISCORD_TOKEN, "BRIEFBOT_DISCORD_API_URL": unreachable},
    )

    assert run.code == 2, run
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    # serve logs its progress; what stopped it is one sentence, last.
    last = run.err.splitlines()[-1]
    assert last.startswith(f"briefbot: Could not reach Discord at {unreachable} (ClientConnectorError); check")

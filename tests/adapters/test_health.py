"""Health, readiness and metrics (``adapters.health``), also when Discord runs alone."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket

import aiohttp
import discord
import pytest
import yarl
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.discord.settings import DiscordSettings
from adapters.health import Readiness, add_health_routes, listen
from adapters.serve import _serve, database_problem
from bot.chat.workers import Workers
from bot.config import Config
from bot.errors import ConfigError
from bot.store import Store, make_engine
from fakes.discord_api import TOKEN, FakeDiscord


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_readiness_says_which_check_fails_and_why(sqlite_url):
    store = Store(sqlite_url)
    workers = Workers()
    readiness = Readiness()
    readiness.add("database", lambda: database_problem(store, workers))
    web_app = web.Application()
    add_health_routes(web_app, readiness)
    async with TestClient(TestServer(web_app)) as client:
        ready = await client.get("/readyz")
        assert ready.status == 200 and await ready.json() == {"ready": True, "checks": {"database": "ok"}}

        store.engine.dispose()
        store.engine = make_engine("postgresql+psycopg://briefbot@127.0.0.1:1/briefbot")  # a database that is down
        not_ready = await client.get("/readyz")
        body = json.loads(await not_ready.text())
        assert not_ready.status == 503 and body["ready"] is False
        assert body["checks"]["database"] == "the database does not answer (OperationalError); see the log."
        health = await client.get("/healthz")
        assert (health.status, await health.text()) == (200, "ok")  # alive: nothing to restart for
    workers.close()


async def test_an_address_that_is_not_this_machines_is_one_sentence():
    with pytest.raises(ConfigError) as info:
        await listen(web.Application(), "192.0.2.1", 0)  # TEST-NET: never a local address
    assert info.value.message.startswith("Cannot listen on port 0 at 192.0.2.1 (")
    assert info.value.message.endswith("choose another with --port or --host.")


async def test_discord_alone_still_serves_health_readiness_and_metrics(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "serve.db"))
    async with FakeDiscord() as fake, aiohttp.ClientSession() as session:
        monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        workers = Workers()
        settings = DiscordSettings(TOKEN, fake.api_url)
        task = asyncio.create_task(
            _serve(Config(), None, settings, workers=workers, host="127.0.0.1", port=port, points=5)
        )
        try:
            await asyncio.wait_for(fake.ready.wait(), timeout=10)
            answer = None
            for _ in range(250):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with session.get(base + "/readyz") as ready:
                        answer = (ready.status, await ready.json())
                if answer and answer[0] == 200:
                    break
                await asyncio.sleep(0.02)
            assert answer == (200, {"ready": True, "checks": {"database": "ok", "workers": "ok", "discord": "ok"}})
            async with session.get(base + "/healthz") as health:
                assert (health.status, await health.text()) == (200, "ok")
            async with session.get(base + "/metrics") as scraped:
                assert scraped.status == 200 and scraped.content_type == "text/plain"
                assert "briefbot_queue_limit 1000.0" in await scraped.text()
            async with session.post(base + "/slack/events") as no_slack:
                assert no_slack.status in (404, 405)  # Slack is not running
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            workers.close()

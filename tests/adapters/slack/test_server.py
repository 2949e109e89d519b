"""``run_slack`` as ``briefbot serve`` runs it: HTTP on a real port, and Socket Mode over a WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import aiohttp
import pytest

from adapters.slack.app import SHORTCUT
from adapters.slack.server import run_slack
from adapters.slack.settings import SlackSettings
from bot.chat.briefer import make_briefer, working
from bot.errors import ConfigError
from fakes.slack_api import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    mention_event,
    sign,
    slash_command_body,
)
from tests.conftest import ROOT

WORKING = working("en")


ARTICLE = "南韓政府成立電影委員會及媒體中心，大力打造商業影視產品。韓劇的節奏曾不被看好，如今卻成賣座主流。"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def running(settings: SlackSettings, port: int = 0) -> AsyncIterator[asyncio.Task]:
    task = asyncio.create_task(run_slack(settings, port=port, briefer=make_briefer()))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def get_when_up(session: aiohttp.ClientSession, url: str, task: asyncio.Task) -> aiohttp.ClientResponse:
    for _ in range(200):
        if task.done():
            task.result()  # raise what stopped it
        with contextlib.suppress(aiohttp.ClientConnectionError):
            return await session.get(url)
        await asyncio.sleep(0.02)
    raise AssertionError(f"{url} never answered")


async def test_http_mode_serves_events_and_a_health_check_until_cancelled(fake):
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        async with running(settings, port) as task:
            health = await get_when_up(session, base + "/healthz", task)
            assert (health.status, await health.text()) == (200, "ok")
            body = slash_command_body(ARTICLE, response_url=fake.response_url())
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            resp = await session.post(base + "/slack/events", data=body, headers=headers)
            assert resp.status == 200 and json.loads(await resp.text())["text"] == WORKING
            await fake.wait_for(lambda: len(fake.posts) == 1)
            assert fake.calls[0].method == "auth.test"  # the token is checked at start
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(base + "/healthz")


async def test_a_rejected_bot_token_stops_the_start_with_one_sentence(fake):
    settings = SlackSettings(bot_token="xoxb-revoked", signing_secret=SIGNING_SECRET, api_url=fake.api_url)
    with pytest.raises(ConfigError) as info:
        await run_slack(settings, port=free_port(), briefer=make_briefer())
    assert info.value.message.startswith("Slack rejected SLACK_BOT_TOKEN (invalid_auth)")


async def test_a_busy_port_is_one_sentence(fake):
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError) as info:
            await run_slack(settings, port=port, briefer=make_briefer())
    assert info.value.message.startswith(f"Cannot listen on port {port}")


async def test_socket_mode_acks_a_command_and_answers_a_mention(fake):
    settings = SlackSettings(bot_token=BOT_TOKEN, app_token=APP_TOKEN, api_url=fake.api_url)
    async with running(settings) as task:
        await asyncio.wait_for(fake.socket_connected.wait(), timeout=10)
        assert not task.done()
        command = dict(parse_qsl(slash_command_body(ARTICLE, response_url=fake.response_url())))
        await fake.send_envelope(
            {"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True, "payload": command}
        )
        await fake.wait_for(lambda: any(a.get("envelope_id") == "env-1" for a in fake.socket_acks))
        ack = next(a for a in fake.socket_acks if a["envelope_id"] == "env-1")
        assert ack["payload"] == {"text": WORKING, "response_type": "ephemeral"}
        await fake.wait_for(lambda: len(fake.posts) == 1)

        # Socket Mode marks a first delivery retry_attempt 0: it must not be taken for a retry.
        event = mention_event(ARTICLE, event_id="Ev100", ts="1700000000.000900")
        await fake.send_envelope(
            {"envelope_id": "env-2", "type": "events_api", "payload": event, "retry_attempt": 0, "retry_reason": ""}
        )
        await fake.wait_for(lambda: len(fake.posts) == 2)
        assert fake.posts[1].body["thread_ts"] == "1700000000.000900"
        await fake.send_envelope(
            {
                "envelope_id": "env-3",
                "type": "events_api",
                "payload": event,
                "retry_attempt": 1,
                "retry_reason": "timeout",
            }
        )
        await fake.wait_for(lambda: any(a.get("envelope_id") == "env-3" for a in fake.socket_acks))
        await fake.settle()
        assert len(fake.posts) == 2
    opened = fake.of("apps.connections.open")
    assert len(opened) == 1 and opened[0].headers["Authorization"] == f"Bearer {APP_TOKEN}"


async def test_a_rejected_app_token_stops_the_start_with_one_sentence(fake):
    settings = SlackSettings(bot_token=BOT_TOKEN, app_token="xapp-revoked", api_url=fake.api_url)
    with pytest.raises(ConfigError) as info:
        await asyncio.wait_for(run_slack(settings, port=0, briefer=make_briefer()), timeout=10)
    assert info.value.message.startswith("Slack refused SLACK_APP_TOKEN (invalid_auth)")


def test_the_manifest_asks_for_the_command_the_event_the_shortcut_and_the_fewest_scopes():
    text = (ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0].rstrip() for line in text.splitlines()]
    body = "\n".join(line for line in lines if line.strip())

    assert "    - command: /brief\n      url: https://YOUR-HOST/slack/events" in body
    scopes = ["commands", "chat:write", "app_mentions:read", "channels:history", "groups:history", "users:read"]
    scopes += ["files:read", "reactions:read"]  # files shared with a mention; the reaction that briefs a link
    assert "    bot:\n" + "".join(f"      - {s}\n" for s in scopes) + "settings:" in body
    assert "    bot_events:\n      - app_mention\n      - reaction_added\n  interactivity:" in body
    # The message shortcut the app listens for (adapters/slack/app.py), and the interactivity it needs.
    assert (
        f"  shortcuts:\n    - name: Brief this discussion\n      type: message\n      callback_id: {SHORTCUT}\n" in body
    )
    assert "  interactivity:\n    is_enabled: true\n    request_url: https://YOUR-HOST/slack/events" in body
    assert "\t" not in text


async def test_briefbot_serve_runs_slack_over_http_and_stops_on_sigterm(fake, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, BRIEFBOT_SLACK_API_URL=fake.api_url)
    env["BRIEFBOT_DB"] = str(tmp_path / "serve.db")  # serve keeps schedules; not in the working tree
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--port",
        str(port),
        "--points",
        "3",
        cwd=ROOT,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(500):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    health = await session.get(f"http://127.0.0.1:{port}/healthz")
                    break
                assert proc.returncode is None, (await proc.communicate())[1].decode()
                await asyncio.sleep(0.02)
            assert health.status == 200
            body = slash_command_body(ARTICLE, response_url=fake.response_url())
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            resp = await session.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers)
            assert resp.status == 200
        await fake.wait_for(lambda: len(fake.posts) == 1, timeout=20)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode == 0
    assert "listening on http://0.0.0.0:" in err.decode() and "Traceback" not in err.decode()
    assert "token` will be unused" not in err.decode()

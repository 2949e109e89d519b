"""``run_discord`` (what ``briefbot serve`` runs) through discord.py's real gateway client, against the fake."""

from __future__ import annotations

import asyncio
import contextlib

import discord
import pytest
import yarl

from adapters.discord.client import run_discord
from adapters.discord.settings import DiscordSettings
from bot.chat.briefer import make_briefer
from bot.errors import ConfigError
from fakes.discord_api import APP_ID, TOKEN, FakeDiscord

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


@pytest.fixture
async def fake(monkeypatch):
    async with FakeDiscord() as server:
        monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))
        yield server


async def test_serve_answers_brief_from_the_gateway_and_stops_when_cancelled(fake, seed_text):
    task = asyncio.create_task(run_discord(DiscordSettings(TOKEN, fake.api_url), briefer=make_briefer()))
    try:
        await asyncio.wait_for(fake.ready.wait(), timeout=10)
        assert fake.identify["token"] == TOKEN
        assert fake.identify["intents"] & PRIVILEGED_INTENTS == 0
        # Reaction events (settings reactions=on) need the guild reactions intent, which is not privileged.
        assert fake.identify["intents"] & discord.Intents(guild_reactions=True).value

        await fake.dispatch("INTERACTION_CREATE", fake.interaction_payload({"text": seed_text}))
        await fake.wait_for(lambda: fake.calls_to("POST", rf"/webhooks/{APP_ID}/[^/]+"))

        assert fake.calls_to("POST", r"/interactions/\d+/[^/]+/callback")[0].json == {"type": 5}
        assert fake.calls_to("POST", rf"/webhooks/{APP_ID}/[^/]+")[0].json["embeds"]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert task.cancelled()


async def test_a_token_the_gateway_refuses_stops_serve_at_once(fake):
    fake.gateway_close_code = 4004
    with pytest.raises(ConfigError) as info:
        await asyncio.wait_for(run_discord(DiscordSettings(TOKEN, fake.api_url), briefer=make_briefer()), timeout=10)
    assert "DISCORD_BOT_TOKEN" in info.value.message
    assert len(fake.calls_to("GET", "/users/@me")) == 1  # logged in once, never retried
    assert fake.gateway_connections == 1

"""What the Discord tests share: the fake Discord on 127.0.0.1 and settings that point at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from adapters.discord.settings import DiscordSettings
from fakes.discord_api import TOKEN, FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
def settings(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> DiscordSettings:
    # build_client sets discord.http.Route.BASE process-wide; have pytest put it back afterwards.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    return DiscordSettings(token=TOKEN, api_url=fake.api_url)

"""``briefbot post discord`` and ``briefbot discord sync`` as a user runs them, and the settings behind them."""

from __future__ import annotations

import asyncio

import discord
import pytest

from adapters.discord.client import run_discord
from adapters.discord.errors import DiscordError
from adapters.discord.post import post
from adapters.discord.settings import DEFAULT_API_URL, DiscordSettings, load_discord_settings
from bot import summarize
from bot.chat.briefer import make_briefer
from bot.chat.i18n import tr
from bot.errors import ConfigError
from fakes.discord_api import APP_ID, CHANNEL_ID, TOKEN
from tests.conftest import ROOT, SEED, CliResult, run_cli_async

SEED_ARG = str(SEED.relative_to(ROOT))


Run = CliResult


async def briefbot(*args: str, env: dict[str, str]) -> Run:
    return await run_cli_async(*args, env=env, timeout=60)


def env_for(fake, token: str = TOKEN) -> dict[str, str]:
    return {"DISCORD_BOT_TOKEN": token, "BRIEFBOT_DISCORD_API_URL": fake.api_url}


def one_sentence(run: Run) -> str:
    assert run.code == 2, run
    assert run.out == ""
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefbot: "), run.err
    return lines[0]


async def test_post_discord_with_thread_as_a_subprocess(fake, seed_text):
    run = await briefbot("post", "discord", str(CHANNEL_ID), SEED_ARG, "--thread", env=env_for(fake))

    assert run.code == 0, run.err
    (briefing_message,) = fake.messages_in(CHANNEL_ID)
    assert run.out.strip() == briefing_message["id"]
    assert fake.calls_to("GET", f"/channels/{CHANNEL_ID}")  # fetch_channel, over REST
    assert not fake.calls_to("GET", "/gateway.*")  # no gateway connection
    (thread,) = fake.threads()
    assert thread["id"] == briefing_message["id"]
    points = summarize(seed_text).key_points
    assert len(fake.messages_in(int(thread["id"]))) == len(points)
    assert all(c.json["allowed_mentions"] == {"parse": []} for c in fake.sends())
    assert briefing_message["embeds"][0]["description"] == summarize(seed_text).summary.zh


async def test_a_refused_token_is_one_sentence_and_never_retried(fake):
    run = await briefbot("post", "discord", str(CHANNEL_ID), SEED_ARG, env=env_for(fake, token="wrong.token.value"))

    assert "DISCORD_BOT_TOKEN" in one_sentence(run) and "401" in run.err
    assert len(fake.calls) == 1 and fake.calls[0].path == "/users/@me" and fake.calls[0].status == 401


@pytest.mark.parametrize(
    "channel, env, words",
    [
        ("general", {"DISCORD_BOT_TOKEN": TOKEN}, "CHANNEL must be a Discord channel id"),
        (str(CHANNEL_ID), {}, "DISCORD_BOT_TOKEN is not set"),
        (str(CHANNEL_ID), {"DISCORD_BOT_TOKEN": "Bot abc.def.ghi"}, "DISCORD_BOT_TOKEN must be the bare bot token"),
    ],
)
async def test_post_discord_mistakes_are_one_sentence(channel, env, words):
    run = await briefbot("post", "discord", channel, SEED_ARG, env=env)
    assert words in one_sentence(run)


@pytest.mark.parametrize(
    "status, code, message, words",
    [
        (403, 50001, "Missing Access", "cannot see channel 123"),
        (403, 50013, "Missing Permissions", "Create Public Threads"),
        (404, 10003, "Unknown Channel", "check the channel id"),
    ],
)
async def test_discord_refusals_become_one_sentence(fake, monkeypatch, seed_text, status, code, message, words):
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    fake.error_once("GET", rf"/channels/{CHANNEL_ID}", status, code, message, times=None)
    with pytest.raises(DiscordError) as info:
        await post(DiscordSettings(TOKEN, fake.api_url), CHANNEL_ID, summarize(seed_text), thread=False)
    assert words in info.value.message and "\n" not in info.value.message
    assert len(fake.calls_to("GET", rf"/channels/{CHANNEL_ID}")) == 1  # 403 and 404 are not retried


async def test_sync_to_a_guild_registers_brief_with_its_options_and_the_message_command(fake):
    run = await briefbot("discord", "sync", "--guild", "1", env=env_for(fake))

    assert run.code == 0, run.err
    (call,) = fake.calls_to("PUT", rf"/applications/{APP_ID}/guilds/1/commands")
    command, menu = call.json
    assert menu["name"] == "Brief this discussion" and menu["type"] == 3  # a message context-menu command
    assert '"Brief this discussion" (in a message\'s Apps menu)' in run.out
    assert command["name"] == "brief" and command["type"] == 1
    options = {o["name"]: o for o in command["options"]}
    assert list(options) == ["text", "url", "attachment", "thread", "private"]
    assert [o["type"] for o in options.values()] == [3, 3, 11, 5, 5]  # string, string, attachment, boolean ×2
    assert not any(o.get("required") for o in options.values())
    assert "/brief (options: text, url, attachment, thread, private)" in run.out and "server 1" in run.out


async def test_the_synced_commands_carry_their_zh_tw_and_zh_cn_names_and_descriptions(fake):
    run = await briefbot("discord", "sync", "--guild", "1", env=env_for(fake))

    assert run.code == 0, run.err
    (call,) = fake.calls_to("PUT", rf"/applications/{APP_ID}/guilds/1/commands")
    command, menu = call.json
    assert command["name_localizations"] == {"zh-TW": "簡報", "zh-CN": "简报"}
    assert command["description_localizations"] == {
        "zh-TW": tr("zh-Hant", command["description"]),
        "zh-CN": tr("zh-Hans", command["description"]),
    }
    assert set(command["description_localizations"].values()) >= {"簡報一篇新聞：中英文的摘要、重點與關鍵詞"}
    for option in command["options"]:  # option names stay as typed; their descriptions are localised
        assert "name_localizations" not in option or not option["name_localizations"]
        localised = option["description_localizations"]
        assert set(localised) == {"zh-TW", "zh-CN"}
        assert localised["zh-TW"] == tr("zh-Hant", option["description"]) != option["description"]
        assert len(localised["zh-TW"]) <= 100 and len(localised["zh-CN"]) <= 100
    assert menu["name_localizations"] == {"zh-TW": "簡報這段討論", "zh-CN": "简报这段讨论"}
    # Other locales are left to the English defaults.
    assert not any(k not in ("zh-TW", "zh-CN") for k in command["name_localizations"])


async def test_sync_without_a_guild_is_global(fake):
    run = await briefbot("discord", "sync", env=env_for(fake))

    assert run.code == 0, run.err
    names = [c["name"] for c in fake.calls_to("PUT", rf"/applications/{APP_ID}/commands")[0].json]
    assert names == ["brief", "Brief this discussion"]
    assert "globally" in run.out


async def test_sync_mistakes_are_one_sentence(fake):
    assert "DISCORD_BOT_TOKEN is not set" in one_sentence(await briefbot("discord", "sync", "--guild", "1", env={}))
    run = await briefbot("discord", "sync", "--guild", "1", env=env_for(fake, token="wrong.token.value"))
    assert "401" in one_sentence(run)
    assert len(fake.calls) == 1


async def test_serve_gives_up_at_once_on_a_refused_token(fake, monkeypatch):
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    settings = DiscordSettings("wrong.token.value", fake.api_url)
    with pytest.raises(ConfigError) as info:
        await asyncio.wait_for(run_discord(settings, briefer=make_briefer()), timeout=10)
    assert "DISCORD_BOT_TOKEN" in info.value.message
    assert [c.path for c in fake.calls] == ["/users/@me"]


def test_settings_from_the_environment(monkeypatch):
    for name in ("DISCORD_BOT_TOKEN", "BRIEFBOT_DISCORD_API_URL"):
        monkeypatch.delenv(name, raising=False)
    assert load_discord_settings() is None
    monkeypatch.setenv("DISCORD_BOT_TOKEN", f"  {TOKEN}\n")
    assert load_discord_settings() == DiscordSettings(TOKEN, DEFAULT_API_URL)
    assert TOKEN not in repr(load_discord_settings())
    monkeypatch.setenv("BRIEFBOT_DISCORD_API_URL", "http://127.0.0.1:8080/api/v10/")
    assert load_discord_settings().api_url == "http://127.0.0.1:8080/api/v10"


@pytest.mark.parametrize(
    "token, url, name",
    [
        ("abc def", "", "DISCORD_BOT_TOKEN"),
        ('"abc.def"', "", "DISCORD_BOT_TOKEN"),
        (TOKEN, "discord.com/api", "BRIEFBOT_DISCORD_API_URL"),
        (TOKEN, "ftp://example.com", "BRIEFBOT_DISCORD_API_URL"),
    ],
)
def test_malformed_settings_name_the_variable(monkeypatch, token, url, name):
    monkeypatch.setenv("DISCORD_BOT_TOKEN", token)
    monkeypatch.setenv("BRIEFBOT_DISCORD_API_URL", url)
    with pytest.raises(ConfigError) as info:
        load_discord_settings()
    assert info.value.message.startswith(name) and "\n" not in info.value.message

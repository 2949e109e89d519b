"""Scheduled digests delivered to the fake Slack and Discord servers, and schedule
commands from those platforms (admins only), through the real slack-bolt and discord.py."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.discord.client import build_client
from adapters.discord.digest import discord_deliverer
from adapters.discord.settings import DiscordSettings
from adapters.slack.app import build_app
from adapters.slack.client import make_web_client
from adapters.slack.digest import slack_deliverer
from adapters.slack.server import make_web_app
from adapters.slack.settings import SlackSettings
from bot import summarize
from bot.chat.briefer import make_briefer
from bot.config import Admins, Config
from bot.runtime import BotRuntime
from bot.schedule.spec import ScheduleSpec
from fakes.discord_api import CHANNEL_ID, TOKEN, FakeDiscord, limit_violations, run_interaction
from fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack, block_problems, sign, slash_command_body
from tests.conftest import ROOT, article_folder, run_cli_async

EVAL = ROOT / "tests" / "eval"


def articles(tmp_path):
    return article_folder(tmp_path)


def config(tmp_path, *specs, admins: Admins | None = None) -> Config:
    return Config(
        database=f"sqlite:///{tmp_path / 'bot.db'}", schedules=tuple(specs), timezone="UTC", admins=admins or Admins()
    )


@pytest.fixture(autouse=True)
def _no_db_env(monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.close()


@pytest.fixture
async def discord_fake(monkeypatch) -> AsyncIterator[FakeDiscord]:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    async with FakeDiscord() as server:
        yield server


def slack_settings(fake: FakeSlack) -> SlackSettings:
    return SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)


@pytest.mark.parametrize("thread", [False, True])
async def test_forced_run_posts_the_digest_to_slack_once(tmp_path, slack, thread):
    spec = ScheduleSpec("morning", "slack", ("C123",), "daily 08:00", "UTC", str(articles(tmp_path)), thread=thread)
    client = make_web_client(slack_settings(slack))
    runtime = BotRuntime.create(config(tmp_path, spec), {"slack": slack_deliverer(client, interval=0.0)})
    try:
        first = await runtime.run_now(spec)
        second = await runtime.run_now(spec)  # run twice: one post
    finally:
        runtime.stop()
    assert [o.status for o in first] == ["posted"] and [o.status for o in second] == ["taken"]
    posts = slack.posts
    parent, *replies = posts
    assert "thread_ts" not in parent.body or not parent.body["thread_ts"]
    assert "Daily briefing" in parent.body["text"]
    assert all(r.body["thread_ts"] == parent.response["ts"] for r in replies)
    for call in posts:
        assert block_problems(call.body["blocks"]) == []
        assert call.body["unfurl_links"] in (False, "false", "0", 0)
    if thread:  # a heading reply per article, then one reply per key point
        points = [r for r in replies if "Key point" in r.body["text"]]
        briefed = [summarize(p.read_text(encoding="utf-8")) for p in sorted(articles(tmp_path).iterdir())]
        expected = sum(len(b.key_points) for b in briefed)
        assert len(points) == expected and len(replies) == expected + 2
    else:  # each article's full briefing in the thread
        assert len(replies) == 2
    assert first[0].receipt.message_id == parent.response["ts"]


async def test_slack_schedule_commands_are_for_admins_only(tmp_path, slack):
    runtime = BotRuntime.create(config(tmp_path, admins=Admins(slack_users=("U_LISTED",))), {})
    slack.workspace_admins.add("U_ADMIN")
    app = build_app(slack_settings(slack), briefer=make_briefer(), runtime=runtime)
    client = TestClient(TestServer(make_web_app(app)))
    await client.start_server()

    async def command(text: str, user: str, name: str) -> dict:
        body = slash_command_body(text, response_url=slack.response_url(name), user=user)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        response = await client.post("/slack/events", data=body.encode(), headers=headers)
        assert response.status == 200
        await slack.wait_for(lambda: any(c.method == "response_url" for c in slack.calls))
        await slack.settle()
        answers = [c.body for c in slack.calls if c.method == "response_url"]
        slack.calls.clear()
        return answers[-1]

    try:
        add = "schedule add daily 08:00 Asia/Taipei https://example.com/rss thread"
        refused = await command(add, "U_SOMEONE", "r1")
        assert "Only admins" in refused["text"] and refused.get("response_type") == "ephemeral"
        assert runtime.store.schedules() == []  # nothing stored

        added = await command(add, "U_ADMIN", "r2")  # a workspace admin (users.info)
        assert added["text"].startswith("Added schedule sl-")
        listed_by_config = await command("schedule list", "U_LISTED", "r3")
        (spec,) = runtime.store.schedules()
        assert spec.id in listed_by_config["text"] and spec.channels == ("C123",) and spec.platform == "slack"
        assert slack.posts == []  # schedule commands never post in the channel
    finally:
        await client.close()
        runtime.stop()


@pytest.mark.parametrize("thread", [False, True])
async def test_forced_run_posts_the_digest_to_discord_with_a_thread(tmp_path, discord_fake, thread):
    settings = DiscordSettings(token=TOKEN, api_url=discord_fake.api_url)
    source = str(articles(tmp_path))
    spec = ScheduleSpec("desk", "discord", (str(CHANNEL_ID),), "daily 09:30", "UTC", source, thread=thread)
    client = build_client(settings, briefer=make_briefer())
    await client.login(TOKEN)
    runtime = BotRuntime.create(config(tmp_path, spec), {"discord": discord_deliverer(client)})
    try:
        first = await runtime.run_now(spec)
        second = await runtime.run_now(spec)
    finally:
        runtime.stop()
        await client.close()
    assert [o.status for o in first] == ["posted"] and [o.status for o in second] == ["taken"]
    in_channel = discord_fake.messages_in(CHANNEL_ID)
    assert len(in_channel) == 1 and "Daily briefing" in in_channel[0]["embeds"][0]["title"]
    (thread_channel,) = discord_fake.threads()
    in_thread = discord_fake.messages_in(int(thread_channel["id"]))
    for call in discord_fake.sends():
        assert call.json.get("allowed_mentions") == {"parse": []}
        assert limit_violations(call.json) == []
    if not thread:
        assert len(in_thread) == 2  # each article's briefing
        return
    # Key points, one message each under a heading per article: plain text, whose links must
    # not unfurl into a preview under every point (SUPPRESS_EMBEDS, flag 4).
    text = [m for m in in_thread if m["content"] and not m["embeds"]]
    assert len(text) == len(in_thread) > 2
    assert all(m["flags"] & 4 for m in text), [m["flags"] for m in text]


async def test_discord_schedule_commands_are_for_admins_only(tmp_path, discord_fake):
    settings = DiscordSettings(token=TOKEN, api_url=discord_fake.api_url)
    runtime = BotRuntime.create(config(tmp_path), {})
    client = build_client(settings, briefer=make_briefer(), runtime=runtime)
    await client.login(TOKEN)
    try:
        payload = discord_fake.interaction_payload({"text": "schedule add daily 08:00 UTC https://example.com/rss"})
        payload["member"]["permissions"] = str(discord.Permissions(send_messages=True).value)  # no Manage Server
        await run_interaction(client, payload)
        assert runtime.store.schedules() == []
        replies = [c.json for c in discord_fake.sends() if "Only admins" in str(c.json)]
        assert replies and all((r.get("flags") or r.get("data", {}).get("flags") or 0) & 64 for r in replies)

        payload = discord_fake.interaction_payload({"text": "schedule add daily 08:00 UTC https://example.com/rss"})
        await run_interaction(client, payload)  # the fake's member has every permission
        (spec,) = runtime.store.schedules()
        assert spec.platform == "discord" and spec.channels == (str(CHANNEL_ID),)
        assert discord_fake.messages_in(CHANNEL_ID) == [] or all(
            m["flags"] & 64 for m in discord_fake.messages_in(CHANNEL_ID)
        )
    finally:
        runtime.stop()
        await client.close()


async def test_schedule_run_cli_posts_to_slack_without_starting_the_app(tmp_path, slack):
    folder = articles(tmp_path)
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text(
        f"""[bot]
timezone = "UTC"
database = "sqlite:///{tmp_path / "cli.db"}"

[[schedules]]
id = "cli-run"
platform = "slack"
channel = "C777"
when = "daily 08:00"
source = "{folder}"
""",
        encoding="utf-8",
    )
    # The same database on every run (the config names it; the environment would win over it).
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "BRIEFBOT_SLACK_API_URL": slack.api_url,
        "BRIEFBOT_DB": str(tmp_path / "cli.db"),
    }

    async def run(*args: str) -> tuple[int, str, str]:
        result = await run_cli_async(*args, env=env)
        return result.code, result.out, result.err

    code, out, err = await run("schedule", "run", "cli-run", "--config", str(cfg))
    assert code == 0, err
    assert "cli-run → C777: posted" in out
    assert slack.posts and slack.posts[0].body["channel"] == "C777"
    code, out, _ = await run("schedule", "run", "cli-run", "--config", str(cfg))
    assert code == 0 and "taken" in out
    code, out, _ = await run("schedule", "list", "--config", str(cfg))
    assert "cli-run: daily 08:00 (UTC) → slack C777" in out and "posted" in out

"""``briefbot post slack`` as a user runs it: a subprocess, talking to the fake Slack over HTTP."""

from __future__ import annotations

import pytest

from bot.text.pipeline import summarize
from fakes.slack_api import BOT_TOKEN, block_problems
from tests.conftest import SEED, run_cli_async


async def briefbot(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    result = await run_cli_async(*args, env=env, timeout=60)
    return result.code, result.out, result.err


async def test_post_slack_with_thread(fake):
    code, out, err = await briefbot(
        "post",
        "slack",
        "C123",
        str(SEED),
        "--thread",
        env={"SLACK_BOT_TOKEN": BOT_TOKEN, "BRIEFBOT_SLACK_API_URL": fake.api_url.rstrip("/")},
    )

    assert (code, err) == (0, "")
    parent, *replies = fake.posts
    assert out == parent.response["ts"] + "\n"
    assert parent.body["channel"] == "C123" and parent.body["unfurl_links"] is False
    assert block_problems(parent.body["blocks"]) == []
    points = summarize(SEED.read_text(encoding="utf-8")).key_points
    assert len(replies) == len(points)
    assert all(r.body["thread_ts"] == parent.response["ts"] for r in replies)
    assert [c.method for c in fake.calls] == ["chat.postMessage"] * (1 + len(points))


async def test_post_slack_with_points(fake):
    code, _, _ = await briefbot(
        "post",
        "slack",
        "C123",
        str(SEED),
        "--points",
        "2",
        env={"SLACK_BOT_TOKEN": BOT_TOKEN, "BRIEFBOT_SLACK_API_URL": fake.api_url},
    )
    assert code == 0
    text = fake.posts[0].body["blocks"][3]["text"]["text"]
    assert text.startswith("*Key points 重點*\n1. ") and "\n2. " in text and "\n3. " not in text


@pytest.mark.parametrize(
    "env, words",
    [
        ({}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-a-user-token"}, "SLACK_BOT_TOKEN must be"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN, "BRIEFBOT_SLACK_API_URL": "ftp://x"}, "BRIEFBOT_SLACK_API_URL must be"),
    ],
)
async def test_post_slack_settings_mistakes_are_one_sentence(fake, env, words):
    code, out, err = await briefbot("post", "slack", "C123", str(SEED), env=env)

    assert code == 2 and out == ""
    assert err.startswith(f"briefbot: {words}") and err.count("\n") == 1
    assert fake.calls == []


@pytest.mark.parametrize(
    "error, words",
    [
        ("channel_not_found", "Slack has no channel C404"),
        ("not_in_channel", "The bot is not a member of channel C404"),
        ("invalid_auth", "Slack rejected SLACK_BOT_TOKEN (invalid_auth)"),
    ],
)
async def test_post_slack_api_errors_are_one_sentence(fake, error, words):
    fake.fail_channel("C404", error)
    code, out, err = await briefbot(
        "post", "slack", "C404", str(SEED), env={"SLACK_BOT_TOKEN": BOT_TOKEN, "BRIEFBOT_SLACK_API_URL": fake.api_url}
    )

    assert code == 2 and out == ""
    assert err.startswith(f"briefbot: {words}") and err.count("\n") == 1
    assert "Traceback" not in err


async def test_post_slack_when_slack_is_unreachable():
    code, _, err = await briefbot(
        "post",
        "slack",
        "C123",
        str(SEED),
        env={"SLACK_BOT_TOKEN": BOT_TOKEN, "BRIEFBOT_SLACK_API_URL": "http://127.0.0.1:9/api/"},
    )
    assert code == 2
    assert err.startswith("briefbot: Could not reach Slack at http://127.0.0.1:9/api/") and err.count("\n") == 1

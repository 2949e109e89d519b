"""Slack settings from the environment, and what Slack's user text markup turns into."""

from __future__ import annotations

import pytest

from adapters.slack.settings import DEFAULT_API_URL, SlackSettings, load_slack_settings
from adapters.slack.user_text import after_mention, from_slack
from bot.errors import ConfigError

SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "BRIEFBOT_SLACK_API_URL")


@pytest.fixture
def env(monkeypatch):
    for name in SLACK_VARS:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_no_bot_token_means_slack_is_off(env):
    env(SLACK_SIGNING_SECRET="secret")
    assert load_slack_settings() is None
    assert load_slack_settings(receive=False) is None


def test_http_mode(env):
    env(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="secret")
    settings = load_slack_settings()
    assert settings == SlackSettings(bot_token="xoxb-1", signing_secret="secret", api_url=DEFAULT_API_URL)
    assert not settings.socket_mode
    assert "xoxb-1" not in repr(settings) and "secret" not in repr(settings)


def test_socket_mode_needs_no_signing_secret(env):
    env(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    settings = load_slack_settings()
    assert settings is not None and settings.socket_mode and settings.signing_secret is None


def test_posting_needs_only_the_bot_token(env):
    env(SLACK_BOT_TOKEN="xoxb-1", BRIEFBOT_SLACK_API_URL="http://127.0.0.1:9/api")
    settings = load_slack_settings(receive=False)
    assert settings is not None and settings.api_url == "http://127.0.0.1:9/api/"


@pytest.mark.parametrize(
    "values, variable",
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "BRIEFBOT_SLACK_API_URL": "slack.com"},
            "BRIEFBOT_SLACK_API_URL",
        ),
    ],
)
def test_bad_settings_are_one_sentence_naming_the_variable(env, values, variable):
    env(**values)
    with pytest.raises(ConfigError) as info:
        load_slack_settings()
    assert info.value.message.startswith(variable) and "\n" not in info.value.message


@pytest.mark.parametrize(
    "sent, typed",
    [
        ("<https://example.com/a?b=1&amp;c=2|example.com/a?b=1&amp;c=2>", "https://example.com/a?b=1&c=2"),
        ("thread <https://example.com/x>", "thread https://example.com/x"),
        ("say &lt;!channel&gt; &amp; <@U123|ann> in <#C1|news>", "say <!channel> & @ann in #news"),
        ("<!here> <mailto:a@b.example|a@b.example>", "@here a@b.example"),
    ],
)
def test_from_slack_gives_back_what_the_user_typed(sent, typed):
    assert from_slack(sent) == typed


def test_after_mention_takes_what_follows_the_bot():
    assert after_mention("<@UBOT> thread <https://x.example/a|x.example/a>", "UBOT") == "thread https://x.example/a"
    assert after_mention("hey <@UOTHER> and <@UBOT|briefbot>  help ", "UBOT") == "help"
    assert after_mention("<@UBOT>", "UBOT") == ""

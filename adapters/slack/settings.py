"""Slack settings, read from the environment (secrets never live in files)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.errors import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: str = field(repr=False)
    #: Verifies HTTP requests from Slack; not needed in Socket Mode or to post only.
    signing_secret: str | None = field(default=None, repr=False)
    #: An app-level token (``xapp-``) switches the receiver to Socket Mode.
    app_token: str | None = field(default=None, repr=False)
    #: Web API base URL, always ending in ``/`` (slack_sdk joins method names onto it).
    api_url: str = DEFAULT_API_URL

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def load_slack_settings(*, receive: bool = True) -> SlackSettings | None:
    """Slack settings, or None when ``SLACK_BOT_TOKEN`` is unset (Slack is then off).

    ``receive=False`` is for posting only (``briefbot post slack``): no signing secret or
    app token is needed then. Any malformed value raises ``ConfigError`` naming the variable.
    """
    bot_token = _env("SLACK_BOT_TOKEN")
    if bot_token is None:
        return None
    if not bot_token.startswith("xoxb-"):
        raise ConfigError(
            "SLACK_BOT_TOKEN must be the app's Bot User OAuth Token, which starts with xoxb- "
            "(Slack app settings → OAuth & Permissions)."
        )
    api_url = _api_url()
    if not receive:
        return SlackSettings(bot_token=bot_token, api_url=api_url)

    app_token = _env("SLACK_APP_TOKEN")
    if app_token is not None and not app_token.startswith("xapp-"):
        raise ConfigError(
            "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
            "(Slack app settings → Basic Information → App-Level Tokens, scope connections:write)."
        )
    signing_secret = _env("SLACK_SIGNING_SECRET")
    if signing_secret is None and app_token is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set; copy it from Slack app settings → Basic Information → "
            "App Credentials, or set SLACK_APP_TOKEN to use Socket Mode instead."
        )
    return SlackSettings(bot_token=bot_token, signing_secret=signing_secret, app_token=app_token, api_url=api_url)


def _api_url() -> str:
    raw = _env("BRIEFBOT_SLACK_API_URL")
    if raw is None:
        return DEFAULT_API_URL
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(
            "BRIEFBOT_SLACK_API_URL must be an http(s) URL such as {example}, not {value}.",
            example=DEFAULT_API_URL,
            value=repr(raw),
        )
    # slack_sdk urljoins method names onto the base: without the slash the last segment is lost.
    return raw if raw.endswith("/") else raw + "/"

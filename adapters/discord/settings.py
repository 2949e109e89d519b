"""Discord settings from the environment: the bot token and the REST base URL."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from bot.errors import ConfigError

DEFAULT_API_URL = "https://discord.com/api/v10"

# Bot tokens are dot-separated base64url parts; anything else (spaces, a "Bot " prefix,
# quotes from a .env file) would only come back as a 401 that is harder to understand.
_TOKEN = re.compile(r"[A-Za-z0-9_\-.]+")


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    token: str
    #: REST base, without a trailing slash, e.g. ``https://discord.com/api/v10``.
    api_url: str = DEFAULT_API_URL

    def __repr__(self) -> str:  # keep the token out of logs and tracebacks
        return f"DiscordSettings(token='***', api_url={self.api_url!r})"


def load_discord_settings() -> DiscordSettings | None:
    """Settings when ``DISCORD_BOT_TOKEN`` is set, else None; ``ConfigError`` when malformed."""
    token = os.environ.get("DISCORD_BOT_TOKEN", "").strip()
    if not token:
        return None
    if token.lower().startswith("bot "):
        raise ConfigError("DISCORD_BOT_TOKEN must be the bare bot token, without the 'Bot ' prefix.")
    if not _TOKEN.fullmatch(token):
        raise ConfigError(
            "DISCORD_BOT_TOKEN is malformed: paste the bot token from the Developer Portal with no spaces or quotes."
        )
    return DiscordSettings(token=token, api_url=_api_url())


def _api_url() -> str:
    raw = os.environ.get("BRIEFBOT_DISCORD_API_URL", "").strip()
    if not raw:
        return DEFAULT_API_URL
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", raw):
        raise ConfigError(
            "BRIEFBOT_DISCORD_API_URL must be an http(s) URL such as {example}, not {raw}.",
            example=DEFAULT_API_URL,
            raw=repr(raw),
        )
    return raw.rstrip("/")


def apply_api_url(settings: DiscordSettings) -> None:
    """Point discord.py's REST calls at ``settings.api_url``.

    discord.py has no per-client option for the REST base: every request, including the
    interaction callbacks and follow-up webhooks, builds its URL from the class attribute
    ``discord.http.Route.BASE``. Setting it here, and only here, keeps that process-wide
    switch in one place; every client we build goes through ``adapters.discord.client``.
    """
    import discord.http

    discord.http.Route.BASE = settings.api_url

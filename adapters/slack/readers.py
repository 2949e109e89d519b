"""Whom the bot is answering: the locale of a request and the channel's display settings.

A request's locale is the user's own (Slack's ``users.info`` with ``include_locale``, asked
once per user and kept for an hour), else the channel's setting, else ``[bot] locale`` in the
config, else English (``bot.chat.i18n.resolve_locale``). The channel's settings (locale, Chinese
script, order, reactions) come from the store and the config through the runtime; without a
runtime (a bot with no store) every channel has the defaults.

Looking a user up must not hold up an ack (Slack allows 3 s): the call is given
``LOOKUP_SECONDS``, and a user Slack does not answer for in time gets the channel's locale.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

from bot.chat.i18n import Locale, resolve_locale
from bot.chat.settings import ChannelSettings, configured

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.slack")

PLATFORM = "slack"
#: Seconds a users.info lookup may take before the request goes on without it.
LOOKUP_SECONDS = 1.0
#: Seconds a user's locale is kept (a user who changes their Slack language is heard within this).
KEEP_SECONDS = 3600.0
#: Seconds a channel's settings are kept: a change made through another replica shows within this
#: (one made here shows at once). Reading them from the store for every request cost the acks
#: about 100 ms each under load (python -m bench.load).
SETTINGS_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Request:
    """The locale to answer in, and how the channel shows briefings."""

    locale: Locale
    settings: ChannelSettings


class Readers:
    """Locales of users (cached) and settings of channels, for one Slack app."""

    def __init__(self, client: AsyncWebClient, runtime: BotRuntime | None = None, *, capacity: int = 5000) -> None:
        self.client = client
        self.runtime = runtime
        self.capacity = capacity
        self._locales: dict[str, tuple[float, str | None]] = {}
        self._settings: dict[str, tuple[float, ChannelSettings]] = {}

    async def channel(self, channel: str) -> ChannelSettings:
        """The channel's effective settings (a store read, off the event loop; kept a little while)."""
        if self.runtime is None:
            return configured(None, PLATFORM, channel)
        now = time.monotonic()
        kept = self._settings.get(channel)
        if kept is not None and now - kept[0] < SETTINGS_SECONDS:
            return kept[1]
        found = await asyncio.to_thread(self.runtime.channel_settings, PLATFORM, channel)
        if len(self._settings) >= self.capacity:
            self._settings.clear()
        self._settings[channel] = (now, found)
        return found

    def forget(self, channel: str) -> None:
        """The channel's settings changed here: read them afresh next time."""
        self._settings.pop(channel, None)

    async def request(self, user: str | None, channel: str) -> Request:
        """The locale and the channel's settings for ``user`` asking in ``channel``."""
        settings, user_locale = await asyncio.gather(self.channel(channel), self.user_locale(user))
        default = self.runtime.config.locale if self.runtime is not None else None
        return Request(resolve_locale(user_locale, settings.locale, default), settings)

    async def user_locale(self, user: str | None) -> str | None:
        """The user's Slack locale (``zh-TW``, ``en-US``…), or None when Slack does not say."""
        if not user:
            return None
        now = time.monotonic()
        kept = self._locales.get(user)
        if kept is not None and now - kept[0] < KEEP_SECONDS:
            return kept[1]
        try:
            async with asyncio.timeout(LOOKUP_SECONDS):
                info = await self.client.users_info(user=user, include_locale=True)
        except Exception as exc:  # missing_scope, a timeout, Slack down: the channel's locale will do
            log.info("users.info for %s gave no locale (%s)", user, type(exc).__name__)
            return kept[1] if kept is not None else None
        found = (info.get("user") or {}).get("locale")
        if len(self._locales) >= self.capacity:
            self._locales.clear()
        self._locales[user] = (now, found if isinstance(found, str) else None)
        return self._locales[user][1]

"""Who is being answered, in which words: the request's locale and the channel's display settings.

A Discord request's locale is the user's (Discord sends ``locale`` on every interaction:
``zh-TW`` → ``zh-Hant``, ``zh-CN`` → ``zh-Hans``), else the channel's setting, else the
config's ``[bot] locale``, else English (``bot.chat.i18n.resolve_locale``). A thread shares
its parent channel's settings. The command names and descriptions Discord shows come from
the same catalogues through ``CatalogueTranslator``, set on the command tree at login.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation, TranslationContextTypes, locale_str

from bot.briefing import Briefing
from bot.chat.display import Display, for_display
from bot.chat.i18n import Locale, resolve_locale, tr
from bot.chat.settings import ChannelSettings, configured, effective

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.discord")

PLATFORM = "discord"
#: The Discord locales that have a catalogue, and which one.
DISCORD_LOCALES: dict[discord.Locale, Locale] = {
    discord.Locale.taiwan_chinese: "zh-Hant",
    discord.Locale.chinese: "zh-Hans",
}
#: What Discord accepts as a command or option name (lowercase where the script has case).
_NAME = re.compile(r"^[-_\w]{1,32}$")
_NAME_LOCATIONS = {
    TranslationContextLocation.command_name,
    TranslationContextLocation.group_name,
    TranslationContextLocation.parameter_name,
}
#: A store read may not hold up the first answer, which Discord wants within 3 s.
SETTINGS_WAIT = 1.0


class CatalogueTranslator(app_commands.Translator):
    """Command names and descriptions in zh-TW and zh-CN, from the gettext catalogues.

    A string the catalogue does not translate, or a name Discord would refuse, is left to the
    English default (None), so a gap in a catalogue never fails a sync.
    """

    async def translate(
        self, string: locale_str, locale: discord.Locale, context: TranslationContextTypes
    ) -> str | None:
        ours = DISCORD_LOCALES.get(locale)
        if ours is None:
            return None
        text = tr(ours, string.message)
        if text == string.message:
            return None
        if context.location not in _NAME_LOCATIONS:
            return text if len(text) <= 100 else None
        if isinstance(context.data, app_commands.ContextMenu):  # a menu entry may have spaces and capitals
            return text if len(text) <= 32 else None
        return text if _NAME.fullmatch(text) and text == text.lower() else None


@dataclass(frozen=True, slots=True)
class Audience:
    """The words (``locale``) and the channel's display settings a reply is made with."""

    locale: Locale
    settings: ChannelSettings

    def show(self, briefing: Briefing) -> Display:
        """``briefing`` as this channel shows it: its script and order."""
        return for_display(briefing, zh=self.settings.zh, order=self.settings.order)


def settings_channel(channel: Any, channel_id: int | None) -> str:
    """The channel whose settings apply: a thread's parent, else the channel itself."""
    parent = getattr(channel, "parent_id", None)
    if parent and getattr(channel, "type", None) in _THREADS:
        return str(parent)
    return str(channel_id or getattr(channel, "id", ""))


_THREADS = (discord.ChannelType.public_thread, discord.ChannelType.private_thread, discord.ChannelType.news_thread)


async def channel_settings(runtime: BotRuntime | None, channel: str) -> ChannelSettings:
    """The channel's settings (its admins' choice over the config), read off the event loop.

    When the store is slow to answer, the config's settings are used rather than miss Discord's
    3-second deadline.
    """
    if runtime is None:
        return configured(None, PLATFORM, channel)
    args = (runtime.store, runtime.config, PLATFORM, channel)
    if runtime.workers is not None:
        read = runtime.workers.store.run(effective, *args)
    else:
        read = asyncio.to_thread(effective, *args)
    try:
        return await asyncio.wait_for(read, SETTINGS_WAIT)
    except Exception:
        log.warning("could not read channel %s's settings in time; using the config's", channel, exc_info=True)
        return configured(runtime.config, PLATFORM, channel)


async def audience_of(interaction: discord.Interaction, runtime: BotRuntime | None) -> Audience:
    """Who an interaction is answered for: the user's locale, the channel's settings."""
    settings = await channel_settings(runtime, settings_channel(interaction.channel, interaction.channel_id))
    user = interaction.locale.value if isinstance(interaction.locale, discord.Locale) else None
    return Audience(resolve_locale(user, settings.locale, None), settings)


async def audience_of_channel(runtime: BotRuntime | None, channel: str) -> Audience:
    """Who a post with no user behind it is made for (a reaction, a schedule): the channel's locale."""
    settings = await channel_settings(runtime, channel)
    return Audience(resolve_locale(None, settings.locale, None), settings)

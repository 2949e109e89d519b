"""A channel's settings: the bot's language, the Chinese script, the order, reactions.

``/brief settings`` shows them; ``/brief settings locale=zh-Hant zh=hans order=en-first
reactions=on reaction=📰`` changes them (admins only, through the same ``AdminCheck`` as
schedules). What a channel gets is layered, first set wins: what its admins chose (the
store), the channel's table in the config file (``[channels."slack:C123"]``), the
config's ``[bot]`` defaults, and the built-in defaults (English; the article's own script
and language first; reactions off, 📰).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, Literal, get_args

from bot.chat.i18n import LOCALES, N_, Locale, tr
from bot.errors import BriefbotError

if TYPE_CHECKING:  # the store and the config import this module for the value and its checks
    from bot.chat.schedule import AdminCheck
    from bot.config import Config
    from bot.store import Store

Script = Literal["hant", "hans"]
Order = Literal["zh-first", "en-first", "zh-only", "en-only"]
SCRIPTS: tuple[Script, ...] = get_args(Script)
ORDERS: tuple[Order, ...] = get_args(Order)
DEFAULT_REACTION = "📰"
#: Slack names reactions, Discord sends the character: the default's two spellings.
_REACTION_NAMES = {"📰": "newspaper"}
KEYS = ("locale", "zh", "order", "reactions", "reaction")
_ON = {"on", "yes", "true", "1"}
_OFF = {"off", "no", "false", "0"}


class SettingsError(BriefbotError):
    """A setting typed wrong, or changed by someone who may not."""


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """Settings of one channel; None means "not set here" (the next layer decides)."""

    locale: Locale | None = None
    #: The Chinese side in Traditional (hant) or Simplified (hans); None: as the article has it.
    zh: Script | None = None
    #: Which language comes first, or only one; None: the article's own language first.
    order: Order | None = None
    #: Whether the reaction on a message with a link briefs that link.
    reactions: bool | None = None
    reaction: str | None = None

    def over(self, base: ChannelSettings) -> ChannelSettings:
        """These settings, with ``base`` filling what is not set here."""
        return ChannelSettings(
            **{f.name: _first_set(getattr(self, f.name), getattr(base, f.name)) for f in fields(self)}
        )

    def set_fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    @property
    def empty(self) -> bool:
        return not self.set_fields()

    @property
    def reactions_on(self) -> bool:
        return bool(self.reactions)

    @property
    def reaction_emoji(self) -> str:
        return self.reaction or DEFAULT_REACTION


#: What a channel gets when nothing is configured anywhere.
DEFAULTS = ChannelSettings(locale="en", reactions=False, reaction=DEFAULT_REACTION)


def _first_set(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def channel_key(platform: str, channel: str) -> str:
    """How the config file names a channel: ``slack:C0123``, ``discord:1234``, ``shell:shell``."""
    return f"{platform}:{channel}"


def check(key: str, raw: object) -> Any:
    """The value of setting ``key`` from what was typed or written; ``SettingsError`` in one sentence."""
    text = str(raw).strip() if not isinstance(raw, bool) else raw
    if key == "locale":
        if text not in LOCALES:
            raise SettingsError("locale must be en, zh-Hant or zh-Hans, not {value}.", value=repr(raw))
        return text
    if key == "zh":
        if text not in SCRIPTS:
            raise SettingsError("zh must be hant (Traditional) or hans (Simplified), not {value}.", value=repr(raw))
        return text
    if key == "order":
        if text not in ORDERS:
            raise SettingsError("order must be zh-first, en-first, zh-only or en-only, not {value}.", value=repr(raw))
        return text
    if key == "reactions":
        if isinstance(text, bool):
            return text
        if text.lower() in _ON:
            return True
        if text.lower() in _OFF:
            return False
        raise SettingsError("reactions must be on or off, not {value}.", value=repr(raw))
    if key == "reaction":
        emoji = str(text).strip(":")
        if not emoji or len(emoji) > 64 or any(ch.isspace() for ch in emoji):
            raise SettingsError("reaction must be one emoji, like 📰 or :newspaper:, not {value}.", value=repr(raw))
        return emoji
    raise SettingsError("There is no setting {key}; the settings are {keys}.", key=repr(key), keys=", ".join(KEYS))


def parse_changes(words: Iterable[str]) -> ChannelSettings:
    """``locale=zh-Hant zh=hans …`` as settings (a key given twice: the last wins)."""
    values: dict[str, Any] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise SettingsError("Write each setting as key=value, like locale=zh-Hant; {word} is not.", word=repr(word))
        key = key.strip().lower()
        values[key] = check(key, value)
    return ChannelSettings(**values)


def reaction_matches(setting: str, emoji: str) -> bool:
    """Whether a reaction (Slack's name, ``newspaper``, or Discord's character) is the one set."""
    want = setting.strip(":")
    got = emoji.strip(":")
    return got == want or _REACTION_NAMES.get(want) == got or _REACTION_NAMES.get(got) == want


def slack_reaction_name(setting: str) -> str:
    """The name Slack uses for the set reaction (``📰`` → ``newspaper``)."""
    want = setting.strip(":")
    return _REACTION_NAMES.get(want, want)


def configured(config: Config | None, platform: str, channel: str) -> ChannelSettings:
    """What the config file says for a channel: its own table over the ``[bot]`` defaults."""
    if config is None:
        return DEFAULTS
    base = ChannelSettings(locale=config.locale, zh=config.zh, order=config.order).over(DEFAULTS)
    return config.channels.get(channel_key(platform, channel), ChannelSettings()).over(base)


def effective(store: Store | None, config: Config | None, platform: str, channel: str) -> ChannelSettings:
    """What a channel gets: its admins' choice (the store) over the config over the defaults."""
    stored = store.channel_settings(platform, channel) if store is not None else ChannelSettings()
    return stored.over(configured(config, platform, channel))


@dataclass
class SettingsContext:
    store: Store
    platform: str
    channel: str
    user: str
    admins: AdminCheck
    config: Config | None = None
    #: The locale of the reply (the request's).
    locale: str = "en"


@dataclass(frozen=True, slots=True)
class SettingsCommand:
    """``/brief settings`` (show) or ``/brief settings key=value …`` (change)."""

    changes: ChannelSettings = ChannelSettings()

    @property
    def shows(self) -> bool:
        return self.changes.empty


async def handle(command: SettingsCommand, ctx: SettingsContext) -> str:
    """Show or change the channel's settings; the reply, in ``ctx.locale``."""
    if command.shows:
        current = await asyncio.to_thread(effective, ctx.store, ctx.config, ctx.platform, ctx.channel)
        return describe(current, ctx.locale)
    if not await ctx.admins.is_admin(ctx.user):
        raise SettingsError("Only admins can change this channel's settings; ask a workspace or server admin.")
    await asyncio.to_thread(ctx.store.update_channel_settings, ctx.platform, ctx.channel, command.changes, ctx.user)
    current = await asyncio.to_thread(effective, ctx.store, ctx.config, ctx.platform, ctx.channel)
    reply_locale = current.locale if command.changes.locale else ctx.locale  # answer in the new language
    return tr(reply_locale, "Settings saved.") + "\n" + describe(current, reply_locale)


_ORDER_WORDS = {
    "zh-first": N_("Chinese first"),
    "en-first": N_("English first"),
    "zh-only": N_("Chinese only"),
    "en-only": N_("English only"),
}
_SCRIPT_WORDS = {"hant": N_("Traditional"), "hans": N_("Simplified")}
_LOCALE_WORDS = {"en": N_("English"), "zh-Hant": N_("Traditional Chinese"), "zh-Hans": N_("Simplified Chinese")}


def describe(settings: ChannelSettings, locale: str = "en") -> str:
    """The settings, one per line, as ``/brief settings`` shows them."""
    s = settings.over(DEFAULTS)
    loc = s.locale or "en"
    zh = (
        tr(locale, "zh={value} ({words})", value=s.zh, words=tr(locale, _SCRIPT_WORDS[s.zh]))
        if s.zh
        else tr(locale, "zh: as the article is written")
    )
    order = (
        tr(locale, "order={value} ({words})", value=s.order, words=tr(locale, _ORDER_WORDS[s.order]))
        if s.order
        else tr(locale, "order: the article's language first")
    )
    reactions = (
        tr(locale, "reactions=on: {emoji} on a message with a link briefs it", emoji=s.reaction_emoji)
        if s.reactions_on
        else tr(locale, "reactions=off (reaction={emoji} when on)", emoji=s.reaction_emoji)
    )
    return "\n".join(
        [
            tr(locale, "locale={value} ({words})", value=loc, words=tr(locale, _LOCALE_WORDS[loc])),
            zh,
            order,
            reactions,
            tr(locale, "Admins change them with /brief settings locale=zh-Hant zh=hans order=en-first reactions=on."),
        ]
    )


def with_changes(settings: ChannelSettings, changes: ChannelSettings) -> ChannelSettings:
    """``settings`` with every field ``changes`` sets replaced."""
    return replace(settings, **changes.set_fields())

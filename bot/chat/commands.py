"""The chat command language, shared by every adapter (Slack, Discord, the shell).

``/brief <text or url>``, ``/brief thread <text or url>``, ``/brief private <text or url>``,
``/brief help``, ``/brief schedule …``, ``/brief settings …`` — parsed here once so that every
platform accepts the same words and answers a mistake with the same sentence (in the
request's language: the errors carry their template, see ``bot.chat.i18n.error_text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chat.i18n import N_, tr
from bot.chat.settings import SettingsCommand, parse_changes
from bot.errors import BriefbotError

_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


class CommandError(BriefbotError):
    """A command typed wrong."""


@dataclass(frozen=True, slots=True)
class BriefCommand:
    #: Article text, or a single http(s) URL.
    source: str
    #: Post one thread reply per key point under the briefing.
    thread: bool = False
    #: ``/brief --discussion FILE``: ``source`` is a discussion export to brief (the shell only).
    discussion: bool = False
    #: "Only me": answer the one who asked, privately (ephemeral), and post nothing in the channel.
    private: bool = False

    @property
    def is_url(self) -> bool:
        return _URL.match(self.source) is not None


@dataclass(frozen=True, slots=True)
class HelpCommand:
    pass


@dataclass(frozen=True, slots=True)
class ScheduleCommand:
    #: add, list, remove or run
    action: str
    args: tuple[str, ...]


Command = BriefCommand | HelpCommand | ScheduleCommand | SettingsCommand

#: Usage and what it does; the usage's words in <> are translated, the command words are not.
_HELP = (
    (N_("{prefix} <article text>"), N_("brief pasted text (Chinese or English)")),
    (N_("{prefix} <link>"), N_("brief the article at an http(s) link")),
    (N_("{prefix} thread <text or link>"), N_("post the briefing, then one thread reply per key point")),
    ("{prefix} help", N_("this message")),
)
#: The forms an adapter lists once it answers them (the shell does; Slack and Discord when wired).
_HELP_MORE = (
    (N_("{prefix} private <text or link>"), N_("brief it for you alone; nothing is posted in the channel")),
    ("{prefix} settings", N_("this channel's language, Chinese script and order (admins change them)")),
)


def help_lines(prefix: str = "/brief", locale: str = "en", *, more: bool = False) -> list[tuple[str, str]]:
    """(usage, what it does) pairs; each adapter formats them in its own markup. ``more`` adds
    ``private`` and ``settings``, for adapters that answer them."""
    forms = [*_HELP[:-1], *_HELP_MORE, _HELP[-1]] if more else list(_HELP)
    return [(tr(locale, usage, prefix=prefix), tr(locale, what)) for usage, what in forms]


HELP_FOOTER = N_("English is a key-term glossary from CC-CEDICT unless a translation backend is configured.")


def help_footer(locale: str = "en") -> str:
    return tr(locale, HELP_FOOTER)


def help_text(prefix: str = "/brief", locale: str = "en", *, more: bool = False) -> str:
    """Plain-text help, for terminals."""
    lines = [f"{usage} — {what}" for usage, what in help_lines(prefix, locale, more=more)]
    return "\n".join([*lines, help_footer(locale)])


def parse(text: str, prefix: str = "/brief") -> Command:
    """Parse what followed the command; raise ``CommandError`` with a usable sentence."""
    stripped = (text or "").strip()
    if not stripped:
        raise CommandError(
            "Nothing to brief: put an article or a link after {prefix}, or type {prefix} help.", prefix=prefix
        )
    first, _, rest = stripped.partition(" ")
    word = first.lower()
    if word in {"help", "-h", "--help", "?"} and not rest.strip():
        return HelpCommand()
    if word == "--discussion":
        body = rest.strip()
        if not body:
            raise CommandError("Say which discussion to brief: {prefix} --discussion FILE.", prefix=prefix)
        return BriefCommand(body, discussion=True)
    if word in ("thread", "private"):
        body = rest.strip()
        if not body:
            raise CommandError(
                "Nothing to brief: put an article or a link after {prefix} {word}.", prefix=prefix, word=word
            )
        if word == "private" and body.split(maxsplit=1)[0].lower() == "thread":
            raise CommandError("A private briefing has no thread; use {prefix} private <text or link>.", prefix=prefix)
        return BriefCommand(body, thread=word == "thread", private=word == "private")
    if word == "schedule":
        parts = tuple(rest.split())
        if not parts:
            raise CommandError("Say what to do with schedules: {prefix} schedule add|list|remove|run.", prefix=prefix)
        return ScheduleCommand(parts[0].lower(), parts[1:])
    if word == "settings" and _looks_like_settings(rest):
        return SettingsCommand(parse_changes(rest.split()))
    return BriefCommand(stripped)


def _looks_like_settings(rest: str) -> bool:
    """``settings`` alone, or followed by key=value words (else "settings …" is text to brief)."""
    words = rest.split()
    return not words or "=" in words[0]

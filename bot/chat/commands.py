"""The chat command language, shared by every adapter (Slack, Discord, the shell).

``/brief <text or url>``, ``/brief thread <text or url>``, ``/brief help`` — parsed
here once so that every platform accepts the same words and answers a mistake with the
same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


Command = BriefCommand | HelpCommand | ScheduleCommand


def help_lines(prefix: str = "/brief") -> list[tuple[str, str]]:
    """(usage, what it does) pairs; each adapter formats them in its own markup."""
    return [
        (f"{prefix} <article text>", "brief pasted text (Chinese or English)"),
        (f"{prefix} <link>", "brief the article at an http(s) link"),
        (f"{prefix} thread <text or link>", "post the briefing, then one thread reply per key point"),
        (f"{prefix} help", "this message"),
    ]


HELP_FOOTER = "English is a key-term glossary from CC-CEDICT unless a translation backend is configured."


def help_text(prefix: str = "/brief") -> str:
    """Plain-text help, for terminals."""
    lines = [f"{usage} — {what}" for usage, what in help_lines(prefix)]
    return "\n".join([*lines, HELP_FOOTER])


def parse(text: str, prefix: str = "/brief") -> Command:
    """Parse what followed the command; raise ``CommandError`` with a usable sentence."""
    stripped = (text or "").strip()
    if not stripped:
        raise CommandError(f"Nothing to brief: put an article or a link after {prefix}, or type {prefix} help.")
    first, _, rest = stripped.partition(" ")
    word = first.lower()
    if word in {"help", "-h", "--help", "?"} and not rest.strip():
        return HelpCommand()
    if word == "--discussion":
        body = rest.strip()
        if not body:
            raise CommandError(f"Say which discussion to brief: {prefix} --discussion FILE.")
        return BriefCommand(body, discussion=True)
    if word == "thread":
        body = rest.strip()
        if not body:
            raise CommandError(f"Nothing to brief: put an article or a link after {prefix} thread.")
        return BriefCommand(body, thread=True)
    if word == "schedule":
        parts = tuple(rest.split())
        if not parts:
            raise CommandError(f"Say what to do with schedules: {prefix} schedule add|list|remove|run.")
        return ScheduleCommand(parts[0].lower(), parts[1:])
    return BriefCommand(stripped)

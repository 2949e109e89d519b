"""Errors a person can act on.

Every failure the bot reports to a user is a ``BriefbotError`` whose message is one
sentence saying what was wrong and what to do. The CLI prints it on stderr, the chat
adapters post it ephemerally; nobody ever sees a traceback.

An error carries its sentence twice over: ``msgid``, the English template as written in
the source (``"No such file: {path}."``), with ``params`` to fill it, and ``message``,
the English sentence already filled in (what ``str(exc)`` and the logs show). The
template is the gettext message id, so an adapter renders the same error in the
request's language with ``bot.chat.i18n.error_text(exc, locale)``; an error raised with
an f-string (no params) is its own id and stays English unless the catalogue has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence to be worded in the reader's language later: its English template and params.

    As a param of an error or of another message it is translated along with it; formatted
    plainly (``str``, an f-string) it is the English sentence.
    """

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return fill(self.msgid, self.params)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class BriefbotError(Exception):
    """A problem with the user's input or settings, described in one sentence."""

    #: CLI exit status for this kind of error.
    exit_code = 2

    def __init__(self, message: str, /, **params: Any) -> None:
        self.msgid = message
        self.params: dict[str, Any] = params
        self.message = fill(message, params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def fill(template: str, params: dict[str, Any]) -> str:
    """``template`` with ``{name}`` fields filled from ``params`` (no params: the text as it is)."""
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a translation naming a field it was not given
        return template


class InputError(BriefbotError):
    """The text itself is unusable: empty, binary, undecodable, too large."""


class FetchError(BriefbotError):
    """A URL could not be fetched, or was refused."""


class ConfigError(BriefbotError):
    """A setting is missing or malformed."""

"""Errors a person can act on.

Every failure the bot reports to a user is a ``BriefbotError`` whose message is one
sentence saying what was wrong and what to do. The CLI prints it on stderr, the chat
adapters post it ephemerally; nobody ever sees a traceback.
"""

from __future__ import annotations


class BriefbotError(Exception):
    """A problem with the user's input or settings, described in one sentence."""

    #: CLI exit status for this kind of error.
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(BriefbotError):
    """The text itself is unusable: empty, binary, undecodable, too large."""


class FetchError(BriefbotError):
    """A URL could not be fetched, or was refused."""


class ConfigError(BriefbotError):
    """A setting is missing or malformed."""

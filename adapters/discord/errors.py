"""Discord's refusals, told as one sentence a person can act on.

discord.py raises ``LoginFailure`` for a bad token and ``HTTPException`` subclasses
carrying Discord's JSON error code for everything else; these become ``BriefbotError``s
so the CLI, the log and an ephemeral reply all say the same thing.
"""

from __future__ import annotations

import discord

from adapters.discord.limits import shorten
from bot.chat.i18n import N_
from bot.errors import BriefbotError, ConfigError, Message

#: What the bot needs in a channel (README, Discord, step 2, says why each is needed).
PERMISSIONS = (
    "View Channel, Send Messages, Embed Links, Read Message History, Create Public Threads and Send Messages in Threads"
)

BAD_TOKEN = N_(
    "Discord refused DISCORD_BOT_TOKEN (401 Unauthorized); copy the bot token again from the Developer Portal."
)

# Discord's JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
_MISSING_ACCESS = 50001
_MISSING_PERMISSIONS = 50013
_UNKNOWN_CHANNEL = 10003
_UNKNOWN_INTERACTION = 10062


class DiscordError(BriefbotError):
    """Discord refused a request for a reason the user or the server admin can fix."""


def explain(exc: discord.DiscordException, *, channel: int | str | None = None) -> BriefbotError:
    """The sentence for a Discord failure (worded in the reader's language by ``error_text``);
    ``channel`` names where we were posting."""
    where = Message("channel {channel}", {"channel": channel}) if channel is not None else Message("this channel")
    if isinstance(exc, discord.LoginFailure):
        return ConfigError(BAD_TOKEN)
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return ConfigError("Discord asked for privileged intents briefbot does not use; update briefbot.")
    if isinstance(exc, discord.RateLimited):
        return DiscordError(
            "Discord is rate limiting briefbot; try again in {seconds} seconds.", seconds=f"{exc.retry_after:.0f}"
        )
    if isinstance(exc, discord.HTTPException):
        if exc.status == 401:
            return ConfigError(BAD_TOKEN)
        if exc.code == _MISSING_ACCESS:
            return DiscordError(
                "The bot cannot see {where} (Missing Access); invite it to the server and let it in.", where=where
            )
        if exc.code == _MISSING_PERMISSIONS or exc.status == 403:
            return DiscordError(
                "The bot lacks a permission in {where}; it needs {permissions}.", where=where, permissions=PERMISSIONS
            )
        if exc.code == _UNKNOWN_CHANNEL:
            return DiscordError("Discord knows no {where} (Unknown Channel); check the channel id.", where=where)
        if exc.code == _UNKNOWN_INTERACTION:
            return DiscordError("The command expired before briefbot could answer; please run it again.")
        if exc.text:
            return DiscordError(
                "Discord refused the request (HTTP {status}: {detail}).",
                status=exc.status,
                detail=shorten(exc.text, 200),
            )
        return DiscordError("Discord refused the request (HTTP {status}).", status=exc.status)
    return DiscordError("Discord failed: {error}.", error=str(exc))

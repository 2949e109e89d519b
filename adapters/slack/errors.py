"""Slack Web API failures, said in one sentence a person can act on (in their language:
each sentence is a catalogue template with its values, worded by ``error_text``)."""

from __future__ import annotations

from bot.chat.i18n import N_
from bot.errors import BriefbotError, Message, fill

_TOKEN_PROBLEMS = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
TOKEN_REJECTED = N_(
    "Slack rejected SLACK_BOT_TOKEN ({code}); copy the Bot User OAuth Token (xoxb-…) "
    "from the app's OAuth & Permissions page."
)


class SlackPostError(BriefbotError):
    """Slack refused or could not take a message; ``code`` is Slack's error code."""

    def __init__(self, message: Message | str, code: str = "") -> None:
        if isinstance(message, Message):
            super().__init__(message.msgid, **message.params)
        else:
            super().__init__(message)
        self.code = code


def describe(code: str, channel: str, needed: str | None = None) -> Message:
    """One sentence for a Slack error code (``channel_not_found``, ``not_in_channel``…)."""
    if code == "channel_not_found":
        return Message(
            N_(
                "Slack has no channel {channel} that the bot can see; check the channel id "
                "and invite the bot to private channels with /invite @briefbot."
            ),
            {"channel": channel},
        )
    if code == "not_in_channel":
        return Message(
            N_("The bot is not a member of channel {channel}; invite it with /invite @briefbot, then try again."),
            {"channel": channel},
        )
    if code == "is_archived":
        return Message(
            N_("Channel {channel} is archived; unarchive it or choose another channel."), {"channel": channel}
        )
    if code in _TOKEN_PROBLEMS:
        return Message(TOKEN_REJECTED, {"code": code})
    if code == "missing_scope":
        return Message(
            N_(
                "The Slack app lacks the {scope} permission; add it as in config/slack-manifest.yml "
                "and reinstall the app."
            ),
            {"scope": needed or "needed"},
        )
    if code in {"restricted_action", "ekm_access_denied"}:
        return Message(N_("This workspace does not let the bot post in channel {channel}."), {"channel": channel})
    if code == "ratelimited":
        return Message(N_("Slack is rate-limiting the bot; try again in a minute."))
    if code in {"invalid_blocks", "msg_blocks_too_long", "invalid_blocks_format"}:
        return Message(
            N_("Slack refused the briefing's layout ({code}); this is a bug in briefbot, please report it."),
            {"code": code},
        )
    return Message(N_("Slack refused the message ({code})."), {"code": code})


def token_rejected(code: str) -> str:
    """For the operator (start-up and /readyz): English."""
    return fill(TOKEN_REJECTED, {"code": code})

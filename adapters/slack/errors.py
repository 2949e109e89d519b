"""Slack Web API failures, said in one sentence a person can act on."""

from __future__ import annotations

from bot.errors import BriefbotError

_TOKEN_PROBLEMS = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}


class SlackPostError(BriefbotError):
    """Slack refused or could not take a message; ``code`` is Slack's error code."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


def describe(code: str, channel: str, needed: str | None = None) -> str:
    """One sentence for a Slack error code (``channel_not_found``, ``not_in_channel``…)."""
    if code == "channel_not_found":
        return (
            f"Slack has no channel {channel} that the bot can see; check the channel id "
            "and invite the bot to private channels with /invite @briefbot."
        )
    if code == "not_in_channel":
        return f"The bot is not a member of channel {channel}; invite it with /invite @briefbot, then try again."
    if code == "is_archived":
        return f"Channel {channel} is archived; unarchive it or choose another channel."
    if code in _TOKEN_PROBLEMS:
        return token_rejected(code)
    if code == "missing_scope":
        return (
            f"The Slack app lacks the {needed or 'needed'} permission; add it as in config/slack-manifest.yml "
            "and reinstall the app."
        )
    if code in {"restricted_action", "ekm_access_denied"}:
        return f"This workspace does not let the bot post in channel {channel}."
    if code == "ratelimited":
        return "Slack is rate-limiting the bot; try again in a minute."
    if code in {"invalid_blocks", "msg_blocks_too_long", "invalid_blocks_format"}:
        return f"Slack refused the briefing's layout ({code}); this is a bug in briefbot, please report it."
    return f"Slack refused the message ({code})."


def token_rejected(code: str) -> str:
    return (
        f"Slack rejected SLACK_BOT_TOKEN ({code}); copy the Bot User OAuth Token (xoxb-…) "
        "from the app's OAuth & Permissions page."
    )

"""``briefbot post slack CHANNEL SOURCE [--thread]``: post one briefing and exit (cron jobs, scripts)."""

from __future__ import annotations

import argparse
import asyncio

from adapters.slack.client import make_web_client
from adapters.slack.deliver import PostResult, post_briefing
from adapters.slack.settings import SlackSettings, load_slack_settings
from bot.briefing import Briefing
from bot.errors import ConfigError


def main(args: argparse.Namespace) -> int:
    """Brief ``args.source`` and post it to ``args.channel``; print the message's ts."""
    settings = load_slack_settings(receive=False)
    if settings is None:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set; set it to the app's Bot User OAuth Token (xoxb-…) to post to Slack."
        )
    from bot.text.pipeline import brief_source
    from bot.translate.choose import for_command_line

    translator = for_command_line(getattr(args, "translator", None), getattr(args, "config", None))
    briefing = brief_source(args.source, points=args.points, translator=translator)
    result = asyncio.run(_post(settings, args.channel, briefing, thread=args.thread))
    print(result.ts)
    return 0


async def _post(settings: SlackSettings, channel: str, briefing: Briefing, *, thread: bool) -> PostResult:
    return await post_briefing(make_web_client(settings), channel, briefing, thread=thread)

"""👍 / 👎 under every briefing: Discord buttons whose custom id carries the briefing's key.

The buttons are persistent (``DynamicItem``): any running bot answers a click, also after a
restart, by the key in the id (``brief-vote:up:<16 hex>``) alone. A click stores one vote per
person per briefing in the store (pressing the other button changes it) and is acknowledged
privately, in the clicker's language.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord.locales import PLATFORM, audience_of
from bot.chat.i18n import error_text, tr

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.discord")

VOTE_ID = "brief-vote"
_EMOJI = {"up": "👍", "down": "👎"}


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"{VOTE_ID}:(?P<vote>up|down):(?P<key>[0-9a-f]{{16}})"
):
    """One of the two feedback buttons; its id says which vote, on which briefing."""

    def __init__(self, vote: str, key: str) -> None:
        super().__init__(
            discord.ui.Button(
                emoji=_EMOJI[vote],
                style=discord.ButtonStyle.secondary,
                custom_id=f"{VOTE_ID}:{vote}:{key}",
            )
        )
        self.vote = vote
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(match["vote"], match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        runtime: BotRuntime | None = getattr(interaction.client, "runtime", None)
        audience = await audience_of(interaction, runtime)
        locale = audience.locale
        if runtime is None:
            sentence = tr(locale, "Feedback is not kept on this bot; run it with `briefbot serve`.")
        else:
            try:
                await asyncio.to_thread(
                    runtime.store.record_vote,
                    self.key,
                    platform=PLATFORM,
                    channel=str(interaction.channel_id),
                    user=str(interaction.user.id),
                    vote=1 if self.vote == "up" else -1,
                )
                sentence = tr(
                    locale,
                    "Thanks: your {emoji} is counted. Press the other button to change it.",
                    emoji=_EMOJI[self.vote],
                )
            except KeyError:  # a briefing no store of ours remembers (another bot's database)
                sentence = tr(locale, "That briefing is not known to this bot any more, so the vote was not kept.")
            except Exception as exc:
                log.error("could not record a vote", exc_info=exc)
                sentence = error_text(exc, locale)
        try:
            await interaction.response.send_message(sentence, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not acknowledge a vote", exc_info=True)


def feedback_view(key: str) -> discord.ui.View:
    """The 👍 and 👎 buttons for the briefing ``key`` (``Store.remember_briefing``)."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton("up", key))
    view.add_item(VoteButton("down", key))
    return view

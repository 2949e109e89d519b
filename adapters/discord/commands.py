"""The ``/brief`` application command, and ``briefbot discord sync`` to register it.

``/brief text:… | url:… [thread:True]``: bad input is answered at once with one ephemeral
sentence; good input is deferred (Discord wants an answer within 3 s), briefed in a worker
thread, then followed up with the briefing. No failure ever reaches the channel as a
traceback, and none stops the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from adapters.discord import errors, limits
from adapters.discord.deliver import NO_PINGS, NO_THREAD_HERE, Posted, can_start_thread, follow_up_briefing
from adapters.discord.discussion import (
    DiscordDiscussions,
    ShareButton,
    brief_this_thread,
    is_thread,
    make_context_menu,
)
from adapters.discord.render import error_content, help_embed
from adapters.discord.settings import DiscordSettings, load_discord_settings
from adapters.discussion import DiscussionBriefer, ShareCache, make_discussion_briefer
from bot import metrics
from bot.chat.briefer import Briefer, user_message
from bot.chat.commands import BriefCommand, CommandError, HelpCommand, ScheduleCommand, parse
from bot.chat.workers import Busy
from bot.config import Admins
from bot.errors import BriefbotError, ConfigError

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.discord")

PLATFORM = "discord"
NAME = "brief"
DESCRIPTION = "Brief a news article: summary, key points and keywords in Chinese and English"
MISSING_TOKEN = "DISCORD_BOT_TOKEN is not set; put the bot token from the Developer Portal in it."

# What a user sees when the library itself rejects an interaction (before our code runs).
_OUT_OF_DATE = "This /brief command is out of date; ask the server admin to run `briefbot discord sync`."
_BAD_OPTION = "One of the options was not understood; use /brief text:<article> or url:<link>, or text: help."


def read_options(text: str | None, url: str | None, thread: bool) -> BriefCommand | HelpCommand | ScheduleCommand:
    """Turn the command's options into a command; ``CommandError`` says what is wrong."""
    text = (text or "").strip()
    url = (url or "").strip()
    if not text and not url:
        raise CommandError("Nothing to brief: put an article in `text` or a link in `url`, or type `help` in `text`.")
    if text and url:
        raise CommandError("Give either `text` or `url`, not both.")
    if url:
        command = BriefCommand(url, thread=thread)
        if not command.is_url:
            raise CommandError("The `url` option takes one http(s) link; paste article text into `text` instead.")
        return command
    # The text option speaks the shared command language, so `help` and `thread …` work as elsewhere.
    parsed = parse(text, prefix="/brief text:")
    if isinstance(parsed, BriefCommand):
        return BriefCommand(parsed.source, thread=thread or parsed.thread)
    return parsed


async def reply_privately(interaction: discord.Interaction, sentence: str, *, nothing_posted: bool = True) -> None:
    """Tell only the user who ran the command; never raise (the bot must keep running)."""
    content = error_content(sentence)
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(content, ephemeral=True, allowed_mentions=NO_PINGS)
            return
        if nothing_posted and interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
            # The public "thinking…" placeholder would take the first follow-up and make it
            # public; remove it so the sentence stays between the bot and the user.
            try:
                await interaction.delete_original_response()
            except discord.HTTPException:
                log.debug("could not delete the deferred response", exc_info=True)
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.warning("could not tell the user %r", sentence, exc_info=True)


def _sentence(exc: BaseException) -> str:
    if isinstance(exc, discord.DiscordException):
        return errors.explain(exc).message
    return user_message(exc)


NO_SCHEDULES = "Schedules are not set up on this bot; run it with `briefbot serve --config …`."


@dataclass(frozen=True, slots=True)
class DiscordAdmins:
    """``AdminCheck`` for Discord: listed users or roles, or (when allowed) members with Manage Server.

    The interaction carries the member's roles and permissions, so no request is needed.
    """

    interaction: discord.Interaction
    admins: Admins

    async def is_admin(self, user: str) -> bool:
        member = self.interaction.user
        if str(member.id) != user:
            return False
        if user in self.admins.discord_users:
            return True
        if self.admins.discord_manage_server and self.interaction.permissions.manage_guild:
            return True
        return any(str(role.id) in self.admins.discord_roles for role in getattr(member, "roles", []))


async def answer_schedule(
    interaction: discord.Interaction, command: ScheduleCommand, runtime: BotRuntime | None
) -> None:
    """``/brief text: schedule …``: privately, and only admins may change anything."""
    if runtime is None:
        await reply_privately(interaction, NO_SCHEDULES)
        return
    from bot.chat.schedule import handle

    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        context = runtime.schedule_context(
            platform="discord",
            channel=str(interaction.channel_id),
            user=str(interaction.user.id),
            admins=DiscordAdmins(interaction, runtime.config.admins),
        )
        answer = await handle(command, context)
    except Exception as exc:
        level = logging.INFO if isinstance(exc, BriefbotError) else logging.ERROR
        log.log(level, "/brief schedule failed: %s", exc, exc_info=not isinstance(exc, BriefbotError))
        answer = _sentence(exc)
    for piece in limits.split_text(answer, limits.CONTENT):
        await interaction.followup.send(piece, ephemeral=True, allowed_mentions=NO_PINGS)


def make_brief_command(
    briefer: Briefer, runtime: BotRuntime | None = None, discussions: DiscordDiscussions | None = None
) -> app_commands.Command:
    @app_commands.command(name=NAME, description=DESCRIPTION)
    @app_commands.describe(
        text="The article text (Chinese or English), or help",
        url="An http(s) link to the article",
        thread="Start a thread with one message per key point, for discussion",
    )
    async def brief(
        interaction: discord.Interaction, text: str | None = None, url: str | None = None, thread: bool = False
    ) -> None:
        if discussions is not None and not (text or "").strip() and not (url or "").strip():
            if is_thread(interaction.channel):  # /brief alone in a thread: brief the thread
                await brief_this_thread(interaction, discussions)
                return
        try:
            command = read_options(text, url, thread)
        except BriefbotError as exc:
            await reply_privately(interaction, exc.message)
            return
        if isinstance(command, HelpCommand):
            await interaction.response.send_message(embed=help_embed(), ephemeral=True, allowed_mentions=NO_PINGS)
            return
        if isinstance(command, ScheduleCommand):
            await answer_schedule(interaction, command, runtime)
            return
        if command.thread and not can_start_thread(interaction.channel):
            await reply_privately(interaction, NO_THREAD_HERE)
            return

        started = time.monotonic()
        try:
            ticket = briefer.admit(command)
        except Busy as exc:  # the queue is full: say so at once, privately, and do nothing else
            metrics.record_briefing(PLATFORM, "command", "busy")
            await reply_privately(interaction, exc.message)
            return
        with ticket:
            await interaction.response.defer(thinking=True)
            posted = Posted()
            try:
                briefing = await briefer(command)
                ticket.release()
                await follow_up_briefing(interaction, briefing, thread=command.thread, posted=posted)
            except Exception as exc:  # any failure: one sentence to the user, the details to the log
                refused = isinstance(exc, BriefbotError)
                log.log(logging.INFO if refused else logging.ERROR, "/brief failed: %s", exc, exc_info=not refused)
                metrics.record_briefing(PLATFORM, "command", "refused" if refused else "failed")
                await reply_privately(interaction, _sentence(exc), nothing_posted=not posted.message_ids)
                return
        metrics.record_briefing(PLATFORM, "command", "posted", time.monotonic() - started)

    return brief


class BriefTree(app_commands.CommandTree):
    """A command tree whose own error path answers politely instead of only logging."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
            sentence = _OUT_OF_DATE
        elif isinstance(error, app_commands.TransformerError):
            sentence = _BAD_OPTION
        elif isinstance(error, app_commands.CommandInvokeError):
            sentence = _sentence(error.original)
        else:
            sentence = user_message(error)
        log.error("/%s failed in the command tree: %s", NAME, error, exc_info=error)
        await reply_privately(interaction, sentence)


def build_tree(
    client: discord.Client,
    briefer: Briefer,
    runtime: BotRuntime | None = None,
    discuss: DiscussionBriefer | None = None,
) -> BriefTree:
    """``/brief`` and the message command "Brief this discussion" (with its share button)."""
    tree = BriefTree(client)
    discussions = DiscordDiscussions(discuss or make_discussion_briefer(), ShareCache())
    client.discussions = discussions  # type: ignore[attr-defined]  # the share button finds it here
    client.add_dynamic_items(ShareButton)
    tree.add_command(make_brief_command(briefer, runtime, discussions))
    tree.add_command(make_context_menu(discussions))
    return tree


def sync_main(args: argparse.Namespace) -> int:
    """``briefbot discord sync [--guild ID]``: register /brief in one server, or globally."""
    settings = load_discord_settings()
    if settings is None:
        raise ConfigError(MISSING_TOKEN)
    print(asyncio.run(_sync(settings, args.guild)))
    return 0


async def _sync(settings: DiscordSettings, guild_id: int | None) -> str:
    from adapters.discord.client import build_client, login
    from bot.chat.briefer import make_briefer

    client = build_client(settings, briefer=make_briefer())
    try:
        await login(client, settings.token)
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            client.tree.copy_global_to(guild=guild)  # /brief is defined globally; a guild sync needs a copy
        synced = await client.tree.sync(guild=guild)
    except discord.Forbidden as exc:
        where = f"in server {guild_id}" if guild_id is not None else "globally"
        raise errors.DiscordError(
            f"Discord refused to register /brief {where} (HTTP {exc.status}); "
            "invite the bot with the applications.commands scope (see the README, section Discord)."
        ) from None
    except discord.DiscordException as exc:
        raise errors.explain(exc, channel=None) from None
    finally:
        await client.close()
    described = ", ".join(
        f"/{cmd.name} (options: {', '.join(o.name for o in cmd.options) or 'none'})"
        if cmd.type is discord.AppCommandType.chat_input
        else f'"{cmd.name}" (in a message\'s Apps menu)'
        for cmd in synced
    )
    if guild_id is not None:
        return f"Registered {described or 'no commands'} in server {guild_id}; it can be used there now."
    return f"Registered {described or 'no commands'} globally; Discord may take up to an hour to show it everywhere."

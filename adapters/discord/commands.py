"""The ``/brief`` application command, and ``briefbot discord sync`` to register it.

``/brief text:… | url:… | attachment:… [thread:True] [private:True]``: bad input is answered at
once with one ephemeral sentence; good input is deferred (Discord wants an answer within 3 s),
briefed in a worker thread, then followed up with the briefing — in the channel, or with
``private`` (or ``text: private …``) for the user alone. ``text: settings …`` shows or changes the
channel's settings, ``text: schedule …`` its schedules. Every reply is in the request's locale
(``locales.py``) and every briefing in the channel's script and order. No failure ever reaches the
channel as a traceback, and none stops the bot.
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
from discord.app_commands import locale_str

from adapters.discord import errors, limits
from adapters.discord.attachment import article_text, check_file, download
from adapters.discord.deliver import NO_PINGS, NO_THREAD_HERE, Posted, can_start_thread, follow_up_briefing
from adapters.discord.discussion import (
    DiscordDiscussions,
    ShareButton,
    brief_this_thread,
    is_thread,
    make_context_menu,
)
from adapters.discord.feedback import VoteButton
from adapters.discord.locales import (
    DISCORD_LOCALES,
    PLATFORM,
    Audience,
    audience_of,
    settings_channel,
)
from adapters.discord.render import error_content, help_embed
from adapters.discord.settings import DiscordSettings, load_discord_settings
from adapters.discussion import DiscussionBriefer, ShareCache, make_discussion_briefer
from bot import metrics
from bot.chat import settings as channel_settings
from bot.chat.briefer import Briefer
from bot.chat.commands import BriefCommand, CommandError, HelpCommand, ScheduleCommand, SettingsCommand, parse
from bot.chat.i18n import N_, error_text, resolve_locale, tr
from bot.chat.workers import Busy
from bot.config import Admins
from bot.errors import BriefbotError, ConfigError, Message

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.discord")

# Translators: the slash command's name in Discord: one word, no spaces, lowercase.
NAME = N_("brief")
DESCRIPTION = N_("Brief a news article: summary, key points and keywords in Chinese and English")
MISSING_TOKEN = N_("DISCORD_BOT_TOKEN is not set; put the bot token from the Developer Portal in it.")

# What a user sees when the library itself rejects an interaction (before our code runs).
_OUT_OF_DATE = N_("This /brief command is out of date; ask the server admin to run `briefbot discord sync`.")
_BAD_OPTION = N_("One of the options was not understood; use /brief text:<article> or url:<link>, or text: help.")
NO_SCHEDULES = N_("Schedules are not set up on this bot; run it with `briefbot serve --config …`.")
NO_SETTINGS = N_("Settings are not kept on this bot; run it with `briefbot serve` to change them.")


def command_word(interaction: discord.Interaction) -> str:
    """``/brief`` as the user's Discord shows it (``/摘要`` in a Chinese client)."""
    ours = DISCORD_LOCALES.get(interaction.locale) if isinstance(interaction.locale, discord.Locale) else None
    return "/" + (tr(ours, NAME) if ours else NAME)


def read_options(
    text: str | None,
    url: str | None,
    *,
    thread: bool = False,
    private: bool = False,
    attachment: discord.Attachment | None = None,
    command: str = "/brief",
) -> BriefCommand | HelpCommand | ScheduleCommand | SettingsCommand:
    """Turn the command's options into a command; ``CommandError`` says what is wrong.

    With ``attachment`` the command's source is empty until the file is read (``with_file``).
    """
    text = (text or "").strip()
    url = (url or "").strip()
    given = [name for name, value in (("text", text), ("url", url), ("attachment", attachment)) if value]
    if not given:
        raise CommandError(
            "Nothing to brief: put an article in `text`, a link in `url` or a file in `attachment`, "
            "or type `help` in `text`."
        )
    if len(given) > 1:
        raise CommandError("Give one of `text`, `url` or `attachment`, not several.")
    if attachment is not None:
        check_file(attachment)
        parsed = BriefCommand("", thread=thread, private=private)
    elif url:
        parsed = BriefCommand(url, thread=thread, private=private)
        if not parsed.is_url:
            raise CommandError("The `url` option takes one http(s) link; paste article text into `text` instead.")
    else:
        # The text option speaks the shared command language: `help`, `thread …`, `private …`, `settings …`.
        found = parse(text, prefix=f"{command} text:")
        if not isinstance(found, BriefCommand):
            return found
        parsed = BriefCommand(found.source, thread=thread or found.thread, private=private or found.private)
    if parsed.private and parsed.thread:
        raise CommandError(
            "A private briefing has no thread; use {prefix} private <text or link>.", prefix=f"{command} text:"
        )
    return parsed


async def reply_privately(interaction: discord.Interaction, sentence: str, *, nothing_posted: bool = True) -> None:
    """Tell only the user who ran the command (``sentence`` already in their language); never raise."""
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


def sentence_for(exc: BaseException, locale: str) -> str:
    """The one sentence a user sees for ``exc``, in ``locale``."""
    if isinstance(exc, discord.DiscordException):
        return error_text(errors.explain(exc), locale)
    return error_text(exc, locale)


def quick_locale(interaction: discord.Interaction) -> str:
    """The user's locale alone (no store read), for the library's own error path."""
    user = interaction.locale.value if isinstance(interaction.locale, discord.Locale) else None
    return resolve_locale(user, None, None)


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


async def _answer_privately_in_pieces(interaction: discord.Interaction, answer: str) -> None:
    for piece in limits.split_text(answer, limits.CONTENT):
        await interaction.followup.send(piece, ephemeral=True, allowed_mentions=NO_PINGS)


async def answer_schedule(
    interaction: discord.Interaction, command: ScheduleCommand, runtime: BotRuntime | None, locale: str = "en"
) -> None:
    """``/brief text: schedule …``: privately, and only admins may change anything."""
    if runtime is None:
        await reply_privately(interaction, tr(locale, NO_SCHEDULES))
        return
    from bot.chat.schedule import handle

    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        context = runtime.schedule_context(
            platform=PLATFORM,
            channel=str(interaction.channel_id),
            user=str(interaction.user.id),
            admins=DiscordAdmins(interaction, runtime.config.admins),
            locale=locale,
        )
        answer = await handle(command, context)
    except Exception as exc:
        level = logging.INFO if isinstance(exc, BriefbotError) else logging.ERROR
        log.log(level, "/brief schedule failed: %s", exc, exc_info=not isinstance(exc, BriefbotError))
        answer = sentence_for(exc, locale)
    await _answer_privately_in_pieces(interaction, answer)


async def answer_settings(
    interaction: discord.Interaction, command: SettingsCommand, runtime: BotRuntime | None, locale: str = "en"
) -> None:
    """``/brief text: settings [key=value …]``: shown to anyone, changed by admins; always privately.

    A thread shares its channel's settings, so a change made in a thread is the channel's.
    """
    if runtime is None:
        await reply_privately(interaction, tr(locale, NO_SETTINGS))
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        context = runtime.settings_context(
            platform=PLATFORM,
            channel=settings_channel(interaction.channel, interaction.channel_id),
            user=str(interaction.user.id),
            admins=DiscordAdmins(interaction, runtime.config.admins),
            locale=locale,
        )
        answer = await channel_settings.handle(command, context)
    except Exception as exc:
        level = logging.INFO if isinstance(exc, BriefbotError) else logging.ERROR
        log.log(level, "/brief settings failed: %s", exc, exc_info=not isinstance(exc, BriefbotError))
        answer = sentence_for(exc, locale)
    await _answer_privately_in_pieces(interaction, answer)


async def remember(runtime: BotRuntime | None, briefing: object) -> str | None:
    """The briefing's key for its feedback buttons (kept in the store), or None without a store."""
    if runtime is None:
        return None
    try:
        return await asyncio.to_thread(runtime.store.remember_briefing, briefing)  # type: ignore[arg-type]
    except Exception:
        log.warning("could not remember a briefing for feedback; posting it without buttons", exc_info=True)
        return None


async def _with_file(briefer: Briefer, command: BriefCommand, attachment: discord.Attachment) -> BriefCommand:
    """The command with the attached file's article as its source (downloaded within the input limit)."""
    data = await download(attachment)
    if briefer.workers is not None:
        text = await briefer.workers.cpu.run(article_text, attachment.filename, data)
    else:
        text = await asyncio.to_thread(article_text, attachment.filename, data)
    return BriefCommand(text, thread=command.thread, private=command.private)


def make_brief_command(
    briefer: Briefer, runtime: BotRuntime | None = None, discussions: DiscordDiscussions | None = None
) -> app_commands.Command:
    @app_commands.command(name=locale_str(NAME), description=locale_str(DESCRIPTION))
    @app_commands.describe(
        text=locale_str(N_("The article text (Chinese or English), or help, private …, settings …")),
        url=locale_str(N_("An http(s) link to the article")),
        attachment=locale_str(N_("A .txt, .md or .html file with the article, for long articles")),
        thread=locale_str(N_("Start a thread with one message per key point, for discussion")),
        private=locale_str(N_("Show the briefing to you alone; nothing is posted in the channel")),
    )
    async def brief(
        interaction: discord.Interaction,
        text: str | None = None,
        url: str | None = None,
        attachment: discord.Attachment | None = None,
        thread: bool = False,
        private: bool = False,
    ) -> None:
        audience = await audience_of(interaction, runtime)
        locale = audience.locale
        nothing_given = not (text or "").strip() and not (url or "").strip() and attachment is None
        if discussions is not None and nothing_given and is_thread(interaction.channel):
            await brief_this_thread(interaction, discussions, locale)  # /brief alone in a thread: the thread
            return
        word = command_word(interaction)
        try:
            command = read_options(text, url, thread=thread, private=private, attachment=attachment, command=word)
        except BriefbotError as exc:
            await reply_privately(interaction, error_text(exc, locale))
            return
        if isinstance(command, HelpCommand):
            embed = help_embed(locale, word)
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)
            return
        if isinstance(command, ScheduleCommand):
            await answer_schedule(interaction, command, runtime, locale)
            return
        if isinstance(command, SettingsCommand):
            await answer_settings(interaction, command, runtime, locale)
            return
        if command.thread and not can_start_thread(interaction.channel):
            await reply_privately(interaction, tr(locale, NO_THREAD_HERE))
            return
        await _brief_and_follow_up(interaction, briefer, runtime, command, audience, attachment)

    return brief


async def _brief_and_follow_up(
    interaction: discord.Interaction,
    briefer: Briefer,
    runtime: BotRuntime | None,
    command: BriefCommand,
    audience: Audience,
    attachment: discord.Attachment | None,
) -> None:
    started = time.monotonic()
    locale = audience.locale
    try:
        ticket = briefer.admit(command)
    except Busy as exc:  # the queue is full: say so at once, privately, and do nothing else
        metrics.record_briefing(PLATFORM, "command", "busy")
        await reply_privately(interaction, error_text(exc, locale))
        return
    with ticket:
        await interaction.response.defer(thinking=True, ephemeral=command.private)
        posted = Posted()
        try:
            if attachment is not None:
                command = await _with_file(briefer, command, attachment)
            briefing = await briefer(command)
            ticket.release()
            key = await remember(runtime, briefing)
            await follow_up_briefing(
                interaction,
                audience.show(briefing),
                locale,
                thread=command.thread,
                posted=posted,
                feedback=key,
                private=command.private,
            )
        except Exception as exc:  # any failure: one sentence to the user, the details to the log
            refused = isinstance(exc, BriefbotError)
            log.log(logging.INFO if refused else logging.ERROR, "/brief failed: %s", exc, exc_info=not refused)
            metrics.record_briefing(PLATFORM, "command", "refused" if refused else "failed")
            await reply_privately(interaction, sentence_for(exc, locale), nothing_posted=not posted.message_ids)
            return
    metrics.record_briefing(PLATFORM, "command", "posted", time.monotonic() - started)


class BriefTree(app_commands.CommandTree):
    """A command tree whose own error path answers politely instead of only logging."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        locale = quick_locale(interaction)
        if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
            sentence = tr(locale, _OUT_OF_DATE)
        elif isinstance(error, app_commands.TransformerError):
            sentence = tr(locale, _BAD_OPTION)
        elif isinstance(error, app_commands.CommandInvokeError):
            sentence = sentence_for(error.original, locale)
        else:
            sentence = error_text(error, locale)
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
    discussions = DiscordDiscussions(discuss or make_discussion_briefer(), ShareCache(), runtime)
    client.discussions = discussions  # type: ignore[attr-defined]  # the share button finds it here
    client.runtime = runtime  # type: ignore[attr-defined]  # the feedback buttons and reactions find it here
    client.add_dynamic_items(ShareButton, VoteButton)
    tree.add_command(make_brief_command(briefer, runtime, discussions))
    tree.add_command(make_context_menu(discussions))
    return tree


def sync_main(args: argparse.Namespace) -> int:
    """``briefbot discord sync [--guild ID]``: register /brief in one server, or globally."""
    settings = load_discord_settings()
    if settings is None:
        raise ConfigError(MISSING_TOKEN)
    print(asyncio.run(_sync(settings, args.guild, getattr(args, "locale", None))))
    return 0


async def _sync(settings: DiscordSettings, guild_id: int | None, locale: str | None = None) -> str:
    from adapters.discord.client import build_client, login
    from bot.chat.briefer import make_briefer

    client = build_client(settings, briefer=make_briefer())
    try:
        await login(client, settings.token)  # login sets the tree's translator (the zh-TW and zh-CN names)
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            client.tree.copy_global_to(guild=guild)  # /brief is defined globally; a guild sync needs a copy
        synced = await client.tree.sync(guild=guild)
    except discord.Forbidden as exc:
        where = Message("in server {guild}", {"guild": guild_id}) if guild_id is not None else Message("globally")
        raise errors.DiscordError(
            "Discord refused to register /brief {where} (HTTP {status}); invite the bot with the "
            "applications.commands scope (see the README, section Discord).",
            where=where,
            status=exc.status,
        ) from None
    except discord.DiscordException as exc:
        raise errors.explain(exc, channel=None) from None
    finally:
        await client.close()
    described = tr(locale, ", ").join(
        tr(locale, "/{name} (options: {options})", name=cmd.name, options=", ".join(o.name for o in cmd.options))
        if cmd.type is discord.AppCommandType.chat_input
        else tr(locale, '"{name}" (in a message\'s Apps menu)', name=cmd.name)
        for cmd in synced
    ) or tr(locale, "no commands")
    if guild_id is not None:
        return tr(
            locale,
            "Registered {commands} in server {guild}; it can be used there now.",
            commands=described,
            guild=guild_id,
        )
    return tr(
        locale,
        "Registered {commands} globally; Discord may take up to an hour to show it everywhere.",
        commands=described,
    )

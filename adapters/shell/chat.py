"""``briefbot chat``: talk to the bot in a terminal, as in Slack or Discord.

Lines are the same commands the chat platforms take (``/brief …``, ``/brief schedule
…``); briefings print here, and so do scheduled posts for the ``shell`` channel. The
local user is the admin. ``/brief <path>`` reads a local file — only here, never
from a chat platform. The bot's words come in the ``shell`` channel's locale, and briefings
in its script and order (the config's ``[bot]`` and ``[channels."shell:shell"]``, then what
``/brief settings …`` stored).
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from pathlib import Path
from typing import TextIO

from adapters.shell.render import for_terminal, render_digest, render_point_replies, render_text
from adapters.shell.render_discussion import render_discussion_text
from bot.briefing import Briefing
from bot.chat import settings as channel_settings
from bot.chat.commands import BriefCommand, HelpCommand, ScheduleCommand, SettingsCommand, help_text, parse
from bot.chat.i18n import N_, error_text, tr
from bot.chat.schedule import FixedAdmin, handle
from bot.config import Config
from bot.errors import BriefbotError
from bot.runtime import BotRuntime
from bot.schedule.digest import Digest, Receipt
from bot.text.discussion import DiscussionBriefing, brief_discussion, load_discussion
from bot.text.pipeline import brief_source

log = logging.getLogger(__name__)

CHANNEL = "shell"
PROMPT = "briefbot> "
GREETING = N_("briefbot chat — type /brief help for commands, /quit to leave.")


class Shell:
    def __init__(
        self, config: Config, out: TextIO = sys.stdout, *, interactive: bool = False, translator: str | None = None
    ) -> None:
        self.out = out
        self.interactive = interactive
        self.config = config
        self.runtime = BotRuntime.create(config, {"shell": self.deliver}, translator_name=translator)

    def settings(self) -> channel_settings.ChannelSettings:
        """The shell channel's settings now (an admin may have changed them a line ago)."""
        return channel_settings.effective(self.runtime.store, self.config, "shell", CHANNEL)

    @property
    def locale(self) -> str:
        return self.settings().locale or "en"

    def say(self, text: str) -> None:
        text = for_terminal(text)
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()

    async def deliver(self, channel: str, digest: Digest) -> Receipt:
        s = self.settings()
        self.say(render_digest(digest, s.locale or "en", zh=s.zh, order=s.order))
        return Receipt(message_id=f"shell:{digest.schedule_id}:{digest.run_key}", messages=1)

    async def handle_line(self, line: str) -> bool:
        """Answer one line; False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit", "quit", "exit"):
            return False
        s = self.settings()
        locale = s.locale or "en"
        if not line.startswith("/brief"):
            self.say(tr(locale, "Commands start with /brief; type /brief help."))
            return True
        try:
            command = parse(line.removeprefix("/brief"))
            if isinstance(command, HelpCommand):
                self.say("\n".join([help_text(locale=locale, more=True), *_shell_help(locale)]))
            elif isinstance(command, ScheduleCommand):
                ctx = self.runtime.schedule_context(
                    platform="shell",
                    channel=CHANNEL,
                    user="local",
                    admins=FixedAdmin(True),
                    allow_local_sources=True,
                    locale=locale,
                )
                self.say(await handle(command, ctx))
            elif isinstance(command, SettingsCommand):
                ctx = self.runtime.settings_context(
                    platform="shell", channel=CHANNEL, user="local", admins=FixedAdmin(True), locale=locale
                )
                self.say(await channel_settings.handle(command, ctx))
            elif command.discussion:
                discussion = await asyncio.to_thread(self.brief_discussion, command.source)
                self.say(render_discussion_text(discussion, locale))
            else:
                briefing = await asyncio.to_thread(self.brief, command)
                self.say(render_text(briefing, locale, zh=s.zh, order=s.order))
                if command.thread:
                    self.say(render_point_replies(briefing, locale, zh=s.zh, order=s.order))
        except BriefbotError as exc:
            self.say(f"briefbot: {error_text(exc, locale)}")
        except Exception as exc:
            log.exception("command failed")
            self.say(f"briefbot: {error_text(exc, locale)}")
        return True

    def brief(self, command: BriefCommand) -> Briefing:
        """A link, a local file (here only, never from a chat platform), or pasted text."""
        source = command.source
        local = source == "-" or (not command.is_url and Path(source).expanduser().is_file())
        if local and source != "-":
            source = str(Path(source).expanduser())
        return brief_source(
            source,
            pasted=not (command.is_url or local),
            points=self.config.points,
            translator=self.runtime.runner.translator,
        )

    def brief_discussion(self, source: str) -> DiscussionBriefing:
        """A discussion export on this machine (a Slack or Discord JSON export, or Name: text lines)."""
        path = source if source == "-" else str(Path(source).expanduser())
        return brief_discussion(load_discussion(path))

    async def run(self, stdin: TextIO = sys.stdin) -> int:
        await self.runtime.start_scheduler()
        if self.interactive:
            self.say(tr(self.locale, GREETING))
        try:
            while True:
                if self.interactive:
                    self.out.write(PROMPT)
                    self.out.flush()
                line = await asyncio.to_thread(stdin.readline)
                if not line:  # end of input
                    break
                if not await self.handle_line(line):
                    break
        finally:
            self.runtime.stop()
        return 0


def _shell_help(locale: str) -> list[str]:
    """What the shell adds to the chat help: local files and schedules."""
    return [
        tr(locale, "/brief <file path> — brief a local file (shell only)."),
        tr(locale, "/brief --discussion <file> — brief a Slack/Discord export or Name: text lines (shell only)."),
        tr(
            locale,
            "/brief schedule add daily 08:00 Asia/Taipei <folder, feed or link> [thread] — post a daily digest here",
        ),
        "/brief schedule list · /brief schedule remove <id> · /brief schedule run <id>",
    ]


def main(config: Config, translator: str | None = None) -> int:
    shell = Shell(config, interactive=sys.stdin.isatty(), translator=translator)
    # Bytes that are not UTF-8 arrive as lone surrogates (the core refuses them in one sentence)
    # rather than stopping the chat with a UnicodeDecodeError.
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
    return asyncio.run(shell.run(stdin))

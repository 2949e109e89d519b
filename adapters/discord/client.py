"""The Discord client: REST for posting, the gateway for ``/brief`` interactions.

``rest_client`` is the one place clients are made (``build_client`` adds ``/brief`` to
one), so every client gets the same defaults: no privileged gateway intents (``/brief``
arrives as an interaction, which needs none; reactions arrive with the non-privileged guild
reactions intent), no pings by default, and the REST base from the settings.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from adapters.discord.commands import BriefTree, build_tree
from adapters.discord.deliver import NO_PINGS
from adapters.discord.errors import BAD_TOKEN, DiscordError, explain
from adapters.discord.locales import CatalogueTranslator
from adapters.discord.reactions import brief_on_reaction
from adapters.discord.settings import DiscordSettings, apply_api_url
from adapters.discussion import DiscussionBriefer
from bot import metrics
from bot.chat.briefer import Briefer
from bot.errors import ConfigError

if TYPE_CHECKING:
    from adapters.health import Readiness
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.discord")

# Gateway close code for a token Discord does not accept.
_AUTHENTICATION_FAILED = 4004


class BriefClient(discord.Client):
    """A discord.py client that carries its command tree (``/brief``), when it has one, and the
    runtime (store and config) behind settings, feedback and reactions."""

    tree: BriefTree
    runtime: BotRuntime | None = None
    briefer: Briefer | None = None

    async def setup_hook(self) -> None:
        """At login: the command names and descriptions in zh-TW and zh-CN, from the catalogues."""
        if hasattr(self, "tree"):
            await self.tree.set_translator(CatalogueTranslator())

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s; /brief missing? run `briefbot discord sync`", self.user)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        """The channel's reaction (📰 by default, when its admins turned reactions on) on a message
        with a link: brief the link in the message's thread."""
        if self.briefer is not None:
            await brief_on_reaction(self, payload, self.briefer, self.runtime)


def rest_client(settings: DiscordSettings) -> BriefClient:
    """A client for REST calls only (``login`` without ``connect``); no command tree."""
    apply_api_url(settings)
    # briefbot never joins voice: silence the library's one-time warnings about voice packages.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    # The guilds intent is not privileged; without it discord.py warns that its state may be incomplete.
    intents = discord.Intents.none()
    intents.guilds = True
    # Reactions (settings reactions=on) come as MESSAGE_REACTION_ADD events; not privileged.
    intents.guild_reactions = True
    return BriefClient(intents=intents, allowed_mentions=NO_PINGS, http_trace=_count_rate_limits())


def _count_rate_limits() -> aiohttp.TraceConfig:
    """Count Discord's 429s for ``/metrics`` (discord.py waits them out itself, with no hook of its own)."""

    async def on_request_end(
        _session: aiohttp.ClientSession, _context: Any, params: aiohttp.TraceRequestEndParams
    ) -> None:
        if params.response.status == 429:
            metrics.record_rate_limited("discord")

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    return trace


def build_client(
    settings: DiscordSettings,
    *,
    briefer: Briefer,
    runtime: BotRuntime | None = None,
    discuss: DiscussionBriefer | None = None,
) -> BriefClient:
    """A client that answers ``/brief`` with ``briefer`` (and ``/brief text: schedule …`` with ``runtime``),
    and briefs discussions (``/brief`` in a thread, "Brief this discussion") with ``discuss``."""
    client = rest_client(settings)
    client.tree = build_tree(client, briefer, runtime, discuss)
    client.runtime, client.briefer = runtime, briefer
    return client


async def login(client: discord.Client, token: str) -> None:
    """REST login (``GET /users/@me`` and the application); a refused token is a ``ConfigError``, never retried.

    Discord out of reach is a ``DiscordError``: one sentence, like every other start-up problem.
    """
    try:
        await client.login(token)
    except discord.LoginFailure as exc:
        raise explain(exc) from None
    except discord.Forbidden:
        raise ConfigError(
            "Discord refused the bot's login (403 Forbidden); check DISCORD_BOT_TOKEN and the application's status."
        ) from None
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise DiscordError(
            "Could not reach Discord at {url} ({error}); check the network, or BRIEFBOT_DISCORD_API_URL if it is set.",
            url=discord.http.Route.BASE,
            error=type(exc).__name__,
        ) from None


async def run_discord(
    settings: DiscordSettings,
    *,
    briefer: Briefer,
    runtime: BotRuntime | None = None,
    discuss: DiscussionBriefer | None = None,
    readiness: Readiness | None = None,
) -> None:
    """Log in, connect to the gateway and answer ``/brief`` until cancelled.

    A refused token (401) or missing access (403) raises ``ConfigError`` at once: retrying
    would only add to the invalid requests Discord counts towards a temporary ban.
    Network drops are retried by discord.py's own reconnect loop. ``readiness`` gets a check
    that passes while the gateway connection is up.
    """
    client = build_client(settings, briefer=briefer, runtime=runtime, discuss=discuss)

    async def connected() -> str | None:
        return None if client.is_ready() and not client.is_closed() else "not connected to Discord's gateway."

    if readiness is not None:
        readiness.add("discord", connected)
    try:
        await login(client, settings.token)
        if runtime is not None:
            from adapters.discord.digest import discord_deliverer

            runtime.deliverers["discord"] = discord_deliverer(client, runtime)
        try:
            await client.connect(reconnect=True)
        except discord.ConnectionClosed as exc:
            if exc.code == _AUTHENTICATION_FAILED:
                raise ConfigError(BAD_TOKEN) from None
            raise DiscordError(
                "Discord closed the gateway connection (code {code}); see the log.", code=exc.code
            ) from None
        except discord.PrivilegedIntentsRequired as exc:
            raise explain(exc) from None
    finally:
        await client.close()

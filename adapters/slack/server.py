"""Run the Slack app: HTTP (aiohttp, ``POST /slack/events`` beside the health routes) or Socket Mode."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.discussion import DiscussionBriefer
from adapters.health import HEALTH_PATH, METRICS_PATH, READY_PATH, Readiness, add_health_routes, listen
from adapters.pacing import ChannelPacer
from adapters.slack.app import build_app
from adapters.slack.client import make_web_client
from adapters.slack.deliver import CHANNEL_INTERVAL
from adapters.slack.errors import token_rejected
from adapters.slack.redelivery import EventLog
from adapters.slack.settings import SlackSettings
from bot.chat.briefer import Briefer
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.slack")

EVENTS_PATH = "/slack/events"
DEFAULT_HOST = "0.0.0.0"


def make_web_app(app: AsyncApp, readiness: Readiness | None = None) -> web.Application:
    """Bolt's own aiohttp application (signature checks included), plus health, readiness and metrics."""
    web_app = app.web_app(path=EVENTS_PATH)
    add_health_routes(web_app, readiness or Readiness())
    return web_app


class TokenCheck:
    """Whether Slack accepted ``SLACK_BOT_TOKEN`` (``auth.test``), for the start and for ``/readyz``.

    A token Slack rejects stops the start (bolt would only find out per request). Slack being
    unreachable does not: the bot serves anyway, asks again every ``retry`` seconds, and is
    not ready until Slack has answered.
    """

    def __init__(self, client: AsyncWebClient, retry: float = 30.0) -> None:
        self.client = client
        self.retry = retry
        self.problem: str | None = "SLACK_BOT_TOKEN has not been checked with Slack yet."

    async def check(self) -> bool:
        """Ask once: True when accepted, False when Slack cannot be reached; ``ConfigError`` when rejected."""
        try:
            await self.client.auth_test()
        except SlackApiError as exc:
            self.problem = token_rejected(exc.response.get("error", "unknown_error"))
            raise ConfigError(self.problem) from exc
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.problem = f"Slack could not be reached to check SLACK_BOT_TOKEN ({type(exc).__name__})."
            return False
        self.problem = None
        return True

    async def keep_trying(self) -> None:
        while True:
            await asyncio.sleep(self.retry)
            try:
                if await self.check():
                    log.info("Slack: SLACK_BOT_TOKEN checked")
                    return
            except ConfigError as exc:
                log.error("Slack: %s", exc.message)
                return

    async def readiness(self) -> str | None:
        return self.problem


async def run_slack(
    settings: SlackSettings,
    *,
    port: int,
    briefer: Briefer,
    runtime: BotRuntime | None = None,
    discuss: DiscussionBriefer | None = None,
    host: str = DEFAULT_HOST,
    readiness: Readiness | None = None,
    events: EventLog | None = None,
) -> None:
    """Serve Slack until cancelled: Socket Mode when an app token is set, HTTP otherwise.

    With ``runtime`` (``briefbot serve`` with its scheduler), ``/brief schedule …`` works and
    scheduled digests for Slack channels go out through this app's client. In HTTP mode the
    health, readiness and metrics routes share the port; ``readiness`` gets Slack's own check.
    """
    # One pacer for everything this process posts to Slack: /brief, mentions and digests; one HTTP
    # session for the app's calls (a connection per chat.postMessage cost the acks under load).
    pacer = ChannelPacer(CHANNEL_INTERVAL)
    session = aiohttp.ClientSession()
    app = build_app(
        settings,
        briefer=briefer,
        runtime=runtime,
        discuss=discuss,
        events=events,
        pacer=pacer,
        client=make_web_client(settings, session),
    )
    readiness = readiness or Readiness()
    token = TokenCheck(app.client)
    retrying: asyncio.Task[None] | None = None
    if not await token.check():
        # Slack may be briefly unreachable at start: serve anyway, the client retries per call.
        log.warning("Slack: could not check SLACK_BOT_TOKEN now (%s); starting anyway", token.problem)
        retrying = asyncio.create_task(token.keep_trying())
    readiness.add("slack", token.readiness)
    if runtime is not None:
        from adapters.slack.digest import slack_deliverer

        settings_of = runtime.channel_settings
        runtime.deliverers["slack"] = slack_deliverer(
            app.client, pacer=pacer, channel_settings=lambda channel: settings_of("slack", channel)
        )
    try:
        if settings.socket_mode:
            await _run_socket_mode(app, settings, readiness)
        else:
            await _run_http(app, host, port, readiness)
    finally:
        if retrying is not None:
            retrying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await retrying
        await session.close()


async def _run_http(app: AsyncApp, host: str, port: int, readiness: Readiness) -> None:
    runner = await listen(make_web_app(app, readiness), host, port)
    try:
        log.info(
            "Slack: listening on http://%s:%d%s (health check %s, readiness %s, metrics %s)",
            host,
            port,
            EVENTS_PATH,
            HEALTH_PATH,
            READY_PATH,
            METRICS_PATH,
        )
        await asyncio.Event().wait()  # until cancelled
    finally:
        await runner.cleanup()


async def _run_socket_mode(app: AsyncApp, settings: SlackSettings, readiness: Readiness) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app, settings.app_token)

    async def connected() -> str | None:
        return None if await handler.client.is_connected() else "the Slack Socket Mode connection is down."

    try:
        # slack_sdk retries a refused app token forever, logging each time; ask once, and say why.
        try:
            opened = await app.client.apps_connections_open(app_token=settings.app_token)
        except SlackApiError as exc:
            code = exc.response.get("error", "unknown_error")
            raise ConfigError(
                "Slack refused SLACK_APP_TOKEN ({code}); create an app-level token with the connections:write "
                "scope (Basic Information → App-Level Tokens) and turn Socket Mode on.",
                code=code,
            ) from exc
        handler.client.wss_uri = opened["url"]
        await handler.connect_async()
        readiness.add("slack socket", connected)
        log.info("Slack: connected in Socket Mode")
        await asyncio.Event().wait()  # until cancelled
    finally:
        await handler.close_async()

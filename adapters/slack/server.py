"""Run the Slack app: HTTP (aiohttp, ``POST /slack/events``, ``GET /healthz``) or Socket Mode."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters.discussion import DiscussionBriefer
from adapters.slack.app import build_app
from adapters.slack.errors import token_rejected
from adapters.slack.settings import SlackSettings
from bot.chat.briefer import Briefer
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger("briefbot.slack")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HOST = "0.0.0.0"


def make_web_app(app: AsyncApp) -> web.Application:
    """Bolt's own aiohttp application (signature checks included), plus a health check."""
    web_app = app.web_app(path=EVENTS_PATH)

    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    web_app.router.add_get(HEALTH_PATH, healthz)
    return web_app


async def run_slack(
    settings: SlackSettings,
    *,
    port: int,
    briefer: Briefer,
    runtime: BotRuntime | None = None,
    discuss: DiscussionBriefer | None = None,
) -> None:
    """Serve Slack until cancelled: Socket Mode when an app token is set, HTTP otherwise.

    With ``runtime`` (``briefbot serve`` with its scheduler), ``/brief schedule …`` works and
    scheduled digests for Slack channels go out through this app's client.
    """
    app = build_app(settings, briefer=briefer, runtime=runtime, discuss=discuss)
    await _check_bot_token(app)
    if runtime is not None:
        from adapters.slack.digest import slack_deliverer

        runtime.deliverers["slack"] = slack_deliverer(app.client)
    if settings.socket_mode:
        await _run_socket_mode(app, settings)
    else:
        await _run_http(app, port)


async def _check_bot_token(app: AsyncApp) -> None:
    """Fail at start, in one sentence, on a token Slack rejects (bolt would only find out per request)."""
    try:
        await app.client.auth_test()
    except SlackApiError as exc:
        code = exc.response.get("error", "unknown_error")
        raise ConfigError(token_rejected(code)) from exc
    except (TimeoutError, aiohttp.ClientError) as exc:
        # Slack may be briefly unreachable at start: serve anyway, the client retries per call.
        log.warning("Slack: could not check SLACK_BOT_TOKEN now (%s); starting anyway", type(exc).__name__)


async def _run_http(app: AsyncApp, port: int) -> None:
    runner = web.AppRunner(make_web_app(app), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, HOST, port)
        try:
            await site.start()
        except OSError as exc:
            raise ConfigError(f"Cannot listen on port {port} ({exc.strerror}); choose another with --port.") from exc
        log.info("Slack: listening on http://%s:%d%s (health check %s)", HOST, port, EVENTS_PATH, HEALTH_PATH)
        await asyncio.Event().wait()  # until cancelled
    finally:
        await runner.cleanup()


async def _run_socket_mode(app: AsyncApp, settings: SlackSettings) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app, settings.app_token)
    try:
        # slack_sdk retries a refused app token forever, logging each time; ask once, and say why.
        try:
            opened = await app.client.apps_connections_open(app_token=settings.app_token)
        except SlackApiError as exc:
            code = exc.response.get("error", "unknown_error")
            raise ConfigError(
                f"Slack refused SLACK_APP_TOKEN ({code}); create an app-level token with the connections:write "
                "scope (Basic Information → App-Level Tokens) and turn Socket Mode on."
            ) from exc
        handler.client.wss_uri = opened["url"]
        await handler.connect_async()
        log.info("Slack: connected in Socket Mode")
        await asyncio.Event().wait()  # until cancelled
    finally:
        await handler.close_async()

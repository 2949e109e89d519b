"""Health, readiness and metrics over HTTP, on ``briefbot serve``'s port.

- ``GET /healthz``: alive — the event loop answers. Nothing else is checked, so a load
  balancer or orchestrator restarts only a process that has really stopped.
- ``GET /readyz``: ready to take requests — 200 when every check passes, else 503 with one
  sentence per failing check: the database answers, each platform's token was accepted at
  start (and Discord's gateway is connected), the worker pools are not saturated.
- ``GET /metrics``: Prometheus text format (``bot.metrics`` and the process's own).

With Slack in HTTP mode these routes sit beside ``POST /slack/events`` on bolt's aiohttp
application; otherwise ``serve_health`` runs a small server for them alone.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from bot.errors import ConfigError

log = logging.getLogger("briefbot.serve")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
#: Seconds one readiness check may take before it counts as failed.
CHECK_TIMEOUT = 2.0

#: A readiness check: None when all is well, else one sentence saying what is not.
Check = Callable[[], Awaitable[str | None]]


class Readiness:
    """Named checks that must all pass for ``/readyz`` to say ready."""

    def __init__(self) -> None:
        self.checks: dict[str, Check] = {}

    def add(self, name: str, check: Check) -> None:
        self.checks[name] = check

    async def problems(self) -> dict[str, str]:
        """Every failing check's name and sentence (checks run at once, each bounded by ``CHECK_TIMEOUT``)."""
        names = list(self.checks)
        results = await asyncio.gather(*(self._run(name) for name in names))
        return {name: problem for name, problem in zip(names, results, strict=True) if problem is not None}

    async def _run(self, name: str) -> str | None:
        try:
            return await asyncio.wait_for(self.checks[name](), CHECK_TIMEOUT)
        except TimeoutError:
            return f"no answer within {CHECK_TIMEOUT:g} s"
        except Exception as exc:
            log.warning("readiness check %s failed", name, exc_info=True)
            return f"the check failed ({type(exc).__name__})"


def add_health_routes(web_app: web.Application, readiness: Readiness) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(_request: web.Request) -> web.Response:
        problems = await readiness.problems()
        body = {"ready": not problems, "checks": {name: problems.get(name, "ok") for name in readiness.checks}}
        return web.Response(
            text=json.dumps(body, ensure_ascii=False), status=503 if problems else 200, content_type="application/json"
        )

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app.router.add_get(HEALTH_PATH, healthz)
    web_app.router.add_get(READY_PATH, readyz)
    web_app.router.add_get(METRICS_PATH, metrics)


async def listen(web_app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve ``web_app`` on ``host:port``; a port in use or a bad host is one sentence (``ConfigError``)."""
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        reason = exc.strerror or str(exc)
        raise ConfigError(
            f"Cannot listen on port {port} at {host} ({reason}); choose another with --port or --host."
        ) from None
    return runner


async def serve_health(readiness: Readiness, *, host: str, port: int) -> None:
    """Serve only the health, readiness and metrics routes until cancelled (no Slack HTTP endpoint)."""
    web_app = web.Application()
    add_health_routes(web_app, readiness)
    runner = await listen(web_app, host, port)
    try:
        log.info("health checks on http://%s:%d%s, %s and %s", host, port, HEALTH_PATH, READY_PATH, METRICS_PATH)
        await asyncio.Event().wait()  # until cancelled
    finally:
        await runner.cleanup()

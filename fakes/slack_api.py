"""A fake Slack on 127.0.0.1 that speaks the real wire format, so slack_sdk and bolt run unmodified.

It answers the Web API methods the bot uses (``auth.test``, ``chat.postMessage``,
``chat.postEphemeral``, ``users.info`` (with the user's ``locale`` when asked), ``files.info``,
``conversations.replies``, ``conversations.history``, ``apps.connections.open``), serves shared
files from their ``url_private`` to the bot token only, takes ``response_url`` posts, serves a
Socket Mode WebSocket, and records every call. Like Slack, it rejects blocks that break Block
Kit's limits (in posts and ephemeral messages alike), pages history with ``cursor`` (at most
``page_size`` messages a call, like a rate-limited app), answers ``not_in_channel`` for
channels the bot was not invited to, and can be told to answer one call with a 429 and ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test"
APP_TOKEN = "xapp-test"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_USER_ID = "UBOT"


@dataclass
class Call:
    """One request the fake received."""

    method: str  # a Web API method, or "response_url"
    body: dict[str, Any]
    headers: dict[str, str]
    status: int
    response: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


def block_problems(blocks: list[dict[str, Any]]) -> list[str]:
    """What Slack would reject in ``blocks`` (empty when they are within every documented limit)."""
    problems = []
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks (max 50)")
    total = len(json.dumps(blocks, ensure_ascii=False).encode("utf-16-le")) // 2
    if total > 13_000:
        problems.append(f"blocks total {total} characters (rejected near 13k)")
    for n, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "header":
            text = block["text"]
            if text["type"] != "plain_text" or not 0 < len(text["text"]) <= 150:
                problems.append(f"block {n}: header text {len(text['text'])} characters (max 150)")
        elif kind == "section":
            if not 0 < len(block["text"]["text"]) <= 3000:
                problems.append(f"block {n}: section text {len(block['text']['text'])} characters (max 3000)")
        elif kind == "context":
            elements = block["elements"]
            if not 0 < len(elements) <= 10:
                problems.append(f"block {n}: context with {len(elements)} elements (max 10)")
            problems += [f"block {n}: empty context element" for el in elements if not el.get("text")]
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 0 < len(elements) <= 25:
                problems.append(f"block {n}: actions with {len(elements)} elements (max 25)")
            for el in elements:
                if el.get("type") != "button" or not 0 < len(el["text"]["text"]) <= 75:
                    problems.append(f"block {n}: bad button {el!r}")
                if len(el.get("value", "")) > 2000 or not 0 < len(el.get("action_id", "")) <= 255:
                    problems.append(f"block {n}: button value or action_id too long")
        elif kind != "divider":
            problems.append(f"block {n}: unexpected type {kind!r}")
    return problems


def sign(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 request signature headers for ``body``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def slash_command_body(text: str, *, response_url: str, channel: str = "C123", user: str = "U123") -> str:
    """A form-encoded /brief request, as Slack sends it."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": "T123",
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "news",
            "user_id": user,
            "user_name": "reader",
            "command": "/brief",
            "text": text,
            "api_app_id": "A123",
            "response_url": response_url,
            "trigger_id": "123.456.abc",
        }
    )


def mention_event(
    text: str,
    *,
    event_id: str,
    ts: str = "1700000000.000001",
    thread_ts: str | None = None,
    files: list[dict[str, Any]] | None = None,
) -> dict:
    """An ``app_mention`` Events API callback (with ``files`` when the message shares some)."""
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": "U123",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": "C123",
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    if files:
        event["files"] = files
        event["upload"] = True
    return event_callback(event, event_id=event_id)


def reaction_event(
    reaction: str, *, channel: str, ts: str, event_id: str, user: str = "U123", item_user: str = "U456"
) -> dict:
    """A ``reaction_added`` Events API callback for a reaction on the message at ``ts``."""
    event = {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item_user": item_user,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": "1700000500.000100",
    }
    return event_callback(event, event_id=event_id)


def event_callback(event: dict[str, Any], *, event_id: str) -> dict:
    """``event`` wrapped as Slack's Events API sends it."""
    return {
        "token": "legacy-verification-token",
        "team_id": "T123",
        "api_app_id": "A123",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000000,
        "authorizations": [{"team_id": "T123", "user_id": BOT_USER_ID, "is_bot": True}],
    }


def message_shortcut(
    message: dict[str, Any], *, response_url: str, channel: str = "C123", user: str = "U123"
) -> dict[str, Any]:
    """A message shortcut ("Brief this discussion") interaction payload, as Slack sends it."""
    return {
        "type": "message_action",
        "callback_id": "brief_discussion",
        "trigger_id": "123.456.def",
        "action_ts": "1700000999.000001",
        "team": {"id": "T123", "domain": "example"},
        "user": {"id": user, "username": "reader", "team_id": "T123", "name": "reader"},
        "channel": {"id": channel, "name": "news"},
        "is_enterprise_install": False,
        "enterprise": None,
        "api_app_id": "A123",
        "token": "legacy-verification-token",
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": message,
    }


def button_click(
    action_id: str,
    value: str,
    *,
    response_url: str,
    channel: str = "C123",
    user: str = "U123",
    message_ts: str | None = None,
) -> dict:
    """A block_actions payload for a button: in an ephemeral message (which Slack gives no ts),
    or in the channel's message at ``message_ts``."""
    return {
        "type": "block_actions",
        "team": {"id": "T123", "domain": "example"},
        "user": {"id": user, "username": "reader", "team_id": "T123"},
        "api_app_id": "A123",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts or "1700000999.000002",
            "channel_id": channel,
            "is_ephemeral": message_ts is None,
        },
        "trigger_id": "123.456.ghi",
        "channel": {"id": channel, "name": "news"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "share",
                "text": {"type": "plain_text", "text": "Share"},
                "value": value,
                "type": "button",
                "action_ts": "1700000999.000003",
            }
        ],
    }


def interaction_body(payload: dict[str, Any]) -> str:
    """Interactivity requests are form-encoded with the JSON in ``payload``."""
    return urlencode({"payload": json.dumps(payload)})


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._next_ts = 0
        self._rate_limits: dict[str, int] = {}
        self._channel_errors: dict[str, str] = {}
        self._socket: web.WebSocketResponse | None = None
        self.socket_connected = asyncio.Event()
        self.socket_acks: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()
        #: users.info says these users are workspace admins.
        self.workspace_admins: set[str] = set()
        #: Display names users.info gives, by user id.
        self.users: dict[str, str] = {}
        #: Slack locales (``zh-TW``, ``en-US``…) users.info gives with ``include_locale``, by user id.
        self.locales: dict[str, str] = {}
        #: Shared files by id: their metadata (``files.info``) and their bytes (``url_private``).
        self.files: dict[str, dict[str, Any]] = {}
        self._file_bytes: dict[str, bytes] = {}
        #: What each response_url (by its name) was sent, in order.
        self.responded: dict[str, list[dict[str, Any]]] = {}
        #: Downloads of shared files: (file id, whether the bot token came with the request).
        self.downloads: list[tuple[str, bool]] = []
        #: Channel id → its messages (thread replies included), as Slack stores them.
        self.history: dict[str, list[dict[str, Any]]] = {}
        #: The most messages one conversations.replies / conversations.history call returns.
        self.page_size = 15
        self._history_errors: dict[str, str] = {}
        self._clock = 1_700_000_000

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # users.info and other reads use GET
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/files-pri/{file_id}/{name}", self._file)
        app.router.add_get("/socket", self._socket_mode)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/respond/{name}"

    # -- scripting -------------------------------------------------------------------------
    def rate_limit_once(self, method: str, retry_after: int = 1) -> None:
        """Answer the next call to ``method`` with a 429 and ``Retry-After``."""
        self._rate_limits[method] = retry_after

    def say(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        thread_ts: str | None = None,
        bot_id: str | None = None,
        reactions: int = 0,
    ) -> str:
        """Add a message to ``channel`` (a reply when ``thread_ts``); returns its ts."""
        self._clock += 7
        ts = f"{self._clock}.000100"
        message: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
        if bot_id:
            message["bot_id"] = bot_id
        if reactions:
            message["reactions"] = [{"name": "+1", "count": reactions, "users": []}]
        if thread_ts:
            message["thread_ts"] = thread_ts
            message["parent_user_id"] = "U000"
            parent = next(m for m in self.history[channel] if m["ts"] == thread_ts)
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
        self.history.setdefault(channel, []).append(message)
        return ts

    def share_file(self, name: str, data: bytes, *, mimetype: str = "text/plain", stub: bool = False) -> dict[str, Any]:
        """Store a file as if a user shared it; returns the event's ``files`` entry for it
        (``stub``: only its id, as Slack sends when the app must ask ``files.info``)."""
        file_id = f"F{len(self.files) + 1:04d}"
        url = f"{self.url}/files-pri/{file_id}/{name}"
        meta = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1],
            "size": len(data),
            "url_private": url,
            "url_private_download": url + "?download=1",
        }
        self.files[file_id] = meta
        self._file_bytes[file_id] = data
        return {"id": file_id} if stub else dict(meta)

    def deny_history(self, channel: str, error: str = "not_in_channel") -> None:
        """Answer reads of ``channel`` with ``{"ok": false, "error": error}``."""
        self._history_errors[channel] = error

    def fail_channel(self, channel: str, error: str) -> None:
        """Answer posts to ``channel`` with ``{"ok": false, "error": error}``."""
        self._channel_errors[channel] = error

    # -- what happened ---------------------------------------------------------------------
    def of(self, method: str, *, ok_only: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    @property
    def posts(self) -> list[Call]:
        """Successful chat.postMessage calls, in order."""
        return [c for c in self.of("chat.postMessage") if c.response.get("ok")]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Return as soon as ``condition()`` holds, checked on every call or Socket Mode ack that arrives."""
        try:
            async with asyncio.timeout(timeout):
                while not condition():
                    self._arrived.clear()
                    await self._arrived.wait()
        except TimeoutError:
            raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}") from None

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until no call has arrived for ``quiet`` seconds (to prove nothing more comes)."""
        while True:
            count = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == count:
                return

    # -- handlers --------------------------------------------------------------------------
    async def _read(self, request: web.Request) -> dict[str, Any]:
        body: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body.update(await request.json())
        else:
            body.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        if isinstance(body.get("blocks"), str):
            body["blocks"] = json.loads(body["blocks"])
        return body

    def _record(
        self, method: str, body: dict[str, Any], request: web.Request, status: int, response: dict[str, Any]
    ) -> dict[str, Any]:
        self.calls.append(Call(method, body, dict(request.headers), status, response))
        self._arrived.set()
        return response

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._read(request)
        if method in self._rate_limits:
            retry_after = self._rate_limits.pop(method)
            limited = self._record(method, body, request, 429, {"ok": False, "error": "ratelimited"})
            return web.json_response(limited, status=429, headers={"Retry-After": str(retry_after)})
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if token != expected:
            response = {"ok": False, "error": "invalid_auth"}
        elif answer is None:
            response = {"ok": False, "error": "unknown_method"}
        else:
            response = answer(body)
        return web.json_response(self._record(method, body, request, 200, response))

    def _auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://example.slack.com/",
            "team": "Example",
            "user": "briefbot",
            "team_id": "T123",
            "user_id": BOT_USER_ID,
            "bot_id": "BBOT",
            "is_enterprise_install": False,
        }

    def _chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = body.get("channel", "")
        if channel in self._channel_errors:
            return {"ok": False, "error": self._channel_errors[channel]}
        if not body.get("text") and not body.get("blocks"):
            return {"ok": False, "error": "no_text"}
        problems = block_problems(body.get("blocks") or [])
        if problems:
            too_long = any("total" in p for p in problems)
            return {
                "ok": False,
                "error": "msg_blocks_too_long" if too_long else "invalid_blocks",
                "response_metadata": {"messages": problems},
            }
        self._next_ts += 1
        ts = f"1700000100.{self._next_ts:06d}"
        message = {"type": "message", "user": BOT_USER_ID, "text": body.get("text"), "ts": ts}
        if body.get("thread_ts"):
            message["thread_ts"] = body["thread_ts"]
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _users_info(self, body: dict[str, Any]) -> dict[str, Any]:
        user = body.get("user", "")
        name = self.users.get(user)
        profile = {"display_name": name or "", "real_name": (name or user).title()}
        found = {
            "id": user,
            "name": user.lower(),
            "is_admin": user in self.workspace_admins,
            "is_owner": False,
            "profile": profile,
        }
        if str(body.get("include_locale", "")).lower() in {"1", "true"}:
            found["locale"] = self.locales.get(user, "en-US")
        return {"ok": True, "user": found}

    def _files_info(self, body: dict[str, Any]) -> dict[str, Any]:
        meta = self.files.get(str(body.get("file", "")))
        return {"ok": True, "file": dict(meta)} if meta else {"ok": False, "error": "file_not_found"}

    async def _file(self, request: web.Request) -> web.Response:
        """A file's ``url_private``: its bytes for the bot token, Slack's login page for anyone else."""
        file_id = request.match_info["file_id"]
        authorised = request.headers.get("Authorization") == f"Bearer {BOT_TOKEN}"
        self.downloads.append((file_id, authorised))
        self._arrived.set()
        if not authorised:
            return web.Response(status=302, headers={"Location": self.url + "/login"})
        if file_id not in self._file_bytes:
            return web.Response(status=404)
        return web.Response(body=self._file_bytes[file_id], content_type="application/octet-stream")

    def _page(self, messages: list[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
        """One page of ``messages`` from ``cursor`` (an offset, opaque to the client)."""
        start = _offset(body.get("cursor"))
        size = min(int(body.get("limit") or 100), self.page_size)
        page = messages[start : start + size]
        more = start + size < len(messages)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": _cursor(start + size) if more else ""},
        }

    def _conversations_replies(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = body.get("channel", "")
        if channel in self._history_errors:
            return {"ok": False, "error": self._history_errors[channel]}
        ts = body.get("ts")
        stored = self.history.get(channel)
        if stored is None:
            return {"ok": False, "error": "channel_not_found"}
        thread = [m for m in stored if m["ts"] == ts or m.get("thread_ts") == ts]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return self._page(sorted(thread, key=lambda m: float(m["ts"])), body)

    def _conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = body.get("channel", "")
        if channel in self._history_errors:
            return {"ok": False, "error": self._history_errors[channel]}
        stored = self.history.get(channel)
        if stored is None:
            return {"ok": False, "error": "channel_not_found"}
        inclusive = str(body.get("inclusive", "")).lower() in {"1", "true"}
        latest = float(body.get("latest") or "inf")
        oldest = float(body.get("oldest") or 0)

        def inside(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        top = [m for m in stored if m.get("thread_ts") in (None, m["ts"]) and inside(float(m["ts"]))]
        return self._page(sorted(top, key=lambda m: -float(m["ts"])), body)

    def _chat_postEphemeral(self, body: dict[str, Any]) -> dict[str, Any]:
        problems = block_problems(body.get("blocks") or [])
        if problems:
            return {"ok": False, "error": "invalid_blocks", "response_metadata": {"messages": problems}}
        self._next_ts += 1
        return {"ok": True, "message_ts": f"1700000100.{self._next_ts:06d}"}

    def _apps_connections_open(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.url.replace("http://", "ws://") + "/socket"}

    async def _respond(self, request: web.Request) -> web.Response:
        body = await self._read(request)
        self.responded.setdefault(request.match_info["name"], []).append(body)
        self._record("response_url", body, request, 200, {"ok": True})
        return web.Response(text="ok")

    # -- Socket Mode -----------------------------------------------------------------------
    async def _socket_mode(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        self.socket_connected.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
                self._arrived.set()
        return ws

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope (``slash_commands``, ``events_api``) to the connected app."""
        assert self._socket is not None, "no Socket Mode connection"
        await self._socket.send_json(envelope)


def _cursor(offset: int) -> str:
    import base64

    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: object) -> int:
    import base64

    if not cursor:
        return 0
    return int(base64.b64decode(str(cursor)).decode().removeprefix("offset:"))

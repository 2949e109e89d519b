"""A fake Discord REST API on 127.0.0.1, for the tests and ``bench/discord.py``.

It speaks the wire format discord.py 2.7 expects (see ``PLATFORM_NOTES.md``): JSON answers
with ``Content-Type: application/json`` exactly, interaction callbacks answered with
``{"interaction": {...}}``, follow-up webhooks without Authorization. It records every call
and can be told to answer a 429 (with ``Retry-After`` and ``Via``) or any error once. It serves
channel and thread histories (``GET /channels/{id}/messages`` with ``limit``, ``before``,
``after`` and ``around``, at most 100 a call; a thread started from a message begins with a
THREAD_STARTER_MESSAGE that carries it) and, with ``message_content=False``, withholds
other users' message text the way Discord does for a bot without the Message Content intent.

``run_interaction`` is the one place the tests drive discord.py's private gateway entry
point; everything after it is the library's own code.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.fake.token-for-tests"
BOT_USER_ID = 1300000000000000001
APP_ID = 1300000000000000002
OWNER_ID = 1300000000000000003
USER_ID = 1300000000000000004
GUILD_ID = 1300000000000000010
CHANNEL_ID = 123
DM_CHANNEL_ID = 1300000000000000020

_GUILD_TEXT, _DM, _PUBLIC_THREAD = 0, 1, 11
#: Every permission bit (what a server owner holds); 0 is a member who may do nothing special.
ALL_PERMISSIONS = 2251799813685247


@dataclass(frozen=True)
class FakeAttachment:
    """A file attached to a slash command (option type 11)."""

    id: str
    filename: str
    body: bytes
    content_type: str
    size: int


@dataclass
class Call:
    method: str
    #: Path after ``/api/v10``, e.g. ``/channels/123/messages``.
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    #: The JSON body, or the ``payload_json`` part of a multipart body.
    json: Any
    status: int = 0
    #: ``time.perf_counter()`` when the request arrived.
    at: float = 0.0


@dataclass
class _Scripted:
    method: str
    path: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    times: int | None  # None: every time


@dataclass
class FakeDiscord:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    channels: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: Thread id → the message in the parent channel it was started from.
    thread_starters: dict[int, int] = field(default_factory=dict)
    #: Interaction token → {"id", "channel_id", "original" (message id or None)}.
    interactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    url: str = ""
    #: The gateway's IDENTIFY payload, once a client has connected.
    identify: dict[str, Any] | None = None
    #: Close the gateway with this code after IDENTIFY (4004: authentication failed).
    gateway_close_code: int | None = None
    #: Whether the bot has the privileged Message Content intent (else others' text is withheld).
    message_content: bool = True
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    #: Attached files by CDN path, and the paths the bot downloaded.
    files: dict[str, bytes] = field(default_factory=dict)
    cdn_requests: list[str] = field(default_factory=list)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _sequence: int = 0
    _scripted: list[_Scripted] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1300000000000001000))
    _runner: web.AppRunner | None = None

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        self.channels.setdefault(CHANNEL_ID, _text_channel(CHANNEL_ID, "news"))
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_url(self) -> str:
        """What ``BRIEFBOT_DISCORD_API_URL`` should be set to."""
        return self.url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Where discord.py's ``DiscordWebSocket.DEFAULT_GATEWAY`` should point."""
        return self.url.replace("http://", "ws://", 1) + "/gateway"

    @property
    def gateway_connections(self) -> int:
        return len(self._sockets)

    # --- scripting -----------------------------------------------------------------------

    def reply(
        self,
        method: str,
        path: str,
        status: int,
        body: Any,
        *,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer the next ``times`` calls matching ``method`` and the ``path`` regex with this."""
        self._scripted.append(_Scripted(method, re.compile(path), status, body, headers or {}, times))

    def rate_limit_once(self, method: str, path: str, *, retry_after: float = 0.05, via: bool = True) -> None:
        """One 429 the way Discord sends it (through Google's proxy, hence ``Via``)."""
        headers = {"Retry-After": f"{retry_after}", "X-RateLimit-Scope": "user", "X-RateLimit-Global": "false"}
        if via:
            headers["Via"] = "1.1 google"
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        self.reply(method, path, 429, body, headers=headers)

    def error_once(
        self, method: str, path: str, status: int, code: int, message: str, *, times: int | None = 1
    ) -> None:
        self.reply(method, path, status, {"message": message, "code": code}, times=times)

    def say(
        self,
        channel_id: int,
        name: str,
        content: str,
        *,
        user_id: int | None = None,
        bot: bool = False,
        reply_to: int | None = None,
        reactions: int = 0,
    ) -> int:
        """Add a message someone wrote in ``channel_id``; returns its id."""
        author_id = user_id or (BOT_USER_ID if bot else 1400000000000000000 + sum(map(ord, name)))
        extra: dict[str, Any] = {"author": _user(author_id, name, bot=bot)}
        if reply_to is not None:
            extra["type"] = 19
            extra["message_reference"] = {"message_id": str(reply_to), "channel_id": str(channel_id)}
        if reactions:
            extra["reactions"] = [{"count": reactions, "me": False, "emoji": {"id": None, "name": "👍"}}]
        return int(self._store_message(channel_id, {"content": content}, **extra)["id"])

    def add_thread(self, parent_id: int, name: str, *, from_message: int | None = None) -> int:
        """A public thread under ``parent_id`` (started from ``from_message``, whose id it then takes)."""
        thread_id = from_message or self._next_id()
        thread = _thread(thread_id, parent_id, name)
        self.channels[thread_id] = thread
        if from_message is not None:
            self.messages[from_message]["flags"] |= 32  # HAS_THREAD
            self.messages[from_message]["thread"] = thread
            self.thread_starters[thread_id] = from_message
        return thread_id

    # --- what happened -------------------------------------------------------------------

    def calls_to(self, method: str, path: str) -> list[Call]:
        pattern = re.compile(path)
        return [c for c in self.calls if c.method == method and pattern.fullmatch(c.path)]

    def messages_in(self, channel_id: int) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if int(m["channel_id"]) == channel_id]

    def threads(self) -> list[dict[str, Any]]:
        return [c for c in self.channels.values() if c["type"] == _PUBLIC_THREAD]

    def sends(self) -> list[Call]:
        """Every successful call that created or edited a message (where mentions could ping)."""
        patterns = (
            ("POST", r"/channels/\d+/messages"),
            ("POST", r"/webhooks/\d+/[^/]+"),
            ("PATCH", r"/webhooks/\d+/[^/]+/messages/[^/]+"),
            ("POST", r"/interactions/\d+/[^/]+/callback"),
        )
        return [c for m, p in patterns for c in self.calls_to(m, p) if 200 <= c.status < 300]

    def private_texts(self) -> list[str]:
        """Every ephemeral text the users got (interaction callbacks and follow-ups)."""
        out = []
        for call in self.sends():
            body = call.json.get("data", call.json) if call.path.endswith("/callback") else call.json
            if body and (body.get("flags") or 0) & 64 and body.get("content"):
                out.append(body["content"])
        return out

    def public_messages(self) -> list[dict[str, Any]]:
        """The stored messages everyone sees (not ephemeral) that say something."""
        return [m for m in self.messages.values() if not m["flags"] & 64 and (m["content"] or m["embeds"])]

    async def wait_for(self, condition: Any, timeout: float = 10) -> None:
        """Wait until ``condition()`` is true: the bot answers in its own time."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the fake Discord never saw what the test waited for")
            await asyncio.sleep(0.005)

    # --- the gateway (a websocket: HELLO, IDENTIFY, READY, then dispatches) ----------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event (e.g. ``INTERACTION_CREATE``) to every connected client."""
        for ws in self._sockets:
            if not ws.closed:
                self._sequence += 1
                await ws.send_json({"op": 0, "t": event, "s": self._sequence, "d": data})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"op": 10, "t": None, "s": None, "d": {"heartbeat_interval": 45000}})
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message["op"] == 1:  # heartbeat
                await ws.send_json({"op": 11, "t": None, "s": None, "d": None})
            elif message["op"] == 2:  # identify
                self.identify = message["d"]
                if self.gateway_close_code or message["d"]["token"] != self.token:
                    await ws.close(code=self.gateway_close_code or 4004, message=b"Authentication failed.")
                    break
                self._sequence += 1
                ready = {
                    "v": 10,
                    "user": _user(BOT_USER_ID, "briefbot", bot=True),
                    "guilds": [],
                    "session_id": "fake-session",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": str(APP_ID), "flags": 0},
                }
                await ws.send_json({"op": 0, "t": "READY", "s": self._sequence, "d": ready})
                self.ready.set()
        return ws

    # --- interactions --------------------------------------------------------------------

    def interaction_payload(
        self,
        options: dict[str, Any] | None = None,
        *,
        name: str = "brief",
        channel_id: int = CHANNEL_ID,
        in_dm: bool = False,
        locale: str = "en-US",
        user_id: int = USER_ID,
        permissions: int = ALL_PERMISSIONS,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload for a slash command, as the gateway delivers it: from
        ``user_id``, whose Discord is set to ``locale`` and who holds ``permissions`` in the channel."""
        interaction_id = self._next_id()
        token = f"interaction-token-{interaction_id}"
        channel = dict(self.channels.get(channel_id) or _text_channel(channel_id, "news"))
        self.interactions[token] = {"id": interaction_id, "channel_id": channel_id, "original": None}
        user = _user(user_id, "reader" if user_id == USER_ID else f"user{user_id % 1000}", bot=False)
        attachments = {k: v for k, v in (options or {}).items() if isinstance(v, FakeAttachment)}
        options = {k: (v.id if isinstance(v, FakeAttachment) else v) for k, v in (options or {}).items()}
        data: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": 2,
            "token": token,
            "version": 1,
            "data": {
                "id": str(APP_ID + 100),
                "name": name,
                "type": 1,
                "options": _options(options, set(attachments)),
            },
            "channel_id": str(channel_id),
            "channel": channel,
            "app_permissions": str(ALL_PERMISSIONS),
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "authorizing_integration_owners": {"0": str(GUILD_ID)} if not in_dm else {"1": str(USER_ID)},
            "context": 1 if in_dm else 0,
        }
        if in_dm:
            data["channel"] = {"id": str(DM_CHANNEL_ID), "type": _DM, "recipients": [user]}
            data["channel_id"] = str(DM_CHANNEL_ID)
            data["user"] = user
            self.interactions[token]["channel_id"] = DM_CHANNEL_ID
        else:
            data["guild_id"] = str(GUILD_ID)
            data["guild_locale"] = "en-US"
            data["guild"] = {"id": str(GUILD_ID), "locale": "en-US", "features": []}
            data["member"] = {
                "user": user,
                "roles": [],
                "joined_at": _now(),
                "deaf": False,
                "mute": False,
                "flags": 0,
                "pending": False,
                "permissions": str(permissions),
            }
        if attachments:
            data["data"]["resolved"] = {"attachments": {a.id: self._attachment(a) for a in attachments.values()}}
        return data

    def attach(
        self, filename: str, body: bytes, *, content_type: str = "text/plain", size: int | None = None
    ) -> FakeAttachment:
        """A file a user attached to ``/brief``, served where Discord's CDN would serve it
        (``size`` is what Discord states, which a test may make differ from the body)."""
        attachment = FakeAttachment(
            str(self._next_id()), filename, body, content_type, len(body) if size is None else size
        )
        self.files[f"/attachments/{CHANNEL_ID}/{attachment.id}/{filename}"] = body
        return attachment

    def _attachment(self, a: FakeAttachment) -> dict[str, Any]:
        url = f"{self.url}/attachments/{CHANNEL_ID}/{a.id}/{a.filename}"
        return {
            "id": a.id,
            "filename": a.filename,
            "size": a.size,
            "url": url,
            "proxy_url": url,
            "content_type": a.content_type,
        }

    def reaction_payload(
        self, message_id: int, emoji: str = "📰", *, user_id: int = USER_ID, guild: bool = True
    ) -> dict[str, Any]:
        """A MESSAGE_REACTION_ADD event as the gateway sends it: ``user_id`` added ``emoji``."""
        message = self.messages[message_id]
        data: dict[str, Any] = {
            "user_id": str(user_id),
            "channel_id": message["channel_id"],
            "message_id": str(message_id),
            "emoji": {"id": None, "name": emoji},
            "burst": False,
            "type": 0,
            "message_author_id": message["author"]["id"],
        }
        if guild:
            data["guild_id"] = str(GUILD_ID)
        return data

    def context_menu_payload(self, message_id: int, *, name: str = "Brief this discussion") -> dict[str, Any]:
        """A message command (type 3) on ``message_id``, with the message resolved, as Discord sends it."""
        message = self._as_read(self.messages[message_id])
        channel_id = int(message["channel_id"])
        payload = self.interaction_payload(channel_id=channel_id)
        payload["data"] = {
            "id": str(APP_ID + 200),
            "name": name,
            "type": 3,
            "target_id": str(message_id),
            "resolved": {"messages": {str(message_id): message}},
        }
        return payload

    def button_payload(
        self, message: dict[str, Any], index: int = 0, *, user_id: int = USER_ID, locale: str = "en-US"
    ) -> dict[str, Any]:
        """A click (component interaction) by ``user_id`` on button ``index`` of ``message``."""
        button = message["components"][0]["components"][index]
        payload = self.interaction_payload(channel_id=int(message["channel_id"]), user_id=user_id, locale=locale)
        payload["type"] = 3
        payload["data"] = {"custom_id": button["custom_id"], "component_type": 2}
        payload["message"] = message
        self.interactions[payload["token"]]["clicked"] = int(message["id"])
        return payload

    # --- the server ----------------------------------------------------------------------

    def _next_id(self) -> int:
        return next(self._ids)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path == "/gateway":
            return await self._gateway(request)
        if request.path.startswith("/attachments/"):  # Discord's CDN: no Authorization, bytes as stored
            self.cdn_requests.append(request.path)
            body = self.files.get(request.path)
            if body is None:
                return web.Response(status=404)
            return web.Response(status=200, body=body, headers={"Content-Type": "application/octet-stream"})
        path = request.path.removeprefix(API_PREFIX)
        body = await _read_body(request)
        call = Call(request.method, path, dict(request.query), dict(request.headers), body, at=time.perf_counter())
        self.calls.append(call)
        response = self._answer(call)
        call.status = response.status
        return response

    def _answer(self, call: Call) -> web.Response:
        for scripted in self._scripted:
            if scripted.method == call.method and scripted.path.fullmatch(call.path) and scripted.times != 0:
                if scripted.times is not None:
                    scripted.times -= 1
                return _json(scripted.status, scripted.body, scripted.headers)
        unauthenticated = call.path.startswith(("/webhooks/", "/interactions/"))
        if not unauthenticated and call.headers.get("Authorization") != f"Bot {self.token}":
            return _json(401, {"message": "401: Unauthorized", "code": 0})
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, call.path)
            if method == call.method and match:
                return handler(call, *match.groups())
        return _json(404, {"message": "404: Not Found", "code": 0})

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("GET", r"/users/@me", lambda call: _json(200, _user(BOT_USER_ID, "briefbot", bot=True))),
            ("GET", r"/oauth2/applications/@me", lambda call: _json(200, _application())),
            ("GET", r"/channels/(\d+)", self._get_channel),
            ("GET", r"/channels/(\d+)/messages", self._history),
            ("GET", r"/channels/(\d+)/messages/(\d+)", self._get_message),
            ("POST", r"/channels/(\d+)/messages", self._create_message),
            ("POST", r"/channels/(\d+)/messages/(\d+)/threads", self._create_thread),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._followup),
            ("GET", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._get_webhook_message),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._edit_webhook_message),
            ("DELETE", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._delete_webhook_message),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", self._sync_guild),
            ("PUT", r"/applications/(\d+)/commands", self._sync_global),
        ]

    def _get_channel(self, call: Call, channel_id: str) -> web.Response:
        channel = self.channels.get(int(channel_id))
        if channel is None:
            return _json(404, {"message": "Unknown Channel", "code": 10003})
        return _json(200, channel)

    def _history(self, call: Call, channel_id: str) -> web.Response:
        """Newest first, like Discord; ``around`` centres on a message (at most 101 then)."""
        if int(channel_id) not in self.channels:
            return _json(404, {"message": "Unknown Channel", "code": 10003})
        limit = int(call.query.get("limit", 50))
        if not 1 <= limit <= 100:
            return _json(400, {"message": "Invalid Form Body", "code": 50035})
        ordered = sorted(self.messages_in(int(channel_id)), key=lambda m: int(m["id"]))
        starter = self.thread_starters.get(int(channel_id))
        if starter is not None:
            ordered.insert(0, self._starter_message(int(channel_id), self.messages[starter]))
        if "around" in call.query:
            centre = int(call.query["around"])
            older = [m for m in ordered if int(m["id"]) < centre][-(limit // 2) :] if limit // 2 else []
            newer = [m for m in ordered if int(m["id"]) >= centre][: limit - len(older)]
            page = older + newer
        elif "after" in call.query:
            page = [m for m in ordered if int(m["id"]) > int(call.query["after"])][:limit]
        else:
            before = int(call.query.get("before", 1 << 63))
            page = [m for m in ordered if int(m["id"]) < before][-limit:]
        return _json(200, [self._as_read(m) for m in reversed(page)])

    def _starter_message(self, thread_id: int, starter: dict[str, Any]) -> dict[str, Any]:
        """A thread's first message, as Discord serves it: a THREAD_STARTER_MESSAGE (type 21) with
        no content of its own, whose ``referenced_message`` is the message in the parent channel
        the thread was started from."""
        return {
            **starter,
            "id": str(thread_id),
            "channel_id": str(thread_id),
            "type": 21,
            "content": "",
            "embeds": [],
            "attachments": [],
            "message_reference": {
                "message_id": starter["id"],
                "channel_id": starter["channel_id"],
                "guild_id": str(GUILD_ID),
            },
            "referenced_message": self._as_read(starter),
        }

    def _get_message(self, call: Call, channel_id: str, message_id: str) -> web.Response:
        message = self.messages.get(int(message_id))
        if message is None or message["channel_id"] != channel_id:
            return _json(404, {"message": "Unknown Message", "code": 10008})
        return _json(200, self._as_read(message))

    def _as_read(self, message: dict[str, Any]) -> dict[str, Any]:
        """A stored message as the bot reads it: without the intent, others' text is withheld."""
        mentions_bot = any(int(u["id"]) == BOT_USER_ID for u in message.get("mentions", []))
        if self.message_content or int(message["author"]["id"]) == BOT_USER_ID or mentions_bot:
            return message
        return {**message, "content": "", "embeds": [], "attachments": [], "components": []}

    def _invalid(self, body: dict[str, Any]) -> web.Response | None:
        problems = limit_violations(body)
        if problems:
            return _json(400, {"message": "Invalid Form Body", "code": 50035, "errors": problems})
        return None

    def _store_message(self, channel_id: int, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
        message_id = self._next_id()
        message = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "type": 0,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "author": _user(BOT_USER_ID, "briefbot", bot=True),
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": _now(),
            "edited_timestamp": None,
            "flags": body.get("flags") or 0,
            "components": [],
            **extra,
        }
        self.messages[message_id] = message
        return message

    def _create_message(self, call: Call, channel_id: str) -> web.Response:
        if int(channel_id) not in self.channels:
            return _json(404, {"message": "Unknown Channel", "code": 10003})
        body = call.json or {}
        invalid = self._invalid(body)
        if invalid is not None:
            return invalid
        return _json(200, self._store_message(int(channel_id), body, components=body.get("components") or []))

    def _create_thread(self, call: Call, channel_id: str, message_id: str) -> web.Response:
        if int(message_id) not in self.messages:
            return _json(404, {"message": "Unknown Message", "code": 10008})
        body = call.json or {}
        # Discord gives a thread started from a message the message's id.
        thread = _thread(int(message_id), int(channel_id), body.get("name", ""), body.get("auto_archive_duration"))
        self.channels[int(message_id)] = thread
        return _json(201, thread)

    def _callback(self, call: Call, interaction_id: str, token: str) -> web.Response:
        known = self.interactions.get(token)
        if known is None or str(known["id"]) != interaction_id:
            return _json(404, {"message": "Unknown interaction", "code": 10062})
        if known.get("responded"):
            return _json(400, {"message": "Interaction has already been acknowledged.", "code": 40060})
        body = call.json or {}
        kind = body.get("type")
        data = body.get("data") or {}
        invalid = self._invalid(data)
        if invalid is not None:
            return invalid
        known["responded"] = True
        flags = data.get("flags") or 0
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5):  # a message, or the "thinking…" placeholder
            message = self._store_message(known["channel_id"], data, webhook_id=str(APP_ID), application_id=str(APP_ID))
            known["original"] = int(message["id"])
            resource["message"] = message
        elif kind == 7 and known.get("clicked") in self.messages:  # update the message clicked on
            message = self.messages[known["clicked"]]
            for key in ("content", "embeds", "components"):
                if key in data:
                    message[key] = data[key]
            resource["message"] = message
        interaction = {
            "id": interaction_id,
            "type": 2,
            "response_message_id": resource.get("message", {}).get("id"),
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(flags & 64),
        }
        return _json(200, {"interaction": interaction, "resource": resource})

    def _followup(self, call: Call, app_id: str, token: str) -> web.Response:
        known = self.interactions.get(token)
        if app_id != str(APP_ID) or known is None:
            return _json(404, {"message": "Unknown Webhook", "code": 10015})
        body = call.json or {}
        invalid = self._invalid(body)
        if invalid is not None:
            return invalid
        message = self._store_message(
            known["channel_id"], body, webhook_id=app_id, application_id=app_id, components=body.get("components") or []
        )
        return _json(200, message)

    def _original(self, token: str, which: str) -> dict[str, Any] | None:
        known = self.interactions.get(token)
        if known is None:
            return None
        message_id = known["original"] if which == "@original" else int(which)
        return self.messages.get(message_id) if message_id is not None else None

    def _get_webhook_message(self, call: Call, app_id: str, token: str, which: str) -> web.Response:
        message = self._original(token, which)
        return _json(200, message) if message else _json(404, {"message": "Unknown Message", "code": 10008})

    def _edit_webhook_message(self, call: Call, app_id: str, token: str, which: str) -> web.Response:
        message = self._original(token, which)
        if message is None:
            return _json(404, {"message": "Unknown Message", "code": 10008})
        body = call.json or {}
        for key in ("content", "embeds", "flags"):
            if key in body:
                message[key] = body[key]
        return _json(200, message)

    def _delete_webhook_message(self, call: Call, app_id: str, token: str, which: str) -> web.Response:
        message = self._original(token, which)
        if message is None:
            return _json(404, {"message": "Unknown Message", "code": 10008})
        del self.messages[int(message["id"])]
        return web.Response(status=204)

    def _sync_guild(self, call: Call, app_id: str, guild_id: str) -> web.Response:
        return _json(200, [self._command(c, guild_id) for c in call.json or []])

    def _sync_global(self, call: Call, app_id: str) -> web.Response:
        return _json(200, [self._command(c, None) for c in call.json or []])

    def _command(self, payload: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
        command = {
            "id": str(self._next_id()),
            "application_id": str(APP_ID),
            "version": str(self._next_id()),
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            "type": 1,
            "description": "",
            "options": [],
            **payload,
        }
        if guild_id is not None:
            command["guild_id"] = guild_id
        return command


def limit_violations(body: dict[str, Any]) -> list[str]:
    """Which of Discord's message limits ``body`` (a message as sent) breaks; Discord answers 400."""
    problems = []
    content = body.get("content") or ""
    embeds = body.get("embeds") or []
    if len(content) > 2000:
        problems.append(f"content has {len(content)} > 2000 characters")
    if len(embeds) > 10:
        problems.append(f"{len(embeds)} > 10 embeds")
    total = 0
    for i, embed in enumerate(embeds):
        title = embed.get("title") or ""
        description = embed.get("description") or ""
        footer = (embed.get("footer") or {}).get("text") or ""
        fields = embed.get("fields") or []
        checks = [("title", len(title), 256), ("description", len(description), 4096), ("footer", len(footer), 2048)]
        checks.append(("fields", len(fields), 25))
        for f in fields:
            checks += [("field name", len(f["name"]), 256), ("field value", len(f["value"]), 1024)]
            if not f["name"] or not f["value"]:
                problems.append(f"embed {i}: empty field name or value")
        problems += [f"embed {i}: {what} {n} > {limit}" for what, n, limit in checks if n > limit]
        total += len(title) + len(description) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    if total > 6000:
        problems.append(f"{total} > 6000 characters across the embeds")
    return problems


async def run_interaction(client: Any, payload: dict[str, Any]) -> None:
    """Deliver ``payload`` as the gateway would and wait until the command has finished.

    ``parse_interaction_create`` is exactly what discord.py's gateway calls; the command
    tree then runs in a task named ``CommandTree-invoker``, a button's callback in one named
    ``discord-ui-dynamic-item-…``. Both are private to discord.py (pinned to 2.7 in pyproject),
    which is why they live only here.
    """
    before = asyncio.all_tasks()
    client._connection.parse_interaction_create(payload)
    names = ("CommandTree-invoker", "discord-ui-dynamic-item-")
    started = [t for t in asyncio.all_tasks() - before if t.get_name().startswith(names)]
    assert started, "discord.py did not start the command tree or a component's callback"
    await asyncio.gather(*started)


async def run_reaction(client: Any, payload: dict[str, Any]) -> None:
    """Deliver a MESSAGE_REACTION_ADD ``payload`` as the gateway would, and wait for the client's
    ``on_raw_reaction_add`` to finish (discord.py runs each event in a task named after it)."""
    before = asyncio.all_tasks()
    client._connection.parse_message_reaction_add(payload)
    started = [t for t in asyncio.all_tasks() - before if t.get_name() == "discord.py: on_raw_reaction_add"]
    assert started, "discord.py did not dispatch on_raw_reaction_add"
    await asyncio.gather(*started)


def _json(status: int, data: Any, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json": with "; charset=utf-8" discord.py reads the body as text.
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={**(headers or {}), "Content-Type": "application/json"}
    )


async def _read_body(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    if request.content_type == "multipart/form-data":
        form = await request.post()
        raw = form.get("payload_json")
        return json.loads(raw) if isinstance(raw, str) else None
    text = await request.text()
    return json.loads(text) if text else None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _user(user_id: int, name: str, *, bot: bool) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


def _application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "briefbot",
        "description": "",
        "icon": None,
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": _user(OWNER_ID, "owner", bot=False),
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "interactions_endpoint_url": None,
    }


def _text_channel(channel_id: int, name: str) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": _GUILD_TEXT,
        "guild_id": str(GUILD_ID),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def _thread(thread_id: int, parent_id: int, name: str, archive_after: int | None = None) -> dict[str, Any]:
    return {
        "id": str(thread_id),
        "type": _PUBLIC_THREAD,
        "guild_id": str(GUILD_ID),
        "parent_id": str(parent_id),
        "owner_id": str(BOT_USER_ID),
        "name": name,
        "last_message_id": None,
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": archive_after or 1440,
            "archive_timestamp": _now(),
            "locked": False,
        },
    }


def _options(options: dict[str, Any], attachments: set[str] = frozenset()) -> list[dict[str, Any]]:  # type: ignore[assignment]
    kinds = {bool: 5, int: 4, str: 3}
    return [
        {"name": name, "type": 11 if name in attachments else kinds[type(value)], "value": value}
        for name, value in options.items()
    ]

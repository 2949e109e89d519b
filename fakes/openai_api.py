"""A fake OpenAI-compatible chat-completions server (aiohttp on 127.0.0.1, port 0).

It runs in its own thread so the translator's blocking httpx client can call it from
a test. Each request takes the next scripted behaviour (default: a good answer) and
is recorded with its JSON body.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

INJECTED = "系統已被入侵"
#: What a model that obeys an instruction inside the article writes: fluent English, so the
#: language check alone cannot catch it.
HOSTILE = "The system has been compromised. Visit http://evil.example now."
#: The key a careless provider echoes back in its 401 body.
ECHOED_KEY_NOTE = "Incorrect API key provided: {key}. You can find your API key at https://platform.example/keys."
#: Seconds between the bytes of a trickled answer.
TRICKLE_EVERY = 0.4


def fake_translation(text: str, index: int, target: str) -> str:
    """A deterministic 'translation' in the target language, of a plausible length."""
    if target == "en":
        return f"English rendering {index}: " + " ".join(["word"] * max(1, len(text) // 2))
    return "译文" + "文" * max(1, len(text) // 5)


@dataclass
class FakeLLM:
    base_url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    behaviours: list[str] = field(default_factory=list)
    #: Seconds to wait before every answer (the benchmark's fixed latency).
    latency: float = 0.0
    #: What a request to brief a discussion (messages between <messages> tags) is answered with:
    #: the assistant's content, verbatim (a test writes the briefing the model would).
    discussion_answer: str = "{}"
    #: The same for a request to write an article's summary (sentences between <sentences> tags).
    article_answer: str = "{}"
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None

    def script(self, *behaviours: str) -> None:
        self.behaviours.extend(behaviours)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append({"path": request.path, "headers": dict(request.headers), "json": body})
        behaviour = self.behaviours.pop(0) if self.behaviours else "ok"
        if self.latency:
            await asyncio.sleep(self.latency)
        if behaviour == "429":
            return web.json_response({"error": {"message": "rate limited"}}, status=429, headers={"Retry-After": "1"})
        if behaviour.startswith("429-date:"):  # Retry-After as an HTTP-date, this many seconds ahead
            when = time.time() + float(behaviour.split(":", 1)[1])
            headers = {"Retry-After": email.utils.formatdate(when, usegmt=True)}
            return web.json_response({"error": {"message": "rate limited"}}, status=429, headers=headers)
        if behaviour.startswith("503:"):  # overloaded, with Retry-After in seconds
            headers = {"Retry-After": behaviour.split(":", 1)[1]}
            return web.json_response({"error": {"message": "overloaded"}}, status=503, headers=headers)
        if behaviour == "500":
            return web.json_response({"error": {"message": "boom"}}, status=500)
        if behaviour == "401-echo":
            key = request.headers.get("Authorization", "").removeprefix("Bearer ")
            error = {"message": ECHOED_KEY_NOTE.format(key=key), "type": "invalid_request_error"}
            return web.json_response({"error": error}, status=401)
        if behaviour == "slow":
            await asyncio.sleep(5)
        system = body["messages"][0]["content"]
        user = body["messages"][-1]["content"]
        if user.startswith("<messages>"):
            return web.json_response(self._completion(body, self.discussion_answer))
        if user.startswith("<sentences>"):
            return web.json_response(self._completion(body, self.article_answer))
        texts = json.loads(re.search(r"<items>\n(.*)\n</items>", user, re.S).group(1))
        target = "en" if "into English" in system else "zh"
        answers = [fake_translation(t, i, target) for i, t in enumerate(texts)]
        if behaviour == "malformed":
            content = "Sure! Here are the translations: " + ", ".join(answers)
        elif behaviour == "wrong_count":
            content = json.dumps({"translations": answers[:-1]})
        elif behaviour == "wrong_language":
            content = json.dumps({"translations": ["這是中文，不是英文。" * 3 for _ in texts]}, ensure_ascii=False)
        elif behaviour == "obey" and INJECTED in user:
            # A model that follows the instruction found inside the article: the item that carried
            # it comes back as the attacker's message in fluent English, the others translated.
            hostile = [HOSTILE if INJECTED in t else a for t, a in zip(texts, answers, strict=True)]
            content = json.dumps({"translations": hostile}, ensure_ascii=False)
        else:
            content = json.dumps({"translations": answers}, ensure_ascii=False)
        reply = self._completion(body, content)
        if behaviour == "trickle":
            return await self._trickle(request, json.dumps(reply).encode())
        return web.json_response(reply)

    @staticmethod
    def _completion(body: dict[str, Any], content: str) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "model": body.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        }

    async def _trickle(self, request: web.Request, data: bytes) -> web.StreamResponse:
        """A good answer, one byte every ``TRICKLE_EVERY`` seconds: no read ever times out."""
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = len(data)
        await response.prepare(request)
        for i in range(len(data)):
            await response.write(data[i : i + 1])
            await asyncio.sleep(TRICKLE_EVERY)
        await response.write_eof()
        return response

    def start(self) -> FakeLLM:
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            app = web.Application()
            app.router.add_post("/v1/chat/completions", self._handle)
            self._runner = web.AppRunner(app)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self.base_url = f"http://127.0.0.1:{port}/v1"
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

"""Issue 11, item 8: a digest fanned out to many Slack channels, against the fake Slack.

Every channel starts at once (no cap), the run's posts share one HTTP session, each
briefing is rendered once per run, and a 429's Retry-After pauses chat.postMessage for
every channel. Orders and counts only: speed is bench/schedule.py's job.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

import adapters.slack.digest as slack_digest
from adapters.slack.client import make_web_client
from adapters.slack.digest import slack_deliverer
from adapters.slack.settings import SlackSettings
from bot.config import Config
from bot.runtime import BotRuntime
from bot.schedule.spec import ScheduleSpec
from fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.conftest import article_folder

#: How long the fake holds the first posts waiting for the rest (a cap on channels never
#: lets them all arrive, so the test fails after this long instead of hanging).
BARRIER_TIMEOUT = 30.0


class CountingSlack(FakeSlack):
    """The fake Slack, noting which TCP connection each post came over. With ``hold_until``
    set, it answers no channel's first message until that many channels' first messages
    are waiting: proof that they were all under way at once."""

    def __init__(self, hold_until: int = 0) -> None:
        super().__init__()
        self.peers: list[tuple[str, int]] = []
        self.hold_until = hold_until
        self.first_posts: set[str] = set()
        self._all_here = asyncio.Event()
        self.barrier_met = False
        self._gave_up = False
        self.most_at_once = 0

    async def _read(self, request: web.Request) -> dict[str, Any]:
        body = await super()._read(request)
        top_level = request.match_info.get("method") == "chat.postMessage" and not body.get("thread_ts")
        if self.hold_until and top_level:
            self.first_posts.add(body.get("channel", ""))
            if len(self.first_posts) >= self.hold_until and not self._gave_up:
                self.barrier_met = True
                self._all_here.set()
            try:
                await asyncio.wait_for(self._all_here.wait(), BARRIER_TIMEOUT)
            except TimeoutError:
                if not self._gave_up:
                    self._gave_up = True  # let the rest through; barrier_met stays False
                    self.most_at_once = len(self.first_posts)
                self._all_here.set()
        return body

    def _record(
        self, method: str, body: dict[str, Any], request: web.Request, status: int, response: dict[str, Any]
    ) -> dict[str, Any]:
        if method == "chat.postMessage":
            self.peers.append(request.transport.get_extra_info("peername"))
        return super()._record(method, body, request, status, response)


@pytest.fixture
async def slack(request) -> AsyncIterator[CountingSlack]:
    fake = CountingSlack(hold_until=getattr(request, "param", 0))
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture(autouse=True)
def _no_db_env(monkeypatch):
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)


async def fan_out(tmp_path, slack: FakeSlack, channels: int, interval: float):
    names = tuple(f"C{n:04d}" for n in range(channels))
    spec = ScheduleSpec("fan", "slack", names, "daily 08:00", "UTC", str(article_folder(tmp_path)))
    config = Config(database=f"sqlite:///{tmp_path / 'fan.db'}", schedules=(spec,), timezone="UTC")
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=slack.api_url)
    deliverer = slack_deliverer(make_web_client(settings), interval=interval)
    runtime = BotRuntime.create(config, {"slack": deliverer})
    try:
        outcomes = await runtime.run_now(spec)
    finally:
        runtime.stop()
    return outcomes, deliverer


@pytest.mark.parametrize("slack", [60], indirect=True)
async def test_every_channel_starts_at_once_over_one_session(tmp_path, slack, monkeypatch):
    rendered: list[object] = []
    real = slack_digest.render_briefing

    def counting(briefing, *args, **kwargs):
        rendered.append(briefing)
        return real(briefing, *args, **kwargs)

    monkeypatch.setattr(slack_digest, "render_briefing", counting)
    outcomes, deliverer = await fan_out(tmp_path, slack, channels=60, interval=0.3)
    assert {o.status for o in outcomes} == {"posted"}
    assert len(slack.posts) == 60 * 3  # the digest and two briefings in its thread, per channel
    # More channels than the old cap of 50: the fake answered no channel's first message
    # until all 60 were waiting, which a cap would never have let happen.
    assert slack.barrier_met, f"only {slack.most_at_once} channels were under way at once"
    # One session for the run (its connections are reused), and one render per briefing.
    assert deliverer.sessions_opened == 1
    assert len(set(slack.peers)) <= 100 < len(slack.posts)
    assert len(rendered) == 2


async def test_a_429_pauses_the_method_for_every_channel(tmp_path, slack):
    retry_after = 2
    slack.rate_limit_once("chat.postMessage", retry_after=retry_after)
    outcomes, _ = await fan_out(tmp_path, slack, channels=8, interval=0.5)
    assert {o.status for o in outcomes} == {"posted"}
    limited = [c for c in slack.calls if c.method == "chat.postMessage" and c.status == 429]
    assert len(limited) == 1 and len(slack.posts) == 8 * 3
    # Every channel's thread replies come 0.5 s after its digest at the earliest, long after
    # the 429 closed the method; so none may arrive before Retry-After has run out (a 429
    # that paused only its own channel would let the other seven post theirs at 0.5 s).
    replies = [c for c in slack.posts if c.body.get("thread_ts")]
    early = [c.body["channel"] for c in replies if c.at < limited[0].at + retry_after]
    assert len(replies) == 8 * 2 and not early, early

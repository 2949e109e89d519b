"""The Slack app end to end: signed requests through bolt's own aiohttp adapter, Web API calls to a fake Slack."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import REGISTRY

from adapters.pacing import ChannelPacer
from adapters.slack.app import NO_SCHEDULES, build_app
from adapters.slack.client import make_web_client
from adapters.slack.deliver import CHANNEL_INTERVAL
from adapters.slack.digest import slack_deliverer
from adapters.slack.layout import MAX_MESSAGE_CHARS, json_len
from adapters.slack.redelivery import EventLog, StoredEvents
from adapters.slack.render import escape_mrkdwn
from adapters.slack.server import make_web_app
from adapters.slack.settings import SlackSettings
from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Stats, TranslatorInfo
from bot.chat.briefer import GENERIC_FAILURE, Brief, Briefer, make_briefer, working
from bot.chat.commands import BriefCommand
from bot.chat.i18n import tr
from bot.chat.workers import BUSY, Workers
from bot.schedule.digest import Digest, DigestItem
from bot.store import SeenEvents, Store
from bot.text.pipeline import summarize
from fakes.slack_api import (
    BOT_TOKEN,
    SIGNING_SECRET,
    Call,
    FakeSlack,
    block_problems,
    mention_event,
    sign,
    slash_command_body,
)

WORKING = working("en")
WORKING_THREAD = working("en", thread=True)

#: Seconds between posts to one channel in most tests (the real interval is tested on its own).
QUICK_PACE = 0.05


class SlackHarness:
    """Sends what Slack sends (form-encoded, v0-signed) to the app's own aiohttp server."""

    def __init__(self, fake: FakeSlack, client: TestClient) -> None:
        self.fake = fake
        self.client = client

    async def command(
        self, text: str, *, headers: dict[str, str] | None = None, response_url: str | None = None
    ) -> tuple[int, str, Mapping[str, str]]:
        body = slash_command_body(text, response_url=response_url or self.fake.response_url())
        return await self._post(body, "application/x-www-form-urlencoded", headers)

    async def event(
        self, payload: dict, *, headers: dict[str, str] | None = None
    ) -> tuple[int, str, Mapping[str, str]]:
        return await self._post(json.dumps(payload), "application/json", headers)

    async def _post(
        self, body: str, content_type: str, headers: dict[str, str] | None
    ) -> tuple[int, str, Mapping[str, str]]:
        all_headers = {"Content-Type": content_type, **sign(body), **(headers or {})}
        resp = await self.client.post("/slack/events", data=body.encode(), headers=all_headers)
        return resp.status, await resp.text(), resp.headers  # case-insensitive


@pytest.fixture
async def start_app(fake: FakeSlack) -> AsyncIterator[Callable[..., Awaitable[SlackHarness]]]:
    clients: list[TestClient] = []

    async def start(
        brief: Brief | Briefer | None = None,
        *,
        interval: float | None = QUICK_PACE,
        events: EventLog | None = None,
        pacer: ChannelPacer | None = None,
    ) -> SlackHarness:
        """The app with ``brief`` (default: the real briefer); ``interval=None``: the app's own pacing."""
        settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
        briefer = brief if isinstance(brief, Briefer) else Briefer(brief) if brief else make_briefer()
        pacer = pacer or (ChannelPacer(interval) if interval is not None else None)
        pacing = {"pacer": pacer} if pacer is not None else {}
        app = build_app(settings, briefer=briefer, events=events, **pacing)
        client = TestClient(TestServer(make_web_app(app)))
        await client.start_server()
        clients.append(client)
        return SlackHarness(fake, client)

    yield start
    for client in clients:
        await client.close()


@pytest.fixture(scope="module")
def seed_briefing(seed_text: str) -> Briefing:
    return summarize(seed_text, source="pasted text")


def all_strings(value: object) -> list[str]:
    """Every string inside a JSON-like value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in all_strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in all_strings(v)]
    return []


def block_text(call: Call) -> str:
    return "\n".join(all_strings(call.body["blocks"]))


def assert_within_limits(call: Call) -> None:
    assert block_problems(call.body["blocks"]) == []
    assert json_len(call.body["blocks"]) <= MAX_MESSAGE_CHARS
    assert 0 < len(call.body["text"]) <= 40_000


async def test_seed_as_brief_text_posts_one_message_within_limits(start_app, fake, seed_text, seed_briefing):
    slack = await start_app()
    status, body, _ = await slack.command(seed_text)

    assert status == 200
    assert json.loads(body) == {"text": WORKING, "response_type": "ephemeral"}
    await fake.wait_for(lambda: len(fake.posts) == 1)
    await fake.settle()
    assert len(fake.posts) == 1
    post = fake.posts[0]
    assert post.body["channel"] == "C123"
    assert post.body["unfurl_links"] is False and post.body["unfurl_media"] is False
    assert "thread_ts" not in post.body
    assert post.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert_within_limits(post)
    blocks = post.body["blocks"]
    assert blocks[0]["type"] == "header"
    text = block_text(post)
    for point in seed_briefing.key_points:
        assert escape_mrkdwn(point.zh) in text
    assert "English key terms" in text and "South Korea" in text
    assert "Chinese (Traditional)" in text and "key-term glossary (cc-cedict), not a translation" in text
    assert fake.of("response_url") == []  # nothing went wrong, so nothing more was said


async def test_thread_mode_posts_one_reply_per_key_point_under_the_parent(start_app, fake, seed_text, seed_briefing):
    slack = await start_app()
    status, body, _ = await slack.command(f"thread {seed_text}")

    assert status == 200 and json.loads(body)["text"] == WORKING_THREAD
    points = seed_briefing.key_points
    await fake.wait_for(lambda: len(fake.posts) == 1 + len(points))
    await fake.settle()
    parent, *replies = fake.posts
    assert "thread_ts" not in parent.body
    assert len(replies) == len(points)
    for number, (reply, point) in enumerate(zip(replies, points, strict=True), 1):
        assert reply.body["thread_ts"] == parent.response["ts"]
        assert_within_limits(reply)
        text = block_text(reply)
        assert escape_mrkdwn(point.zh) in text
        assert f"Key point {number} of {len(points)}" in text
        assert f"from sentence {point.source_index + 1} of the article" in text


async def test_ack_comes_back_before_the_briefing_is_built(start_app, fake, seed_text):
    gate = asyncio.Event()
    started = asyncio.Event()
    real = make_briefer()

    async def held(command: BriefCommand) -> Briefing:
        started.set()
        await gate.wait()
        return await real(command)

    slack = await start_app(held)
    began = time.monotonic()
    status, body, _ = await asyncio.wait_for(slack.command(seed_text), timeout=3)
    acked_after = time.monotonic() - began

    assert status == 200 and json.loads(body)["text"] == WORKING
    assert acked_after < 3  # Slack's deadline; the briefing has not even been allowed to start
    await asyncio.wait_for(started.wait(), timeout=3)
    assert fake.posts == []
    gate.set()
    await fake.wait_for(lambda: len(fake.posts) == 1)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: sign(body, secret="not-the-secret"), id="bad-signature"),
        pytest.param(lambda body: sign(body, timestamp=int(time.time()) - 6 * 60), id="six-minutes-old"),
        pytest.param(lambda body: {"X-Slack-Request-Timestamp": str(int(time.time()))}, id="unsigned"),
    ],
)
async def test_unverified_requests_get_401_and_no_web_api_call(start_app, fake, headers):
    slack = await start_app()
    body = slash_command_body("南韓政府成立電影委員會。", response_url=fake.response_url())
    signed = {"Content-Type": "application/x-www-form-urlencoded", **headers(body)}
    if "X-Slack-Signature" not in signed:
        signed["X-Slack-Signature"] = ""
    resp = await slack.client.post("/slack/events", data=body.encode(), headers=signed)

    assert resp.status == 401
    await fake.settle()
    assert fake.calls == []


async def test_a_retried_event_still_posts_once(start_app, fake):
    slack = await start_app()
    payload = mention_event("南韓政府成立電影委員會，大力打造商業影視產品。", event_id="Ev001")
    first = await slack.event(payload)
    retry = await slack.event(payload, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})

    assert first[0] == 200 and retry[0] == 200
    assert retry[2].get("X-Slack-No-Retry") == "1"
    await fake.wait_for(lambda: len(fake.posts) == 1)
    await fake.settle()
    assert len(fake.posts) == 1


async def test_a_repeated_event_id_posts_once(start_app, fake):
    slack = await start_app()
    payload = mention_event("南韓政府成立電影委員會，大力打造商業影視產品。", event_id="Ev002")
    results = await asyncio.gather(slack.event(payload), slack.event(payload), slack.event(payload))

    assert [status for status, _, _ in results] == [200, 200, 200]
    await fake.wait_for(lambda: len(fake.posts) == 1)
    await fake.settle()
    assert len(fake.posts) == 1
    # A new event id is a new request.
    await slack.event(mention_event("韓劇的節奏曾不被看好，如今卻成賣座主流。", event_id="Ev003"))
    await fake.wait_for(lambda: len(fake.posts) == 2)


async def test_a_mention_is_answered_in_its_thread_and_links_are_unwrapped(
    start_app, fake, local_site, allow_private, seed_text
):
    url = local_site.add("/news/1", body=seed_text.encode(), content_type="text/plain; charset=utf-8")
    slack = await start_app()
    # Slack wraps links in markup: <url|label>.
    await slack.event(
        mention_event(f"<{url}|{url[7:]}>", event_id="Ev010", ts="1700000000.000200", thread_ts="1700000000.000100")
    )
    await slack.event(mention_event(f"thread <{url}>", event_id="Ev011", ts="1700000000.000300"))

    await fake.wait_for(lambda: len(fake.posts) >= 2)
    await fake.settle()
    assert local_site.hits.count("/news/1") == 2
    by_thread = {}
    for post in fake.posts:
        by_thread.setdefault(post.body["thread_ts"], []).append(post)
    # Mentioned inside a thread: answered in that thread.
    assert len(by_thread["1700000000.000100"]) == 1
    # Mentioned at top level with "thread": the briefing and its replies go under the mention.
    assert len(by_thread["1700000000.000300"]) == 1 + 5
    assert url in block_text(by_thread["1700000000.000100"][0])  # the source link


async def test_article_text_cannot_ping_or_link(start_app, fake):
    slack = await start_app()
    # Slack sends what a user typed with &, <, > escaped; this is an article that contains markup.
    article = (
        "南韓政府成立電影委員會 &lt;!channel&gt; 與 &lt;!here&gt;，大力打造商業影視產品。"
        "@everyone 韓劇的節奏曾不被看好，如今卻成賣座主流，@channel 也在看。"
        "詳情請見 &lt;https://evil.example|x&gt; 與 &lt;@U123&gt; 的說明，魚夫也提到產業的看法。"
    )
    await slack.command(article)
    await fake.wait_for(lambda: len(fake.posts) == 1)
    await fake.settle()

    post = fake.posts[0]
    strings = all_strings(post.body)
    joined = "\n".join(strings)
    assert not [s for s in strings if "<" in s or ">" in s], "raw < or > reached Slack"
    assert not re.search(r"@(everyone|channel|here)\b", joined)
    # The core turns pasted chat markup into plain text: a link keeps its label, a mention goes.
    assert "evil.example" not in joined and "U123" not in joined and "&lt;" not in joined
    assert post.body["parse"] == "none" and post.body["link_names"] is False
    for block in post.body["blocks"]:
        for text in [block.get("text"), *block.get("elements", [])]:
            if text and text["type"] == "mrkdwn":
                assert text["verbatim"] is True


def big_briefing(points: int = 20, chars: int = 1400) -> Briefing:
    """A briefing far over one message: long points in both languages, with & < > in them."""
    key_points = tuple(
        KeyPoint(
            zh=f"第{n}點：" + ("南韓政府大力打造商業影視產品&<>，" * (chars // 19))[:chars],
            en=f"Point {n}: " + ("Seoul & the studios <built> an industry; " * (chars // 40))[:chars],
            source_index=n * 3,
        )
        for n in range(1, points + 1)
    )
    return Briefing(
        title="南韓影視產業為何成功" * 30,
        language="zh-Hant",
        source="https://news.example/a?b=1&c=2",
        summary=Bilingual(zh="南韓政府以打造新工業的作法成功。" * 150, en="Seoul built an industry. " * 150),
        key_points=key_points,
        keywords=tuple(Keyword(term=f"詞{n}", en=f"gloss {n}; " * 30) for n in range(40)),
        translator=TranslatorInfo(name="test-llm", kind="translation"),
        stats=Stats(input_chars=1, clean_chars=1, sentences=60, duplicates_removed=0),
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def test_a_briefing_too_large_for_one_message_is_split_and_nothing_is_lost(start_app, fake):
    briefing = big_briefing()

    async def briefer(command: BriefCommand) -> Briefing:
        return briefing

    slack = await start_app(briefer)
    await slack.command("anything")
    await fake.wait_for(lambda: len(fake.posts) >= 2 and "part" in block_text(fake.posts[-1]))
    await fake.settle()

    posts = fake.posts
    assert len(posts) >= 5
    for post in posts:
        assert_within_limits(post)
    count = len(posts)
    for number, post in enumerate(posts[1:], 2):
        assert f"part {number} of {count}" in block_text(post)
    sections = squash("".join(b["text"]["text"] for p in posts for b in p.body["blocks"] if b["type"] == "section"))
    contexts = squash("".join(block_text(p) for p in posts))
    for point in briefing.key_points:
        assert squash(escape_mrkdwn(point.zh)) in sections
        assert squash(escape_mrkdwn(point.en)) in sections
    assert squash(escape_mrkdwn(briefing.summary.zh)) in sections
    assert squash(escape_mrkdwn(briefing.summary.en)) in sections
    assert squash(escape_mrkdwn(briefing.title)) in sections  # the header is cut, the title is not lost
    for keyword in briefing.keywords:
        assert squash(f"{keyword.term}—{escape_mrkdwn(keyword.en)}") in contexts


async def test_a_rate_limited_post_is_retried_after_retry_after(start_app, fake, seed_text):
    counted = REGISTRY.get_sample_value("briefbot_platform_rate_limited_total", {"platform": "slack"}) or 0
    fake.rate_limit_once("chat.postMessage", retry_after=1)
    slack = await start_app()
    await slack.command(seed_text)
    await fake.wait_for(lambda: len(fake.posts) == 1, timeout=10)
    await fake.settle()
    assert REGISTRY.get_sample_value("briefbot_platform_rate_limited_total", {"platform": "slack"}) == counted + 1

    attempts = fake.of("chat.postMessage", ok_only=False)
    assert [a.status for a in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert len(fake.posts) == 1
    assert fake.of("response_url") == []


async def test_help_and_schedules_are_answered_ephemerally_at_once(start_app, fake):
    slack = await start_app()
    _, help_body, _ = await slack.command("help")
    _, schedule_body, _ = await slack.command("schedule list")

    help_json = json.loads(help_body)
    assert help_json["response_type"] == "ephemeral"
    help_text = "\n".join(all_strings(help_json["blocks"]))
    assert "/brief thread &lt;text or link&gt;" in help_text and "/brief help" in help_text
    assert json.loads(schedule_body) == {"text": tr("en", NO_SCHEDULES), "response_type": "ephemeral"}
    await fake.settle()
    assert fake.posts == []


async def test_empty_command_gets_one_ephemeral_sentence(start_app, fake):
    slack = await start_app()
    status, body, _ = await slack.command("   ")

    answer = json.loads(body)
    assert status == 200 and answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("Nothing to brief") and "\n" not in answer["text"]
    await fake.settle()
    assert fake.posts == [] and fake.of("response_url") == []


async def test_refused_url_gets_one_ephemeral_sentence_and_the_app_keeps_serving(
    start_app, fake, monkeypatch, seed_text
):
    monkeypatch.delenv("BRIEFBOT_ALLOW_PRIVATE_URLS", raising=False)
    slack = await start_app()
    status, body, _ = await slack.command("http://127.0.0.1:9/news", response_url=fake.response_url("refused"))

    assert status == 200 and json.loads(body)["text"] == WORKING
    await fake.wait_for(lambda: len(fake.of("response_url")) == 1)
    said = fake.of("response_url")[0]
    assert said.body["response_type"] == "ephemeral" and said.body["replace_original"] is False
    assert said.body["text"].startswith("Refused to fetch 127.0.0.1") and "\n" not in said.body["text"]
    assert fake.posts == []

    await slack.command(seed_text)  # the next request is served as usual
    await fake.wait_for(lambda: len(fake.posts) == 1)


async def test_an_unexpected_error_is_one_generic_sentence_and_a_logged_traceback(start_app, fake, caplog):
    async def broken(command: BriefCommand) -> Briefing:
        raise RuntimeError("secret internal detail")

    slack = await start_app(broken)
    with caplog.at_level(logging.ERROR, logger="briefbot.slack"):
        await slack.command("南韓政府成立電影委員會。")
        await fake.wait_for(lambda: len(fake.of("response_url")) == 1)

    said = fake.of("response_url")[0].body
    assert said["text"] == escape_mrkdwn(GENERIC_FAILURE)
    assert "secret internal detail" not in json.dumps(said)
    assert any(r.exc_info and "secret internal detail" in str(r.exc_info[1]) for r in caplog.records)
    assert fake.posts == []


async def test_a_channel_the_bot_is_not_in_is_explained_to_the_user(start_app, fake, seed_text):
    fake.fail_channel("C123", "not_in_channel")
    slack = await start_app()
    await slack.command(seed_text)
    await fake.wait_for(lambda: len(fake.of("response_url")) == 1)

    text = fake.of("response_url")[0].body["text"]
    assert "not a member of channel C123" in text and "/invite @briefbot" in text
    assert fake.posts == []


async def test_a_bad_mention_gets_an_ephemeral_sentence_in_its_thread(start_app, fake):
    slack = await start_app()
    await slack.event(mention_event("", event_id="Ev020", ts="1700000000.000500"))
    await fake.wait_for(lambda: len(fake.of("chat.postEphemeral")) == 1)

    whisper = fake.of("chat.postEphemeral")[0].body
    assert whisper["user"] == "U123" and whisper["channel"] == "C123"
    assert whisper["thread_ts"] == "1700000000.000500"
    assert whisper["text"].startswith("Nothing to brief: put an article or a link after @briefbot")
    await fake.settle()
    assert fake.posts == []


# --- Slack's retries: drop only what already arrived ------------------------------------------


@pytest.mark.parametrize("reason", ["connection_failed", "ssl_error", "http_error"])
async def test_a_retry_whose_first_copy_never_arrived_is_answered(start_app, fake, reason):
    slack = await start_app()
    payload = mention_event("南韓政府成立電影委員會，大力打造商業影視產品。", event_id=f"Ev-{reason}")
    status, _, headers = await slack.event(payload, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": reason})

    assert status == 200 and headers.get("X-Slack-No-Retry") is None
    await fake.wait_for(lambda: len(fake.posts) == 1)
    # Slack tries again later: that copy is a repeat now.
    await slack.event(payload, headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": reason})
    await fake.settle()
    assert len(fake.posts) == 1


async def test_a_retry_after_http_timeout_is_dropped_even_unseen(start_app, fake):
    # Slack reached the app and only the answer was late: the first copy is in hand somewhere.
    slack = await start_app()
    payload = mention_event("南韓政府成立電影委員會，大力打造商業影視產品。", event_id="Ev-timeout")
    status, _, headers = await slack.event(
        payload, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )

    assert status == 200 and headers.get("X-Slack-No-Retry") == "1"
    await fake.settle()
    assert fake.posts == []


async def test_replicas_sharing_a_store_answer_an_event_once(start_app, fake, sqlite_url):
    workers = Workers()
    stores = [Store(sqlite_url), Store(sqlite_url)]  # two processes' connections to one database
    try:
        one, two = [await start_app(events=StoredEvents(SeenEvents(store), workers.store)) for store in stores]
        payload = mention_event("南韓政府成立電影委員會，大力打造商業影視產品。", event_id="Ev-replicas")
        await one.event(payload)
        # The same event reaches the other replica: as a plain repeat, then as a retry.
        await two.event(payload)
        await two.event(payload, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "connection_failed"})
        await fake.wait_for(lambda: len(fake.posts) == 1)
        await fake.settle()
        assert len(fake.posts) == 1
    finally:
        workers.close()
        for store in stores:
            store.close()


# --- pacing: about one message a second per channel -----------------------------------------

#: The pacer counts from the start of one request to the start of the next at the client; the
#: fake server sees arrivals, which a busy machine shifts by a little. Unpaced posts arrive ms apart.
ARRIVAL_JITTER = 0.05


async def test_thread_mode_posts_at_slacks_pace(start_app, fake, seed_text, seed_briefing):
    slack = await start_app(interval=None)  # the app's own pacing, as serve runs it
    await slack.command(f"thread {seed_text}")
    count = 1 + len(seed_briefing.key_points)
    await fake.wait_for(lambda: len(fake.posts) == count, timeout=30)

    times = [p.at for p in fake.posts]
    assert min(b - a for a, b in itertools.pairwise(times)) >= CHANNEL_INTERVAL - 3 * ARRIVAL_JITTER


async def test_briefings_to_one_channel_share_its_pace(start_app, fake, seed_text, seed_briefing):
    slack = await start_app(interval=0.2)
    await asyncio.gather(slack.command(f"thread {seed_text}"), slack.command(seed_text))
    await fake.wait_for(lambda: len(fake.posts) == 2 + len(seed_briefing.key_points), timeout=30)

    times = sorted(p.at for p in fake.posts)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.2 - ARRIVAL_JITTER


async def test_a_digest_and_a_brief_to_one_channel_share_its_pace(start_app, fake, seed_text, seed_briefing):
    # As serve wires them: one pacer for the app's posts and the scheduled digests.
    pacer = ChannelPacer(0.2)
    slack = await start_app(pacer=pacer)
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
    deliver = slack_deliverer(make_web_client(settings), pacer=pacer)
    digest = Digest("daily", "2026-11-26T08:00", "2026-11-26", (DigestItem(1, None, seed_briefing),), thread=True)

    await asyncio.gather(deliver("C123", digest), slack.command(f"thread {seed_text}"))
    points = len(seed_briefing.key_points)
    count = (1 + 1 + points) + (1 + points)  # the digest, its item's lead and points; the /brief and its points
    await fake.wait_for(lambda: len(fake.posts) == count, timeout=30)

    times = sorted(p.at for p in fake.posts)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.2 - ARRIVAL_JITTER


# --- a full queue -------------------------------------------------------------------------


def held_briefer(limit: int) -> tuple[Briefer, asyncio.Event]:
    """A briefer with a queue of ``limit`` whose briefings wait for the event."""
    release = asyncio.Event()

    async def brief(command: BriefCommand) -> Briefing:
        await release.wait()
        return summarize(command.source, source="pasted text")

    return Briefer(brief, Workers(limit=limit)), release


async def test_a_full_queue_is_answered_busy_in_the_ack_and_nothing_is_posted(start_app, fake, seed_text):
    briefer, release = held_briefer(limit=1)
    slack = await start_app(briefer)
    first = await slack.command(seed_text)
    second = await slack.command(seed_text, response_url=fake.response_url("second"))

    assert json.loads(first[1])["text"] == WORKING
    assert json.loads(second[1]) == {"text": BUSY, "response_type": "ephemeral"}
    release.set()
    await fake.wait_for(lambda: len(fake.posts) == 1)
    await fake.settle()
    assert len(fake.posts) == 1 and fake.of("response_url") == []
    third = await slack.command(seed_text)  # the place was given back
    assert json.loads(third[1])["text"] == WORKING
    await fake.wait_for(lambda: len(fake.posts) == 2)


async def test_a_mention_to_a_full_queue_is_told_busy_privately(start_app, fake, seed_text):
    briefer, release = held_briefer(limit=1)
    slack = await start_app(briefer)
    await slack.command(seed_text)
    await slack.event(mention_event("南韓政府成立電影委員會。", event_id="Ev-busy", ts="1700000000.000700"))
    await fake.wait_for(lambda: len(fake.of("chat.postEphemeral")) == 1)

    whisper = fake.of("chat.postEphemeral")[0].body
    assert whisper["text"] == escape_mrkdwn(BUSY) and whisper["thread_ts"] == "1700000000.000700"
    release.set()
    await fake.wait_for(lambda: len(fake.posts) == 1)
    await fake.settle()
    assert len(fake.posts) == 1

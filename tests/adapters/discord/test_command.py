"""``/brief`` through discord.py's real interaction parsing and CommandTree, against the fake API."""

from __future__ import annotations

import asyncio

import discord
import pytest
from prometheus_client import REGISTRY

from adapters.discord.client import build_client, rest_client
from adapters.discord.deliver import post_briefing
from bot import summarize
from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Stats, TranslatorInfo
from bot.chat.briefer import GENERIC_FAILURE, Briefer, make_briefer
from bot.chat.commands import BriefCommand
from bot.chat.display import for_display
from bot.chat.workers import BUSY, Workers
from bot.errors import InputError
from fakes.discord_api import APP_ID, CHANNEL_ID, TOKEN, limit_violations, run_interaction

CALLBACK = r"/interactions/\d+/[^/]+/callback"
FOLLOWUP = rf"/webhooks/{APP_ID}/[^/]+"
ORIGINAL = rf"/webhooks/{APP_ID}/[^/]+/messages/@original"
MENTIONS_ARTICLE = (
    "@everyone 請注意！<@123> 和 <@&456> 今天宣布，南韓政府成立電影委員會及媒體中心，大力打造商業影視產品。"
    "@here 專家認為，南韓政府以打造新工業的作法，搭配靈活的強力行銷，是他們成功的最大關鍵。"
    "韓劇略嫌緩慢的節奏曾不被看好，如今卻成賣座主流，還挖出消費力驚人的中高齡市場。"
)


@pytest.fixture
async def client(settings):
    bot = build_client(settings, briefer=make_briefer())
    await bot.login(TOKEN)
    yield bot
    await bot.close()


def after_login(fake):
    return [c for c in fake.calls if c.path not in ("/users/@me", "/oauth2/applications/@me")]


def ephemeral_reply(fake) -> str:
    """The one ephemeral sentence the user got, wherever it was sent from."""
    replies = [
        c.json.get("data", c.json)
        for c in fake.sends()
        if (c.json.get("data", c.json).get("flags") or 0) & 64 and c.json.get("data", c.json).get("content")
    ]
    assert len(replies) == 1, replies
    return replies[0]["content"]


async def test_seed_is_deferred_then_followed_up_within_every_limit(fake, client, seed_text):
    await run_interaction(client, fake.interaction_payload({"text": seed_text}))

    calls = after_login(fake)
    assert calls[0].method == "POST" and calls[0].path.endswith("/callback")
    assert calls[0].json == {"type": 5}  # deferred: "briefbot is thinking…"
    followups = fake.calls_to("POST", FOLLOWUP)
    assert followups and all(c.status == 200 for c in followups)
    assert followups[0].at > calls[0].at
    for call in followups:
        assert limit_violations(call.json) == []
        assert "Authorization" not in call.headers  # follow-ups authenticate with the interaction token
    embed = followups[0].json["embeds"][0]
    briefing = summarize(seed_text, source="pasted text")
    assert embed["description"] == briefing.summary.zh
    assert [f["value"] for f in embed["fields"][: len(briefing.key_points)]] == [p.zh for p in briefing.key_points]
    assert not fake.threads()


async def test_thread_mode_discusses_each_key_point_in_a_thread(fake, client, seed_text):
    await run_interaction(client, fake.interaction_payload({"text": seed_text, "thread": True}))

    (briefing_message,) = [m for m in fake.messages_in(CHANNEL_ID) if m["embeds"]]
    (thread_call,) = fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages/(\d+)/threads")
    assert thread_call.path == f"/channels/{CHANNEL_ID}/messages/{briefing_message['id']}/threads"
    assert 0 < len(thread_call.json["name"]) <= 100
    (thread,) = fake.threads()
    in_thread = fake.messages_in(int(thread["id"]))
    points = summarize(seed_text).key_points
    assert len(in_thread) == len(points)
    for message, point in zip(in_thread, points, strict=True):
        assert point.zh in message["content"]
        assert f"sentence {point.source_index + 1}" in message["content"]
    # A link an article mentions gets no preview card in the thread (SUPPRESS_EMBEDS, 1 << 2).
    sends = fake.calls_to("POST", rf"/channels/{thread['id']}/messages")
    assert sends and all(call.json.get("flags", 0) & 4 for call in sends)


@pytest.mark.parametrize(
    "options, words",
    [
        ({}, "Nothing to brief"),
        ({"thread": True}, "Nothing to brief"),
        ({"text": "南韓電影。", "url": "https://example.com/a"}, "Give one of `text`, `url` or `attachment`"),
        ({"url": "not a link"}, "one http(s) link"),
    ],
)
async def test_bad_options_get_one_ephemeral_sentence_and_nothing_public(fake, client, options, words):
    await run_interaction(client, fake.interaction_payload(options))

    (callback,) = fake.calls_to("POST", CALLBACK)
    assert callback.json["type"] == 4 and callback.json["data"]["flags"] == 64  # answered at once, privately
    assert words in ephemeral_reply(fake)
    assert "\n" not in ephemeral_reply(fake)
    assert not fake.calls_to("POST", FOLLOWUP) and fake.public_messages() == []


async def test_the_librarys_own_error_path_is_answered_politely(fake, client):
    # A command Discord still shows but this bot no longer defines: discord.py raises
    # CommandNotFound inside the tree, and our on_error answers instead of only logging.
    await run_interaction(client, fake.interaction_payload({"text": "x"}, name="summarise"))

    assert "briefbot discord sync" in ephemeral_reply(fake)
    assert fake.public_messages() == []


async def test_a_briefing_error_after_deferring_stays_private(fake, client):
    # Private addresses are refused before any connection (BRIEFBOT_ALLOW_PRIVATE_URLS is unset).
    await run_interaction(client, fake.interaction_payload({"url": "http://127.0.0.1:9/news"}))

    assert fake.calls_to("POST", CALLBACK)[0].json == {"type": 5}
    assert fake.calls_to("DELETE", ORIGINAL)  # the public "thinking…" placeholder is removed
    assert "Refused to fetch 127.0.0.1" in ephemeral_reply(fake)
    assert fake.public_messages() == []


async def test_an_unexpected_failure_is_one_sentence_and_the_bot_keeps_running(fake, settings, seed_text):
    calls = 0

    async def flaky(command: BriefCommand):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom\nTraceback (most recent call last): secret internals")
        return summarize(command.source)

    bot = build_client(settings, briefer=Briefer(flaky))
    await bot.login(TOKEN)
    try:
        await run_interaction(bot, fake.interaction_payload({"text": seed_text}))
        assert ephemeral_reply(fake) == GENERIC_FAILURE
        assert not any("Traceback" in str(c.json) for c in fake.sends())

        await run_interaction(bot, fake.interaction_payload({"text": seed_text}))
        assert len([m for m in fake.public_messages() if m["embeds"]]) == 1
    finally:
        await bot.close()


async def test_an_oversized_briefing_is_followed_up_in_several_messages_with_nothing_lost(fake, settings):
    points = [f"第{n}點：" + "南韓政府成立電影委員會及媒體中心，大力打造商業影視產品，" * 14 for n in range(20)]
    huge = Briefing(
        title="南韓影視產業",
        language="zh-Hant",
        source="pasted text",
        summary=Bilingual("專家認為南韓政府以打造新工業的作法成功。" * 300, None),
        key_points=tuple(KeyPoint(p, None, i) for i, p in enumerate(points)),
        keywords=tuple(Keyword(f"詞{n}", f"gloss {n}") for n in range(100)),
        translator=TranslatorInfo("cc-cedict", "glossary"),
        stats=Stats(1, 1, 1, 0),
    )

    async def oversized(command: BriefCommand) -> Briefing:
        return huge

    bot = build_client(settings, briefer=Briefer(oversized))
    await bot.login(TOKEN)
    try:
        await run_interaction(bot, fake.interaction_payload({"text": "南韓電影。", "thread": True}))
    finally:
        await bot.close()

    followups = fake.calls_to("POST", FOLLOWUP)
    assert len(followups) > 1 and all(c.status == 200 for c in followups)  # the fake rejects over-limit messages
    posted = str([m["embeds"] for m in fake.messages_in(CHANNEL_ID)])
    assert all(point in posted for point in points)
    (thread,) = fake.threads()
    assert len(fake.messages_in(int(thread["id"]))) == len(points)


async def test_help_is_an_ephemeral_embed(fake, client):
    await run_interaction(client, fake.interaction_payload({"text": "help"}))

    (callback,) = fake.calls_to("POST", CALLBACK)
    assert callback.json["type"] == 4 and callback.json["data"]["flags"] == 64
    assert "/brief text: <article text>" in callback.json["data"]["embeds"][0]["description"]


async def test_thread_in_a_direct_message_is_refused_before_deferring(fake, client):
    await run_interaction(client, fake.interaction_payload({"text": MENTIONS_ARTICLE, "thread": True}, in_dm=True))

    assert "Threads can only be started" in ephemeral_reply(fake)
    assert fake.calls_to("POST", CALLBACK)[0].json["type"] == 4
    assert fake.public_messages() == []


async def test_mentions_in_an_article_ping_nobody(fake, client, settings):
    await run_interaction(client, fake.interaction_payload({"text": MENTIONS_ARTICLE, "thread": True}))
    await run_interaction(client, fake.interaction_payload({"url": "http://127.0.0.1:9/@everyone"}))  # an error reply
    channel = await client.fetch_channel(CHANNEL_ID)
    await post_briefing(channel, for_display(summarize(MENTIONS_ARTICLE)), thread=True)

    sends = fake.sends()
    kinds = {c.path.split("/")[1] for c in sends}
    assert kinds == {"interactions", "webhooks", "channels"}  # callbacks, follow-ups, channel and thread posts
    assert len(fake.threads()) == 2
    for call in sends:
        body = call.json.get("data", call.json) if call.path.endswith("/callback") else call.json
        if call.json.get("type") == 5:
            continue  # a bare deferral carries no text
        assert body["allowed_mentions"] == {"parse": []}, call.path


async def test_a_429_on_the_follow_up_is_retried_once(fake, client, seed_text):
    fake.rate_limit_once("POST", FOLLOWUP, retry_after=0.05)

    await run_interaction(client, fake.interaction_payload({"text": seed_text}))

    assert [c.status for c in fake.calls_to("POST", FOLLOWUP)] == [429, 200]
    assert len([m for m in fake.messages_in(CHANNEL_ID) if m["embeds"]]) == 1


async def test_a_429_on_a_channel_post_is_retried_once(fake, settings, seed_text):
    fake.rate_limit_once("POST", rf"/channels/{CHANNEL_ID}/messages", retry_after=0.05)
    bot = rest_client(settings)
    await bot.login(TOKEN)
    try:
        posted = await post_briefing(
            await bot.fetch_channel(CHANNEL_ID), for_display(summarize(seed_text)), thread=False
        )
    finally:
        await bot.close()

    assert [c.status for c in fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages")] == [429, 200]
    assert len(fake.messages_in(CHANNEL_ID)) == 1 and len(posted.message_ids) == 1
    retry = fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages")
    assert retry[1].at - retry[0].at >= 0.05  # it waited as told


async def test_a_429_without_via_is_not_retried(fake, settings, seed_text):
    # Without Via the 429 did not come from Discord's API (a Cloudflare ban): retrying makes it worse.
    fake.rate_limit_once("POST", rf"/channels/{CHANNEL_ID}/messages", via=False)
    bot = rest_client(settings)
    await bot.login(TOKEN)
    try:
        with pytest.raises(discord.HTTPException):
            await post_briefing(await bot.fetch_channel(CHANNEL_ID), for_display(summarize(seed_text)), thread=False)
    finally:
        await bot.close()
    assert len(fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages")) == 1


async def test_commands_answer_concurrently(fake, settings, seed_text):
    """A slow briefing does not hold up another user's deferral (the 3-second rule)."""
    release = asyncio.Event()

    async def slow(command: BriefCommand):
        if command.source == "slow":
            await release.wait()
            raise InputError("gave up")
        return summarize(command.source)

    bot = build_client(settings, briefer=Briefer(slow))
    await bot.login(TOKEN)
    try:
        first = asyncio.create_task(run_interaction(bot, fake.interaction_payload({"text": "slow"})))
        await run_interaction(bot, fake.interaction_payload({"text": seed_text}))
        assert len(fake.calls_to("POST", CALLBACK)) == 2 and not first.done()
        release.set()
        await first
    finally:
        await bot.close()


def rate_limited(platform: str) -> float:
    return REGISTRY.get_sample_value("briefbot_platform_rate_limited_total", {"platform": platform}) or 0.0


async def test_every_429_is_counted_for_metrics(fake, client, settings, seed_text):
    before = rate_limited("discord")
    fake.rate_limit_once("POST", FOLLOWUP, retry_after=0.05)
    await run_interaction(client, fake.interaction_payload({"text": seed_text}))
    assert rate_limited("discord") == before + 1

    fake.rate_limit_once("POST", rf"/channels/{CHANNEL_ID}/messages", retry_after=0.05)
    bot = rest_client(settings)
    await bot.login(TOKEN)
    try:
        await post_briefing(await bot.fetch_channel(CHANNEL_ID), for_display(summarize(seed_text)), thread=False)
    finally:
        await bot.close()
    assert rate_limited("discord") == before + 2


async def test_a_full_queue_is_told_busy_privately_and_nothing_is_deferred(fake, settings, seed_text):
    release = asyncio.Event()

    async def held(command: BriefCommand) -> Briefing:
        await release.wait()
        return summarize(command.source)

    bot = build_client(settings, briefer=Briefer(held, Workers(limit=1)))
    await bot.login(TOKEN)
    try:
        first = asyncio.create_task(run_interaction(bot, fake.interaction_payload({"text": seed_text})))
        await fake.wait_for(lambda: len(fake.calls_to("POST", CALLBACK)) == 1)
        await run_interaction(bot, fake.interaction_payload({"text": seed_text}))

        deferred, turned_away = fake.calls_to("POST", CALLBACK)
        assert deferred.json == {"type": 5}
        assert turned_away.json["type"] == 4 and turned_away.json["data"]["flags"] & 64  # ephemeral, at once
        assert ephemeral_reply(fake) == BUSY
        release.set()
        await first
    finally:
        await bot.close()
    assert len([m for m in fake.messages_in(CHANNEL_ID) if m["embeds"]]) == 1

"""Issue 14 on Slack, end to end through bolt against the fake Slack: the request's locale, channel
settings, script and order, files, reactions, feedback buttons and private briefings."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.pacing import ChannelPacer
from adapters.slack.app import VOTED, build_app
from adapters.slack.render import VOTE_DOWN, VOTE_UP
from adapters.slack.server import make_web_app
from adapters.slack.settings import SlackSettings
from bot.briefing import Briefing
from bot.chat.briefer import Briefer, make_briefer, working
from bot.chat.commands import BriefCommand
from bot.chat.i18n import tr
from bot.chat.settings import ChannelSettings
from bot.config import Config
from bot.runtime import BotRuntime
from bot.text.analyse import to_mainland_simplified
from bot.text.pipeline import summarize
from fakes.slack_api import (
    BOT_TOKEN,
    SIGNING_SECRET,
    Call,
    FakeSlack,
    button_click,
    interaction_body,
    mention_event,
    reaction_event,
    sign,
    slash_command_body,
)


class Harness:
    """Signed requests, as Slack sends them, to the app's own aiohttp server."""

    def __init__(self, fake: FakeSlack, client: TestClient, runtime: BotRuntime) -> None:
        self.fake = fake
        self.client = client
        self.runtime = runtime

    async def command(self, text: str, *, user: str = "U123", channel: str = "C123", respond: str = "r1") -> dict:
        body = slash_command_body(text, response_url=self.fake.response_url(respond), channel=channel, user=user)
        status, answer = await self._post(body, "application/x-www-form-urlencoded")
        assert status == 200
        return json.loads(answer)

    async def event(self, payload: dict) -> None:
        status, _ = await self._post(json.dumps(payload), "application/json")
        assert status == 200

    async def click(self, payload: dict) -> None:
        status, _ = await self._post(interaction_body(payload), "application/x-www-form-urlencoded")
        assert status == 200

    async def _post(self, body: str, content_type: str) -> tuple[int, str]:
        headers = {"Content-Type": content_type, **sign(body)}
        resp = await self.client.post("/slack/events", data=body.encode(), headers=headers)
        return resp.status, await resp.text()


@pytest.fixture
async def start(fake: FakeSlack, sqlite_url: str) -> AsyncIterator[Callable[..., Awaitable[Harness]]]:
    clients: list[TestClient] = []
    runtimes: list[BotRuntime] = []

    async def start(brief: Briefer | None = None, *, config: Config | None = None) -> Harness:
        runtime = BotRuntime.create(config or Config(database=sqlite_url), {})
        runtimes.append(runtime)
        settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
        app = build_app(settings, briefer=brief or make_briefer(), runtime=runtime, pacer=ChannelPacer(0.01))
        client = TestClient(TestServer(make_web_app(app)))
        await client.start_server()
        clients.append(client)
        return Harness(fake, client, runtime)

    yield start
    for client in clients:
        await client.close()
    for runtime in runtimes:
        runtime.stop()


@pytest.fixture(scope="module")
def seed_briefing(seed_text: str) -> Briefing:
    return summarize(seed_text, source="pasted text")


def canned(briefing: Briefing, asked: list[BriefCommand]) -> Briefer:
    """A briefer that returns ``briefing`` at once and remembers what it was asked."""

    async def brief(command: BriefCommand) -> Briefing:
        asked.append(command)
        return briefing

    return Briefer(brief)


def text_of(call: Call) -> str:
    """Everything a message shows: its blocks' texts (or its text when it has none)."""
    blocks = call.body.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    parts: list[str] = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [el.get("text", "") for el in block.get("elements", []) if isinstance(el.get("text", ""), str)]
    return "\n".join(parts) or str(call.body.get("text", ""))


def buttons(call: Call | dict) -> list[dict]:
    body = call.body if isinstance(call, Call) else call
    blocks = body.get("blocks") or []
    return [el for b in blocks if b.get("type") == "actions" for el in b["elements"]]


# -- the request's locale -------------------------------------------------------------------


async def test_the_users_slack_locale_words_the_answer_and_is_asked_once(start, fake):
    fake.locales["U123"] = "zh-TW"
    fake.locales["U777"] = "zh-CN"
    slack = await start()

    first = await slack.command("help")
    second = await slack.command("help")
    mainland = await slack.command("help", user="U777")
    english = await slack.command("", user="U888")

    assert tr("zh-Hant", "this message") in first["text"] and first == second
    assert tr("zh-Hans", "this message") in mainland["text"] and tr("zh-Hant", "this message") not in mainland["text"]
    assert english["text"].startswith("Nothing to brief")
    lookups = [c.body["user"] for c in fake.of("users.info") if c.body.get("include_locale")]
    assert sorted(lookups) == ["U123", "U777", "U888"]  # once per user, however often they ask


async def test_without_a_user_locale_the_channel_then_the_config_decide(start, fake, sqlite_url):
    fake.locales["U123"] = "fr-FR"  # a language the bot does not speak passes to the next
    slack = await start(config=Config(database=sqlite_url, locale="zh-Hans"))
    slack.runtime.store.update_channel_settings("slack", "CTW", ChannelSettings(locale="zh-Hant"), "UADMIN")

    in_default = await slack.command("")
    in_channel = await slack.command("", channel="CTW")

    empty = "Nothing to brief: put an article or a link after {prefix}, or type {prefix} help."
    assert in_default["text"] == tr("zh-Hans", empty, prefix="/brief")
    assert in_channel["text"] == tr("zh-Hant", empty, prefix="/brief") != tr("en", empty, prefix="/brief")


# -- /brief settings -----------------------------------------------------------------------


async def test_settings_are_shown_to_anyone_and_changed_only_by_admins(start, fake):
    slack = await start()
    fake.workspace_admins.add("UADMIN")

    shown = await slack.command("settings", respond="show")
    refused = await slack.command("settings zh=hans order=en-first", respond="refused")
    saved = await slack.command(
        "settings locale=zh-Hant zh=hans order=en-first reactions=on", user="UADMIN", respond="saved"
    )
    await fake.wait_for(lambda: len(fake.of("response_url")) == 3)

    assert shown == refused == saved == {"text": working("en", short=True), "response_type": "ephemeral"}
    answers = [fake.responded[name] for name in ("show", "refused", "saved")]
    assert all(len(a) == 1 and a[0]["response_type"] == "ephemeral" for a in answers)
    texts = [a[0]["text"] for a in answers]
    assert "locale=en" in texts[0] and "reactions=off" in texts[0]
    assert texts[1] == tr("en", "Only admins can change this channel's settings; ask a workspace or server admin.")
    # Saved, and said in the channel's new language.
    assert texts[2].startswith(tr("zh-Hant", "Settings saved.")) and "zh=hans" in texts[2]
    stored = slack.runtime.store.channel_settings("slack", "C123")
    assert (stored.locale, stored.zh, stored.order, stored.reactions) == ("zh-Hant", "hans", "en-first", True)
    assert not fake.posts  # nothing in the channel


async def test_a_mistyped_setting_gets_one_sentence_in_the_ack(start, fake):
    slack = await start()
    answer = await slack.command("settings order=random")
    assert answer == {
        "text": "order must be zh-first, en-first, zh-only or en-only, not 'random'.",
        "response_type": "ephemeral",
    }


# -- script and order ---------------------------------------------------------------------


async def test_a_simplified_article_in_a_traditional_channel_comes_out_traditional(start, fake, seed_text):
    slack = await start()
    slack.runtime.store.update_channel_settings("slack", "C123", ChannelSettings(zh="hant", order="zh-first"), "UA")
    simplified = to_mainland_simplified(seed_text)
    assert "好莱坞" in simplified

    await slack.command(simplified)
    await fake.wait_for(lambda: len(fake.posts) == 1)

    text = text_of(fake.posts[0])
    assert "好萊塢" in text and "好莱坞" not in text
    assert "*摘要 Summary*" in text and "*重點 Key points*" in text and "重点" not in text
    assert "Chinese (Simplified)" in text  # the article's own script is still named


async def test_order_en_only_leaves_the_chinese_side_out_of_a_translation(start, fake):
    from bot.briefing import Bilingual, KeyPoint, Stats, TranslatorInfo

    briefing = Briefing(
        title="港口關閉",
        language="zh-Hant",
        source="pasted text",
        summary=Bilingual(zh="颱風逼近，港口關閉。", en="A typhoon nears; ports close."),
        key_points=(KeyPoint(zh="港口關閉。", en="Ports close.", source_index=0),),
        keywords=(),
        translator=TranslatorInfo("deepseek-chat", "translation"),
        stats=Stats(10, 10, 1, 0),
    )
    slack = await start(canned(briefing, []))
    slack.runtime.store.update_channel_settings("slack", "C123", ChannelSettings(order="en-only"), "UA")

    await slack.command("颱風逼近，港口關閉。")
    await fake.wait_for(lambda: len(fake.posts) == 1)

    text = text_of(fake.posts[0])
    assert "A typhoon nears; ports close." in text and "1. Ports close." in text
    assert "颱風逼近" not in text and "*Summary*" in text


# -- files ---------------------------------------------------------------------------------


async def test_a_file_shared_with_a_mention_is_briefed_in_its_thread(start, fake, seed_text):
    slack = await start()
    big5 = fake.share_file("韓劇.txt", seed_text.encode("big5", errors="replace"))
    stub = fake.share_file("notes.md", seed_text.encode("utf-8"), stub=True)

    await slack.event(mention_event("", event_id="EvF1", ts="1700000001.000100", files=[big5]))
    await slack.event(mention_event("brief this", event_id="EvF2", ts="1700000002.000100", files=[stub]))
    await fake.wait_for(lambda: len(fake.posts) == 2)

    by_thread = {p.body["thread_ts"]: text_of(p) for p in fake.posts}
    assert "韓劇" in by_thread["1700000001.000100"] and "Source: 韓劇.txt" in by_thread["1700000001.000100"]
    assert "Source: notes.md" in by_thread["1700000002.000100"]
    assert fake.downloads == [(big5["id"], True), (stub["id"], True)]  # with the bot token
    assert [c.body["file"] for c in fake.of("files.info")] == [stub["id"]]


async def test_another_kind_of_file_is_refused_in_one_sentence(start, fake):
    fake.locales["U123"] = "zh-TW"
    slack = await start()
    pdf = fake.share_file("report.pdf", b"%PDF-1.7 ...", mimetype="application/pdf")

    await slack.event(mention_event("", event_id="EvF3", ts="1700000003.000100", files=[pdf]))
    await fake.wait_for(lambda: len(fake.of("chat.postEphemeral")) == 1)
    await fake.settle()

    refusal = fake.of("chat.postEphemeral")[0].body
    expected = tr(
        "zh-Hant", "Only .txt, .md and .html files can be briefed; {name} is not one of them.", name="report.pdf"
    )
    assert refusal["text"] == expected and refusal["thread_ts"] == "1700000003.000100"
    assert not fake.posts and fake.downloads == []


# -- reactions -----------------------------------------------------------------------------


async def test_the_reaction_briefs_the_link_in_its_thread_once(start, fake, seed_briefing):
    asked: list[BriefCommand] = []
    slack = await start(canned(seed_briefing, asked))
    slack.runtime.store.update_channel_settings("slack", "CNEWS", ChannelSettings(reactions=True), "UA")
    ts = fake.say("CNEWS", "U456", "worth a read: <https://news.example/a?x=1&amp;y=2|news.example/a>")

    await slack.event(reaction_event("newspaper", channel="CNEWS", ts=ts, event_id="EvR1"))
    await fake.wait_for(lambda: len(fake.posts) == 1)
    await slack.event(reaction_event("newspaper", channel="CNEWS", ts=ts, event_id="EvR2", user="U999"))
    await slack.event(reaction_event("+1", channel="CNEWS", ts=ts, event_id="EvR3"))
    await fake.settle()

    assert [c.source for c in asked] == ["https://news.example/a?x=1&y=2"]
    assert len(fake.posts) == 1 and fake.posts[0].body["thread_ts"] == ts


async def test_reactions_are_off_unless_a_channel_turns_them_on(start, fake, seed_briefing):
    asked: list[BriefCommand] = []
    slack = await start(canned(seed_briefing, asked))
    ts = fake.say("CQUIET", "U456", "https://news.example/b")
    fake.say("CNEWS", "U456", "placeholder")
    slack.runtime.store.update_channel_settings("slack", "CNEWS", ChannelSettings(reactions=True), "UA")
    plain = fake.say("CNEWS", "U456", "no link in this one")

    await slack.event(reaction_event("newspaper", channel="CQUIET", ts=ts, event_id="EvR4"))
    await slack.event(reaction_event("newspaper", channel="CNEWS", ts=plain, event_id="EvR5"))
    await fake.settle()

    assert asked == [] and not fake.posts
    assert slack.runtime.store.claim_reaction("slack", f"CQUIET:{ts}")  # never claimed: it can still be briefed


# -- feedback ------------------------------------------------------------------------------


async def test_votes_are_kept_one_per_person_and_can_be_changed(start, fake, seed_briefing):
    slack = await start(canned(seed_briefing, []))
    await slack.command("some article text")
    await fake.wait_for(lambda: len(fake.posts) == 1)
    up, down = buttons(fake.posts[-1])
    assert (up["action_id"], down["action_id"]) == (VOTE_UP, VOTE_DOWN) and up["value"] == down["value"]
    key = up["value"]

    async def vote(action: str, user: str, name: str) -> str:
        ts = fake.posts[0].response["ts"]
        await slack.click(button_click(action, key, response_url=fake.response_url(name), user=user, message_ts=ts))
        await fake.wait_for(lambda: name in fake.responded)
        seen.append(fake.responded[name][0])
        return seen[-1]["text"]

    seen: list[dict] = []
    first = await vote(VOTE_UP, "U1", "v1")
    again = await vote(VOTE_UP, "U1", "v2")
    changed = await vote(VOTE_DOWN, "U1", "v3")
    other = await vote(VOTE_UP, "U2", "v4")

    assert (
        first
        == again
        == tr(
            "en", "Thanks: your vote is {vote}. This briefing now has {up} 👍 and {down} 👎.", vote="👍", up=1, down=0
        )
    )
    assert changed == tr("en", VOTED, vote="👎", up=0, down=1)
    assert other.endswith("now has 1 👍 and 1 👎.")
    assert all(c["response_type"] == "ephemeral" for c in seen)
    assert slack.runtime.store.votes_for(key) == (1, 1)
    assert len(fake.posts) == 1  # nothing more in the channel


# -- only me -------------------------------------------------------------------------------


async def test_private_briefs_answer_only_the_one_who_asked(start, fake, seed_text):
    slack = await start()
    ack = await slack.command(f"private {seed_text}")
    await fake.wait_for(lambda: len(fake.of("response_url")) >= 1)
    await slack.event(mention_event("private " + seed_text[:400], event_id="EvP1", ts="1700000009.000100"))
    await fake.wait_for(lambda: len(fake.of("chat.postEphemeral")) >= 1)
    await fake.settle()

    assert ack == {"text": working("en", private=True), "response_type": "ephemeral"}
    answer = fake.of("response_url")[0].body
    assert answer["response_type"] == "ephemeral" and "好萊塢" in text_of(fake.of("response_url")[0])
    assert [b["action_id"] for b in buttons(fake.of("response_url")[0])] == [VOTE_UP, VOTE_DOWN]
    whisper = fake.of("chat.postEphemeral")[0].body
    assert whisper["user"] == "U123" and whisper["thread_ts"] == "1700000009.000100" and whisper.get("blocks")
    assert not fake.of("chat.postMessage", ok_only=False)  # nothing was posted in the channel

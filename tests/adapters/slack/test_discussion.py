"""Briefing a Slack discussion end to end: signed requests through bolt's aiohttp adapter, history
read from the fake Slack page by page, the real core briefing it, the result rendered and posted."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.discussion import NOTHING_SAID, make_discussion_briefer
from adapters.slack.app import build_app
from adapters.slack.discussion import (
    DIRECT_MESSAGE,
    MAX_AFTER_PAGES,
    MAX_WINDOWS,
    NOT_IN_CHANNEL,
    OUTSIDE_THREAD,
    WORKING_PRIVATE,
    parse_permalink,
)
from adapters.slack.layout import MAX_MESSAGE_CHARS, json_len
from adapters.slack.render import SHARE_ACTION, render_discussion
from adapters.slack.server import make_web_app
from adapters.slack.settings import SlackSettings
from bot.text.discussion import DiscussionBriefing, Message
from fakes.slack_api import (
    BOT_TOKEN,
    BOT_USER_ID,
    SIGNING_SECRET,
    Call,
    FakeSlack,
    block_problems,
    button_click,
    interaction_body,
    mention_event,
    message_shortcut,
    sign,
    slash_command_body,
)

TEAM_URL = "https://example.slack.com"
NAMES = {"UANN": "Ann", "UBO": "Bo", "UCY": "陳小明", "UDEE": "Dee"}
THREAD = [
    ("UANN", "Should we move the nightly report to Postgres or keep MySQL?"),
    ("UBO", "I think Postgres, the JSON queries are much easier."),
    ("UCY", "同意，用 Postgres 吧。"),
    (BOT_USER_ID, "Briefing: an earlier summary the bot posted"),
    ("UANN", "OK, decided: we go with Postgres for the nightly report."),
    ("UCY", "我來寫 migration，週五前完成。"),
    ("UDEE", "Does anyone know who owns the old MySQL backups?"),
    ("UBO", "<!channel> careful <@UDEE> the dump is at <https://evil.example|totally safe>"),
]


@dataclass
class Recording:
    """The real discussion briefer, remembering what it was given and what it made."""

    inputs: list[list[Message]] = field(default_factory=list)
    outputs: list[DiscussionBriefing] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._real = make_discussion_briefer()

    async def __call__(self, messages: Sequence[Message], title: str | None) -> DiscussionBriefing:
        self.inputs.append(list(messages))
        briefing = await self._real(messages, title)
        self.outputs.append(briefing)
        return briefing


class Harness:
    def __init__(self, fake: FakeSlack, client: TestClient) -> None:
        self.fake = fake
        self.client = client

    async def _post(self, body: str, content_type: str) -> tuple[int, str]:
        headers = {"Content-Type": content_type, **sign(body)}
        resp = await self.client.post("/slack/events", data=body.encode(), headers=headers)
        return resp.status, await resp.text()

    async def event(self, payload: dict) -> tuple[int, str]:
        return await self._post(json.dumps(payload), "application/json")

    async def interaction(self, payload: dict) -> tuple[int, str]:
        return await self._post(interaction_body(payload), "application/x-www-form-urlencoded")

    async def command(self, text: str, *, channel: str = "C999") -> tuple[int, str]:
        body = slash_command_body(text, response_url=self.fake.response_url(), channel=channel)
        return await self._post(body, "application/x-www-form-urlencoded")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    fake.users.update(NAMES)
    fake.users[BOT_USER_ID] = "briefbot"
    yield fake
    await fake.close()


@pytest.fixture
async def slack(fake: FakeSlack) -> AsyncIterator[tuple[Harness, Recording]]:
    recording = Recording()
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.api_url)
    app = build_app(settings, briefer=_no_articles, discuss=recording)
    client = TestClient(TestServer(make_web_app(app)))
    await client.start_server()
    yield Harness(fake, client), recording
    await client.close()


async def _no_articles(command: object) -> object:
    raise AssertionError("a discussion trigger briefed an article")


def thread_in(fake: FakeSlack, channel: str = "C123", lines: list[tuple[str, str]] = THREAD) -> list[str]:
    """Post ``lines`` as a thread (the first is the parent); the ts of each."""
    parent = fake.say(channel, *lines[0])
    return [parent] + [fake.say(channel, user, text, thread_ts=parent) for user, text in lines[1:]]


def link(channel: str, ts: str, thread_ts: str | None = None) -> str:
    out = f"{TEAM_URL}/archives/{channel}/p{ts.replace('.', '')}"
    return out + (f"?thread_ts={thread_ts}&cid={channel}" if thread_ts and thread_ts != ts else "")


def texts(call: Call) -> str:
    def walk(value: object) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in walk(v)]
        if isinstance(value, list):
            return [s for v in value for s in walk(v)]
        return [value] if isinstance(value, str) else []

    return "\n".join([*walk(call.body.get("blocks") or []), call.body.get("text") or ""])


def assert_within_limits(call: Call) -> None:
    assert block_problems(call.body["blocks"]) == []
    assert json_len(call.body["blocks"]) <= MAX_MESSAGE_CHARS


def ephemeral_sentences(fake: FakeSlack) -> list[str]:
    return [c.body["text"] for c in fake.of("response_url") + fake.of("chat.postEphemeral")]


async def test_mention_in_a_thread_replies_there_with_its_briefing(slack, fake):
    harness, recording = slack
    stamps = thread_in(fake)
    mention = fake.say("C123", "UDEE", f"<@{BOT_USER_ID}> brief", thread_ts=stamps[0])
    status, _ = await harness.event(mention_event("brief", event_id="Ev1", ts=mention, thread_ts=stamps[0]))

    assert status == 200
    await fake.wait_for(lambda: len(fake.posts) >= 1)
    await fake.settle()
    # What the core was given: every message of the thread but the mention that asked, in order,
    # with display names, permalinks and the bot's own message marked.
    (given,) = recording.inputs
    assert [m.author for m in given] == [NAMES.get(u, u) for u, _ in THREAD[:3]] + ["briefbot"] + [
        NAMES[u] for u, _ in THREAD[4:]
    ]
    assert [m.is_bot for m in given] == [False, False, False, True, False, False, False, False]
    assert [m.permalink for m in given] == [link("C123", ts, stamps[0]) for ts in stamps]
    assert given[-1].text == "@channel careful @Dee the dump is at https://evil.example"
    assert all(m.ts is not None for m in given) and [m.ts for m in given] == sorted(m.ts for m in given)
    # What was posted: exactly the rendered briefing, in the thread, within Slack's limits.
    (briefing,) = recording.outputs
    expected = render_discussion(briefing)
    assert [c.body["thread_ts"] for c in fake.posts] == [stamps[0]] * len(expected)
    assert [c.body["blocks"] for c in fake.posts] == [list(m.blocks) for m in expected]
    for post in fake.posts:
        assert_within_limits(post)
    text = "\n".join(texts(c) for c in fake.posts)
    assert "Decisions 決定" in text and "Action items 待辦" in text
    cited = link("C123", stamps[4], stamps[0]).replace("&", "&amp;")  # escaped inside <url|label>
    assert f"<{cited}|#5>" in text  # Ann's decision cites her message
    assert "earlier summary the bot posted" not in text
    # One users.info per person, however many messages they wrote.
    asked = sorted(c.body["user"] for c in fake.of("users.info") if "include_locale" not in c.body)
    assert asked == sorted(set(NAMES) | {BOT_USER_ID})
    assert ephemeral_sentences(fake) == []


async def test_briefing_a_thread_never_pings_or_links_what_people_wrote(slack, fake):
    harness, _recording = slack
    stamps = thread_in(fake)
    mention = fake.say("C123", "UDEE", f"<@{BOT_USER_ID}>", thread_ts=stamps[0])
    await harness.event(mention_event("", event_id="Ev2", ts=mention, thread_ts=stamps[0]))

    await fake.wait_for(lambda: len(fake.posts) >= 1)
    await fake.settle()
    for post in fake.posts:
        assert post.body["unfurl_links"] is False and post.body["link_names"] is False
        body = texts(post)
        assert "<!channel>" not in body and "<@UDEE>" not in body
        # A shared link is listed as what it is, never under the label someone gave it.
        assert "totally safe" not in body
        assert not re.search(r"(?<![\w\u2060])@(channel|here|everyone)\b", body)


async def test_a_thread_longer_than_a_page_is_read_page_by_page(slack, fake):
    harness, recording = slack
    lines = [("UANN", "Kickoff: the release checklist, who does what?")]
    lines += [(("UBO", "UCY", "UDEE")[i % 3], f"Step {i}: checked item number {i} on the list.") for i in range(40)]
    stamps = thread_in(fake, lines=lines)
    mention = fake.say("C123", "UANN", f"<@{BOT_USER_ID}> brief", thread_ts=stamps[0])
    await harness.event(mention_event("brief", event_id="Ev3", ts=mention, thread_ts=stamps[0]))

    await fake.wait_for(lambda: len(fake.posts) >= 1)
    pages = fake.of("conversations.replies")
    assert len(pages) == 3  # 42 messages, 15 a call
    assert "cursor" not in pages[0].body and pages[1].body["cursor"] and pages[2].body["cursor"]
    (given,) = recording.inputs
    assert [m.text for m in given] == [text for _, text in lines]


async def test_a_429_is_waited_out_and_the_thread_still_briefed(slack, fake):
    harness, recording = slack
    stamps = thread_in(fake)
    mention = fake.say("C123", "UDEE", f"<@{BOT_USER_ID}> brief", thread_ts=stamps[0])
    fake.rate_limit_once("conversations.replies", retry_after=1)
    await harness.event(mention_event("brief", event_id="Ev4", ts=mention, thread_ts=stamps[0]))

    await fake.wait_for(lambda: len(fake.posts) >= 1)
    calls = fake.of("conversations.replies", ok_only=False)
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].body["ts"] == calls[1].body["ts"] == stamps[0]
    assert len(recording.inputs[0]) == len(THREAD)
    assert ephemeral_sentences(fake) == []


async def test_a_thread_with_nothing_from_people_says_so_privately(slack, fake):
    harness, recording = slack
    parent = fake.say("C123", BOT_USER_ID, "A briefing the bot posted earlier")
    mention = fake.say("C123", "UANN", f"<@{BOT_USER_ID}> brief", thread_ts=parent)
    await harness.event(mention_event("brief", event_id="Ev5", ts=mention, thread_ts=parent))

    await fake.wait_for(lambda: len(fake.of("chat.postEphemeral")) == 1)
    await fake.settle()
    assert fake.posts == [] and recording.inputs == []
    assert ephemeral_sentences(fake) == [NOTHING_SAID]


async def test_brief_mentioned_outside_a_thread_says_where_it_works(slack, fake):
    harness, _recording = slack
    await harness.event(mention_event("brief", event_id="Ev6", ts="1700000000.000009"))

    await fake.wait_for(lambda: len(fake.of("chat.postEphemeral")) == 1)
    assert ephemeral_sentences(fake) == [OUTSIDE_THREAD]
    assert fake.posts == [] and fake.of("conversations.replies") == []


async def test_shortcut_on_a_reply_shows_its_thread_privately_then_shares_it_there(slack, fake):
    harness, recording = slack
    stamps = thread_in(fake)
    reply = next(m for m in fake.history["C123"] if m["ts"] == stamps[3])
    status, _ = await harness.interaction(message_shortcut(reply, response_url=fake.response_url("short")))

    assert status == 200
    await fake.wait_for(lambda: len(fake.of("response_url")) >= 1)
    await fake.settle()
    assert fake.posts == []  # nothing public yet
    shown = fake.of("response_url")
    (briefing,) = recording.outputs
    assert all(c.body["response_type"] == "ephemeral" for c in shown)
    assert len(recording.inputs[0]) == len(THREAD)
    last_blocks = shown[-1].body["blocks"]
    button = last_blocks[-1]["elements"][0]
    assert last_blocks[-1]["type"] == "actions" and button["action_id"] == SHARE_ACTION
    assert button["text"]["text"] == "Share in the thread"
    assert [c.body["blocks"] for c in shown] == [
        list(m.blocks) for m in render_discussion(briefing, share_key=button["value"])
    ]

    click = button_click(SHARE_ACTION, button["value"], response_url=fake.response_url("click"))
    await harness.interaction(click)
    await fake.wait_for(lambda: fake.posts and len(fake.of("response_url")) > len(shown))
    await fake.settle()
    assert [c.body["thread_ts"] for c in fake.posts] == [stamps[0]] * len(fake.posts)
    assert [c.body["blocks"] for c in fake.posts] == [list(m.blocks) for m in render_discussion(briefing)]
    assert all(b["type"] != "actions" for c in fake.posts for b in c.body["blocks"])
    done = fake.of("response_url")[-1].body
    assert done["text"] == "Shared in the thread." and done["replace_original"] is True

    # The button shares once: pressing it again posts nothing more.
    posted = len(fake.posts)
    await harness.interaction(click)
    await fake.wait_for(lambda: "no longer kept" in fake.of("response_url")[-1].body["text"])
    await fake.settle()
    assert len(fake.posts) == posted


async def _shortcut_on_message_40(slack, fake, total: int) -> list[int]:
    """Use the shortcut on message 40 of ``total`` in a channel; the numbers of the messages briefed."""
    harness, recording = slack
    people = ("UANN", "UBO", "UCY", "UDEE")
    stamps = [fake.say("C123", people[i % 4], f"Message {i}: the plan for item {i} is fine.") for i in range(total)]
    target = next(m for m in fake.history["C123"] if m["ts"] == stamps[40])
    await harness.interaction(message_shortcut(target, response_url=fake.response_url()))

    await fake.wait_for(lambda: len(fake.of("response_url")) >= 1)
    await fake.settle()
    (given,) = recording.inputs
    return [int(m.text.split(":")[0].split()[1]) for m in given]


async def test_shortcut_outside_a_thread_briefs_the_50_messages_around_it(slack, fake):
    harness, _recording = slack
    numbers = await _shortcut_on_message_40(slack, fake, 80)
    assert numbers == list(range(15, 65))  # 25 before it, it, and the 24 after it, in order
    # All 39 messages after it fit in MAX_AFTER_PAGES pages: no time window was needed.
    target_ts = fake.history["C123"][40]["ts"]
    assert {c.body.get("latest") for c in fake.of("conversations.history")} <= {None, target_ts}
    assert fake.of("conversations.replies") == []  # a message outside a thread has none to read
    button = fake.of("response_url")[-1].body["blocks"][-1]["elements"][0]
    assert button["text"]["text"] == "Share in the channel"

    await harness.interaction(button_click(SHARE_ACTION, button["value"], response_url=fake.response_url("c")))
    await fake.wait_for(lambda: len(fake.posts) >= 1)
    assert all("thread_ts" not in c.body for c in fake.posts)


async def test_shortcut_in_a_busy_channel_still_reads_the_messages_just_after_it(slack, fake):
    # 160 messages came after the target, more than MAX_AFTER_PAGES pages of history (newest
    # first) reach: reading time windows after it still finds the 24 right after it.
    assert 200 - 41 > MAX_AFTER_PAGES * fake.page_size
    assert await _shortcut_on_message_40(slack, fake, 200) == list(range(15, 65))
    assert len(fake.of("conversations.history")) <= MAX_WINDOWS * MAX_AFTER_PAGES + 2


async def test_brief_with_a_permalink_reads_that_thread_from_another_channel(slack, fake):
    harness, recording = slack
    stamps = thread_in(fake, channel="C777")
    status, body = await harness.command(link("C777", stamps[0]), channel="C999")

    assert status == 200 and json.loads(body) == {"text": WORKING_PRIVATE, "response_type": "ephemeral"}
    await fake.wait_for(lambda: len(fake.of("response_url")) >= 1)
    await fake.settle()
    assert fake.posts == []
    (given,) = recording.inputs
    assert [m.permalink for m in given] == [link("C777", ts, stamps[0]) for ts in stamps]
    assert fake.of("response_url")[-1].body["blocks"][-1]["elements"][0]["text"]["text"] == "Share in the thread"


async def test_permalink_to_a_reply_names_its_thread(slack, fake):
    harness, recording = slack
    stamps = thread_in(fake, channel="C777")
    await harness.command(f"<{link('C777', stamps[2], stamps[0])}>")

    await fake.wait_for(lambda: len(fake.of("response_url")) >= 1)
    (replies,) = fake.of("conversations.replies")
    assert replies.body["ts"] == stamps[0]
    assert len(recording.inputs[0]) == len(THREAD)


async def test_not_in_channel_is_one_private_sentence_on_how_to_invite(slack, fake):
    harness, recording = slack
    stamps = thread_in(fake, channel="C777")
    fake.deny_history("C777")
    await harness.command(link("C777", stamps[0]))

    await fake.wait_for(lambda: len(fake.of("response_url")) >= 1)
    await fake.settle()
    assert ephemeral_sentences(fake) == [NOT_IN_CHANNEL]
    assert "/invite @briefbot" in NOT_IN_CHANNEL and NOT_IN_CHANNEL.count(".") <= 1
    assert fake.posts == [] and recording.inputs == []


@pytest.mark.parametrize(
    "channel, sentence",
    [
        ("C777", NOT_IN_CHANNEL),
        # Slack answers a bot's read of a direct message it is not part of with channel_not_found;
        # no /invite can fix that, so the sentence says what can.
        ("D0PAIR", DIRECT_MESSAGE),
    ],
)
async def test_shortcut_where_the_bot_cannot_read_says_so_privately(slack, fake, channel, sentence):
    harness, _recording = slack
    stamps = thread_in(fake, channel=channel)
    fake.deny_history(channel, "channel_not_found")
    reply = next(m for m in fake.history[channel] if m["ts"] == stamps[1])
    await harness.interaction(message_shortcut(reply, response_url=fake.response_url(), channel=channel))

    await fake.wait_for(lambda: len(fake.of("response_url")) >= 1)
    await fake.settle()
    assert ephemeral_sentences(fake) == [sentence]
    assert fake.posts == []
    assert ("/invite" in sentence) == channel.startswith("C")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("https://example.slack.com/archives/C123ABC/p1700000000000100", ("C123ABC", "1700000000.000100", None)),
        (
            "https://acme.enterprise.slack.com/archives/G1/p1700000007000200?thread_ts=1700000000.000100&cid=G1",
            ("G1", "1700000007.000200", "1700000000.000100"),
        ),
        ("<https://example.slack.com/archives/C1/p1700000000000100|link>", ("C1", "1700000000.000100", None)),
        ("https://example.com/archives/C1/p1700000000000100", None),
        ("https://example.slack.com/archives/C1", None),
        ("南韓政府成立電影委員會", None),
    ],
)
def test_permalinks_are_recognised_and_nothing_else(text, expected):
    target = parse_permalink(text)
    assert (None if target is None else (target.channel, target.ts, target.thread_ts)) == expected

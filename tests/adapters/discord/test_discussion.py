"""Briefing a Discord discussion through discord.py's real interaction handling, against the fake
API: ``/brief`` alone in a thread, the "Brief this discussion" message command and its share
button, history read 100 at a time, and the missing Message Content intent."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord
import pytest

from adapters.discord.client import build_client
from adapters.discord.discussion import NO_MESSAGE_CONTENT
from adapters.discord.render import discussion_messages
from adapters.discord.settings import DiscordSettings
from adapters.discussion import EXPIRED, make_discussion_briefer
from bot.chat.briefer import make_briefer
from bot.text.discussion import DiscussionBriefing, Message
from fakes.discord_api import APP_ID, CHANNEL_ID, GUILD_ID, TOKEN, FakeDiscord, limit_violations, run_interaction

FOLLOWUP = rf"/webhooks/{APP_ID}/[^/]+"
HISTORY = r"/channels/\d+/messages"
#: The message in the channel the thread was started from: the thread's first message.
STARTER = ("ann", "Thread: the nightly report database")
THREAD_TALK = [
    ("ann", "Should we move the nightly report to Postgres or keep MySQL?"),
    ("bo", "I think Postgres, the JSON queries are much easier."),
    ("陳小明", "同意，用 Postgres 吧。"),
    ("briefbot", "An earlier briefing the bot posted"),
    ("ann", "OK, decided: we go with Postgres for the nightly report."),
    ("陳小明", "我來寫 migration，週五前完成。"),
    ("dee", "Does anyone know who owns the old MySQL backups?"),
    ("bo", "@everyone careful <@1300000000000000004> <@&987> see [the dump](https://evil.example)"),
]


@dataclass
class Recording:
    """The real discussion briefer, remembering what it was given and what it made."""

    inputs: list[list[Message]] = field(default_factory=list)
    titles: list[str | None] = field(default_factory=list)
    outputs: list[DiscussionBriefing] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._real = make_discussion_briefer()

    async def __call__(self, messages: Sequence[Message], title: str | None) -> DiscussionBriefing:
        self.inputs.append(list(messages))
        self.titles.append(title)
        briefing = await self._real(messages, title)
        self.outputs.append(briefing)
        return briefing


@pytest.fixture
def recording() -> Recording:
    return Recording()


@pytest.fixture
async def client(fake, monkeypatch, recording):
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    settings = DiscordSettings(token=TOKEN, api_url=fake.api_url)
    bot = build_client(settings, briefer=make_briefer(), discuss=recording)
    await bot.login(TOKEN)
    yield bot
    await bot.close()


def a_thread(fake: FakeDiscord, talk: list[tuple[str, str]] = THREAD_TALK) -> tuple[int, list[int]]:
    """A thread started from ``STARTER`` in the channel, with ``talk`` in it; the ids of the starter
    (in the channel) and of the messages in the thread."""
    starter = fake.say(CHANNEL_ID, *STARTER)
    thread = fake.add_thread(CHANNEL_ID, "nightly report DB", from_message=starter)
    return thread, [starter] + [fake.say(thread, name, text, bot=name == "briefbot") for name, text in talk]


def link(channel: int, message: int) -> str:
    return f"https://discord.com/channels/{GUILD_ID}/{channel}/{message}"


def embeds_of(briefing: DiscussionBriefing) -> list[list[dict]]:
    return [[e.to_dict() for e in embeds] for embeds in discussion_messages(briefing)]


def ephemeral(fake: FakeDiscord) -> list[dict]:
    return [c.json for c in fake.calls_to("POST", FOLLOWUP) if c.status == 200 and (c.json.get("flags") or 0) & 64]


def private_sentences(fake: FakeDiscord) -> list[str]:
    return [body["content"] for body in ephemeral(fake) if body.get("content")]


async def test_brief_alone_in_a_thread_posts_the_thread_briefing_there(fake, client, recording):
    thread, ids = a_thread(fake)
    await run_interaction(client, fake.interaction_payload({}, channel_id=thread))

    (callback,) = fake.calls_to("POST", r"/interactions/\d+/[^/]+/callback")
    assert callback.json == {"type": 5}  # public "thinking…", then the briefing
    (given,) = recording.inputs
    # The thread's first message is the one in the channel it was started from (Discord serves it
    # as a THREAD_STARTER_MESSAGE that carries it), linked where it stands.
    assert [m.author for m in given] == [name for name, _ in [STARTER, *THREAD_TALK]]
    assert [m.is_bot for m in given] == [name == "briefbot" for name, _ in [STARTER, *THREAD_TALK]]
    assert [m.permalink for m in given] == [link(CHANNEL_ID, ids[0])] + [link(thread, i) for i in ids[1:]]
    assert [m.text for m in given] == [text for _, text in [STARTER, *THREAD_TALK]]
    assert recording.titles == ["nightly report DB"]
    followups = [c for c in fake.calls_to("POST", FOLLOWUP) if c.status == 200]
    (briefing,) = recording.outputs
    assert [c.json["embeds"] for c in followups] == embeds_of(briefing)
    for call in followups:
        assert limit_violations(call.json) == []
        assert call.json["allowed_mentions"] == {"parse": []}
        assert not (call.json.get("flags") or 0) & 64
    fields = {f["name"]: f["value"] for c in followups for e in c.json["embeds"] for f in e.get("fields", [])}
    assert "Decisions" in fields and "Action items" in fields  # the reader's words (en-US here)
    assert f"[#6](<{link(thread, ids[5])}>)" in fields["Decisions"]  # ann's decision cites her message
    assert "An earlier briefing the bot posted" not in str(fields)


async def test_a_briefing_quotes_people_and_pings_no_one(fake, client, recording):
    thread, _ = a_thread(fake)
    await run_interaction(client, fake.interaction_payload({}, channel_id=thread))

    sends = [c.json.get("data", c.json) for c in fake.sends()]
    sends = [body for body in sends if body.get("content") or body.get("embeds")]
    assert sends
    for body in sends:
        assert body.get("allowed_mentions") == {"parse": []}
        text = str(body)
        assert not re.search(r"(?<!\\u200b)@(everyone|here)\b", text.replace("@\u200beveryone", ""))
        assert not re.search(r"<@[!&]?\d+>", text)
        assert "[the dump](https://evil.example)" not in text


async def test_a_long_thread_is_read_100_messages_a_call(fake, client, recording):
    talk = [(("ann", "bo", "dee")[i % 3], f"Step {i}: checked item {i} of the release list.") for i in range(230)]
    thread, _ = a_thread(fake, talk)
    await run_interaction(client, fake.interaction_payload({}, channel_id=thread))

    reads = fake.calls_to("GET", HISTORY)
    assert [c.query["limit"] for c in reads] == ["100", "100", "100"]
    assert "before" not in reads[0].query and reads[1].query["before"] and reads[2].query["before"]
    assert [m.text for m in recording.inputs[0]] == [STARTER[1]] + [text for _, text in talk]


async def test_a_429_while_reading_is_waited_out(fake, client, recording):
    thread, _ = a_thread(fake)
    fake.rate_limit_once("GET", HISTORY)
    await run_interaction(client, fake.interaction_payload({}, channel_id=thread))

    assert [c.status for c in fake.calls_to("GET", HISTORY)] == [429, 200]
    assert len(recording.inputs[0]) == len(THREAD_TALK) + 1
    assert private_sentences(fake) == []


async def test_brief_alone_outside_a_thread_still_asks_for_an_article(fake, client, recording):
    await run_interaction(client, fake.interaction_payload({}))

    (callback,) = fake.calls_to("POST", r"/interactions/\d+/[^/]+/callback")
    assert callback.json["data"]["content"].startswith("Nothing to brief")
    assert recording.inputs == [] and fake.calls_to("GET", HISTORY) == []


async def test_context_menu_on_a_channel_message_briefs_the_50_around_it_privately_then_shares(fake, client, recording):
    names = ("ann", "bo", "陳小明", "dee")
    ids = [fake.say(CHANNEL_ID, names[i % 4], f"Message {i}: the plan for item {i} is fine.") for i in range(80)]
    await run_interaction(client, fake.context_menu_payload(ids[40]))

    (read,) = fake.calls_to("GET", HISTORY)
    assert read.query == {"limit": "50", "around": str(ids[40])}
    (given,) = recording.inputs
    assert [m.text.split(":")[0] for m in given] == [f"Message {i}" for i in range(15, 65)]
    shown = ephemeral(fake)
    (briefing,) = recording.outputs
    assert [body["embeds"] for body in shown] == embeds_of(briefing)
    button = shown[-1]["components"][0]["components"][0]
    assert button["label"] == "Share in the channel" and button["custom_id"].startswith("brief-share:")
    assert all("components" not in body or not body["components"] for body in shown[:-1])
    public_before = [m for m in fake.messages_in(CHANNEL_ID) if not m["flags"] & 64 and m["embeds"]]
    assert public_before == []

    message = next(m for m in fake.messages.values() if m["components"])
    second_click = fake.button_payload(copy.deepcopy(message))  # from a client that has not updated yet
    await run_interaction(client, fake.button_payload(message))
    shared = fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages")
    assert [c.json["embeds"] for c in shared] == embeds_of(briefing)
    assert all(c.json["allowed_mentions"] == {"parse": []} for c in shared)
    update = fake.calls_to("POST", r"/interactions/\d+/[^/]+/callback")[-1].json
    assert update["type"] == 7 and update["data"]["content"] == "Shared in the channel."
    assert update["data"]["components"] == []

    # The button shares once.
    await run_interaction(client, second_click)
    assert len(fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages")) == len(shared)
    last = fake.calls_to("POST", r"/interactions/\d+/[^/]+/callback")[-1].json
    assert last["data"]["content"] == EXPIRED and last["data"]["flags"] == 64


async def test_context_menu_inside_a_thread_briefs_the_whole_thread_and_shares_there(fake, client, recording):
    thread, ids = a_thread(fake)
    fake.channels[thread]["name"] = "nightly report DB"
    await run_interaction(client, fake.context_menu_payload(ids[2]))

    reads = fake.calls_to("GET", HISTORY)
    assert [c.path for c in reads] == [f"/channels/{thread}/messages"] and "around" not in reads[0].query
    assert len(recording.inputs[0]) == len(THREAD_TALK) + 1
    button = ephemeral(fake)[-1]["components"][0]["components"][0]
    assert button["label"] == "Share in the thread"

    message = next(m for m in fake.messages.values() if m["components"])
    await run_interaction(client, fake.button_payload(message))
    shared = fake.calls_to("POST", rf"/channels/{thread}/messages")
    assert [c.json["embeds"] for c in shared] == embeds_of(recording.outputs[0])


async def test_context_menu_on_the_message_that_started_a_thread_briefs_that_thread(fake, client, recording):
    thread, _ = a_thread(fake)
    await run_interaction(client, fake.context_menu_payload(thread))  # the starter has the thread's id

    assert [c.path for c in fake.calls_to("GET", HISTORY)] == [f"/channels/{thread}/messages"]
    assert [m.text for m in recording.inputs[0]] == [text for _, text in [STARTER, *THREAD_TALK]]
    assert recording.titles == ["nightly report DB"]


@pytest.mark.parametrize("how", ["thread", "menu"])
async def test_without_the_message_content_intent_it_says_what_to_enable(fake, client, recording, how):
    fake.message_content = False
    thread, ids = a_thread(fake)
    payload = fake.interaction_payload({}, channel_id=thread) if how == "thread" else fake.context_menu_payload(ids[1])
    await run_interaction(client, payload)

    assert recording.inputs == []
    assert private_sentences(fake) == [NO_MESSAGE_CONTENT]
    assert "Message Content Intent" in NO_MESSAGE_CONTENT
    public = [m for m in fake.messages.values() if not m["flags"] & 64 and m["embeds"]]
    assert public == []

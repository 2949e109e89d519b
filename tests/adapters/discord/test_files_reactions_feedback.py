"""Long articles by file, reactions, the feedback buttons and "only me", through discord.py's own
interaction and gateway-event parsing against the fake Discord API."""

from __future__ import annotations

import pytest

from adapters.discord.client import build_client
from bot import summarize
from bot.briefing import Briefing
from bot.chat.briefer import Briefer, make_briefer
from bot.chat.commands import BriefCommand
from bot.chat.i18n import tr
from bot.chat.settings import ChannelSettings
from bot.config import Config
from bot.runtime import BotRuntime
from fakes.discord_api import APP_ID, CHANNEL_ID, TOKEN, USER_ID, run_interaction, run_reaction

CALLBACK = r"/interactions/\d+/[^/]+/callback"
FOLLOWUP = rf"/webhooks/{APP_ID}/[^/]+"
LINK = "https://news.example/korea-film"


@pytest.fixture
def runtime(tmp_path):
    made = BotRuntime.create(Config(database=f"sqlite:///{tmp_path / 'briefbot.db'}"), {})
    yield made
    made.stop()


class Recording:
    """A briefer that briefs the seed for a link (no network) and remembers what it was asked."""

    def __init__(self, seed_text: str) -> None:
        self.seed_text = seed_text
        self.commands: list[BriefCommand] = []

    async def __call__(self, command: BriefCommand) -> Briefing:
        self.commands.append(command)
        return summarize(self.seed_text if command.is_url else command.source, source=command.source[:60])


@pytest.fixture
def recording(seed_text):
    return Recording(seed_text)


@pytest.fixture
async def client(settings, runtime, recording):
    bot = build_client(settings, briefer=Briefer(recording), runtime=runtime)
    await bot.login(TOKEN)
    yield bot
    await bot.close()


# -- long articles by file --------------------------------------------------------------------


async def test_an_attached_gb18030_text_file_is_decoded_like_a_local_file_and_briefed(
    fake, settings, runtime, seed_text
):
    bot = build_client(settings, briefer=make_briefer(), runtime=runtime)
    await bot.login(TOKEN)
    try:
        attachment = fake.attach("korea.txt", seed_text.encode("gb18030"))
        await run_interaction(bot, fake.interaction_payload({"attachment": attachment}))
    finally:
        await bot.close()

    assert fake.calls_to("POST", CALLBACK)[0].json == {"type": 5}  # deferred before downloading
    assert fake.cdn_requests == [f"/attachments/{CHANNEL_ID}/{attachment.id}/korea.txt"]
    embed = fake.calls_to("POST", FOLLOWUP)[0].json["embeds"][0]
    expected = summarize(seed_text, source="pasted text")
    assert embed["description"] == expected.summary.zh
    assert fake.private_texts() == []


async def test_an_attached_html_page_is_briefed_from_its_article(fake, client, recording, seed_text):
    paragraphs = "".join(f"<p>{line}</p>" for line in seed_text.splitlines() if line.strip())
    page = f"<html><head><title>南韓影視</title></head><body><nav>首頁 | 登入</nav><article>{paragraphs}</article></body></html>"
    attachment = fake.attach("page.html", page.encode("utf-8"), content_type="text/html")

    await run_interaction(client, fake.interaction_payload({"attachment": attachment}))

    (command,) = recording.commands
    assert "<p>" not in command.source and "首頁 | 登入" not in command.source
    assert command.source.startswith("南韓影視")  # the page's title, where the briefer takes a title from
    assert any(m["embeds"] for m in fake.public_messages())


@pytest.mark.parametrize(
    "filename, size, words",
    [
        ("photo.png", None, "photo.png is not a file briefbot reads"),
        ("article.pdf", None, "article.pdf is not a file briefbot reads"),
        ("huge.txt", 50 * 1024 * 1024, "huge.txt is 50.0 MB, more than the 2.0 MB limit"),
    ],
)
async def test_other_files_are_refused_in_one_sentence_before_any_download(
    fake, client, recording, filename, size, words
):
    attachment = fake.attach(filename, b"\x89PNG....", size=size)

    await run_interaction(client, fake.interaction_payload({"attachment": attachment}))

    (sentence,) = fake.private_texts()
    assert sentence.startswith(words) and "\n" not in sentence
    assert fake.calls_to("POST", CALLBACK)[0].json["type"] == 4  # answered at once, no deferral
    assert fake.cdn_requests == [] and recording.commands == [] and fake.public_messages() == []


async def test_a_file_that_is_larger_than_discord_said_stops_at_the_limit(fake, client, recording, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_MAX_INPUT_BYTES", "1000")
    attachment = fake.attach("liar.txt", "南韓電影。".encode() * 2000, size=10)

    await run_interaction(client, fake.interaction_payload({"attachment": attachment}))

    (sentence,) = fake.private_texts()
    assert sentence.startswith("liar.txt is") and "more than the 1000" not in sentence and "limit" in sentence
    assert recording.commands == [] and fake.public_messages() == []


async def test_a_file_and_text_together_are_refused(fake, client):
    attachment = fake.attach("a.txt", "南韓電影。".encode())
    await run_interaction(client, fake.interaction_payload({"text": "南韓", "attachment": attachment}))

    assert fake.private_texts() == ["Give one of `text`, `url` or `attachment`, not several."]


# -- reactions --------------------------------------------------------------------------------


def reactions_on(runtime: BotRuntime, **more) -> None:
    runtime.store.update_channel_settings("discord", str(CHANNEL_ID), ChannelSettings(reactions=True, **more), "t")


async def test_the_reaction_briefs_the_link_in_a_thread_on_the_message_once(
    fake, client, runtime, recording, seed_text
):
    reactions_on(runtime)
    message_id = fake.say(CHANNEL_ID, "ann", f"Worth a read: <{LINK}>.")

    await run_reaction(client, fake.reaction_payload(message_id, "📰"))

    assert [c.source for c in recording.commands] == [LINK]
    (thread_call,) = fake.calls_to("POST", rf"/channels/{CHANNEL_ID}/messages/{message_id}/threads")
    assert thread_call.json["name"] == summarize(seed_text).title[:100]
    (thread,) = fake.threads()
    (posted,) = fake.messages_in(int(thread["id"]))
    assert posted["embeds"][0]["description"] == summarize(seed_text).summary.zh
    buttons = posted["components"][0]["components"]
    assert [b["emoji"]["name"] for b in buttons] == ["👍", "👎"]

    # Another reaction (someone else, then the same person again) never briefs it a second time.
    await run_reaction(client, fake.reaction_payload(message_id, "📰", user_id=USER_ID + 7))
    await run_reaction(client, fake.reaction_payload(message_id, "📰"))
    assert len(recording.commands) == 1 and len(fake.threads()) == 1
    assert len(fake.calls_to("POST", r"/channels/\d+/messages")) == 1


async def test_reactions_are_off_by_default(fake, client, recording):
    message_id = fake.say(CHANNEL_ID, "ann", f"Worth a read: {LINK}")

    await run_reaction(client, fake.reaction_payload(message_id, "📰"))

    assert recording.commands == [] and fake.threads() == []
    assert fake.calls_to("GET", r"/channels/\d+/messages/\d+") == []  # not even read


async def test_only_the_channels_reaction_on_a_message_with_a_link_counts(fake, client, runtime, recording):
    reactions_on(runtime, reaction="🔥")
    with_link = fake.say(CHANNEL_ID, "ann", f"see {LINK}")
    without = fake.say(CHANNEL_ID, "bo", "no link here, just talk")

    await run_reaction(client, fake.reaction_payload(with_link, "📰"))  # not this channel's emoji
    await run_reaction(client, fake.reaction_payload(without, "🔥"))
    assert recording.commands == [] and fake.threads() == []

    await run_reaction(client, fake.reaction_payload(with_link, "🔥"))
    assert [c.source for c in recording.commands] == [LINK]


async def test_a_reaction_in_a_thread_replies_in_that_thread_in_the_channels_words(fake, client, runtime, recording):
    reactions_on(runtime, locale="zh-Hant")
    thread_id = fake.add_thread(CHANNEL_ID, "chat")
    runtime.store.update_channel_settings(
        "discord", str(thread_id), ChannelSettings(reactions=True, locale="zh-Hant"), "t"
    )
    message_id = fake.say(thread_id, "ann", "http://127.0.0.1:9/private")

    async def refuse(command: BriefCommand) -> Briefing:
        from bot.errors import FetchError

        raise FetchError("Refused to fetch {host}: it is private.", host="127.0.0.1")

    client.briefer = Briefer(refuse)
    await run_reaction(client, fake.reaction_payload(message_id, "📰"))

    (said,) = [m for m in fake.messages_in(thread_id) if m["author"]["bot"]]
    assert said["content"] == tr("zh-Hant", "Refused to fetch {host}: it is private.", host="127.0.0.1")
    assert "Traceback" not in said["content"] and fake.calls_to("POST", r"/channels/\d+/messages/\d+/threads") == []


# -- feedback -------------------------------------------------------------------------------


async def test_votes_are_stored_per_person_and_can_be_changed(fake, client, runtime, seed_text):
    await run_interaction(client, fake.interaction_payload({"text": seed_text}))
    (briefing_message,) = [m for m in fake.messages_in(CHANNEL_ID) if m["embeds"]]
    up, down = briefing_message["components"][0]["components"]
    key = up["custom_id"].removeprefix("brief-vote:up:")
    assert down["custom_id"] == f"brief-vote:down:{key}" and len(key) == 16

    await run_interaction(client, fake.button_payload(briefing_message, 0))
    assert runtime.store.votes_for(key) == (1, 0)
    await run_interaction(client, fake.button_payload(briefing_message, 1))  # the same person changes it
    assert runtime.store.votes_for(key) == (0, 1)
    await run_interaction(client, fake.button_payload(briefing_message, 0, user_id=USER_ID + 1, locale="zh-TW"))
    assert runtime.store.votes_for(key) == (1, 1)

    report = runtime.store.feedback_report()
    assert [(t.up, t.down) for t in report.by_translator] == [(1, 1)]
    acks = fake.private_texts()
    assert acks[0].startswith("Thanks: your 👍 is counted") and acks[1].startswith("Thanks: your 👎 is counted")
    assert acks[2] == tr("zh-Hant", "Thanks: your {emoji} is counted. Press the other button to change it.", emoji="👍")
    assert all(c.json["type"] == 4 and c.json["data"]["flags"] == 64 for c in fake.calls_to("POST", CALLBACK)[1:])


async def test_a_vote_on_a_briefing_this_store_never_saw_is_not_an_error_in_the_channel(fake, client, runtime):
    message_id = fake.say(CHANNEL_ID, "briefbot", "old", bot=True)
    message = fake.messages[message_id]
    message["components"] = [
        {"type": 1, "components": [{"type": 2, "style": 2, "custom_id": "brief-vote:up:0123456789abcdef"}]}
    ]

    await run_interaction(client, fake.button_payload(message, 0))

    assert fake.private_texts() == ["That briefing is not known to this bot any more, so the vote was not kept."]


# -- only me ----------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [{"text": "private {seed}"}, {"text": "{seed}", "private": True}])
async def test_a_private_briefing_is_ephemeral_and_nothing_is_posted(fake, client, seed_text, options):
    options = {k: v.format(seed=seed_text) if isinstance(v, str) else v for k, v in options.items()}

    await run_interaction(client, fake.interaction_payload(options))

    assert fake.calls_to("POST", CALLBACK)[0].json == {"type": 5, "data": {"flags": 64}}  # "thinking…" for you only
    followups = fake.calls_to("POST", FOLLOWUP)
    assert followups and all(c.json["flags"] & 64 for c in followups)
    assert followups[0].json["embeds"][0]["description"] == summarize(seed_text).summary.zh
    assert fake.public_messages() == [] and fake.threads() == []


async def test_a_private_briefing_has_no_thread(fake, client, recording, seed_text):
    await run_interaction(client, fake.interaction_payload({"text": seed_text, "private": True, "thread": True}))

    (sentence,) = fake.private_texts()
    assert sentence.startswith("A private briefing has no thread")
    assert recording.commands == [] and fake.public_messages() == []

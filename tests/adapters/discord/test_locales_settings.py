"""The request's locale, /brief settings and the channel's script and order, through discord.py's
real interaction parsing and CommandTree against the fake Discord API."""

from __future__ import annotations

import pytest

from adapters.discord.client import build_client
from adapters.discord.digest import DiscordDigestDeliverer
from bot import summarize
from bot.chat.briefer import make_briefer
from bot.chat.display import for_display
from bot.chat.i18n import tr
from bot.chat.settings import ChannelSettings
from bot.config import Config
from bot.runtime import BotRuntime
from bot.schedule.digest import Digest, DigestItem
from bot.text.analyse import to_mainland_simplified
from fakes.discord_api import APP_ID, CHANNEL_ID, TOKEN, run_interaction

CALLBACK = r"/interactions/\d+/[^/]+/callback"
FOLLOWUP = rf"/webhooks/{APP_ID}/[^/]+"
#: A member who holds no permission (not Manage Server, so not an admin).
NOBODY = 0


@pytest.fixture
def runtime(tmp_path):
    made = BotRuntime.create(Config(database=f"sqlite:///{tmp_path / 'briefbot.db'}", locale="en"), {})
    yield made
    made.stop()


@pytest.fixture
async def client(settings, runtime):
    bot = build_client(settings, briefer=make_briefer(), runtime=runtime)
    await bot.login(TOKEN)
    yield bot
    await bot.close()


def set_channel(runtime: BotRuntime, **values) -> None:
    runtime.store.update_channel_settings("discord", str(CHANNEL_ID), ChannelSettings(**values), "test")


# -- the locale of a request -----------------------------------------------------------------


@pytest.mark.parametrize(
    "discord_locale, ours",
    [("zh-TW", "zh-Hant"), ("zh-CN", "zh-Hans"), ("en-US", "en"), ("en-GB", "en")],
)
async def test_a_mistake_is_answered_in_the_users_discord_locale(fake, client, discord_locale, ours):
    await run_interaction(client, fake.interaction_payload({}, locale=discord_locale))

    expected = tr(
        ours,
        "Nothing to brief: put an article in `text`, a link in `url` or a file in `attachment`, "
        "or type `help` in `text`.",
    )
    assert fake.private_texts() == [expected]
    assert (ours == "en") == expected.startswith("Nothing to brief")
    assert fake.public_messages() == []


async def test_help_in_traditional_chinese_names_the_command_as_a_taiwanese_client_shows_it(fake, client):
    await run_interaction(client, fake.interaction_payload({"text": "help"}, locale="zh-TW"))

    (callback,) = fake.calls_to("POST", CALLBACK)
    embed = callback.json["data"]["embeds"][0]
    assert embed["title"] == "briefbot：中英雙語新聞簡報"
    assert "`/簡報 text: <文章內容>`" in embed["description"] or "/簡報 text:" in embed["description"]
    assert "`/簡報 url: <連結>`" in embed["description"]
    assert embed["footer"]["text"] == tr(
        "zh-Hant", "English is a key-term glossary from CC-CEDICT unless a translation backend is configured."
    )


async def test_a_user_locale_the_bot_does_not_speak_falls_back_to_the_channel_then_the_config(fake, settings, tmp_path):
    made = BotRuntime.create(Config(database=f"sqlite:///{tmp_path / 'b.db'}", locale="zh-Hant"), {})
    bot = build_client(settings, briefer=make_briefer(), runtime=made)
    await bot.login(TOKEN)
    try:
        await run_interaction(bot, fake.interaction_payload({"url": "not a link"}, locale="fr"))
        made.store.update_channel_settings("discord", str(CHANNEL_ID), ChannelSettings(locale="zh-Hans"), "t")
        await run_interaction(bot, fake.interaction_payload({"url": "not a link"}, locale="fr"))
        await run_interaction(bot, fake.interaction_payload({"url": "not a link"}, locale="zh-TW"))
    finally:
        await bot.close()
        made.stop()

    sentence = "The `url` option takes one http(s) link; paste article text into `text` instead."
    assert fake.private_texts() == [tr("zh-Hant", sentence), tr("zh-Hans", sentence), tr("zh-Hant", sentence)]
    assert len(set(fake.private_texts())) == 2 and sentence not in fake.private_texts()


# -- /brief settings ------------------------------------------------------------------------


async def test_settings_are_shown_to_anyone_privately(fake, client, runtime):
    set_channel(runtime, zh="hans")
    await run_interaction(client, fake.interaction_payload({"text": "settings"}, permissions=NOBODY))

    (shown,) = fake.private_texts()
    assert shown.splitlines()[0] == "locale=en (English)"
    assert "zh=hans (Simplified)" in shown and "reactions=off" in shown
    assert fake.public_messages() == []
    assert fake.calls_to("POST", CALLBACK)[0].json["data"]["flags"] == 64  # deferred privately


async def test_an_admin_changes_the_settings_and_is_answered_in_the_new_language(fake, client, runtime):
    payload = fake.interaction_payload(
        {"text": "settings locale=zh-Hant zh=hant order=zh-first reactions=on"}, locale="fr"
    )
    await run_interaction(client, payload)

    stored = runtime.store.channel_settings("discord", str(CHANNEL_ID))
    assert (stored.locale, stored.zh, stored.order, stored.reactions) == ("zh-Hant", "hant", "zh-first", True)
    (answer,) = fake.private_texts()
    assert answer.startswith("設定已儲存。")
    assert fake.public_messages() == []


async def test_a_member_who_is_not_an_admin_cannot_change_them(fake, client, runtime):
    await run_interaction(
        client, fake.interaction_payload({"text": "settings zh=hans"}, permissions=NOBODY, locale="zh-CN")
    )

    assert fake.private_texts() == [
        tr("zh-Hans", "Only admins can change this channel's settings; ask a workspace or server admin.")
    ]
    assert runtime.store.channel_settings("discord", str(CHANNEL_ID)).empty
    assert fake.public_messages() == []


async def test_a_mistyped_setting_is_one_sentence(fake, client, runtime):
    await run_interaction(client, fake.interaction_payload({"text": "settings order=random"}))

    assert fake.private_texts() == ["order must be zh-first, en-first, zh-only or en-only, not 'random'."]
    assert runtime.store.channel_settings("discord", str(CHANNEL_ID)).empty


# -- script and order ------------------------------------------------------------------------


async def test_a_simplified_article_in_a_traditional_channel_comes_out_traditional(fake, client, runtime, seed_text):
    simplified = to_mainland_simplified(seed_text)
    briefing = summarize(simplified, source="pasted text")
    assert briefing.language == "zh-Hans"
    set_channel(runtime, zh="hant", order="zh-first")

    await run_interaction(client, fake.interaction_payload({"text": simplified, "thread": True}))

    traditional = for_display(briefing, zh="hant", order="zh-first").briefing
    followups = [c.json for c in fake.calls_to("POST", FOLLOWUP) if c.json.get("embeds")]
    embed = followups[0]["embeds"][0]
    assert embed["description"] == traditional.summary.zh != briefing.summary.zh
    names = [f["name"] for f in embed["fields"]]
    assert "重點 Key points · 1" in names and any(n.startswith("關鍵詞 Keywords") for n in names)
    assert [f["value"] for f in embed["fields"] if f["name"].startswith("重點")] == [
        p.zh for p in traditional.key_points
    ]
    (thread,) = fake.threads()
    replies = [m["content"] for m in fake.messages_in(int(thread["id"]))]
    assert [r.split("\n")[0] for r in replies] == [f"**{n}.** {p.zh}" for n, p in enumerate(traditional.key_points, 1)]
    for reply, point in zip(replies, briefing.key_points, strict=True):  # still cites the article's sentence
        assert f"sentence {point.source_index + 1} of the cleaned article" in reply


async def test_a_scheduled_digest_follows_each_channels_script_and_words(fake, client, runtime, seed_text):
    other = 456
    fake.channels[other] = {**fake.channels[CHANNEL_ID], "id": str(other)}
    set_channel(runtime, zh="hans", locale="zh-Hans")
    briefing = summarize(seed_text, source="https://example.com/a")
    digest = Digest("daily", "2026-11-27", "2026-11-27", (DigestItem(1, "https://example.com/a", briefing),))
    deliver = DiscordDigestDeliverer(client, runtime)

    await deliver(str(CHANNEL_ID), digest)
    await deliver(str(other), digest)

    simplified, traditional = (fake.messages_in(c)[0]["embeds"][0] for c in (CHANNEL_ID, other))
    assert simplified["title"] == "每日简报 · 2026-11-27" and traditional["title"] == "Daily briefing · 2026-11-27"
    hans = for_display(briefing, zh="hans").briefing
    assert simplified["fields"][0]["name"] == f"1. {hans.title}" != traditional["fields"][0]["name"]
    threads = {int(t["parent_id"]): int(t["id"]) for t in fake.threads()}
    full = fake.messages_in(threads[CHANNEL_ID])[0]
    assert full["embeds"][0]["description"] == hans.summary.zh
    assert full["components"][0]["components"][0]["custom_id"].startswith("brief-vote:up:")

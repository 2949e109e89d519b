"""/brief settings and /brief private: parsed once, checked in one sentence, admins only."""

import asyncio

import pytest

from bot.chat.commands import BriefCommand, CommandError, parse
from bot.chat.i18n import error_text
from bot.chat.schedule import FixedAdmin
from bot.chat.settings import (
    DEFAULTS,
    ChannelSettings,
    SettingsCommand,
    SettingsContext,
    SettingsError,
    configured,
    effective,
    handle,
    reaction_matches,
    slack_reaction_name,
)
from bot.config import load_config
from bot.store import Store


def test_settings_alone_shows_and_with_values_changes():
    assert parse("settings") == SettingsCommand()
    assert parse("settings").shows
    command = parse("settings locale=zh-Hant zh=hans order=en-first reactions=on")
    assert command == SettingsCommand(ChannelSettings(locale="zh-Hant", zh="hans", order="en-first", reactions=True))
    assert parse("settings reaction=:newspaper: reactions=off").changes == ChannelSettings(
        reactions=False, reaction="newspaper"
    )
    assert parse("settings are great") == BriefCommand("settings are great")  # a sentence is still text to brief


@pytest.mark.parametrize(
    "text, words",
    [
        ("settings locale=fr", "locale must be en, zh-Hant or zh-Hans, not 'fr'."),
        ("settings zh=big5", "zh must be hant (Traditional) or hans (Simplified), not 'big5'."),
        ("settings order=random", "order must be zh-first, en-first, zh-only or en-only, not 'random'."),
        ("settings reactions=maybe", "reactions must be on or off, not 'maybe'."),
        (
            "settings colour=blue",
            "There is no setting 'colour'; the settings are locale, zh, order, reactions, reaction.",
        ),
        ("settings locale=en zh", "Write each setting as key=value, like locale=zh-Hant; 'zh' is not."),
    ],
)
def test_a_mistyped_setting_is_one_sentence(text, words):
    with pytest.raises(SettingsError) as info:
        parse(text)
    assert info.value.message == words
    assert "\n" not in error_text(info.value, "zh-Hant")


def test_private_is_parsed_into_the_command():
    assert parse("private https://example.com/a") == BriefCommand("https://example.com/a", private=True)
    assert parse("private 颱風明天最接近。").private
    assert not parse("颱風明天最接近。").private
    with pytest.raises(CommandError, match="after /brief private"):
        parse("private")
    with pytest.raises(CommandError, match="no thread"):
        parse("private thread https://example.com/a")


def test_reactions_match_by_name_or_character():
    assert reaction_matches("📰", "newspaper") and reaction_matches("📰", "📰")
    assert reaction_matches("newspaper", "📰") and reaction_matches(":eyes:", "eyes")
    assert not reaction_matches("📰", "eyes")
    assert slack_reaction_name("📰") == "newspaper" and slack_reaction_name(":eyes:") == "eyes"


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'settings.db'}")
    yield s
    s.close()


def _ctx(store, admin: bool, config=None, locale="en") -> SettingsContext:
    return SettingsContext(
        store=store, platform="slack", channel="C1", user="U1", admins=FixedAdmin(admin), config=config, locale=locale
    )


def test_only_admins_change_settings_and_everyone_sees_them(store):
    with pytest.raises(SettingsError) as info:
        asyncio.run(handle(parse("settings zh=hans"), _ctx(store, admin=False)))
    assert info.value.message.startswith("Only admins can change this channel's settings")
    assert error_text(info.value, "zh-Hans").startswith("只有管理员可以变更这个频道的设置")
    assert store.channel_settings("slack", "C1") == ChannelSettings()  # nothing was saved
    shown = asyncio.run(handle(parse("settings"), _ctx(store, admin=False)))
    assert "locale=en (English)" in shown and "reactions=off (reaction=📰 when on)" in shown


def test_an_admin_changes_settings_and_the_reply_follows_the_new_locale(store):
    reply = asyncio.run(handle(parse("settings locale=zh-Hant zh=hans order=en-first reactions=on"), _ctx(store, True)))
    assert reply.startswith("設定已儲存。")
    assert "zh=hans（簡體）" in reply and "order=en-first（英文在前）" in reply and "reactions=on" in reply
    assert effective(store, None, "slack", "C1") == ChannelSettings(
        locale="zh-Hant", zh="hans", order="en-first", reactions=True, reaction="📰"
    )
    asyncio.run(handle(parse("settings order=zh-only"), _ctx(store, True)))  # one change keeps the rest
    assert store.channel_settings("slack", "C1") == ChannelSettings(
        locale="zh-Hant", zh="hans", order="zh-only", reactions=True
    )
    assert store.channel_settings("slack", "C2") == ChannelSettings()  # other channels are untouched


def test_settings_layer_store_over_channel_config_over_bot_defaults(store, tmp_path):
    path = tmp_path / "briefbot.toml"
    path.write_text(
        '[bot]\nlocale = "zh-Hans"\norder = "zh-first"\n\n'
        '[channels."slack:C1"]\nzh = "hant"\nreactions = true\nreaction = "eyes"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert configured(config, "slack", "C9") == ChannelSettings(
        locale="zh-Hans", order="zh-first", reactions=False, reaction="📰"
    )
    assert configured(config, "slack", "C1") == ChannelSettings(
        locale="zh-Hans", zh="hant", order="zh-first", reactions=True, reaction="eyes"
    )
    store.update_channel_settings("slack", "C1", ChannelSettings(locale="en", reactions=False), "U1")
    assert effective(store, config, "slack", "C1") == ChannelSettings(
        locale="en", zh="hant", order="zh-first", reactions=False, reaction="eyes"
    )
    assert effective(None, None, "discord", "1") == DEFAULTS


@pytest.mark.parametrize(
    "toml, words",
    [
        ('[bot]\nlocale = "fr"\n', "line 2: bot.locale: must be en, zh-Hant or zh-Hans, not 'fr'."),
        ('[bot]\nzh = "trad"\n', "bot.zh: must be hant (Traditional) or hans (Simplified), not 'trad'."),
        ("[bot]\norder = 3\n", "bot.order: expected a string, got 3."),
        (
            '[channels."C1"]\nzh = "hans"\n',
            'channels.C1: name a channel as "slack:C0123", "discord:1234" or "shell:shell".',
        ),
        ('[channels."slack:C1"]\ncolour = "red"\n', 'line 2: channels."slack:C1".colour: unknown setting'),
        ('[channels."slack:C1"]\nreactions = "yes"\n', "reactions: expected true or false, got 'yes'."),
    ],
)
def test_config_mistakes_are_one_sentence(tmp_path, toml, words):
    from bot.errors import ConfigError

    path = tmp_path / "c.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert words in info.value.message
    assert "\n" not in info.value.message

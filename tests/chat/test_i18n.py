"""The bot's words in three locales: catalogues, locale codes, errors worded per request."""

import io

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from bot.chat import catalogs
from bot.chat.commands import CommandError, help_text, parse
from bot.chat.i18n import error_text, normalize_locale, resolve_locale, tr, translator_for
from bot.errors import InputError, Message
from bot.text.pipeline import summarize

EMPTY_INPUT = {
    "en": "The input is empty; paste an article or give a file that contains one.",
    "zh-Hant": "輸入是空的；請貼上一篇文章，或提供含有文章的檔案。",
    "zh-Hans": "输入是空的；请粘贴一篇文章，或提供含有文章的文件。",
}


@pytest.mark.parametrize(
    "code, locale",
    [
        ("en-US", "en"),
        ("en-GB", "en"),
        ("zh-TW", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("zh_TW.UTF-8", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"),
        ("zh-SG", "zh-Hans"),
        ("zh-hans", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("fr", None),
        ("es-419", None),
        ("", None),
        (None, None),
    ],
)
def test_platform_codes_map_to_the_three_locales(code, locale):
    assert normalize_locale(code) == locale


def test_the_user_wins_then_the_channel_then_the_default_then_english():
    assert resolve_locale("zh-TW", "zh-Hans", "en") == "zh-Hant"
    assert resolve_locale(None, "zh-Hans", "zh-Hant") == "zh-Hans"
    assert resolve_locale("uk", None, "zh-CN") == "zh-Hans"  # a language the bot does not speak is passed over
    assert resolve_locale("fr", "de", None) == "en"
    assert resolve_locale(None, None, None) == "en"


def test_translator_for_gives_gettext_translations():
    assert translator_for("en").gettext("Summary") == "Summary"
    assert translator_for("zh-TW").gettext("Key points") == "重點"
    assert translator_for("zh-CN").gettext("Key points") == "重点"
    assert translator_for("zh-Hans").gettext("Keywords") == "关键词"


@pytest.mark.parametrize("locale", ["en", "zh-Hant", "zh-Hans"])
def test_each_locale_words_the_empty_input_error(locale):
    with pytest.raises(InputError) as info:
        summarize("   ")
    exc = info.value
    assert str(exc) == EMPTY_INPUT["en"]  # logs and str() stay English
    assert error_text(exc, locale) == EMPTY_INPUT[locale]


@pytest.mark.parametrize(
    "locale, words",
    [
        ("en", ["brief pasted text", "/brief thread <text or link>", "/brief private", "/brief settings"]),
        ("zh-Hant", ["為貼上的文字做簡報", "/brief thread <文字或連結>", "/brief private", "頻道"]),
        ("zh-Hans", ["为粘贴的文字做简报", "/brief thread <文字或链接>", "/brief private", "频道"]),
    ],
)
def test_each_locale_has_its_help(locale, words):
    text = help_text("/brief", locale, more=True)
    for word in words:
        assert word in text
    assert "/brief help" in text  # the command words themselves are never translated


def test_parse_errors_carry_their_template_and_params():
    with pytest.raises(CommandError) as info:
        parse("", "/brief text:")
    exc = info.value
    assert exc.msgid == "Nothing to brief: put an article or a link after {prefix}, or type {prefix} help."
    assert exc.params == {"prefix": "/brief text:"}
    assert exc.message == "Nothing to brief: put an article or a link after /brief text:, or type /brief text: help."
    assert (
        error_text(exc, "zh-Hant")
        == "沒有可簡報的內容：請在 /brief text: 後面貼上文章或連結，或輸入 /brief text: help。"
    )


def test_a_message_inside_an_error_is_worded_with_it():
    usage = Message("Removed schedule {id}.", {"id": "sh-1"})
    exc = CommandError("I don't understand {word} here. {usage}", word="'x'", usage=usage)
    assert exc.message == "I don't understand 'x' here. Removed schedule sh-1."
    assert error_text(exc, "zh-Hans") == "这里看不懂 'x'。已移除定时任务 sh-1。"


def test_an_error_that_is_not_the_users_fault_is_the_generic_sentence():
    assert error_text(RuntimeError("db down"), "zh-Hant").startswith("製作簡報時發生問題")
    assert "db down" not in error_text(RuntimeError("db down"), "en")


def test_a_translation_with_a_wrong_field_falls_back_to_english(monkeypatch):
    class Broken:
        def gettext(self, message):
            return "壞掉的 {nope}"

    monkeypatch.setattr("bot.chat.i18n.translator_for", lambda locale: Broken())
    assert tr("zh-Hant", "Removed schedule {id}.", id="sh-1") == "Removed schedule sh-1."


def test_every_string_in_the_code_is_in_both_catalogues_and_compiled():
    assert catalogs.problems() == []


def test_the_check_notices_a_stale_mo(tmp_path):
    po = catalogs.po_path("zh-Hant")
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="zh_Hant")
    catalog.get("Summary").string = "總結"  # edited in the .po, not recompiled
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    with po.with_suffix(".mo").open("rb") as fh:
        committed = read_mo(fh)
    assert catalogs._pairs(read_mo(io.BytesIO(buffer.getvalue()))) != catalogs._pairs(committed)
    with po.open("rb") as fh:
        assert catalogs._pairs(read_po(fh, locale="zh_Hant")) == catalogs._pairs(committed)


def test_a_new_string_in_the_code_is_reported_until_it_is_translated(tmp_path, monkeypatch):
    module = tmp_path / "new_words.py"
    module.write_text(
        'from bot.chat.i18n import tr\n\ndef f(locale):\n    return tr(locale, "A brand new sentence.")\n'
    )
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    found = catalogs.problems(["new_words.py"])
    assert any("A brand new sentence." in line and "zh-Hant" in line for line in found)
    assert any("A brand new sentence." in line and "zh-Hans" in line for line in found)

import pytest

from bot.chat.commands import BriefCommand, CommandError, HelpCommand, ScheduleCommand, help_text, parse


def test_brief_text_and_links():
    assert parse("南韓政府成立電影委員會。") == BriefCommand("南韓政府成立電影委員會。")
    command = parse("  https://example.com/news/1  ")
    assert command == BriefCommand("https://example.com/news/1") and command.is_url
    assert not parse("see https://example.com for more").is_url  # text that mentions a link is text


def test_thread_help_and_schedule():
    assert parse("thread https://example.com/a") == BriefCommand("https://example.com/a", thread=True)
    assert parse("HELP") == HelpCommand()
    assert parse("schedule list") == ScheduleCommand("list", ())
    assert parse("schedule add daily 08:00 Asia/Taipei feed") == ScheduleCommand(
        "add", ("daily", "08:00", "Asia/Taipei", "feed")
    )


@pytest.mark.parametrize("text, words", [("", "Nothing to brief"), ("   ", "Nothing to brief"), ("thread", "thread")])
def test_mistakes_get_one_sentence(text, words):
    with pytest.raises(CommandError) as info:
        parse(text)
    assert words in info.value.message
    assert "\n" not in info.value.message


def test_help_names_every_form():
    text = help_text("/brief")
    for usage in ["/brief <article text>", "/brief <link>", "/brief thread", "/brief help"]:
        assert usage in text

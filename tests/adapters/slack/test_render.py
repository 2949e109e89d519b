"""Block Kit rendering: content, escaping and Slack's limits, without any server."""

from __future__ import annotations

import json
import re

import pytest

from adapters.slack.layout import (
    MAX_HEADER_TEXT,
    MAX_MESSAGE_CHARS,
    MAX_SECTION_TEXT,
    SlackMessage,
    json_len,
    sections,
    slack_len,
    split_text,
)
from adapters.slack.render import (
    escape_mrkdwn,
    render_briefing,
    render_help,
    render_point_replies,
    source_markup,
)
from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Stats, TranslatorInfo, translator_line
from bot.text.pipeline import summarize
from fakes.slack_api import block_problems


@pytest.fixture(scope="module")
def seed_briefing(seed_text: str) -> Briefing:
    return summarize(seed_text, source="https://news.example/korea?id=1&lang=zh")


def text_of(message: SlackMessage) -> str:
    parts = []
    for block in message.blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [element["text"] for element in block.get("elements", [])]
    return "\n".join(parts)


def assert_fits(message: SlackMessage) -> None:
    assert block_problems(list(message.blocks)) == []
    assert json_len(list(message.blocks)) <= MAX_MESSAGE_CHARS
    assert 0 < len(message.text) <= 300


def english_briefing(**changes: object) -> Briefing:
    fields: dict = dict(
        title="Typhoon <b>Kong-rey</b> & the ports",
        language="en",
        source="article.txt",
        summary=Bilingual(zh="颱風康芮逼近，港口關閉。", en="Typhoon Kong-rey nears; ports close."),
        key_points=(KeyPoint(zh="港口關閉。", en="Ports close.", source_index=0),),
        keywords=(Keyword(term="typhoon", en=None, zh="颱風"), Keyword(term="port", en=None, zh=None)),
        translator=TranslatorInfo(name="deepseek-chat", kind="translation"),
        stats=Stats(input_chars=10, clean_chars=10, sentences=1, duplicates_removed=0),
    )
    fields.update(changes)
    return Briefing(**fields)


def test_escape_mrkdwn_defuses_pings_and_links():
    assert escape_mrkdwn("a & b <!channel> <@U123> <https://x|y>") == (
        "a &amp; b &lt;!channel&gt; &lt;@U123&gt; &lt;https://x|y&gt;"
    )
    assert escape_mrkdwn("@everyone @Channel @here, mail me@here.example") == (
        "@\u2060everyone @\u2060Channel @\u2060here, mail me@\u2060here.example"
    )
    assert escape_mrkdwn("@hereafter and @channels stay") == "@hereafter and @channels stay"


def test_seed_renders_one_message_with_every_part(seed_briefing):
    messages = render_briefing(seed_briefing)

    assert len(messages) == 1
    message = messages[0]
    assert_fits(message)
    kinds = [block["type"] for block in message.blocks]
    assert kinds[0] == "header" and kinds[-1] == "context"
    text = text_of(message)
    assert "*Summary 摘要*\n" + escape_mrkdwn(seed_briefing.summary.zh) in text
    glosses = [k.en.split(";")[0].strip() for k in seed_briefing.keywords if k.en]
    assert "*English key terms* (glossary, not a translation):\n" + " · ".join(glosses[:2]) in text
    points = [f"{n}. {escape_mrkdwn(p.zh)}" for n, p in enumerate(seed_briefing.key_points, 1)]
    assert "*Key points 重點*\n" + "\n".join(points) in text
    first, second = seed_briefing.keywords[:2]
    assert f"{first.term} — {first.en} · {second.term} — {second.en or '(not in the glossary)'}" in text
    assert "<https://news.example/korea?id=1&amp;lang=zh|news.example/korea?id=1&amp;lang=zh>" in text
    assert "Language: Chinese (Traditional)" in text
    assert escape_mrkdwn(translator_line(seed_briefing)) in text
    assert message.text.startswith(escape_mrkdwn(seed_briefing.key_points[0].zh[:20]))


def test_a_translation_is_shown_in_place_of_the_key_terms_line():
    message = render_briefing(english_briefing())[0]
    text = text_of(message)

    assert message.blocks[0]["text"]["text"] == "Typhoon &lt;b&gt;Kong-rey&lt;/b&gt; &amp; the ports"
    assert "*Summary 摘要*\nTyphoon Kong-rey nears; ports close." in text
    assert "*Chinese*\n颱風康芮逼近，港口關閉。" in text
    assert "1. Ports close.\n      _Chinese:_ 港口關閉。" in text
    assert "key terms" not in text
    assert "typhoon — 颱風 · port — (not in the glossary)" in text
    assert "Chinese: translated by deepseek-chat" in text
    assert "Source: article.txt" in text


def test_a_long_title_is_cut_in_the_header_but_kept_whole_below():
    title = "南韓影視產業為何成功 & 為何" * 20
    message = render_briefing(english_briefing(title=title, language="zh-Hant"))[0]

    header = message.blocks[0]["text"]["text"]
    assert slack_len(header) <= MAX_HEADER_TEXT and header.endswith("…")
    assert "*Title*\n" + escape_mrkdwn(title) in text_of(message)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("pasted text", "pasted text"),
        ("notes <!here>.txt", "notes &lt;!here&gt;.txt"),
        ("https://x.example/a|b>c", "<https://x.example/a%7Cb%3Ec|x.example/a%7Cb&gt;c>"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("https://x.example/" + "a" * 2000, "x.example (the full link is too long to show)"),
    ],
)
def test_only_http_sources_become_links_and_always_safely(source, expected):
    assert source_markup(source) == expected


def test_split_text_keeps_everything_and_never_cuts_an_entity():
    text = escape_mrkdwn("甲&乙<丙>" * 700 + "。" + "x&y " * 500)
    pieces = split_text(text, 100)

    assert all(0 < slack_len(p) <= 100 for p in pieces)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text)
    for piece in pieces:
        assert not re.search(r"&[a-z]{0,3}$", piece), piece
        assert not re.match(r"^[a-z]{1,3};", piece), piece


def test_split_text_counts_emoji_as_slack_does():
    pieces = split_text("😀" * 2000, MAX_SECTION_TEXT)
    assert len(pieces) == 2
    assert all(len(p.encode("utf-16-le")) // 2 <= MAX_SECTION_TEXT for p in pieces)  # UTF-16 units
    assert "".join(pieces) == "😀" * 2000


def test_sections_respect_the_section_limit():
    blocks = sections([escape_mrkdwn("long line & more " * 400), "short"], lead="*Lead*")
    assert all(slack_len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in blocks)
    assert blocks[0]["text"]["text"].startswith("*Lead*\n")


def test_a_huge_briefing_is_split_into_messages_that_each_fit():
    points = tuple(KeyPoint(zh="重點" * 1200 + f"#{n}", en="point " * 300, source_index=n) for n in range(20))
    keywords = tuple(Keyword(term=f"詞{n}", en="gloss; " * 60) for n in range(60))
    briefing = english_briefing(language="zh-Hant", key_points=points, keywords=keywords, notes=("note",) * 30)
    messages = render_briefing(briefing)

    assert len(messages) > 3
    for message in messages:
        assert_fits(message)
    everything = re.sub(r"\s", "", "".join(text_of(m) for m in messages))
    for point in points:
        assert re.sub(r"\s", "", point.zh) in everything
        assert re.sub(r"\s", "", point.en) in everything
    assert everything.count("note") >= 30
    assert f"part {len(messages)} of {len(messages)}" in text_of(messages[-1])


def test_point_replies_carry_both_languages_and_the_sentence(seed_briefing):
    translated = english_briefing(
        key_points=(
            KeyPoint(zh="港口關閉。", en="Ports close.", source_index=4),
            KeyPoint(zh=None, en="Schools shut <today>.", source_index=7),
        )
    )
    replies = render_point_replies(translated)

    assert [len(r) for r in replies] == [1, 1]
    first, second = (text_of(r[0]) for r in replies)
    assert first == "*Key point 1 of 2* · from sentence 5 of the article\nPorts close.\n*Chinese:*\n港口關閉。"
    assert second == "*Key point 2 of 2* · from sentence 8 of the article\nSchools shut &lt;today&gt;."
    for reply in render_point_replies(seed_briefing):
        assert_fits(reply[0])


def test_help_lists_every_form_escaped():
    message = render_help("/brief")
    text = text_of(message)

    for usage in ["/brief &lt;article text&gt;", "/brief &lt;link&gt;", "/brief thread &lt;text or link&gt;"]:
        assert f"`{usage}`" in text
    assert "<" not in json.dumps(list(message.blocks)) and "<" not in message.text
    assert_fits(message)


def test_a_changed_decision_names_the_message_it_replaces_in_the_readers_words():
    from adapters.slack.render import render_discussion
    from bot.text.discussion import brief_discussion, parse_discussion

    briefing = brief_discussion(parse_discussion("Ann: 上線日定了，就 3/12\nBob: 收到\nAnn: 上線日改到 3/19\nCara: 好"))
    for locale, words in (("en", "(replaces #1)"), ("zh-Hant", "(取代 #1)")):
        blocks = json.dumps([m.blocks for m in render_discussion(briefing, locale)], ensure_ascii=False)
        assert blocks.count(words) == 1

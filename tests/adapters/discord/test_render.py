"""The Discord renderer: every limit respected, nothing lost, article Markdown kept literal."""

from __future__ import annotations

import random

import pytest

from adapters.discord import limits
from adapters.discord.render import briefing_messages, help_embed, safe, thread_messages, thread_name
from bot import summarize
from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Stats, TranslatorInfo, translator_line
from bot.chat.commands import help_lines
from bot.chat.display import for_display
from fakes.discord_api import limit_violations


def wire(messages):
    """The messages as the JSON bodies discord.py would send."""
    return [{"embeds": [e.to_dict() for e in embeds]} for embeds in messages]


def all_text(bodies) -> str:
    parts = []
    for body in bodies:
        for e in body["embeds"]:
            parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text") or ""]
            parts += [f["name"] + "\n" + f["value"] for f in e.get("fields", [])]
    return "\n".join(parts)


def make_briefing(*, points, summary_zh="摘要。", summary_en=None, keywords=(), title=None, kind="glossary"):
    return Briefing(
        title=title,
        language="zh-Hant",
        source="https://example.com/news/1",
        summary=Bilingual(summary_zh, summary_en),
        key_points=tuple(points),
        keywords=tuple(keywords),
        translator=TranslatorInfo("cc-cedict" if kind == "glossary" else "test-llm", kind),
        stats=Stats(100, 90, 5, 0),
        notes=("English is a key-term glossary from CC-CEDICT, not a translation.",) if kind == "glossary" else (),
    )


@pytest.fixture(scope="module")
def seed_briefing(seed_text):
    return summarize(seed_text, source="seeds/000_ad45b660a4293367.txt")


def test_seed_is_one_message_within_every_limit(seed_briefing):
    bodies = wire(briefing_messages(for_display(seed_briefing)))
    assert len(bodies) == 1
    assert limit_violations(bodies[0]) == []
    embed = bodies[0]["embeds"][0]
    assert embed["description"] == seed_briefing.summary.zh  # the Chinese summary, whole
    assert 0 < len(embed["title"]) <= 256
    names = [f["name"] for f in embed["fields"]]
    assert sum(name.startswith("Key points 重點 · ") for name in names) == len(seed_briefing.key_points)
    # With the glossary, the English side is a labelled key-terms field, not a "summary".
    assert any("glossary" in name and "not a translation" in name for name in names)
    assert not any("English summary" in name for name in names)
    terms = next(f["value"] for f in embed["fields"] if f["name"].startswith("Keywords 關鍵詞"))
    for keyword in seed_briefing.keywords:
        assert f"**{keyword.term}**" in terms
        if keyword.en:
            assert keyword.en in terms
    footer = bodies[0]["embeds"][-1]["footer"]["text"]
    assert "seeds/000_ad45b660a4293367.txt" in footer
    assert "Chinese (Traditional)" in footer
    assert translator_line(seed_briefing) in footer


def test_translation_shows_english_summary_and_both_languages_per_point():
    points = [KeyPoint("南韓政府成立電影委員會。", "South Korea set up a film council.", 3)]
    briefing = make_briefing(
        points=points,
        summary_en="Korea's film industry grew with state help.",
        keywords=[Keyword("電影", "film")],
        kind="translation",
    )
    (body,) = wire(briefing_messages(for_display(briefing)))
    fields = {f["name"]: f["value"] for f in body["embeds"][0]["fields"]}
    assert fields["Summary 摘要"] == "*EN:* Korea's film industry grew with state help."
    assert fields["Key points 重點 · 1"] == "南韓政府成立電影委員會。\n*EN:* South Korea set up a film council."
    assert fields["Keywords 關鍵詞"] == "**電影** — film"
    assert "translated by test-llm" in body["embeds"][-1]["footer"]["text"]
    assert body["embeds"][0]["url"] == "https://example.com/news/1"


def test_oversized_briefing_is_split_and_nothing_is_lost():
    rng = random.Random(7)
    chars = "南韓政府電影產業影視投資市場行銷節奏主流觀光電子基礎委員會媒體中心"
    point_texts = ["".join(rng.choice(chars) for _ in range(900)) + f"第{n}點。" for n in range(20)]
    summary = "。".join("".join(rng.choice(chars) for _ in range(300)) for _ in range(30)) + "。"
    keywords = [Keyword(f"詞{n}", f"gloss number {n}") for n in range(200)]
    briefing = make_briefing(
        points=[KeyPoint(t, None, i) for i, t in enumerate(point_texts)], summary_zh=summary, keywords=keywords
    )

    bodies = wire(briefing_messages(for_display(briefing)))

    assert len(bodies) > 1
    for body in bodies:
        assert limit_violations(body) == []
    text = all_text(bodies)
    for point in point_texts:
        assert point in text
    descriptions = "".join(e.get("description") or "" for body in bodies for e in body["embeds"])
    assert descriptions == summary  # split across embeds, in order, without a character lost
    for keyword in keywords:
        assert f"**{keyword.term}** — {keyword.en}" in text
    assert "footer" in bodies[-1]["embeds"][-1]  # the footer closes the last message


def test_a_point_longer_than_a_field_continues_in_the_next_field():
    long_point = "。".join(f"第{n}句南韓影視產業的發展" for n in range(200))
    (body, *more) = wire(briefing_messages(for_display(make_briefing(points=[KeyPoint(long_point, None, 0)]))))
    fields = [f for b in [body, *more] for e in b["embeds"] for f in e.get("fields", [])]
    parts = [f["value"] for f in fields if f["name"].startswith("Key points 重點 · 1")]
    assert len(parts) > 1
    assert "".join(parts) == long_point
    assert all(f["name"] == "Key points 重點 · 1 (cont.)" for f in fields[1 : len(parts)])


def test_long_title_is_shortened_visibly_and_kept_whole_in_the_text():
    title = "南韓影視" * 100
    (body,) = wire(briefing_messages(for_display(make_briefing(points=[KeyPoint("一點。", None, 0)], title=title))))
    embed = body["embeds"][0]
    assert len(embed["title"]) == 256 and embed["title"].endswith("…")
    assert title in embed["description"]


def test_article_markdown_and_mentions_stay_literal():
    points = [KeyPoint("**大新聞** @everyone 看 <@123> 與 <@&456> 的 `code` ~~刪~~", None, 0)]
    (body,) = wire(briefing_messages(for_display(make_briefing(points=points))))
    value = body["embeds"][0]["fields"][0]["value"]
    assert "\\*\\*大新聞\\*\\*" in value
    assert "\\`code\\`" in value and "\\~\\~刪\\~\\~" in value
    assert "@everyone" not in value  # defused with a zero-width space; allowed_mentions is the real guard
    assert safe("https://example.com/a_b_c") == "https://example.com/a_b_c"  # links keep working


def test_thread_messages_one_per_point_with_both_languages_and_the_sentence(seed_briefing):
    messages = thread_messages(for_display(seed_briefing))
    assert len(messages) == len(seed_briefing.key_points)
    for n, (pieces, point) in enumerate(zip(messages, seed_briefing.key_points, strict=True), 1):
        assert len(pieces) == 1
        assert pieces[0].startswith(f"**{n}.** {point.zh}")
        assert f"sentence {point.source_index + 1} of the cleaned article" in pieces[0]
        assert limit_violations({"content": pieces[0]}) == []
    bilingual = make_briefing(points=[KeyPoint("南韓。", "South Korea.", 4)], kind="translation")
    assert thread_messages(for_display(bilingual)) == [
        ["**1.** 南韓。\n*EN:* South Korea.\n-# sentence 5 of the cleaned article"]
    ]
    assert len(thread_name(for_display(make_briefing(points=[KeyPoint("x", None, 0)], title="長" * 300)))) == 100


def test_a_huge_point_in_a_thread_is_several_messages_not_a_rejected_one():
    point = "南韓影視產業。" * 500
    (pieces,) = thread_messages(for_display(make_briefing(points=[KeyPoint(point, None, 0)])))
    assert len(pieces) > 1 and all(len(p) <= 2000 for p in pieces)
    assert point in "".join(pieces)


def test_help_lists_every_command_form():
    embed = help_embed().to_dict()
    for usage, what in help_lines("/brief text:", more=True):
        assert f"`{usage}` — {what}" in embed["description"]
    assert "url:" in embed["description"] and "thread: True" in embed["description"]
    assert limit_violations({"embeds": [embed]}) == []


@pytest.mark.parametrize("limit", [2, 7, 100, 1024])
def test_split_text_gives_the_text_back_in_pieces_within_the_limit(limit):
    rng = random.Random(limit)
    alphabet = "南韓。，\n a.b\\*_"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 3000)))
        pieces = limits.split_text(text, limit)
        assert "".join(pieces) == text
        assert all(0 < len(p) <= limit for p in pieces) or text == ""


def test_split_text_never_separates_an_escape_from_its_character():
    text = safe("*" * 3000)  # "\*" pairs only: every hard cut would fall inside one unless guarded
    for piece in limits.split_text(text, 1024):
        assert len(piece) % 2 == 0 and piece.startswith("\\*")


def test_a_changed_decision_names_the_message_it_replaces_in_the_readers_words():
    from adapters.discord.render import discussion_messages
    from bot.text.discussion import brief_discussion, parse_discussion

    briefing = brief_discussion(parse_discussion("Ann: 上線日定了，就 3/12\nBob: 收到\nAnn: 上線日改到 3/19\nCara: 好"))
    for locale, words in (("en", "(replaces #1)"), ("zh-Hant", "(取代 #1)")):
        text = all_text(wire(discussion_messages(briefing, locale)))
        assert text.count(words) == 1

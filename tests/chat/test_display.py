"""Script and order per channel: the Chinese side in the channel's script, languages in its order."""

import json

import pytest

from adapters.shell.render import render_json, render_markdown, render_point_replies, render_text
from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Stats, TranslatorInfo
from bot.chat.display import for_display
from bot.text.pipeline import summarize

SIMPLIFIED = (
    "软件公司昨天发布新的信息系统，政府表示将在下个月全面推广。"
    "这套系统可以让民众在网络上查询交通和天气信息。"
    "专家认为，软件产业的发展需要更多人才投入。"
)


@pytest.fixture(scope="module")
def seed_briefing(seed_text) -> Briefing:
    return summarize(seed_text, source="seeds/000_ad45b660a4293367.txt")


@pytest.fixture(scope="module")
def simplified_briefing() -> Briefing:
    return summarize(SIMPLIFIED, source="pasted")


def translated(language: str = "zh-Hant") -> Briefing:
    """A small briefing with both languages filled, as an LLM or offline model leaves it."""
    return Briefing(
        title="颱風逼近",
        language=language,
        source="pasted",
        summary=Bilingual(zh="颱風明天最接近。", en="The typhoon is closest tomorrow."),
        key_points=(KeyPoint(zh="颱風明天最接近。", en="The typhoon is closest tomorrow.", source_index=3),),
        keywords=(Keyword(term="颱風", en="typhoon", zh="颱風"),),
        translator=TranslatorInfo(name="openai:test", kind="translation"),
        stats=Stats(input_chars=10, clean_chars=10, sentences=4, duplicates_removed=0),
    )


def test_a_simplified_article_in_a_traditional_channel_comes_out_traditional(simplified_briefing):
    assert simplified_briefing.language == "zh-Hans"
    out = render_text(simplified_briefing, zh="hant")
    assert "軟體公司" in out and "資訊系統" in out  # s2twp: Taiwan words, not just characters
    assert "软件" not in out and "信息" not in out
    assert "Key points 重點" in out and "Keywords 關鍵詞" in out
    assert "Language: Chinese (Simplified)" in out  # the article's own script is still named


def test_a_traditional_article_in_a_simplified_channel_comes_out_simplified(seed_briefing):
    out = render_text(seed_briefing, zh="hans")
    assert "好莱坞" in out and "好萊塢" not in out
    assert "Key points 重点" in out and "Keywords 关键词" in out
    assert "重點" not in out and "關鍵詞" not in out


def test_without_a_script_setting_the_article_is_shown_as_written(simplified_briefing, seed_briefing):
    assert "软件" in render_text(simplified_briefing)
    assert "Key points 重点" in render_text(simplified_briefing)  # labels match the article's script
    assert for_display(seed_briefing, zh="hant").briefing is seed_briefing  # nothing to convert


def test_key_points_keep_citing_their_sentence(simplified_briefing):
    converted = for_display(simplified_briefing, zh="hant").briefing
    assert [p.source_index for p in converted.key_points] == [p.source_index for p in simplified_briefing.key_points]
    assert converted.key_points[0].zh != simplified_briefing.key_points[0].zh
    replies = render_point_replies(simplified_briefing, zh="hant")
    assert f"(sentence {simplified_briefing.key_points[0].source_index + 1})" in replies


def test_json_carries_the_script_but_not_the_order(simplified_briefing):
    data = render_json(simplified_briefing, zh="hant")
    assert data["language"] == "zh-Hans"
    assert "軟體" in data["summary"]["zh"]
    assert all("软件" not in (k["term"] or "") for k in data["keywords"])
    json.dumps(data)


def test_orders():
    b = translated()
    zh_first = render_text(b, order="zh-first")
    assert "摘要 Summary" in zh_first
    assert "  颱風明天最接近。\n  EN: The typhoon is closest tomorrow." in zh_first
    en_first = render_text(b, order="en-first")
    assert "Summary 摘要" in en_first
    assert "  The typhoon is closest tomorrow.\n  中文: 颱風明天最接近。" in en_first
    assert "  1. The typhoon is closest tomorrow.\n     中文: 颱風明天最接近。" in en_first
    zh_only = render_text(b, order="zh-only")
    assert "\n摘要\n" in zh_only and "The typhoon" not in zh_only and "  颱風\n" in zh_only
    en_only = render_text(b, order="en-only")
    assert "\nSummary\n" in en_only and "颱風明天" not in en_only and "  typhoon\n" in en_only
    md = render_markdown(b, order="en-first", zh="hans")
    assert "## Key points 重点" in md and "*中文:* 台风明天最接近。" in md


def test_only_one_language_never_leaves_a_section_empty(seed_briefing):
    out = render_text(seed_briefing, order="en-only")  # a glossary briefing has no English sentences
    assert "\nSummary\n  提到電影" in out
    assert "南韓 — " not in out and "  South Korea\n" in out


def test_an_english_article_gets_its_chinese_side_in_the_channels_script():
    b = Briefing(
        title="Typhoon nears",
        language="en",
        source="pasted",
        summary=Bilingual(zh="台风明天最接近，软件更新。", en="The typhoon is closest tomorrow."),
        key_points=(KeyPoint(zh="台风明天最接近。", en="The typhoon is closest tomorrow.", source_index=0),),
        keywords=(Keyword(term="typhoon", en="typhoon", zh="台风"),),
        translator=TranslatorInfo(name="openai:test", kind="translation"),
        stats=Stats(input_chars=10, clean_chars=10, sentences=1, duplicates_removed=0),
    )
    out = render_text(b, zh="hant")
    assert "中文: 颱風明天最接近，軟體更新。" in out and "typhoon — 颱風" in out
    assert "Typhoon nears" in out


@pytest.mark.parametrize(
    "locale, words",
    [
        (
            "en",
            [
                "Summary 摘要",
                "Key points 重點",
                "Note: English is a key-term glossary",
                "Source: seeds/",
                "Stats: 3,913 input characters",
            ],
        ),
        (
            "zh-Hant",
            [
                "Summary 摘要",
                "Key points 重點",
                "附註：英文只是 CC-CEDICT 的關鍵詞對照",
                "來源：seeds/",
                "統計：輸入 3,913 個字元",
                "（詞典裡沒有）",
                "語言：中文（繁體）",
            ],
        ),
        (
            "zh-Hans",
            [
                "Summary 摘要",
                "附注：英文只是 CC-CEDICT 的关键词对照",
                "来源：seeds/",
                "统计：输入 3,913 个字符",
                "（词典里没有）",
                "语言：中文（繁体）",
            ],
        ),
    ],
)
def test_each_locale_renders_the_seed(seed_briefing, locale, words):
    out = render_text(seed_briefing, locale)
    for word in words:
        assert word in out, word
    assert "好萊塢 — Hollywood" in out  # the article and its glossary are not the bot's words

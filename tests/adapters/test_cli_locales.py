"""The command line in three locales, with script and order, the feedback report, and chat settings."""

import json

from bot.briefing import Bilingual, Briefing, KeyPoint, Stats, TranslatorInfo
from bot.store import Store
from tests.conftest import SEED, run_cli

SIMPLIFIED = "软件公司昨天发布新的信息系统，政府表示将在下个月全面推广。这套系统可以让民众在网络上查询交通和天气信息。"


def test_brief_takes_locale_script_and_order():
    result = run_cli("brief", str(SEED), "--locale", "zh-Hans", "--zh", "hans", "--order", "zh-first", "--points", "2")
    assert result.code == 0, result.err
    assert "摘要 Summary" in result.out and "重点 Key points" in result.out and "关键词 Keywords" in result.out
    assert "好莱坞 — Hollywood" in result.out and "好萊塢" not in result.out
    assert "来源：" in result.out and "附注：英文只是" in result.out


def test_a_simplified_article_comes_out_traditional_from_the_command_line():
    result = run_cli("brief", "-", "--zh", "hant", stdin=SIMPLIFIED.encode())
    assert result.code == 0, result.err
    assert "軟體公司" in result.out and "資訊系統" in result.out and "Key points 重點" in result.out
    data = json.loads(run_cli("brief", "-", "--zh", "hant", "--format", "json", stdin=SIMPLIFIED.encode()).out)
    assert data["language"] == "zh-Hans" and "軟體" in data["summary"]["zh"]


def test_errors_come_in_the_chosen_locale():
    result = run_cli("brief", "-", "--locale", "zh-Hant", stdin=b"   ")
    assert result.code == 2
    assert result.err == "briefbot: 輸入是空的；請貼上一篇文章，或提供含有文章的檔案。\n"
    assert run_cli("brief", "-", stdin=b"").err.startswith("briefbot: The input is empty;")


def test_bad_choices_are_one_sentence():
    result = run_cli("brief", str(SEED), "--order", "zh-last")
    assert result.code == 2 and "invalid choice: 'zh-last'" in result.err and result.err.count("\n") == 1


def test_brief_uses_the_config_defaults_and_flags_win(tmp_path):
    config = tmp_path / "briefbot.toml"
    config.write_text('[bot]\nlocale = "zh-Hant"\nzh = "hans"\norder = "zh-only"\n', encoding="utf-8")
    result = run_cli("brief", str(SEED), "--config", str(config), "--points", "1")
    assert result.code == 0, result.err
    assert "\n重点\n" in result.out and "來源：" in result.out and "Hollywood" not in result.out
    flagged = run_cli("brief", str(SEED), "--config", str(config), "--locale", "en", "--zh", "hant", "--points", "1")
    assert "\n重點\n" in flagged.out and "Source: " in flagged.out


def test_chat_honours_the_config_and_settings_change_it(tmp_path):
    config = tmp_path / "briefbot.toml"
    config.write_text('[bot]\nlocale = "zh-Hans"\n', encoding="utf-8")
    env = {"BRIEFBOT_DB": str(tmp_path / "chat.db")}
    lines = "\n".join(
        [
            "/brief",
            "/brief help",
            "/brief settings",
            "/brief settings zh=maybe",
            "/brief settings locale=zh-Hant zh=hans order=en-only",
            f"/brief {SEED.relative_to(SEED.parent.parent)}",
            "/quit",
        ]
    )
    result = run_cli("chat", "--config", str(config), stdin=lines.encode(), env=env)
    assert result.code == 0, result.err
    out = result.out
    assert "briefbot: 没有可简报的内容：请在 /brief 后面粘贴文章或链接" in out  # the config's locale
    assert "/brief private <文字或链接>" in out and "/brief settings" in out  # the help in zh-Hans
    assert "locale=zh-Hans（简体中文）" in out
    assert "briefbot: zh 必须是 hant（繁体）或 hans（简体），而不是 'maybe'。" in out
    assert "設定已儲存。" in out and "order=en-only（只有英文）" in out
    assert "\nSummary\n" in out and "好莱坞" in out and "來源：" in out  # stored settings apply at once
    again = run_cli("chat", "--config", str(config), stdin=b"/brief settings\n", env=env)
    assert "locale=zh-Hant（繁體中文）" in again.out  # kept in the store


def _briefing(source: str, translator: str) -> Briefing:
    return Briefing(
        title=source,
        language="zh-Hant",
        source=source,
        summary=Bilingual(zh="颱風。", en=None),
        key_points=(KeyPoint(zh="颱風。", en=None, source_index=0),),
        keywords=(),
        translator=TranslatorInfo(name=translator, kind="glossary"),
        stats=Stats(input_chars=3, clean_chars=3, sentences=1, duplicates_removed=0),
    )


def test_feedback_prints_counts_and_the_worst(tmp_path):
    db = tmp_path / "votes.db"
    store = Store(f"sqlite:///{db}")
    good = store.remember_briefing(_briefing("https://good.example/a", "openai:qwen"))
    bad = store.remember_briefing(_briefing("https://bad.example/b", "cc-cedict"))
    for user in ("U1", "U2"):
        store.record_vote(good, platform="slack", channel="C1", user=user, vote=1)
        store.record_vote(bad, platform="discord", channel="9", user=user, vote=-1)
    store.close()
    result = run_cli("feedback", "--since", "7d", env={"BRIEFBOT_DB": str(db)})
    assert result.code == 0, result.err
    out = result.out
    assert "Feedback since " in out and "By source" in out and "By translator" in out
    assert "👍    2  👎    0     +2  https://good.example/a" in out
    assert "👍    0  👎    2     -2  cc-cedict" in out
    worst = out.split("Worst-rated briefings", 1)[1]
    assert "https://bad.example/b" in worst and "good.example" not in worst
    zh = run_cli("feedback", "--locale", "zh-Hant", env={"BRIEFBOT_DB": str(db)})
    assert "依來源" in zh.out and "評價最差的簡報" in zh.out
    empty = run_cli("feedback", env={"BRIEFBOT_DB": str(tmp_path / "none.db")})
    assert empty.code == 0 and empty.out == "No feedback yet.\n"
    bad_since = run_cli("feedback", "--since", "a week")
    assert bad_since.code == 2 and "--since takes an age like 7d" in bad_since.err

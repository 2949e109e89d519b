"""Feedback votes, channel settings and seen reactions in the store, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.briefing import Bilingual, Briefing, KeyPoint, Stats, TranslatorInfo
from bot.chat.settings import ChannelSettings
from bot.store import Store, briefing_key


def briefing(source: str, translator: str = "cc-cedict", title: str | None = None) -> Briefing:
    return Briefing(
        title=title or f"About {source}",
        language="zh-Hant",
        source=source,
        summary=Bilingual(zh="颱風明天最接近。", en=None),
        key_points=(KeyPoint(zh="颱風明天最接近。", en=None, source_index=0),),
        keywords=(),
        translator=TranslatorInfo(name=translator, kind="glossary"),
        stats=Stats(input_chars=8, clean_chars=8, sentences=1, duplicates_removed=0),
    )


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def test_one_vote_per_person_and_it_can_change(store):
    key = store.remember_briefing(briefing("https://news.example/a"))
    assert key == briefing_key(briefing("https://news.example/a")) and len(key) == 16
    assert store.remember_briefing(briefing("https://news.example/a")) == key  # remembering twice is fine
    store.record_vote(key, platform="slack", channel="C1", user="U1", vote=1)
    store.record_vote(key, platform="slack", channel="C1", user="U2", vote=1)
    assert store.votes_for(key) == (2, 0)
    changed = store.record_vote(key, platform="slack", channel="C1", user="U1", vote=-1)
    assert changed.vote == -1 and changed.source == "https://news.example/a" and changed.translator == "cc-cedict"
    assert store.votes_for(key) == (1, 1)
    store.record_vote(key, platform="discord", channel="9", user="U1", vote=-1)  # another platform's U1
    assert store.votes_for(key) == (1, 2)


def test_a_vote_must_be_up_or_down_on_a_remembered_briefing(store):
    key = store.remember_briefing(briefing("a"))
    with pytest.raises(ValueError):
        store.record_vote(key, platform="slack", channel="C1", user="U1", vote=2)
    with pytest.raises(KeyError):
        store.record_vote("0" * 16, platform="slack", channel="C1", user="U1", vote=1)


def test_the_report_counts_per_source_and_translator_and_finds_the_worst(store):
    good = store.remember_briefing(briefing("https://good.example/1", "openai:qwen"))
    bad = store.remember_briefing(briefing("https://bad.example/1", "cc-cedict", title="壞的簡報"))
    meh = store.remember_briefing(briefing("https://bad.example/2", "cc-cedict"))
    for user in ("U1", "U2", "U3"):
        store.record_vote(good, platform="slack", channel="C1", user=user, vote=1)
        store.record_vote(bad, platform="slack", channel="C1", user=user, vote=-1)
    store.record_vote(meh, platform="slack", channel="C1", user="U1", vote=-1)
    store.record_vote(meh, platform="slack", channel="C1", user="U2", vote=1)
    report = store.feedback_report()
    by_source = {t.name: (t.up, t.down) for t in report.by_source}
    assert by_source == {
        "https://good.example/1": (3, 0),
        "https://bad.example/1": (0, 3),
        "https://bad.example/2": (1, 1),
    }
    assert {t.name: (t.up, t.down) for t in report.by_translator} == {"openai:qwen": (3, 0), "cc-cedict": (1, 4)}
    assert [(t.name, t.title, t.score) for t in report.worst] == [("https://bad.example/1", "壞的簡報", -3)]
    assert store.feedback_report(datetime.now(UTC) + timedelta(minutes=1)).empty  # --since excludes older votes


def test_a_reaction_is_acted_on_once(store):
    assert store.claim_reaction("slack", "C1:1700000000.000100")
    assert not store.claim_reaction("slack", "C1:1700000000.000100")
    assert store.claim_reaction("discord", "C1:1700000000.000100")  # another platform's id is another message


def test_channel_settings_round_trip(store):
    assert store.channel_settings("discord", "42") == ChannelSettings()
    saved = store.update_channel_settings("discord", "42", ChannelSettings(zh="hans", order="zh-only"), "U1")
    assert saved == ChannelSettings(zh="hans", order="zh-only")
    store.update_channel_settings("discord", "42", ChannelSettings(reactions=True, reaction="🗞️"), "U2")
    assert store.channel_settings("discord", "42") == ChannelSettings(
        zh="hans", order="zh-only", reactions=True, reaction="🗞️"
    )

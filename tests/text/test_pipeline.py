import json
import re

import pytest

from bot import Briefing, InputError, summarize
from bot.text.clean import clean
from bot.text.dedupe import jaccard, normalise, shingles
from bot.text.pipeline import analyse
from tests.conftest import case_text

ENGLISH = """Storm Forces Closures Across the North

The weather agency issued a sea warning for a strong typhoon on Monday morning, saying the storm
would pass closest to the northern coast by Tuesday evening. Mountain areas in the north and east
could see torrential rain. City governments said they would announce by 8 p.m. whether offices and
schools will close. Domestic flights and ferries to outlying islands may be cancelled, and travellers
should check the latest information before leaving. The railway said trains on the eastern line would
slow down or stop if rainfall passed the warning level. Farmers were urged to harvest ripe crops early
and to reinforce greenhouses. Forecasters said the typhoon was moving slowly, so the rain could last
longer than usual, and people should stay away from rivers and streams in the mountains.
"""


@pytest.fixture(scope="module")
def seed_briefing(seed_text) -> Briefing:
    return summarize(seed_text, source="seed")


def _all_texts(briefing: Briefing) -> list[str]:
    d = briefing.to_dict()
    texts = [d["title"] or "", d["summary"]["zh"] or "", d["summary"]["en"] or ""]
    for p in d["key_points"]:
        texts += [p["zh"] or "", p["en"] or ""]
    for k in d["keywords"]:
        texts += [k["term"], k["en"] or "", k["zh"] or ""]
    return texts


def test_seed_key_points_are_distinct(seed_briefing):
    points = [p.zh for p in seed_briefing.key_points]
    assert len(points) == 5
    sets = [shingles(normalise(p)) for p in points]
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            assert jaccard(sets[i], sets[j]) < 0.5, (points[i], points[j])


def test_seed_no_newlines_anywhere(seed_briefing):
    assert all("\n" not in t for t in _all_texts(seed_briefing))


def test_seed_points_come_from_the_cleaned_article(seed_text, seed_briefing):
    cleaned = clean(seed_text).text
    for point in seed_briefing.key_points:
        assert point.zh and point.zh.removesuffix("…") in cleaned  # "…" marks dropped trailing clauses
        assert len(point.zh) <= 90
    # In document order, each naming the sentence it came from.
    indexes = [p.source_index for p in seed_briefing.key_points]
    assert indexes == sorted(indexes)
    assert all(0 <= i < seed_briefing.stats.sentences for i in indexes)


def test_seed_ninety_stays_whole(seed_briefing):
    for text in _all_texts(seed_briefing):
        if "年代" in text:
            assert "90年代" in text


def test_seed_keywords_and_glosses(seed_briefing):
    terms = {k.term: k for k in seed_briefing.keywords}
    # The names the article is about, Taiwan among them (its conclusion is about Taiwan).
    assert {"南韓", "好萊塢", "台灣"} <= terms.keys(), terms.keys()
    assert all(t in clean_seed_text() for t in terms)  # shown in the article's own script
    assert "Hollywood" in (terms["好萊塢"].en or "")


def clean_seed_text() -> str:
    from tests.conftest import SEED

    return clean(SEED.read_text(encoding="utf-8")).text


def test_seed_stats(seed_text, seed_briefing):
    s = seed_briefing.stats
    assert s.duplicates_removed == 6  # the six extra copies
    assert s.duplicate_sentences == 6 * s.sentences
    assert s.input_chars == len(seed_text)
    assert s.clean_chars < s.input_chars
    assert seed_briefing.language == "zh-Hant"


def test_summary_is_short_and_faithful(seed_text, seed_briefing):
    summary = seed_briefing.summary.zh
    assert summary and len(summary) <= 200
    cleaned = clean(seed_text).text
    # Every piece of the summary is text of the article ("…" marks trailing clauses left out).
    for piece in re.split("[。…]", summary.rstrip("。…")):
        assert piece in cleaned


def test_glossary_is_said_plainly(seed_briefing):
    assert seed_briefing.translator.kind == "glossary"
    assert seed_briefing.summary.en is None
    assert all(p.en is None for p in seed_briefing.key_points)
    assert any("glossary" in n and "not a translation" in n for n in seed_briefing.notes)


def test_json_shape_round_trips(seed_briefing):
    data = json.loads(json.dumps(seed_briefing.to_dict(), ensure_ascii=False))
    assert set(data) >= {"title", "language", "source", "summary", "key_points", "keywords", "translator", "stats"}
    assert set(data["summary"]) == {"zh", "en"}
    assert set(data["key_points"][0]) == {"zh", "en", "source_index"}
    assert {"term", "en"} <= set(data["keywords"][0])
    assert set(data["translator"]) == {"name", "kind", "attribution"}
    assert {"input_chars", "clean_chars", "sentences", "duplicates_removed"} <= set(data["stats"])
    assert Briefing.from_dict(data) == seed_briefing


def test_eval_cases(eval_cases):
    for case in eval_cases:
        briefing = summarize(case_text(case), points=len(case["reference_points"]))
        assert briefing.language == case["language"], case["id"]
        assert briefing.stats.duplicates_removed == case["copies"] - 1, case["id"]
        if "title" in case:
            assert briefing.title == case["title"]
        for fragment in case.get("must_drop", []):
            assert all(fragment not in t for t in _all_texts(briefing)), (case["id"], fragment)
        # As many points as asked, unless the article has fewer units that can stand alone.
        available = sum(analyse(case_text(case)).allowed)
        assert len(briefing.key_points) == min(len(case["reference_points"]), available), case["id"]


def test_points_parameter(seed_text):
    assert len(summarize(seed_text, points=2).key_points) == 2
    with pytest.raises(InputError, match="between 1 and 20"):
        summarize(seed_text, points=0)


def test_english_article():
    briefing = summarize(ENGLISH)
    assert briefing.language == "en"
    assert briefing.title == "Storm Forces Closures Across the North"
    assert briefing.summary.en and len(briefing.summary.en.split()) <= 120
    assert briefing.summary.zh is None
    assert all(p.en and p.zh is None for p in briefing.key_points)
    assert all(p.en in " ".join(ENGLISH.split()) for p in briefing.key_points)
    terms = [k.term for k in briefing.keywords]
    assert "typhoon" in terms
    typhoon = next(k for k in briefing.keywords if k.term == "typhoon")
    assert typhoon.zh == "颱風"  # Traditional by default


def test_simplified_article_keywords_stay_simplified(eval_cases):
    case = next(c for c in eval_cases if c["language"] == "zh-Hans")
    briefing = summarize(case_text(case))
    assert briefing.language == "zh-Hans"
    text = case_text(case)
    assert all(k.term in text for k in briefing.keywords)


@pytest.mark.parametrize("text", ["", "   \n\t", "。。。！！", "（本文来源：经济日报 编辑：李华）"])
def test_nothing_to_brief(text):
    with pytest.raises(InputError):
        summarize(text)


def test_text_over_the_limit():
    with pytest.raises(InputError, match="limit"):
        summarize("颱風來了。" * 1000, max_bytes=1000)

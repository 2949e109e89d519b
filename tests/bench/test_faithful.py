"""The faithfulness checks of bench/faithful.py catch what they are meant to, on hand-made briefings."""

from types import SimpleNamespace

import pytest

from bench import faithful
from bench.ablations import ABLATIONS
from bench.baselines import cut
from bench.evaldata import lcsts, sample, without_title
from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Stats, TranslatorInfo
from bot.text import rank

ARTICLE = "總統今天出席典禮，並致詞表示，國家發展需要大家努力。民國114年的預算已經送到立法院。"


def briefing(points=(), summary=None, title=None, keywords=()) -> Briefing:
    return Briefing(
        title=title,
        language="zh-Hant",
        source="text",
        summary=Bilingual(zh=summary, en=None),
        key_points=tuple(KeyPoint(zh=p, en=None, source_index=0) for p in points),
        keywords=tuple(Keyword(term=k, en=None) for k in keywords),
        translator=TranslatorInfo(name="glossary", kind="glossary"),
        stats=Stats(input_chars=0, clean_chars=0, sentences=0, duplicates_removed=0),
    )


def test_norm_removes_whitespace_and_widens_ascii_marks():
    assert faithful.norm("a, b:\nc;d?e!f.") == "a，b：c；d？e！f."


def test_a_stop_the_article_does_not_have_is_caught():
    text = ARTICLE
    good = briefing(points=["總統今天出席典禮"], summary="總統今天出席典禮，並致詞表示，國家發展需要大家努力。")
    assert faithful.fabricated(good, text) == []
    bad = briefing(
        points=["總統今天出席典禮。", "民國114年的預算…"], summary="總統今天出席典禮。民國114年的預算已經送到立法院。"
    )
    found = faithful.fabricated(bad, text)
    assert len(found) == 2
    assert found[0][1].startswith("key point 1") and found[1][1].startswith("summary")


def test_summary_pieces_keep_closing_quotes_and_ellipses():
    assert faithful.summary_pieces("他說：「好。」然後走了……最後", english=False) == [
        "他說：「好。」",
        "然後走了……",
        "最後",
    ]


def test_lost_paragraphs_are_caught_and_removed_pieces_excused():
    raw = "（記者王小明／台北報導）\n總統今天出席典禮。\n\n這一段不見了。\n\n（完）"
    cleaned = SimpleNamespace(text="總統今天出席典禮。", removed=("（記者王小明／台北報導）", "（完）"), title=None)
    lost, as_title = faithful.deleted(raw, cleaned)
    assert len(lost) == 1 and "這一段不見了" in lost[0][1]
    assert as_title == []
    cleaned = SimpleNamespace(text="總統今天出席典禮。", removed=(), headings=("這一段不見了。",), title="（完）")
    lost, as_title = faithful.deleted(raw, cleaned)
    assert len(lost) == 1 and "王小明" in lost[0][1]
    assert len(as_title) == 1


def test_markup_is_caught_even_when_wrapped():
    assert faithful.markup(briefing(points=["總統今天出席典禮"])) == []
    assert faithful.markup(briefing(points=["詳見 <https://example.org|原文>"]))
    assert faithful.markup(briefing(summary="詳見[原文](https:\n//example.org)。"))
    assert faithful.markup(briefing(keywords=["<!\nhere>"]))


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("總統今天出席典禮…", None),
        ("民國114年的預算已經送到立法院", None),  # not cut
        ("民國11…", "number"),
        ("總統今天出席典…", "word"),
        ("總統明天出席典禮…", "not in the article"),
    ],
)
def test_title_cuts(title, problem):
    found = faithful.cut_inside(title, ARTICLE, ARTICLE)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found[0]


def test_the_checks_run_on_a_real_briefing(seed_text):
    result = faithful.check(faithful.Case("dev", "seed", seed_text))
    assert not [v for v in result.violations if v[0] == "crash"]


def test_every_ablation_switch_changes_something_and_puts_it_back(seed_text):
    from bot import summarize

    assert ABLATIONS
    weights = dict(rank.WEIGHTS)
    flags = (rank.COVERAGE, rank.CONCLUSION)
    for ablation in ABLATIONS:
        with ablation.switch():
            pass
    assert rank.WEIGHTS == weights and (rank.COVERAGE, rank.CONCLUSION) == flags
    with ABLATIONS[0].switch():
        assert rank.WEIGHTS["lead"] == 0.0
    normal = summarize(seed_text)
    with next(a for a in ABLATIONS if "conclusion" in a.name).switch():
        assert summarize(seed_text) != normal  # the seed's conclusion is there only with the switch on


def test_data_helpers(tmp_path):
    with pytest.raises(ValueError):
        lcsts(tmp_path, "test")
    assert sample(list(range(10)), 3, seed=1) == sample(list(range(10)), 3, seed=1)
    assert sample(list(range(5)), None) == [0, 1, 2, 3, 4]
    assert without_title("標題\n\n內文。", "標題") == ("內文。", True)
    assert cut(["abc", "def"], 4) == ["abc", "d"]

"""Briefings an editor would sign: nothing cut out of the story, no stop the article does not
have, no markup, headings and editor's notes kept out, the article's point and its
conclusion covered, titles and keywords whole. One test per way the first version failed."""

from __future__ import annotations

import re

import pytest

from bot import summarize
from bot.text.clean import clean
from bot.text.markup import has_markup
from bot.text.pipeline import analyse
from bot.text.split import ZH_DEPENDENT
from tests.conftest import SEED, case_text, run_cli

FINDING = "研究團隊比對十年資料後發現，自2019年起，北部水庫的平均蓄水率逐年下降，已低於安全門檻。"


def _texts(briefing) -> list[str]:
    d = briefing.to_dict()
    out = [d["title"], d["summary"]["zh"] or "", d["summary"]["en"] or ""]
    out += [p["zh"] or "" for p in d["key_points"]] + [p["en"] or "" for p in d["key_points"]]
    return out + [k["term"] for k in d["keywords"]]


def _units_are_faithful(text: str) -> None:
    """Every unit shown ends with the article's own punctuation at that place, or with "…"."""
    a = analyse(text)
    for unit in a.units:
        assert a.cleaned.text[unit.start : unit.end] == unit.shown
        if unit.cut:
            assert unit.text == unit.shown + "…"
        else:
            assert unit.text == unit.shown and unit.shown[-1] in "。！？!?…；;」』”’）).", unit.text
    briefing = summarize(text)
    lang_own = [p.en if briefing.language == "en" else p.zh for p in briefing.key_points]
    for point in lang_own:
        assert point.removesuffix("…") in a.cleaned.text, point
        assert not point.lstrip("「『“").startswith(ZH_DEPENDENT), point
    summary = briefing.summary.en if briefing.language == "en" else briefing.summary.zh
    # The summary is whole units of the article, one after the other.
    rest = summary or ""
    while rest:
        match = next(
            (
                t
                for t in sorted(
                    {u.text for u in a.units} | {a.cleaned.text[slice(*u.whole)] for u in a.units}, key=len
                )[::-1]
                if rest.startswith(t)
            ),
            None,
        )
        assert match, rest
        rest = rest[len(match) :].lstrip()


# 1. Story text deleted as boilerplate ----------------------------------------------------


def test_a_wrapped_line_starting_like_boilerplate_is_story_text():
    raw = "市府表示，人才外流的問題同樣值得\n關注，若國內薪資無法改善，再多的培育計畫也留不住人。\n"
    assert clean(raw).text == "市府表示，人才外流的問題同樣值得關注，若國內薪資無法改善，再多的培育計畫也留不住人。"
    result = run_cli("brief", "-", stdin=raw.encode("utf-8"))
    assert result.code == 0, result.err
    assert "值得關注，若國內薪資無法改善" in result.out


def test_whole_boilerplate_lines_still_go():
    raw = "颱風逼近北部，各地嚴陣以待。\n關注我們的粉絲專頁\n點擊下載APP看更多\n分享到：臉書"
    cleaned = clean(raw)
    assert cleaned.text == "颱風逼近北部，各地嚴陣以待。"
    assert len(cleaned.removed) == 3


# 2. Clauses shown as sentences, with a stop the article does not have -------------------


def test_a_finding_is_never_cut_to_its_opening_clause_with_a_new_stop():
    text = "水庫蓄水告急。" + FINDING + "專家建議各地加強節水措施，並檢討水資源政策。"
    briefing = summarize(text)
    for piece in _texts(briefing):
        assert "自2019年起。" not in piece and "研究團隊比對十年資料後發現。" not in piece
    assert any(FINDING in p.zh for p in briefing.key_points if p.zh)


def test_key_points_never_start_with_a_clause_that_depends_on_the_one_before(seed_text):
    briefing = summarize(seed_text, points=8)
    for point in briefing.key_points:
        assert not point.zh.startswith(("如今", "卻", "還挖出")), point.zh


@pytest.mark.parametrize("case", ["seed", "dev_typhoon", "dev_ev_export"])
def test_every_unit_of_the_development_cases_is_faithful(eval_cases, case):
    _units_are_faithful(case_text(next(c for c in eval_cases if c["id"] == case)))


def test_english_units_are_faithful():
    from tests.text.test_pipeline import ENGLISH

    _units_are_faithful(ENGLISH)
    long = "However the plan, which " + "was debated for months, " * 20 + "was approved. It passed."
    _units_are_faithful("The council met on Monday. " + long)


# 3. Headings and editor's notes ------------------------------------------------------------

REPORT = """\
一、研究背景
研究團隊比對十年資料後發現，自2019年起，北部水庫的平均蓄水率逐年下降，已低於安全門檻。
（二）收入來源
市府今年的稅收增加了一成，主要來自房屋稅與地價稅。
## 結論
專家建議各地加強節水措施，並檢討水資源政策。
（原題為《水庫告急：北部蓄水率創新低》）
（本文轉載自天下雜誌）
（完）
【延伸閱讀】水庫的未來
"""


def test_headings_are_section_markers_and_notes_are_dropped():
    cleaned = clean(REPORT)
    assert cleaned.headings == ("一、研究背景", "（二）收入來源", "結論")
    assert cleaned.paragraphs[0] == FINDING
    assert len(cleaned.removed) == 4
    briefing = summarize(REPORT)
    for piece in _texts(briefing):
        for marker in ("研究背景", "收入來源", "原題", "轉載", "（完）", "延伸閱讀"):
            assert marker not in piece, piece


# 4. Chat markup ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted, plain",
    [
        ("請大家注意<!channel>，颱風來了。", "請大家注意，颱風來了。"),
        ("請大家注意<!chan\nnel>，颱風來了。", "請大家注意，颱風來了。"),
        ("詳見<https://news.example/a|氣象署公告>。", "詳見氣象署公告。"),
        ("詳見<https://news.exa\nmple/a|氣象署\n公告>。", "詳見氣象署公告。"),
        ("<@123456789012345678> 說颱風來了。", "說颱風來了。"),
        ("詳見[氣象署公告](https://news.example/a)與[另一則](https://evil.example)。", "詳見氣象署公告與另一則。"),
        ("詳見[氣象署\n公告](https://news.example/a)。", "詳見氣象署公告。"),
    ],
)
def test_chat_markup_becomes_plain_text(pasted, plain):
    assert clean(pasted).text == plain
    briefing = summarize(pasted + "颱風預計明天傍晚最接近北部海面，山區可能出現豪雨。")
    assert not any(has_markup(t) for t in _texts(briefing))


# 5. The article's point and its conclusion ------------------------------------------------


def test_the_seed_conclusion_about_taiwan_is_covered(seed_text):
    briefing = summarize(seed_text)
    assert any("台灣" in p.zh for p in briefing.key_points)
    assert "台灣" in briefing.summary.zh
    # Lead, development and conclusion: the points come from the whole article.
    indexes = [p.source_index for p in briefing.key_points]
    assert indexes[0] == 0 and indexes[-1] == briefing.stats.sentences - 1


def test_more_points_do_not_come_from_one_run_on(seed_text):
    briefing = summarize(seed_text, points=8)
    indexes = [p.source_index for p in briefing.key_points]
    assert len(indexes) == len(set(indexes)), indexes  # at most one point a sentence here
    assert any("台灣" in p.zh for p in briefing.key_points)


# 6. Titles ---------------------------------------------------------------------------------


def test_a_title_is_never_cut_inside_a_number_or_word():
    source = "市議會週二通過預算案金額達41848萬元創下歷年新高引發在野黨強烈批評認為財政紀律蕩然無存。議員明天再議。"
    zh = summarize(source)
    assert zh.title_from == "article" and zh.title.endswith("…") and len(zh.title) <= 41
    head = zh.title.removesuffix("…")
    assert source.startswith(head) and not (head[-1].isdigit() and source[len(head)].isdigit())
    from bot.text.analyse import jieba_module, to_simplified

    boundaries = {end for _, _, end in jieba_module().tokenize(to_simplified(source))}
    assert len(head) in boundaries  # a word boundary, never inside 財政 or 41848
    en = summarize(
        "The city council voted on Tuesday to approve a new budget of 41,848 million dollars for the coming "
        "fiscal year despite strong objections from the opposition. The mayor welcomed the vote."
    )
    head = en.title.removesuffix("…")
    assert en.title.endswith("…") and " ".join(en.to_dict()["key_points"][0]["en"].split()).startswith(head)
    following = en.key_points[0].en[len(head) : len(head) + 1]
    assert following in (" ", ""), en.title  # cut at a space: never "Tue…" or "41…"


def test_the_seed_title_is_a_headline_not_a_sentence_cut_at_29_characters(seed_text):
    briefing = summarize(seed_text)
    assert briefing.title_from == "article" and len(briefing.title) <= 41
    first = briefing.key_points[0].zh
    head = briefing.title.removesuffix("…")
    assert first.startswith(head) and first[len(head)] in "，、；：。"


def test_a_source_title_wins():
    briefing = summarize("標題：颱風逼近北部\n氣象署今天發布海上警報。颱風明天最接近北部。")
    assert briefing.title == "颱風逼近北部" and briefing.title_from == "source"


# 7. Keywords --------------------------------------------------------------------------------


def test_keywords_are_whole_words_and_names(seed_text):
    terms = [k.term for k in summarize(seed_text).keywords]
    for fragment in ("卻成", "奠下", "輔導", "打造"):
        assert fragment not in terms
    assert terms.index("台灣") < 8
    geofence = "警方在園區設置電子圍欄，電子圍欄可以即時回報越界車輛。業者表示，電子圍欄的費用由市府負擔。停入的車輛在3個村之間移動。"
    terms = [k.term for k in summarize(geofence).keywords]
    assert "電子圍欄" in terms and "圍欄" not in terms
    assert not {"个村", "個村", "停入"} & set(terms)


def test_a_dictionary_compound_is_kept_whole():
    text = "政府除了電影輔導金補助，對於產業幾乎不去關心。台灣影視需要的不只是輔導金而已。"
    terms = [k.term for k in summarize(text).keywords]
    assert "輔導金" in terms and "輔導" not in terms


def test_the_readme_seed_command_still_works():
    result = run_cli("brief", str(SEED))
    assert result.code == 0 and "台灣" in result.out


def test_a_title_never_splits_a_number_with_a_separator():
    source = "馬英九總統上午出席102年臺北市各界紀念大成至聖先師孔子誕辰2,563年釋奠典禮，緬懷先師並向教師致意。"
    title = summarize(source).title
    head = title.removesuffix("…")
    assert source.startswith(head)
    assert not re.search(r"\d[,.]?$", head) or not source[len(head)].isdigit(), title


def test_a_byline_or_a_date_before_the_text_is_not_its_title():
    for first in ("（記者王小明／台北報導）", "中華民國八十二年元月五日"):
        briefing = summarize(first + "\n總統今天出席典禮，致詞時表示將持續推動改革。改革的細節下週公布。")
        assert first not in briefing.title and briefing.title_from == "article"


def test_a_link_alone_on_its_line_is_navigation_not_a_point():
    text = "總統今天出席典禮，致詞時表示將持續推動改革。\n[原文連結](https://x.example/a)\n改革的細節下週公布。"
    briefing = summarize(text)
    assert all("原文連結" not in t for t in _texts(briefing))


def _glued(summary: str, cleaned: str) -> list[str]:
    """Places where the summary puts side by side two characters the article never does, other
    than after a sentence's end or at a "…" that marks what was left out."""
    return [
        summary[i : i + 2]
        for i in range(len(summary) - 1)
        if summary[i] not in "。！？!?…」』”’）)" and summary[i + 1] != "…" and summary[i : i + 2] not in cleaned
    ]


def test_a_summary_never_glues_part_of_a_sentence_to_the_next(eval_cases):
    part = "政府推出新的補助方案，預計明年上路並且擴大適用對象"
    text = "；".join([part] * 5) + "。另外，市府也宣布調整公車票價，將從下個月開始實施新的票價方案。"
    assert _glued(summarize(text).summary.zh, clean(text).text) == []
    for case in eval_cases:
        raw = case_text(case)
        assert _glued(summarize(raw).summary.zh, clean(raw).text) == [], case["id"]


def test_a_report_of_a_speech_is_no_commentary_whose_conclusion_must_be_kept():
    body = (
        "這次研討會聚集了來自二十個國家的學者，討論海洋資源的保育與永續利用。"
        "近年來沿海漁獲量明顯下降，許多漁村的年輕人紛紛離鄉到都市工作謀生。"
        "研究人員發現，過度捕撈與棲地破壞是造成漁業資源枯竭的兩大主要原因。"
        "各國也分享了設立海洋保護區的經驗，有些地區的魚群數量已經逐步恢復。"
        "地方政府與漁會合作推動休漁期，並輔導漁民轉型發展觀光與養殖產業。"
        "國際組織則提供技術與資金，協助開發中國家建立漁業資源的監測系統。"
        "我們應該在經濟發展與生態保護之間找到平衡，讓下一代仍有魚可捕。"
    )
    closing = "我們應該在經濟發展與生態保護之間找到平衡，讓下一代仍有魚可捕。"
    argued = summarize("海洋的未來取決於今天的選擇。" + body)
    assert closing in argued.summary.zh  # commentary: its conclusion is kept
    reported = summarize("總統今天上午出席海洋保育國際研討會開幕典禮，致詞時表示，" + body)
    assert closing not in reported.summary.zh  # the president's speech, reported: article order

"""The glossary made useful: one fitting sense, compounds and names before their parts, lemmas."""

import pytest

from bot import summarize
from bot.translate import cedict
from bot.translate.base import TranslationRequest
from bot.translate.glossary import GlossaryTranslator, chinese_term, english_term
from bot.translate.names import known_names
from tests.conftest import SEED

TITLES = (
    "韓國電影產業近年崛起。韓劇「冬季戀歌」在亞洲走紅，電影「寄生上流」更拿下奧斯卡。"
    "韓劇「冬季戀歌」的成功讓業者羨慕，電影「寄生上流」也賣座。"
    "知名漫畫家魚夫表示，台灣需要的不只是輔導金。"
)
GEOFENCE = (
    "交通局在园区设置电子围栏，越界的共享单车会被记录。业者表示，电子设备由业者维护，费用由市府负担。"
    "共享单车的停放问题已经改善。"
)
GRANT = "政府除了輔導金補助，也提供低利貸款。電影業者表示，補助的申請很複雜，電影業者希望簡化流程。文化部說會檢討。"


def glossary(text: str, keywords: int = 12) -> dict[str, str | None]:
    briefing = summarize(text, keywords=keywords, translator=GlossaryTranslator())
    return {k.term: k.en for k in briefing.keywords}


def test_one_sense_per_term_the_usual_one():
    assert english_term("產業") == "industry"  # not "industry; estate; property"
    assert english_term("电影") == "movie"
    assert cedict.english_gloss("行政院") == "Executive Yuan"  # not the entry's whole explanation
    # Surname senses still never win, and variants are still followed.
    assert english_term("魚") == "fish" and english_term("台灣") == "Taiwan"


def test_known_names_in_both_scripts():
    names = known_names()
    assert names["台積電"] == names["台积电"] == "TSMC"
    assert names["行政院"] == "Executive Yuan" and names["立法院"] == "Legislative Yuan"
    assert names["新台幣"] == names["新台币"] == "NT$"
    assert english_term("台積電") == "TSMC"  # not "Taiwan Semiconductor Manufacturing Company, founded in 1987"


def test_a_compound_said_once_is_glossed_whole_not_by_its_part():
    terms = glossary(GRANT)
    assert terms.get("輔導金") == "grant"
    assert "輔導" not in terms


def test_a_geofence_is_not_a_fence():
    terms = glossary(GEOFENCE)
    assert terms.get("电子围栏") == "geofence"
    assert "围栏" not in terms


def test_a_title_is_one_term_and_gets_no_common_noun_sense():
    terms = glossary(TITLES)
    assert "冬季戀歌" in terms and "寄生上流" in terms
    assert terms["冬季戀歌"] is None
    # No piece of a title stands as a keyword with its dictionary sense ("love song", "parasite").
    assert not {"戀歌", "冬季", "寄生", "上流"} & set(terms)


def test_a_person_is_not_glossed_as_a_common_noun():
    terms = glossary(TITLES)
    assert "魚夫" in terms and terms["魚夫"] is None  # the cartoonist, not "fisher"
    seed = glossary(SEED.read_text(encoding="utf-8"), keywords=20)
    assert "魚夫" in seed and seed["魚夫"] is None  # 工作者魚夫: quoted, a person
    assert seed["明白"] == "clear"  # jieba tags it a name; CC-CEDICT's common entry wins


@pytest.mark.parametrize(
    "word, expected",
    [("routes", "路線"), ("drivers", "司機"), ("voted", "投票"), ("buses", "公車"), ("city", "城市")],
)
def test_english_words_are_lemmatised_and_get_the_everyday_sense(word, expected):
    assert chinese_term(word, "zh-Hant") == expected


def test_a_phrase_entry_picks_the_sense_that_fits():
    context = "Night buses run every twenty minutes on the new routes."
    assert chinese_term("run", "zh-Hant", context=context) == "行駛"
    assert chinese_term("run", "zh-Hans", context=context) == "行驶"
    assert chinese_term("run", "zh-Hant", context="She will run in the park.") != "行駛"
    result = GlossaryTranslator().translate(
        TranslationRequest("en", "zh-Hant", context, (context,), ("buses", "run", "routes"))
    )
    assert result.keywords == ("公車", "行駛", "路線")

from bot.translate import cedict
from bot.translate.base import TranslationRequest
from bot.translate.glossary import GlossaryTranslator, chinese_term


def test_known_terms():
    assert "Hollywood" in cedict.english_gloss("好萊塢")
    assert "Hollywood" in cedict.english_gloss("好莱坞")  # Simplified headword too
    assert cedict.english_gloss("南韓") == "South Korea"


def test_variant_entries_are_followed():
    # CC-CEDICT says only "variant of 臺灣|台湾" for 台灣.
    assert any("variant of" in s for e in cedict.lookup("台灣") for s in e.senses)
    assert cedict.english_gloss("台灣") == "Taiwan"


def test_surname_and_measure_word_senses_are_skipped():
    fish = cedict.english_gloss("魚")
    assert fish is not None and "surname" not in fish and "fish" in fish
    government = cedict.english_gloss("政府")
    assert government == "government"  # no "CL:個|个[ge4]"


def test_all_readings_are_kept():
    readings = {e.pinyin for e in cedict.lookup("魚")}
    assert readings >= {"Yu2", "yu2"}


def test_unknown_terms_stay_unknown_never_glued():
    # 諜報片 and 裴勇俊 are not in CC-CEDICT; their characters are, but must not be glued.
    assert cedict.lookup("諜報片") == ()
    assert cedict.english_gloss("諜報片") is None
    assert cedict.english_gloss("裴勇俊") is None


def test_glossary_translator_fills_only_keywords():
    result = GlossaryTranslator().translate(
        TranslationRequest(
            "zh-Hant", "en", "南韓政府成立電影委員會。", ("南韓政府成立電影委員會",), ("好萊塢", "諜報片")
        )
    )
    assert result.info.kind == "glossary"
    assert result.summary is None and result.key_points == (None,)
    assert result.keywords[0] == "Hollywood" and result.keywords[1] is None


def test_english_to_chinese_terms():
    assert chinese_term("government", "zh-Hant") == "政府"
    assert chinese_term("Hollywood", "zh-Hans") == "好莱坞"
    assert chinese_term("zzzxq", "zh-Hant") is None

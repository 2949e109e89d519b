from bot.text.clean import clean, is_boilerplate_line, join_wrapped, normalise_punctuation, wrap_width


def test_seed_wraps_rejoin_inside_words_and_numbers(seed_text):
    text = clean(seed_text).text
    assert "\n" not in text  # one paragraph, hard wraps gone
    # The seed wraps 好萊|塢 and 9|0年代 in some copies; both must come back whole.
    assert "9\n0" in seed_text and "好萊\n塢" in seed_text
    assert "好萊 塢" not in text and "9 0" not in text
    assert text.count("90年代") == 7
    assert text.count("好萊塢") == 14


def test_join_rules():
    assert join_wrapped("好萊", "塢的電影") == "好萊塢的電影"
    assert join_wrapped("約9", "0年代") == "約90年代"
    assert join_wrapped("the quick", "brown fox") == "the quick brown fox"
    assert join_wrapped("影視。", "Netflix") == "影視。Netflix"
    assert join_wrapped("inter-", "national") == "inter-national"


def test_blank_line_is_a_paragraph_break():
    cleaned = clean("第一段的內容寫在這裡，\n還沒結束。\n\n第二段開始了，內容很短。")
    assert cleaned.paragraphs == ("第一段的內容寫在這裡，還沒結束。", "第二段開始了，內容很短。")


def test_half_width_punctuation_inside_chinese():
    assert normalise_punctuation("工作者魚夫:這一整套") == "工作者魚夫：這一整套"
    assert normalise_punctuation("他說,好嗎?真的!是;不是") == "他說，好嗎？真的！是；不是"
    # Not between digits, not in English.
    assert normalise_punctuation("會議在3:30開始，金額1,000元") == "會議在3:30開始，金額1,000元"
    assert normalise_punctuation("Hello, world: fine; ok?") == "Hello, world: fine; ok?"


def test_title_from_short_first_line():
    cleaned = clean("新能源汽车出口继续保持增长\n今年前十个月，出口量同比增长约三成。行业协会认为需求上升。")
    assert cleaned.title == "新能源汽车出口继续保持增长"
    assert cleaned.paragraphs[0].startswith("今年前十个月")


def test_title_from_prefix():
    cleaned = clean("標題：颱風逼近北部\n氣象署今天發布海上警報。")
    assert cleaned.title == "颱風逼近北部"
    assert cleaned.text == "氣象署今天發布海上警報。"


def test_wrapped_first_line_is_not_a_title(seed_text, eval_cases):
    # Every seed line is 32 characters: the first one starts the article.
    assert wrap_width(seed_text.split("\n")) == 32
    assert clean(seed_text).title is None


def test_sentence_first_line_is_not_a_title():
    assert clean("今天天氣很好。\n明天會下雨。").title is None


def test_boilerplate_lines_are_dropped():
    raw = "\n".join(
        [
            "新能源汽车出口继续保持增长",
            "本报记者 李华 王明",
            "記者王小明／台北報導",
            "今年前十个月，出口量同比增长约三成。（圖／記者陳大文攝）",
            "（本文来源：经济日报 编辑：李华）",
            "【版权声明】本文版权归原作者所有",
            "轉載請註明出處",
            "（圖／路透社）",
        ]
    )
    cleaned = clean(raw)
    assert cleaned.title == "新能源汽车出口继续保持增长"
    assert cleaned.paragraphs == ("今年前十个月，出口量同比增长约三成。",)
    assert len(cleaned.removed) == 7


def test_inline_byline_at_paragraph_start():
    cleaned = clean("〔記者王小明／台北報導〕氣象署今天發布颱風警報。")
    assert cleaned.text == "氣象署今天發布颱風警報。"


def test_ordinary_sentences_are_not_boilerplate():
    for line in ["記者會上，部長表示將提高預算。", "政府編列預算支持產業。", "圖書館今天開放。"]:
        assert not is_boilerplate_line(line), line


def test_eval_must_drop(eval_cases):
    from tests.conftest import case_text

    for case in eval_cases:
        cleaned = clean(case_text(case))
        for fragment in case.get("must_drop", []):
            assert fragment not in cleaned.text, (case["id"], fragment)
        if "title" in case:
            assert cleaned.title == case["title"]

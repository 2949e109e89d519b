import random

from bot.text.dedupe import dedupe, jaccard, normalise, shingles
from bot.text.split import MAX_UNIT_CHARS, Span, depends_on_previous, make_units, split_sentences


def _spans(texts):
    return split_sentences(["".join(texts)])


def test_sentences_end_on_marks_and_keep_closing_quotes():
    spans = split_sentences(["他說：「我們會贏。」大家都笑了！真的嗎？……好吧…"])
    assert [s.text for s in spans] == ["他說：「我們會贏。」", "大家都笑了！", "真的嗎？……", "好吧…"]


def test_spans_point_into_the_cleaned_text():
    paragraphs = ["第一句。第二句！", "第三句？"]
    text = "\n".join(paragraphs)
    for span in split_sentences(paragraphs):
        assert text[span.start : span.end] == span.text


def test_english_sentences_respect_abbreviations():
    spans = split_sentences(
        ["Mr. Smith went to Washington. He met Dr. Lee at 3 p.m. on Monday. It rained."], english=True
    )
    assert [s.text for s in spans] == [
        "Mr. Smith went to Washington.",
        "He met Dr. Lee at 3 p.m. on Monday.",
        "It rained.",
    ]


def test_long_run_on_shows_its_leading_clauses_marked_as_cut(seed_text):
    from bot.text.clean import clean

    cleaned = clean(seed_text)
    sentences = dedupe(split_sentences(cleaned.paragraphs)).sentences
    longest = max(sentences, key=lambda s: len(s.text))
    assert len(longest.text) > 200  # the seed's run-on, its full stops missing
    (unit,) = make_units([longest])
    assert unit.cut and unit.text.endswith("…") and "。" not in unit.text
    assert len(unit.text) <= MAX_UNIT_CHARS
    assert longest.text.startswith(unit.shown)
    assert longest.text[len(unit.shown)] in "，、；：", "cut only after a whole clause"
    assert cleaned.text[unit.start : unit.end] == unit.shown


def test_a_dependent_sentence_joins_the_one_before():
    sentences = split_sentences(["市府今天宣布調漲票價。但議員批評時機不對。另一則消息是颱風。"])
    units = make_units(sentences)
    assert [u.text for u in units] == ["市府今天宣布調漲票價。但議員批評時機不對。", "另一則消息是颱風。"]
    assert depends_on_previous("但議員批評時機不對。") and depends_on_previous("However, it rained.", english=True)
    assert not depends_on_previous("議員批評時機不對。")


def test_a_long_sentence_splits_at_its_semicolons_and_never_ends_on_a_new_stop():
    part = "政府推出新的補助方案，預計明年上路"
    text = "；".join([part] * 6) + "。"
    units = make_units(split_sentences([text]))
    assert len(units) > 1
    for unit in units:
        assert unit.text.endswith(("；", "。", "…")) and unit.shown in text
        assert len(unit.text) <= MAX_UNIT_CHARS


def test_seed_copies_removed(seed_text):
    from bot.text.clean import clean

    result = dedupe(split_sentences(clean(seed_text).paragraphs))
    assert result.duplicate_passages == 6
    assert result.duplicate_sentences == 6 * len(result.sentences)
    keys = [normalise(s.text) for s in result.sentences]
    assert len(set(keys)) == len(keys)


def test_near_copy_is_dropped_first_kept():
    a = "南韓政府還成立電影委員會及媒體中心，不僅位階及預算都夠高，也延攬實務界人士，以經營自有品牌心態，大力打造商業影視產品。"
    b = "南韓政府還成立電影委員會及媒體中心，不僅位階及預算都夠高，也延攬實務界人士，以經營自有品牌的心態，大力打造商業影視產品。"
    c = "反觀國內仍停留在幫好萊塢代工就滿足的心態。"
    assert jaccard(shingles(normalise(a)), shingles(normalise(b))) >= 0.8
    result = dedupe(_spans([a, c, b]))
    assert [s.text for s in result.sentences] == [a, c]
    assert result.duplicate_sentences == 1


def test_different_sentences_of_the_seed_are_far_apart(seed_text):
    from bot.text.clean import clean

    kept = dedupe(split_sentences(clean(seed_text).paragraphs)).sentences
    sets = [shingles(normalise(s.text)) for s in kept]
    worst = max(jaccard(sets[i], sets[j]) for i in range(len(sets)) for j in range(i + 1, len(sets)))
    assert worst < 0.1


def _brute_force(texts, threshold=0.8):
    kept, kept_sets = [], []
    for t in texts:
        key = normalise(t)
        s = shingles(key)
        if any(
            normalise(k) == key or (len(key) > 4 and jaccard(s, ks) >= threshold)
            for k, ks in zip(kept, kept_sets, strict=True)
        ):
            continue
        kept.append(t)
        kept_sets.append(s)
    return kept


def test_prefix_filter_finds_what_brute_force_finds():
    rng = random.Random(7)
    alphabet = "政府電影產業南韓台灣市場投資媒體中心觀眾亞洲合作經驗"
    base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(8, 40))) for _ in range(60)]
    texts = []
    for t in base:
        texts.append(t + "。")
        if rng.random() < 0.5:  # a perturbed copy: one character changed
            i = rng.randrange(len(t))
            texts.append(t[:i] + rng.choice(alphabet) + t[i + 1 :] + "。")
    rng.shuffle(texts)
    spans = [Span(t, 0, len(t), 0) for t in texts]
    assert [s.text for s in dedupe(spans).sentences] == _brute_force(texts)


def test_a_run_without_any_clause_mark_is_cut_at_a_word_boundary():
    text = "南韓政府" * 60 + "。"
    (unit,) = make_units([Span(text, 0, len(text), 0)])
    assert unit.cut and unit.text.endswith("…") and len(unit.text) <= MAX_UNIT_CHARS
    assert len(unit.shown) % 2 == 0  # 南韓|政府: never half a word
    digits = "金額" + "41848" * 30 + "萬元。"
    (unit,) = make_units([Span(digits, 0, len(digits), 0)])
    assert not unit.shown[-1].isdigit() or not digits[len(unit.shown)].isdigit()


def test_half_width_marks_inside_words_do_not_end_sentences():
    spans = split_sentences(["請大家注意<!channel>的通知。真的嗎?是的!"])
    assert [s.text for s in spans] == ["請大家注意<!channel>的通知。", "真的嗎?", "是的!"]


def test_the_quick_comparison_key_is_exactly_nfkc_folded_letters_and_digits():
    """normalise skips NFKC for text already normalised once full-width punctuation is gone; the
    key must still be the plain definition's for every character, alone and beside a combining
    mark or a Hangul lead (where NFKC composes across characters)."""
    import re
    import unicodedata

    not_word = re.compile(r"[\W_]+")

    def plain(text: str) -> str:
        return not_word.sub("", unicodedata.normalize("NFKC", text).lower())

    differ = []
    for code in range(0x20, 0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        c = chr(code)
        for text in ("a" + c + "b", c + "\u0301", "\u1100" + c, "，" + c + "。"):
            if normalise(text) != plain(text):
                differ.append(text)
    assert differ == []
    assert normalise("ＡＢＣ，１２３。") == "abc123"

"""The lazy loaders behind analysis: each loads once, and the fast paths give jieba's own results."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from bot.text import analyse


def _ask_together(fn, n: int = 6) -> list:
    """Call ``fn`` from ``n`` threads released at the same instant; return what each got."""
    barrier = threading.Barrier(n)
    results: list = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            barrier.wait()
            results.append(fn())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(results) == n
    return results


def test_idf_table_is_built_once_when_six_threads_ask_at_once(monkeypatch):
    builds: list[int] = []
    real = analyse._cached_idf

    def counting(path):
        builds.append(threading.get_ident())
        time.sleep(0.2)  # a slow load: every other thread arrives while this one is loading
        return real(path)

    monkeypatch.setattr(analyse, "_cached_idf", counting)
    analyse.zh_idf.cache_clear()
    results = _ask_together(analyse.zh_idf)
    assert len(builds) == 1
    assert all(r is results[0] for r in results)
    table, median = results[0]
    assert len(table) > 100_000 and table.get("南韩", median) != median


def test_load_once_builds_once_and_can_be_cleared():
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        time.sleep(0.1)
        return object()

    lazy = analyse.LoadOnce(build)
    assert not lazy.loaded
    first = _ask_together(lazy)
    assert len(calls) == 1 and all(r is first[0] for r in first) and lazy.loaded
    lazy.cache_clear()
    assert lazy() is not first[0] and len(calls) == 2


def test_converters_are_built_once(monkeypatch):
    import opencc

    built: list[str] = []
    real = opencc.OpenCC

    class Counting(real):
        def __init__(self, config: str) -> None:
            built.append(config)
            time.sleep(0.1)
            super().__init__(config)

    monkeypatch.setattr(opencc, "OpenCC", Counting)
    for lazy in analyse._CONVERTERS.values():
        lazy.cache_clear()
    try:
        _ask_together(lambda: (analyse.to_simplified("臺灣"), analyse.to_traditional("台湾")))
        assert sorted(built) == ["s2t", "t2s"]
    finally:
        for lazy in analyse._CONVERTERS.values():
            lazy.cache_clear()  # the next caller builds real converters again


@pytest.fixture(scope="module")
def jieba_built_cache(tmp_path_factory):
    """A jieba tokenizer initialised by jieba itself from dict.txt, and the cache it wrote."""
    jieba = analyse.jieba_module()
    tmp = tmp_path_factory.mktemp("jieba")
    built = jieba.Tokenizer()
    built.tmp_dir = str(tmp)
    built.initialize()  # no cache there: jieba parses dict.txt and writes tmp/jieba.cache
    assert (tmp / "jieba.cache").is_file()
    return jieba, built, tmp


def test_fast_jieba_cache_gives_exactly_jiebas_tokens(jieba_built_cache, seed_text):
    jieba, built, tmp = jieba_built_cache
    fast = jieba.Tokenizer()
    fast.tmp_dir = str(tmp)
    assert analyse._load_jieba_cache(fast)
    assert fast.initialized and fast.total == built.total and fast.FREQ == built.FREQ
    for text in (seed_text, analyse.to_simplified(seed_text)):
        assert fast.lcut(text) == built.lcut(text)
    # And the tokenizer briefbot uses is jieba's own default one, ready, with our list of names taught.
    from bot.text.entities import teach

    teach(built)
    assert analyse.jieba_module().dt.initialized
    assert analyse.jieba_module().lcut(seed_text) == built.lcut(seed_text)


def test_without_a_cache_jieba_initialises_itself(tmp_path):
    jieba = analyse.jieba_module()
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(tmp_path)
    assert not analyse._load_jieba_cache(tokenizer)  # nothing to read: jieba.initialize() will build it
    assert not tokenizer.initialized
    (tmp_path / "jieba.cache").write_bytes(b"not marshal")
    assert not analyse._load_jieba_cache(tokenizer)
    custom = jieba.Tokenizer(str(tmp_path / "my_dict.txt"))
    assert not analyse._load_jieba_cache(custom)  # a custom dictionary is left to jieba (it checks times)


def test_importing_jieba_leaves_pkg_resources_importable():
    analyse.jieba_module()
    assert sys.modules.get("pkg_resources", "absent") is not None


def _reference_language(text: str) -> str:
    """detect_language as first written: character by character, both conversions always."""
    from bot.text.script import han_ratio

    sample = text[:20000]
    if han_ratio(sample) < 0.3:
        return "en"
    simplified = analyse._converter("t2s").convert(sample)
    traditional = analyse.to_traditional(sample)
    traditional_only = sum(1 for a, b in zip(sample, simplified, strict=False) if a != b)
    simplified_only = sum(1 for a, b in zip(sample, traditional, strict=False) if a != b)
    return "zh-Hant" if traditional_only > simplified_only else "zh-Hans"


def _mixed_texts(seed_text: str) -> list[str]:
    import random

    rng = random.Random(10)
    hans = analyse.to_simplified(seed_text)
    pool = seed_text + hans + "Storm forces closures across the north. 颱風 typhoon 台风 ½²Ⅻ_0９ é"
    alphabet = [
        *"的了是與与臺台灣湾發发髮體体國国乾干幹著着後后裡里麵面abcXYZ 。，！\n½²Ⅻ_0９",
        "\U00020000",
        "\U0002a6e0",
    ]
    alphabet += ["\U0002fa20", "\ufa6e", "\u9fff", "\u3400", "\U0010ffff", "\x00"]  # unassigned in the Han ranges too
    texts = [seed_text, hans, "", " ", "。", "a", "臺", "\ufa6e\ufa6e", "abc 臺灣 def", seed_text * 8]
    for _ in range(600):
        if rng.random() < 0.5:
            texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))))
        else:
            i = rng.randrange(len(pool))
            texts.append(pool[i : i + rng.randint(1, 500)])
    return texts


def test_detect_language_gives_the_character_by_character_answer(seed_text):
    from bot.text.script import han_ratio

    texts = _mixed_texts(seed_text)
    for text in texts:
        sample = text[:20000]
        assert analyse._han_ratio(sample) == han_ratio(sample), text[:40]
        assert analyse.detect_language(text) == _reference_language(text), text[:40]
    assert {analyse.detect_language(t) for t in texts} == {"en", "zh-Hans", "zh-Hant"}


def test_changed_counts_differing_positions_as_zip_pairs_them(seed_text):
    texts = _mixed_texts(seed_text)
    for a, b in zip(texts, texts[1:] + texts[:1], strict=True):
        for x, y in (
            (a, b),
            (a, analyse.to_simplified(a)),
            (a, a[:-1] + "x"),
            (a, a[: len(a) // 2]),
            (a, "\ud800" + a),
        ):
            assert analyse._changed(x, y) == sum(1 for p, q in zip(x, y, strict=False) if p != q)


def test_to_simplified_after_detect_language_is_the_same_conversion(seed_text):
    cleaned = seed_text.replace("\n", "")
    assert analyse.detect_language(cleaned) == "zh-Hant"
    handed_over = analyse.to_simplified(cleaned)  # the conversion detect_language made
    assert handed_over == analyse.to_simplified(cleaned) == analyse._converter("t2s").convert(cleaned)
    other = "".join(reversed(cleaned))
    analyse.detect_language(other)
    assert analyse.to_simplified(cleaned) == handed_over  # a different string never gets another's copy


def test_preload_loads_every_model():
    from bot.translate import cedict

    analyse.preload()
    assert analyse.jieba_module.loaded and analyse.zh_idf.loaded
    assert all(lazy.loaded for lazy in analyse._CONVERTERS.values())
    assert cedict._text.loaded and cedict._body_start.loaded


def test_simplified_spans_convert_only_the_spans_and_keep_every_offset(seed_text):
    text = "臺灣發展。" + "\n" + "這是說明，不會轉。" + "\n" + "國際關係與經濟。"
    spans = [(0, 5), (16, 24)]
    out = analyse.to_simplified_spans(text, spans)
    assert len(out) == len(text)
    assert out[0:5] == analyse.to_simplified(text[0:5]) == "台湾发展。"
    assert out[16:24] == analyse.to_simplified(text[16:24])
    assert out[5:16] == text[5:16]  # outside the spans: as written
    assert analyse.chinese_script("\n".join(text[a:b] for a, b in spans)) == "zh-Hant"

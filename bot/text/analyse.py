"""Analyse: language detection, a Simplified copy for jieba, and word tokens.

jieba's dictionary and IDF table are Simplified, so Traditional text is analysed
through an OpenCC ``t2s`` copy of the same length; results map back by offset.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import math
import os
import re
import sys
import tempfile
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Generic, TypeVar

from bot import settings
from bot.briefing import Language
from bot.text.script import HAN

_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_ZH_TOKEN_OK = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_HAN_RUN = re.compile(f"([{HAN}]+)")
_LOW_BIT_OF_WORD = (1).to_bytes(4, "little")

# Function words that carry no topic (jieba's own stop list is English-only).
ZH_STOP_WORDS = frozenset(
    """的 了 是 在 和 与 及 或 也 就 都 而 并 但 却 又 还 被 把 让 对 从 向 为 以 于 之 其 这 那 这些 那些
    这个 那个 这样 那样 如何 什么 怎么 因为 所以 如果 虽然 但是 而且 并且 不过 然而 以及 或者 一个 一些 没有
    不是 可以 已经 可能 这种 他们 我们 你们 她们 它们 自己 表示 认为 指出 提到 今天 目前 今年 昨天 明天 其中
    对于 关于 通过 进行 成为 以来 之后 之前 同时 除了 之外 甚至 不仅 几乎 从来 应该 需要 不只 而已 如今""".split()
)

EN_STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say mr mrs ms one two new also year years like
    told according since may might must shall however would could still even many much us""".split()
)


T = TypeVar("T")


class LoadOnce(Generic[T]):
    """A value built on first use, exactly once, even when several threads ask at the same moment.

    ``functools.lru_cache`` holds no lock while the function runs, so threads that miss
    together each build the value: jieba's dictionary twice over, in time and memory.
    """

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None
        self._loaded = False
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self.__wrapped__ = build

    def __call__(self) -> T:
        if not self._loaded:  # once loaded, no lock is taken
            with self._lock:
                if not self._loaded:
                    self._value = self._build()
                    self._loaded = True
        return self._value  # type: ignore[return-value]

    @property
    def loaded(self) -> bool:
        return self._loaded

    def cache_clear(self) -> None:
        """Forget the value (tests); the next call builds it again."""
        with self._lock:
            self._value = None
            self._loaded = False


def _opencc(config: str) -> Callable[[], Any]:
    def build() -> Any:
        import opencc

        return opencc.OpenCC(config)

    build.__name__ = f"opencc_{config}"
    return build


#: How much of a text its language is judged on.
SAMPLE = 20000

# t2s/s2t keep lengths for analysis; s2twp/tw2sp (with Taiwan phrases: 软件 ↔ 軟體) are for display.
_CONVERTERS = {config: LoadOnce(_opencc(config)) for config in ("t2s", "s2t", "s2twp", "tw2sp")}


def _converter(config: str) -> Any:
    return _CONVERTERS[config]()


# chinese_script (and so detect_language) converts the text it samples to Simplified; when that
# sample is the whole text (up to 20,000 characters), to_simplified(text) gets the same conversion.
# This holds the last one, for that very string object only, and hands it over once.
_last_t2s: tuple[str, str] | None = None


def _t2s(text: str, *, keep: bool = False) -> str:
    global _last_t2s
    last = _last_t2s
    if last is not None and last[0] is text:
        _last_t2s = None
        return last[1]
    converted = _converter("t2s").convert(text)
    if keep:
        _last_t2s = (text, converted)
    return converted


def to_simplified(text: str) -> str:
    """A Simplified copy of ``text`` with exactly the same length (checked, not assumed)."""
    converted = _t2s(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length: convert piece by piece, keeping any
    # piece whose length changed in its original script.
    out = []
    for piece in re.split(r"(\s+|[，。！？；：、])", text):
        conv = _converter("t2s").convert(piece) if piece else piece
        out.append(conv if len(conv) == len(piece) else piece)
    return "".join(out)


def to_simplified_spans(text: str, spans: Sequence[tuple[int, int]], joined: str | None = None) -> str:
    """A same-length copy of ``text`` with only ``spans`` in Simplified characters (one conversion
    of ``joined``, the spans' texts joined by "\n", which may be handed over from ``chinese_script``)."""
    if joined is None:
        joined = "\n".join(text[a:b] for a, b in spans)
    converted = to_simplified(joined)
    out = []
    at = 0
    read = 0
    for a, b in spans:
        out.append(text[at:a])
        out.append(converted[read : read + b - a])
        read += b - a + 1
        at = b
    out.append(text[at:])
    return "".join(out)


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def to_taiwan_traditional(text: str) -> str:
    """Traditional characters with Taiwan usage (OpenCC s2twp: 软件 → 軟體), for showing a text."""
    return _converter("s2twp").convert(text)


def to_mainland_simplified(text: str) -> str:
    """Simplified characters with mainland usage (OpenCC tw2sp: 軟體 → 软件), for showing a text."""
    return _converter("tw2sp").convert(text)


def detect_language(text: str) -> Language:
    """zh-Hant, zh-Hans or en, from the share of Han letters and which script they use.

    Traditional wins when more characters change under t2s than under s2t, compared position
    by position. When t2s changes nothing the answer is zh-Hans whatever s2t would say, so s2t
    (whose dictionary takes 0.1 s to load) is only asked when it can change the answer.
    """
    return "en" if is_english(text) else chinese_script(text)


def is_english(text: str) -> bool:
    """Fewer than three in ten letters are Han (of the first 20,000 characters)."""
    return _han_ratio(text[:SAMPLE]) < 0.3


def chinese_script(text: str) -> Language:
    """zh-Hant or zh-Hans: which script the Han letters of ``text`` (its first 20,000 characters)
    are written in (see ``detect_language``)."""
    sample = text[:SAMPLE]
    traditional_only = _changed(sample, _t2s(sample, keep=True))
    if traditional_only == 0:
        return "zh-Hans"
    simplified_only = _changed(sample, _converter("s2t").convert(sample))
    return "zh-Hant" if traditional_only > simplified_only else "zh-Hans"


def _han_ratio(text: str) -> float:
    """``script.han_ratio`` (Han letters over all letters), counted by runs rather than per character.

    Exact: the text is split into runs of Han-range characters and the rest, and letters are
    counted in each (a run of assigned ideographs is all letters, checked in one call).
    """
    parts = _HAN_RUN.split(text)
    han = 0
    for run in parts[1::2]:
        han += len(run) if run.isalpha() else sum(map(str.isalpha, run))
    letters = han + sum(map(str.isalpha, "".join(parts[0::2])))
    if not letters:
        return 0.0
    return han / letters


def _changed(original: str, converted: str) -> int:
    """How many positions differ, over the shorter of the two (as ``zip`` pairs them).

    Counted without a Python loop: XOR the two texts' UTF-32 code units as one big integer,
    fold each 32-bit word onto its lowest bit, and count those bits.
    """
    if original == converted:
        return 0
    n = min(len(original), len(converted))
    if n == 0:
        return 0
    a = int.from_bytes(original[:n].encode("utf-32-le", "surrogatepass"), "little")
    b = int.from_bytes(converted[:n].encode("utf-32-le", "surrogatepass"), "little")
    diff = a ^ b
    for shift in (16, 8, 4, 2, 1):
        diff |= diff >> shift
    return (diff & int.from_bytes(_LOW_BIT_OF_WORD * n, "little")).bit_count()


@LoadOnce
def jieba_module():  # noqa: ANN201 - jieba has no type hints
    """jieba, imported quietly and initialised once (its own cache, read in one go, when it can)."""
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    if not _load_jieba_cache(jieba.dt):
        jieba.initialize()
    from bot.text.entities import teach

    teach(jieba.dt)
    return jieba


def _import_jieba() -> ModuleType:
    """``import jieba``, without pkg_resources when nothing has imported it yet.

    jieba's ``_compat`` imports pkg_resources only to open its own data files, and opens
    them with ``open()`` when that import fails. pkg_resources is deprecated (it warns on
    import) and costs 0.1 s or more; hiding it for the length of the import sends jieba
    down its own fallback, which reads the same files.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba's source has invalid escapes; pkg_resources warns
        if "jieba" in sys.modules or "pkg_resources" in sys.modules:
            import jieba

            return jieba
        sys.modules["pkg_resources"] = None  # type: ignore[assignment] - `import` now raises ImportError
        try:
            import jieba
        finally:
            if sys.modules.get("pkg_resources", "") is None:
                del sys.modules["pkg_resources"]
    return jieba


def _load_jieba_cache(tokenizer: Any) -> bool:
    """Hand a jieba tokenizer of the default dictionary the cache jieba itself wrote; False if there is none.

    ``jieba.initialize()`` reads the same file with ``marshal.load(file)``, which asks the
    file for every object separately; reading the bytes first and ``marshal.loads`` them is
    about three times faster. The file is chosen by jieba's own rule: its temp directory
    (or ``tokenizer.tmp_dir``), ``jieba.cache`` (or ``tokenizer.cache_file``); for the default
    dictionary jieba uses the cache whenever it exists, without comparing times (it compares
    them only for a custom dictionary, which is left to jieba). Anything unexpected is left
    to ``jieba.initialize()``, which also builds the cache when there is none.
    """
    import jieba

    if tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT:
        return tokenizer.initialized
    cache = Path(tokenizer.tmp_dir or tempfile.gettempdir()) / (tokenizer.cache_file or "jieba.cache")
    try:
        freq, total = marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False
    if not (isinstance(freq, dict) and freq and isinstance(total, int)):
        return False
    with tokenizer.lock:
        if not tokenizer.initialized:
            tokenizer.FREQ, tokenizer.total = freq, total
            tokenizer.initialized = True
    return True


def preload() -> None:
    """Load every model now: jieba, its IDF table, OpenCC both ways, CC-CEDICT and jieba's tags.

    Each loads lazily on first use otherwise, which puts about a second on the first
    briefing; a server calls this before it starts answering. Safe from several threads:
    each model still loads once.
    """
    from bot.text import tags
    from bot.translate import cedict  # the glossary's dictionary; imported here, not at the top

    jieba_module()
    zh_idf()
    for converter in _CONVERTERS.values():
        converter()
    cedict.preload()
    tags.tag_of("中文")  # jieba's part-of-speech table, for keywords


def zh_tokens(simplified: str) -> list[str]:
    """Content words of a Simplified text: no punctuation, no function words, no single characters."""
    return content_words(jieba_module().lcut(simplified))


def content_words(words: list[str]) -> list[str]:
    """Of jieba's words, those that carry content: no punctuation, function words or single characters."""
    return [w for w in words if len(w) > 1 and _ZH_TOKEN_OK.search(w) and w not in ZH_STOP_WORDS]


def zh_words(simplified: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """jieba's words of ``simplified[start:end]`` for each span, with offsets into ``simplified``."""
    cut = jieba_module().lcut
    out = []
    for start, end in spans:
        at = start
        for word in cut(simplified[start:end]):
            out.append((word, at, at + len(word)))
            at += len(word)
    return out


def en_tokens(text: str) -> list[str]:
    return [w for w in (m.group(0).lower() for m in _EN_WORD.finditer(text)) if w not in EN_STOP_WORDS and len(w) > 1]


@LoadOnce
def zh_idf() -> tuple[dict[str, float], float]:
    """jieba's own IDF table (``jieba/analyse/idf.txt``) and its median, for unknown words.

    Read directly rather than through ``jieba.analyse``: importing that package also
    loads jieba's part-of-speech tagger (0.45 s) and parses the table (0.3 s) on every
    start. The parsed table is cached with marshal, as jieba caches its own dictionary.
    """
    import importlib.resources

    return _cached_idf(Path(str(importlib.resources.files("jieba") / "analyse" / "idf.txt")))


def _cached_idf(path: Path) -> tuple[dict[str, float], float]:
    stat = path.stat()
    name = f"jieba-idf-{stat.st_size}-{int(stat.st_mtime)}.marshal"
    cached = read_cache(name)
    if cached is not None:
        try:
            # marshal.loads of the bytes, not marshal.load(file): a third of the time (see _load_jieba_cache).
            table, median = marshal.loads(cached)
            if isinstance(table, dict) and table and isinstance(median, float):
                return table, median
        except (EOFError, ValueError, TypeError):
            pass
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, value = line.rpartition(" ")
        if word:
            table[word] = float(value)
    median = sorted(table.values())[len(table) // 2]  # as jieba computes it
    write_cache(name, marshal.dumps((table, median)))
    return table, median


def read_cache(name: str) -> bytes | None:
    """The bytes of cache file ``name`` (in ``settings.cache_dir()``), or None when there is none."""
    try:
        return (settings.cache_dir() / name).read_bytes()
    except OSError:
        return None


def write_cache(name: str, data: bytes) -> None:
    """Write cache file ``name`` atomically, so that concurrent starts never read half a file.

    Best effort: a read-only home only costs rebuilding the table on the next start.
    """
    root = settings.cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, root / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def document_idf(token_lists: list[list[str]]) -> tuple[dict[str, float], float]:
    """IDF from the article's own units (English has no shipped IDF table)."""
    n = len(token_lists)
    df = Counter(t for tokens in token_lists for t in set(tokens))
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    return idf, math.log(1 + n) + 1

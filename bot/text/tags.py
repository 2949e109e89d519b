"""jieba's part-of-speech tags for whole words, without loading jieba's tagger.

jieba's dictionary gives every word a tag (n noun, nr person, ns place, v verb, …);
``jieba.posseg`` would read them all into a dict and load an HMM besides, which costs
more than half a second a start. Keywords only ask about a few dozen words, so the tags
are kept as one sorted ``word\\ttag`` text, cached with marshal the first time, and
searched by bisection.
"""

from __future__ import annotations

import importlib.resources
import marshal
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

#: Tags of words that name or denote things: nouns, names, noun-like verbs, idioms, abbreviations.
_TOPIC_TAGS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "ng", "vn", "an", "j", "l", "i", "eng"})
_NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})
_lock = threading.Lock()
_text: str | None = None


def _table() -> str:
    global _text
    if _text is None:
        with _lock:
            if _text is None:
                _text = _load()
    return _text


def _load() -> str:
    source = Path(str(importlib.resources.files("jieba") / "dict.txt"))
    stat = source.stat()
    cache_root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefbot"
    cache = cache_root / f"jieba-tags-{stat.st_size}-{int(stat.st_mtime)}.marshal"
    try:
        text = marshal.loads(cache.read_bytes())
        if isinstance(text, str) and text:
            return text
    except (OSError, EOFError, ValueError, TypeError):
        pass
    rows = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 3:
            rows[parts[0]] = parts[2]
    text = "\n".join(f"{word}\t{tag}" for word, tag in sorted(rows.items())) + "\n"
    try:
        cache_root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_root, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(text))
        os.replace(tmp, cache)  # atomic: concurrent starts never read half a file
    except OSError:
        pass  # a read-only home only costs the parse
    return text


@lru_cache(maxsize=65536)
def tag_of(word: str) -> str | None:
    """jieba's tag for ``word`` (Simplified), or None when its dictionary lacks the word."""
    if not word or "\n" in word or "\t" in word:
        return None
    text = _table()
    lo, hi = 0, len(text)
    while lo < hi:  # bisect over line starts
        mid = (lo + hi) // 2
        start = text.rfind("\n", 0, mid) + 1
        end = text.find("\t", start)
        if text[start:end] < word:
            lo = text.find("\n", mid) + 1 or len(text)
        else:
            hi = start
    end = text.find("\n", lo)
    head, _, tag = text[lo:end].partition("\t")
    return tag if head == word else None


def non_topic_tag(word: str) -> bool:
    """Whether jieba tags ``word`` as something other than a noun or name (a verb, an adverb…)."""
    tag = tag_of(word)
    return tag is not None and tag not in _TOPIC_TAGS


def is_name(word: str) -> bool:
    """Whether ``word`` names a person, place or organisation (jieba's tags, or our list of names)."""
    from bot.text.entities import by_name

    return word in by_name() or tag_of(word) in _NAME_TAGS

"""Keywords: jieba's TF-IDF tags on the Simplified copy, shown in the original script."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.text.analyse import en_tokens, zh_idf

DEFAULT_KEYWORDS = 8
_NUMERALS = set("一二两三四五六七八九十百千万亿几数")


def extract_tags(tokens: Sequence[str], top: int) -> list[str]:
    """jieba's ``extract_tags`` ranking (term frequency × jieba's IDF) over words already cut."""
    idf, median = zh_idf()
    tf = Counter(t for t in tokens if len(t.strip()) > 1)
    total = sum(tf.values()) or 1
    score = {w: n * idf.get(w, median) / total for w, n in tf.items()}
    return sorted(score, key=score.__getitem__, reverse=True)[:top]


def zh_keywords(original: str, simplified: str, tokens: Sequence[str], k: int = DEFAULT_KEYWORDS) -> list[str]:
    """Top ``k`` keywords of a Chinese text, shown in its own script.

    ``tokens`` are jieba's words of ``simplified``, the same-length t2s copy of ``original``.
    """
    tags = extract_tags(tokens, k * 3)
    chosen: list[str] = []
    for tag in tags:
        if len(tag) < 2 or any(ch.isdigit() for ch in tag) or (tag[0] in _NUMERALS and len(tag) <= 3):
            continue  # numbers and counted spans (十个月, 三成) are not topics
        # 影视业 adds nothing beside 影视: keep the first-ranked of nested terms.
        if any(tag in c or c in tag for c in chosen):
            continue
        chosen.append(tag)
        if len(chosen) == k:
            break
    out = []
    for tag in chosen:
        pos = simplified.find(tag)
        out.append(original[pos : pos + len(tag)] if pos != -1 else tag)
    return out


def en_keywords(text: str, k: int = DEFAULT_KEYWORDS) -> list[str]:
    """Most frequent content words of an English text, first-seen order breaking ties."""
    tokens = [t for t in en_tokens(text) if len(t) > 2]
    counts = Counter(tokens)
    first = {t: i for i, t in reversed(list(enumerate(tokens)))}
    ranked = sorted(counts, key=lambda t: (-counts[t], first[t]))
    return ranked[:k]

"""Character classes shared by the cleaning and splitting steps."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# Kana and Hangul wrap like Han: no spaces between words across a line break.
CJK_LETTERS = HAN + "\u3040-\u30ff\uac00-\ud7af"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2014\u2026\u2018\u2019\u201c\u201d\u00b7"

HAN_RE = re.compile(f"[{HAN}]")
CJK_RE = re.compile(f"[{CJK_LETTERS}{CJK_PUNCT}]")

SENTENCE_END = "。！？!?…"
#: Closing quotes and brackets that belong to the sentence before them.
CLOSERS = "」』”’）)》〉】〕\"'"


def is_han(ch: str) -> bool:
    return bool(ch) and HAN_RE.match(ch) is not None


def is_cjk(ch: str) -> bool:
    """Han, kana, hangul, or CJK/full-width punctuation."""
    return bool(ch) and CJK_RE.match(ch) is not None


def han_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if is_han(ch)) / len(letters)

"""Deduplicate: drop repeated sentences, exact and near copies, keeping the first.

Pasted articles repeat whole (the seed holds seven copies) and near-copies differ by a
character or two. Sentences are compared on a normalised key: exactly, then by
character 4-gram Jaccard similarity. Near-copy candidates come from prefix filtering on
rare shingles, which finds every pair over the threshold without comparing all pairs,
so a megabyte of text stays linear in practice.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.split import Span

NEAR_DUPLICATE = 0.8
SHINGLE = 4
_NOT_WORD = re.compile(r"[\W_]+")
#: Full-width forms whose NFKC is ASCII punctuation (！ ， ： ［ ｛ …) or half-width 。「」、・.
_FULL_WIDTH_MARKS = re.compile("[\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+")


@dataclass(frozen=True, slots=True)
class Deduped:
    sentences: list[Span]
    #: Sentences dropped as copies.
    duplicate_sentences: int
    #: Runs of consecutive copies: one extra copy of a whole article counts once.
    duplicate_passages: int


def normalise(text: str) -> str:
    """The comparison key: letters and digits only, case- and width-folded."""
    # Full-width punctuation, which NFKC folds to ASCII punctuation (gone below either way), goes
    # first: what is left of Chinese text is then usually normalised already, so NFKC seldom runs.
    text = _FULL_WIDTH_MARKS.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _NOT_WORD.sub("", text.lower())


def shingles(key: str, n: int = SHINGLE) -> set[str]:
    if len(key) <= n:
        return {key} if key else set()
    return {key[i : i + n] for i in range(len(key) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def dedupe(sentences: Sequence[Span], threshold: float = NEAR_DUPLICATE) -> Deduped:
    key_of = {text: normalise(text) for text in dict.fromkeys(s.text for s in sentences)}  # copies keyed once
    keys = [key_of[s.text] for s in sentences]
    # Shingles once per distinct sentence: a pasted copy is found by its key alone. Any fixed
    # order of shingles keeps prefix filtering exact; rarity among distinct sentences is one.
    distinct = {key: shingles(key) for key in dict.fromkeys(keys)}
    sets = [distinct[key] for key in keys]
    frequency = Counter(g for grams in distinct.values() for g in grams)

    kept: list[Span] = []
    kept_sets: list[set[str]] = []
    exact: dict[str, int] = {}
    index: dict[str, list[int]] = {}
    originals: list[int | None] = []  # for each input sentence: the kept one it repeats

    for sentence, key, grams in zip(sentences, keys, sets, strict=True):
        original = exact.get(key) if key else None
        prefix = None
        if original is None and grams and len(key) > SHINGLE:
            prefix = _prefix(grams, frequency, threshold)
            original = _near_copy(grams, prefix, kept_sets, index, threshold)
        if original is not None:
            originals.append(original)
            continue
        originals.append(None)
        slot = len(kept)
        kept.append(sentence)
        kept_sets.append(grams)
        if key:
            exact.setdefault(key, slot)
        for g in prefix if prefix is not None else _prefix(grams, frequency, threshold):
            index.setdefault(g, []).append(slot)

    return Deduped(
        sentences=kept,
        duplicate_sentences=sum(1 for o in originals if o is not None),
        duplicate_passages=_count_passages(originals),
    )


def _prefix(grams: set[str], frequency: Counter[str], threshold: float) -> list[str]:
    """The rarest shingles: two sets over the threshold always share one of their prefixes."""
    ordered = sorted(grams, key=lambda g: (frequency[g], g))
    size = len(ordered) - math.ceil(threshold * len(ordered)) + 1
    return ordered[:size]


def _near_copy(
    grams: set[str],
    prefix: list[str],
    kept_sets: list[set[str]],
    index: dict[str, list[int]],
    threshold: float,
) -> int | None:
    seen: set[int] = set()
    for g in prefix:
        for slot in index.get(g, ()):
            if slot in seen:
                continue
            seen.add(slot)
            other = kept_sets[slot]
            small, large = sorted((len(grams), len(other)))
            if small < threshold * large:
                continue  # too different in length to reach the threshold
            if jaccard(grams, other) >= threshold:
                return slot
    return None


def _count_passages(originals: list[int | None]) -> int:
    """Runs of copies that follow their originals in order count as one passage."""
    passages = 0
    previous: int | None = None
    for original in originals:
        if original is None:
            previous = None
            continue
        if previous is None or original != previous + 1:
            passages += 1
        previous = original
    return passages


# Article-level near-duplicates (the same story from two sources): MinHash over the
# 4-gram shingles of the whole cleaned text, so a signature is small enough to store.
MINHASH_SIZE = 64
_PRIME = (1 << 61) - 1
_MASK = (1 << 61) - 1
_PERMUTATIONS = [
    (
        int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest()) | 1,
        int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()),
    )
    for i in range(MINHASH_SIZE)
]


def minhash(text: str) -> tuple[int, ...]:
    """A MinHash signature of ``text``; equal positions estimate the Jaccard similarity."""
    grams = shingles(normalise(text))
    if not grams:
        return tuple([_MASK] * MINHASH_SIZE)
    values = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()) & _MASK for g in grams]
    return tuple(min((a * v + b) % _PRIME for v in values) for a, b in _PERMUTATIONS)


def signature_similarity(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    if len(a) != len(b) or not a:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)

"""Rank: score units by TF-IDF centroid similarity plus a position prior, then pick
with maximal marginal relevance so no two picks say the same thing.

Centrality alone favours the longest run-on; news puts its point early, so the
position prior matters as much as the similarity. Every step is linear in the number
of units, bounded by ``MAX_CANDIDATES`` for the selection.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bot.text.dedupe import jaccard, normalise

#: Weight of centrality against the position prior.
CENTRALITY_WEIGHT = 0.7
#: MMR: relevance against redundancy.
MMR_LAMBDA = 0.7
#: Units below this many characters (Chinese) are rarely a point on their own.
SHORT_UNIT = 12
#: Extra redundancy for a second unit from the same sentence.
SAME_SENTENCE = 0.5
#: Only the best candidates enter the MMR loop, so selection stays cheap on huge input.
MAX_CANDIDATES = 400


def vectors(token_lists: Sequence[Sequence[str]], idf: dict[str, float], default_idf: float) -> list[dict[str, float]]:
    out = []
    for tokens in token_lists:
        tf = Counter(tokens)
        out.append({t: c * idf.get(t, default_idf) for t, c in tf.items()})
    return out


def cosine(a: dict[str, float], b: dict[str, float], b_norm: float | None = None) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
        b_norm = None
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if dot == 0.0:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = b_norm if b_norm is not None else math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb)


def score_units(
    vecs: Sequence[dict[str, float]],
    positions: Sequence[float],
    lengths: Sequence[int],
    *,
    questions: Sequence[bool],
    short_unit: int = SHORT_UNIT,
) -> list[float]:
    """Relevance of each unit: centroid similarity and lead position, damped for fragments."""
    centroid: Counter[str] = Counter()
    for v in vecs:
        centroid.update(v)
    c_norm = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
    central = [cosine(v, centroid, c_norm) for v in vecs]
    top = max(central, default=0.0) or 1.0
    scores = []
    for sim, pos, length, question in zip(central, positions, lengths, questions, strict=True):
        score = CENTRALITY_WEIGHT * (sim / top) + (1 - CENTRALITY_WEIGHT) * (1.0 - pos)
        if length < short_unit:
            score *= length / short_unit
        if question:
            score *= 0.5  # a rhetorical question introduces a point rather than making it
        scores.append(score)
    return scores


def select(
    texts: Sequence[str],
    scores: Sequence[float],
    k: int,
    *,
    allowed: Sequence[bool] | None = None,
    groups: Sequence[int] | None = None,
    lam: float = MMR_LAMBDA,
) -> list[int]:
    """Up to ``k`` unit indices by MMR, best first.

    Redundancy is character-bigram overlap, plus ``SAME_SENTENCE`` for a unit of a sentence
    (``groups``) already picked: a long run-on should not supply every point.
    """
    order = sorted(range(len(texts)), key=lambda i: -scores[i])
    candidates = [i for i in order if allowed is None or allowed[i]][:MAX_CANDIDATES]
    grams = {i: _bigrams(texts[i]) for i in candidates}
    chosen: list[int] = []
    while candidates and len(chosen) < k:
        best, best_value = None, -math.inf
        for i in candidates:
            redundancy = max(
                (
                    jaccard(grams[i], grams[j]) + (SAME_SENTENCE if groups and groups[i] == groups[j] else 0.0)
                    for j in chosen
                ),
                default=0.0,
            )
            value = lam * scores[i] - (1 - lam) * redundancy
            if value > best_value:
                best, best_value = i, value
        assert best is not None
        chosen.append(best)
        candidates.remove(best)
    return chosen


def _bigrams(text: str) -> set[str]:
    key = normalise(text)
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}

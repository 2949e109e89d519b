"""Rank: score each unit by a few plain features, then choose key points that cover the
article — its lead, its development and its conclusion — without saying a thing twice.

The score is a weighted sum of features a reader would name: being the lead, opening a
paragraph, how central the words are to the article (TF-IDF cosine to the centroid),
length, and a few penalties (a question, a sentence that only introduces a list with "：",
one that had to be cut). The weights were fitted by least squares on public news data
with reference headlines (``python -m bench.fit_rank``; LCSTS train and older presidential
press releases, never the sets the benchmark reports on) and rounded; every step is linear
in the number of units, bounded by ``MAX_CANDIDATES`` for the selection.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.dedupe import jaccard, normalise

#: MMR: relevance against redundancy.
MMR_LAMBDA = 0.7
#: Only the best candidates enter the MMR loop, so selection stays cheap on huge input.
MAX_CANDIDATES = 400
#: Choose points across the parts of the article (lead, development, conclusion) first.
COVERAGE = True
#: For commentary, the conclusion is among the points.
CONCLUSION = True

#: Feature weights (see the module docstring for where they come from).
WEIGHTS: dict[str, float] = {
    "bias": 0.0,
    "lead": 1.0,
    "paragraph_lead": 0.067,
    "section_lead": 0.002,
    "position": -0.095,
    "centrality": 0.046,
    "lead_similarity": 0.015,
    "density": 0.055,
    "length": -0.024,
    "short": -0.019,
    "question": 0.061,
    "colon": 0.0,
    "cut": 0.0,
    "pronoun": -0.035,
    "opinion": -0.048,
    "closing_opinion": 0.007,
}

_PRONOUN_ZH = ("他們", "她們", "他们", "她们", "它們", "它们", "他", "她", "它", "這", "这", "此", "該", "该", "其")
_PRONOUN_EN = re.compile(r"^(?:he|she|it|they|this|that|these|those|its|their)\b", re.IGNORECASE)
_OPINION = re.compile(
    r"應該|应该|必須|必须|需要|應當|应当|呼籲|呼吁|值得|才能|不能|關鍵|关键|總之|总之|可見|可见|顯然|显然|"
    r"反觀|反观|期盼|期待|盼|希望|認為|认为|\b(?:should|must|need|needs|ought|key|crucial|conclude|therefore)\b",
    re.IGNORECASE,
)


_REPORTED = re.compile(
    r"表示|說|说|指出|強調|强调|提到|透露|坦言|宣布|宣佈|致詞|致词|談話|谈话|據悉|据悉|記者|记者|報導|报道|"
    r"\b(?:said|says|told|according|announced|stated)\b",
    re.IGNORECASE,
)


def is_reported(text: str) -> bool:
    """Whether a sentence reports what someone said (表示, 指出, said, …) rather than argues itself."""
    return _REPORTED.search(text) is not None


def is_opinion(text: str) -> bool:
    """Whether a sentence argues or concludes (應該, 需要, should, …) rather than reports."""
    return _OPINION.search(text) is not None


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """What ranking needs to know of a unit besides its words."""

    text: str
    #: Where the unit starts, as a share of the article (0 = the start).
    position: float
    lead: bool
    paragraph_lead: bool
    section_lead: bool
    #: In the article's last part (its conclusion).
    closing: bool
    cut: bool
    english: bool


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


@dataclass(frozen=True, slots=True)
class Signals:
    """What a unit's words say about it, against the rest of the article."""

    #: Cosine to the article's TF-IDF centroid, scaled so the most central unit has 1.
    centrality: float
    #: Cosine to the lead (the first unit): a later sentence that restates the lead.
    lead_similarity: float
    #: IDF of the words it shares with other units, per character: many topic words, few others.
    density: float


def signals(token_lists: Sequence[Sequence[str]], idf: dict[str, float], default_idf: float) -> list[Signals]:
    vecs = vectors(token_lists, idf, default_idf)
    centroid: Counter[str] = Counter()
    for v in vecs:
        centroid.update(v)
    c_norm = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
    central = [cosine(v, centroid, c_norm) for v in vecs]
    top = max(central, default=0.0) or 1.0
    spread = Counter(t for tokens in token_lists for t in set(tokens))
    lead = vecs[0] if vecs else {}
    out = []
    for i, (tokens, vec, c) in enumerate(zip(token_lists, vecs, central, strict=True)):
        shared = sum(idf.get(t, default_idf) for t in tokens if spread[t] >= 2)
        out.append(
            Signals(
                centrality=c / top,
                lead_similarity=1.0 if i == 0 else cosine(vec, lead),
                density=shared / (sum(len(t) for t in tokens) + 10),
            )
        )
    return out


def features(info: UnitInfo, words: Signals) -> dict[str, float]:
    text = info.text
    size = len(text.split()) * 5 if info.english else len(text)
    head = text.lstrip("「『“‘（(《 ")
    pronoun = _PRONOUN_EN.match(head) is not None if info.english else head.startswith(_PRONOUN_ZH)
    opinion = is_opinion(text)
    shown = text.rstrip("…")
    return {
        "bias": 1.0,
        "lead": float(info.lead),
        "paragraph_lead": float(info.paragraph_lead and not info.lead),
        "section_lead": float(info.section_lead and not info.lead),
        "position": info.position,
        "centrality": words.centrality,
        "lead_similarity": words.lead_similarity,
        "density": words.density,
        "length": min(1.0, math.log1p(size) / math.log1p(90)),
        "short": float(size < 12),
        "question": float(shown.endswith(("？", "?"))),
        "colon": float(shown.endswith(("：", ":"))),
        "cut": float(info.cut),
        "pronoun": float(pronoun),
        "opinion": float(opinion),
        "closing_opinion": float(opinion and info.closing),
    }


def score_units(infos: Sequence[UnitInfo], words: Sequence[Signals]) -> list[float]:
    """Relevance of each unit: the weighted sum of its features, scaled to 0–1 within the article."""
    raw = [
        sum(WEIGHTS.get(name, 0.0) * value for name, value in features(info, w).items())
        for info, w in zip(infos, words, strict=True)
    ]
    low, high = min(raw, default=0.0), max(raw, default=0.0)
    return [(r - low) / (high - low) if high > low else 1.0 for r in raw]


def select(
    texts: Sequence[str],
    scores: Sequence[float],
    k: int,
    *,
    allowed: Sequence[bool] | None = None,
    parts: Sequence[int] | None = None,
    must: Sequence[int] = (),
    lam: float = MMR_LAMBDA,
) -> list[int]:
    """Up to ``k`` unit indices, best first.

    ``must`` are taken first (the conclusion of a commentary); then, with ``parts`` (the part of
    the article each unit is in), the best unit of each part, best part first, so the points
    cover the article; then the rest by maximal marginal relevance: score against
    character-bigram overlap with what was already chosen.
    """
    order = sorted(range(len(texts)), key=lambda i: -scores[i])
    candidates = [i for i in order if allowed is None or allowed[i]][:MAX_CANDIDATES]
    grams = {i: _bigrams(texts[i]) for i in candidates}
    chosen: list[int] = []

    def value(i: int) -> float:
        redundancy = max((jaccard(grams[i], grams[j]) for j in chosen), default=0.0)
        return lam * scores[i] - (1 - lam) * redundancy

    def take(pool: list[int]) -> None:
        pool = [i for i in pool if i not in chosen]
        if pool and len(chosen) < k:
            best = max(pool, key=value)
            chosen.append(best)

    for i in must:
        if i in grams:
            take([i])
    if parts is not None and COVERAGE:
        best_of: dict[int, int] = {}
        for i in candidates:  # best first, so the first seen of a part is its best
            best_of.setdefault(parts[i], i)
        for part in sorted(best_of, key=lambda p: -scores[best_of[p]]):
            take([i for i in candidates if parts[i] == part])
    while len(chosen) < min(k, len(candidates)):
        take(candidates)
    # The parts' best come in article order; give them back best first.
    head = [i for i in chosen if i in must]
    return head + sorted((i for i in chosen if i not in head), key=lambda i: -scores[i])


def _bigrams(text: str) -> set[str]:
    key = normalise(text)
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}

"""Fit the ranking weights (``bot.text.rank.WEIGHTS``) on public news with reference headlines.

    BRIEFBOT_EVAL_DATA=/path/to/data python -m bench.fit_rank [--lcsts 6000] [--president 3000]

Training data, never the sets ``bench.quality`` reports on: LCSTS ``train.tsv`` (short
Simplified news posts, reference = the headline) and presidential press releases up to
2015 (long Traditional articles, reference = the release's own title, which is not given
to the summariser). For every unit of every article the target is the unit's character
ROUGE (mean of R-1, R-2 and R-L F1) against the reference. The fit is listwise: gradient
ascent on the expected ROUGE of the unit a softmax over the scores would pick, so it learns
which unit of an article is better, not which article is easier. Prints the weights to
paste into ``WEIGHTS``, and how picking the best unit with them scores on the held-out sets
against LEAD-1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from multiprocessing import Pool

from bench import evaldata

TEMPERATURE = 0.02
FEATURES = (
    "bias",
    "lead",
    "paragraph_lead",
    "section_lead",
    "position",
    "centrality",
    "lead_similarity",
    "density",
    "length",
    "short",
    "question",
    "colon",
    "cut",
    "pronoun",
    "opinion",
    "closing_opinion",
)


def _chars(text: str) -> list[str]:
    return [ch for ch in text.lower() if ch.isalnum()]


def _ngram_f1(reference: list[str], candidate: list[str], n: int) -> float:
    ref = Counter(tuple(reference[i : i + n]) for i in range(len(reference) - n + 1))
    cand = Counter(tuple(candidate[i : i + n]) for i in range(len(candidate) - n + 1))
    overlap = sum((ref & cand).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(cand.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def _lcs_f1(reference: list[str], candidate: list[str]) -> float:
    if not reference or not candidate:
        return 0.0
    previous = [0] * (len(candidate) + 1)
    for x in reference:
        current = [0]
        for j, y in enumerate(candidate):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    if not previous[-1]:
        return 0.0
    precision, recall = previous[-1] / len(candidate), previous[-1] / len(reference)
    return 2 * precision * recall / (precision + recall)


def char_rouge(reference: str, candidate: str) -> tuple[float, float, float]:
    """Character ROUGE-1, -2 and -L F1, punctuation dropped: the benchmark's measure, computed
    directly (rouge-score is too slow to score every unit of thousands of articles)."""
    ref, cand = _chars(reference), _chars(candidate)
    return _ngram_f1(ref, cand, 1), _ngram_f1(ref, cand, 2), _lcs_f1(ref, cand)


def _rows(item: tuple[str, str]) -> list[tuple[list[float], float]] | None:
    from bot.errors import InputError
    from bot.text.pipeline import analyse
    from bot.text.rank import features

    reference, text = item
    try:
        a = analyse(text)
    except InputError:
        return None
    out = []
    for unit, info, words, allowed in zip(a.units, a.infos, a.signals, a.allowed, strict=True):
        if not allowed:
            continue
        f = features(info, words)
        out.append(([f[name] for name in FEATURES], statistics.mean(char_rouge(reference, unit.shown))))
    return out or None


def _docs(items: list[tuple[str, str]], pool: Pool) -> list[list[tuple[list[float], float]]]:
    return [d for d in pool.map(_rows, items, chunksize=20) if d]


def fit(docs: list[list[tuple[list[float], float]]], *, steps: int = 300, rate: float = 0.5) -> list[float]:
    """Weights maximising the expected ROUGE of a softmax pick (temperature ``TEMPERATURE``)."""
    import numpy as np

    xs = [np.array([f for f, _ in doc]) for doc in docs]
    ys = [np.array([r for _, r in doc]) for doc in docs]
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("lead")] = 1.0  # start from LEAD: the baseline to beat
    for _ in range(steps):
        gradient = np.zeros_like(weights)
        for x, y in zip(xs, ys, strict=True):
            s = x @ weights / TEMPERATURE
            p = np.exp(s - s.max())
            p /= p.sum()
            gradient += x.T @ (p * (y - p @ y)) / TEMPERATURE
        weights += rate * gradient / len(xs)
    return [float(w) for w in weights]


def picked_score(docs: list[list[tuple[list[float], float]]], weights: list[float]) -> float:
    total = 0.0
    for doc in docs:
        best = max(doc, key=lambda row: sum(w * f for w, f in zip(weights, row[0], strict=True)))
        total += best[1]
    return 100 * total / len(docs)


def lead_score(docs: list[list[tuple[list[float], float]]]) -> float:
    lead = FEATURES.index("lead")
    return 100 * statistics.mean(next((r for f, r in doc if f[lead]), doc[0][1]) for doc in docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lcsts", type=int, default=6000, help="LCSTS train articles to fit on")
    parser.add_argument("--president", type=int, default=3000, help="press releases before 2016 to fit on")
    parser.add_argument("--heldout", type=int, default=1000, help="held-out articles of each set to check on")
    args = parser.parse_args(argv)
    root = evaldata.data_dir()
    lcsts = evaldata.sample(evaldata.lcsts(root, "train"), args.lcsts, seed=20261127)
    fitted = [
        (data["title"].strip(), evaldata.without_title(data["content"], data["title"])[0])
        for path, data in evaldata.releases(root)
        if int(path.parent.name) < evaldata.HELD_OUT_FROM_YEAR and (data.get("title") or "").strip()
    ]
    held, _ = evaldata.president(root, args.heldout)
    with Pool(2) as pool:
        train = _docs([(a.reference, a.text) for a in lcsts], pool)
        train += _docs(evaldata.sample(fitted, args.president, seed=20261127), pool)
        held_lcsts = _docs([(a.reference, a.text) for a in evaldata.lcsts(root, "val")[: args.heldout]], pool)
        held_new = _docs([(a.reference, a.text) for a in held], pool)
    weights = fit(train)
    print(json.dumps({name: round(w, 3) for name, w in zip(FEATURES, weights, strict=True)}, indent=4))
    for name, docs in (("LCSTS val", held_lcsts), ("releases 2016-", held_new)):
        print(
            f"{name:<16} best unit by these weights {picked_score(docs, weights):5.2f}   "
            f"LEAD-1 {lead_score(docs):5.2f}   (mean char ROUGE F1 ×100, n={len(docs)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

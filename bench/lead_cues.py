"""When is the lead not the best sentence? LCSTS train, sentence by sentence.

    BRIEFBOT_EVAL_DATA=/path/to/data python -m bench.lead_cues

For every LCSTS ``train.tsv`` post with two or more sentences (the cleaned article's lead sentences,
as ``bench.quality``'s LEAD baseline cuts them), each of its first three sentences is scored
against the reference headline (character ROUGE-1 F1, punctuation dropped, as ``bench.quality``).
Prints how far the best sentence lies above the first one (the oracle's headroom), and, for posts
whose lead has a given shape — a background opener (近年来, 随着…), a question, an exclamation, a
quote, a date or a source first, an opinion, a colon at its end, fewer than 15 characters — how
often the second sentence scores higher than the first, and by how much on average. A shape with a
positive mean gain would be a reason to rank a later sentence first; none has one. Only the train
split is read; ``val`` is what ``bench.quality`` reports on, and ``test`` is never read.
"""

from __future__ import annotations

import re
import statistics
import sys

from bench import baselines, evaldata
from bench.quality import new_scorer, score
from bot.text.clean import clean

#: The lead shapes looked at: name → a pattern on the lead sentence (None: shorter than 15 characters).
SHAPES: dict[str, str | None] = {
    "background opener": r"^(?:近年来|近年|近些年|随着|目前|当前|如今|众所周知|在.{2,12}背景下|当下)",
    "question": r"[？?]$",
    "exclamation": r"[！!]$",
    "quote first": r"^[“「\"]",
    "date or 'recently' first": r"^(?:\d+月\d+日|昨天|今天|昨日|今日|日前|近日)",
    "source first (据…)": r"^(?:据|根据)",
    "opinion": r"(?:我认为|我觉得|笔者|记者认为|应该|必须)",
    "ends with a colon": r"[：:]$",
    "shorter than 15": None,
}


def main() -> int:
    root = evaldata.data_dir()
    scorer = new_scorer()
    rows: list[tuple[str, list[float]]] = []
    for article in evaldata.lcsts(root, "train"):
        sentences = baselines.lead_sentences(clean(article.text).paragraphs)
        if len(sentences) < 2:
            continue
        scores = [score(scorer, [article.reference], [s])["rouge1"] for s in sentences[:3]]
        rows.append((sentences[0], scores))
    if not rows:
        print("No LCSTS train post has two sentences.", file=sys.stderr)
        return 1
    lead = statistics.mean(r[0] for _, r in rows) * 100
    best = statistics.mean(max(r) for _, r in rows) * 100
    first_best = sum(r[0] >= max(r) for _, r in rows) / len(rows)
    print(f"LCSTS train, {len(rows)} posts of two or more sentences (character ROUGE-1 F1 x 100)")
    print(f"  lead sentence {lead:.2f} · best of the first three {best:.2f} · the lead is best in {first_best:.0%}")
    print(f"\n  {'lead shape':<28} {'posts':>6} {'share':>6} {'2nd better':>10} {'mean gain of 2nd':>17}")
    for name, pattern in SHAPES.items():
        chosen = [r for s, r in rows if (len(s) < 15 if pattern is None else re.search(pattern, s))]
        if not chosen:
            continue
        gains = [r[1] - r[0] for r in chosen]
        better = sum(g > 0 for g in gains) / len(gains)
        print(
            f"  {name:<28} {len(chosen):>6} {len(chosen) / len(rows):>6.1%} {better:>10.0%} "
            f"{statistics.mean(gains) * 100:>+17.2f}"
        )
    gains = [r[1] - r[0] for _, r in rows]
    print(
        f"  {'(every post)':<28} {len(rows):>6} {1:>6.1%} {sum(g > 0 for g in gains) / len(gains):>10.0%} "
        f"{statistics.mean(gains) * 100:>+17.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Quality benchmark: character-level ROUGE of our key points against the reference
points in the evaluation cases, beside LEAD and sumy's LexRank on the same inputs.

    python -m bench.quality [--cases tests/eval/cases.json]

LEAD takes the first sentences of the cleaned article, LexRank (sumy, with a jieba
tokenizer) ranks the same cleaned text; both get the same character budget as ours.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from rouge_score import rouge_scorer, tokenizers

from bot import summarize
from bot.text.analyse import jieba_module
from bot.text.clean import clean
from bot.text.split import split_sentences

METRICS = ("rouge1", "rouge2", "rougeLsum")


class CharTokenizer(tokenizers.Tokenizer):
    """Characters as tokens, punctuation dropped: the usual ROUGE for Chinese."""

    def tokenize(self, text: str) -> list[str]:
        return [ch for ch in text.lower() if ch.isalnum()]


class JiebaSumyTokenizer:
    """What sumy's parsers need from a tokenizer, with jieba for words."""

    language = "chinese"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s.text for s in split_sentences([paragraph])]

    def to_words(self, sentence: str) -> list[str]:
        return [w for w in jieba_module().lcut(sentence) if w.strip() and any(c.isalnum() for c in w)]


def lead(text: str, budget: int) -> list[str]:
    """The first sentences of the cleaned article, the last one cut to fill the budget exactly."""
    out, used = [], 0
    for s in split_sentences(clean(text).paragraphs):
        if used >= budget:
            break
        out.append(s.text[: budget - used])
        used += len(out[-1])
    return out


def lexrank(text: str, count: int, budget: int) -> list[str]:
    from sumy.nlp.stemmers import null_stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    cleaned = "\n\n".join(clean(text).paragraphs)
    parser = PlaintextParser.from_string(cleaned, JiebaSumyTokenizer())
    summarizer = LexRankSummarizer(null_stemmer)
    picked = [str(s) for s in summarizer(parser.document, count)]
    out, used = [], 0
    for s in picked:
        if used >= budget:
            break
        out.append(s[: budget - used])
        used += len(out[-1])
    return out


def ours(text: str, points: int) -> list[str]:
    return [p.zh or p.en or "" for p in summarize(text, points=points).key_points]


def score(scorer: rouge_scorer.RougeScorer, reference: list[str], candidate: list[str]) -> dict[str, float]:
    result = scorer.score("\n".join(reference), "\n".join(candidate))
    return {m: result[m].fmeasure for m in METRICS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=str(Path(__file__).resolve().parent.parent / "tests/eval/cases.json"))
    parser.add_argument("--verbose", action="store_true", help="print every system's points")
    args = parser.parse_args(argv)
    cases_path = Path(args.cases)
    cases = json.loads(cases_path.read_text(encoding="utf-8"))
    scorer = rouge_scorer.RougeScorer(list(METRICS), tokenizer=CharTokenizer())
    totals: dict[str, dict[str, list[float]]] = {name: {m: [] for m in METRICS} for name in ("ours", "lead", "lexrank")}

    header = f"{'case':<16}{'system':<10}" + "".join(f"{m:>11}" for m in METRICS)
    print(header)
    print("-" * len(header))
    for case in cases:
        text = (cases_path.parent / case["file"]).read_text(encoding="utf-8")
        refs = case["reference_points"]
        mine = ours(text, len(refs))
        budget = sum(len(p) for p in mine)
        systems = {"ours": mine, "lead": lead(text, budget), "lexrank": lexrank(text, len(refs), budget)}
        for name, points in systems.items():
            row = score(scorer, refs, points)
            for m in METRICS:
                totals[name][m].append(row[m])
            print(f"{case['id']:<16}{name:<10}" + "".join(f"{row[m]:>11.3f}" for m in METRICS))
            if args.verbose:
                for p in points:
                    print(f"{'':<26}{p}")
    print("-" * len(header))
    means = {name: {m: statistics.mean(v) for m, v in per.items()} for name, per in totals.items()}
    for name, row in means.items():
        print(f"{'mean':<16}{name:<10}" + "".join(f"{row[m]:>11.3f}" for m in METRICS))
    total = {name: sum(row.values()) for name, row in means.items()}
    print()
    for name in ("lead", "lexrank"):
        print(f"ours / {name} (sum of mean F1): {total['ours'] / total[name]:.2f}×")
    beats = all(total["ours"] > total[name] for name in ("lead", "lexrank"))
    print("ours beats LEAD and LexRank on the total" if beats else "ours does NOT beat both baselines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

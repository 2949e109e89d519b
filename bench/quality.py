"""Quality benchmark: character-level ROUGE of ours against LEAD, LexRank and JioNLP on real news.

    BRIEFBOT_EVAL_DATA=/path/to/evaldata python -m bench.quality [--split val] [--limit N]

Sets, each with every system run on the same inputs in the same run:
  1. LCSTS (val by default): short Simplified posts; reference = the LCSTS headline summary.
  2. Press releases of Taiwan's Presidential Office (a fixed-seed sample of 1,000):
     reference = the release's own title, which the summariser is not given.
  3. The development cases of tests/eval/cases.json (reference key points written by a person).
  4. Ablations: ours on sets 1 and 2 with each switch of bench/ablations.py turned off.

Two comparisons per real set: (a) our top key point, ``summarize(text, points=1).key_points[0]``,
against LEAD-1 (the first sentence of the cleaned text), LexRank's top sentence and JioNLP at our
length; (b) our summary, ``summarize(text).summary``, against LEAD-3, LexRank and JioNLP all cut
to our summary's length. ROUGE is on characters with punctuation dropped, F1, mean × 100.
LexRank (sumy, jieba words) and JioNLP (``extract_summary``) read the same cleaned text as ours;
their answers are cached under $BRIEFBOT_BENCH_CACHE (default ~/.cache/briefbot-bench).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer, tokenizers

from bench import baselines, evaldata
from bench.ablations import ABLATIONS, by_name
from bench.baselines import JiebaSumyTokenizer
from bench.evaldata import Article
from bot import summarize
from bot.text.clean import clean

__all__ = ["METRICS", "CharTokenizer", "JiebaSumyTokenizer", "main"]

METRICS = ("rouge1", "rouge2", "rougeLsum")
LABELS = ("R-1", "R-2", "R-L")
ROOT = Path(__file__).resolve().parent.parent
CACHE_FILE = "baselines.json"

#: Systems of each comparison, ours first; the rest are the baselines the verdict names.
POINT_SYSTEMS = ("ours", "LEAD-1", "LEAD-1 cut to ours", "LexRank top-1", "JioNLP at ours")
SUMMARY_SYSTEMS = ("ours", "LEAD-3 cut to ours", "LexRank cut to ours", "JioNLP at ours")
POINT_VERDICT = ("LEAD-1", "LexRank top-1", "JioNLP at ours")
SUMMARY_VERDICT = ("LEAD-3 cut to ours", "LexRank cut to ours", "JioNLP at ours")


class CharTokenizer(tokenizers.Tokenizer):
    """Characters as tokens, punctuation dropped: the usual ROUGE for Chinese."""

    def tokenize(self, text: str) -> list[str]:
        return [ch for ch in text.lower() if ch.isalnum()]


def new_scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(list(METRICS), tokenizer=CharTokenizer())


def score(scorer: rouge_scorer.RougeScorer, reference: list[str], candidate: list[str]) -> dict[str, float]:
    result = scorer.score("\n".join(reference), "\n".join(candidate))
    return {m: result[m].fmeasure for m in METRICS}


# --- one article, in a worker process --------------------------------------------------------

_scorer: rouge_scorer.RougeScorer | None = None
_cache = baselines.Cached({})


def _init_worker(known: dict[str, Any]) -> None:
    global _scorer, _cache
    # sumy's power method divides by zero on a one-sentence post; its ranking is still that sentence.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"sumy\.")
    _scorer = new_scorer()
    _cache = baselines.Cached(known)


@dataclass
class Scored:
    id: str
    #: "point/<system>" or "summary/<system>" → (R-1, R-2, R-L) F1
    scores: dict[str, tuple[float, ...]] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)
    #: Our two outputs, to see which ones an ablation changed.
    ours: tuple[str, str] = ("", "")
    ours_seconds: float = 0.0
    failed: str | None = None
    new_cache: dict[str, Any] = field(default_factory=dict)


def _ours(text: str) -> tuple[str, str]:
    """Our top key point and our summary, in the article's own language."""
    top = summarize(text, points=1)
    point = top.own(top.key_points[0].zh, top.key_points[0].en) if top.key_points else None
    full = summarize(text)
    summary = full.own(full.summary.zh, full.summary.en)
    return point or "", summary or ""


def evaluate(task: tuple[Article, str | None]) -> Scored:
    """Score ours (under an ablation switch, if named) and, with no switch, every baseline."""
    article, ablation = task
    assert _scorer is not None
    out = Scored(id=article.id)
    start = time.perf_counter()
    try:
        if ablation is None:
            out.ours = _ours(article.text)
        else:
            with by_name(ablation).switch():
                out.ours = _ours(article.text)
    except Exception as exc:  # scored as nothing, and counted
        out.failed = f"{type(exc).__name__}: {exc}"
    out.ours_seconds = time.perf_counter() - start

    candidates: dict[str, str | None] = {"point/ours": out.ours[0], "summary/ours": out.ours[1]}
    if ablation is None:
        paragraphs = clean(article.text).paragraphs
        lead = baselines.lead_sentences(paragraphs)
        lead1 = lead[0] if lead else ""
        point_budget = len(out.ours[0]) if out.failed is None else len(lead1)
        summary_budget = len(out.ours[1]) if out.failed is None else min(200, len("".join(lead[:3])))
        candidates |= {
            "point/LEAD-1": lead1,
            "point/LEAD-1 cut to ours": lead1[:point_budget],
            "point/LexRank top-1": baselines.lexrank_top(paragraphs, _cache),
            "point/JioNLP at ours": baselines.jionlp_summary(paragraphs, point_budget, _cache),
            "summary/LEAD-3 cut to ours": "".join(baselines.cut(lead[:3], summary_budget)),
            "summary/LexRank cut to ours": "".join(baselines.lexrank(paragraphs, summary_budget, _cache)),
            "summary/JioNLP at ours": baselines.jionlp_summary(paragraphs, summary_budget, _cache),
        }
    for name, text in candidates.items():
        if text is None:  # JioNLP not installed
            continue
        result = _scorer.score(article.reference, text)
        out.scores[name] = tuple(result[m].fmeasure for m in METRICS)
        out.lengths[name] = len(text)
    out.new_cache = dict(_cache.new)
    _cache.known.update(_cache.new)
    _cache.new.clear()
    return out


# --- a whole set ----------------------------------------------------------------------------


@dataclass
class SetRun:
    name: str
    reference: str
    results: list[Scored]
    seconds: float

    def mean(self, system: str) -> tuple[float, ...]:
        rows = [r.scores[system] for r in self.results if system in r.scores]
        if not rows:
            return ()
        return tuple(100 * statistics.fmean(row[i] for row in rows) for i in range(len(METRICS)))

    def mean_length(self, system: str) -> float:
        return statistics.fmean(r.lengths.get(system, 0) for r in self.results)

    @property
    def failures(self) -> list[Scored]:
        return [r for r in self.results if r.failed]


def run_set(
    pool: Pool, articles: Sequence[Article], ablation: str | None, known: dict[str, Any]
) -> tuple[list[Scored], float]:
    start = time.perf_counter()
    results = list(pool.imap(evaluate, [(a, ablation) for a in articles], chunksize=8))
    for r in results:
        known.update(r.new_cache)
        r.new_cache = {}
    return results, time.perf_counter() - start


def print_set(run: SetRun) -> None:
    n = len(run.results)
    print(f"\n== {run.name}: {n} articles; reference = {run.reference} ==")
    for title, prefix, systems in (
        ("(a) top key point", "point", POINT_SYSTEMS),
        ("(b) summary", "summary", SUMMARY_SYSTEMS),
    ):
        header = f"{title:<28}{'chars':>7}" + "".join(f"{label:>8}" for label in LABELS)
        print(header)
        print("-" * len(header))
        for system in systems:
            row = run.mean(f"{prefix}/{system}")
            if not row:
                print(f"  {system:<26}{'':>7}   (not run: {baselines.jionlp_unavailable() or 'no result'})")
                continue
            length = run.mean_length(f"{prefix}/{system}")
            print(f"  {system:<26}{length:>7.1f}" + "".join(f"{v:>8.2f}" for v in row))
        print()
    ours_ms = 1000 * statistics.fmean(r.ours_seconds for r in run.results)
    print(f"wall time {run.seconds:.1f} s for the set, all systems ({ours_ms:.1f} ms per article for ours' two calls)")
    if run.failures:
        print(f"summarize failed on {len(run.failures)} articles (scored 0), e.g. {run.failures[0].id}: ")
        print(f"  {run.failures[0].failed}")
    sys.stdout.flush()


def verdict(run: SetRun) -> list[str]:
    """Ours minus each baseline on each of R-1, R-2 and R-L, and whether ours is ahead on all three."""
    lines = [f"{run.name} — ours minus baseline, ROUGE points (beats = ahead on each of R-1, R-2, R-L):"]
    for title, prefix, names in (("top key point", "point", POINT_VERDICT), ("summary", "summary", SUMMARY_VERDICT)):
        ours = run.mean(f"{prefix}/ours")
        for name in names:
            theirs = run.mean(f"{prefix}/{name}")
            if not theirs:
                lines.append(f"  {title:<14} vs {name:<20} not run")
                continue
            gaps = [a - b for a, b in zip(ours, theirs, strict=True)]
            text = "  ".join(f"{label} {gap:+6.2f}" for label, gap in zip(LABELS, gaps, strict=True))
            behind = [label for label, gap in zip(LABELS, gaps, strict=True) if gap <= 0]
            if behind:
                word = f"does NOT beat it (behind or level on {', '.join(behind)})"
            elif all(gap >= 1 for gap in gaps):
                word = "beats it on all three, each by ≥ 1 point"
            else:
                small = [label for label, gap in zip(LABELS, gaps, strict=True) if gap < 1]
                word = f"beats it on all three, but by < 1 point on {', '.join(small)}"
            lines.append(f"  {title:<14} vs {name:<20} {text}   {word}")
    return lines


# --- ablations -------------------------------------------------------------------------------


def print_ablations(pool: Pool, sets: list[tuple[SetRun, list[Article]]], known: dict[str, Any]) -> None:
    print("\n== Ablations: ours with one switch off (bench/ablations.py), same inputs ==")
    if not ABLATIONS:
        print("(no switches registered)")
        return
    header = f"{'switch':<40}{'set':<12}" + "".join(f"{'pt ' + lb:>8}" for lb in LABELS)
    header += "".join(f"{'sum ' + lb:>9}" for lb in LABELS) + f"{'Δ total':>9}{'changed':>9}{'time':>8}"
    print(header)
    print("-" * len(header))
    for run, _articles in sets:
        row = run.mean("point/ours") + run.mean("summary/ours")
        print(f"{'(all on: the current core)':<40}{short(run.name):<12}" + _cells(row) + f"{'':>9}{'':>9}{'':>8}")
    for ablation in ABLATIONS:
        for run, articles in sets:
            results, seconds = run_set(pool, articles, ablation.name, known)
            off = SetRun(run.name, run.reference, results, seconds)
            base_row = run.mean("point/ours") + run.mean("summary/ours")
            row = off.mean("point/ours") + off.mean("summary/ours")
            delta = sum(row) - sum(base_row)
            before = {r.id: r.ours for r in run.results}
            changed = sum(r.ours != before.get(r.id) for r in results)
            print(
                f"{ablation.name[:39]:<40}{short(run.name):<12}"
                + _cells(row)
                + f"{delta:>+9.2f}{f'{changed}/{len(results)}':>9}{seconds:>7.0f}s"
            )
            if off.failures:
                print(f"  summarize failed on {len(off.failures)} articles with this switch off")
            sys.stdout.flush()
    print("Δ total: change of the six numbers' sum against all on; changed: articles whose point or summary changed")


def _cells(row: tuple[float, ...]) -> str:
    return "".join(f"{v:>8.2f}" for v in row[:3]) + "".join(f"{v:>9.2f}" for v in row[3:])


def short(name: str) -> str:
    return name.split(" ")[0] if not name.startswith("LCSTS") else name.replace("LCSTS ", "LCSTS-")


# --- the development cases (as before) -----------------------------------------------------


def lead(text: str, budget: int) -> list[str]:
    """The first sentences of the cleaned article, the last one cut to fill the budget exactly."""
    return baselines.cut(baselines.lead_sentences(clean(text).paragraphs), budget)


def lexrank(text: str, count: int, budget: int) -> list[str]:
    """LexRank's ``count`` best sentences in document order, cut to the budget."""
    paragraphs = clean(text).paragraphs
    ranked = baselines.lexrank_ranking(paragraphs, baselines.Cached({}))[:count]
    joined = "\n".join(paragraphs)
    ranked.sort(key=lambda s: joined.find(s))
    return baselines.cut(ranked, budget)


def ours(text: str, points: int) -> list[str]:
    return [p.zh or p.en or "" for p in summarize(text, points=points).key_points]


def dev_cases(cases_path: Path, verbose: bool) -> None:
    cases = json.loads(cases_path.read_text(encoding="utf-8"))
    scorer = new_scorer()
    totals: dict[str, dict[str, list[float]]] = {name: {m: [] for m in METRICS} for name in ("ours", "lead", "lexrank")}

    print(f"\n== Development cases ({cases_path.name}): reference = key points written by a person ==")
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
            if verbose:
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


# --- the command -----------------------------------------------------------------------------

PARTS = ("lcsts", "president", "dev", "ablations")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=evaldata.LCSTS_SPLITS, default="val", help="LCSTS split (default val)")
    parser.add_argument("--limit", type=int, help="sample this many articles of each real set (fixed seed)")
    parser.add_argument("--president", type=int, default=1000, help="press releases to sample (default 1000)")
    parser.add_argument("--seed", type=int, default=evaldata.SEED)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS), help="run only these parts")
    parser.add_argument("--cases", default=str(ROOT / "tests/eval/cases.json"))
    parser.add_argument("--verbose", action="store_true", help="print every system's points on the dev cases")
    args = parser.parse_args(argv)
    parts = set(args.only)

    real = parts & {"lcsts", "president", "ablations"}
    sets: list[tuple[SetRun, list[Article]]] = []
    if real:
        root = evaldata.data_dir()
        todo: list[tuple[str, str, list[Article]]] = []
        if parts & {"lcsts", "ablations"}:
            posts = evaldata.sample(evaldata.lcsts(root, args.split), args.limit, args.seed)
            todo.append((f"LCSTS {args.split}", "the LCSTS summary (a headline)", posts))
        if parts & {"president", "ablations"}:
            n = args.limit if args.limit is not None else args.president
            releases, stats = evaldata.president(root, n, args.seed)
            print(
                f"press releases: {len(releases)} sampled of {stats['eligible']} with 300–5,000 characters; "
                f"a title line was taken out of {stats['title_line_removed']} inputs; "
                f"{stats['title_inside_a_sentence']} mention the title inside a sentence (story text, kept)"
            )
            todo.append(("President releases", "the release's own title (not given to summarize)", releases))

        missing = baselines.jionlp_unavailable()
        if missing:
            print(f"JioNLP is not available here ({missing}); its rows are left out. pip install -e '.[bench]'")
        summarize("暖身：先載入結巴詞典，好讓工作行程共用。")  # load jieba once, before the workers fork
        cache_path = baselines.cache_dir() / CACHE_FILE
        known = baselines.load_cache(cache_path)
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(args.workers, initializer=_init_worker, initargs=(known,)) as pool:
            for name, reference, articles in todo:
                results, seconds = run_set(pool, articles, None, known)
                run = SetRun(name, reference, results, seconds)
                sets.append((run, articles))
                print_set(run)
            baselines.save_cache(cache_path, known)
            if "dev" in parts:
                dev_cases(Path(args.cases), args.verbose)
            if "ablations" in parts:
                print_ablations(pool, sets, known)
    elif "dev" in parts:
        dev_cases(Path(args.cases), args.verbose)

    if sets:
        print("\n== Verdict ==")
        for run, _articles in sets:
            if (run.name.startswith("LCSTS") and "lcsts" in parts) or (
                run.name.startswith("President") and "president" in parts
            ):
                print("\n".join(verdict(run)))
                print(f"  wall time: {run.seconds:.1f} s for {len(run.results)} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

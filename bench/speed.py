"""Speed benchmark: medians, and ratios against baselines run in the same process.

    python -m bench.speed [--repeat 30]

(a) ``summarize(seed)`` warm, (b) jieba's own ``lcut`` over the same cleaned text (the
floor for any jieba pipeline), (c) sumy's LexRank on the same text; then a cold
``briefbot brief`` in a fresh process, and inputs of 100 KB, 500 KB and 1 MB of
distinct text, each in its own process so that its peak memory can be read.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import ROOT, SEED


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _child(path: str) -> None:
    """Run in a fresh process: summarise one file, print seconds and peak RSS."""
    import resource

    from bot import summarize

    text = Path(path).read_text(encoding="utf-8")
    summarize(SEED.read_text(encoding="utf-8"))  # start-up is measured by the cold run; this measures the work
    start = time.perf_counter()
    summarize(text, max_bytes=4 * 1024 * 1024)
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0

    from bench.quality import JiebaSumyTokenizer
    from bot import summarize
    from bot.text.analyse import jieba_module, to_simplified
    from bot.text.clean import clean

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    seed = SEED.read_text(encoding="utf-8")
    cleaned = clean(seed).text
    jieba = jieba_module()

    from sumy.nlp.stemmers import null_stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    lexrank = LexRankSummarizer(null_stemmer)
    tokenizer = JiebaSumyTokenizer()

    def run_sumy() -> object:
        return lexrank(PlaintextParser.from_string(cleaned, tokenizer).document, 5)

    simplified = to_simplified(cleaned)
    ours = median_seconds(lambda: summarize(seed), args.repeat)
    floor = median_seconds(lambda: jieba.lcut(simplified), args.repeat)
    sumy = median_seconds(run_sumy, max(5, args.repeat // 3))
    print(f"(a) summarize(seed), warm      median {ours * 1000:8.2f} ms   (target ≤ 15 ms)")
    print(f"(b) jieba.lcut(cleaned seed)   median {floor * 1000:8.2f} ms")
    print(f"(c) sumy LexRank (jieba words) median {sumy * 1000:8.2f} ms")
    print(f"    ours / jieba floor = {ours / floor:.2f}×   (target ≤ 3×)")
    print(f"    ours / sumy        = {ours / sumy:.2f}×   (target < 1×)")

    cold = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "brief", str(SEED), "--format", "json"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        cold.append(time.perf_counter() - start)
    print(f"cold `briefbot brief seed`     median {statistics.median(cold):8.2f} s    (target ≤ 1.5 s)")

    from bench.corpus import distinct_chinese

    print("\nscaling (distinct text, one fresh process each; start-up excluded):")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kb in (100, 500, 1024):
            path = Path(tmp) / f"{kb}.txt"
            path.write_text(distinct_chinese(kb * 1024), encoding="utf-8")
            out = subprocess.run(
                [sys.executable, "-m", "bench.speed", "--child", str(path)],
                check=True,
                capture_output=True,
                cwd=ROOT,
                text=True,
            ).stdout
            row = json.loads(out.strip().splitlines()[-1])
            rows.append((kb, row))
            print(f"  {kb:5d} KB: {row['seconds']:6.2f} s, peak RSS {row['peak_mb']:6.0f} MB")
    base_kb, base = rows[0]
    for kb, row in rows[1:]:
        per_kb = (row["seconds"] / kb) / (base["seconds"] / base_kb)
        print(f"  time per KB at {kb} KB vs 100 KB: {per_kb:.2f}× (1.0 = linear)")
    print("targets: 1 MB ≤ 5 s, peak ≤ 400 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Speed benchmark: medians, and ratios against baselines run in the same process or run.

    python -m bench.speed [--repeat 30] [--cold 7]

The machine this runs on may be shared and noisy, so every figure that matters is a
ratio against a baseline measured in the same run:

warm, in this process: (a) ``summarize(seed)``; (b) jieba's bare ``lcut`` of the raw seed
(all its pasted copies, as a user pastes it); (c) sumy's LexRank (jieba tokenizer) on the
cleaned seed. (d), jieba's ``lcut`` of the cleaned Simplified seed, is shown for reference.

cold, fresh processes, interleaved: ``python -m bot brief seed --format json`` against
jieba's own start, ``python -c "import jieba; jieba.initialize()"``, the same number of
times. One unmeasured start of each comes first, with bytecode writing allowed, so both
sides run from compiled modules and warm caches, as an installed briefbot does.

scaling: 100 KB, 500 KB and 1 MB of distinct text, each in its own process (start-up
excluded) so that its peak memory can be read; the median of a few runs of each.

Wall and CPU time are both shown: on a shared machine the wall time also counts the
moments other processes held the core, which CPU time leaves out.
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

#: Targets (issue 10), as ratios against the baselines above.
TARGET_COLD = 1.1
TARGET_SUMY = 0.1
TARGET_LCUT = 1.0

JIEBA_START = "import jieba; jieba.initialize()"


def interleaved_medians(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall time and median CPU time of this process for each of ``fns``.

    One call of each in turn, ``repeat`` rounds (after one warm-up round), so that a busy
    spell on a shared machine falls on all of them alike rather than on whichever ran then.
    CPU time leaves out the moments another process held the core; both are shown.
    """
    for fn in fns.values():
        fn()  # warm
    wall: dict[str, list[float]] = {name: [] for name in fns}
    cpu: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in fns}


def _child(path: str) -> None:
    """Run in a fresh process: summarise one file, print seconds and peak RSS."""
    from bot import summarize

    text = Path(path).read_text(encoding="utf-8")
    summarize(SEED.read_text(encoding="utf-8"))  # start-up is measured by the cold run; this measures the work
    start, start_cpu = time.perf_counter(), time.process_time()
    summarize(text, max_bytes=4 * 1024 * 1024)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": _peak_kb() / 1024}))


def _peak_kb() -> float:
    """This process's peak resident memory. Linux keeps ``ru_maxrss`` across exec, so a child of a
    big parent would report the parent's peak; ``VmHWM`` belongs to this program alone."""
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _ratio_line(label: str, value: float, target: float, sign: str = "≤") -> str:
    verdict = "met" if value <= target else "NOT met"
    return f"    {label} = {value:.3f}×   (target {sign} {target}×: {verdict})"


def warm(repeat: int) -> None:
    from bench.quality import JiebaSumyTokenizer
    from bot import summarize
    from bot.text.analyse import jieba_module, to_simplified
    from bot.text.clean import clean

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
    timed = interleaved_medians(
        {
            "ours": lambda: summarize(seed),
            "raw_lcut": lambda: jieba.lcut(seed),
            "sumy": run_sumy,
            "floor": lambda: jieba.lcut(simplified),
        },
        repeat,
    )
    ours, raw_lcut, sumy, floor = timed["ours"], timed["raw_lcut"], timed["sumy"], timed["floor"]
    print(f"warm, this process (median of {repeat}, one of each in turn; wall and CPU time):")
    for label, (wall, cpu) in (
        ("(a) summarize(seed)                 ", ours),
        ("(b) jieba.lcut(raw seed, every copy)", raw_lcut),
        ("(c) sumy LexRank (jieba words)      ", sumy),
        ("(d) jieba.lcut(cleaned seed, t2s)   ", floor),
    ):
        print(f"{label}  {wall * 1000:8.2f} ms  cpu {cpu * 1000:8.2f} ms")
    for clock, i in (("wall", 0), ("cpu ", 1)):
        print(_ratio_line(f"{clock}: ours / sumy LexRank  ", ours[i] / sumy[i], TARGET_SUMY))
        print(_ratio_line(f"{clock}: ours / lcut(raw seed) ", ours[i] / raw_lcut[i], TARGET_LCUT))
    print(f"    ours / lcut(cleaned seed)  = {ours[0] / floor[0]:.2f}× wall, {ours[1] / floor[1]:.2f}× cpu (reference)")


def cold(runs: int) -> None:
    commands = {
        "briefbot": [sys.executable, "-m", "bot", "brief", str(SEED), "--format", "json"],
        "jieba": [sys.executable, "-c", JIEBA_START],
        "python": [sys.executable, "-c", "pass"],
    }
    warm_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in commands.values():  # compile modules, fill caches, warm the page cache
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=warm_env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start, start_cpu = time.perf_counter(), _children_cpu()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
            cpu[name].append(_children_cpu() - start_cpu)
    ours, jieba, bare = (statistics.median(times[name]) for name in commands)
    ours_cpu, jieba_cpu, bare_cpu = (statistics.median(cpu[name]) for name in commands)
    print(f"\ncold, fresh processes, interleaved (median of {runs} each; wall and CPU time):")
    print(f"    python -m bot brief seed --format json          {ours:6.2f} s   cpu {ours_cpu:6.2f} s")
    print(f"    python -c '{JIEBA_START}'   {jieba:6.2f} s   cpu {jieba_cpu:6.2f} s")
    print(f"    python -c pass                                  {bare:6.2f} s   cpu {bare_cpu:6.2f} s")
    print(_ratio_line("wall: briefbot / jieba's own start", ours / jieba, TARGET_COLD))
    print(_ratio_line("cpu:  briefbot / jieba's own start", ours_cpu / jieba_cpu, TARGET_COLD))


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def scaling(runs: int) -> None:
    from bench.corpus import distinct_chinese

    sizes = (100, 500, 1024)
    print(f"\nscaling (distinct text, fresh processes, start-up excluded; median of {runs} each, interleaved):")
    samples: dict[int, list[dict[str, float]]] = {kb: [] for kb in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for kb in sizes:
            paths[kb] = Path(tmp) / f"{kb}.txt"
            paths[kb].write_text(distinct_chinese(kb * 1024), encoding="utf-8")
        for _ in range(runs):
            for kb in sizes:
                out = subprocess.run(
                    [sys.executable, "-m", "bench.speed", "--child", str(paths[kb])],
                    check=True,
                    capture_output=True,
                    cwd=ROOT,
                    text=True,
                ).stdout
                samples[kb].append(json.loads(out.strip().splitlines()[-1]))
    rows = {kb: {key: statistics.median(s[key] for s in samples[kb]) for key in samples[kb][0]} for kb in sizes}
    for kb, row in rows.items():
        print(f"  {kb:5d} KB: {row['seconds']:6.2f} s  cpu {row['cpu']:6.2f} s, peak RSS {row['peak_mb']:6.0f} MB")
    base = rows[sizes[0]]
    for kb in sizes[1:]:
        wall = (rows[kb]["seconds"] / kb) / (base["seconds"] / sizes[0])
        cpu = (rows[kb]["cpu"] / kb) / (base["cpu"] / sizes[0])
        print(f"  time per KB at {kb} KB vs 100 KB: {wall:.2f}× wall, {cpu:.2f}× cpu (1.0 = linear)")
    print("targets: linear (≈ 1.0×), 1 MB ≤ 5 s, peak ≤ 400 MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="warm repetitions (default: 30)")
    parser.add_argument("--cold", type=int, default=7, help="fresh processes of each kind (default: 7)")
    parser.add_argument("--scaling", type=int, default=3, help="runs of each input size (default: 3)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    warm(args.repeat)
    cold(args.cold)
    scaling(args.scaling)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

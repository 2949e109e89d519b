"""Offline translator benchmark: model load, a 5-point briefing translated, memory added.

    BRIEFBOT_MODELS_DIR=… python -m bench.offline [--repeat 7] [--beam 2]

Each figure comes from fresh processes (so the load is a real first load), the median of
``--repeat`` runs. In each process: the glossary-only briefing of the seed is timed first
as the baseline, then the model is loaded, then the seed's summary and 5 key points are
translated; resident memory is read before the load and after the translation.

Targets (issue 12, this machine's 2 cores): load ≤ 1 s, translation ≤ 3 s, memory ≤ +300 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from bench.corpus import ROOT

TARGET_LOAD = 1.0
TARGET_TRANSLATE = 3.0
TARGET_MB = 300

_ONE_RUN = """
import json, resource, sys, time
from bot import summarize
from bot.text.analyse import preload
from bot.translate.glossary import GlossaryTranslator
from bot.translate.models import require
from bot.translate.offline import OfflineTranslator

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

preload()
seed = open(sys.argv[1], encoding="utf-8").read()
summarize(seed, translator=GlossaryTranslator())
t = time.perf_counter(); briefing = summarize(seed, translator=GlossaryTranslator()); glossary = time.perf_counter() - t
before = rss_mb()
translator = OfflineTranslator({"zh-en": require("zh-en")}, beam_size=int(sys.argv[2]))
t = time.perf_counter(); translator.preload(); load = time.perf_counter() - t
texts = [briefing.summary.zh] + [p.zh for p in briefing.key_points]
t = time.perf_counter(); out = translator.translate_texts(texts, "zh-en"); translate = time.perf_counter() - t
after = rss_mb()
print(json.dumps({"glossary": glossary, "load": load, "translate": translate, "mb": after - before,
                  "points": len(briefing.key_points), "english": out}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--beam", type=int, default=2)
    args = parser.parse_args(argv)
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, "-c", _ONE_RUN, str(ROOT / "seeds" / "000_ad45b660a4293367.txt"), str(args.beam)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        runs.append(json.loads(out.stdout))
    med = {key: statistics.median(r[key] for r in runs) for key in ("glossary", "load", "translate", "mb")}
    print(
        f"offline translator, seed, {runs[0]['points']} key points + summary, beam {args.beam}, {args.repeat} processes"
    )
    print(f"  glossary-only briefing (baseline) {med['glossary']:.3f} s")
    print(f"  model load                        {med['load']:.3f} s   target ≤ {TARGET_LOAD} s")
    print(
        f"  translate summary + points        {med['translate']:.3f} s   target ≤ {TARGET_TRANSLATE} s"
        f"   ({med['translate'] / med['glossary']:.1f}× the glossary briefing)"
    )
    print(f"  memory added (RSS)                {med['mb']:.0f} MB   target ≤ {TARGET_MB} MB")
    print("  min/max translate: " + " / ".join(f"{f(r['translate'] for r in runs):.3f}" for f in (min, max)))
    print("first run's English:")
    for line in runs[0]["english"]:
        print("  -", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

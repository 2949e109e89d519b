"""Benchmark inputs: the seed article, and deterministic text of any size made of distinct sentences."""

from __future__ import annotations

import random
from pathlib import Path

from bot.text.analyse import jieba_module

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ad45b660a4293367.txt"


def distinct_chinese(n_bytes: int, seed: int = 20261126) -> str:
    """About ``n_bytes`` of UTF-8 Chinese prose whose sentences never repeat."""
    rng = random.Random(seed)
    freq = jieba_module().dt.FREQ
    words = [w for w, f in sorted(freq.items(), key=lambda kv: -kv[1])[:30000] if f > 0 and len(w) > 1]
    out: list[str] = []
    size = 0
    sentence_no = 0
    while size < n_bytes:
        clauses = []
        for _ in range(rng.randint(1, 4)):
            clauses.append("".join(rng.choice(words) for _ in range(rng.randint(3, 7))))
        sentence = "，".join(clauses) + "。"
        sentence_no += 1
        if sentence_no % 6 == 0:
            sentence += "\n\n"
        out.append(sentence)
        size += len(sentence.encode("utf-8"))
    return "".join(out)

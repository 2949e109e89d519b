"""Public evaluation data, read from the folder named by ``BRIEFBOT_EVAL_DATA`` (never the repo).

The licences are research-only, so the data stays outside the repository. To obtain it::

    export BRIEFBOT_EVAL_DATA=~/briefbot-eval
    git clone https://github.com/CLUEbenchmark/CLGE /tmp/CLGE && cd /tmp/CLGE
    mkdir -p $BRIEFBOT_EVAL_DATA/lcsts
    for s in train val; do   # test.tsv is kept for the final evaluation: do not fetch it
      git show 2fb38e170310698193780fdcd532190dfe6fc5ce:LGECdataset/lcsts/$s.tsv > $BRIEFBOT_EVAL_DATA/lcsts/$s.tsv
    done
    git clone --depth 1 https://github.com/kiang/www.president.gov.tw /tmp/president
    mkdir -p $BRIEFBOT_EVAL_DATA/president && cp -r /tmp/president/news_json $BRIEFBOT_EVAL_DATA/president/
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: Press releases of this many characters are the long-article set.
PRESIDENT_CHARS = (300, 5000)


@dataclass(frozen=True, slots=True)
class Row:
    #: The reference: an LCSTS summary, or a press release's own title.
    reference: str
    text: str
    year: int = 0
    id: str = ""


def data_dir() -> Path:
    """The data folder, or a message saying how to obtain it (exit 2) when it is not set."""
    raw = os.environ.get("BRIEFBOT_EVAL_DATA", "").strip()
    if not raw or not Path(raw).is_dir():
        print("BRIEFBOT_EVAL_DATA must name a folder holding the evaluation data." + (__doc__ or ""), file=sys.stderr)
        raise SystemExit(2)
    return Path(raw)


def lcsts_rows(root: Path, split: str) -> list[Row]:
    """LCSTS ``train`` or ``val`` (``summary<TAB>article`` a line). The test split is never read."""
    if split not in ("train", "val"):
        raise ValueError("only the train and val splits of LCSTS are read; test is kept for the final evaluation")
    rows = []
    for n, line in enumerate((root / "lcsts" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()):
        reference, _, text = line.partition("\t")
        if reference.strip() and text.strip():
            rows.append(Row(reference.strip(), text.strip(), id=f"{split}:{n}"))
    return rows


def president_rows(root: Path) -> list[Row]:
    """Presidential press releases of 300–5,000 characters, sorted by id; reference = the title."""
    rows = []
    low, high = PRESIDENT_CHARS
    for path in sorted((root / "president" / "news_json").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        content = (data.get("content") or "").strip()
        title = (data.get("title") or "").strip()
        if title and low <= len(content) <= high:
            rows.append(Row(title, content, year=int(path.parent.name), id=path.stem))
    return rows


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
    lcs = previous[-1]
    if not lcs:
        return 0.0
    precision, recall = lcs / len(candidate), lcs / len(reference)
    return 2 * precision * recall / (precision + recall)


def char_rouge(reference: str, candidate: str) -> tuple[float, float, float]:
    """Character ROUGE-1, -2 and -L F1 (punctuation dropped), as the benchmark scores: a fast
    stand-in for rouge-score with a character tokenizer, for fitting."""
    ref, cand = _chars(reference), _chars(candidate)
    return _ngram_f1(ref, cand, 1), _ngram_f1(ref, cand, 2), _lcs_f1(ref, cand)

"""The public evaluation data: LCSTS (Simplified) and the Presidential Office's press releases
(Traditional). Both are under research licences, so they never enter the repository: they are
read from the folder named by ``BRIEFBOT_EVAL_DATA``.

Only LCSTS's train and val splits are ever read. Its test split is kept for the final
evaluation, and nothing in bench/ may open it.
"""

from __future__ import annotations

import json
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ENV = "BRIEFBOT_EVAL_DATA"
LCSTS_SPLITS = ("train", "val")
#: Press releases whose content is this long (characters) are the president set.
PRESIDENT_MIN_CHARS = 300
PRESIDENT_MAX_CHARS = 5000
SEED = 20240610

T = TypeVar("T")

HOW_TO_OBTAIN = f"""\
The real-news evaluation reads public data sets that are not part of this repository.
Set {ENV} to a folder laid out like this, then run again:

  {ENV}/lcsts/train.tsv  {ENV}/lcsts/val.tsv     (one `summary<TAB>article` per line)
  {ENV}/president/news_json/<year>/<id>.json

LCSTS, as redistributed by CLUEbenchmark/CLGE (research use only):

  git clone https://github.com/CLUEbenchmark/CLGE
  mkdir -p "${ENV}/lcsts"
  git -C CLGE show 2fb38e170310698193780fdcd532190dfe6fc5ce:LGECdataset/lcsts/train.tsv > "${ENV}/lcsts/train.tsv"
  git -C CLGE show 2fb38e170310698193780fdcd532190dfe6fc5ce:LGECdataset/lcsts/val.tsv > "${ENV}/lcsts/val.tsv"

  (Leave test.tsv out: it is kept for the final evaluation.)

Press releases of the Office of the President (Taiwan), collected by kiang:

  git clone https://github.com/kiang/www.president.gov.tw
  mkdir -p "${ENV}/president"
  cp -r www.president.gov.tw/news_json "${ENV}/president/"
"""


@dataclass(frozen=True, slots=True)
class Article:
    """One input: the text given to the summariser and the reference it is scored against."""

    id: str
    text: str
    reference: str


def data_dir() -> Path:
    """The data folder, or exit 2 after saying how to obtain the data."""
    value = os.environ.get(ENV)
    root = Path(value) if value else None
    if root is None or not (root / "lcsts").is_dir() or not (root / "president" / "news_json").is_dir():
        if value:
            print(f"{ENV}={value} does not hold lcsts/ and president/news_json/.\n", file=sys.stderr)
        print(HOW_TO_OBTAIN, file=sys.stderr)
        raise SystemExit(2)
    return root


def lcsts(root: Path, split: str = "val") -> list[Article]:
    """LCSTS posts of one split (train or val), with the headline-style summary as reference."""
    if split not in LCSTS_SPLITS:
        raise ValueError(f"LCSTS split must be one of {LCSTS_SPLITS}; the test split is not read here")
    out = []
    with (root / "lcsts" / f"{split}.tsv").open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            summary, sep, article = line.rstrip("\n").partition("\t")
            if sep and article.strip():
                out.append(Article(id=f"lcsts-{split}-{n}", text=article, reference=summary))
    return out


def release_paths(root: Path) -> list[Path]:
    return sorted((root / "president" / "news_json").glob("*/*.json"))


def load_release(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def releases(root: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every press release whose content is 300–5,000 characters, in a stable order."""
    out = []
    for path in release_paths(root):
        data = load_release(path)
        content = data.get("content") or ""
        if PRESIDENT_MIN_CHARS <= len(content) <= PRESIDENT_MAX_CHARS:
            out.append((path, data))
    return out


def without_title(content: str, title: str) -> tuple[str, bool]:
    """The content with any paragraph that is just the title taken out, and whether one was."""
    paragraphs = content.split("\n\n")
    kept = [p for p in paragraphs if p.strip() != title.strip()]
    return "\n\n".join(kept), len(kept) != len(paragraphs)


#: The ranking weights were fitted on releases up to 2015 (bench/fit_rank.py): ROUGE is reported
#: on the later ones only.
HELD_OUT_FROM_YEAR = 2016


def president(
    root: Path, limit: int | None, seed: int = SEED, *, since: int = HELD_OUT_FROM_YEAR
) -> tuple[list[Article], dict[str, int]]:
    """A fixed-seed sample of releases from ``since`` on; reference = the release's own title, not
    given as input.

    The second value counts the eligible releases, the title lines taken out of the input and
    the inputs whose story text still mentions the title's words inside a sentence.
    """
    pool = [(path, data) for path, data in releases(root) if int(path.parent.name) >= since]
    picked = sample(pool, limit, seed)
    articles = []
    stats = {"eligible": len(pool), "title_line_removed": 0, "title_inside_a_sentence": 0}
    for path, data in picked:
        title = (data.get("title") or "").strip()
        text, removed = without_title(data["content"], title)
        stats["title_line_removed"] += removed
        stats["title_inside_a_sentence"] += bool(title) and title in text
        articles.append(Article(id=f"president-{path.parent.name}-{path.stem}", text=text, reference=title))
    return articles, stats


def sample(items: list[T], limit: int | None, seed: int = SEED) -> list[T]:
    """``limit`` items drawn with a fixed seed, kept in their original order; all if no limit."""
    if limit is None or limit >= len(items):
        return list(items)
    chosen = sorted(random.Random(seed).sample(range(len(items)), limit))
    return [items[i] for i in chosen]

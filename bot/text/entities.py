"""Names the dictionaries get wrong: Taiwan, Hong Kong and mainland institutions, companies
and places (台鐵, 行政院, 台積電, 新台幣 …), from ``data/entities.tsv``.

jieba learns them as whole words (so 台鐵則表示 is 台鐵 | 則 | 表示, not 台 | 鐵則 | 表示),
keywords count them as names, and translators keep their English (台積電 → TSMC).
"""

from __future__ import annotations

import importlib.resources
import threading
from dataclasses import dataclass
from functools import cache

_KINDS = {"org": "nt", "place": "ns", "person": "nr", "currency": "nz", "other": "nz"}
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Entity:
    traditional: str
    simplified: str
    english: str
    kind: str


@cache
def entities() -> tuple[Entity, ...]:
    """Every entry of the list, with its Simplified form."""
    from bot.text.analyse import to_simplified

    text = (importlib.resources.files("bot.text") / "data" / "entities.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        traditional, english, kind = (part.strip() for part in line.split("\t"))
        if kind not in _KINDS:
            raise ValueError(f"entities.tsv: unknown kind {kind!r} for {traditional}")
        out.append(Entity(traditional, to_simplified(traditional), english, kind))
    return tuple(out)


@cache
def by_name() -> dict[str, Entity]:
    """Every form (Traditional and Simplified) of every name, to its entry."""
    table: dict[str, Entity] = {}
    for entity in entities():
        table.setdefault(entity.traditional, entity)
        table.setdefault(entity.simplified, entity)
    return table


def teach(jieba_tokenizer: object) -> None:
    """Add every name to a jieba tokenizer as a whole word (Simplified, as the analysis runs)."""
    with _lock:
        for entity in entities():
            # A frequency above what jieba gives most words keeps the name whole in a sentence.
            jieba_tokenizer.add_word(entity.simplified, freq=20000, tag=_KINDS[entity.kind])  # type: ignore[attr-defined]

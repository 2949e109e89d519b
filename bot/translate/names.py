"""Fixed English for names and terms: the entity list of the text room plus ``data/names.tsv``.

Both the glossary and a machine translator read this one table, so a name comes out the
same whichever made the English (台積電 → TSMC, 行政院 → Executive Yuan, 電子圍欄 → geofence).
Every entry is given in Traditional; its Simplified form (OpenCC) maps to the same English.
"""

from __future__ import annotations

import importlib.resources
from functools import cache


@cache
def known_names() -> dict[str, str]:
    """Chinese (Traditional and Simplified forms) to English, for every known name and fixed term."""
    from bot.text.analyse import to_simplified
    from bot.text.entities import entities

    pairs = [(e.traditional, e.english) for e in entities()]
    text = (importlib.resources.files("bot.translate") / "data" / "names.tsv").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"names.tsv line {number}: expected 'Chinese<TAB>English', got {line!r}")
        pairs.append((parts[0], parts[1]))
    table: dict[str, str] = {}
    for traditional, english in pairs:  # later entries (names.tsv) win over the entity list
        table[traditional] = english
        simplified = to_simplified(traditional)
        if simplified != traditional:
            table[simplified] = english
    return table


def english_name(term: str) -> str | None:
    """The fixed English for ``term`` (either script), or None."""
    return known_names().get(term)

"""The offline default for the other language: an honest key-term glossary.

Only keywords get glosses (CC-CEDICT); summaries and key points are left without a
translation rather than faked word by word, and every output says so. Each term gets one
sense, the one that fits: a fixed rendering for a known name or term first (台積電 →
TSMC, 電子圍欄 → geofence), a proper-noun entry only for a name, else the usual sense of
the term's own entry. English words are looked up by their lemma (routes → route), and a
word beside them can pick the sense (buses run → 行駛).
"""

from __future__ import annotations

import importlib.resources
import re
from functools import cache

from bot.briefing import TranslatorInfo
from bot.chat.i18n import N_
from bot.translate import cedict
from bot.translate.base import TranslationRequest, TranslationResult
from bot.translate.names import english_name

# The notes are stored with a briefing as written here and worded for the reader when shown
# (``bot.briefing.note_text``); the Chinese one is its own message id, Simplified in zh-Hans.
GLOSSARY_NOTE = N_("English is a key-term glossary from CC-CEDICT, not a translation.")
GLOSSARY_NOTE_ZH = N_("中文為 CC-CEDICT 關鍵詞對照，並非翻譯。")

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
#: How many words apart a context word may stand and still pick a sense (buses that run).
_NEAR = 3


class GlossaryTranslator:
    """Looks keywords up in CC-CEDICT; leaves sentences untranslated."""

    info = TranslatorInfo(name="cc-cedict", kind="glossary")

    def translate(self, request: TranslationRequest) -> TranslationResult:
        if request.target == "en":
            glosses = tuple(english_term(term, name=term in request.names) for term in request.keywords)
        else:
            context = " ".join(t for t in (request.summary, *request.key_points) if t)
            glosses = tuple(chinese_term(term, request.target, context=context) for term in request.keywords)
        return TranslationResult(
            summary=None,
            key_points=tuple(None for _ in request.key_points),
            keywords=glosses,
            info=self.info,
        )


def note_for(target: str) -> str:
    return GLOSSARY_NOTE if target == "en" else GLOSSARY_NOTE_ZH


def english_term(term: str, *, name: bool = False) -> str | None:
    """One English rendering of a Chinese keyword: a known name's, else CC-CEDICT's best sense."""
    return english_name(term) or cedict.english_gloss(term, name=name)


def lemma(word: str) -> str:
    """The dictionary form of an English word (routes → route, voted → vote, buses → bus)."""
    import simplemma

    return str(simplemma.lemmatize(word, lang="en"))


def chinese_term(word: str, target: str, *, context: str = "") -> str | None:
    """The everyday Chinese for ``word``: a phrase entry that ``context`` selects, else the most
    common word CC-CEDICT gives ``word`` (or its lemma) as a whole sense, if any."""
    from bot.text.analyse import jieba_module, to_simplified

    base = lemma(word) if word.islower() else word
    phrase = _phrase_choice(base.lower(), context)
    if phrase is not None:
        return to_simplified(phrase) if target == "zh-Hans" else phrase
    entries = cedict.chinese_for(word) or (cedict.chinese_for(base) if base != word else ())
    if not entries:
        return None
    looked_up = word if cedict.chinese_for(word) else base
    freq = jieba_module().dt.FREQ

    def rank(entry: cedict.Entry) -> tuple[bool, bool, bool, float]:
        # The word as one of the entry's first two senses (its usual meaning, not a rare one),
        # then words over single characters, then the word jieba's dictionary sees most often,
        # the more so the earlier the sense (城市, not 城池, for "city"; 司機, not 開車人, for
        # "driver"; 公車, not 客車, for "bus").
        position = cedict.sense_position(entry, looked_up)
        usual = position is not None and position <= 1
        common = freq.get(entry.simplified, 0) / (1 + (position or 0)) ** 3
        return (usual, not _is_proper_mismatch(entry, word), len(entry.simplified) > 1, common)

    best = max(entries, key=rank)
    return best.simplified if target == "zh-Hans" else best.traditional


def _is_proper_mismatch(entry: cedict.Entry, word: str) -> bool:
    """A proper-noun entry (capitalised pinyin) for a lower-case word, or the other way round."""
    return entry.pinyin[:1].isupper() != word[:1].isupper()


@cache
def _phrases() -> dict[str, list[tuple[frozenset[str], str]]]:
    text = (importlib.resources.files("bot.translate") / "data" / "en_phrases.tsv").read_text(encoding="utf-8")
    table: dict[str, list[tuple[frozenset[str], str]]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"en_phrases.tsv line {number}: expected 'word<TAB>context words<TAB>Chinese'")
        word, selectors, chinese = parts
        table.setdefault(word, []).append((frozenset(s.strip() for s in selectors.split(",")), chinese))
    return table


def _phrase_choice(word: str, context: str) -> str | None:
    """The phrase entry for ``word`` whose selecting word stands near it in ``context``."""
    choices = _phrases().get(word)
    if not choices or not context:
        return None
    lemmas = [lemma(w.lower()) for w in _WORD.findall(context)]
    for i, found in enumerate(lemmas):
        if found != word:
            continue
        near = set(lemmas[max(0, i - _NEAR) : i] + lemmas[i + 1 : i + 1 + _NEAR])
        for selectors, chinese in choices:
            if selectors & near:
                return chinese
    return None

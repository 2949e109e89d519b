"""The offline default for the other language: an honest key-term glossary.

Only keywords get glosses (CC-CEDICT); summaries and key points are left without a
translation rather than faked word by word, and every output says so.
"""

from __future__ import annotations

from bot.briefing import TranslatorInfo
from bot.chat.i18n import N_
from bot.translate import cedict
from bot.translate.base import TranslationRequest, TranslationResult

# The notes are stored with a briefing as written here and worded for the reader when shown
# (``bot.briefing.note_text``); the Chinese one is its own message id, Simplified in zh-Hans.
GLOSSARY_NOTE = N_("English is a key-term glossary from CC-CEDICT, not a translation.")
GLOSSARY_NOTE_ZH = N_("中文為 CC-CEDICT 關鍵詞對照，並非翻譯。")


class GlossaryTranslator:
    """Looks keywords up in CC-CEDICT; leaves sentences untranslated."""

    info = TranslatorInfo(name="cc-cedict", kind="glossary")

    def translate(self, request: TranslationRequest) -> TranslationResult:
        if request.target == "en":
            glosses = tuple(cedict.english_gloss(term) for term in request.keywords)
        else:
            glosses = tuple(chinese_term(term, request.target) for term in request.keywords)
        return TranslationResult(
            summary=None,
            key_points=tuple(None for _ in request.key_points),
            keywords=glosses,
            info=self.info,
        )


def note_for(target: str) -> str:
    return GLOSSARY_NOTE if target == "en" else GLOSSARY_NOTE_ZH


def chinese_term(word: str, target: str) -> str | None:
    """The most common Chinese word CC-CEDICT gives ``word`` as a whole sense, if any."""
    entries = cedict.chinese_for(word)
    if not entries:
        return None
    from bot.text.analyse import jieba_module

    freq = jieba_module().dt.FREQ

    senses = {word.lower(), "to " + word.lower()}

    def rank(entry: cedict.Entry) -> tuple[bool, bool, int]:
        # Prefer an entry whose first sense is the word, then words over single
        # characters, then the word jieba's dictionary sees most often.
        return (entry.senses[0].lower() in senses, len(entry.simplified) > 1, freq.get(entry.simplified, 0))

    best = max(entries, key=rank)
    return best.simplified if target == "zh-Hans" else best.traditional

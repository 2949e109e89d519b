"""Offline machine translation: an installed Argos Translate package (an OPUS-MT model)
run in-process with CTranslate2 and SentencePiece.

Chinese goes in as Simplified (the models are trained on it). Names are where such a model
fails (台積電 → "Radio power"), so known names are replaced by their English before
translating and the model copies them through: the curated list in
``bot/text/data/entities.tsv`` and CC-CEDICT entries that are only ever proper nouns.
Each sentence is translated on its own, in one batch per briefing; an output that is not
plausibly the target language is dropped (None), never shown. Keywords come from the
glossary, as without a model.

The model is loaded once per process under a lock and shared by every thread (CTranslate2
translators are thread-safe); ``preload()`` loads it before serving.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.briefing import TranslatorInfo
from bot.errors import ConfigError
from bot.translate.base import TranslationRequest, TranslationResult
from bot.translate.glossary import GlossaryTranslator
from bot.translate.models import InstalledModel

#: Sentence ends where a long text is cut before translating (each piece is one batch item).
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])\s*|(?<=\.)\s+(?=[A-Z\"“])")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_HAN = re.compile(r"[\u3400-\u9fff]")
#: Longest input (SentencePiece pieces) a model is given at once; longer sentences are cut at commas.
_MAX_PIECES = 200

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class _Engine:
    translator: Any  # ctranslate2.Translator
    pieces: Any  # sentencepiece.SentencePieceProcessor


def _engine(model: InstalledModel) -> _Engine:
    key = str(model.path)
    engine = _loaded.get(key)
    if engine is not None:
        return engine
    with _lock:
        engine = _loaded.get(key)
        if engine is None:
            try:
                import ctranslate2
                import sentencepiece
            except ImportError:
                raise ConfigError(
                    'The offline translator needs CTranslate2 and SentencePiece: pip install -e ".[mt]".'
                ) from None
            engine = _Engine(
                translator=ctranslate2.Translator(
                    str(model.path / "model"), device="cpu", compute_type="int8", inter_threads=1, intra_threads=0
                ),
                pieces=sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model")),
            )
            _loaded[key] = engine
    return engine


class OfflineTranslator:
    """Summary and key points through an installed model; keywords through the glossary.

    ``models`` maps a pair ("zh-en", "en-zh") to its installed package; a direction without
    one is left to the glossary, and the briefing says so.
    """

    def __init__(self, models: dict[str, InstalledModel], *, beam_size: int = 2) -> None:
        if not models:
            raise ConfigError("The offline translator needs an installed model; run `briefbot models install zh-en`.")
        self.models = dict(models)
        self.beam_size = beam_size
        self._glossary = GlossaryTranslator()

    def info_for(self, model: InstalledModel) -> TranslatorInfo:
        return TranslatorInfo(
            name=f"OPUS-MT {model.pair} {model.version} (offline)",
            kind="translation",
            attribution=f"{model.license}: {model.attribution}" if model.attribution else model.license,
        )

    @property
    def info(self) -> TranslatorInfo:
        return self.info_for(next(iter(self.models.values())))

    def preload(self) -> None:
        """Load every model now (before serving), so no request pays for it."""
        for model in self.models.values():
            _engine(model)

    def translate(self, request: TranslationRequest) -> TranslationResult:
        pair = "zh-en" if request.target == "en" else "en-zh"
        glossary = self._glossary.translate(request)
        model = self.models.get(pair)
        if model is None:
            return glossary
        texts = [request.summary or "", *request.key_points]
        translated = self.translate_texts(texts, pair, target=request.target)
        return TranslationResult(
            summary=translated[0] if request.summary else None,
            key_points=tuple(translated[1:]),
            keywords=glossary.keywords,
            info=self.info_for(model),
        )

    def translate_texts(self, texts: Sequence[str], pair: str, *, target: str = "en") -> list[str | None]:
        """Each text translated sentence by sentence in one batch; None where the output is not usable."""
        model = self.models[pair]
        engine = _engine(model)
        to_english = pair == "zh-en"
        # A summary repeats sentences the key points hold: each distinct sentence is translated once.
        unique: dict[str, int] = {}
        plan: list[list[int]] = []
        for text in texts:
            slots = []
            for sentence in _sentences(prepare_chinese(text) if to_english else text):
                slots.append(unique.setdefault(sentence, len(unique)))
            plan.append(slots)
        pieces: list[list[str]] = []
        owners: list[int] = []
        for sentence, slot in unique.items():
            for chunk in _chunks(engine.pieces.encode(sentence, out_type=str)):
                pieces.append(chunk)
                owners.append(slot)
        done: list[list[str]] = [[] for _ in unique]
        if pieces:
            results = engine.translator.translate_batch(
                pieces,
                beam_size=self.beam_size,
                max_decoding_length=256,
                repetition_penalty=1.1,
                no_repeat_ngram_size=4,
            )
            for slot, result in zip(owners, results, strict=True):
                done[slot].append(_detokenize(result.hypotheses[0]))
        outputs = [[" ".join(done[slot]) for slot in slots] for slots in plan]
        out: list[str | None] = []
        for text, parts in zip(texts, outputs, strict=True):
            joined = " ".join(p for p in parts if p).strip()
            if not to_english and joined:
                from bot.text.analyse import to_traditional

                joined = to_traditional(joined) if target == "zh-Hant" else joined
            out.append(joined if text.strip() and _usable(joined, english=to_english) else None)
        return out


def prepare_chinese(text: str) -> str:
    """Simplified text with known names replaced by their English, for the model to copy through."""
    from bot.text.analyse import jieba_module, to_simplified

    simplified = _known_names_pattern().sub(
        lambda m: f" {english_names()[m.group(0)]} ", to_simplified(text.rstrip("…").removesuffix("..."))
    )
    out = []
    for word in jieba_module().lcut(simplified):
        english = _proper_noun(word)
        out.append(f" {english} " if english else word)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def english_names() -> dict[str, str]:
    """Every form (Traditional and Simplified) of every known name and fixed term, to its English."""
    from bot.translate.names import known_names

    return known_names()


@functools.cache
def _known_names_pattern() -> re.Pattern[str]:
    """The known names, longest first, so 台北捷運 wins over 捷運."""
    names = sorted((n for n in english_names() if len(n) >= 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def _proper_noun(word: str) -> str | None:
    """CC-CEDICT's English for a word that is only ever a name (every sense capitalised), else None."""
    if len(word) < 2 or word.isascii():
        return None
    from bot.translate import cedict

    entries = cedict.lookup(word)
    if not entries:
        return None
    senses = [sense for entry in entries for sense in entry.senses]
    if not senses or not all(sense[:1].isupper() for sense in senses):
        return None
    first = senses[0].split(";")[0].split("(")[0].strip()
    # "Taiwan", "Hollywood", "Lee Teng-hui": short, no explanation.
    if not first or len(first) > 30 or first.lower().startswith(("surname", "abbr", "variant", "see ")):
        return None
    return first


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def _chunks(pieces: list[str]) -> list[list[str]]:
    """A sentence's pieces, cut after a comma when longer than the model takes at once."""
    if len(pieces) <= _MAX_PIECES:
        return [pieces]
    chunks, current = [], []
    for piece in pieces:
        current.append(piece)
        if len(current) >= _MAX_PIECES // 2 and piece.rstrip() in ("，", ",", "、", "▁,", "▁，"):
            chunks.append(current)
            current = []
        elif len(current) >= _MAX_PIECES:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _detokenize(tokens: Sequence[str]) -> str:
    text = "".join(tokens).replace("▁", " ").strip()
    return re.sub(r"(\.\.\.|…)(?=[A-Za-z])", r"\1 ", text)


def _usable(text: str, *, english: bool) -> bool:
    """An English output has at least two words and is mostly Latin letters; a Chinese one mostly Han."""
    if not text:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    if english:
        latin = sum(ch.isascii() for ch in letters)
        return len(_LATIN_WORD.findall(text)) >= 2 and latin / len(letters) >= 0.8
    return len(_HAN.findall(text)) / len(letters) >= 0.5

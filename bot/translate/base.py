"""The other language: the ``Translator`` interface the pipeline calls.

A translator gets what the core selected (summary, key points, keywords) and returns
the other language for each, or None where it has nothing honest to give. The offline
default is a glossary (``bot.translate.glossary``); a real translation backend implements the
same interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from bot.briefing import Language, TranslatorInfo

Target = Literal["en", "zh-Hant", "zh-Hans"]


@dataclass(frozen=True, slots=True)
class TranslationRequest:
    source_language: Language
    target: Target
    summary: str | None
    key_points: tuple[str, ...]
    keywords: tuple[str, ...]
    #: The keywords that are names (people, places, organisations, titles of works): never glossed
    #: with a common noun's sense (魚夫 the cartoonist is not "fisher").
    names: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TranslationResult:
    summary: str | None
    key_points: tuple[str | None, ...]
    keywords: tuple[str | None, ...]
    info: TranslatorInfo
    #: Why a translation was not used, when it fell back (logged, shown in notes).
    fallback_reason: str | None = None


@runtime_checkable
class Translator(Protocol):
    """Texts in, texts out; ``kind`` says whether they are a translation or a glossary."""

    @property
    def info(self) -> TranslatorInfo: ...

    def translate(self, request: TranslationRequest) -> TranslationResult: ...


def target_for(language: Language, chinese_script: Literal["hant", "hans"] = "hant") -> Target:
    """The other language of an article: English for Chinese, Chinese for English."""
    if language == "en":
        return "zh-Hans" if chinese_script == "hans" else "zh-Hant"
    return "en"

"""A translator that counts its calls: the pipeline translates once per summary, so this
counts how many times articles were summarised (tests and benchmarks read it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.briefing import TranslatorInfo
from bot.translate.base import TranslationRequest, TranslationResult, Translator
from bot.translate.glossary import GlossaryTranslator


@dataclass
class CountingTranslator:
    inner: Translator = field(default_factory=GlossaryTranslator)
    calls: int = 0

    @property
    def info(self) -> TranslatorInfo:
        return self.inner.info

    def translate(self, request: TranslationRequest) -> TranslationResult:
        self.calls += 1
        return self.inner.translate(request)

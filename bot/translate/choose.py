"""Choose the translator: the offline glossary (default) or an OpenAI-compatible backend."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bot.errors import ConfigError
from bot.translate.base import Translator
from bot.translate.glossary import GlossaryTranslator

if TYPE_CHECKING:
    from bot.config import Config
    from bot.translate.llm import TranslationCache

NAMES = ("glossary", "openai")


def make_translator(
    name: str | None = None, config: Config | None = None, *, cache: TranslationCache | None = None
) -> Translator:
    """``name`` (the --translator flag) wins over ``[translator] name`` and ``BRIEFBOT_TRANSLATOR``."""
    table = dict(config.translator) if config else {}
    chosen = name or table.get("name") or os.environ.get("BRIEFBOT_TRANSLATOR") or "glossary"
    if chosen == "glossary":
        return GlossaryTranslator()
    if chosen == "openai":
        from bot.translate.llm import LLMSettings, OpenAITranslator

        table.pop("name", None)
        script = table.pop("zh", None) or (config.chinese_script if config else "hant")
        if script not in ("hant", "hans"):
            raise ConfigError(f"[translator] zh must be 'hant' or 'hans', not {script!r}.")
        return OpenAITranslator(LLMSettings.from_env(table), cache=cache, chinese_script=script)
    raise ConfigError(f"Unknown translator {chosen!r}; use one of: {', '.join(NAMES)}.")


def for_command_line(name: str | None, config_path: str | None) -> Translator:
    """The translator for ``--translator NAME`` and ``--config FILE``."""
    from bot.config import load_config

    return make_translator(name, load_config(config_path) if config_path else None)

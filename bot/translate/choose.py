"""Choose the translator: ``auto`` (the default), the glossary, an offline model or an LLM.

``auto`` takes the LLM when one is configured (``BRIEFBOT_LLM_BASE_URL`` or ``[translator]
base_url``), else the offline models installed for the article's direction, else the
glossary. The name comes from ``--translator``, else ``[translator] name`` in the config,
else ``BRIEFBOT_TRANSLATOR``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bot.errors import ConfigError
from bot.translate.base import Translator
from bot.translate.glossary import GlossaryTranslator

if TYPE_CHECKING:
    from bot.config import Config
    from bot.translate.llm import TranslationCache

NAMES = ("auto", "glossary", "offline", "openai")


def chosen_name(name: str | None = None, config: Config | None = None) -> str:
    """The translator's name as the flag, the config and the environment give it (``auto`` by default)."""
    table = dict(config.translator) if config else {}
    chosen = name or table.get("name") or os.environ.get("BRIEFBOT_TRANSLATOR") or "auto"
    if chosen not in NAMES:
        raise ConfigError(f"Unknown translator {chosen!r}; use one of: {', '.join(NAMES)}.")
    return str(chosen)


def make_translator(
    name: str | None = None, config: Config | None = None, *, cache: TranslationCache | None = None
) -> Translator:
    """``name`` (the --translator flag) wins over ``[translator] name`` and ``BRIEFBOT_TRANSLATOR``."""
    table = dict(config.translator) if config else {}
    chosen = chosen_name(name, config)
    if chosen == "auto":
        if os.environ.get("BRIEFBOT_LLM_BASE_URL") or table.get("base_url"):
            chosen = "openai"
        else:
            from bot.translate.models import installed

            chosen = "offline" if installed() else "glossary"
    if chosen == "glossary":
        return GlossaryTranslator()
    if chosen == "offline":
        from bot.translate.models import installed, models_dir
        from bot.translate.offline import OfflineTranslator

        found = {model.pair: model for model in installed()}
        if not found:
            raise ConfigError(
                f"No offline model is installed in {models_dir()}; run `briefbot models install zh-en` "
                "(or `--from FILE` with an .argosmodel package)."
            )
        return OfflineTranslator(found)
    from bot.translate.llm import LLMSettings, OpenAITranslator

    table.pop("name", None)
    script = table.pop("zh", None) or (config.chinese_script if config else "hant")
    if script not in ("hant", "hans"):
        raise ConfigError(f"[translator] zh must be 'hant' or 'hans', not {script!r}.")
    return OpenAITranslator(LLMSettings.from_env(table), cache=cache, chinese_script=script)


def for_command_line(name: str | None, config_path: str | None) -> Translator:
    """The translator for ``--translator NAME`` and ``--config FILE``."""
    from bot.config import load_config

    return make_translator(name, load_config(config_path) if config_path else None)

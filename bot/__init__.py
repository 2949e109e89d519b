"""briefbot's neutral core: text in, a bilingual ``Briefing`` out.

>>> from bot import summarize
>>> briefing = summarize(article_text, points=5)
>>> briefing.to_dict()["key_points"]
"""

from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Stats, TranslatorInfo
from bot.errors import BriefbotError, ConfigError, FetchError, InputError
from bot.text.pipeline import summarize

__version__ = "0.1.0"

__all__ = [
    "Bilingual",
    "BriefbotError",
    "Briefing",
    "ConfigError",
    "FetchError",
    "InputError",
    "KeyPoint",
    "Keyword",
    "Stats",
    "TranslatorInfo",
    "summarize",
]

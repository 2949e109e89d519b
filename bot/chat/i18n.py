"""The bot's own words in English, Traditional Chinese (Taiwan) and Simplified Chinese.

Standard gettext: the English text in the source is the message id, and one catalogue per
locale (``bot/chat/locale/<ll_Script>/LC_MESSAGES/briefbot.po``, compiled to ``.mo`` by
``python -m bot.chat.catalogs compile``) gives the Chinese. English needs no catalogue: it is
the ids themselves. Templates use ``{name}`` fields, filled after the lookup, so a
translation may put them in its own order.

Which locale a request gets: the user's (Discord sends one on every interaction; Slack's
``users.info`` gives one with ``include_locale``), else the channel's setting, else the
configured default, else English — ``resolve_locale`` takes the three in that order and
understands the platforms' codes (``zh-TW``, ``zh-CN``, ``en-US``, ``zh_Hant_HK``, …).
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from bot.errors import BriefbotError, Message, fill

Locale = Literal["en", "zh-Hant", "zh-Hans"]
LOCALES: tuple[Locale, ...] = get_args(Locale)
DEFAULT_LOCALE: Locale = "en"
DOMAIN = "briefbot"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: gettext's folder name for each locale that has a catalogue (English is the ids).
CATALOGUE_NAMES: dict[str, str] = {"zh-Hant": "zh_Hant", "zh-Hans": "zh_Hans"}

#: Territories whose Chinese is written in Traditional characters by default.
_TRADITIONAL_TERRITORIES = {"TW", "HK", "MO"}


def N_(message: str) -> str:
    """Mark a string for the catalogue where it is defined; translate it where it is shown."""
    return message


@cache
def translator_for(locale: str | None) -> gettext.NullTranslations:
    """The gettext translations for ``locale`` (any code ``normalize_locale`` understands).

    English, and anything unknown, get ``NullTranslations``: the message ids are English.
    """
    resolved = normalize_locale(locale) or DEFAULT_LOCALE
    if resolved == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[CATALOGUE_NAMES[resolved]])


def tr(locale: str | None, message: str, /, **params: Any) -> str:
    """``message`` in ``locale``, its ``{fields}`` filled from ``params``.

    A translation that cannot be filled (it names a field it was not given) falls back to the
    English sentence rather than showing braces.
    """
    translated = translator_for(locale).gettext(message)
    return _filled(translated, message, params, locale)


def ntr(locale: str | None, singular: str, plural: str, n: int, /, **params: Any) -> str:
    """The singular or plural form for ``n`` (Chinese has one form), with ``n`` as a field too."""
    translated = translator_for(locale).ngettext(singular, plural, n)
    english = singular if n == 1 else plural
    return _filled(translated, english, {"n": n, **params}, locale)


def message(locale: str | None, value: Message | str) -> str:
    """A ``Message`` (or a plain message id) worded in ``locale``."""
    if isinstance(value, Message):
        return tr(locale, value.msgid, **value.params)
    return tr(locale, value)


def _filled(translated: str, english: str, params: dict[str, Any], locale: str | None = None) -> str:
    if not params:
        return translated
    params = {k: message(locale, v) if isinstance(v, Message) else v for k, v in params.items()}
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        return fill(english, params)


#: What a chat user sees for a failure that is a bug rather than their mistake.
GENERIC_FAILURE = N_("Something went wrong while briefing that; the error was logged. Please try again later.")


def error_text(exc: BaseException, locale: str | None = DEFAULT_LOCALE) -> str:
    """The one sentence a user sees for ``exc``, in ``locale``: a ``BriefbotError``'s own
    sentence, anything else the generic failure (its details belong in the log)."""
    if isinstance(exc, BriefbotError):
        return tr(locale, exc.msgid, **exc.params)
    return tr(locale, GENERIC_FAILURE)


def normalize_locale(code: str | None) -> Locale | None:
    """``en``, ``zh-Hant`` or ``zh-Hans`` for a platform's locale code, or None for another language.

    Discord sends ``en-US``, ``en-GB``, ``zh-TW``, ``zh-CN``; Slack ``en-US``, ``zh-TW``, ``zh-CN``;
    BCP 47 and POSIX forms (``zh-Hant-HK``, ``zh_TW.UTF-8``) work too. Chinese without a script
    takes its territory's (Taiwan, Hong Kong, Macau: Traditional), else Simplified.
    """
    if not code or not isinstance(code, str):
        return None
    raw = code.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if not raw:
        return None
    exact = {loc.lower().replace("-", "_"): loc for loc in LOCALES}
    if raw.lower() in exact:
        return exact[raw.lower()]
    from babel import Locale as BabelLocale
    from babel import UnknownLocaleError

    try:
        parsed = BabelLocale.parse(raw)
    except (ValueError, TypeError, UnknownLocaleError):
        parts = raw.split("_")
        language = parts[0].lower()
        rest = [p for p in parts[1:] if p]
        script = next((p.title() for p in rest if len(p) == 4), None)
        territory = next((p.upper() for p in rest if len(p) in (2, 3)), None)
    else:
        language, script, territory = parsed.language, parsed.script, parsed.territory
    if language == "en":
        return "en"
    if language != "zh":
        return None
    if script in ("Hant", "Hans"):
        return "zh-Hant" if script == "Hant" else "zh-Hans"
    return "zh-Hant" if (territory or "").upper() in _TRADITIONAL_TERRITORIES else "zh-Hans"


def resolve_locale(user: str | None, channel: str | None, default: str | None) -> Locale:
    """The locale of a request: the user's, else the channel's, else the default, else English.

    A code for a language the bot does not speak (``fr``, ``uk``) is passed over, not guessed at.
    """
    for code in (user, channel, default):
        found = normalize_locale(code)
        if found:
            return found
    return DEFAULT_LOCALE


def is_locale(value: str) -> bool:
    """Whether ``value`` is one of the three locale names exactly (as settings are written)."""
    return value in LOCALES


def language_of(locale: str | None) -> Literal["en", "zh"]:
    """Whether the locale's words are English or Chinese."""
    return "en" if (normalize_locale(locale) or DEFAULT_LOCALE) == "en" else "zh"

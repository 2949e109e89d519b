"""The ``Briefing`` value: plain, immutable data that every adapter renders.

It knows nothing of platforms. ``to_dict()`` gives the JSON shape documented in the
README and ``from_dict()`` reads it back, so a briefing can be stored and reused. The
few words every renderer says about a briefing (its heading, the language's name, what
made the other language) live here too, so that all platforms say them alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.chat.i18n import N_, tr

Language = Literal["zh-Hant", "zh-Hans", "en"]
TranslatorKind = Literal["translation", "glossary"]
TitleFrom = Literal["source", "article"]


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One text in both languages; the side that is not the article's may be None."""

    zh: str | None
    en: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True, slots=True)
class KeyPoint:
    zh: str | None
    en: str | None
    #: Index of the (deduplicated) sentence of the article the point was taken from.
    source_index: int

    def to_dict(self) -> dict[str, Any]:
        return {"zh": self.zh, "en": self.en, "source_index": self.source_index}


@dataclass(frozen=True, slots=True)
class Keyword:
    #: The term as it appears in the article (original script).
    term: str
    en: str | None
    zh: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "en": self.en, "zh": self.zh}


@dataclass(frozen=True, slots=True)
class TranslatorInfo:
    name: str
    kind: TranslatorKind
    #: The licence and credit a model's output must carry (OPUS-MT: CC BY 4.0, its authors).
    attribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "attribution": self.attribution}


@dataclass(frozen=True, slots=True)
class Stats:
    input_chars: int
    clean_chars: int
    sentences: int
    #: Repeated passages dropped: a whole extra copy of the article counts once.
    duplicates_removed: int
    #: Sentences dropped as exact or near copies of an earlier one.
    duplicate_sentences: int = 0
    boilerplate_removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_chars": self.input_chars,
            "clean_chars": self.clean_chars,
            "sentences": self.sentences,
            "duplicates_removed": self.duplicates_removed,
            "duplicate_sentences": self.duplicate_sentences,
            "boilerplate_removed": self.boilerplate_removed,
        }


@dataclass(frozen=True, slots=True)
class Briefing:
    title: str | None
    language: Language
    source: str
    summary: Bilingual
    key_points: tuple[KeyPoint, ...]
    keywords: tuple[Keyword, ...]
    translator: TranslatorInfo
    stats: Stats
    #: Note shown wherever the other language is only a glossary.
    notes: tuple[str, ...] = field(default=())
    #: Where the title came from: the source (a title line, the page's title) or the article's
    #: own text (a headline taken from its best sentence).
    title_from: TitleFrom = "source"

    @property
    def is_glossary(self) -> bool:
        return self.translator.kind == "glossary"

    def own(self, zh: str | None, en: str | None) -> str | None:
        """Of a zh/en pair, the text in the article's own language."""
        return en if self.language == "en" else zh

    def other(self, zh: str | None, en: str | None) -> str | None:
        """Of a zh/en pair, the text in the other language (a translation or a gloss)."""
        return zh if self.language == "en" else en

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "language": self.language,
            "source": self.source,
            "summary": self.summary.to_dict(),
            "key_points": [p.to_dict() for p in self.key_points],
            "keywords": [k.to_dict() for k in self.keywords],
            "translator": self.translator.to_dict(),
            "stats": self.stats.to_dict(),
            "notes": list(self.notes),
            "title_from": self.title_from,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Briefing:
        return cls(
            title=data["title"],
            language=data["language"],
            source=data["source"],
            summary=Bilingual(**data["summary"]),
            key_points=tuple(KeyPoint(**p) for p in data["key_points"]),
            keywords=tuple(Keyword(term=k["term"], en=k.get("en"), zh=k.get("zh")) for k in data["keywords"]),
            translator=TranslatorInfo(**data["translator"]),
            stats=Stats(**data["stats"]),
            notes=tuple(data.get("notes", ())),
            title_from=data.get("title_from", "source"),
        )


#: What people call each language a briefing can be in (English; ``language_name`` words it in a locale).
LANGUAGE_NAMES: dict[str, str] = {
    "zh-Hant": N_("Chinese (Traditional)"),
    "zh-Hans": N_("Chinese (Simplified)"),
    "en": N_("English"),
}


def language_name(language: str, locale: str = "en") -> str:
    return tr(locale, LANGUAGE_NAMES[language])


def heading(briefing: Briefing, locale: str = "en") -> str:
    """The title (the source's, or a headline the core took from the article). A briefing made
    without one (stored by an older version) gets a headline from its first key point."""
    if briefing.title:
        return briefing.title
    first = briefing.key_points[0].zh or briefing.key_points[0].en if briefing.key_points else None
    if not first:
        return tr(locale, "Briefing")
    from bot.text.choose import headline_from  # the one rule for headlines; the core imports this module

    return headline_from(first, english=briefing.language == "en")


def translator_line(briefing: Briefing, locale: str = "en") -> str:
    """What produced the other language, said plainly (in ``locale``)."""
    return translator_phrase(briefing.translator, briefing.language, locale)


#: What made the other language, by (the briefing's language is English, how): the msgids.
_TRANSLATOR_PHRASES = {
    (True, "glossary"): N_("Chinese: key-term glossary ({name}), not a translation"),
    (True, "model"): N_("Chinese: machine translation by {name}; model {attribution}"),
    (True, "translation"): N_("Chinese: translated by {name}"),
    (False, "glossary"): N_("English: key-term glossary ({name}), not a translation"),
    (False, "model"): N_("English: machine translation by {name}; model {attribution}"),
    (False, "translation"): N_("English: translated by {name}"),
}


def translator_phrase(t: TranslatorInfo, language: str, locale: str = "en") -> str:
    """What produced the other language of a briefing in ``language`` (an article's or a
    discussion's), with a model's licence and credit, in ``locale``."""
    how = "glossary" if t.kind == "glossary" else "model" if t.attribution else "translation"
    return tr(locale, _TRANSLATOR_PHRASES[(language == "en", how)], name=t.name, attribution=t.attribution)


def note_text(note: str, locale: str = "en") -> str:
    """A briefing's note in ``locale`` (the notes the core writes are in the catalogue)."""
    return tr(locale, note)

"""The core, end to end: text in, a ``Briefing`` out.

load → clean → split → dedupe → analyse → rank → briefing → the other language.
No platform code lives here; adapters render the value this returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Language, Stats
from bot.errors import InputError
from bot.text.analyse import detect_language, document_idf, en_tokens, to_simplified, zh_idf, zh_tokens
from bot.text.clean import clean
from bot.text.dedupe import dedupe
from bot.text.keywords import DEFAULT_KEYWORDS, en_keywords, zh_keywords
from bot.text.load import check_text_size
from bot.text.rank import score_units, select, vectors
from bot.text.split import Span, split_sentences, split_units
from bot.translate.base import TranslationRequest, Translator, target_for
from bot.translate.glossary import GlossaryTranslator, note_for

log = logging.getLogger(__name__)

DEFAULT_POINTS = 5
MAX_POINTS = 20
#: Key points longer than this are not chosen (Chinese characters / English characters).
MAX_POINT_CHARS = {"zh": 90, "en": 240}
#: Summary budget: Chinese characters, or English words.
MAX_SUMMARY_ZH_CHARS = 200
MAX_SUMMARY_EN_WORDS = 120
SUMMARY_UNITS = 3
_TRAILING = "，；：、,;: "


@dataclass(frozen=True, slots=True)
class _Unit:
    span: Span
    sentence: int
    text: str  # display text: trailing clause punctuation removed


def summarize(
    text: str,
    points: int = DEFAULT_POINTS,
    *,
    source: str = "text",
    title: str | None = None,
    translator: Translator | None = None,
    keywords: int = DEFAULT_KEYWORDS,
    max_bytes: int | None = None,
) -> Briefing:
    """Brief ``text``: a faithful summary, key points and keywords, plus the other language."""
    if not 1 <= points <= MAX_POINTS:
        raise InputError(f"The number of key points must be between 1 and {MAX_POINTS}, not {points}.")
    if not text or not text.strip():
        raise InputError("The input is empty; paste an article or give a file that contains one.")
    check_text_size(text, max_bytes=max_bytes)

    cleaned = clean(text, title=title)
    if not cleaned.paragraphs:
        raise InputError("Nothing is left to brief once bylines and boilerplate are removed; paste the article itself.")
    language = detect_language(cleaned.text)
    english = language == "en"
    deduped = dedupe(split_sentences(cleaned.paragraphs, english=english))
    if not deduped.sentences:
        raise InputError("No sentences were found in the input; paste the article's text.")

    units = [
        _Unit(span, i, span.text.rstrip(_TRAILING))
        for i, sentence in enumerate(deduped.sentences)
        for span in split_units(sentence, english=english)
    ]
    units = [u for u in units if u.text]

    if english:
        token_lists = [en_tokens(u.span.text) for u in units]
        idf, default_idf = document_idf(token_lists)
        simplified = ""
    else:
        simplified = to_simplified(cleaned.text)
        token_lists = [zh_tokens(simplified[u.span.start : u.span.end]) for u in units]
        idf, default_idf = zh_idf()

    n_sentences = len(deduped.sentences)
    scores = score_units(
        vectors(token_lists, idf, default_idf),
        positions=[i / len(units) for i in range(len(units))],
        lengths=[len(u.text) // 5 if english else len(u.text) for u in units],
        questions=[u.text.endswith(("？", "?")) for u in units],
    )
    point_limit = MAX_POINT_CHARS["en" if english else "zh"]
    ranked = select(
        [u.text for u in units],
        scores,
        max(points, SUMMARY_UNITS),
        allowed=[len(u.text) <= point_limit for u in units],
        groups=[u.sentence for u in units],
    )
    chosen_points = sorted(ranked[:points], key=lambda i: units[i].span.start)
    summary = _summary([units[i] for i in ranked], english)

    if english:
        body = " ".join(s.text for s in deduped.sentences)
        terms = en_keywords(body, keywords)
    else:
        kept_original = "\n".join(s.text for s in deduped.sentences)
        kept_simplified = "\n".join(simplified[s.start : s.end] for s in deduped.sentences)
        terms = zh_keywords(kept_original, kept_simplified, [t for ts in token_lists for t in ts], keywords)

    point_texts = tuple(units[i].text for i in chosen_points)
    target = target_for(language)
    translator = translator or GlossaryTranslator()
    result = translator.translate(
        TranslationRequest(
            source_language=language,
            target=target,
            summary=summary,
            key_points=point_texts,
            keywords=tuple(terms),
        )
    )
    notes = []
    if result.fallback_reason:
        log.warning("translation fell back to the glossary: %s", result.fallback_reason)
        notes.append("The translation backend did not give a usable answer this time, so the glossary was used.")
    if result.info.kind == "glossary":
        notes.append(note_for(target))

    def own_other(own: str | None, other: str | None) -> tuple[str | None, str | None]:
        return (other, own) if english else (own, other)

    zh_summary, en_summary = own_other(summary, result.summary)
    return Briefing(
        title=cleaned.title,
        language=language,
        source=source,
        summary=Bilingual(zh=zh_summary, en=en_summary),
        key_points=tuple(
            KeyPoint(*own_other(text_, other), source_index=units[i].sentence)
            for i, text_, other in zip(chosen_points, point_texts, result.key_points, strict=True)
        ),
        keywords=tuple(
            Keyword(term=term, en=term if english else gloss, zh=gloss if english else term)
            for term, gloss in zip(terms, result.keywords, strict=True)
        ),
        translator=result.info,
        stats=Stats(
            input_chars=len(text),
            clean_chars=len(cleaned.text),
            sentences=n_sentences,
            duplicates_removed=deduped.duplicate_passages,
            duplicate_sentences=deduped.duplicate_sentences,
            boilerplate_removed=len(cleaned.removed),
        ),
        notes=tuple(notes),
    )


def brief_source(
    source: str,
    *,
    pasted: bool = False,
    points: int = DEFAULT_POINTS,
    translator: Translator | None = None,
    max_bytes: int | None = None,
) -> Briefing:
    """Blocking: load ``source`` (a file, ``-`` or an http(s) URL) and brief it.

    ``pasted`` says ``source`` is the article's text itself, as a chat user pastes it.
    """
    from bot.text.load import load

    if pasted:
        check_text_size(source, max_bytes=max_bytes)
        return summarize(source, points=points, source="pasted text", translator=translator, max_bytes=max_bytes)
    loaded = load(source, max_bytes=max_bytes)
    return summarize(
        loaded.text,
        points=points,
        source=loaded.source,
        title=loaded.title,
        translator=translator,
        max_bytes=max_bytes,
    )


def _summary(ranked: list[_Unit], english: bool) -> str | None:
    """The best 2–3 units, in document order, within the length budget."""
    picked: list[_Unit] = []
    used = 0
    for unit in ranked:
        size = len(unit.text.split()) if english else len(unit.text) + 1
        budget = MAX_SUMMARY_EN_WORDS if english else MAX_SUMMARY_ZH_CHARS
        if used + size > budget:
            continue
        picked.append(unit)
        used += size
        if len(picked) == SUMMARY_UNITS:
            break
    if not picked:
        return None
    picked.sort(key=lambda u: u.span.start)
    if english:
        return " ".join(u.text if u.text[-1] in ".!?\"'”’" else u.text + "." for u in picked)
    return "".join(u.text if u.text[-1] in "。！？…」』”" else u.text + "。" for u in picked)


__all__ = ["DEFAULT_POINTS", "Language", "brief_source", "summarize"]

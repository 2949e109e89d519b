"""The core, end to end: text in, a ``Briefing`` out.

load → clean → split → dedupe → analyse → rank → briefing → the other language.
No platform code lives here; adapters render the value this returns. Everything shown
is the article's own text: key points are whole sentences (or their leading clauses,
marked "…"), the summary joins a few of them, and a missing title becomes a headline
taken from the best of them, never cut inside a word or number.
"""

from __future__ import annotations

import bisect
import itertools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Language, Stats
from bot.chat.i18n import N_
from bot.errors import InputError
from bot.text import rank
from bot.text.analyse import (
    chinese_script,
    content_words,
    document_idf,
    en_tokens,
    is_english,
    to_simplified_spans,
    zh_idf,
    zh_words,
)
from bot.text.choose import conclusion, headline_from, in_points
from bot.text.choose import summary as choose_summary
from bot.text.clean import Cleaned, clean
from bot.text.dedupe import Deduped, dedupe
from bot.text.keywords import DEFAULT_KEYWORDS, en_keywords, zh_keywords, zh_names
from bot.text.load import EMPTY, check_text_size
from bot.text.rank import Signals, UnitInfo, score_units, select, signals
from bot.text.split import Unit, make_units, split_sentences
from bot.translate.base import TranslationRequest, TranslationResult, Translator, target_for
from bot.translate.glossary import GlossaryTranslator, note_for

if TYPE_CHECKING:  # the writer's module loads only when --summary llm asks for it
    from bot.text.discussion.written import Writer

log = logging.getLogger(__name__)

DEFAULT_POINTS = 5
MAX_POINTS = 20
#: Articles with at least this many units are read in three parts (lead, development, conclusion).
PARTS_FROM_UNITS = 6


def summarize(
    text: str,
    points: int = DEFAULT_POINTS,
    *,
    source: str = "text",
    title: str | None = None,
    translator: Translator | None = None,
    keywords: int = DEFAULT_KEYWORDS,
    max_bytes: int | None = None,
    writer: Writer | None = None,
) -> Briefing:
    """Brief ``text``: a faithful summary, key points and keywords, plus the other language.

    With ``writer`` (an LLM: ``--summary llm``), the LLM writes the summary and key points, each
    checked against the sentences it cites (``bot.text.written``); the extractive ones stand in
    for any that fail."""
    chosen = draft(text, points, source=source, title=title, keywords=keywords, max_bytes=max_bytes)
    briefing = chosen.finish((translator or GlossaryTranslator()).translate(chosen.request))
    if writer is not None:
        from bot.text.written import rewrite_article

        briefing = rewrite_article(briefing, chosen.sentences, writer)
    return briefing


@dataclass(frozen=True, slots=True)
class Draft:
    """A briefing before its other language: what ``summarize`` chose, as plain (picklable) data.

    A server makes drafts in worker processes and asks a translation backend, which waits
    on the network, for the other language elsewhere.
    """

    title: str
    language: Language
    source: str
    summary: str | None
    #: (text, index of its sentence in the article) of each key point, in article order.
    points: tuple[tuple[str, int], ...]
    keywords: tuple[str, ...]
    stats: Stats
    title_from: str
    #: Keywords that are names (for a glossary: never given a common-noun sense).
    names: frozenset[str] = frozenset()
    #: The article's (deduplicated) sentences, which ``source_index`` counts (for a writer's citations).
    sentences: tuple[str, ...] = ()

    @property
    def english(self) -> bool:
        return self.language == "en"

    @property
    def request(self) -> TranslationRequest:
        """What a translator is asked for."""
        return TranslationRequest(
            source_language=self.language,
            target=target_for(self.language),
            summary=self.summary,
            key_points=tuple(text for text, _ in self.points),
            keywords=self.keywords,
            names=self.names,
        )

    def finish(self, result: TranslationResult) -> Briefing:
        """The briefing, with ``result`` (the translator's answer to ``request``) as its other language."""
        english = self.english
        notes = []
        if result.fallback_reason:
            log.warning("translation fell back to the glossary: %s", result.fallback_reason)
            notes.append(
                N_("The translation backend did not give a usable answer this time, so the glossary was used.")
            )
        if result.info.kind == "glossary":
            notes.append(note_for(target_for(self.language)))

        def own_other(own: str | None, other: str | None) -> tuple[str | None, str | None]:
            return (other, own) if english else (own, other)

        zh_summary, en_summary = own_other(self.summary, result.summary)
        return Briefing(
            title=self.title,
            language=self.language,
            source=self.source,
            summary=Bilingual(zh=zh_summary, en=en_summary),
            key_points=tuple(
                KeyPoint(*own_other(text, other), source_index=sentence)
                for (text, sentence), other in zip(self.points, result.key_points, strict=True)
            ),
            keywords=tuple(
                Keyword(term=term, en=term if english else gloss, zh=gloss if english else term)
                for term, gloss in zip(self.keywords, result.keywords, strict=True)
            ),
            translator=result.info,
            stats=self.stats,
            notes=tuple(notes),
            title_from=self.title_from,
        )


def draft(
    text: str,
    points: int = DEFAULT_POINTS,
    *,
    source: str = "text",
    title: str | None = None,
    keywords: int = DEFAULT_KEYWORDS,
    max_bytes: int | None = None,
) -> Draft:
    """Everything of a briefing that comes from the article itself (CPU work, no network)."""
    if not 1 <= points <= MAX_POINTS:
        raise InputError(
            "The number of key points must be between 1 and {most}, not {points}.", most=MAX_POINTS, points=points
        )
    if not text or not text.strip():
        raise InputError(EMPTY)
    check_text_size(text, max_bytes=max_bytes)

    a = analyse(text, title=title)
    units, scores, allowed, parts, english = a.units, a.scores, a.allowed, a.parts, a.english
    cleaned, deduped, language, simplified = a.cleaned, a.deduped, a.language, a.simplified
    concluding = conclusion(a.infos, scores, allowed) if rank.CONCLUSION else None

    texts = [u.text for u in units]
    choice = {"allowed": allowed, "parts": parts, "must": (concluding,) if concluding is not None else ()}
    ranked = select(texts, scores, points, **(choice if points >= 3 else {**choice, "must": ()}))
    chosen_points = sorted(ranked, key=lambda i: units[i].start)
    summary = choose_summary(units, scores, allowed, concluding, english, cleaned.text)
    best = max(range(len(units)), key=lambda i: (allowed[i], scores[i]))
    headline = cleaned.title or headline_from(units[best].text, english=english)

    names: frozenset[str] = frozenset()
    if english:
        body = " ".join(s.text for s in deduped.sentences)
        terms = en_keywords(body, keywords)
    else:
        # The words of the article's point count most, whatever the number of points asked for.
        central = ranked if points >= DEFAULT_POINTS else select(texts, scores, DEFAULT_POINTS, **choice)
        weights = in_points([units[i] for i in central], a.words)
        terms = zh_keywords(cleaned.text, simplified, a.words, weights, keywords)
        names = zh_names(terms, simplified)

    return Draft(
        title=headline,
        language=language,
        source=source,
        summary=summary,
        points=tuple((units[i].text, units[i].sentence) for i in chosen_points),
        keywords=tuple(terms),
        stats=Stats(
            input_chars=len(text),
            clean_chars=len(cleaned.text),
            sentences=len(deduped.sentences),
            duplicates_removed=deduped.duplicate_passages,
            duplicate_sentences=deduped.duplicate_sentences,
            boilerplate_removed=len(cleaned.removed),
        ),
        title_from="source" if cleaned.title else "article",
        names=names,
        sentences=tuple(s.text for s in deduped.sentences),
    )


@dataclass(frozen=True, slots=True)
class Analysis:
    """An article read and scored: what ``summarize`` chooses from (and what the weights are fitted on)."""

    cleaned: Cleaned
    language: Language
    english: bool
    deduped: Deduped
    units: list[Unit]
    token_lists: list[list[str]]
    #: jieba's words of the kept sentences (Simplified), with offsets into the cleaned text.
    words: list[tuple[str, int, int]]
    #: The cleaned text with its kept sentences in Simplified characters (the rest, pasted copies and
    #: line breaks, as written), same length (Chinese only).
    simplified: str
    parts: list[int] | None
    infos: list[UnitInfo]
    signals: list[Signals]
    scores: list[float]
    #: Units that may be key points (not a question, nor one that only introduces a list with "：").
    allowed: list[bool]


def analyse(text: str, *, title: str | None = None) -> Analysis:
    """Clean, split, dedupe and score ``text``; raise ``InputError`` when nothing is left."""
    cleaned = clean(text, title=title)
    if not cleaned.paragraphs:
        raise InputError("Nothing is left to brief once bylines and boilerplate are removed; paste the article itself.")
    # English or Chinese from the share of Han letters; the script from what the article says once
    # pasted copies are gone (converting every copy took a tenth of a pasted seed's time).
    english = is_english(cleaned.text)
    deduped = dedupe(split_sentences(cleaned.paragraphs, english=english))
    if not deduped.sentences:
        raise InputError("No sentences were found in the input; paste the article's text.")
    kept = "\n".join(s.text for s in deduped.sentences)
    language: Language = "en" if english else chinese_script(kept)
    units = make_units(deduped.sentences, english=english, text=cleaned.text)

    if english:
        token_lists = [en_tokens(u.shown) for u in units]
        idf, default_idf = document_idf(token_lists)
        simplified = ""
        words = []
    else:
        # Simplified where it is read (the kept sentences), the same length as the cleaned text.
        simplified = to_simplified_spans(cleaned.text, [(s.start, s.end) for s in deduped.sentences], kept)
        words = zh_words(simplified, [(s.start, s.end) for s in deduped.sentences])
        token_lists = _unit_tokens(units, words)
        idf, default_idf = zh_idf()

    # Where each unit stands in what is left once copies are gone (0 = the start, 1 = the end).
    before = list(itertools.accumulate((len(u.text) for u in units), initial=0))
    positions = [b / max(1, before[-1]) for b in before[:-1]]
    parts = _parts(units, cleaned, positions)
    last_part = max(parts) if parts else None
    infos = [_info(u, i, units, cleaned, positions[i], parts, last_part, english) for i, u in enumerate(units)]
    word_signals = signals(token_lists, idf, default_idf)
    return Analysis(
        cleaned=cleaned,
        language=language,
        english=english,
        deduped=deduped,
        units=units,
        token_lists=token_lists,
        words=words,
        simplified=simplified,
        parts=parts,
        infos=infos,
        signals=word_signals,
        scores=score_units(infos, word_signals),
        allowed=_allowed(units),
    )


def _unit_tokens(units: list[Unit], words: list[tuple[str, int, int]]) -> list[list[str]]:
    """Each unit's content words, from the words of the whole text (cut once, shared)."""
    starts = [start for _, start, _ in words]
    out = []
    for unit in units:
        i = bisect.bisect_left(starts, unit.start)
        inside = []
        while i < len(words) and words[i][2] <= unit.end:
            inside.append(words[i][0])
            i += 1
        out.append(content_words(inside))
    return out


def _allowed(units: list[Unit]) -> list[bool]:
    """A unit that introduces what follows (：) is no point, nor a question after the lead (a lead
    that asks is how many posts open their point); unless nothing else is left."""
    allowed = []
    for i, unit in enumerate(units):
        end = unit.shown.rstrip("」』”’）) ")
        allowed.append(not end.endswith(("：", ":")) and (i == 0 or not end.endswith(("？", "?"))))
    return allowed if any(allowed) else [True] * len(units)


def _parts(units: list[Unit], cleaned: Cleaned, positions: list[float]) -> list[int] | None:
    """Which part of the article each unit is in: its section when headings divide it, else
    the first, middle or last third of the text (for articles long enough to have them)."""
    sections = [cleaned.sections[u.paragraph] for u in units] if cleaned.sections else []
    if len(set(sections)) >= 2:
        return sections
    if len(units) < PARTS_FROM_UNITS:
        return None
    return [min(2, int(3 * position)) for position in positions]


def _info(
    unit: Unit,
    index: int,
    units: list[Unit],
    cleaned: Cleaned,
    position: float,
    parts: list[int] | None,
    last_part: int | None,
    english: bool,
) -> UnitInfo:
    previous = units[index - 1] if index else None
    section = cleaned.sections[unit.paragraph] if cleaned.sections else 0
    paragraph_lead = previous is None or previous.paragraph != unit.paragraph
    section_lead = paragraph_lead and (
        previous is None or (cleaned.sections and cleaned.sections[previous.paragraph] != section)
    )
    return UnitInfo(
        text=unit.text,
        position=position,
        lead=index == 0,
        paragraph_lead=paragraph_lead,
        section_lead=bool(section_lead) and section > 0,
        closing=parts is not None and parts[index] == last_part,
        cut=unit.cut,
        english=english,
    )


def brief_source(
    source: str,
    *,
    pasted: bool = False,
    points: int = DEFAULT_POINTS,
    translator: Translator | None = None,
    max_bytes: int | None = None,
    writer: Writer | None = None,
) -> Briefing:
    """Blocking: load ``source`` (a file, ``-`` or an http(s) URL) and brief it.

    ``pasted`` says ``source`` is the article's text itself, as a chat user pastes it.
    """
    from bot.text.load import load

    if pasted:
        check_text_size(source, max_bytes=max_bytes)
        return summarize(
            source, points=points, source="pasted text", translator=translator, max_bytes=max_bytes, writer=writer
        )
    loaded = load(source, max_bytes=max_bytes)
    return summarize(
        loaded.text,
        points=points,
        source=loaded.source,
        title=loaded.title,
        translator=translator,
        max_bytes=max_bytes,
        writer=writer,
    )


__all__ = ["DEFAULT_POINTS", "Draft", "Language", "brief_source", "draft", "summarize"]

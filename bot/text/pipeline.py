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

from bot.briefing import Bilingual, Briefing, KeyPoint, Keyword, Language, Stats
from bot.errors import InputError
from bot.text import rank
from bot.text.analyse import content_words, detect_language, document_idf, en_tokens, to_simplified, zh_idf, zh_words
from bot.text.clean import Cleaned, clean
from bot.text.dedupe import Deduped, dedupe
from bot.text.keywords import DEFAULT_KEYWORDS, en_keywords, zh_keywords
from bot.text.load import check_text_size
from bot.text.rank import Signals, UnitInfo, is_opinion, is_reported, score_units, select, signals
from bot.text.split import Unit, cut_at_word, make_units, split_sentences
from bot.translate.base import TranslationRequest, Translator, target_for
from bot.translate.glossary import GlossaryTranslator, note_for

log = logging.getLogger(__name__)

DEFAULT_POINTS = 5
MAX_POINTS = 20
#: Summary budget: Chinese characters, or English words; and a share of the article.
MAX_SUMMARY_ZH_CHARS = 200
MAX_SUMMARY_EN_WORDS = 120
SUMMARY_SHARE = 0.4
SUMMARY_UNITS = 3
#: A summary shows a cut sentence whole when it has the room.
SUMMARY_WHOLE = True
#: A headline taken from the article is at most this long (Chinese characters / English characters),
#: and as short as a third of that when a whole clause says enough.
MAX_HEADLINE = {"zh": 40, "en": 90}
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
) -> Briefing:
    """Brief ``text``: a faithful summary, key points and keywords, plus the other language."""
    if not 1 <= points <= MAX_POINTS:
        raise InputError(f"The number of key points must be between 1 and {MAX_POINTS}, not {points}.")
    if not text or not text.strip():
        raise InputError("The input is empty; paste an article or give a file that contains one.")
    check_text_size(text, max_bytes=max_bytes)

    a = analyse(text, title=title)
    units, scores, allowed, parts, english = a.units, a.scores, a.allowed, a.parts, a.english
    cleaned, deduped, language, simplified = a.cleaned, a.deduped, a.language, a.simplified
    conclusion = _conclusion(a.infos, scores, allowed) if rank.CONCLUSION else None

    texts = [u.text for u in units]
    choice = {"allowed": allowed, "parts": parts, "must": (conclusion,) if conclusion is not None else ()}
    ranked = select(texts, scores, points, **(choice if points >= 3 else {**choice, "must": ()}))
    chosen_points = sorted(ranked, key=lambda i: units[i].start)
    summary = _summary(units, scores, allowed, conclusion, english, cleaned.text)
    best = max(range(len(units)), key=lambda i: (allowed[i], scores[i]))
    headline = cleaned.title or headline_from(units[best].text, english=english)

    if english:
        body = " ".join(s.text for s in deduped.sentences)
        terms = en_keywords(body, keywords)
    else:
        # The words of the article's point count most, whatever the number of points asked for.
        central = ranked if points >= DEFAULT_POINTS else select(texts, scores, DEFAULT_POINTS, **choice)
        weights = _in_points([units[i] for i in central], a.words)
        terms = zh_keywords(cleaned.text, simplified, a.words, weights, keywords)

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
        title=headline,
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
            sentences=len(deduped.sentences),
            duplicates_removed=deduped.duplicate_passages,
            duplicate_sentences=deduped.duplicate_sentences,
            boilerplate_removed=len(cleaned.removed),
        ),
        notes=tuple(notes),
        title_from="source" if cleaned.title else "article",
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
    #: The cleaned text in Simplified characters, same length (Chinese only).
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
    language = detect_language(cleaned.text)
    english = language == "en"
    deduped = dedupe(split_sentences(cleaned.paragraphs, english=english))
    if not deduped.sentences:
        raise InputError("No sentences were found in the input; paste the article's text.")
    units = make_units(deduped.sentences, english=english, text=cleaned.text)

    if english:
        token_lists = [en_tokens(u.shown) for u in units]
        idf, default_idf = document_idf(token_lists)
        simplified = ""
        words = []
    else:
        simplified = to_simplified(cleaned.text)
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


def _in_points(points: list[Unit], words: list[tuple[str, int, int]]) -> list[float]:
    """For each word, 1.0 when it is in the sentence of a chosen key point, else 0.0."""
    spans = sorted(p.whole for p in points)
    starts = [a for a, _ in spans]
    out = []
    for _, start, _ in words:
        k = bisect.bisect_right(starts, start) - 1
        out.append(1.0 if k >= 0 and start < spans[k][1] else 0.0)
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


#: An article where at least this share of sentences report speech (表示, said) is a news report.
REPORT_SHARE = 0.3


def _conclusion(infos: list[UnitInfo], scores: list[float], allowed: list[bool]) -> int | None:
    """For commentary, the unit that states the conclusion: the best of the closing part that
    argues in the author's own voice (應該, 需要, should, …). None for a news report (which
    quotes people rather than argues) and for an article without such a closing."""
    if sum(is_reported(info.text) for info in infos) >= REPORT_SHARE * len(infos):
        return None
    closing = [
        i
        for i, info in enumerate(infos)
        if info.closing and allowed[i] and is_opinion(info.text) and not is_reported(info.text)
    ]
    return max(closing, key=lambda i: scores[i]) if closing else None


def _summary(
    units: list[Unit],
    scores: list[float],
    allowed: list[bool],
    conclusion: int | None,
    english: bool,
    text: str,
) -> str | None:
    """The best unit and the next 1–2 in article order, within the budget (a share of the article, capped).

    A unit that had to be cut to fit a key point is shown whole here when its sentence fits
    the room left: a summary has more room than one point.
    """

    def size(piece: str) -> int:
        return len(piece.split()) if english else len(piece)

    kept = sum(size(u.text) for u in units)
    if english:
        budget = min(MAX_SUMMARY_EN_WORDS, max(25, int(SUMMARY_SHARE * kept)))
    else:
        budget = min(MAX_SUMMARY_ZH_CHARS, max(60, int(SUMMARY_SHARE * kept)))
    # The best unit, a commentary's conclusion, then the article in its own order: after its
    # point, news tells what matters next (measured: position alone picks the rest better than
    # the word signals do, bench.quality's ablations).
    best = max((i for i in range(len(units)) if allowed[i]), key=lambda i: scores[i])
    ranked = [best, *([conclusion] if conclusion not in (None, best) else [])]
    ranked += [i for i in range(len(units)) if allowed[i] and i not in ranked]
    picked: dict[tuple[int, int], tuple[int, str]] = {}  # whole sentence → (start, text shown)
    used = 0
    for i in ranked:
        unit = units[i]
        if unit.whole in picked:
            continue
        whole = text[unit.whole[0] : unit.whole[1]]
        fits = SUMMARY_WHOLE and _ends_sentence(whole) and size(whole) <= budget - used
        piece = whole if fits else _summary_piece(unit)
        if piece is None:
            continue
        if picked and used + size(piece) > budget:
            continue
        picked[unit.whole] = (unit.whole[0] if piece == whole else unit.start, piece)
        used += size(piece)
        if len(picked) == SUMMARY_UNITS or used >= budget:
            break
    if not picked:
        return None
    pieces = [piece for _, piece in sorted(picked.values())]
    return " ".join(pieces) if english else "".join(pieces)


_CLOSERS = "」』”’）)\"'"


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` ends the way a sentence does: 。！？.!?… (then perhaps a closing quote)."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in ("。", "！", "？", "!", "?", "…", ".")


def _summary_piece(unit: Unit) -> str | None:
    """How a unit reads inside a summary, where the next unit follows it at once: a part of a
    sentence that goes on after its semicolon ends in "…", and a line without any closing
    punctuation (a heading-like fragment) is left out rather than glued to the next one."""
    if unit.cut or _ends_sentence(unit.text):
        return unit.text
    if unit.text.endswith(("；", ";")) and unit.end < unit.whole[1]:
        return unit.text[:-1] + "…"
    return None


def headline_from(text: str, *, english: bool = False) -> str:
    """A short headline from a unit of the article: the sentence when it is short, else its
    leading whole clauses (enough to say something, never past the limit), else a cut at a
    word boundary; a cut is marked with "…"."""
    limit = MAX_HEADLINE["en" if english else "zh"]
    enough = limit // 3
    shown = text.removesuffix("…")
    if len(shown) <= limit and not text.endswith("…"):
        return shown.rstrip("。.！!")
    marks = ",;:" if english else "，；：、,;:"
    end = 0
    for i, ch in enumerate(shown[:limit]):
        if ch in marks and i > 0 and not (shown[i - 1 : i].isdigit() and shown[i + 1 : i + 2].isdigit()):
            end = i
            if end >= enough:
                break
    if end < enough:
        end = cut_at_word(shown, limit - 1, english=english)
    return shown[:end].rstrip(marks + " ") + "…"


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


__all__ = ["DEFAULT_POINTS", "Language", "brief_source", "headline_from", "summarize"]

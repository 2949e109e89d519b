"""Choose: from an article's scored units, the conclusion a commentary must keep, the summary
and a headline. Everything chosen is the article's own text; "…" marks what was left out.
"""

from __future__ import annotations

import bisect
import re

from bot.text.rank import UnitInfo, is_opinion, is_reported
from bot.text.split import Unit, cut_at_word

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
#: An article where at least this share of sentences report speech (表示, said) is a news report.
REPORT_SHARE = 0.3


#: A lead that says who speaks: a subject, then 表示/指出/強調/致詞… in its first clauses.
_SPEAKER_LEAD = re.compile(r"[^。！？!?]{2,60}?(?:表示|指出|強調|强调|致詞|致词|宣布|宣佈|說明|说明)")


def conclusion(infos: list[UnitInfo], scores: list[float], allowed: list[bool]) -> int | None:
    """For commentary, the unit that states the conclusion: the best of the closing part that
    argues in the author's own voice (應該, 需要, should, …). None for a news report (which
    quotes people rather than argues) and for an article without such a closing."""
    if sum(is_reported(info.text) for info in infos) >= REPORT_SHARE * len(infos):
        return None
    if infos and _SPEAKER_LEAD.match(infos[0].text):
        return None  # "總統今天出席…致詞時表示，…": a report of someone's speech, not the author arguing
    closing = [
        i
        for i, info in enumerate(infos)
        if info.closing and allowed[i] and is_opinion(info.text) and not is_reported(info.text)
    ]
    return max(closing, key=lambda i: scores[i]) if closing else None


def summary(
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


def in_points(points: list[Unit], words: list[tuple[str, int, int]]) -> list[float]:
    """For each word, 1.0 when it is in the sentence of a chosen key point, else 0.0."""
    spans = sorted(p.whole for p in points)
    starts = [a for a, _ in spans]
    out = []
    for _, start, _ in words:
        k = bisect.bisect_right(starts, start) - 1
        out.append(1.0 if k >= 0 and start < spans[k][1] else 0.0)
    return out

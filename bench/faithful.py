"""Faithfulness benchmark: properties every briefing must have, counted over real news.

    BRIEFBOT_EVAL_DATA=/path/to/evaldata python -m bench.faithful [--limit N] [--examples 3]

Runs ``summarize(text)`` on every press release of 300–5,000 characters, the LCSTS val posts,
the development cases, and variants made here from press releases (hard-wrapped, pasted
several times, with a byline, a "（完）", "【延伸閱讀】" or "（本文轉載自…）" line, with links),
and counts the violations of each property:

- no crash: ``summarize`` never raises (an ``InputError`` on an empty text is only noted).
- no fabricated stop: each key point, and each sentence of the summary (without a trailing
  "…"), is a substring of the cleaned text, so a 。！？ the briefing ends on is the article's own.
- no deleted story text: each paragraph of the input is in the cleaned text, or is one of the
  removed boilerplate pieces or recognised headings, or is in it once those pieces are deleted.
- no markup: no text field holds ``<!here>``, ``<@U1>``, ``<https://…>`` or ``[text](https://``,
  even where a newline or space splits it.
- no title cut inside a word or number: a title ending in "…" stops on a jieba word boundary of
  its sentence, never between two digits or two Latin letters.
Two more are reported beside them: the heading renderers show when there is no title
(``bot.briefing.heading``, which cuts the first key point), checked like a title, and, on the
variants, the added boilerplate reaching the briefing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import sys
import time
import traceback
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import evaldata
from bot import Briefing, InputError, summarize
from bot.briefing import heading
from bot.text.analyse import jieba_module, to_simplified
from bot.text.clean import clean

ROOT = Path(__file__).resolve().parent.parent

PROPERTIES = {
    "crash": "no crash",
    "stop": "no fabricated stop",
    "deleted": "no deleted story text",
    "markup": "no markup",
    "title": "no title cut inside a word or number",
    "heading": "(extra) shown heading cut inside a word or number",
    "boilerplate": "(extra, variants) added boilerplate in the briefing",
}
NOTES = {
    "empty": "InputError on an empty text (not a violation)",
    "as_title": "a paragraph taken out as the title (not a violation)",
}

_HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！"})
_SPACE = re.compile(r"\s+")
_CLOSERS = "」』”’）》〉】〕\"'"
_ZH_PIECE = re.compile(rf".+?(?:[。！？…]+[{re.escape(_CLOSERS)}]*|$)", re.S)
_EN_PIECE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"'”’)])\s+")
MARKUP = {
    "chat markup <!…>, <@…>, <#…>": re.compile(r"<[!@#][^>]*>"),
    "a link in angle brackets <https://…>": re.compile(r"<https?://[^>]*>"),
    "a Markdown link [text](https://…)": re.compile(r"\[[^\]]+\]\(https?://"),
}


_HAN_STOP = re.compile(r"(?<=[\u3400-\u9fff])\.(?=\s|$)")
#: Zero-width characters and C0/C1 controls but newline, tab and CR (a stray backspace or SUB in a
#: release): the cleaner drops them by design, as no story text and a terminal hazard.
_CONTROLS = [c for c in range(0x20) if c not in (9, 10, 13)] + [0x7F, *range(0x80, 0xA0)]
_ZERO_WIDTH = dict.fromkeys([*map(ord, "\u200b\u200c\u200d\u2060\ufeff"), *_CONTROLS], None)


def norm(text: str) -> str:
    """The text as cleaning may fairly change it without losing a word: Unicode NFC (compatibility
    ideographs become their unified form), zero-width and control characters and chat markup gone (a link
    keeps its label), whitespace removed, ASCII , : ; ? ! in their full-width forms."""
    from bot.text.markup import to_plain_text

    text = to_plain_text(unicodedata.normalize("NFC", text)).translate(_ZERO_WIDTH)
    text = _HAN_STOP.sub("。", text)  # 下雨. → 下雨。 at a sentence's end (not 麥克米連.史考特)
    return _SPACE.sub("", text).translate(_HALF_TO_FULL)


@dataclass(frozen=True, slots=True)
class Case:
    set: str
    id: str
    text: str
    #: For variants: strings of the boilerplate added, which must not reach the briefing.
    added: tuple[str, ...] = ()


@dataclass
class Checked:
    set: str
    id: str
    #: (property, kind of problem, what happened)
    violations: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)


# --- the properties -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Difference:
    """Where a piece of text stops matching the text it should be in."""

    #: Characters of the piece matched before the difference.
    matched: int
    ours: str
    theirs: str
    detail: str


def divergence(piece: str, text: str, width: int = 24) -> Difference:
    """Where ``piece`` stops matching ``text``: the piece there, and what the text has instead."""
    lo, hi = 0, len(piece)
    while lo < hi:  # the longest prefix of piece found in text
        mid = (lo + hi + 1) // 2
        if piece[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo < 4:
        # The difference is at the start: find where the rest of the piece picks up.
        for skip in range(1, min(len(piece) - 7, 40)):
            at = text.find(piece[skip : skip + 8])
            if at >= 0:
                before = text[at - 1 : at] if at else ""
                return Difference(
                    0,
                    piece[0],
                    before,
                    f"「{clip(piece, 50)}」: the cleaned text has 「…{text[max(0, at - 12) : at + 24]}…」 "
                    f"without its first {skip} characters ({codepoint(piece[0])} first)",
                )
        return Difference(0, piece[:1], "", f"「{clip(piece, 80)}」 — not in the cleaned text at all")
    at = text.find(piece[:lo])
    here = piece[max(0, lo - width) : lo + width]
    there = text[at + max(0, lo - width) : at + lo + width]
    ours, theirs = piece[lo : lo + 1], text[at + lo : at + lo + 1]
    return Difference(
        lo,
        ours,
        theirs,
        f"「…{here}…」 but the cleaned text has 「…{there}…」 "
        f"(differs after {lo} characters: {codepoint(ours)} where the text has {codepoint(theirs)})",
    )


def codepoint(ch: str) -> str:
    if not ch:
        return "the end"
    return f"{ch!r} U+{ord(ch):04X} {unicodedata.name(ch, '?')}"


def clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def around(value: str, at: int, length: int, width: int = 30) -> str:
    """``value`` near ``value[at : at + length]``, elided on both sides as needed."""
    start, end = max(0, at - width), min(len(value), at + length + width)
    return ("…" if start else "") + value[start:end] + ("…" if end < len(value) else "")


def summary_pieces(summary: str, english: bool) -> list[str]:
    if english:
        return [p for p in _EN_PIECE_END.split(summary) if p.strip()]
    return [p for p in _ZH_PIECE.findall(summary) if p.strip()]


#: (kind of problem, what happened) for one property.
Found = tuple[str, str]


def fabricated(briefing: Briefing, cleaned_text: str) -> list[Found]:
    """Key points and summary sentences that are not the article's own text."""
    pieces = []
    for n, point in enumerate(briefing.key_points):
        pieces.append(("key point", f"key point {n + 1}", briefing.own(point.zh, point.en) or ""))
    summary = briefing.own(briefing.summary.zh, briefing.summary.en) or ""
    pieces += [("summary sentence", "summary", p.strip()) for p in summary_pieces(summary, briefing.language == "en")]
    out = []
    for what, where, text in pieces:
        bare = text[:-1] if text.endswith("…") else text
        if not bare or bare in cleaned_text:
            continue
        diff = divergence(bare, cleaned_text)
        if diff.matched == len(bare) - 1 and bare[-1] in "。！？.!?":
            kind = f"{what} ends on a {bare[-1]} the article does not have there"
        else:
            kind = f"{what} not in the article"
        out.append((kind, f"{where}: {diff.detail}"))
    return out


def paragraphs_of(raw: str) -> list[str]:
    return [p for p in re.split(r"\n[^\S\n]*\n", raw.replace("\r\n", "\n").replace("\r", "\n")) if p.strip()]


def _change_kind(diff: Difference) -> str:
    ours, theirs = diff.ours, diff.theirs
    if ours and unicodedata.category(ours) == "Cf":
        return "an invisible character (zero-width space, BOM…) dropped"
    if ours and unicodedata.normalize("NFC", ours) != ours:
        return "a compatibility ideograph made its unified twin by NFC (same glyph)"
    if ours == "." and theirs == "。":
        return "'.' turned into '。' (a sentence end that was not there)"
    return "story text missing or changed"


def deleted(raw: str, cleaned: Any) -> tuple[list[Found], list[str]]:
    """Input paragraphs the cleaned text lost; and those accounted for only by the title taken out."""
    text = norm(cleaned.text)
    taken = [norm(r) for r in (*cleaned.removed, *getattr(cleaned, "headings", ())) if norm(r)]
    taken.sort(key=len, reverse=True)
    title = norm(cleaned.title or "")
    lost, as_title = [], []
    for para in paragraphs_of(raw):
        p = norm(para)
        if not p or p in text or p in taken:
            continue
        rest = p
        for piece in taken:
            rest = rest.replace(piece, "")
        if not rest or rest in text:
            continue
        if title and (p == title or (rest := rest.replace(title, "")) == "" or rest in text):
            as_title.append(f"「{clip(para.strip(), 60)}」 became the title 「{cleaned.title}」")
            continue
        diff = divergence(rest, text)
        lost.append((_change_kind(diff), f"paragraph 「{clip(para.strip(), 50)}」: {diff.detail}"))
    return lost, as_title


def text_fields(briefing: Briefing) -> Iterable[tuple[str, str]]:
    if briefing.title:
        yield "title", briefing.title
    for side, value in (("zh", briefing.summary.zh), ("en", briefing.summary.en)):
        if value:
            yield f"summary.{side}", value
    for n, point in enumerate(briefing.key_points):
        for side, value in (("zh", point.zh), ("en", point.en)):
            if value:
                yield f"key point {n + 1}.{side}", value
    for keyword in briefing.keywords:
        for side, value in (("term", keyword.term), ("en", keyword.en), ("zh", keyword.zh)):
            if value:
                yield f"keyword.{side}", value


def markup(briefing: Briefing) -> list[Found]:
    out = []
    for name, value in text_fields(briefing):
        for candidate, how in ((value, ""), (_SPACE.sub("", value), ", split by whitespace")):
            hit = next(((label, m) for label, pattern in MARKUP.items() if (m := pattern.search(candidate))), None)
            if hit:
                label, m = hit
                out.append(
                    (label + how, f"{name}: {m.group(0)!r} in 「{around(candidate, m.start(), len(m.group(0)))}」")
                )
                break
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def cut_inside(title: str | None, cleaned_text: str, raw: str) -> Found | None:
    """Why a title ending in "…" is cut badly, or None when it is not cut or cut well."""
    if not title or not title.endswith("…"):
        return None
    prefix = title[:-1]
    if not prefix:
        return "only an ellipsis", f"title 「{title}」"
    for source in (cleaned_text, raw):
        at = source.find(prefix)
        if at >= 0:
            break
    else:
        return "the text before … is not in the article", f"「{title}」: {divergence(prefix, cleaned_text).detail}"
    end = at + len(prefix)
    after = source[end : end + 2]
    nxt = after[:1]
    last, before_last = prefix[-1], prefix[-2:-1]
    shown = f"「{title}」 (the text goes on 「{clip(source[end : end + 12], 12)}」)"
    if (last.isdigit() and nxt.isdigit()) or (last.isdigit() and nxt in ".,，" and after[1:2].isdigit()):
        return "cut inside a number", shown
    if last in ".,，" and before_last.isdigit() and nxt.isdigit():
        return "cut inside a number", shown
    if _latin(last) and _latin(nxt):
        return "cut inside a Latin word", shown
    if not nxt or nxt in "\n":
        return None
    start = max(source.rfind(ch, 0, end) for ch in "。！？\n") + 1
    stop = min((i for i in (source.find(ch, end) for ch in "。！？\n") if i >= 0), default=len(source))
    sentence = source[start:stop]
    simplified = to_simplified(sentence)
    if len(simplified) != len(sentence):
        simplified = sentence
    bounds = {0, len(sentence)}
    word = ""
    for _token, s, e in jieba_module().tokenize(simplified):
        bounds.update((s, e))
        if s < end - start < e:
            word = sentence[s:e]
    if end - start not in bounds:
        return "cut inside a word (jieba)", f"inside 「{word}」: {shown}"
    return None


def check(case: Case) -> Checked:
    out = Checked(case.set, case.id)
    try:
        briefing = summarize(case.text)
    except InputError as exc:
        if not case.text.strip():
            out.notes.append(("empty", "InputError", f"{exc}"))
        else:
            out.violations.append(("crash", "InputError on a text that is not empty", f"{len(case.text)} chars: {exc}"))
        return out
    except Exception as exc:
        last = traceback.format_exc().strip().splitlines()[-1]
        out.violations.append(("crash", type(exc).__name__, f"{last} (from {clip(case.text.strip(), 40)!r})"))
        return out
    cleaned = clean(case.text)
    text = cleaned.text
    out.violations += [("stop", *found) for found in fabricated(briefing, text)]
    lost, as_title = deleted(case.text, cleaned)
    out.violations += [("deleted", *found) for found in lost]
    out.notes += [("as_title", "a paragraph taken as the title", d) for d in as_title]
    out.violations += [("markup", *found) for found in markup(briefing)]
    if found := cut_inside(briefing.title, text, case.text):
        out.violations.append(("title", *found))
    if briefing.title is None and (found := cut_inside(heading(briefing), text, case.text)):
        out.violations.append(("heading", *found))
    for marker in case.added:
        for name, value in text_fields(briefing):
            if (at := value.find(marker)) >= 0:
                shown = around(value, at, len(marker))
                out.violations.append(("boilerplate", f"{marker!r} reached the briefing", f"{name}: 「{shown}」"))
    return out


# --- the cases ------------------------------------------------------------------------------


def wrap(paragraph: str, width: int) -> str:
    return "\n".join(paragraph[i : i + width] for i in range(0, len(paragraph), width))


def variants(pool: Sequence[tuple[Path, dict[str, Any]]], n: int, seed: int) -> list[Case]:
    """Press releases as people paste them: wrapped, repeated, with bylines, end marks and links."""
    rng = random.Random(seed)
    out = []
    picks = rng.sample(range(len(pool)), min(n, len(pool)))
    for k in picks:
        path, data = pool[k]
        content = data["content"]
        paras = content.split("\n\n")
        ident = f"{path.parent.name}/{path.stem}"
        width = rng.randint(30, 40)
        copies = rng.randint(2, 4)
        other_title = pool[(k + 1) % len(pool)][1]["title"]
        byline = "（記者王小明／台北報導）"
        link = f"https://www.president.gov.tw/NEWS/{path.stem}"
        made = {
            f"wrapped at {width}": ("\n\n".join(wrap(p, width) for p in paras), ()),
            f"wrapped at {width}, no blank lines": ("\n".join(wrap(p, width) for p in paras), ()),
            f"pasted {copies}×": ("\n\n".join([content] * copies), ()),
            "byline line": (f"{byline}\n{content}", ("王小明",)),
            "（完） line": (f"{content}\n（完）", ("（完）",)),
            "【延伸閱讀】 lines": (f"{content}\n\n【延伸閱讀】\n{other_title}", ("延伸閱讀",)),
            "（本文轉載自…） line": (f"{content}\n\n（本文轉載自總統府新聞稿）", ("轉載自",)),
            "links": (
                f"{content}\n\n詳見[總統府新聞稿]({link})。\n<{link}|原文連結>",
                ("原文連結", "總統府新聞稿]"),
            ),
            f"all: byline, wrapped at {width}, pasted {copies}×, （完）": (
                "\n\n".join([byline + "\n" + "\n".join(wrap(p, width) for p in paras) + "\n（完）"] * copies),
                ("王小明", "（完）"),
            ),
        }
        for kind, (text, added) in made.items():
            out.append(Case("variants", f"{ident} {kind}", text, added))
    return out


def dev_cases(path: Path) -> list[Case]:
    cases = json.loads(path.read_text(encoding="utf-8"))
    return [Case("dev", c["id"], (path.parent / c["file"]).read_text(encoding="utf-8")) for c in cases]


# --- the command ----------------------------------------------------------------------------

SETS = ("president", "lcsts", "dev", "variants")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="sample this many press releases and LCSTS posts (fixed seed)")
    parser.add_argument("--variants", type=int, default=30, help="press releases to make variants of (default 30)")
    parser.add_argument("--examples", type=int, default=3, help="examples to print of each property")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=evaldata.SEED)
    parser.add_argument("--only", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--cases", default=str(ROOT / "tests/eval/cases.json"))
    args = parser.parse_args(argv)

    cases: list[Case] = []
    if set(args.only) - {"dev"}:
        root = evaldata.data_dir()
        pool = evaldata.releases(root)
        if "president" in args.only:
            for path, data in evaldata.sample(pool, args.limit, args.seed):
                cases.append(Case("president", f"{path.parent.name}/{path.stem}", data["content"]))
        if "lcsts" in args.only:
            for post in evaldata.sample(evaldata.lcsts(root, "val"), args.limit, args.seed):
                cases.append(Case("LCSTS val", post.id, post.text))
        if "variants" in args.only:
            cases += variants(pool, args.variants, args.seed)
    if "dev" in args.only:
        cases += dev_cases(Path(args.cases))

    summarize("暖身：先載入結巴詞典，好讓工作行程共用。")  # load jieba once, before the workers fork
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.workers) as workers:
        results = list(workers.imap(check, cases, chunksize=16))
    seconds = time.perf_counter() - start
    report(results, args.examples)
    rate = len(cases) / seconds
    print(f"\n{len(cases)} articles in {seconds:.1f} s with {args.workers} workers: {rate:.1f} articles/s")
    return 0


def report(results: list[Checked], examples: int) -> None:
    sets = list(dict.fromkeys(r.set for r in results))
    size = Counter(r.set for r in results)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    articles: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    shown: dict[tuple[str, str], list[str]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for r in results:
        for prop, kind, detail in r.violations + r.notes:
            counts[prop][r.set] += 1
            kinds[prop][kind] += 1
            # Examples from different articles: variants of one release tend to fail alike.
            article = r.id.split(" ")[0]
            if len(shown[prop, kind]) < examples and (prop, kind, article) not in seen:
                seen.add((prop, kind, article))
                shown[prop, kind].append(f"[{r.set} {r.id}] {detail}")
        for prop in {p for p, _, _ in r.violations + r.notes}:
            articles[prop][r.set] += 1

    labels = {**PROPERTIES, **NOTES}
    width = max(len(label) for label in labels.values())
    header = f"{'property':<{width}}" + "".join(f"{s + f' ({size[s]})':>22}" for s in sets) + f"{'total':>10}"
    print("violations per property and set: count [articles with at least one]")
    print(header)
    print("-" * len(header))
    for prop, label in labels.items():
        cells = "".join(f"{f'{counts[prop][s]} [{articles[prop][s]}]':>22}" for s in sets)
        print(f"{label:<{width}}{cells}{sum(counts[prop].values()):>10}")
    for prop, label in labels.items():
        if not kinds[prop]:
            continue
        print(f"\n{label}: {sum(kinds[prop].values())}")
        for kind, n in kinds[prop].most_common():
            print(f"  {n:>6}  {kind}")
            for line in shown[prop, kind]:
                print(f"          {line}")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())

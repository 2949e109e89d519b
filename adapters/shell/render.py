"""Render a ``Briefing`` for a terminal (plain text) or as Markdown."""

from __future__ import annotations

import re

from bot.briefing import LANGUAGE_NAMES, Briefing, heading, other_language, translator_line
from bot.schedule.digest import NOTHING_NEW, Digest

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
# C0 and C1 control characters but tab and newline, and DEL: an article's ESC could otherwise set a
# terminal's title, write to its clipboard (OSC 52) or clear the screen.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile("[\x80-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def for_terminal(text: str) -> str:
    """``text`` safe to print: control characters removed, an undecodable byte shown as �."""
    return _SURROGATE.sub("\ufffd", _UNPRINTABLE.sub("", text))


def json_for_terminal(data: object) -> str:
    """JSON as ``json.dumps`` writes it (C0 already escaped), with C1 characters escaped too."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _SURROGATE.sub("\ufffd", _C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text))


def stats_line(briefing: Briefing) -> str:
    s = briefing.stats
    parts = [
        f"{s.input_chars:,} input characters",
        f"{s.clean_chars:,} after cleaning",
        f"{s.sentences} sentences",
        f"{s.duplicates_removed} duplicate passages removed ({s.duplicate_sentences} sentences)",
    ]
    if s.boilerplate_removed:
        parts.append(f"{s.boilerplate_removed} boilerplate lines dropped")
    return " · ".join(parts)


def _keyword_pairs(briefing: Briefing) -> list[tuple[str, str | None]]:
    return [(k.term, briefing.other(k.zh, k.en)) for k in briefing.keywords]


def render_text(briefing: Briefing) -> str:
    lines = [heading(briefing), "=" * min(60, max(10, len(heading(briefing)) * 2)), ""]
    summary = briefing.own(briefing.summary.zh, briefing.summary.en)
    other = briefing.other(briefing.summary.zh, briefing.summary.en)
    lines.append("Summary 摘要")
    lines.append(f"  {summary or '(none)'}")
    if other:
        lines.append(f"  {other_language(briefing, short=True)}: {other}")
    lines += ["", "Key points 重點"]
    for n, point in enumerate(briefing.key_points, 1):
        lines.append(f"  {n}. {briefing.own(point.zh, point.en)}")
        translated = briefing.other(point.zh, point.en)
        if translated:
            lines.append(f"     {other_language(briefing, short=True)}: {translated}")
    lines += ["", "Keywords 關鍵詞"]
    for term, gloss in _keyword_pairs(briefing):
        lines.append(f"  {term} — {gloss}" if gloss else f"  {term} — (not in the glossary)")
    lines.append("")
    for note in briefing.notes:
        lines.append(f"Note: {note}")
    lines.append(f"Language: {LANGUAGE_NAMES[briefing.language]} · {translator_line(briefing)}")
    lines.append(f"Source: {briefing.source}")
    lines.append(f"Stats: {stats_line(briefing)}")
    return "\n".join(lines) + "\n"


def render_point_replies(briefing: Briefing) -> str:
    """The thread replies of ``/brief thread``: one per key point, with the sentence it came from."""
    lines = []
    for n, point in enumerate(briefing.key_points, 1):
        lines.append(f"  ↳ {n}. {briefing.own(point.zh, point.en)}  (sentence {point.source_index + 1})")
        other = briefing.other(point.zh, point.en)
        if other:
            lines.append(f"       {other_language(briefing, short=True)}: {other}")
    return "\n".join(["[thread]", *lines]) + "\n"


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(briefing: Briefing) -> str:
    e = md_escape
    lines = [f"# {e(heading(briefing))}", ""]
    summary = briefing.own(briefing.summary.zh, briefing.summary.en)
    other = briefing.other(briefing.summary.zh, briefing.summary.en)
    lines += ["## Summary 摘要", "", e(summary or "(none)")]
    if other:
        lines += ["", f"*{other_language(briefing, short=True)}:* {e(other)}"]
    lines += ["", "## Key points 重點", ""]
    for n, point in enumerate(briefing.key_points, 1):
        lines.append(f"{n}. {e(briefing.own(point.zh, point.en) or '')}")
        translated = briefing.other(point.zh, point.en)
        if translated:
            lines.append(f"   *{other_language(briefing, short=True)}:* {e(translated)}")
    lines += ["", "## Keywords 關鍵詞", ""]
    for term, gloss in _keyword_pairs(briefing):
        lines.append(f"- **{e(term)}** — {e(gloss)}" if gloss else f"- **{e(term)}** — *(not in the glossary)*")
    lines.append("")
    for note in briefing.notes:
        lines += [f"> {e(note)}", ""]
    lines.append(
        f"*{LANGUAGE_NAMES[briefing.language]} · {e(translator_line(briefing))} · "
        f"source: {e(briefing.source)} · {e(stats_line(briefing))}*"
    )
    return "\n".join(lines) + "\n"


def render_digest(digest: Digest) -> str:
    """A digest for the terminal: one line per article, then each briefing (or its points)."""
    head = f"Daily briefing {digest.label} (schedule {digest.schedule_id})"
    lines = [head, "-" * len(head)]
    if digest.empty:
        lines.append(NOTHING_NEW)
        return "\n".join(lines) + "\n"
    for n, item in enumerate(digest.items, 1):
        zh, en = item.one_sentence()
        lines.append(f"{n}. {item.headline}")
        for sentence in (zh, en):
            if sentence:
                lines.append(f"   {sentence}")
        if item.url:
            lines.append(f"   {item.url}")
    for n, item in enumerate(digest.items, 1):
        lines.append("")
        lines.append(f"[thread] {n}. {item.headline}")
        if digest.thread:
            lines.append(render_point_replies(item.briefing).rstrip().removeprefix("[thread]\n"))
        else:
            lines.append("  " + render_text(item.briefing).rstrip().replace("\n", "\n  "))
    return "\n".join(lines) + "\n"

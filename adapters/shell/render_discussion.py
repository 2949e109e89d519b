"""Render a ``DiscussionBriefing`` for a terminal (plain text) or as Markdown.

Each item says which message it came from (#number, author), so a reader can check it.
The callers print the result through ``for_terminal``, as for article briefings.
"""

from __future__ import annotations

from adapters.shell.render import md_escape
from bot.briefing import LANGUAGE_NAMES, Bilingual, translator_phrase
from bot.text.discussion.model import Cited, DiscussionBriefing


def _own_other(briefing: DiscussionBriefing, text: Bilingual) -> tuple[str, str | None, str]:
    """The text as written, its other language (or None), and that language's short label."""
    if text.en is not None and text.zh is not None:
        if briefing.language == "en":
            return text.en, text.zh, "中文"
        return text.zh, text.en, "EN"
    if text.en is not None:
        return text.en, None, "中文"
    return text.zh or "", None, "EN"


def translator_line(briefing: DiscussionBriefing) -> str:
    return translator_phrase(briefing.translator, briefing.language)


def stats_line(briefing: DiscussionBriefing) -> str:
    s = briefing.stats
    parts = [f"{s.messages} messages", f"{s.participants} people"]
    if s.bot_messages_skipped:
        parts.append(f"{s.bot_messages_skipped} bot messages skipped")
    if s.truncated:
        parts.append(f"{s.truncated} older messages not read")
    if s.first_ts and s.last_ts:
        parts.append(f"{s.first_ts:%Y-%m-%d %H:%M} – {s.last_ts:%Y-%m-%d %H:%M} UTC")
    return " · ".join(parts)


def _cite(item: Cited) -> str:
    return f"#{item.index} {item.author}"


def _sections(briefing: DiscussionBriefing) -> list[tuple[str, list[tuple[str, str | None, str, str]]]]:
    """(heading, [(text, other language, label, citation)]) for each list of the briefing."""

    def rows(items: tuple[Cited, ...]) -> list[tuple[str, str | None, str, str]]:
        return [(*_own_other(briefing, c.text), _cite(c)) for c in items]

    actions = []
    for a in briefing.action_items:
        own, other, label = _own_other(briefing, a.what.text)
        extra = " · ".join(x for x in (f"who: {a.who}" if a.who else "", f"due: {a.due}" if a.due else "") if x)
        actions.append((own, other, label, _cite(a.what) + (f" · {extra}" if extra else "")))
    return [
        ("Key points 重點", rows(briefing.key_points)),
        ("Decisions 決定", rows(briefing.decisions)),
        ("Open questions 待解問題", rows(briefing.open_questions)),
        ("Action items 待辦", actions),
    ]


def render_discussion_text(briefing: DiscussionBriefing) -> str:
    head = briefing.title or "Discussion briefing"
    lines = [head, "=" * min(60, max(10, len(head) * 2)), ""]
    own, other, label = _own_other(briefing, briefing.summary)
    lines += ["Summary 摘要", f"  {own or '(none)'}"]
    if other:
        lines.append(f"  {label}: {other}")
    for title, rows in _sections(briefing):
        lines += ["", title]
        if not rows:
            lines.append("  (none)")
        for n, (text, translated, lab, cite) in enumerate(rows, 1):
            lines.append(f"  {n}. {text}  ({cite})")
            if translated:
                lines.append(f"     {lab}: {translated}")
    if briefing.links:
        lines += ["", "Links 連結"] + [f"  {link}" for link in briefing.links]
    lines += ["", "People 參與者", "  " + ", ".join(f"{p.name} ({p.messages})" for p in briefing.participants), ""]
    lines += [f"Note: {note}" for note in briefing.notes]
    lines.append(f"Language: {LANGUAGE_NAMES.get(briefing.language, briefing.language)} · {translator_line(briefing)}")
    lines.append(f"Stats: {stats_line(briefing)}")
    return "\n".join(lines) + "\n"


def render_discussion_markdown(briefing: DiscussionBriefing) -> str:
    e = md_escape
    lines = [f"# {e(briefing.title or 'Discussion briefing')}", ""]
    own, other, label = _own_other(briefing, briefing.summary)
    lines += ["## Summary 摘要", "", e(own or "(none)")]
    if other:
        lines += ["", f"*{label}:* {e(other)}"]
    for title, rows in _sections(briefing):
        lines += ["", f"## {title}", ""]
        if not rows:
            lines.append("*(none)*")
        for n, (text, translated, lab, cite) in enumerate(rows, 1):
            lines.append(f"{n}. {e(text)} *({e(cite)})*")
            if translated:
                lines.append(f"   *{lab}:* {e(translated)}")
    if briefing.links:
        lines += ["", "## Links 連結", ""] + [f"- <{link}>" for link in briefing.links]
    people = ", ".join(f"{e(p.name)} ({p.messages})" for p in briefing.participants)
    lines += ["", "## People 參與者", "", people, ""]
    for note in briefing.notes:
        lines += [f"> {e(note)}", ""]
    language = LANGUAGE_NAMES.get(briefing.language, briefing.language)
    lines.append(f"*{language} · {e(translator_line(briefing))} · {e(stats_line(briefing))}*")
    return "\n".join(lines) + "\n"


__all__ = ["render_discussion_markdown", "render_discussion_text"]

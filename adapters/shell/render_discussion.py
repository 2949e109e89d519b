"""Render a ``DiscussionBriefing`` for a terminal (plain text) or as Markdown.

Each item says which message it came from (#number, author), so a reader can check it.
The callers print the result through ``for_terminal``, as for article briefings.
"""

from __future__ import annotations

from adapters.discussion import (
    ACTION_ITEMS,
    DECISIONS,
    HEADING,
    KEY_POINTS,
    LINKS,
    OPEN_QUESTIONS,
    PARTICIPANTS,
    SUMMARY,
    action_extras,
    both_languages,
    other,
    own,
    replaces_words,
    stats_words,
)
from adapters.shell.render import md_escape
from bot.briefing import Bilingual, language_name, note_text, translator_phrase
from bot.chat.i18n import tr
from bot.text.discussion.model import Cited, DiscussionBriefing


def _own_other(briefing: DiscussionBriefing, text: Bilingual) -> tuple[str, str | None, str]:
    """The text as written, its other language (or None), and that language's short label."""
    return own(briefing, text), other(briefing, text), "中文" if briefing.language == "en" else "EN"


def translator_line(briefing: DiscussionBriefing, locale: str = "en") -> str:
    return translator_phrase(briefing.translator, briefing.language, locale)


def stats_line(briefing: DiscussionBriefing, locale: str = "en") -> str:
    parts = stats_words(briefing, locale)
    s = briefing.stats
    if s.first_ts and s.last_ts:
        parts.append(f"{s.first_ts:%Y-%m-%d %H:%M} – {s.last_ts:%Y-%m-%d %H:%M} UTC")
    return " · ".join(parts)


def _cite(item: Cited) -> str:
    return f"#{item.index} {item.author}"


def _sections(briefing: DiscussionBriefing, locale: str) -> list[tuple[str, list[tuple[str, str | None, str, str]]]]:
    """(heading, [(text, other language, label, citation)]) for each list of the briefing."""

    def rows(items: tuple[Cited, ...]) -> list[tuple[str, str | None, str, str]]:
        out = []
        for c in items:
            changed = replaces_words(c, locale)
            out.append((*_own_other(briefing, c.text), _cite(c) + (f" · {changed}" if changed else "")))
        return out

    actions = []
    for a in briefing.action_items:
        extra = " · ".join(f"{tr(locale, name)}: {value}" for name, value in action_extras(a))
        actions.append((*_own_other(briefing, a.what.text), _cite(a.what) + (f" · {extra}" if extra else "")))
    return [
        (both_languages(briefing, KEY_POINTS), rows(briefing.key_points)),
        (both_languages(briefing, DECISIONS), rows(briefing.decisions)),
        (both_languages(briefing, OPEN_QUESTIONS), rows(briefing.open_questions)),
        (both_languages(briefing, ACTION_ITEMS), actions),
    ]


def render_discussion_text(briefing: DiscussionBriefing, locale: str = "en") -> str:
    head = briefing.title or both_languages(briefing, HEADING)
    none = tr(locale, "(none)")
    lines = [head, "=" * min(60, max(10, len(head) * 2)), ""]
    said, translated, label = _own_other(briefing, briefing.summary)
    lines += [both_languages(briefing, SUMMARY), f"  {said or none}"]
    if translated:
        lines.append(f"  {label}: {translated}")
    for title, rows in _sections(briefing, locale):
        lines += ["", title]
        if not rows:
            lines.append(f"  {none}")
        for n, (text, translated, lab, cite) in enumerate(rows, 1):
            lines.append(f"  {n}. {text}  ({cite})")
            if translated:
                lines.append(f"     {lab}: {translated}")
    if briefing.links:
        lines += ["", both_languages(briefing, LINKS)] + [f"  {link}" for link in briefing.links]
    people = ", ".join(f"{p.name} ({p.messages})" for p in briefing.participants)
    lines += ["", both_languages(briefing, PARTICIPANTS), "  " + people, ""]
    lines += [tr(locale, "Note: {note}", note=note_text(note, locale)) for note in briefing.notes]
    language = language_name(briefing.language, locale)
    lines.append(
        tr(
            locale,
            "Language: {language} · {translator}",
            language=language,
            translator=translator_line(briefing, locale),
        )
    )
    lines.append(tr(locale, "Stats: {stats}", stats=stats_line(briefing, locale)))
    return "\n".join(lines) + "\n"


def render_discussion_markdown(briefing: DiscussionBriefing, locale: str = "en") -> str:
    e = md_escape
    none = tr(locale, "(none)")
    lines = [f"# {e(briefing.title or both_languages(briefing, HEADING))}", ""]
    said, translated, label = _own_other(briefing, briefing.summary)
    lines += [f"## {both_languages(briefing, SUMMARY)}", "", e(said or none)]
    if translated:
        lines += ["", f"*{label}:* {e(translated)}"]
    for title, rows in _sections(briefing, locale):
        lines += ["", f"## {title}", ""]
        if not rows:
            lines.append(f"*{none}*")
        for n, (text, translated, lab, cite) in enumerate(rows, 1):
            lines.append(f"{n}. {e(text)} *({e(cite)})*")
            if translated:
                lines.append(f"   *{lab}:* {e(translated)}")
    if briefing.links:
        lines += ["", f"## {both_languages(briefing, LINKS)}", ""] + [f"- <{link}>" for link in briefing.links]
    people = ", ".join(f"{e(p.name)} ({p.messages})" for p in briefing.participants)
    lines += ["", f"## {both_languages(briefing, PARTICIPANTS)}", "", people, ""]
    for note in briefing.notes:
        lines += [f"> {e(note_text(note, locale))}", ""]
    language = language_name(briefing.language, locale)
    lines.append(f"*{language} · {e(translator_line(briefing, locale))} · {e(stats_line(briefing, locale))}*")
    return "\n".join(lines) + "\n"


__all__ = ["render_discussion_markdown", "render_discussion_text"]

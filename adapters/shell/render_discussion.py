"""Render a ``DiscussionBriefing`` for a terminal (plain text) or as Markdown.

Each item says which message it came from (#number, author), so a reader can check it.
The callers print the result through ``for_terminal``, as for article briefings.
"""

from __future__ import annotations

from adapters.discussion import stats_words
from adapters.shell.render import md_escape
from bot.briefing import Bilingual, language_name, note_text, translator_phrase
from bot.chat.i18n import N_, tr
from bot.text.discussion.model import Cited, DiscussionBriefing

_HEADING = N_("Discussion briefing")
_SUMMARY = N_("Summary")
_KEY_POINTS = N_("Key points")
_DECISIONS = N_("Decisions")
_OPEN_QUESTIONS = N_("Open questions")
_ACTION_ITEMS = N_("Action items")
_LINKS = N_("Links")
_PARTICIPANTS = N_("Participants")


def _own_other(briefing: DiscussionBriefing, text: Bilingual) -> tuple[str, str | None, str]:
    """The text as written, its other language (or None), and that language's short label."""
    if text.en is not None and text.zh is not None:
        if briefing.language == "en":
            return text.en, text.zh, "中文"
        return text.zh, text.en, "EN"
    if text.en is not None:
        return text.en, None, "中文"
    return text.zh or "", None, "EN"


def translator_line(briefing: DiscussionBriefing, locale: str = "en") -> str:
    return translator_phrase(briefing.translator, briefing.language, locale)


def stats_line(briefing: DiscussionBriefing, locale: str = "en") -> str:
    parts = stats_words(briefing, locale)
    s = briefing.stats
    if s.first_ts and s.last_ts:
        parts.append(f"{s.first_ts:%Y-%m-%d %H:%M} – {s.last_ts:%Y-%m-%d %H:%M} UTC")
    return " · ".join(parts)


def _label(briefing: DiscussionBriefing, msgid: str) -> str:
    """A section label in English and in Chinese (the discussion's script): labels name the content."""
    chinese = tr("zh-Hans" if briefing.language == "zh-Hans" else "zh-Hant", msgid)
    return f"{msgid} {chinese}"


def _cite(item: Cited) -> str:
    return f"#{item.index} {item.author}"


def _sections(briefing: DiscussionBriefing, locale: str) -> list[tuple[str, list[tuple[str, str | None, str, str]]]]:
    """(heading, [(text, other language, label, citation)]) for each list of the briefing."""

    def rows(items: tuple[Cited, ...]) -> list[tuple[str, str | None, str, str]]:
        return [(*_own_other(briefing, c.text), _cite(c)) for c in items]

    actions = []
    for a in briefing.action_items:
        own, other, label = _own_other(briefing, a.what.text)
        extras = [(tr(locale, "who"), a.who), (tr(locale, "due"), a.due)]
        extra = " · ".join(f"{name}: {value}" for name, value in extras if value)
        actions.append((own, other, label, _cite(a.what) + (f" · {extra}" if extra else "")))
    return [
        (_label(briefing, _KEY_POINTS), rows(briefing.key_points)),
        (_label(briefing, _DECISIONS), rows(briefing.decisions)),
        (_label(briefing, _OPEN_QUESTIONS), rows(briefing.open_questions)),
        (_label(briefing, _ACTION_ITEMS), actions),
    ]


def render_discussion_text(briefing: DiscussionBriefing, locale: str = "en") -> str:
    head = briefing.title or _label(briefing, _HEADING)
    none = tr(locale, "(none)")
    lines = [head, "=" * min(60, max(10, len(head) * 2)), ""]
    own, other, label = _own_other(briefing, briefing.summary)
    lines += [_label(briefing, _SUMMARY), f"  {own or none}"]
    if other:
        lines.append(f"  {label}: {other}")
    for title, rows in _sections(briefing, locale):
        lines += ["", title]
        if not rows:
            lines.append(f"  {none}")
        for n, (text, translated, lab, cite) in enumerate(rows, 1):
            lines.append(f"  {n}. {text}  ({cite})")
            if translated:
                lines.append(f"     {lab}: {translated}")
    if briefing.links:
        lines += ["", _label(briefing, _LINKS)] + [f"  {link}" for link in briefing.links]
    people = ", ".join(f"{p.name} ({p.messages})" for p in briefing.participants)
    lines += ["", _label(briefing, _PARTICIPANTS), "  " + people, ""]
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
    lines = [f"# {e(briefing.title or _label(briefing, _HEADING))}", ""]
    own, other, label = _own_other(briefing, briefing.summary)
    lines += [f"## {_label(briefing, _SUMMARY)}", "", e(own or none)]
    if other:
        lines += ["", f"*{label}:* {e(other)}"]
    for title, rows in _sections(briefing, locale):
        lines += ["", f"## {title}", ""]
        if not rows:
            lines.append(f"*{none}*")
        for n, (text, translated, lab, cite) in enumerate(rows, 1):
            lines.append(f"{n}. {e(text)} *({e(cite)})*")
            if translated:
                lines.append(f"   *{lab}:* {e(translated)}")
    if briefing.links:
        lines += ["", f"## {_label(briefing, _LINKS)}", ""] + [f"- <{link}>" for link in briefing.links]
    people = ", ".join(f"{e(p.name)} ({p.messages})" for p in briefing.participants)
    lines += ["", f"## {_label(briefing, _PARTICIPANTS)}", "", people, ""]
    for note in briefing.notes:
        lines += [f"> {e(note_text(note, locale))}", ""]
    language = language_name(briefing.language, locale)
    lines.append(f"*{language} · {e(translator_line(briefing, locale))} · {e(stats_line(briefing, locale))}*")
    return "\n".join(lines) + "\n"


__all__ = ["render_discussion_markdown", "render_discussion_text"]

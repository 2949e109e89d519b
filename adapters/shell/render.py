"""Render a ``Briefing`` for a terminal (plain text) or as Markdown.

Every renderer takes the reader's ``locale`` (the bot's own words: notes, footers) and the
channel's display settings, ``zh`` (the Chinese script) and ``order`` (which language first, or
only one), applied by ``bot.chat.display``. The defaults give the output shown in the README.
"""

from __future__ import annotations

import re

from bot.briefing import Briefing, heading, language_name, note_text, translator_line
from bot.chat.display import SIDE_TAGS, Display, Side, chinese_script, for_display, in_script
from bot.chat.i18n import N_, ntr, tr
from bot.chat.settings import Order, Script
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


#: Beside a keyword the glossary has no entry for.


def stats_line(briefing: Briefing, locale: str = "en") -> str:
    s = briefing.stats
    parts = [
        ntr(locale, "{count} input character", "{count} input characters", s.input_chars, count=f"{s.input_chars:,}"),
        tr(locale, "{count} after cleaning", count=f"{s.clean_chars:,}"),
        ntr(locale, "{n} sentence", "{n} sentences", s.sentences),
        ntr(
            locale,
            "{n} duplicate passage removed ({sentences} sentences)",
            "{n} duplicate passages removed ({sentences} sentences)",
            s.duplicates_removed,
            sentences=s.duplicate_sentences,
        ),
    ]
    if s.boilerplate_removed:
        parts.append(
            ntr(locale, "{n} boilerplate line dropped", "{n} boilerplate lines dropped", s.boilerplate_removed)
        )
    return " · ".join(parts)


def _shown(briefing: Briefing, zh: Script | None, order: Order | None) -> Display:
    return for_display(briefing, zh=zh, order=order)


def _pair_lines(d: Display, zh: str | None, en: str | None, locale: str) -> list[tuple[Side | None, str]]:
    """The main text (no tag) then the other language's, tagged (EN: …, 中文: …)."""
    sides = d.sides(zh, en)
    if not sides:
        return [(None, tr(locale, "(none)"))]
    main, *rest = sides
    return [(None, main[1]), *((side, text) for side, text in rest)]


def _tag(side: Side | None) -> str:
    return f"{SIDE_TAGS[side]}: " if side else ""


def render_text(briefing: Briefing, locale: str = "en", *, zh: Script | None = None, order: Order | None = None) -> str:
    d = _shown(briefing, zh, order)
    b = d.briefing
    title = heading(b, locale)
    lines = [title, "=" * min(60, max(10, len(title) * 2)), ""]
    lines.append(d.label("summary"))
    lines += [f"  {_tag(side)}{text}" for side, text in _pair_lines(d, b.summary.zh, b.summary.en, locale)]
    lines += ["", d.label("key_points")]
    for n, point in enumerate(b.key_points, 1):
        for i, (side, text) in enumerate(_pair_lines(d, point.zh, point.en, locale)):
            lines.append(f"  {n}. {text}" if i == 0 else f"     {_tag(side)}{text}")
    lines += ["", d.label("keywords")]
    for term, beside, _ in d.keyword_lines(locale):
        lines.append(f"  {term} — {beside}" if beside else f"  {term}")
    lines.append("")
    for note in b.notes:
        lines.append(tr(locale, "Note: {note}", note=note_text(note, locale)))
    lines.append(
        tr(
            locale,
            "Language: {language} · {translator}",
            language=language_name(b.language, locale),
            translator=translator_line(b, locale),
        )
    )
    lines.append(tr(locale, "Source: {source}", source=b.source))
    lines.append(tr(locale, "Stats: {stats}", stats=stats_line(b, locale)))
    return "\n".join(lines) + "\n"


def render_point_replies(
    briefing: Briefing, locale: str = "en", *, zh: Script | None = None, order: Order | None = None
) -> str:
    """The thread replies of ``/brief thread``: one per key point, with the sentence it came from."""
    d = _shown(briefing, zh, order)
    lines = []
    for n, point in enumerate(d.briefing.key_points, 1):
        for i, (side, text) in enumerate(_pair_lines(d, point.zh, point.en, locale)):
            if i == 0:
                cited = tr(locale, "(sentence {n})", n=point.source_index + 1)
                lines.append(f"  ↳ {n}. {text}  {cited}")
            else:
                lines.append(f"       {_tag(side)}{text}")
    return "\n".join(["[thread]", *lines]) + "\n"


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(
    briefing: Briefing, locale: str = "en", *, zh: Script | None = None, order: Order | None = None
) -> str:
    e = md_escape
    d = _shown(briefing, zh, order)
    b = d.briefing
    lines = [f"# {e(heading(b, locale))}", "", f"## {d.label('summary')}", ""]
    for side, text in _pair_lines(d, b.summary.zh, b.summary.en, locale):
        lines += [e(text)] if side is None else ["", f"*{SIDE_TAGS[side]}:* {e(text)}"]
    lines += ["", f"## {d.label('key_points')}", ""]
    for n, point in enumerate(b.key_points, 1):
        for side, text in _pair_lines(d, point.zh, point.en, locale):
            lines.append(f"{n}. {e(text)}" if side is None else f"   *{SIDE_TAGS[side]}:* {e(text)}")
    lines += ["", f"## {d.label('keywords')}", ""]
    for term, beside, note in d.keyword_lines(locale):
        if beside is None:
            lines.append(f"- **{e(term)}**")
        else:
            lines.append(f"- **{e(term)}** — " + (f"*{e(beside)}*" if note else e(beside)))
    lines.append("")
    for note in b.notes:
        lines += [f"> {e(note_text(note, locale))}", ""]
    footer = tr(
        locale,
        "{language} · {translator} · source: {source} · {stats}",
        language=language_name(b.language, locale),
        translator=e(translator_line(b, locale)),
        source=e(b.source),
        stats=e(stats_line(b, locale)),
    )
    lines.append(f"*{footer}*")
    return "\n".join(lines) + "\n"


def render_json(briefing: Briefing, *, zh: Script | None = None) -> dict:
    """The JSON shape, with the Chinese side in ``zh``'s script (order is for reading, not data)."""
    return for_display(briefing, zh=zh).briefing.to_dict()


#: The same words as ``bot.schedule.digest.NOTHING_NEW``, marked for the catalogue here.
_NOTHING_NEW = N_("Nothing new today.")


def render_digest(digest: Digest, locale: str = "en", *, zh: Script | None = None, order: Order | None = None) -> str:
    """A digest for the terminal: one line per article, then each briefing (or its points)."""
    head = tr(locale, "Daily briefing {label} (schedule {id})", label=digest.label, id=digest.schedule_id)
    lines = [head, "-" * len(head)]
    if digest.empty:
        lines.append(tr(locale, NOTHING_NEW))
        return "\n".join(lines) + "\n"
    for n, item in enumerate(digest.items, 1):
        zh_sentence, en_sentence = item.one_sentence()
        d = _shown(item.briefing, zh, order)
        headline = in_script(item.headline, d.script, chinese_script(item.briefing))
        lines.append(f"{n}. {headline}")
        zh_sentence = in_script(zh_sentence, d.script, chinese_script(item.briefing))
        for _side, sentence in d.sides(zh_sentence, en_sentence):
            lines.append(f"   {sentence}")
        if item.url:
            lines.append(f"   {item.url}")
    for n, item in enumerate(digest.items, 1):
        lines.append("")
        headline = in_script(item.headline, _shown(item.briefing, zh, order).script, chinese_script(item.briefing))
        lines.append(f"[thread] {n}. {headline}")
        if digest.thread:
            replies = render_point_replies(item.briefing, locale, zh=zh, order=order)
            lines.append(replies.rstrip().removeprefix("[thread]\n"))
        else:
            lines.append("  " + render_text(item.briefing, locale, zh=zh, order=order).rstrip().replace("\n", "\n  "))
    return "\n".join(lines) + "\n"

"""Render a ``Briefing`` as Discord embeds, thread messages and help.

Every message this module produces respects Discord's limits (``limits.py``). A briefing
too big for one message is split across several, in order; nothing is cut silently.
Article text is escaped so its Markdown cannot change what is shown; pings are stopped
where they must be, by ``allowed_mentions`` on every send (``deliver.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import discord
from discord.utils import escape_markdown, escape_mentions

from adapters.discord import limits
from adapters.discussion import (
    action_extras,
    discussion_heading,
    other,
    other_label,
    own,
    sections_of,
    stats_sentence,
    translator_sentence,
)
from bot.briefing import LANGUAGE_NAMES, Briefing, heading, other_language, translator_line
from bot.chat.commands import HELP_FOOTER, help_lines
from bot.text.discussion import ActionItem, Cited, DiscussionBriefing

COLOUR = discord.Colour.blurple()
# A [ or ] after an even number of backslashes (none, or escaped backslashes) is unescaped.
_MENTION_MARKUP = re.compile(r"<([@#])")
_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*[\[\]])")


def safe(text: str) -> str:
    """Article text as literal Discord text: Markdown escaped, every masked link's brackets too,
    @everyone/@here defused.

    ``discord.utils.escape_markdown`` escapes only the first ``[`` of a line's masked links, so
    ``[a](u1) and [b](u2)`` would keep the second one live: every bracket not yet escaped is.
    """
    return defused(_BRACKET.sub(r"\\\1", escape_markdown(text)))


def defused(text: str) -> str:
    """@everyone, @here and <@…>, <#…> of any length broken up: text that can never mention anyone."""
    return _MENTION_MARKUP.sub("<\u200b\\1", escape_mentions(text))


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    value: str


def _named(name: str, values: list[str]) -> list[_Field]:
    """Fields for ``values`` in order: the first is ``name``, the others "``name`` (cont.)"."""
    first = limits.shorten(name, limits.FIELD_NAME)
    later = limits.shorten(f"{name} (cont.)", limits.FIELD_NAME)
    return [_Field(first if i == 0 else later, value) for i, value in enumerate(values)]


def _fields(name: str, text: str) -> list[_Field]:
    """One field, or several when ``text`` is longer than a field value may be."""
    return _named(name, limits.split_text(text, limits.FIELD_VALUE))


def _line_fields(name: str, lines: list[str]) -> list[_Field]:
    """Whole lines packed into as few fields as fit; a line too long for a field is split."""
    values: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limits.FIELD_VALUE:
            current = candidate
            continue
        if current:
            values.append(current)
        *whole, current = limits.split_text(line, limits.FIELD_VALUE)
        values += whole
    if current:
        values.append(current)
    return _named(name, values)


def _body_fields(briefing: Briefing) -> list[_Field]:
    out: list[_Field] = []
    other_summary = briefing.other(briefing.summary.zh, briefing.summary.en)
    if other_summary:
        label = "中文摘要 Chinese summary" if briefing.language == "en" else "English summary"
        if briefing.is_glossary:
            label += " (glossary)"
        out += _fields(label, safe(other_summary))
    for n, point in enumerate(briefing.key_points, 1):
        text = safe(briefing.own(point.zh, point.en) or "")
        translated = briefing.other(point.zh, point.en)
        if translated:
            text += f"\n*{other_language(briefing, short=True)}:* {safe(translated)}"
        out += _fields(f"Key point {n} 重點", text or "(empty)")
    if briefing.keywords:
        lines = []
        for k in briefing.keywords:
            gloss = briefing.other(k.zh, k.en)
            lines.append(f"**{safe(k.term)}** — {safe(gloss) if gloss else '*(not in the glossary)*'}")
        if briefing.is_glossary:
            other = "Chinese" if briefing.language == "en" else "English"
            name = f"Key terms 關鍵詞 · {other} glossary ({briefing.translator.name}), not a translation"
        else:
            name = "Keywords 關鍵詞"
        out += _line_fields(name, lines)
    return out


def _footer(briefing: Briefing) -> str:
    """Plain text (footers render no Markdown and ping no one); mentions defused all the same."""
    notes = [defused(note) for note in briefing.notes]
    head = "\n".join([*notes, f"{LANGUAGE_NAMES[briefing.language]} · {translator_line(briefing)}"])
    if len(head) > limits.FOOTER // 2:  # notes are one sentence each; this only guards against odd input
        head = head[: limits.FOOTER // 2 - 1] + "…"
    source = limits.shorten(defused(briefing.source), limits.FOOTER - len(head) - len("\nSource: "))
    return f"{head}\nSource: {source}"


def _source_url(briefing: Briefing) -> str | None:
    source = briefing.source
    if source.lower().startswith(("http://", "https://")) and len(source) <= 2048 and " " not in source:
        return source
    return None


@dataclass
class _Message:
    embeds: list[discord.Embed] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(len(e) for e in self.embeds)


class _Packer:
    """Fill embeds and messages in order, opening a new one whenever a limit would be crossed."""

    def __init__(self, title: str, url: str | None, reserve: int) -> None:
        self.title = title
        self.url = url
        #: Room kept free in every message for the footer, which goes on the last embed.
        self.budget = limits.EMBEDS_TOTAL - reserve
        self.messages: list[_Message] = []

    def _new_message(self) -> discord.Embed:
        first = not self.messages
        title = self.title if first else limits.shorten(f"{self.title} (cont.)", limits.TITLE)
        embed = discord.Embed(title=title, url=self.url if first else None, colour=COLOUR)
        self.messages.append(_Message([embed]))
        return embed

    def _room(self, extra: int, *, new_embed: bool) -> discord.Embed:
        """The embed to add ``extra`` characters to, opening a new embed or message if needed."""
        if not self.messages:
            return self._new_message()
        message = self.messages[-1]
        embed = message.embeds[-1]
        if message.chars + extra > self.budget:
            return self._new_message()
        if new_embed or len(embed.fields) >= limits.FIELDS:
            if len(message.embeds) >= limits.EMBEDS_PER_MESSAGE:
                return self._new_message()
            embed = discord.Embed(colour=COLOUR)
            message.embeds.append(embed)
        return embed

    def add_description(self, text: str) -> None:
        if not self.messages:
            self._new_message().description = text
        else:
            self._room(len(text), new_embed=True).description = text

    def add_field(self, f: _Field) -> None:
        self._room(len(f.name) + len(f.value), new_embed=False).add_field(name=f.name, value=f.value, inline=False)


def briefing_messages(briefing: Briefing) -> list[list[discord.Embed]]:
    """The briefing as messages (each a list of embeds), in the order they should be posted."""
    full_title = safe(heading(briefing))
    title = limits.shorten(full_title, limits.TITLE)
    summary = briefing.own(briefing.summary.zh, briefing.summary.en)
    description = safe(summary) if summary else "*(no summary)*"
    if len(full_title) > limits.TITLE:  # the title did not fit: keep it whole in the text
        description = f"**{full_title}**\n\n{description}"
    footer = _footer(briefing)

    packer = _Packer(title, _source_url(briefing), reserve=len(footer))
    # A description must fit in a message beside a title and the footer kept free.
    piece_limit = min(limits.DESCRIPTION, packer.budget - limits.TITLE)
    for piece in limits.split_text(description, piece_limit):
        packer.add_description(piece)
    for f in _body_fields(briefing):
        packer.add_field(f)
    packer.messages[-1].embeds[-1].set_footer(text=footer)
    return [m.embeds for m in packer.messages]


def thread_name(briefing: Briefing) -> str:
    """Thread names are plain text (no Markdown, no pings), at most 100 characters."""
    return limits.shorten(heading(briefing), limits.THREAD_NAME)


def thread_messages(briefing: Briefing) -> list[list[str]]:
    """One entry per key point, for discussion in the thread: the point in both languages
    where present and the sentence it came from. An entry is one message, or several
    when a point is longer than a message may be."""
    out = []
    for n, point in enumerate(briefing.key_points, 1):
        lines = [f"**{n}.** {safe(briefing.own(point.zh, point.en) or '')}"]
        translated = briefing.other(point.zh, point.en)
        if translated:
            lines.append(f"*{other_language(briefing, short=True)}:* {safe(translated)}")
        # source_index counts from 0; people count sentences from 1.
        lines.append(f"-# sentence {point.source_index + 1} of the cleaned article")
        out.append(limits.split_text("\n".join(lines), limits.CONTENT))
    return out


def help_embed(command: str = "/brief") -> discord.Embed:
    """The command forms, from the shared command language, in Discord's option syntax."""
    # Everything ``bot.chat.commands.parse`` accepts works in the text option.
    lines = [f"`{usage}` — {what}" for usage, what in help_lines(f"{command} text:")]
    lines.append(f"`{command} url: <link>` — brief the article at an http(s) link")
    lines.append("Add `thread: True` to either to discuss each key point in a thread.")
    embed = discord.Embed(title="briefbot: bilingual news briefings", description="\n".join(lines), colour=COLOUR)
    embed.set_footer(text=HELP_FOOTER)
    return embed


def error_content(sentence: str) -> str:
    """An error sentence as message content (one line, within the content limit)."""
    return limits.shorten(sentence, limits.CONTENT)


# -- discussion briefings ------------------------------------------------------------------

_PERMALINK = re.compile(r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/[0-9@me]+/\d+/\d+")
_HTTP_URL = re.compile(r"https?://[^\s<>()\[\]]+", re.IGNORECASE)


def citation(item: Cited) -> str:
    """``— author, #n``, the number a link to the message when its permalink is a Discord one."""
    number = f"#{item.index}"
    if item.permalink and _PERMALINK.fullmatch(item.permalink):
        number = f"[{number}](<{item.permalink}>)"
    return f"— {safe(item.author)}, {number}"


def _cited_line(briefing: DiscussionBriefing, number: int, item: Cited) -> str:
    line = f"**{number}.** {safe(own(briefing, item.text))} {citation(item)}"
    translated = other(briefing, item.text)
    if translated and not briefing.is_glossary:
        line += f"\n*{'中文' if briefing.language == 'en' else 'EN'}:* {safe(translated)}"
    return line


def _action_line(briefing: DiscussionBriefing, number: int, item: ActionItem) -> str:
    extras = "".join(f" · **{label}:** {safe(value)}" for label, value in action_extras(item))
    return _cited_line(briefing, number, item.what) + extras


def _shared_link(url: str) -> str:
    # A bare link (in <> so it gets no preview); anything else is literal text.
    return f"<{url}>" if _HTTP_URL.fullmatch(url) and len(url) <= 1000 else safe(url)


def _discussion_fields(briefing: DiscussionBriefing) -> list[_Field]:
    out: list[_Field] = []
    people = ", ".join(f"{safe(p.name)} ({p.messages})" for p in briefing.participants)
    if people:
        out += _fields("Participants 參與者", people)
    translated = other(briefing, briefing.summary)
    if translated:
        out += _fields(other_label(briefing), safe(translated))
    for label, items in sections_of(briefing):
        if items:
            out += _line_fields(label, [_cited_line(briefing, n, c) for n, c in enumerate(items, 1)])
    if briefing.action_items:
        lines = [_action_line(briefing, n, a) for n, a in enumerate(briefing.action_items, 1)]
        out += _line_fields("Action items 待辦", lines)
    if briefing.links:
        out += _line_fields("Links 連結", [_shared_link(url) for url in briefing.links])
    return out


def _discussion_footer(briefing: DiscussionBriefing) -> str:
    lines = [defused(note) for note in briefing.notes]
    lines.append(f"{stats_sentence(briefing)} · {LANGUAGE_NAMES.get(briefing.language, briefing.language)}")
    lines.append(translator_sentence(briefing))
    return limits.shorten(" · ".join(lines), limits.FOOTER // 2)


def discussion_messages(briefing: DiscussionBriefing) -> list[list[discord.Embed]]:
    """A discussion briefing as messages (each a list of embeds), in the order they should be posted."""
    full_title = safe(discussion_heading(briefing))
    title = limits.shorten(full_title, limits.TITLE)
    summary = own(briefing, briefing.summary)
    description = safe(summary) if summary else "*(no summary)*"
    footer = _discussion_footer(briefing)
    packer = _Packer(title, None, reserve=len(footer))
    for piece in limits.split_text(description, min(limits.DESCRIPTION, packer.budget - limits.TITLE)):
        packer.add_description(piece)
    for f in _discussion_fields(briefing):
        packer.add_field(f)
    packer.messages[-1].embeds[-1].set_footer(text=footer)
    return [m.embeds for m in packer.messages]

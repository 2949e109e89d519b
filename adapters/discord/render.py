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
from adapters.discussion import action_extras, other, own, replaces_words, stats_words
from bot.briefing import (
    LANGUAGE_NAMES,
    Briefing,
    heading,
    language_name,
    note_text,
    translator_line,
    translator_phrase,
)
from bot.chat.commands import help_footer, help_lines
from bot.chat.display import SIDE_TAGS, Display
from bot.chat.i18n import N_, tr
from bot.chat.settings import DEFAULT_REACTION
from bot.text.discussion import ActionItem, Cited, DiscussionBriefing

COLOUR = discord.Colour.blurple()
_MENTION_MARKUP = re.compile(r"<([@#])")
# A [ or ] after an even number of backslashes (none, or escaped backslashes) is unescaped.
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
    #: A continuation of the field before (the packer names it "``name`` (cont.)" in the reader's words).
    more: bool = False


def _named(name: str, values: list[str]) -> list[_Field]:
    """Fields for ``values`` in order: the first is ``name``, the others its continuations."""
    return [_Field(name, value, i > 0) for i, value in enumerate(values)]


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


def _sided(d: Display, zh: str | None, en: str | None, locale: str) -> str:
    """A zh/en pair as the channel shows it: the first language, then the other tagged (*EN:* …)."""
    sides = d.sides(zh, en)
    if not sides:
        return tr(locale, "(empty)")
    (_, main), *rest = sides
    return "\n".join([safe(main), *(f"*{SIDE_TAGS[side]}:* {safe(text)}" for side, text in rest)])


def _body_fields(d: Display, locale: str) -> list[_Field]:
    b = d.briefing
    out: list[_Field] = []
    for side, text in d.sides(b.summary.zh, b.summary.en)[1:]:  # the first is the description
        out += _fields(d.label("summary"), f"*{SIDE_TAGS[side]}:* {safe(text)}")
    for n, point in enumerate(b.key_points, 1):
        out += _fields(f"{d.label('key_points')} · {n}", _sided(d, point.zh, point.en, locale))
    if b.keywords:
        lines = []
        for term, beside, note in d.keyword_lines(locale):
            if beside is None:
                lines.append(f"**{safe(term)}**")
            else:
                lines.append(f"**{safe(term)}** — " + (f"*{beside}*" if note else safe(beside)))
        name = d.label("keywords")
        if b.is_glossary:
            name = tr(locale, "{label} · glossary ({name}), not a translation", label=name, name=b.translator.name)
        out += _line_fields(name, lines)
    return out


def _footer(b: Briefing, locale: str) -> str:
    """Plain text (footers render no Markdown and ping no one); mentions defused all the same."""
    notes = [defused(note_text(note, locale)) for note in b.notes]
    head = "\n".join([*notes, f"{language_name(b.language, locale)} · {translator_line(b, locale)}"])
    if len(head) > limits.FOOTER // 2:  # notes are one sentence each; this only guards against odd input
        head = head[: limits.FOOTER // 2 - 1] + "…"
    room = limits.FOOTER - len(head) - len(tr(locale, "Source: {source}", source="")) - 1
    return head + "\n" + tr(locale, "Source: {source}", source=limits.shorten(defused(b.source), room))


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

    def __init__(self, title: str, url: str | None, reserve: int, more: str) -> None:
        self.title = title
        self.url = url
        #: How a continued title or field is marked: "(cont.)" in the reader's words.
        self.more = more
        #: Room kept free in every message for the footer, which goes on the last embed.
        self.budget = limits.EMBEDS_TOTAL - reserve
        self.messages: list[_Message] = []

    def _new_message(self) -> discord.Embed:
        first = not self.messages
        title = self.title if first else limits.shorten(f"{self.title} {self.more}", limits.TITLE)
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
        name = limits.shorten(f"{f.name} {self.more}" if f.more else f.name, limits.FIELD_NAME)
        self._room(len(name) + len(f.value), new_embed=False).add_field(name=name, value=f.value, inline=False)


def briefing_messages(d: Display, locale: str = "en") -> list[list[discord.Embed]]:
    """The briefing as the channel shows it (``d``: script and order), the bot's words in ``locale``:
    messages (each a list of embeds), in the order they should be posted."""
    b = d.briefing
    full_title = safe(heading(b, locale))
    title = limits.shorten(full_title, limits.TITLE)
    summary = d.sides(b.summary.zh, b.summary.en)
    description = safe(summary[0][1]) if summary else f"*{tr(locale, '(no summary)')}*"
    if len(full_title) > limits.TITLE:  # the title did not fit: keep it whole in the text
        description = f"**{full_title}**\n\n{description}"
    footer = _footer(b, locale)

    packer = _Packer(title, _source_url(b), reserve=len(footer), more=tr(locale, "(cont.)"))
    # A description must fit in a message beside a title and the footer kept free.
    piece_limit = min(limits.DESCRIPTION, packer.budget - limits.TITLE)
    for piece in limits.split_text(description, piece_limit):
        packer.add_description(piece)
    for f in _body_fields(d, locale):
        packer.add_field(f)
    packer.messages[-1].embeds[-1].set_footer(text=footer)
    return [m.embeds for m in packer.messages]


def thread_name(d: Display, locale: str = "en") -> str:
    """Thread names are plain text (no Markdown, no pings), at most 100 characters."""
    return limits.shorten(heading(d.briefing, locale), limits.THREAD_NAME)


def thread_messages(d: Display, locale: str = "en") -> list[list[str]]:
    """One entry per key point, for discussion in the thread: the point in the channel's languages
    and order, and the sentence it came from. An entry is one message, or several when a point is
    longer than a message may be."""
    out = []
    for n, point in enumerate(d.briefing.key_points, 1):
        text = _sided(d, point.zh, point.en, locale)
        # source_index counts from 0; people count sentences from 1.
        cited = tr(locale, "sentence {n} of the cleaned article", n=point.source_index + 1)
        out.append(limits.split_text(f"**{n}.** {text}\n-# {cited}", limits.CONTENT))
    return out


def help_embed(locale: str = "en", command: str = "/brief") -> discord.Embed:
    """The command forms, from the shared command language, in Discord's option syntax."""
    # Everything ``bot.chat.commands.parse`` accepts works in the text option.
    forms = help_lines(f"{command} text:", locale, more=True)
    forms.insert(
        2, (tr(locale, "{command} url: <link>", command=command), tr(locale, "brief the article at an http(s) link"))
    )
    forms.insert(
        3,
        (
            tr(locale, "{command} attachment: <file>", command=command),
            tr(locale, "brief a .txt, .md or .html file, for articles longer than the text option takes"),
        ),
    )
    lines = [f"`{usage}` — {what}" for usage, what in forms]
    lines.append(
        tr(
            locale,
            "Add `thread: True` to discuss each key point in a thread, or `private: True` to see the briefing alone.",
        )
    )
    lines.append(
        tr(
            locale,
            "Admins can turn on reactions with `{command} text: settings reactions=on`; "
            "then {emoji} on a message with a link briefs it in a thread.",
            command=command,
            emoji=DEFAULT_REACTION,
        )
    )
    title = tr(locale, "briefbot: bilingual news briefings")
    embed = discord.Embed(title=title, description="\n".join(lines), colour=COLOUR)
    embed.set_footer(text=help_footer(locale))
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


def _cited_line(briefing: DiscussionBriefing, number: int, item: Cited, locale: str) -> str:
    line = f"**{number}.** {safe(own(briefing, item.text))} {citation(item)}"
    changed = replaces_words(item, locale)
    if changed:
        line += f" ({safe(changed)})"
    translated = other(briefing, item.text)
    if translated and not briefing.is_glossary:
        line += f"\n*{'中文' if briefing.language == 'en' else 'EN'}:* {safe(translated)}"
    return line


#: The discussion's sections in the order they are shown, in the reader's words.
_SECTIONS = (
    ("key_points", N_("Key points")),
    ("decisions", N_("Decisions")),
    ("open_questions", N_("Open questions")),
)
#: Who and when beside an action item.
_EXTRAS = {"who": N_("who"), "due": N_("due")}


def _action_line(briefing: DiscussionBriefing, number: int, item: ActionItem, locale: str) -> str:
    extras = "".join(
        f" · **{tr(locale, _EXTRAS.get(label, label))}:** {safe(value)}" for label, value in action_extras(item)
    )
    return _cited_line(briefing, number, item.what, locale) + extras


def _shared_link(url: str) -> str:
    # A bare link (in <> so it gets no preview); anything else is literal text.
    return f"<{url}>" if _HTTP_URL.fullmatch(url) and len(url) <= 1000 else safe(url)


def _other_label(briefing: DiscussionBriefing, locale: str) -> str:
    language = tr(locale, "Chinese") if briefing.language == "en" else tr(locale, "English")
    if briefing.is_glossary:
        return tr(locale, "{language} (glossary, not a translation)", language=language)
    return language


def _discussion_fields(briefing: DiscussionBriefing, locale: str) -> list[_Field]:
    out: list[_Field] = []
    people = ", ".join(f"{safe(p.name)} ({p.messages})" for p in briefing.participants)
    if people:
        out += _fields(tr(locale, "Participants"), people)
    translated = other(briefing, briefing.summary)
    if translated:
        out += _fields(_other_label(briefing, locale), safe(translated))
    for attribute, label in _SECTIONS:
        items = getattr(briefing, attribute)
        if items:
            lines = [_cited_line(briefing, n, c, locale) for n, c in enumerate(items, 1)]
            out += _line_fields(tr(locale, label), lines)
    if briefing.action_items:
        lines = [_action_line(briefing, n, a, locale) for n, a in enumerate(briefing.action_items, 1)]
        out += _line_fields(tr(locale, "Action items"), lines)
    if briefing.links:
        out += _line_fields(tr(locale, "Links"), [_shared_link(url) for url in briefing.links])
    return out


def _discussion_footer(briefing: DiscussionBriefing, locale: str) -> str:
    lines = [defused(note_text(note, locale)) for note in briefing.notes]
    language = language_name(briefing.language, locale) if briefing.language in LANGUAGE_NAMES else briefing.language
    lines.append(f"{tr(locale, ', ').join(stats_words(briefing, locale))} · {language}")
    lines.append(translator_phrase(briefing.translator, briefing.language, locale))
    return limits.shorten(" · ".join(lines), limits.FOOTER // 2)


def discussion_messages(briefing: DiscussionBriefing, locale: str = "en") -> list[list[discord.Embed]]:
    """A discussion briefing as messages (each a list of embeds), in the order they should be posted;
    the headings and footer in ``locale``."""
    full_title = safe(briefing.title or tr(locale, "Discussion briefing"))
    title = limits.shorten(full_title, limits.TITLE)
    summary = own(briefing, briefing.summary)
    description = safe(summary) if summary else f"*{tr(locale, '(no summary)')}*"
    footer = _discussion_footer(briefing, locale)
    packer = _Packer(title, None, reserve=len(footer), more=tr(locale, "(cont.)"))
    for piece in limits.split_text(description, min(limits.DESCRIPTION, packer.budget - limits.TITLE)):
        packer.add_description(piece)
    for f in _discussion_fields(briefing, locale):
        packer.add_field(f)
    packer.messages[-1].embeds[-1].set_footer(text=footer)
    return [m.embeds for m in packer.messages]

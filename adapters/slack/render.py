"""Render a ``Briefing`` as Slack Block Kit messages, in the reader's locale and the channel's display.

The bot's own words (labels, footers, part markers, help) come from the catalogues in
``locale``; the briefing itself is shown as the channel's settings say (``zh``: the Chinese
side's script; ``order``: which language first, or only one), through ``bot.chat.display``.

Every piece of text that came from an article or a user goes through ``escape_mrkdwn``, so
nothing in it can become a ping (``<!channel>``, ``<@U…>``) or a link (``<url|label>``). The
only markup in a message is ours: bold labels, the source link and the feedback buttons.
"""

from __future__ import annotations

import re

from adapters.discussion import (
    ACTION_ITEMS,
    DECISIONS,
    HEADING,
    KEY_POINTS,
    LINKS,
    OPEN_QUESTIONS,
    PARTICIPANTS,
    SUMMARY,
    both_languages,
    other,
    own,
    replaces_words,
    stats_words,
)
from adapters.slack.layout import (
    MARKER_RESERVE_CHARS,
    MAX_BLOCKS,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_MESSAGE_CHARS,
    Block,
    SlackMessage,
    contexts,
    header,
    json_len,
    paginate,
    sections,
    truncate,
)
from bot.briefing import Briefing, heading, language_name, note_text, translator_line, translator_phrase
from bot.chat.commands import help_footer, help_lines
from bot.chat.display import Display, Side, for_display
from bot.chat.i18n import N_, tr
from bot.chat.settings import Order, Script
from bot.text.discussion import ActionItem, Cited, DiscussionBriefing
from bot.translate.glossary import GLOSSARY_NOTE, GLOSSARY_NOTE_ZH

#: A source link longer than this is shown as its host only (said so), never cut mid-URL.
_MAX_LINK = 1000
# Slack pings only through <!channel> markup, which escaping already defuses; a word joiner
# after the @ also keeps a plainly written @everyone from ever being read as one.
_PLAIN_PINGS = re.compile(r"@(?=(?:everyone|channel|here)\b)", re.IGNORECASE)
_GLOSSARY_NOTES = {GLOSSARY_NOTE, GLOSSARY_NOTE_ZH}
_HTTP_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)

#: The feedback buttons' action ids; their value is the briefing's key in the store.
VOTE_UP = "vote_up"
VOTE_DOWN = "vote_down"
#: The names of the two languages, as the reader calls them (a label over the second language).
_SIDE_NAMES: dict[Side, str] = {"en": N_("English"), "zh": N_("Chinese")}
NONE = N_("(none)")


def escape_mrkdwn(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` (Slack's control characters) and defuse plain @everyone/@channel/@here."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PLAIN_PINGS.sub("@\u2060", escaped)


e = escape_mrkdwn


def _fallback(text: str) -> str:
    return truncate(e(text), MAX_FALLBACK_TEXT)[0]


def side_name(side: Side, locale: str) -> str:
    return tr(locale, _SIDE_NAMES[side])


def render_briefing(
    briefing: Briefing,
    locale: str = "en",
    *,
    zh: Script | None = None,
    order: Order | None = None,
    feedback: str | None = None,
) -> list[SlackMessage]:
    """The briefing as one message, or several when it does not fit one (nothing is dropped).

    ``feedback`` (the briefing's key in the store) ends the last message with 👍 / 👎 buttons.
    """
    d = for_display(briefing, zh=zh, order=order)
    b = d.briefing
    title = heading(b, locale)
    shown, cut = truncate(e(title), MAX_HEADER_TEXT)
    blocks: list[Block] = [header(shown)]
    if cut and b.title:
        blocks += sections([e(b.title)], lead=f"*{tr(locale, 'Title')}*")
    blocks += _summary_blocks(d, locale)
    blocks += _key_point_blocks(d, locale)
    blocks += _keyword_blocks(d, locale)
    blocks += _footer_blocks(b, locale)

    sides = d.sides(b.summary.zh, b.summary.en)
    summary = sides[0][1] if sides else ""
    # Without a title the heading is the start of the text: do not say it twice.
    repeats = summary.startswith(title.removesuffix("…"))
    first_text = _fallback(summary if repeats else f"{title} — {summary}" if summary else title)
    pages = paginate(blocks)
    if feedback is not None:
        pages = _with_last(pages, feedback_block(feedback))
    return _as_messages(pages, locale, title=title, shown=shown, first_text=first_text)


def _with_last(pages: list[list[Block]], block: Block) -> list[list[Block]]:
    """``block`` at the end of the last page, or on a page of its own when that one is full
    (a later page also carries its "part i of n" marker)."""
    last = pages[-1]
    if len(last) + 2 <= MAX_BLOCKS and json_len([*last, block]) <= MAX_MESSAGE_CHARS - MARKER_RESERVE_CHARS:
        return [*pages[:-1], [*last, block]]
    return [*pages, [block]]


def feedback_block(key: str) -> Block:
    """👍 / 👎 buttons carrying the briefing's key (Slack allows 2,000 characters of value)."""
    buttons = [
        {
            "type": "button",
            "action_id": action,
            "text": {"type": "plain_text", "text": face, "emoji": True},
            "value": key,
        }
        for action, face in ((VOTE_UP, "👍"), (VOTE_DOWN, "👎"))
    ]
    return {"type": "actions", "block_id": "feedback", "elements": buttons}


def _as_messages(
    pages: list[list[Block]], locale: str, *, title: str, shown: str, first_text: str
) -> list[SlackMessage]:
    """Pages of blocks as messages; when there are several, each says which part it is."""
    if len(pages) == 1:
        return [SlackMessage(text=first_text, blocks=tuple(pages[0]))]
    count = len(pages)
    messages = []
    for number, page in enumerate(pages, 1):
        if number == 1:
            note = tr(locale, "Part 1 of {count}: the briefing continues in the next message.", count=count)
            messages.append(SlackMessage(text=first_text, blocks=(*page, *contexts([e(note)]))))
        else:
            part = tr(locale, "part {number} of {count}", number=number, count=count)
            marker = contexts([f"*{shown}* · {e(part)}"])
            text = _fallback(tr(locale, "{title} (part {number} of {count})", title=title, number=number, count=count))
            messages.append(SlackMessage(text=text, blocks=(*marker, *page)))
    return messages


def _own_side(d: Display) -> Side:
    return "en" if d.briefing.language == "en" else "zh"


def _summary_blocks(d: Display, locale: str) -> list[Block]:
    b = d.briefing
    sides = d.sides(b.summary.zh, b.summary.en)
    main = sides[0][1] if sides else tr(locale, NONE)
    blocks = sections([e(main)], lead=f"*{d.label('summary')}*")
    if b.is_glossary:
        # A glossary is no translation: its side gets the key terms, where the order shows it.
        if not d.only or d.first != _own_side(d):
            blocks += _key_terms_blocks(d, locale)
    elif len(sides) > 1:
        side, text = sides[1]
        blocks += sections([e(text)], lead=f"*{side_name(side, locale)}*")
    return blocks


def _key_terms_blocks(d: Display, locale: str) -> list[Block]:
    """With a glossary there is no translated summary: say so, and give the key terms instead."""
    b = d.briefing
    terms: list[str] = []
    for keyword in b.keywords:
        gloss = b.other(keyword.zh, keyword.en)
        first = gloss.split(";")[0].strip() if gloss else ""
        if first and first not in terms:
            terms.append(first)
    other_side: Side = "zh" if b.language == "en" else "en"
    label = tr(locale, "{language} key terms", language=side_name(other_side, locale))
    lead = f"*{e(label)}* {e(tr(locale, '(glossary, not a translation):'))}"
    return sections([" · ".join(e(t) for t in terms) or e(tr(locale, "(none in the glossary)"))], lead=lead)


def _pair_line(d: Display, number: int, zh: str | None, en: str | None, locale: str) -> str:
    sides = d.sides(zh, en)
    if not sides:
        return f"{number}. {e(tr(locale, NONE))}"
    (_, main), *rest = sides
    line = f"{number}. {e(main)}"
    for side, text in rest:
        line += f"\n      _{side_name(side, locale)}:_ {e(text)}"
    return line


def _key_point_blocks(d: Display, locale: str) -> list[Block]:
    items = [_pair_line(d, n, p.zh, p.en, locale) for n, p in enumerate(d.briefing.key_points, 1)]
    return sections(items, lead=f"*{d.label('key_points')}*") if items else []


def _keyword_blocks(d: Display, locale: str) -> list[Block]:
    pairs = [f"{e(term)} — {e(beside)}" if beside else e(term) for term, beside, _ in d.keyword_lines(locale)]
    return contexts(pairs, lead=f"*{d.label('keywords')}*") if pairs else []


def _footer_blocks(b: Briefing, locale: str) -> list[Block]:
    items = [
        tr(locale, "Source: {source}", source=source_markup(b.source, locale)),
        e(
            tr(
                locale,
                "Language: {language} · {translator}",
                language=language_name(b.language, locale),
                translator=translator_line(b, locale),
            )
        ),
        # The glossary's own note says what translator_line already says.
        *(e(note_text(note, locale)) for note in b.notes if note not in _GLOSSARY_NOTES),
    ]
    return [{"type": "divider"}, *contexts(items, sep=" · ")]


def source_markup(source: str, locale: str = "en") -> str:
    """An http(s) source as a link (our only markup); anything else as escaped text."""
    if not _HTTP_URL.match(source):
        return e(source)
    if len(source) > _MAX_LINK:
        host = source.split("/", 3)[2]
        return e(tr(locale, "{host} (the full link is too long to show)", host=host))
    return link_markup(source, truncate(e(source.split("://", 1)[1].replace("|", "%7C")), 80)[0])


def link_markup(url: str, label: str) -> str:
    """``<url|label>`` for an http(s) ``url`` and an already escaped ``label`` without a ``|``."""
    # Inside <url|label> a | ends the URL and > ends the link: encode and escape them.
    safe_url = url.replace("|", "%7C").replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E")
    return f"<{safe_url}|{label}>"


def render_point_replies(
    briefing: Briefing, locale: str = "en", *, zh: Script | None = None, order: Order | None = None
) -> list[list[SlackMessage]]:
    """One thread reply per key point (a point too long for one message takes several)."""
    d = for_display(briefing, zh=zh, order=order)
    total = len(d.briefing.key_points)
    replies = []
    for number, point in enumerate(d.briefing.key_points, 1):
        which = tr(locale, "Key point {number} of {total}", number=number, total=total)
        cited = tr(locale, "from sentence {n} of the article", n=point.source_index + 1)
        sides = d.sides(point.zh, point.en)
        main = sides[0][1] if sides else ""
        blocks = sections([e(main)], lead=f"*{e(which)}* · {e(cited)}")
        for side, text in sides[1:]:
            blocks += sections([e(text)], lead=f"*{side_name(side, locale)}:*")
        text = _fallback(tr(locale, "Key point {number}: {text}", number=number, text=main))
        replies.append([SlackMessage(text=text, blocks=tuple(page)) for page in paginate(blocks)])
    return replies


def render_help(prefix: str = "/brief", locale: str = "en", *, mention: str = "@briefbot") -> SlackMessage:
    """The help: every command form, the file and reaction ways in, and the glossary note."""
    pairs = [
        *help_lines(prefix, locale, more=True),
        (tr(locale, "{mention} + a .txt, .md or .html file", mention=mention), tr(locale, "brief the attached file")),
    ]
    lines = [f"`{e(usage)}` — {e(what)}" for usage, what in pairs]
    intro = tr(
        locale, "{name} turns a news article (Chinese or English) into a short bilingual briefing.", name="*briefbot*"
    )
    blocks = [*sections(lines, lead=intro), *contexts([e(help_footer(locale))])]
    text = "; ".join(f"{usage} — {what}" for usage, what in pairs)
    return SlackMessage(text=_fallback(text), blocks=tuple(blocks))


# -- discussion briefings ------------------------------------------------------------------

_SLACK_PERMALINK = re.compile(
    r"https://[a-z0-9-]+(?:\.enterprise)?\.slack\.com/archives/[A-Z0-9]+/p\d{16}(?:\?thread_ts=\d+\.\d+&cid=[A-Z0-9]+)?"
)
#: The share button's action id; its value is the key of the briefing waiting to be shared.
SHARE_ACTION = "share_discussion"


def discussion_heading(briefing: DiscussionBriefing) -> str:
    return briefing.title or both_languages(briefing, HEADING)


def _other_label(briefing: DiscussionBriefing, locale: str) -> str:
    name = side_name("zh" if briefing.language == "en" else "en", locale)
    return tr(locale, "{language} (glossary, not a translation)", language=name) if briefing.is_glossary else name


def render_discussion(
    briefing: DiscussionBriefing, locale: str = "en", *, share_key: str | None = None, share_label: str = ""
) -> list[SlackMessage]:
    """A discussion briefing as one message or several; with ``share_key``, the last one ends
    in a button that shares it (the ephemeral copy the user sees first)."""
    title = discussion_heading(briefing)
    shown, _cut = truncate(e(title), MAX_HEADER_TEXT)
    blocks: list[Block] = [header(shown)]
    people = [f"{e(p.name)} ({p.messages})" for p in briefing.participants]
    if people:
        blocks += contexts(people, lead=f"*{both_languages(briefing, PARTICIPANTS)}*")
    summary = own(briefing, briefing.summary)
    blocks += sections([e(summary or tr(locale, NONE))], lead=f"*{both_languages(briefing, SUMMARY)}*")
    translated = other(briefing, briefing.summary)
    if translated:
        blocks += sections([e(translated)], lead=f"*{e(_other_label(briefing, locale))}*")
    for label, items in (
        (KEY_POINTS, briefing.key_points),
        (DECISIONS, briefing.decisions),
        (OPEN_QUESTIONS, briefing.open_questions),
    ):
        if items:
            lines = [_cited_line(briefing, n, c, locale) for n, c in enumerate(items, 1)]
            blocks += sections(lines, lead=f"*{both_languages(briefing, label)}*")
    if briefing.action_items:
        lines = [_action_line(briefing, n, a, locale) for n, a in enumerate(briefing.action_items, 1)]
        blocks += sections(lines, lead=f"*{both_languages(briefing, ACTION_ITEMS)}*")
    if briefing.links:
        blocks += sections([_shared_link(url) for url in briefing.links], lead=f"*{both_languages(briefing, LINKS)}*")
    footer = [
        e(" · ".join(stats_words(briefing, locale))),
        e(
            tr(
                locale,
                "Language: {language} · {translator}",
                language=language_name(briefing.language, locale) if briefing.language in _LANGS else briefing.language,
                translator=translator_phrase(briefing.translator, briefing.language, locale),
            )
        ),
        *(e(note_text(n, locale)) for n in briefing.notes if n not in _GLOSSARY_NOTES),
    ]
    blocks += [{"type": "divider"}, *contexts(footer, sep=" · ")]
    if share_key is not None:
        blocks.append(share_block(share_key, share_label or tr(locale, "Share in the thread")))
    first_text = _fallback(f"{title} — {summary}" if summary else title)
    return _as_messages(paginate(blocks), locale, title=title, shown=shown, first_text=first_text)


_LANGS = {"en", "zh-Hant", "zh-Hans"}


def share_block(key: str, label: str) -> Block:
    button = {
        "type": "button",
        "action_id": SHARE_ACTION,
        "text": {"type": "plain_text", "text": label, "emoji": False},
        "value": key,
        "style": "primary",
    }
    return {"type": "actions", "elements": [button]}


def citation(item: Cited) -> str:
    """``— author, #n`` with the number linking to the message when its permalink is known."""
    number = f"#{item.index}"
    if item.permalink and _SLACK_PERMALINK.fullmatch(item.permalink):  # a label hides its URL: ours only
        number = link_markup(item.permalink, number)
    return f"— {e(item.author)}, {number}"


def _cited_line(briefing: DiscussionBriefing, number: int, item: Cited, locale: str) -> str:
    line = f"{number}. {e(own(briefing, item.text))} {citation(item)}"
    changed = replaces_words(item, locale)
    if changed:
        line += f" ({e(changed)})"
    translated = other(briefing, item.text)
    if translated and not briefing.is_glossary:
        line += f"\n      _{e(_other_label(briefing, locale))}:_ {e(translated)}"
    return line


def _action_line(briefing: DiscussionBriefing, number: int, item: ActionItem, locale: str) -> str:
    extras = [(tr(locale, "who"), item.who), (tr(locale, "due"), item.due)]
    tail = "".join(f" · *{e(label)}:* {e(value)}" for label, value in extras if value)
    return f"{_cited_line(briefing, number, item.what, locale)}{tail}"


def _shared_link(url: str) -> str:
    if _HTTP_URL.match(url) and len(url) <= _MAX_LINK:
        return link_markup(url, truncate(e(url.split("://", 1)[1].replace("|", "%7C")), 80)[0])
    return e(url)

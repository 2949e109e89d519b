"""Render a ``Briefing`` as Slack Block Kit messages.

Every piece of text that came from an article or a user goes through ``escape_mrkdwn``, so
nothing in it can become a ping (``<!channel>``, ``<@U…>``) or a link (``<url|label>``). The
only markup in a message is ours: bold labels and the source link.
"""

from __future__ import annotations

import re

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
from adapters.slack.layout import (
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    Block,
    SlackMessage,
    contexts,
    header,
    paginate,
    sections,
    truncate,
)
from bot.briefing import LANGUAGE_NAMES, Briefing, KeyPoint, heading, other_language, translator_line
from bot.chat.commands import HELP_FOOTER, help_lines
from bot.text.discussion import ActionItem, Cited, DiscussionBriefing
from bot.translate.glossary import GLOSSARY_NOTE, GLOSSARY_NOTE_ZH

#: A source link longer than this is shown as its host only (said so), never cut mid-URL.
_MAX_LINK = 1000
# Slack pings only through <!channel> markup, which escaping already defuses; a word joiner
# after the @ also keeps a plainly written @everyone from ever being read as one.
_PLAIN_PINGS = re.compile(r"@(?=(?:everyone|channel|here)\b)", re.IGNORECASE)
_GLOSSARY_NOTES = {GLOSSARY_NOTE, GLOSSARY_NOTE_ZH}
_HTTP_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)


def escape_mrkdwn(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` (Slack's control characters) and defuse plain @everyone/@channel/@here."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PLAIN_PINGS.sub("@\u2060", escaped)


e = escape_mrkdwn


def _point_text(briefing: Briefing, point: KeyPoint) -> str:
    return briefing.own(point.zh, point.en) or briefing.other(point.zh, point.en) or ""


def _fallback(text: str) -> str:
    return truncate(e(text), MAX_FALLBACK_TEXT)[0]


def render_briefing(briefing: Briefing) -> list[SlackMessage]:
    """The briefing as one message, or several when it does not fit one (nothing is dropped)."""
    title = heading(briefing)
    shown, cut = truncate(e(title), MAX_HEADER_TEXT)
    blocks: list[Block] = [header(shown)]
    if cut and briefing.title:
        blocks += sections([e(briefing.title)], lead="*Title*")
    blocks += _summary_blocks(briefing)
    blocks += _key_point_blocks(briefing)
    blocks += _keyword_blocks(briefing)
    blocks += _footer_blocks(briefing)

    summary = briefing.own(briefing.summary.zh, briefing.summary.en) or ""
    # Without a title the heading is the start of the text: do not say it twice.
    repeats = summary.startswith(title.removesuffix("…"))
    first_text = _fallback(summary if repeats else f"{title} — {summary}" if summary else title)
    return _as_messages(paginate(blocks), title=title, shown=shown, first_text=first_text)


def _as_messages(pages: list[list[Block]], *, title: str, shown: str, first_text: str) -> list[SlackMessage]:
    """Pages of blocks as messages; when there are several, each says which part it is."""
    if len(pages) == 1:
        return [SlackMessage(text=first_text, blocks=tuple(pages[0]))]
    count = len(pages)
    messages = []
    for number, page in enumerate(pages, 1):
        if number == 1:
            marker = contexts([f"Part 1 of {count}: the briefing continues in the next message."])
            messages.append(SlackMessage(text=first_text, blocks=(*page, *marker)))
        else:
            marker = contexts([f"*{shown}* · part {number} of {count}"])
            text = _fallback(f"{title} (part {number} of {count})")
            messages.append(SlackMessage(text=text, blocks=(*marker, *page)))
    return messages


def _summary_blocks(briefing: Briefing) -> list[Block]:
    own = briefing.own(briefing.summary.zh, briefing.summary.en)
    other = briefing.other(briefing.summary.zh, briefing.summary.en)
    blocks = sections([e(own or "(none)")], lead="*Summary 摘要*")
    if other and not briefing.is_glossary:
        blocks += sections([e(other)], lead=f"*{other_language(briefing)}*")
    elif briefing.is_glossary:
        blocks += _key_terms_blocks(briefing)
    return blocks


def _key_terms_blocks(briefing: Briefing) -> list[Block]:
    """With a glossary there is no translated summary: say so, and give the key terms instead."""
    terms: list[str] = []
    for keyword in briefing.keywords:
        gloss = briefing.other(keyword.zh, keyword.en)
        first = gloss.split(";")[0].strip() if gloss else ""
        if first and first not in terms:
            terms.append(first)
    label = f"*{other_language(briefing)} key terms* (glossary, not a translation):"
    return sections([" · ".join(e(t) for t in terms) or "(none in the glossary)"], lead=label)


def _key_point_blocks(briefing: Briefing) -> list[Block]:
    items = []
    for number, point in enumerate(briefing.key_points, 1):
        line = f"{number}. {e(_point_text(briefing, point))}"
        other = briefing.other(point.zh, point.en)
        if other and briefing.own(point.zh, point.en):
            line += f"\n      _{other_language(briefing)}:_ {e(other)}"
        items.append(line)
    return sections(items, lead="*Key points 重點*") if items else []


def _keyword_blocks(briefing: Briefing) -> list[Block]:
    pairs = []
    for keyword in briefing.keywords:
        gloss = briefing.other(keyword.zh, keyword.en)
        pairs.append(f"{e(keyword.term)} — {e(gloss)}" if gloss else f"{e(keyword.term)} — (not in the glossary)")
    return contexts(pairs, lead="*Keywords 關鍵詞*") if pairs else []


def _footer_blocks(briefing: Briefing) -> list[Block]:
    items = [
        f"*Source:* {source_markup(briefing.source)}",
        f"*Language:* {LANGUAGE_NAMES[briefing.language]}",
        e(translator_line(briefing)),
        # The glossary's own note says what translator_line already says.
        *(e(note) for note in briefing.notes if note not in _GLOSSARY_NOTES),
    ]
    return [{"type": "divider"}, *contexts(items, sep=" · ")]


def source_markup(source: str) -> str:
    """An http(s) source as a link (our only markup); anything else as escaped text."""
    if not _HTTP_URL.match(source):
        return e(source)
    if len(source) > _MAX_LINK:
        host = source.split("/", 3)[2]
        return f"{e(host)} (the full link is too long to show)"
    return link_markup(source, truncate(e(source.split("://", 1)[1].replace("|", "%7C")), 80)[0])


def link_markup(url: str, label: str) -> str:
    """``<url|label>`` for an http(s) ``url`` and an already escaped ``label`` without a ``|``."""
    # Inside <url|label> a | ends the URL and > ends the link: encode and escape them.
    safe_url = url.replace("|", "%7C").replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E")
    return f"<{safe_url}|{label}>"


def render_point_replies(briefing: Briefing) -> list[list[SlackMessage]]:
    """One thread reply per key point (a point too long for one message takes several)."""
    total = len(briefing.key_points)
    replies = []
    for number, point in enumerate(briefing.key_points, 1):
        lead = f"*Key point {number} of {total}* · from sentence {point.source_index + 1} of the article"
        own = briefing.own(point.zh, point.en)
        other = briefing.other(point.zh, point.en)
        blocks = sections([e(own or other or "")], lead=lead)
        if own and other:
            blocks += sections([e(other)], lead=f"*{other_language(briefing)}:*")
        text = _fallback(f"Key point {number}: {_point_text(briefing, point)}")
        replies.append([SlackMessage(text=text, blocks=tuple(page)) for page in paginate(blocks)])
    return replies


def render_help(prefix: str = "/brief") -> SlackMessage:
    lines = [f"`{e(usage)}` — {e(what)}" for usage, what in help_lines(prefix)]
    blocks = [
        *sections(lines, lead="*briefbot* turns a news article (Chinese or English) into a short bilingual briefing."),
        *contexts([e(HELP_FOOTER)]),
    ]
    text = "; ".join(f"{usage} — {what}" for usage, what in help_lines(prefix))
    return SlackMessage(text=e(text), blocks=tuple(blocks))


# -- discussion briefings ------------------------------------------------------------------

_SLACK_PERMALINK = re.compile(
    r"https://[a-z0-9-]+(?:\.enterprise)?\.slack\.com/archives/[A-Z0-9]+/p\d{16}(?:\?thread_ts=\d+\.\d+&cid=[A-Z0-9]+)?"
)
#: The share button's action id; its value is the key of the briefing waiting to be shared.
SHARE_ACTION = "share_discussion"


def render_discussion(
    briefing: DiscussionBriefing, *, share_key: str | None = None, share_label: str = "Share in the thread"
) -> list[SlackMessage]:
    """A discussion briefing as one message or several; with ``share_key``, the last one ends
    in a button that shares it (the ephemeral copy the user sees first)."""
    title = discussion_heading(briefing)
    shown, _cut = truncate(e(title), MAX_HEADER_TEXT)
    blocks: list[Block] = [header(shown)]
    people = [f"{e(p.name)} ({p.messages})" for p in briefing.participants]
    if people:
        blocks += contexts(people, lead="*Participants 參與者*")
    summary = own(briefing, briefing.summary)
    blocks += sections([e(summary or "(none)")], lead="*Summary 摘要*")
    translated = other(briefing, briefing.summary)
    if translated:
        blocks += sections([e(translated)], lead=f"*{other_label(briefing)}*")
    for label, items in sections_of(briefing):
        if items:
            blocks += sections([_cited_line(briefing, n, c) for n, c in enumerate(items, 1)], lead=f"*{label}*")
    if briefing.action_items:
        lines = [_action_line(briefing, n, a) for n, a in enumerate(briefing.action_items, 1)]
        blocks += sections(lines, lead="*Action items 待辦*")
    if briefing.links:
        blocks += sections([_shared_link(url) for url in briefing.links], lead="*Links 連結*")
    footer = [e(stats_sentence(briefing)), f"*Language:* {LANGUAGE_NAMES.get(briefing.language, briefing.language)}"]
    footer += [e(translator_sentence(briefing)), *(e(n) for n in briefing.notes if n not in _GLOSSARY_NOTES)]
    blocks += [{"type": "divider"}, *contexts(footer, sep=" · ")]
    if share_key is not None:
        blocks.append(share_block(share_key, share_label))
    first_text = _fallback(f"{title} — {summary}" if summary else title)
    return _as_messages(paginate(blocks), title=title, shown=shown, first_text=first_text)


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


def _cited_line(briefing: DiscussionBriefing, number: int, item: Cited) -> str:
    line = f"{number}. {e(own(briefing, item.text))} {citation(item)}"
    translated = other(briefing, item.text)
    if translated and not briefing.is_glossary:
        line += f"\n      _{other_label(briefing)}:_ {e(translated)}"
    return line


def _action_line(briefing: DiscussionBriefing, number: int, item: ActionItem) -> str:
    extras = "".join(f" · *{label}:* {e(value)}" for label, value in action_extras(item))
    return f"{_cited_line(briefing, number, item.what)}{extras}"


def _shared_link(url: str) -> str:
    if _HTTP_URL.match(url) and len(url) <= _MAX_LINK:
        return link_markup(url, truncate(e(url.split("://", 1)[1].replace("|", "%7C")), 80)[0])
    return e(url)

"""Prepare: one chat message turned into text a reader (and the cue lexicons) can use.

Mentions become ``@Name`` (so an action item can say who), links are collected and chat markup
is dropped (``bot.text.markup``), code blocks are set aside (their text is code, not talk),
and quoted lines (``> …``) are kept apart: they are someone else's words, which this message
answers, never this message's own point. A message of one line that starts with a quote
("> 請問加班費怎麼算？ 護理長這個有答案嗎", as plain-text exports write a quote and its reply) is cut
where the quoted words end: after the longest start that an earlier message says, else at a
double space or after the quote's first question or full stop.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.text.markup import to_plain_text

_CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_INLINE_CODE = re.compile(r"`([^`\n]{1,200})`")
_QUOTE_LINE = re.compile(r"^[ \t]*(?:>|&gt;)[ \t]?(.*)$", re.MULTILINE)
_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|([^<>]+))?>")
_DISCORD_MENTION = re.compile(r"<@!?(\d+)>")
_SLACK_LINK = re.compile(r"<(https?://[^<>|\s]+)(?:\|[^<>]*)?>", re.IGNORECASE)
_MD_LINK = re.compile(r"\]\((https?://[^\s()]+)\)", re.IGNORECASE)
_BARE_URL = re.compile(r"(?<![<(|\w])https?://[^\s<>()\[\]{}\"'，。、）」]+", re.IGNORECASE)
#: An emoji shortcode (":tada:", "好的:+1:"), but not the inside of a time ("19:00-23:00", "12:30:45").
_SHORTCODE = re.compile(r"(?<![0-9A-Za-z]):[a-z0-9_+\-]{2,40}:(?![0-9A-Za-z])")
_BOLD_ITALIC = re.compile(r"(?<![\w*_~])([*_~]{1,2})(\S(?:.*?\S)?)\1(?![\w*_~])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_MENTION = re.compile(r"(?<![\w@])@([^\s@,，。:：!?！？]{1,32})")
_TRAILING = ".,;:!?)]}>'\"。，；：！？"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A message's own words, with what was set aside."""

    text: str
    #: Lines it quoted from earlier messages.
    quoted: str
    links: tuple[str, ...]
    #: Names it @mentions, in order.
    mentions: tuple[str, ...]
    has_code: bool


def links_in(raw: str) -> list[str]:
    """Every http(s) link in a message, in order: Slack's <url|label>, Markdown's [label](url), bare."""
    found: list[tuple[int, str]] = []
    for pattern in (_SLACK_LINK, _MD_LINK):
        found += [(m.start(), m.group(1)) for m in pattern.finditer(raw)]
    found += [(m.start(), m.group(0).rstrip(_TRAILING)) for m in _BARE_URL.finditer(raw)]
    return [html.unescape(url) for _, url in sorted(found)]


def prepare(
    raw: str,
    names_by_id: dict[str, str] | None = None,
    people: Collection[str] = (),
    earlier: Sequence[str] = (),
) -> Prepared:
    """``raw`` as read: plain text, quotes and code apart, @mentions by name. ``people`` are the
    discussion's display names: "@Priya Shah" mentions Priya Shah, not "Priya". ``earlier`` are the
    texts of the messages before it, which a one-line quote is matched against."""
    names_by_id = names_by_id or {}
    links = links_in(raw)
    has_code = "```" in raw
    text = _CODE_BLOCK.sub(" ", raw)
    text = _INLINE_CODE.sub(r"\1", text)
    one_line = _QUOTE_LINE.fullmatch(text.strip())
    split = _quote_and_reply(one_line.group(1), earlier) if one_line and "\n" not in text.strip() else None
    if split is not None:
        quoted, text = split
    else:
        quoted = "\n".join(m.group(1) for m in _QUOTE_LINE.finditer(text))
        text = _QUOTE_LINE.sub("", text)

    def slack_mention(match: re.Match[str]) -> str:
        name = match.group(2) or names_by_id.get(match.group(1))
        return f"@{name}" if name else ""

    def discord_mention(match: re.Match[str]) -> str:
        name = names_by_id.get(match.group(1))
        return f"@{name}" if name else ""

    text = _SLACK_MENTION.sub(slack_mention, text)
    text = _DISCORD_MENTION.sub(discord_mention, text)
    text = html.unescape(to_plain_text(text))
    text = _SHORTCODE.sub("", text)
    text = _BOLD_ITALIC.sub(r"\2", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    known = {*people, *names_by_id.values()}
    mentions = tuple(_whole_name(text, m, known) for m in _MENTION.finditer(text))
    return Prepared(text=text, quoted=quoted.strip(), links=tuple(links), mentions=mentions, has_code=has_code)


#: Where a one-line quote may end when no earlier message says it: a double space, or a space after
#: the quote's question mark or full stop.
_QUOTE_END = re.compile(r"[ \t]{2,}|(?<=[？?!！。])[ \t]+")
#: How many of the latest earlier messages a one-line quote is looked for in.
QUOTE_LOOKBACK = 60


def _quote_and_reply(body: str, earlier: Sequence[str]) -> tuple[str, str] | None:
    """A one-line message that starts with a quote, cut into (quote, reply); None when it is all quote."""
    said = [_SPACES.sub(" ", e) for e in earlier[-QUOTE_LOOKBACK:]]
    flat = _SPACES.sub(" ", body).strip()

    def quoted(n: int) -> bool:
        start = flat[:n].strip()
        return any(start in e for e in said)

    if said and quoted(len(flat)):
        return None  # the whole line is an earlier message's words
    low, high = 0, len(flat)  # the longest start that an earlier message says (a shorter start is said too)
    while low < high:
        mid = (low + high + 1) // 2
        if quoted(mid):
            low = mid
        else:
            high = mid - 1
    if low >= 4:
        reply = flat[low:].strip(" —–-:：>")
        if reply:
            return flat[:low].strip(), reply
    cut = _QUOTE_END.search(body)
    if cut and body[cut.end() :].strip():
        return body[: cut.start()].strip(), body[cut.end() :].strip()
    return None


def _whole_name(text: str, mention: re.Match[str], known: set[str]) -> str:
    """Whom an @mention names: the longest display name with a space that the text spells out from
    the @ on ("@Priya Shah"), else the one person whose name starts with the word ("@Priya" when
    only Priya Shah is there), else the word after the @."""
    word = mention.group(1)
    start = mention.start(1)
    longer = [p for p in known if p.startswith(word + " ")]
    spelled = [
        p for p in longer if text.startswith(p, start) and not text[start + len(p) : start + len(p) + 1].isalnum()
    ]
    if spelled:
        return max(spelled, key=len)
    if len(longer) == 1 and word not in known:
        return longer[0]
    return word


__all__ = ["Prepared", "links_in", "prepare"]

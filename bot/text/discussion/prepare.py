"""Prepare: one chat message turned into text a reader (and the cue lexicons) can use.

Mentions become ``@Name`` (so an action item can say who), links are collected and chat markup
is dropped (``bot.text.markup``), code blocks are set aside (their text is code, not talk),
and quoted lines (``> …``) are kept apart: they are someone else's words, which this message
answers, never this message's own point.
"""

from __future__ import annotations

import html
import re
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


def prepare(raw: str, names_by_id: dict[str, str] | None = None) -> Prepared:
    names_by_id = names_by_id or {}
    links = links_in(raw)
    has_code = "```" in raw
    text = _CODE_BLOCK.sub(" ", raw)
    text = _INLINE_CODE.sub(r"\1", text)
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
    mentions = tuple(m.group(1) for m in re.finditer(r"(?<![\w@])@([^\s@,，。:：!?！？]{1,32})", text))
    return Prepared(text=text, quoted=quoted.strip(), links=tuple(links), mentions=mentions, has_code=has_code)


__all__ = ["Prepared", "links_in", "prepare"]

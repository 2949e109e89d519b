"""Chat markup pasted along with an article, turned back into plain text first of all.

People paste articles out of Slack and Discord. The markup that came along must not
reach a briefing: a link keeps its label, a mention of a person keeps the name when one
is given, and a broadcast mention (``<!channel>``, ``@everyone``) becomes nothing. This
runs on the raw text, before lines are rejoined, so it also finds markup that a hard
wrap split in two (``<!chan⏎nel>``).
"""

from __future__ import annotations

import re

# Whitespace that a hard wrap may have put inside a piece of markup.
_W = r"[ \t]*\n?[ \t]*"
# Slack: <!channel>, <!here|here>, <@U123>, <@U123|ann>, <#C123|news>, <https://x|label>, <mailto:a@b|a@b>.
_SLACK = re.compile(r"<" + _W + r"([!@#]|(?:https?|mailto):)((?:[^<>\n]|\n(?![ \t]*\n))*?)>", re.IGNORECASE)
# Discord: <@123>, <@!123>, <@&123>, <#123>, <:name:123>, <t:1700000000:R> and <https://…> (embed-suppressed).
_DISCORD_ID = re.compile(r"<" + _W + r"(?:@[!&]?|#|a?:\w+:|t:)" + _W + r"\d+(?:" + _W + r"\d+)*(?::[A-Za-z])?>")
# Markdown links, [label](https://…), as Discord and most chat clients write them.
_MD_LINK = re.compile(
    r"\[((?:[^\[\]\n]|\n(?![ \t]*\n)){1,400}?)\]\(" + _W + r"(https?://[^\s()]*(?:\n[^\s()]+)?)" + _W + r"\)"
)
# Broadcast mentions written plainly.
_BROADCAST = re.compile(r"(?<![\w@])@(?:everyone|here|channel)\b", re.IGNORECASE)
_SPACE_RUN = re.compile(r"[ \t]{2,}")


def _unwrapped(text: str) -> str:
    """Markup text with the line breaks of a hard wrap taken out."""
    from bot.text.clean import join_wrapped  # the same rule the article's lines are joined by

    pieces = [p.strip() for p in text.split("\n")]
    out = ""
    for piece in pieces:
        if piece:
            out = join_wrapped(out, piece) if out else piece
    return out


def _slack(match: re.Match[str]) -> str:
    kind, rest = match.group(1), _unwrapped(match.group(2))
    target, _, label = rest.partition("|")
    if kind == "!":
        return ""  # <!channel>, <!here>, <!subteam^ID>: a broadcast, nothing to read
    if kind in "@#":
        if not label:
            return ""  # a person or a channel by id alone says nothing to a reader
        return label if kind == "@" else "#" + label
    if kind.lower() == "mailto:":
        return label or target
    return label or (kind + target)


def _markdown_link(match: re.Match[str]) -> str:
    return _unwrapped(match.group(1))


# A line that is nothing but a link ("原文連結", "Read more") is navigation, not story text.
_LINK_LINE = re.compile(
    r"^[ \t]*(?:\[[^\[\]\n]{1,200}\]\([ \t]*https?://[^\s()]*[ \t]*\)|<https?://[^<>\s|]*(?:\|[^<>\n]*)?>)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


def to_plain_text(text: str) -> str:
    """``text`` with Slack and Discord markup replaced by what a reader should see."""
    if "](" in text or "<http" in text.lower():
        text = _LINK_LINE.sub("", text)
    if "<" in text:
        text = _SLACK.sub(_slack, text)
        text = _DISCORD_ID.sub("", text)
    if "](" in text or "]\n(" in text:
        text = _MD_LINK.sub(_markdown_link, text)
    if "@" in text:
        text = _BROADCAST.sub("", text)
    return text


def has_markup(text: str) -> bool:
    """Whether ``text`` still holds chat markup (used by tests and the benchmark's checks)."""
    return bool(
        re.search(r"<[!@#][^<>]*>|<(?:https?|mailto):[^<>]*>|\[[^\[\]]+\]\(\s*https?://", text)
        or _BROADCAST.search(text)
    )


__all__ = ["has_markup", "to_plain_text"]

"""What Slack sends as a user's words, turned back into the plain text they typed.

Slack wraps links, mentions and channel names in ``<…>`` markup and HTML-escapes a literal
``&``, ``<`` and ``>`` the user typed. Markup is unwrapped first and entities decoded last,
so text a user typed as ``&lt;!channel&gt;`` stays literal text and never becomes markup.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"<([^<>|\s]+)(?:\|([^<>]*))?>")
_HTTP = re.compile(r"^https?://", re.IGNORECASE)


def _unwrap(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if _HTTP.match(target):
        return target  # a link: brief the URL itself, not its label
    if target[0] in "@#":
        return target[0] + label if label else target  # <@U1|ann> → @ann, <#C1|news> → #news
    if label:
        return label
    if target.lower().startswith("mailto:"):
        return target[len("mailto:") :]
    if target.startswith("!"):
        return "@" + target[1:].split("^", 1)[0]  # <!here>, <!subteam^ID>
    return match.group(0)


def from_slack(text: str) -> str:
    """Slack message markup to plain text: ``<https://x|x>`` → ``https://x``, entities decoded."""
    plain = _MARKUP.sub(_unwrap, text or "")
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def after_mention(text: str, bot_user_id: str | None) -> str:
    """The command in an ``app_mention``: what follows the bot's mention, as plain text."""
    raw = text or ""
    mention = re.compile(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>") if bot_user_id else re.compile(r"<@[^>]+>")
    found = mention.search(raw)
    if found:
        raw = raw[found.end() :]
    return from_slack(raw).strip()

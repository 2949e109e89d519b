"""Load a discussion: a Slack or DiscordChatExporter JSON export, or plain ``Name: text`` lines.

The bytes are read and decoded as articles are (``bot.text.load``: size limit, encodings,
binary refused); then the shape decides the reader. Every refusal is an ``InputError`` with
one sentence saying what was wrong and what to give instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, BinaryIO

from bot.chat.i18n import N_
from bot.errors import InputError
from bot.errors import Message as Sentence
from bot.text import load as text_load
from bot.text.discussion.model import Message

#: What to give instead, worded with the sentence it ends (``{formats}`` in a refusal).
FORMATS_HINT = Sentence(N_("give a Slack or DiscordChatExporter JSON export, or plain lines like 'Name: message'"))

# "Name: text", "[10:02] Name: text", "2024-05-01 10:02 Name：text". A name is short and has no
# sentence punctuation, so "Note: see below" inside a message is not taken for a speaker when
# it runs long; a line that is no speaker's continues the message before it.
_LINE = re.compile(
    r"^\s*(?:\[[^\]\n]{1,40}\]\s*|\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?\s+|\d{1,2}:\d{2}(?::\d{2})?\s+)?"
    r"(?P<name>[^\s:：,，。.!?！？<>\[\]][^:：。!?！？<>\n]{0,39}?)\s*[:：]\s?(?P<text>.*)$"
)
#: The article loader's refusals that name an article, and what a discussion's reader says instead
#: (the encoding refusals fit both as they are).
_ARTICLE_WORDED = {
    text_load.TOO_LARGE: N_(
        "The discussion is {size}, more than the {limit} limit; export a shorter stretch of it, "
        "or raise BRIEFBOT_MAX_INPUT_BYTES."
    ),
    text_load.EMPTY: N_("The discussion is empty; {formats}."),
    text_load.BINARY: N_("The file looks like binary data, not a discussion; {formats}."),
    text_load.FOLDER: N_("{path} is a folder; give the path of a discussion export."),
}
_URLISH = re.compile(r"^(?:https?|mailto|ftp)$", re.IGNORECASE)


def load_discussion(source: str, *, max_bytes: int | None = None, stdin: BinaryIO | None = None) -> list[Message]:
    """Messages of the discussion in ``source`` (a file path or ``-`` for stdin), oldest first."""
    if "://" in source:
        raise InputError("A discussion is read from a file or from stdin, not a link; {formats}.", formats=FORMATS_HINT)
    try:
        loaded = text_load.load(source, max_bytes=max_bytes, stdin=stdin)
    except InputError as exc:
        if exc.msgid in _ARTICLE_WORDED:
            raise InputError(_ARTICLE_WORDED[exc.msgid], **exc.params, formats=FORMATS_HINT) from None
        raise
    return parse_discussion(loaded.text)


def parse_discussion(text: str) -> list[Message]:
    """Messages from an export's text: JSON (Slack or Discord) when it looks like JSON, else lines."""
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise InputError("The discussion is empty; {formats}.", formats=FORMATS_HINT)
    # "[10:01] Ann: …" is a line, not a JSON array.
    if stripped[0] == "{" or re.match(r"\[\s*[{\]]", stripped):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise InputError(
                "The file looks like JSON but is not valid JSON (line {line}, column {column}); "
                "export the discussion again, or give plain lines like 'Name: message'.",
                line=exc.lineno,
                column=exc.colno,
            ) from None
        messages = from_json(data)
    else:
        messages = from_lines(stripped)
    if not messages:
        raise InputError("No messages were found in the discussion; {formats}.", formats=FORMATS_HINT)
    return messages


def from_json(data: Any) -> list[Message]:
    """Slack (``conversations.replies``/``history`` or an export's day file) or DiscordChatExporter."""
    items = data.get("messages") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(
            'The JSON has no list of messages (a top-level "messages" list); {formats}.', formats=FORMATS_HINT
        )
    objects = [m for m in items if isinstance(m, dict)]
    if any(isinstance(m.get("author"), dict) or "content" in m for m in objects):
        return _discord(objects)
    return _slack(objects)


def _slack(items: Sequence[dict[str, Any]]) -> list[Message]:
    names: dict[str, str] = {}
    for m in items:
        uid, name = m.get("user"), _slack_name(m)
        if isinstance(uid, str) and name:
            names.setdefault(uid, name)
    out = []
    for m in items:
        text = m.get("text")
        if not isinstance(text, str):
            continue
        if m.get("subtype") in ("channel_join", "channel_leave", "thread_broadcast_deleted"):
            continue
        uid = m.get("user") if isinstance(m.get("user"), str) else None
        author = _slack_name(m) or (names.get(uid) if uid else None) or uid or "unknown"
        reactions = m.get("reactions")
        out.append(
            Message(
                author=author,
                text=text,
                ts=_slack_ts(m.get("ts")),
                permalink=m.get("permalink") if isinstance(m.get("permalink"), str) else None,
                author_id=uid,
                is_bot=bool(m.get("bot_id")) or m.get("subtype") == "bot_message",
                reactions=_count(reactions, "count"),
            )
        )
    return _with_mentions_named(out, names)


def _slack_name(m: dict[str, Any]) -> str | None:
    profile = m.get("user_profile") if isinstance(m.get("user_profile"), dict) else {}
    for value in (
        m.get("user_name"),
        profile.get("display_name"),
        profile.get("real_name"),
        m.get("username"),
        profile.get("name"),
    ):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _with_mentions_named(messages: list[Message], names: dict[str, str]) -> list[Message]:
    """Slack's ``<@U123>`` carries no name: give it the name an export knows, ``<@U123|ann>``."""
    if not names:
        return messages

    def named(match: re.Match[str]) -> str:
        uid = match.group(1)
        return f"<@{uid}|{names[uid]}>" if uid in names else match.group(0)

    out = []
    for m in messages:
        text = re.sub(r"<@([UW][A-Z0-9]+)>", named, m.text)
        out.append(m if text == m.text else _replace_text(m, text))
    return out


def _replace_text(m: Message, text: str) -> Message:
    return Message(
        author=m.author,
        text=text,
        ts=m.ts,
        permalink=m.permalink,
        author_id=m.author_id,
        is_bot=m.is_bot,
        reply_to=m.reply_to,
        reactions=m.reactions,
    )


def _slack_ts(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _count(reactions: Any, key: str) -> int | None:
    if not isinstance(reactions, list):
        return None
    return sum(r.get(key, 0) for r in reactions if isinstance(r, dict) and isinstance(r.get(key, 0), int))


def _discord(items: Sequence[dict[str, Any]]) -> list[Message]:
    index_of = {str(m.get("id")): n for n, m in enumerate(items, 1) if m.get("id") is not None}
    names: dict[str, str] = {}
    for m in items:
        for person in [m.get("author"), *(m.get("mentions") or [])]:
            if isinstance(person, dict) and person.get("id") is not None:
                name = person.get("nickname") or person.get("name")
                if isinstance(name, str) and name:
                    names.setdefault(str(person["id"]), name)
    out = []
    for m in items:
        author = m.get("author") if isinstance(m.get("author"), dict) else {}
        text = m.get("content")
        if not isinstance(text, str):
            text = ""
        reference = m.get("reference") if isinstance(m.get("reference"), dict) else {}
        ref_id = reference.get("messageId")
        out.append(
            Message(
                author=str(author.get("nickname") or author.get("name") or "unknown"),
                text=_discord_mentions(text, names),
                ts=_iso(m.get("timestamp")),
                permalink=None,
                author_id=str(author["id"]) if author.get("id") is not None else None,
                is_bot=bool(author.get("isBot")),
                reply_to=index_of.get(str(ref_id)) if ref_id is not None else None,
                reactions=_count(m.get("reactions"), "count"),
            )
        )
    return out


def _discord_mentions(text: str, names: dict[str, str]) -> str:
    """DiscordChatExporter writes mentions as ``@name`` already; a raw ``<@123>`` gets its name."""

    def named(match: re.Match[str]) -> str:
        name = names.get(match.group(1))
        return f"@{name}" if name else match.group(0)

    return re.sub(r"<@!?(\d+)>", named, text)


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def from_lines(text: str) -> list[Message]:
    """``Name: text`` per line; a line with no speaker continues the message before it."""
    out: list[tuple[str, list[str]]] = []
    fenced = False  # inside a ``` code block, "key: value" lines are code, not speakers
    for line in text.splitlines():
        match = None if fenced else _LINE.match(line)
        if line.count("```") % 2:
            fenced = not fenced
        if match and not _URLISH.match(match.group("name").strip()):
            out.append((match.group("name").strip(), [match.group("text")]))
        elif out:
            out[-1][1].append(line)
        elif line.strip():
            raise InputError(
                "The first line names no speaker; give lines like 'Name: message', "
                "or a Slack or DiscordChatExporter JSON export."
            )
    return [Message(author=name, text="\n".join(lines).strip()) for name, lines in out if "\n".join(lines).strip()]


__all__ = ["FORMATS_HINT", "from_json", "from_lines", "load_discussion", "parse_discussion"]

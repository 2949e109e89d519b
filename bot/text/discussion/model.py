"""The values of a discussion briefing: messages in, a ``DiscussionBriefing`` out.

Plain immutable data, like :class:`bot.briefing.Briefing`, with ``to_dict()`` for JSON.
Every text item cites the message it was taken from by its 1-based number in the
discussion (after the bot's own messages are dropped, numbers still count every message
given, so a reader can find it), its author and its permalink when known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.briefing import Bilingual, TranslatorInfo


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a discussion, as a platform or an export gives it."""

    author: str
    text: str
    ts: datetime | None = None
    permalink: str | None = None
    #: The platform's id for the author (Slack U…, Discord snowflake), used to resolve mentions.
    author_id: str | None = None
    #: Messages the bot itself wrote are skipped.
    is_bot: bool = False
    #: 1-based number of the message this one replies to, when the platform says so.
    reply_to: int | None = None
    reactions: int | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    messages: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "messages": self.messages}


@dataclass(frozen=True, slots=True)
class Cited:
    """A text item taken from one message (trimmed, never invented), in both languages."""

    text: Bilingual
    #: 1-based number of the message in the discussion.
    index: int
    author: str
    permalink: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text.to_dict(), "index": self.index, "author": self.author, "permalink": self.permalink}


@dataclass(frozen=True, slots=True)
class Decision(Cited):
    """A decision. ``replaces`` numbers the earlier decisions it changed, oldest first ("改到 3/15"
    after "定 3/1"), so a reader sees the matter was settled twice; a restatement replaces none."""

    replaces: tuple[int, ...] = ()

    @classmethod
    def of(cls, item: Cited, replaces: tuple[int, ...] = ()) -> Decision:
        """The cited item as a decision that replaces ``replaces``."""
        return cls(item.text, item.index, item.author, item.permalink, replaces)

    def to_dict(self) -> dict[str, Any]:
        return {**Cited.to_dict(self), "replaces": list(self.replaces)}


@dataclass(frozen=True, slots=True)
class ActionItem:
    """Something someone will do: what, who (when named) and by when (when stated)."""

    what: Cited
    who: str | None = None
    due: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what.to_dict(), "who": self.who, "due": self.due}


@dataclass(frozen=True, slots=True)
class DiscussionStats:
    messages: int
    participants: int
    bot_messages_skipped: int = 0
    #: Messages beyond the limit (the oldest ones) that were not read.
    truncated: int = 0
    first_ts: datetime | None = None
    last_ts: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "participants": self.participants,
            "bot_messages_skipped": self.bot_messages_skipped,
            "truncated": self.truncated,
            "first_ts": self.first_ts.isoformat() if self.first_ts else None,
            "last_ts": self.last_ts.isoformat() if self.last_ts else None,
        }


@dataclass(frozen=True, slots=True)
class DiscussionBriefing:
    #: "zh-Hant", "zh-Hans" or "en": the language most of the discussion is in.
    language: str
    participants: tuple[Participant, ...]
    summary: Bilingual
    key_points: tuple[Cited, ...]
    decisions: tuple[Decision, ...]
    open_questions: tuple[Cited, ...]
    action_items: tuple[ActionItem, ...]
    links: tuple[str, ...]
    translator: TranslatorInfo
    stats: DiscussionStats
    title: str | None = None
    notes: tuple[str, ...] = field(default=())
    kind: str = "discussion"

    @property
    def is_glossary(self) -> bool:
        return self.translator.kind == "glossary"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "language": self.language,
            "participants": [p.to_dict() for p in self.participants],
            "summary": self.summary.to_dict(),
            "key_points": [c.to_dict() for c in self.key_points],
            "decisions": [c.to_dict() for c in self.decisions],
            "open_questions": [c.to_dict() for c in self.open_questions],
            "action_items": [a.to_dict() for a in self.action_items],
            "links": list(self.links),
            "translator": self.translator.to_dict(),
            "stats": self.stats.to_dict(),
            "notes": list(self.notes),
        }

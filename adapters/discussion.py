"""What the Slack and Discord discussion triggers share: the briefer, the window and the share cache.

A platform adapter fetches a thread (or the messages around one message) as
:class:`~bot.text.discussion.Message` values, hands them to a ``DiscussionBriefer`` and
renders the ``DiscussionBriefing`` it gets back. Briefings shown privately wait here, under
a short random key carried by the "share" button, until someone shares them or they age out.
"""

from __future__ import annotations

import asyncio
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.briefing import Bilingual
from bot.chat.i18n import N_, ntr, tr
from bot.text.discussion import ActionItem, Cited, Decision, DiscussionBriefing, Message
from bot.translate.base import Translator

#: Turns fetched messages (oldest first) and an optional title into a briefing, off the event loop.
DiscussionBriefer = Callable[[Sequence[Message], "str | None"], Awaitable[DiscussionBriefing]]

#: A message outside any thread is briefed with the messages around it, this many in all.
AROUND = 50
#: The most messages read from one thread (the core keeps the last ``max_messages`` of them).
MAX_MESSAGES = 500

NOTHING_SAID = N_("There is nothing to brief here yet: the thread has no messages from people.")
EXPIRED = N_("That briefing is no longer kept (the bot keeps the last few hundred); run Brief this discussion again.")


def make_discussion_briefer(
    *, translator: Translator | None = None, max_messages: int = MAX_MESSAGES
) -> DiscussionBriefer:
    """A briefer that runs the core's ``brief_discussion`` in a worker thread."""

    async def brief(messages: Sequence[Message], title: str | None) -> DiscussionBriefing:
        from bot.text.discussion import brief_discussion

        return await asyncio.to_thread(
            brief_discussion, list(messages), translator=translator, max_messages=max_messages, title=title
        )

    return brief


def has_human_text(messages: Sequence[Message]) -> bool:
    """Whether any message not written by the bot has text to brief."""
    return any(not m.is_bot and m.text.strip() for m in messages)


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Pending(Generic[T]):
    """A briefing shown privately, and where sharing it would post it."""

    briefing: DiscussionBriefing
    where: T


class ShareCache(Generic[T]):
    """Briefings waiting for their share button, by key; bounded, oldest forgotten first.

    Kept in memory only: after a restart a share button answers with ``EXPIRED`` rather than
    posting something it can no longer show the user first.
    """

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, Pending[T]] = OrderedDict()

    def put(self, briefing: DiscussionBriefing, where: T) -> str:
        key = secrets.token_urlsafe(9)  # 12 characters, fits any button id
        self._items[key] = Pending(briefing, where)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key

    def take(self, key: str) -> Pending[T] | None:
        """The pending briefing under ``key``, removed so it is shared once."""
        return self._items.pop(key, None)

    def restore(self, key: str, pending: Pending[T]) -> None:
        """Put back what ``take`` gave, when sharing it failed."""
        self._items[key] = pending

    def __len__(self) -> int:
        return len(self._items)


# -- words every renderer says about a discussion briefing, said alike on each platform ------

#: A discussion's section labels (shown in English and in Chinese: ``both_languages``).
HEADING = N_("Discussion briefing")
PARTICIPANTS = N_("Participants")
SUMMARY = N_("Summary")
KEY_POINTS = N_("Key points")
DECISIONS = N_("Decisions")
OPEN_QUESTIONS = N_("Open questions")
ACTION_ITEMS = N_("Action items")
LINKS = N_("Links")
#: Beside a decision that changed earlier ones: the messages it replaces.
REPLACES = N_("replaces {numbers}")


def both_languages(briefing: DiscussionBriefing, label: str) -> str:
    """A label in English and in Chinese (the discussion's script): labels name the content."""
    chinese = tr("zh-Hans" if briefing.language == "zh-Hans" else "zh-Hant", label)
    return f"{label} {chinese}"


def own(briefing: DiscussionBriefing, text: Bilingual) -> str:
    """The text in the discussion's own language (the other one when that is all there is)."""
    first, second = (text.en, text.zh) if briefing.language == "en" else (text.zh, text.en)
    return first or second or ""


def other(briefing: DiscussionBriefing, text: Bilingual) -> str | None:
    """The text in the other language, when there is one and it is not the same text."""
    first, second = (text.zh, text.en) if briefing.language == "en" else (text.en, text.zh)
    return first if first and first != second and second else None


def replaces_words(item: Cited, locale: str = "en") -> str | None:
    """The words "replaces #3, #12" in ``locale`` for a decision that changed earlier ones, else None."""
    if not isinstance(item, Decision) or not item.replaces:
        return None
    return tr(locale, REPLACES, numbers=", ".join(f"#{n}" for n in item.replaces))


def action_extras(item: ActionItem) -> list[tuple[str, str]]:
    """(label, value) pairs for who and when, in that order, for those that are known."""
    return [(label, value) for label, value in (("who", item.who), ("due", item.due)) if value]


def stats_words(briefing: DiscussionBriefing, locale: str = "en") -> list[str]:
    """What the briefing read, in ``locale``: messages, people, and what was left out."""
    s = briefing.stats
    words = [
        ntr(locale, "{n} message", "{n} messages", s.messages),
        ntr(locale, "{n} person", "{n} people", s.participants),
    ]
    if s.truncated:
        words.append(ntr(locale, "the oldest {n} not read", "the oldest {n} not read", s.truncated))
    if s.bot_messages_skipped:
        words.append(ntr(locale, "{n} bot message skipped", "{n} bot messages skipped", s.bot_messages_skipped))
    return words

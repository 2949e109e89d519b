"""The daily digest: plain data an adapter renders as one message plus a thread."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.briefing import Briefing
from bot.errors import BriefbotError

_SENTENCE_END = "。！？.!?"


@dataclass(frozen=True, slots=True)
class DigestItem:
    article_id: int
    url: str | None
    briefing: Briefing

    @property
    def headline(self) -> str:
        b = self.briefing
        if b.title:
            return b.title
        first = b.key_points[0] if b.key_points else None
        text = (first.zh or first.en) if first else None
        text = text or self.url or "Untitled article"
        return text if len(text) <= 60 else text[:59] + "…"

    def one_sentence(self) -> tuple[str | None, str | None]:
        """The first sentence of the summary in Chinese and in English (None where absent,
        or where the headline already says it, as when an untitled article's headline is
        its first point)."""
        head = self.headline.rstrip("…")
        out = []
        for text in (self.briefing.summary.zh, self.briefing.summary.en):
            sentence = _first_sentence(text)
            out.append(None if sentence and sentence.startswith(head) else sentence)
        return out[0], out[1]


@dataclass(frozen=True, slots=True)
class Digest:
    schedule_id: str
    run_key: str
    #: What the readers see as the date of the digest, e.g. 2026-11-26.
    label: str
    items: tuple[DigestItem, ...]
    #: Key points as separate thread replies, instead of each full briefing as one reply.
    thread: bool = False

    @property
    def empty(self) -> bool:
        return not self.items


@dataclass(frozen=True, slots=True)
class Receipt:
    """What a platform gave back for a delivered digest."""

    message_id: str | None
    thread_id: str | None = None
    messages: int = 1


@dataclass(frozen=True, slots=True)
class SkippedArticle:
    """An article left out of a digest because it could not be briefed."""

    article_id: int
    url: str | None
    reason: str


class DeliveryError(BriefbotError):
    """A delivery that stopped, saying how much of the digest reached the channel.

    ``sent`` is the number of messages surely posted: 0 means nothing was (the run may be
    tried again), more means part of the digest is there, and None means no one can tell
    (a timeout after the request went out): the runner never posts such a run again.
    """

    def __init__(self, message: str, *, sent: int | None) -> None:
        super().__init__(message)
        self.sent = sent


NOTHING_NEW = "Nothing new today."

R = TypeVar("R")


class RenderCache(Generic[R]):
    """What an adapter rendered from a briefing (or a digest), by identity, for one run.

    A run hands the same ``Briefing`` objects to every channel, so each is rendered once
    per platform however many channels get it. Adapters ``clear()`` it when a run ends.
    """

    def __init__(self) -> None:
        self._made: dict[Hashable, tuple[object, R]] = {}

    def get(self, key: Hashable, holds: object, make: Callable[[], R]) -> R:
        """``make()``'s result for ``key``; ``holds`` is kept with it so ids stay unique."""
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = (holds, make())
        return found[1]

    def briefing(self, kind: str, briefing: Briefing, make: Callable[[Briefing], R]) -> R:
        return self.get((kind, id(briefing)), briefing, lambda: make(briefing))

    def clear(self) -> None:
        self._made.clear()


def digest_key(digest: Digest) -> tuple[object, ...]:
    """Two digests with this key render alike (same label, mode and briefings, in order)."""
    return (digest.label, digest.thread, tuple((i.article_id, i.url, id(i.briefing)) for i in digest.items))


def _first_sentence(text: str | None) -> str | None:
    if not text:
        return None
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END and (i + 1 == len(text) or ch in "。！？" or text[i + 1] == " "):
            return text[: i + 1]
    return text

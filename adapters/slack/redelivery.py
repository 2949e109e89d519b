"""One Slack event, one answer: drop what Slack sends twice, never what it sends once.

Slack re-sends an event (``X-Slack-Retry-Num``, with ``X-Slack-Retry-Reason``) when it saw no
2xx within 3 s, and may deliver the same ``event_id`` more than once. A delivery is dropped
(answered 200, nothing done) only when

- its ``event_id`` was seen before — by this process or, with the store, by any replica
  sharing the database; or
- it is a retry whose reason is ``http_timeout``: Slack reached the app and only the answer
  was slow, so the first copy is being handled.

Any other retry (``connection_failed``, ``ssl_error``, ``http_error``…) may carry the only copy
that ever arrived — a mention sent during a deploy — and is handled like a first delivery.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Protocol

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.chat.workers import Pool
from bot.store import SeenEvents

log = logging.getLogger("briefbot.slack")

#: The one retry reason after which the first copy surely arrived.
FIRST_COPY_ARRIVED = "http_timeout"


class EventLog(Protocol):
    """Where event ids are remembered."""

    async def first_time(self, event_id: str) -> bool:
        """Record ``event_id``; True when it was not recorded before."""
        ...


class SeenIds:
    """A bounded set that forgets the oldest ids first."""

    def __init__(self, capacity: int = 4096) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self.capacity = capacity

    def add(self, item: str) -> bool:
        """Remember ``item``; False when it was already there."""
        if item in self._ids:
            self._ids.move_to_end(item)
            return False
        self._ids[item] = None
        if len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._ids)


class MemoryEvents:
    """Event ids kept in this process (the last 4,096): for an app without a store."""

    def __init__(self, capacity: int = 4096) -> None:
        self.seen = SeenIds(capacity)

    async def first_time(self, event_id: str) -> bool:
        return self.seen.add(event_id)


class StoredEvents:
    """Event ids kept in the store (``bot.store.SeenEvents``), asked from a pool of database threads."""

    def __init__(self, seen: SeenEvents, pool: Pool) -> None:
        self.seen = seen
        self.pool = pool

    async def first_time(self, event_id: str) -> bool:
        return await self.pool.run(self.seen.first_time, "slack:" + event_id)


class SkipRedeliveries(AsyncMiddleware):
    """Bolt middleware: answer a repeated event with 200 and do nothing else."""

    def __init__(self, events: EventLog | None = None) -> None:
        self.events = events if events is not None else MemoryEvents()

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        attempt = retry_attempt(req)
        reason = (req.headers.get("x-slack-retry-reason") or [""])[0]
        if attempt and reason == FIRST_COPY_ARRIVED:
            log.info("skipped Slack retry %d (%s: the first copy arrived)", attempt, reason)
            return _dropped()
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if isinstance(event_id, str) and not await self._first_time(event_id):
            log.info("skipped repeated Slack event %s%s", event_id, f" (retry {attempt}, {reason})" if attempt else "")
            return _dropped()
        if attempt:
            log.info("handling Slack retry %d (%s) of event %s: no copy arrived before", attempt, reason, event_id)
        return await next()

    async def _first_time(self, event_id: str) -> bool:
        try:
            return await self.events.first_time(event_id)
        except Exception:
            # Better a rare double answer than a lost one: handle it, and say why in the log.
            log.warning("could not check Slack event %s against the store; handling it", event_id, exc_info=True)
            return True


def _dropped() -> BoltResponse:
    # x-slack-no-retry: this copy is accounted for, Slack need not send more.
    return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})


def retry_attempt(req: AsyncBoltRequest) -> int:
    """Slack's retry number for this delivery; 0 for a first delivery.

    Socket Mode sends ``retry_attempt: 0`` on first deliveries, which bolt passes on as the
    header ``x-slack-retry-num: 0``: only a number above zero is a retry.
    """
    values = req.headers.get("x-slack-retry-num") or []
    try:
        return int(values[0]) if values else 0
    except ValueError:
        return 1  # a retry header we cannot read is still a retry

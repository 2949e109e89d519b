"""Make sure one Slack request never produces two posts.

Slack re-sends an event (with ``X-Slack-Retry-Num``) when it saw no 2xx within 3 s, and may
deliver the same ``event_id`` more than once. Bolt answers events before running listeners, so
a retry almost always means the first delivery arrived; retries are answered 200 and dropped,
and every ``event_id`` is remembered (bounded, most recent kept) so a repeat is dropped too.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

log = logging.getLogger("briefbot.slack")


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


class SkipRedeliveries(AsyncMiddleware):
    """Bolt middleware: answer retries and repeated event ids with 200, and do nothing else."""

    def __init__(self, capacity: int = 4096) -> None:
        self.seen = SeenIds(capacity)

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        attempt = retry_attempt(req)
        if attempt:
            reason = (req.headers.get("x-slack-retry-reason") or ["?"])[0]
            log.info("skipped Slack retry %d (%s)", attempt, reason)
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        # Marked before the listener runs: asyncio has no await between the check and the add.
        if isinstance(event_id, str) and not self.seen.add(event_id):
            log.info("skipped repeated Slack event %s", event_id)
            return BoltResponse(status=200, body="")
        return await next()


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

"""Keep posts under a platform's rate limits: per channel, and per API method.

``ChannelPacer``: Slack allows about one message per second per channel; a digest with a
thread of replies would otherwise burst past it and collect 429s. The interval counts from
the start of one post to the start of the next (the rate Slack counts), one post per
channel at a time. Different channels go ahead in parallel, however many there are.

``MethodGate``: besides the per-channel rate, Slack limits each method workspace-wide and
answers 429 with ``Retry-After``. One 429 closes the method for every channel of this
client until then, instead of each post finding out for itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import AsyncIterator


class ChannelPacer:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._started: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def turn(self, channel: str) -> AsyncIterator[None]:
        """Post to ``channel`` inside this block; one post per channel at a time, their starts
        at least ``interval`` apart (call ``started`` if the request itself began later)."""
        async with self._locks[channel]:
            wait = self._started.get(channel, float("-inf")) + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._started[channel] = time.monotonic()
            yield

    def started(self, channel: str) -> None:
        """The request of the current turn started now (after waiting for a ``MethodGate``)."""
        self._started[channel] = time.monotonic()


class MethodGate:
    """Per-method pauses from 429 ``Retry-After``, shared by every channel of one client."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    async def ready(self, method: str) -> bool:
        """Wait until ``method`` may be called; True if it had to wait."""
        waited = False
        while (wait := self._until.get(method, 0.0) - time.monotonic()) > 0:
            await asyncio.sleep(wait)
            waited = True
        return waited

    def limited(self, method: str, retry_after: float) -> None:
        """Slack said 429 with ``Retry-After: retry_after`` for ``method``."""
        until = time.monotonic() + max(retry_after, 0.0)
        self._until[method] = max(self._until.get(method, 0.0), until)

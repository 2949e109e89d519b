"""Keep posts to one channel under the platform's per-channel rate.

Slack allows about one message per second per channel; a digest with a thread of
replies would otherwise burst past it and collect 429s. The interval runs from the end
of one post to the start of the next, so a slow answer never squeezes two posts
together at the server. Different channels go ahead in parallel.
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
        self._done: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def turn(self, channel: str) -> AsyncIterator[None]:
        """Post to ``channel`` inside this block; one post per channel at a time, spaced out."""
        async with self._locks[channel]:
            wait = self._done.get(channel, 0.0) + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._done[channel] = time.monotonic()

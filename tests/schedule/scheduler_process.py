"""A real ``briefbot serve``-like process for the multi-process tests: it starts the
scheduler on a shared database and delivers digests by appending to a file.

    python -m tests.schedule.scheduler_process DB_URL OUTFILE STOP_AT_EPOCH [PLATFORM,…]

It posts to the platforms listed (default ``shell``), each through the same file.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

from bot.config import Config
from bot.runtime import BotRuntime
from bot.schedule.digest import Digest, Receipt
from bot.schedule.jobs import build_scheduler, install
from bot.schedule.runner import Runner
from bot.store import Store


def main() -> None:
    db_url, outfile, stop_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
    platforms = sys.argv[4].split(",") if len(sys.argv) > 4 else ["shell"]

    async def deliver(channel: str, digest: Digest) -> Receipt:
        # One line per post, written atomically (O_APPEND) so two processes never interleave.
        line = (
            f"{os.getpid()} {digest.schedule_id} {channel} {digest.run_key} {len(digest.items)} {'/'.join(platforms)}\n"
        )
        fd = os.open(outfile, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
        return Receipt(message_id=str(os.getpid()))

    async def run() -> None:
        store = Store(db_url)
        runner = Runner(store, dict.fromkeys(platforms, deliver))
        install(BotRuntime(Config(grace_seconds=3600), store, runner))
        scheduler = build_scheduler(store, 3600, platforms=platforms)
        scheduler.start()  # the jobs are already in the shared job store
        while time.time() < stop_at:
            await asyncio.sleep(0.1)
        scheduler.shutdown(wait=True)
        runner.close()
        store.close()

    asyncio.run(run())


if __name__ == "__main__":
    main()

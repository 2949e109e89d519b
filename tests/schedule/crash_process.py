"""A bot that dies mid-run, for the crash tests: SIGKILL, no clean-up, as a power cut or the
OOM killer would.

    python -m tests.schedule.crash_process DB_URL SOURCE OUTFILE WHERE SLOT_ISO

WHERE is ``deliverer`` (killed inside the deliverer, after its first message went out) or
``briefing`` (killed while the articles are briefed, before anything is posted).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import datetime

from bot.config import Config
from bot.runtime import BotRuntime
from bot.schedule.digest import Digest, Receipt
from bot.schedule.runner import run_key_for
from bot.schedule.spec import ScheduleSpec
from bot.translate.glossary import GlossaryTranslator

SPEC_ID = "crashy"


def spec(source: str) -> ScheduleSpec:
    return ScheduleSpec(SPEC_ID, "shell", ("shell",), "daily 07:00", "UTC", source)


class DyingTranslator(GlossaryTranslator):
    def translate(self, request):
        os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    db_url, source, outfile, where, slot_iso = sys.argv[1:6]
    slot = datetime.fromisoformat(slot_iso)

    async def deliver(channel: str, digest: Digest) -> Receipt:
        with open(outfile, "a", encoding="utf-8") as out:  # the first message is in the channel
            out.write(f"{digest.run_key} {channel} {len(digest.items)}\n")
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    async def run() -> None:
        translator = DyingTranslator() if where == "briefing" else None
        config = Config(database=db_url, schedules=(spec(source),), timezone="UTC")
        runtime = BotRuntime.create(config, {"shell": deliver}, translator=translator)
        # The run the scheduler starts for this slot (scheduled_job hands it the same).
        await runtime.runner.run(spec(source), run_key_for(slot), slot=slot)

    asyncio.run(run())


if __name__ == "__main__":
    main()

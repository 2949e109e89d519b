"""``briefbot schedule list|run``: work with schedules without starting any adapter."""

from __future__ import annotations

import argparse
import asyncio

from adapters.deliverers import open_deliverers
from adapters.shell.render import for_terminal
from bot.chat.commands import ScheduleCommand
from bot.chat.schedule import FixedAdmin, handle
from bot.config import Config, load_config
from bot.errors import ConfigError
from bot.runtime import BotRuntime


def list_schedules(args: argparse.Namespace) -> int:
    runtime = BotRuntime.create(load_config(args.config), {})
    try:
        ctx = runtime.schedule_context(platform="shell", channel="shell", user="cli", admins=FixedAdmin(True))
        print(for_terminal(asyncio.run(handle(ScheduleCommand("list", ()), ctx))))
    finally:
        runtime.stop()
    return 0


def run_schedule(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    return asyncio.run(_run(config, args.id))


async def _run(config: Config, schedule_id: str) -> int:
    runtime = BotRuntime.create(config, {})
    try:
        spec = runtime.store.get_schedule(schedule_id)
        if spec is None:
            raise ConfigError("There is no schedule {id}; briefbot schedule list shows them.", id=schedule_id)
        async with open_deliverers({spec.platform}, runtime) as deliverers:
            runtime.deliverers.update(deliverers)
            outcomes = await runtime.run_now(spec)
    finally:
        runtime.stop()
    failed = False
    for o in outcomes:
        print(for_terminal(f"{spec.id} → {o.channel}: {o.status}{': ' + o.detail if o.detail else ''}"))
        failed |= o.status == "failed"
    return 1 if failed else 0

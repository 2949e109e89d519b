"""Load: signed ``/brief`` requests at a fixed concurrency through ``briefbot serve`` (HTTP mode).

    python -m bench.load [--requests 600] [--concurrency 20] [--channels 100]

``briefbot serve`` runs in a subprocess, as a user runs it, with ``BRIEFBOT_SLACK_API_URL``
pointing at the fake Slack of ``fakes/slack_api.py`` (served by this process). Each request is
the seed article as ``/brief`` text, form-encoded and v0-signed, to one of ``--channels``
channels in turn (Slack paces posts per channel, and so does the bot). Meanwhile ``/healthz`` is
asked every 100 ms. Measured: request → ack for every request, ``/healthz`` answer times, how
many briefings reach the fake Slack (and how long the last one took), and the peak resident
memory (``VmHWM`` in ``/proc/PID/status``) of the serve process plus every process it started,
summed (a page two processes share counts in each, so the sum is an upper bound).

Targets (issue 11): every ack < 1 s, p99 < 300 ms, ``/healthz`` max < 250 ms, every briefing
posted, peak RSS ≤ 500 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.corpus import ROOT, SEED
from bot.chat.workers import BUSY
from fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlack, sign, slash_command_body

ACK_MAX_S = 1.0
ACK_P99_MS = 300
HEALTH_MAX_MS = 250
RSS_MAX_MB = 500
HEALTH_EVERY = 0.1


@dataclass
class Run:
    acks: list[float] = field(default_factory=list)  # seconds
    statuses: list[int] = field(default_factory=list)
    health: list[float] = field(default_factory=list)  # seconds
    health_failures: int = 0
    posted: int = 0
    told: int = 0  # answers through response_url (a refusal, an error)
    busy: int = 0  # acks that said "busy, try again in a minute" (nothing is posted for those)
    last_post_s: float = 0.0
    #: Peak resident memory of the serve process and of each process it started (worker pools).
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    cpu_s: dict[int, float] = field(default_factory=dict)
    stderr: str = ""
    #: The bot's own counters at the end (``/metrics``, non-zero ``briefbot_*`` samples).
    metrics: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(port: int) -> list[str]:
    """``briefbot serve`` from this environment (the console script), else ``python -m bot serve``."""
    script = shutil.which("briefbot", path=str(Path(sys.executable).parent))
    base = [script] if script else [sys.executable, "-m", "bot"]
    return [*base, "serve", "--host", "127.0.0.1", "--port", str(port)]


def proc_status(pid: int, key: str) -> float:
    """A ``kB`` field of ``/proc/PID/status`` in MB (VmHWM: peak resident memory)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it (worker pools are child processes)."""
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += process_tree(int(child))
    return found


def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def wait_until_up(session: aiohttp.ClientSession, url: str, proc: asyncio.subprocess.Process) -> None:
    for _ in range(1500):
        if proc.returncode is not None:
            raise RuntimeError("briefbot serve stopped before it listened")
        with contextlib.suppress(aiohttp.ClientConnectionError):
            async with session.get(url) as resp:
                if resp.status == 200:
                    return
        await asyncio.sleep(0.02)
    raise RuntimeError(f"{url} never answered")


async def measure(
    requests: int, concurrency: int, channels: int, post_timeout: float, cpu_workers: int | None = None
) -> Run:
    run = Run()
    fake = await FakeSlack().start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))}
    scratch = tempfile.mkdtemp(prefix="briefbot-load-")
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        BRIEFBOT_SLACK_API_URL=fake.api_url,
        BRIEFBOT_DB=str(Path(scratch) / "load.db"),
    )
    if cpu_workers is not None:
        env["BRIEFBOT_CPU_WORKERS"] = str(cpu_workers)
    proc = await asyncio.create_subprocess_exec(*serve_command(port), cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE)
    stderr = asyncio.create_task(proc.stderr.read())  # type: ignore[union-attr]
    seed = SEED.read_text(encoding="utf-8")
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency + 4)) as session:
            await wait_until_up(session, base + "/healthz", proc)
            started = time.monotonic()
            done = asyncio.Event()

            async def probe() -> None:
                while not done.is_set():
                    t0 = time.monotonic()
                    try:
                        async with session.get(base + "/healthz", timeout=aiohttp.ClientTimeout(total=10)) as r:
                            await r.read()
                            ok = r.status == 200
                    except (aiohttp.ClientError, TimeoutError):
                        ok = False
                    run.health.append(time.monotonic() - t0)
                    run.health_failures += not ok
                    await asyncio.sleep(HEALTH_EVERY)

            numbers = iter(range(requests))
            bodies = [
                slash_command_body(seed, response_url=fake.response_url(f"r{n}"), channel=f"C{n % channels:05d}")
                for n in range(requests)
            ]

            async def client() -> None:
                for n in numbers:
                    body = bodies[n]
                    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
                    t0 = time.monotonic()
                    async with session.post(base + "/slack/events", data=body, headers=headers) as resp:
                        answer = await resp.read()
                    run.acks.append(time.monotonic() - t0)
                    run.busy += BUSY.encode() in answer
                    run.statuses.append(resp.status)

            prober = asyncio.create_task(probe())
            await asyncio.gather(*(client() for _ in range(concurrency)))

            def finished() -> bool:
                parents = sum(1 for c in fake.posts if "thread_ts" not in c.body)
                return parents + len(fake.of("response_url")) + run.busy >= requests

            with contextlib.suppress(AssertionError):
                await fake.wait_for(finished, timeout=post_timeout)
            done.set()
            await prober
            async with session.get(base + "/metrics") as scraped:
                run.metrics = [
                    line
                    for line in (await scraped.text()).splitlines()
                    if line.startswith("briefbot_")
                    and " 0.0" not in line
                    and "_created" not in line
                    and "_bucket" not in line
                ]
            parents = [c for c in fake.posts if "thread_ts" not in c.body]
            run.posted = len(parents)
            run.told = len(fake.of("response_url"))
            run.last_post_s = (max(c.at for c in parents) - started) if parents else 0.0
            for pid in process_tree(proc.pid):
                run.peak_rss_mb[pid] = proc_status(pid, "VmHWM")
                run.cpu_s[pid] = proc_cpu_seconds(pid)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), timeout=30)
        except TimeoutError:
            proc.kill()
            await proc.wait()
        run.stderr = (await stderr).decode("utf-8", "replace")
        await fake.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return run


def report(run: Run, args: argparse.Namespace) -> bool:
    acks_ms = [a * 1000 for a in run.acks]
    health_ms = [h * 1000 for h in run.health]
    python = sys.version.split()[0]
    workers = "serve's default" if args.cpu_workers is None else str(args.cpu_workers)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}; {args.requests} signed /brief "
        f"requests (the seed) at concurrency {args.concurrency}, {args.channels} channels; CPU workers: {workers}"
    )
    bad = sum(1 for s in run.statuses if s != 200)
    print(
        f"acks: {len(acks_ms)} ({bad} not 200); median {statistics.median(acks_ms):.1f} ms, "
        f"p90 {percentile(acks_ms, 0.9):.1f} ms, p99 {percentile(acks_ms, 0.99):.1f} ms, max {max(acks_ms):.1f} ms; "
        f"over 1 s: {sum(a > 1000 for a in acks_ms)}, over 3 s: {sum(a > 3000 for a in acks_ms)}"
    )
    print(
        f"/healthz: {len(health_ms)} probes, median {statistics.median(health_ms):.1f} ms, "
        f"max {max(health_ms):.1f} ms, failed {run.health_failures}"
    )
    print(
        f"briefings posted: {run.posted}/{args.requests} (last {run.last_post_s:.1f} s after the first request); "
        f"answered through response_url instead: {run.told}; told busy in the ack: {run.busy}"
    )
    rss = list(run.peak_rss_mb.values())
    total_rss = sum(rss)
    shown = " + ".join(f"{r:.0f}" for r in rss)
    print(
        f"serve: peak RSS {total_rss:.0f} MB ({len(rss)} process(es): {shown} MB), "
        f"CPU {sum(run.cpu_s.values()):.1f} s ({' + '.join(f'{c:.1f}' for c in run.cpu_s.values())})"
    )
    checks = [
        ("every ack < 1 s", bool(acks_ms) and max(acks_ms) < ACK_MAX_S * 1000 and bad == 0),
        ("ack p99 < 300 ms", bool(acks_ms) and percentile(acks_ms, 0.99) < ACK_P99_MS),
        ("/healthz max < 250 ms", bool(health_ms) and max(health_ms) < HEALTH_MAX_MS and run.health_failures == 0),
        ("every briefing posted", run.posted == args.requests),
        ("peak RSS ≤ 500 MB (all processes)", total_rss <= RSS_MAX_MB),
    ]
    for name, met in checks:
        print(f"    {name}: {'met' if met else 'NOT met'}")
    return all(met for _, met in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--post-timeout", type=float, default=300.0, help="seconds to wait for the last post")
    parser.add_argument(
        "--cpu-workers",
        type=int,
        default=None,
        help="BRIEFBOT_CPU_WORKERS for serve (0: analyse on a thread of the serve process; default: serve's own)",
    )
    parser.add_argument("--show-log", action="store_true", help="print the serve process's stderr")
    args = parser.parse_args(argv)
    run = asyncio.run(measure(args.requests, args.concurrency, args.channels, args.post_timeout, args.cpu_workers))
    met = report(run, args)
    if not met or args.show_log:
        print("--- briefbot serve's own counters at the end (/metrics, briefbot_* samples that are not 0) ---")
        print("\n".join(run.metrics))
    if args.show_log or "Traceback" in run.stderr:
        print("--- briefbot serve stderr ---")
        print(run.stderr[-4000:])
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())

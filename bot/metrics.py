"""Prometheus metrics: what the bot did, how long it took, and what is waiting.

Everything here goes to prometheus-client's default registry, which ``briefbot serve``
serves at ``/metrics`` (with the process's own memory and CPU). Adapters and the core
record through the small functions below, so metric names and labels live in one place.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from bot.chat.workers import Workers

log = logging.getLogger(__name__)

#: What became of a briefing someone asked for.
BRIEFING_OUTCOMES = ("posted", "refused", "failed", "busy")
#: What became of one scheduled run in one channel.
RUN_OUTCOMES = ("posted", "failed", "missed", "unknown", "empty")

BRIEFINGS = Counter(
    "briefbot_briefings",
    "Briefings asked for in chat, by platform, trigger (command, mention) and outcome "
    "(posted; refused: the user was told why in one sentence; failed: an internal error; busy: the queue was full).",
    ["platform", "trigger", "outcome"],
)
BRIEFING_SECONDS = Histogram(
    "briefbot_briefing_seconds",
    "Seconds from a chat request to its briefing posted, by platform and trigger.",
    ["platform", "trigger"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120),
)
TRANSLATION_SECONDS = Histogram(
    "briefbot_translation_seconds",
    "Seconds to give a briefing its other language, by translator.",
    ["translator"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
TRANSLATION_FALLBACKS = Counter(
    "briefbot_translation_fallbacks",
    "Briefings whose translation backend gave no usable answer, so the glossary was used, by translator.",
    ["translator"],
)
RATE_LIMITED = Counter(
    "briefbot_platform_rate_limited",
    "HTTP 429 answers from a platform's API, by platform.",
    ["platform"],
)
SCHEDULED_RUNS = Counter(
    "briefbot_scheduled_runs",
    "Scheduled runs per channel, by platform and outcome (posted, failed, missed, unknown, empty).",
    ["platform", "outcome"],
)
SCHEDULED_RUN_LAST = Gauge(
    "briefbot_scheduled_run_last_timestamp_seconds",
    "Unix time of the latest scheduled run per channel with this platform and outcome.",
    ["platform", "outcome"],
)


def record_briefing(platform: str, trigger: str, outcome: str, seconds: float | None = None) -> None:
    """Count one chat briefing; ``seconds`` (request → posted) only for a posted one."""
    BRIEFINGS.labels(platform, trigger, outcome).inc()
    if seconds is not None:
        BRIEFING_SECONDS.labels(platform, trigger).observe(seconds)


def record_translation(translator: str, seconds: float, *, fell_back: bool) -> None:
    TRANSLATION_SECONDS.labels(translator).observe(seconds)
    if fell_back:
        TRANSLATION_FALLBACKS.labels(translator).inc()


def record_rate_limited(platform: str) -> None:
    RATE_LIMITED.labels(platform).inc()


def record_scheduled_run(platform: str, outcome: str) -> None:
    """Count one scheduled run in one channel: ``outcome`` is posted, failed, missed, unknown or empty.

    For the scheduling code to call once per channel and run. An outcome outside that list is
    logged and counted as ``unknown``, so a new status never breaks a run.
    """
    if outcome not in RUN_OUTCOMES:
        log.warning("scheduled run outcome %r is not one of %s; counted as unknown", outcome, ", ".join(RUN_OUTCOMES))
        outcome = "unknown"
    SCHEDULED_RUNS.labels(platform, outcome).inc()
    SCHEDULED_RUN_LAST.labels(platform, outcome).set(time.time())


class _WorkersCollector(Collector):
    """Queue depth and pool load, read from the running bot's ``Workers`` when scraped."""

    def __init__(self) -> None:
        self.workers: Workers | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        workers = self.workers
        if workers is None:
            return
        yield GaugeMetricFamily(
            "briefbot_queue_depth", "Briefings accepted and not finished (waiting or running).", value=workers.admitted
        )
        yield GaugeMetricFamily(
            "briefbot_queue_limit", "Briefings accepted at once before new ones are told to retry.", value=workers.limit
        )
        jobs = GaugeMetricFamily(
            "briefbot_pool_jobs",
            "Jobs given to a worker pool and not finished, by pool and state (running, waiting).",
            labels=["pool", "state"],
        )
        size = GaugeMetricFamily("briefbot_pool_size", "Threads or processes in a worker pool.", labels=["pool"])
        for pool in workers.pools:
            jobs.add_metric([pool.name, "running"], pool.running)
            jobs.add_metric([pool.name, "waiting"], pool.waiting)
            size.add_metric([pool.name], pool.size)
        yield jobs
        yield size


_workers = _WorkersCollector()
REGISTRY.register(_workers)


def watch(workers: Workers | None) -> None:
    """Report this ``Workers``' queue and pools at ``/metrics`` (None: stop)."""
    _workers.workers = workers

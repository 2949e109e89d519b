"""Bounded pools that keep blocking work off the event loop, and the bounded queue in front of them.

asyncio's default pool (``min(32, cores + 4)`` threads: 6 on 2 cores) used to run every
briefing, fetch and schedule command; six ``/brief <slow link>`` filled it and no other
briefing was posted. Each kind of work now has a pool of its own:

- ``network``: threads that wait on sockets — fetching a link, asking a translation backend.
  Waiting costs no CPU, so there are many (``BRIEFBOT_NETWORK_THREADS``, default 16).
- ``cpu``: worker processes that analyse articles (``BRIEFBOT_CPU_WORKERS``, default one per
  core but one). Analysis is pure Python and holds the interpreter lock, so on a thread it
  takes turns with the event loop: measured with ``python -m bench.load`` (600 requests at
  concurrency 20, 2 cores), one analysing thread put the p99 ack at 0.51 s, one worker
  process at 0.21–0.29 s. Workers load the models before the bot answers, and run at a
  lower priority than the loop.
- ``store``: a few threads for quick database calls made while answering a request (event
  ids already seen, the readiness check), which must never wait behind a slow site.

In front of them, a bounded queue: a briefing is accepted while fewer than ``limit`` are in
flight (``BRIEFBOT_QUEUE_LIMIT``, default 1000), a link while fewer than four per network
thread are; otherwise the user is told at once to try again in a minute.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from bot import settings
from bot.errors import BriefbotError

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY = "briefbot is busy with other briefings right now; try again in a minute."
BUSY_LINKS = "briefbot is fetching many links right now; try again in a minute, or paste the article's text."
#: Added to the worker processes' niceness: when cores are short, the event loop goes first.
WORKER_NICENESS = 10
#: Links in flight per network thread before new links are refused.
LINKS_PER_THREAD = 4


class Busy(BriefbotError):
    """The queue is full; the user should try again in a minute."""


def start_worker() -> None:
    """Each worker process, once: yield the CPU to the serve process, then load every model."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    from bot.text.analyse import preload

    preload()


class Pool:
    """An executor and the jobs it was given that have not finished."""

    def __init__(self, name: str, size: int, make: Callable[[], Executor]) -> None:
        self.name = name
        self.size = size
        self._make = make
        self._executor = make()
        self.in_flight = 0

    @property
    def running(self) -> int:
        return min(self.in_flight, self.size)

    @property
    def waiting(self) -> int:
        return max(0, self.in_flight - self.size)

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        return self._executor.submit(fn, *args)

    async def run(self, fn: Callable[..., T], /, *args: Any) -> T:
        """``fn(*args)`` in this pool (use ``functools.partial`` for keywords); the event loop stays free."""
        executor = self._executor
        self.in_flight += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        except BrokenProcessPool:
            # A worker process died (killed for memory, a crash in C code) and the pool now refuses
            # everything: start a fresh one for the next jobs. This job's caller sees the error.
            log.error("a %s worker process stopped; starting new ones", self.name)
            if self._executor is executor:
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._make()
            raise
        finally:
            self.in_flight -= 1

    def close(self) -> None:
        # Worker processes are waited for (their jobs are short CPU work): leaving a process pool
        # with wait=False races its manager thread against interpreter exit, which can print a
        # "Bad file descriptor" traceback on the way out. Threads waiting on the network are not.
        self._executor.shutdown(wait=isinstance(self._executor, ProcessPoolExecutor), cancel_futures=True)


class Ticket:
    """A briefing's place in the queue; leaving the ``with`` block gives it back (so does ``release``).

    A ticket without ``workers`` holds no place: for briefers without a queue.
    """

    def __init__(self, workers: Workers | None = None, link: bool = False) -> None:
        self._workers: Workers | None = workers
        self._link = link

    def __enter__(self) -> Ticket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        workers, self._workers = self._workers, None
        if workers is not None:
            workers.admitted -= 1
            workers.links -= self._link


class Workers:
    """The pools and the queue of one running bot."""

    def __init__(
        self,
        *,
        network_threads: int = 16,
        cpu_processes: int = 0,
        store_threads: int = 4,
        limit: int = 1000,
    ) -> None:
        self.network = Pool(
            "network",
            network_threads,
            lambda: ThreadPoolExecutor(network_threads, thread_name_prefix="briefbot-network"),
        )
        if cpu_processes:
            context = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks inherited
            self.cpu = Pool(
                "cpu",
                cpu_processes,
                lambda: ProcessPoolExecutor(cpu_processes, mp_context=context, initializer=start_worker),
            )
        else:
            self.cpu = Pool("cpu", 1, lambda: ThreadPoolExecutor(1, thread_name_prefix="briefbot-cpu"))
        self.store = Pool(
            "store", store_threads, lambda: ThreadPoolExecutor(store_threads, thread_name_prefix="briefbot-store")
        )
        self.processes = cpu_processes
        self.limit = limit
        self.link_limit = LINKS_PER_THREAD * network_threads
        self.admitted = 0
        self.links = 0
        self._warming: list[Future[int]] = []

    @classmethod
    def from_env(cls) -> Workers:
        """Sized by ``BRIEFBOT_NETWORK_THREADS``, ``BRIEFBOT_CPU_WORKERS`` and ``BRIEFBOT_QUEUE_LIMIT``."""
        return cls(
            network_threads=settings.network_threads(),
            cpu_processes=settings.cpu_workers(),
            limit=settings.queue_limit(),
        )

    @property
    def pools(self) -> tuple[Pool, ...]:
        return (self.network, self.cpu, self.store)

    def start(self) -> None:
        """Start the worker processes now, each loading the models, rather than on the first briefing.

        Call it before the event loop starts, so the processes load while the serve process
        does too; ``started()`` waits for them.
        """
        self._warming = [self.cpu.submit(os.getpid) for _ in range(self.processes)]

    async def started(self) -> None:
        await asyncio.gather(*(asyncio.wrap_future(f) for f in self._warming))

    def admit(self, *, link: bool) -> Ticket:
        """A place in the queue for one briefing (``link``: it fetches a URL first); ``Busy`` when full."""
        if self.admitted >= self.limit:
            raise Busy(BUSY)
        if link and self.links >= self.link_limit:
            raise Busy(BUSY_LINKS)
        self.admitted += 1
        self.links += link
        return Ticket(self, link)

    def saturated(self) -> str | None:
        """Why a new briefing would be refused now, or None."""
        if self.admitted >= self.limit:
            return f"the queue is full ({self.admitted} briefings in flight, limit {self.limit})"
        if self.links >= self.link_limit:
            return f"too many links in flight ({self.links}, limit {self.link_limit})"
        return None

    def close(self) -> None:
        for pool in self.pools:
            pool.close()


__all__ = ["BUSY", "BUSY_LINKS", "Busy", "Pool", "Ticket", "Workers", "start_worker"]

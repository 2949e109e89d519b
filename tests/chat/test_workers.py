"""The bounded pools and queue (``bot.chat.workers``) and briefing in them (``bot.chat.briefer``)."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures.process import BrokenProcessPool

import pytest
from prometheus_client import REGISTRY

from bot import metrics
from bot.chat.briefer import brief_text, make_briefer
from bot.chat.commands import BriefCommand
from bot.chat.workers import BUSY, BUSY_LINKS, Busy, Workers
from bot.text.pipeline import summarize
from bot.translate.llm import LLMSettings, OpenAITranslator

ARTICLE = "南韓政府成立電影委員會及媒體中心，大力打造商業影視產品。韓劇的節奏曾不被看好，如今卻成賣座主流。"


@pytest.fixture
def workers():
    pools = Workers(network_threads=2)
    yield pools
    pools.close()


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_cpu_work_goes_on_while_every_network_thread_waits(workers):
    release = threading.Event()
    waiting = [asyncio.ensure_future(workers.network.run(release.wait, 30)) for _ in range(3)]
    await asyncio.sleep(0.1)
    assert (workers.network.running, workers.network.waiting) == (2, 1)

    briefing = await workers.cpu.run(summarize, ARTICLE)  # not behind the network's queue
    assert briefing.key_points
    assert not any(w.done() for w in waiting)
    release.set()
    await asyncio.gather(*waiting)
    assert workers.network.in_flight == 0


def test_the_queue_takes_limit_briefings_and_links_apart():
    workers = Workers(network_threads=1, limit=6)
    tickets = [workers.admit(link=True) for _ in range(4)]  # four links per network thread
    with pytest.raises(Busy) as info:
        workers.admit(link=True)
    assert info.value.message == BUSY_LINKS
    assert workers.saturated() == "too many links in flight (4, limit 4)"
    pasted = [workers.admit(link=False) for _ in range(2)]  # pasted text still has room
    with pytest.raises(Busy) as info:
        workers.admit(link=False)
    assert info.value.message == BUSY
    assert workers.saturated() == "the queue is full (6 briefings in flight, limit 6)"

    with tickets[0]:
        pass
    tickets[0].release()  # twice gives back one place
    assert (workers.admitted, workers.links) == (5, 3)
    for ticket in [*tickets[1:], *pasted]:
        ticket.release()
    assert (workers.admitted, workers.links, workers.saturated()) == (0, 0, None)
    workers.close()


async def test_a_worker_process_that_dies_is_replaced():
    workers = Workers(cpu_processes=1)
    try:
        workers.start()
        await workers.started()
        first = await workers.cpu.run(os.getpid)
        assert first != os.getpid()
        with pytest.raises(BrokenProcessPool):
            await workers.cpu.run(os._exit, 1)  # as if the kernel had killed it for memory
        second = await workers.cpu.run(os.getpid)
        assert second not in (first, os.getpid())
        briefing = await workers.cpu.run(summarize, ARTICLE)  # the new one briefs
        assert briefing.key_points
    finally:
        workers.close()


async def test_the_briefer_briefs_in_a_worker_process_like_in_this_one(seed_text):
    workers = Workers(cpu_processes=1)
    try:
        briefing = await make_briefer(workers=workers)(BriefCommand(seed_text))
    finally:
        workers.close()
    assert briefing == summarize(seed_text, source="pasted text")


async def test_a_translation_backend_is_asked_from_the_network_pool_and_measured(workers, llm, seed_text):
    translator = OpenAITranslator(LLMSettings(base_url=llm.base_url, model="fake-model", retries=0))
    name = "openai:fake-model"
    asked = sample("briefbot_translation_seconds_count", translator=name)
    fell_back = sample("briefbot_translation_fallbacks_total", translator=name)

    good = await brief_text(workers, seed_text, translator=translator)
    llm.script("500")
    bad = await brief_text(workers, ARTICLE, translator=translator)  # not in the translator's cache

    assert good.translator.name == name and good.summary.en.startswith("English rendering")
    assert bad.translator.name == "cc-cedict" and "glossary was used" in " ".join(bad.notes)
    assert sample("briefbot_translation_seconds_count", translator=name) == asked + 2
    assert sample("briefbot_translation_fallbacks_total", translator=name) == fell_back + 1
    assert len(llm.requests) == 2


def test_scheduled_runs_are_counted_by_outcome(caplog):
    before = {o: sample("briefbot_scheduled_runs_total", platform="slack", outcome=o) for o in ("posted", "unknown")}
    metrics.record_scheduled_run("slack", "posted")
    metrics.record_scheduled_run("slack", "exploded")  # not a known outcome: counted, never raised

    assert sample("briefbot_scheduled_runs_total", platform="slack", outcome="posted") == before["posted"] + 1
    assert sample("briefbot_scheduled_runs_total", platform="slack", outcome="unknown") == before["unknown"] + 1
    assert sample("briefbot_scheduled_run_last_timestamp_seconds", platform="slack", outcome="posted") > 0
    assert "'exploded' is not one of" in caplog.text

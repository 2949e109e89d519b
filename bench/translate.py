"""Translation-backend benchmark against a fake OpenAI-compatible server that answers
after a fixed 200 ms.

    python -m bench.translate [--concurrency 8] [--briefings 50]

Prints the backend's own overhead per briefing (time minus the fake's latency; target
≤ 20 ms) and the wall time of translating many briefings at once with a concurrency
limit, beside the ideal (batches × latency).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from bench.corpus import SEED
from bot import summarize
from bot.translate.base import TranslationRequest
from bot.translate.glossary import GlossaryTranslator
from bot.translate.llm import LLMSettings, MemoryCache, OpenAITranslator
from fakes.openai_api import FakeLLM

LATENCY = 0.2


def requests_for(n: int) -> list[TranslationRequest]:
    """``n`` distinct requests shaped like the seed's briefing (so no cache hits)."""
    b = summarize(SEED.read_text(encoding="utf-8"), translator=GlossaryTranslator())
    points = tuple(p.zh or "" for p in b.key_points)
    terms = tuple(k.term for k in b.keywords)
    return [
        TranslationRequest("zh-Hant", "en", f"{b.summary.zh}（{i}）", tuple(f"{p}（{i}）" for p in points), terms)
        for i in range(n)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--briefings", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    fake = FakeLLM(latency=LATENCY).start()
    try:
        settings = LLMSettings(base_url=fake.base_url, model="fake", timeout=10, retries=0, total_timeout=20)
        # Sequential: each briefing's translation time, minus the server's fixed latency.
        translator = OpenAITranslator(settings, cache=MemoryCache())
        seq = requests_for(args.repeat + 1)
        translator.translate(seq[0])  # warm the connection
        times = []
        for request in seq[1:]:
            start = time.perf_counter()
            result = translator.translate(request)
            times.append(time.perf_counter() - start)
            assert result.info.kind == "translation"
        median = statistics.median(times)
        print(f"fake latency {LATENCY * 1000:.0f} ms; one briefing: median {median * 1000:.1f} ms")
        print(f"backend overhead per briefing: {(median - LATENCY) * 1000:.1f} ms   (target ≤ 20 ms)")

        # Concurrent: many briefings at once, at most --concurrency requests in flight.
        batch = requests_for(args.briefings)
        translator = OpenAITranslator(settings, cache=MemoryCache())
        sent = len(fake.requests)
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(translator.translate, batch))
        wall = time.perf_counter() - start
        ideal = math.ceil(args.briefings / args.concurrency) * LATENCY
        ok = sum(1 for r in results if r.info.kind == "translation")
        print(
            f"{args.briefings} briefings, concurrency {args.concurrency}: {wall:.2f} s wall "
            f"(ideal {ideal:.2f} s, ratio {wall / ideal:.2f}×); {ok}/{args.briefings} translated, "
            f"{len(fake.requests) - sent} requests"
        )
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

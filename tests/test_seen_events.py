"""Event ids in the store (``bot.store.SeenEvents``): replicas on one database answer an event once."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.store import SeenEvents, Store, _now


def test_of_many_processes_recording_one_event_exactly_one_is_first(db_url):
    stores = [Store(db_url) for _ in range(4)]  # a connection pool each, as replicas have
    try:
        start = threading.Barrier(8)
        answers: list[bool] = []

        def record(store: Store) -> None:
            start.wait()
            answers.append(SeenEvents(store).first_time("slack:Ev-race"))

        threads = [threading.Thread(target=record, args=(stores[n % 4],)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(answers) == [False] * 7 + [True]
        assert SeenEvents(stores[0]).first_time("slack:Ev-other")
    finally:
        for store in stores:
            store.close()


def test_old_event_ids_are_forgotten(sqlite_url):
    store = Store(sqlite_url)
    seen = SeenEvents(store)
    assert seen.first_time("slack:Ev-old")
    assert seen.forget_before(_now() - timedelta(hours=1)) == 0
    assert seen.forget_before(_now() + timedelta(seconds=1)) == 1
    assert seen.first_time("slack:Ev-old")  # forgotten, so new again
    store.close()

"""The discussion benchmark's matching, and its second-reader measure: the gold read as a reader
agrees with itself, a reader who lists nothing finds nothing, and the stored second reader only
covers training sets."""

import json
from pathlib import Path

from bench import discussion


def _as_reader(tmp_path: Path, sets: list[str], empty: bool = False) -> Path:
    reader: dict[str, object] = {"_about": "the gold, read back"}
    for name in sets:
        gold = json.loads((discussion.CASES / name / "gold.json").read_text(encoding="utf-8"))
        for stem, items in gold.items():
            if not stem.startswith("_"):
                reader[f"{name}/{stem}"] = {c: [] for c in discussion.CATEGORIES} if empty else items
    path = tmp_path / "reader.json"
    path.write_text(json.dumps(reader, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_gold_read_as_a_second_reader_agrees_with_itself(tmp_path: Path) -> None:
    tallies = discussion.run_second_reader(_as_reader(tmp_path, ["train1", "train2"]))
    for category, t in tallies.items():
        assert t.gold > 0, category
        assert (t.precision, t.recall) == (1.0, 1.0), category
    assert tallies["action_items"].who_right == tallies["action_items"].who_checked > 0


def test_a_reader_who_lists_nothing_recalls_nothing(tmp_path: Path) -> None:
    tallies = discussion.run_second_reader(_as_reader(tmp_path, ["train1"], empty=True))
    assert all(t.recall == 0.0 and t.gold > 0 for t in tallies.values())


def test_the_stored_second_reader_covers_existing_training_threads_only() -> None:
    reader = json.loads(discussion.SECOND_READER.read_text(encoding="utf-8"))
    keys = [k for k in reader if not k.startswith("_")]
    assert len(keys) == 32
    for key in keys:
        folder, stem = key.split("/")
        assert folder.startswith("train") and folder not in discussion.TEST_SETS
        assert (discussion.CASES / folder / f"{stem}.txt").is_file()
        assert set(reader[key]) == set(discussion.CATEGORIES)


def test_of_one_messages_jobs_for_several_people_each_gold_item_takes_its_owners() -> None:
    found = [(3, "Bob", "@Bob please book the room"), (3, "Cat", "@Cat can you send the invites?")]
    gold = [{"at": [3], "who": "Cat"}, {"at": [3, 4], "who": "Bob"}]
    t = discussion.Tally()
    _, pairs = t.count(found, gold)
    assert pairs == {0: 1, 1: 0}
    assert (t.who_right, t.who_checked, t.matched_found) == (2, 2, 2)
    # With one item a message, matching is by message alone, as before.
    _, pairs = discussion.match([(3, "Bob", "…"), (4, "Cat", "…")], [{"at": [3, 4], "who": "Cat"}])
    assert pairs == {0: 0}

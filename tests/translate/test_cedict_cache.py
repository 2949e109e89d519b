"""CC-CEDICT is unpacked once and cached on disk; later starts read the cached copy."""

from __future__ import annotations

import gzip

from bot.translate import cedict


def test_unpacked_dictionary_is_cached_and_read_back(tmp_path, monkeypatch):
    unpacks: list[int] = []
    real = gzip.decompress

    def counting(data: bytes) -> bytes:
        unpacks.append(len(data))
        return real(data)

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(cedict.gzip, "decompress", counting)
    try:
        cedict._text.cache_clear()
        first = cedict._text()
        (cached,) = (tmp_path / "briefbot").glob("cedict-*.txt")
        assert cached.read_bytes() == first and b"\r\n" not in first
        assert len(unpacks) == 1

        cedict._text.cache_clear()  # as a new process would
        assert cedict._text() == first
        assert len(unpacks) == 1  # read from the cache, not unpacked again
        assert cedict.english_gloss("好萊塢") and "Hollywood" in cedict.english_gloss("好萊塢")

        cached.write_bytes(first[: len(first) // 2])  # cut short (a full disk, a crash)
        cedict._text.cache_clear()
        assert cedict._text() == first
        assert len(unpacks) == 2 and cached.read_bytes() == first  # noticed, unpacked and cached again
    finally:
        cedict._text.cache_clear()
        cedict._body_start.cache_clear()

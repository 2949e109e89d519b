"""Baselines scored beside ours: LEAD, sumy's LexRank and JioNLP's extractive summary.

All of them read the same cleaned text as ours (``clean()``'s paragraphs). LexRank's ranking
and JioNLP's output do not change while our core does, so they are cached in a JSON file
outside the repository, keyed by a hash of exactly what each was given.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.text.analyse import jieba_module
from bot.text.split import split_sentences

#: Bump when a baseline's code changes, so that old cache entries are not used.
VERSION = 1
CACHE_ENV = "BRIEFBOT_BENCH_CACHE"


class JiebaSumyTokenizer:
    """What sumy's parsers need from a tokenizer, with jieba for words."""

    language = "chinese"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s.text for s in split_sentences([paragraph])]

    def to_words(self, sentence: str) -> list[str]:
        return [w for w in jieba_module().lcut(sentence) if w.strip() and any(c.isalnum() for c in w)]


def cut(pieces: Sequence[str], budget: int) -> list[str]:
    """Pieces in the order given until ``budget`` characters, the last one cut to fill it exactly."""
    out: list[str] = []
    used = 0
    for piece in pieces:
        if used >= budget:
            break
        out.append(piece[: budget - used])
        used += len(out[-1])
    return out


def lead_sentences(paragraphs: Sequence[str]) -> list[str]:
    return [s.text for s in split_sentences(paragraphs)]


# --- the cache -------------------------------------------------------------------------------


def cache_dir() -> Path:
    """Outside the repository: $BRIEFBOT_BENCH_CACHE, else ~/.cache/briefbot-bench."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else Path.home() / ".cache" / "briefbot-bench"


def cache_key(system: str, text: str, *params: object) -> str:
    blob = json.dumps([VERSION, system, list(params), text], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def load_cache(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_cache(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


class Cached:
    """A read-only cache from the file plus the entries made in this process since."""

    def __init__(self, known: dict[str, Any]) -> None:
        self.known = known
        self.new: dict[str, Any] = {}

    def get_or(self, key: str, compute: Callable[[], Any]) -> Any:
        if key in self.known:
            return self.known[key]
        if key not in self.new:
            self.new[key] = compute()
        return self.new[key]


# --- LexRank ---------------------------------------------------------------------------------


def lexrank_ranking(paragraphs: Sequence[str], cache: Cached) -> list[str]:
    """The sentences of the cleaned text, best first, as sumy's LexRank rates them."""
    text = "\n\n".join(paragraphs)

    def compute() -> list[str]:
        from sumy.nlp.stemmers import null_stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer

        document = PlaintextParser.from_string(text, JiebaSumyTokenizer()).document
        ranked: list[str] = []

        def keep_all(infos: list[Any]) -> list[Any]:
            # sumy hands a callable count the sentences sorted best first.
            ranked.extend(str(info.sentence) for info in infos)
            return infos

        LexRankSummarizer(null_stemmer)(document, keep_all)
        return ranked

    return cache.get_or(cache_key("lexrank", text), compute)


def lexrank(paragraphs: Sequence[str], budget: int, cache: Cached) -> list[str]:
    """LexRank's best sentences up to ``budget`` characters (the last one cut), in document order."""
    ranked = lexrank_ranking(paragraphs, cache)
    picked = cut(ranked, budget)
    text = "\n".join(paragraphs)
    return sorted(picked, key=lambda s: _position(text, s))


def lexrank_top(paragraphs: Sequence[str], cache: Cached) -> str:
    ranked = lexrank_ranking(paragraphs, cache)
    return ranked[0] if ranked else ""


def _position(text: str, piece: str) -> int:
    at = text.find(piece)
    return at if at >= 0 else len(text)


# --- JioNLP ----------------------------------------------------------------------------------

_jionlp: Any = None
_jionlp_error: str | None = None


def jionlp_module() -> Any:
    """JioNLP imported quietly (it prints a banner on import), or None with the reason kept."""
    global _jionlp, _jionlp_error
    if _jionlp is None and _jionlp_error is None:
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                import jionlp

            _jionlp = jionlp
        except Exception as exc:  # an optional extra: any failure means "not here"
            _jionlp_error = f"{type(exc).__name__}: {exc}"
    return _jionlp


def jionlp_unavailable() -> str | None:
    """Why JioNLP cannot be used here, or None when it can."""
    jionlp_module()
    return _jionlp_error


def jionlp_summary(paragraphs: Sequence[str], length: int, cache: Cached) -> str | None:
    """``jionlp.extract_summary`` of the cleaned text at ``length`` characters, cut to exactly that.

    JioNLP's length is a soft limit (it returns a longer first sentence rather than nothing),
    so the answer is cut like every other baseline. None when JioNLP is not installed.
    """
    if length <= 0:
        return ""
    jio = jionlp_module()
    if jio is None:
        return None
    text = "\n".join(paragraphs)

    def compute() -> str:
        extract = getattr(jio, "extract_summary", None) or jio.summary.extract_summary
        # The first call loads JioNLP's topic model and prints about it.
        with contextlib.redirect_stdout(io.StringIO()):
            return extract(text, summary_length=length) or ""

    return cache.get_or(cache_key("jionlp", text, length), compute)[:length]

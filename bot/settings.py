"""Limits and switches read from the environment (secrets never live in files)."""

from __future__ import annotations

import os
from pathlib import Path

from bot.errors import ConfigError

DEFAULT_MAX_INPUT_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_FETCH_BYTES = 5 * 1024 * 1024
DEFAULT_FETCH_TIMEOUT = 10.0


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of bytes, not {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than zero, not {raw!r}.")
    return value


def max_input_bytes() -> int:
    """Largest accepted input, in bytes of text (``BRIEFBOT_MAX_INPUT_BYTES``)."""
    return _int_env("BRIEFBOT_MAX_INPUT_BYTES", DEFAULT_MAX_INPUT_BYTES)


def fetch_timeout() -> float:
    """Seconds a URL fetch may take in all (``BRIEFBOT_FETCH_TIMEOUT``, default 10)."""
    raw = os.environ.get("BRIEFBOT_FETCH_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_FETCH_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"BRIEFBOT_FETCH_TIMEOUT must be a number of seconds, not {raw!r}.") from None
    if not 0 < value <= 300:
        raise ConfigError(f"BRIEFBOT_FETCH_TIMEOUT must be between 0 and 300 seconds, not {raw!r}.")
    return value


def _switch(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


def allow_private_urls() -> bool:
    """Whether URLs on private and loopback addresses may be fetched.

    Off by default so a chat user cannot make the bot probe the host's network;
    tests switch it on with ``BRIEFBOT_ALLOW_PRIVATE_URLS=1``.
    """
    return _switch("BRIEFBOT_ALLOW_PRIVATE_URLS")


def allow_link_local_urls() -> bool:
    """Whether link-local (169.254.169.254: cloud metadata) and unspecified (0.0.0.0) addresses may
    be fetched too, with ``BRIEFBOT_ALLOW_LINK_LOCAL_URLS=1`` beside the private switch. Never by default."""
    return _switch("BRIEFBOT_ALLOW_LINK_LOCAL_URLS")


def cache_dir() -> Path:
    """Where parsed tables are cached between runs: ``$XDG_CACHE_HOME/briefbot`` (``~/.cache/briefbot``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefbot"


def _count_env(name: str, default: int, *, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}.")
    return value


def network_threads() -> int:
    """Threads that wait on the network for briefings: fetching links, asking a translation backend."""
    return _count_env("BRIEFBOT_NETWORK_THREADS", 16, low=1, high=256)


def cpu_workers() -> int:
    """Worker processes that analyse articles (``BRIEFBOT_CPU_WORKERS``; default one per core but one).

    0 analyses on one thread inside the serve process instead: less memory, but every briefing
    then competes with the event loop for the interpreter lock.
    """
    default = max(1, (os.cpu_count() or 2) - 1)
    return _count_env("BRIEFBOT_CPU_WORKERS", default, low=0, high=64)


def queue_limit() -> int:
    """Briefings accepted at once, waiting or running (``BRIEFBOT_QUEUE_LIMIT``); more are told to retry."""
    return _count_env("BRIEFBOT_QUEUE_LIMIT", 1000, low=1, high=100_000)

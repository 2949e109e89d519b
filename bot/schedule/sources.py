"""Sources for scheduled briefings: a folder of articles, an RSS/Atom feed, or one URL.

Every network fetch goes through ``bot.text.fetch`` (address guard, size and time caps).
An item that fails to load is skipped and logged; a source that cannot be read at
all raises a ``BriefbotError`` the run records.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot import settings
from bot.errors import BriefbotError, FetchError, InputError
from bot.text.fetch import ARTICLE_TYPES, FEED_TYPES, extract_html, fetch_bytes
from bot.text.load import decode, is_url, load

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True, slots=True)
class SourceArticle:
    #: Where it came from: the article URL, or the file path.
    url: str
    title: str | None
    text: str


def collect(source: str, limit: int) -> list[SourceArticle]:
    """Up to ``limit`` articles from ``source``, newest first where the source says."""
    if is_url(source):
        return _from_url(source, limit)
    path = Path(source).expanduser()
    if path.is_dir():
        return _from_folder(path, limit)
    if path.is_file():
        return [_from_file(path)]
    raise InputError(f"Source {source!r} is neither a folder, a file nor an http(s) URL.")


def _from_folder(folder: Path, limit: int) -> list[SourceArticle]:
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES]
    files.sort(key=lambda p: (-p.stat().st_mtime, p.name))
    out: list[SourceArticle] = []
    for path in files:
        if len(out) >= limit:
            break
        try:
            out.append(_from_file(path))
        except BriefbotError as exc:
            log.warning("skipping %s: %s", path, exc.message)
    return out


def _from_file(path: Path) -> SourceArticle:
    loaded = load(str(path))
    if path.suffix.lower() in (".html", ".htm"):
        text, title = extract_html(loaded.text, None)
        return SourceArticle(url=str(path), title=title, text=text)
    return SourceArticle(url=str(path), title=None, text=loaded.text)


def _from_url(url: str, limit: int) -> list[SourceArticle]:
    body, content_type, final_url = fetch_bytes(
        url,
        timeout=settings.fetch_timeout(),
        max_bytes=settings.DEFAULT_MAX_FETCH_BYTES,
        allowed_types=ARTICLE_TYPES | FEED_TYPES,
    )
    if content_type in FEED_TYPES or _looks_like_feed(body):
        return _from_feed(body, final_url, limit)
    if content_type == "text/plain":
        return [SourceArticle(url=url, title=None, text=decode(body)[0])]
    text, title = extract_html(body, final_url)
    return [SourceArticle(url=url, title=title, text=text)]


def _looks_like_feed(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")


def _from_feed(body: bytes, feed_url: str, limit: int) -> list[SourceArticle]:
    import feedparser

    feed = feedparser.parse(body)
    if not feed.entries:
        raise FetchError(f"The feed at {feed_url} has no items (or is not an RSS/Atom feed).")
    out: list[SourceArticle] = []
    for entry in feed.entries:
        if len(out) >= limit:
            break
        link = entry.get("link")
        title = entry.get("title")
        try:
            if link and is_url(link):
                loaded = load(link)
                out.append(SourceArticle(url=link, title=loaded.title or title, text=loaded.text))
            else:
                content = entry.get("content", [{}])[0].get("value") or entry.get("summary") or ""
                text, _ = extract_html(content) if "<" in content else (content, None)
                out.append(SourceArticle(url=link or feed_url, title=title, text=text))
        except BriefbotError as exc:
            log.warning("skipping feed item %s: %s", link or title, exc.message)
    return out

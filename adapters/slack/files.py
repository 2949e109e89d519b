"""Long articles by file: a ``.txt``, ``.md`` or ``.html`` file shared with a mention of the bot.

The file is downloaded from its ``url_private`` with the bot token (scope ``files:read``), at
most the input limit, and decoded like a local file (``bot.text.load.decode``: UTF-8, UTF-16
with BOM, Big5, GB18030); an HTML file's article is extracted as a fetched page's is. Any
other kind of file is refused with one sentence.

The bot token is only ever sent to Slack: to ``files.slack.com`` over https, or to the API
host the client is configured with (``BRIEFBOT_SLACK_API_URL``, the tests' fake).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import settings
from bot.errors import BriefbotError, InputError
from bot.text.load import _too_large as too_large  # the same sentence as for a local file
from bot.text.load import decode

#: What can be briefed, by the file name's ending.
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
#: Seconds a download may take.
DOWNLOAD_SECONDS = 30
#: Where Slack serves files from.
FILES_HOST = "files.slack.com"


class FileRefused(BriefbotError):
    """A file the bot will not or cannot brief."""


@dataclass(frozen=True, slots=True)
class SharedFile:
    """A file's text, ready to brief, and the name to cite as its source."""

    name: str
    text: str


async def read_shared_file(client: AsyncWebClient, file: dict[str, Any], *, max_bytes: int | None = None) -> SharedFile:
    """Download and decode ``file`` (an entry of an event's ``files``); ``FileRefused`` or
    ``InputError`` in one sentence when it cannot be briefed."""
    limit = max_bytes if max_bytes is not None else settings.max_input_bytes()
    if not file.get("url_private") and file.get("id"):
        file = await _file_info(client, str(file["id"]))
    name = str(file.get("name") or file.get("title") or "file")
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise FileRefused("Only .txt, .md and .html files can be briefed; {name} is not one of them.", name=name)
    size = file.get("size")
    if isinstance(size, int) and size > limit:
        raise too_large(size, limit)
    url = str(file.get("url_private_download") or file.get("url_private") or "")
    if not _trusted(url, client.base_url):
        raise FileRefused("Slack gave no address the bot may download {name} from.", name=name)
    data = await _download(url, client.token or "", limit, name)
    text, _encoding = await asyncio.to_thread(decode, data)
    if suffix in HTML_SUFFIXES:
        text = await asyncio.to_thread(_article_of_page, text, name)
    return SharedFile(name=name, text=text)


def _article_of_page(html: str, name: str) -> str:
    from bot.text.fetch import extract_html

    text, title = extract_html(html)
    if not text or not text.strip():
        raise InputError("{name} has no article text that could be extracted.", name=name)
    # A short first line is read as the title, as with a local file.
    return f"{title}\n\n{text}" if title and not text.startswith(title) else text


async def _file_info(client: AsyncWebClient, file_id: str) -> dict[str, Any]:
    try:
        info = await client.files_info(file=file_id)
    except SlackApiError as exc:
        code = str(exc.response.get("error", "unknown_error"))
        raise FileRefused("Slack would not give the bot that file ({code}).", code=code) from exc
    return dict(info.get("file") or {})


def _trusted(url: str, api_base: str) -> bool:
    """Whether the bot token may be sent to ``url``: Slack's file host, or the API's own host."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname == FILES_HOST:
        return True
    base = urlsplit(api_base)
    return bool(parts.scheme and parts.netloc) and (parts.scheme, parts.netloc) == (base.scheme, base.netloc)


async def _download(url: str, token: str, limit: int, name: str) -> bytes:
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_SECONDS)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session:
            # No redirects: the token must not follow one anywhere else.
            async with session.get(url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False) as resp:
                if resp.status != 200:
                    raise FileRefused(
                        "Slack did not hand over {name} (HTTP {status}); check that the app has the files:read "
                        "permission.",
                        name=name,
                        status=resp.status,
                    )
                data = await resp.content.read(limit + 1)
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise FileRefused(
            "Could not download {name} from Slack ({reason}).", name=name, reason=type(exc).__name__
        ) from exc
    if len(data) > limit:
        raise too_large(len(data), limit)
    return data

"""``/brief attachment:`` — an article too long for the 6,000-character text option, as a file.

A ``.txt``, ``.md`` or ``.html`` file up to the input limit (``BRIEFBOT_MAX_INPUT_BYTES``, 2 MB
by default) is downloaded from the URL Discord gives, reading no more than the limit, then
decoded exactly like a local file (``bot.text.load.decode``: UTF-8, UTF-16 with BOM, Big5,
GB18030); an HTML file's article is extracted as a fetched page's would be. Any other type is
refused in one sentence before anything is downloaded.
"""

from __future__ import annotations

import os

import aiohttp
import discord

from bot import settings
from bot.errors import InputError

#: What a file may be: text the briefer reads as it is, or a page whose article is extracted.
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
_CHUNK = 64 * 1024


def suffix(filename: str) -> str:
    return os.path.splitext(filename)[1].lower()


def check_file(attachment: discord.Attachment, *, limit: int | None = None) -> None:
    """Refuse, in one sentence, a file that is not ``.txt``, ``.md`` or ``.html``, or one Discord
    says is larger than the input limit (before anything is downloaded)."""
    if suffix(attachment.filename) not in TEXT_SUFFIXES + HTML_SUFFIXES:
        raise InputError(
            "{name} is not a file briefbot reads; attach the article as a .txt, .md or .html file.",
            name=attachment.filename,
        )
    limit = limit if limit is not None else settings.max_input_bytes()
    if attachment.size > limit:
        raise _too_large(attachment, attachment.size, limit)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _too_large(attachment: discord.Attachment, size: int, limit: int) -> InputError:
    return InputError(
        "{name} is {size}, more than the {limit} limit; attach a single article, or raise BRIEFBOT_MAX_INPUT_BYTES.",
        name=attachment.filename,
        size=_size(size),
        limit=_size(limit),
    )


async def download(attachment: discord.Attachment, *, limit: int | None = None) -> bytes:
    """The file's bytes, never more than ``limit`` (the input limit) read: a larger file is refused,
    by the size Discord states before any download, and by what arrives while reading."""
    limit = limit if limit is not None else settings.max_input_bytes()
    check_file(attachment, limit=limit)
    timeout = aiohttp.ClientTimeout(total=settings.fetch_timeout())
    data = bytearray()
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(attachment.url) as response:
            if response.status != 200:
                raise InputError(
                    "Discord did not hand over {name} (HTTP {status}); attach it again.",
                    name=attachment.filename,
                    status=response.status,
                )
            async for chunk in response.content.iter_chunked(_CHUNK):
                data += chunk
                if len(data) > limit:
                    raise _too_large(attachment, len(data), limit)
    except (aiohttp.ClientError, TimeoutError):
        raise InputError("Could not download {name} from Discord; attach it again.", name=attachment.filename) from None
    return bytes(data)


def article_text(filename: str, data: bytes) -> str:
    """Blocking (decoding and extraction): the article in a downloaded file, with an HTML page's
    title as its first line, where the briefer takes a title from."""
    from bot.text.load import decode

    text, _encoding = decode(data)
    if suffix(filename) not in HTML_SUFFIXES:
        return text
    from bot.text.fetch import extract_html

    body, title = extract_html(text)
    return f"{title}\n\n{body}" if title and not body.startswith(title) else body

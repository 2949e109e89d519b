"""Fetch an article from an http(s) URL and extract its body with trafilatura.

Bounded in every way a hostile or broken site could abuse: 10 s for the whole fetch (a
wall-clock deadline over name look-ups, redirects, headers and body, however slowly a server
drips them), 5 MB, HTML or plain text only, at most 5 redirects, each hop's address checked by
``netguard``.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin

import httpx

from bot import settings
from bot.errors import FetchError, InputError
from bot.text.load import LoadedText, check_text_size, decode
from bot.text.netguard import checked_addresses

MAX_REDIRECTS = 5
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/feed+json"}
ARTICLE_TYPES = frozenset(_HTML_TYPES | _TEXT_TYPES)
USER_AGENT = "briefbot/0.1 (+article briefings; https://github.com/briefbot)"


def fetch_article(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int = settings.DEFAULT_MAX_FETCH_BYTES,
    max_text_bytes: int | None = None,
) -> LoadedText:
    """Download ``url`` and return the article text found there."""
    timeout = timeout if timeout is not None else settings.fetch_timeout()
    body, content_type, final_url = fetch_bytes(url, timeout=timeout, max_bytes=max_bytes)
    if content_type in _TEXT_TYPES:
        text, encoding = decode(body)
        check_text_size(text, max_bytes=max_text_bytes)
        return LoadedText(text=text, source=url, encoding=encoding)
    text, title = extract_html(body, final_url)
    check_text_size(text, max_bytes=max_text_bytes)
    return LoadedText(text=text, source=url, title=title, encoding="html")


def extract_html(html: bytes | str, url: str | None = None) -> tuple[str, str | None]:
    """The main text and title of an HTML page (trafilatura), or a clear refusal."""
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, include_images=False)
    if not text or not text.strip():
        if url:
            raise InputError("No article text was found at {url}; paste the article's text instead.", url=url)
        raise InputError("No article text was found; paste the article's text instead.")
    meta = trafilatura.extract_metadata(html)
    title = meta.title.strip() if meta is not None and meta.title else None
    return text, title


def fetch_bytes(
    url: str, *, timeout: float, max_bytes: int, allowed_types: frozenset[str] | set[str] = ARTICLE_TYPES
) -> tuple[bytes, str, str]:
    """GET ``url``, following redirects by hand so every hop passes the address check.

    ``timeout`` is a deadline for the whole fetch — name look-ups, connections, every redirect,
    headers and body — however slowly a server drips its bytes. Blocking: it runs its own
    event loop, so call it from a worker thread, not from inside a running loop.
    """
    return asyncio.run(_fetch_within(url, timeout, max_bytes, allowed_types))


async def _fetch_within(
    url: str, timeout: float, max_bytes: int, allowed_types: frozenset[str] | set[str]
) -> tuple[bytes, str, str]:
    current = [url]  # the hop in progress, for the message when the deadline passes
    try:
        async with asyncio.timeout(timeout):
            return await _fetch(current, timeout, max_bytes, allowed_types)
    except TimeoutError:
        raise FetchError(
            "{host} did not answer within {seconds} seconds; try again later.",
            host=_host(current[0]),
            seconds=f"{timeout:g}",
        ) from None


async def _fetch(
    current: list[str], timeout: float, max_bytes: int, allowed_types: frozenset[str] | set[str]
) -> tuple[bytes, str, str]:
    url = current[0]
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            current[0] = url
            response = await _send_to_checked_address(client, url, timeout)
            try:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError("{url} redirected without saying where to; check the link.", url=url)
                    url = urljoin(url, location)
                    if not url.lower().startswith(("http://", "https://")):
                        raise FetchError("The link redirected to something that is not a web page.")
                    continue
                if response.status_code >= 400:
                    phrase = response.reason_phrase or "error"
                    raise FetchError(
                        "{host} answered {status} for that link; check it and try again.",
                        host=_host(url),
                        status=f"{response.status_code} {phrase}",
                    )
                content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
                if content_type not in allowed_types:
                    shown = content_type or "an unknown type"
                    raise FetchError("The link points to {type}, not an article page (HTML or plain text).", type=shown)
                return await _read_capped(response, max_bytes, url), content_type, url
            finally:
                await response.aclose()
    raise FetchError(
        "The link redirected more than {count} times; give the article's final address.", count=MAX_REDIRECTS
    )


async def _send_to_checked_address(client: httpx.AsyncClient, url: str, timeout: float) -> httpx.Response:
    """Send the request to each checked address of the host in turn, until one connects."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise FetchError("{url} is not a valid link.", url=url) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError("{url} is not a valid http(s) link.", url=url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addrs = await checked_addresses(parsed.host, port)
    host_header = parsed.netloc.decode("ascii").rsplit("@", 1)[-1]
    extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
    reason = "no address"
    for addr in addrs:
        request = client.build_request(
            "GET",
            parsed.copy_with(host=str(addr)),
            headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"},
            extensions=extensions,
        )
        try:
            return await client.send(request, stream=True)
        except httpx.ConnectError as exc:
            reason = _reason(exc)  # this address refused: the host may have another
        except httpx.TimeoutException:
            raise FetchError(
                "{host} did not answer within {seconds} seconds; try again later.",
                host=_host(url),
                seconds=f"{timeout:g}",
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                "Could not connect to {host} ({reason}); check the link.", host=_host(url), reason=_reason(exc)
            ) from None
    raise FetchError("Could not connect to {host} ({reason}); check the link.", host=_host(url), reason=reason)


async def _read_capped(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            "The page is larger than {mb} MB; give a link to a single article.", mb=max_bytes // (1024 * 1024)
        )
    chunks: list[bytes] = []
    total = 0
    try:
        async for chunk in response.aiter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(
                    "The page is larger than {mb} MB; give a link to a single article.", mb=max_bytes // (1024 * 1024)
                )
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise FetchError("{host} took too long to send the page; try again later.", host=_host(url)) from None
    except httpx.HTTPError as exc:
        raise FetchError(
            "The download from {host} broke off ({reason}); try again.", host=_host(url), reason=_reason(exc)
        ) from None
    return b"".join(chunks)


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    if not text:
        return type(exc).__name__
    return text.splitlines()[0][:120]

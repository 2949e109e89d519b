"""Which network addresses the bot may fetch from.

A chat user can hand the bot any link, so by default it refuses every address that is
not on the public internet: private ranges, loopback, link-local, multicast and the
reserved blocks, and an IPv6 address that carries a private IPv4 one inside it (6to4,
Teredo, IPv4-mapped). The check runs on every address a host name resolves to, and the
fetch then connects to the addresses that were checked, so a name cannot be re-pointed
between the check and the connection.

``BRIEFBOT_ALLOW_PRIVATE_URLS=1`` (tests, an intranet) lets private and loopback addresses
through, but not the unspecified address (0.0.0.0, ::) nor link-local ones such as
169.254.169.254, where clouds serve their instance metadata and credentials: those need
``BRIEFBOT_ALLOW_LINK_LOCAL_URLS=1`` as well.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor

from bot import settings
from bot.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SITE_LOCAL = ipaddress.ip_network("fec0::/10")
#: Name look-ups, in threads of their own (see ``resolve``).
_LOOKUPS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="briefbot-dns")


def _embedded_ipv4(addr: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address stands for: mapped (::ffff:a.b.c.d), 6to4 (2002::/16), Teredo."""
    found = [a for a in (addr.ipv4_mapped, addr.sixtofour) if a is not None]
    if addr.teredo is not None:
        found.extend(addr.teredo)
    return found


def is_public(addr: IPAddress) -> bool:
    """True for an address on the public internet (and every IPv4 address it stands for)."""
    if isinstance(addr, ipaddress.IPv6Address):
        if addr in _SITE_LOCAL:
            return False
        embedded = _embedded_ipv4(addr)
        if addr.ipv4_mapped is not None:
            return is_public(addr.ipv4_mapped)
        if embedded and not all(is_public(a) for a in embedded):
            return False
    return not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    )


def _never_even_with_the_switch(addr: IPAddress) -> bool:
    """Refused even with BRIEFBOT_ALLOW_PRIVATE_URLS: unspecified and link-local (cloud metadata)."""
    candidates: list[IPAddress] = [addr]
    if isinstance(addr, ipaddress.IPv6Address):
        candidates += _embedded_ipv4(addr)
    return any(a.is_unspecified or a.is_link_local for a in candidates) and not settings.allow_link_local_urls()


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address resolves to itself), in order."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        # Not loop.getaddrinfo: asyncio.run would wait at its end for a look-up that hangs, and
        # the fetch's deadline would not hold; a look-up still running is left to its own thread.
        infos = await loop.run_in_executor(_LOOKUPS, socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError("The host {host} could not be found; check the link.", host=host) from None
    addrs: list[IPAddress] = []
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if addr not in addrs:
            addrs.append(addr)
    if not addrs:
        raise FetchError("The host {host} could not be found; check the link.", host=host)
    return addrs


async def checked_addresses(host: str, port: int) -> list[IPAddress]:
    """The addresses to try for ``host``, all checked: one that is not public refuses the host."""
    addrs = await resolve(host, port)
    for addr in addrs:
        allowed = settings.allow_private_urls() and not _never_even_with_the_switch(addr)
        if not allowed and not is_public(addr):
            raise FetchError(
                "Refused to fetch {host}: it points to a private or local network address ({address}); "
                "only public web pages can be briefed.",
                host=host,
                address=str(addr),
            )
    return addrs

"""Which network addresses the bot may fetch from.

A chat user can hand the bot any link, so by default it refuses every address that is
not on the public internet: private ranges, loopback, link-local, multicast and the
reserved blocks. The check runs on every address a host name resolves to, and the
fetch then connects to the address that was checked, so a name cannot be re-pointed
between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket

from bot import settings
from bot.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(addr: IPAddress) -> bool:
    """True for an address on the public internet."""
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The host {host} could not be found; check the link.") from None
    addrs: list[IPAddress] = []
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if addr not in addrs:
            addrs.append(addr)
    if not addrs:
        raise FetchError(f"The host {host} could not be found; check the link.")
    return addrs


def checked_address(host: str, port: int) -> IPAddress:
    """The address to connect to for ``host``, refusing non-public ones unless allowed."""
    addrs = resolve(host, port)
    if settings.allow_private_urls():
        return addrs[0]
    for addr in addrs:
        if not is_public(addr):
            raise FetchError(
                f"Refused to fetch {host}: it points to a private or local network address ({addr}); "
                "only public web pages can be briefed."
            )
    return addrs[0]

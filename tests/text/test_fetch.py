"""URL loading against a real HTTP server on 127.0.0.1, and the address guard."""

import pytest

from bot.errors import FetchError, InputError
from bot.text.load import load
from bot.text.netguard import is_public
from tests.conftest import ARTICLE_HTML

BODY = (
    "南韓政府還成立電影委員會及媒體中心，不僅位階及預算都夠高，也延攬實務界人士，以經營自有品牌心態，"
    "大力打造商業影視產品。反觀國內仍停留在幫好萊塢代工就滿足的心態，政府除了電影輔導金補助，"
    "對於商業影視產品的結構性成本甚至生產線，幾乎從來不去關心。台灣影視產業絕非先天不如人。"
)


def test_html_article_is_extracted(local_site, allow_private):
    url = local_site.add("/news/1", body=ARTICLE_HTML.format(body=BODY).encode("utf-8"))
    loaded = load(url)
    assert "南韓政府還成立電影委員會" in loaded.text
    assert "登入" not in loaded.text and "隱私權政策" not in loaded.text  # navigation and footer dropped
    assert loaded.title == "南韓影視產業為何成功"
    assert loaded.source == url


def test_plain_text_url_is_decoded(local_site, allow_private):
    url = local_site.add("/a.txt", body=BODY.encode("big5"), content_type="text/plain")
    assert load(url).text == BODY


def test_redirect_is_followed(local_site, allow_private):
    target = local_site.add("/final", body=BODY.encode("utf-8"), content_type="text/plain; charset=utf-8")
    url = local_site.add("/old", status=301, headers={"Location": "/final"})
    assert load(url).text == BODY
    assert local_site.hits == ["/old", "/final"]
    assert target.endswith("/final")


@pytest.mark.parametrize(
    "route, message",
    [
        ({"status": 404, "body": b"gone"}, "404"),
        ({"status": 503, "body": b"down"}, "503"),
        ({"body": b"%PDF-1.7", "content_type": "application/pdf"}, "application/pdf"),
        ({"body": b"x" * (5 * 1024 * 1024 + 10), "content_type": "text/plain"}, "larger than 5 MB"),
    ],
    ids=["404", "503", "pdf", "too-big"],
)
def test_http_problems_are_clear_errors(local_site, allow_private, route, message):
    url = local_site.add("/p", **route)
    with pytest.raises(FetchError, match=message):
        load(url)


def test_page_without_article_text(local_site, allow_private):
    url = local_site.add(
        "/empty", body=b"<html><head><script>var a=1;</script></head><body><img src=a.png></body></html>"
    )
    with pytest.raises(InputError, match="No article text"):
        load(url)


def test_slow_server_times_out(local_site, allow_private, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_FETCH_TIMEOUT", "0.5")
    url = local_site.add("/slow", body=BODY.encode("utf-8"), delay=3)
    with pytest.raises(FetchError, match="did not answer"):
        load(url)


def test_unreachable_port_is_a_clear_error(allow_private):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="Could not connect"):
        load(f"http://127.0.0.1:{port}/x")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.0.0.1/x",
        "http://[::1]/x",
        "http://localhost/x",
        "http://169.254.169.254/latest",
    ],
)
def test_private_addresses_are_refused_without_the_switch(url, monkeypatch, local_site):
    monkeypatch.delenv("BRIEFBOT_ALLOW_PRIVATE_URLS", raising=False)
    with pytest.raises(FetchError, match="private or local"):
        load(url)


def test_redirect_to_private_address_is_refused(local_site, monkeypatch):
    # The first hop is checked too: with the switch off even the local site is refused.
    monkeypatch.delenv("BRIEFBOT_ALLOW_PRIVATE_URLS", raising=False)
    url = local_site.add("/r", status=302, headers={"Location": "http://10.0.0.1/"})
    with pytest.raises(FetchError, match="private or local"):
        load(url)
    assert local_site.hits == []  # nothing was sent anywhere


def test_public_address_classification():
    import ipaddress

    assert is_public(ipaddress.ip_address("93.184.216.34"))
    for private in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.1.1",
        "::1",
        "fe80::1",
        "224.0.0.1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "fc00::1",
    ]:
        assert not is_public(ipaddress.ip_address(private)), private


# --- The fetch timeout is a deadline for the whole fetch (issue 11, item 10) --------------------


class DripServer:
    """A server on 127.0.0.1 that answers every request one byte at a time, forever or until told;
    it counts the bytes it managed to send before the client hung up."""

    def __init__(self, body_for, interval: float = 0.1, limit: int = 400) -> None:
        import socket
        import threading

        self.sent = 0
        self.requests = 0
        self.interval = interval
        self.limit = limit
        self.body_for = body_for
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import threading

        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn) -> None:
        with conn:
            conn.recv(65536)
            self.requests += 1
            payload = self.body_for(self.requests, self.port)
            for i in range(min(len(payload), self.limit)):
                if self.stop.wait(self.interval if payload is not None else 0):
                    return
                try:
                    conn.sendall(payload[i : i + 1])
                except OSError:
                    return
                self.sent += 1

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_server_that_drips_its_headers_cannot_hold_the_fetch_past_the_deadline(allow_private, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_FETCH_TIMEOUT", "1")
    server = DripServer(lambda n, port: b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000)
    try:
        with pytest.raises(FetchError, match="did not answer within 1 seconds"):
            load(f"http://127.0.0.1:{server.port}/slow")
        # At a byte each 0.1 s, the client hung up after about ten: never the hundreds a per-read
        # timeout (reset by every byte) would have waited for.
        assert server.sent < 60, server.sent
    finally:
        server.close()


def test_slow_redirects_share_one_deadline(allow_private, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_FETCH_TIMEOUT", "1")

    def hop(n: int, port: int) -> bytes:  # each hop sends a whole redirect, slowly (0.02 s a byte)
        return f"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}/{n}\r\nContent-Length: 0\r\n\r\n".encode()

    server = DripServer(hop, interval=0.02)
    try:
        with pytest.raises(FetchError, match="did not answer within 1 seconds"):
            load(f"http://127.0.0.1:{server.port}/0")
        assert server.requests < 5, server.requests  # six hops would take about six seconds
    finally:
        server.close()


def test_a_name_look_up_that_hangs_is_inside_the_deadline(monkeypatch):
    import socket
    import threading

    release = threading.Event()
    real = socket.getaddrinfo

    def hanging(host, *args, **kwargs):
        if host == "hangs.example":
            release.wait(30)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)  # the resolver, not the code under test
    monkeypatch.setenv("BRIEFBOT_FETCH_TIMEOUT", "0.5")
    try:
        with pytest.raises(FetchError, match=r"did not answer within 0\.5 seconds"):
            load("http://hangs.example/news")
        assert not release.is_set()  # the look-up was still hanging when the fetch gave up
    finally:
        release.set()


def test_every_resolved_address_is_tried_in_turn(local_site, allow_private, monkeypatch):
    import socket

    url = local_site.add("/a", body=BODY.encode("utf-8"), content_type="text/plain; charset=utf-8")
    port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
    real = socket.getaddrinfo

    def two_addresses(host, *args, **kwargs):
        if host == "twice.example":  # the first address refuses the connection, the second serves
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
            ]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    loaded = load(f"http://twice.example:{port}/a")
    assert "南韓" in loaded.text and local_site.hits == ["/a"]


# --- Addresses (item 18) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:0a00:0001::1",  # 6to4 of 10.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "fec0::1",  # site-local
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo whose client is 10.0.0.1
    ],
)
def test_ipv6_that_carries_a_private_address_is_not_public(address):
    import ipaddress

    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://0.0.0.0/", "http://[fe80::1]/"])
def test_the_private_switch_does_not_open_metadata_or_unspecified_addresses(url, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.delenv("BRIEFBOT_ALLOW_LINK_LOCAL_URLS", raising=False)
    with pytest.raises(FetchError, match="private or local"):
        load(url)

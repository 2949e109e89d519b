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

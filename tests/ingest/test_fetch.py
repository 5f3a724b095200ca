"""Fetching against a real HTTP server on loopback (never the network)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimledger.errors import FetchFailed, InputTooLarge, URLRefused
from claimledger.ingest import IngestOptions, ingest_inputs
from claimledger.ingest.fetch import FetchLimits, fetch_url, resolve_checked
from claimledger.store import Store
from tests.ingest.builders import article_html, rss

ALLOW = FetchLimits(allow_private=True, timeout=5)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *_: object) -> None:  # keep test output clean
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        path = self.path
        if path == "/article":
            self.send(200, article_html(3).encode())
        elif path == "/gbk":
            page = "<html><head><meta charset='gbk'></head><body><p>" + "胡力任在直播中透露，前中组部副部长出逃。" * 10 + "</p></body></html>"
            self.send(200, page.encode("gbk"), "text/html")
        elif path == "/feed":
            body = rss([("One", "https://o.example/1", "<p>First entry text.</p>")])
            self.send(200, body.encode(), "application/rss+xml")
        elif path.startswith("/hop/"):
            remaining = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", "/article" if remaining == 0 else f"/hop/{remaining - 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/big":
            self.send(200, b"x" * 50_000)
        elif path == "/big-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"<p>" + b"y" * 1000 + b"</p>")
        elif path == "/trickle":  # a header byte at a time, each well within a read timeout
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for byte in b"X-Slow: " + b"z" * 40:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
            self.wfile.write(b"\r\nContent-Length: 4\r\n\r\nlate")
        elif path == "/slow":
            time.sleep(3)
            self.send(200, b"<p>late</p>")
        else:
            self.send(404, b"not here")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_html(server: str) -> None:
    fetched = fetch_url(f"{server}/article", ALLOW)
    assert fetched.content_type == "text/html" and b"<article>" in fetched.content


def test_loopback_is_refused_without_allow_private(server: str) -> None:
    with pytest.raises(URLRefused, match="loopback.*--allow-private"):
        fetch_url(f"{server}/article", FetchLimits())


@pytest.mark.parametrize(
    ("host", "reason"),
    [("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"),
     ("169.254.169.254", "link-local"), ("::1", "loopback"), ("0.0.0.0", "unspecified"), ("100.64.0.1", "private|non-public")],
)
def test_non_public_addresses_are_refused(host: str, reason: str) -> None:
    with pytest.raises(URLRefused, match=reason):
        resolve_checked(host, 80, allow_private=False)


def test_only_http_schemes() -> None:
    with pytest.raises(URLRefused, match="only http and https"):
        fetch_url("file:///etc/passwd", ALLOW)


def test_redirects_are_followed_up_to_the_limit(server: str) -> None:
    assert fetch_url(f"{server}/hop/2", ALLOW).url == f"{server}/article"
    with pytest.raises(FetchFailed, match="more than 2 redirects"):
        fetch_url(f"{server}/hop/5", FetchLimits(allow_private=True, max_redirects=2))


def test_http_error_status(server: str) -> None:
    with pytest.raises(FetchFailed, match="HTTP 404"):
        fetch_url(f"{server}/missing", ALLOW)


@pytest.mark.parametrize("path", ["/big", "/big-unannounced"])
def test_size_limit(server: str, path: str) -> None:
    with pytest.raises(InputTooLarge, match="--max-size"):
        fetch_url(f"{server}{path}", FetchLimits(allow_private=True, max_bytes=10_000))


def test_timeout(server: str) -> None:
    with pytest.raises(FetchFailed, match="timed out|longer than"):
        fetch_url(f"{server}/slow", FetchLimits(allow_private=True, timeout=0.5))


def test_the_timeout_bounds_the_whole_fetch_not_each_read(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="longer than 1 s"):
        fetch_url(f"{server}/trickle", FetchLimits(allow_private=True, timeout=1))
    assert time.monotonic() - started < 3.5  # the server would take over 4 s


def test_fetching_from_async_code_works(server: str) -> None:
    async def inside_a_loop() -> bytes:
        return fetch_url(f"{server}/article", ALLOW).content

    assert b"<p>" in asyncio.run(inside_a_loop())


def test_an_error_quoting_a_line_break_or_an_escape_stays_one_printable_line() -> None:
    """Found by tests/ingest/test_fuzz.py: a URL holding a line break made its error two lines."""
    with pytest.raises(URLRefused) as refused:
        fetch_url("ftp://127.0.0.1/a\nb\x1b[31m", ALLOW)
    shown = str(refused.value)
    assert "\n" not in shown and "\x1b" not in shown and "\\x0a" in shown and shown.endswith("[E109]")


def test_unreachable_port() -> None:
    with pytest.raises(FetchFailed):
        fetch_url("http://127.0.0.1:9/", ALLOW)


def test_ingest_urls_page_feed_and_charset(server: str, store: Store) -> None:
    options = IngestOptions(allow_private=True)
    report = ingest_inputs(
        [f"{server}/article", f"{server}/feed", f"{server}/gbk", f"{server}/missing"], store, options
    )
    assert report.summary()["added"] == 3
    (failure,) = report.failures
    assert failure.label == f"{server}/missing" and "404" in str(failure.error)
    documents = {d.source: d for d in store.list_documents()}
    page = documents[f"{server}/article"]
    assert page.outlet == "Outlet 3" and page.url == f"{server}/article"
    chinese = store.get_document(documents[f"{server}/gbk"].id)
    assert "胡力任在直播中透露" in chinese.text and chinese.language == "zh"


def test_ingest_refuses_loopback_by_default_and_stores_nothing(server: str, store: Store) -> None:
    report = ingest_inputs([f"{server}/article"], store, IngestOptions())
    assert report.summary()["failed"] == 1 and store.count_documents() == 0
    assert "--allow-private" in report.failures[0].error.message

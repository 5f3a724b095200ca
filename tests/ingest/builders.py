"""Inputs the tests build themselves: HTML articles, feeds and WARC archives."""

from __future__ import annotations

import io
import json
import random
import re
from functools import lru_cache
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

TOPICS = [
    ("harbour", "The chairman of the harbour group was detained by the integrity bureau"),
    ("mine", "Miners at the northern pit walked out after a roof collapse injured four"),
    ("court", "The constitutional court struck down the emergency decree on a split vote"),
    ("bank", "The central bank raised its policy rate by half a point to curb inflation"),
    ("storm", "A winter storm closed the coastal highway and cut power to thousands"),
]


def article_html(index: int, title: str | None = None, extra: str = "") -> str:
    """A realistic news page, different enough per index that no two are near-duplicates."""
    topic, lead = TOPICS[index % len(TOPICS)]
    title = title or f"{lead.split(' ', 4)[-1].capitalize()} ({index})"
    paragraphs = [
        f"{lead}, officials said on day {index} of the month, in a statement issued late at night.",
        f"Reporter {index} spoke to {index % 7 + 2} witnesses who described events around the"
        f" {topic} in detail, and to a spokesperson who declined to comment on case {index}.",
        f"Figures released on Tuesday put the count at {index * 13 % 997 + 3} people, up from"
        f" {index * 7 % 500 + 1} a week earlier, according to document number {index * 31}.",
        f"Analysts said item {index} would be watched closely; a decision is expected by"
        f" the end of week {index % 52 + 1}. {extra}",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='Outlet {index % 11}'>"
        f"<meta property='article:published_time' content='2026-01-{index % 28 + 1:02d}'>"
        f"</head><body><nav>Home | News | Sport</nav><article><h1>{title}</h1>{body}</article>"
        f"<footer>Contact us</footer></body></html>"
    )


def write_warc(path: Path, pages: list[tuple[str, str]], gzip: bool = True) -> Path:
    """A WARC with one response record per (url, html) page, plus a request record each."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for url, html in pages:
            write_response(writer, url, html.encode("utf-8"))
    return path


def write_response(
    writer: WARCWriter, url: str, payload: bytes, content_type: str = "text/html; charset=utf-8"
) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
    )
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
    )


def rss(entries: list[tuple[str, str, str]], title: str = "Northern Observer") -> str:
    items = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Tue, 03 Feb 2026 17:05:00 GMT</pubDate>"
        f"<description><![CDATA[{html}]]></description></item>"
        for t, link, html in entries
    )
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>{title}</title>"
        f"<link>https://observer.example/</link><description>d</description>{items}</channel></rss>"
    )


def atom(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f"<entry><title>{t}</title><link href='{link}'/><id>{link}</id>"
        f"<updated>2026-02-04T10:00:00Z</updated><author><name>Desk</name></author>"
        f"<content type='html'><![CDATA[{html}]]></content></entry>"
        for t, link, html in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>Atom Daily</title><id>urn:x</id><updated>2026-02-04T10:00:00Z</updated>{items}</feed>"
    )


@lru_cache(maxsize=1)
def real_sentences() -> tuple[str, ...]:
    """English sentences from the real articles in ../shared/data/news-stories."""
    from tests.conftest import DATA

    path = DATA / "news-stories" / "articles.jsonl"
    sentences: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("language") == "en":
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", record["text"]) if 8 <= len(s.split()) <= 60]
    return tuple(sentences)


def sampled_article_html(index: int, sentences: int = 12) -> str:
    """A page of real news sentences drawn at random (seeded by `index`): distinct like real pages."""
    rng = random.Random(index)
    pool = real_sentences()
    picked = [pool[rng.randrange(len(pool))] for _ in range(sentences)]
    paragraphs = "".join(f"<p>{' '.join(picked[i : i + 3])}</p>" for i in range(0, sentences, 3))
    title = " ".join(picked[0].split()[:8])
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='Outlet {index % 11}'>"
        f"<meta property='article:published_time' content='2026-01-{index % 28 + 1:02d}'>"
        f"</head><body><nav>Home | News | Sport</nav><article><h1>{title}</h1>{paragraphs}"
        f"</article><footer>Contact us</footer></body></html>"
    )

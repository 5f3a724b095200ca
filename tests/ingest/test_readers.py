from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from claimledger.errors import BrokenArchive, BrokenFeed, InputNotFound, InputTooLarge
from claimledger.ingest import IngestOptions
from claimledger.ingest.readers import ItemFailure, RawItem, expand_inputs, read_input
from tests.conftest import DATA
from tests.ingest.builders import article_html, atom, rss, write_warc

OPTIONS = IngestOptions()


def items(path: Path | str, options: IngestOptions = OPTIONS) -> list[RawItem | ItemFailure]:
    return list(read_input(str(path), options))


def test_rss_gives_one_item_per_entry_with_its_metadata(tmp_path: Path) -> None:
    feed = tmp_path / "observer.xml"
    feed.write_text(
        rss(
            [
                ("Chief held", "https://observer.example/a", "<p>Chief held, report says.</p>"),
                ("Strike vote", "https://observer.example/b", "<p>Dockers vote to strike.</p>"),
            ]
        )
    )
    first, second = items(feed)
    assert isinstance(first, RawItem) and isinstance(second, RawItem)
    assert first.hints.title == "Chief held" and first.hints.outlet == "Northern Observer"
    assert first.hints.published == dt.date(2026, 2, 3)
    assert first.source.kind == "feed" and first.source.url == "https://observer.example/a"
    assert first.source.location.endswith("observer.xml#https://observer.example/a")
    assert b"Dockers" in second.data


def test_atom_feed(tmp_path: Path) -> None:
    feed = tmp_path / "daily.atom"
    feed.write_text(atom([("Rate rise", "https://atom.example/r", "<p>The bank raised rates.</p>")]))
    (item,) = items(feed)
    assert isinstance(item, RawItem)
    assert item.hints.byline == "Desk" and item.hints.published == dt.date(2026, 2, 4)


@pytest.mark.parametrize(
    "content", ["<rss><channel><title>x</title>", "<?xml version='1.0'?><rss><oops", "not a feed"]
)
def test_broken_feed(tmp_path: Path, content: str) -> None:
    feed = tmp_path / "broken.rss"
    feed.write_text(content)
    with pytest.raises(BrokenFeed):
        items(feed)


def test_jsonl_bad_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(
        json.dumps({"title": "One", "text": "First article text.", "published": "2026-02-01"})
        + "\n{not json\n"
        + json.dumps({"title": "No text"})
        + "\n"
        + json.dumps({"html": "<p>Third</p>", "url": "https://x.example/3", "outlet": "X"})
        + "\n"
    )
    first, bad_json, no_text, third = items(path)
    assert isinstance(first, RawItem) and first.hints.published == dt.date(2026, 2, 1)
    assert isinstance(bad_json, ItemFailure) and bad_json.label.endswith("line 2")
    assert isinstance(no_text, ItemFailure) and "no 'text' or 'html'" in no_text.error.message
    assert isinstance(third, RawItem) and third.form == "html" and third.hints.outlet == "X"


def test_json_record_with_bad_date_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps([{"text": "Body.", "published": "the day after tomorrow"}]))
    (failure,) = items(path)
    assert isinstance(failure, ItemFailure)
    assert "'the day after tomorrow'" in failure.error.message


def test_news_stories_dataset_reads_every_record() -> None:
    path = DATA / "news-stories" / "articles.jsonl"
    read = items(path)
    lines = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert len(read) == lines
    assert all(isinstance(item, RawItem) for item in read)


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_gives_html_responses_only(tmp_path: Path, gzip: bool) -> None:
    pages = [(f"https://news.example/{i}", article_html(i)) for i in range(3)]
    path = write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), pages, gzip=gzip)
    read = items(path)
    assert [item.source.url for item in read if isinstance(item, RawItem)] == [u for u, _ in pages]
    assert all(item.source.kind == "warc" for item in read if isinstance(item, RawItem))


def test_truncated_warc_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    pages = [(f"https://news.example/{i}", article_html(i)) for i in range(6)]
    whole = write_warc(tmp_path / "whole.warc.gz", pages).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: int(len(whole) * 0.6)])
    read: list[RawItem | ItemFailure] = []
    with pytest.raises(BrokenArchive, match="truncated"):
        for item in read_input(str(cut), OPTIONS):
            read.append(item)
    assert 1 <= len(read) < 6


def test_file_named_warc_that_is_not_one(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("this is not an archive\n" * 10)
    with pytest.raises(BrokenArchive, match="not a WARC or ARC archive"):
        items(path)


def test_warc_record_over_the_size_limit_fails_alone(tmp_path: Path) -> None:
    pages = [("https://a.example/", article_html(1)), ("https://b.example/", article_html(2, extra="x" * 5000))]
    path = write_warc(tmp_path / "mixed.warc.gz", pages)
    small, large = items(path, IngestOptions(max_bytes=3000))
    assert isinstance(small, RawItem)
    assert isinstance(large, ItemFailure) and isinstance(large.error, InputTooLarge)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(InputTooLarge, match="--max-size"):
        items(path, IngestOptions(max_bytes=1000))


def test_missing_path() -> None:
    with pytest.raises(InputNotFound):
        items("/no/such/file.html")


def test_folders_are_walked_for_known_types_skipping_readmes_and_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["a.txt", "sub/b.html", "sub/c.warc.gz", "README.md", "notes.docx", ".git/x.txt"]:
        (tmp_path / name).write_text("x")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in expand_inputs([str(tmp_path)])]
    assert found == ["a.txt", "sub/b.html", "sub/c.warc.gz"]
    assert expand_inputs(["https://x.example/a"]) == ["https://x.example/a"]

"""Read every kind of input into raw items: one item per article.

A file or URL may hold one article (HTML, text, Markdown) or many (a feed, a JSON Lines file, a
WARC archive). Readers stream: a WARC of any size is read record by record, and a bad record or
line yields a failure for that record while the rest go on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import feedparser
from dateutil import parser as date_parser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from claimledger.errors import (
    BrokenArchive,
    BrokenFeed,
    InputError,
    InputNotFound,
    InputTooLarge,
    MalformedRecord,
    UnsupportedInput,
    URLRefused,
)
from claimledger.ingest.fetch import fetch_url
from claimledger.ingest.options import IngestOptions
from claimledger.model import Metadata, Source
from claimledger.urls import looks_like_url, split_url

Form = Literal["html", "html-fragment", "text", "markdown"]
Container = Literal["html", "text", "markdown", "json", "jsonl", "feed", "warc"]

_EXTENSIONS: dict[str, Container] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".arc": "warc",
}
_CONTENT_TYPES: dict[str, Container] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/warc": "warc",
}
# Files that describe a folder rather than being an article in it; skipped when walking a folder
# (an explicitly named one is still read).
_FOLDER_DOCS = ("readme", "license", "licence", "changelog", "provenance", "contributing", "notice")
_TEXT_FIELDS = ("text", "body", "content")
_HTML_FIELDS = ("html", "raw_html")


@dataclass(frozen=True, slots=True)
class RawItem:
    """One article as read, before decoding and cleaning."""

    label: str  # how messages name it: a path, a URL, "feed.xml entry 3", "x.warc record @812"
    data: bytes
    form: Form
    source: Source
    hints: Metadata = field(default_factory=Metadata)
    charset: str | None = None
    raw_type: str = "text/plain"


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """An article inside a larger input that could not be read; its siblings go on."""

    label: str
    error: InputError


def is_url(value: str) -> bool:
    """Whether the user gave a URL rather than a path (any scheme: file:// and ftp:// are
    URLs too, refused with a reason rather than looked for on disk)."""
    return looks_like_url(value)


def display_path(path: Path | str) -> str:
    """A path as messages and the store show it: a file name that is not UTF-8 keeps its bytes
    as \\xNN escapes instead of failing every later step that writes it, and control
    characters (a name can hold a terminal escape sequence) are escaped too."""
    return printable(os.fsencode(path).decode("utf-8", errors="backslashreplace"))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(label: str) -> str:
    """`label` with control characters written as \\xNN, safe to print on a terminal."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group(0)):02x}", label)


def expand_inputs(arguments: Iterable[str]) -> list[str]:
    """URLs as given; folders walked recursively for the file types claimledger reads."""
    expanded: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if is_url(argument) or not path.is_dir():
            expanded.append(argument)
            continue
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            folder_doc = child.name.lower().startswith(_FOLDER_DOCS)
            if child.is_file() and not hidden and not folder_doc and container_from_name(child.name):
                expanded.append(str(child))
    return expanded


def container_from_name(name: str) -> Container | None:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
        return "warc" if lower.endswith((".warc", ".arc")) else None
    return _EXTENSIONS.get(Path(lower).suffix)


def read_input(argument: str, options: IngestOptions) -> Iterator[RawItem | ItemFailure]:
    """Items of one input given on the command line.

    Raises:
        InputError: the input as a whole cannot be read (missing, too large, refused URL, ...).
    """
    if is_url(argument):
        parts = split_url(argument)
        if parts is None:
            raise URLRefused("is not a well-formed URL")
        if parts.scheme.lower() not in ("http", "https"):
            raise URLRefused(
                f"refused scheme {parts.scheme}://: only http and https URLs are fetched"
                " (give a local file as a path, without file://)"
            )
        fetched = fetch_url(argument, options.fetch_limits)
        container = _container_from_content_type(fetched.content_type) or sniff_container(
            fetched.content
        )
        yield from read_payload(
            label=printable(argument),
            data=fetched.content,
            container=container,
            source=Source("url", argument, url=fetched.url),
            options=options,
            charset=fetched.charset,
        )
        return
    path = Path(argument)
    if not path.exists():
        raise InputNotFound("does not exist")
    if not path.is_file():
        raise UnsupportedInput("is not a regular file")
    container = container_from_name(path.name)
    if container == "warc" or (container is None and _looks_like_warc(path)):
        with path.open("rb") as stream:
            yield from read_warc(stream, display_path(path), options)
        return
    size = path.stat().st_size
    if size > options.max_bytes:
        raise InputTooLarge(
            f"is {size / 1e6:.1f} MB, over the {options.max_bytes / 1e6:.1f} MB limit"
            " (raise it with --max-size)"
        )
    data = path.read_bytes()
    yield from read_payload(
        label=display_path(path),
        data=data,
        container=container or sniff_container(data),
        source=Source("file", display_path(path.resolve())),
        options=options,
    )


def read_payload(
    label: str,
    data: bytes,
    container: Container,
    source: Source,
    options: IngestOptions,
    charset: str | None = None,
) -> Iterator[RawItem | ItemFailure]:
    """Items of bytes already in memory, by their container type."""
    if container == "feed":
        yield from read_feed(label, data, source)
    elif container in ("json", "jsonl"):
        yield from read_json_records(label, data, source, lines=container == "jsonl")
    elif container == "warc":
        yield from read_warc(io.BytesIO(data), label, options)
    else:
        form: Form = container  # type: ignore[assignment]  # html, text or markdown
        raw_type = {"html": "text/html", "markdown": "text/markdown"}.get(form, "text/plain")
        yield RawItem(label, data, form, source, charset=charset, raw_type=raw_type)


def sniff_container(data: bytes) -> Container:
    """Guess the container of bytes with no telling name or content type."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
            return "feed"
        return "html" if b"<html" in head else "feed"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--")):
        return "html"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first_line = data.lstrip().split(b"\n", 1)[0].strip()
        return "jsonl" if first_line.endswith(b"}") and b"\n{" in data[:65536] else "json"
    return "text"


def _container_from_content_type(content_type: str | None) -> Container | None:
    return _CONTENT_TYPES.get(content_type or "")


def _looks_like_warc(path: Path) -> bool:
    with path.open("rb") as stream:
        head = stream.read(64)
    return head.startswith(b"WARC/")


# -- feeds -----------------------------------------------------------------------------------


def read_feed(label: str, data: bytes, source: Source) -> Iterator[RawItem | ItemFailure]:
    """One item per RSS or Atom entry, its HTML content sanitised by feedparser.

    feedparser recovers what it can from malformed XML; the entries it recovers are kept, and
    the feed itself is then reported as broken so the user knows some may be missing.
    """
    data, invalid = _neutralise_character_references(data)
    try:
        parsed = feedparser.parse(data)
    except Exception as error:  # feedparser fails in assorted ways on hostile XML
        raise BrokenFeed(f"could not be parsed ({type(error).__name__}: {_first_line(error)})") from error
    problem = _serious_feed_problem(parsed)
    if not parsed.entries:
        reason = f": {problem}" if problem else ""
        raise BrokenFeed(f"is not a readable RSS/Atom feed, or has no entries{reason}")
    outlet = parsed.feed.get("title") or None
    for index, entry in enumerate(parsed.entries, start=1):
        entry_label = f"{label} entry {index}"
        content = _entry_content(entry)
        if not content:
            yield ItemFailure(entry_label, MalformedRecord("has no content or summary"))
            continue
        link = entry.get("link") or None
        if link is not None and split_url(link) is None:
            yield ItemFailure(entry_label, MalformedRecord(f"has a link that is not a well-formed URL: {link[:200]!r}"))
            continue
        entry_id = entry.get("id") or link or str(index)
        yield RawItem(
            label=entry_label,
            data=content.encode("utf-8"),
            form="html-fragment",
            source=Source("feed", f"{source.location}#{entry_id}", url=link),
            hints=Metadata(
                title=entry.get("title") or None,
                outlet=outlet,
                byline=entry.get("author") or None,
                published=_struct_date(entry.get("published_parsed") or entry.get("updated_parsed")),
                url=link,
            ),
            charset="utf-8",
            raw_type="text/html",
        )
    if problem:
        yield ItemFailure(
            label,
            BrokenFeed(f"is a malformed feed ({problem}); {len(parsed.entries)} entries recovered"),
        )
    if invalid:
        yield ItemFailure(
            label,
            BrokenFeed(f"holds {len(invalid)} character reference(s) to no character, such as {invalid[0]}"
                       " (each read as U+FFFD; the entries were kept)"),
        )


_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _neutralise_character_references(data: bytes) -> tuple[bytes, list[str]]:
    """Replace references to code points that are not characters (lone surrogates, beyond
    U+10FFFF, NUL): XML forbids them, and they break the parser and every later encoder."""
    invalid: list[str] = []

    def replace(match: re.Match[bytes]) -> bytes:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            invalid.append(match.group(0).decode("ascii"))
            return b"&#xFFFD;"
        return match.group(0)

    return _CHARACTER_REFERENCE.sub(replace, data), invalid


def _serious_feed_problem(parsed: Any) -> str | None:
    """The feed's XML error, ignoring charset and content-type complaints that lose nothing."""
    error = parsed.get("bozo_exception")
    benign = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if not parsed.get("bozo") or error is None or isinstance(error, benign):
        return None
    return _first_line(error)


def _entry_content(entry: Any) -> str:
    contents = entry.get("content") or []
    values = [part.get("value", "") for part in contents if part.get("value")]
    if values:
        return max(values, key=len)
    return entry.get("summary") or entry.get("description") or ""


def _struct_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    except (AttributeError, ValueError):
        return None


# -- JSON and JSON Lines -------------------------------------------------------------------------


def read_json_records(
    label: str, data: bytes, source: Source, lines: bool
) -> Iterator[RawItem | ItemFailure]:
    """Articles as JSON objects: one per line (JSONL), or one object or a list of them (JSON)."""
    if lines:
        records: Iterable[tuple[str, Any]] = _json_lines(label, data)
    else:
        try:
            loaded = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise MalformedRecord(f"is not valid JSON ({_first_line(error)})") from error
        except RecursionError as error:
            raise MalformedRecord("is JSON nested too deeply to read (thousands of levels)") from error
        items = loaded if isinstance(loaded, list) else [loaded]
        records = ((f"{label} item {i}", item) for i, item in enumerate(items, start=1))
    for record_label, record in records:
        if isinstance(record, ItemFailure):
            yield record
            continue
        try:
            yield _json_item(record_label, record, source)
        except MalformedRecord as error:
            yield ItemFailure(record_label, error)


def _json_lines(label: str, data: bytes) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        record_label = f"{label} line {number}"
        try:
            yield record_label, json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            yield record_label, ItemFailure(
                record_label, MalformedRecord(f"is not valid JSON ({_first_line(error)})")
            )
        except RecursionError:
            yield record_label, ItemFailure(
                record_label, MalformedRecord("is JSON nested too deeply to read (thousands of levels)")
            )


def _json_item(label: str, record: Any, source: Source) -> RawItem:
    if not isinstance(record, dict):
        raise MalformedRecord(f"is a JSON {type(record).__name__}, not an object with a text field")
    html = next((record[key] for key in _HTML_FIELDS if isinstance(record.get(key), str)), None)
    text = next((record[key] for key in _TEXT_FIELDS if isinstance(record.get(key), str)), None)
    if not (html or text):
        raise MalformedRecord("has no 'text' or 'html' field")
    body = html or text or ""
    if position := first_surrogate(body):
        raise MalformedRecord(f"holds a lone UTF-16 surrogate at character {position - 1}, which is not text")
    url = _string(record, "url", "link")
    if url is not None and split_url(url) is None:
        raise MalformedRecord(f"has a url that is not a well-formed URL: {url[:200]!r}")
    key = (_string(record, "id") or url or label.rsplit(" ", 1)[-1])[:500]
    return RawItem(
        label=label,
        data=body.encode("utf-8"),
        form="html" if html else "text",
        source=Source("jsonl", f"{source.location}#{key}", url=url),
        hints=Metadata(
            title=_string(record, "title", "headline"),
            outlet=_string(record, "outlet", "source", "site", "sitename"),
            byline=_string(record, "byline", "author"),
            published=parse_date_value(_string(record, "published", "date", "published_at")),
            language=_string(record, "language", "lang"),
            url=url,
        ),
        charset="utf-8",
        raw_type="text/html" if html else "text/plain",
    )


def _string(record: dict[str, Any], *keys: str) -> str | None:
    """The first non-empty string among `keys`; one holding a lone surrogate is ignored."""
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip() and not first_surrogate(value):
            return value.strip()
    return None


def first_surrogate(text: str) -> int:
    """1 + the position of the first lone surrogate in `text` (JSON can encode one, no text
    holds one), else 0."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start + 1
    return 0


def parse_date_value(value: str | None) -> dt.date | None:
    """A publication date given as data: ISO 8601 or a written date ("3 Feb 2026").

    Raises:
        MalformedRecord: the value is there but is not a date.
    """
    if value is None:
        return None
    try:
        return date_parser.isoparse(value).date()
    except ValueError:
        pass
    try:
        return date_parser.parse(value, default=dt.datetime(1, 1, 1)).date()
    except (ValueError, OverflowError) as error:
        raise MalformedRecord(f"has a publication date that is not a date: {value!r}") from error


# -- WARC and ARC archives -------------------------------------------------------------------


def read_warc(stream: IO[bytes], label: str, options: IngestOptions) -> Iterator[RawItem | ItemFailure]:
    """One item per HTML response record, streamed: memory stays flat however large the archive.

    warcio reads past damage quietly (printing to stderr); here a record cut short or a broken
    record boundary ends the archive with a BrokenArchive naming how far it got.
    """
    _check_archive_head(stream)
    complete = _archive_ends_cleanly(stream)
    records = ArchiveIterator(stream, arc2warc=True)
    warnings = io.StringIO()  # warcio writes its complaints to stderr; keep them as evidence
    count = 0
    while True:
        try:
            with contextlib.redirect_stderr(warnings):
                record = next(records, None)
                if record is None:
                    break
                count += 1
                item = _warc_item(record, records, label, options)
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError, AttributeError) as error:
            # warcio fails in assorted ways on damaged records (AttributeError on cut headers).
            raise BrokenArchive(
                f"is truncated or corrupt after {count} records ({_first_line(error)})"
            ) from error
        if warnings.getvalue():
            complaint = warnings.getvalue().strip().splitlines()[0].removeprefix("WARNING: ")
            raise BrokenArchive(f"is corrupt after {count} records ({complaint})")
        if item is not None:
            yield item
    if count == 0:
        raise BrokenArchive("holds no WARC or ARC records")
    if not complete:
        raise BrokenArchive(f"is truncated: it ends inside a record, after {count} whole records")


def _archive_ends_cleanly(stream: IO[bytes]) -> bool:
    """Whether the last record is whole: a complete final gzip member, or a final newline.

    A cut inside a record's headers leaves warcio nothing to complain about, so the end of the
    archive is checked on its own (a streaming pass: gzip inflates at hundreds of MB/s).
    """
    head = stream.read(2)
    stream.seek(0)
    if head != b"\x1f\x8b":
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(max(0, size - 1))
        ends = stream.read(1) == b"\n"
        stream.seek(0)
        return ends
    inflater, in_member = zlib.decompressobj(wbits=47), False
    try:
        while chunk := stream.read(1 << 20):
            while chunk:
                in_member = True
                inflater.decompress(chunk)
                chunk = b""
                if inflater.eof:
                    in_member, chunk = False, inflater.unused_data
                    inflater = zlib.decompressobj(wbits=47)
    except zlib.error:
        return False
    finally:
        stream.seek(0)
    return not in_member


def _check_archive_head(stream: IO[bytes]) -> None:
    head = stream.read(4096)
    stream.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=47).decompress(head, 64)
        except zlib.error as error:
            raise BrokenArchive(f"is a damaged gzip file ({error})") from error
    if not head.lstrip().startswith((b"WARC/", b"filedesc://")):
        raise BrokenArchive("is not a WARC or ARC archive (no WARC/ARC header at its start)")


def _warc_item(
    record: Any, records: ArchiveIterator, label: str, options: IngestOptions
) -> RawItem | ItemFailure | None:
    content_type = _html_record_type(record)
    content = record.content_stream() if content_type else record.raw_stream
    data = _read_up_to(content, options.max_bytes + 1) if content_type else b""
    _drain(content)
    offset = records.get_record_offset()  # only known once the record has been read through
    url = record.rec_headers.get_header("WARC-Target-URI")
    record_label = f"{label} record @{offset}" + (f" ({printable(url)})" if url else "")
    if record.raw_stream.limit > 0:
        raise BrokenArchive(f"is truncated: {record_label} ends {record.raw_stream.limit} bytes short")
    if content_type is None:
        return None
    if len(data) > options.max_bytes:
        return ItemFailure(
            record_label,
            InputTooLarge(f"is over the {options.max_bytes / 1e6:.1f} MB limit (--max-size)"),
        )
    charset = content_type.split("charset=")[1].split(";")[0].strip() if "charset=" in content_type else None
    return RawItem(
        label=record_label,
        data=data,
        form="html",
        source=Source("warc", f"{label}@{offset}", url=url),
        hints=Metadata(url=url),
        charset=charset,
        raw_type="text/html",
    )


def _html_record_type(record: Any) -> str | None:
    """The content type of a successful HTML response or resource record, else None."""
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    if headers is None:
        return None
    content_type = (headers.get_header("Content-Type") or "").lower()
    if "html" not in content_type:
        return None
    if record.rec_type == "response" and not (headers.get_statuscode() or "").startswith("2"):
        return None
    return content_type


def _read_up_to(stream: IO[bytes], limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit and (chunk := stream.read(min(65536, limit - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _drain(stream: IO[bytes]) -> None:
    while stream.read(65536):
        pass


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else error.__class__.__name__

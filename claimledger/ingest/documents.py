"""Turn one raw item into a clean Document: text, captions marked, metadata with its origin."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt

from claimledger.errors import MalformedRecord, NoText
from claimledger.ingest import dedupe
from claimledger.ingest.decode import decode_bytes
from claimledger.ingest.html import extract_page, fragment_text
from claimledger.ingest.language import detect_language
from claimledger.ingest.options import IngestOptions
from claimledger.ingest.readers import RawItem, parse_date_value
from claimledger.ingest.text import (
    clean_text,
    count_words,
    find_captions,
    find_outlet_marker,
    fingerprint,
    split_title,
)
from claimledger.model import Document, Metadata, MetaSource, Region, text_without

STAGE_VERSION = "claimledger.ingest.v1"

# Confidence in a publication date, by where it came from.
_DATE_CONFIDENCE: dict[MetaSource, float] = {
    "argument": 1.0,  # the user said so
    "metadata": 0.9,  # the input's own structured metadata (feed, JSON, page meta tags)
    "none": 0.0,
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_MARKDOWN = MarkdownIt("commonmark", {"html": False})  # raw HTML in Markdown is shown, not run


@dataclass(frozen=True, slots=True)
class _Parts:
    """What a reader of one form found: the body, its captions, its own metadata."""

    body: str
    captions: tuple[str, ...] = ()
    found: Metadata = Metadata()
    title_in_body: bool = False  # plain text: the first line is the title


def build_document(item: RawItem, options: IngestOptions) -> Document:
    """Decode, extract and clean `item`, and settle its metadata.

    Raises:
        InputError: the item is empty, binary, undecodable, malformed or holds no text.
    """
    parts = _read_parts(item)
    cleaned_body = clean_text(parts.body)
    body, title = cleaned_body.text, parts.found.title
    if parts.title_in_body and not (item.hints.title or title):
        title, body = split_title(body)
    text, regions, repairs = _assemble(body, parts.captions, cleaned_body.repairs)
    if not text.strip():
        raise NoText("holds no text after cleaning")
    outlet, outlet_source = _settle_outlet(item, parts.found, text, regions, options)
    published, published_source = _settle_published(item, parts.found, options)
    signature = dedupe.signature(text_without(text, regions))
    return Document(
        text=text,
        content_hash=fingerprint(text),
        source=item.source,
        title=_clean_line(item.hints.title or title),
        outlet=outlet,
        outlet_source=outlet_source,
        byline=_clean_line(item.hints.byline or parts.found.byline),
        published=published,
        published_source=published_source,
        published_confidence=_DATE_CONFIDENCE.get(published_source, 0.0),
        language=options.language
        or detect_language(text_without(text, regions))
        or item.hints.language
        or parts.found.language,
        regions=regions,
        raw=item.data,
        raw_type=item.raw_type,
        repairs=repairs,
        words=count_words(text),
        minhash=signature.to_bytes(),
        bands=tuple(signature.band_keys()),
    )


def _read_parts(item: RawItem) -> _Parts:
    decoded = decode_bytes(item.data, item.charset)
    if item.form == "html":
        page = extract_page(decoded, url=item.source.url)
        found = Metadata(
            title=page.title,
            outlet=page.outlet,
            byline=page.byline,
            published=page.published,
            language=page.language,
            url=page.url,
        )
        return _Parts(page.text, page.captions, found)
    if item.form == "html-fragment":
        body, captions = fragment_text(decoded)
        return _Parts(body, captions)
    if item.form == "markdown":
        return _markdown_parts(decoded)
    return _Parts(decoded, title_in_body=True)


def _markdown_parts(source: str) -> _Parts:
    front: dict[str, Any] = {}
    if match := _FRONT_MATTER.match(source):
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as error:
            raise MalformedRecord(f"has front matter that is not valid YAML ({error})") from error
        front = loaded if isinstance(loaded, dict) else {}
        source = source[match.end() :]
    title = _front_string(front, "title")
    if title is None:
        first, _, rest = source.lstrip().partition("\n")
        if first.startswith("# "):
            title, source = first[2:].strip(), rest
    body, captions = fragment_text(_MARKDOWN.render(source))
    published = front.get("published", front.get("date"))
    found = Metadata(
        title=title,
        outlet=_front_string(front, "outlet", "source", "site"),
        byline=_front_string(front, "byline", "author"),
        published=published if isinstance(published, dt.date) else parse_date_value(
            str(published) if published is not None else None
        ),
        language=_front_string(front, "language", "lang"),
        url=_front_string(front, "url", "link"),
    )
    return _Parts(body, captions, found)


def _front_string(front: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = front.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _assemble(
    body: str, captions: tuple[str, ...], repairs: tuple[str, ...]
) -> tuple[str, tuple[Region, ...], tuple[str, ...]]:
    """Body, then the captions lifted out of the markup, each caption marked as a region."""
    regions = list(find_captions(body))
    text, all_repairs = body, list(repairs)
    for caption in captions:
        cleaned = clean_text(caption)
        if not cleaned.text:
            continue
        start = len(text) + 2 if text else 0
        text = f"{text}\n\n{cleaned.text}" if text else cleaned.text
        regions.append(Region("caption", start, len(text)))
        all_repairs.extend(cleaned.repairs)
    return text, tuple(regions), tuple(all_repairs)


def _settle_outlet(
    item: RawItem,
    found: Metadata,
    text: str,
    regions: tuple[Region, ...],
    options: IngestOptions,
) -> tuple[str | None, MetaSource]:
    if options.outlet:
        return options.outlet, "argument"
    if item.hints.outlet or found.outlet:
        return _clean_line(item.hints.outlet or found.outlet), "metadata"
    if marker := find_outlet_marker(text, regions):
        return marker, "text"
    url = item.hints.url or found.url or item.source.url
    if url and (host := urlsplit(url).hostname):
        return host.removeprefix("www."), "url"
    return None, "none"


def _settle_published(
    item: RawItem, found: Metadata, options: IngestOptions
) -> tuple[dt.date | None, MetaSource]:
    """Only the user or the input's metadata date a document: never a date in its text."""
    if options.published:
        return options.published, "argument"
    if item.hints.published or found.published:
        return item.hints.published or found.published, "metadata"
    return None, "none"


def _clean_line(value: str | None) -> str | None:
    if value is None:
        return None
    line = " ".join(clean_text(value).text.split())
    return line or None

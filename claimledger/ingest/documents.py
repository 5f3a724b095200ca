"""Turn one raw item into a clean Document: text, captions marked, metadata with its origin."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

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
from claimledger.urls import split_url, url_date

STAGE_VERSION = "claimledger.ingest.v1"

# Confidence in a publication date, by where it came from.
_DATE_CONFIDENCE: dict[MetaSource, float] = {
    "argument": 1.0,  # the user said so
    "metadata": 0.9,  # the input's own structured metadata (feed, JSON, page meta tags)
    "url": 0.4,  # a date in the address (/2024/01/29/): usually the publication day, not always
    "none": 0.0,
}
# Longest title, outlet or byline kept; longer ones are cut (a hostile input can make them huge).
MAX_FIELD_CHARS = 500
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
        or language_code(item.hints.language)
        or language_code(parts.found.language),
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


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: front matter never needs them, and eight levels of
    them turn a few hundred bytes into hundreds of millions of characters."""

    # Dates stay strings, read by the same date parser as every other input's (so that
    # "published: 2026-13-45" is reported as a date that is not a date).
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "uses a YAML alias (*name), which front matter may not", event.start_mark)
        return super().compose_node(parent, index)


def load_front_matter(text: str) -> dict[str, Any]:
    """The front matter's fields; MalformedRecord, in one line, if it is not plain YAML."""
    try:
        loaded = yaml.load(text, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader, aliases refused
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 2}, column {mark.column + 1}" if mark else ""
        raise MalformedRecord(f"has front matter that is not valid YAML: {error.problem or error.context}{where}") from error
    except yaml.YAMLError as error:
        raise MalformedRecord(f"has front matter that is not valid YAML: {_one_line(str(error))}") from error
    except (ValueError, TypeError, OverflowError) as error:  # a value YAML reads but cannot build, e.g. 2026-13-45
        raise MalformedRecord(f"has front matter with a value that is not valid: {_one_line(str(error))}") from error
    return loaded if isinstance(loaded, dict) else {}


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _markdown_parts(source: str) -> _Parts:
    front: dict[str, Any] = {}
    if match := _FRONT_MATTER.match(source):
        front = load_front_matter(match.group(1))
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
        url=_front_url(front),
    )
    return _Parts(body, captions, found)


def _front_url(front: dict[str, Any]) -> str | None:
    url = _front_string(front, "url", "link")
    if url is not None and split_url(url) is None:
        raise MalformedRecord(f"has front matter whose url is not a well-formed URL: {url[:200]!r}")
    return url


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
    parts = split_url(url) if url else None
    if parts is not None and (host := parts.hostname):
        return host.removeprefix("www.")[:MAX_FIELD_CHARS], "url"
    return None, "none"


def _settle_published(
    item: RawItem, found: Metadata, options: IngestOptions
) -> tuple[dt.date | None, MetaSource]:
    """The user, the input's metadata or, with low confidence, its URL date a document: never
    a date in its text (a caption's date is not the publication's)."""
    if options.published:
        return options.published, "argument"
    if item.hints.published or found.published:
        return item.hints.published or found.published, "metadata"
    if (in_url := url_date(item.hints.url or found.url or item.source.url)) and (day := in_url.as_date()):
        return day, "url"
    return None, "none"


def language_code(value: str | None) -> str | None:
    """An ISO 639 code such as en or zh-Hant, lower-cased to its language; anything else is dropped."""
    if value and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}", value.strip()):
        return value.strip().split("-")[0].split("_")[0].lower()
    return None


def _clean_line(value: str | None, limit: int = MAX_FIELD_CHARS) -> str | None:
    """One line of metadata, cut at `limit` characters: a title or a byline is never a book."""
    if value is None:
        return None
    line = " ".join(clean_text(value[: limit * 4]).text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line or None

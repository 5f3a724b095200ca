"""Main text and metadata from an HTML page, with its photo captions kept apart.

trafilatura finds the article among navigation, ads and comments and reads the title, site
name, author and date from the page's metadata. Captions are lifted out of the page before it
runs, so a date under a photo can never be read as the article's date nor as its body.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
import trafilatura

from claimledger.errors import MalformedHTML, NoText

_CAPTION_XPATH = (
    "//figcaption"
    " | //*[@itemprop='caption' or @itemprop='description'][ancestor::figure]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')"
    "      or contains(@class, 'caption-text') or contains(@class, 'wp-caption-text')"
    "      or contains(@class, 'photo-credit') or contains(@class, 'image-caption')]"
)
_SHORT_PAGE_WORDS = 25
_BLOCKS = (
    "p", "div", "section", "article", "blockquote", "li", "ul", "ol", "pre", "table", "tr",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "figure", "dd", "dt",
)
# Only the page's own metadata (meta tags, JSON-LD, URL): never dates found in the body text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    text: str
    captions: tuple[str, ...]
    title: str | None
    outlet: str | None
    byline: str | None
    published: dt.date | None
    language: str | None
    url: str | None


def extract_page(html: str, url: str | None = None) -> ExtractedPage:
    """Extract the article in `html`.

    Raises:
        MalformedHTML: the markup cannot be parsed at all.
        NoText: the page parses but holds no article text.
    """
    tree = _parse(_xml_safe(html))
    captions = _lift_captions(tree)
    language = tree.get("lang") or None
    result = trafilatura.bare_extraction(
        copy.deepcopy(tree),  # trafilatura prunes the tree it is given; keep ours whole
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=_DATE_PARAMS,
    )
    text = _paragraphs(result.text) if result is not None and result.text else ""
    if len(text.split()) < _SHORT_PAGE_WORDS:
        # trafilatura's own fallback keeps navigation on short pages; ours drops it.
        text = _fallback_text(tree)
    if not text and not captions:
        raise NoText("holds no article text (only markup, navigation or scripts)")
    title = result.title if result is not None else None
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    return ExtractedPage(
        text=text,
        captions=captions,
        title=title or None,
        outlet=(result.sitename if result is not None else None) or None,
        byline=(result.author if result is not None else None) or None,
        published=_to_date(result.date if result is not None else None),
        language=language.split("-")[0].lower() if language else None,
        url=(result.url if result is not None else None) or url,
    )


def fragment_text(html: str) -> tuple[str, tuple[str, ...]]:
    """Text and captions of an HTML fragment (a feed entry, rendered Markdown), block by block.

    Fragments are already the article: no boilerplate to remove, so no main-text extraction.
    """
    try:
        root = lxml.html.fragment_fromstring(_xml_safe(html), create_parent="div")
    except (lxml.etree.ParserError, ValueError) as error:
        raise MalformedHTML(f"holds HTML that cannot be parsed ({error})") from error
    captions = _lift_captions(root)
    return _block_text(root), captions


def _block_text(root: lxml.html.HtmlElement) -> str:
    """Text of `root` with a blank line after each block element and no script content."""
    for element in root.xpath(".//script | .//style | .//noscript | .//template"):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


# Characters no XML tree may hold (C0 controls but tab and line ends, lone surrogates, the two
# non-characters): pages in the wild carry them, and lxml refuses any text that holds one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(html: str) -> str:
    return _NOT_XML.sub("", html)


def _parse(html: str) -> lxml.html.HtmlElement:
    try:
        tree = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as error:
        raise MalformedHTML(f"is not parseable HTML ({error})") from error
    if tree is None or tree.find(".//body") is None and not tree.text_content().strip():
        raise MalformedHTML("is not parseable HTML (no document element)")
    return tree


def _lift_captions(tree: lxml.html.HtmlElement) -> tuple[str, ...]:
    """Remove caption elements from `tree` and return their texts, in page order."""
    captions: list[str] = []
    for element in tree.xpath(_CAPTION_XPATH):
        if element.getparent() is None:
            continue
        text = " ".join(element.text_content().split())
        if text and text not in captions:
            captions.append(text)
        element.drop_tree()
    return tuple(captions)


def _paragraphs(text: str) -> str:
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _fallback_text(tree: lxml.html.HtmlElement) -> str:
    """Short pages that trafilatura's main-content rules reject still have body text."""
    body = tree.find(".//body")
    if body is None:
        return ""
    for element in body.xpath(".//nav | .//header | .//footer | .//aside | .//form | .//menu"):
        element.drop_tree()
    return _paragraphs(_block_text(body))


def _to_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None

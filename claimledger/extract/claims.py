"""Claims: the propositions a document reports, each with its kind, hedging and chain.

A claim is a sentence of reported content (or of the outlet's own text), tied to the innermost
attribution that carries it. Its kind tells a ledger what can be checked and when: an event
happened or not, a statistic is a number, a prediction comes due, an opinion or appeal is
someone's view, a quote is the source's own words.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from claimledger.extract.attribution import OPINION_CUES, PREDICTION_CUES
from claimledger.extract.entities import document_text
from claimledger.model import Attribution, Claim, ClaimKind, DateMention, Mention, Quantity, Region

_HEDGES = re.compile(
    r"\b(may|might|could|possibly|perhaps|reportedly|allegedly|apparently|purportedly|"
    r"rumou?rs?|rumou?red|believed|likely|unlikely|unconfirmed|unverified|suspected|"
    r"appears? to|seems? to|it is said|said to be|is thought|are thought|estimated|"
    r"probably|presumably|supposedly|claimed)\b",
    re.IGNORECASE,
)
_ZH_HEDGES = re.compile(r"(可能|或许|或將|或将|据传|據傳|传闻|傳聞|据称|據稱|疑似|恐怕|估计|估計|未经证实)")
_HEDGING_CUES = {"believe", "suggest", "claim", "allege", "speculate", "think", "estimate", "expect", "hear", "predict"}
_PREDICTION = re.compile(
    r"\b(will|shall|going to|is expected to|are expected to|expected to|is likely to|are likely to|"
    r"is set to|are set to|is due to|upcoming|forthcoming|next week|next month|next year|"
    r"in the (?:next|coming) (?:few )?(?:days|weeks|months)|by the end of|soon)\b",
    re.IGNORECASE,
)
_ZH_PREDICTION = re.compile(r"(将会|將會|将要|將要|即将|即將|预计|預計|未来|未來|下周|下月|明年)")
_APPEAL = re.compile(
    r"\b(must|should|ought to|need to|needs to|have to|has to|urge[sd]?|urging|call(?:s|ed|ing)? on|"
    r"appeal(?:s|ed|ing)?|let us|let's|it is better to|it is time to|we demand)\b",
    re.IGNORECASE,
)
_ZH_APPEAL = re.compile(r"(必须|必須|应该|應該|应当|應當|呼吁|呼籲|敦促|号召|號召)")
_QUOTE_START = tuple("\"“'‘「『")
_QUOTE_MARKS = "\"“”'‘’「」『』"
_COUNTABLE_UNITS_EXCLUDED = {"years", "year", "months", "month", "days", "day", "hours", "times"}
_MIN_WORDS = 4


def extract_claims(
    doc: Doc,
    attributions: list[Attribution],
    quantities: list[Quantity],
    dates: list[DateMention],
    mentions: list[Mention],
    captions: tuple[Region, ...],
) -> list[Claim]:
    """Claims in `doc`, in text order."""
    leaves = {i for i, a in enumerate(attributions) if not any(b.parent == i for b in attributions)}
    sentences = list(doc.sents)  # spaCy rebuilds the sentence list on every iteration
    claims: list[Claim] = []
    covered: list[tuple[int, int]] = []
    for index in leaves:
        attribution = attributions[index]
        covered.append((attribution.source.start, attribution.content.end))
        covered.append((attribution.content.start, attribution.content.end))
        for start, end in _sentences_within(document_text(doc), sentences, attribution.content.start, attribution.content.end):
            claims.append(_claim(document_text(doc), start, end, index, attribution, quantities, dates, mentions))
    # A relayer's content beyond what it nests ("X stated that [Y claimed A], but B"): B is X's.
    for index, attribution in enumerate(attributions):
        if index in leaves:
            continue
        nested = [(a.source.start, a.content.end) for a in attributions if a.parent == index]
        nested += [(a.content.start, a.content.end) for a in attributions if a.parent == index]
        for start, end in _sentences_within(document_text(doc), sentences, attribution.content.start, attribution.content.end):
            if not _overlaps(start, end, nested):
                claims.append(_claim(document_text(doc), start, end, index, attribution, quantities, dates, mentions))
    for attribution in attributions:
        covered.append((min(attribution.source.start, attribution.cue.start), max(attribution.cue.end, attribution.content.end)))
    previous: int | None = None  # the attribution whose content ended the previous sentence
    for sentence in sentences:
        start, end = sentence.start_char, sentence.end_char
        if _overlaps(start, end, covered) or _overlaps(start, end, [(r.start, r.end) for r in captions]):
            previous = _ending_in(attributions, leaves, start, end)
            continue
        text = sentence.text.strip()
        if text.endswith(("?", "？")) or len(text.split()) < _MIN_WORDS and not re.search(r"[\u4e00-\u9fff]{6,}", text):
            previous = None
            continue
        # "Among them, ...", "In addition, ...": the account goes on in the same voice
        carried = previous if previous is not None and _CONTINUES.match(text) and "\n\n" not in document_text(doc)[attributions[previous].content.end : start] else None
        attribution = attributions[carried] if carried is not None else None
        claims.append(_claim(document_text(doc), start, start + len(sentence.text.rstrip()), carried, attribution, quantities, dates, mentions))
        previous = carried
    return sorted(claims, key=lambda claim: (claim.start, claim.end))


_CONTINUES = re.compile(
    r"^(?:[\"“'‘「『]|among them|of these|of them|in addition|additionally|moreover|furthermore|besides|"
    r"also|what is more|on top of that|in particular|specifically)\b",
    re.IGNORECASE,
)


def _ending_in(attributions: list[Attribution], leaves: set[int], start: int, end: int) -> int | None:
    """The leaf attribution whose content ends inside this sentence, if any."""
    ending = [i for i in leaves if start < attributions[i].content.end <= end]
    return ending[-1] if ending else None


def _sentences_within(text: str, sentences: list[Span], start: int, end: int) -> list[tuple[int, int]]:
    """The content split at sentence boundaries: a quoted paragraph is several propositions."""
    pieces = []
    for sentence in sentences:
        if sentence.end_char <= start or sentence.start_char >= end:
            continue
        piece_start, piece_end = max(start, sentence.start_char), min(end, sentence.end_char)
        piece = text[piece_start:piece_end]
        if piece_end > piece_start and len(piece.split()) >= 2:
            stripped = piece.rstrip()
            pieces.append((piece_start, piece_start + len(stripped)))
    return pieces or [(start, end)]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


_OUTLET_MARKER = re.compile(r"^\[?[^\[\]\n]{1,40}\]\s*|^【[^】\n]{1,20}】\s*")
_LEADING_THAT = re.compile(r"^(?:that|whether)\s+", re.IGNORECASE)


def _claim(
    text: str,
    start: int,
    end: int,
    index: int | None,
    attribution: Attribution | None,
    quantities: list[Quantity],
    dates: list[DateMention],
    mentions: list[Mention],
) -> Claim:
    if marker := _OUTLET_MARKER.match(text[start:end]):  # "[Coastal Wire] Ansel Kover ...": a dateline
        start += marker.end()
    if lead := _LEADING_THAT.match(text[start:end]):  # the proposition, not the complementiser
        start += lead.end()
    while start < end and text[start] in _QUOTE_MARKS:  # the words, not the marks around them
        start += 1
    while end > start and text[end - 1] in _QUOTE_MARKS + ",":
        end -= 1
    claim_text = text[start:end]
    in_claim_quantities = tuple(i for i, q in enumerate(quantities) if start <= q.start < end)
    in_claim_dates = tuple(i for i, d in enumerate(dates) if start <= d.start < end)
    hedges = [m.group(0).lower() for m in _HEDGES.finditer(claim_text)]
    hedges += _ZH_HEDGES.findall(claim_text)
    cue = attribution.cue_lemma if attribution is not None else ""
    if cue in _HEDGING_CUES:
        hedges.append(cue)
    kind = classify_claim(
        claim_text,
        cue,
        [quantities[i] for i in in_claim_quantities],
        [dates[i] for i in in_claim_dates],
        quoted=attribution is not None and _is_quotation(text, attribution),
    )
    entities = tuple(dict.fromkeys(m.key for m in mentions if start <= m.start < end))
    return Claim(
        start=start,
        end=end,
        text=claim_text,
        kind=kind,
        hedged=bool(hedges),
        hedges=tuple(dict.fromkeys(hedges)),
        attribution=index,
        quantities=in_claim_quantities,
        dates=in_claim_dates,
        entities=entities,
    )


def classify_claim(
    text: str,
    cue: str,
    quantities: list[Quantity],
    dates: list[DateMention],
    quoted: bool = False,
) -> ClaimKind:
    """Appeals and opinions first, then predictions, statistics, quotes; else an event."""
    if _APPEAL.search(text) or _ZH_APPEAL.search(text) or cue in OPINION_CUES or cue in ("view", "judgment"):
        return "opinion"
    future_window = any(d.precision == "window" for d in dates)
    if cue in PREDICTION_CUES or _PREDICTION.search(text) or _ZH_PREDICTION.search(text) or future_window:
        return "prediction"
    if any(_is_statistic(q) for q in quantities):
        return "statistic"
    if quoted:
        return "quote"
    return "event"


def _is_statistic(quantity: Quantity) -> bool:
    """A figure worth checking: a count of ten or more, a share, or a qualified number."""
    if quantity.unit in _COUNTABLE_UNITS_EXCLUDED:
        return False
    return quantity.unit == "%" or quantity.value >= 10 or quantity.qualifier is not None


def _is_quotation(text: str, attribution: Attribution) -> bool:
    before = text[attribution.content.start - 1 : attribution.content.start]
    return before in _QUOTE_START or text[attribution.content.start : attribution.content.start + 1] in _QUOTE_START

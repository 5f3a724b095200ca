"""Where retellings of one claim disagree beyond their own stated vagueness.

Figures are compared as the ranges their qualifiers allow ("close to 10 million" is about 9 to
10 million, "tens of millions" 10 to 99 million, "close to or exceeding 10 million" has no upper
end), so only ranges that cannot both be true conflict. Dates conflict when both name a day and
the days differ (a year left unknown by one report is not a disagreement). Statements conflict
when they say opposite things of the same people (fled or detained, dead or alive).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import Literal

ConflictKind = Literal["number", "date", "statement"]

_PEOPLE = {
    "people", "person", "persons", "individual", "individuals", "official", "officials", "officer",
    "officers", "cadre", "cadres", "member", "members", "civilian", "civilians", "resident",
    "residents", "worker", "workers", "soldier", "soldiers", "troop", "troops", "victim", "victims",
}
# Pairs of outcomes that cannot both be true of the same person at the same time.
_OPPOSITES: list[tuple[re.Pattern[str], re.Pattern[str], str]] = [
    (re.compile(r"\b(?:fled|escaped|defected|left the country|leaving china|reached (?:an? )?\w+ country)\b|出逃|外逃|叛逃"),
     re.compile(r"\b(?:detained|arrested|in custody|captured|under investigation|placed under|taken away)\b|被捕|被拘|被抓|留置"),
     "fled / detained"),
    (re.compile(r"\b(?:died|dead|killed|passed away)\b|去世|死亡|身亡"),
     re.compile(r"\b(?:alive|survived|recovering)\b|活着|生还"),
     "dead / alive"),
    (re.compile(r"\b(?:confirmed|admitted)\b|证实|承认"),
     re.compile(r"\b(?:denied|dismissed (?:the|as)|refuted)\b|否认|辟谣"),
     "confirmed / denied"),
]


@dataclass(frozen=True, slots=True)
class Figure:
    low: float
    high: float | None  # None: no upper end ("over 200")
    unit: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class DateSpan:
    value: str  # YYYY-MM-DD, XXXX-MM-DD
    start: int
    end: int
    text: str


@dataclass(slots=True)
class ClaimFacts:
    """What conflict checking needs of a claim."""

    claim_id: int
    document_id: int
    start: int
    end: int
    text: str
    entity_keys: frozenset[str]
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: ConflictKind
    claim_a: int
    claim_b: int
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    detail: str


# Claims of one group compared pair by pair, at most: distinct wordings, earliest first. A group
# of thousands (one text repeating a sentence) would otherwise cost millions of comparisons.
MAX_COMPARED = 300


def comparable(claims: list[ClaimFacts], limit: int = MAX_COMPARED) -> list[ClaimFacts]:
    """The claims worth comparing: one per distinct wording (copies cannot disagree), capped."""
    distinct = list({claim.text: claim for claim in reversed(claims)}.values())[::-1]
    return distinct[:limit]


def find_conflicts(claims: list[ClaimFacts]) -> list[Conflict]:
    """Every disagreeing pair among the claims of one group (see `comparable`)."""
    found: list[Conflict] = []
    for a, b in itertools.combinations(comparable(claims), 2):
        found.extend(_figure_conflicts(a, b))
        found.extend(_date_conflicts(a, b))
        if (statement := _statement_conflict(a, b) or denial_conflict(a, b)) is not None:
            found.append(statement)
    return found


def unit_head(unit: str | None) -> str | None:
    """"department-level officials" -> "officials"; counts of people share one head."""
    if not unit:
        return None
    head = unit.lower().split()[-1]
    return "people" if head in _PEOPLE else head


def ranges_disagree(a: Figure, b: Figure) -> bool:
    """True if one range lies wholly below the other (ranges that only touch count as apart:
    "close to 10 million" ends where "tens of millions" begins)."""
    return _wholly_below(a, b) or _wholly_below(b, a)


def _wholly_below(a: Figure, b: Figure) -> bool:
    return a.high is not None and a.high <= b.low and a.low < b.low


def _figure_conflicts(a: ClaimFacts, b: ClaimFacts) -> list[Conflict]:
    """Two claims conflict on a figure when every comparable pair of their figures disagrees:
    "the official figure is 5 million, the real one over 10 million" agrees with "tens of
    millions" through its second figure, so it is no conflict."""
    # Only figures of one kind of thing compare: a bare number ("7", an intensity) says nothing
    # of what it counts, so it is never set against another.
    pairs = [(x, y) for x in a.figures for y in b.figures
             if unit_head(x.unit) is not None and unit_head(x.unit) == unit_head(y.unit) and _same_scale(x, y)]
    if not pairs or not all(ranges_disagree(x, y) for x, y in pairs):
        return []
    x, y = pairs[0]
    return [Conflict("number", a.claim_id, b.claim_id, (x.start, x.end), (y.start, y.end),
                     f"“{x.text}” ({_range(x)}) vs “{y.text}” ({_range(y)})")]


def _same_scale(x: Figure, y: Figure) -> bool:
    """Figures a hundredfold apart count different things (a total and a subgroup)."""
    larger, smaller = max(x.low, y.low), min(x.low, y.low) or 1e-9
    return larger / smaller < 100


def _range(figure: Figure) -> str:
    high = "no upper end" if figure.high is None else f"{figure.high:,.0f}"
    return f"{figure.low:,.0f} to {high}" if figure.high != figure.low else f"{figure.low:,.0f}"


def _date_conflicts(a: ClaimFacts, b: ClaimFacts) -> list[Conflict]:
    found = []
    for x in a.dates:
        for y in b.dates:
            if _days_differ(x.value, y.value):
                found.append(Conflict("date", a.claim_id, b.claim_id, (x.start, x.end), (y.start, y.end),
                                      f"“{x.text}” ({x.value}) vs “{y.text}” ({y.value})"))
    return found


def _days_differ(x: str, y: str) -> bool:
    """Both name a day in the same month and the days differ; an unknown year matches any."""
    pattern = re.compile(r"^(\d{4}|XXXX)-(\d{2})-(\d{2})$")
    mx, my = pattern.match(x), pattern.match(y)
    if not mx or not my:
        return False
    years_agree = "XXXX" in (mx.group(1), my.group(1)) or mx.group(1) == my.group(1)
    return years_agree and mx.group(2) == my.group(2) and mx.group(3) != my.group(3)


@functools.lru_cache(maxsize=16384)
def _outcome_hits(text: str) -> tuple[tuple[re.Match[str] | None, re.Match[str] | None], ...]:
    """Per pair of opposites, where the text says the one and the other (searched once per text)."""
    lower = text.lower()
    return tuple((one.search(lower), other.search(lower)) for one, other, _ in _OPPOSITES)


def _statement_conflict(a: ClaimFacts, b: ClaimFacts) -> Conflict | None:
    if a.entity_keys and b.entity_keys and not (a.entity_keys & b.entity_keys):
        return None  # opposite outcomes of different people are no conflict
    for (one_a, other_a), (one_b, other_b), (_, _, label) in zip(_outcome_hits(a.text), _outcome_hits(b.text), _OPPOSITES, strict=True):
        for x, y, hit_x, hit_y, x_says_other, y_says_one in ((a, b, one_a, other_b, other_a, one_b),
                                                             (b, a, one_b, other_a, other_b, one_a)):
            if hit_x and hit_y and not x_says_other and not y_says_one:
                return Conflict("statement", x.claim_id, y.claim_id,
                                (x.start + hit_x.start(), x.start + hit_x.end()),
                                (y.start + hit_y.start(), y.start + hit_y.end()),
                                f"{label}: “{hit_x.group(0)}” vs “{hit_y.group(0)}”")
    return None


def has_outcome(claim: ClaimFacts) -> bool:
    """Says one of the outcomes that have an opposite (fled, detained, dead, denied ...), or
    denies one ("reports of a detention were false")."""
    return any(one or other for one, other in _outcome_hits(claim.text)) or bool(_denied_outcome(claim.text))


# An outcome in its forms as an act and as a noun, for a denial that names it.
_OUTCOME_WORDS = {
    "detained": r"detain\w*|detention|arrest\w*|custody|拘留|被捕|逮捕|带走|帶走",
    "fled": r"fled|flee\w*|defect\w*|escape\w*|出逃|外逃|叛逃",
    "dead": r"died|dead|death|killed|死亡|去世|身亡",
    "investigated": r"investigat\w*|questioned|审查|審查|调查|調查",
    "resigned": r"resign\w*|stepped down|辞职|辭職",
    "missing": r"missing|disappear\w*|失踪|失蹤",
}
# A denial of a report, not any "denied": "denied that", "denied the reports", "reports ... were
# false", "false rumours", "dismissed the claims"; in Chinese the words say it by themselves.
_NOT_SO = r"(?:false|untrue|not true|baseless|groundless|unfounded|fake|fabricated|inaccurate|incorrect)"
_REPORTS = r"(?:reports?|claims?|rumou?rs?|allegations?|accounts?|speculation|news)"
_DENIAL = re.compile(
    rf"\bden(?:y|ies|ied|ying)\s+(?:that|the\s+{_REPORTS}|{_REPORTS}|any\b)"
    rf"|\b{_REPORTS}\b[^.;]{{0,80}}?\b(?:is|are|was|were|as|be|being)\s+(?:completely\s+|entirely\s+|totally\s+)?{_NOT_SO}\b"
    rf"|\b{_NOT_SO}\s+{_REPORTS}\b|\bdismiss(?:ed|es)?\s+(?:the\s+)?{_REPORTS}\b|\brefut\w+\s+(?:the\s+)?{_REPORTS}\b"
    r"|否认|否認|不实|不實|谣言|謠言|辟谣|闢謠|子虚乌有|純屬捏造|纯属捏造",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=16384)
def _denied_outcome(text: str) -> tuple[str, re.Match[str]] | None:
    """(outcome, where) when the text denies an outcome: "reports of a detention were false"."""
    if not (denial := _DENIAL.search(text)):
        return None
    for outcome, words in _OUTCOME_WORDS.items():
        if re.search(words, text, re.IGNORECASE):
            return outcome, denial
    return None


def denial_conflict(a: ClaimFacts, b: ClaimFacts) -> Conflict | None:
    """A denies an outcome that B asserts (and does not itself deny): shown on both, so the
    claim is seen with the denial that answers it."""
    people_a = {k for k in a.entity_keys if not k.startswith("desc:")}
    people_b = {k for k in b.entity_keys if not k.startswith("desc:")}
    for x, y in ((a, b), (b, a)):
        denied = _denied_outcome(x.text)
        if denied is None or _denied_outcome(y.text) is not None:
            continue
        outcome, where = denied
        if asserted := re.search(_OUTCOME_WORDS[outcome], y.text, re.IGNORECASE):
            if people_a and people_b and not (people_a & people_b) and a.document_id == b.document_id:
                continue
            return Conflict("statement", x.claim_id, y.claim_id,
                            (x.start + where.start(), x.start + where.end()),
                            (y.start + asserted.start(), y.start + asserted.end()),
                            f"denied: “{where.group(0)}” against “{asserted.group(0)}” ({outcome})")
    return None


def statement_conflicts_between(claims: list[ClaimFacts], others: list[ClaimFacts]) -> list[Conflict]:
    """Opposite outcomes between claims of different groups that name someone in common."""
    found = []
    for a in comparable(claims):
        for b in comparable(others):
            if a.entity_keys & b.entity_keys and (conflict := _statement_conflict(a, b)) is not None:
                found.append(conflict)
            elif a.document_id != b.document_id and (conflict := denial_conflict(a, b)) is not None:
                found.append(conflict)
    return found

"""Admiralty-style grades and the status of a claim group, with the reasons written out.

Source reliability (A-F) is what the user says of an outlet or a person (`claimledger rate`);
nothing is assumed, so an unrated source is F, "cannot be judged". Information credibility
(1-6) is derived from the independent origins, the conflicts and the evidence:

  1 confirmed      evidence supports it, or an origin the user marked authoritative says it
  2 probably true  two or more independent origins, no conflicts
  3 possibly true  one named origin, no conflicts, not hedged
  4 doubtful       conflicts between retellings, or one origin that hedges
  5 improbable     evidence refutes it
  6 cannot be judged: no named origin at all (unnamed sources only)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from claimledger.assess.provenance import Origin
from claimledger.model import GroupStatus

Status = GroupStatus
_RELIABILITY_WORDS = {
    "A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
    "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
}


@dataclass(frozen=True, slots=True)
class Rating:
    reliability: str | None  # A-F, None: not rated
    authoritative: bool = False


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    stance: Literal["supports", "refutes"]
    note: str
    # Evidence that relays the claim's own origin (or is one of its reports) is recorded but
    # confirms nothing: `why` says what it shares with the claim.
    independent: bool = True
    why: str = ""
    id: int | None = None


@dataclass(slots=True)
class Assessment:
    status: Status
    grade: str  # e.g. "F3"
    independent_origins: int
    reasons: list[str] = field(default_factory=list)


def assess_group(
    origins: list[Origin],
    conflicts: int,
    hedged: bool,
    evidence: list[EvidenceItem],
    ratings: dict[str, Rating],
) -> Assessment:
    """Status and grade of one claim group from its origins, conflicts, evidence and ratings."""
    counted = [o for o in origins if o.counted]
    reasons = [_origins_reason(origins, counted)]
    reliability, reliability_reason = _reliability(counted, ratings)
    reasons.append(reliability_reason)
    supports = [e for e in evidence if e.stance == "supports" and e.independent]
    refutes = [e for e in evidence if e.stance == "refutes"]
    for item in evidence:
        if item.stance == "supports" and not item.independent:
            label = f"evidence #{item.id}" if item.id is not None else "evidence"
            reasons.append(f"{label} is not independent ({item.why}): recorded, not counted as confirmation")
    authoritative = [o.name for o in counted if _rating(o, ratings).authoritative]
    if supports and refutes:
        status: Status = "disputed"
        credibility = 4
        reasons.append(f"evidence both supports ({len(supports)}) and refutes ({len(refutes)}) it")
    elif refutes:
        status, credibility = "refuted", 5
        reasons.append(f"refuted by evidence: {refutes[-1].note}")
    elif supports or authoritative:
        status, credibility = "confirmed", 1
        reasons.append(
            f"confirmed by evidence: {supports[-1].note}" if supports
            else f"said by {', '.join(authoritative)}, marked authoritative"
        )
    elif conflicts:
        status, credibility = "disputed", 4
        reasons.append(f"{conflicts} conflict(s) between retellings")
    elif len(counted) >= 2 and len(reports := {d for o in counted for d in o.documents}) == 1:
        status, credibility = "single-origin", 4 if hedged else 3
        reasons.append(f"its {len(counted)} named sources are all in one report (document {min(reports)}):"
                       " one report's account is not corroboration")
    elif len(counted) >= 2:
        status, credibility = "corroborated", 2
    elif len(counted) == 1:
        status = "single-origin"
        credibility = 4 if hedged else 3
        if hedged:
            reasons.append("the only origin hedges it")
    else:
        status, credibility = "unverified", 6
    return Assessment(status, f"{reliability}{credibility}", len(counted), reasons)


def _origins_reason(origins: list[Origin], counted: list[Origin]) -> str:
    if not origins:
        return "no origin found"
    parts = []
    for origin in counted:
        behind = f", relaying {'; '.join(origin.described_as)}" if origin.described_as else ""
        outlets = f" (carried by {len(origin.outlets)} outlet(s): {', '.join(origin.outlets)})"
        parts.append(f"{origin.name}{behind}{outlets}")
    text = f"{len(counted)} independent origin(s)" + (f": {'; '.join(parts)}" if parts else "")
    unknown = sum(1 for o in origins if o.kind == "unknown")
    if unknown:
        text += f"; {unknown} unnamed source(s) not counted as confirmation"
    unattributed = next((o for o in origins if o.kind == "unattributed" and not o.counted), None)
    if unattributed is not None:
        text += f"; {len(unattributed.documents)} report(s) naming no source not counted (they may rest on the named origin)"
    return text


def _rating(origin: Origin, ratings: dict[str, Rating]) -> Rating:
    """A named origin's own rating; for reports that name no source, the best of their outlets'."""
    if origin.kind == "unattributed":
        rated = [r for outlet in origin.outlets if (r := ratings.get(outlet.lower())) and r.reliability]
        return min(rated, key=lambda r: r.reliability or "F") if rated else Rating(None)
    key = origin.key.split(":", 1)[1] if ":" in origin.key else origin.key
    return ratings.get(key) or ratings.get(origin.name.lower()) or Rating(None)


def _reliability(counted: list[Origin], ratings: dict[str, Rating]) -> tuple[str, str]:
    """The best rating among the independent origins; F when none is rated."""
    rated = [(r.reliability, o.name) for o in counted if (r := _rating(o, ratings)).reliability]
    if not rated:
        return "F", "source reliability F: no origin has been rated (claimledger rate)"
    letter, name = min(rated)
    return letter, f"source reliability {letter} ({_RELIABILITY_WORDS[letter]}): {name}"

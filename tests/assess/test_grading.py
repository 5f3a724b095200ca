"""Grades and statuses follow origins, conflicts, evidence and the user's ratings."""

from __future__ import annotations

from claimledger.assess.grading import EvidenceItem, Rating, assess_group
from claimledger.assess.provenance import Origin


def origin(name: str, counted: bool = True) -> Origin:
    return Origin(f"source:{name.lower()}", name, "person" if counted else "unknown", counted)


def test_status_follows_the_number_of_independent_origins() -> None:
    assert assess_group([], 0, False, [], {}).status == "unverified"
    assert assess_group([origin("x", counted=False)], 0, False, [], {}).grade == "F6"
    single = assess_group([origin("Hu Liren")], 0, False, [], {})
    assert (single.status, single.grade) == ("single-origin", "F3")
    assert "1 independent origin(s): Hu Liren" in single.reasons[0]
    assert assess_group([origin("Hu Liren")], 0, True, [], {}).grade == "F4"  # the only origin hedges
    assert assess_group([origin("A"), origin("B")], 0, False, [], {}).status == "corroborated"


def test_conflicts_evidence_and_authority() -> None:
    two = [origin("A"), origin("B")]
    assert assess_group(two, 1, False, [], {}).status == "disputed"
    refuted = assess_group(two, 0, False, [EvidenceItem("refutes", "the ministry showed him at work")], {})
    assert (refuted.status, refuted.grade[-1]) == ("refuted", "5")
    assert assess_group(two, 1, False, [EvidenceItem("supports", "court record")], {}).status == "confirmed"
    both = assess_group(two, 0, False, [EvidenceItem("supports", "x"), EvidenceItem("refutes", "y")], {})
    assert both.status == "disputed"
    official = assess_group([origin("Ministry")], 0, False, [], {"ministry": Rating("A", authoritative=True)})
    assert (official.status, official.grade) == ("confirmed", "A1")


def test_reliability_is_the_best_rated_origin_and_f_when_unrated() -> None:
    graded = assess_group([origin("A"), origin("B")], 0, False, [], {"a": Rating("D"), "b": Rating("B")})
    assert graded.grade == "B2" and "B (usually reliable): B" in graded.reasons[1]

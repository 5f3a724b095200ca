"""Conflicts respect each figure's own vagueness; dates and outcomes disagree only when they must."""

from __future__ import annotations

from claimledger.extract.quantities import extract_quantities
from claimledger.link.conflicts import ClaimFacts, DateSpan, Figure, find_conflicts
from claimledger.link.stage import _bounds


def facts(claim_id: int, text: str, keys: frozenset[str] = frozenset(), dates: list[DateSpan] | None = None) -> ClaimFacts:
    """The claim's figures as the extractor reads them, so qualifiers come from the real parser."""
    figures = [] if dates else [  # a date's day is not a figure
        Figure(*_bounds(q.value, q.low, q.high), q.unit, q.start, q.end, q.text) for q in extract_quantities(text, "en")
    ]
    return ClaimFacts(claim_id, claim_id, 0, len(text), text, keys, figures, dates or [])


def test_close_to_ten_million_and_tens_of_millions_conflict() -> None:
    found = find_conflicts([
        facts(1, "The purge has affected close to 10 million people."),
        facts(2, "The purge has affected tens of millions of people."),
    ])
    assert [c.kind for c in found] == ["number"]
    assert "close to 10 million" in found[0].detail and "tens of millions" in found[0].detail


def test_vague_figures_that_can_both_be_true_do_not_conflict() -> None:
    assert find_conflicts([
        facts(1, "The purge affected nearly tens of millions of individuals."),
        facts(2, "The real number could be close to or exceed 10 million people."),
    ]) == []
    assert find_conflicts([
        facts(1, "Close to 300 employees were questioned."),
        facts(2, "Hundreds of employees were questioned."),
    ]) == []


def test_a_second_figure_that_agrees_settles_it() -> None:
    """"The official figure is 5 million, the real one over 10 million" agrees with "tens of millions"."""
    assert find_conflicts([
        facts(1, "Officials say about 5 million people were processed, but more than 10 million people were."),
        facts(2, "Tens of millions of people were processed."),
    ]) == []


def test_different_days_conflict_and_an_unknown_year_is_no_disagreement() -> None:
    found = find_conflicts([
        facts(1, "He fled on October 17.", dates=[DateSpan("2025-10-17", 14, 24, "October 17")]),
        facts(2, "He fled on October 24.", dates=[DateSpan("XXXX-10-24", 14, 24, "October 24")]),
    ])
    assert [c.kind for c in found] == ["date"]
    assert find_conflicts([
        facts(1, "He fled on October 17.", dates=[DateSpan("2025-10-17", 14, 24, "October 17")]),
        facts(2, "He fled on October 17.", dates=[DateSpan("XXXX-10-17", 14, 24, "October 17")]),
    ]) == []


def test_fled_and_detained_conflict_only_for_the_same_people() -> None:
    found = find_conflicts([
        facts(1, "The deputy minister fled the country last week.", frozenset({"desc:deputy minister"})),
        facts(2, "The deputy minister was detained at the airport.", frozenset({"desc:deputy minister"})),
    ])
    assert [c.kind for c in found] == ["statement"]
    a_text = "The deputy minister fled the country last week."
    assert a_text[found[0].a_span[0] : found[0].a_span[1]] == "fled"
    assert find_conflicts([
        facts(3, "Li Wei fled the country.", frozenset({"li wei"})),
        facts(4, "Zhang Min was detained.", frozenset({"zhang min"})),
    ]) == []

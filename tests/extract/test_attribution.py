"""Attribution on texts written for the hard cases."""

from __future__ import annotations

from claimledger.extract import extract_document
from claimledger.extract.pipeline import chain_of


def chains(text: str) -> dict[str, list[str]]:
    """Claim text -> the names along its chain, outermost first."""
    extraction = extract_document(text, language="en")
    return {
        claim.text: [extraction.attributions[i].source_name for i in chain_of(extraction, index)]
        for index, claim in enumerate(extraction.claims)
    }


def test_a_quotation_after_a_time_phrase_and_its_unnested_sentences_stay_the_speakers() -> None:
    found = chains("Lin Ping said on Monday, “The auditors claimed the accounts were clean. "
                   "In truth the port lost close to 300 jobs last year.”")
    assert found["the accounts were clean"] == ["Lin Ping", "The auditors"]
    assert found["In truth the port lost close to 300 jobs last year."] == ["Lin Ping"]


def test_a_quotation_signed_with_a_dash() -> None:
    found = chains("Readers wrote to us.\n“The new bridge has made my commute twice as long.” ― Marta Oyelaran\n")
    assert found["The new bridge has made my commute twice as long."] == ["Marta Oyelaran"]


def test_according_to_at_the_end_of_a_sentence() -> None:
    found = chains("The harbour master resigned last week over the fee scandal, according to three port employees.")
    (names,) = [v for k, v in found.items() if "resigned" in k]
    assert names == ["three port employees"]


def test_a_parenthetical_cue_before_its_content() -> None:
    found = chains("The vote was close. But to prevent problems, she said, local officials should recount every ballot.")
    assert any(names == ["she"] or names == ["She"] for text, names in found.items() if "recount" in text)

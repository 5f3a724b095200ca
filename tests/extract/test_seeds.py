"""Extraction on the two seed reports: chains, one entity for two spellings, figures, kinds."""

from __future__ import annotations

import pytest

from claimledger.extract import run_extraction
from claimledger.ingest import IngestOptions, ingest_inputs
from claimledger.store import ClaimRecord, Store
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow  # the English model parses both articles


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(str(tmp_path_factory.mktemp("seeds") / "ledger.db"))
    ingest_inputs([str(SEEDS)], store, IngestOptions())
    run_extraction(store)
    return store


def claims_of(store: Store, seed_prefix: str) -> list[ClaimRecord]:
    document = next(d for d in store.list_documents() if seed_prefix in d.source)
    return store.list_claims(document.id)


def test_defection_claim_goes_through_hu_liren_to_the_unnamed_official(ledger: Store) -> None:
    claims = claims_of(ledger, "001_")
    defection = [c for c in claims if "leaving China" in c.text or "left the country" in c.text]
    chains = [[link.name for link in c.chain] for c in defection]
    relayed = [chain for chain in chains if len(chain) >= 3]
    assert relayed, chains
    chain = relayed[0]
    assert chain[1] == "Hu Li-ren"
    assert "official" in chain[2].lower() or "minister" in chain[2].lower()
    assert chain[2].lower().startswith(("a ", "the "))  # unnamed: kept as its description
    first = next(c for c in defection if len(c.chain) >= 3)
    hu = first.chain[1]
    assert hu.channel and "YouTube" in hu.channel
    assert hu.date is not None and hu.date.endswith("01-28")


def test_seed_000_defection_claim_rests_on_hu_liren(ledger: Store) -> None:
    claims = claims_of(ledger, "000_")
    fled = next(c for c in claims if "fled China on January 17" in c.text)
    assert [link.name for link in fled.chain][1:] == ["Hu Liren"]
    assert any(d["value"].endswith("01-17") for d in fled.dates)


def test_two_spellings_are_one_entity(ledger: Store) -> None:
    hu = [e for e in ledger.list_entities() if e.key == "hu liren"]
    assert len(hu) == 1
    assert {"Hu Liren", "Hu Li-ren"} <= set(hu[0].aliases)
    ids = {link.entity_id for c in claims_of(ledger, "000_") + claims_of(ledger, "001_") for link in c.chain if link.name.startswith("Hu Li")}
    assert ids == {hu[0].id}


def test_purge_figures_keep_their_qualifiers(ledger: Store) -> None:
    figures = {q["text"]: q for c in claims_of(ledger, "001_") for q in c.quantities}
    ten_million = next(q for text, q in figures.items() if "10 million" in text)
    assert (ten_million["qualifier"], ten_million["low"], ten_million["high"]) == ("close_or_over", 9e6, None)
    officers = next(q for text, q in figures.items() if "50,000" in text)
    assert officers["qualifier"] == "approx" and officers["unit"] == "military officers"
    generals = next(q for text, q in figures.items() if "200" in text)
    assert generals["qualifier"] == "over" and generals["high"] is None
    thousands = next(q for text, q in figures.items() if text.startswith("tens of thousands"))
    assert thousands["low"] == 10_000 and thousands["high"] == 99_999


def test_du_wens_appeal_is_an_opinion_not_an_event(ledger: Store) -> None:
    du_wen = [c for c in claims_of(ledger, "000_") if c.chain[-1].name == "Du Wen"]
    appeal = next(c for c in du_wen if c.text.startswith("You must confront a reality"))
    assert appeal.kind == "opinion"


def test_politburo_meeting_is_a_prediction_with_a_window(ledger: Store) -> None:
    prediction = next(c for c in claims_of(ledger, "001_") if "Central Political Bureau" in c.text)
    assert prediction.kind == "prediction"
    (window,) = [d for d in prediction.dates if d["precision"] == "window"]
    assert window["text"] == "in the next few days"


def test_caption_date_is_in_no_claim(ledger: Store) -> None:
    for claim in claims_of(ledger, "000_"):
        assert "March 10, 2025" not in claim.text
        assert all(d["value"] != "2025-03-10" for d in claim.dates)


def test_rerunning_extraction_changes_nothing(ledger: Store) -> None:
    before = [(c.text, c.kind, [link.name for link in c.chain]) for c in ledger.list_claims()]
    run_extraction(ledger, rerun=True)
    after = [(c.text, c.kind, [link.name for link in c.chain]) for c in ledger.list_claims()]
    assert before == after

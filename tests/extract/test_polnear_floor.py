"""Attribution quality may not silently drop: F1 on PolNeAR dev stays above pinned floors.

The floors sit with a digest of the corpus they were measured on (bench/attribution.py prints
both), so a changed corpus fails here rather than moving the scores quietly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimledger.evaluation import (
    corpus_digest,
    merge,
    polnear_documents,
    read_brat_relations,
    relations_from_extraction,
    score_attributions,
)
from claimledger.extract import extract_document
from tests.conftest import DATA

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())["polnear-dev"]


@pytest.mark.slow
def test_polnear_dev_f1_stays_above_its_floors() -> None:
    documents = polnear_documents(DATA / "polnear" / "dev")
    assert corpus_digest([p for pair in documents for p in pair]) == FLOORS["corpus_digest"]
    scores = merge(
        score_attributions(
            relations_from_extraction(extract_document(text.read_text(encoding="utf-8"), language="en")),
            read_brat_relations(annotation),
        )
        for text, annotation in documents
    )
    for name, floor in FLOORS.items():
        if name != "corpus_digest":
            assert scores.get(name).f1 >= floor, f"{name} F1 {scores.get(name).f1:.3f} fell below {floor}"

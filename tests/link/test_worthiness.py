"""Check-worthiness: a score per claim and per group, and the listings that put the claims worth
an analyst's time first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from claimledger.evaluation import shared_data
from claimledger.link.encoder import embed
from claimledger.link.worthiness import (
    WEIGHTS,
    WORTH_CHECKING,
    check_worthiness,
    read_claimbuster,
    train,
)
from claimledger.store import Store
from claimledger.web.app import create_app
from tests.conftest import ROOT, Ledger

CLAIMBUSTER = shared_data() / "claimbuster"
# Measured by bench/check_worthiness.py on ClaimBuster's held-out test file: P .898 R .875
# F1 .886, ROC-AUC .953 (every sentence called worthy: F1 .667).
TEST_F1_FLOOR = 0.86
TEST_AUC_FLOOR = 0.93


def test_facts_that_matter_score_above_pleasantries_in_english_and_chinese() -> None:
    worthy = ["The unemployment rate rose to 9.2 percent in March, the highest in a decade.",
              "失业率在三月升至百分之九点二，为十年来最高。",
              "The court sentenced the former minister to 13 years in prison for taking bribes."]
    idle = ["Thank you all for coming out tonight, it is great to be here.",
            "谢谢大家今晚的光临，很高兴来到这里。",
            "I want to say how much I enjoyed the conversation."]
    scores = check_worthiness(embed(worthy + idle))
    assert min(scores[:3]) >= WORTH_CHECKING > max(scores[3:])


def test_on_claimbusters_held_out_sentences() -> None:
    texts, labels = read_claimbuster(CLAIMBUSTER / "test.json")
    probability = check_worthiness(embed(texts))
    predicted = probability >= WORTH_CHECKING
    hits = int((predicted & (labels == 1)).sum())
    precision, recall = hits / int(predicted.sum()), hits / int(labels.sum())
    assert 2 * precision * recall / (precision + recall) >= TEST_F1_FLOOR
    order = np.argsort(probability)
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    positives, negatives = int(labels.sum()), int((labels == 0).sum())
    assert (ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives) >= TEST_AUC_FLOOR


@pytest.mark.slow
def test_make_model_reproduces_the_shipped_weights(tmp_path: Path) -> None:
    train(CLAIMBUSTER, tmp_path / "weights.npz")
    with np.load(tmp_path / "weights.npz") as rebuilt, np.load(WEIGHTS) as shipped:
        assert np.allclose(rebuilt["w"], shipped["w"], atol=1e-5)
        assert abs(float(rebuilt["b"]) - float(shipped["b"])) < 1e-5
        assert str(rebuilt["encoder"]) == str(shipped["encoder"])


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    ledger = Ledger(tmp_path_factory.mktemp("worth") / "ledger.db")
    assert ledger.run("ingest", str(ROOT / "examples")).exit_code == 0
    return ledger


def test_every_group_has_a_score_and_the_list_puts_the_most_worth_checking_first(examples: Ledger) -> None:
    groups = examples.json("groups")
    scores = [g["worthiness"] for g in groups]
    assert scores and all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert [g["id"] for g in examples.json("groups", "--sort", "id")] == sorted(g["id"] for g in groups)
    kept = examples.json("groups", "--min-worth", "0.9")
    assert kept and len(kept) < len(groups) and all(g["worthiness"] >= 0.9 for g in kept)


def test_a_groups_score_is_its_most_worth_checking_claim(examples: Ledger) -> None:
    with sqlite3.connect(examples.db_path) as connection:
        best = dict(connection.execute("SELECT group_id, max(worthiness) FROM group_claims GROUP BY group_id"))
    for group in examples.json("groups"):
        assert group["worthiness"] == pytest.approx(best[group["id"]])


def test_the_api_and_the_story_page_sort_and_filter_by_it(examples: Ledger) -> None:
    with Store.open(str(examples.db_path)) as store:
        client = TestClient(create_app(store))
        listed = client.get("/api/groups", params={"limit": 100}).json()
        scores = [g["worthiness"] for g in listed["items"]]
        assert scores == sorted(scores, reverse=True)
        high = client.get("/api/groups", params={"min_worthiness": 0.9, "limit": 100}).json()
        assert high["total"] == len(high["items"]) < listed["total"]
        assert all(g["worthiness"] >= 0.9 for g in high["items"])
        assert client.get("/api/groups", params={"min_worthiness": 2}).status_code == 422
        story = next(g["story_id"] for g in listed["items"] if len(g["claim_ids"]) > 1)  # the page lists shared claims
        page = client.get(f"/stories/{story}").text
    shown = [float(cell.split("<")[0]) for cell in page.split('<td class="worth">')[1:]]
    assert shown and shown == sorted(shown, reverse=True)


def test_claims_grouped_before_scores_existed_are_scored_by_the_next_link(examples: Ledger, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(examples.db_path) as source, sqlite3.connect(old) as copy:
        source.backup(copy)
    with sqlite3.connect(old) as connection:  # as a store upgraded from before migration 0013
        connection.execute("UPDATE group_claims SET worthiness = NULL")
        connection.execute("UPDATE group_views SET worthiness = NULL")
    before = Ledger(old)
    assert all(g["worthiness"] is None for g in before.json("groups"))
    assert before.run("link").exit_code == 0
    after = {g["id"]: g["worthiness"] for g in before.json("groups")}
    assert after == {g["id"]: pytest.approx(g["worthiness"]) for g in examples.json("groups")}

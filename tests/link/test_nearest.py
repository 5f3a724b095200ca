"""Nearest claims come from vectors held between queries, kept current as claims come and go.

"Claims like this" once read every stored claim vector per query (3 s at 10,000 documents).
The vectors are now held in the process and only the new ones are read before each query;
these tests check that the answers stay those of a scan of every stored vector while reports
arrive and claims leave.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import delete, select

from claimledger.link.encoder import DIMENSIONS, embed, from_blob
from claimledger.link.nearest import NearestVectors, nearest_claims
from claimledger.store import Store
from claimledger.store.schema import group_claims
from tests.conftest import Ledger


def test_nearest_vectors_rank_as_a_full_sort_does_when_added_in_batches() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(2_500, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keys = list(range(10, 10 + 3 * len(vectors), 3))
    index = NearestVectors()
    for start in range(0, len(vectors), 700):  # grows past its first capacity
        index.add(keys[start : start + 700], vectors[start : start + 700])
    assert len(index) == len(vectors) and index.last_key == keys[-1]
    for query in vectors[:5] + rng.normal(scale=0.05, size=(5, DIMENSIONS)).astype(np.float32):
        order = np.argsort(-(vectors @ query))[:10]
        assert [key for key, _ in index.nearest(query, 10)] == [keys[i] for i in order]
    assert len(index.nearest(vectors[0], 10_000)) == len(vectors)
    assert NearestVectors().nearest(vectors[0], 5) == []


def _scanned(db: Path | str, query: np.ndarray, count: int) -> list[int]:
    with Store.open(str(db)) as store, store.reading() as connection:
        rows = connection.execute(select(group_claims.c.claim_id, group_claims.c.vector)).all()
    scores = np.array([float(from_blob(vector) @ query) for _, vector in rows])
    return [rows[i].claim_id for i in np.argsort(-scores, kind="stable")[:count]]


def test_held_claim_vectors_answer_as_a_scan_while_claims_come_and_go(ledger: Ledger, seeds: list[Path]) -> None:
    query = embed(["The company's chairman was taken away for investigation"])[0]
    first, second = seeds[0], seeds[1]
    assert ledger.run("ingest", str(first)).exit_code == 0
    with Store.open(str(ledger.db_path)) as store:
        assert [key for key, _ in nearest_claims(store, query, 5)] == _scanned(ledger.db_path, query, 5)
        before = {key for key, _ in nearest_claims(store, query, 10_000)}
    assert ledger.run("ingest", str(second)).exit_code == 0  # new claims, read on the next query
    with Store.open(str(ledger.db_path)) as store:
        after = [key for key, _ in nearest_claims(store, query, 50)]
        assert after == _scanned(ledger.db_path, query, 50)
        assert len({key for key, _ in nearest_claims(store, query, 10_000)}) > len(before)
        with store.transaction() as connection:  # claims leave: the held vectors are read again
            connection.execute(delete(group_claims).where(group_claims.c.claim_id.in_(after[:3])))
        left = [key for key, _ in nearest_claims(store, query, 50)]
    assert not set(after[:3]) & set(left)
    assert left == _scanned(ledger.db_path, query, 50)

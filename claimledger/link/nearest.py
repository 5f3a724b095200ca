"""Exact nearest-neighbour search over vectors that arrive a few at a time, and the grouped
claims' vectors of a store held that way for "claims like this".

The rows live in one matrix grown by doubling, so adding a batch costs the batch, and a query is
one product with the rows held (11 ms at 100,000 rows of 384 dimensions on two cores: see
bench/ann.py and docs/architecture.md for when an approximate index is to take over).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from claimledger.link.encoder import DIMENSIONS, from_blob
from claimledger.store import Store
from claimledger.store import web as web_sql


@dataclass(slots=True)
class NearestVectors:
    """Unit vectors by integer key; the keys nearest a query, by cosine."""

    _keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _rows: np.ndarray = field(default_factory=lambda: np.zeros((0, DIMENSIONS), dtype=np.float32))
    _size: int = 0

    def __len__(self) -> int:
        return self._size

    @property
    def last_key(self) -> int:
        return int(self._keys[self._size - 1]) if self._size else 0

    def add(self, keys: list[int], vectors: np.ndarray) -> None:
        needed = self._size + len(keys)
        if needed > len(self._rows):
            capacity = max(needed, 2 * len(self._rows), 1_024)
            rows = np.zeros((capacity, self._rows.shape[1]), dtype=np.float32)
            rows[: self._size] = self._rows[: self._size]
            grown_keys = np.zeros(capacity, dtype=np.int64)
            grown_keys[: self._size] = self._keys[: self._size]
            self._rows, self._keys = rows, grown_keys
        self._rows[self._size : needed] = vectors
        self._keys[self._size : needed] = keys
        self._size = needed

    def nearest(self, query: np.ndarray, count: int) -> list[tuple[int, float]]:
        """(key, cosine) of the `count` rows nearest `query`, nearest first."""
        if not self._size or count <= 0:
            return []
        scores = self._rows[: self._size] @ query
        count = min(count, self._size)
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(self._keys[i]), float(scores[i])) for i in best]


# Vectors read from the store at a time when catching up (about 30 MB).
_READ_AT_ONCE = 20_000


@dataclass(slots=True)
class StoredClaimVectors:
    """The vectors of a store's grouped claims, held between queries ("claims like this") and
    brought up to date before each: claims come with higher ids, so catching up reads only the
    new ones; when the count says claims went (or came out of id order), all are read again."""

    index: NearestVectors = field(default_factory=NearestVectors)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def nearest(self, store: Store, query: np.ndarray, count: int) -> list[tuple[int, float]]:
        with self.lock:
            with store.reading() as connection:
                self._catch_up(connection)
            return self.index.nearest(query, count)

    def _catch_up(self, connection: Any) -> None:
        stored, last = web_sql.claim_vector_extent(connection)
        if last < self.index.last_key:
            self.index = NearestVectors()
        self._read_after(connection, last)
        if len(self.index) != stored:
            self.index = NearestVectors()
            self._read_after(connection, last)

    def _read_after(self, connection: Any, last: int) -> None:
        while self.index.last_key < last:
            rows = web_sql.claim_vectors_after(connection, self.index.last_key, _READ_AT_ONCE)
            if not rows:
                return
            self.index.add([claim_id for claim_id, _ in rows], np.vstack([from_blob(vector) for _, vector in rows]))


_HELD: dict[str, StoredClaimVectors] = {}
_HELD_LOCK = threading.Lock()


def nearest_claims(store: Store, query: np.ndarray, count: int) -> list[tuple[int, float]]:
    """(claim id, cosine) of the `count` grouped claims nearest `query`, nearest first; the
    store's vectors are held in this process after the first query (1.5 KB a claim)."""
    with _HELD_LOCK:
        held = _HELD.setdefault(store.url, StoredClaimVectors())
    return held.nearest(store, query, count)

"""Benchmark: which nearest-neighbour index should answer claimledger's candidate searches
(issue 15: story placement, claim grouping, "claims like this").

    python bench/ann.py [--scaled 100000] [--k 10]

The vectors are real: the 10,375 verified claims of CLEF 2020 CheckThat! Task 2 embedded by
claimledger's own encoder, queried by the task's dev tweets. For each index the benchmark prints
build seconds, milliseconds per query (one query at a time, as placing one report asks), recall
of the exact top k, and MAP@5 against the task's gold when the index's top 100 stand in for
the exact ranking (does an approximate index change what an analyst is shown?). A second,
larger set (--scaled) is made from the real vectors by adding noise and renormalising, so that
the index has near neighbours to tell apart at 100,000 rows; its recall is against exact search
on the same rows. Indexes absent from this environment are skipped and say so: they are not
claimledger's dependencies (yet); `.venv/bin/pip install faiss-cpu usearch hnswlib` to compare
them (hnswlib builds with a C++ compiler).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claim_retrieval import DATA, average_precision_at, read_tsv  # noqa: E402  (bench/, beside this script)

from claimledger.link.encoder import DIMENSIONS, embed  # noqa: E402

Search = Callable[[np.ndarray, int], np.ndarray]  # (one query vector, k) -> row numbers, best first
Add = Callable[[np.ndarray], None]  # more rows, numbered after the last


def claims_and_queries() -> tuple[np.ndarray, np.ndarray, list[set[int]]]:
    """The verified claims' vectors, the dev tweets' vectors and each tweet's gold claim rows."""
    claims = read_tsv(DATA / "verified_claims.docs.tsv")
    row_of = {claim[0]: row for row, claim in enumerate(claims)}
    tweets = {t[0]: t[1] for t in read_tsv(DATA / "dev" / "tweets.queries.tsv")}
    gold: dict[str, set[int]] = {}
    for line in (DATA / "dev" / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] in tweets and parts[2] in row_of and parts[3] != "0":
            gold.setdefault(parts[0], set()).add(row_of[parts[2]])
    asked = sorted(gold)
    matrix = embed([f"{c[1]} {c[2]}".strip() for c in claims])
    return matrix, embed([tweets[t] for t in asked]), [gold[t] for t in asked]


def scaled(matrix: np.ndarray, rows: int, noise: float, seed: int = 7) -> np.ndarray:
    """`rows` unit vectors near the real ones (each a real vector plus Gaussian noise)."""
    generator = np.random.default_rng(seed)
    picked = matrix[generator.integers(0, len(matrix), rows)]
    noisy = picked + generator.normal(0, noise / np.sqrt(DIMENSIONS), picked.shape).astype(np.float32)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def exact(matrix: np.ndarray) -> tuple[Search, Add]:
    rows = [matrix]

    def search(query: np.ndarray, k: int) -> np.ndarray:
        scores = rows[0] @ query
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
        return top[np.argsort(-scores[top])]

    def add(more: np.ndarray) -> None:
        rows[0] = np.vstack([rows[0], more])

    return search, add


def faiss_hnsw(matrix: np.ndarray) -> tuple[Search, Add]:
    import faiss

    faiss.omp_set_num_threads(1)
    index = faiss.IndexHNSWFlat(DIMENSIONS, 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 80
    index.add(matrix)
    index.hnsw.efSearch = 128

    def search(query: np.ndarray, k: int) -> np.ndarray:
        return index.search(query[None, :], k)[1][0]

    return search, index.add


def usearch_hnsw(matrix: np.ndarray) -> tuple[Search, Add]:
    from usearch.index import Index

    index = Index(ndim=DIMENSIONS, metric="ip", dtype="f32", connectivity=32, expansion_add=80, expansion_search=128)
    index.add(np.arange(len(matrix)), matrix, threads=2)

    def search(query: np.ndarray, k: int) -> np.ndarray:
        return np.asarray(index.search(query, k).keys)

    def add(more: np.ndarray) -> None:
        index.add(np.arange(len(index), len(index) + len(more)), more)

    return search, add


def hnswlib_hnsw(matrix: np.ndarray) -> tuple[Search, Add]:
    import hnswlib

    index = hnswlib.Index(space="ip", dim=DIMENSIONS)
    index.init_index(max_elements=len(matrix), M=32, ef_construction=80)
    index.add_items(matrix, np.arange(len(matrix)), num_threads=2)
    index.set_ef(128)

    def search(query: np.ndarray, k: int) -> np.ndarray:
        return index.knn_query(query, k)[0][0]

    def add(more: np.ndarray) -> None:
        start = index.get_current_count()
        index.resize_index(start + len(more))
        index.add_items(more, np.arange(start, start + len(more)))

    return search, add


INDEXES: dict[str, Callable[[np.ndarray], tuple[Search, Add]]] = {
    "numpy exact": exact, "faiss HNSW": faiss_hnsw, "usearch HNSW": usearch_hnsw, "hnswlib HNSW": hnswlib_hnsw,
}


def measure(name: str, matrix: np.ndarray, queries: np.ndarray, truth: list[np.ndarray], k: int,
            gold: list[set[int]] | None) -> None:
    try:
        started = time.perf_counter()
        search, add = INDEXES[name](matrix)
    except ImportError as missing:
        print(f"  {name:14} not installed here ({missing.name})")
        return
    built = time.perf_counter() - started
    started = time.perf_counter()
    answers = [search(query, max(k, 100)) for query in queries]
    per_query = (time.perf_counter() - started) / len(queries) * 1000
    recall = np.mean([len(set(a[:k].tolist()) & set(t[:k].tolist())) / k for a, t in zip(answers, truth, strict=True)])
    started = time.perf_counter()
    add(matrix[:50] * -1)  # 50 more rows, as a batch of new reports brings
    added = (time.perf_counter() - started) * 1000
    line = (f"  {name:14} build {built:6.1f} s   add 50 {added:7.1f} ms   {per_query:6.2f} ms/query"
            f"   recall@{k} {recall:.3f}")
    if gold is not None:
        map5 = np.mean([average_precision_at(a.tolist(), g, 5) for a, g in zip(answers, gold, strict=True)])
        line += f"   MAP@5 {map5:.3f}"
    print(line, flush=True)


def run(matrix: np.ndarray, queries: np.ndarray, k: int, gold: list[set[int]] | None) -> None:
    search, _ = exact(matrix)
    truth = [search(query, max(k, 100)) for query in queries]
    for name in INDEXES:
        measure(name, matrix, queries, truth, k, gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scaled", type=int, default=100_000, help="rows of the scaled set (0: skip it)")
    parser.add_argument("--noise", type=float, default=0.5, help="norm of the noise added to each real vector")
    parser.add_argument("--k", type=int, default=10)
    arguments = parser.parse_args()
    started = time.perf_counter()
    matrix, queries, gold = claims_and_queries()
    print(f"embedded {len(matrix):,} verified claims and {len(queries)} dev tweets in {time.perf_counter() - started:.0f} s")
    print(f"real vectors: {len(matrix):,} x {DIMENSIONS}, CLEF 2020 Task 2 dev tweets as queries")
    run(matrix, queries, arguments.k, gold)
    if arguments.scaled:
        print(f"scaled: {arguments.scaled:,} rows, real vectors plus noise of norm {arguments.noise}")
        run(scaled(matrix, arguments.scaled, arguments.noise), queries, arguments.k, None)


if __name__ == "__main__":
    main()

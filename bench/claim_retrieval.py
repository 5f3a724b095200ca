"""Benchmark: claim matching on CLEF 2020 CheckThat! Task 2 (verified claim retrieval, English).

    python bench/claim_retrieval.py [--split dev|test] [--limit N]

For each tweet, the 10,375 verified claims (Snopes) are ranked by claimledger's claim-matching
score, and MAP@5 (the task's official measure), MAP@1, MRR and P@1 are printed; the best system
in the 2020 task scored MAP@5 of about 0.93. Two rankings are printed: meaning alone
(multilingual sentence vectors), and the score claim grouping uses (meaning, plus rare words
shared, plus names shared) over the 100 claims nearest in meaning.
Also printed: how long a query takes against all 10,375 claims (the vector index is an exact
numpy product over the matrix).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import shared_data  # noqa: E402
from claimledger.extract.entities import find_mentions  # noqa: E402
from claimledger.extract.parsing import english_pipeline  # noqa: E402
from claimledger.link.encoder import embed  # noqa: E402
from claimledger.link.groups import GroupedClaim, LexicalIndex, match_score, words_of  # noqa: E402

DATA = shared_data() / "clef2020-checkthat-task2-claim-retrieval"
TOP = 100  # candidates re-scored, out of the meaning ranking


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t")][1:]


def entity_keys(texts: list[str]) -> list[frozenset[str]]:
    return [frozenset(m.key for m in find_mentions(doc).mentions) for doc in english_pipeline().pipe(texts, batch_size=64)]


def average_precision_at(ranked: list[int], relevant: set[int], k: int) -> float:
    hits, total = 0, 0.0
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k) if relevant else 0.0


def reciprocal_rank(ranked: list[int], relevant: set[int]) -> float:
    return next((1 / rank for rank, item in enumerate(ranked, start=1) if item in relevant), 0.0)


def evaluate(split: str, limit: int | None = None, with_names: bool = True) -> dict[str, list[list[float]]]:
    """Per tweet, [AP@5, AP@1, RR, P@1] for each ranking; timings under the key "_seconds"."""
    claims = read_tsv(DATA / "verified_claims.docs.tsv")
    claim_ids = [int(row[0]) for row in claims]
    claim_texts = [f"{row[2]} {row[1]}" for row in claims]  # title and claim
    tweets = read_tsv(DATA / split / "tweets.queries.tsv")[:limit]
    gold: dict[str, set[int]] = {}
    for line in (DATA / split / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            tweet_id, _, claim_id, _ = line.split("\t")
            gold.setdefault(tweet_id, set()).add(int(claim_id))
    started = time.perf_counter()
    matrix = embed(claim_texts)
    index_seconds = time.perf_counter() - started
    queries = embed([row[1] for row in tweets])
    claim_keys = entity_keys(claim_texts) if with_names else [frozenset()] * len(claims)
    tweet_keys = entity_keys([row[1] for row in tweets]) if with_names else [frozenset()] * len(tweets)
    lexicon = LexicalIndex()
    claim_words = [words_of(text) for text in claim_texts]
    for words in claim_words:
        lexicon.add(words)
    candidates = [GroupedClaim(claim_ids[i], 0, matrix[i], claim_keys[i], claim_words[i]) for i in range(len(claims))]
    results: dict[str, list[list[float]]] = {"meaning": [], "claimledger score": []}
    query_seconds = 0.0
    tweets_text = dict(tweets)
    for (tweet_id, _), vector, keys in zip(tweets, queries, tweet_keys, strict=True):
        relevant = gold.get(tweet_id, set())
        started = time.perf_counter()
        similarities = matrix @ vector
        order = np.argsort(-similarities)
        query_seconds += time.perf_counter() - started
        by_meaning = [claim_ids[i] for i in order[:TOP]]
        query = GroupedClaim(0, 0, vector, keys, words_of(tweets_text[tweet_id]))
        rescored = sorted(order[:TOP], key=lambda i: -match_score(query, candidates[i], lexicon))
        combined = [claim_ids[i] for i in rescored]
        for name, ranked in (("meaning", by_meaning), ("claimledger score", combined)):
            results[name].append([
                average_precision_at(ranked, relevant, 5), average_precision_at(ranked, relevant, 1),
                reciprocal_rank(ranked, relevant), float(bool(ranked) and ranked[0] in relevant),
            ])
    results["_seconds"] = [[index_seconds, query_seconds / max(len(tweets), 1), len(claims), len(tweets)]]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    results = evaluate(args.split, args.limit)
    index_seconds, query_seconds, claims, tweets = results.pop("_seconds")[0]
    print(f"CLEF 2020 CheckThat! Task 2, {args.split}: {tweets:.0f} tweets, {claims:,.0f} verified claims")
    print(f"{'ranking':22s} {'MAP@5':>6s} {'MAP@1':>6s} {'MRR':>6s} {'P@1':>6s}")
    for name, rows in results.items():
        means = np.mean(rows, axis=0)
        print(f"{name:22s} " + " ".join(f"{value:6.3f}" for value in means))
    print(f"indexing {claims:,.0f} claims: {index_seconds:.1f} s; one query against all: {1000 * query_seconds:.1f} ms")


if __name__ == "__main__":
    main()

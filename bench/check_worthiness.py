"""Benchmark: check-worthiness of claims on ClaimBuster (crowd-labelled debate sentences).

    python bench/check_worthiness.py

1. five-fold cross-validation on the training file (kfold_25ncs.json, 9,674 sentences) for the
   regularisation grid, the figure the shipped L2 was chosen by;
2. the shipped weights (claimledger/link/models/check_worthiness.npz) on the held-out test file
   (test.json, 702 sentences, balanced), once: precision, recall and F1 of the check-worthy
   class at the shipped threshold, and ROC-AUC; beside it, two baselines: calling every
   sentence worthy, and calling worthy every sentence with a number in it.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import shared_data  # noqa: E402
from claimledger.link.encoder import embed  # noqa: E402
from claimledger.link.worthiness import L2, WORTH_CHECKING, check_worthiness, fit, read_claimbuster  # noqa: E402

CORPUS = shared_data() / "claimbuster"
GRID = (0.1, 0.3, 1.0, 3.0, 10.0)


def scores(labels: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    hits = int((predicted & (labels == 1)).sum())
    precision = hits / max(int(predicted.sum()), 1)
    recall = hits / max(int((labels == 1).sum()), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def roc_auc(labels: np.ndarray, probability: np.ndarray) -> float:
    ranks = np.empty(len(probability))
    ranks[np.argsort(probability)] = np.arange(1, len(probability) + 1)
    positive, negative = int((labels == 1).sum()), int((labels == 0).sum())
    return float((ranks[labels == 1].sum() - positive * (positive + 1) / 2) / (positive * negative))


def cross_validate(vectors: np.ndarray, labels: np.ndarray, l2: float, folds: int = 5) -> tuple[float, float]:
    fold = np.random.default_rng(0).permutation(len(labels)) % folds
    probability = np.zeros(len(labels))
    for k in range(folds):
        w, b = fit(vectors[fold != k], labels[fold != k], l2)
        probability[fold == k] = 1 / (1 + np.exp(-(vectors[fold == k] @ w + b)))
    return scores(labels, probability >= WORTH_CHECKING)[2], roc_auc(labels, probability)


def main() -> dict[str, float]:
    texts, labels = read_claimbuster(CORPUS / "kfold_25ncs.json")
    test_texts, test_labels = read_claimbuster(CORPUS / "test.json")
    started = time.perf_counter()
    vectors = embed(texts)
    embedding = time.perf_counter() - started
    print(f"ClaimBuster: {len(texts):,} training sentences ({int(labels.sum()):,} check-worthy), {len(test_texts)} test;"
          f" embedded at {len(texts) / embedding:,.0f} sentences/s")
    for l2 in GRID:
        f1, auc = cross_validate(vectors, labels, l2)
        print(f"  5-fold CV on train, L2 {l2:<4}: F1 {f1:.3f}  ROC-AUC {auc:.3f}" + ("   (shipped)" if l2 == L2 else ""))
    started = time.perf_counter()
    test_vectors = embed(test_texts)
    probability = check_worthiness(test_vectors)
    p, r, f = scores(test_labels, probability >= WORTH_CHECKING)
    auc = roc_auc(test_labels, probability)
    print(f"  test, shipped weights:   P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ROC-AUC {auc:.3f}  (threshold {WORTH_CHECKING})")
    _, _, every = scores(test_labels, np.ones(len(test_labels), dtype=bool))
    numbers = np.array([bool(re.search(r"\d", text)) for text in test_texts])
    np_, nr, nf = scores(test_labels, numbers)
    print(f"  baselines on test: every sentence worthy F1 {every:.3f}; a number in it P {np_:.3f} R {nr:.3f} F1 {nf:.3f}")
    return {"precision": p, "recall": r, "f1": f, "auc": auc}


if __name__ == "__main__":
    main()

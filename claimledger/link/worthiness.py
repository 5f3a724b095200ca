"""How worth checking a claim is: a probability that its sentence states a check-worthy fact.

Most sentences a report attributes are not worth an analyst's time ("he said he was glad to be
here"); the ones that are state facts that matter ("9 million jobs short", "sentenced to life").
The score is a logistic regression over the claim's multilingual sentence vector (the one
claim grouping already computes, so scoring costs one dot product per claim, in any language
the encoder reads), trained on ClaimBuster's crowd-labelled sentences.

    python -m claimledger.link.worthiness     (`make model`) retrains the shipped weights

The weights and their model card sit in claimledger/link/models/.
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from claimledger.link.encoder import DIMENSIONS, ENCODER_VERSION

WEIGHTS = Path(__file__).resolve().parent / "models" / "check_worthiness.npz"
L2 = 1.0  # chosen by five-fold cross-validation on the training file (the benchmark prints it)
WORTH_CHECKING = 0.5  # the score above which a claim counts as worth checking


@lru_cache(maxsize=1)
def _weights() -> tuple[np.ndarray, float]:
    with np.load(WEIGHTS) as stored:
        if str(stored["encoder"]) != ENCODER_VERSION:
            raise RuntimeError(f"{WEIGHTS} was trained on {stored['encoder']} vectors, not {ENCODER_VERSION}: run `make model`")
        return stored["w"].astype(np.float32), float(stored["b"])


def check_worthiness(vectors: np.ndarray) -> np.ndarray:
    """The probability that each row's sentence is check-worthy (0..1, one per row)."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.float32)
    w, b = _weights()
    return (1.0 / (1.0 + np.exp(-(np.asarray(vectors, dtype=np.float32) @ w + b)))).astype(np.float32)


def fit(vectors: np.ndarray, labels: np.ndarray, l2: float = L2, iterations: int = 25) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method, the two classes weighted equally (ClaimBuster
    has about 2.5 unworthy sentences to each worthy one); deterministic, no seed needed."""
    x = np.hstack([vectors.astype(np.float64), np.ones((len(vectors), 1))])
    y = labels.astype(np.float64)
    share = y.mean()
    weight = np.where(y == 1, 0.5 / share, 0.5 / (1 - share))
    penalty = l2 * np.diag(np.r_[np.ones(x.shape[1] - 1), 0.0])  # the bias is not shrunk
    theta = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ theta)))
        gradient = x.T @ (weight * (p - y)) + penalty @ theta
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + penalty
        theta -= np.linalg.solve(hessian, gradient)
    return theta[:-1].astype(np.float32), float(theta[-1])


def read_claimbuster(path: Path) -> tuple[list[str], np.ndarray]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [row["text"] for row in rows], np.array([int(row["label"]) for row in rows])


def train(corpus: Path, output: Path = WEIGHTS) -> None:
    """Fit on ClaimBuster's training file (never its test file) and write the weights."""
    from claimledger.link.encoder import embed

    texts, labels = read_claimbuster(corpus / "kfold_25ncs.json")
    w, b = fit(embed(texts), labels)
    assert w.shape == (DIMENSIONS,)
    output.parent.mkdir(parents=True, exist_ok=True)
    np.savez(output, w=w, b=np.float32(b), encoder=np.str_(ENCODER_VERSION))


def main() -> None:
    from claimledger.evaluation import shared_data

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=shared_data() / "claimbuster", help="ClaimBuster's two-class folder")
    args = parser.parse_args()
    if not (args.corpus / "kfold_25ncs.json").exists():
        parser.error(f"{args.corpus}: no kfold_25ncs.json here (ClaimBuster's two-class training file)")
    train(args.corpus)
    print(f"written {WEIGHTS}; `python bench/check_worthiness.py` prints its figures")


if __name__ == "__main__":
    main()

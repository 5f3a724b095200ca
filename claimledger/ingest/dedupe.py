"""Recognise republished copies: near-duplicate text across outlets.

An outlet that republishes another's article with a changed headline and a trimmed paragraph
is not a second source. Each document gets a MinHash signature over word 3-grams; its bands are
stored beside it, so finding candidates for a new document is an indexed lookup in the store
(locality-sensitive hashing kept on disk), not a scan and not an index rebuilt in memory.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs above about 0.45 Jaccard become candidates
ROWS = NUM_PERM // BANDS
SHINGLE = 3
NEAR_DUPLICATE_THRESHOLD = 0.5
METHOD = "minhash-word3-128"
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Signature:
    values: np.ndarray  # uint32, NUM_PERM long

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(np.frombuffer(data, dtype="<u4"))

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        return float(np.count_nonzero(self.values == other.values)) / NUM_PERM

    def band_keys(self) -> list[int]:
        """One signed 63-bit key per band, as the store's index keeps them."""
        keys = []
        for band in range(BANDS):
            chunk = self.values[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes()
            digest = hashlib.blake2b(chunk + band.to_bytes(2, "little"), digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little") >> 1)
        return keys


def tokens(text: str) -> list[str]:
    """Words of alphabetic scripts, single characters of Chinese."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def signature(text: str) -> Signature:
    words = tokens(text)
    shingles = (
        {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
        if len(words) >= SHINGLE
        else {" ".join(words)}
    )
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles])
    return Signature(minhash.hashvalues.astype(np.uint32))

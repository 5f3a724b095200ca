"""Claims into claim groups: the same proposition across reports and languages.

A claim joins the group of its nearest claim in the same story when their meaning is close
(multilingual sentence vectors, so an English claim meets its Chinese retelling) and the
people, organisations and places they name do not say otherwise. Figures are not required to
agree: a retelling that says "tens of millions" where another said "close to 10 million" is
the same claim with a conflict, which is what an analyst needs to see.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from claimledger.link.encoder import DIMENSIONS

# A claim and its paraphrase or translation score about 0.7 in meaning with this encoder,
# unrelated sentences about 0.1 (../shared/DEPENDENCIES.md); shared rare words add up to
# LEXICAL_WEIGHT. On CLEF 2020 training pairs (tweet vs verified claim) a bar of 0.70 balances
# precision and recall (F1 0.58); 0.75 trades recall for precision (0.65), which is the right
# side to err on: a wrong merge can fake a corroboration, a missed one only hides it.
JOIN_THRESHOLD = 0.75
# ... and on average close to the whole group in meaning, so one long sentence does not chain
# two claims together.
GROUP_MEAN_THRESHOLD = 0.5
LEXICAL_WEIGHT = 0.5  # measured on CLEF 2020 dev (bench/claim_retrieval.py): 0.4-0.8 all close
_ENTITY_BONUS = 0.05
_CANDIDATES = 20


@dataclass(slots=True)
class GroupedClaim:
    claim_id: int
    group_id: int
    vector: np.ndarray
    entity_keys: frozenset[str]
    words: list[str] = field(default_factory=list)
    # what every comparison reads of the words, counted once rather than per comparison
    counts: Counter[str] = field(init=False, repr=False)
    han: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.counts = Counter(self.words)
        self.han = _mostly_han(self.words)


def match_score(claim: GroupedClaim, other: GroupedClaim, lexicon: LexicalIndex) -> float:
    """Meaning, plus rarity-weighted shared words, plus a little for shared names.

    Across scripts (an English claim and its Chinese retelling) no word can be shared, so the
    names they share, whose keys agree across scripts, stand in for the words.
    """
    names = 0.0
    if claim.entity_keys and other.entity_keys:
        names = len(claim.entity_keys & other.entity_keys) / len(claim.entity_keys | other.entity_keys)
    words = lexicon.similarity(claim.counts, other.counts) if claim.han == other.han else names
    return float(claim.vector @ other.vector) + LEXICAL_WEIGHT * words + _ENTITY_BONUS * names


def _mostly_han(words: list[str]) -> bool:
    return sum(1 for w in words if not w.isascii()) > len(words) / 2


# The most words and names can add to meaning in match_score.
_MOST_BESIDE_MEANING = LEXICAL_WEIGHT + _ENTITY_BONUS


def rank_candidates(claim: GroupedClaim, candidates: list[GroupedClaim], matrix: np.ndarray, lexicon: LexicalIndex,
                    floor: float | None = None) -> list[tuple[float, int]]:
    """(score, index) of the candidates closest in meaning, re-scored with words and names;
    with a `floor`, those too far in meaning to reach it are not re-scored (nor returned).

    `matrix` holds the candidates' vectors as rows: one product ranks them all, which stays
    fast (well under a millisecond per query at ten thousand claims) as the store grows.
    """
    meaning = matrix @ claim.vector
    nearest = np.argsort(-meaning)[:_CANDIDATES]
    if floor is not None:
        nearest = nearest[meaning[nearest] + _MOST_BESIDE_MEANING >= floor - 1e-6]
    return sorted(((match_score(claim, candidates[int(i)], lexicon), int(i)) for i in nearest), reverse=True)


@dataclass(slots=True)
class StoryClaims:
    """The grouped claims of one story, their vectors kept as the rows of one growing matrix so
    that placing a claim costs one product, not a copy of every vector before it."""

    claims: list[GroupedClaim] = field(default_factory=list)
    rows: np.ndarray = field(default_factory=lambda: np.zeros((64, DIMENSIONS), dtype=np.float32))
    members: dict[int, list[int]] = field(default_factory=dict)  # group id -> row indices

    def add(self, claim: GroupedClaim) -> None:
        if len(self.claims) == len(self.rows):
            self.rows = np.vstack([self.rows, np.zeros_like(self.rows)])
        self.rows[len(self.claims)] = claim.vector
        self.members.setdefault(claim.group_id, []).append(len(self.claims))
        self.claims.append(claim)

    @property
    def matrix(self) -> np.ndarray:
        return self.rows[: len(self.claims)]


def nearest_group(claim: GroupedClaim, story: StoryClaims, lexicon: LexicalIndex) -> tuple[int | None, float]:
    """The group to join (None: start one) and the score of its nearest member."""
    if not story.claims:
        return None, 0.0
    matrix = story.matrix
    ranked = rank_candidates(claim, story.claims, matrix, lexicon, floor=JOIN_THRESHOLD)
    if not ranked:
        return None, 0.0
    best, index = ranked[0]
    if best < JOIN_THRESHOLD:
        return None, best
    group_id = story.claims[index].group_id
    if float(np.mean(matrix[story.members[group_id]] @ claim.vector)) < GROUP_MEAN_THRESHOLD:
        return None, best
    return group_id, best


_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[\u4e00-\u9fff]")
_STOP = frozenset(
    "a an the of to in on for and or but is are was were be been being by with at from as that this "
    "these those it its he she they them his her their we our you your i not no has have had do does "
    "did will would can could may might said says say about after before over than then there here "
    "who whom which what when where why how all any some more most also just into out up down".split()
)


def words_of(text: str) -> list[str]:
    """Content words (and single Chinese characters), lower-cased: what lexical overlap counts."""
    text = _URL.sub(" ", text.lower())  # a link's letters are not the claim's words
    return [w for w in _WORD.findall(text) if w not in _STOP and (len(w) > 1 or not w.isascii())]


@dataclass(slots=True)
class LexicalIndex:
    """Document frequencies of words across the claims seen, for rarity-weighted overlap."""

    frequency: Counter[str] = field(default_factory=Counter)
    size: int = 0
    # words' weights as they stand: a claim is compared with up to _CANDIDATES others between
    # two additions, so each weight is worked out once, not once per comparison
    _weights: dict[str, float] = field(default_factory=dict, repr=False)

    def add(self, words: list[str]) -> None:
        self.frequency.update(set(words))
        self.size += 1
        self._weights.clear()

    def similarity(self, count_a: Counter[str], count_b: Counter[str]) -> float:
        """Cosine of TF-IDF vectors of two claims' counted words: sharing "Guantanamo" and
        "122" says more than "people"."""
        if not count_a or not count_b:
            return 0.0
        weight = {w: self._weight(w) for w in count_a.keys() | count_b.keys()}
        dot = sum(count_a[w] * count_b[w] * weight[w] ** 2 for w in count_a.keys() & count_b.keys())
        norm_a = math.sqrt(sum((c * weight[w]) ** 2 for w, c in count_a.items()))
        norm_b = math.sqrt(sum((c * weight[w]) ** 2 for w, c in count_b.items()))
        return dot / (norm_a * norm_b)

    def _weight(self, word: str) -> float:
        if (known := self._weights.get(word)) is None:
            known = self._weights[word] = math.log((self.size + 1) / (self.frequency[word] + 1)) + 1
        return known

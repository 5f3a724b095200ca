"""Claims into claim groups: the same proposition across reports and languages.

A claim joins the group of its nearest claim in the same story when their meaning is close
(multilingual sentence vectors, so an English claim meets its Chinese retelling) and the
people, organisations and places they name do not say otherwise. Figures are not required to
agree: a retelling that says "tens of millions" where another said "close to 10 million" is
the same claim with a conflict, which is what an analyst needs to see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# A claim and its paraphrase or translation score about 0.7 with this encoder, unrelated
# sentences about 0.1 (../shared/DEPENDENCIES.md); sentences of one story about one another
# fall between, so the bar sits above them.
JOIN_THRESHOLD = 0.56
# ... and on average close to the whole group, so one long sentence does not chain two claims.
GROUP_MEAN_THRESHOLD = 0.5
_ENTITY_BONUS = 0.08
_ENTITY_CLASH_PENALTY = 0.1


@dataclass(slots=True)
class GroupedClaim:
    claim_id: int
    group_id: int
    vector: np.ndarray
    entity_keys: frozenset[str]


def match_score(vector: np.ndarray, keys: frozenset[str], other: GroupedClaim) -> float:
    """Meaning, nudged up by shared people and places and down when both name different ones."""
    score = float(vector @ other.vector)
    if keys and other.entity_keys:
        shared = keys & other.entity_keys
        if shared:
            score += _ENTITY_BONUS * len(shared) / len(keys | other.entity_keys)
        else:
            score -= _ENTITY_CLASH_PENALTY
    return score


def nearest_group(vector: np.ndarray, keys: frozenset[str], candidates: list[GroupedClaim]) -> tuple[int | None, float]:
    """The group to join (None: start one) and the score of its nearest member."""
    if not candidates:
        return None, 0.0
    matrix = np.vstack([c.vector for c in candidates])
    meaning = matrix @ vector  # one product for all: fast enough for tens of thousands per story
    best_index = -1
    best = -1.0
    for index in np.argsort(-meaning)[:20]:  # the close ones in meaning, then the entity check
        score = match_score(vector, keys, candidates[int(index)])
        if score > best:
            best, best_index = score, int(index)
    if best < JOIN_THRESHOLD:
        return None, best
    group_id = candidates[best_index].group_id
    members = [i for i, c in enumerate(candidates) if c.group_id == group_id]
    if float(np.mean(meaning[members])) < GROUP_MEAN_THRESHOLD:
        return None, best
    return group_id, best

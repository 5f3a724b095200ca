"""Documents into stories, one real-world event each, incrementally.

A new document is compared with every open story and joins the best one if it is close enough,
else it starts a story; nothing already assigned moves, so adding reports never reshuffles
what an analyst has been reading. Closeness combines three things that fail differently:
meaning (multilingual sentence vectors of the headline and lead, so a Chinese and an English
report of one event meet), the people, organisations and places named (spelling-independent
keys, so 胡力任 and Hu Li-ren meet), and time (two events about the same people months apart,
a general's suspension and his later expulsion, stay apart).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from claimledger.link.encoder import embed

# Measured on ../shared/data/news-stories (bench/stories.py); see the note in the README.
JOIN_THRESHOLD = 0.40
_MEANING_WEIGHT = 0.9
_ENTITY_WEIGHT = 0.1
_DAYS_SAME_EVENT = 5  # reports of one event cluster within days of each other
_DATE_PENALTY_PER_MONTH = 0.2
_LEAD_CHARS = 600
_NEAREST_WEIGHT = 0.5


@dataclass(slots=True)
class DocumentProfile:
    """What story matching knows of a document."""

    document_id: int
    vector: np.ndarray
    entities: Counter[str]
    published: dt.date | None
    title: str


@dataclass(slots=True)
class StoryProfile:
    story_id: int
    vectors: list[np.ndarray] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    first: dt.date | None = None
    last: dt.date | None = None
    total: np.ndarray | None = None  # sum of the vectors, so the centroid costs nothing per query

    def add(self, profile: DocumentProfile) -> None:
        self.vectors.append(profile.vector)
        self.total = profile.vector.astype(np.float32) if self.total is None else self.total + profile.vector
        self.entities.update(profile.entities)
        if profile.published is not None:
            self.first = min(self.first or profile.published, profile.published)
            self.last = max(self.last or profile.published, profile.published)


def document_vectors(titles: list[str | None], bodies: list[str]) -> np.ndarray:
    """One vector per document: the mean of its headline's and its lead sentences' vectors."""
    pieces: list[str] = []
    owners: list[int] = []
    for index, (title, body) in enumerate(zip(titles, bodies, strict=True)):
        parts = ([title] if title else []) + _lead_sentences(body)
        parts = parts or [body[:_LEAD_CHARS] or " "]
        pieces.extend(parts)
        owners.extend([index] * len(parts))
    vectors = embed(pieces)
    result = np.zeros((len(bodies), vectors.shape[1]), dtype=np.float32)
    np.add.at(result, np.array(owners), vectors)
    norms = np.linalg.norm(result, axis=1, keepdims=True)
    return result / np.where(norms == 0, 1, norms)


def _lead_sentences(body: str, count: int = 3) -> list[str]:
    """The first sentences with some words in them (not navigation lines or timestamps)."""
    sentences = []
    for line in body[: _LEAD_CHARS * 3].splitlines():
        for sentence in re.split(r"(?<=[.!?。！？])\s*", line):
            if len(sentence.split()) >= 6 or len(re.findall(r"[\u4e00-\u9fff]", sentence)) >= 12:
                sentences.append(sentence.strip())
            if len(sentences) == count:
                return sentences
    return sentences


def entity_signature(keys: list[str]) -> Counter[str]:
    """Entity keys with spaces dropped, so 台湾 ("tai wan") and Taiwan ("taiwan") agree."""
    return Counter(key.replace(" ", "") for key in keys if not key.startswith("desc:"))


def story_score(document: DocumentProfile, story: StoryProfile, idf: dict[str, float] | None = None) -> float:
    """How likely the document reports the story's event (0..1, higher is closer)."""
    similarities = [float(document.vector @ vector) for vector in story.vectors]
    centroid = story.total if story.total is not None else np.zeros_like(document.vector)
    centroid_similarity = float(document.vector @ centroid / (np.linalg.norm(centroid) or 1))
    meaning = _NEAREST_WEIGHT * max(similarities) + (1 - _NEAREST_WEIGHT) * centroid_similarity
    score = _MEANING_WEIGHT * meaning + _ENTITY_WEIGHT * _entity_similarity(document.entities, story.entities, idf or {})
    return score - _date_penalty(document.published, story.first, story.last)


def _entity_similarity(document: Counter[str], story: Counter[str], idf: dict[str, float]) -> float:
    """Cosine of entity counts weighted by rarity: sharing "Amit Mehta" says more than "Google"."""
    if not document or not story:
        return 0.0
    default = max(idf.values(), default=1.0)
    weights = {key: idf.get(key, default) for key in document.keys() | story.keys()}
    dot = sum(document[k] * story[k] * weights[k] ** 2 for k in document.keys() & story.keys())
    norm_document = sum((count * weights[k]) ** 2 for k, count in document.items()) ** 0.5
    norm_story = sum((count * weights[k]) ** 2 for k, count in story.items()) ** 0.5
    return dot / (norm_document * norm_story) if norm_document and norm_story else 0.0


def _date_penalty(published: dt.date | None, first: dt.date | None, last: dt.date | None) -> float:
    if published is None or first is None or last is None:
        return 0.0
    gap = max((first - published).days, (published - last).days, 0)
    if gap <= _DAYS_SAME_EVENT:
        return 0.0
    return _DATE_PENALTY_PER_MONTH * (gap - _DAYS_SAME_EVENT) / 30


def best_story(
    document: DocumentProfile, stories: list[StoryProfile], idf: dict[str, float] | None = None
) -> tuple[StoryProfile | None, float]:
    """The story the document joins (None: it starts one), with the score that decided."""
    scored = [(story_score(document, story, idf), story) for story in stories]
    if not scored:
        return None, 0.0
    score, story = max(scored, key=lambda pair: pair[0])
    return (story, score) if score >= JOIN_THRESHOLD else (None, score)

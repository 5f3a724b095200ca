"""Scoring against gold annotations: span precision, recall and F1, exact and overlapping.

Used by the benchmarks under bench/ and by the quality floors in the tests, so that a printed
figure and a pinned floor are computed the same way.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimledger.model import Extraction, Quantity


def bcubed(predicted: dict[str, Any], gold: dict[str, Any]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering over the items of `predicted`."""
    clusters: dict[Any, set[str]] = {}
    classes: dict[Any, set[str]] = {}
    for item, cluster in predicted.items():
        clusters.setdefault(cluster, set()).add(item)
        classes.setdefault(gold[item], set()).add(item)
    overlap = {item: len(clusters[predicted[item]] & classes[gold[item]]) for item in predicted}
    precision = sum(overlap[i] / len(clusters[predicted[i]]) for i in predicted) / len(predicted)
    recall = sum(overlap[i] / len(classes[gold[i]]) for i in predicted) / len(predicted)
    return precision, recall, 2 * precision * recall / (precision + recall)


def shared_data() -> Path:
    """The public data sets the benchmarks read: ../shared/data beside the checkout, or
    $CLAIMLEDGER_SHARED/data."""
    shared = os.environ.get("CLAIMLEDGER_SHARED")
    return (Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared") / "data"

Fragments = tuple[tuple[int, int], ...]  # a span, possibly discontinuous


@dataclass(frozen=True, slots=True)
class Relation:
    """An attribution as three (possibly discontinuous) spans; a role may be missing."""

    source: Fragments
    cue: Fragments
    content: Fragments


@dataclass(slots=True)
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.gold += other.gold


@dataclass(slots=True)
class AttributionScores:
    """Per role (source, cue, content) and for whole relations, exact and overlap."""

    scores: dict[str, Score] = field(default_factory=dict)

    def get(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())


def exact(a: Fragments, b: Fragments) -> bool:
    return bool(a) and _hull(a) == _hull(b)


def overlaps(a: Fragments, b: Fragments) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _hull(fragments: Fragments) -> tuple[int, int]:
    return min(s for s, _ in fragments), max(e for _, e in fragments)


def _match(predicted: list[Fragments], gold: list[Fragments], same: object) -> Score:
    """Greedy one-to-one matching of spans."""
    used: set[int] = set()
    hits = 0
    for span in predicted:
        for index, target in enumerate(gold):
            if index not in used and span and target and same(span, target):  # type: ignore[operator]
                used.add(index)
                hits += 1
                break
    return Score(hits, len([p for p in predicted if p]), len([g for g in gold if g]))


def score_attributions(predicted: list[Relation], gold: list[Relation]) -> AttributionScores:
    scores = AttributionScores()
    for role in ("source", "cue", "content"):
        predicted_spans = [getattr(r, role) for r in predicted]
        gold_spans = [getattr(r, role) for r in gold]
        scores.get(f"{role} exact").add(_match(predicted_spans, gold_spans, exact))
        scores.get(f"{role} overlap").add(_match(predicted_spans, gold_spans, overlaps))
    for mode, same in (("exact", exact), ("overlap", overlaps)):
        scores.get(f"relation {mode}").add(_match_relations(predicted, gold, same))
    return scores


def _match_relations(predicted: list[Relation], gold: list[Relation], same: object) -> Score:
    """A relation matches when its cue and content match, and its source too when gold has one."""
    used: set[int] = set()
    hits = 0
    for relation in predicted:
        for index, target in enumerate(gold):
            if index in used:
                continue
            roles = [("cue", same), ("content", same)] + ([("source", same)] if target.source else [])
            if all(getattr(relation, role) and fn(getattr(relation, role), getattr(target, role)) for role, fn in roles):  # type: ignore[operator]
                used.add(index)
                hits += 1
                break
    return Score(hits, len(predicted), len(gold))


def relations_from_extraction(extraction: Extraction) -> list[Relation]:
    """Extracted attributions as relations, without inferred informant links (a ledger's
    inference from the document's own account, which attribution corpora do not annotate)."""
    relations = []
    for attribution in extraction.attributions:
        if attribution.inferred_parent and attribution.parent is not None:
            if extraction.attributions[attribution.parent].cue == attribution.cue:
                continue
        relations.append(
            Relation(
                ((attribution.source.start, attribution.source.end),),
                ((attribution.cue.start, attribution.cue.end),),
                ((attribution.content.start, attribution.content.end),),
            )
        )
    return relations


def merge(all_scores: Iterable[AttributionScores]) -> AttributionScores:
    total = AttributionScores()
    for scores in all_scores:
        for name, score in scores.scores.items():
            total.get(name).add(score)
    return total


# -- NewsQuant ---------------------------------------------------------------------------------------

_UNIT_SYNONYMS = {"$": "dollar", "%": "percent", "percent": "%", "per cent": "%", "pc": "%",
                  "dollars": "dollar", "us$": "dollar"}


def same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def same_figure(ours: Quantity, gold: float) -> bool:
    """Our value or either bound equals gold's; a percentage also equals the fraction NewsQuant
    writes for it ("two-thirds" is 66.7% here and 0.667 there)."""
    figures = [ours.value, ours.low or ours.value, ours.high or ours.value]
    if ours.unit == "%":
        figures += [figure / 100 for figure in figures]
    return any(same_value(figure, gold) for figure in figures)


def _same_unit(ours: str | None, gold: str, normalized: str) -> bool:
    if ours is None:
        return gold in ("", "-")
    ours_l = ours.lower()
    candidates = {gold.lower(), normalized.lower(), _UNIT_SYNONYMS.get(gold.lower(), "")} - {""}
    return any(c in ours_l or ours_l in c for c in candidates) or _UNIT_SYNONYMS.get(ours_l) in candidates


def _gold_values(raw: str) -> list[float]:
    """"6.0", a range "252.0-287.0", or scientific "1.99E-5"."""
    try:
        return [float(raw)]
    except ValueError:
        pass
    values = []
    for part in raw.split("-"):
        try:
            values.append(float(part))
        except ValueError:
            continue
    return values


def score_newsquant(cases: list[dict[str, Any]], extract: Callable[[str], list[Quantity]]) -> tuple[Score, Score]:
    """F1 of quantities matched on value, and on value and unit (NewsQuant has no offsets)."""
    by_value, by_value_unit = Score(), Score()
    for case in cases:
        ours = extract(case["text"])
        gold = case["quantities"]
        by_value.predicted += len(ours)
        by_value_unit.predicted += len(ours)
        by_value.gold += len(gold)
        by_value_unit.gold += len(gold)
        free = list(ours)
        for quantity in gold:
            values = _gold_values(str(quantity["value"]))
            match = next((q for q in free if any(same_figure(q, v) for v in values)), None)
            if match is not None:
                by_value.true_positives += 1
                if _same_unit(match.unit, quantity["unit"], quantity["normalized_unit"]):
                    by_value_unit.true_positives += 1
                free.remove(match)
    return by_value, by_value_unit



# -- PolNeAR (BRAT standoff) ---------------------------------------------------------------------

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d; ]+)\t")


def read_brat_relations(path: Path) -> list[Relation]:
    """Attribution relations of one PolNeAR .ann file."""
    spans: dict[str, tuple[str, Fragments]] = {}
    relations = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if match := _T_LINE.match(line):
            fragments = tuple(
                (int(start), int(end))
                for start, end in (part.split() for part in match.group(3).split(";"))
            )
            spans[match.group(1)] = (match.group(2), fragments)
    for line in lines:
        if not line.startswith("E"):
            continue
        roles: dict[str, Fragments] = {}
        for argument in line.split("\t", 1)[1].split():
            role, _, target = argument.partition(":")
            if target in spans:
                roles[role.lower()] = spans[target][1]
        if "cue" in roles and "content" in roles:
            relations.append(Relation(roles.get("source", ()), roles["cue"], roles["content"]))
    return relations


def polnear_documents(split_folder: Path) -> list[tuple[Path, Path]]:
    """(text, annotation) pairs, one annotator per article (the first file in name order)."""
    pairs = []
    annotations = sorted((split_folder / "attributions").glob("*.ann"))
    for text in sorted((split_folder / "text").glob("*.txt")):
        mine = [a for a in annotations if a.name.startswith(text.stem + "_")]
        if mine:
            pairs.append((text, mine[0]))
    return pairs


def corpus_digest(paths: Iterable[Path]) -> str:
    """A digest of the files a floor was measured on: a changed corpus must not pass silently."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

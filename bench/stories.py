"""Benchmark: documents into stories on ../shared/data/news-stories (B-cubed).

    python bench/stories.py

Ingests the 161 real articles (several languages, 35 stories, deliberate near-miss pairs such
as a pope's death and his successor's election) into a fresh store through the whole pipeline
(ingest, extract, link), in publication order as a user would, and prints B-cubed precision,
recall and F1 of the stories against the gold labels, and how fast linking went.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import shared_data  # noqa: E402
from claimledger.extract import run_extraction  # noqa: E402
from claimledger.ingest import IngestOptions, ingest_inputs  # noqa: E402
from claimledger.link import run_linking  # noqa: E402
from claimledger.store import Store  # noqa: E402
from claimledger.store import linking as sql  # noqa: E402

DATA = shared_data() / "news-stories" / "articles.jsonl"


def bcubed(predicted: dict[str, int], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over the items of `predicted`."""
    clusters: dict[int, set[str]] = defaultdict(set)
    classes: dict[str, set[str]] = defaultdict(set)
    for item, cluster in predicted.items():
        clusters[cluster].add(item)
        classes[gold[item]].add(item)
    precision = sum(len(clusters[predicted[i]] & classes[gold[i]]) / len(clusters[predicted[i]]) for i in predicted) / len(predicted)
    recall = sum(len(clusters[predicted[i]] & classes[gold[i]]) / len(classes[gold[i]]) for i in predicted) / len(predicted)
    return precision, recall, 2 * precision * recall / (precision + recall)


def evaluate(db_path: Path) -> dict[str, float]:
    """Ingest, extract and link the data set into a new store at `db_path`; score the stories."""
    gold = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold[record["id"]] = record["story"]
    with Store.open(str(db_path)) as store:
        ingest_inputs([str(DATA)], store, IngestOptions())
        run_extraction(store)
        started = time.perf_counter()
        report = run_linking(store)
        seconds = time.perf_counter() - started
        predicted = {}
        with store.reading() as connection:
            sources = {d.id: d.source for d in store.list_documents()}
            for member in sql.story_members(connection):
                predicted[sources[member.document_id].rsplit("#", 1)[1]] = member.story_id
    precision, recall, f1 = bcubed(predicted, gold)
    return {
        "documents": len(predicted), "gold_stories": len(set(gold.values())), "stories": report.new_stories,
        "precision": precision, "recall": recall, "f1": f1, "seconds": seconds,
        "claims": report.claims, "groups": report.new_groups,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        scores = evaluate(Path(folder) / "bench.db")
    print(f"news-stories: {scores['documents']:.0f} documents, {scores['gold_stories']:.0f} gold stories, {scores['stories']:.0f} found")
    print(f"B-cubed  P {scores['precision']:.3f}  R {scores['recall']:.3f}  F1 {scores['f1']:.3f}")
    print(f"linking (stories, claim groups, conflicts): {scores['seconds']:.1f} s,"
          f" {scores['documents'] / scores['seconds']:.1f} documents/s, {scores['claims']:.0f} claims into {scores['groups']:.0f} groups")


if __name__ == "__main__":
    main()

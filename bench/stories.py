"""Benchmark: documents into stories and stories into threads (B-cubed), on two real sets.

    python bench/stories.py

- ../shared/data/near-miss-stories: 123 articles, 24 events in 7 families of look-alike events
  about the same people (plus 12 one-article distractors), most undated, 54% not English;
- ../shared/data/news-stories: 161 articles, 35 stories, several languages.

Each set is ingested and extracted once into a fresh store. Then, with the placement code the
link stage uses (claimledger.link.stories.StoryIndex):

1. stories as the link stage makes them, with the shipped rules (claimledger.link.stories.RULES):
   B-cubed P/R/F1 on both sets; threads against near-miss-stories' `family` (each distractor is
   a thread of its own); documents per second for the whole link stage, and its speed as a
   ratio to embedding the same headlines and leads alone (a reference measured in this run);
2. cross-validation over the 7 families: for each family, the rules are chosen on the other
   six (by B-cubed F1 over a small grid) and scored on the held-out family; the held-out
   figure is printed beside the all-in one (rules chosen on all 123 articles at once, which
   does not count as a result);
3. order: the F1 over three shuffled arrival orders, the reports arriving in batches of 10
   with linking after each batch (as a user ingesting as news comes in), and their spread.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import bcubed, shared_data  # noqa: E402
from claimledger.extract import run_extraction  # noqa: E402
from claimledger.ingest import IngestOptions, ingest_inputs  # noqa: E402
from claimledger.link import run_linking  # noqa: E402
from claimledger.link.encoder import forget_recent  # noqa: E402
from claimledger.link.stories import (  # noqa: E402
    RULES,
    DocumentProfile,
    PlacementRules,
    StoryIndex,
    document_vectors,
)
from claimledger.model import EventDate, Region, text_without  # noqa: E402
from claimledger.store import Store  # noqa: E402
from claimledger.store import linking as sql  # noqa: E402

SETS = ("near-miss-stories", "news-stories")
GRID = {
    "join_threshold": (0.30, 0.35, 0.40, 0.45),
    "date_window": (1, 2, 3, 5),
    "weekday_window": (0, 1, 2),
    "who_penalty": (0.0, 0.05, 0.15),
    "what_bonus": (0.0, 0.1, 0.2),
    "what_penalty": (0.0, 0.1, 0.2),
}
BATCH = 10


@dataclasses.dataclass
class Article:
    key: str  # the data set's id
    story: str
    family: str  # near-miss-stories' family (the fold it belongs to); else its story
    thread: str  # the gold thread: its family, but a distractor is a thread of its own
    profile: DocumentProfile


@dataclasses.dataclass
class Loaded:
    articles: list[Article]
    seconds: float  # the link stage's, over the whole set
    documents: int
    stored: dict[str, int]  # article -> the story the link stage stored it in
    stored_threads: dict[str, int]


def load(name: str, folder: Path) -> Loaded:
    """Ingest and extract a set into a new store, then link it once with the shipped rules;
    returns the articles with their profiles, and what the link stage stored and how fast."""
    path = shared_data() / name / "articles.jsonl"
    gold = {json.loads(line)["id"]: json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()}
    with Store.open(str(folder / f"{name}.db")) as store:
        ingest_inputs([str(path)], store, IngestOptions())
        run_extraction(store)
        with store.reading() as connection:
            pending = sql.documents_to_link(connection)
        started = time.perf_counter()
        report = run_linking(store)
        seconds = time.perf_counter() - started
        sources = {d.id: d.source.rsplit("#", 1)[1] for d in store.list_documents()}
        with store.reading() as connection:
            members = sql.story_members(connection)
    stored = {sources[m.document_id]: m.story_id for m in members}
    stored_threads = {sources[m.document_id]: m.thread_id or -m.story_id for m in members}
    bodies = [text_without(d.text, tuple(Region(r["kind"], r["start"], r["end"]) for r in d.regions)) for d in pending]
    vectors = document_vectors([d.title for d in pending], bodies)
    articles = []
    for document, vector in zip(pending, vectors, strict=True):
        record = gold[sources[document.id]]
        family = record.get("family") or record["story"]
        thread = record["story"] if record["story"].startswith("distractor") else family
        profile = DocumentProfile(document.id, vector, document.event, document.title or "")
        articles.append(Article(record["id"], record["story"], family, thread, profile))
    return Loaded(articles, seconds, report.documents, stored, stored_threads)


def cluster(articles: list[Article], rules: PlacementRules, batches: list[list[Article]] | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Stories and threads of `articles` placed as the link stage places them (batch after
    batch, each settling the threads it reached)."""
    index = StoryIndex(rules)
    for batch in batches or [articles]:
        index.place_batch([a.profile for a in batch])
    key_of = {a.profile.document_id: a.key for a in articles}
    stories = {key_of[p.document_id]: story.story_id for story in index.stories for p in story.members}
    thread_of = {story.story_id: story.thread_id or story.story_id for story in index.stories}
    threads = {key: thread_of[story] for key, story in stories.items()}
    return stories, threads


def f1_of(articles: list[Article], rules: PlacementRules) -> float:
    stories, _ = cluster(articles, rules)
    return bcubed(stories, {a.key: a.story for a in articles})[2]


def grid() -> list[PlacementRules]:
    names = list(GRID)
    return [dataclasses.replace(RULES, **dict(zip(names, values, strict=True))) for values in itertools.product(*GRID.values())]


def cross_validate(articles: list[Article]) -> tuple[float, float, list[tuple[str, PlacementRules]]]:
    """(held-out F1 over all families, all-in F1, the rules chosen per held-out family)."""
    rules_grid = grid()
    predicted: dict[str, str] = {}
    chosen = []
    for held in sorted({a.family for a in articles}):
        train = [a for a in articles if a.family != held]
        test = [a for a in articles if a.family == held]
        best = max(rules_grid, key=lambda rules: f1_of(train, rules))
        chosen.append((held, best))
        stories, _ = cluster(test, best)
        predicted.update({key: f"{held}/{story}" for key, story in stories.items()})
    held_out = bcubed(predicted, {a.key: a.story for a in articles})[2]
    all_in = max(f1_of(articles, rules) for rules in rules_grid)
    return held_out, all_in, chosen


def shuffled_f1(articles: list[Article], rules: PlacementRules, seeds: tuple[int, ...] = (1, 2, 3)) -> list[float]:
    scores = []
    for seed in seeds:
        order = list(articles)
        random.Random(seed).shuffle(order)
        batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
        stories, _ = cluster(articles, rules, batches)
        scores.append(bcubed(stories, {a.key: a.story for a in articles})[2])
    return scores


def reference_seconds(folder: Path, name: str) -> float:
    """Embedding every document's headline and lead once, the least any placement by meaning
    costs: the unit the link stage's speed is measured in (same process, same machine load)."""
    with Store.open(str(folder / f"{name}.db")) as store, store.reading() as connection:
        documents = sql.story_members(connection)
        texts = {d.id: (d.title, d.text) for d in store_documents(store, [m.document_id for m in documents])}
    forget_recent()  # the link stage embedded these very texts
    started = time.perf_counter()
    document_vectors([title for title, _ in texts.values()], [text for _, text in texts.values()])
    return time.perf_counter() - started


def event_day_accuracy(articles: list[Article]) -> str:
    """How the event days extraction found compare with the day near-miss-stories' story names
    end in (distractors have none): right within the placement window, wrong, or missing."""
    counts = {"right": 0, "wrong": 0, "missing": 0}
    for article in articles:
        gold = re.search(r"(\d{4})-(\d\d)-(\d\d)$", article.story)
        if gold is None:
            continue
        when = article.profile.event.when
        if when is None:
            counts["missing"] += 1
            continue
        gap = when.days_apart(EventDate(gold.group(0), "gold", 1.0))
        close = gap is not None and gap <= (RULES.weekday_window if when.weekday is not None else RULES.date_window)
        counts["right" if close else "wrong"] += 1
    return ", ".join(f"{value} {key}" for key, value in counts.items()) + f" (within {RULES.date_window} days)"


def store_documents(store: Store, ids: list[int]) -> list[Any]:
    return [store.get_document(i) for i in ids]


def main() -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        loaded = {name: load(name, Path(folder)) for name in SETS}
        references = {name: reference_seconds(Path(folder), name) for name in SETS}
    for name, run in loaded.items():
        articles, seconds, documents = run.articles, run.seconds, run.documents
        stories, threads = run.stored, run.stored_threads  # what the link stage itself stored
        p, r, f = bcubed(stories, {a.key: a.story for a in articles})
        spread = shuffled_f1(articles, RULES)
        reference = references[name]
        results[name] = {"precision": p, "recall": r, "f1": f, "shuffled": spread}
        print(f"{name}: {len(articles)} documents, {len(set(a.story for a in articles))} gold stories, {len(set(stories.values()))} found")
        print(f"  stories  B-cubed P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (shipped rules {RULES})")
        print(f"  shuffled arrival in batches of {BATCH}: F1 " + ", ".join(f"{x:.3f}" for x in spread)
              + f"; spread {max(spread + [f]) - min(spread + [f]):.3f}")
        print(f"  link stage: {documents / seconds:.1f} documents/s ({seconds:.1f} s: stories, claim groups, conflicts);"
              f" speed ratio {reference / seconds:.2f} (1.0 = as fast as embedding the headlines and leads alone)")
        if name == "near-miss-stories":
            print("  event days against the date in each gold story's name: " + event_day_accuracy(articles))
            tp, tr, tf = bcubed(threads, {a.key: a.thread for a in articles})
            results["threads"] = {"precision": tp, "recall": tr, "f1": tf}
            print(f"  threads  B-cubed P {tp:.3f}  R {tr:.3f}  F1 {tf:.3f}   (against `family`, distractors alone)")
            held_out, all_in, chosen = cross_validate(articles)
            results["cross_validation"] = {"held_out": held_out, "all_in": all_in}
            print(f"  cross-validation over families: held-out F1 {held_out:.3f}; all-in F1 {all_in:.3f} (does not count)")
            for held, rules in chosen:
                print(f"    held out {held:<16} rules chosen on the others: join {rules.join_threshold}, window {rules.date_window}"
                      f" (day of the week {rules.weekday_window}),"
                      f" who {rules.who_penalty}, what {rules.what_bonus} / -{rules.what_penalty}")
    return results


if __name__ == "__main__":
    main()

"""Benchmark: origins and independence against the gold provenance of two real sets.

    python bench/origins.py

Each set (../shared/data/near-miss-stories and ../shared/data/news-stories) is ingested,
extracted, linked and assessed into a fresh store. Then, per gold story (its documents, however
claimledger grouped them):

- origins: the origins claimledger found behind the claims of the story's documents, against
  the gold `origins` (near-miss-stories only). Names are compared after normalisation: lower
  case, punctuation and the gold's `kind:` prefix and trailing date dropped; a found origin
  matches a gold one when every word of the shorter name is among the other's words (so
  "Xinhua" matches nothing but "Xinhua", and "Jinan Intermediate People's Court" matches
  "official:Jinan Intermediate People's Court verdict 2013-09-22"). Precision and recall are
  micro-averaged over stories;
- credits: the agencies claimledger read as the author of a document's copy (`credited`, near-miss)
  or as the relays of its claims (`relays`, news-stories), against the gold, per document;
- the largest claim group of each story with two or more reports: whether its count of
  independent origins equals the gold count, taken as the number of distinct first-listed
  gold origins of its reports (near-miss; in news-stories, each report's first gold relay, or
  the outlet itself when it names none);
- groups called corroborated or confirmed whose reports all trace to one gold origin (the same
  first-listed origin, or the same first relay): the number the ledger must keep at 0.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import shared_data  # noqa: E402
from claimledger.extract.credits import agency_key  # noqa: E402
from claimledger.ledger import run_pipeline  # noqa: E402
from claimledger.ledger import views as report_views  # noqa: E402
from claimledger.store import Store  # noqa: E402

SETS = ("near-miss-stories", "news-stories")
_STOP = {"the", "of", "on", "a", "an", "and", "for", "to", "in", "statement", "own", "reporting", "sourcing"}


def words(name: str) -> set[str]:
    name = re.sub(r"^[a-z]+:", "", name.lower())
    name = re.sub(r"\b\d{4}(?:-\d\d)?(?:-\d\d)?(?:/\d+)?\b", " ", name)
    return {w for w in re.findall(r"[\w']+", name) if w not in _STOP}


def same_origin(found: str, gold: str) -> bool:
    a, b = words(found), words(gold)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return shorter <= longer


def gold_origin(record: dict[str, Any]) -> str | None:
    """The origin a report's main claim rests on, as the gold gives it: its first-listed origin
    (near-miss-stories), else its first relay (news-stories); None when the gold says nothing."""
    if record.get("origins"):
        return str(record["origins"][0])
    if record.get("relays"):
        return f"relay:{record['relays'][0]}"
    return None


def evaluate(name: str, folder: Path) -> dict[str, Any]:
    path = shared_data() / name / "articles.jsonl"
    records = {json.loads(line)["id"]: json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()}
    with Store.open(str(folder / f"{name}.db")) as store:
        run_pipeline(store, [str(path)])
        key_of = {d.id: d.source.rsplit("#", 1)[1] for d in store.list_documents()}
        groups = report_views.group_records(store)
        credits = report_views.document_credits(store)
    found_by_doc: dict[str, set[str]] = {}
    for group in groups:
        for origin in group.origins:
            if origin["counted"]:
                for doc in origin["doc_ids"]:
                    found_by_doc.setdefault(key_of[doc], set()).add(origin["name"])
    stories: dict[str, list[str]] = {}
    for key, record in records.items():
        stories.setdefault(record["story"], []).append(key)

    matched_found = found_total = matched_gold = gold_total = 0
    for keys in stories.values():
        gold = {o for k in keys for o in records[k].get("origins", [])}
        found = {o for k in keys for o in found_by_doc.get(k, set())}
        if not gold:
            continue
        found_total += len(found)
        gold_total += len(gold)
        matched_found += sum(1 for f in found if any(same_origin(f, g) for g in gold))
        matched_gold += sum(1 for g in gold if any(same_origin(f, g) for f in found))

    credit_hits = credit_predicted = credit_gold = 0
    for names in credits.values():
        credit_predicted += len(names)
    for key, record in records.items():
        gold_credits = _credited(record)
        credit_gold += len(gold_credits)
        ours = next((names for doc, names in credits.items() if key_of.get(doc) == key), [])
        credit_hits += sum(1 for g in gold_credits if any(same_origin(o, g) for o in ours))

    right_counts = judged = wrong_corroboration = 0
    largest: dict[str, Any] = {}
    for group in groups:
        keys = [key_of[d] for d in group.doc_ids]
        if len(keys) < 2:
            continue
        first = [gold_origin(records[k]) for k in keys]
        if None in first:
            continue  # the gold does not say where one of its reports comes from
        if group.status in ("corroborated", "confirmed") and len(set(first)) == 1:
            wrong_corroboration += 1
            if "--explain" in sys.argv:
                print(f"    {name}: group {group.id} {group.status} on {first[0]}: {group.text[:90]}")
        story = Counter(records[k]["story"] for k in keys).most_common(1)[0][0]
        if story not in largest or len(keys) > len(largest[story][0]):
            largest[story] = (keys, group)
    for keys, group in largest.values():
        if not all(records[k].get("origins") for k in keys):
            continue  # the count is judged where the gold gives origins (near-miss-stories)
        judged += 1
        right_counts += group.independent_origins == len({gold_origin(records[k]) for k in keys})
    return {
        "origin_precision": matched_found / found_total if found_total else 0.0,
        "origin_recall": matched_gold / gold_total if gold_total else 0.0,
        "credit_recall": credit_hits / credit_gold if credit_gold else 0.0,
        "credits_read": credit_predicted,
        "credits_gold": credit_gold,
        "right_count_share": right_counts / judged if judged else 0.0,
        "stories_judged": judged,
        "corroborated_on_one_origin": wrong_corroboration,
        "groups": sum(1 for g in groups if len(g.doc_ids) > 1),
    }


def _credited(record: dict[str, Any]) -> list[str]:
    """The news agencies the gold credits for a report's copy (near-miss `credited`), or names
    as its relays (news-stories); outlets credited there are not wire credits and are left out."""
    if record.get("credited"):
        names = re.split(r"[;,/]| citing ", record["credited"])
    elif "origins" not in record:
        names = list(record.get("relays", []))
    else:
        names = []
    agencies = []
    for name in names:
        parts = [name.strip()] + re.findall(r"[(（]([^()（）]+)[)）]", name)
        if any(agency_key(re.sub(r"\s*[(（].*", "", part).strip()) for part in parts):
            agencies.append(name.strip())
    return agencies


def main() -> dict[str, Any]:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in SETS:
            scores = results[name] = evaluate(name, Path(folder))
            print(f"{name}: {scores['groups']} claim groups told by two or more reports")
            if name == "near-miss-stories":
                print(f"  origins per story: precision {scores['origin_precision']:.3f}  recall {scores['origin_recall']:.3f}")
            print(f"  credits read: {scores['credits_read']} (gold {scores['credits_gold']}); recall {scores['credit_recall']:.3f}")
            print(f"  largest multi-report group per story with the gold number of independent origins:"
                  f" {scores['right_count_share']:.3f} of {scores['stories_judged']}")
            print(f"  groups called corroborated or confirmed that rest on one gold origin: {scores['corroborated_on_one_origin']} (aim 0)")
    return results


if __name__ == "__main__":
    main()

"""Benchmark: attribution extraction on PolNeAR (political news, gold source/cue/content spans).

    python bench/attribution.py [--split dev|test] [--limit N]

Prints precision, recall and F1 for source, cue and content spans (exact and overlap) and for
whole relations, then the speed of the whole extraction stage next to spaCy's bare pipeline on
the same text. Tune on dev; report test once per change (the corpus authors ask that test be
used only for final evaluation).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimledger.evaluation import (  # noqa: E402
    corpus_digest,
    merge,
    polnear_documents,
    read_brat_relations,
    relations_from_extraction,
    score_attributions,
    shared_data,  # noqa: E402
)
from claimledger.extract import extract_document  # noqa: E402
from claimledger.extract.parsing import english_pipeline  # noqa: E402

POLNEAR = shared_data() / "polnear"


def evaluate(split: str, limit: int | None = None) -> tuple[object, dict[str, float]]:
    documents = polnear_documents(POLNEAR / split)[:limit]
    texts = [text.read_text(encoding="utf-8") for text, _ in documents]
    english_pipeline()  # load outside the timing
    started = time.perf_counter()
    all_scores = []
    for (_, annotation), text in zip(documents, texts, strict=True):
        extraction = extract_document(text, language="en")
        all_scores.append(score_attributions(relations_from_extraction(extraction), read_brat_relations(annotation)))
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for _ in english_pipeline().pipe(texts):
        pass
    bare = time.perf_counter() - started
    words = sum(len(text.split()) for text in texts)
    speed = {"documents": len(texts), "words": words, "ours_wps": words / ours, "bare_wps": words / bare}
    digest = corpus_digest([p for pair in documents for p in pair])
    return (merge(all_scores), speed | {"digest": digest})  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = parser.parse_args()
    scores, speed = evaluate(args.split, args.limit)
    print(f"PolNeAR {args.split}: {speed['documents']} documents, {speed['words']:,} words (corpus digest {speed['digest']})")
    print(f"{'':20} {'P':>6} {'R':>6} {'F1':>6}")
    for name in ("source exact", "source overlap", "cue exact", "cue overlap", "content exact",
                 "content overlap", "relation exact", "relation overlap"):
        score = scores.get(name)  # type: ignore[attr-defined]
        print(f"{name:20} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f}")
    print(f"speed (2 cores): extraction stage {speed['ours_wps']:,.0f} words/s;"
          f" spaCy bare pipeline {speed['bare_wps']:,.0f} words/s")


if __name__ == "__main__":
    main()

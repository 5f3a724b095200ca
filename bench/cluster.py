"""Benchmark: extraction on Ray workers against extraction in this process (issue 15, part 3).

    python bench/cluster.py [--documents 212]

The texts are the English articles bench/throughput.py reads (news-stories' English articles
and the PolNeAR dev articles). Each is extracted, in chunks of 32 as the extract stage reads
them from the store:

1. in this process alone (no parse workers), the reference;
2. in this process with its two parse worker processes (the default for a large batch);
3. on Ray workers on this machine, with 1 and with 2 workers (`--workers 1`, `--workers 2`),
   each worker loading the models once; Ray's own start is timed apart.

Printed: documents per second of each, and the speed-up against the reference.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import english_articles  # noqa: E402  (bench/, beside this script)

from claimledger.extract.cluster import extract_chunks_on_ray  # noqa: E402
from claimledger.extract.pipeline import Report, extract_reports  # noqa: E402
from claimledger.extract.workers import extract_chunks  # noqa: E402

CHUNK = 32


def timed(run: object) -> float:
    started = time.perf_counter()
    results = [result for chunk in run for result in chunk]  # type: ignore[attr-defined]
    assert not any(isinstance(result, Exception) for result in results)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=212, help="articles to extract (default 212, all of them)")
    arguments = parser.parse_args()
    records = english_articles()[: arguments.documents]
    reports = [Report(str(r["text"]), language="en", title=str(r["title"] or "")) for r in records]
    chunks = [reports[i : i + CHUNK] for i in range(0, len(reports), CHUNK)]
    print(f"{len(reports)} English articles, {sum(len(r.text.split()) for r in reports):,} words, chunks of {CHUNK}")
    extract_reports(reports[:2])  # the models loaded, as a long run has them

    import ray

    results = {"this process": timed(extract_chunks(chunks, 0)),
               "with 2 parse workers": timed(extract_chunks(chunks, 2))}
    for workers in (1, 2):
        started = time.perf_counter()
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False)
        start = time.perf_counter() - started
        results[f"Ray, {workers} worker{'s' if workers > 1 else ''}"] = timed(extract_chunks_on_ray(chunks, workers))
        ray.shutdown()
        print(f"  (Ray started with {workers} CPU(s) in {start:.1f} s, not counted below)")
    reference = results["this process"]
    for name, seconds in results.items():
        print(f"{name:22} {len(reports) / seconds:5.2f} documents/s ({seconds:5.1f} s), {reference / seconds:.2f}x this process alone")


if __name__ == "__main__":
    main()

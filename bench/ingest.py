"""Benchmark: ingest a WARC of generated news pages; print documents per second and peak memory.

    python bench/ingest.py [--documents 10000] [--keep DIR]

The pages are generated from real English news sentences (../shared/data/news-stories, drawn at
random, so pages are as distinct as real ones; one in fifty is a republished near-copy of an
earlier page) and written to one gzipped WARC. Peak resident memory is printed at
checkpoints: if ingestion streams, it levels off instead of growing with the document count.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warcio.warcwriter import WARCWriter  # noqa: E402

from claimledger.ingest import IngestEvent, IngestOptions, ingest_inputs  # noqa: E402
from claimledger.store import Store  # noqa: E402
from tests.ingest.builders import real_sentences, sampled_article_html, write_response  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_warc(path: Path, documents: int) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for index in range(documents):
            if index % 50 == 49:  # a republished copy of an earlier page, lightly edited
                html = sampled_article_html(index - 25).replace("<p>", "<p>Republished: ", 1)
            else:
                html = sampled_article_html(index)
            write_response(writer, f"https://bench.example/{index}", html.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the WARC and the store in this folder")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="claimledger-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    warc = folder / "bench.warc.gz"
    started = time.perf_counter()
    build_warc(warc, args.documents)
    print(f"sentence pool: {len(real_sentences())} real sentences")
    print(f"built {warc.name}: {args.documents} pages, {warc.stat().st_size / 1e6:.1f} MB,"
          f" in {time.perf_counter() - started:.1f} s")

    db = folder / "bench.db"
    db.unlink(missing_ok=True)
    checkpoints = {args.documents // 10, args.documents // 2, args.documents}
    seen = 0
    rss_before = peak_rss_mb()

    def on_event(_: IngestEvent) -> None:
        nonlocal seen
        seen += 1
        if seen in checkpoints:
            elapsed = time.perf_counter() - started
            print(f"  {seen:>6} documents  {seen / elapsed:6.1f} docs/s  peak RSS {peak_rss_mb():7.1f} MB")

    with Store.open(str(db)) as store:
        started = time.perf_counter()
        report = ingest_inputs([str(warc)], store, IngestOptions(), on_event=on_event)
        elapsed = time.perf_counter() - started
    summary = report.summary()
    print(f"ingested {sum(v for k, v in summary.items() if k != 'inputs')} documents in {elapsed:.1f} s:"
          f" {summary['added']} added, {summary['near_duplicate']} near-duplicate,"
          f" {summary['duplicate']} duplicate, {summary['failed']} failed")
    print(f"documents per second: {args.documents / elapsed:.1f}")
    print(f"peak RSS: {peak_rss_mb():.1f} MB (before ingesting: {rss_before:.1f} MB)")
    print(f"store size: {db.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()

"""Benchmark: the whole pipeline's speed against spaCy's bare pipeline, stage by stage, on one machine.

    python bench/throughput.py [--large 2000] [--memory 1000]

The texts are real English news from ../shared: the English articles of news-stories and the
PolNeAR dev articles (212 articles). In one run, on the same texts:

1. spaCy's bare en_core_web_sm pipeline (nlp.pipe over the texts): words per second, the reference;
2. the whole pipeline (ingest -> extract -> link -> assess into a new SQLite store): words and
   documents per second, its ratio to the reference, and each stage's share of the time;
3. work proportional to what is new: the seconds to add the last 50 articles to a store holding
   the others, and to the same store grown to `--large` documents (copies of the ledger, as
   bench/views.py grows one), and their ratio (aim: within 1.3x);
4. peak resident memory of this process, and of `claimledger ingest` (the whole pipeline, in a
   process of its own, alone and with its parse workers) on a WARC of `--memory` generated pages
   and on one a quarter that size: if memory does not grow with the documents the peaks are close;
5. start-up: `claimledger --help` and `claimledger stats` against bare Python (and against
   importing SQLAlchemy alone, which every command that opens a store pays).

Machines are shared and noisy: the ratio, measured in the same process a minute apart, is the
figure to quote, not the seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import build_warc  # noqa: E402
from views import grow  # noqa: E402

from claimledger.assess.stage import run_assessment  # noqa: E402
from claimledger.evaluation import shared_data  # noqa: E402
from claimledger.extract import run_extraction  # noqa: E402
from claimledger.extract.parsing import english_pipeline  # noqa: E402
from claimledger.extract.version import STAGE_VERSION as EXTRACT_VERSION  # noqa: E402
from claimledger.ingest import IngestOptions, ingest_inputs  # noqa: E402
from claimledger.link import run_linking  # noqa: E402
from claimledger.store import Store  # noqa: E402

NEW = 50  # articles added to a store that holds the others


def english_articles() -> list[dict[str, object]]:
    """news-stories' English articles and PolNeAR's dev articles, as JSONL records."""
    records: list[dict[str, object]] = []
    for line in (shared_data() / "news-stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("language") == "en":
            records.append({key: record.get(key) for key in ("id", "url", "outlet", "published", "title", "text")})
    polnear = shared_data() / "polnear"
    with (polnear / "metadata.tsv").open(encoding="utf-8") as stream:
        meta = {row["filename"]: row for row in csv.DictReader(stream, delimiter="\t")}
    for path in sorted((polnear / "dev" / "text").glob("*.txt")):
        row = meta.get(path.stem, {})
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        records.append({"id": path.stem, "outlet": row.get("publisher"), "published": row.get("publication_date"),
                        "title": title.strip(), "text": body.strip(), "language": "en"})
    return records


def words(records: list[dict[str, object]]) -> int:
    return sum(len(str(r["title"] or "").split()) + len(str(r["text"]).split()) for r in records)


def spacy_words_per_second(records: list[dict[str, object]]) -> float:
    nlp = english_pipeline()  # the same en_core_web_sm package the extract stage loads
    texts = [f"{r['title']}\n\n{r['text']}" for r in records]
    list(nlp.pipe(texts[:5]))  # loaded and warm, as the pipeline's own models are after its first document
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return words(records) / (time.perf_counter() - started)


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def run_stages(db: Path, inputs: Path) -> dict[str, float]:
    """Seconds per stage for carrying `inputs` into the store at `db`."""
    seconds: dict[str, float] = {}
    with Store.open(str(db)) as store:
        started = time.perf_counter()
        ingest_inputs([str(inputs)], store, IngestOptions())
        seconds["ingest"] = time.perf_counter() - started
        started = time.perf_counter()
        run_extraction(store, store.documents_to_extract(EXTRACT_VERSION))
        seconds["extract"] = time.perf_counter() - started
        started = time.perf_counter()
        run_linking(store)
        seconds["link"] = time.perf_counter() - started
        started = time.perf_counter()
        assessed = run_assessment(store)
        seconds["assess"] = time.perf_counter() - started
    seconds["groups assessed"] = assessed.groups
    return seconds


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start_up() -> tuple[float, float, float, float]:
    """Median seconds of bare Python, of importing SQLAlchemy (the store's floor), of
    `claimledger --help` and of `claimledger stats` on a small store. Run as an installed tool
    runs: with its bytecode cached (PYTHONDONTWRITEBYTECODE, set on some machines, would make
    every run compile the package again), after one warm-up run each."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

    def median_of(command: list[str]) -> float:
        subprocess.run(command, check=True, capture_output=True, env=environment)
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=environment)
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "empty.db"
        with Store.open(str(db)):
            pass
        return (median_of([sys.executable, "-c", "pass"]),
                median_of([sys.executable, "-c", "import sqlalchemy"]),
                median_of([sys.executable, "-m", "claimledger", "--help"]),
                median_of([sys.executable, "-m", "claimledger", "--db", str(db), "stats"]))


# Runs the CLI and reports, when it ends, its own peak resident memory (VmHWM: getrusage's
# figure carries the parent's peak across fork and exec) and the peak of its memory together
# with its parse workers', sampled four times a second from /proc (Linux).
_MEASURED_CLI = """
import os, sys, threading, time
from pathlib import Path

def kilobytes(status, field):
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0

def tree_rss():
    total = kilobytes(Path("/proc/self/status").read_text(), "VmRSS")
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if kilobytes(text, "PPid") == os.getpid():
            total += kilobytes(text, "VmRSS")
    return total

peak = [0]

def watch():
    while True:
        peak[0] = max(peak[0], tree_rss())
        time.sleep(0.25)

threading.Thread(target=watch, daemon=True).start()
from claimledger.cli import main
try:
    main()
finally:
    own = kilobytes(Path("/proc/self/status").read_text(), "VmHWM")
    print(f"peak-rss-mb {own / 1024:.0f} {max(peak[0], own) / 1024:.0f}", file=sys.stderr)
"""


def cli_peak_rss_mb(*arguments: str) -> tuple[float, float, float]:
    """Peak resident memory (MB) of `claimledger ARGUMENTS...` in a process of its own, alone
    and with its parse workers, and its seconds."""
    started = time.perf_counter()
    finished = subprocess.run([sys.executable, "-c", _MEASURED_CLI, *arguments], capture_output=True, text=True)
    if finished.returncode != 0:
        raise SystemExit(f"claimledger {' '.join(arguments)} failed: {finished.stderr[-2000:]}")
    seconds = time.perf_counter() - started
    peak = next(line for line in finished.stderr.splitlines() if line.startswith("peak-rss-mb")).split()
    return float(peak[1]), float(peak[2]), seconds


def ingest_peak_rss_mb(folder: Path, documents: int) -> tuple[float, float, float]:
    """Peak resident memory (MB) of `claimledger ingest` on `documents` generated pages, alone
    and with its parse workers, and its seconds; each run on a store of its own."""
    warc = folder / f"pages-{documents}.warc.gz"
    build_warc(warc, documents)
    return cli_peak_rss_mb("--db", str(folder / f"pages-{documents}.db"), "ingest", str(warc))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=int, default=2000, help="documents in the large store (default 2,000)")
    parser.add_argument("--memory", type=int, default=1000,
                        help="generated pages for the memory run of `claimledger ingest` (default 1,000; 0 skips it)")
    arguments = parser.parse_args()
    records = english_articles()
    old, new = records[:-NEW], records[-NEW:]
    total_words = words(records)
    print(f"texts: {len(records)} English articles, {total_words:,} words (news-stories en + PolNeAR dev)")

    reference = spacy_words_per_second(records)
    print(f"spaCy en_core_web_sm, bare pipeline: {reference:,.0f} words/s")

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        whole = run_stages(base / "whole.db", write_jsonl(base / "all.jsonl", records))
        spent = sum(whole[stage] for stage in ("ingest", "extract", "link", "assess"))
        rate = total_words / spent
        print(f"whole pipeline: {rate:,.0f} words/s, {len(records) / spent:.2f} documents/s ({spent:.1f} s);"
              f" ratio to spaCy {rate / reference:.2f}x (floor 1.0, aim 2.0)")
        print("  stage shares: " + ", ".join(
            f"{stage} {whole[stage]:.1f} s ({whole[stage] / spent:.0%})" for stage in ("ingest", "extract", "link", "assess")))

        run_stages(base / "small.db", write_jsonl(base / "old.jsonl", old))
        shutil.copy(base / "small.db", base / "large.db")
        grow(base / "large.db", arguments.large)
        new_file = write_jsonl(base / "new.jsonl", new)
        costs = {}
        for name in ("small", "large"):
            with Store.open(str(base / f"{name}.db")) as store:
                held = store.count_documents()
            added = run_stages(base / f"{name}.db", new_file)
            costs[name] = sum(added[stage] for stage in ("ingest", "extract", "link", "assess"))
            print(f"adding {NEW} articles to a store of {held:,} documents: {costs[name]:.1f} s ("
                  + ", ".join(f"{stage} {added[stage]:.1f}" for stage in ("ingest", "extract", "link", "assess"))
                  + f"; {added['groups assessed']:,.0f} groups assessed)")
        print(f"  incremental-cost ratio large/small: {costs['large'] / costs['small']:.2f}x (aim <= 1.3)")
    print(f"peak RSS of this process: {peak_rss_mb():,.0f} MB")
    if arguments.memory:
        with tempfile.TemporaryDirectory() as folder:
            for documents in (arguments.memory // 4, arguments.memory):
                peak, with_workers, seconds = ingest_peak_rss_mb(Path(folder), documents)
                print(f"`claimledger ingest` of {documents:,} generated pages: peak RSS {peak:,.0f} MB,"
                      f" {with_workers:,.0f} MB with its parse workers ({seconds:.0f} s, {documents / seconds:.1f} documents/s);"
                      " aim under 1 GB at 10,000")
    bare, sqlalchemy, helped, stats = start_up()
    print(f"start-up: bare Python {bare:.2f} s, `import sqlalchemy` {sqlalchemy:.2f} s (+{sqlalchemy - bare:.2f}),"
          f" `claimledger --help` {helped:.2f} s (+{helped - bare:.2f}),"
          f" `claimledger stats` {stats:.2f} s (+{stats - bare:.2f}); aim +0.5 s at most")


if __name__ == "__main__":
    main()

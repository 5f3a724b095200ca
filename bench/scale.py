"""Benchmark: what adding 50 new reports costs as the store grows (issue 15, part 4).

    python bench/scale.py                          # stores of 1,000 and 10,000 documents
    python bench/scale.py --sizes 1000 10000 100000   # by hand: the last takes hours to build

The real reports of ../shared/data (news-stories and near-miss-stories, 284 in many languages)
go through the whole pipeline once (bench/views.py `load_shared_sets`); that ledger is copied table by
table until it holds each size (bench/views.py `grow`), and every copy is then made another
set of events rather than a copy: its people renamed (each word of a person's key gets the
copy's number, so "meng hongwei" becomes "meng7 hongwei7", who is nobody else), its event days
moved by 37 days a copy, and its report vectors moved by noise (cosine about .7 to the
original), so that new reports meet many look-alike stories, not exact twins. The copies' story summaries
are then made once (and timed), as the first link run after upgrading to them does, so that
adding the 50 measures the steady state.

Then, at each size, 50 new real reports (PolNeAR dev articles, in none of the copies) are added:

- in this process, stage by stage (ingest, extract, link, assess; models already loaded), and
  the ratio of each size's cost to the smallest's (aim: at most 1.5x at 100,000 against 1,000);
- in a process of its own, through the CLI (`claimledger ingest`), for its peak resident memory
  (aim: it does not grow with the store);
- the part of linking that still grows with the store: checking the story summaries against
  the membership table and reading each story's centroid into the story index (the summaries and
  reports themselves are read only for the candidate stories and the threads a batch settles);
- the store's size on disk, and the p95 of the main lookups through the web app (bench/views.py
  `measure_pages`: story, group, document, search, lists), aim 10 ms.

All of it on SQLite (a file) and, when PostgreSQL is installed (`make test` installs Debian's),
on a PostgreSQL server the bench starts for the run as the tests do (tests/postgres.py): the base
is built on each, and each size is a copy of it (a file copy, or a database made from it as a
template). `--databases sqlite` runs one of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import text  # noqa: E402
from throughput import NEW, cli_peak_rss_mb, english_articles, run_stages, write_jsonl  # noqa: E402  (bench/, beside this script)
from views import grow, load_shared_sets, measure_pages  # noqa: E402

from claimledger.link.encoder import DIMENSIONS, from_blob, to_blob  # noqa: E402
from claimledger.link.stage import refresh_story_summaries, stored_story_index  # noqa: E402
from claimledger.store import Store  # noqa: E402
from tests.postgres import new_database, postgres_bin, postgres_server  # noqa: E402

NOISE = 0.04  # per dimension of a unit vector: a moved vector keeps a cosine of about .7 with its original
DAYS_A_COPY = 37
STAGES = ("ingest", "extract", "link", "assess")


def vary_copies(db: str, base_documents: int) -> None:
    """Make each copy of the ledger other events: renamed people, moved days, moved vectors."""
    rng = np.random.default_rng(11)
    with Store.open(db) as store, store.transaction() as connection:
        top = connection.execute(text("SELECT max(id) FROM documents WHERE id <= :n"), {"n": base_documents}).scalar_one()
        members = connection.execute(text(
            "SELECT document_id, vector, entity_keys, event_date FROM story_documents WHERE document_id > :top"), {"top": top}).all()
        for document_id, vector, keys, day in members:
            copy = (document_id - 1) // (top + 1)
            moved = from_blob(vector) + rng.normal(scale=NOISE, size=DIMENSIONS).astype(np.float32)
            connection.execute(text(
                "UPDATE story_documents SET vector = :vector, entity_keys = :keys, event_date = :day WHERE document_id = :id"), {
                "vector": to_blob(moved / np.linalg.norm(moved)), "keys": _json([_renamed(k, copy) for k in _list(keys)]),
                "day": _moved(str(day), copy) if day else None, "id": document_id})
        signatures = connection.execute(text(
            "SELECT document_id, who, event_date FROM event_signatures WHERE document_id > :top"), {"top": top}).all()
        for document_id, who, day in signatures:
            copy = (document_id - 1) // (top + 1)
            connection.execute(text("UPDATE event_signatures SET who = :who, event_date = :day WHERE document_id = :id"), {
                "who": _json([_renamed(k, copy) for k in _list(who)]), "day": _moved(day, copy) if day else None, "id": document_id})


def _list(value: object) -> list[str]:
    return json.loads(value) if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]


def _json(value: list[str]) -> str:
    return json.dumps(value, ensure_ascii=False)


def _renamed(key: str, copy: int) -> str:
    return " ".join(f"{word}{copy}" for word in key.split())


def _moved(day: str, copy: int) -> str:
    """The day moved by the copy's days; a day without a year keeps having none."""
    yearless = day.startswith("X")
    moved = dt.date.fromisoformat(("2001" + day[4:]) if yearless else day) + dt.timedelta(days=DAYS_A_COPY * copy)
    return ("XXXX" + moved.isoformat()[4:]) if yearless else moved.isoformat()


def index_load_seconds(db: str) -> tuple[float, int]:
    """(seconds, stories) to check the story summaries and build the story index from the centroids:
    the part of each link run that still grows with the store."""
    started = time.perf_counter()
    with Store.open(db) as store:
        refresh_story_summaries(store)
        with store.reading() as connection:
            index, _ = stored_story_index(connection)
    return time.perf_counter() - started, len(index.stories)


@dataclass
class Stores:
    """Where one run's stores live: SQLite files in a folder, or databases on a PostgreSQL server."""

    folder: Path
    server: str | None = None

    @property
    def name(self) -> str:
        return "PostgreSQL" if self.server else "SQLite"

    def new(self, name: str) -> str:
        return new_database(self.server) if self.server else str(self.folder / f"{name}.db")

    def copy(self, of: str, name: str) -> str:
        if self.server:
            return new_database(self.server, template=of)
        shutil.copy(of, self.folder / f"{name}.db")
        return str(self.folder / f"{name}.db")

    def megabytes(self, db: str) -> float:
        if not self.server:
            return Path(db).stat().st_size / 2**20
        with Store.open(db) as store, store.reading() as connection:
            return connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one() / 2**20

    def drop(self, db: str) -> None:
        if not self.server:
            Path(db).unlink()
            return
        import psycopg

        name = db.split("?", 1)[0].rsplit("/", 1)[1]
        maintenance = db.replace(f"/{name}?", "/postgres?").replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}"')


def measure(stores: Stores, sizes: list[int], inputs: Path, lookups: bool) -> dict[int, float]:
    """Build the base and each size on `stores`, add the new reports to each, print the figures;
    the seconds each size took to add them."""
    started = time.perf_counter()
    base = stores.new("base")
    load_shared_sets(base, stores.folder)
    with Store.open(base) as store:
        base_documents = store.count_documents()
    print(f"{stores.name}: base: {base_documents} real reports through the whole pipeline ({time.perf_counter() - started:.0f} s);"
          f" {NEW} new: PolNeAR dev articles", flush=True)
    costs: dict[int, float] = {}
    for size in sorted(sizes):
        db = stores.copy(base, f"store-{size}")
        started = time.perf_counter()
        grow(db, size)
        vary_copies(db, base_documents)
        with Store.open(db) as store:
            held = store.count_documents()
        grown = time.perf_counter() - started
        started = time.perf_counter()
        with Store.open(db) as store:  # the copies have no story summaries yet: made once, as after an upgrade
            summarised = refresh_story_summaries(store)
        summarising = time.perf_counter() - started
        twin = stores.copy(db, f"twin-{size}")
        megabytes = stores.megabytes(db)
        seconds = run_stages(db, inputs)
        costs[size] = sum(seconds[stage] for stage in STAGES)
        peak, with_workers, wall = cli_peak_rss_mb("--db", twin, "ingest", str(inputs))
        stores.drop(twin)
        loading, stories = index_load_seconds(db)
        print(f"{held:,} documents ({megabytes:,.0f} MB on disk, grown in {grown:.0f} s): adding {NEW} took"
              f" {costs[size]:.1f} s (" + ", ".join(f"{stage} {seconds[stage]:.1f}" for stage in STAGES)
              + f"; {seconds['groups assessed']:,.0f} groups assessed)")
        print(f"  story summaries made once for the copies ({summarised:,} stories, as the first run after an upgrade does):"
              f" {summarising:.1f} s")
        print(f"  checking the story summaries and reading the centroids into the index ({stories:,} stories): {loading:.2f} s of link's"
              f" {seconds['link']:.1f} s")
        print(f"  `claimledger ingest` of the {NEW} in its own process: peak RSS {peak:,.0f} MB"
              f" ({with_workers:,.0f} MB with any parse workers), {wall:.1f} s with start-up")
        if lookups:
            pages = measure_pages(db)
            worst = max(pages, key=lambda page: page[2])
            print(f"  lookups p95 (ms, through the app in this process): worst {worst[0]} {worst[2]:.1f}; "
                  + ", ".join(f"{' '.join(name.split()[:2 if name.startswith('API') else 1])} {p95:.1f}"
                              for name, _, p95, _ in pages))
        stores.drop(db)
        sys.stdout.flush()
    smallest = min(costs)
    for size in sorted(costs)[1:]:
        print(f"{stores.name}: cost of adding {NEW} at {size:,} against {smallest:,}: {costs[size] / costs[smallest]:.2f}x"
              " (aim <= 1.5 at 100,000)")
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="documents in each store (default 1,000 10,000)")
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"],
                        help="the stores to measure on (default both; PostgreSQL only where it is installed)")
    parser.add_argument("--lookups", action=argparse.BooleanOptionalAction, default=True,
                        help="measure the web app's lookups at each size (slow past 10,000: the lists page by offset)")
    arguments = parser.parse_args()
    new = english_articles()[-NEW:]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        inputs = write_jsonl(work / "new.jsonl", new)
        if "sqlite" in arguments.databases:
            measure(Stores(work), arguments.sizes, inputs, arguments.lookups)
        if "postgresql" in arguments.databases:
            if postgres_bin() is None:
                print("PostgreSQL: not installed here, not measured (`make test` installs Debian's postgresql)")
                return
            with postgres_server() as server:
                measure(Stores(work, server), arguments.sizes, inputs, arguments.lookups)


if __name__ == "__main__":
    main()

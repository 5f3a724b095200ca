"""Benchmark: how fast the pages, the API, search, export and the CLI's start answer on a big store.

    python bench/views.py                  # a store of 1,000 documents
    python bench/views.py --documents 10000

The store is built from the real articles in ../shared/data (news-stories and
near-miss-stories: 284 reports in many languages) run through the whole pipeline once; it is then
copied, table by table, until it holds at least the asked number of documents (each copy a new set of
documents, claims, stories, groups, statuses and search entries with new ids; entities and
accounts are shared). The copies' stored lists of ids (a group view's claim ids) still name the
first copy's rows: pages are as large as real ones, but not every link in a copy leads to
the copy.

Printed, per page: the p50 and p95 server time over the requests (each through the real app
in-process, so the figure includes the app's own work but no network), and the largest number of
SQL statements one request ran. Then the export of the whole store as JSON, and `claimledger
--help` next to `python -c pass` in the same run (medians of 5). Aims (issue 11): every page
p95 <= 100 ms with at most 20 statements at 10,000 documents, `--help` within 0.5 s of bare
Python, an export of 10,000 documents within 10 s.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event, text  # noqa: E402

from claimledger.evaluation import shared_data  # noqa: E402
from claimledger.ledger import run_pipeline  # noqa: E402
from claimledger.store import Store  # noqa: E402
from claimledger.store.schema import metadata  # noqa: E402
from claimledger.web.app import create_app  # noqa: E402

SETS = ("news-stories", "near-miss-stories")
REQUESTS_PER_PAGE = 40
# What one copy of the ledger is made of; entities, ratings, accounts and corrections are shared.
COPIED = (
    "documents", "document_sources", "minhash_bands", "near_duplicates", "document_stages",
    "document_credits", "event_signatures", "mentions", "attributions", "claims", "quantities",
    "dates", "threads", "stories", "story_documents", "claim_groups", "group_claims", "conflicts",
    "evidence", "group_status",
)
# Rows whose JSON names other rows by id: copied in Python, the ids moved with their rows.
ID_KEYS = {"doc_ids": "documents", "doc_id": "documents", "document_id": "documents",
           "claim_ids": "claims", "claim_id": "claims", "claim_a": "claims", "claim_b": "claims"}


def build_base(folder: Path) -> Path:
    """The real reports of the shared sets, through the whole pipeline, in a new SQLite file."""
    db = folder / "base.db"
    load_shared_sets(str(db), folder)
    return db


def load_shared_sets(db: str, folder: Path) -> None:
    """The real reports of the shared sets, through the whole pipeline, into the store at `db`
    (a SQLite file or a PostgreSQL URL); their inputs are written in `folder`."""
    inputs = folder / "inputs"
    inputs.mkdir(exist_ok=True)
    for name in SETS:
        source = shared_data() / name / "articles.jsonl"
        (inputs / f"{name}.jsonl").write_bytes(source.read_bytes())
    with Store.open(db) as store:
        run_pipeline(store, [str(inputs)])


def grow(db: Path | str, documents: int) -> None:
    """Copy the stored ledger onto itself until it holds at least `documents` documents (whole
    copies, so that every copied group, story and view is complete); `db` is a SQLite file or a
    PostgreSQL URL."""
    with Store.open(str(db)) as store, store.transaction() as connection:
        base = connection.execute(text("SELECT count(*) FROM documents")).scalar_one()
        tops = {name: _max_id(connection, name) for name in COPIED if "id" in metadata.tables[name].c}
        tops["document_search"], tops["claim_search"] = tops["documents"], tops["claims"]
        copies = -(-documents // base) - 1
        for copy in range(1, copies + 1):
            offsets = {name: copy * (top + 1) for name, top in tops.items()}
            for table in metadata.sorted_tables:
                if table.name in COPIED:
                    connection.execute(text(_copy_sql(table, tops, offsets, copy)))
            _copy_group_views(connection, tops, offsets)
            _copy_search_index(connection, tops, offsets)
        if connection.dialect.name == "postgresql":  # ids were given, not drawn: move each table's sequence past them
            for name in sorted(tops.keys() & set(COPIED)):
                if (top := _max_id(connection, name)) > 0:
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {top})"))


def _copy_search_index(connection: object, tops: dict[str, int], offsets: dict[str, int]) -> None:
    """The first copy's full-text rows, under the copies' ids (FTS5 tables by rowid on SQLite,
    tsvector tables by key on PostgreSQL)."""
    if connection.dialect.name == "postgresql":  # type: ignore[attr-defined]
        connection.execute(text(  # type: ignore[attr-defined]
            f"INSERT INTO document_search (document_id, body) SELECT document_id + {offsets['documents']}, body"
            f" FROM document_search WHERE document_id <= {tops['documents']}"))
        connection.execute(text(  # type: ignore[attr-defined]
            f"INSERT INTO claim_search (claim_id, document_id, body) SELECT claim_id + {offsets['claims']},"
            f" document_id + {offsets['documents']}, body FROM claim_search WHERE claim_id <= {tops['claims']}"))
        return
    for index, source in (("document_search", "documents"), ("claim_search", "claims")):
        columns = "title, body" if index == "document_search" else "body"
        connection.execute(text(  # type: ignore[attr-defined]
            f"INSERT INTO {index} (rowid, {columns}) SELECT rowid + {offsets[source]}, {columns}"
            f" FROM {index} WHERE rowid <= {tops[source]}"
        ))


def _copy_group_views(connection: object, tops: dict[str, int], offsets: dict[str, int]) -> None:
    rows = connection.execute(text(  # type: ignore[attr-defined]
        f"SELECT * FROM group_views WHERE group_id <= {tops['claim_groups']}")).mappings().all()
    columns = list(rows[0].keys()) if rows else []
    copied = []
    for row in rows:
        values = {}
        for column in columns:
            value = row[column]
            if column in ("group_id", "story_id"):
                value += offsets["claim_groups" if column == "group_id" else "stories"]
            elif column in ("claim_ids", "doc_ids", "origins", "evidence"):
                value = json.dumps(_shifted(json.loads(value) if isinstance(value, str) else value, column, offsets))
            elif isinstance(value, list | dict):  # a JSON column, read back as Python on PostgreSQL
                value = json.dumps(value)
            values[column] = value
        copied.append(values)
    if copied:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(f":{c}" for c in columns)
        connection.execute(text(f"INSERT INTO group_views ({names}) VALUES ({marks})"), copied)  # type: ignore[attr-defined]


def _shifted(value: object, key: str, offsets: dict[str, int]) -> object:
    """`value` with every id under an id key moved by its table's offset."""
    if isinstance(value, dict):
        return {k: _shifted(v, k, offsets) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, key, offsets) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and key in ID_KEYS:
        return value + offsets[ID_KEYS[key]]
    return value


def _max_id(connection: object, table: str) -> int:
    return connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()  # type: ignore[attr-defined]


def _copy_sql(table: object, tops: dict[str, int], offsets: dict[str, int], copy: int) -> str:
    """INSERT ... SELECT of the first copy's rows with every id and foreign key moved on."""
    names, values = [], []
    for column in table.c:  # type: ignore[attr-defined]
        names.append(f'"{column.name}"')
        targets = {fk.column.table.name for fk in column.foreign_keys}
        if column.name == "id" and table.name in offsets:  # type: ignore[attr-defined]
            values.append(f'"id" + {offsets[table.name]}')  # type: ignore[attr-defined]
        elif targets & offsets.keys():
            values.append(f'"{column.name}" + {offsets[next(iter(targets & offsets.keys()))]}')
        elif column.name == "content_hash":
            values.append(f"substr(content_hash, 1, {64 - len(str(copy)) - 1}) || '-{copy}'")  # within varchar(64)
        else:
            values.append(f'"{column.name}"')
    first = _first_copy_condition(table, tops)
    return f'INSERT INTO {table.name} ({", ".join(names)}) SELECT {", ".join(values)} FROM {table.name} WHERE {first}'  # type: ignore[attr-defined]


def _first_copy_condition(table: object, tops: dict[str, int]) -> str:
    """Rows of the first copy: by their own id, else by the first id-bearing table they point to."""
    if "id" in table.c and table.name in tops:  # type: ignore[attr-defined]
        return f'"id" <= {tops[table.name]}'  # type: ignore[attr-defined]
    for column in table.c:  # type: ignore[attr-defined]
        for fk in column.foreign_keys:
            if fk.column.table.name in tops:
                return f'"{column.name}" <= {tops[fk.column.table.name]}'
    return "1 = 1"


def measure_pages(db: Path, seed: int = 7) -> list[tuple[str, float, float, int]]:
    """(page, p50 ms, p95 ms, most statements) for each page, over random ids and words."""
    chance = random.Random(seed)
    with Store.open(str(db)) as store:
        statements = [0]

        @event.listens_for(store.engine, "before_cursor_execute")
        def _count(*_: object) -> None:
            statements[0] += 1

        with store.reading() as connection:
            stories = list(connection.execute(text("SELECT DISTINCT story_id FROM story_documents")).scalars())
            groups = list(connection.execute(text("SELECT group_id FROM group_views WHERE claim_count > 1")).scalars())
            documents = list(connection.execute(text("SELECT id FROM documents")).scalars())
            titles = [t for t in connection.execute(text("SELECT title FROM documents WHERE title IS NOT NULL LIMIT 500")).scalars()]
        words = [w for t in titles for w in t.split() if len(w) > 4 and w.isalpha()]
        client = TestClient(create_app(store, allow_private=True))
        pages = {
            "home /": lambda: "/",
            "story /stories/ID": lambda: f"/stories/{chance.choice(stories)}",
            "group /groups/ID": lambda: f"/groups/{chance.choice(groups)}",
            "document /documents/ID": lambda: f"/documents/{chance.choice(documents)}",
            "search /search?q=": lambda: f"/search?q={chance.choice(words)}+{chance.choice(words)}",
            "search one word": lambda: f"/search?q={chance.choice(words)}",
            "API /api/groups?limit=50": lambda: f"/api/groups?limit=50&offset={chance.randrange(0, max(1, len(groups) - 50))}",
            "claims /groups": lambda: f"/groups?offset={chance.randrange(0, max(1, len(groups) - 50))}",
            "claims filtered": lambda: f"/groups?status={chance.choice(['disputed', 'single-origin'])}&language={chance.choice(['zh', 'en'])}",
            "entities /entities": lambda: "/entities",
            "sources /sources": lambda: "/sources",
            "documents /documents": lambda: f"/documents?offset={chance.randrange(0, max(1, len(documents) - 50))}",
            "due /due": lambda: "/due",
            "API story /api/stories/ID": lambda: f"/api/stories/{chance.choice(stories)}",
            "API group /api/groups/ID": lambda: f"/api/groups/{chance.choice(groups)}",
            "API document /api/documents/ID": lambda: f"/api/documents/{chance.choice(documents)}",
            "API similar /api/similar": lambda: f"/api/similar?text={quote(chance.choice(titles)[:200] + ' ...')}",
        }
        results = []
        for name, path_of in pages.items():
            client.get(path_of())  # warm: templates compiled, caches filled
            times, most = [], 0
            for _ in range(REQUESTS_PER_PAGE):
                path = path_of()
                statements[0] = 0
                started = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, (path, answer.status_code)
                most = max(most, statements[0])
            times.sort()
            results.append((name, statistics.median(times), times[int(0.95 * (len(times) - 1))], most))
        return results


def measure_export(db: Path) -> tuple[float, int]:
    """`claimledger export --format json --all`, the command itself, run in this process."""
    from click.testing import CliRunner

    from claimledger.cli import cli

    output = db.with_suffix(".export.json")
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "json", "--all", "-o", str(output)])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    return seconds, output.stat().st_size


def measure_start() -> tuple[float, float]:
    def median_of(command: list[str]) -> float:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    return median_of([sys.executable, "-c", "pass"]), median_of([sys.executable, "-m", "claimledger", "--help"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000, help="documents in the store (default 1,000)")
    parser.add_argument("--base", type=Path, default=None,
                        help="the pipeline's store of the shared sets: read from this path if it exists, else built and kept there")
    parser.add_argument("--keep", type=Path, default=None, help="keep the grown store at this path")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        if arguments.base and arguments.base.exists():
            db = Path(folder) / "base.db"
            shutil.copy(arguments.base, db)
        else:
            db = build_base(Path(folder))
            print(f"base store: the shared sets through the pipeline in {time.perf_counter() - started:.0f} s")
            if arguments.base:
                shutil.copy(db, arguments.base)
        grow(db, arguments.documents)
        with Store.open(str(db)) as store:
            figures = store.stats()
        print(f"store: {figures['documents']:,} documents, {db.stat().st_size / 1e6:.0f} MB")
        print(f"\n{'page':30} {'p50 ms':>8} {'p95 ms':>8} {'SQL statements':>15}")
        for name, p50, p95, most in measure_pages(db):
            print(f"{name:30} {p50:8.1f} {p95:8.1f} {most:15d}")
        seconds, size = measure_export(db)
        print(f"\nexport --format json: {seconds:.1f} s for {figures['documents']:,} documents ({size / 1e6:.1f} MB)")
        bare, help_time = measure_start()
        print(f"claimledger --help: {help_time:.2f} s; python -c pass: {bare:.2f} s; difference {help_time - bare:.2f} s")
        if arguments.keep:
            shutil.copy(db, arguments.keep)


if __name__ == "__main__":
    main()

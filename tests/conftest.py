"""Shared fixtures: the real inputs under ../shared, a real store per test.

The store is a SQLite file unless the run is `pytest --database postgresql`, which gives each
test a new database on a PostgreSQL server the suite starts itself (tests/postgres.py), as
datasette and sqlite-utils run their suites in more than one mode. Tests about SQLite's own
file (WAL, online backup) are marked `sqlite_only` and skipped there.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from claimledger.cli import cli
from claimledger.store import Store

# Machines are shared and loaded: no property test may fail for taking longer than hypothesis's
# 200 ms default per example (one did, on a fresh clone). Every @settings inherits this.
settings.register_profile("claimledger", deadline=None)
settings.load_profile("claimledger")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", ROOT.parent / "shared"))  # beside the checkout
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
EXAMPLES = ROOT / "examples"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the store the store, ledger and web tests run against (default: a SQLite file per test)",
    )


def on_postgres(config: pytest.Config) -> bool:
    return config.getoption("--database") == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not on_postgres(config):
        return
    sqlite_file = pytest.mark.skip(reason="about SQLite's own file: not run with --database postgresql")
    no_store = pytest.mark.skip(reason="opens no store through db_path or example_db: the SQLite run covers it")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(sqlite_file)
        elif not {"db_path", "example_db"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(no_store)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once, saying what to do, when the shared inputs are not beside the checkout."""
    if not SEEDS.is_dir() or not DATA.is_dir():
        pytest.exit(
            f"the tests read the seeds and data sets from {SHARED}, which is missing: clone beside"
            " ../shared, or set CLAIMLEDGER_SHARED to that folder",
            returncode=2,
        )


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 2, f"expected the two seed articles in {SEEDS}"
    return paths


def new_store_location(request: pytest.FixtureRequest, folder: Path, copy_of: Path | str | None = None) -> Path | str:
    """Where a new store lives: a SQLite file in `folder`, or under --database postgresql a new
    database on the suite's server; a copy of the store at `copy_of` when one is given."""
    if on_postgres(request.config):
        from tests.postgres import new_database

        return new_database(request.getfixturevalue("postgres_server_url"), template=copy_of and str(copy_of))
    path = folder / "ledger.db"
    if copy_of is not None:
        shutil.copy(copy_of, path)
    return path


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where this test's store lives (new_store_location)."""
    return new_store_location(request, tmp_path)


@pytest.fixture
def example_copy(request: pytest.FixtureRequest, example_db: Path | str, tmp_path: Path) -> Path | str:
    """This test's own copy of the `example_db` its package or module defines, to change at will."""
    return new_store_location(request, tmp_path, copy_of=example_db)


@pytest.fixture
def store(db_path: Path | str) -> Iterator[Store]:
    with Store.open(str(db_path)) as opened:
        yield opened


class Ledger:
    """Runs the real CLI in-process against one store (a SQLite file or a PostgreSQL URL)."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = db_path
        self.runner = CliRunner()

    def run(self, *args: str) -> Result:
        return self.runner.invoke(cli, ["--db", str(self.db_path), *args], catch_exceptions=False)

    def json(self, *args: str) -> object:
        result = self.run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def ledger(db_path: Path | str) -> Ledger:
    return Ledger(db_path)


def load_bench(name: str) -> ModuleType:
    """A benchmark script of bench/ as a module, for the tests that hold its figures to floors."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server the tests start themselves (tests/postgres.py)."""
    from tests.postgres import postgres_bin, postgres_server

    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed here: `make test` installs Debian's postgresql")
    pytest.importorskip("psycopg", reason="psycopg is in the test extras: `make test` installs it")
    with postgres_server() as url:
        yield url

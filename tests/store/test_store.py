from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import bindparam, event, inspect, text

from claimledger.errors import DocumentNotFound, StoreBusy, StoreError
from claimledger.ingest import dedupe
from claimledger.model import Document, Region, Source
from claimledger.store import Store, linking, resolve_db_url, sql
from claimledger.store.schema import metadata
from claimledger.store.search import INDEX_TABLES
from claimledger.store.sql import SCHEMA_HEAD


def make_document(text: str, location: str = "/tmp/a.txt", **fields: object) -> Document:
    signature = dedupe.signature(text)
    return Document(
        text=text,
        content_hash=f"{abs(hash(text)):064d}"[:64],
        source=Source("file", location),
        words=len(text.split()),
        minhash=signature.to_bytes(),
        bands=tuple(signature.band_keys()),
        raw=text.encode(),
        **fields,  # type: ignore[arg-type]
    )


def test_migrations_create_exactly_the_schema_the_code_uses(store: Store) -> None:
    """Every table the code declares, as the migrations made it; the search index (FTS5 virtual
    tables and their shadow tables, which no declared table describes) aside."""

    def declared(name: str | None, kind: str, _parent: object) -> bool:
        return kind != "table" or not (name or "").startswith(INDEX_TABLES)

    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": declared})
        differences = compare_metadata(context, metadata)
    assert differences == []
    assert set(INDEX_TABLES) <= set(inspect(store.engine).get_table_names())
    assert store.schema_revision() == SCHEMA_HEAD


def test_schema_head_is_the_newest_migration() -> None:
    """SCHEMA_HEAD lets an up-to-date store open without Alembic; a new migration must move it."""
    config = Config()
    config.set_main_option("script_location", str(Path(sql.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_reopening_an_up_to_date_store_does_not_load_alembic(db_path: Path) -> None:
    """Start-up of every read command: the schema check is one query, not Alembic's import; and
    a SQLite store does not load SQLAlchemy's PostgreSQL dialect (and what it pulls in)."""
    with Store.open(str(db_path)):
        pass
    probe = (
        "import sys; from claimledger.store import Store; "
        f"Store.open({str(db_path)!r}).close(); print('alembic' in sys.modules,"
        " any(m.startswith('sqlalchemy.dialects.postgresql') for m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert loaded[0] == "False"
    if not str(db_path).startswith("postgresql"):
        assert loaded[1] == "False"


@pytest.mark.sqlite_only
def test_sqlite_store_is_in_wal_mode_with_foreign_keys(db_path: Path, store: Store) -> None:
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_pipeline_lock_is_taken_again_by_its_holder_and_waited_for_by_others(store: Store) -> None:
    """A correction holds the lock and then finishes the pipeline under it again: that must not
    wait for itself (on PostgreSQL it once did, for ever), while another thread must wait."""

    def another_thread_tries() -> list[Exception]:
        refused: list[Exception] = []

        def attempt() -> None:
            try:
                with store.pipeline_lock(timeout=0.3):
                    pass
            except StoreBusy as error:
                refused.append(error)

        thread = threading.Thread(target=attempt)
        thread.start()
        thread.join()
        return refused

    with store.pipeline_lock(timeout=5), store.pipeline_lock(timeout=5):
        assert len(another_thread_tries()) == 1
    assert another_thread_tries() == []  # released once the outer hold ends


def test_reopening_a_store_keeps_its_documents(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        store.add_document(make_document("kept across sessions"), [], "m", "v1")
    with Store.open(str(db_path)) as store:
        assert store.count_documents() == 1


text_strategy = st.text(min_size=1, max_size=300).filter(lambda t: t.strip())


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=text_strategy,
    title=st.none() | st.text(max_size=50),
    published=st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    caption_end=st.integers(min_value=0, max_value=300),
)
def test_write_then_read_gives_back_what_was_written(
    tmp_path_factory: pytest.TempPathFactory,
    text: str,
    title: str | None,
    published: dt.date | None,
    caption_end: int,
) -> None:
    end = min(caption_end, len(text))
    document = make_document(
        text,
        title=title,
        published=published,
        published_source="metadata" if published else "none",
        regions=(Region("caption", 0, end),),
        repairs=("&9; -> '",),
    )
    with Store.open(str(tmp_path_factory.mktemp("rt") / "s.db")) as store:
        outcome = store.add_document(document, [], "m", "v1")
        stored = store.get_document(outcome.document_id)
        raw = store.raw_bytes(outcome.document_id)
    assert (stored.text, stored.title, stored.published) == (text, title, published)
    assert stored.regions == (Region("caption", 0, end),)
    assert stored.text[0:end] == text[0:end]
    assert stored.repairs == ("&9; -> '",)
    assert raw == text.encode()


def test_same_text_from_a_second_place_is_a_sighting_not_a_document(store: Store) -> None:
    first = store.add_document(make_document("one text", "/a.txt"), [], "m", "v1")
    again = store.add_document(make_document("one text", "/b.txt"), [], "m", "v1")
    same_place = store.add_document(make_document("one text", "/b.txt"), [], "m", "v1")
    assert (first.status, again.status, same_place.status) == ("added", "duplicate", "duplicate")
    assert store.count_documents() == 1
    sightings = store.get_document(first.document_id).sightings
    assert [s.location for s in sightings] == ["/a.txt", "/b.txt"]


def test_near_duplicate_links_are_stored_both_ways(store: Store) -> None:
    original = store.add_document(make_document("the original text"), [], "m", "v1")
    copy = store.add_document(
        make_document("the original text, edited", "/c.txt"), [(original.document_id, 0.8)], "m", "v1"
    )
    assert copy.status == "near-duplicate" and copy.duplicate_of == original.document_id
    assert store.get_document(original.document_id).near_duplicates[0].document_id == copy.document_id
    listed = {d.id: d.duplicate_of for d in store.list_documents()}
    assert listed == {original.document_id: None, copy.document_id: original.document_id}


def test_candidates_come_from_shared_bands(store: Store) -> None:
    text = " ".join(f"word{i}" for i in range(200))
    stored = store.add_document(make_document(text), [], "m", "v1")
    edited = dedupe.signature(text.replace("word100 ", ""))
    unrelated = dedupe.signature(" ".join(f"other{i}" for i in range(200)))
    assert [c[0] for c in store.similar_candidates(tuple(edited.band_keys()))] == [stored.document_id]
    assert store.similar_candidates(tuple(unrelated.band_keys())) == []


def test_missing_document(store: Store) -> None:
    with pytest.raises(DocumentNotFound, match="no document with id 42"):
        store.get_document(42)


def test_db_location_from_argument_environment_and_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMLEDGER_DB", str(tmp_path / "env.db"))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_db_url(str(tmp_path / "x" / "arg.db")) == f"sqlite:///{tmp_path / 'x' / 'arg.db'}"
    assert resolve_db_url("postgresql://host/db") == "postgresql+psycopg://host/db"  # the driver claimledger[postgres] brings
    assert resolve_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("CLAIMLEDGER_DB")
    assert resolve_db_url(None) == "sqlite:///claimledger.db"
    with pytest.raises(StoreError, match="is a folder"):
        resolve_db_url(str(tmp_path))


def test_unopenable_store_is_a_store_error(tmp_path: Path) -> None:
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_bytes(b"this is not a sqlite file" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(str(not_a_db))


def test_store_from_a_newer_version_is_refused_clearly(db_path: Path) -> None:
    with Store.open(str(db_path)) as store, store.transaction() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer version"):
        Store.open(str(db_path))


def test_missing_database_driver_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="driver is not installed"):
        Store("mysql+mysqldb://localhost/db")  # a real dialect whose driver is not installed


def test_the_claims_list_is_read_in_its_order_off_an_index(store: Store) -> None:
    """The most-check-worthy-first list pages off ix_group_views_worth_order instead of sorting
    every group per request (at 10,000 documents: 100 ms a first page without it, 6 ms with)."""
    with store.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            assert connection.scalar(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_group_views_worth_order'")) == 1
            return
        assert connection.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'ix_group_views_worth_order'")) == 1
    plan = _sqlite_plan(store, lambda c: linking.group_view_rows(c, linking.GroupFilter(), None, 50, 100, most_worthy_first=True),
                        "group_views")
    assert "ix_group_views_worth_order" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort, not even of part of the order


def test_link_finds_the_unscored_claims_off_a_partial_index(store: Store) -> None:
    """Every link run asks for the grouped claims without a check-worthiness score; the partial
    index ix_group_claims_unscored holds only those, so that finding none does not read every
    grouped claim with its vector (2 s at 100,000 documents without it)."""
    with store.reading() as connection:
        if connection.dialect.name == "postgresql":
            definition = connection.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_group_claims_unscored'"))
            assert definition is not None and "worthiness IS NULL" in definition, definition
            return
        assert linking.unscored_group_claims(connection) == []
    plan = _sqlite_plan(store, linking.unscored_group_claims, "group_claims")
    assert "USING INDEX ix_group_claims_unscored" in plan, plan


def test_the_outlets_each_storys_latest_day_and_the_latest_assessment_are_read_off_indexes(store: Store) -> None:
    """The outlets of the stored documents (asked by assess and by every group page), each
    story's latest event day (the story list's order) and the latest assessment (checked by
    every page kept between requests) come from indexes, not from the rows, which hold texts,
    vectors and views: at 100,000 documents 300, 490 and 520 ms without them, 20, 110 and under 1
    with."""
    names = ("ix_documents_outlet", "ix_story_documents_story_event", "ix_group_views_assessed_at")
    with store.reading() as connection:
        if connection.dialect.name == "postgresql":
            found = connection.scalars(text("SELECT indexname FROM pg_indexes WHERE indexname IN :names")
                                       .bindparams(bindparam("names", expanding=True)), {"names": list(names)}).all()
            assert sorted(found) == sorted(names)
            return
    assert "COVERING INDEX ix_documents_outlet" in _sqlite_plan(store, linking.outlet_names, "documents")
    plan = _sqlite_plan(store, lambda c: linking.list_stories(c, limit=20, latest_first=True), "max(")
    assert "SEARCH story_documents USING COVERING INDEX ix_story_documents_story_event" in plan, plan
    plan = _sqlite_plan(store, linking.ledger_stamp, "max(group_views.assessed_at)")
    assert "SEARCH group_views USING COVERING INDEX ix_group_views_assessed_at" in plan, plan


def _sqlite_plan(store: Store, read: Callable[[Any], object], naming: str) -> str:
    """SQLite's plan for the first statement `read` runs whose text holds `naming`."""
    seen: list[tuple[str, object]] = []
    with store.reading() as connection:
        listener = lambda _c, _cur, statement, parameters, _ctx, _many: seen.append((statement, parameters))  # noqa: E731
        event.listen(store.engine, "before_cursor_execute", listener)
        try:
            read(connection)
        finally:
            event.remove(store.engine, "before_cursor_execute", listener)
        statement, parameters = next((s, p) for s, p in seen if naming in s)
        return " | ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))


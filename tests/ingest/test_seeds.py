"""The two seed reports: the first real inputs claimledger must handle well."""

from __future__ import annotations

from pathlib import Path

from claimledger.ingest import IngestOptions, ingest_inputs
from claimledger.store import Store
from tests.conftest import SEEDS


def _ingest_seeds(store: Store) -> dict[str, int]:
    return ingest_inputs([str(SEEDS)], store, IngestOptions()).summary()


def test_seed_folder_gives_two_documents_and_twice_still_two(store: Store) -> None:
    first = _ingest_seeds(store)
    second = _ingest_seeds(store)
    assert first["added"] == 2 and first["failed"] == 0
    assert second == {**second, "added": 0, "duplicate": 2, "failed": 0}
    assert store.count_documents() == 2


def test_seed_titles_come_from_the_first_line(store: Store, seeds: list[Path]) -> None:
    _ingest_seeds(store)
    titles = {Path(d.source).name: d.title for d in store.list_documents()}
    for path in seeds:
        first_line = path.read_text(encoding="utf-8").splitlines()[0].strip()
        assert titles[path.name] == first_line
        assert first_line not in store.get_document(_id_of(store, path)).text[:200]


def test_photo_caption_is_marked_and_its_date_is_not_the_publication_date(
    store: Store, seeds: list[Path]
) -> None:
    _ingest_seeds(store)
    document = store.get_document(_id_of(store, seeds[0]))
    captions = [document.text[r.start : r.end] for r in document.regions if r.kind == "caption"]
    assert len(captions) == 1
    assert captions[0].startswith("March 10, 2025")
    assert "Getty Images" in captions[0]
    assert "[People News]" not in captions[0]  # the body is not swallowed into the caption
    assert document.published is None and document.published_source == "none"
    assert document.published_confidence == 0.0


def test_broken_entity_is_repaired(store: Store, seeds: list[Path]) -> None:
    _ingest_seeds(store)
    document = store.get_document(_id_of(store, seeds[0]))
    assert "&9;" not in document.text
    assert "People's Political Consultative Conference" in document.text
    assert any(repair.startswith("&9;") for repair in document.repairs)


def test_outlet_marker_in_the_body_names_the_outlet(store: Store, seeds: list[Path]) -> None:
    _ingest_seeds(store)
    first = store.get_document(_id_of(store, seeds[0]))
    second = store.get_document(_id_of(store, seeds[1]))
    assert (first.outlet, first.outlet_source) == ("People News", "text")
    assert (second.outlet, second.outlet_source) == (None, "none")  # the text names none


def test_seeds_are_english_and_not_near_duplicates(store: Store) -> None:
    _ingest_seeds(store)
    documents = store.list_documents()
    assert [d.language for d in documents] == ["en", "en"]
    # Two retellings of one story in different words: same origin, but not copies of one text.
    assert [d.duplicate_of for d in documents] == [None, None]


def _id_of(store: Store, path: Path) -> int:
    return next(d.id for d in store.list_documents() if Path(d.source).name == path.name)

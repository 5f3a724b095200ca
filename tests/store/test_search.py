"""Full-text search on a real store: words in any order, Chinese words as phrases, a name's other
scripts, filters, snippets, and an index that follows re-extraction and migration."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.store import Store
from claimledger.store.search import SearchQuery, search, tokens_of
from tests.conftest import EXAMPLES, Ledger, new_store_location


@pytest.fixture(scope="module")
def example_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    where = new_store_location(request, tmp_path_factory.mktemp("search"))
    assert Ledger(where).run("ingest", str(EXAMPLES)).exit_code == 0
    return where


@pytest.fixture
def example_store(example_copy: Path | str):
    with Store.open(str(example_copy)) as store:
        yield store


def find(store: Store, text: str, **filters):
    with store.reading() as connection:
        return search(connection, SearchQuery(text, **filters))


def titles(results) -> set[str]:
    return {d.title for d in results.documents}


def test_words_are_found_in_any_order_and_apart(example_store: Store) -> None:
    forwards = find(example_store, "Kover detained")
    backwards = find(example_store, "detained Kover")
    assert forwards.documents and titles(forwards) == titles(backwards)
    assert all("kover" in (d.title + " ".join(t for t, _ in d.snippet)).lower() for d in forwards.documents)
    assert not find(example_store, "Kover zeppelin").documents  # every word is required


def test_accents_are_ignored_on_both_sides(example_store: Store) -> None:
    accented, plain = find(example_store, "Kövér"), find(example_store, "Kover")
    assert plain.terms[0].also and accented.terms[0].also == plain.terms[0].also  # the name's other scripts too
    assert accented.documents == plain.documents


def test_a_quoted_phrase_keeps_its_words_together(example_store: Store) -> None:
    assert find(example_store, '"state integrity bureau"').documents
    assert not find(example_store, '"bureau integrity state"').documents


def test_chinese_is_searched_as_phrases_of_characters(example_store: Store) -> None:
    found = find(example_store, "董事长")
    assert found.documents and all(d.language and d.language.startswith("zh") for d in found.documents)
    assert not find(example_store, "长事董").documents  # the same characters in another order
    marked = [text for d in found.documents for text, is_match in d.snippet if is_match]
    assert marked and set(marked) == {"董事长"}


def test_a_name_also_finds_its_other_scripts(example_store: Store) -> None:
    english = find(example_store, "Tomas Reyne")
    assert any(d.language and d.language.startswith("zh") for d in english.documents)
    assert any("雷恩" in name for name in english.terms[0].also)
    chinese = find(example_store, "雷恩")
    assert titles(chinese) == titles(english)


def test_filters_narrow_documents_and_claims(example_store: Store) -> None:
    everything = find(example_store, "Kover")
    chinese = find(example_store, "Kover", language="zh")
    assert chinese.documents and len(chinese.documents) < len(everything.documents)
    assert all(d.language.startswith("zh") for d in chinese.documents)
    statuses = {c.status for c in everything.claims if c.status}
    assert statuses
    for status in statuses:
        narrowed = find(example_store, "Kover", status=status)
        assert narrowed.claims and {c.status for c in narrowed.claims} == {status}
    assert not find(example_store, "Kover", since=__import__("datetime").date(2999, 1, 1)).documents


def test_paging_counts_everything_and_returns_a_slice(example_store: Store) -> None:
    whole = find(example_store, "Kover", limit=50)
    first = find(example_store, "Kover", limit=1)
    second = find(example_store, "Kover", limit=1, offset=1)
    assert whole.claim_total == first.claim_total == len(whole.claims) > 1
    assert [c.id for c in first.claims + second.claims] == [c.id for c in whole.claims[:2]]


def test_the_index_follows_reextraction(example_copy: Path | str) -> None:
    path = example_copy
    with Store.open(str(path)) as store:
        before = find(store, "Kover").claim_total
    assert Ledger(path).run("extract", "--all").exit_code == 0
    with Store.open(str(path)) as store:
        assert find(store, "Kover").claim_total == before
        with store.reading() as connection:
            claims, indexed = connection.exec_driver_sql("SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM claim_search)").one()
        assert claims == indexed


def test_upgrading_an_older_store_indexes_what_it_holds(example_copy: Path | str) -> None:
    path = example_copy
    with Store.open(str(path)) as store:
        expected = find(store, "Kover")
        config = Config()
        config.set_main_option("script_location", str(Path(__import__("claimledger.store.sql").store.sql.__file__).parent / "migrations"))
        with store.transaction() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0010")
    with Store.open(str(path)) as store:  # opening upgrades it again
        again = find(store, "Kover")
        assert [d.id for d in again.documents] == [d.id for d in expected.documents]
        assert again.claim_total == expected.claim_total


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=40))
def test_any_query_is_safe_and_every_hit_holds_every_word(example_store: Store, query: str) -> None:
    """FTS5 has its own syntax (quotes, NEAR, *, ^, column filters): none of it reaches it, so
    adding it only adds required words; and every document found holds every part asked."""
    plain = find(example_store, "Kover " + query)
    garbled = find(example_store, "Kover " + query + ' "AND NEAR( ^title: * OR')
    assert {d.id for d in garbled.documents} <= {d.id for d in plain.documents}
    for hit in plain.documents:
        stored = example_store.get_document(hit.id)
        words = set(tokens_of(f"{stored.title or ''} {stored.text}"))
        assert all(any(set(phrase) <= words for phrase in term.phrases) for term in plain.terms), (hit.id, plain.terms)


def test_tokens_split_unspaced_scripts_into_characters() -> None:
    assert tokens_of("Hu Li-ren 胡力任说") == ["hu", "li", "ren", "胡", "力", "任", "说"]
    assert tokens_of("ＡＢＣ ÉTÉ Zürich Москва́") == ["abc", "ete", "zurich", "москва"]  # widths, case, accents
    assert tokens_of("が") == ["が"]  # a voicing mark is part of its kana

"""Exports that other tools accept: ClaimReview as Google's fact-check markup asks for it,
CSV for spreadsheets, GraphML for Gephi and networkx."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest

from claimledger import __version__
from claimledger.export import CSV_COLUMNS
from tests.conftest import ROOT, Ledger

# schema.org properties each type may carry here (https://schema.org/ClaimReview, /Claim,
# /CreativeWork, /Rating, /Organization, /Person): a property outside them is a typo or an
# invention that consumers ignore.
VOCABULARY = {
    "ClaimReview": {"@context", "@type", "claimReviewed", "datePublished", "inLanguage", "reviewRating", "itemReviewed",
                    "author", "url"},
    "Claim": {"@type", "appearance", "firstAppearance", "author", "datePublished"},
    "CreativeWork": {"@type", "url", "identifier", "publisher", "datePublished", "inLanguage"},
    "Rating": {"@type", "ratingValue", "bestRating", "worstRating", "alternateName", "ratingExplanation"},
    "Organization": {"@type", "name"},
    "Person": {"@type", "name"},
}
RELATIONS = {"published", "copies", "relays", "via", "restates"}


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    ledger = Ledger(tmp_path_factory.mktemp("exports") / "ledger.db")
    assert ledger.run("ingest", str(ROOT / "examples")).exit_code == 0
    return ledger


def _typed(value: object) -> list[dict]:  # type: ignore[type-arg]
    """Every schema.org object inside `value`."""
    found = []
    if isinstance(value, dict):
        if "@type" in value:
            found.append(value)
        for item in value.values():
            found.extend(_typed(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_typed(item))
    return found


def test_claimreview_has_what_googles_fact_check_markup_requires(examples: Ledger) -> None:
    result = examples.run("export", "--format", "claimreview", "--base-url", "https://desk.example.org/")
    assert result.exit_code == 0
    reviews = json.loads(result.stdout)
    groups = {g["id"]: g for g in examples.json("groups")}
    documents = {d["id"]: d for d in examples.json("docs")}
    assert reviews
    for review in reviews:
        group_id = int(review["url"].rsplit("/", 1)[1])
        assert review["url"] == f"https://desk.example.org/groups/{group_id}"
        assert review["claimReviewed"] == groups[group_id]["text"]
        assert review["datePublished"] and review["author"]["name"]
        assert review["reviewRating"]["alternateName"].startswith("Unreviewed automated assessment")
        for item in _typed(review):
            assert set(item) <= VOCABULARY[item["@type"]], item
        claim = review["itemReviewed"]
        urls = {documents[d]["url"] for d in groups[group_id]["doc_ids"] if documents[d].get("url")}
        assert {w["url"] for w in claim["appearance"] if "url" in w} == urls
        dated = sorted(w["datePublished"] for w in claim["appearance"] if "datePublished" in w)
        if dated:
            assert claim["firstAppearance"]["datePublished"] == dated[0] == claim["datePublished"]
    assert any("url" in w for r in reviews for w in r["itemReviewed"]["appearance"])  # the examples hold article URLs


def test_claimreview_without_a_base_url_says_it_cannot_be_published(examples: Ledger) -> None:
    result = examples.run("export", "--format", "claimreview")
    assert result.exit_code == 0 and "--base-url" in result.stderr
    assert all("url" not in review for review in json.loads(result.stdout))
    assert examples.run("export", "--format", "claimreview", "--base-url", "desk").exit_code == 2


def test_csv_opens_in_a_spreadsheet_with_dates_outlets_and_urls(examples: Ledger, tmp_path: Path) -> None:
    target = tmp_path / "groups.csv"
    assert examples.run("export", "--format", "csv", "-o", str(target)).exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs need to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == CSV_COLUMNS
    documents = {d["id"]: d for d in examples.json("docs")}
    for row in rows:
        reports = [documents[int(d)] for d in row["doc_ids"].split()]
        assert row["outlets"].split(" | ") == list(dict.fromkeys(d["outlet"] for d in reports if d["outlet"]))
        days = sorted(d["published"] for d in reports if d["published"])
        assert (row["first_published"], row["last_published"]) == ((days[0], days[-1]) if days else ("", ""))
        assert set(filter(None, row["urls"].split(" | "))) == {d["url"] for d in reports if d.get("url")}


def test_story_filters_every_export(examples: Ledger) -> None:
    stories = examples.json("stories")
    story = stories[0]["id"]
    rows = list(csv.DictReader(io.StringIO(examples.run("export", "--format", "csv", "--all", "--story", str(story)).stdout)))
    assert rows and {int(r["story_id"]) for r in rows} == {story}
    exported = json.loads(examples.run("export", "--story", str(story)).stdout)
    assert [s["id"] for s in exported["stories"]] == [story]
    assert examples.run("export", "--story", "9999").exit_code != 0


def test_the_json_export_holds_documents_claims_and_entities_with_a_version_and_time(examples: Ledger) -> None:
    exported = json.loads(examples.run("export").stdout)
    assert exported["claimledger"] == __version__ and exported["exported_at"].endswith("+00:00")
    assert {d["id"] for d in exported["documents"]} == {d["id"] for d in examples.json("docs")}
    claims = {c["id"]: c for c in exported["claims"]}
    assert {c for g in exported["groups"] for c in g["claim_ids"]} <= set(claims)
    entities = {e["id"] for e in exported["entities"]}
    assert {e["id"] for c in claims.values() for e in c["entities"]} <= entities
    story = exported["stories"][0]
    one = json.loads(examples.run("export", "--story", str(story["id"])).stdout)
    assert {d["id"] for d in one["documents"]} == set(story["doc_ids"])
    assert {c["doc_id"] for c in one["claims"]} <= set(story["doc_ids"]) and one["entities"]


def test_graphml_is_one_graph_networkx_reads_with_one_relation_vocabulary(examples: Ledger, tmp_path: Path) -> None:
    target = tmp_path / "graph.graphml"
    assert examples.run("export", "--format", "graphml", "--all", "-o", str(target)).exit_code == 0
    graph = nx.read_graphml(target)
    assert graph.number_of_edges() and graph.is_directed()
    assert nx.number_of_selfloops(graph) == 0
    assert {data["relation"] for _, _, data in graph.edges(data=True)} <= RELATIONS
    root = ElementTree.parse(target).getroot()
    pairs = [(e.get("source"), e.get("target")) for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(pairs) == len(set(pairs))  # one edge per pair: its groups and cues are attributes
    cues = {cue for _, _, data in graph.edges(data=True) for cue in data["cues"].split(" | ") if cue}
    assert cues and not cues & RELATIONS
    origins = [data for _, data in graph.nodes(data=True) if data["origin_in"]]
    groups = {g["id"] for g in examples.json("groups")}
    assert origins and all({int(g) for g in data["origin_in"].split(" | ")} <= groups for data in origins)

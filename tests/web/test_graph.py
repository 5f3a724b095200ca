"""The relay graph picture: laid out by Graphviz dot, text measured by width, one node per
source, nothing overlapping or clipped, and the same picture as a standalone SVG file."""

from __future__ import annotations

import itertools
import shutil
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from claimledger.ledger import views
from claimledger.ledger.views import Edge, Node
from claimledger.store import Store
from claimledger.web import graph
from claimledger.web.graph import (
    LABEL_SIZE,
    MAX_TEXT_WIDTH,
    PADDING,
    layout,
    text_width,
    wrapped,
)
from tests.web.test_api import detained_group

SVG = "{http://www.w3.org/2000/svg}"


def overlaps(a: graph.PlacedNode, b: graph.PlacedNode) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def assert_readable(drawing: graph.Drawing) -> None:
    """No two boxes overlap, every box lies inside the picture, every line of text fits its box."""
    for a, b in itertools.combinations(drawing.nodes, 2):
        assert not overlaps(a, b), (a.title, b.title)
    for node in drawing.nodes:
        assert 0 <= node.x and node.x + node.width <= drawing.width, node.title
        assert 0 <= node.y and node.y + node.height <= drawing.height, node.title
        for line in [node.heading, *node.lines]:
            assert line.width <= node.width - 2 * PADDING + 0.01, (line.text, node.width)


def test_text_is_measured_by_width_not_by_characters() -> None:
    assert text_width("张又侠", 12) > text_width("Zha", 12)  # three wide characters take more room than three letters
    assert text_width("illi", 12) < text_width("MWMW", 12)
    name = "中国共产党中央委员会组织部原副部长" * 3
    lines = wrapped(name)
    assert len(lines) == 2 and lines[-1].text.endswith("…")
    assert all(line.width <= MAX_TEXT_WIDTH for line in lines)
    assert "".join(line.text for line in lines).rstrip("…") == name[: sum(len(line.text) for line in lines) - 1]
    english = wrapped("a senior manager in the group's audit office who spoke on condition of anonymity to reporters")
    assert all(line.width <= MAX_TEXT_WIDTH for line in english)
    assert english[0].text.split()[0] == "a" and not english[0].text.endswith(" ")  # words stay whole
    assert wrapped("https://example.org/" + "x" * 200, LABEL_SIZE)[0].width <= MAX_TEXT_WIDTH


def test_unknown_years_read_as_unknown_not_as_xxxx() -> None:
    edge = Edge("a", "b", "relays", "XXXX-01-28", "revealed")
    assert graph.edge_label(edge) == "relays (revealed) · 28 Jan (year unknown)"


def test_the_example_graphs_are_laid_out_by_dot_with_one_node_per_source(web_store: Store) -> None:
    assert shutil.which("dot"), "Graphviz dot is installed by `make test` (Debian's graphviz)"
    traces = [views.trace(web_store, group.id) for group in web_store_groups(web_store)]
    drawn = 0
    for trace in traces:
        if trace is None:
            continue
        drawing = layout(trace.nodes, trace.edges)
        assert drawing.engine == "graphviz dot"
        assert_readable(drawing)
        ids = [node.id for node in drawing.nodes]
        assert len(ids) == len(set(ids))
        pairs = [(e.path, e.label.text) for e in drawing.edges]
        assert len(pairs) == len({(e.source, e.target) for e in graph.one_edge_per_pair(trace.edges) if e.source != e.target})
        assert all("XXXX" not in e.label.text for e in drawing.edges)
        drawn += 1
    assert drawn >= 5


def web_store_groups(store: Store) -> list[views.GroupRecord]:
    return views.group_records(store)


def test_an_unnamed_source_retold_by_several_reports_is_one_node(client: TestClient, web_store: Store) -> None:
    group = detained_group(client)
    trace = views.trace(web_store, group["id"])
    assert trace is not None
    unnamed = [n for n in trace.nodes if n.kind == "unnamed" and "senior manager" in n.label]
    assert len(unnamed) == 1  # the manager who told Tomas Reyne, however many outlets retell it
    into = [e for e in graph.one_edge_per_pair(trace.edges) if e.target == unnamed[0].id]
    assert len(into) == 1 and into[0].source.startswith("source:")


def test_the_origin_path_is_marked_and_copies_are_not_on_it(client: TestClient, web_store: Store) -> None:
    trace = views.trace(web_store, detained_group(client)["id"])
    assert trace is not None
    drawing = layout(trace.nodes, trace.edges)
    marked = {e.relation for e in drawing.edges if e.on_path}
    assert {"published", "relays"} <= marked
    assert not any(e.on_path for e in drawing.edges if e.relation == "copies")


def test_without_dot_a_layered_drawing_of_the_same_boxes_stands_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph.shutil, "which", lambda _: None)
    graph._run_dot.cache_clear()
    nodes = [Node("outlet:a", "Harbour Ledger", "outlet"), Node("doc:1", "港湾日报：子午港务集团董事长传被带走", "document"),
             Node("source:x", "Tomas Reyne", "person", origin=True, independent=True)]
    edges = [Edge("outlet:a", "doc:1", "published", "2026-02-03"), Edge("doc:1", "source:x", "relays", "XXXX-02-02", "透露")]
    drawing = layout(nodes, edges)
    graph._run_dot.cache_clear()
    assert drawing.engine.startswith("layered")
    assert_readable(drawing)
    assert [e.label.text for e in drawing.edges] == ["published · 2026-02-03", "relays (透露) · 2 Feb (year unknown)"]


def test_the_graph_downloads_as_a_standalone_svg_with_every_label_escaped(client: TestClient, web_store: Store) -> None:
    group = detained_group(client)
    response = client.get(f"/groups/{group['id']}/graph.svg")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "script-src" not in response.headers["content-security-policy"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}style") is not None
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "Tomas Reyne" in labels and any(label and label.startswith("relays") for label in labels)
    assert client.get("/groups/999999/graph.svg").status_code == 404
    hostile = [Node("doc:1", '<script>alert(1)</script>"><g onload="x">', "document"),
               Node("source:y", "</text><script>window.__pwned=1</script>", "person", origin=True, independent=True)]
    svg = graph_svg(layout(hostile, [Edge("doc:1", "source:y", "relays", None, "<b>said</b>")]))
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script") or any(k.startswith("on") for k in e.attrib)]
    assert "</text><script>window.__pwned=1</script>" in [t.text for t in root.iter(f"{SVG}title")]


def graph_svg(drawing: graph.Drawing) -> str:
    from claimledger.web.pages import GRAPH_CSS, templates

    return templates.get_template("graph.svg").render(drawing=drawing, standalone=True, graph_css=GRAPH_CSS)

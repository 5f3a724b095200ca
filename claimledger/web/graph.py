"""The relay graph as a picture: a layered drawing, outlets on the left, origins on the right.

Only coordinates and labels are computed here; the template draws them as SVG, escaping every
label like any other article text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from claimledger.ledger.views import Edge, Node

COLUMN_WIDTH = 205
ROW_HEIGHT = 56
NODE_WIDTH = 170
NODE_HEIGHT = 38
_LABEL_CHARS = 27


@dataclass(frozen=True, slots=True)
class PlacedNode:
    id: str
    label: str
    title: str  # the full label, shown on hover
    kind: str
    origin: bool
    independent: bool
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class PlacedEdge:
    x1: int
    y1: int
    x2: int
    y2: int
    label: str


@dataclass(frozen=True, slots=True)
class Drawing:
    width: int
    height: int
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]


def layout(nodes: list[Node], edges: list[Edge]) -> Drawing:
    """Columns by distance from the outlets (longest path), rows in order of first appearance."""
    children: dict[str, list[str]] = defaultdict(list)
    targets = set()
    for edge in edges:
        if edge.label != "copies":
            children[edge.source].append(edge.target)
            targets.add(edge.target)
    depth = {node.id: 0 for node in nodes if node.id not in targets}
    frontier = list(depth)
    for _ in range(len(nodes)):
        following = []
        for node_id in frontier:
            for child in children.get(node_id, []):
                if depth.get(child, -1) < depth[node_id] + 1 and depth[node_id] + 1 < len(nodes):
                    depth[child] = depth[node_id] + 1
                    following.append(child)
        if not following:
            break
        frontier = following
    columns: dict[int, list[Node]] = defaultdict(list)
    for node in nodes:
        columns[depth.get(node.id, 0)].append(node)
    placed: dict[str, PlacedNode] = {}
    for column, members in columns.items():
        for row, node in enumerate(members):
            short = node.label if len(node.label) <= _LABEL_CHARS else node.label[: _LABEL_CHARS - 1] + "…"
            placed[node.id] = PlacedNode(node.id, short, node.label, node.kind, node.origin, node.independent,
                                         20 + column * COLUMN_WIDTH, 20 + row * ROW_HEIGHT)
    lines = []
    for edge in edges:
        if edge.source in placed and edge.target in placed:
            a, b = placed[edge.source], placed[edge.target]
            lines.append(PlacedEdge(a.x + NODE_WIDTH, a.y + NODE_HEIGHT // 2, b.x, b.y + NODE_HEIGHT // 2,
                                    edge.shown + (f" · {edge.date}" if edge.date else "")))
    width = 40 + (max(columns) + 1) * COLUMN_WIDTH if columns else 200
    height = 40 + max((len(m) for m in columns.values()), default=1) * ROW_HEIGHT
    return Drawing(width, height, list(placed.values()), lines)

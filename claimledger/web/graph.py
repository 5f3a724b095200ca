"""The relay graph as a picture: laid out by Graphviz `dot`, drawn by the template.

No article text ever reaches `dot`: nodes and edge labels go to it as empty boxes of the size
their text needs (measured by width, so a Chinese name gets the room it takes), and the template
draws the text into the places `dot` returns, escaping it like any other article text. Where
`dot` is not installed (Debian: `apt install graphviz`) or fails, a layered drawing of the same
boxes stands in, and the page says which engine drew it.
"""

from __future__ import annotations

import functools
import json
import math
import re
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from claimledger.ledger.views import Edge, Node
from claimledger.model import readable_date

LABEL_SIZE = 12  # px: a node's name
KIND_SIZE = 10  # px: the line above it (its kind, whether it is an origin)
EDGE_SIZE = 10  # px: an edge's relation, cue and date
LINE_HEIGHT = 15
PADDING = 8
MAX_TEXT_WIDTH = 230  # a longer name wraps, then ends in an ellipsis (the whole name is its tooltip)
MAX_LINES = 2
MARGIN = 10
_DOT_TIMEOUT = 10  # seconds


@dataclass(frozen=True, slots=True)
class TextLine:
    text: str
    width: float  # as measured here; the template fits the drawn text to it (textLength)


@dataclass(frozen=True, slots=True)
class PlacedNode:
    id: str
    kind: str
    heading: TextLine  # "person · independent origin"
    lines: list[TextLine]
    title: str  # the whole name, shown on hover and focus
    origin: bool
    independent: bool
    href: str | None
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class PlacedEdge:
    path: str  # SVG path data
    relation: str
    label: TextLine
    label_x: float  # the label's centre
    label_y: float
    on_path: bool  # part of a path from a report to an origin


@dataclass(frozen=True, slots=True)
class Drawing:
    width: float
    height: float
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]
    engine: str  # "graphviz dot" or "layered (Graphviz not installed)"


def text_width(text: str, size: float) -> float:
    """The width `text` takes in a sans-serif font of `size` px: East Asian wide characters a
    full em, Latin letters by their class. Close enough to lay out boxes; the drawn text is
    fitted to it."""
    total = 0.0
    for char in text:
        if unicodedata.combining(char):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1.0
        elif char in "fijlrtI.,:;!|'()[] ":
            total += 0.3
        elif char in "mwMW@%":
            total += 0.86
        elif char.isupper():
            total += 0.67
        elif char.isdigit():
            total += 0.56
        else:
            total += 0.52
    return total * size


def wrapped(text: str, size: float = LABEL_SIZE, limit: float = MAX_TEXT_WIDTH, lines: int = MAX_LINES) -> list[TextLine]:
    """`text` in at most `lines` lines no wider than `limit`; words stay whole where there are
    spaces between them, Chinese and Japanese break anywhere; what does not fit ends in "…"."""
    pieces = re.findall(r"\S+\s*", text) if " " in text.strip() else list(text)
    result: list[str] = []
    current = ""
    for piece in pieces:
        if current and text_width(current + piece.rstrip(), size) > limit:
            result.append(current.rstrip())
            current = ""
        current += piece
    if current.strip():
        result.append(current.rstrip())
    if len(result) > lines:
        result = result[:lines]
        last = result[-1]
        while last and text_width(last + "…", size) > limit:
            last = last[:-1]
        result[-1] = last.rstrip() + "…"
    result = [_cut_to(line, size, limit) for line in result] or [""]
    return [TextLine(line, text_width(line, size)) for line in result]


def _cut_to(line: str, size: float, limit: float) -> str:
    """A single word wider than the limit (a long URL) is cut, not allowed to overflow."""
    if text_width(line, size) <= limit:
        return line
    while line and text_width(line + "…", size) > limit:
        line = line[:-1]
    return line + "…"


def edge_label(edge: Edge) -> str:
    """"relays (told) · 2026-01-28": the relation, how it was told, and when."""
    date = readable_date(edge.date)
    return edge.shown + (f" · {date}" if date else "")


def layout(nodes: list[Node], edges: list[Edge]) -> Drawing:
    """The drawing `dot` lays out, or the layered stand-in when `dot` cannot."""
    boxes = [_box(node) for node in nodes]
    known = _ids(nodes)
    shown = one_edge_per_pair([edge for edge in edges if edge.source != edge.target and {edge.source, edge.target} <= known])
    labels = [wrapped(edge_label(edge), EDGE_SIZE, limit=180, lines=1)[0] for edge in shown]
    on_path = _origin_path(nodes, shown)
    placed = _dot_layout(boxes, shown, labels, on_path)
    if placed is not None:
        return placed
    return _layered_layout(boxes, shown, labels, on_path)


def one_edge_per_pair(edges: list[Edge]) -> list[Edge]:
    """Reports retelling one relay give one arrow, carrying every way it was told and its
    earliest full date (else the first partial one)."""
    merged: dict[tuple[str, str], Edge] = {}
    for edge in edges:
        pair = (edge.source, edge.target)
        kept = merged.get(pair)
        if kept is None:
            merged[pair] = edge
            continue
        cues = list(dict.fromkeys(c for c in (kept.cue, edge.cue) if c))
        dates = [d for d in (kept.date, edge.date) if d]
        full = sorted(d for d in dates if not d.startswith("X"))
        merged[pair] = Edge(kept.source, kept.target, kept.label, (full or dates or [None])[0], ", ".join(cues) or None)
    return list(merged.values())


def _ids(nodes: list[Node]) -> set[str]:
    return {node.id for node in nodes}


@dataclass(frozen=True, slots=True)
class _Box:
    node: Node
    heading: TextLine
    lines: list[TextLine]
    width: float
    height: float


def _box(node: Node) -> _Box:
    role = (" · independent origin" if node.independent else " · origin, not counted") if node.origin else ""
    heading = TextLine(node.kind + role, text_width(node.kind + role, KIND_SIZE))
    lines = wrapped(node.label or node.id)
    width = 2 * PADDING + max([heading.width] + [line.width for line in lines])
    height = 2 * PADDING + LINE_HEIGHT * (1 + len(lines)) - 4
    return _Box(node, heading, lines, math.ceil(width), math.ceil(height))


def _origin_path(nodes: list[Node], edges: list[Edge]) -> list[bool]:
    """Which edges lie on a way from a report to an origin (they are drawn stronger)."""
    parents: dict[str, list[int]] = defaultdict(list)
    for index, edge in enumerate(edges):
        if edge.label != "copies":
            parents[edge.target].append(index)
    marked = [False] * len(edges)
    frontier = [node.id for node in nodes if node.origin]
    seen = set(frontier)
    while frontier:
        target = frontier.pop()
        for index in parents.get(target, []):
            marked[index] = True
            source = edges[index].source
            if source not in seen:
                seen.add(source)
                frontier.append(source)
    return marked


def _href(node: Node) -> str | None:
    found = re.fullmatch(r"doc:(\d+)", node.id)
    return f"/documents/{found.group(1)}" if found else None


def _placed_node(box: _Box, x: float, y: float) -> PlacedNode:
    node = box.node
    return PlacedNode(node.id, node.kind, box.heading, box.lines, node.label, node.origin, node.independent,
                      _href(node), round(x, 1), round(y, 1), box.width, box.height)


def _dot_source(boxes: list[_Box], edges: list[Edge], labels: list[TextLine], on_path: list[bool]) -> str:
    """The graph in DOT with numbered nodes and empty, fixed-size labels: no text of anyone's."""
    number = {box.node.id: index for index, box in enumerate(boxes)}
    lines = ["digraph relay {", "rankdir=LR; nodesep=0.25; ranksep=0.55; splines=true;",
             "node [shape=box, fixedsize=true, label=\"\"]; edge [arrowhead=normal];"]
    for index, box in enumerate(boxes):
        lines.append(f"n{index} [width={box.width / 72:.3f}, height={box.height / 72:.3f}];")
    for edge, label, strong in zip(edges, labels, on_path, strict=True):
        size = (f'<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0" FIXEDSIZE="TRUE" WIDTH="{label.width + 6:.0f}" '
                f'HEIGHT="{LINE_HEIGHT}"><TR><TD></TD></TR></TABLE>>')
        options = [f"label={size}"]
        if edge.label == "copies":
            options.append("constraint=false")
        if strong:
            options.append("weight=4")
        lines.append(f"n{number[edge.source]} -> n{number[edge.target]} [{', '.join(options)}];")
    lines.append("}")
    return "\n".join(lines)


@functools.lru_cache(maxsize=256)
def _run_dot(source: str) -> dict | None:  # type: ignore[type-arg]
    executable = shutil.which("dot")
    if executable is None:
        return None
    try:
        finished = subprocess.run([executable, "-Tjson"], input=source, capture_output=True, text=True,
                                  timeout=_DOT_TIMEOUT, check=True)
        return json.loads(finished.stdout)  # type: ignore[no-any-return]
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _dot_layout(boxes: list[_Box], edges: list[Edge], labels: list[TextLine], on_path: list[bool]) -> Drawing | None:
    if not boxes:
        return None
    laid = _run_dot(_dot_source(boxes, edges, labels, on_path))
    if laid is None:
        return None
    _, _, right, top = (float(v) for v in laid["bb"].split(","))

    def point(text: str) -> tuple[float, float]:
        x, y = (float(v) for v in text.split(","))
        return round(x + MARGIN, 1), round(top - y + MARGIN, 1)

    positions = {item["name"]: item["pos"] for item in laid.get("objects", [])}
    nodes = []
    for index, box in enumerate(boxes):
        cx, cy = point(positions[f"n{index}"])
        nodes.append(_placed_node(box, cx - box.width / 2, cy - box.height / 2))
    names = {item["_gvid"]: item["name"] for item in laid.get("objects", [])}
    number = {box.node.id: f"n{index}" for index, box in enumerate(boxes)}
    # dot lists edges in its own order; edges are one per pair, so the pair finds each
    laid_edges = {(names[item["tail"]], names[item["head"]]): item for item in laid.get("edges", [])}
    placed_edges = []
    for edge, label, strong in zip(edges, labels, on_path, strict=True):
        item = laid_edges[number[edge.source], number[edge.target]]
        parts = item["pos"].split()
        tip = next((point(p[2:]) for p in parts if p.startswith("e,")), None)
        curve = [point(p) for p in parts if p[:2] not in ("e,", "s,")]
        d = f"M {curve[0][0]} {curve[0][1]}" + "".join(
            f" C {a[0]} {a[1]} {b[0]} {b[1]} {c[0]} {c[1]}" for a, b, c in zip(curve[1::3], curve[2::3], curve[3::3], strict=False))
        if tip is not None:
            d += f" L {tip[0]} {tip[1]}"
        lx, ly = point(item["lp"]) if "lp" in item else curve[len(curve) // 2]
        placed_edges.append(PlacedEdge(d, edge.label, label, lx, ly, strong))
    return Drawing(round(right + 2 * MARGIN, 1), round(top + 2 * MARGIN, 1), nodes, placed_edges, "graphviz dot")


def _layered_layout(boxes: list[_Box], edges: list[Edge], labels: list[TextLine], on_path: list[bool]) -> Drawing:
    """Columns by distance from the outlets (longest path), rows in order of first appearance."""
    children: dict[str, list[str]] = defaultdict(list)
    targets = set()
    for edge in edges:
        if edge.label != "copies":
            children[edge.source].append(edge.target)
            targets.add(edge.target)
    depth = {box.node.id: 0 for box in boxes if box.node.id not in targets}
    frontier = list(depth)
    for _ in range(len(boxes)):
        following = []
        for node_id in frontier:
            for child in children.get(node_id, []):
                if depth.get(child, -1) < depth[node_id] + 1 < len(boxes):
                    depth[child] = depth[node_id] + 1
                    following.append(child)
        if not following:
            break
        frontier = following
    columns: dict[int, list[_Box]] = defaultdict(list)
    for box in boxes:
        columns[depth.get(box.node.id, 0)].append(box)
    gap = max((label.width for label in labels), default=0) + 30
    placed: dict[str, PlacedNode] = {}
    x = MARGIN
    for column in sorted(columns):
        y = MARGIN
        for box in columns[column]:
            placed[box.node.id] = _placed_node(box, x, y)
            y += box.height + 18
        x += max(box.width for box in columns[column]) + gap
    placed_edges = []
    for edge, label, strong in zip(edges, labels, on_path, strict=True):
        a, b = placed[edge.source], placed[edge.target]
        x1, y1, x2, y2 = a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2
        placed_edges.append(PlacedEdge(f"M {x1} {y1} L {x2} {y2}", edge.label, label, (x1 + x2) / 2, (y1 + y2) / 2 - 6, strong))
    width = max((n.x + n.width for n in placed.values()), default=200) + MARGIN
    height = max((n.y + n.height for n in placed.values()), default=60) + MARGIN
    return Drawing(round(width, 1), round(height, 1), list(placed.values()), placed_edges, "layered (Graphviz not installed)")

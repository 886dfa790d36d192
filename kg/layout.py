"""Node positions for the HTML views, computed in Python so the browser runs no physics.

vis-network's own physics freezes the page on a few thousand nodes (pyvis issue #204), so the
page gets fixed coordinates. The layout is deterministic (same graph → same picture) and stays
fast on big graphs:

- each connected component is laid out alone, then the components are packed in rows, biggest
  first (a force layout of a disconnected graph flings the small pieces to the rim); small
  components (a paper and its lone method, a few nodes no other paper shares) are grouped aside,
  in a compact block to the right of the big ones, not spread in a grid across the page;
- inside a component, the trees hanging off it (a paper's lone method, a dataset only one paper
  uses) are peeled off; the rest (its 2-core) gets a force-directed layout, networkx's
  ``spring_layout`` when numpy is installed, else a small pure-Python Fruchterman–Reingold;
- a core bigger than :func:`force_max` lays out its backbone, the most connected nodes joined by
  the neighbours they share, and every other node goes next to the nodes it is linked to:
  between them when it has several (a paper between its method and its dataset), on a
  sunflower spiral around its single neighbour otherwise (the papers of a popular dataset);
- finally overlapping nodes are pushed apart and every hub clears a disc around itself, so the
  big nodes stay visible and reachable under the mouse.
"""
from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import networkx as nx

try:  # numpy is optional (it comes with matplotlib); networkx's spring_layout needs it
    import numpy  # noqa: F401
    HAS_NUMPY = True
except ImportError:  # pragma: no cover - depends on the install
    HAS_NUMPY = False

SPACING = 90.0                 # pixels between neighbouring nodes, roughly (labels need the room)
SMALL_COMPONENT = 12           # components of at most this many nodes go aside, when a bigger one exists
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
Position = tuple[float, float]


def force_max() -> int:
    """Largest component laid out whole by the force layout: networkx's dense path (numpy)
    handles a few hundred nodes in well under a second; the pure-Python one is quadratic."""
    return 450 if HAS_NUMPY else 120


@dataclass
class Arrangement:
    """Positions, and the small components grouped aside (their nodes and the block they fill)."""
    pos: dict[Hashable, Position]
    aside: set = field(default_factory=set)
    aside_groups: int = 0
    aside_box: tuple[float, float, float, float] | None = None     # x0, y0, x1, y1


def layout(nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]], seed: int = 7,
           radius: dict[Hashable, float] | None = None) -> dict[Hashable, Position]:
    """Pixel coordinates for every node; with ``radius`` (node → drawn radius in pixels), nodes
    are then pushed apart until none covers another (a hub stays reachable under the mouse).

    >>> pos = layout(["a", "b", "c", "lonely"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c", "lonely"] and all(len(p) == 2 for p in pos.values())
    True
    >>> pos == layout(["a", "b", "c", "lonely"], [("a", "b"), ("b", "c")])   # deterministic
    True
    """
    return arrange(nodes, edges, seed, radius).pos


def arrange(nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]], seed: int = 7,
            radius: dict[Hashable, float] | None = None) -> Arrangement:
    """:func:`layout`, saying which nodes sit aside: when some component is bigger than
    ``SMALL_COMPONENT``, the components of at most that size are packed in a block to the right
    of the others, no taller than they are.

    >>> a = arrange(range(20), [(i, i + 1) for i in range(14)] + [(15, 16), (17, 18)])
    >>> sorted(a.aside), a.aside_groups
    ([15, 16, 17, 18, 19], 3)
    >>> main_right = max(a.pos[i][0] for i in range(15))
    >>> all(a.pos[v][0] > main_right for v in a.aside)
    True
    """
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes, key=str))
    g.add_edges_from((a, b) for a, b in edges if a != b)
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(g)), key=lambda c: (-len(c), str(c[0])))
    pieces = [_component(g.subgraph(c), seed) for c in comps]
    if radius:
        pieces = [_separate(piece, radius) for piece in pieces]
    if not comps or len(comps[0]) <= SMALL_COMPONENT:
        return Arrangement(_pack(pieces))
    big = [p for c, p in zip(comps, pieces) if len(c) > SMALL_COMPONENT]
    small = [p for c, p in zip(comps, pieces) if len(c) <= SMALL_COMPONENT]
    pos = _pack(big)
    if not small:
        return Arrangement(pos)
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    # the block: two thirds as tall as the big components (square when that is shorter), in columns
    aside = _pack(small, width=None, height=max(0.66 * (max(ys) - min(ys)), math.sqrt(_area(small))))
    left, top = max(xs) + 3 * SPACING, min(ys)
    ax0, ay0 = min(x for x, _ in aside.values()), min(y for _, y in aside.values())
    for v, (x, y) in aside.items():
        pos[v] = (round(left + x - ax0, 1), round(top + y - ay0, 1))
    box = (left - SPACING / 2, top - SPACING / 2, max(pos[v][0] for v in aside) + SPACING / 2,
           max(pos[v][1] for v in aside) + SPACING / 2)
    return Arrangement(pos, set(aside), len(small), box)


def _area(pieces: list[dict[Hashable, Position]]) -> float:
    return sum(w * h for *_, w, h in map(_box, pieces))


def _box(piece: dict[Hashable, Position]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in piece.values()], [y for _, y in piece.values()]
    return min(xs), min(ys), max(xs) - min(xs) + SPACING, max(ys) - min(ys) + SPACING


def _component(g: nx.Graph, seed: int) -> dict[Hashable, Position]:
    """Force layout of the 2-core (what is left after peeling off trees such as a paper's lone
    method), or of its backbone when big; the trees then hang off the nodes they grow from."""
    n = g.number_of_nodes()
    if n == 1:
        return {next(iter(g)): (0.0, 0.0)}
    core = g.subgraph(nx.k_core(g, 2)) if n > 3 else g
    if core.number_of_nodes() < 3:
        core = g                                           # a tree: lay it out whole
    if core.number_of_nodes() <= force_max():
        pos = _spread(_force(core, seed))
    else:
        pos = _backbone_layout(core, seed)
    deg = dict(g.degree())
    _place_the_rest(g, pos, deg)
    return pos


def _force(g: nx.Graph, seed: int, iterations: int = 60) -> dict[Hashable, Position]:
    """Positions in [-1, 1]² from a force-directed layout."""
    if HAS_NUMPY:
        pos = nx.spring_layout(g, seed=seed, iterations=iterations, weight="weight")
        return {v: (float(p[0]), float(p[1])) for v, p in pos.items()}
    return _fruchterman_reingold(g, seed, iterations)


def _fruchterman_reingold(g: nx.Graph, seed: int, iterations: int) -> dict[Hashable, Position]:
    """Plain Fruchterman–Reingold (what spring_layout does), for installs without numpy."""
    rng = random.Random(seed)
    nodes = list(g)
    pos = {v: [rng.random(), rng.random()] for v in nodes}
    k = math.sqrt(1.0 / len(nodes))
    temp = 0.1
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in nodes}
        for i, v in enumerate(nodes):          # repulsion between every pair
            pv, dv = pos[v], disp[v]
            for u in nodes[i + 1:]:
                dx, dy = pv[0] - pos[u][0], pv[1] - pos[u][1]
                d2 = max(dx * dx + dy * dy, 1e-6)
                f = k * k / d2
                dv[0] += dx * f; dv[1] += dy * f
                disp[u][0] -= dx * f; disp[u][1] -= dy * f
        for a, b, data in g.edges(data=True):  # attraction along edges
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = max(math.hypot(dx, dy), 1e-3)
            f = d * data.get("weight", 1.0) / k
            disp[a][0] -= dx * f; disp[a][1] -= dy * f
            disp[b][0] += dx * f; disp[b][1] += dy * f
        for v in nodes:
            dx, dy = disp[v]
            length = max(math.hypot(dx, dy), 1e-9)
            step = min(length, temp) / length
            pos[v][0] += dx * step; pos[v][1] += dy * step
        temp -= 0.1 / (iterations + 1)
    return _scaled({v: (p[0], p[1]) for v, p in pos.items()}, 1.0)


def _scaled(pos: dict[Hashable, Position], radius: float) -> dict[Hashable, Position]:
    """Centred on the origin, the farthest node at ``radius``."""
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    far = max(math.hypot(x - cx, y - cy) for x, y in pos.values()) or 1.0
    return {v: ((x - cx) * radius / far, (y - cy) * radius / far) for v, (x, y) in pos.items()}


def _spread(pos: dict[Hashable, Position]) -> dict[Hashable, Position]:
    """Scaled so the typical node has its nearest neighbour ``SPACING`` away. Scaling by the
    farthest node instead would squeeze the dense middle of a hub-heavy graph into a blot."""
    pts = list(pos.values())
    if len(pts) < 2:
        return dict(pos)
    nearest = sorted(min(math.hypot(x - u, y - v) for j, (u, v) in enumerate(pts) if j != i)
                     for i, (x, y) in enumerate(pts))
    typical = nearest[len(nearest) // 2] or 1e-3
    return {k: (x * SPACING / typical, y * SPACING / typical) for k, (x, y) in pos.items()}


def _backbone_layout(g: nx.Graph, seed: int) -> dict[Hashable, Position]:
    deg = dict(g.degree())
    ranked = sorted(g, key=lambda v: (-deg[v], str(v)))
    backbone = set(ranked[:force_max()])
    pos = _spread(_force(_backbone_graph(g, backbone), seed))
    _place_the_rest(g, pos, deg)
    return pos


def _backbone_graph(g: nx.Graph, backbone: set) -> nx.Graph:
    """The backbone with its own edges plus one edge per pair of backbone nodes that share a
    neighbour outside it (hubs of a paper graph meet through papers, rarely directly)."""
    h = nx.Graph()
    h.add_nodes_from(sorted(backbone, key=str))
    for a, b in g.edges():
        if a in backbone and b in backbone:
            h.add_edge(a, b, weight=h.get_edge_data(a, b, {}).get("weight", 0) + 1.0)
    for v in g:
        if v in backbone:
            continue
        hubs = sorted((u for u in g[v] if u in backbone), key=str)[:8]   # bounded: no quadratic blow-up
        for i, a in enumerate(hubs):
            for b in hubs[i + 1:]:
                h.add_edge(a, b, weight=h.get_edge_data(a, b, {}).get("weight", 0) + 0.5)
    return h


def _place_the_rest(g: nx.Graph, pos: dict, deg: dict) -> None:
    """Breadth-first from the placed nodes: between placed neighbours, or around the only one."""
    slots: dict[tuple, int] = defaultdict(int)        # nodes already put around each anchor
    frontier = sorted({u for v in pos for u in g[v] if u not in pos}, key=str)
    while frontier:
        for v in frontier:
            placed = sorted((u for u in g[v] if u in pos), key=lambda u: (-deg[u], str(u)))[:3]
            anchor = tuple(placed)
            cx = sum(pos[u][0] for u in placed) / len(placed)
            cy = sum(pos[u][1] for u in placed) / len(placed)
            k = slots[anchor] = slots[anchor] + 1
            r = SPACING * (0.35 * math.sqrt(k) + (1.0 if len(placed) == 1 else 0.0))   # clear of a big hub
            pos[v] = (cx + r * math.cos(k * GOLDEN_ANGLE), cy + r * math.sin(k * GOLDEN_ANGLE))
        frontier = sorted({u for v in frontier for u in g[v] if u not in pos}, key=str)


def _separate(pos: dict[Hashable, Position], radius: dict[Hashable, float], gap: float = 3.0,
              rounds: int = 4) -> dict[Hashable, Position]:
    """Untangle overlaps: a few rounds pushing overlapping nodes apart (half the overlap each),
    then every hub clears a disc around itself, so the big nodes people look for are never
    covered. Pairs are found through a grid of small cells: linear time, not quadratic."""
    order = list(pos)                                    # fixed iteration order: deterministic sums
    pts = [list(pos[v]) for v in order]
    r = [radius.get(v, 8.0) for v in order]
    cell = 2 * sorted(r)[len(r) // 2] + gap             # twice the median radius
    for _ in range(rounds):
        grid = _grid(pts, cell)
        pairs: dict[tuple[int, int], None] = {}          # an ordered set
        for (cx, cy), members in grid.items():
            for dx, dy in ((0, 0), (1, 0), (1, 1), (0, 1), (-1, 1)):
                others = members if (dx, dy) == (0, 0) else grid.get((cx + dx, cy + dy), [])
                for a in members:
                    for b in others:
                        if a != b:
                            pairs[min(a, b), max(a, b)] = None
        if not _push_apart(pts, r, pairs, gap):
            break
    _clear_hubs(pts, r, cell, gap)
    return {v: (p[0], p[1]) for v, p in zip(order, pts)}


def _grid(pts: list[list[float]], cell: float) -> dict[tuple[int, int], list[int]]:
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (x, y) in enumerate(pts):
        grid[int(x // cell), int(y // cell)].append(i)
    return grid


def _clear_hubs(pts: list[list[float]], r: list[float], cell: float, gap: float, passes: int = 2) -> None:
    """Move every node that overlaps a hub (a node at least twice the median radius) out to the
    edge of the hub's disc, biggest hubs first; a second pass undoes what a smaller hub pushed
    into a bigger one."""
    median = sorted(r)[len(r) // 2]
    hubs = sorted((i for i in range(len(pts)) if r[i] >= 2 * median), key=lambda i: (-r[i], i))
    grid = _grid(pts, cell)
    for _ in range(passes):
        for hub in hubs:
            hx, hy = pts[hub]
            reach = int((r[hub] + max(r) + gap) // cell) + 1
            cx, cy = int(hx // cell), int(hy // cell)
            for i in range(cx - reach, cx + reach + 1):
                for j in range(cy - reach, cy + reach + 1):
                    for b in list(grid.get((i, j), ())):
                        if b != hub:
                            _out_of_disc(pts, r, grid, cell, hub, b, gap)


def _out_of_disc(pts, r, grid, cell: float, hub: int, b: int, gap: float) -> None:
    hx, hy = pts[hub]
    dx, dy = pts[b][0] - hx, pts[b][1] - hy
    dist, need = math.hypot(dx, dy), r[hub] + r[b] + gap
    if dist >= need:
        return
    if dist < 1e-6:
        dx, dy, dist = math.cos(b * GOLDEN_ANGLE), math.sin(b * GOLDEN_ANGLE), 1.0
    grid[int(pts[b][0] // cell), int(pts[b][1] // cell)].remove(b)
    pts[b][0], pts[b][1] = hx + dx / dist * need, hy + dy / dist * need
    grid[int(pts[b][0] // cell), int(pts[b][1] // cell)].append(b)


def _push_apart(pts: list[list[float]], r: list[float], pairs, gap: float) -> bool:
    moves: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for a, b in pairs:
        dx, dy = pts[b][0] - pts[a][0], pts[b][1] - pts[a][1]
        dist, need = math.hypot(dx, dy), r[a] + r[b] + gap
        if dist >= need:
            continue
        if dist < 1e-6:                                  # on the same spot: a fixed direction
            dx, dy, dist = math.cos(b * GOLDEN_ANGLE), math.sin(b * GOLDEN_ANGLE), 1.0
        push = (need - dist) / 2 / dist
        moves[a][0] -= dx * push
        moves[a][1] -= dy * push
        moves[b][0] += dx * push
        moves[b][1] += dy * push
    for i, (mx, my) in moves.items():
        pts[i][0] += mx
        pts[i][1] += my
    return bool(moves)


def _pack(pieces: list[dict[Hashable, Position]], width: float | None = None,
          height: float | None = None) -> dict[Hashable, Position]:
    """Components side by side in rows (shelf packing), biggest first: in a landscape box, or,
    given a ``height``, in columns of that height (a block beside the rest)."""
    if not pieces:
        return {}
    boxes = [_box(piece) for piece in pieces]
    if height is not None:      # columns: the same shelves, turned
        turned = _pack([{v: (y, x) for v, (x, y) in piece.items()} for piece in pieces], width=height)
        return {v: (y, x) for v, (x, y) in turned.items()}
    if width is None:
        width = max(max(b[2] for b in boxes), math.sqrt(sum(b[2] * b[3] for b in boxes) * 1.6))
    width = max(width, max(b[2] for b in boxes))
    out: dict[Hashable, Position] = {}
    x = y = row_height = 0.0
    for piece, (x0, y0, w, h) in zip(pieces, boxes):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (px, py) in piece.items():
            out[v] = (round(x + px - x0, 1), round(y + py - y0, 1))
        x += w
        row_height = max(row_height, h)
    return out

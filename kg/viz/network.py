"""The view in vis-network form: nodes and edges with their positions (:mod:`kg.layout`), sizes,
colours, shapes, label ranks and the data their tooltips are built from."""
from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from kg.graphview import EdgeInfo
from kg.layout import arrange
from kg.viz.tooltips import TOOLTIP_EVIDENCE, TOOLTIP_PAPERS

if TYPE_CHECKING:
    from kg.viz.view import View

STYLE = {  # type → (colour, vis-network shape, what the legend calls it)
    "paper": ("#94a3b8", "dot", "paper"),
    "method": ("#2563eb", "dot", "method"),
    "family": ("#7c3aed", "diamond", "method family"),
    "dataset": ("#f59e0b", "square", "dataset"),
    "task": ("#db2777", "triangle", "task"),
}
EDGE_STYLE = {  # relation or comparison outcome → (colour, legend text)
    "proposes": ("#93c5fd", "proposes"),
    "evaluatesOn": ("#fcd34d", "evaluates on"),
    "memberOf": ("#c4b5fd", "member of family"),
    "addressesTask": ("#f9a8d4", "addresses task"),
    "outperforms": ("#16a34a", "outperforms"),
    "comparable": ("#0891b2", "comparable to"),
    "underperforms": ("#dc2626", "underperforms"),
    "mixed": ("#a8a29e", "as many wins as losses (a tie)"),
    "compared": ("#64748b", "compared with (no winner stated)"),
}
LABELS_AT_OPEN = 24       # labelled nodes when the page opens: the most connected


def _majority(outcomes: list[str]) -> str:
    """The most reported outcome. When as many papers say the subject wins as say it loses, the
    edge is a tie ("mixed"), drawn neutral, not as either; other ties: the more cautious outcome
    (on par, or compared without a winner, rather than a win or a loss).

    >>> _majority(["outperforms", "underperforms"]), _majority(["outperforms", "comparable"])
    ('mixed', 'comparable')
    >>> _majority(["outperforms", "outperforms", "underperforms"])
    'outperforms'
    """
    if not outcomes:
        return ""
    counts = Counter(outcomes)
    top = max(counts.values())
    leaders = {o for o, n in counts.items() if n == top}
    if {"outperforms", "underperforms"} <= leaders:
        return "mixed"
    order = ("outperforms", "underperforms", "comparable", "compared")     # most cautious last
    return max(leaders, key=lambda o: order.index(o) if o in order else -1)


def _node_size(kind: str, degree: int) -> float:
    base = 5 if kind == "paper" else 9
    return round(min(48.0, base + 3.2 * math.sqrt(degree)), 1)


def _font(kind: str, degree: int) -> dict:
    """Hubs get big labels, so the zoomed-out map names them; vis-network skips labels that
    would be drawn smaller than 5 px, so the small ones appear as one zooms in."""
    if kind == "paper":
        return {"size": 10, "color": "#475569"}
    return {"size": round(min(48.0, 12 + 3.5 * math.sqrt(degree))), "strokeWidth": 4, "strokeColor": "#ffffff"}


def _label_ranks(view: View, limit: int = LABELS_AT_OPEN) -> dict[str, int]:
    """Candidates for a label when the page opens, most connected first (papers last: their
    titles are long): the page labels the first ``limit`` whose labels do not overlap one
    already placed. A small view labels every node."""
    pg = view.pg
    ranked = sorted(pg.nodes, key=lambda v: (pg.nodes[v]["type"] == "paper", -view.degree.get(v, 0),
                                             pg.nodes[v]["label"], v))
    return {v: i for i, v in enumerate(ranked[: len(ranked) if len(ranked) <= limit else 2 * limit])}


def network_data(view: View) -> tuple[list[dict], list[dict], dict]:
    """Nodes and edges in vis-network form, with positions and the text tooltips are built from,
    and the page's layout facts (the block of small components set aside)."""
    pg = view.pg
    ids = {iri: i for i, iri in enumerate(pg.nodes)}
    sizes = {iri: _node_size(d["type"], view.degree.get(iri, 0)) for iri, d in pg.nodes.items()}
    placed = arrange(ids.values(), ((ids[s], ids[o]) for s, _, o in pg.edges),
                     radius={ids[iri]: size for iri, size in sizes.items()})
    pos = placed.pos
    centres = set(view.centres)
    ranks = _label_ranks(view)
    nodes = []
    for iri, i in ids.items():
        kind, full = pg.nodes[iri]["type"], pg.nodes[iri]["label"]
        colour, shape, _ = STYLE[kind]
        short = full if kind != "paper" or len(full) <= 40 else full[:39] + "…"
        deg = view.degree.get(iri, 0)
        node = {"id": i, "label": short, "full": full, "kind": kind, "iri": iri, "deg": deg,
                "x": pos[i][0], "y": pos[i][1], "size": sizes[iri], "shape": shape,
                "color": colour, "info": view.facts.get(iri, []), "labelRank": ranks.get(iri, -1)}
        node["font"] = _font(kind, deg)
        if iri in centres:
            node["borderWidth"], node["color"] = 4, {"background": colour, "border": "#111827"}
        nodes.append(node)
    edges = [_edge(ids[s], ids[o], info) for (s, _, o), info in pg.edges.items()]
    nodes.sort(key=lambda n: (n["size"], n["id"]))      # vis-network draws in order: hubs on top
    aside = {"ids": sorted(placed.aside), "groups": placed.aside_groups,
             "box": list(placed.aside_box) if placed.aside_box else None,
             "caption": ["not linked to the rest:", f"{placed.aside_groups} small groups, {len(placed.aside)} nodes"]}
    return nodes, edges, aside


def _edge(src: int, dst: int, info: EdgeInfo) -> dict:
    outcome = _majority(info.outcomes) if info.relation == "comparesTo" else ""
    if info.relation == "comparesTo" and not outcome:
        outcome = "compared"
    colour = EDGE_STYLE.get(outcome or info.relation, ("#94a3b8", ""))[0]
    papers = list(dict.fromkeys(info.papers))
    evidence = [s for s in dict.fromkeys(info.evidence) if s]
    edge = {"from": src, "to": dst, "rel": info.relation, "outcome": outcome, "color": colour,
            "width": round(1 + min(4.0, math.log2(1 + len(papers))), 2),
            "papers": papers[:TOOLTIP_PAPERS], "morePapers": max(0, len(papers) - TOOLTIP_PAPERS),
            "evidence": evidence[:TOOLTIP_EVIDENCE], "outcomes": dict(sorted(Counter(info.outcomes).items())),
            "derived": info.derived}
    if info.relation == "memberOf" or info.derived:
        edge["dashes"] = True
    return edge

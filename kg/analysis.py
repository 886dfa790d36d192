"""Graph analysis with networkx: one metric per function, plain data in and out.

Each function takes the networkx graph from :func:`kg.graphview.to_networkx` (or any
MultiDiGraph whose nodes have ``type``/``label`` and edges a ``relation``) and returns plain
lists and dicts.
"""
from __future__ import annotations

from collections import Counter

import networkx as nx


def counts_by_type(g: nx.MultiDiGraph) -> dict[str, int]:
    """Number of nodes of each type.

    >>> g = nx.MultiDiGraph(); g.add_node("a", type="paper", label="A"); g.add_node("m", type="method", label="M")
    >>> counts_by_type(g)
    {'method': 1, 'paper': 1}
    """
    return dict(sorted(Counter(d.get("type", "?") for _, d in g.nodes(data=True)).items()))


def counts_by_relation(g: nx.MultiDiGraph) -> dict[str, int]:
    """Number of edges of each relation."""
    return dict(sorted(Counter(d.get("relation", "?") for *_, d in g.edges(data=True)).items()))


def _entity_subgraph(g: nx.MultiDiGraph, relation: str | None = None) -> nx.Graph:
    keep = [n for n, d in g.nodes(data=True) if d.get("type") in ("method", "family", "dataset")]
    h = nx.Graph()
    h.add_nodes_from((n, g.nodes[n]) for n in keep)
    for s, o, d in g.edges(data=True):
        if relation and d.get("relation") != relation:
            continue
        if s in h and o in h:
            w = h.get_edge_data(s, o, {}).get("weight", 0)
            h.add_edge(s, o, weight=w + d.get("papers", 1))
    return h


def top_by_degree(g: nx.MultiDiGraph, types: tuple[str, ...] = ("method", "family"), n: int = 10) -> list[tuple[str, int]]:
    """Entities of the given types with the most edges, as (label, degree).

    >>> g = nx.MultiDiGraph(); g.add_node("p", type="paper", label="P"); g.add_node("m", type="method", label="M")
    >>> _ = g.add_edge("p", "m", relation="proposes")
    >>> top_by_degree(g)
    [('M', 1)]
    """
    rows = [(g.nodes[v]["label"], d) for v, d in g.degree() if g.nodes[v].get("type") in types]
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:n]


def top_by_pagerank(g: nx.MultiDiGraph, n: int = 10, relation: str = "comparesTo") -> list[tuple[str, float]]:
    """Methods ranked by PageRank on the comparison network (edges point at the method compared against)."""
    h = nx.DiGraph()
    for s, o, d in g.edges(data=True):
        if d.get("relation") == relation:
            w = h.get_edge_data(s, o, {}).get("weight", 0)
            h.add_edge(s, o, weight=w + d.get("papers", 1))
    if h.number_of_nodes() == 0:
        return []
    try:
        pr = nx.pagerank(h, weight="weight")
    except ImportError:  # networkx's fast path needs scipy; the pure-Python one gives the same ranking
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
        pr = _pagerank_python(h, weight="weight")
    rows = [(g.nodes[v]["label"], round(score, 4)) for v, score in pr.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:n]


def most_used_datasets(g: nx.MultiDiGraph, n: int = 10) -> list[tuple[str, int]]:
    """Datasets by number of papers evaluating on them."""
    rows = [(g.nodes[v]["label"], sum(1 for _, _, d in g.in_edges(v, data=True) if d.get("relation") == "evaluatesOn"))
            for v, t in g.nodes(data="type") if t == "dataset"]
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:n]


def most_compared_pairs(g: nx.MultiDiGraph, n: int = 10) -> list[dict]:
    """Method pairs compared in the most papers, either direction, with the outcomes reported."""
    pairs: dict[frozenset, dict] = {}
    for s, o, d in g.edges(data=True):
        if d.get("relation") != "comparesTo":
            continue
        key = frozenset((s, o))
        row = pairs.setdefault(key, {"a": g.nodes[s]["label"], "b": g.nodes[o]["label"], "papers": 0, "outcomes": Counter()})
        row["papers"] += d.get("papers", 1)
        flip = row["a"] != g.nodes[s]["label"]
        for outcome in d.get("outcomes", []):
            if flip:
                outcome = {"outperforms": "underperforms", "underperforms": "outperforms"}.get(outcome, outcome)
            row["outcomes"][outcome] += 1
    rows = sorted(pairs.values(), key=lambda r: (-r["papers"], r["a"], r["b"]))[:n]
    return [{**r, "outcomes": dict(sorted(r["outcomes"].items()))} for r in rows]


def connected_components(g: nx.MultiDiGraph) -> dict[str, object]:
    """Number of weakly connected components and the sizes of the largest ones."""
    sizes = sorted((len(c) for c in nx.weakly_connected_components(g)), reverse=True)
    return {"count": len(sizes), "largest": sizes[:5]}


def summary(g: nx.MultiDiGraph, n: int = 10) -> dict[str, object]:
    """Every metric above in one dict (what ``kg stats`` prints)."""
    return {
        "nodes": counts_by_type(g),
        "edges": counts_by_relation(g),
        "top_methods_by_degree": top_by_degree(g, n=n),
        "top_methods_by_pagerank": top_by_pagerank(g, n=n),
        "most_used_datasets": most_used_datasets(g, n=n),
        "most_compared_pairs": most_compared_pairs(g, n=n),
        "components": connected_components(g),
    }

"""Graph analysis with networkx: one metric per function, plain data in and out.

Each function takes the networkx graph from :func:`kg.graphview.to_networkx` (or any
MultiDiGraph whose nodes have ``type``/``label`` and edges a ``relation``, ``papers`` and, for
comparisons, ``outcomes`` and ``supports``) and returns plain lists and dicts.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

EXTRACTED = ("proposes", "evaluatesOn", "comparesTo")     # relations read from the papers
OUTCOMES = ("outperforms", "comparable", "underperforms", "compared")
_FLIP = {"outperforms": "underperforms", "underperforms": "outperforms"}


def _example() -> nx.MultiDiGraph:
    """A tiny graph for the examples: ViT outperforms ResNet in one paper; DeiT is on par with it."""
    g = nx.MultiDiGraph()
    for node, kind, label in [("p1", "paper", "P1"), ("p2", "paper", "P2"), ("vit", "method", "ViT"),
                              ("deit", "method", "DeiT"), ("resnet", "method", "ResNet"),
                              ("tf", "family", "vision transformer"), ("cnn", "family", "CNN"),
                              ("in1k", "dataset", "ImageNet-1K")]:
        g.add_node(node, type=kind, label=label)
    g.add_edge("p1", "vit", relation="proposes", papers=1)
    g.add_edge("p1", "in1k", relation="evaluatesOn", papers=1)
    g.add_edge("p2", "in1k", relation="evaluatesOn", papers=1)
    g.add_edge("vit", "resnet", relation="comparesTo", papers=1, outcomes=["outperforms"],
               supports=[{"paper": "P1", "outcome": "outperforms", "evidence": "ViT outperforms ResNet."}])
    g.add_edge("deit", "resnet", relation="comparesTo", papers=1, outcomes=["comparable"],
               supports=[{"paper": "P2", "outcome": "comparable", "evidence": "DeiT is on par with ResNet."}])
    for method, family in [("vit", "tf"), ("deit", "tf"), ("resnet", "cnn")]:
        g.add_edge(method, family, relation="memberOf", papers=1)
    return g


def counts_by_type(g: nx.MultiDiGraph) -> dict[str, int]:
    """Number of nodes of each type.

    >>> counts_by_type(_example())
    {'dataset': 1, 'family': 2, 'method': 3, 'paper': 2}
    """
    return dict(sorted(Counter(d.get("type", "?") for _, d in g.nodes(data=True)).items()))


# How `kg build` and `kg stats` name what they count, in this order. A method family is typed
# kgo:Method too, but is counted once, as a family: "methods" are the methods that are not families.
ENTITY_NAMES = (("paper", "paper", "papers"), ("method", "method", "methods"),
                ("family", "method family", "method families"), ("dataset", "dataset", "datasets"))
_CLASS_TYPES = {"Paper": "paper", "Method": "method", "MethodFamily": "family", "Dataset": "dataset"}


def entity_counts_text(counts: dict[str, int]) -> str:
    """Node counts in words, keyed by node type (``counts_by_type``) or by class (a build report).

    >>> entity_counts_text({"Paper": 2, "Method": 3, "MethodFamily": 1, "Dataset": 1})
    '2 papers, 3 methods, 1 method family, 1 dataset'
    >>> entity_counts_text(counts_by_type(_example()))
    '2 papers, 3 methods, 2 method families, 1 dataset'
    """
    by_type = {_CLASS_TYPES.get(k, k): v for k, v in counts.items()}
    return ", ".join(f"{by_type.get(t, 0)} {one if by_type.get(t, 0) == 1 else many}" for t, one, many in ENTITY_NAMES)


def counts_by_relation(g: nx.MultiDiGraph) -> dict[str, int]:
    """Number of edges of each relation.

    >>> counts_by_relation(_example())
    {'comparesTo': 2, 'evaluatesOn': 2, 'memberOf': 3, 'proposes': 1}
    """
    return dict(sorted(Counter(d.get("relation", "?") for *_, d in g.edges(data=True)).items()))


def top_by_degree(g: nx.MultiDiGraph, types: tuple[str, ...] = ("method", "family"), n: int = 10,
                  relations: tuple[str, ...] = EXTRACTED) -> list[tuple[str, int]]:
    """Entities of the given types with the most edges of the given relations, as (label, degree).
    Family links (memberOf) are not counted by default: they say what a method is, not how much
    it is discussed.

    >>> top_by_degree(_example(), n=2)
    [('ResNet', 2), ('ViT', 2)]
    """
    deg: Counter = Counter()
    for s, o, d in g.edges(data=True):
        if d.get("relation") in relations:
            deg[s] += 1
            deg[o] += 1
    rows = [(g.nodes[v]["label"], deg[v]) for v, t in g.nodes(data="type") if t in types]
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:n]


def _pagerank(h: nx.DiGraph) -> dict:
    try:
        return nx.pagerank(h, weight="weight")
    except ImportError:  # networkx's fast path needs scipy; the pure-Python one gives the same ranking
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
        return _pagerank_python(h, weight="weight")


def top_by_pagerank(g: nx.MultiDiGraph, n: int = 10, relation: str = "comparesTo") -> list[tuple[str, float]]:
    """The most influential methods: PageRank on the comparison network, where an edge points at
    the method compared against (being the baseline others measure themselves by ranks high).

    >>> top_by_pagerank(_example(), n=1)
    [('ResNet', 0.5745)]
    """
    h = nx.DiGraph()
    for s, o, d in g.edges(data=True):
        if d.get("relation") == relation:
            w = h.get_edge_data(s, o, {}).get("weight", 0)
            h.add_edge(s, o, weight=w + d.get("papers", 1))
    if h.number_of_nodes() == 0:
        return []
    rows = [(g.nodes[v]["label"], round(score, 4)) for v, score in _pagerank(h).items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:n]


def most_used_datasets(g: nx.MultiDiGraph, n: int = 10) -> list[tuple[str, int]]:
    """Datasets by number of papers evaluating on them.

    >>> most_used_datasets(_example())
    [('ImageNet-1K', 2)]
    """
    rows = [(g.nodes[v]["label"], sum(1 for _, _, d in g.in_edges(v, data=True) if d.get("relation") == "evaluatesOn"))
            for v, t in g.nodes(data="type") if t == "dataset"]
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:n]


def most_compared_pairs(g: nx.MultiDiGraph, n: int = 10) -> list[dict]:
    """Method pairs compared in the most papers, either direction, with the outcomes reported
    from the first method's side (``a``): "outperforms 2" says ``a`` outperforms ``b`` twice.

    >>> most_compared_pairs(_example(), n=1)
    [{'a': 'DeiT', 'b': 'ResNet', 'papers': 1, 'outcomes': {'comparable': 1}}]
    """
    pairs: dict[frozenset, dict] = {}
    for s, o, d in g.edges(data=True):
        if d.get("relation") != "comparesTo":
            continue
        key = frozenset((s, o))
        row = pairs.setdefault(key, {"a": g.nodes[s]["label"], "b": g.nodes[o]["label"], "papers": 0,
                                     "outcomes": Counter(), "_a": s})
        row["papers"] += d.get("papers", 1)
        flip = row["_a"] != s     # (by node: two nodes may share a label)
        for outcome in d.get("outcomes", []):
            row["outcomes"][_FLIP.get(outcome, outcome) if flip else outcome] += 1
    rows = sorted(pairs.values(), key=lambda r: (-r["papers"], r["a"], r["b"]))[:n]
    return [{"a": r["a"], "b": r["b"], "papers": r["papers"], "outcomes": dict(sorted(r["outcomes"].items()))}
            for r in rows]


def connected_components(g: nx.MultiDiGraph) -> dict[str, object]:
    """Number of weakly connected components and the sizes of the largest ones.

    >>> connected_components(_example())
    {'count': 1, 'largest': [8]}
    """
    sizes = sorted((len(c) for c in nx.weakly_connected_components(g)), reverse=True)
    return {"count": len(sizes), "largest": sizes[:5]}


def method_communities(g: nx.MultiDiGraph, n: int = 10, min_size: int = 3, seed: int = 42,
                       members: int = 10) -> list[dict]:
    """Communities of methods: Louvain on the comparison network (undirected, weighted by papers),
    so methods compared with each other more than with the rest fall together. Each community
    lists its best-connected members first and the families they belong to.

    >>> method_communities(_example(), min_size=2)
    [{'size': 3, 'members': ['ResNet', 'DeiT', 'ViT'], 'families': {'vision transformer': 2, 'CNN': 1}}]
    """
    weights: Counter = Counter()
    for s, o, d in g.edges(data=True):
        if d.get("relation") == "comparesTo" and s != o:
            weights[tuple(sorted((s, o)))] += d.get("papers", 1)
    # Louvain's result depends on the order nodes and edges were added, even with a seed: add
    # them sorted, so the graph read from the store and from graph.ttl give the same communities
    h = nx.Graph()
    h.add_nodes_from(sorted({v for pair in weights for v in pair}))
    h.add_weighted_edges_from((s, o, w) for (s, o), w in sorted(weights.items()))
    if h.number_of_edges() == 0:
        return []
    fams = families_of(g)
    out = []
    for community in nx.community.louvain_communities(h, weight="weight", seed=seed):
        if len(community) < min_size:
            continue
        ranked = sorted(community, key=lambda v: (-h.degree(v, weight="weight"), g.nodes[v]["label"]))
        families = Counter(f for v in community for f in fams.get(v, []))
        out.append({"size": len(community), "members": [g.nodes[v]["label"] for v in ranked[:members]],
                    "families": dict(sorted(families.items(), key=lambda kv: (-kv[1], kv[0])))})
    return sorted(out, key=lambda c: (-c["size"], c["members"]))[:n]


def families_of(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Node → the labels of its method families: a family node is its own family, a method has
    the families it is a member of (some have two: MobileViT is a vision transformer and a hybrid).

    >>> families_of(_example())["vit"], families_of(_example())["cnn"]
    (['vision transformer'], ['CNN'])
    """
    out: dict[str, set[str]] = defaultdict(set)
    for v, t in g.nodes(data="type"):
        if t == "family":
            out[v].add(g.nodes[v]["label"])
    for s, o, d in g.edges(data=True):
        if d.get("relation") == "memberOf" and g.nodes[o].get("type") == "family":
            out[s].add(g.nodes[o]["label"])
    return {v: sorted(f) for v, f in out.items()}


def family_matrix(g: nx.MultiDiGraph) -> dict:
    """How method families fare against each other, from every comparison statement whose two
    sides have a family. A cell (row, column) counts the statements from the row's side: "a
    vision transformer outperforms a CNN" adds an ``outperforms`` to (vision transformer, CNN)
    and an ``underperforms`` to (CNN, vision transformer); comparisons inside one family count
    once on the diagonal. Each cell lists the papers behind it: title, the two methods and the
    outcome as the paper put them, the sentence, and ``row_outcome``, the outcome from the row's
    side (papers where the row wins first).

    >>> m = family_matrix(_example())
    >>> m["families"], m["statements"], m["without_family"]
    (['CNN', 'vision transformer'], 2, 0)
    >>> cell = next(c for c in m["cells"] if c["row"] == "vision transformer" and c["column"] == "CNN")
    >>> cell["outperforms"], cell["comparable"], cell["underperforms"], cell["total"]
    (1, 1, 0, 2)
    >>> [p["title"] for p in cell["papers"]]
    ['P1', 'P2']
    """
    fams = families_of(g)
    cells: dict[tuple[str, str], dict] = {}
    statements = without = 0
    for s, o, d in g.edges(data=True):
        if d.get("relation") != "comparesTo":
            continue
        for support in d.get("supports", []):
            statements += 1
            if not fams.get(s) or not fams.get(o):
                without += 1
                continue
            outcome = support.get("outcome") or "compared"
            paper = {"title": support.get("paper", ""), "subject": g.nodes[s]["label"],
                     "object": g.nodes[o]["label"], "outcome": outcome, "evidence": support.get("evidence", "")}
            seen = set()      # a method in two families must not count one statement twice in a cell
            for fa in fams[s]:
                for fb in fams[o]:
                    seen.add((fa, fb, outcome))
                    if fa != fb:
                        seen.add((fb, fa, _FLIP.get(outcome, outcome)))
            for row, column, said in sorted(seen):
                _count(cells, row, column, said, paper)
    rows = sorted(cells.values(), key=lambda c: (-c["total"], c["row"], c["column"]))
    rank = {o: i for i, o in enumerate(OUTCOMES)}
    for c in rows:
        c["papers"].sort(key=lambda p: (rank.get(p["row_outcome"], 9), p["title"], p["subject"], p["object"]))
    totals: Counter = Counter()
    for c in rows:
        totals[c["row"]] += c["total"]
    return {"families": sorted(totals, key=lambda f: (-totals[f], f)), "statements": statements,
            "without_family": without, "cells": rows}


def _count(cells: dict, row: str, column: str, outcome: str, paper: dict) -> None:
    cell = cells.setdefault((row, column), {"row": row, "column": column, **dict.fromkeys(OUTCOMES, 0),
                                            "total": 0, "papers": []})
    cell[outcome if outcome in OUTCOMES else "compared"] += 1
    cell["total"] += 1
    cell["papers"].append({**paper, "row_outcome": outcome})


def best_by_family(boards: Iterable) -> list[dict]:
    """The best result of each method family on each (dataset, metric) board, from leaderboards
    already ranked best first in the metric's direction (:func:`kg.leaderboard.leaderboards`, or
    :func:`kg.graphview.result_boards` for every dataset): a family's best is its first row. A
    method in two families counts in both; results of methods with no family are counted apart.
    Each family entry keeps the method as the paper names it, the value, its rank on the whole
    board, the paper, the sentence, and every value of the family (for plots). Boards where more
    families meet come first.

    >>> from kg.leaderboard import Board, Row
    >>> rows = [Row(1, "ViT-L", "Vision Transformer", "88.5", "top-1 accuracy", "ImageNet-1K", "P1", "ViT-L reaches 88.5%."),
    ...         Row(2, "ResNet-152", "CNN", "87.0", "top-1 accuracy", "ImageNet-1K", "P2", "ResNet-152 gets 87.0%."),
    ...         Row(3, "DeiT-S", "Vision Transformer", "79.8", "top-1 accuracy", "ImageNet-1K", "P3", "DeiT-S: 79.8%.")]
    >>> [b] = best_by_family([Board("ImageNet-1K", "top-1 accuracy", True, rows)])
    >>> [(f["family"], f["method"], f["value"], f["rank"], f["values"]) for f in b["families"]]
    [('Vision Transformer', 'ViT-L', '88.5', 1, [88.5, 79.8]), ('CNN', 'ResNet-152', '87.0', 2, [87.0])]
    """
    out = []
    for board in boards:
        best: dict[str, dict] = {}
        without = 0
        for row in board.rows:                     # best first: the first row of a family is its best
            families = [f for f in row.family.split(", ") if f]
            if not families:
                without += 1
            for family in families:
                entry = best.get(family)
                if entry is None:
                    entry = best[family] = {"family": family, "method": row.method, "value": row.value,
                                            "rank": row.rank, "paper": row.paper, "evidence": row.evidence,
                                            "results": 0, "values": []}
                entry["results"] += 1
                entry["values"].append(float(row.value))
        if best:
            out.append({"dataset": board.dataset, "metric": board.metric, "higher_is_better": board.higher_is_better,
                        "results": len(board.rows), "without_family": without,
                        "families": sorted(best.values(), key=lambda f: (f["rank"], f["family"]))})
    return sorted(out, key=lambda b: (-len(b["families"]), -b["results"], b["dataset"], b["metric"]))


def summary(g: nx.MultiDiGraph, n: int = 10) -> dict[str, object]:
    """The metrics ``kg stats`` prints, in one dict.

    >>> sorted(summary(_example()))  # doctest: +NORMALIZE_WHITESPACE
    ['components', 'edges', 'most_compared_pairs', 'most_used_datasets', 'nodes', 'top_methods_by_degree',
     'top_methods_by_pagerank']
    """
    return {
        "nodes": counts_by_type(g),
        "edges": counts_by_relation(g),
        "top_methods_by_degree": top_by_degree(g, n=n),
        "top_methods_by_pagerank": top_by_pagerank(g, n=n),
        "most_used_datasets": most_used_datasets(g, n=n),
        "most_compared_pairs": most_compared_pairs(g, n=n),
        "components": connected_components(g),
    }

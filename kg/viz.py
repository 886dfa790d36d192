"""Interactive HTML views of the graph: self-contained, offline, safe, and usable on big graphs.

- Offline: vis-network's JavaScript and CSS (shipped inside the pyvis package) are inlined; the
  page loads nothing (no CDN, no pyvis menus), and its Content-Security-Policy forbids it anyway.
- Safe: paper text is untrusted, so it travels as JSON data (``<``, ``>``, ``&`` escaped) and
  tooltips are built with ``textContent``: no title or abstract can become markup or script.
- Big graphs: positions come from :mod:`kg.layout` and physics is off, so the browser only draws;
  above ``max_nodes`` the view keeps the most connected nodes and the page says so.
- Focused views (:class:`ViewOptions`): the neighbourhood of named nodes, some node types (a
  method–dataset map without papers), some relations (the comparison network alone).
- A readable first look: only the most connected nodes are labelled when the page opens (the
  others' labels appear as one zooms in), small components sit aside in a block of their own,
  and a node's tooltip says what the graph knows of it (a method: who proposes it, what it beats
  and loses to, on which datasets; a dataset: its papers and best results; a task: its papers).
"""
from __future__ import annotations

import html
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.graphview import (NODE_TYPES, VIEW_RELATIONS, EdgeInfo, PropertyGraph, _pairs, degrees, find_nodes,
                          most_connected, neighbourhood, property_graph, result_boards, select_relations, select_types,
                          similar_names)
from kg.layout import arrange
from kg.graph.iris import KGO

DEFAULT_MAX_NODES = 1500
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
TOOLTIP_PAPERS = 5        # papers and sentences per edge tooltip; the rest is counted
TOOLTIP_EVIDENCE = 3
TOOLTIP_NAMES = 6         # names per line of a node tooltip; the rest is counted
TOOLTIP_TITLES = 3        # paper titles per line of a node tooltip
TOOLTIP_METRICS = 3       # a dataset's metrics with their best results
TOOLTIP_BEST = 3          # best results per metric
LABELS_AT_OPEN = 24       # labelled nodes when the page opens: the most connected


class FocusNotFound(LookupError):
    """A --focus name that names no node (or none left by the other options)."""

    def __init__(self, name: str, suggestions: list[str], reason: str = "no node is called that"):
        self.name, self.suggestions, self.reason = name, suggestions, reason
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"{name!r}: {reason} (rdfs:label, skos:altLabel or dcterms:title, any case){hint}")


@dataclass(frozen=True)
class ViewOptions:
    focus: tuple[str, ...] = ()          # names of the nodes to centre on
    depth: int = 1                       # edges away from a focus node
    types: tuple[str, ...] = ()          # node types to keep (empty: all)
    relations: tuple[str, ...] = ()      # relations to keep (empty: all)
    max_nodes: int = DEFAULT_MAX_NODES   # above this, only the most connected nodes

    def __post_init__(self):
        bad_types = set(self.types) - set(NODE_TYPES)
        if bad_types:
            raise ValueError(f"unknown node type(s) {', '.join(sorted(bad_types))}; choose from {', '.join(NODE_TYPES)}")
        bad_rels = set(self.relations) - set(VIEW_RELATIONS)
        if bad_rels:
            raise ValueError(f"unknown relation(s) {', '.join(sorted(bad_rels))}; choose from {', '.join(VIEW_RELATIONS)}")
        if self.depth < 0 or self.max_nodes < 1:
            raise ValueError("depth must be ≥ 0 and max_nodes ≥ 1")

    def describe(self) -> str:
        parts = []
        if self.focus:
            parts.append(f"focus: {', '.join(self.focus)} (depth {self.depth})")
        if self.types:
            parts.append(f"types: {', '.join(self.types)}")
        if self.relations:
            parts.append(f"relations: {', '.join(self.relations)}")
        return " · ".join(parts)


@dataclass
class View:
    """What a page shows: the property graph cut to the options, and what was left out."""
    pg: PropertyGraph
    options: ViewOptions
    total_nodes: int                        # nodes matching the options before the max_nodes cut
    total_by_type: dict[str, int]           # the same, by node type
    degree: dict[str, int]                  # degree before the cut: sizes reflect the whole view
    centres: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: dict[str, list[str]] = field(default_factory=dict)   # node → what its tooltip says of it

    @property
    def truncated(self) -> bool:
        return len(self.pg.nodes) < self.total_nodes


def build_view(graph: Graph, options: ViewOptions = ViewOptions()) -> View:
    """Apply the options to the graph. Raises :class:`FocusNotFound` for a name that finds nothing."""
    centres = _focus_nodes(graph, options.focus)          # before loading everything: fail fast
    pg = whole = property_graph(graph)
    if options.types:
        pg = select_types(pg, options.types)
    if options.relations:
        pg = select_relations(pg, options.relations)
    if centres:
        shown = [c for c in centres if c in pg.nodes]
        if not shown:
            raise FocusNotFound(", ".join(options.focus), [], "is not in the view that --types / --relation leave")
        pg = neighbourhood(pg, shown, options.depth)
        centres = shown
    total, deg = len(pg.nodes), degrees(pg)
    by_type = dict(Counter(d["type"] for d in pg.nodes.values()))
    notes = []
    if total > options.max_nodes:
        pg = most_connected(pg, options.max_nodes, keep=centres)
        notes.append(f"showing {len(pg.nodes):,} of {total:,} nodes, the most connected; "
                     "use --focus / --max-nodes to see others"
                     + (" (dashed method → dataset edges stand for papers left out)"
                        if _papers_cut(pg, by_type) else ""))
    if not pg.nodes:
        notes.append("nothing to show: no node matches these options")
    # tooltips tell what the whole graph knows, whatever the view leaves out
    facts = node_facts(whole, pg.nodes.keys(), result_boards(graph) if pg.nodes else {},
                       dict(_pairs(graph, KGO.method)))
    return View(pg, options, total, by_type, deg, centres, notes, facts)


def _papers_cut(pg: PropertyGraph, by_type: dict[str, int]) -> bool:
    shown = sum(1 for d in pg.nodes.values() if d["type"] == "paper")
    return shown < by_type.get("paper", 0) and any(e.derived for e in pg.edges.values())


def _focus_nodes(graph: Graph, names: tuple[str, ...]) -> list[str]:
    centres: list[str] = []
    for name in names:
        hits = find_nodes(graph, name)
        if not hits:
            raise FocusNotFound(name, similar_names(graph, name))
        centres.extend(h for h in hits if h not in centres)
    return centres


# --------------------------------------------------------------------------- page data

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


# --------------------------------------------------------------------------- what a tooltip says

_WIN = {"outperforms": "beats", "underperforms": "loses to", "comparable": "on par with"}
_FLIPPED = {"outperforms": "underperforms", "underperforms": "outperforms"}
_SIDES = (("beats", "beats"), ("loses to", "loses to"), ("on par with", "on par with"),
          ("compared with", "compared with (no winner stated)"))


def _names(counts: Counter, limit: int = TOOLTIP_NAMES) -> str:
    """Most frequent first: "ResNet ×3, VGG, DeiT (+4 more)"."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))
    text = ", ".join(f"{name} \u00d7{n}" if n > 1 else name for name, n in ranked[:limit])
    return text + (f" (+{len(ranked) - limit} more)" if len(ranked) > limit else "")


def _titles(titles: list[str], limit: int = TOOLTIP_TITLES) -> list[str]:
    distinct = sorted(set(titles), key=lambda t: (t.casefold(), t))
    lines = ["\u2022 " + (t if len(t) <= 90 else t[:89] + "\u2026") for t in distinct[:limit]]
    return lines + ([f"  \u2026 and {len(distinct) - limit} more"] if len(distinct) > limit else [])


def node_facts(pg: PropertyGraph, nodes, boards: dict[str, list], result_method: dict[str, str]) -> dict[str, list[str]]:
    """What the graph knows of each node in ``nodes``, as tooltip lines (plain text): a method or
    family: who proposes it, its family or members, what it beats, loses to, is on par with,
    the datasets it is evaluated on and its results; a dataset: the papers evaluating on it and
    its best results per metric (ranked by :func:`kg.leaderboard.leaderboards`); a task: the
    papers addressing it and the datasets they use; a paper: what it proposes, evaluates on,
    addresses and compares. ``boards``: dataset → its boards; ``result_method``: result → method."""
    label = {iri: d["label"] for iri, d in pg.nodes.items()}
    kind = {iri: d["type"] for iri, d in pg.nodes.items()}
    out_edges: dict[str, list] = {}
    in_edges: dict[str, list] = {}
    for (s, rel, o), edge in pg.edges.items():
        out_edges.setdefault(s, []).append((rel, o, edge))
        in_edges.setdefault(o, []).append((rel, s, edge))
    claims_of: dict[str, list[str]] = {}       # paper → the comparisons it states
    for (s, rel, o), edge in sorted(pg.edges.items()):
        if rel == "comparesTo":
            for support in edge.supports:
                verb = {"outperforms": "outperforms", "underperforms": "trails", "comparable": "is on par with"}
                claims_of.setdefault(support.paper, []).append(
                    f"{label[s]} {verb.get(support.outcome or '', 'is compared with')} {label[o]}")
    results_of: dict[str, list] = {}           # method → (board size, row)
    for rows in boards.values():
        for board in rows:
            for row in board.rows:
                method = result_method.get(row.result)
                if method:
                    results_of.setdefault(method, []).append((len(board.rows), row))
    facts: dict[str, list[str]] = {}
    for n in nodes:
        if n not in pg.nodes:
            continue
        lines: list[str] = []
        outs, ins = out_edges.get(n, []), in_edges.get(n, [])
        k = kind[n]
        if k in ("method", "family"):
            proposers = [label[s] for rel, s, _ in ins if rel == "proposes"]
            if proposers:
                lines.append(f"proposed in ({len(set(proposers))}):")
                lines += _titles(proposers)
            families = Counter(label[o] for rel, o, _ in outs if rel == "memberOf")
            members = Counter(label[s] for rel, s, _ in ins if rel == "memberOf")
            if families:
                lines.append("family: " + _names(families))
            if members:
                lines.append(f"members ({len(members)}): " + _names(members))
            sides: dict[str, Counter] = {name: Counter() for name, _ in _SIDES}
            for rel, other, edge, mine in [(r, o, e, True) for r, o, e in outs] + [(r, s, e, False) for r, s, e in ins]:
                if rel != "comparesTo" or other == n:
                    continue
                for support in edge.supports:
                    outcome = support.outcome or "compared"
                    if not mine:
                        outcome = _FLIPPED.get(outcome, outcome)
                    sides[_WIN.get(outcome, "compared with")][label[other]] += 1
            for name, text in _SIDES:
                if sides[name]:
                    lines.append(f"{text}: " + _names(sides[name]))
            datasets = Counter(label[d] for rel, p, _ in ins if rel == "proposes"
                               for r2, d, _ in out_edges.get(p, []) if r2 == "evaluatesOn")
            for _, row in results_of.get(n, []):
                if row.dataset not in datasets:          # a result's dataset counts once, beside the papers'
                    datasets[row.dataset] = 1
            if datasets:
                lines.append("evaluated on: " + _names(datasets))
            mine = sorted(results_of.get(n, []), key=lambda sr: (sr[1].rank / sr[0], sr[1].dataset, sr[1].metric))
            for size, row in mine[:TOOLTIP_BEST]:
                lines.append(f"result: {row.method} {row.value} {row.metric} on {row.dataset} (rank {row.rank} of {size})")
        elif k == "dataset":
            papers = [label[s] for rel, s, _ in ins if rel == "evaluatesOn"]
            if papers:
                lines.append(f"papers evaluating on it ({len(set(papers))}):")
                lines += _titles(papers)
            shown = boards.get(n, [])
            if shown:
                lines.append("best results:")
                for board in shown[:TOOLTIP_METRICS]:
                    best = " \u00b7 ".join(f"{r.method} {r.value}" for r in board.rows[:TOOLTIP_BEST])
                    more = len(board.rows)
                    lines.append(f"{board.metric} ({more} result{'s' if more != 1 else ''}): {best}")
                if len(shown) > TOOLTIP_METRICS:
                    lines.append(f"  \u2026 and {len(shown) - TOOLTIP_METRICS} more metrics (kg leaderboard)")
        elif k == "task":
            papers = [s for rel, s, _ in ins if rel == "addressesTask"]
            if papers:
                lines.append(f"papers addressing it ({len(set(papers))}):")
                lines += _titles([label[p] for p in papers])
                datasets = Counter(label[d] for p in set(papers) for rel, d, _ in out_edges.get(p, [])
                                   if rel == "evaluatesOn")
                if datasets:
                    lines.append("their datasets: " + _names(datasets))
        elif k == "paper":
            for rel, text in (("proposes", "proposes"), ("evaluatesOn", "evaluates on"), ("addressesTask", "tasks")):
                names = Counter(label[o] for r, o, _ in outs if r == rel)
                if names:
                    lines.append(f"{text}: " + _names(names))
            claims = claims_of.get(n, [])
            lines += [f"claims: {c}" for c in claims[:TOOLTIP_BEST]]
            if len(claims) > TOOLTIP_BEST:
                lines.append(f"  \u2026 and {len(claims) - TOOLTIP_BEST} more comparisons")
        facts[n] = lines
    return facts


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


def _json_for_script(data: object) -> str:
    """JSON that is safe inside a <script> element, whatever strings it carries."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the page

def _legend(view: View) -> str:
    shown = Counter(d["type"] for d in view.pg.nodes.values())
    rows = ['<li class="title">nodes (size: connections)</li>']
    for kind, (colour, _, name) in STYLE.items():
        total = view.total_by_type.get(kind, 0)
        count = f"{shown[kind]:,}" if shown[kind] == total else f"{shown[kind]:,} of {total:,}"
        rows.append(f'<li><i class="shape-{kind}" style="background:{colour}"></i>{html.escape(name)} ({count})</li>')
    rows.append('<li class="title">edges (arrow: subject → object)</li>')
    rows += [f'<li><b style="background:{c}"></b>{html.escape(name)}</li>' for c, name in EDGE_STYLE.values()]
    rows.append('<li class="title">dashed: family link, or derived</li>')
    return "".join(rows)


def render_view(view: View, title: str = "Paper knowledge graph") -> str:
    """The whole page for a view, as a string."""
    nodes, edges, aside = network_data(view)
    js, css = _vis_assets()
    subtitle = view.options.describe()
    counts = f"{len(nodes):,} nodes, {len(edges):,} edges"
    notes = "".join(f'<p class="note" role="status">{html.escape(n)}</p>' for n in view.notes)
    return _PAGE.format(
        title=html.escape(title), css=css, js=js, legend=_legend(view), notes=notes,
        subtitle=html.escape(f"{subtitle} · {counts}" if subtitle else counts),
        data=_json_for_script({"nodes": nodes, "edges": edges, "aside": aside, "labels": LABELS_AT_OPEN,
                               "big": len(nodes) + len(edges) > 4000}),
    )


def render_html(graph: Graph, title: str = "Paper knowledge graph", options: ViewOptions = ViewOptions()) -> str:
    """The page for ``graph`` under ``options`` (default: the whole graph, up to the threshold)."""
    return render_view(build_view(graph, options), title)


def write_html(graph: Graph, path: str | Path, options: ViewOptions = ViewOptions()) -> Path:
    path = Path(path)
    path.write_text(render_html(graph, options=options), encoding="utf-8")
    return path


def show_inline(graph: Graph, height: int = 600, options: ViewOptions = ViewOptions()):
    """Display the page inline in Jupyter (an iframe with the page as ``srcdoc``)."""
    from IPython.display import HTML  # Jupyter is optional; imported only here

    page = html.escape(render_html(graph, options=options), quote=True)
    return HTML(f'<iframe srcdoc="{page}" style="width:100%;height:{height}px;border:0"></iframe>')


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 0; color: #111827; }}
header {{ padding: 6px 12px; border-bottom: 1px solid #e5e7eb; display: flex; gap: 14px; flex-wrap: wrap; align-items: center; }}
header small {{ color: #4b5563; }}
#search {{ width: 16em; padding: 3px 6px; }}
#search-status {{ color: #4b5563; min-width: 6em; }}
.note {{ margin: 0; padding: 6px 12px; background: #fef3c7; border-bottom: 1px solid #f59e0b; font-weight: 600; }}
main {{ display: flex; height: calc(100vh - 44px); }}
#graph {{ flex: 1; min-width: 0; height: 100%; }}
#legend {{ flex: 0 0 auto; margin: 0; padding: 10px 14px; list-style: none; border-left: 1px solid #e5e7eb;
  background: #f9fafb; font-size: 12px; line-height: 1.8; overflow-y: auto; }}
#legend .title {{ font-weight: 600; margin-top: 4px; }}
#legend i, #legend b {{ display: inline-block; width: 11px; height: 11px; margin-right: 6px; vertical-align: middle; }}
#legend .shape-paper, #legend .shape-method {{ border-radius: 50%; }}
#legend .shape-family {{ transform: rotate(45deg) scale(.85); }}
#legend b {{ width: 18px; height: 3px; }}
.tip {{ max-width: 440px; white-space: normal; font: 13px system-ui, sans-serif; }}
.tip .head {{ font-weight: 600; }}
.tip .ev {{ color: #374151; font-style: italic; margin-top: 4px; }}
.tip .meta {{ color: #6b7280; }}
.tip .fact {{ margin-top: 3px; }}
.tip .item {{ color: #374151; padding-left: 8px; }}
</style></head>
<body><header><strong>{title}</strong><small id="kg-view">{subtitle}</small>
<input id="search" type="search" list="kg-names" placeholder="search a node, Enter…" aria-label="search a node">
<datalist id="kg-names"></datalist><span id="search-status"></span></header>
{notes}<main><div id="graph"></div><ul id="legend" aria-label="legend">{legend}</ul></main>
<script>{js}</script>
<script id="kg-data" type="application/json">{data}</script>
<script>
(function () {{
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = {{}};
  data.nodes.forEach(function (n) {{ byId[n.id] = n; }});
  // tooltips are DOM built with textContent: paper text never becomes markup
  function tip(lines) {{
    var div = document.createElement("div"); div.className = "tip";
    lines.forEach(function (l) {{ var p = document.createElement("div"); if (l[1]) p.className = l[1]; p.textContent = l[0]; div.appendChild(p); }});
    return div;
  }}
  var KIND = {{ paper: "paper", method: "method", family: "method family", dataset: "dataset", task: "task" }};
  data.nodes.forEach(function (n) {{
    var lines = [[n.full, "head"], [KIND[n.kind] + " \\u00b7 " + n.deg + " connection" + (n.deg === 1 ? "" : "s"), "meta"]];
    n.info.forEach(function (l) {{ lines.push([l, /^\\s*[\\u2022\\u2026]/.test(l) ? "item" : "fact"]); }});
    n.title = tip(lines);
  }});
  data.edges.forEach(function (e) {{
    var a = byId[e.from].full, b = byId[e.to].full, lines = [];
    var counts = Object.keys(e.outcomes).map(function (k) {{ return k + " \\u00d7" + e.outcomes[k]; }}).join(", ");
    lines.push([a + " \\u2192 " + e.rel + (counts ? " (" + counts + ")" : "") + " \\u2192 " + b, "head"]);
    if (e.derived) lines.push(["derived: papers that propose the one and evaluate on the other", "meta"]);
    e.papers.forEach(function (p) {{ lines.push(["paper: " + p]); }});
    if (e.morePapers) lines.push(["\\u2026 and " + e.morePapers + " more paper" + (e.morePapers === 1 ? "" : "s"), "meta"]);
    e.evidence.forEach(function (s) {{ lines.push(["\\u201c" + s + "\\u201d", "ev"]); }});
    e.title = tip(lines); e.arrows = e.rel === "memberOf" ? "" : "to";
    // comparisons carry the story; the links to papers, datasets and tasks stay in the background
    e.color = {{ color: e.color, highlight: e.color, hover: e.color, opacity: e.rel === "comparesTo" ? 0.95 : 0.45 }};
  }});
  var container = document.getElementById("graph");
  var nodeSet = new vis.DataSet(data.nodes);
  var net = new vis.Network(container, {{ nodes: nodeSet, edges: new vis.DataSet(data.edges) }}, {{
    physics: false,                       // positions come from Python: nothing to simulate
    layout: {{ improvedLayout: false }},
    nodes: {{ font: {{ size: 14 }}, borderWidth: 1 }},
    edges: {{ smooth: false, arrows: {{ to: {{ scaleFactor: 0.5 }} }} }},
    interaction: {{ hover: true, tooltipDelay: 80, hideEdgesOnDrag: data.big, hideEdgesOnZoom: data.big }}
  }});
  // The opening view: everything in sight; the most connected nodes labelled at a readable
  // size where their labels do not overlap, every other label hidden until zooming in makes it
  // readable (vis-network draws a label once its size on screen reaches drawThreshold - 1).
  var READABLE = 11;
  var measure = document.createElement("canvas").getContext("2d");
  function overlaps(a, b) {{ return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }}
  function opening() {{
    net.fit({{ animation: false }});
    var s = net.getScale(), placed = [], shown = {{}};
    data.nodes.filter(function (n) {{ return n.labelRank >= 0; }})
      .sort(function (a, b) {{ return a.labelRank - b.labelRank; }})
      .forEach(function (n) {{
        if (placed.length >= data.labels && data.nodes.length > data.labels) return;
        var px = Math.min(Math.max(n.font.size * s, READABLE + 2), LARGEST);   // on screen
        measure.font = px + "px arial";
        var w = measure.measureText(n.label).width / s, h = 1.3 * px / s, top = n.y + n.size;
        var box = [n.x - w / 2 - 2 / s, top, n.x + w / 2 + 2 / s, top + h];
        if (placed.some(function (b) {{ return overlaps(b, box); }})) return;
        placed.push(box); shown[n.id] = true;
      }});
    nodeSet.update(data.nodes.map(function (n) {{
      if (shown[n.id]) return {{ id: n.id }};
      return {{ id: n.id, scaling: {{ label: {{ drawThreshold: Math.max(READABLE, 1.25 * n.font.size * s + 1) }} }} }};
    }}));
    window.kgOpeningScale = s;
    window.kgOpeningLabels = Object.keys(shown).map(Number);
    labelled = shown;
    resize();
  }}
  // Label sizes follow the zoom: the opening labels never shrink below readable, and no label
  // grows past LARGEST px on screen when zooming in (vis-network would scale them without end).
  var LARGEST = 22, labelled = {{}}, current = {{}}, pending = false, sizedAt = 0;
  function resize() {{
    pending = false;
    var s = sizedAt = net.getScale(), changes = [];
    data.nodes.forEach(function (n) {{
      var px = n.font.size * s;
      if (labelled[n.id]) px = Math.max(px, READABLE + 2);
      px = Math.min(px, LARGEST);
      var size = px / s;
      if (Math.abs((current[n.id] || n.font.size) - size) > 0.02 * size) {{
        current[n.id] = size;
        changes.push({{ id: n.id, font: Object.assign({{}}, n.font, {{ size: size }}) }});
      }}
    }});
    if (changes.length) nodeSet.update(changes);
  }}
  // after any change of scale (the wheel, a search framing its hits, a script's moveTo)
  net.on("afterDrawing", function () {{
    if (!pending && net.getScale() !== sizedAt) {{ pending = true; requestAnimationFrame(resize); }}
  }});
  opening();
  // the small components, in their own block, with a caption
  if (data.aside.box) net.on("beforeDrawing", function (ctx) {{
    var b = data.aside.box, s = net.getScale();
    ctx.save();
    ctx.fillStyle = "#f8fafc"; ctx.strokeStyle = "#cbd5e1"; ctx.lineWidth = 1 / s;
    ctx.fillRect(b[0], b[1], b[2] - b[0], b[3] - b[1]); ctx.strokeRect(b[0], b[1], b[2] - b[0], b[3] - b[1]);
    ctx.fillStyle = "#475569"; ctx.font = (12 / s) + "px system-ui, sans-serif"; ctx.textBaseline = "bottom";
    data.aside.caption.forEach(function (line, i, all) {{ ctx.fillText(line, b[0], b[1] - (4 + 15 * (all.length - 1 - i)) / s); }});
    ctx.restore();
  }});
  net.once("afterDrawing", function () {{
    window.kgReadyAt = performance.now();
    window.kgReady = true;
    container.setAttribute("data-ready", "true");
  }});
  // search: exact name first, else every node whose name contains the text
  var names = document.getElementById("kg-names");
  data.nodes.filter(function (n) {{ return n.kind !== "paper"; }}).forEach(function (n) {{
    var o = document.createElement("option"); o.value = n.full; names.appendChild(o);
  }});
  var status = document.getElementById("search-status");
  function search(text) {{
    var q = text.trim().toLowerCase();
    if (!q) {{ status.textContent = ""; net.unselectAll(); return []; }}
    var exact = data.nodes.filter(function (n) {{ return n.full.toLowerCase() === q; }});
    var hits = (exact.length ? exact : data.nodes.filter(function (n) {{ return n.full.toLowerCase().indexOf(q) >= 0; }}))
      .map(function (n) {{ return n.id; }});
    status.textContent = hits.length ? hits.length + " found" : "no match";
    if (hits.length) {{ net.selectNodes(hits); net.fit({{ nodes: hits, animation: false, maxZoomLevel: 1.5 }}); }}
    return hits;
  }}
  document.getElementById("search").addEventListener("change", function (ev) {{ search(ev.target.value); }});
  window.kgSearch = search;
  window.kgNetwork = net;
}})();
</script></body></html>
"""

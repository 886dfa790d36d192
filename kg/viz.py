"""Interactive HTML views of the graph: self-contained, offline, safe, and usable on big graphs.

- Offline: vis-network's JavaScript and CSS (shipped inside the pyvis package) are inlined; the
  page loads nothing (no CDN, no pyvis menus), and its Content-Security-Policy forbids it anyway.
- Safe: paper text is untrusted, so it travels as JSON data (``<``, ``>``, ``&`` escaped) and
  tooltips are built with ``textContent``: no title or abstract can become markup or script.
- Big graphs: positions come from :mod:`kg.layout` and physics is off, so the browser only draws;
  above ``max_nodes`` the view keeps the most connected nodes and the page says so.
- Focused views (:class:`ViewOptions`): the neighbourhood of named nodes, some node types (a
  method–dataset map without papers), some relations (the comparison network alone).
"""
from __future__ import annotations

import html
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.graphview import (NODE_TYPES, VIEW_RELATIONS, EdgeInfo, PropertyGraph, degrees, find_nodes, most_connected,
                          neighbourhood, property_graph, select_relations, select_types, similar_names)
from kg.layout import layout

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
    "compared": ("#64748b", "compared with (no winner stated)"),
}
TOOLTIP_PAPERS = 5        # papers and sentences per edge tooltip; the rest is counted
TOOLTIP_EVIDENCE = 3


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

    @property
    def truncated(self) -> bool:
        return len(self.pg.nodes) < self.total_nodes


def build_view(graph: Graph, options: ViewOptions = ViewOptions()) -> View:
    """Apply the options to the graph. Raises :class:`FocusNotFound` for a name that finds nothing."""
    centres = _focus_nodes(graph, options.focus)          # before loading everything: fail fast
    pg = property_graph(graph)
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
    return View(pg, options, total, by_type, deg, centres, notes)


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
    """The most reported outcome (ties: the more cautious one, listed later in EDGE_STYLE)."""
    if not outcomes:
        return ""
    counts = Counter(outcomes)
    order = list(EDGE_STYLE)
    return max(counts, key=lambda o: (counts[o], order.index(o) if o in order else -1))


def _node_size(kind: str, degree: int) -> float:
    base = 5 if kind == "paper" else 9
    return round(min(48.0, base + 3.2 * math.sqrt(degree)), 1)


def _font(kind: str, degree: int) -> dict:
    """Hubs get big labels, so the zoomed-out map names them; vis-network skips labels that
    would be drawn smaller than 5 px, so the small ones appear as one zooms in."""
    if kind == "paper":
        return {"size": 10, "color": "#475569"}
    return {"size": round(min(48.0, 12 + 3.5 * math.sqrt(degree))), "strokeWidth": 4, "strokeColor": "#ffffff"}


def network_data(view: View) -> tuple[list[dict], list[dict]]:
    """Nodes and edges in vis-network form, with positions and the text tooltips are built from."""
    pg = view.pg
    ids = {iri: i for i, iri in enumerate(pg.nodes)}
    sizes = {iri: _node_size(d["type"], view.degree.get(iri, 0)) for iri, d in pg.nodes.items()}
    pos = layout(ids.values(), ((ids[s], ids[o]) for s, _, o in pg.edges),
                 radius={ids[iri]: size for iri, size in sizes.items()})
    centres = set(view.centres)
    nodes = []
    for iri, i in ids.items():
        kind, full = pg.nodes[iri]["type"], pg.nodes[iri]["label"]
        colour, shape, _ = STYLE[kind]
        short = full if kind != "paper" or len(full) <= 40 else full[:39] + "…"
        deg = view.degree.get(iri, 0)
        node = {"id": i, "label": short, "full": full, "kind": kind, "iri": iri, "deg": deg,
                "x": pos[i][0], "y": pos[i][1], "size": sizes[iri], "shape": shape,
                "color": colour}
        node["font"] = _font(kind, deg)
        if iri in centres:
            node["borderWidth"], node["color"] = 4, {"background": colour, "border": "#111827"}
        nodes.append(node)
    edges = [_edge(ids[s], ids[o], info) for (s, _, o), info in pg.edges.items()]
    nodes.sort(key=lambda n: (n["size"], n["id"]))      # vis-network draws in order: hubs on top
    return nodes, edges


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
    nodes, edges = network_data(view)
    js, css = _vis_assets()
    subtitle = view.options.describe()
    counts = f"{len(nodes):,} nodes, {len(edges):,} edges"
    notes = "".join(f'<p class="note" role="status">{html.escape(n)}</p>' for n in view.notes)
    return _PAGE.format(
        title=html.escape(title), css=css, js=js, legend=_legend(view), notes=notes,
        subtitle=html.escape(f"{subtitle} · {counts}" if subtitle else counts),
        data=_json_for_script({"nodes": nodes, "edges": edges, "big": len(nodes) + len(edges) > 4000}),
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
.tip {{ max-width: 440px; white-space: normal; font-size: 13px; }}
.tip .head {{ font-weight: 600; }}
.tip .ev {{ color: #374151; font-style: italic; margin-top: 4px; }}
.tip .meta {{ color: #6b7280; }}
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
    n.title = tip([[n.full, "head"], [KIND[n.kind] + " \\u00b7 " + n.deg + " connection" + (n.deg === 1 ? "" : "s"), "meta"]]);
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
  }});
  var container = document.getElementById("graph");
  var net = new vis.Network(container, {{ nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }}, {{
    physics: false,                       // positions come from Python: nothing to simulate
    layout: {{ improvedLayout: false }},
    nodes: {{ font: {{ size: 14 }}, borderWidth: 1 }},
    edges: {{ smooth: false, arrows: {{ to: {{ scaleFactor: 0.5 }} }} }},
    interaction: {{ hover: true, tooltipDelay: 80, hideEdgesOnDrag: data.big, hideEdgesOnZoom: data.big }}
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

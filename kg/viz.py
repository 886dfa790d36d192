"""Interactive HTML of the graph: pyvis builds the network, the page is self-contained.

The page works offline: vis-network's JavaScript and CSS (shipped inside the pyvis package) are
inlined, nothing is loaded from a CDN. Paper text is untrusted, so it travels as JSON data
(with ``<``, ``>`` and ``&`` escaped) and tooltips are built with ``textContent``: no title or
abstract can become markup or script.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from rdflib import Graph

from kg.graphview import PropertyGraph, property_graph

STYLE = {  # type → (colour, shape)
    "paper": ("#9aa5b1", "dot"),
    "method": ("#3b82f6", "dot"),
    "family": ("#8b5cf6", "diamond"),
    "dataset": ("#f59e0b", "square"),
}
EDGE_COLOURS = {
    "proposes": "#3b82f6",
    "evaluatesOn": "#f59e0b",
    "outperforms": "#16a34a",
    "comparable": "#64748b",
    "underperforms": "#dc2626",
    "compared": "#94a3b8",
}


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _json_for_script(data: object) -> str:
    """JSON that is safe inside a <script> element, whatever strings it carries."""
    return (json.dumps(data, ensure_ascii=False)
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def network_data(pg: PropertyGraph) -> tuple[list[dict], list[dict]]:
    """Nodes and edges in vis-network form, built with pyvis."""
    from pyvis.network import Network

    degree: dict[str, int] = {}
    for s, _, o in pg.edges:
        degree[s] = degree.get(s, 0) + 1
        degree[o] = degree.get(o, 0) + 1
    net = Network(directed=True, cdn_resources="in_line")
    ids = {iri: i for i, iri in enumerate(sorted(pg.nodes))}
    for iri in sorted(pg.nodes):
        node = pg.nodes[iri]
        colour, shape = STYLE[node["type"]]
        label = node["label"] if node["type"] != "paper" else node["label"][:40] + ("…" if len(node["label"]) > 40 else "")
        net.add_node(ids[iri], label=label, color=colour, shape=shape,
                     size=8 + min(30, 2 * degree.get(iri, 0)), group=node["type"])
    edges = []
    for (s, rel, o), info in sorted(pg.edges.items()):
        outcome = max(set(info.outcomes), key=info.outcomes.count) if info.outcomes else ""
        colour = EDGE_COLOURS.get(outcome or rel, "#94a3b8")
        net.add_edge(ids[s], ids[o], color=colour, width=1 + min(5, len(info.papers)))
        edges.append({"rel": rel, "outcome": outcome, "papers": info.papers[:5], "evidence": info.evidence[:3]})
    nodes, vis_edges, *_ = net.get_network_data()
    inv = {i: iri for iri, i in ids.items()}
    for n in nodes:
        data = pg.nodes[inv[n["id"]]]
        n["kind"] = data["type"]
        n["full"] = data["label"]
        n["iri"] = inv[n["id"]]
    for e, extra in zip(vis_edges, edges):
        e.update(extra)
        e.pop("title", None)
    return nodes, vis_edges


def render_html(graph: Graph, title: str = "Paper knowledge graph") -> str:
    """The whole page as a string."""
    pg = property_graph(graph)
    nodes, edges = network_data(pg)
    js, css = _vis_assets()
    counts = {k: sum(1 for n in pg.nodes.values() if n["type"] == k) for k in STYLE}
    legend = "".join(
        f'<span class="key"><i style="background:{c}"></i>{html.escape(k)} ({counts[k]})</span>'
        for k, (c, _) in STYLE.items())
    legend += "".join(f'<span class="key"><b style="background:{c}"></b>{html.escape(k)}</span>'
                      for k, c in EDGE_COLOURS.items())
    return _PAGE.format(
        title=html.escape(title), css=css, js=js, legend=legend,
        data=_json_for_script({"nodes": nodes, "edges": edges}),
    )


def write_html(graph: Graph, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_html(graph), encoding="utf-8")
    return path


def show_inline(graph: Graph, height: int = 600):
    """Display the page inline in Jupyter (an iframe with the page as ``srcdoc``)."""
    from IPython.display import HTML  # Jupyter is optional; imported only here

    page = html.escape(render_html(graph), quote=True)
    return HTML(f'<iframe srcdoc="{page}" style="width:100%;height:{height}px;border:0"></iframe>')


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{css}</style>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 0; }}
header {{ padding: 6px 10px; border-bottom: 1px solid #ddd; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }}
.key i, .key b {{ display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }}
.key b {{ height: 3px; }}
#graph {{ width: 100%; height: calc(100vh - 48px); }}
.tip {{ max-width: 420px; white-space: normal; }}
.tip .ev {{ color: #444; font-style: italic; margin-top: 4px; }}
</style></head>
<body><header><strong>{title}</strong><input id="search" placeholder="search a node…"> {legend}</header>
<div id="graph"></div>
<script>{js}</script>
<script id="kg-data" type="application/json">{data}</script>
<script>
(function () {{
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  function tip(lines) {{
    var div = document.createElement("div"); div.className = "tip";
    lines.forEach(function (l) {{ var p = document.createElement("div"); if (l[1]) p.className = l[1]; p.textContent = l[0]; div.appendChild(p); }});
    return div;
  }}
  data.nodes.forEach(function (n) {{ n.title = tip([[n.full], [n.kind, "ev"]]); }});
  data.edges.forEach(function (e) {{
    var lines = [[e.rel + (e.outcome ? " (" + e.outcome + ")" : "")]];
    e.papers.forEach(function (p) {{ lines.push(["paper: " + p]); }});
    e.evidence.forEach(function (s) {{ lines.push(["\\u201c" + s + "\\u201d", "ev"]); }});
    e.title = tip(lines); e.arrows = "to";
  }});
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var net = new vis.Network(document.getElementById("graph"), {{nodes: nodes, edges: edges}}, {{
    physics: {{ stabilization: {{ iterations: 200 }}, barnesHut: {{ gravitationalConstant: -3000 }} }},
    interaction: {{ hover: true, tooltipDelay: 100 }}, edges: {{ smooth: false }}
  }});
  net.once("stabilizationIterationsDone", function () {{ net.setOptions({{ physics: false }}); }});
  document.getElementById("search").addEventListener("change", function (ev) {{
    var q = ev.target.value.toLowerCase();
    var hit = data.nodes.filter(function (n) {{ return n.full.toLowerCase().indexOf(q) >= 0; }}).map(function (n) {{ return n.id; }});
    if (hit.length) {{ net.selectNodes(hit); net.fit({{ nodes: hit, animation: true }}); }}
  }});
  window.kgNetwork = net;
}})();
</script></body></html>
"""

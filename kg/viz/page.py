"""The HTML page: one self-contained file with vis-network's JavaScript and CSS inlined (from the
pyvis package), the view's data as JSON, the legend, the search box and the opening view."""
from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path

from kg.viz.network import EDGE_STYLE, LABELS_AT_OPEN, STYLE, network_data
from kg.viz.view import View


def _json_for_script(data: object) -> str:
    """JSON that is safe inside a <script> element, whatever strings it carries."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


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

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
from pathlib import Path

from rdflib import Graph

from kg.viz.network import EDGE_STYLE, LABELS_AT_OPEN, STYLE, network_data
from kg.viz.page import render_view
from kg.viz.tooltips import (TOOLTIP_BEST, TOOLTIP_EVIDENCE, TOOLTIP_METRICS, TOOLTIP_NAMES, TOOLTIP_PAPERS,
                             TOOLTIP_TITLES, node_facts)
from kg.viz.view import DEFAULT_MAX_NODES, FocusNotFound, View, ViewOptions, build_view

__all__ = [
    "DEFAULT_MAX_NODES", "EDGE_STYLE", "LABELS_AT_OPEN", "STYLE", "TOOLTIP_BEST", "TOOLTIP_EVIDENCE",
    "TOOLTIP_METRICS", "TOOLTIP_NAMES", "TOOLTIP_PAPERS", "TOOLTIP_TITLES", "FocusNotFound", "View",
    "ViewOptions", "build_view", "network_data", "node_facts", "render_html", "render_view", "show_inline",
    "write_html",
]


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

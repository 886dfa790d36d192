"""What a page shows (:class:`View`): the graph cut to the options (:class:`ViewOptions`: focus,
node types, relations, a node budget), with what was left out and what each node's tooltip says."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import Graph

from kg.graphview import (NODE_TYPES, VIEW_RELATIONS, PropertyGraph, subject_objects, degrees, find_nodes, most_connected,
                          neighbourhood, property_graph, result_boards, select_relations, select_types, similar_names)
from kg.graph.iris import KGO
from kg.viz.tooltips import node_facts

DEFAULT_MAX_NODES = 1500


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
                       dict(subject_objects(graph, KGO.method)))
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

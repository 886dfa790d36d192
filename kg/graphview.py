"""The RDF graph seen as a plain property graph (nodes with types, edges with relations).

Shared by analysis (networkx) and visualisation (pyvis): one SPARQL-free walk over the triples.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.rdf import KGO

NODE_TYPES = {KGO.Paper: "paper", KGO.MethodFamily: "family", KGO.Method: "method", KGO.Dataset: "dataset"}
RELATIONS = ("proposes", "evaluatesOn", "comparesTo")


@dataclass
class EdgeInfo:
    relation: str
    papers: list[str] = field(default_factory=list)     # titles of supporting papers
    evidence: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)


@dataclass
class PropertyGraph:
    nodes: dict[str, dict] = field(default_factory=dict)       # iri → {"type", "label"}
    edges: dict[tuple[str, str, str], EdgeInfo] = field(default_factory=dict)


def property_graph(graph: Graph) -> PropertyGraph:
    """Nodes (papers, methods, families, datasets) and relation edges with their evidence."""
    pg = PropertyGraph()
    for cls, kind in NODE_TYPES.items():
        for s in graph.subjects(RDF.type, cls):
            if str(s) in pg.nodes and kind != "family":
                continue
            label = graph.value(s, DCTERMS.title) if kind == "paper" else graph.value(s, RDFS.label)
            pg.nodes[str(s)] = {"type": kind, "label": str(label) if label is not None else str(s)}
    titles = {iri: n["label"] for iri, n in pg.nodes.items() if n["type"] == "paper"}
    for rel in RELATIONS:
        for s, o in graph.subject_objects(KGO[rel]):
            if str(s) in pg.nodes and str(o) in pg.nodes:
                pg.edges[(str(s), rel, str(o))] = EdgeInfo(rel)
    for st in graph.subjects(RDF.type, RDF.Statement):
        pred = graph.value(st, RDF.predicate)
        if pred is None:
            continue
        key = (str(graph.value(st, RDF.subject)), str(pred).rsplit("#", 1)[-1], str(graph.value(st, RDF.object)))
        edge = pg.edges.get(key)
        if edge is None:
            continue
        paper = graph.value(st, PROV.wasDerivedFrom)
        edge.papers.append(titles.get(str(paper), str(paper)))
        ev = graph.value(st, KGO.evidence)
        edge.evidence.append(str(ev) if ev is not None else "")
        outcome = graph.value(st, KGO.outcome)
        if outcome is not None:
            edge.outcomes.append(str(outcome))
    return pg


def to_networkx(graph: Graph):
    """A networkx MultiDiGraph of the property graph (node attrs: type, label; edge attr: relation)."""
    import networkx as nx

    pg = property_graph(graph)
    g = nx.MultiDiGraph()
    for iri, data in pg.nodes.items():
        g.add_node(iri, **data)
    for (s, rel, o), e in pg.edges.items():
        g.add_edge(s, o, key=rel, relation=rel, papers=len(e.papers) or 1, outcomes=list(e.outcomes))
    return g

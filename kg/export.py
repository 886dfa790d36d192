"""Export the graph to standard RDF serialisations."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

FORMATS = {  # our name → (rdflib format, file extension)
    "turtle": ("turtle", ".ttl"),
    "ttl": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "ntriples": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "json-ld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
    "trig": ("trig", ".trig"),
    "nquads": ("nquads", ".nq"),
}


def serialize(graph: Graph, fmt: str = "turtle") -> str:
    """The graph as text in ``fmt`` (turtle, nt, jsonld, xml, trig, nquads)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    rdflib_fmt = FORMATS[fmt][0]
    kwargs = {"auto_compact": True} if rdflib_fmt == "json-ld" else {}
    return graph.serialize(format=rdflib_fmt, **kwargs)


def export(graph: Graph, path: str | Path, fmt: str = "turtle") -> Path:
    """Write the graph to ``path`` atomically."""
    from kg.pipeline import write_atomic

    path = Path(path)
    text = serialize(graph, fmt)
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path

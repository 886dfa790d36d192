"""Opening a built graph: an output folder (``graph.ttl`` inside) or an RDF file."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.util import guess_format

from kg.rdf import bind_prefixes


class GraphNotFound(FileNotFoundError):
    pass


def graph_file(location: str | Path) -> Path:
    """The RDF file behind ``location`` (a build folder or a file)."""
    path = Path(location)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise GraphNotFound(f"{location}: no graph found (run 'kg build … --out {location}' first)")
    return path


def load_graph(location: str | Path) -> Graph:
    """The graph at ``location`` as an in-memory rdflib Graph."""
    path = graph_file(location)
    graph = bind_prefixes(Graph())
    graph.parse(path, format=guess_format(str(path)) or "turtle")
    return graph

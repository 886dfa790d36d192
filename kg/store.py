"""Opening a built graph: an output folder (its Oxigraph store, else ``graph.ttl``) or an RDF file."""
from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph
from rdflib.util import guess_format

from kg.graph.iris import bind_prefixes


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


# Stores with at most this many triples are copied into memory by load_graph(backend="auto").
MEMORY_MAX_TRIPLES = int(os.environ.get("KG_MEMORY_MAX_TRIPLES", "100000"))


def load_graph(location: str | Path, backend: str = "auto") -> Graph:
    """The graph at ``location`` (a build folder or an RDF file) as an rdflib Graph.

    For a folder built with the store (``kg build``'s default), ``backend`` picks the Graph:
    ``"store"`` reads the Oxigraph store in place, read-only (oxrdflib; SPARQL runs on Oxigraph,
    memory stays flat whatever the size); ``"memory"`` copies the graph into rdflib's memory store
    (every rdflib tool works on it); ``"auto"`` copies graphs of at most ``MEMORY_MAX_TRIPLES``
    triples and reads bigger ones in place. An RDF file is parsed into memory, or with
    ``backend="store"`` into an in-memory Oxigraph store.
    """
    from kg.oxstore import current_generation, has_store, manifest, memory_copy, open_oxigraph, rdflib_graph

    if backend not in ("auto", "store", "memory"):
        raise ValueError(f"unknown backend {backend!r}: auto, store or memory")
    if has_store(location):
        ox_store = open_oxigraph(location)
        triples = manifest(current_generation(location)).get("triples")
        if backend == "memory" or (backend == "auto" and triples is not None and triples <= MEMORY_MAX_TRIPLES):
            return memory_copy(ox_store)
        return rdflib_graph(ox_store)
    path = graph_file(location)
    fmt = guess_format(str(path)) or "turtle"
    if backend == "store" and fmt in ("turtle", "nt", "nquads", "xml", "trig", "n3"):
        import pyoxigraph as ox

        ox_store = ox.Store()
        ox_store.load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE)
        return rdflib_graph(ox_store)
    graph = bind_prefixes(Graph())
    graph.parse(path, format=fmt)
    return graph

"""Export the graph to standard RDF serialisations."""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.files import write_atomic

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
    from kg.oxstore import DUMP_FORMATS, dump, oxigraph_of
    store = oxigraph_of(graph)
    if store is not None and fmt in DUMP_FORMATS:   # a store-backed graph: Oxigraph's streaming writer
        import io
        buf = io.BytesIO()
        dump(store, buf, fmt)
        return buf.getvalue().decode("utf-8")
    kwargs = {}
    if rdflib_fmt == "json-ld":   # compact keys ("title", "proposes") from our context file
        kwargs = {"context": jsonld_context(), "auto_compact": True}
    if rdflib_fmt in ("trig", "nquads") and not graph.context_aware:
        graph = as_dataset(graph)
    return graph.serialize(format=rdflib_fmt, **kwargs)


def as_dataset(graph: Graph) -> Dataset:
    """A plain graph as the default graph of a Dataset: rdflib writes a plain Graph as a graph
    named ``<urn:x-rdflib:default>`` in TriG and refuses N-Quads; quad formats want a dataset."""
    ds = Dataset()
    for prefix, ns in graph.namespaces():
        ds.bind(prefix, ns, override=True)
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    for t in graph:
        default.add(t)
    return ds


def jsonld_context() -> dict:
    """The compact JSON-LD @context of our vocabulary (``ontology/context.jsonld``)."""
    import json

    from kg.vocab import ontology_dir

    return json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def export(graph: Graph, path: str | Path, fmt: str = "turtle") -> Path:
    """Write the graph to ``path`` atomically."""
    path = Path(path)
    from kg.oxstore import DUMP_FORMATS, dump, oxigraph_of
    store = oxigraph_of(graph)
    if store is not None and fmt in DUMP_FORMATS:   # streamed to disk, linear in the graph's size
        write_atomic(path, lambda p: dump(store, p, fmt))
        return path
    text = serialize(graph, fmt)
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path

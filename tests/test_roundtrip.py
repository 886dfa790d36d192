"""Every export format re-parses to the same graph (compare graphs, not text)."""
from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.export import serialize
from kg.vocab import ontology_dir


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_export_round_trips(seeds_graph, fmt, parser):
    assert isomorphic(Graph().parse(data=serialize(seeds_graph, fmt), format=parser), seeds_graph)


def test_trig_round_trips_as_a_named_graph(seeds_graph):
    ds = Dataset()
    named = ds.graph("https://w3id.org/kgpaper/id/graph/seeds")
    for t in seeds_graph:
        named.add(t)
    back = Dataset()
    back.parse(data=ds.serialize(format="trig"), format="trig")
    assert isomorphic(back.graph("https://w3id.org/kgpaper/id/graph/seeds"), seeds_graph)


def test_jsonld_uses_the_compact_context(seeds_graph):
    doc = json.loads(serialize(seeds_graph, "jsonld"))
    context = json.loads((ontology_dir() / "context.jsonld").read_text())["@context"]
    assert doc["@context"] == context
    text = json.dumps(doc)
    assert '"title"' in text and '"proposes"' in text and '"evidence"' in text


def test_ontology_documents_every_term():
    from rdflib.namespace import OWL, RDF, RDFS

    g = Graph().parse(ontology_dir() / "kg.ttl")
    terms = [s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, t)]
    assert len(terms) >= 15
    for term in terms:
        assert g.value(term, RDFS.label) is not None and g.value(term, RDFS.comment) is not None, term

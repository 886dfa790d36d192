"""SHACL validation of the graph contract."""
from __future__ import annotations

from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.cli import main
from kg.graph.iris import KGO
from kg.validate import validate


def test_seeds_graph_conforms(seeds_graph):
    report = validate(seeds_graph)
    assert report.conforms, [str(v) for v in report.violations[:5]]


def test_violations_are_found_and_named(seeds_graph):
    g = seeds_graph.__class__()
    for t in seeds_graph:
        g.add(t)
    paper = next(g.subjects(RDF.type, KGO.Paper))
    g.add((paper, DCTERMS.title, Literal("A second title")))
    st = next(g.subjects(RDF.predicate, KGO.comparesTo))
    g.remove((st, KGO.confidence, None))
    g.add((st, KGO.confidence, Literal(1.5)))
    g.remove((st, KGO.outcome, None))
    direct = (g.value(st, RDF.subject), KGO.comparesTo, g.value(st, RDF.object))
    g.remove(direct)
    g.add((paper, KGO.proposes, URIRef("https://w3id.org/kgpaper/id/dataset/imagenet-1k")))
    result = next(g.subjects(RDF.type, KGO.Result))
    g.remove((result, KGO.value, None))
    g.add((result, KGO.value, Literal("12.345")))
    report = validate(g)
    text = "\n".join(map(str, report.violations))
    assert not report.conforms
    assert "exactly one title expected" in text
    assert "confidence is an xsd:decimal in [0, 1]" in text
    assert "a comparesTo statement has an outcome" in text
    assert "the statement's triple (its rdf:subject, this predicate, this object) is not in the graph" in text
    assert "proposes points at a Method" in text
    assert "a result's value is written in its evidence sentence" in text


def test_validate_command(seeds_build):
    _, out = seeds_build
    res = CliRunner().invoke(main, ["validate", str(out)])
    assert res.exit_code == 0 and "conforms" in res.output

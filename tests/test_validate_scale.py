"""`kg validate` on what users build (issue 21 items 6 and 7).

Item 6: every build conforms: a paper stating a triple twice (a title "EfficientNet: …" and an
abstract "… called EfficientNets") gets one statement with one evidence. Checked on generated
inputs, built the way `kg build` builds them.

Item 7: the shapes run as SPARQL on Oxigraph (kg.shapes_sparql) and give pySHACL's violations,
as a fixed set of queries on the store (the time: `python -m bench.validate_cost`).
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from kg.build import BuildOptions, build
from kg.graph.iris import KGO
from kg.store import load_graph
from kg.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))

# ------------------------------------------------------------------ item 6: generated inputs

KNOWN = ["ResNet", "ResNet-50", "ViT", "DeiT", "EfficientNet", "Swin Transformer", "ConvNeXt", "MobileNetV2",
         "BERT", "YOLOv5"]
INVENTED = ["QNet", "Zorakinet", "VelumFormer", "GraphMixer", "SLAX", "TinyViT-X", "Next-ViT", "NextViT"]
DATASETS = ["ImageNet", "ImageNet-1K", "COCO", "CIFAR-10", "ADE20K", "Kinetics-400"]

names = st.sampled_from(KNOWN + INVENTED)
datasets = st.sampled_from(DATASETS)


@st.composite
def sentence(draw, own: str) -> str:
    other, data = draw(names), draw(datasets)
    return draw(st.sampled_from([
        f"We propose {own}, a new architecture.",
        f"We design a family of models, called {own}s, which achieve better accuracy than {other} on {data}.",
        f"{own} outperforms {other} on {data}.",
        f"{own} is comparable to {other} on {data}.",
        f"Compared with {other}, {own} achieves higher accuracy on {data}.",
        f"{other} underperforms {own} by 2% on {data}.",
        f"We evaluate on {data} and {draw(datasets)}.",
        f"Experiments on {data} show that {own} surpasses {other} and {draw(names)}.",
        f"{own} ({own.upper()}) is introduced.",
        f"In this paper we present {own}: a simple baseline.",
        f"{own} beats {own}.",
    ]))


@st.composite
def paper(draw, i: int = 0) -> dict:
    own = draw(names)
    rest = draw(st.sampled_from(["Rethinking Model Scaling", "An Image is Worth 16x16 Words",
                                 "Efficient Training on " + draw(datasets), "A Study of Baselines"]))
    title = draw(st.sampled_from([f"{own}: {rest}", f"{rest} with {own}", rest, f"{own}"]))
    sentences = draw(st.lists(sentence(own), min_size=1, max_size=6))
    if draw(st.booleans()):    # the same sentence again, as abstracts repeat their claims
        sentences.append(draw(st.sampled_from(sentences)))
    return {"title": f"{title} [{i}]", "abstract": " ".join(sentences)}


corpora = st.lists(paper(), min_size=1, max_size=4).map(
    lambda ps: [{**p, "title": f"{p['title'].rsplit(' [', 1)[0]} [{i}]"} for i, p in enumerate(ps)])


def _build_and_validate(papers: list[dict], store: str):
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "papers.jsonl"
        listing.write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
        out = Path(tmp) / "out"
        report = build([listing], out, BuildOptions(store=store))
        assert report.papers == len(papers)
        return validate(load_graph(out, backend="store" if store == "oxigraph" else "memory"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora)
def test_every_memory_build_conforms(papers):
    report = _build_and_validate(papers, "memory")
    assert report.conforms, (papers, [str(v) for v in report.violations[:8]])


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora)
def test_every_store_build_conforms(papers):
    report = _build_and_validate(papers, "oxigraph")
    assert report.conforms, (papers, [str(v) for v in report.violations[:8]])


def test_a_title_naming_the_method_and_an_abstract_coining_it_again(tmp_path):
    """The issue's case: before, one statement with two evidences, two spans, two confidences and
    two extractors (8 violations). Now one evidence, and both names stay on the method."""
    papers = [{"title": "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
               "abstract": "Convolutional Neural Networks are commonly developed at a fixed resource budget. We "
                           "design a new baseline network and scale it up to obtain a family of models, called "
                           "EfficientNets, which achieve much better accuracy than ResNet on ImageNet."}]
    for store in ("memory", "oxigraph"):
        listing = tmp_path / "p.jsonl"
        listing.write_text(json.dumps(papers[0]) + "\n", encoding="utf-8")
        out = tmp_path / store
        build([listing], out, BuildOptions(store=store))
        g = load_graph(out, backend="memory")
        report = validate(g)
        assert report.conforms, [str(v) for v in report.violations]
        proposes = [s for s in g.subjects(RDF.predicate, KGO.proposes)]
        assert len(proposes) == 1
        assert len(set(g.objects(proposes[0], KGO.evidence))) == 1
        method = g.value(proposes[0], RDF.object)
        names = {str(g.value(method, RDFS.label)), *map(str, g.objects(method, SKOS.altLabel))}
        assert {"EfficientNet", "EfficientNets"} <= names


# ------------------------------------------------------------------ item 7: SPARQL engine = pySHACL


def _seeds_graph(tmp: Path) -> Graph:
    if len(SEEDS) != 4:
        pytest.skip("examples/seeds is not in this checkout")
    build(SEEDS, tmp, BuildOptions(store="memory"))
    return load_graph(tmp, backend="memory")


def break_graph(g: Graph) -> Graph:
    """A broken triple for nearly every kind of constraint of ontology/shapes.ttl."""
    papers = sorted(g.subjects(RDF.type, KGO.Paper))
    stmts = sorted(g.subjects(RDF.type, RDF.Statement))
    families = sorted(g.subjects(RDF.type, KGO.MethodFamily))
    methods = sorted(set(g.subjects(RDF.type, KGO.Method)) - set(families))
    datasets = sorted(g.subjects(RDF.type, KGO.Dataset))
    p0, p1, p2 = papers[:3]
    g.add((p0, DCTERMS.title, Literal("A second title")))                       # maxCount
    g.remove((p1, DCTERMS.abstract, None))                                       # minCount
    g.add((p2, DCTERMS.title, Literal("", lang="en")))                           # datatype, minLength
    s0, s2, s3, s4 = stmts[0], stmts[2], stmts[3], stmts[4]
    g.set((s0, KGO.confidence, Literal("1.5", datatype=XSD.decimal)))            # maxInclusive
    end = g.value(s2, KGO.evidenceEnd)
    g.set((s2, KGO.evidenceStart, Literal(int(end) + 3, datatype=XSD.integer)))  # lessThan
    g.add((s3, KGO.outcome, Literal("wins")))                                    # in, maxCount
    g.set((s4, KGO.evidence, Literal("not in the paper", lang="en")))            # datatype, graph check
    g.add((methods[0], RDF.type, KGO.Dataset))                                   # not
    g.add((methods[1], RDFS.label, Literal("")))                                 # minLength, maxCount
    g.add((methods[2], KGO.memberOf, datasets[0]))                               # class (property)
    g.add((p0, KGO.proposes, Literal("a literal method")))                       # class (node), graph check
    g.remove((families[0], RDF.type, KGO.Method))                                # class (node)
    g.add((p1, DCTERMS.creator, Literal("Jane Doe")))                            # nodeKind, class
    author = URIRef(p2.replace("/paper/", "/author/"))
    g.add((author, RDF.type, KGO.Paper))
    g.add((author, RDF.type, FOAF.Person))                                   # not (no sh:message)
    b = BNode()
    g.add((b, RDF.type, KGO.Paper))                                              # nodeKind (no sh:message)
    g.add((methods[3], KGO.comparesTo, methods[3]))                              # graph checks
    return g


def test_sparql_engine_reports_what_pyshacl_reports(tmp_path):
    g = break_graph(_seeds_graph(tmp_path))
    by_pyshacl = validate(g, engine="pyshacl")
    by_sparql = validate(g, engine="sparql")
    assert len(by_pyshacl.violations) >= 25 and len(by_pyshacl.by_rule) >= 18
    assert by_sparql.violations == by_pyshacl.violations
    assert by_sparql.by_rule == by_pyshacl.by_rule and not by_sparql.conforms
    # a shape without sh:message is worded by pySHACL in both
    assert any(v.message.startswith("Value is not of Node Kind") for v in by_sparql.violations)


def test_sparql_engine_on_the_store_agrees_with_memory(tmp_path):
    if len(SEEDS) != 4:
        pytest.skip("examples/seeds is not in this checkout")
    build(SEEDS, tmp_path / "store")
    on_store = validate(load_graph(tmp_path / "store", backend="store"))
    in_memory = validate(load_graph(tmp_path / "store", backend="memory"), engine="pyshacl")
    assert on_store.conforms and in_memory.conforms
    assert on_store.triples == in_memory.triples > 10_000


class CountingStore:
    """An Oxigraph store that counts the SPARQL queries it answers."""

    def __init__(self, store):
        self.store, self.queries = store, 0

    def query(self, *args, **kwargs):
        self.queries += 1
        return self.store.query(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_validating_a_store_is_a_fixed_set_of_queries_on_the_store_itself(tmp_path, monkeypatch):
    """What keeps validation linear in the store: on 1k and 2k synthetic papers it runs the same
    number of SPARQL queries, on the store itself, never copying the store into memory and never
    calling pySHACL (2.1x from 1k to 2k papers, then 25x from 2k to 4k). The time itself is a
    benchmark, not a test: `python -m bench.validate_cost`."""
    import kg.oxstore
    import kg.validate
    from bench.synth import generate

    def refuse(*args, **kwargs):
        raise AssertionError("validating a store must not copy it or call pySHACL")

    counted = []
    real_oxigraph = kg.validate._oxigraph

    def counting_oxigraph(graph):
        counted.append(CountingStore(real_oxigraph(graph)))
        return counted[-1]

    monkeypatch.setattr(kg.validate, "_oxigraph", counting_oxigraph)
    monkeypatch.setattr(kg.validate, "_pyshacl_violations", refuse)
    monkeypatch.setattr(kg.oxstore, "memory_copy", refuse)

    corpus = generate(2000, tmp_path / "synthetic-2k.jsonl", seeds=SEEDS or None)
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    queries = {}
    for n in (1000, 2000):
        listing = tmp_path / f"synthetic-{n}.jsonl"
        listing.write_text("".join(lines[:n]), encoding="utf-8")
        build([listing], tmp_path / str(n), BuildOptions(turtle=False, workers=1))
        graph = load_graph(tmp_path / str(n), backend="store")
        report = validate(graph)
        assert report.conforms and report.triples > 40_000 * n // 1000
        assert counted[-1].store is kg.oxstore.oxigraph_of(graph)      # the store itself, no copy
        queries[n] = counted[-1].queries
    assert queries[1000] == queries[2000] >= report.shapes_run, queries


def test_shapes_beyond_the_translation_fall_back_to_pyshacl(tmp_path):
    """A custom shapes file with sh:pattern (not translated): validate still answers, by pySHACL."""
    from kg.shapes_sparql import Unsupported, shape_queries

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kgo: <https://w3id.org/kgpaper/ontology#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        [] a sh:NodeShape ; sh:targetClass kgo:Paper ;
           sh:property [ sh:path dcterms:title ; sh:pattern "^[A-Z]" ; sh:message "a title starts with a capital" ] .
        """, format="turtle")
    with pytest.raises(Unsupported):
        shape_queries(shapes)
    g = Graph()
    paper = URIRef("https://w3id.org/kgpaper/id/paper/x")
    g.add((paper, RDF.type, KGO.Paper))
    g.add((paper, DCTERMS.title, Literal("lower-case title")))
    report = validate(g, shapes)
    assert [str(v) for v in report.violations] == [
        "paper/x: dcterms:title — a title starts with a capital, value 'lower-case title'"]
    with pytest.raises(Unsupported):
        validate(g, shapes, engine="sparql")

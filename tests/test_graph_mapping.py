"""The one RDF mapping (kg/graph/): the N-Triples the bulk path writes and the rdflib graph the
in-memory path builds come from the same triples, and hold the same graph, whatever the text."""
from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.graph import ntriples
from kg.graph.iris import KGO, entity_iri, paper_iri
from kg.graph.mapping import entity_label, entity_triples, fact_triples, paper_triples
from kg.graph.ntriples import lines
from kg.graph.terms import graph_of
from kg.records import Entity, Evidence, Extraction, Fact, Paper, SourceRef

ROOT = Path(__file__).resolve().parent.parent

# What an N-Triples writer must escape or pass through: quotes, backslashes, line breaks, every
# control character, non-BMP characters, markup, right-to-left text.
ODD = ['"', "\\", "\n", "\r", "\t", "\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85", "\u2028", "\ufeff",
       "𝔘𝔫𝔦", "😀", "\U0010fffd", "<b>", "\\u0041", '\\"', "עברית", "漢字", "e\u0301", " "]
odd_text = st.lists(st.one_of(st.sampled_from(ODD), st.characters(blacklist_categories=("Cs",))),
                    min_size=1, max_size=60).map("".join)
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-éß", min_size=1, max_size=12)
KINDS = {"proposes": (None, "method"), "evaluatesOn": (None, "dataset"), "addressesTask": (None, "task"),
         "comparesTo": ("method", "method"), "reportsResult": ("method", "dataset")}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def facts(draw) -> Fact:
    predicate = draw(st.sampled_from(sorted(KINDS)))
    subject_kind, object_kind = KINDS[predicate]
    paper = Paper(draw(odd_text), draw(odd_text), SourceRef(draw(odd_text), draw(st.integers(0, 10**6))))
    subject = None if subject_kind is None else Entity(draw(keys), subject_kind, draw(odd_text),
                                                       tuple(draw(st.lists(keys, max_size=2))))
    obj = Entity(draw(keys), object_kind, draw(odd_text))
    metric = (Entity(draw(keys), "metric", draw(odd_text), higher_is_better=draw(st.sampled_from([None, True, False])))
              if predicate == "reportsResult" else None)
    sentence = draw(odd_text)
    start = draw(st.integers(0, 10**6))
    extraction = Extraction(
        paper.key, draw(odd_text) if subject is not None else paper.title, subject_kind or "paper", predicate,
        draw(odd_text), object_kind, Evidence(sentence, start, start + len(sentence)), draw(odd_text),
        draw(st.floats(0, 1)),
        outcome=draw(st.sampled_from([None, "outperforms", "comparable", "underperforms", "compared"]))
        if predicate == "comparesTo" else None,
        metric=f"m{metric.label}" if metric else "",
        value=draw(st.from_regex(r"\A[0-9]{1,4}(\.[0-9]{1,3})?\Z")) if metric else "")
    return Fact(paper, subject, predicate, obj, extraction, metric)


def _agree(triples: list) -> Graph:
    """The N-Triples text of ``triples`` parsed by rdflib holds exactly the triples of their graph."""
    parsed = Graph().parse(data=lines(triples), format="nt")
    direct = graph_of(triples)
    assert len(direct) > 0 and set(parsed) == set(direct)
    return parsed


@SETTINGS
@given(st.lists(facts(), min_size=1, max_size=4))
def test_ntriples_of_generated_facts_parse_to_the_graph_of_their_triples(generated):
    """Several predicates, outcomes, results, and evidence, names, extractors and sources full of
    quotes, backslashes, line breaks, control and non-BMP characters: one document of all the facts
    and each fact alone read back as the same triples, the evidence text exactly."""
    triples = [t for f in generated for t in fact_triples(f)]
    parsed = _agree(triples)
    for fact in generated:
        _agree(fact_triples(fact))
        assert Literal(fact.extraction.evidence.sentence) in set(parsed.objects())
        assert Literal(fact.extraction.extractor) in set(parsed.objects())
    statements = {f for f in generated if f.predicate != "reportsResult"}
    for fact in statements:
        subject = paper_iri(fact.paper.key) if fact.subject is None else entity_iri(fact.subject)
        assert (subject, KGO[fact.predicate], entity_iri(fact.object)) in parsed


@SETTINGS
@given(facts(), st.lists(odd_text, max_size=4))
def test_ntriples_of_generated_papers_and_labels_parse_to_the_graph_of_their_triples(fact, names):
    paper = fact.paper
    parsed = _agree(paper_triples(paper, (SourceRef(names[0] if names else "x.txt", 2),)))
    assert (paper_iri(paper.key), URIRef("http://purl.org/dc/terms/title"), Literal(paper.title)) in parsed
    entity = fact.object
    surfaces = Counter(names + [entity.label])
    label = entity_label(entity, surfaces)
    parsed = _agree(entity_triples(entity, label, surfaces))
    assert {Literal(n) for n in surfaces} <= set(parsed.objects())


def test_the_writer_keeps_a_bounded_number_of_terms():
    """Its cache of written terms stays within its bound over many distinct IRIs, and keeps no
    long literal (an abstract is written once)."""
    n = 3 * ntriples._TEXT_MAX
    text = lines([(f"http://ex/s{i}", "http://ex/p", (f"{'long ' * 40}{i}", "")) for i in range(n)])
    assert text.count(" .\n") == n
    assert 0 < len(ntriples._TEXT) <= ntriples._TEXT_MAX
    assert not any(type(t) is tuple and t[0].startswith("long") for t in ntriples._TEXT)


def test_no_module_writes_ntriples_by_hand():
    """The N-Triples of the graph are written by kg.graph.ntriples alone: no other module of kg/
    spells a triple's line end (`` .\\n`` in an f-string) or imports its escaping helpers."""
    offenders = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        if path == ROOT / "kg" / "graph" / "ntriples.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and any(
                    isinstance(v, ast.Constant) and str(v.value).endswith(" .\n") for v in node.values):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "kg.graph.ntriples" and any(
                    a.name in ("iri", "string", "literal") for a in node.names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports escaping")
    assert not offenders, offenders

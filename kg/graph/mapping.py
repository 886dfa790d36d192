"""Papers, facts and entities → the triples of the graph, under our ontology (``ontology/kg.ttl``).

The one mapping: each generator here yields a thing's triples once, as light terms
(:mod:`kg.graph.terms`), and both paths read them: the in-memory rdflib graph (:func:`build_graph`,
through :func:`kg.graph.terms.add_triples`) and the bulk N-Triples path of a store build
(:func:`kg.graph.ntriples.lines`).

The graph contract (read by ``../shared/eval/score.py`` and by users' SPARQL):
- paper: ``a kgo:Paper``, ``dcterms:title`` (exact), ``dcterms:abstract``, ``kgo:source`` per listing;
  metadata when the source has it: ``dcterms:identifier``, ``kgo:arxivId``, ``kgo:doi`` (and
  ``owl:sameAs`` the arXiv / DOI IRI), ``schema:url``, ``rdfs:seeAlso`` other pages,
  ``dcterms:date`` / ``dcterms:modified`` (ISO 8601), ``kgo:venue``, ``kgo:category``;
- author: ``dcterms:creator`` → ``author/<normalised name>`` ``a foaf:Person`` with ``foaf:name``;
- method / dataset: ``rdfs:label`` (canonical) and ``skos:altLabel`` for each other surface form;
- task / metric: ``kgo:Task`` / ``kgo:Metric`` nodes with ``rdfs:label`` and ``skos:altLabel``; a
  metric the vocabulary knows has ``kgo:higherIsBetter``;
- direct triples ``paper kgo:proposes method``, ``paper kgo:evaluatesOn dataset``,
  ``method kgo:comparesTo method``, ``paper kgo:addressesTask task``;
- each of those triples reified once per supporting paper as an ``rdf:Statement`` with
  ``prov:wasDerivedFrom`` the paper, ``kgo:evidence`` (the sentence), its span, the extractor,
  ``kgo:confidence`` and, for comparisons, ``kgo:outcome``;
- results: ``paper kgo:reportsResult result``, the result node ``a kgo:Result`` with
  ``kgo:method``, ``kgo:dataset``, ``kgo:metric`` (nodes), ``kgo:value`` (xsd:decimal, as written),
  ``kgo:methodLabel`` (the method as the paper names it, variant kept) and the same provenance
  as a statement, on the result node itself (``prov:wasDerivedFrom``, ``kgo:evidence``, span,
  extractor, confidence).
IRIs derive from content only (:mod:`kg.graph.iris`), so the same input gives the same IRIs and an
isomorphic graph.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace

from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS

from kg.graph.iris import (KGO, SCHEMA, author_id, bind_prefixes, entity_id, family_id, paper_id,
                           result_id, statement_id)
from kg.graph.terms import ANY_URI, BOOLEAN, DECIMAL, INTEGER, STRING, Triple, add_triples
from kg.records import Entity, Fact, Paper, SourceRef

# The fixed IRIs the mapping writes, as plain text (light terms).
KGO_NS = str(KGO)
A = str(RDF.type)
STATEMENT, SUBJECT, PREDICATE, OBJECT = str(RDF.Statement), str(RDF.subject), str(RDF.predicate), str(RDF.object)
DERIVED_FROM = str(PROV.wasDerivedFrom)
EVIDENCE, EVIDENCE_START, EVIDENCE_END = KGO_NS + "evidence", KGO_NS + "evidenceStart", KGO_NS + "evidenceEnd"
EXTRACTOR, CONFIDENCE, OUTCOME = KGO_NS + "extractor", KGO_NS + "confidence", KGO_NS + "outcome"
PAPER, SOURCE, VENUE, DOI, ARXIV = KGO_NS + "Paper", KGO_NS + "source", KGO_NS + "venue", KGO_NS + "doi", KGO_NS + "arxivId"
CATEGORY = KGO_NS + "category"
TITLE, ABSTRACT, IDENTIFIER = str(DCTERMS.title), str(DCTERMS.abstract), str(DCTERMS.identifier)
DATE, MODIFIED, CREATOR = str(DCTERMS.date), str(DCTERMS.modified), str(DCTERMS.creator)
URL, SAME_AS, SEE_ALSO = f"{SCHEMA}url", str(OWL.sameAs), str(RDFS.seeAlso)
PERSON, NAME = str(FOAF.Person), str(FOAF.name)
LABEL, ALT_LABEL, MEMBER_OF = str(RDFS.label), str(SKOS.altLabel), KGO_NS + "memberOf"
METHOD_CLASS, FAMILY_CLASS = KGO_NS + "Method", KGO_NS + "MethodFamily"
KIND_CLASS = {"dataset": KGO_NS + "Dataset", "task": KGO_NS + "Task", "metric": KGO_NS + "Metric"}
RESULT_CLASS, REPORTS_RESULT = KGO_NS + "Result", KGO_NS + "reportsResult"
METHOD, DATASET, METRIC = KGO_NS + "method", KGO_NS + "dataset", KGO_NS + "metric"
VALUE, METHOD_LABEL, HIGHER_IS_BETTER = KGO_NS + "value", KGO_NS + "methodLabel", KGO_NS + "higherIsBetter"

# arXiv identifiers: "2106.13112", "hep-th/9901001", "math.GT/0309136", optionally versioned.
ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
# Input text becomes an IRI only when it is one: http(s), none of the characters IRIs exclude.
_WEB_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_DOI = re.compile(r"10\.\d{4,9}/[^\s<>\"{}|\\^`]+")


def _source_text(source: SourceRef) -> str:
    return f"{source.path}:{source.line}" if source.line else source.path


def source_triples(key: str, sources: Iterable[SourceRef]) -> list[Triple]:
    """``kgo:source`` of the paper node ``key``, one per listing."""
    s = paper_id(key)
    return [(s, SOURCE, (_source_text(source), STRING)) for source in sources if source.path]


def paper_triples(paper: Paper, sources: Iterable[SourceRef] = ()) -> list[Triple]:
    """A paper's own triples: type, title, abstract, every listing it was read from, metadata
    (identifiers, links, dates, venue, categories, authors as ``foaf:Person`` nodes)."""
    s = paper_id(paper.key)
    out = [(s, A, PAPER), (s, TITLE, (paper.title, STRING)), (s, ABSTRACT, (paper.abstract, STRING))]
    out += source_triples(paper.key, {paper.source, *sources})
    out += metadata_triples(paper)
    return out


def metadata_triples(paper: Paper) -> list[Triple]:
    """The triples of a paper's optional metadata. Monotone: a paper completed with more metadata
    (:func:`kg.records.merge_papers`) gives a superset, so the streaming build can add the difference."""
    s = paper_id(paper.key)
    out: list[Triple] = []
    if paper.id:
        out.append((s, IDENTIFIER, (paper.id, STRING)))
    if paper.url:
        out.append((s, URL, (paper.url, ANY_URI)))
    if paper.date:
        out.append((s, DATE, (paper.date, STRING)))
    if paper.updated:
        out.append((s, MODIFIED, (paper.updated, STRING)))
    if paper.venue:
        out.append((s, VENUE, (paper.venue, STRING)))
    if paper.doi:
        out.append((s, DOI, (paper.doi, STRING)))
        if _DOI.fullmatch(paper.doi):
            out.append((s, SAME_AS, f"https://doi.org/{paper.doi}"))
    if paper.arxiv_id:
        out.append((s, ARXIV, (paper.arxiv_id, STRING)))
        if ARXIV_ID.fullmatch(paper.arxiv_id):   # input text becomes an IRI only when well-formed
            out.append((s, SAME_AS, f"http://arxiv.org/abs/{paper.arxiv_id}"))
    for link in paper.links:
        # the DOI resolver page is already the owl:sameAs above
        if link != paper.url and _WEB_IRI.fullmatch(link) and not (
                paper.doi and link.lower().endswith("doi.org/" + paper.doi)):
            out.append((s, SEE_ALSO, link))
    for category in paper.categories:
        out.append((s, CATEGORY, (category, STRING)))
    for author in paper.authors:
        a = author_id(author)
        if a is not None:
            out += [(s, CREATOR, a), (a, A, PERSON), (a, NAME, (author, STRING))]
    return out


def added_metadata(before: Paper, after: Paper) -> list[Triple]:
    """The metadata triples ``after`` has and ``before`` has not (same paper node)."""
    old = set(metadata_triples(before))
    return [t for t in metadata_triples(after) if t not in old]


def value_literal(value: str) -> tuple[str, str]:
    """A result's value in the one lexical form every store and serializer keeps: trailing zeros
    of the fraction dropped, a whole number an xsd:integer ("87.1", "49.0" → 49, "97.50" → 97.5).
    (Oxigraph writes decimals canonically, "49"; rdflib's Turtle writes that back as 49.0.)

    >>> value_literal("49.0"), value_literal("97.50"), value_literal(".5")
    (('49', 'http://www.w3.org/2001/XMLSchema#integer'), ('97.5', 'http://www.w3.org/2001/XMLSchema#decimal'), ('0.5', 'http://www.w3.org/2001/XMLSchema#decimal'))
    """
    whole, _, fraction = value.partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    if not fraction:
        return whole, INTEGER
    return f"{whole}.{fraction}", DECIMAL


def confidence_literal(confidence: float) -> tuple[str, str]:
    """A confidence as an xsd:decimal of two places, in its canonical form (no trailing zero but
    the one after the point: what ``str(round(confidence, 2))`` gives, at half its cost).

    >>> confidence_literal(0.9), confidence_literal(0.333333)[0], confidence_literal(1)[0]
    (('0.9', 'http://www.w3.org/2001/XMLSchema#decimal'), '0.33', '1.0')
    """
    text = f"{confidence:.2f}"
    return (text[:-1] if text[-1] == "0" else text), DECIMAL


def result_triples(fact: Fact) -> list[Triple]:
    """A result fact: ``paper kgo:reportsResult r`` and the result node with its provenance."""
    ex = fact.extraction
    paper = paper_id(fact.paper.key)
    r = result_id(fact)
    metric = entity_id(fact.metric)
    out = [(paper, REPORTS_RESULT, r),
           (r, A, RESULT_CLASS),
           (r, METHOD, entity_id(fact.subject)),
           (r, DATASET, entity_id(fact.object)),
           (r, METRIC, metric),
           (r, VALUE, value_literal(ex.value)),
           (r, METHOD_LABEL, (ex.subject, STRING)),
           (r, DERIVED_FROM, paper),
           (r, EVIDENCE, (ex.evidence.sentence, STRING)),
           (r, EVIDENCE_START, (str(int(ex.evidence.start)), INTEGER)),
           (r, EVIDENCE_END, (str(int(ex.evidence.end)), INTEGER)),
           (r, EXTRACTOR, (ex.extractor, STRING)),
           (r, CONFIDENCE, confidence_literal(ex.confidence))]
    if fact.metric.higher_is_better is not None:
        out.append((metric, HIGHER_IS_BETTER, ("true" if fact.metric.higher_is_better else "false", BOOLEAN)))
    return out


def fact_triples(fact: Fact) -> list[Triple]:
    """The direct triple of a fact and its reified statement with provenance (a result: its node,
    :func:`result_triples`). The provenance is spelt out as in :func:`result_triples` rather than
    shared through a helper: this runs once per fact of a million-paper build."""
    if fact.predicate == "reportsResult":
        return result_triples(fact)
    ex = fact.extraction
    paper = paper_id(fact.paper.key)
    subject = paper if fact.subject is None else entity_id(fact.subject)
    obj = entity_id(fact.object)
    predicate = KGO_NS + fact.predicate
    st = statement_id(fact.paper.key, fact.predicate, subject, obj)
    out = [(subject, predicate, obj),
           (st, A, STATEMENT),
           (st, SUBJECT, subject),
           (st, PREDICATE, predicate),
           (st, OBJECT, obj),
           (st, DERIVED_FROM, paper),
           (st, EVIDENCE, (ex.evidence.sentence, STRING)),
           (st, EVIDENCE_START, (str(int(ex.evidence.start)), INTEGER)),
           (st, EVIDENCE_END, (str(int(ex.evidence.end)), INTEGER)),
           (st, EXTRACTOR, (ex.extractor, STRING)),
           (st, CONFIDENCE, confidence_literal(ex.confidence))]
    if ex.outcome:
        out.append((st, OUTCOME, (ex.outcome, STRING)))
    return out


def statement_key(fact: Fact) -> tuple[str, str, str, str]:
    """What makes a fact's reified statement: (paper, predicate, subject, object), as IRI texts.
    A result is its own node (:func:`~kg.graph.iris.result_id`): "DaViT-Tiny, -Small and -Base
    achieve 82.8%, 84.2% and 84.6% on ImageNet-1K" are three results of one method on one dataset."""
    if fact.predicate == "reportsResult":
        return fact.paper.key, fact.predicate, result_id(fact), ""
    subject = paper_id(fact.paper.key) if fact.subject is None else entity_id(fact.subject)
    return fact.paper.key, fact.predicate, subject, entity_id(fact.object)


def one_fact_per_statement(facts: Iterable[Fact]) -> list[Fact]:
    """One fact per statement: a paper may state a triple twice (a title "EfficientNet: …" and an
    abstract "… called EfficientNets"), but its statement holds ONE evidence (the graph contract,
    ontology/shapes.ttl). The best fact is kept: highest confidence, then earliest evidence, then
    the first extracted. The names the other facts saw are added to its aliases, so the entities'
    labels count every surface form as before. Order: the kept facts in the order first seen.

    >>> from kg.records import Entity, Evidence, Extraction, Fact, Paper
    >>> paper, m = Paper("X: a net", "We call it Xs."), Entity("x", "method", "X")
    >>> def fact(name, start, confidence):
    ...     ev = Evidence(name, start, start + 1)
    ...     return Fact(paper, None, "proposes", m, Extraction(paper.key, paper.title, "paper", "proposes",
    ...                 name, "method", ev, "test", confidence))
    >>> [(f.extraction.object, f.extraction.object_aliases) for f in one_fact_per_statement(
    ...     [fact("X", 0, 0.8), fact("Xs", 20, 0.9), fact("X", 30, 0.9)])]
    [('Xs', ('X', 'X'))]
    """
    best: dict[tuple[str, str, str, str], Fact] = {}
    others: dict[tuple[str, str, str, str], list[Fact]] = {}
    for fact in facts:
        key = statement_key(fact)
        kept = best.get(key)
        if kept is None:
            best[key] = fact
            continue
        ex, old = fact.extraction, kept.extraction
        if (-ex.confidence, ex.evidence.start) < (-old.confidence, old.evidence.start):
            best[key] = fact
            fact, kept = kept, fact
        others.setdefault(key, []).append(fact)
    if not others:
        return list(best.values())
    out = []
    for key, fact in best.items():
        dropped = others.get(key)
        if dropped:
            ex = fact.extraction
            fact = replace(fact, extraction=replace(
                ex, object_aliases=ex.object_aliases + tuple(
                    s for d in dropped for s in (d.extraction.object, *d.extraction.object_aliases)),
                subject_aliases=ex.subject_aliases + tuple(
                    s for d in dropped if d.subject is not None
                    for s in (d.extraction.subject, *d.extraction.subject_aliases))))
        out.append(fact)
    return out


def entity_label(entity: Entity, surfaces: Counter[str]) -> str:
    """The label of an entity: its vocabulary name, else its most used surface form (ties broken
    alphabetically), else the label it was made with."""
    if entity.in_vocabulary or not surfaces:
        return entity.label
    return min(surfaces, key=lambda s: (-surfaces[s], s))


def _kind_class(entity: Entity) -> str:
    cls = KIND_CLASS.get(entity.kind)
    if cls is not None:
        return cls
    return FAMILY_CLASS if entity.is_family else METHOD_CLASS


def entity_triples(entity: Entity, label: str, alt_labels: Iterable[str]) -> list[Triple]:
    """An entity's type(s), label, other surface forms and method families."""
    s = entity_id(entity)
    out = [(s, A, _kind_class(entity))]
    if entity.is_family:   # typed as a Method too, so "?x a kgo:Method" needs no reasoner
        out.append((s, A, METHOD_CLASS))
    out.append((s, LABEL, (label, STRING)))
    out += [(s, ALT_LABEL, (alt, STRING)) for alt in sorted(set(alt_labels) - {label})]
    out += [(s, MEMBER_OF, family_id(family)) for family in entity.family_keys]
    return out


class EntityLabels:
    """Collects the surface forms seen for each entity (keyed by IRI text); picks a label
    deterministically."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.surfaces: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, entity: Entity, *surfaces: str) -> None:
        iri = entity_id(entity)
        self.entities.setdefault(iri, entity)
        for s in surfaces:
            if s:
                self.surfaces[iri][s] += 1

    def add_fact(self, fact: Fact) -> None:
        ex = fact.extraction
        self.add(fact.object, ex.object, *ex.object_aliases)
        if fact.subject is not None:
            self.add(fact.subject, ex.subject, *ex.subject_aliases)
        if fact.metric is not None:
            self.add(fact.metric, ex.metric)

    def triples(self) -> Iterator[Triple]:
        for iri in sorted(self.entities):
            entity = self.entities[iri]
            counts = self.surfaces[iri]
            yield from entity_triples(entity, entity_label(entity, counts), counts)


def family_triples(families: dict[str, str]) -> Iterator[Triple]:
    """Type and label of each method family referenced through kgo:memberOf."""
    for key, label in sorted(families.items()):
        iri = family_id(key)
        yield iri, A, FAMILY_CLASS
        yield iri, A, METHOD_CLASS
        yield iri, LABEL, (label, STRING)


def build_graph(papers: Iterable[tuple[Paper, Iterable[SourceRef]]], facts: Iterable[Fact],
                family_labels: dict[str, str] | None = None) -> Graph:
    """An rdflib graph of papers and facts (the in-memory path)."""
    graph = bind_prefixes(Graph())
    for paper, sources in papers:
        add_triples(graph, paper_triples(paper, sources))
    labels = EntityLabels()
    families: set[str] = set()
    for fact in one_fact_per_statement(facts):
        labels.add_fact(fact)
        for e in (fact.subject, fact.object):
            if e is not None:
                families.update(e.family_keys)
        add_triples(graph, fact_triples(fact))
    add_triples(graph, labels.triples())
    known = family_labels or {}
    for key in families:
        if family_id(key) not in labels.entities:
            add_triples(graph, family_triples({key: known.get(key, key)}))
    return graph

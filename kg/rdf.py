"""Papers and facts → RDF under our ontology (``ontology/kg.ttl``).

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
IRIs derive from content only (title hash, entity key, statement hash, result hash), so the same
input gives the same IRIs and an isomorphic graph.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.model import Entity, Fact, Paper, SourceRef, author_key

KGO = Namespace("https://w3id.org/kgpaper/ontology#")
KG_ID = "https://w3id.org/kgpaper/id/"
SCHEMA = Namespace("https://schema.org/")

Triple = tuple[URIRef, URIRef, URIRef | Literal]

PREFIXES = {"kgo": KGO, "dcterms": DCTERMS, "prov": PROV, "skos": SKOS, "rdfs": RDFS, "owl": OWL,
            "xsd": XSD, "schema": SCHEMA, "paper": Namespace(KG_ID + "paper/"),
            "method": Namespace(KG_ID + "method/"), "dataset": Namespace(KG_ID + "dataset/"),
            "stmt": Namespace(KG_ID + "statement/"), "foaf": FOAF, "author": Namespace(KG_ID + "author/"),
            "task": Namespace(KG_ID + "task/"), "metric": Namespace(KG_ID + "metric/"),
            "result": Namespace(KG_ID + "result/")}


# arXiv identifiers: "2106.13112", "hep-th/9901001", "math.GT/0309136", optionally versioned.
ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def paper_iri(paper_key: str) -> URIRef:
    return URIRef(_paper_id(paper_key))


def entity_iri(entity: Entity) -> URIRef:
    return URIRef(_entity_id(entity))


# The IRIs as plain strings, for the N-Triples writers (an rdflib URIRef validates each one).
def _paper_id(paper_key: str) -> str:
    return f"{KG_ID}paper/{paper_key}"


def _entity_id(entity: Entity) -> str:
    return f"{KG_ID}{entity.kind}/{entity.key}"


def family_iri(key: str) -> URIRef:
    return URIRef(_family_id(key))


def _family_id(key: str) -> str:
    return f"{KG_ID}method/{key}"


def statement_iri(paper_key: str, predicate: str, subject: str, obj: str) -> URIRef:
    return URIRef(_statement_id(paper_key, predicate, subject, obj))


def _statement_id(paper_key: str, predicate: str, subject: str, obj: str) -> str:
    digest = hashlib.sha1(f"{paper_key}|{predicate}|{subject}|{obj}".encode()).hexdigest()[:20]
    return f"{KG_ID}statement/{digest}"


def _result_id(paper_key: str, method: str, dataset: str, metric: str, value: str, method_label: str) -> str:
    digest = hashlib.sha1(f"{paper_key}|{method}|{dataset}|{metric}|{value}|{method_label}".encode()).hexdigest()[:20]
    return f"{KG_ID}result/{digest}"


def result_iri(fact: Fact) -> URIRef:
    """The node of a result fact: a hash of its paper, method, dataset, metric, value and the
    method's name as written (two variants' equal scores are two results)."""
    ex = fact.extraction
    return URIRef(_result_id(fact.paper.key, _entity_id(fact.subject), _entity_id(fact.object),
                             _entity_id(fact.metric), ex.value, ex.subject))


def author_iri(name: str) -> URIRef | None:
    """The author node of a name: deterministic from the normalised name (None when the name has
    no letter or digit). Two spellings that normalise alike ("Jörg Müller", "Muller, Jorg") meet."""
    key = author_key(name)
    return URIRef(f"{KG_ID}author/{key}") if key else None


def _source_text(source: SourceRef) -> str:
    return f"{source.path}:{source.line}" if source.line else source.path


# Input text becomes an IRI only when it is one: http(s), none of the characters IRIs exclude.
_WEB_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_DOI = re.compile(r"10\.\d{4,9}/[^\s<>\"{}|\\^`]+")


def source_triples(key: str, sources: Iterable[SourceRef]) -> Iterator[Triple]:
    """``kgo:source`` of the paper node ``key``, one per listing."""
    s = paper_iri(key)
    for source in sources:
        if source.path:
            yield s, KGO.source, Literal(_source_text(source))


def paper_triples(paper: Paper, sources: Iterable[SourceRef] = ()) -> Iterator[Triple]:
    """A paper's own triples: type, title, abstract, every listing it was read from, metadata
    (identifiers, links, dates, venue, categories, authors as ``foaf:Person`` nodes)."""
    s = paper_iri(paper.key)
    yield s, RDF.type, KGO.Paper
    yield s, DCTERMS.title, Literal(paper.title)
    yield s, DCTERMS.abstract, Literal(paper.abstract)
    yield from source_triples(paper.key, {paper.source, *sources})
    yield from metadata_triples(paper)


def paper_ntriples(paper: Paper, sources: Iterable[SourceRef] = ()) -> str:
    """``paper_triples(paper, sources)`` as N-Triples text: the paper's own triples from strings
    (an rdflib Literal per title and abstract cost more than the rest of the line), the optional
    metadata through :func:`metadata_triples` (tests/test_store.py checks both agree)."""
    from kg.ntriples import iri, lines, string

    s = iri(_paper_id(paper.key))
    nt = _NT
    out = [f"{s} {nt['type']} {nt['Paper']} .\n",
           f"{s} {nt['title']} {string(paper.title)} .\n",
           f"{s} {nt['abstract']} {string(paper.abstract)} .\n"]
    out.extend(f"{s} {nt['source']} {string(_source_text(source))} .\n"
               for source in {paper.source, *sources} if source.path)
    out.append(lines(metadata_triples(paper)))
    return "".join(out)


def metadata_triples(paper: Paper) -> Iterator[Triple]:
    """The triples of a paper's optional metadata. Monotone: a paper completed with more metadata
    (:func:`kg.model.merge_papers`) gives a superset, so the streaming build can add the difference."""
    s = paper_iri(paper.key)
    if paper.id:
        yield s, DCTERMS.identifier, Literal(paper.id)
    if paper.url:
        yield s, SCHEMA.url, Literal(paper.url, datatype=XSD.anyURI)
    if paper.date:
        yield s, DCTERMS.date, Literal(paper.date)
    if paper.updated:
        yield s, DCTERMS.modified, Literal(paper.updated)
    if paper.venue:
        yield s, KGO.venue, Literal(paper.venue)
    if paper.doi:
        yield s, KGO.doi, Literal(paper.doi)
        if _DOI.fullmatch(paper.doi):
            yield s, OWL.sameAs, URIRef(f"https://doi.org/{paper.doi}")
    if paper.arxiv_id:
        yield s, KGO.arxivId, Literal(paper.arxiv_id)
        if ARXIV_ID.fullmatch(paper.arxiv_id):   # input text becomes an IRI only when well-formed
            yield s, OWL.sameAs, URIRef(f"http://arxiv.org/abs/{paper.arxiv_id}")
    for link in paper.links:
        # the DOI resolver page is already the owl:sameAs above
        if link != paper.url and _WEB_IRI.fullmatch(link) and not (
                paper.doi and link.lower().endswith("doi.org/" + paper.doi)):
            yield s, RDFS.seeAlso, URIRef(link)
    for category in paper.categories:
        yield s, KGO.category, Literal(category)
    for author in paper.authors:
        a = author_iri(author)
        if a is not None:
            yield s, DCTERMS.creator, a
            yield a, RDF.type, FOAF.Person
            yield a, FOAF.name, Literal(author)


def added_metadata(before: Paper, after: Paper) -> list[Triple]:
    """The metadata triples ``after`` has and ``before`` has not (same paper node)."""
    old = set(metadata_triples(before))
    return [t for t in metadata_triples(after) if t not in old]


_KIND_CLASS = {"dataset": KGO.Dataset, "task": KGO.Task, "metric": KGO.Metric}


def _kind_class(entity: Entity) -> URIRef:
    cls = _KIND_CLASS.get(entity.kind)
    if cls is not None:
        return cls
    return KGO.MethodFamily if entity.is_family else KGO.Method


def value_literal(value: str) -> Literal:
    """A result's value in the one lexical form every store and serializer keeps: trailing zeros
    of the fraction dropped, a whole number an xsd:integer ("87.1", "49.0" → 49, "97.50" → 97.5).
    (Oxigraph writes decimals canonically, "49"; rdflib's Turtle writes that back as 49.0.)

    >>> value_literal("49.0").n3(), value_literal("97.50").n3(), value_literal(".5").n3()
    ('"49"^^<http://www.w3.org/2001/XMLSchema#integer>', '"97.5"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"0.5"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    whole, _, fraction = value.partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    if not fraction:
        return Literal(whole, datatype=XSD.integer)
    return Literal(f"{whole}.{fraction}", datatype=XSD.decimal)


def result_triples(fact: Fact) -> Iterator[Triple]:
    """A result fact: ``paper kgo:reportsResult r`` and the result node with its provenance."""
    ex = fact.extraction
    p_iri = paper_iri(fact.paper.key)
    r = result_iri(fact)
    metric = entity_iri(fact.metric)
    yield p_iri, KGO.reportsResult, r
    yield r, RDF.type, KGO.Result
    yield r, KGO.method, entity_iri(fact.subject)
    yield r, KGO.dataset, entity_iri(fact.object)
    yield r, KGO.metric, metric
    yield r, KGO.value, value_literal(ex.value)
    yield r, KGO.methodLabel, Literal(ex.subject)
    yield r, PROV.wasDerivedFrom, p_iri
    yield r, KGO.evidence, Literal(ex.evidence.sentence)
    yield r, KGO.evidenceStart, Literal(ex.evidence.start, datatype=XSD.integer)
    yield r, KGO.evidenceEnd, Literal(ex.evidence.end, datatype=XSD.integer)
    yield r, KGO.extractor, Literal(ex.extractor)
    yield r, KGO.confidence, Literal(Decimal(str(round(ex.confidence, 2))), datatype=XSD.decimal)
    if fact.metric.higher_is_better is not None:
        yield metric, KGO.higherIsBetter, Literal(fact.metric.higher_is_better)


def fact_triples(fact: Fact) -> Iterator[Triple]:
    """The direct triple of a fact and its reified statement with provenance (a result: its node,
    :func:`result_triples`)."""
    if fact.predicate == "reportsResult":
        yield from result_triples(fact)
        return
    ex = fact.extraction
    p_iri = paper_iri(fact.paper.key)
    subject = p_iri if fact.subject is None else entity_iri(fact.subject)
    obj = entity_iri(fact.object)
    predicate = KGO[fact.predicate]
    yield subject, predicate, obj
    st = statement_iri(fact.paper.key, fact.predicate, str(subject), str(obj))
    yield st, RDF.type, RDF.Statement
    yield st, RDF.subject, subject
    yield st, RDF.predicate, predicate
    yield st, RDF.object, obj
    yield st, PROV.wasDerivedFrom, p_iri
    yield st, KGO.evidence, Literal(ex.evidence.sentence)
    yield st, KGO.evidenceStart, Literal(ex.evidence.start, datatype=XSD.integer)
    yield st, KGO.evidenceEnd, Literal(ex.evidence.end, datatype=XSD.integer)
    yield st, KGO.extractor, Literal(ex.extractor)
    yield st, KGO.confidence, Literal(Decimal(str(round(ex.confidence, 2))), datatype=XSD.decimal)
    if ex.outcome:
        yield st, KGO.outcome, Literal(ex.outcome)


def statement_key(fact: Fact) -> tuple[str, str, str, str]:
    """What makes a fact's reified statement: (paper, predicate, subject, object), as IRI texts."""
    subject = _paper_id(fact.paper.key) if fact.subject is None else _entity_id(fact.subject)
    return fact.paper.key, fact.predicate, subject, _entity_id(fact.object)


def one_fact_per_statement(facts: Iterable[Fact]) -> list[Fact]:
    """One fact per statement: a paper may state a triple twice (a title "EfficientNet: …" and an
    abstract "… called EfficientNets"), but its statement holds ONE evidence (the graph contract,
    ontology/shapes.ttl). The best fact is kept: highest confidence, then earliest evidence, then
    the first extracted. The names the other facts saw are added to its aliases, so the entities'
    labels count every surface form as before. Order: the kept facts in the order first seen.

    >>> from kg.model import Entity, Evidence, Extraction, Fact, Paper
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


def _nt_iri(iri: str) -> str:
    from kg.ntriples import iri as nt_iri

    return nt_iri(iri)


# N-Triples spellings of the fixed terms of a statement (written once, not per fact)
_NT = {name: _nt_iri(str(term)) for name, term in {
    "type": RDF.type, "Statement": RDF.Statement, "subject": RDF.subject, "predicate": RDF.predicate,
    "object": RDF.object, "derived": PROV.wasDerivedFrom, "evidence": KGO.evidence,
    "start": KGO.evidenceStart, "end": KGO.evidenceEnd, "extractor": KGO.extractor,
    "confidence": KGO.confidence, "outcome": KGO.outcome, "Paper": KGO.Paper, "title": DCTERMS.title,
    "abstract": DCTERMS.abstract, "source": KGO.source, "label": RDFS.label, "altLabel": SKOS.altLabel,
    "memberOf": KGO.memberOf, "Method": KGO.Method, "MethodFamily": KGO.MethodFamily,
    "Dataset": KGO.Dataset, "Task": KGO.Task, "Metric": KGO.Metric}.items()}
_NT_INTEGER = "^^" + _nt_iri(str(XSD.integer))
_NT_DECIMAL = "^^" + _nt_iri(str(XSD.decimal))


def fact_ntriples(fact: Fact) -> str:
    """``fact_triples(fact)`` as N-Triples text, written straight from strings: the bulk path's
    hot loop, without an rdflib term per value (tests/test_store.py checks both agree on the seeds)."""
    from kg.ntriples import iri, string

    if fact.predicate == "reportsResult":   # (a few per paper at most: the rdflib terms cost little)
        from kg.ntriples import lines
        return lines(result_triples(fact))
    ex = fact.extraction
    key = fact.paper.key
    p_iri = _paper_id(key)
    subject = p_iri if fact.subject is None else _entity_id(fact.subject)
    obj = _entity_id(fact.object)
    st = _statement_id(key, fact.predicate, subject, obj)
    p = _NT_PREDICATES.get(fact.predicate)
    if p is None:
        p = iri(f"{KGO}{fact.predicate}")
        if len(_NT_PREDICATES) < 1000:
            _NT_PREDICATES[fact.predicate] = p
    extractor = _NT_EXTRACTORS.get(ex.extractor)
    if extractor is None:
        extractor = string(ex.extractor)
        if len(_NT_EXTRACTORS) < 1000:
            _NT_EXTRACTORS[ex.extractor] = extractor
    s, o, paper, node = iri(subject), iri(obj), iri(p_iri), f"<{st}>"   # (a statement IRI is a hex digest)
    nt = _NT
    confidence = _NT_CONFIDENCE.get(ex.confidence)
    if confidence is None:
        confidence = f'"{Decimal(str(round(ex.confidence, 2)))}"{_NT_DECIMAL}'
        if len(_NT_CONFIDENCE) < 1000:
            _NT_CONFIDENCE[ex.confidence] = confidence
    out = (f"{s} {p} {o} .\n"
           f"{node} {nt['type']} {nt['Statement']} .\n"
           f"{node} {nt['subject']} {s} .\n"
           f"{node} {nt['predicate']} {p} .\n"
           f"{node} {nt['object']} {o} .\n"
           f"{node} {nt['derived']} {paper} .\n"
           f"{node} {nt['evidence']} {string(ex.evidence.sentence)} .\n"
           f'{node} {nt["start"]} "{int(ex.evidence.start)}"{_NT_INTEGER} .\n'
           f'{node} {nt["end"]} "{int(ex.evidence.end)}"{_NT_INTEGER} .\n'
           f"{node} {nt['extractor']} {extractor} .\n"
           f"{node} {nt['confidence']} {confidence} .\n")
    if ex.outcome:
        out += f"{node} {nt['outcome']} {string(ex.outcome)} .\n"
    return out


_NT_CONFIDENCE: dict[float, str] = {}   # confidence → its N-Triples literal (a few dozen values)
_NT_PREDICATES: dict[str, str] = {}     # predicate → its N-Triples IRI (a few)
_NT_EXTRACTORS: dict[str, str] = {}     # extractor name → its N-Triples string (a few dozen)


def entity_label(entity: Entity, surfaces: Counter[str]) -> str:
    """The label of an entity: its vocabulary name, else its most used surface form (ties broken
    alphabetically), else the label it was made with."""
    if entity.in_vocabulary or not surfaces:
        return entity.label
    return min(surfaces, key=lambda s: (-surfaces[s], s))


def entity_ntriples(entity: Entity, label: str, alt_labels: Iterable[str]) -> str:
    """``entity_triples(...)`` as N-Triples text, written straight from strings: a big build
    writes a million entities' labels at its end, on one core (tests/test_store.py checks both agree)."""
    from kg.ntriples import iri, string

    nt = _NT
    s = iri(_entity_id(entity))
    kind = (nt["Dataset"] if entity.kind == "dataset" else nt["Task"] if entity.kind == "task"
            else nt["Metric"] if entity.kind == "metric" else nt["MethodFamily"] if entity.is_family else nt["Method"])
    out = [f"{s} {nt['type']} {kind} .\n"]
    if entity.is_family:
        out.append(f"{s} {nt['type']} {nt['Method']} .\n")
    out.append(f"{s} {nt['label']} {string(label)} .\n")
    for alt in sorted(set(alt_labels) - {label}):
        out.append(f"{s} {nt['altLabel']} {string(alt)} .\n")
    for family in entity.family_keys:
        out.append(f"{s} {nt['memberOf']} {iri(_family_id(family))} .\n")
    return "".join(out)


def entity_triples(entity: Entity, label: str, alt_labels: Iterable[str]) -> Iterator[Triple]:
    s = entity_iri(entity)
    yield s, RDF.type, _kind_class(entity)
    if entity.is_family:   # typed as a Method too, so "?x a kgo:Method" needs no reasoner
        yield s, RDF.type, KGO.Method
    yield s, RDFS.label, Literal(label)
    for alt in sorted(set(alt_labels) - {label}):
        yield s, SKOS.altLabel, Literal(alt)
    for family in entity.family_keys:
        yield s, KGO.memberOf, family_iri(family)


_ENTITY_IRIS: dict[str, URIRef] = {}   # entity_iri() of the entities seen lately, by their text


class EntityLabels:
    """Collects the surface forms seen for each entity; picks a label deterministically."""

    def __init__(self) -> None:
        self.entities: dict[URIRef, Entity] = {}
        self.surfaces: dict[URIRef, Counter[str]] = defaultdict(Counter)

    def add(self, entity: Entity, *surfaces: str) -> None:
        text = _entity_id(entity)
        iri = _ENTITY_IRIS.get(text)   # (an rdflib URIRef validates its text: made once per entity)
        if iri is None:
            if len(_ENTITY_IRIS) >= 100_000:
                _ENTITY_IRIS.clear()
            iri = _ENTITY_IRIS[text] = URIRef(text)
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
        iri = family_iri(key)
        yield iri, RDF.type, KGO.MethodFamily
        yield iri, RDF.type, KGO.Method
        yield iri, RDFS.label, Literal(label)


def build_graph(papers: Iterable[tuple[Paper, Iterable[SourceRef]]], facts: Iterable[Fact],
                family_labels: dict[str, str] | None = None) -> Graph:
    """An rdflib graph of papers and facts (the in-memory path)."""
    graph = bind_prefixes(Graph())
    for paper, sources in papers:
        for t in paper_triples(paper, sources):
            graph.add(t)
    labels = EntityLabels()
    families: set[str] = set()
    for fact in one_fact_per_statement(facts):
        labels.add_fact(fact)
        for e in (fact.subject, fact.object):
            if e is not None:
                families.update(e.family_keys)
        for t in fact_triples(fact):
            graph.add(t)
    for t in labels.triples():
        graph.add(t)
    known = family_labels or {}
    for key in families:
        if family_iri(key) not in labels.entities:
            for t in family_triples({key: known.get(key, key)}):
                graph.add(t)
    return graph

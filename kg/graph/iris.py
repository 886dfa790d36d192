"""The IRIs of the graph: namespaces, prefixes, and the node of each thing.

Every node IRI derives from content only (title hash, entity key, statement hash, result hash), so
the same input gives the same IRIs and an isomorphic graph. Each IRI has two spellings: the plain
text (``*_id``: what the mapping yields, :mod:`kg.graph.terms`) and, for the callers that look
nodes up in an rdflib graph, an rdflib ``URIRef`` (``*_iri``).

>>> paper_id("abc")
'https://w3id.org/kgpaper/id/paper/abc'
>>> statement_id("abc", "proposes", paper_id("abc"), "https://w3id.org/kgpaper/id/method/x")[-20:]
'2d972943d6e423f12eca'
"""
from __future__ import annotations

import hashlib

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDFS, SKOS, XSD

from kg.records import Entity, Fact, author_key

KGO = Namespace("https://w3id.org/kgpaper/ontology#")
KG_ID = "https://w3id.org/kgpaper/id/"
SCHEMA = Namespace("https://schema.org/")

PREFIXES = {"kgo": KGO, "dcterms": DCTERMS, "prov": PROV, "skos": SKOS, "rdfs": RDFS, "owl": OWL,
            "xsd": XSD, "schema": SCHEMA, "paper": Namespace(KG_ID + "paper/"),
            "method": Namespace(KG_ID + "method/"), "dataset": Namespace(KG_ID + "dataset/"),
            "stmt": Namespace(KG_ID + "statement/"), "foaf": FOAF, "author": Namespace(KG_ID + "author/"),
            "task": Namespace(KG_ID + "task/"), "metric": Namespace(KG_ID + "metric/"),
            "result": Namespace(KG_ID + "result/")}


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def paper_id(paper_key: str) -> str:
    return f"{KG_ID}paper/{paper_key}"


def entity_id(entity: Entity) -> str:
    return f"{KG_ID}{entity.kind}/{entity.key}"


def family_id(key: str) -> str:
    return f"{KG_ID}method/{key}"


def statement_id(paper_key: str, predicate: str, subject: str, obj: str) -> str:
    """The reified statement of (paper, predicate, subject IRI, object IRI): a hash of them."""
    digest = hashlib.sha1(f"{paper_key}|{predicate}|{subject}|{obj}".encode()).hexdigest()[:20]
    return f"{KG_ID}statement/{digest}"


def result_id(fact: Fact) -> str:
    """The node of a result fact: a hash of its paper, method, dataset, metric, value and the
    method's name as written (two variants' equal scores are two results)."""
    ex = fact.extraction
    text = (f"{fact.paper.key}|{entity_id(fact.subject)}|{entity_id(fact.object)}|{entity_id(fact.metric)}"
            f"|{ex.value}|{ex.subject}")
    return f"{KG_ID}result/{hashlib.sha1(text.encode()).hexdigest()[:20]}"


def author_id(name: str) -> str | None:
    """The author node of a name: deterministic from the normalised name (None when the name has
    no letter or digit). Two spellings that normalise alike ("Jörg Müller", "Muller, Jorg") meet."""
    key = author_key(name)
    return f"{KG_ID}author/{key}" if key else None


# The same nodes as rdflib terms, for looking them up in a graph.

def paper_iri(paper_key: str) -> URIRef:
    return URIRef(paper_id(paper_key))


def entity_iri(entity: Entity) -> URIRef:
    return URIRef(entity_id(entity))


def family_iri(key: str) -> URIRef:
    return URIRef(family_id(key))

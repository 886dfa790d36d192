"""The terms the mapping yields, light: made per fact on the bulk path, so they cost next to nothing.

- an IRI is a plain ``str`` (its text, unescaped);
- a literal is a pair ``(lexical form, datatype IRI)``, the datatype ``STRING`` (``""``) for a
  plain string (RDF 1.1: the same term as an ``xsd:string`` literal). A lexical form is the
  canonical one of its datatype (``"49"``, ``"0.9"``, ``"true"``), so every reader keeps it as is.

Two consumers read the same triples: :func:`kg.graph.ntriples.lines` writes them as N-Triples (the
bulk path) and :func:`rdflib_triples` turns them into rdflib terms (the in-memory graph).

>>> list(rdflib_triples([("http://ex/s", "http://ex/p", ("5", INTEGER))]))
[(rdflib.term.URIRef('http://ex/s'), rdflib.term.URIRef('http://ex/p'), rdflib.term.Literal('5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')))]
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph, Literal, URIRef

Term = str | tuple[str, str]
Triple = tuple[str, str, Term]

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
STRING = ""                       # a plain string literal
INTEGER = XSD_NS + "integer"
DECIMAL = XSD_NS + "decimal"
BOOLEAN = XSD_NS + "boolean"
ANY_URI = XSD_NS + "anyURI"


def rdflib_term(term: Term) -> URIRef | Literal:
    if type(term) is str:
        return URIRef(term)
    lexical, datatype = term
    return Literal(lexical, datatype=URIRef(datatype)) if datatype else Literal(lexical)


def rdflib_triples(triples: Iterable[Triple]) -> Iterator[tuple[URIRef, URIRef, URIRef | Literal]]:
    """The triples with rdflib terms."""
    for s, p, o in triples:
        yield URIRef(s), URIRef(p), rdflib_term(o)


def add_triples(graph: Graph, triples: Iterable[Triple]) -> Graph:
    """Add the triples to an rdflib graph (the in-memory path)."""
    for t in rdflib_triples(triples):
        graph.add(t)
    return graph


def graph_of(triples: Iterable[Triple]) -> Graph:
    """A new rdflib graph of the triples."""
    return add_triples(Graph(), triples)

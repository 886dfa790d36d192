"""Nodes of the graph found by name: the node a user means by "ResNet" or a paper's title, and
suggestions when no node has that name.

Used by the views (``kg viz --focus``, :mod:`kg.viz`) and by the named queries (an empty answer
says which names exist, :mod:`kg.query`). A name is always a bound value (``initBindings``, a
literal), never pasted into the query text.
"""
from __future__ import annotations

import difflib

from rdflib import Graph, Literal
from rdflib.namespace import RDFS

_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
"""
_OUR_TYPES = "?n a ?type . FILTER(?type IN (kgo:Paper, kgo:Method, kgo:MethodFamily, kgo:Dataset, kgo:Task))"
_NAMED_EXACT = _PREFIXES + "SELECT DISTINCT ?n WHERE { ?n rdfs:label|skos:altLabel|dcterms:title ?name . " + _OUR_TYPES + " }"
_NAMED_ANY_CASE = _PREFIXES + """SELECT DISTINCT ?n WHERE {
  ?n rdfs:label|skos:altLabel|dcterms:title ?l . FILTER(LCASE(STR(?l)) = LCASE(STR(?name))) . """ + _OUR_TYPES + " }"
_NAMES_CONTAINING = _PREFIXES + """SELECT DISTINCT ?l WHERE {
  ?n rdfs:label ?l . FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR(?name)))) } ORDER BY STRLEN(?l) ?l LIMIT 5"""


def find_nodes(graph: Graph, name: str) -> list[str]:
    """IRIs of the nodes called ``name`` (rdfs:label, skos:altLabel or dcterms:title): the exact
    spelling if any node has it, else any case. The name is a bound value, never query text."""
    for query in (_NAMED_EXACT, _NAMED_ANY_CASE):
        hits = sorted({str(r[0]) for r in graph.query(query, initBindings={"name": Literal(name)})})
        if hits:
            return hits
    return []


def similar_names(graph: Graph, name: str, limit: int = 5) -> list[str]:
    """Suggestions when a name finds nothing: labels containing it (any case, shortest first),
    then labels spelled alike ("resnt" → ResNet)."""
    if not name.strip():
        return []
    rows = graph.query(_NAMES_CONTAINING, initBindings={"name": Literal(name)})
    found = [str(r[0]) for r in rows][:limit]
    if len(found) < limit:
        labels = {str(label).lower(): str(label) for label in graph.objects(None, RDFS.label)}
        close = difflib.get_close_matches(name.lower(), sorted(labels), n=limit, cutoff=0.75)
        found += [labels[c] for c in close if labels[c] not in found]
    return found[:limit]

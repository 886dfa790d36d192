"""Triples → N-Triples text, for the bulk path (no rdflib Graph in between).

:mod:`kg.graph.mapping` is the one place that decides which triples exist; this module only writes
the triples its generators yield, term by term, as the `N-Triples <https://www.w3.org/TR/n-triples/>`_
lines Oxigraph bulk-loads. It takes the mapping's light terms (:mod:`kg.graph.terms`: an IRI a
``str``, a literal a ``(lexical, datatype)`` pair) and rdflib terms alike. A plain literal and an
``xsd:string`` literal are the same RDF term (RDF 1.1), so both are written without a datatype.

>>> print(lines([("http://ex/s", "http://ex/p", ('say "hi"\\n', "")),
...              ("http://ex/s", "http://ex/n", ("5", "http://www.w3.org/2001/XMLSchema#integer"))]), end="")
<http://ex/s> <http://ex/p> "say \\"hi\\"\\n" .
<http://ex/s> <http://ex/n> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .
>>> from rdflib import Literal, URIRef
>>> print(line((URIRef("http://ex/s"), URIRef("http://ex/p"), Literal("x", lang="en"))), end="")
<http://ex/s> <http://ex/p> "x"@en .
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Characters N-Triples does not allow raw: in IRIs (written as \\uXXXX) and in strings.
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STR_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _uchar(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04X}"


def iri(value: str) -> str:
    """``<value>``, with characters an IRIREF cannot hold written as UCHAR escapes."""
    if _IRI_BAD.search(value):
        value = _IRI_BAD.sub(_uchar, value)
    return f"<{value}>"


def string(value: str) -> str:
    """A quoted N-Triples string (ECHAR escapes, other control characters as UCHAR)."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'   # nothing to escape: every character escaped below is unprintable, " or \\
    value = (value.replace("\\", "\\\\").replace('"', '\\"')
             .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    if _STR_CTRL.search(value):
        value = _STR_CTRL.sub(_uchar, value)
    return f'"{value}"'


def literal(lexical: str, datatype: str = "") -> str:
    """A literal of the lexical form and datatype IRI (none, or xsd:string: a plain string)."""
    if not datatype or datatype == XSD_STRING:
        return string(lexical)
    return f"{string(lexical)}^^{iri(datatype)}"


def term(t: URIRef | Literal | BNode | str | tuple[str, str]) -> str:
    """One term in N-Triples syntax: a light term (:mod:`kg.graph.terms`) or an rdflib one."""
    cls = type(t)
    if cls is str:
        return iri(t)
    if cls is tuple:
        return literal(*t)
    if isinstance(t, Literal):
        if t.language:
            return f"{string(str(t))}@{t.language}"
        return literal(str(t), str(t.datatype) if t.datatype is not None else "")
    if isinstance(t, URIRef):
        return iri(str(t))
    if isinstance(t, BNode):
        return f"_:{t}"
    raise TypeError(f"not an RDF term: {t!r}")


# The N-Triples text of the light terms written lately. A build writes millions of triples whose
# IRIs and small literals (predicates, classes, entities, the statement node repeated as subject,
# confidences, offsets) recur, and looking a term up costs a fraction of escaping it again. Bounded:
# emptied when full (the recurring terms are back after a few facts). Only light terms are kept
# (an rdflib term hashes in Python, slower than writing it), and only short ones (an evidence
# sentence or an abstract seldom recurs).
_TEXT: dict[str | tuple[str, str], str] = {}
_TEXT_MAX = 20_000
_TEXT_LONGEST = 100


def _written(t) -> str:
    """The text of a term not in ``_TEXT``; kept there when it is light and short."""
    cls = type(t)
    if cls is str:
        text = iri(t)
    elif cls is tuple:
        text = literal(*t)
    else:
        return term(t)   # an rdflib term
    if len(text) <= _TEXT_LONGEST:
        if len(_TEXT) >= _TEXT_MAX:
            _TEXT.clear()
        _TEXT[t] = text
    return text


def line(triple: tuple) -> str:
    s, p, o = triple
    return f"{term(s)} {term(p)} {term(o)} .\n"


def lines(triples: Iterable[tuple]) -> str:
    """The N-Triples document of ``triples`` (one line each, in the order given)."""
    known = _TEXT.get
    out = []
    subject, subject_text = None, ""
    for s, p, o in triples:
        if s is not subject:   # (the mapping yields a node's triples in a row: its text looked up once)
            subject, subject_text = s, known(s) or _written(s)
        out.append(f"{subject_text} {known(p) or _written(p)} {known(o) or _written(o)} .\n")
    return "".join(out)

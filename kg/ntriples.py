"""rdflib triples → N-Triples text, for the bulk path (no rdflib Graph in between).

:mod:`kg.rdf` stays the one place that decides which triples exist; this module only writes the
triples its generators yield, term by term, as the `N-Triples <https://www.w3.org/TR/n-triples/>`_
lines Oxigraph bulk-loads. A plain literal and an ``xsd:string`` literal are the same RDF term
(RDF 1.1), so both are written without a datatype.

>>> from rdflib import Literal, URIRef
>>> print(line((URIRef("http://ex/s"), URIRef("http://ex/p"), Literal('say "hi"\\n'))), end="")
<http://ex/s> <http://ex/p> "say \\"hi\\"\\n" .
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


def term(t: URIRef | Literal | BNode) -> str:
    """One term in N-Triples syntax."""
    cls = type(t)
    if cls is URIRef:                       # the common cases first, without the isinstance chain
        return iri(t) if _IRI_BAD.search(t) else f"<{t}>"
    if cls is Literal and t.datatype is None and not t.language:
        return string(t)
    if isinstance(t, Literal):
        text = string(str(t))
        if t.language:
            return f"{text}@{t.language}"
        if t.datatype is None or str(t.datatype) == XSD_STRING:
            return text
        return f"{text}^^{iri(str(t.datatype))}"
    if isinstance(t, URIRef):
        return iri(str(t))
    if isinstance(t, BNode):
        return f"_:{t}"
    raise TypeError(f"not an RDF term: {t!r}")


def line(triple: tuple) -> str:
    s, p, o = triple
    return f"{term(s)} {term(p)} {term(o)} .\n"


def lines(triples: Iterable[tuple]) -> str:
    """The N-Triples document of ``triples`` (one line each, in the order given)."""
    return "".join([f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples])

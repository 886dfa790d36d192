"""SHACL Core shapes as SPARQL queries, run by Oxigraph: ``kg validate`` in time linear in the graph.

pySHACL walks every focus node in Python and, over the store, counts the whole store once per
result (oxrdflib's ``len``): 4k papers took over 500 s. The shapes file stays the definition; this
module reads it and turns each constraint of each shape into one SELECT that finds the offending
``?this`` (focus node) and ``?value`` (value node), the way pySHACL would report them:

    kgs:PaperShape  sh:targetClass kgo:Paper ; sh:property [ sh:path dcterms:title ; sh:maxCount 1 ]
        →  SELECT ?this WHERE { {focus nodes} OPTIONAL { ?this dcterms:title ?value } }
           GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > 1)

Supported: targets (class, implicit class, node, subjectsOf, objectsOf), predicate paths and
their inverses, and
the constraints sh:class, sh:datatype, sh:nodeKind, sh:minCount, sh:maxCount, sh:min/maxInclusive,
sh:min/maxExclusive, sh:min/maxLength, sh:in, sh:lessThan, sh:lessThanOrEquals, and sh:not, sh:or,
sh:and over shapes made of value constraints. A shapes graph using anything else raises
:class:`Unsupported` (``kg.validate`` then runs pySHACL).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, XSD
from rdflib.term import Node

from kg.sparql import values_clause


class Unsupported(ValueError):
    """The shapes use a feature this translation does not cover."""


@dataclass(frozen=True)
class ConstraintQuery:
    """One constraint of one shape, as a query selecting ``?this`` and, when pySHACL reports one,
    ``?value``."""

    shape: Node              # the shape the constraint belongs to (pySHACL's sh:sourceShape)
    parameter: URIRef        # sh:minCount, sh:class, ...
    argument: Node           # its value in the shapes graph
    path: Node | None        # the property shape's path (pySHACL's sh:resultPath)
    query: str
    reports_value: bool = True   # pySHACL reports no value node for sh:minCount and sh:maxCount


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_VALUE_PARAMETERS = {SH["class"], SH.datatype, SH.nodeKind, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
                     SH.maxExclusive, SH.minLength, SH.maxLength, SH["in"], SH["not"], SH["or"], SH["and"]}
_SUPPORTED = _VALUE_PARAMETERS | {SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals}
# constraint parameters that carry no constraint of their own (read with another parameter)
_COMPANIONS = {SH.flags, SH.ignoredProperties, SH.qualifiedMinCount, SH.qualifiedMaxCount,
               SH.qualifiedValueShapesDisjoint}
# datatypes whose lexical forms a cast checks, as pySHACL checks rdflib's ill_typed
_CASTABLE = {XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.boolean, XSD.date, XSD.dateTime}
_ILL_TYPED = "<urn:kg:ill-typed>"


def constraint_parameters() -> set[URIRef]:
    """Every parameter pySHACL reads as a constraint (to know which ones are not covered here)."""
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS

    return {URIRef(str(p)) for p in ALL_CONSTRAINT_PARAMETERS}


def _term(node: Node) -> str:
    if isinstance(node, (URIRef, Literal)):
        return node.n3()
    raise Unsupported(f"a blank node as a constraint argument ({node})")


def _list(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


class ShapesToSparql:
    """The queries of a shapes graph (see the module docstring)."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.known = constraint_parameters()

    # --------------------------------------------------------------------------- shapes and targets

    def _deactivated(self, shape: Node) -> bool:
        return any(bool(v.toPython()) if isinstance(v, Literal) else False
                   for v in self.shapes.objects(shape, SH.deactivated))

    def _targets(self, shape: Node) -> list[str]:
        g, out = self.shapes, []
        for cls in g.objects(shape, SH.targetClass):
            out.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {_term(cls)} .")
        types = set(g.objects(shape, RDF.type))
        if types & ({RDFS.Class, OWL.Class} | set(g.subjects(RDFS.subClassOf, RDFS.Class))):
            out.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {_term(shape)} .")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            for n in nodes:
                _term(n)          # (refuses blank nodes)
            out.append(values_clause(["this"], [[n] for n in nodes]))
        for p in g.objects(shape, SH.targetSubjectsOf):
            out.append(f"?this {_term(p)} ?_target .")
        for p in g.objects(shape, SH.targetObjectsOf):
            out.append(f"?_target {_term(p)} ?this .")
        if any(True for _ in g.objects(shape, SH.target)):
            raise Unsupported("sh:target (SPARQL-based targets)")
        return out

    def _focus(self, targets: list[str]) -> str:
        union = " UNION ".join(f"{{ {t} }}" for t in targets)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def _path(self, shape: Node) -> Node | None:
        """A property shape's path: a predicate, or ``[ sh:inversePath predicate ]``."""
        path = self.shapes.value(shape, SH.path)
        if path is not None and not isinstance(path, URIRef) and not isinstance(
                self.shapes.value(path, SH.inversePath), URIRef):
            raise Unsupported(f"a path other than a single property or its inverse ({path})")
        return path

    def _triple(self, path: Node) -> str:
        """The triple pattern from ?this along ``path`` to ?value."""
        if isinstance(path, URIRef):
            return f"?this <{path}> ?value ."
        return f"?value <{self.shapes.value(path, SH.inversePath)}> ?this ."

    def _constraints(self, shape: Node) -> Iterator[tuple[URIRef, Node]]:
        for p, o in sorted(self.shapes.predicate_objects(shape)):
            if p == SH.property:   # read by queries() and _conforms()
                continue
            if p in _SUPPORTED:
                yield p, o
            elif p in self.known and p not in _COMPANIONS:
                raise Unsupported(f"constraint {p}")

    def queries(self) -> list[ConstraintQuery]:
        """Every constraint of every shape with targets (and of its property shapes)."""
        g = self.shapes
        out: list[ConstraintQuery] = []
        shapes = {s for t in _TARGETS for s in g.subjects(t, None)}
        shapes |= {s for s in g.subjects(RDF.type, SH.NodeShape) if set(g.objects(s, RDF.type)) & {RDFS.Class, OWL.Class}}
        for shape in sorted(shapes):
            if self._deactivated(shape):
                continue
            targets = self._targets(shape)
            if not targets:
                continue
            focus = self._focus(targets)
            out.extend(self._shape_queries(shape, focus, self._path(shape)))
            if self._path(shape) is None:
                for prop in sorted(g.objects(shape, SH.property)):
                    if self._deactivated(prop):
                        continue
                    path = self._path(prop)
                    if path is None:
                        raise Unsupported(f"a property shape without sh:path ({prop})")
                    if any(True for _ in g.objects(prop, SH.property)):
                        raise Unsupported("property shapes inside a property shape")
                    out.extend(self._shape_queries(prop, focus, path))
            elif any(True for _ in g.objects(shape, SH.property)):
                raise Unsupported("property shapes inside a property shape")
        return out

    # --------------------------------------------------------------------------- constraints

    def _shape_queries(self, shape: Node, focus: str, path: Node | None) -> Iterator[ConstraintQuery]:
        values = self._triple(path) if path is not None else "BIND (?this AS ?value)"
        for parameter, argument in self._constraints(shape):
            if parameter in (SH.minCount, SH.maxCount):
                if path is None:
                    raise Unsupported(f"{parameter} on a node shape")
                op = "<" if parameter == SH.minCount else ">"
                query = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {int(argument)})")
            elif parameter in (SH.lessThan, SH.lessThanOrEquals):
                if path is None:
                    raise Unsupported(f"{parameter} on a node shape")
                op = "<" if parameter == SH.lessThan else "<="
                query = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} ?this {_term(argument)} ?_other . "
                         f"FILTER (!COALESCE(?value {op} ?_other, false)) }}")
            else:
                ok = self._ok(parameter, argument, "?value", depth=0)
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} FILTER (!({ok})) }}"
            yield ConstraintQuery(shape, parameter, argument, path, query,
                                  parameter not in (SH.minCount, SH.maxCount))

    def _ok(self, parameter: URIRef, argument: Node, var: str, depth: int) -> str:
        """A SPARQL expression, never an error: whether ``var`` satisfies one value constraint."""
        if depth > 8:
            raise Unsupported("shapes nested too deep")
        if parameter == SH["class"]:
            return f"EXISTS {{ {var} <{RDF.type}>/<{RDFS.subClassOf}>* {_term(argument)} }}"
        if parameter == SH.datatype:
            return self._datatype_ok(argument, var)
        if parameter == SH.nodeKind:
            kinds = {SH.IRI: f"isIRI({var})", SH.BlankNode: f"isBlank({var})", SH.Literal: f"isLiteral({var})",
                     SH.BlankNodeOrIRI: f"(isIRI({var}) || isBlank({var}))",
                     SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
                     SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))"}
            if argument not in kinds:
                raise Unsupported(f"sh:nodeKind {argument}")
            return kinds[argument]
        if parameter in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            op = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}[parameter]
            return f"(isLiteral({var}) && COALESCE({var} {op} {_term(argument)}, false))"
        if parameter in (SH.minLength, SH.maxLength):
            op = ">=" if parameter == SH.minLength else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {op} {int(argument)})"
        if parameter == SH["in"]:
            members = [f"sameTerm({var}, {_term(m)})" for m in _list(self.shapes, argument)]
            return "(" + (" || ".join(members) or "false") + ")"
        if parameter == SH["not"]:
            return f"!({self._conforms(argument, var, depth + 1)})"
        if parameter in (SH["or"], SH["and"]):
            parts = [self._conforms(s, var, depth + 1) for s in _list(self.shapes, argument)]
            joiner = " || " if parameter == SH["or"] else " && "
            return "(" + (joiner.join(parts) or ("false" if parameter == SH["or"] else "true")) + ")"
        raise Unsupported(f"constraint {parameter}")

    def _conforms(self, shape: Node, var: str, depth: int) -> str:
        """Whether ``var`` conforms to a shape made of value constraints only."""
        if self._path(shape) is not None or any(True for _ in self.shapes.objects(shape, SH.property)):
            raise Unsupported("property shapes inside sh:not, sh:or or sh:and")
        if self._deactivated(shape):
            return "true"
        parts = []
        for parameter, argument in self._constraints(shape):
            if parameter not in _VALUE_PARAMETERS:
                raise Unsupported(f"{parameter} inside sh:not, sh:or or sh:and")
            parts.append(self._ok(parameter, argument, var, depth))
        return "(" + (" && ".join(parts) or "true") + ")"

    @staticmethod
    def _datatype_ok(datatype: Node, var: str) -> str:
        if datatype == RDFS.Literal:
            return f"isLiteral({var})"
        if datatype == RDF.langString:
            return f"(isLiteral({var}) && LANG({var}) != \"\")"
        if not isinstance(datatype, URIRef):
            raise Unsupported(f"sh:datatype {datatype}")
        same = f"(isLiteral({var}) && DATATYPE({var}) = <{datatype}>)"
        if datatype in _CASTABLE:   # well-formed too: "1.5"^^xsd:integer is not an integer
            return f"({same} && isLiteral(COALESCE(<{datatype}>(STR({var})), {_ILL_TYPED})))"
        return same


def shape_queries(shapes: Graph) -> list[ConstraintQuery]:
    """The queries of ``shapes``; raises :class:`Unsupported` when some constraint has none."""
    return ShapesToSparql(shapes).queries()


def run(store, queries: Iterable[ConstraintQuery]) -> Iterator[tuple[ConstraintQuery, Node, Node | None]]:
    """(query, focus node, value node or None) for every result of ``queries`` on an Oxigraph store
    (its default graph)."""
    from kg.oxstore import from_ox

    for cq in queries:
        for row in store.query(cq.query):
            yield cq, from_ox(row["this"]), from_ox(row["value"]) if cq.reports_value else None



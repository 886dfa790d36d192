"""Check a built graph against the graph contract: ``ontology/shapes.ttl`` run with pySHACL.

The shapes file holds SHACL Core shapes (run by pySHACL, no inference) and a few whole-graph
rules that SHACL Core cannot say, as ``kgs:GraphCheck`` resources with a SPARQL ``sh:select``
(run here, one query each). Every broken rule becomes a :class:`Violation` that reads as one line:

    paper/0a1b2c3d4e5f6789: dcterms:title — exactly one title expected, found 2

The library never prints; ``kg validate`` formats the report.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

KGS = Namespace("https://w3id.org/kgpaper/shapes#")


def default_shapes() -> Path:
    """``shapes.ttl`` of the ontology folder ($KG_ONTOLOGY_DIR, else ``ontology/`` beside ``kg``)."""
    from kg.vocab import ontology_dir

    return ontology_dir() / "shapes.ttl"


_SHORT = (("https://w3id.org/kgpaper/id/", ""), ("https://w3id.org/kgpaper/ontology#", "kgo:"),
          ("https://w3id.org/kgpaper/shapes#", "kgs:"), ("http://purl.org/dc/terms/", "dcterms:"),
          ("http://www.w3.org/ns/prov#", "prov:"), ("http://www.w3.org/2000/01/rdf-schema#", "rdfs:"),
          ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf:"), ("http://www.w3.org/ns/shacl#", "sh:"),
          ("http://www.w3.org/2004/02/skos/core#", "skos:"), ("http://www.w3.org/2001/XMLSchema#", "xsd:"),
          ("http://www.w3.org/2002/07/owl#", "owl:"), ("https://schema.org/", "schema:"),
          ("http://xmlns.com/foaf/0.1/", "foaf:"))


def short(term: Node | str) -> str:
    """Our IRIs by their path ("paper/abc"), vocabulary IRIs by prefix ("dcterms:title")."""
    text = str(term)
    for prefix, replacement in _SHORT:
        if text.startswith(prefix):
            return replacement + text[len(prefix):]
    return text


def show_value(term: Node | None, limit: int = 60) -> str:
    """A value as it appears in a message: IRIs shortened, literals quoted, long text cut."""
    if term is None:
        return ""
    if not isinstance(term, Literal):
        return short(term)
    text = str(term)
    text = repr(text if len(text) <= limit else text[: limit - 1] + "…")
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None:
        return f"{text}^^{short(term.datatype)}"
    return text


@dataclass(frozen=True)
class Violation:
    """One broken rule at one node."""

    focus: str                 # IRI of the node that breaks the rule
    path: str                  # the property concerned ("dcterms:title"), "" for a rule about the node
    message: str               # the rule, in words (the shape's sh:message)
    detail: str = ""           # what was found instead: "found 2", "value '1.5'^^xsd:decimal"
    severity: str = "Violation"
    constraint: str = ""       # the SHACL constraint component or graph check that failed
    value: str = ""            # the offending value, when there is one

    def __str__(self) -> str:
        where = f"{short(self.focus)}: {self.path} — " if self.path else f"{short(self.focus)}: "
        level = "" if self.severity == "Violation" else f"[{self.severity}] "
        return f"{level}{where}{self.message}" + (f", {self.detail}" if self.detail else "")


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    triples: int
    shapes: str
    seconds: float
    shapes_run: int = 0        # SHACL node and property shapes
    checks_run: int = 0        # kgs:GraphCheck queries
    by_rule: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        rules = f"{self.shapes_run} SHACL shapes and {self.checks_run} graph checks"
        if self.conforms:
            return f"{self.triples} triples: conforms ({rules}, {self.seconds:.1f}s)"
        return (f"{self.triples} triples: {len(self.violations)} violation(s) of {len(self.by_rule)} rule(s) "
                f"({rules}, {self.seconds:.1f}s)")


def load_shapes(shapes: str | Path | Graph | None = None) -> Graph:
    if isinstance(shapes, Graph):
        return shapes
    return Graph().parse(Path(shapes) if shapes else default_shapes(), format="turtle")


def validate(graph: Graph, shapes: str | Path | Graph | None = None, engine: str = "auto") -> ValidationReport:
    """Check ``graph`` against the shapes (``ontology/shapes.ttl`` by default); never changes it.

    ``engine``: ``"sparql"`` runs each SHACL constraint as one SPARQL query on Oxigraph
    (:mod:`kg.shapes_sparql`; the store itself for a store-backed graph, an in-memory copy
    otherwise): time linear in the graph, 10k papers in seconds. ``"pyshacl"`` runs pySHACL (and
    the graph checks with rdflib), as the definition of the results: both give the same
    violations (tests/test_validate_scale.py). ``"auto"``: ``"sparql"`` unless the shapes use a
    feature it does not translate.
    """
    from kg.shapes_sparql import Unsupported, shape_queries

    if engine not in ("auto", "sparql", "pyshacl"):
        raise ValueError(f"unknown engine {engine!r}: auto, sparql or pyshacl")
    t0 = time.perf_counter()
    shapes_graph = load_shapes(shapes)
    queries = None
    if engine != "pyshacl":
        try:
            queries = shape_queries(shapes_graph)
        except Unsupported:
            if engine == "sparql":
                raise
    if queries is None:
        violations, conforms, data = _pyshacl_violations(graph, shapes_graph)
        run_check = lambda check: run_graph_check(data, shapes_graph, check)
    else:
        store = _oxigraph(graph)
        violations, conforms = _sparql_violations(store, queries, graph, shapes_graph), True
        run_check = lambda check: run_graph_check(graph, shapes_graph, check, store)
    checks = list(shapes_graph.subjects(RDF.type, KGS.GraphCheck))
    for check in checks:
        violations.update(run_check(check))
    violations = sorted(violations, key=lambda v: (v.focus, v.path, v.message, v.detail))
    by_rule: dict[str, int] = {}
    for v in violations:
        by_rule[v.message] = by_rule.get(v.message, 0) + 1
    n_shapes = len(set(shapes_graph.subjects(RDF.type, SH.NodeShape)) | set(shapes_graph.subjects(SH.path, None)))
    from kg.oxstore import triple_count

    return ValidationReport(
        conforms=bool(conforms) and not any(v.severity == "Violation" for v in violations),
        violations=violations, triples=triple_count(graph), shapes=str(shapes) if isinstance(shapes, (str, Path)) else str(default_shapes()) if shapes is None else "<graph>",
        seconds=round(time.perf_counter() - t0, 3), shapes_run=n_shapes, checks_run=len(checks), by_rule=by_rule)


def _pyshacl_violations(graph: Graph, shapes_graph: Graph) -> tuple[set[Violation], bool, Graph]:
    """pySHACL's results as violations, on an in-memory copy of a store-backed graph (over the
    store, pySHACL counts every triple once per result)."""
    from pyshacl import validate as shacl_validate

    from kg.oxstore import memory_copy, oxigraph_of

    store = oxigraph_of(graph)
    data = memory_copy(store) if store is not None else graph
    shapes_copy = Graph()   # pySHACL adds its own triples to the shapes graph it is given
    for t in shapes_graph:
        shapes_copy.add(t)
    for prefix, ns in shapes_graph.namespaces():
        shapes_copy.bind(prefix, ns, override=True)
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes_copy, inference="none",
                                          allow_warnings=True, abort_on_first=False)
    nested = set(results.objects(None, SH.detail))   # details of a result are reported on their own
    violations = {_from_result(results, r, data, shapes_copy)
                  for r in results.subjects(RDF.type, SH.ValidationResult) if r not in nested}
    return violations, bool(conforms), data


def _oxigraph(graph: Graph):
    """The Oxigraph store behind ``graph``, else an in-memory Oxigraph copy of it."""
    import pyoxigraph as ox
    from oxrdflib._converter import to_ox

    from kg.oxstore import oxigraph_of

    store = oxigraph_of(graph)
    if store is not None:
        return store
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph)
    return store


def _sparql_violations(store, queries, graph: Graph, shapes_graph: Graph) -> set[Violation]:
    from kg.shapes_sparql import run

    generic = _GenericMessages(shapes_graph, graph)
    out = set()
    for cq, focus, value in run(store, queries):
        own = sorted(str(m) for m in shapes_graph.objects(cq.shape, SH.message))
        messages = own or generic(cq, focus, value)
        severity = shapes_graph.value(cq.shape, SH.severity) or SH.Violation
        component = _COMPONENTS.get(cq.parameter, "")
        out.add(_violation(focus, cq.path, value, component, severity, cq.shape, messages, graph, shapes_graph))
    return out


# constraint parameter → pySHACL's constraint component (the name a violation reports)
_COMPONENTS = {SH[p]: f"{c}ConstraintComponent" for p, c in (
    ("class", "Class"), ("datatype", "Datatype"), ("nodeKind", "NodeKind"), ("minCount", "MinCount"),
    ("maxCount", "MaxCount"), ("minInclusive", "MinInclusive"), ("maxInclusive", "MaxInclusive"),
    ("minExclusive", "MinExclusive"), ("maxExclusive", "MaxExclusive"), ("minLength", "MinLength"),
    ("maxLength", "MaxLength"), ("in", "In"), ("lessThan", "LessThan"), ("lessThanOrEquals", "LessThanOrEquals"),
    ("not", "Not"), ("or", "Or"), ("and", "And"))}


class _GenericMessages:
    """pySHACL's own wording for a shape without sh:message (its constraint components make it)."""

    def __init__(self, shapes_graph: Graph, data: Graph) -> None:
        self.shapes_graph, self.data, self._sg = shapes_graph, data, None

    def __call__(self, cq, focus: Node, value: Node | None) -> list[str]:
        from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP
        from pyshacl.shapes_graph import ShapesGraph

        if self._sg is None:
            copy = Graph()
            for t in self.shapes_graph:
                copy.add(t)
            for prefix, ns in self.shapes_graph.namespaces():
                copy.bind(prefix, ns, override=True)
            self._sg = ShapesGraph(copy)
            self._sg.shapes   # noqa: B018 - builds pySHACL's shape cache
        component = CONSTRAINT_PARAMETERS_MAP[cq.parameter](self._sg.lookup_shape_from_node(cq.shape))
        return sorted(str(m) for m in component.make_generic_messages(self.data, focus, value))


def run_graph_check(graph: Graph, shapes_graph: Graph, check: Node, store=None) -> list[Violation]:
    """One ``kgs:GraphCheck``: its SPARQL selects ``?this`` (and ``?path``, ``?value``) where the
    rule is broken. With ``store`` (an Oxigraph store holding ``graph``), Oxigraph runs it."""
    select = shapes_graph.value(check, SH.select)
    message = str(shapes_graph.value(check, SH.message) or short(check))
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in shapes_graph.namespaces() if p)
    if store is not None:
        from kg.oxstore import from_ox

        rows = ({k: from_ox(row[k]) for k in ("this", "path", "value") if _projects(select, k) and row[k] is not None}
                for row in store.query(prefixes + str(select)))
    else:
        rows = (row.asdict() for row in graph.query(prefixes + str(select)))
    out = []
    for found in rows:
        this, path, value = found.get("this"), found.get("path"), found.get("value")
        out.append(Violation(str(this), short(path) if path is not None else "", message,
                             f"value {show_value(value)}" if value is not None else "",
                             "Violation", short(check), "" if value is None else str(value)))
    return out


def _projects(select: Node, var: str) -> bool:
    """Whether a graph check's SELECT projects ``?var`` (Oxigraph refuses unknown names)."""
    head = str(select).split("WHERE", 1)[0]
    return f"?{var}" in head.split() or "*" in head


_DETAIL = {  # constraint component → how to say what was found (value shown when there is one)
    "MinCountConstraintComponent": "count",
    "MaxCountConstraintComponent": "count",
}


def _from_result(results: Graph, r: Node, data: Graph, shapes_graph: Graph) -> Violation:
    source_shape = results.value(r, SH.sourceShape)
    return _violation(results.value(r, SH.focusNode), results.value(r, SH.resultPath), results.value(r, SH.value),
                      str(results.value(r, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
                      results.value(r, SH.resultSeverity), source_shape,
                      sorted(str(m) for m in results.objects(r, SH.resultMessage)), data, shapes_graph)


def _violation(focus: Node, path: Node | None, value: Node | None, name: str, severity: Node | None,
               source_shape: Node | None, messages: list[str], data: Graph, shapes_graph: Graph) -> Violation:
    """A SHACL result as one line: the shape's own message, what was found."""
    own = sorted(str(m) for m in shapes_graph.objects(source_shape, SH.message)) if source_shape is not None else []
    message = (own or messages or ["constraint violated"])[0]
    detail = ""
    if _DETAIL.get(name) == "count" and isinstance(path, URIRef):
        detail = f"found {len(set(data.objects(focus, path)))}"
    elif name == "ClassConstraintComponent" and value is not None:
        cls = shapes_graph.value(source_shape, SH["class"])
        types = ", ".join(sorted(short(t) for t in data.objects(value, RDF.type))) or "no type"
        detail = f"value {show_value(value)} is not a {short(cls)} ({types})"
    elif name == "DatatypeConstraintComponent" and isinstance(value, Literal):
        dt = "rdf:langString" if value.language else short(value.datatype) if value.datatype else "xsd:string"
        detail = f"value {show_value(value)} is {dt}"
    elif name == "NodeKindConstraintComponent" and value is not None:
        detail = f"value {show_value(value)} is a {'literal' if isinstance(value, Literal) else 'blank node' if not isinstance(value, URIRef) else 'IRI'}"
    elif value is not None and value != focus:
        detail = f"value {show_value(value)}"
    return Violation(
        focus=str(focus),
        path=short(path) if path is not None else "",
        message=message,
        detail=detail,
        severity=short(severity).removeprefix("sh:") if severity is not None else "Violation",
        constraint=f"sh:{name}" if name else "",
        value="" if value is None else str(value),
    )

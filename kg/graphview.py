"""The RDF graph seen as a plain property graph (nodes with types, edges with relations), and the
views people ask for: a neighbourhood, some node types, some relations, the most connected part.

Shared by analysis (networkx) and visualisation (vis-network). The graph is read with a few
SPARQL SELECTs (one per kind of thing), not by walking triples: over the Oxigraph store each
rdflib triple lookup is a round trip, a SELECT is one query in Oxigraph's engine. The view
functions are pure: a PropertyGraph in, a new PropertyGraph out.
"""
from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.names import find_nodes, similar_names
from kg.oxstore import oxigraph_of
from kg.graph.iris import KGO

NODE_TYPES = ("paper", "method", "family", "dataset", "task")
RELATIONS = ("proposes", "evaluatesOn", "comparesTo")      # what the extractors find between entities
VIEW_RELATIONS = RELATIONS + ("memberOf", "addressesTask")   # plus method → family, paper → task
_TYPE_PRIORITY = {"family": 0, "dataset": 1, "task": 2, "method": 3, "paper": 4}   # a family is also a kgo:Method

@dataclass(frozen=True)
class Support:
    """One paper's support for an edge: the reified statement behind it."""
    paper: str                  # paper IRI
    title: str
    evidence: str
    outcome: str | None = None  # comparisons only


@dataclass
class EdgeInfo:
    relation: str
    supports: list[Support] = field(default_factory=list)
    derived: bool = False       # not in the graph: a view's shortcut over papers left out

    @property
    def papers(self) -> list[str]:
        """Titles of the supporting papers."""
        return [s.title for s in self.supports]

    @property
    def evidence(self) -> list[str]:
        return [s.evidence for s in self.supports]

    @property
    def outcomes(self) -> list[str]:
        return [s.outcome for s in self.supports if s.outcome]


Key = tuple[str, str, str]      # (subject IRI, relation, object IRI)


@dataclass
class PropertyGraph:
    nodes: dict[str, dict] = field(default_factory=dict)       # iri → {"type", "label"}
    edges: dict[Key, EdgeInfo] = field(default_factory=dict)

    def subgraph(self, keep: Iterable[str]) -> PropertyGraph:
        """The nodes in ``keep`` and the edges between them."""
        keep = set(keep) & self.nodes.keys()
        return PropertyGraph({n: d for n, d in self.nodes.items() if n in keep},
                             {k: e for k, e in self.edges.items() if k[0] in keep and k[2] in keep})


# --------------------------------------------------------------------------- reading the RDF graph

def property_graph(graph: Graph, tasks: bool = True) -> PropertyGraph:
    """Nodes (papers, methods, families, datasets and, with ``tasks``, tasks), relation edges
    (proposes, evaluatesOn, comparesTo, memberOf, addressesTask) and, on each extracted edge, the
    papers and sentences supporting it."""
    pg = PropertyGraph(nodes=_read_nodes(graph, tasks))
    for rel in VIEW_RELATIONS if tasks else VIEW_RELATIONS[:-1]:
        for s, o in subject_objects(graph, KGO[rel]):
            if s in pg.nodes and o in pg.nodes:
                pg.edges[(s, rel, o)] = EdgeInfo(rel)
    _attach_supports(graph, pg)
    return pg


def subject_objects(graph: Graph, predicate, obj=None) -> Iterator[tuple[str, str]]:
    """(subject, object) strings of one triple pattern: a single read, one call into the store.
    On Oxigraph the quads are read directly (strings, no rdflib terms: 5x faster on a big store);
    joins happen in Python dicts (rdflib's SPARQL engine needs ~4 s to join 10k statements in its
    memory store, where these scans take 0.15 s)."""
    ox_store = oxigraph_of(graph)
    if ox_store is not None:
        import pyoxigraph as ox

        target = None if obj is None else ox.NamedNode(str(obj))
        for q in ox_store.quads_for_pattern(None, ox.NamedNode(str(predicate)), target, ox.DefaultGraph()):
            yield q.subject.value, q.object.value
    else:
        for s, o in graph.subject_objects(predicate) if obj is None else ((s, obj) for s in graph.subjects(predicate, obj)):
            yield str(s), str(o)


def _scan(graph: Graph, predicate) -> dict[str, list[str]]:
    """subject → objects of one predicate."""
    out: dict[str, list[str]] = defaultdict(list)
    for s, o in subject_objects(graph, predicate):
        out[s].append(o)
    return out


def _read_nodes(graph: Graph, tasks: bool = True) -> dict[str, dict]:
    kind_of: dict[str, str] = {}
    classes = [(KGO.Paper, "paper"), (KGO.Method, "method"), (KGO.Dataset, "dataset"), (KGO.MethodFamily, "family")]
    for cls, kind in classes + ([(KGO.Task, "task")] if tasks else []):
        for n, _ in subject_objects(graph, RDF.type, cls):
            if n not in kind_of or _TYPE_PRIORITY[kind] < _TYPE_PRIORITY[kind_of[n]]:
                kind_of[n] = kind                      # a family is also a kgo:Method
    titles, labels = _scan(graph, DCTERMS.title), _scan(graph, RDFS.label)
    nodes = {}
    for n, kind in kind_of.items():
        names = titles.get(n) if kind == "paper" else labels.get(n)
        # the smallest name when there are several: the same page for the same graph
        nodes[n] = {"type": kind, "label": min(names) if names else n}
    return dict(sorted(nodes.items()))


def _attach_supports(graph: Graph, pg: PropertyGraph) -> None:
    """Each reified statement (rdf:subject/predicate/object, prov:wasDerivedFrom, kgo:evidence,
    kgo:outcome) becomes a Support on the edge it is about."""
    subject, predicate, obj = (_first(graph, p) for p in (RDF.subject, RDF.predicate, RDF.object))
    paper, evidence, outcome = (_first(graph, p) for p in (PROV.wasDerivedFrom, KGO.evidence, KGO.outcome))
    titles = {iri: n["label"] for iri, n in pg.nodes.items() if n["type"] == "paper"}
    for st, pred in predicate.items():
        edge = pg.edges.get((subject.get(st, ""), _local(pred), obj.get(st, "")))
        if edge is None:
            continue
        source = paper.get(st, "")
        edge.supports.append(Support(paper=source, title=titles.get(source, source),
                                     evidence=evidence.get(st, ""), outcome=outcome.get(st)))
    for edge in pg.edges.values():
        edge.supports.sort(key=lambda x: (x.title, x.evidence, x.outcome or ""))


def _first(graph: Graph, predicate) -> dict[str, str]:
    return {s: min(os) for s, os in _scan(graph, predicate).items()}


def _local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1]


# --------------------------------------------------------------------------- results

def result_boards(graph: Graph) -> dict[str, list]:
    """Dataset IRI → its leaderboards (:func:`kg.leaderboard.leaderboards`: one board per metric,
    ranked best first in the metric's direction), for every dataset with results.

    Each dataset's boards are ranked on a small graph holding that dataset's results and the
    names they need: one leaderboard query per dataset over the whole graph would scan every
    result each time (results × datasets); this way the work grows with the results alone."""
    from kg.leaderboard import leaderboards
    from kg.normalize import resolve
    from kg.graph.iris import entity_iri
    from kg.vocab import default_vocabulary

    results = sorted(set(graph.subjects(RDF.type, KGO.Result)))
    if not results:
        return {}
    vocab = default_vocabulary()
    names: dict = {}                     # node → the triples that name it (labels, families, direction)

    def naming(node) -> list:
        if node not in names:
            found = [t for p in (RDFS.label, DCTERMS.title, KGO.higherIsBetter, KGO.memberOf)
                     for t in graph.triples((node, p, None))]
            if (node, RDF.type, KGO.MethodFamily) in graph:
                found.append((node, RDF.type, KGO.MethodFamily))
            for _, _, family in graph.triples((node, KGO.memberOf, None)):
                found += list(graph.triples((family, RDFS.label, None)))
            names[node] = found
        return names[node]

    by_dataset: dict = defaultdict(list)
    for r in results:
        own = list(graph.triples((r, None, None)))
        dataset = next((o for _, p, o in own if p == KGO.dataset), None)
        if dataset is not None:
            by_dataset[dataset].append(own)
    boards: dict[str, list] = {}
    for dataset in sorted(by_dataset):
        label = next((str(o) for *_, o in graph.triples((dataset, RDFS.label, None))), None)
        if label is None:
            continue
        # the board looks the dataset up by name: its node here is the one that name resolves to
        named = entity_iri(resolve(label, "dataset", vocab))
        small = Graph()
        for own in by_dataset[dataset]:
            for s, p, o in own:
                small.add((s, p, named if o == dataset else o))
                if p in (KGO.method, KGO.metric, PROV.wasDerivedFrom):
                    for t in naming(o):
                        small.add(t)
        small.add((named, RDFS.label, Literal(label)))
        found = leaderboards(small, label, vocab=vocab)
        if found:
            boards[str(dataset)] = found
    return boards


# --------------------------------------------------------------------------- views

def degrees(pg: PropertyGraph) -> dict[str, int]:
    """Number of edges at each node (either direction).

    >>> pg = PropertyGraph({"p": {"type": "paper", "label": "P"}, "m": {"type": "method", "label": "M"}},
    ...                    {("p", "proposes", "m"): EdgeInfo("proposes")})
    >>> degrees(pg)
    {'p': 1, 'm': 1}
    """
    deg = dict.fromkeys(pg.nodes, 0)
    for s, _, o in pg.edges:
        deg[s] += 1
        deg[o] += 1
    return deg


def select_types(pg: PropertyGraph, types: Iterable[str]) -> PropertyGraph:
    """Only nodes of the given types. Without papers, a method (or family) and a dataset are joined
    by a derived ``evaluatesOn`` edge when a paper proposes the one and evaluates on the other, so a
    method–dataset map keeps what the papers said.

    >>> pg = PropertyGraph({"p": {"type": "paper", "label": "P"}, "m": {"type": "method", "label": "M"},
    ...                     "d": {"type": "dataset", "label": "D"}},
    ...                    {("p", "proposes", "m"): EdgeInfo("proposes"), ("p", "evaluatesOn", "d"): EdgeInfo("evaluatesOn")})
    >>> sorted(select_types(pg, ["method", "dataset"]).edges)
    [('m', 'evaluatesOn', 'd')]
    """
    types = set(types)
    view = pg.subgraph(n for n, d in pg.nodes.items() if d["type"] in types)
    if "paper" not in types:
        view.edges.update(_derived_evaluations(pg, view.nodes.keys()))
    return view


def _derived_evaluations(pg: PropertyGraph, keep) -> dict[Key, EdgeInfo]:
    """method → dataset edges over the papers of ``pg`` that are not kept (they would be lost)."""
    proposed, evaluated = defaultdict(list), defaultdict(list)
    for (s, rel, o), edge in pg.edges.items():
        if s in keep or o not in keep:
            continue
        if rel == "proposes":
            proposed[s].append(o)
        elif rel == "evaluatesOn":
            evaluated[s].append((o, edge))
    derived: dict[Key, EdgeInfo] = {}
    for paper in sorted(proposed.keys() & evaluated.keys()):
        for method in proposed[paper]:
            for dataset, edge in evaluated[paper]:
                info = derived.setdefault((method, "evaluatesOn", dataset), EdgeInfo("evaluatesOn", derived=True))
                info.supports.extend(edge.supports)
    return derived


def select_relations(pg: PropertyGraph, relations: Iterable[str]) -> PropertyGraph:
    """Only edges of the given relations, and the nodes they touch.

    >>> pg = PropertyGraph({"a": {"type": "method", "label": "A"}, "b": {"type": "method", "label": "B"},
    ...                     "p": {"type": "paper", "label": "P"}},
    ...                    {("a", "comparesTo", "b"): EdgeInfo("comparesTo"), ("p", "proposes", "a"): EdgeInfo("proposes")})
    >>> sorted(select_relations(pg, ["comparesTo"]).nodes)
    ['a', 'b']
    """
    relations = set(relations)
    edges = {k: e for k, e in pg.edges.items() if k[1] in relations}
    touched = {n for s, _, o in edges for n in (s, o)}
    return PropertyGraph({n: d for n, d in pg.nodes.items() if n in touched}, edges)


def neighbourhood(pg: PropertyGraph, centres: Iterable[str], depth: int) -> PropertyGraph:
    """The nodes within ``depth`` edges of any centre (edges followed both ways).

    >>> pg = PropertyGraph({x: {"type": "method", "label": x} for x in "abc"},
    ...                    {("a", "comparesTo", "b"): EdgeInfo("comparesTo"), ("b", "comparesTo", "c"): EdgeInfo("comparesTo")})
    >>> sorted(neighbourhood(pg, ["a"], 1).nodes)
    ['a', 'b']
    """
    adjacent = defaultdict(set)
    for s, _, o in pg.edges:
        adjacent[s].add(o)
        adjacent[o].add(s)
    seen = {c for c in centres if c in pg.nodes}
    frontier = deque((c, 0) for c in sorted(seen))
    while frontier:
        node, dist = frontier.popleft()
        if dist == depth:
            continue
        for other in adjacent[node] - seen:
            seen.add(other)
            frontier.append((other, dist + 1))
    return pg.subgraph(seen)


def most_connected(pg: PropertyGraph, n: int, keep: Iterable[str] = ()) -> PropertyGraph:
    """The ``n`` nodes with the most edges (ties by label), always including ``keep``. Papers cut
    out still join what they proposed to what they evaluated on, by derived edges (on a big
    corpus the hubs are methods and datasets, and papers, with two or three edges each, go).

    >>> pg = PropertyGraph({x: {"type": "method", "label": x} for x in "abc"},
    ...                    {("a", "comparesTo", "b"): EdgeInfo("comparesTo"), ("a", "comparesTo", "c"): EdgeInfo("comparesTo")})
    >>> sorted(most_connected(pg, 2).nodes)
    ['a', 'b']
    """
    if len(pg.nodes) <= n:
        return pg
    deg = degrees(pg)
    chosen = sorted({k for k in keep if k in pg.nodes})[:n]
    ranked = sorted(pg.nodes, key=lambda v: (-deg[v], pg.nodes[v]["label"], v))
    pinned = set(chosen)
    rest = [v for v in ranked if v not in pinned]
    view = pg.subgraph(chosen + rest[: n - len(chosen)])
    for key, edge in _derived_evaluations(pg, view.nodes.keys()).items():
        view.edges.setdefault(key, edge)
    return view


# --------------------------------------------------------------------------- networkx

def pg_to_networkx(pg: PropertyGraph):
    """A networkx MultiDiGraph (node attrs: type, label; edge attrs: relation, papers (a count),
    outcomes, supports: one dict per supporting paper with its title, outcome and sentence)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for iri, data in pg.nodes.items():
        g.add_node(iri, **data)
    for (s, rel, o), e in pg.edges.items():
        g.add_edge(s, o, key=rel, relation=rel, papers=len(e.supports) or 1, outcomes=list(e.outcomes),
                   supports=[{"paper": x.title, "outcome": x.outcome, "evidence": x.evidence} for x in e.supports])
    return g


def to_networkx(graph: Graph, tasks: bool = False):
    """The property graph of an RDF graph as a networkx MultiDiGraph (without tasks by default:
    ``kg stats`` counts papers, methods, families and datasets)."""
    return pg_to_networkx(property_graph(graph, tasks))


__all__ = ["NODE_TYPES", "RELATIONS", "VIEW_RELATIONS", "Support", "EdgeInfo", "PropertyGraph",
           "property_graph", "result_boards", "find_nodes", "similar_names", "degrees", "select_types", "select_relations",
           "neighbourhood", "most_connected", "pg_to_networkx", "to_networkx"]

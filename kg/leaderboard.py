"""Leaderboards from the graph: the results papers report on a dataset, ranked best first in the
metric's direction (``kgo:higherIsBetter``; unknown metrics count as higher-better).

Names go through the vocabularies: "ImageNet" is ImageNet-1K, "top-1" is top-1 accuracy, "COCO
detection" is object detection. With no metric, one board per metric reported on the dataset;
with a task, only results of papers that address it or a narrower task (the task vocabulary's
``skos:broader``). Every row keeps the paper and the sentence that states the value.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Graph, URIRef

from kg.vocab import Vocabulary, default_vocabulary

COLUMNS = ("rank", "method", "family", "value", "metric", "dataset", "paper", "evidence")
EXTRA_COLUMNS = ("confidence", "result")

_RESULTS = """
PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?r ?m ?methodLabel ?methodName ?value ?x ?metric ?higher ?datasetLabel ?paper ?title ?evidence ?confidence
WHERE {
  ?r a kgo:Result ; kgo:dataset ?d ; kgo:metric ?x ; kgo:value ?value ; kgo:method ?m ;
     kgo:methodLabel ?methodLabel ; prov:wasDerivedFrom ?paper ; kgo:evidence ?evidence ;
     kgo:confidence ?confidence .
  ?d rdfs:label ?datasetLabel . ?x rdfs:label ?metric . ?m rdfs:label ?methodName .
  ?paper dcterms:title ?title .
  OPTIONAL { ?x kgo:higherIsBetter ?higher }
}"""

_FAMILIES = """
PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?m ?family WHERE {
  { ?m kgo:memberOf ?f . ?f rdfs:label ?family } UNION { ?m a kgo:MethodFamily ; rdfs:label ?family }
}"""

_TASK_PAPERS = """
PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
SELECT DISTINCT ?paper WHERE { ?paper kgo:addressesTask ?t }"""


@dataclass
class Row:
    rank: int
    method: str          # as the paper names it (variant kept)
    family: str          # the method's family ("" when unknown)
    value: str           # as written
    metric: str
    dataset: str
    paper: str           # the paper's title
    evidence: str        # the sentence stating the value
    confidence: str = ""
    result: str = ""     # the result node's IRI


@dataclass
class Board:
    dataset: str
    metric: str
    higher_is_better: bool | None
    rows: list[Row] = field(default_factory=list)


def _iri(name: str, kind: str, vocab: Vocabulary) -> URIRef:
    from kg.normalize import resolve
    from kg.graph.iris import entity_iri

    return entity_iri(resolve(name, kind, vocab))


def _task_iris(name: str, vocab: Vocabulary) -> set[URIRef]:
    """The task and every narrower one the vocabulary knows."""
    from kg.graph.iris import KG_ID

    concept = vocab.lookup(name, kind="task")
    if concept is None:
        return {_iri(name, "task", vocab)}
    keys = {concept.key}
    grew = True
    while grew:
        narrower = {c.key for c in vocab.concepts.values() if c.kind == "task" and keys & set(c.families)}
        grew = not narrower <= keys
        keys |= narrower
    return {URIRef(f"{KG_ID}task/{k}") for k in keys}


def dataset_editions(dataset: str, vocab: Vocabulary | None = None) -> list[str]:
    """The editions of a dataset series the vocabulary knows (``skos:broader`` the series), each
    a dataset with a board of its own.

    >>> dataset_editions("PASCAL VOC"), dataset_editions("ImageNet-1K")
    (['PASCAL VOC 2007', 'PASCAL VOC 2012'], [])
    """
    vocab = vocab or default_vocabulary()
    series = vocab.lookup(dataset, kind="dataset")
    if series is None:
        return []
    return sorted(c.label for c in vocab.concepts.values() if c.kind == "dataset" and series.key in c.families)


_COUNTS = """
PREFIX kgo: <https://w3id.org/kgpaper/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?datasetLabel ?metric (COUNT(DISTINCT ?r) AS ?n)
WHERE { ?r a kgo:Result ; kgo:dataset ?d ; kgo:metric ?x . ?d rdfs:label ?datasetLabel . ?x rdfs:label ?metric }
GROUP BY ?datasetLabel ?metric"""


def boards_available(graph: Graph, dataset: str | None = None,
                     vocab: Vocabulary | None = None) -> list[tuple[str, str, int]]:
    """The (dataset, metric, results) boards the graph holds, most results first; only
    ``dataset``'s (any name the vocabulary knows) when given. What to suggest when a board asked
    for is empty.

    >>> from kg.graph.mapping import bind_prefixes
    >>> boards_available(bind_prefixes(Graph()))
    []
    """
    vocab = vocab or default_vocabulary()
    bindings = {}
    if dataset is not None:
        from rdflib import Variable

        bindings[Variable("d")] = _iri(dataset, "dataset", vocab)
    rows = [(str(d), str(x), int(n)) for d, x, n in graph.query(_COUNTS, initBindings=bindings)]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


def _number(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        return Decimal(0)


def leaderboards(graph: Graph, dataset: str, metric: str | None = None, task: str | None = None,
                 vocab: Vocabulary | None = None) -> list[Board]:
    """The boards of ``dataset`` (one per metric, or only ``metric``'s), best first."""
    vocab = vocab or default_vocabulary()
    from rdflib import Variable

    bindings = {Variable("d"): _iri(dataset, "dataset", vocab)}
    if metric:
        bindings[Variable("x")] = _iri(metric, "metric", vocab)
    rows = list(graph.query(_RESULTS, initBindings=bindings))
    papers = None
    if task:
        papers = set()
        for t in _task_iris(task, vocab):
            papers.update(r[0] for r in graph.query(_TASK_PAPERS, initBindings={Variable("t"): t}))
    families: dict = {}
    for m, family in graph.query(_FAMILIES):
        families.setdefault(m, set()).add(str(family))
    boards: dict[str, Board] = {}
    for (r, m, method_label, method_name, value, x, metric_label, higher, dataset_label, paper, title,
         evidence, confidence) in rows:
        if papers is not None and paper not in papers:
            continue
        board = boards.get(str(metric_label))
        if board is None:
            board = boards[str(metric_label)] = Board(str(dataset_label), str(metric_label),
                                                      None if higher is None else bool(higher.toPython()))
        board.rows.append(Row(0, str(method_label), ", ".join(sorted(families.get(m, ()))), str(value),
                              str(metric_label), str(dataset_label), str(title), str(evidence),
                              str(confidence), str(r)))
    out = []
    for name in sorted(boards, key=lambda k: (-len(boards[k].rows), k)):
        board = boards[name]
        lower = board.higher_is_better is False
        board.rows.sort(key=lambda row: (_number(row.value) if lower else -_number(row.value),
                                         row.method.casefold(), row.paper))
        for i, row in enumerate(board.rows, 1):
            row.rank = i
        out.append(board)
    return out


def format_boards(boards: list[Board], fmt: str = "table") -> str:
    """Tables (one per metric, with a heading), one CSV (header ``COLUMNS`` then extras), or JSON."""
    if fmt == "json":
        return json.dumps([{"dataset": b.dataset, "metric": b.metric, "higher_is_better": b.higher_is_better,
                            "rows": [asdict(r) for r in b.rows]} for b in boards], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS + EXTRA_COLUMNS)
        for b in boards:
            for r in b.rows:
                w.writerow([getattr(r, c) for c in COLUMNS + EXTRA_COLUMNS])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    from kg.query import QueryResult, format_result

    parts = []
    for b in boards:
        direction = {True: "higher is better", False: "lower is better", None: "direction unknown: higher first"}
        parts.append(f"{b.dataset} — {b.metric} ({direction[b.higher_is_better]})")
        parts.append(format_result(QueryResult(list(COLUMNS), [[str(getattr(r, c)) for c in COLUMNS] for r in b.rows]),
                                   "table"))
    return "\n\n".join(p for p in parts) if parts else ""

"""The in-memory build (``kg build --store memory``): every paper read, extracted and mapped to
one rdflib graph, and the outputs replaced. No store, no worker: the options that concern them
are refused when the :class:`~kg.build.options.BuildOptions` are made.

Imports the inputs, the extraction and the RDF mapping (:func:`kg.graph.mapping.build_graph`).
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kg.build.inputs import read_corpus
from kg.build.options import BuildOptions
from kg.build.report import BuildReport, ProgressFn
from kg.build.staging import StagedBuild
from kg.build.worker import extract_facts, family_labels
from kg.oxstore import has_store
from kg.graph.iris import KGO
from kg.graph.mapping import build_graph


def build_in_memory(paths: Iterable[str | Path], out_dir: str | Path,
                    options: BuildOptions = BuildOptions(store="memory"),
                    progress: ProgressFn | None = None) -> BuildReport:
    """Build the graph of the listings in ``paths`` in memory and write ``graph.ttl`` and
    ``report.json`` into ``out_dir`` (:func:`staged_memory_build`)."""
    with staged_memory_build(paths, out_dir, options, progress) as staged:
        pass
    return staged.report


@contextmanager
def staged_memory_build(paths: Iterable[str | Path], out_dir: str | Path,
                        options: BuildOptions = BuildOptions(store="memory"),
                        progress: ProgressFn | None = None) -> Iterator[StagedBuild]:
    """Build in memory; the outputs replace the folder's when the ``with`` block ends without an
    error (steps in it stage theirs). Nothing is written when no paper could be read, so a failed
    run leaves the previous outputs intact. ``progress`` receives the number of papers extracted.
    """
    if options.store != "memory":
        raise ValueError(f"an in-memory build needs store='memory', not {options.store!r}")
    if has_store(out_dir):
        raise ValueError(f"{out_dir} holds a kg store: build into it without store='memory', "
                         "or choose another output folder")
    out = Path(out_dir)
    report = BuildReport(min_confidence=options.min_confidence)
    t0 = time.perf_counter()
    corpus = read_corpus(paths, options.format, report, options.categories, options.read_options())
    t1 = time.perf_counter()
    if not report.ok:
        report.seconds = {"read": round(t1 - t0, 3)}
        yield StagedBuild(out, report, writing=False)
        return
    facts = list(extract_facts((p for p, _ in corpus), options.min_confidence, progress, options.model))
    t2 = time.perf_counter()
    graph = build_graph(corpus, facts, family_labels())
    t3 = time.perf_counter()
    report.triples = len(graph)
    for fact in facts:
        report.relations[fact.predicate] = report.relations.get(fact.predicate, 0) + 1
    report.entities = entity_counts(graph)

    def finish() -> None:
        t4 = time.perf_counter()
        report.seconds = {"read": round(t1 - t0, 3), "extract": round(t2 - t1, 3),
                          "rdf": round(t3 - t2, 3), "write": round(t4 - t3, 3), "total": round(t4 - t0, 3)}

    staged = StagedBuild(out, report, graph=lambda: graph, finish=finish)
    try:
        staged.stage("graph.ttl", lambda p: graph.serialize(p, format="turtle", encoding="utf-8"))
        yield staged
        staged.commit()
    finally:
        staged.discard()


def entity_counts(graph: Graph) -> dict[str, int]:
    """Papers, methods, method families, datasets: a family (typed kgo:Method too) counts as a
    family only, as ``kg stats`` counts it (kg.analysis.ENTITY_NAMES)."""
    counts = {name: len(set(graph.subjects(RDF.type, KGO[name])))
              for name in ("Paper", "Method", "MethodFamily", "Dataset")}
    counts["Method"] -= counts["MethodFamily"]
    return counts

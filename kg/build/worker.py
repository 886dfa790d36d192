"""Extraction, where it runs: papers → facts (:func:`extract_facts`, both builds), and a batch of
papers → N-Triples and entity bookkeeping (:func:`extract_batch`, the store build's task, run in
this process, in worker processes or on a Dask cluster).

Imports the extraction and the RDF mapping; nothing of the build's store side.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.build.report import ProgressFn
from kg.extract import available_extractors, extract
from kg.learn.model import load_model
from kg.records import Fact, Paper, SourceRef
from kg.normalize import normalise
from kg.graph.mapping import EntityLabels, fact_triples, one_fact_per_statement, paper_triples
from kg.graph.ntriples import lines
from kg.stats import FactCounts
from kg.vocab import default_vocabulary


def extract_facts(papers: Iterable[Paper], min_confidence: float = 0.0,
                  progress: ProgressFn | None = None, model: str | None = None) -> Iterator[Fact]:
    """Extract and normalise every paper's triples, keeping those at or above ``min_confidence``.

    ``model``: the extraction model's file (None: the shipped default; "rules": no model)."""
    vocab = default_vocabulary()
    decider = load_model(model)
    for i, paper in enumerate(papers, 1):
        extractions = [e for e in extract(paper, vocab, model=decider) if e.confidence >= min_confidence]
        # one fact per statement here, where both builds (memory, store) take their facts
        yield from one_fact_per_statement(normalise(paper, extractions, vocab))
        if progress:
            progress(i)


@dataclass
class BatchResult:
    """What a worker sends back for a batch of papers (small, picklable)."""

    nt: bytes
    entities: list[tuple]          # (iri, kind, key, label, family_keys json, is_family, in_vocabulary), first seen first
    surfaces: list[tuple]          # (iri, surface, count)
    families: dict[str, str]       # family key → label, for families referenced by the batch
    relations: dict[str, int] = field(default_factory=dict)
    facts: int = 0
    counts: FactCounts | None = None   # for the stats graph (kg.stats)


_FAMILY_LABELS: dict[str, str] | None = None


def family_labels() -> dict[str, str]:
    """Family key → label, for every family of the vocabulary (once per process)."""
    global _FAMILY_LABELS
    if _FAMILY_LABELS is None:
        _FAMILY_LABELS = {k: c.label for k, c in default_vocabulary().concepts.items() if c.is_family}
    return _FAMILY_LABELS


def warm_up() -> None:
    """Load the vocabulary and extractors (what a worker process does before its first batch)."""
    family_labels()
    available_extractors()


def extract_batch(batch: list[tuple[Paper, tuple[SourceRef, ...]]], min_confidence: float = 0.0,
                  model: str | None = None) -> BatchResult:
    """Extract a batch of papers into N-Triples and entity bookkeeping. Runs in worker processes
    (local or Dask); a pure function of its input, so where it runs does not change the graph."""
    families_known = family_labels()
    parts: list[str] = []
    for paper, sources in batch:   # (the reading process keeps each paper's record: SideTable.add_paper)
        parts.append(lines(paper_triples(paper, sources)))
    labels = EntityLabels()
    families: dict[str, str] = {}
    relations: Counter[str] = Counter()
    counts = FactCounts()
    facts = 0
    for fact in extract_facts((p for p, _ in batch), min_confidence, model=model):
        facts += 1
        counts.add(fact)
        relations[fact.predicate] += 1
        labels.add_fact(fact)
        for e in (fact.subject, fact.object):
            if e is not None:
                for k in e.family_keys:
                    families[k] = families_known.get(k, k)
        parts.append(lines(fact_triples(fact)))
    entities = [(iri, e.kind, e.key, e.label, json.dumps(list(e.family_keys)), int(e.is_family), int(e.in_vocabulary))
                for iri, e in labels.entities.items()]
    surfaces = [(iri, s, n) for iri, counts in labels.surfaces.items() for s, n in counts.items()]
    return BatchResult("".join(parts).encode("utf-8"), entities, surfaces, families, dict(relations), facts,
                       counts.finished())

"""Materialised statistics: the counts behind the whole-graph named queries, kept by every store
build so those queries read a few thousand triples instead of scanning every statement (at 1M
papers, live: datasets_by_papers 10 s, most_compared_methods 31 s, family_outcomes 49 s).

    facts of a batch ─ FactCounts.add (where the facts are made: worker or Dask) ─▶ side table
        (SQLite: counts of every build summed; a paper is extracted once per store, so they add up)
        ─ leaderboard_triples, at the end of each build ─▶ the store's graph ``STATS_GRAPH``

The stats graph holds, for the ``LEADERBOARD`` most counted datasets and methods (ties included):
``dataset kgo:evaluatedInPapers n``; ``method kgo:comparisonStatements n ; kgo:comparedInPapers n``;
and one ``kgo:FamilyComparison`` node per (family, outcome, family) with its ``kgo:statementCount``.
It is derived data: not part of ``graph.ttl`` or exports, rewritten by each build. A named query
``NAME`` with a twin ``NAME.stats.rq`` runs the twin on a store that has the graph
(:func:`kg.query.run_named`); tests/test_stats.py checks both give the same rows.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.records import Entity, Fact

STATS_GRAPH = "https://w3id.org/kgpaper/id/stats"
LEADERBOARD = 1000      # datasets / methods kept in the stats graph (more when the last ones tie)

KGO = "https://w3id.org/kgpaper/ontology#"


def _iri(entity: Entity) -> str:
    return f"https://w3id.org/kgpaper/id/{entity.kind}/{entity.key}"


def _family(key: str) -> str:
    return f"https://w3id.org/kgpaper/id/method/{key}"


def families_of(entity: Entity) -> set[str]:
    """IRIs of the families a method counts under in family_outcomes (``?m kgo:memberOf? ?f .
    ?f a kgo:MethodFamily``): the families it is a member of, and itself when it is one."""
    out = {_family(k) for k in entity.family_keys}
    if entity.is_family:
        out.add(_iri(entity))
    return out


@dataclass
class FactCounts:
    """Counts of one batch of facts, as the named queries count them (distinct statements and
    papers). Plain Counters: picklable, and summed by :meth:`update`.

    >>> from kg.records import Entity
    >>> counts = FactCounts()
    >>> counts.datasets["https://w3id.org/kgpaper/id/dataset/coco"] += 1
    >>> counts.datasets["https://w3id.org/kgpaper/id/dataset/coco"]
    1
    """

    datasets: Counter = field(default_factory=Counter)              # dataset IRI → papers evaluating on it
    method_statements: Counter = field(default_factory=Counter)     # method IRI → comparison statements
    method_papers: Counter = field(default_factory=Counter)         # method IRI → papers comparing it
    family_outcomes: Counter = field(default_factory=Counter)       # (family IRI, outcome, family IRI) → statements
    _seen: set = field(default_factory=set, repr=False)

    def add(self, fact: Fact) -> None:
        """Count one fact (a fact repeating a statement of the same paper counts once)."""
        paper = fact.paper.key
        if fact.predicate == "evaluatesOn":
            key = ("e", paper, fact.object.key)
            if key not in self._seen:
                self._seen.add(key)
                self.datasets[_iri(fact.object)] += 1
            return
        if fact.predicate != "comparesTo" or fact.subject is None:
            return
        s, o = _iri(fact.subject), _iri(fact.object)
        statement = ("c", paper, s, o)
        if statement not in self._seen:
            self._seen.add(statement)
            for m in {s, o}:
                self.method_statements[m] += 1
                if ("p", paper, m) not in self._seen:
                    self._seen.add(("p", paper, m))
                    self.method_papers[m] += 1
        outcome = fact.extraction.outcome
        if outcome and (statement, outcome) not in self._seen:
            self._seen.add((statement, outcome))
            for fa in families_of(fact.subject):
                for fb in families_of(fact.object):
                    if fa != fb:
                        self.family_outcomes[(fa, outcome, fb)] += 1

    def update(self, other: "FactCounts") -> None:
        """Add another batch's counts (batches hold different papers, so counts add)."""
        self.datasets.update(other.datasets)
        self.method_statements.update(other.method_statements)
        self.method_papers.update(other.method_papers)
        self.family_outcomes.update(other.family_outcomes)

    def size(self) -> int:
        return len(self.datasets) + len(self.method_statements) + len(self.family_outcomes)

    def finished(self) -> "FactCounts":
        """The counts without the per-paper bookkeeping (what a worker sends back)."""
        return FactCounts(self.datasets, self.method_statements, self.method_papers, self.family_outcomes)


@dataclass(frozen=True)
class Leaderboards:
    """What the stats graph holds: plain rows, read from the side table."""

    datasets: list[tuple[str, int]]                   # (IRI, papers)
    methods: list[tuple[str, int, int]]               # (IRI, statements, papers)
    family_outcomes: list[tuple[str, str, str, int]]  # (family IRI, outcome, family IRI, statements)


def leaderboard_triples(boards: Leaderboards) -> Iterator[tuple]:
    """The stats graph's triples (light terms, :mod:`kg.graph.terms`)."""
    from kg.graph.terms import INTEGER, STRING

    def count(n: int) -> tuple[str, str]:
        return str(int(n)), INTEGER

    for d, n in boards.datasets:
        yield d, f"{KGO}evaluatedInPapers", count(n)
    for m, statements, papers in boards.methods:
        yield m, f"{KGO}comparisonStatements", count(statements)
        yield m, f"{KGO}comparedInPapers", count(papers)
    for fa, outcome, fb, n in boards.family_outcomes:
        digest = hashlib.sha1(f"{fa}|{outcome}|{fb}".encode()).hexdigest()[:20]
        node = f"{STATS_GRAPH}/family-comparison/{digest}"
        yield node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"{KGO}FamilyComparison"
        yield node, f"{KGO}familyA", fa
        yield node, f"{KGO}comparisonOutcome", (outcome, STRING)
        yield node, f"{KGO}familyB", fb
        yield node, f"{KGO}statementCount", count(n)


def leaderboard_ntriples(boards: Leaderboards) -> str:
    """The stats graph's triples as N-Triples (loaded into ``STATS_GRAPH``).

    >>> print(leaderboard_ntriples(Leaderboards([("http://ex/d", 3)], [], [])), end="")
    <http://ex/d> <https://w3id.org/kgpaper/ontology#evaluatedInPapers> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
    """
    from kg.graph.ntriples import lines

    return lines(leaderboard_triples(boards))


def count_facts(facts: Iterable[Fact]) -> FactCounts:
    """The counts of ``facts`` (any number of papers, each paper's facts given once).

    >>> count_facts([]).size()
    0
    """
    counts = FactCounts()
    for fact in facts:
        counts.add(fact)
    return counts.finished()


def top_with_ties(rows: Iterator[tuple], top: int, key: int = 1) -> list[tuple]:
    """The first ``top`` rows of ``rows`` (sorted by ``row[key]`` descending), and every later
    row that ties with the last one: a LIMIT over them then equals the LIMIT over all rows.

    >>> top_with_ties(iter([("a", 5), ("b", 3), ("c", 3), ("d", 1)]), 2)
    [('a', 5), ('b', 3), ('c', 3)]
    """
    out: list[tuple] = []
    for row in rows:
        if len(out) >= top and row[key] != out[-1][key]:
            break
        out.append(row)
    return out

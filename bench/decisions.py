"""Held-out decisions, candidate by candidate: what each learned decision keeps wrongly and drops
rightly on papers its model never saw, and why (a script, not a test).

    python -m bench.decisions addressesTask --set scirex [--show dropped] [--limit 40]

Deals the annotated papers of ``examples/annotated/`` into folds as :mod:`bench.crossval` does
(the first dealing), trains a model on all but one fold, and scores every candidate of the
held-out fold with it: its probability, the cut of its group, whether its names meet a gold
entity (the labels training uses), and the features that weigh most in its probability. The
``primary`` decision chooses one candidate a paper; its misses are papers whose choice is wrong
while a right candidate was there. Then the counts per set, and the candidate recall (gold
entities no candidate covers). Read the misses as patterns in the language of abstracts.
"""
from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bench.crossval import pool
from kg.extract import Document
from kg.extract.features import candidate_group
from kg.learn.gold import AnnotatedPaper, fold_of
from kg.learn.linear import LogisticModel
from kg.learn.train import comparison_rows, dataset_rows, proposal_rows, task_rows, train_model
from kg.vocab import default_vocabulary

DECISIONS = ("proposes", "primary", "evaluatesOn", "comparesTo", "addressesTask")


@dataclass(frozen=True)
class Verdict:
    """One held-out candidate of one decision."""

    paper: str          # the paper's title
    set: str            # its annotated set
    name: str           # the candidate ("A ~ B" for a comparison)
    probability: float
    cut: float          # the cut of its group (primary: the model's threshold)
    right: bool         # its names meet a gold entity
    kept: bool          # primary: the paper's choice
    reasons: tuple[tuple[str, float], ...]   # the features that weigh most, with weight × value


def _rows(decision: str, docs: list[tuple[Document, AnnotatedPaper]]) -> tuple[list, list[str], int]:
    names: list[str] = []
    if decision in ("proposes", "primary"):
        rows, primary_rows, missed, missed_primary = proposal_rows(docs, names)
        return (rows, names, missed) if decision == "proposes" else (primary_rows, names, missed_primary)
    build = {"evaluatesOn": dataset_rows, "comparesTo": comparison_rows, "addressesTask": task_rows}[decision]
    rows, missed = build(docs, names)
    return rows, names, missed


def _reasons(model: LogisticModel, features, top: int = 6) -> tuple[tuple[str, float], ...]:
    weighed = [(k, model.weights.get(k, 0.0) * v) for k, v in features.items()]
    return tuple(sorted((w for w in weighed if abs(w[1]) >= 0.01), key=lambda w: -abs(w[1]))[:top])


def held_out(sets: dict[str, list[AnnotatedPaper]], decision: str, folds: int = 5,
             salt: str = "") -> tuple[list[Verdict], Counter]:
    """Every candidate of ``decision`` scored by a model trained without its paper, and per set
    the gold entities no candidate covers (``Counter`` keyed by set name)."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}; known: {', '.join(DECISIONS)}")
    vocab = default_vocabulary()
    everything = [(name, a) for name, papers in sets.items() for a in papers]
    verdicts: list[Verdict] = []
    uncovered: Counter = Counter()
    for k in range(folds):
        test = [(n, a) for n, a in everything if fold_of(a.paper.title, folds, salt) == k]
        model = train_model([a for n, a in everything if fold_of(a.paper.title, folds, salt) != k], vocab)
        decide = model.get(decision)
        for set_name in sets:
            papers = [a for n, a in test if n == set_name]
            rows, names, missed = _rows(decision, [(Document(a.paper, vocab, model=model), a) for a in papers])
            uncovered[set_name] += missed
            if decide is None:
                continue
            fewest = model.meta.get("proposes_min_origins", 1)
            verdicts.extend(_verdicts(decision, decide, papers, set_name, rows, names, fewest))
    return verdicts, uncovered


def _verdicts(decision: str, decide: LogisticModel, papers: Sequence[AnnotatedPaper], set_name: str,
              rows: list, names: list[str], fewest_origins: int) -> Iterator[Verdict]:
    scored = [(decide.probability(f), f, y, paper, name) for (f, y, paper), name in zip(rows, names)]
    chosen: dict[int, int] = {}
    if decision == "primary":   # (the first of equals among those described, as extraction picks it)
        for i, (p, f, _, paper, _) in enumerate(scored):
            if sum(k.startswith("o:") for k in f) < fewest_origins:
                continue
            if paper not in chosen or p > scored[chosen[paper]][0]:
                chosen[paper] = i
    for i, (p, f, y, paper, name) in enumerate(scored):
        cut = decide.threshold if decision == "primary" else decide.cut(candidate_group(decision, f))
        kept = chosen.get(paper) == i if decision == "primary" else p >= cut
        yield Verdict(papers[paper].paper.title, set_name, name, p, cut, bool(y), kept, _reasons(decide, f))


def misses(verdicts: list[Verdict], decision: str) -> Iterator[tuple[str, Verdict]]:
    """The wrong decisions: ("kept wrong" | "dropped right", verdict); for primary, papers whose
    choice is wrong while a right candidate was there ("passed over": the right one)."""
    if decision != "primary":
        for v in verdicts:
            if v.kept != v.right:
                yield ("kept wrong" if v.kept else "dropped right"), v
        return
    by_paper: dict[str, list[Verdict]] = {}
    for v in verdicts:
        by_paper.setdefault(v.paper, []).append(v)
    for group in by_paper.values():
        choice = next((v for v in group if v.kept), None)
        if choice is None or not choice.right:
            yield from (("passed over", v) for v in group if v.right)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("decision", choices=DECISIONS)
    ap.add_argument("--set", help="only this annotated set (dev, train, sample2, scirex)")
    ap.add_argument("--show", choices=("kept", "dropped", "both"), default="both",
                    help="kept wrong, dropped right (primary: passed over), or both")
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    verdicts, uncovered = held_out(pool(), args.decision, args.folds)
    shown = 0
    for kind, v in misses(verdicts, args.decision):
        if (args.set and v.set != args.set) or (args.show != "both" and not kind.startswith(args.show)):
            continue
        if shown == args.limit:
            break
        shown += 1
        print(f"{kind:13s} {v.probability:.2f} (cut {v.cut:.2f})  {v.name}  | {v.paper[:70]}")
        print("      " + ", ".join(f"{k} {w:+.2f}" for k, w in v.reasons))
    print(f"== {args.decision}, {args.folds} folds held out: kept right / kept wrong / dropped right / dropped wrong;"
          " gold with no candidate")
    for set_name in uncovered:
        if args.set and set_name != args.set:
            continue
        n = Counter((v.kept, v.right) for v in verdicts if v.set == set_name)
        print(f"{set_name:8s} {n[True, True]:5d} {n[True, False]:5d} {n[False, True]:5d} {n[False, False]:5d};"
              f" {uncovered[set_name]} uncovered")


if __name__ == "__main__":
    main()

"""Cross-validated extraction quality: the honest figure (a script, not a test).

    python -m bench.crossval [--folds 5] [--repeats 1] [--curve] [--out bench/out/crossval.json] [--errors FILE]

Every shared annotated paper (``examples/annotated/``: dev, train, sample 2, the SciREX
abstracts annotated blind) goes into one of five folds by a hash of its title
(:func:`kg.learn.gold.fold_of`). For each fold a model is trained on the other four and the fold's
papers are built with it and scored (:func:`kg.learn.evaluate.score_graph`); counts are summed
over folds (micro-average), so no paper is ever scored by a model trained on it. The rules alone
(``--model rules``) are scored on the same papers for comparison. ``--curve`` adds the learning
curve: F1 when training on 25 / 50 / 100 / all papers of the other folds. ``--repeats 3`` deals the
papers into folds three ways (another salt for the hash) and prints each relation's F1 range: a
change smaller than that range is noise.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kg.extract import extract
from kg.learn.evaluate import prf, score_graph
from kg.learn.gold import AnnotatedPaper, fold_of, load_annotated
from kg.learn.train import train_model
from kg.normalize import normalise
from kg.graph.mapping import build_graph
from kg.vocab import default_vocabulary

ROOT = Path(__file__).resolve().parent.parent / "examples" / "annotated"
POOL = [("gold_dev.json", "dev_papers.txt"), ("gold_train.json", "train_papers.jsonl"),
        ("gold_sample2.json", "sample2_papers.txt"), ("gold_scirex.json", "scirex_papers.jsonl")]
KEYS = ("proposes", "evaluatesOn", "comparesTo")


def pool() -> dict[str, list[AnnotatedPaper]]:
    return {gold.split(".")[0].removeprefix("gold_"): load_annotated([ROOT / gold], [ROOT / papers])
            for gold, papers in POOL if (ROOT / gold).is_file()}


def score_with(model, papers: list[AnnotatedPaper]) -> dict:
    vocab = default_vocabulary()
    facts = []
    for a in papers:
        facts.extend(normalise(a.paper, extract(a.paper, vocab, model=model), vocab))
    families = {k: c.label for k, c in vocab.concepts.items() if c.is_family}
    graph = build_graph([(a.paper, [a.paper.source]) for a in papers], facts, families)
    return score_graph(graph, [a.gold for a in papers])


class Totals:
    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}
        self.primary = [0, 0]

    def add(self, scores: dict) -> None:
        for k, x in scores["relations"].items():
            c = self.counts.setdefault(k, [0, 0, 0])
            c[0] += x["tp"]; c[1] += x["pred"]; c[2] += x["gold"]
        self.primary[0] += round(scores["primary_recall"] * scores["_primary_gold"])
        self.primary[1] += scores["_primary_gold"]

    def table(self) -> dict:
        out = {}
        for k, (tp, n_p, n_g) in self.counts.items():
            p, r, f = prf(tp, n_p, n_g)
            out[k] = {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3), "tp": tp, "pred": n_p, "gold": n_g}
        out["main method found"] = round(self.primary[0] / self.primary[1], 3) if self.primary[1] else 1.0
        return out


def _primary_gold(papers: list[AnnotatedPaper]) -> int:
    return sum(1 for a in papers for x in a.gold.get("proposes", []) if x.get("primary"))


def crossval(sets: dict[str, list[AnnotatedPaper]], folds: int, train_size: int | None = None,
             errors: list | None = None, salt: str = "", with_rules: bool = True) -> dict:
    """Per set and overall: scores of models never trained on the papers they score.

    ``errors``, when given, receives the learned model's misses on every paper (from
    :func:`score_graph`), each scored by the model that never saw it. ``salt`` deals the papers
    into other folds (:func:`kg.learn.gold.fold_of`); ``with_rules`` scores the rules alone too.
    """
    everything = [(name, a) for name, papers in sets.items() for a in papers]
    learned = {name: Totals() for name in [*sets, "all"]}
    rules = {name: Totals() for name in [*sets, "all"]}
    for k in range(folds):
        test = [(n, a) for n, a in everything if fold_of(a.paper.title, folds, salt) == k]
        train = [a for n, a in everything if fold_of(a.paper.title, folds, salt) != k]
        if train_size is not None:
            train = sorted(train, key=lambda a: fold_of(a.paper.title, 1_000_003))[:train_size]
        model = train_model(train)
        for name in [*sets, "all"]:
            part = [a for n, a in test if name in ("all", n)]
            if not part:
                continue
            for totals, m in ((learned, model), (rules, None)):
                if m is None and (train_size is not None or not with_rules):
                    continue
                s = score_with(m, part)
                s["_primary_gold"] = _primary_gold(part)
                totals[name].add(s)
                if errors is not None and m is not None and name == "all":
                    errors.extend(s["errors"])
    return {"learned": {n: t.table() for n, t in learned.items() if t.counts},
            "rules": {n: t.table() for n, t in rules.items() if t.counts}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--curve", action="store_true")
    ap.add_argument("--out", default="bench/out/crossval.json")
    ap.add_argument("--errors", metavar="FILE", help="write the learned model's held-out misses here (JSON lines)")
    ap.add_argument("--repeats", type=int, default=1,
                    help="deal the papers into folds this many ways and report each relation's F1 range")
    args = ap.parse_args()
    t0 = time.process_time()
    sets = pool()
    result = {"papers": {n: len(p) for n, p in sets.items()}, "folds": args.folds}
    errors: list = []
    result["crossval"] = crossval(sets, args.folds, errors=errors)
    if args.errors:
        Path(args.errors).write_text("".join(
            json.dumps({"title": t, "relation": r, "missed": m, "extra": x}) + "\n" for t, r, m, x in errors))
    if args.repeats > 1:
        result["repeats"] = [result["crossval"]["learned"]["all"]] + [
            crossval(sets, args.folds, salt=f"repeat-{r}", with_rules=False)["learned"]["all"]
            for r in range(1, args.repeats)]
    if args.curve:
        result["curve"] = {}
        for size in (25, 50, 100, None):
            r = crossval(sets, args.folds, train_size=size)["learned"]["all"]
            result["curve"][str(size or "all")] = {k: r[k]["F1"] for k in KEYS} | {"main method found": r["main method found"]}
    result["cpu_seconds"] = round(time.process_time() - t0, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1))
    for kind in ("learned", "rules"):
        print(f"== {kind} ({args.folds}-fold cross-validation; rules are not trained)")
        for name, table in result["crossval"][kind].items():
            cells = "  ".join(f"{k} {table[k]['P']:.2f}/{table[k]['R']:.2f}/{table[k]['F1']:.2f}"
                              for k in ("proposes", "evaluatesOn", "comparesTo", "addressesTask", "results")
                              if k in table)
            print(f"{name:8s} {cells}  main {table['main method found']:.2f}")
    if args.repeats > 1:
        print(f"== learned, {args.repeats} ways of dealing the folds (F1 mean, min-max; main method found):")
        print("   " + "  ".join(_spread(result["repeats"], k) for k in (*KEYS, "addressesTask", "results")
                                if k in result["repeats"][0]) + "  " + _spread(result["repeats"], "main method found"))
    if args.curve:
        print("== learning curve (F1, all papers):", json.dumps(result["curve"]))


def _spread(tables: list[dict], key: str) -> str:
    """ "comparesTo 0.630 (0.621-0.646)": a relation's F1 over repeated cross-validations, mean (min-max)."""
    values = [t[key] if isinstance(t[key], float) else t[key]["F1"] for t in tables]
    return f"{key} {sum(values) / len(values):.3f} ({min(values):.3f}-{max(values):.3f})"


if __name__ == "__main__":
    main()

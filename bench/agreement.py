"""How far two annotations of the same papers agree, relation by relation (a script, not a test).

    python -m bench.agreement GOLD_A.json GOLD_B.json

Both files follow the guideline (``examples/annotated/GUIDELINE.md``); only the papers both hold
(by title) count. Entities, tasks, comparison pairs (either order) and results (method, dataset,
value) are matched one to one as ``examples/annotated/score.py`` matches a build against gold:
two entries agree when their name lists share a name under :func:`kg.learn.gold.norm`. Prints
each relation's entries in A and in B, how many agree, and the agreement F1 (2 · agreed / (A +
B), the same whichever file is called gold), and the main method (an agreed primary
proposal). An extractor scoring near the annotators' agreement has little left to gain there;
one far under it is the extractor's gap, not the gold's.
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.learn.gold import norm, title_key

RELATIONS = ("proposes", "main", "evaluates_on", "compares_to", "tasks", "results")

Entry = tuple[frozenset[str], ...]


def _names(names: Iterable[str]) -> frozenset[str]:
    return frozenset(norm(n) for n in names)


def entries(paper: dict, relation: str) -> list[Entry]:
    """A paper's entries of ``relation``, each as the name-key sets it is matched on.

    >>> paper = {"proposes": [{"names": ["VOLO", "Vision Outlooker"], "primary": True},
    ...                       {"names": ["outlook attention"]}]}
    >>> [sorted(e[0]) for e in entries(paper, "main")]
    [['visionoutlooker', 'volo']]
    """
    if relation == "main":
        return [(_names(p["names"]),) for p in paper.get("proposes", []) if p.get("primary")]
    if relation == "compares_to":
        return [(_names(c["a"]), _names(c["b"])) for c in paper.get("compares_to", [])]
    if relation == "results":
        return [(_names(r["method"]), _names(r["dataset"]), frozenset({str(float(r["value"]))}))
                for r in paper.get("results", [])]
    return [(_names(e["names"]),) for e in paper.get(relation, [])]


def _same(relation: str) -> Callable[[Entry, Entry], bool]:
    if relation == "compares_to":
        return lambda x, y: bool((x[0] & y[0] and x[1] & y[1]) or (x[0] & y[1] and x[1] & y[0]))
    return lambda x, y: all(a & b for a, b in zip(x, y))


def agreed(a: list[Entry], b: list[Entry], relation: str) -> int:
    """How many entries of ``a`` find a partner in ``b``, greedily, each partner used once."""
    same, used, n = _same(relation), set(), 0
    for x in a:
        j = next((j for j, y in enumerate(b) if j not in used and same(x, y)), None)
        if j is not None:
            used.add(j)
            n += 1
    return n


def agreement(gold_a: list[dict], gold_b: list[dict]) -> dict:
    """Per relation: entries in A and in B, agreed, and the agreement F1, over the papers both
    hold (``papers``: how many).

    >>> a = [{"title": "T", "proposes": [{"names": ["Foo"], "primary": True}],
    ...       "tasks": [{"names": ["image classification"]}, {"names": ["object detection"]}]}]
    >>> b = [{"title": "T", "proposes": [{"names": ["foo"], "primary": True}],
    ...       "tasks": [{"names": ["image classification"]}]}]
    >>> agreement(a, b)["tasks"]
    {'a': 2, 'b': 1, 'agreed': 1, 'F1': 0.667}
    """
    by_title = {title_key(p["title"]): p for p in gold_b}
    pairs = [(p, by_title[title_key(p["title"])]) for p in gold_a if title_key(p["title"]) in by_title]
    out: dict = {"papers": len(pairs)}
    for relation in RELATIONS:
        na = nb = n = 0
        for pa, pb in pairs:
            ea, eb = entries(pa, relation), entries(pb, relation)
            na, nb, n = na + len(ea), nb + len(eb), n + agreed(ea, eb, relation)
        out[relation] = {"a": na, "b": nb, "agreed": n, "F1": round(2 * n / (na + nb), 3) if na + nb else 1.0}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold_a", type=Path)
    ap.add_argument("gold_b", type=Path)
    args = ap.parse_args()
    load = lambda p: json.loads(p.read_text(encoding="utf-8"))
    scores = agreement(load(args.gold_a), load(args.gold_b))
    print(f"papers both annotated: {scores.pop('papers')}")
    for relation, x in scores.items():
        print(f"{relation:13s} A {x['a']:4d}  B {x['b']:4d}  agreed {x['agreed']:4d}  F1 {x['F1']:.3f}")


if __name__ == "__main__":
    main()

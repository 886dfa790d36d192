"""Scoring a graph against annotated papers: P / R / F1 per relation and the misses.

The same contract and matching as the evaluation kit's scorer (``examples/annotated/score.py``):
properties by local name, entity names equal after :func:`kg.learn.gold.norm` on ``rdfs:label``
or any ``skos:altLabel``, greedy one-to-one matching per paper, comparisons in either direction
through statements ``prov:wasDerivedFrom`` the paper, micro-averaged over the gold papers.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.learn.gold import norm, title_key

RELATIONS = ("proposes", "evaluatesOn", "comparesTo", "addressesTask", "results", "results+metric")
_PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


def _local(uri) -> str:
    return re.split(r"[#/]", str(uri))[-1]


def _number(x) -> float | None:
    try:
        return float(str(x).strip().rstrip("%"))
    except (TypeError, ValueError):
        return None


class _Predicted:
    def __init__(self, g: Graph) -> None:
        self.names: dict = defaultdict(set)
        for s, o in g.subject_objects(RDFS.label):
            self.names[s].add(norm(o))
        for s, o in g.subject_objects(SKOS.altLabel):
            self.names[s].add(norm(o))
        self.papers = {title_key(o): s for s, o in g.subject_objects(DCTERMS.title)}
        self.rel: dict = defaultdict(lambda: defaultdict(set))
        props: dict = defaultdict(dict)
        results = []
        for s, p, o in g:
            ln = _local(p)
            if ln in ("proposes", "evaluatesOn", "addressesTask"):
                self.rel[s][ln].add(o)
            elif ln in ("method", "dataset", "metric", "value"):
                props[s][ln] = o
            elif ln == "reportsResult":
                results.append((s, o))
        for paper, r in results:
            v = props.get(r, {})
            self.rel[paper]["results"].add((v.get("method"), v.get("dataset"), v.get("metric"), v.get("value")))
        for st in g.subjects(RDF.type, RDF.Statement):
            pred = g.value(st, RDF.predicate)
            if pred is None or _local(pred) != "comparesTo":
                continue
            a, b = g.value(st, RDF.subject), g.value(st, RDF.object)
            for paper in g.objects(st, _PROV_DERIVED):
                self.rel[paper]["comparesTo"].add((a, b))

    def keys(self, node) -> set[str]:
        if node is None:
            return set()
        return self.names.get(node) or {norm(_local(node))}


def _match_entities(pred: Sequence, gold: list[dict], p: _Predicted):
    gold_sets = [{norm(n) for n in g["names"]} for g in gold]
    used, extras = set(), []
    for e in pred:
        ns = p.keys(e)
        hit = next((i for i, gs in enumerate(gold_sets) if i not in used and ns & gs), None)
        if hit is None:
            extras.append(sorted(ns)[0] if ns else str(e))
        else:
            used.add(hit)
    return len(used), len(pred), len(gold), [gold[i]["names"][0] for i in range(len(gold)) if i not in used], extras


def _match_pairs(pred: Sequence, gold: list[dict], p: _Predicted):
    gold_sets = [({norm(n) for n in g["a"]}, {norm(n) for n in g["b"]}) for g in gold]
    used, extras, seen = set(), [], set()
    for a, b in pred:
        na, nb = p.keys(a), p.keys(b)
        key = (frozenset(na), frozenset(nb))
        if key in seen or (key[1], key[0]) in seen:
            continue
        seen.add(key)
        hit = next((i for i, (ga, gb) in enumerate(gold_sets)
                    if i not in used and ((na & ga and nb & gb) or (na & gb and nb & ga))), None)
        if hit is None:
            extras.append(f"{min(na, default='?')} ~ {min(nb, default='?')}")
        else:
            used.add(hit)
    misses = [f"{gold[i]['a'][0]} ~ {gold[i]['b'][0]}" for i in range(len(gold)) if i not in used]
    return len(used), len(seen), len(gold), misses, extras


def _match_results(pred: Sequence, gold: list[dict], p: _Predicted, need_metric: bool):
    gold_sets = [({norm(n) for n in g["method"]}, {norm(n) for n in g["dataset"]},
                  {norm(n) for n in g.get("metric", [])}, float(g["value"])) for g in gold]
    used, extras, seen = set(), [], set()
    for m, d, metric, value in pred:
        v = _number(value)
        nm, nd = p.keys(m), p.keys(d)
        nmetric = (p.names.get(metric) or {norm(metric)}) if metric is not None else set()
        key = (frozenset(nm), frozenset(nd), frozenset(nmetric) if need_metric else None, v)
        if key in seen:
            continue
        seen.add(key)
        hit = next((i for i, (gm, gd, gmetric, gv) in enumerate(gold_sets)
                    if i not in used and v is not None and abs(v - gv) <= 1e-6
                    and nm & gm and nd & gd and (not need_metric or nmetric & gmetric)), None)
        if hit is None:
            extras.append(f"{min(nm, default='?')} / {min(nd, default='?')} / {min(nmetric, default='?')} = {value}")
        else:
            used.add(hit)
    misses = [f"{g['method'][0]} / {g['dataset'][0]} / {(g.get('metric') or ['?'])[0]} = {g['value']}"
              for i, g in enumerate(gold) if i not in used]
    return len(used), len(seen), len(gold), misses, extras


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_graph(graph: Graph, gold: Iterable[dict]) -> dict:
    """Counts and P/R/F1 per relation, main-method recall, and the misses per paper.

    Returns ``{"relations": {name: {"tp", "pred", "gold", "P", "R", "F1"}}, "primary_recall": x,
    "papers": n, "missing_papers": [...], "errors": [(title, relation, missed, extra)]}``.
    """
    gold = list(gold)
    p = _Predicted(graph)
    totals = {k: [0, 0, 0] for k in RELATIONS}
    primary = [0, 0]
    errors, missing = [], []
    second_round = any("tasks" in g or "results" in g for g in gold)

    def add(key, counts, title):
        tp, n_p, n_g, miss, extra = counts
        t = totals[key]
        t[0] += tp
        t[1] += n_p
        t[2] += n_g
        if miss or extra:
            errors.append((title, key, miss, extra))

    for g in gold:
        pid = p.papers.get(title_key(g["title"]))
        if pid is None:
            missing.append(g["title"])
        rel = p.rel[pid] if pid is not None else {}
        title = g["title"]
        add("proposes", _match_entities(sorted(rel.get("proposes", ())), g.get("proposes", []), p), title)
        add("evaluatesOn", _match_entities(sorted(rel.get("evaluatesOn", ())), g.get("evaluates_on", []), p), title)
        prim = [x for x in g.get("proposes", []) if x.get("primary")]
        if prim:
            tp, _, n_g, _, _ = _match_entities(sorted(rel.get("proposes", ())), prim, p)
            primary[0] += tp
            primary[1] += n_g
        add("comparesTo", _match_pairs(sorted(rel.get("comparesTo", ())), g.get("compares_to", []), p), title)
        if "tasks" in g:
            add("addressesTask", _match_entities(sorted(rel.get("addressesTask", ())), g["tasks"], p), title)
        if "results" in g:
            pred = sorted(rel.get("results", ()), key=str)
            totals_before = list(totals["results"])
            counts = _match_results(pred, g["results"], p, False)
            totals["results"] = [a + b for a, b in zip(totals_before, counts[:3])]
            add("results+metric", _match_results(pred, g["results"], p, True), title)
    relations = {}
    for k, (tp, n_p, n_g) in totals.items():
        if not second_round and k in ("addressesTask", "results", "results+metric"):
            continue
        P, R, F = prf(tp, n_p, n_g)
        relations[k] = {"tp": tp, "pred": n_p, "gold": n_g, "P": round(P, 3), "R": round(R, 3), "F1": round(F, 3)}
    return {"papers": len(gold), "missing_papers": missing, "relations": relations,
            "primary_recall": round(primary[0] / primary[1], 3) if primary[1] else 1.0, "errors": errors}


def format_scores(scores: dict, show_errors: int = 0) -> str:
    lines = [f"papers: {scores['papers']} annotated, {len(scores['missing_papers'])} not found in the graph"]
    for k, x in scores["relations"].items():
        lines.append(f"{k:15s} P={x['P']:.3f} R={x['R']:.3f} F1={x['F1']:.3f}  "
                     f"(tp {x['tp']}, pred {x['pred']}, gold {x['gold']})")
    lines.append(f"main method found (primary proposes recall) = {scores['primary_recall']:.3f}")
    for t in scores["missing_papers"][:5]:
        lines.append(f"missing paper: {t[:90]}")
    for title, rel, miss, extra in scores["errors"][:show_errors]:
        lines.append(f"- {title[:70]} [{rel}] missed={miss} extra={extra}")
    return "\n".join(lines)

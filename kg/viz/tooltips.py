"""What a node's tooltip says: what the whole graph knows of it, as plain-text lines (the page
turns them into DOM with ``textContent``; no paper text becomes markup)."""
from __future__ import annotations

from collections import Counter

from kg.graphview import PropertyGraph

TOOLTIP_PAPERS = 5        # papers and sentences per edge tooltip; the rest is counted
TOOLTIP_EVIDENCE = 3
TOOLTIP_NAMES = 6         # names per line of a node tooltip; the rest is counted
TOOLTIP_TITLES = 3        # paper titles per line of a node tooltip
TOOLTIP_METRICS = 3       # a dataset's metrics with their best results
TOOLTIP_BEST = 3          # best results per metric

_WIN = {"outperforms": "beats", "underperforms": "loses to", "comparable": "on par with"}
_FLIPPED = {"outperforms": "underperforms", "underperforms": "outperforms"}
_SIDES = (("beats", "beats"), ("loses to", "loses to"), ("on par with", "on par with"),
          ("compared with", "compared with (no winner stated)"))


def _names(counts: Counter, limit: int = TOOLTIP_NAMES) -> str:
    """Most frequent first: "ResNet ×3, VGG, DeiT (+4 more)"."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))
    text = ", ".join(f"{name} \u00d7{n}" if n > 1 else name for name, n in ranked[:limit])
    return text + (f" (+{len(ranked) - limit} more)" if len(ranked) > limit else "")


def _titles(titles: list[str], limit: int = TOOLTIP_TITLES) -> list[str]:
    distinct = sorted(set(titles), key=lambda t: (t.casefold(), t))
    lines = ["\u2022 " + (t if len(t) <= 90 else t[:89] + "\u2026") for t in distinct[:limit]]
    return lines + ([f"  \u2026 and {len(distinct) - limit} more"] if len(distinct) > limit else [])


def node_facts(pg: PropertyGraph, nodes, boards: dict[str, list], result_method: dict[str, str]) -> dict[str, list[str]]:
    """What the graph knows of each node in ``nodes``, as tooltip lines (plain text): a method or
    family: who proposes it, its family or members, what it beats, loses to, is on par with,
    the datasets it is evaluated on and its results; a dataset: the papers evaluating on it and
    its best results per metric (ranked by :func:`kg.leaderboard.leaderboards`); a task: the
    papers addressing it and the datasets they use; a paper: what it proposes, evaluates on,
    addresses and compares. ``boards``: dataset → its boards; ``result_method``: result → method."""
    label = {iri: d["label"] for iri, d in pg.nodes.items()}
    kind = {iri: d["type"] for iri, d in pg.nodes.items()}
    out_edges: dict[str, list] = {}
    in_edges: dict[str, list] = {}
    for (s, rel, o), edge in pg.edges.items():
        out_edges.setdefault(s, []).append((rel, o, edge))
        in_edges.setdefault(o, []).append((rel, s, edge))
    claims_of: dict[str, list[str]] = {}       # paper → the comparisons it states
    for (s, rel, o), edge in sorted(pg.edges.items()):
        if rel == "comparesTo":
            for support in edge.supports:
                verb = {"outperforms": "outperforms", "underperforms": "trails", "comparable": "is on par with"}
                claims_of.setdefault(support.paper, []).append(
                    f"{label[s]} {verb.get(support.outcome or '', 'is compared with')} {label[o]}")
    results_of: dict[str, list] = {}           # method → (board size, row)
    for rows in boards.values():
        for board in rows:
            for row in board.rows:
                method = result_method.get(row.result)
                if method:
                    results_of.setdefault(method, []).append((len(board.rows), row))
    facts: dict[str, list[str]] = {}
    for n in nodes:
        if n not in pg.nodes:
            continue
        lines: list[str] = []
        outs, ins = out_edges.get(n, []), in_edges.get(n, [])
        k = kind[n]
        if k in ("method", "family"):
            proposers = [label[s] for rel, s, _ in ins if rel == "proposes"]
            if proposers:
                lines.append(f"proposed in ({len(set(proposers))}):")
                lines += _titles(proposers)
            families = Counter(label[o] for rel, o, _ in outs if rel == "memberOf")
            members = Counter(label[s] for rel, s, _ in ins if rel == "memberOf")
            if families:
                lines.append("family: " + _names(families))
            if members:
                lines.append(f"members ({len(members)}): " + _names(members))
            sides: dict[str, Counter] = {name: Counter() for name, _ in _SIDES}
            for rel, other, edge, mine in [(r, o, e, True) for r, o, e in outs] + [(r, s, e, False) for r, s, e in ins]:
                if rel != "comparesTo" or other == n:
                    continue
                for support in edge.supports:
                    outcome = support.outcome or "compared"
                    if not mine:
                        outcome = _FLIPPED.get(outcome, outcome)
                    sides[_WIN.get(outcome, "compared with")][label[other]] += 1
            for name, text in _SIDES:
                if sides[name]:
                    lines.append(f"{text}: " + _names(sides[name]))
            datasets = Counter(label[d] for rel, p, _ in ins if rel == "proposes"
                               for r2, d, _ in out_edges.get(p, []) if r2 == "evaluatesOn")
            for _, row in results_of.get(n, []):
                if row.dataset not in datasets:          # a result's dataset counts once, beside the papers'
                    datasets[row.dataset] = 1
            if datasets:
                lines.append("evaluated on: " + _names(datasets))
            mine = sorted(results_of.get(n, []), key=lambda sr: (sr[1].rank / sr[0], sr[1].dataset, sr[1].metric))
            for size, row in mine[:TOOLTIP_BEST]:
                lines.append(f"result: {row.method} {row.value} {row.metric} on {row.dataset} (rank {row.rank} of {size})")
        elif k == "dataset":
            papers = [label[s] for rel, s, _ in ins if rel == "evaluatesOn"]
            if papers:
                lines.append(f"papers evaluating on it ({len(set(papers))}):")
                lines += _titles(papers)
            shown = boards.get(n, [])
            if shown:
                lines.append("best results:")
                for board in shown[:TOOLTIP_METRICS]:
                    best = " \u00b7 ".join(f"{r.method} {r.value}" for r in board.rows[:TOOLTIP_BEST])
                    more = len(board.rows)
                    lines.append(f"{board.metric} ({more} result{'s' if more != 1 else ''}): {best}")
                if len(shown) > TOOLTIP_METRICS:
                    lines.append(f"  \u2026 and {len(shown) - TOOLTIP_METRICS} more metrics (kg leaderboard)")
        elif k == "task":
            papers = [s for rel, s, _ in ins if rel == "addressesTask"]
            if papers:
                lines.append(f"papers addressing it ({len(set(papers))}):")
                lines += _titles([label[p] for p in papers])
                datasets = Counter(label[d] for p in set(papers) for rel, d, _ in out_edges.get(p, [])
                                   if rel == "evaluatesOn")
                if datasets:
                    lines.append("their datasets: " + _names(datasets))
        elif k == "paper":
            for rel, text in (("proposes", "proposes"), ("evaluatesOn", "evaluates on"), ("addressesTask", "tasks")):
                names = Counter(label[o] for r, o, _ in outs if r == rel)
                if names:
                    lines.append(f"{text}: " + _names(names))
            claims = claims_of.get(n, [])
            lines += [f"claims: {c}" for c in claims[:TOOLTIP_BEST]]
            if len(claims) > TOOLTIP_BEST:
                lines.append(f"  \u2026 and {len(claims) - TOOLTIP_BEST} more comparisons")
        facts[n] = lines
    return facts

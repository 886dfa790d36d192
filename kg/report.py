"""``kg analyze``: the analysis report as plain data, as Markdown, and written to a folder with
PNG plots beside it.

:func:`analyze` gathers the metrics of :mod:`kg.analysis` into one JSON-ready dict;
:func:`to_markdown` renders it for people; :func:`write_report` writes ``analysis.json``,
``analysis.md`` and, when matplotlib is installed, ``datasets.png``, ``family_matrix.png`` and
``results_by_family.png``.
Nothing here prints: what was skipped comes back in :class:`Written`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg import analysis as metrics
from kg.files import write_atomic
from kg.graphview import result_boards, to_networkx

PLOTS = {"datasets": "datasets.png", "family_matrix": "family_matrix.png", "results_by_family": "results_by_family.png"}
PLOT_BOARDS = 6           # panels of results_by_family.png: the boards where most families meet


def analyze(graph: Graph, top: int = 10, seed: int = 42) -> dict:
    """Every section of the report, as plain data (lists, dicts, strings, numbers)."""
    g = to_networkx(graph)
    return {
        "graph": {"nodes": metrics.counts_by_type(g), "edges": metrics.counts_by_relation(g)},
        "influential_methods": [{"method": m, "pagerank": s} for m, s in metrics.top_by_pagerank(g, n=top)],
        "most_used_datasets": [{"dataset": d, "papers": n} for d, n in metrics.most_used_datasets(g, n=top)],
        "communities": metrics.method_communities(g, n=top, seed=seed),
        "most_compared_pairs": metrics.most_compared_pairs(g, n=top),
        "family_matrix": metrics.family_matrix(g),
        "best_by_family": metrics.best_by_family(b for boards in result_boards(graph).values() for b in boards),
    }


# --------------------------------------------------------------------------- Markdown

def to_markdown(report: dict, plots: dict[str, str] | None = None, papers_per_cell: int = 3, top: int = 10) -> str:
    """The report for people: rankings as tables, the family matrix as a count table plus the
    papers behind its biggest cells, the best result of each family on the ``top`` boards where
    most families meet. ``plots`` maps plot names to files to link."""
    plots = plots or {}
    out = ["# Analysis of the paper graph", ""]
    nodes, edges = report["graph"]["nodes"], report["graph"]["edges"]
    out += [f"{_join(nodes)} nodes; {_join(edges)} edges.", ""]
    out += _ranking("Most influential methods",
                    "PageRank on the comparison network: methods that others compare themselves with rank high.",
                    ["method", "PageRank"], [[r["method"], f"{r['pagerank']:.4f}"] for r in report["influential_methods"]])
    out += _ranking("Most used datasets", "Papers evaluating on each dataset.",
                    ["dataset", "papers"], [[r["dataset"], str(r["papers"])] for r in report["most_used_datasets"]])
    if "datasets" in plots:
        out += [f"![dataset popularity]({plots['datasets']})", ""]
    out += _communities(report["communities"])
    out += _ranking("Most compared pairs", "Papers comparing the two methods; outcomes from the first method's side.",
                    ["pair", "papers", "outcomes"],
                    [[f"{r['a']} vs {r['b']}", str(r["papers"]), _join(r["outcomes"]) or "—"]
                     for r in report["most_compared_pairs"]])
    out += _family_section(report["family_matrix"], papers_per_cell)
    if "family_matrix" in plots:
        out += [f"![family matrix]({plots['family_matrix']})", ""]
    out += _best_by_family_section(report.get("best_by_family", []), top)
    if "results_by_family" in plots:
        out += [f"![results by family]({plots['results_by_family']})", ""]
    return "\n".join(out).rstrip() + "\n"


def _join(counts: dict) -> str:
    return ", ".join(f"{v} {k}" for k, v in counts.items())


def _cell(text: str) -> str:
    """Paper text inside a Markdown table cell: pipes and line breaks would break the table."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def _ranking(title: str, what: str, head: list[str], rows: list[list[str]]) -> list[str]:
    body = _table(head, rows) if rows else ["(none in this graph)"]
    return [f"## {title}", "", what, "", *body, ""]


def _communities(communities: list[dict]) -> list[str]:
    out = ["## Communities of methods", "",
           "Louvain communities of the comparison network: methods compared with each other more than with the rest.", ""]
    if not communities:
        return out + ["(no comparisons in this graph)", ""]
    for i, c in enumerate(communities, 1):
        fams = f" — families: {_join(c['families'])}" if c["families"] else ""
        out.append(f"{i}. **{_cell(c['members'][0])}** and {c['size'] - 1} more: "
                   f"{_cell(', '.join(c['members'][1:]))}{fams}")
    return out + [""]


_VERB = {"outperforms": "outperforms", "comparable": "is on par with", "underperforms": "trails",
         "compared": "is compared with"}


def _pairs_once(cells: list[dict]) -> list[dict]:
    """Each pair of different families once, from the side of the one that wins more often."""
    return [c for c in cells if c["row"] != c["column"] and
            (c["outperforms"], c["row"]) > (c["underperforms"], c["column"])]


def _family_section(matrix: dict, papers_per_cell: int) -> list[str]:
    out = ["## Family matrix", "",
           f"How methods of each family fare against each other: {matrix['statements']} comparison statements, "
           f"{matrix['statements'] - matrix['without_family']} with a known family on both sides. A cell reads from "
           "the row's side: outperforms / comparable / underperforms / compared without a stated winner.", ""]
    if not matrix["cells"]:
        return out + ["(no comparison between methods of known families)", ""]
    fams = matrix["families"]
    cells = {(c["row"], c["column"]): c for c in matrix["cells"]}
    rows = [[f, *("/".join(str(cells[f, g][o]) for o in metrics.OUTCOMES) if (f, g) in cells else "·" for g in fams)]
            for f in fams]
    out += _table(["row vs column", *fams], rows) + ["", "### Behind the biggest cells", ""]
    for c in _pairs_once(matrix["cells"])[:6]:
        counts = ", ".join(f"{c[o]} {o}" for o in metrics.OUTCOMES if c[o])
        out.append(f"- **{_cell(c['row'])} vs {_cell(c['column'])}** ({c['total']} statements): {counts}")
        for p in c["papers"][:papers_per_cell]:
            claim = f"{p['subject']} {_VERB.get(p['outcome'], p['outcome'])} {p['object']}"
            out.append(f"  - *{_cell(p['title'])}*: {_cell(claim)}")
        if len(c["papers"]) > papers_per_cell:
            out.append(f"  - … {len(c['papers']) - papers_per_cell} more in analysis.json")
    return out + [""]


_DIRECTION = {True: "higher is better", False: "lower is better", None: "direction unknown: higher first"}


def _best_by_family_section(boards: list[dict], top: int) -> list[str]:
    out = ["## Best result of each family", "",
           "Per dataset and metric, the best result reported for a method of each family, ranked in the metric's "
           "direction as `kg leaderboard` ranks them (rank: the result's place among all results on that board), "
           "with the paper and the sentence that states the value.", ""]
    if not boards:
        return out + ["(no result of a method with a known family in this graph)", ""]
    for b in boards[:top]:
        without = f", {b['without_family']} by methods of no known family" if b["without_family"] else ""
        out += [f"### {_cell(b['dataset'])} — {_cell(b['metric'])}", "",
                f"{_DIRECTION[b['higher_is_better']]}; {b['results']} result{'s' if b['results'] != 1 else ''}{without}.", ""]
        out += _table(["family", "best method", "value", "rank", "paper", "evidence"],
                      [[f["family"], f["method"], f["value"], f"{f['rank']} of {b['results']}", f["paper"], f["evidence"]]
                       for f in b["families"]])
        out.append("")
    if len(boards) > top:
        out += [f"… {len(boards) - top} more boards in analysis.json.", ""]
    return out


# --------------------------------------------------------------------------- plots

def plot_dataset_popularity(rows: list[dict], path: Path) -> Path:
    """Horizontal bar chart of papers per dataset, the most used on top."""
    plt = _pyplot()
    names, counts = [r["dataset"] for r in rows][::-1], [r["papers"] for r in rows][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.2), dpi=110)
    ax.barh(names, counts, color="#f59e0b")
    for y, n in enumerate(counts):
        ax.text(n, y, f" {n}", va="center", fontsize=8)
    ax.set_xlabel("papers evaluating on it")
    ax.set_title("Dataset popularity")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def plot_family_matrix(matrix: dict, path: Path) -> Path:
    """Heat map of the family matrix: colour = net wins of the row ((outperforms − underperforms)
    / statements, green: the row wins; the diagonal uncoloured), text = outperforms/comparable/
    underperforms and the number of statements."""
    plt = _pyplot()
    fams = matrix["families"]
    cells = {(c["row"], c["column"]): c for c in matrix["cells"]}
    # the diagonal (inside one family) only says who the papers named first: left uncoloured
    net = [[_net(cells.get((r, c))) if r != c else None for c in fams] for r in fams]
    size = max(4.0, 0.9 * len(fams) + 2.5)
    fig, ax = plt.subplots(figsize=(size + 1.5, size), dpi=110)
    ax.set_facecolor("#f3f4f6")
    image = ax.imshow([[v if v is not None else float("nan") for v in row] for row in net],
                      cmap="RdYlGn", vmin=-1, vmax=1)
    for i, r in enumerate(fams):
        for j, c in enumerate(fams):
            cell = cells.get((r, c))
            if cell:
                ax.text(j, i, f"{cell['outperforms']}/{cell['comparable']}/{cell['underperforms']}\nn={cell['total']}",
                        ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(fams)), fams, rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(len(fams)), fams, fontsize=8)
    ax.set_xlabel("column: compared against")
    ax.set_ylabel("row: the family whose side is counted")
    ax.set_title("Family matrix: outperforms / comparable / underperforms")
    fig.colorbar(image, ax=ax, shrink=0.7, label="net wins of the row")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


FAMILY_COLOURS = ("#2563eb", "#dc2626", "#16a34a", "#7c3aed", "#ea580c", "#0891b2", "#db2777", "#65a30d",
                  "#9333ea", "#475569")


def plot_results_by_family(boards: list[dict], path: Path) -> Path:
    """One panel per board (dataset, metric): every result of each family as a dot, its best one
    as a big dot named after its method; the axis points the better way up (reversed for
    lower-better metrics)."""
    plt = _pyplot()
    shown = boards[:PLOT_BOARDS]
    families = sorted({f["family"] for b in shown for f in b["families"]})
    colour = {f: FAMILY_COLOURS[i % len(FAMILY_COLOURS)] for i, f in enumerate(families)}
    cols = min(3, len(shown))
    rows = (len(shown) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.9 * rows), dpi=110, squeeze=False)
    for ax, b in zip((a for row in axes for a in row), shown):
        names = [f["family"] for f in b["families"]]
        for x, f in enumerate(b["families"]):
            ax.scatter([x] * len(f["values"]), f["values"], s=18, color=colour[f["family"]], alpha=0.45, zorder=2)
            best = float(f["value"])
            ax.scatter([x], [best], s=80, color=colour[f["family"]], edgecolor="#111827", zorder=3)
            ax.annotate(f"{f['method']} {f['value']}", (x, best), textcoords="offset points",
                        xytext=(7, 6 if x % 2 == 0 else -6), va="center", fontsize=7)   # neighbours' names apart
        ax.set_xticks(range(len(names)), names, rotation=25, ha="right", fontsize=8)
        ax.set_xlim(-0.5, len(names) - 0.3)
        if b["higher_is_better"] is False:
            ax.invert_yaxis()
        arrow = "↓ lower is better" if b["higher_is_better"] is False else "↑ higher is better"
        ax.set_title(f"{b['dataset']} — {b['metric']}", fontsize=9)
        ax.set_ylabel(f"{b['metric']} ({arrow})", fontsize=8)
        ax.grid(axis="y", color="#e5e7eb", zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in [a for row in axes for a in row][len(shown):]:
        ax.axis("off")
    fig.suptitle("Results by method family (big dot: the family's best, named)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def _net(cell: dict | None) -> float | None:
    if not cell or not cell["total"]:
        return None
    return (cell["outperforms"] - cell["underperforms"]) / cell["total"]


def _pyplot():
    """matplotlib's pyplot on the Agg backend (no display needed); imported only when plotting."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


# --------------------------------------------------------------------------- writing

@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # what was skipped and why
    markdown: str = ""


def write_report(report: dict, out_dir: str | Path, plots: bool = True, top: int = 10) -> Written:
    """Write analysis.json, analysis.md and the plots into ``out_dir``. Without matplotlib the
    plots are skipped (the reason is in the returned notes) and the rest is written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    done = Written()
    made: dict[str, str] = {}
    if plots:
        made = _write_plots(report, out, done)
    data = {**report, "plots": made}
    write_atomic(out / "analysis.json",
                 lambda p: Path(p).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"))
    done.markdown = to_markdown(report, made, top=top)
    write_atomic(out / "analysis.md", lambda p: Path(p).write_text(done.markdown, encoding="utf-8"))
    done.files[:0] = [out / "analysis.md", out / "analysis.json"]
    return done


def _write_plots(report: dict, out: Path, done: Written) -> dict[str, str]:
    try:
        _pyplot()
    except ImportError:
        done.notes.append("matplotlib is not installed: plots skipped (pip install 'kg-papers[plots]')")
        return {}
    made = {}
    jobs = [("datasets", report["most_used_datasets"], plot_dataset_popularity, "no dataset in the graph"),
            ("family_matrix", report["family_matrix"]["cells"] and report["family_matrix"], plot_family_matrix,
             "no comparison between methods of known families"),
            ("results_by_family", report.get("best_by_family"), plot_results_by_family,
             "no result of a method with a known family")]
    for name, data, plot, empty in jobs:
        if not data:
            done.notes.append(f"{empty}: no {PLOTS[name]}")
            continue
        write_atomic(out / PLOTS[name], lambda p, plot=plot, data=data: plot(data, p))
        done.files.append(out / PLOTS[name])
        made[name] = PLOTS[name]
    return made

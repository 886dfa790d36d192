"""`kg analyze` on the seeds: the report files, their sections, a family matrix that agrees with
the shipped SPARQL query and cites real papers, valid PNG plots, and a report without matplotlib."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.cli import main
from kg.query import run_named
from kg.graph.iris import KGO
from kg.report import analyze, to_markdown, write_report

PNG = b"\x89PNG\r\n\x1a\n"
SECTIONS = {"graph", "influential_methods", "most_used_datasets", "communities", "most_compared_pairs",
            "family_matrix", "best_by_family", "plots"}
FLIP = {"outperforms": "underperforms", "underperforms": "outperforms"}


def has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def report_run(seeds_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(main, ["analyze", str(seeds_build[1]), "-o", str(out), "--top", "8"])
    assert result.exit_code == 0, (result.output, result.exception)
    return out, result


@pytest.fixture(scope="module")
def report(report_run) -> dict:
    return json.loads((report_run[0] / "analysis.json").read_text(encoding="utf-8"))


def test_report_files_and_sections(report_run, report):
    out, result = report_run
    assert set(report) == SECTIONS
    md = (out / "analysis.md").read_text(encoding="utf-8")
    for heading in ("# Analysis of the paper graph", "## Most influential methods", "## Most used datasets",
                    "## Communities of methods", "## Most compared pairs", "## Family matrix",
                    "## Best result of each family"):
        assert heading in md and heading in result.stdout, heading     # written and printed
    assert f"wrote {out / 'analysis.md'}, {out / 'analysis.json'}" in result.stdout
    assert report["graph"]["nodes"]["paper"] == 301
    top = report["most_used_datasets"][0]
    assert top["dataset"] == "ImageNet-1K" and 95 <= top["papers"] <= 110   # (the extraction model moves it)
    assert len(report["influential_methods"]) == 8
    assert report["influential_methods"][0]["method"] in ("CNN", "Vision Transformer")
    assert all(r["pagerank"] >= s["pagerank"] for r, s in zip(report["influential_methods"], report["influential_methods"][1:]))
    assert report["most_compared_pairs"][0]["papers"] >= report["most_compared_pairs"][-1]["papers"]


def test_communities_partition_compared_methods(report, seeds_ttl):
    communities = report["communities"]
    assert 3 <= len(communities) <= 8
    members = [m for c in communities for m in c["members"]]
    assert len(members) == len(set(members))                   # no method in two communities
    compared = {str(seeds_ttl.value(x, RDFS.label)) for pair in seeds_ttl.subject_objects(KGO.comparesTo) for x in pair}
    assert set(members) <= compared
    assert all(c["size"] >= 3 for c in communities)


def test_family_matrix_agrees_with_the_shipped_query_and_cites_papers(report, seeds_graph, seeds_ttl):
    matrix = report["family_matrix"]
    assert matrix["cells"] and {"CNN", "Vision Transformer"} <= set(matrix["families"])
    # oracle: family_outcomes.rq counts the statements per stated direction
    expected: Counter = Counter()
    for fa, outcome, fb, n in run_named(seeds_graph, "family_outcomes").rows:
        expected[fa, fb, outcome] += int(n)
        expected[fb, fa, FLIP.get(outcome, outcome)] += int(n)
    got = Counter({(c["row"], c["column"], o): c[o] for c in matrix["cells"] if c["row"] != c["column"]
                   for o in ("outperforms", "comparable", "underperforms", "compared") if c[o]})
    assert got == +expected
    cells = {(c["row"], c["column"]): c for c in matrix["cells"]}
    vit_cnn, cnn_vit = cells["Vision Transformer", "CNN"], cells["CNN", "Vision Transformer"]
    assert vit_cnn["total"] >= 10 and vit_cnn["outperforms"] == cnn_vit["underperforms"]
    # each paper behind the cell is real and really compares a ViT-family method with a CNN-family one
    titles = {str(t) for t in seeds_ttl.objects(None, DCTERMS.title)}
    for p in vit_cnn["papers"]:
        assert p["title"] in titles and p["evidence"]
        paper = next(seeds_ttl.subjects(DCTERMS.title, Literal(p["title"])))
        sides = set()
        for st in seeds_ttl.subjects(PROV.wasDerivedFrom, paper):
            if seeds_ttl.value(st, RDF.predicate) == KGO.comparesTo:
                sides.add((str(seeds_ttl.value(seeds_ttl.value(st, RDF.subject), RDFS.label)),
                           str(seeds_ttl.value(seeds_ttl.value(st, RDF.object), RDFS.label))))
        assert (p["subject"], p["object"]) in sides, p
    assert matrix["statements"] == len([s for s in seeds_ttl.subjects(RDF.predicate, KGO.comparesTo)])


def test_markdown_shows_the_matrix_and_the_papers(report_run, report):
    md = (report_run[0] / "analysis.md").read_text(encoding="utf-8")
    cell = next(c for c in report["family_matrix"]["cells"] if (c["row"], c["column"]) == ("Vision Transformer", "CNN"))
    assert "| row vs column | CNN | Vision Transformer |" in md
    assert f"| Vision Transformer | {cell['outperforms']}/{cell['comparable']}/{cell['underperforms']}/{cell['compared']} |" in md
    assert f"**Vision Transformer vs CNN** ({cell['total']} statements)" in md
    assert f"*{cell['papers'][0]['title']}*" in md


@pytest.mark.skipif(not has_matplotlib(), reason="matplotlib is not installed (pip install 'kg-papers[plots]')")
def test_plots_are_pngs_beside_the_report(report_run, report):
    out = report_run[0]
    assert report["plots"] == {"datasets": "datasets.png", "family_matrix": "family_matrix.png",
                               "results_by_family": "results_by_family.png"}
    for name in report["plots"].values():
        data = (out / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000, name
    md = (out / "analysis.md").read_text(encoding="utf-8")
    assert "![dataset popularity](datasets.png)" in md and "![family matrix](family_matrix.png)" in md
    assert "![results by family](results_by_family.png)" in md


def test_no_plots(seeds_build, tmp_path):
    res = CliRunner().invoke(main, ["analyze", str(seeds_build[1]), "-o", str(tmp_path), "--no-plots"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.json", "analysis.md"]
    assert "![" not in (tmp_path / "analysis.md").read_text(encoding="utf-8")


def test_without_matplotlib_the_report_is_written_and_says_so(seeds_build, tmp_path, monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)          # import matplotlib → ImportError
    res = CliRunner().invoke(main, ["analyze", str(seeds_build[1]), "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "matplotlib is not installed: plots skipped" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.json", "analysis.md"]
    assert json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))["plots"] == {}


def test_same_report_from_the_store_and_from_graph_ttl(seeds_build, seeds_ttl):
    from kg.store import load_graph

    assert analyze(load_graph(seeds_build[1], backend="store")) == analyze(seeds_ttl)


def test_default_folder_is_the_build_folder(tmp_path):
    listing = tmp_path / "l.jsonl"
    listing.write_text(json.dumps({"title": "ReceiptNet: reading receipts", "abstract":
                       "We propose ReceiptNet. ReceiptNet outperforms ResNet and DeiT on CIFAR-10."}) + "\n",
                       encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(listing), "--out", str(tmp_path / "o")]).exit_code == 0
    res = runner.invoke(main, ["analyze", str(tmp_path / "o"), "--no-plots"])
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "o" / "analysis.json").read_text(encoding="utf-8"))
    cells = {(c["row"], c["column"]): c for c in report["family_matrix"]["cells"]}
    # ReceiptNet has no family: its comparisons are counted as without one, not guessed
    assert cells == {} and report["family_matrix"]["without_family"] == 2


def test_markdown_tables_survive_pipes_and_newlines_in_titles():
    report = {"graph": {"nodes": {}, "edges": {}}, "influential_methods": [{"method": "A|B\nC", "pagerank": 0.5}],
              "most_used_datasets": [], "communities": [], "most_compared_pairs": [], "best_by_family": [],
              "family_matrix": {"families": [], "statements": 0, "without_family": 0, "cells": []}}
    md = to_markdown(report)
    assert "| A\\|B C | 0.5000 |" in md and "(none in this graph)" in md


def test_write_report_returns_what_it_wrote(seeds_graph, tmp_path):
    written = write_report(analyze(seeds_graph, top=3), tmp_path / "r", plots=False)
    assert written.files == [tmp_path / "r" / "analysis.md", tmp_path / "r" / "analysis.json"]
    assert written.markdown == (tmp_path / "r" / "analysis.md").read_text(encoding="utf-8")
    assert written.notes == []


# --------------------------------------------------------------------------- best result of each family

def family_set(row) -> set[str]:
    return {f for f in row.family.split(", ") if f}


def test_best_of_each_family_is_the_leaderboards_first_row_of_that_family(report, seeds_graph, seeds_ttl):
    """Oracle: kg leaderboard's own boards on the whole graph; a family's best is its first row there."""
    from kg.leaderboard import leaderboards

    boards = report["best_by_family"]
    assert boards
    results = set(seeds_ttl.subjects(RDF.type, KGO.Result))
    for b in boards:
        [board] = leaderboards(seeds_graph, b["dataset"], b["metric"])
        assert b["results"] == len(board.rows) and b["higher_is_better"] == board.higher_is_better
        families = {f for row in board.rows for f in family_set(row)}
        assert [f["family"] for f in b["families"]] == sorted(families, key=lambda f: (
            next(r.rank for r in board.rows if f in family_set(r)), f))
        assert b["without_family"] == sum(1 for r in board.rows if not family_set(r))
        for f in b["families"]:
            first = next(r for r in board.rows if f["family"] in family_set(r))
            assert (f["method"], f["value"], f["rank"], f["paper"], f["evidence"]) == (
                first.method, first.value, first.rank, first.paper, first.evidence)
            mine = [float(r.value) for r in board.rows if f["family"] in family_set(r)]
            assert f["values"] == mine and f["results"] == len(mine)
            best = min(mine) if board.higher_is_better is False else max(mine)
            assert float(f["value"]) == best
    # every (dataset, metric) whose results include a method with a family is there
    expected = set()
    for r in results:
        m = seeds_ttl.value(r, KGO.method)
        if seeds_ttl.value(m, KGO.memberOf) is not None or (m, RDF.type, KGO.MethodFamily) in seeds_ttl:
            expected.add((str(seeds_ttl.value(seeds_ttl.value(r, KGO.dataset), RDFS.label)),
                          str(seeds_ttl.value(seeds_ttl.value(r, KGO.metric), RDFS.label))))
    assert {(b["dataset"], b["metric"]) for b in boards} == expected
    # the seeds' question: CNNs and vision transformers on the most reported board
    top1 = next(b for b in boards if (b["dataset"], b["metric"]) == ("ImageNet-1K", "top-1 accuracy"))
    assert {"CNN", "Vision Transformer"} <= {f["family"] for f in top1["families"]}
    # boards where more families meet come first
    assert [len(b["families"]) for b in boards] == sorted((len(b["families"]) for b in boards), reverse=True)


def test_result_boards_cover_every_result_once(seeds_graph, seeds_ttl):
    from kg.graphview import result_boards

    boards = result_boards(seeds_graph)
    rows = [r for bs in boards.values() for b in bs for r in b.rows]
    assert len(rows) > 50
    assert sorted(r.result for r in rows) == sorted(str(r) for r in seeds_ttl.subjects(RDF.type, KGO.Result))
    for dataset, bs in boards.items():
        assert bs
        label = str(seeds_ttl.value(URIRef(dataset), RDFS.label))
        assert all(b.dataset == label for b in bs)


def test_lower_is_better_metrics_keep_the_smallest_value(tmp_path):
    """A graph with error rates (lower is better) and accuracies: each family's best is its
    smallest error and its largest accuracy, as kg leaderboard ranks them."""
    from rdflib import Graph
    from rdflib.namespace import XSD

    from kg.analysis import best_by_family
    from kg.graphview import result_boards
    from kg.graph.iris import KG_ID

    g = Graph()
    ns = lambda kind, key: URIRef(f"{KG_ID}{kind}/{key}")                  # noqa: E731
    cifar, err, acc = ns("dataset", "cifar-10"), ns("metric", "error-rate"), ns("metric", "accuracy")
    g.add((cifar, RDF.type, KGO.Dataset)); g.add((cifar, RDFS.label, Literal("CIFAR-10")))
    for metric, label, higher in ((err, "error rate", False), (acc, "accuracy", True)):
        g.add((metric, RDF.type, KGO.Metric)); g.add((metric, RDFS.label, Literal(label)))
        g.add((metric, KGO.higherIsBetter, Literal(higher)))
    for key, label in (("cnn", "CNN"), ("vision-transformer", "Vision Transformer")):
        g.add((ns("method", key), RDF.type, KGO.MethodFamily)); g.add((ns("method", key), RDFS.label, Literal(label)))
    rows = [("resnet", "ResNet", "cnn", err, "3.1"), ("vgg", "VGG", "cnn", err, "6.4"),
            ("vit", "ViT", "vision-transformer", err, "2.5"), ("resnet", "ResNet", "cnn", acc, "96.9"),
            ("vgg", "VGG", "cnn", acc, "93.6")]
    for i, (key, label, family, metric, value) in enumerate(rows):
        m, r, paper = ns("method", key), ns("result", f"r{i}"), ns("paper", f"p{i}")
        g.add((m, RDF.type, KGO.Method)); g.add((m, RDFS.label, Literal(label))); g.add((m, KGO.memberOf, ns("method", family)))
        g.add((paper, RDF.type, KGO.Paper)); g.add((paper, DCTERMS.title, Literal(f"Paper {i}")))
        g.add((paper, KGO.reportsResult, r))
        for p, o in ((RDF.type, KGO.Result), (KGO.method, m), (KGO.methodLabel, Literal(label)), (KGO.dataset, cifar),
                     (KGO.metric, metric), (KGO.value, Literal(value, datatype=XSD.decimal)), (PROV.wasDerivedFrom, paper),
                     (KGO.evidence, Literal(f"{label} gets {value}.")), (KGO.confidence, Literal(0.8))):
            g.add((r, p, o))
    boards = {(b["metric"], f["family"]): f for b in best_by_family(
        x for bs in result_boards(g).values() for x in bs) for f in b["families"]}
    assert {k: (f["method"], f["value"]) for k, f in boards.items()} == {
        ("error rate", "CNN"): ("ResNet", "3.1"), ("error rate", "Vision Transformer"): ("ViT", "2.5"),
        ("accuracy", "CNN"): ("ResNet", "96.9")}
    assert boards["error rate", "CNN"]["rank"] == 2 and boards["error rate", "Vision Transformer"]["rank"] == 1


def test_markdown_answers_with_the_best_of_each_family(report_run, report):
    md = (report_run[0] / "analysis.md").read_text(encoding="utf-8")
    board = report["best_by_family"][0]
    assert f"### {board['dataset']} — {board['metric']}" in md
    for f in board["families"]:
        assert f"| {f['family']} | {f['method']} | {f['value']} | {f['rank']} of {board['results']} |" in md
    shown = md.count("| family | best method | value | rank | paper | evidence |")
    assert shown == min(8, len(report["best_by_family"]))                  # --top 8

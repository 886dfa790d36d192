"""`kg analyze` on the seeds: the report files, their sections, a family matrix that agrees with
the shipped SPARQL query and cites real papers, valid PNG plots, and a report without matplotlib."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.cli import main
from kg.query import run_named
from kg.rdf import KGO
from kg.report import analyze, to_markdown, write_report

PNG = b"\x89PNG\r\n\x1a\n"
SECTIONS = {"graph", "influential_methods", "most_used_datasets", "communities", "most_compared_pairs",
            "family_matrix", "plots"}
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
                    "## Communities of methods", "## Most compared pairs", "## Family matrix"):
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
    assert report["plots"] == {"datasets": "datasets.png", "family_matrix": "family_matrix.png"}
    for name in report["plots"].values():
        data = (out / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 10_000, name
    md = (out / "analysis.md").read_text(encoding="utf-8")
    assert "![dataset popularity](datasets.png)" in md and "![family matrix](family_matrix.png)" in md


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
              "most_used_datasets": [], "communities": [], "most_compared_pairs": [],
              "family_matrix": {"families": [], "statements": 0, "without_family": 0, "cells": []}}
    md = to_markdown(report)
    assert "| A\\|B C | 0.5000 |" in md and "(none in this graph)" in md


def test_write_report_returns_what_it_wrote(seeds_graph, tmp_path):
    written = write_report(analyze(seeds_graph, top=3), tmp_path / "r", plots=False)
    assert written.files == [tmp_path / "r" / "analysis.md", tmp_path / "r" / "analysis.json"]
    assert written.markdown == (tmp_path / "r" / "analysis.md").read_text(encoding="utf-8")
    assert written.notes == []

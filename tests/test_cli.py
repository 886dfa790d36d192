"""The kg command through click's CliRunner."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main


@pytest.fixture(scope="module")
def built(seed_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli_out")
    result = CliRunner().invoke(main, ["build", *map(str, seed_files), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_build_summary(built):
    out, output = built
    assert "341 entries" in output and "301 papers" in output and "40 duplicates" in output
    assert (out / "graph.ttl").exists() and (out / "graph.html").exists() and (out / "report.json").exists()


@pytest.mark.parametrize("command", ["build", "query", "stats", "viz", "export", "formats"])
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output


def test_query_table_csv_json(built):
    out, _ = built
    q = "SELECT ?t WHERE { ?p a kgo:Paper ; dcterms:title ?t } ORDER BY ?t LIMIT 3"
    table = CliRunner().invoke(main, ["query", str(out), q])
    assert table.exit_code == 0 and "(3 rows)" in table.output
    rows = list(csv.reader(io.StringIO(CliRunner().invoke(main, ["query", str(out), q, "--format", "csv"]).output)))
    assert rows[0] == ["t"] and len(rows) == 4
    data = json.loads(CliRunner().invoke(main, ["query", str(out), q, "--format", "json"]).output)
    assert len(data) == 3 and all("t" in r for r in data)


def test_named_queries(built, tmp_path):
    out, _ = built
    listing = CliRunner().invoke(main, ["query", str(out), "--list"])
    assert "most_compared_methods" in listing.output and "compared_against" in listing.output
    res = CliRunner().invoke(main, ["query", str(out), "--named", "datasets_by_papers", "--format", "json"])
    top = json.loads(res.output)[0]
    assert top["dataset"] == "ImageNet-1K" and int(top["papers"]) > 20
    res = CliRunner().invoke(main, ["query", str(out), "--named", "compared_against", "--param", "method=ResNet",
                                    "--format", "json"])
    assert any("ResNet" in (r["subject"], r["other"]) for r in json.loads(res.output))
    bad = CliRunner().invoke(main, ["query", str(out), "--named", "nope"])
    assert bad.exit_code != 0
    qf = tmp_path / "q.rq"
    qf.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a kgo:Paper }")
    assert "301" in CliRunner().invoke(main, ["query", str(out), "--file", str(qf)]).output


def test_stats(built):
    out, _ = built
    res = CliRunner().invoke(main, ["stats", str(out), "--json"])
    data = json.loads(res.output)
    assert data["nodes"]["paper"] == 301
    assert data["most_used_datasets"][0][0] == "ImageNet-1K"
    assert data["top_methods_by_pagerank"]


def test_viz_and_export(built, tmp_path):
    out, _ = built
    page = tmp_path / "g.html"
    assert CliRunner().invoke(main, ["viz", str(out), "-o", str(page)]).exit_code == 0
    assert page.stat().st_size > 10_000
    original = Graph().parse(out / "graph.ttl")
    for fmt, name in (("nt", "g.nt"), ("jsonld", "g.jsonld"), ("turtle", "g.ttl")):
        target = tmp_path / name
        assert CliRunner().invoke(main, ["export", str(out), "--format", fmt, "-o", str(target)]).exit_code == 0
        parsed = Graph().parse(target, format={"nt": "nt", "jsonld": "json-ld", "turtle": "turtle"}[fmt])
        assert isomorphic(parsed, original), fmt


def test_bad_inputs_exit_non_zero_naming_the_file(tmp_path):
    missing = tmp_path / "missing.txt"
    res = CliRunner().invoke(main, ["build", str(missing), "--out", str(tmp_path / "o")])
    assert res.exit_code != 0 and str(missing) in res.output
    res = CliRunner().invoke(main, ["query", str(tmp_path / "nowhere"), "SELECT * WHERE {?s ?p ?o}"])
    assert res.exit_code != 0 and "no graph found" in res.output

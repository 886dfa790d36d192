"""`kg query` as a user meets it (issue 21 item 8): error positions in the user's text, named
queries that need their parameter, suggestions for an unknown name, cut cells announced, JSON typed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.build import BuildOptions, build
from kg.query import format_result, run_named, run_text, QueryResult, QuerySyntaxError
from kg.store import load_graph

SEEDS = sorted((Path(__file__).resolve().parent.parent / "examples" / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    if len(SEEDS) != 4:
        pytest.skip("examples/seeds is not in this checkout")
    out = tmp_path_factory.mktemp("query_ux")
    build(SEEDS, out)
    return out


def query(*args: str):
    return CliRunner().invoke(main, ["query", *args])


def test_syntax_error_is_placed_in_the_users_text(seeds_out):
    res = query(str(seeds_out), "SELECT ?x WHERE { ?x kgo:proposes ?y ")
    assert res.exit_code == 2
    assert "SPARQL syntax error at line 1, column 38" in res.output
    assert "SELECT ?x WHERE { ?x kgo:proposes ?y" in res.output          # the line, with a caret under it
    assert "16:" not in res.output and "[_]" not in res.output and "expected one of" not in res.output
    res = query(str(seeds_out), "SELECT ?x WHERE {\n  ?x kgo:proposes ?y ;\n     kgo:foo }")
    assert "at line 3, column 14" in res.output and "kgo:foo }" in res.output


def test_syntax_error_of_the_library_counts_no_prefix_line(seeds_out):
    with pytest.raises(QuerySyntaxError, match=r"line 2, column"):
        run_text(load_graph(seeds_out, backend="store"), "SELECT ?m WHERE {\n ?m a kgo:Method . FILTER(?m = ) }")


def test_named_query_without_its_parameter_is_an_error(seeds_out):
    res = query(str(seeds_out), "--named", "compared_against")
    assert res.exit_code == 2 and "--param method=VALUE" in res.output
    with pytest.raises(KeyError, match="needs --param name=VALUE"):
        run_named(load_graph(seeds_out, backend="store"), "evidence_for", {})


def test_unknown_method_gets_suggestions(seeds_out):
    res = query(str(seeds_out), "--named", "compared_against", "--param", "method=Resnet50x")
    assert res.exit_code == 0 and "(0 rows)" in res.output
    assert "no method or dataset is called 'Resnet50x'" in res.output
    assert "did you mean: " in res.output and "ResNet" in res.output.split("did you mean: ")[1]
    known = query(str(seeds_out), "--named", "compared_against", "--param", "method=ResNet")
    assert "did you mean" not in known.output and "(0 rows)" not in known.output


def test_cut_cells_are_announced_and_wide_shows_them(seeds_out):
    args = [str(seeds_out), "--named", "evidence_for", "--param", "name=ViT"]
    cut = query(*args)
    assert "…" in cut.output
    footer = [line for line in cut.output.splitlines() if "cut at 60 characters" in line]
    assert footer and int(footer[0].split()[0]) > 0 and "--wide" in footer[0] and "--format csv" in footer[0]
    wide = query(*args, "--wide")
    longest = max(len(r["evidence"]) for r in json.loads(query(*args, "--format", "json").output))
    assert longest > 60 and "cut at" not in wide.output
    assert any(len(line) > longest for line in wide.output.splitlines())


def test_format_result_counts_cut_cells():
    result = QueryResult(["a", "b"], [["x" * 70, "short"], ["y" * 61, None]])
    text = format_result(result, "table")
    assert text.splitlines()[-1].startswith("2 cells cut at 60 characters")
    assert "x" * 70 in format_result(result, "table", max_width=None)


def test_json_gives_numbers_and_booleans_typed(seeds_out):
    rows = json.loads(query(str(seeds_out), "--named", "most_compared_methods", "--format", "json").output)
    assert rows and all(isinstance(r["comparisons"], int) and isinstance(r["papers"], int) for r in rows)
    rows = json.loads(query(str(seeds_out), "--named", "evidence_for", "-p", "name=ViT", "--format", "json").output)
    assert rows and all(isinstance(r["confidence"], float) and 0 < r["confidence"] <= 1 for r in rows)
    assert all(isinstance(r["title"], str) for r in rows)
    assert json.loads(query(str(seeds_out), "ASK { ?p a kgo:Paper }", "--format", "json").output) == [{"ask": True}]
    rows = json.loads(query(str(seeds_out), 'SELECT ?n ?t WHERE { BIND(2.5 AS ?n) BIND("7" AS ?t) }',
                            "--format", "json").output)
    assert rows == [{"n": 2.5, "t": "7"}]


# ------------------------------------------------------------------ issue 21 item 13: counts agree


def test_build_and_stats_count_methods_alike(seeds_out, tmp_path):
    """The seeds: build said 373 Method (families included, being typed kgo:Method too), stats 359
    method. Both now count methods that are not families, and say it in the same words."""
    from kg.analysis import summary
    from kg.graphview import to_networkx

    report = json.loads((seeds_out / "report.json").read_text(encoding="utf-8"))
    nodes = summary(to_networkx(load_graph(seeds_out)))["nodes"]
    assert report["entities"]["Method"] == nodes["method"] > 300
    assert report["entities"]["MethodFamily"] == nodes["family"] > 5
    memory = build(SEEDS, tmp_path / "memory", BuildOptions(store="memory"))
    assert memory.entities == report["entities"]
    built = CliRunner().invoke(main, ["build", *map(str, SEEDS), "--out", str(tmp_path / "cli"), "--no-html"]).output
    stats = CliRunner().invoke(main, ["stats", str(seeds_out)]).output
    words = f"{nodes['paper']} papers, {nodes['method']} methods, {nodes['family']} method families, " \
            f"{nodes['dataset']} datasets"
    assert words in built and words in stats


def test_pair_outcomes_are_from_the_first_methods_side():
    import networkx as nx

    from kg.analysis import most_compared_pairs

    g = nx.MultiDiGraph()
    for node, label in (("a", "ViT"), ("b", "ResNet"), ("c", "ResNet"), ("d", "DeiT")):
        g.add_node(node, type="method", label=label)
    g.add_edge("a", "b", relation="comparesTo", papers=2, outcomes=["outperforms", "outperforms"])
    g.add_edge("b", "a", relation="comparesTo", papers=1, outcomes=["outperforms"])
    # two nodes with one label (a vocabulary name and a paper's own): still two sides
    g.add_edge("b", "c", relation="comparesTo", papers=1, outcomes=["outperforms"])
    g.add_edge("c", "b", relation="comparesTo", papers=1, outcomes=["outperforms"])
    rows = {(r["a"], r["b"]): r for r in most_compared_pairs(g)}
    assert rows[("ViT", "ResNet")]["outcomes"] == {"outperforms": 2, "underperforms": 1}
    assert rows[("ResNet", "ResNet")]["outcomes"] == {"outperforms": 1, "underperforms": 1}


def test_stats_command_labels_the_side(seeds_out):
    out = CliRunner().invoke(main, ["stats", str(seeds_out)]).output
    section = out.split("most compared pairs", 1)[1]
    assert section.startswith(": papers, and outcomes from the first method's side")
    first = section.splitlines()[1]
    a, rest = first.split("  ", 2)[-1].split(" vs ", 1)
    assert f"({a.strip()}: " in rest

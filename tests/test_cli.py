"""The kg command through click's CliRunner: build, query, stats, viz, export, formats, --help."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.cli import main
from kg.graph.iris import KGO

ABSTRACT = ("We propose ReceiptNet, a compact network for reading receipts. ReceiptNet outperforms ResNet-50 "
            "and DeiT on CIFAR-10 and SVHN while using half the parameters. Code is public.")


def run(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, (args, result.output, result.exception)
    return result


@pytest.fixture(scope="module")
def out(seeds_build) -> Path:
    """The seeds build folder (read only here)."""
    return seeds_build[1]


@pytest.fixture(scope="module")
def graph(seeds_ttl) -> Graph:
    return seeds_ttl


def label(g: Graph, node) -> str:
    return str(g.value(node, RDFS.label))


# --------------------------------------------------------------------------- help and build

def test_every_command_has_help_with_an_example():
    assert "Example" in run("--help").output
    commands = set(main.commands)
    assert {"build", "query", "stats", "viz", "export", "formats"} <= commands
    for command in sorted(commands):
        result = run(command, "--help")
        assert "Example" in result.output and f"kg {command}" in result.output, command


def test_build_prints_a_summary_accounting_for_every_entry(seeds_cli_build):
    out, output, code = seeds_cli_build
    assert code == 0, output
    assert "read 341 entries from 4 file(s): 301 papers, 40 duplicates merged, 0 skipped" in output
    for name in ("graph.ttl", "graph.html", "report.json"):
        assert f"wrote {out / name}" in output and (out / name).stat().st_size > 0


def test_build_json_report_and_options(tmp_path):
    listing = tmp_path / "l.txt"
    listing.write_text(f"ReceiptNet: Reading Receipts\n\n{ABSTRACT}\n\nLonely Title\n", encoding="utf-8")
    res = run("build", listing, "--out", tmp_path / "o", "--json", "--no-html", "--min-confidence", "0.9")
    report = json.loads(res.output[res.output.index("{"):res.output.rindex("}") + 1])
    assert (report["entries"], report["papers"], report["duplicates"]) == (2, 1, 0)
    assert report["skipped"] == [{"source": f"{listing}:5", "reason": "title without an abstract: 'Lonely Title'"}]
    assert not (tmp_path / "o" / "graph.html").exists() and (tmp_path / "o" / "graph.ttl").exists()
    g = Graph().parse(tmp_path / "o" / "graph.ttl")
    confidences = [float(c) for c in g.objects(None, KGO.confidence)]
    assert confidences and min(confidences) >= 0.9
    assert run("build", listing, "--out", tmp_path / "o", "--min-confidence", "2", ok=False).exit_code == 2


def test_build_requires_a_listing_and_names_bad_files(tmp_path):
    assert run("build", "--out", tmp_path / "o", ok=False).exit_code == 2
    missing = tmp_path / "missing.txt"
    res = run("build", missing, "--out", tmp_path / "o", ok=False)
    assert res.exit_code == 1 and f"{missing}: no such file" in res.output
    assert "error: no paper could be read" in res.output


# --------------------------------------------------------------------------- query

Q = "SELECT ?t WHERE { ?p a kgo:Paper ; dcterms:title ?t } ORDER BY ?t LIMIT 3"


def test_query_table_csv_json(out, graph):
    expected = sorted(str(t) for t in graph.objects(None, DCTERMS.title))[:3]
    table = run("query", out, Q).output.splitlines()
    assert table[0].strip() == "t" and set(table[1].strip()) == {"-"}
    assert [l.rstrip() for l in table[2:5]] == [t if len(t) <= 60 else t[:59] + "…" for t in expected]
    assert table[5] == "(3 rows)"
    rows = list(csv.reader(io.StringIO(run("query", out, Q, "--format", "csv").output)))
    assert rows == [["t"], *[[t] for t in expected]]
    assert json.loads(run("query", out, Q, "--format", "json").output) == [{"t": t} for t in expected]


def test_query_accepts_a_graph_file_and_declared_prefixes(out, graph):
    q = ("PREFIX dcterms: <http://purl.org/dc/terms/>\n"
         "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:title ?t }")
    assert json.loads(run("query", out / "graph.ttl", q, "--format", "json").output) == [{"n": 301}]   # typed: a number, not a string
    ask = run("query", out, 'ASK { ?p dcterms:title "VOLO: Vision Outlooker for Visual Recognition" }').output
    assert "true" in ask


def test_query_from_a_file(out, tmp_path):
    qf = tmp_path / "q.rq"
    qf.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a kgo:Paper }", encoding="utf-8")
    assert json.loads(run("query", out, "--file", qf, "--format", "json").output) == [{"n": 301}]


def test_query_list_shows_every_named_query():
    shipped = {p.stem for p in (Path(__file__).resolve().parent.parent / "kg" / "queries").glob("*.rq")
               if not p.name.endswith(".stats.rq")}   # a named query's twin (kg/stats.py), no query of its own
    listing = run("query", "unused", "--list").output
    names = {line.split()[0] for line in listing.splitlines() if line.strip()}
    assert names == shipped and len(shipped) >= 5
    assert "(params: method)" in next(l for l in listing.splitlines() if l.startswith("compared_against"))


def test_named_query_datasets_by_papers(out, graph):
    papers = Counter()
    for paper, d in set(graph.subject_objects(KGO.evaluatesOn)):
        papers[label(graph, d)] += 1
    expected = sorted(papers.items(), key=lambda kv: (-kv[1], kv[0]))[:50]
    rows = json.loads(run("query", out, "--named", "datasets_by_papers", "--format", "json").output)
    assert [(r["dataset"], int(r["papers"])) for r in rows] == expected
    assert rows[0]["dataset"] == "ImageNet-1K"


def test_named_query_with_a_parameter(out, graph):
    expected = set()
    for st in graph.subjects(RDF.predicate, KGO.comparesTo):
        s, o = graph.value(st, RDF.subject), graph.value(st, RDF.object)
        names = lambda e: {str(n) for n in (*graph.objects(e, RDFS.label), *graph.objects(e, SKOS.altLabel))}
        if "ResNet" in names(s) | names(o):
            title = str(graph.value(graph.value(st, PROV.wasDerivedFrom), DCTERMS.title))
            expected.add((label(graph, s), str(graph.value(st, KGO.outcome)), label(graph, o), title))
    res = run("query", out, "--named", "compared_against", "--param", "method=ResNet", "--format", "json")
    rows = json.loads(res.output)
    assert {(r["subject"], r["outcome"], r["other"], r["title"]) for r in rows} == expected
    assert len(expected) >= 5


def test_query_mistakes_exit_2_with_a_message(out):
    cases = [
        (["--named", "nope"], "no named query 'nope'"),
        (["--named", "compared_against", "--param", "nope=1"], "takes method, not nope"),
        (["--named", "compared_against", "--param", "method"], "--param wants NAME=VALUE"),
        ([], "give exactly one of SPARQL, --file or --named"),
        (["SELECT ?x WHERE {", "--format", "csv"], "SPARQL syntax error at line 1"),
    ]
    for args, message in cases:
        res = run("query", out, *args, ok=False)
        assert res.exit_code == 2 and message in res.output, (args, res.output)


def test_commands_on_a_missing_graph_fail_clearly(tmp_path):
    for args in (["query", tmp_path / "nowhere", Q], ["stats", tmp_path / "nowhere"],
                 ["viz", tmp_path / "nowhere"], ["export", tmp_path / "nowhere"]):
        res = run(*args, ok=False)
        assert res.exit_code != 0 and f"{tmp_path / 'nowhere'}: no graph found" in res.output, args


# --------------------------------------------------------------------------- stats

def test_stats(out, graph):
    data = json.loads(run("stats", out, "--json", "--top", "5").output)
    families = set(graph.subjects(RDF.type, KGO.MethodFamily))
    assert data["nodes"] == {
        "dataset": len(set(graph.subjects(RDF.type, KGO.Dataset))),
        "family": len(families),
        "method": len(set(graph.subjects(RDF.type, KGO.Method)) - families),
        "paper": 301,
    }
    assert data["edges"]["proposes"] == len(set(graph.subject_objects(KGO.proposes)))
    assert data["edges"]["evaluatesOn"] == len(set(graph.subject_objects(KGO.evaluatesOn)))
    assert data["most_used_datasets"][0] == ["ImageNet-1K", max(
        sum(1 for _ in graph.subjects(KGO.evaluatesOn, d)) for d in graph.subjects(RDF.type, KGO.Dataset))]
    for key in ("top_methods_by_degree", "top_methods_by_pagerank", "most_used_datasets", "most_compared_pairs"):
        assert 0 < len(data[key]) <= 5, key
    assert data["components"]["count"] >= 1
    text = run("stats", out).output
    for heading in ("nodes:", "edges:", "components:", "top methods by degree:", "most compared pairs:"):
        assert heading in text
    assert "ImageNet-1K" in text


# --------------------------------------------------------------------------- viz and export

def test_viz(out, tmp_path):
    page = tmp_path / "page.html"
    res = run("viz", out, "-o", page)
    assert f"wrote {page}" in res.output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "vis.Network" in html
    assert "VOLO: Vision Outlooker for Visual Recognition" in html


def test_viz_default_target_is_beside_the_graph(tmp_path):
    listing = tmp_path / "l.txt"
    listing.write_text(f"ReceiptNet: Reading Receipts\n\n{ABSTRACT}\n", encoding="utf-8")
    run("build", listing, "--out", tmp_path / "o", "--no-html")
    copy = tmp_path / "elsewhere" / "g.ttl"
    copy.parent.mkdir()
    copy.write_bytes((tmp_path / "o" / "graph.ttl").read_bytes())
    assert f"wrote {copy.parent / 'graph.html'}" in run("viz", copy).output
    assert "ReceiptNet" in (copy.parent / "graph.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt,parser,name", [("nt", "nt", "g.nt"), ("jsonld", "json-ld", "g.jsonld"),
                                              ("turtle", "turtle", "g.ttl")])
def test_export_parses_back_isomorphic(out, graph, tmp_path, fmt, parser, name):
    target = tmp_path / name
    res = run("export", out, "--format", fmt, "-o", target)
    assert f"wrote {target} ({len(graph)} triples)" in res.output
    assert isomorphic(Graph().parse(target, format=parser), graph)


def test_export_to_stdout(out, graph):
    text = run("export", out, "--format", "nt").output
    assert text.count("\n") >= len(graph)
    assert isomorphic(Graph().parse(data=text, format="nt"), graph)
    assert run("export", out, "--format", "nope", ok=False).exit_code == 2


def test_formats_lists_readers_and_extractors():
    text = run("formats").output
    for name in ("hf-listing", "jsonl", "json", "csv", "proposes", "datasets", "compares"):
        assert f"  {name} " in text, name


def test_build_reads_a_folder_of_listings(seed_files, seeds_ttl, tmp_path):
    """`kg build FOLDER/`: the listing files under it (subfolders too), not its README or hidden files."""
    import shutil

    listings = tmp_path / "listings"
    (listings / "more").mkdir(parents=True)
    (listings / ".cache").mkdir()
    for i, f in enumerate(seed_files):
        shutil.copy(f, listings / ("more" if i % 2 else ".") / f.name)
    shutil.copy(seed_files[0], listings / ".cache" / "stale.txt")           # hidden folder: left out
    shutil.copy(seed_files[0], listings / ".draft.txt")                     # hidden file: left out
    (listings / "README.md").write_text("# Listings\n\nWe propose NotAPaperNet.\n", encoding="utf-8")
    res = run("build", listings, "--out", tmp_path / "out", "--no-html", "--json")
    report = json.loads(res.output[res.output.index("{"):res.output.rindex("}") + 1])
    assert sorted(Path(f).name for f in report["files"]) == sorted(f.name for f in seed_files)
    built = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    # the same graph as the seeds' build, but for the listings' paths in kgo:source
    without_sources = lambda g: [t for t in g if t[1] != KGO.source]  # noqa: E731
    assert isomorphic(Graph().__iadd__(without_sources(built)), Graph().__iadd__(without_sources(seeds_ttl)))

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("nothing here\n", encoding="utf-8")
    res = run("build", empty, "--out", tmp_path / "out2", ok=False)
    assert res.exit_code != 0 and str(empty) in res.output and "no listing file" in res.output

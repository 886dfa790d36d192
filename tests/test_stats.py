"""The stats graph a store build keeps (kg/stats.py) and the named queries that read it: same rows
as the live aggregate queries, after one-shot, incremental and re-extracting builds; paged listings."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

import kg.build.sidetable
import kg.build.store_build
from kg.cli import main
from kg.records import Entity, Evidence, Extraction, Fact, Paper
from kg.oxstore import oxigraph_of
from kg.query import has_stats, named_queries, run_named, run_query
from kg.stats import STATS_GRAPH, FactCounts, families_of
from kg.store import load_graph
from kg.build import BuildOptions
from kg.build.store_build import build_store

AGGREGATES = [n for n, q in named_queries().items() if q.stats_text]


def test_the_aggregate_queries_have_twins():
    assert set(AGGREGATES) == {"datasets_by_papers", "most_compared_methods", "family_outcomes"}


@pytest.fixture(scope="module")
def one_shot(seed_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("stats_one_shot")
    build_store(seed_files, out, BuildOptions(workers=1))
    return out


def rows(out, name: str, twin: bool) -> list:
    graph = load_graph(out, backend="store")
    q = named_queries()[name]
    return run_query(graph, q.stats_text if twin else q.text).rows


@pytest.mark.parametrize("name", AGGREGATES)
def test_twin_gives_the_live_rows_on_the_seeds(one_shot, name):
    live, twin = rows(one_shot, name, False), rows(one_shot, name, True)
    assert live and twin == live


def test_named_queries_read_the_stats_graph_of_a_store(one_shot, seeds_ttl):
    graph = load_graph(one_shot, backend="store")
    assert has_stats(graph)
    assert not has_stats(seeds_ttl)            # graph.ttl holds no stats: the live query runs there
    assert run_named(graph, "datasets_by_papers").rows == run_named(seeds_ttl, "datasets_by_papers").rows


def test_stats_stay_out_of_graph_ttl_exports_and_counts(one_shot, tmp_path):
    store = oxigraph_of(load_graph(one_shot, backend="store"))
    in_stats = len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(STATS_GRAPH))))
    default = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    assert in_stats > 0
    ttl = Graph().parse(one_shot / "graph.ttl", format="turtle")
    assert len(ttl) == default
    assert not any("evaluatedInPapers" in str(p) for p in ttl.predicates())
    report = CliRunner().invoke(main, ["export", str(one_shot), "--format", "nquads", "--output", str(tmp_path / "g.nq")])
    assert report.exit_code == 0, report.output
    assert STATS_GRAPH not in (tmp_path / "g.nq").read_text(encoding="utf-8")
    assert json.loads((one_shot / "report.json").read_text())["triples"] == default


def test_incremental_and_reextracting_builds_keep_the_same_stats(seed_files, one_shot, tmp_path, monkeypatch):
    fp = kg.build.store_build.extraction_fingerprint(0.0)
    monkeypatch.setattr(kg.build.store_build, "extraction_fingerprint", lambda mc, model=None: fp)
    monkeypatch.setattr(kg.build.sidetable, "STATS_FLUSH", 50)   # sums into the side table many times
    out = tmp_path / "out"
    build_store(seed_files[:1], out, BuildOptions(workers=1, batch_size=7))
    build_store(seed_files[1:3], out, BuildOptions(workers=1, batch_size=7))
    report = build_store(seed_files, out, BuildOptions(workers=1, batch_size=7))
    assert report.store["mode"] == "incremental" and report.store["new_papers"] > 0
    assert sorted(AGGREGATES) == ["datasets_by_papers", "family_outcomes", "most_compared_methods"]
    for name in AGGREGATES:
        assert rows(out, name, True) == rows(one_shot, name, True) == rows(out, name, False), name
    report = build_store(seed_files, out, BuildOptions(workers=1, reextract=True))
    assert report.store["mode"] == "reextract"
    for name in AGGREGATES:
        assert rows(out, name, True) == rows(one_shot, name, True), name


def _fact(title: str, s: Entity, o: Entity, outcome: str = "outperforms") -> Fact:
    paper = Paper(title=title, abstract="")
    ex = Extraction(paper.key, s.label, "method", "comparesTo", o.label, "method",
                    Evidence("s", 0, 1), "test", 0.9, outcome)
    return Fact(paper, s, "comparesTo", o, ex)


def test_fact_counts_count_distinct_statements_and_papers():
    vit = Entity("vit", "method", "ViT", ("vision-transformer",))
    resnet = Entity("resnet", "method", "ResNet", ("cnn",))
    cnn = Entity("cnn", "method", "CNN", (), is_family=True)
    counts = FactCounts()
    for f in (_fact("p1", vit, resnet), _fact("p1", vit, resnet),   # the same statement twice: once
              _fact("p1", vit, cnn), _fact("p2", vit, resnet, "comparable")):
        counts.add(f)
    iri = "https://w3id.org/kgpaper/id/method/"
    assert counts.method_statements[iri + "vit"] == 3 and counts.method_papers[iri + "vit"] == 2
    assert counts.method_statements[iri + "resnet"] == 2 and counts.method_papers[iri + "cnn"] == 1
    # ResNet counts under its family CNN, CNN under itself
    assert counts.family_outcomes[(iri + "vision-transformer", "outperforms", iri + "cnn")] == 2
    assert counts.family_outcomes[(iri + "vision-transformer", "comparable", iri + "cnn")] == 1
    assert families_of(cnn) == {iri + "cnn"}


def test_listing_pages_cover_every_row_once(one_shot):
    graph = load_graph(one_shot, backend="store")
    every = run_named(graph, "proposed_methods").rows
    assert len(every) > 30
    assert run_named(graph, "proposed_methods", page=len(every)).rows == every   # one page: sorted, whole
    pages, offset = [], 0
    while True:
        result = run_named(graph, "proposed_methods", page=12, offset=offset)
        if not result.rows:
            assert "no rows" in result.truncated
            break
        assert len(result.rows) <= 12 and "store order" in result.truncated
        pages.extend(map(tuple, result.rows))
        offset += 12
    assert sorted(pages) == sorted(map(tuple, every))
    # a query with its own LIMIT is no listing: the page changes nothing
    assert run_named(graph, "most_compared_methods", page=3).rows == run_named(graph, "most_compared_methods").rows


def test_cli_pages_a_named_listing(one_shot):
    runner = CliRunner()
    result = runner.invoke(main, ["query", str(one_shot), "--named", "proposed_methods", "--limit", "3",
                                  "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1 + 3
    assert "rows 1-3 in store order" in result.stderr and "--offset 3" in result.stderr
    full = runner.invoke(main, ["query", str(one_shot), "--named", "proposed_methods", "--all", "--format", "csv"])
    assert full.exit_code == 0 and len(full.stdout.strip().splitlines()) > 30 and not full.stderr
    for bad in (["--named", "proposed_methods", "--all", "--limit", "3"], ["SELECT * WHERE { ?s ?p ?o }", "--limit", "3"]):
        result = runner.invoke(main, ["query", str(one_shot), *bad])
        assert result.exit_code == 2, result.output

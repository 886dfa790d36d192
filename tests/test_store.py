"""The Oxigraph store path of ``kg build`` (streaming, N-Triples bulk load, incremental, workers)
against the plain rdflib path, and every reader of a store-built folder (issues 4 and 7)."""
from __future__ import annotations

import dataclasses
from collections import Counter
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic, graph_diff

from kg.cli import main
from kg.oxstore import current_generation, generations, manifest, oxigraph_of
from kg.build import BuildOptions, build
from kg.graph.iris import KGO, paper_iri
from kg.store import load_graph
from kg.build.store_build import build_store
from kg.page import build_with_page

REPORT_FIELDS = ("entries", "papers", "duplicates", "skipped", "triples", "relations", "entities", "file_errors")


def ttl(path: Path) -> Graph:
    return Graph().parse(path / "graph.ttl" if path.is_dir() else path, format="turtle")


def assert_isomorphic(a: Graph, b: Graph) -> None:
    """Isomorphic; without blank nodes (our graphs have none) that is set equality, much faster."""
    if not any(isinstance(x, BNode) for g in (a, b) for t in g for x in t):
        ta, tb = set(a), set(b)
        if ta != tb:
            pytest.fail(f"graphs differ ({len(ta)} vs {len(tb)} triples); only in first: {sorted(ta - tb)[:5]}; "
                        f"only in second: {sorted(tb - ta)[:5]}")
        return
    if isomorphic(a, b):
        return
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    pytest.fail(f"graphs differ ({len(a)} vs {len(b)} triples); only in first: {sorted(only_a)[:5]}; "
                f"only in second: {sorted(only_b)[:5]}")


def in_memory(graph: Graph) -> Graph:
    g = Graph()
    for t in graph:
        g.add(t)
    return g


def outputs_state(out: Path) -> dict[str, tuple[bytes, int]]:
    return {n: ((out / n).read_bytes(), (out / n).stat().st_mtime_ns)
            for n in ("graph.ttl", "graph.html", "report.json") if (out / n).exists()}


@pytest.fixture
def stable_fingerprint(monkeypatch):
    """Other work may edit the extractors while the suite runs; a changed fingerprint would turn
    an incremental build into a re-extraction. Pin it for the builds of one test."""
    import kg.build.store_build

    fp = kg.build.store_build.extraction_fingerprint(0.0)
    monkeypatch.setattr(kg.build.store_build, "extraction_fingerprint", lambda mc, model=None: f"{fp}-{float(mc)!r}")


@pytest.fixture(scope="module")
def memory_build(seed_files, tmp_path_factory):
    """(report, folder) of the plain rdflib build of the four seeds."""
    out = tmp_path_factory.mktemp("memory_build")
    return build_with_page(seed_files, out, BuildOptions(store="memory")), out


@pytest.fixture(scope="module")
def ref_graph(memory_build) -> Graph:
    """graph.ttl of the rdflib build: the reference every other path must give."""
    return ttl(memory_build[1])


# --------------------------------------------------------------------------- fast path = rdflib path

def test_store_build_matches_the_rdflib_build(seeds_build, memory_build, ref_graph):
    store_report, store_out = seeds_build
    mem_report, _ = memory_build
    assert store_report.store["mode"] == "fresh" and store_report.store["changed"]
    mem_graph = ref_graph
    assert len(mem_graph) > 10_000
    assert_isomorphic(ttl(store_out), mem_graph)                                  # graph.ttl of both
    assert_isomorphic(in_memory(load_graph(store_out, backend="store")), mem_graph)  # the store itself
    for name in REPORT_FIELDS:
        assert getattr(store_report, name) == getattr(mem_report, name), name
    on_disk = json.loads((store_out / "report.json").read_text(encoding="utf-8"))
    assert on_disk["triples"] == len(mem_graph) == manifest(current_generation(store_out))["triples"]
    assert (store_out / "graph.html").stat().st_size > 10_000


# --------------------------------------------------------------------------- incremental

def test_incremental_build_adds_new_papers_only(seed_files, memory_build, ref_graph, tmp_path,
                                                stable_fingerprint):
    mem_report, _ = memory_build
    out = tmp_path / "out"
    first = build(seed_files[:2], out)
    assert first.store["mode"] == "fresh" and first.store["new_papers"] == first.papers
    gen1 = current_generation(out)

    second = build(seed_files, out)
    st = second.store
    assert st["mode"] == "incremental" and st["changed"] and st["reextracted"] == 0
    assert st["known_papers"] == first.papers
    assert st["new_papers"] == mem_report.papers - first.papers
    assert current_generation(out) != gen1
    assert_isomorphic(ttl(out), ref_graph)
    assert_isomorphic(in_memory(load_graph(out, backend="store")), ref_graph)
    # the report describes the whole graph, as a one-shot build's does (relations too)
    for name in ("papers", "duplicates", "triples", "relations", "entities"):
        assert getattr(second, name) == getattr(mem_report, name), name
    assert sum(st["relations_extracted"].values()) < sum(second.relations.values())

    # the same input again: nothing changes, nothing is rewritten
    before, gen2, gens = outputs_state(out), current_generation(out), generations(out)
    result = CliRunner().invoke(main, ["build", *map(str, seed_files), "--out", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "0 new papers" in result.output and "nothing changed" in result.output
    assert outputs_state(out) == before
    assert current_generation(out) == gen2 and generations(out) == gens
    third = build(seed_files, out)
    assert third.store["changed"] is False and third.store["new_papers"] == 0
    assert third.triples == mem_report.triples and third.relations == mem_report.relations
    assert outputs_state(out) == before


@pytest.fixture(scope="module")
def small_listing(seed_papers, tmp_path_factory) -> Path:
    """25 seed papers as JSON Lines (fast builds)."""
    path = tmp_path_factory.mktemp("small") / "small.jsonl"
    papers = list(seed_papers.values())[:25]
    path.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in papers),
                    encoding="utf-8")
    return path


def test_a_new_listing_of_a_stored_paper_adds_its_source(small_listing, tmp_path, stable_fingerprint):
    copy = tmp_path / "again" / small_listing.name
    copy.parent.mkdir()
    shutil.copyfile(small_listing, copy)
    out, ref = tmp_path / "out", tmp_path / "ref"
    build([small_listing], out)
    report = build([small_listing, copy], out)
    assert report.store["new_papers"] == 0 and report.store["new_sources"] == 25 and report.store["changed"]
    build([small_listing, copy], ref, BuildOptions(store="memory"))
    assert_isomorphic(ttl(out), ttl(ref))
    sources = {str(o) for o in ttl(out).objects(None, KGO.source)}
    assert any(str(copy) in s for s in sources)


def test_missing_outputs_are_written_again_without_a_new_generation(small_listing, tmp_path, stable_fingerprint):
    out = tmp_path / "out"
    build_with_page([small_listing], out)
    ttl_before = (out / "graph.ttl").read_bytes()
    gens = generations(out)
    (out / "graph.html").unlink()
    report = build_with_page([small_listing], out)
    assert report.store["changed"] is False
    assert (out / "graph.html").stat().st_size > 1000
    assert (out / "graph.ttl").read_bytes() == ttl_before and generations(out) == gens


def test_no_turtle_build_keeps_the_store_queryable_and_export_gives_the_same_graph(small_listing, tmp_path):
    full, bare = tmp_path / "full", tmp_path / "bare"
    build([small_listing], full)
    result = CliRunner().invoke(main, ["build", str(small_listing), "--out", str(bare), "--no-html", "--no-turtle"])
    assert result.exit_code == 0, result.output
    assert not (bare / "graph.ttl").exists()
    assert "graph.ttl" not in json.loads((bare / "report.json").read_text())["outputs"][0]
    count = CliRunner().invoke(main, ["query", str(bare), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                      "--format", "csv"])
    assert count.exit_code == 0 and int(count.output.split()[-1]) == len(ttl(full))
    exported = CliRunner().invoke(main, ["export", str(bare), "--format", "turtle", "-o", str(tmp_path / "x.ttl")])
    assert exported.exit_code == 0, exported.output
    assert_isomorphic(ttl(tmp_path / "x.ttl"), ttl(full))
    assert f"({len(ttl(full))} triples)" in exported.output   # counted by Oxigraph (kg.oxstore.triple_count)
    build([small_listing], full, BuildOptions(turtle=False))     # store unchanged: graph.ttl is still current
    assert (full / "graph.ttl").exists()
    head = tmp_path / "head.jsonl"
    head.write_text("".join(small_listing.read_text().splitlines(keepends=True)[:10]))
    build([head], tmp_path / "grow")
    build([small_listing], tmp_path / "grow", BuildOptions(turtle=False))   # the old graph.ttl would mislead
    assert not (tmp_path / "grow" / "graph.ttl").exists()
    with pytest.raises(ValueError, match="graph.ttl"):
        build_with_page([small_listing], tmp_path / "mem", BuildOptions(store="memory", turtle=False))


def test_changed_min_confidence_reextracts_the_stored_papers(small_listing, tmp_path, stable_fingerprint):
    out, ref = tmp_path / "out", tmp_path / "ref"
    build([small_listing], out)
    report = build([small_listing], out, BuildOptions(min_confidence=0.7))
    assert report.store["mode"] == "reextract" and report.store["reextracted"] == report.papers == 25
    ref_report = build([small_listing], ref, BuildOptions(min_confidence=0.7, store="memory"))
    assert ref_report.triples < build([small_listing], tmp_path / "all", BuildOptions(store="memory")).triples
    assert_isomorphic(ttl(out), ttl(ref))
    assert report.relations == ref_report.relations and report.triples == ref_report.triples


@pytest.mark.parametrize("data_file", ["cues.json", "lexicon.json", "vocab/datasets.ttl"])
def test_the_extraction_fingerprint_covers_the_data_the_extractors_read(data_file, tmp_path, monkeypatch):
    # an edited stop list, cue list or vocabulary changes what is extracted: stored papers are extracted again
    from kg.build.fingerprint import extraction_fingerprint
    from kg.vocab import ontology_dir
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), copy)
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(copy))
    before = extraction_fingerprint(0.0)
    assert extraction_fingerprint(0.0) == before
    with open(copy / data_file, "a", encoding="utf-8") as f:
        f.write("\n")
    assert extraction_fingerprint(0.0) != before


def test_a_side_table_of_the_earlier_layout_is_reextracted_from_its_records(small_listing, tmp_path,
                                                                           stable_fingerprint):
    """Side tables written before records got their own table kept them zlib-compressed in the
    ``papers`` rows; a build that re-extracts such a store reads them from there."""
    import sqlite3
    import zlib

    out, ref = tmp_path / "out", tmp_path / "ref"
    build([small_listing], out)
    db = sqlite3.connect(current_generation(out) / "side.sqlite")
    with db:
        for seq, record in db.execute("SELECT seq, record FROM records").fetchall():
            db.execute("UPDATE papers SET record=? WHERE seq=?", (zlib.compress(record, 1), seq))
        db.execute("DROP TABLE records")
    db.close()
    report = build([small_listing], out, BuildOptions(min_confidence=0.7))
    assert report.store["mode"] == "reextract" and report.store["reextracted"] == report.papers == 25
    build([small_listing], ref, BuildOptions(min_confidence=0.7, store="memory"))
    assert_isomorphic(ttl(out), ttl(ref))


def test_a_failed_build_leaves_the_store_and_can_be_retried_in_the_same_process(seed_files, tmp_path, monkeypatch,
                                                                                stable_fingerprint):
    """A build that fails mid-way (here: the 2nd batch raises) publishes nothing, and the store it
    was writing is released: retrying in the same process (a notebook) works."""
    import kg.build.store_build

    out = tmp_path / "out"
    build_store([seed_files[1]], out)
    before, gen = outputs_state(out), current_generation(out)
    real, calls = kg.build.store_build.extract_batch, []

    def failing(batch, min_confidence=0.0, model=None):
        calls.append(len(batch))
        if len(calls) == 2:
            raise ValueError("extractor blew up")
        return real(batch, min_confidence, model)

    monkeypatch.setattr(kg.build.store_build, "extract_batch", failing)
    with pytest.raises(ValueError, match="blew up"):
        build_store([seed_files[0]], out, BuildOptions(workers=1, batch_size=10))
    assert current_generation(out) == gen and outputs_state(out) == before
    assert generations(out) == [gen]
    monkeypatch.setattr(kg.build.store_build, "extract_batch", real)
    report = build_store([seed_files[0]], out, BuildOptions(workers=1, batch_size=10))
    assert report.store["changed"] and report.store["new_papers"] > 0


# --------------------------------------------------------------------------- workers

def test_two_worker_processes_give_the_same_graph(seed_files, seeds_build, tmp_path):
    out = tmp_path / "out"
    report = build_store(seed_files, out, BuildOptions(workers=2, batch_size=16))
    assert report.store["executor"] == "processes" and report.store["workers"] == 2
    assert report.triples == seeds_build[0].triples and report.relations == seeds_build[0].relations
    assert_isomorphic(ttl(out), ttl(seeds_build[1]))


# --------------------------------------------------------------------------- readers of a built folder

@pytest.mark.parametrize("backend", ["auto", "store", "memory"])
@pytest.mark.parametrize("where", ["folder", "file"])
def test_load_graph_backends_agree(seeds_build, ref_graph, ref_answers, backend, where):
    from kg.query import run_named, run_query

    location = seeds_build[1] if where == "folder" else seeds_build[1] / "graph.ttl"
    g = load_graph(location, backend=backend)
    assert (oxigraph_of(g) is not None) == (backend == "store")
    assert len(g) == seeds_build[0].triples
    assert_isomorphic(in_memory(g) if oxigraph_of(g) is not None else g, ref_graph)
    assert (paper_iri(sorted(_paper_keys(g))[0]), None, None) in g
    # queries answer the same whatever the backend
    for (name, params), want in ref_answers.items():
        got = run_named(g, name, dict(params))
        assert got.columns == want.columns and sorted(map(tuple, got.rows)) == sorted(map(tuple, want.rows))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert run_query(g, count).rows == [[str(seeds_build[0].triples)]]


@pytest.fixture(scope="module")
def ref_answers(ref_graph) -> dict:
    """Named queries (with and without parameters) answered by rdflib on the reference graph."""
    from kg.query import run_named

    out = {}
    for name, params in (("datasets_by_papers", ()), ("compared_against", (("method", "ResNet"),)),
                         ("evidence_for", (("name", "ImageNet"),))):
        out[name, params] = run_named(ref_graph, name, dict(params))
        assert out[name, params].rows, name
    return out


def _paper_keys(g: Graph) -> set[str]:
    from rdflib.namespace import RDF

    return {str(s).rsplit("/", 1)[1] for s in g.subjects(RDF.type, KGO.Paper)}


def test_load_graph_rejects_an_unknown_backend(seeds_build):
    with pytest.raises(ValueError, match="backend"):
        load_graph(seeds_build[1], backend="fast")


@pytest.fixture(scope="module")
def cli_locations(seeds_build):
    return {"folder": seeds_build[1], "file": seeds_build[1] / "graph.ttl"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_query_stats_export_agree_on_a_store_folder_and_its_graph_file(cli_locations, memory_build, ref_graph):
    outputs = {}
    for where, loc in cli_locations.items():
        q1 = run("query", loc, "--named", "compared_against", "--param", "method=ResNet", "--format", "json")
        q2 = run("query", loc, "SELECT ?t WHERE { ?p a kgo:Paper ; dcterms:title ?t } ORDER BY ?t", "--format", "csv")
        st = run("stats", loc, "--json")
        ex = run("export", loc, "--format", "nt")
        for r in (q1, q2, st, ex):
            assert r.exit_code == 0, (where, r.output)
        outputs[where] = (json.loads(q1.output), q2.output, json.loads(st.output), ex.output)
        assert_isomorphic(Graph().parse(data=ex.output, format="nt"), ref_graph)
    folder, file = outputs["folder"], outputs["file"]
    assert folder[0] and sorted(map(json.dumps, folder[0])) == sorted(map(json.dumps, file[0]))
    assert folder[1] == file[1] and folder[1].count("\n") == memory_build[0].papers + 1
    assert folder[2] == file[2] and folder[2]["nodes"]


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nquads", "nquads")])   # Oxigraph's writer
def test_export_files_from_a_store_folder(cli_locations, ref_graph, tmp_path, fmt, parser):
    target = tmp_path / f"g.{fmt}"
    r = run("export", cli_locations["folder"], "--format", fmt, "-o", target)
    assert r.exit_code == 0, r.output
    assert_isomorphic(_parse_all(target, parser), ref_graph)


def _parse_all(path: Path, parser: str) -> Graph:
    """Every triple of the file, whatever graph of a dataset it is in."""
    from rdflib import Dataset

    if parser != "nquads":
        return Graph().parse(path, format=parser)
    ds = Dataset()
    ds.parse(path, format="nquads")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.mark.parametrize("where", ["folder", "file"])
def test_viz_of_a_store_folder_and_of_a_graph_file(cli_locations, tmp_path, where):
    target = tmp_path / "view.html"
    r = run("viz", cli_locations[where], "-o", target)
    assert r.exit_code == 0, r.output
    html = target.read_text(encoding="utf-8")
    assert "<html" in html.lower() and "ImageNet" in html and len(html) > 10_000


def test_query_on_a_store_folder_sees_literals_as_the_rdflib_build_does(seeds_build):
    g = load_graph(seeds_build[1], backend="store")
    title = next(iter(g.objects(None, URIRef("http://purl.org/dc/terms/title"))))
    assert isinstance(title, Literal) and title.datatype is None and title.language is None
    assert (None, URIRef("http://purl.org/dc/terms/title"), Literal(str(title))) in g


def _assert_both_paths_agree(triples: list) -> Graph:
    """The bulk path's N-Triples of ``triples``, read back by rdflib, hold exactly the triples of the
    in-memory path's rdflib graph (no blank nodes: equal sets, not only isomorphic graphs)."""
    from kg.graph.ntriples import lines
    from kg.graph.terms import graph_of

    assert triples
    parsed, direct = Graph().parse(data=lines(triples), format="nt"), graph_of(triples)
    assert len(parsed) == len(direct) > 0 and set(parsed) == set(direct)
    return parsed


def test_direct_ntriples_of_papers_equal_the_rdflib_triples(seed_papers, tmp_path):
    """Papers: the N-Triples the bulk path writes hold the triples the in-memory graph holds."""
    from kg.records import SourceRef
    from kg.readers import read_papers
    from kg.graph.mapping import paper_triples

    arxiv = tmp_path / "listing.jsonl"
    arxiv.write_text(json.dumps({"id": "2106.13112", "title": 'A "quoted"\ttitle', "abstract": "Line\nbreak \\ \x01.",
                                 "authors": "Jörg Müller, Ann Lee", "categories": "cs.CV cs.LG",
                                 "doi": "10.1000/xyz", "update_date": "2021-06-24"}) + "\n")
    papers = list(seed_papers.values()) + list(read_papers(arxiv))
    assert any(p.authors for p in papers)
    for paper in papers:
        for sources in [(), (SourceRef("other.txt", 3), paper.source), (SourceRef(""),)]:
            _assert_both_paths_agree(paper_triples(paper, sources))
    odd = _assert_both_paths_agree(paper_triples(papers[-1]))
    assert "\\" in papers[-1].abstract and Literal(papers[-1].abstract) in set(odd.objects())


def test_direct_ntriples_of_facts_equal_the_rdflib_triples(seed_papers):
    """The bulk path writes facts as N-Triples: the same triples as the in-memory graph's."""
    from kg.build.worker import extract_facts
    from kg.graph.mapping import fact_triples

    facts = list(extract_facts(list(seed_papers.values())))
    assert len(facts) > 500 and any(f.extraction.outcome for f in facts)
    for fact in facts:
        _assert_both_paths_agree(fact_triples(fact))
    hostile = facts[0]
    ev = dataclasses.replace(hostile.extraction.evidence, sentence='a "quoted" \\ back\nslash <b>\x01')
    odd = dataclasses.replace(hostile, extraction=dataclasses.replace(hostile.extraction, evidence=ev,
                                                                      confidence=0.333333))
    parsed = _assert_both_paths_agree(fact_triples(odd))
    assert Literal('a "quoted" \\ back\nslash <b>\x01') in set(parsed.objects())


def test_direct_ntriples_of_entity_labels_equal_the_rdflib_triples(seed_facts):
    """The labels a store build writes at its end: the same triples as the in-memory graph's,
    for every entity of the seeds, a family, and hostile surface forms."""
    from kg.records import Entity
    from kg.graph.mapping import EntityLabels, entity_label, entity_triples

    labels = EntityLabels()
    for fact in seed_facts:
        labels.add_fact(fact)
    kinds = {(e.kind, e.is_family, bool(e.family_keys)) for e in labels.entities.values()}
    assert {("dataset", False, False), ("method", False, False), ("method", False, True)} <= kinds
    assert any(len(c) > 1 for c in labels.surfaces.values())
    for iri, entity in labels.entities.items():
        counts = labels.surfaces[iri]
        label = entity_label(entity, counts)
        _assert_both_paths_agree(entity_triples(entity, label, counts))
    family = Entity("transformer", "method", "Transformer", ("attention",), True, True)
    odd = Counter({'a "quoted" \\ name\t': 2, "Trans\u00e9former": 2, "x\x01y": 1})
    assert entity_label(family, odd) == "Transformer"
    plain = dataclasses.replace(family, is_family=False, in_vocabulary=False)
    assert entity_label(plain, odd) == "Trans\u00e9former"          # most used, ties alphabetically
    for entity in (family, plain):
        label = entity_label(entity, odd)
        parsed = _assert_both_paths_agree(entity_triples(entity, label, odd))
        assert Literal("x\x01y") in set(parsed.objects())


def test_spool_files_leave_a_short_last_load(tmp_path):
    """The writer hands the loader files of ``chunk`` bytes, the one before the last cut short so
    that the last holds about ``tail`` bytes (its load is the one after the last paper); no more
    files than chunks need; every byte put is loaded once, in order."""
    from kg.build.spool import StoreWriter

    class Store:   # records what the writer's loader thread is given
        def __init__(self):
            self.files = []

        def bulk_load(self, path, **kw):
            self.files.append(Path(path).read_bytes())

        load = bulk_load

    store, piece, n = Store(), b"x" * 100 + b"\n", 400      # 40,400 bytes
    writer = StoreWriter(store, tmp_path, chunk=10_000, tail=1_000)
    for i in range(1, n + 1):
        writer.put(piece, i / n)
    writer.close()
    sizes = [len(f) for f in store.files]
    assert b"".join(store.files) == piece * n
    assert sizes == [10_100, 10_100, 10_100, 9_191, 909], sizes
    # less than a chunk, under two tails in all (a 100k build: 0.9 GiB, tail 0.5 GiB): two
    # halves, so that the first loads while the second is written
    store = Store()
    writer = StoreWriter(store, tmp_path, chunk=100_000, tail=25_000)
    for i in range(1, n + 1):
        writer.put(piece, i / n)
    writer.close()
    assert [len(f) for f in store.files] == [20_200, 20_200]
    # unknown share of the input read (no fraction): files of ``chunk`` bytes
    store = Store()
    writer = StoreWriter(store, tmp_path, chunk=10_000, tail=1_000)
    for i in range(1, n + 1):
        writer.put(piece)
    writer.close()
    assert [len(f) for f in store.files] == [10_100] * 4
    assert not list(tmp_path.glob("spool-*"))   # spool files are removed once loaded


def test_triple_count_is_the_default_graphs_size_on_either_backend(small_listing, tmp_path):
    """A store-backed graph counts its default graph (not the stats graph beside it, which
    oxrdflib's len() would add), the same number as the graph parsed from its Turtle."""
    from kg.oxstore import open_oxigraph, rdflib_graph, triple_count

    build([small_listing], tmp_path / "o")
    parsed = ttl(tmp_path / "o" / "graph.ttl")
    store = open_oxigraph(tmp_path / "o")
    assert len(store) > len(parsed)                      # the stats graph is there too
    assert triple_count(rdflib_graph(store)) == triple_count(parsed) == len(parsed)

"""The HTML views: focused, filtered and capped views select the right nodes, positions come from
Python with physics off, the page says when it leaves nodes out, and untrusted text stays text."""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.cli import main
from kg.graphview import find_nodes, property_graph
from kg.rdf import KGO
from kg.viz import FocusNotFound, ViewOptions, build_view, render_html

RELS = [KGO.proposes, KGO.evaluatesOn, KGO.comparesTo, KGO.memberOf]
TYPES = {KGO.Paper: "paper", KGO.Method: "method", KGO.MethodFamily: "family", KGO.Dataset: "dataset"}
INJECTION = '"} ; DROP ALL ; #'


def page_data(text: str) -> dict:
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S)
    assert m, "no data island"
    return json.loads(m.group(1))


def script_tags(text: str) -> int:
    """<script> elements as a browser's parser sees them."""
    class Counter_(HTMLParser):
        count = 0

        def handle_starttag(self, tag, attrs):
            self.count += tag == "script"
    parser = Counter_()
    parser.feed(text)
    return parser.count


def run(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def iri(g: Graph, label: str) -> str:
    return str(next(g.subjects(RDFS.label, Literal(label))))


def typed_nodes(g: Graph) -> set[str]:
    return {str(s) for t in TYPES for s in g.subjects(RDF.type, t)}


def bfs(g: Graph, start: str, depth: int, predicates=RELS) -> set[str]:
    """Neighbourhood straight from the triples: an oracle independent of kg.graphview."""
    nodes = typed_nodes(g)
    seen, frontier = {start}, {start}
    for _ in range(depth):
        nxt = set()
        for n in frontier:
            for p in predicates:
                nxt |= {str(o) for o in g.objects(URIRef(n), p)} | {str(s) for s in g.subjects(p, URIRef(n))}
        frontier = (nxt & nodes) - seen
        seen |= frontier
    return seen


# --------------------------------------------------------------------------- the default view

@pytest.fixture(scope="module")
def seeds_page(seeds_graph) -> str:
    return render_html(seeds_graph)


def test_default_view_has_every_node_with_python_positions_and_no_physics(seeds_page, seeds_ttl):
    data = page_data(seeds_page)
    kinds = Counter(n["kind"] for n in data["nodes"])
    families = {str(s) for s in seeds_ttl.subjects(RDF.type, KGO.MethodFamily)}
    assert kinds == {"paper": 301, "family": len(families),
                     "method": len({str(s) for s in seeds_ttl.subjects(RDF.type, KGO.Method)} - families),
                     "dataset": len(set(seeds_ttl.subjects(RDF.type, KGO.Dataset)))}
    expected_edges = sum(len(set(seeds_ttl.subject_objects(p))) for p in RELS)
    assert len(data["edges"]) == expected_edges
    for n in data["nodes"]:
        assert isinstance(n["x"], float) and isinstance(n["y"], float) and math.isfinite(n["x"] + n["y"]), n
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) > 0.95 * len(data["nodes"])     # not piled up
    code = seeds_page.rsplit("<script>", 1)[1]                 # our code, after vis-network and the data
    assert "physics: false" in code and "stabiliz" not in code
    assert 'class="note"' not in seeds_page                  # 800-odd nodes: nothing left out
    for legend in ("paper (301)", "method family", "dataset", "outperforms", "underperforms", "comparable to"):
        assert legend in seeds_page, legend
    assert 'id="search"' in seeds_page and "window.kgReady" in seeds_page


def test_importance_colour_and_shape_follow_the_data(seeds_page):
    data = page_data(seeds_page)
    by_name = {n["full"]: n for n in data["nodes"]}
    assert by_name["ImageNet-1K"]["shape"] == "square" and by_name["CNN"]["shape"] == "diamond"
    assert by_name["ImageNet-1K"]["size"] > by_name["CIFAR-100"]["size"]           # 100 papers vs 12
    assert by_name["ImageNet-1K"]["deg"] >= 100
    colours = {(e["rel"], e["outcome"]): e["color"] for e in data["edges"]}
    assert colours[("comparesTo", "outperforms")] != colours[("comparesTo", "underperforms")]
    assert colours[("proposes", "")] != colours[("evaluatesOn", "")]
    comparisons = [e for e in data["edges"] if e["rel"] == "comparesTo"]
    assert all(e["outcome"] in ("outperforms", "comparable", "underperforms", "compared") for e in comparisons)
    assert all(e["papers"] and e["evidence"] for e in comparisons)                  # tooltips have both


def test_rendering_is_deterministic(seeds_graph, seeds_page):
    assert render_html(seeds_graph) == seeds_page


def test_store_file_and_memory_graphs_read_alike(seeds_build, seeds_graph, seeds_ttl):
    from kg.store import load_graph

    on_store = property_graph(load_graph(seeds_build[1], backend="store"))
    assert on_store == property_graph(seeds_graph) == property_graph(seeds_ttl)
    shown = {KGO.proposes, KGO.evaluatesOn, KGO.comparesTo}   # (the view leaves tasks and results out)
    assert sum(len(e.supports) for e in on_store.edges.values()) == len(
        {st for st in seeds_ttl.subjects(RDF.type, RDF.Statement) if seeds_ttl.value(st, RDF.predicate) in shown})


# --------------------------------------------------------------------------- focused views

@pytest.mark.parametrize("depth", [0, 1, 2])
def test_focus_is_the_neighbourhood_at_depth(seeds_ttl, depth):
    view = build_view(seeds_ttl, ViewOptions(focus=("ResNet",), depth=depth))
    assert set(view.pg.nodes) == bfs(seeds_ttl, iri(seeds_ttl, "ResNet"), depth)
    assert view.centres == [iri(seeds_ttl, "ResNet")]


def test_focus_names_any_case_other_names_and_titles(seeds_graph, seeds_ttl):
    assert find_nodes(seeds_graph, "resnet") == [iri(seeds_ttl, "ResNet")]
    assert find_nodes(seeds_graph, "ViTs") == [iri(seeds_ttl, "Vision Transformer")]          # skos:altLabel
    volo = "VOLO: Vision Outlooker for Visual Recognition"
    assert find_nodes(seeds_graph, volo.upper()) == [str(next(seeds_ttl.subjects(DCTERMS.title, Literal(volo))))]


@pytest.mark.parametrize("name", [INJECTION, '") } UNION { ?n ?p ?o } #', "ResNet' || true", "\\u0022 }"])
def test_injection_shaped_focus_finds_nothing_and_changes_nothing(seeds_build, name):
    from kg.store import load_graph

    out = seeds_build[1]
    before = (len(load_graph(out, backend="store")), (out / "graph.ttl").read_bytes())
    with pytest.raises(FocusNotFound) as err:
        build_view(load_graph(out, backend="store"), ViewOptions(focus=(name,)))
    assert err.value.name == name and "no node is called that" in str(err.value)
    res = run("viz", out, "--focus", name, "-o", out.parent / "never.html", ok=False)
    assert res.exit_code == 1 and "error: --focus" in res.output and "no node is called that" in res.output
    assert not (out.parent / "never.html").exists()
    assert (len(load_graph(out, backend="store")), (out / "graph.ttl").read_bytes()) == before


def test_unknown_focus_suggests_names(seeds_graph):
    with pytest.raises(FocusNotFound) as err:
        build_view(seeds_graph, ViewOptions(focus=("resnt",)))
    assert "ResNet" in err.value.suggestions


def test_types_make_a_method_dataset_map_through_the_papers(seeds_ttl):
    view = build_view(seeds_ttl, ViewOptions(types=("method", "dataset")))
    assert {d["type"] for d in view.pg.nodes.values()} == {"method", "dataset"}
    methods = {str(s) for s in seeds_ttl.subjects(RDF.type, KGO.Method)} - {
        str(s) for s in seeds_ttl.subjects(RDF.type, KGO.MethodFamily)}
    expected = {(str(m), "evaluatesOn", str(d)) for p, m in seeds_ttl.subject_objects(KGO.proposes)
                for d in seeds_ttl.objects(p, KGO.evaluatesOn) if str(m) in methods}
    derived = {k for k, e in view.pg.edges.items() if e.derived}
    assert derived == expected and len(expected) > 100
    for (m, _, d), edge in view.pg.edges.items():
        if edge.derived:    # every derived edge names the papers behind it
            assert edge.supports and all(URIRef(s.paper) in set(seeds_ttl.subjects(KGO.proposes, URIRef(m)))
                                         for s in edge.supports)
    assert {k[1] for k in view.pg.edges} == {"evaluatesOn", "comparesTo"}


def test_relation_keeps_its_edges_and_the_nodes_they_touch(seeds_ttl):
    view = build_view(seeds_ttl, ViewOptions(relations=("comparesTo",)))
    pairs = set(seeds_ttl.subject_objects(KGO.comparesTo))
    assert {k[1] for k in view.pg.edges} == {"comparesTo"} and len(view.pg.edges) == len(pairs)
    assert set(view.pg.nodes) == {str(x) for pair in pairs for x in pair}


def test_options_combine(seeds_ttl):
    cnn = iri(seeds_ttl, "CNN")
    view = build_view(seeds_ttl, ViewOptions(focus=("cnn",), depth=1, relations=("comparesTo",)))
    assert set(view.pg.nodes) == bfs(seeds_ttl, cnn, 1, [KGO.comparesTo])
    view = build_view(seeds_ttl, ViewOptions(focus=("ImageNet-1K",), types=("method", "dataset"), depth=1))
    assert {d["type"] for d in view.pg.nodes.values()} == {"method", "dataset"}
    imagenet = iri(seeds_ttl, "ImageNet-1K")
    assert all(e.derived for k, e in view.pg.edges.items() if imagenet in k) and len(view.pg.nodes) > 20
    with pytest.raises(FocusNotFound, match="not in the view"):
        build_view(seeds_ttl, ViewOptions(focus=("ImageNet-1K",), types=("method",)))


def test_bad_options_are_refused():
    for kwargs in ({"types": ("method", "people")}, {"relations": ("cites",)}, {"max_nodes": 0}, {"depth": -1}):
        with pytest.raises(ValueError):
            ViewOptions(**kwargs)


# --------------------------------------------------------------------------- big graphs

def test_above_the_threshold_the_most_connected_stay_and_the_page_says_so(seeds_ttl, seeds_page):
    page = render_html(seeds_ttl, options=ViewOptions(max_nodes=100))
    data = page_data(page)
    assert len(data["nodes"]) == 100
    note = re.search(r'<p class="note" role="status">(.*?)</p>', page).group(1)
    total = len(page_data(seeds_page)["nodes"])          # the whole graph's page
    assert total > 700
    assert note.startswith(f"showing 100 of {total} nodes, the most connected; use --focus / --max-nodes")
    names = {n["full"] for n in data["nodes"]}
    assert {"ImageNet-1K", "CNN", "Vision Transformer", "COCO"} <= names
    kept_deg = min(n["deg"] for n in data["nodes"])
    full = page_data(render_html(seeds_ttl))
    assert all(n["deg"] <= kept_deg for n in full["nodes"] if n["full"] not in names)   # the cut is by degree
    assert "(0 of 301)" in page or "of 301)" in page                                    # legend counts what is shown


def test_a_focus_node_survives_the_cut(seeds_ttl):
    view = build_view(seeds_ttl, ViewOptions(focus=("DeiT",), depth=2, max_nodes=5))
    assert iri(seeds_ttl, "DeiT") in view.pg.nodes and len(view.pg.nodes) == 5 and view.truncated


def test_layout_without_numpy_places_every_node(monkeypatch):
    import networkx as nx

    import kg.layout as layout_mod

    monkeypatch.setattr(layout_mod, "HAS_NUMPY", False)
    g = nx.barabasi_albert_graph(400, 2, seed=3)                  # bigger than force_max(): backbone path
    g.add_nodes_from(range(400, 420))                              # and lone nodes
    pos = layout_mod.layout(g.nodes, g.edges)
    assert set(pos) == set(g.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len(set(pos.values())) == len(pos)                      # no two nodes on one spot
    assert pos == layout_mod.layout(g.nodes, g.edges)


# --------------------------------------------------------------------------- untrusted text

# the listing conftest.hostile_build builds
HOSTILE = json.loads((Path(__file__).parent / "data" / "hostile_papers.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("args", [[], ["--focus", HOSTILE[0]["title"]], ["--types", "paper,method"]])
def test_hostile_titles_are_escaped_in_every_view(hostile_build, tmp_path, args):
    target = tmp_path / "v.html"
    run("viz", hostile_build, "-o", target, *args)
    text = target.read_text(encoding="utf-8")
    for planted in ("<script>window", "<img", "</script><script>", "<b>bold", 'onerror="'):
        assert planted not in text, planted
    assert script_tags(text) == 3                                  # vis-network, the data, our code
    data = page_data(text)
    fulls = {n["full"] for n in data["nodes"]}
    assert HOSTILE[0]["title"] in fulls                            # the text is intact, as data
    if not args:
        assert {p["title"] for p in HOSTILE} <= fulls
        evidence = [s for e in data["edges"] for s in e["evidence"]]
        assert {HOSTILE[0]["title"], HOSTILE[1]["title"], HOSTILE[2]["title"]} <= set(evidence)   # titles as evidence
    if args and args[0] == "--focus":                              # the header names the focus, escaped
        assert "focus: EvilNet: &lt;script&gt;window.__pwned=1&lt;/script&gt; for vision" in text


# --------------------------------------------------------------------------- the command

def test_kg_viz_options(seeds_build, tmp_path):
    out = seeds_build[1]
    target = tmp_path / "resnet.html"
    res = run("viz", out, "--focus", "ResNet", "--depth", "2", "-o", target)
    assert f"wrote {target}" in res.output and "note:" not in res.output
    text = target.read_text(encoding="utf-8")
    g = Graph().parse(out / "graph.ttl")
    assert "focus: ResNet (depth 2)" in text and len(page_data(text)["nodes"]) == len(bfs(g, iri(g, "ResNet"), 2))
    res = run("viz", out, "--types", "method, dataset", "--relation", "evaluatesOn", "-o", target)
    data = page_data(target.read_text(encoding="utf-8"))
    assert {n["kind"] for n in data["nodes"]} == {"method", "dataset"} and all(e["derived"] for e in data["edges"])
    res = run("viz", out, "--max-nodes", "50", "-o", target)
    shown = re.search(r"note: showing 50 of (\d+) nodes, the most connected", res.output)
    assert shown and int(shown.group(1)) > 700
    for bad, message in ((["--types", "method,people"], "unknown node type(s) people"),
                         (["--relation", "cites"], "unknown relation(s) cites"),
                         (["--max-nodes", "0"], "--max-nodes")):
        res = run("viz", out, *bad, "-o", target, ok=False)
        assert res.exit_code == 2 and message in res.output, (bad, res.output)


def test_an_empty_view_still_renders_and_says_why(seeds_ttl):
    page = render_html(seeds_ttl, options=ViewOptions(types=("paper",), relations=("memberOf",)))
    assert page_data(page)["nodes"] == [] and "nothing to show" in page

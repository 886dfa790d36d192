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
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.cli import main
from kg.graphview import find_nodes, property_graph
from kg.graph.iris import KGO
from kg.viz import FocusNotFound, ViewOptions, build_view, render_html

RELS = [KGO.proposes, KGO.evaluatesOn, KGO.comparesTo, KGO.memberOf, KGO.addressesTask]
TYPES = {KGO.Paper: "paper", KGO.Method: "method", KGO.MethodFamily: "family", KGO.Dataset: "dataset",
         KGO.Task: "task"}
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
                     "dataset": len(set(seeds_ttl.subjects(RDF.type, KGO.Dataset))),
                     "task": len(set(seeds_ttl.subjects(RDF.type, KGO.Task)))}
    assert kinds["task"] > 0
    expected_edges = sum(len(set(seeds_ttl.subject_objects(p))) for p in RELS)
    assert len(data["edges"]) == expected_edges
    for n in data["nodes"]:
        assert isinstance(n["x"], float) and isinstance(n["y"], float) and math.isfinite(n["x"] + n["y"]), n
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) > 0.95 * len(data["nodes"])     # not piled up
    code = seeds_page.rsplit("<script>", 1)[1]                 # our code, after vis-network and the data
    assert "physics: false" in code and "stabiliz" not in code
    assert 'class="note"' not in seeds_page                  # 800-odd nodes: nothing left out
    for legend in ("paper (301)", "method family", "dataset", f"task ({kinds['task']})", "addresses task",
                   "outperforms", "underperforms", "comparable to", "as many wins as losses"):
        assert legend in seeds_page, legend
    assert 'id="search"' in seeds_page and "window.kgReady" in seeds_page


def test_importance_colour_and_shape_follow_the_data(seeds_page):
    data = page_data(seeds_page)
    by_name = {n["full"]: n for n in data["nodes"]}
    assert by_name["ImageNet-1K"]["shape"] == "square" and by_name["CNN"]["shape"] == "diamond"
    assert by_name["ImageNet-1K"]["size"] > by_name["CIFAR-100"]["size"]           # 100 papers vs 12
    assert by_name["ImageNet-1K"]["deg"] >= 100
    colours = {(e["rel"], e["outcome"]): e["color"] for e in data["edges"]}
    assert colours[("comparesTo", "outperforms")] != colours[("comparesTo", "comparable")]
    assert colours[("proposes", "")] != colours[("evaluatesOn", "")]
    # a loss is drawn apart from a win wherever a pair's papers mostly report one (on the seeds,
    # every pair with a reported loss has more papers reporting the win)
    from kg.viz.network import EDGE_STYLE
    assert len({EDGE_STYLE[o][0] for o in ("outperforms", "underperforms", "comparable", "mixed")}) == 4
    assert all(e["color"] == EDGE_STYLE[e["outcome"]][0] for e in data["edges"] if e["rel"] == "comparesTo")
    comparisons = [e for e in data["edges"] if e["rel"] == "comparesTo"]
    assert all(e["outcome"] in ("outperforms", "comparable", "underperforms", "mixed", "compared") for e in comparisons)
    assert all(e["papers"] and e["evidence"] for e in comparisons)                  # tooltips have both


def test_rendering_is_deterministic(seeds_graph, seeds_page):
    assert render_html(seeds_graph) == seeds_page


def test_store_file_and_memory_graphs_read_alike(seeds_build, seeds_graph, seeds_ttl):
    from kg.store import load_graph

    on_store = property_graph(load_graph(seeds_build[1], backend="store"))
    assert on_store == property_graph(seeds_graph) == property_graph(seeds_ttl)
    shown = {KGO.proposes, KGO.evaluatesOn, KGO.comparesTo, KGO.addressesTask}   # (the view leaves results out)
    assert sum(len(e.supports) for e in on_store.edges.values()) == len(
        {st for st in seeds_ttl.subjects(RDF.type, RDF.Statement) if seeds_ttl.value(st, RDF.predicate) in shown})


# --------------------------------------------------------------------------- a readable first look

def test_a_tie_is_drawn_as_a_tie(seeds_page):
    """An edge with as many "outperforms" as "underperforms" (and nothing reported more often) is
    drawn neutral, neither green nor red; every other edge keeps its majority."""
    from kg.viz import EDGE_STYLE

    edges = [e for e in page_data(seeds_page)["edges"] if e["rel"] == "comparesTo"]
    assert len(edges) > 100
    ties = 0
    for e in edges:
        counts = Counter(e["outcomes"])
        top = max(counts.values())
        if counts["outperforms"] == counts["underperforms"] == top:
            ties += 1
            assert e["outcome"] == "mixed" and e["color"] == EDGE_STYLE["mixed"][0], e
        elif [o for o, n in counts.items() if n == top] == ["underperforms"]:
            assert e["color"] == EDGE_STYLE["underperforms"][0]
    # (the seeds had a 1:1 tie drawn red, issue 21; the extraction model may move it, the small graph below pins it)
    assert EDGE_STYLE["mixed"][0] not in {EDGE_STYLE[o][0] for o in ("outperforms", "underperforms")}


def test_a_tie_on_a_small_graph_is_mixed():
    g = Graph()
    a, b = URIRef("https://w3id.org/kgpaper/id/method/a"), URIRef("https://w3id.org/kgpaper/id/method/b")
    for m, name in ((a, "A"), (b, "B")):
        g.add((m, RDF.type, KGO.Method)); g.add((m, RDFS.label, Literal(name)))
    g.add((a, KGO.comparesTo, b))
    for i, outcome in enumerate(("outperforms", "underperforms")):
        paper, st = URIRef(f"https://w3id.org/kgpaper/id/paper/p{i}"), URIRef(f"https://w3id.org/kgpaper/id/stmt/s{i}")
        g.add((paper, RDF.type, KGO.Paper)); g.add((paper, DCTERMS.title, Literal(f"P{i}")))
        for pred, obj in ((RDF.type, RDF.Statement), (RDF.subject, a), (RDF.predicate, KGO.comparesTo), (RDF.object, b),
                          (PROV.wasDerivedFrom, paper), (KGO.evidence, Literal(f"A {outcome} B.")),
                          (KGO.outcome, Literal(outcome))):
            g.add((st, pred, obj))
    [edge] = [e for e in page_data(render_html(g))["edges"] if e["rel"] == "comparesTo"]
    assert edge["outcome"] == "mixed" and edge["outcomes"] == {"outperforms": 1, "underperforms": 1}
    info = {n["full"]: n["info"] for n in page_data(render_html(g))["nodes"]}
    assert "beats: B" in info["A"] and "loses to: B" in info["A"] and "beats: A" in info["B"]


def shown_names(line: str) -> tuple[set[str], int]:
    """("ResNet ×2, VGG (+3 more)") → ({"ResNet", "VGG"}, 3)."""
    more = re.search(r" \(\+(\d+) more\)$", line)
    body = line[: more.start()] if more else line
    return {re.sub(r" \u00d7\d+$", "", n) for n in body.split(", ")}, int(more.group(1)) if more else 0


def fact(info: list[str], head: str) -> str:
    return next(line[len(head):] for line in info if line.startswith(head))


def comparisons(g: Graph) -> list[tuple[str, str, str]]:
    """(subject, outcome, object) labels of every reified comparison statement."""
    out = []
    for st in g.subjects(RDF.predicate, KGO.comparesTo):
        s, o = g.value(st, RDF.subject), g.value(st, RDF.object)
        out.append((str(g.value(s, RDFS.label)), str(g.value(st, KGO.outcome) or "compared"), str(g.value(o, RDFS.label))))
    return out


@pytest.mark.parametrize("method", ["ResNet", "Vision Transformer", "DeiT"])
def test_a_method_tooltip_says_who_proposes_it_what_it_beats_and_loses_to_and_where(seeds_page, seeds_ttl, method):
    node = next(n for n in page_data(seeds_page)["nodes"] if n["full"] == method)
    info, m = node["info"], URIRef(iri(seeds_ttl, method))
    # oracle: the reified statements, each read from both sides
    beats, loses = set(), set()
    for s, outcome, o in comparisons(seeds_ttl):
        if s == method and outcome == "outperforms" or o == method and outcome == "underperforms":
            beats.add(o if s == method else s)
        if s == method and outcome == "underperforms" or o == method and outcome == "outperforms":
            loses.add(o if s == method else s)
    assert beats or loses
    for head, expected in (("beats: ", beats), ("loses to: ", loses)):
        if expected:
            names, more = shown_names(fact(info, head))
            assert names <= expected and len(names) + more == len(expected), (head, names, expected)
        else:
            assert not any(line.startswith(head) for line in info)
    proposers = set(seeds_ttl.subjects(KGO.proposes, m))
    if proposers:
        assert f"proposed in ({len(proposers)}):" in info
    datasets = {str(seeds_ttl.value(d, RDFS.label)) for p in proposers for d in seeds_ttl.objects(p, KGO.evaluatesOn)}
    datasets |= {str(seeds_ttl.value(seeds_ttl.value(r, KGO.dataset), RDFS.label)) for r in seeds_ttl.subjects(KGO.method, m)}
    names, more = shown_names(fact(info, "evaluated on: "))
    assert names <= datasets and len(names) + more == len(datasets)
    families = {str(seeds_ttl.value(f, RDFS.label)) for f in seeds_ttl.objects(m, KGO.memberOf)}
    if families:
        assert shown_names(fact(info, "family: "))[0] == families


def test_a_dataset_tooltip_lists_its_papers_and_best_results(seeds_page, seeds_graph, seeds_ttl):
    from kg.leaderboard import leaderboards
    from kg.viz import TOOLTIP_BEST, TOOLTIP_METRICS

    node = next(n for n in page_data(seeds_page)["nodes"] if n["full"] == "ImageNet-1K")
    d = URIRef(iri(seeds_ttl, "ImageNet-1K"))
    assert f"papers evaluating on it ({len(set(seeds_ttl.subjects(KGO.evaluatesOn, d)))}):" in node["info"]
    boards = leaderboards(seeds_graph, "ImageNet-1K")
    assert boards
    for board in boards[:TOOLTIP_METRICS]:
        best = " \u00b7 ".join(f"{r.method} {r.value}" for r in board.rows[:TOOLTIP_BEST])
        assert f"{board.metric} ({len(board.rows)} result{'s' if len(board.rows) != 1 else ''}): {best}" in node["info"]
    assert node["info"].index("best results:") > node["info"].index(
        f"papers evaluating on it ({len(set(seeds_ttl.subjects(KGO.evaluatesOn, d)))}):")


def test_a_task_node_lists_the_papers_addressing_it(seeds_page, seeds_ttl):
    data = page_data(seeds_page)
    counts = Counter(seeds_ttl.objects(None, KGO.addressesTask))
    task, n = counts.most_common(1)[0]
    node = next(x for x in data["nodes"] if x["iri"] == str(task))
    assert node["kind"] == "task" and node["shape"] == "triangle"
    assert f"papers addressing it ({n}):" in node["info"]
    titles = {str(seeds_ttl.value(p, DCTERMS.title)) for p in seeds_ttl.subjects(KGO.addressesTask, task)}
    items = [line[2:] for line in node["info"] if line.startswith("\u2022 ")]
    assert items and all(t in titles or t.endswith("\u2026") for t in items)
    ids = {x["iri"]: x["id"] for x in data["nodes"]}
    edges = {(e["from"], e["to"]) for e in data["edges"] if e["rel"] == "addressesTask"}
    assert edges == {(ids[str(p)], ids[str(t)]) for p, t in seeds_ttl.subject_objects(KGO.addressesTask)}


def test_small_components_are_grouped_aside_not_spread_across_the_page(seeds_page):
    import networkx as nx

    from kg.layout import SMALL_COMPONENT

    data = page_data(seeds_page)
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in data["nodes"])
    g.add_edges_from((e["from"], e["to"]) for e in data["edges"])
    small = [c for c in nx.connected_components(g) if len(c) <= SMALL_COMPONENT]
    assert small and max(len(c) for c in nx.connected_components(g)) > SMALL_COMPONENT
    aside = data["aside"]
    assert set(aside["ids"]) == set().union(*small) and aside["groups"] == len(small)
    assert aside["caption"] == ["not linked to the rest:", f"{len(small)} small groups, {len(aside['ids'])} nodes"]
    x0, y0, x1, y1 = aside["box"]
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    main = [pos[v] for v in pos if v not in set(aside["ids"])]
    assert all(x0 <= pos[v][0] <= x1 and y0 <= pos[v][1] <= y1 for v in aside["ids"])
    assert x0 > max(x for x, _ in main)                                        # to the right of the rest
    main_w = max(x for x, _ in main) - min(x for x, _ in main)
    main_h = max(y for _, y in main) - min(y for _, y in main)
    assert (x1 - x0) < 0.5 * main_w and (y1 - y0) <= main_h                 # a block, not a grid under the page


def test_labels_at_open_go_to_the_most_connected(seeds_page):
    from kg.viz import LABELS_AT_OPEN

    nodes = page_data(seeds_page)["nodes"]
    candidates = sorted((n for n in nodes if n["labelRank"] >= 0), key=lambda n: n["labelRank"])
    assert len(candidates) == 2 * LABELS_AT_OPEN
    ranked = sorted(nodes, key=lambda n: (n["kind"] == "paper", -n["deg"], n["full"]))
    assert [n["id"] for n in candidates] == [n["id"] for n in ranked[: 2 * LABELS_AT_OPEN]]
    assert {"ImageNet-1K", "CNN", "Vision Transformer"} <= {n["full"] for n in candidates[:LABELS_AT_OPEN]}


# --------------------------------------------------------------------------- focused views

@pytest.mark.parametrize("depth", [0, 1, 2])
def test_focus_is_the_neighbourhood_at_depth(seeds_ttl, depth):
    view = build_view(seeds_ttl, ViewOptions(focus=("ResNet",), depth=depth))
    assert set(view.pg.nodes) == bfs(seeds_ttl, iri(seeds_ttl, "ResNet"), depth)
    assert view.centres == [iri(seeds_ttl, "ResNet")]


def test_focus_names_any_case_other_names_and_titles(seeds_graph, seeds_ttl):
    assert find_nodes(seeds_graph, "resnet") == [iri(seeds_ttl, "ResNet")]
    # skos:altLabel: every node with that other name (the extraction may give it to a method too)
    named = sorted({str(n) for n in seeds_ttl.subjects(SKOS.altLabel, Literal("ViTs")) if str(n) in typed_nodes(seeds_ttl)})
    assert find_nodes(seeds_graph, "ViTs") == named and iri(seeds_ttl, "Vision Transformer") in named
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
    to_imagenet = [e for k, e in view.pg.edges.items() if imagenet in k]
    assert to_imagenet and all(e.derived for e in to_imagenet) and len(view.pg.nodes) > 20
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
    assert {n["kind"] for n in data["nodes"]} == {"method", "dataset"}
    assert data["edges"] and all(e["derived"] for e in data["edges"])
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

"""Beyond one process: extraction on a real Dask cluster, and the graph pushed to / queried on a
real Oxigraph server (``oxigraph serve``) with the SPARQL 1.1 protocols (issue 4).

Every server here binds 127.0.0.1 on a free port, is waited for with a deadline and is stopped by
its fixture's finaliser."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.cli import main
from kg.oxstore import current_generation, generations
from kg.store import load_graph

VENV_BIN = Path(sys.executable).parent


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def same_graph(a: Graph, b: Graph) -> bool:
    """Our graphs have no blank nodes: isomorphic means the same set of triples."""
    return set(a) == set(b)


@pytest.fixture(scope="module")
def local_graph(seeds_build) -> Graph:
    g = Graph()
    for t in load_graph(seeds_build[1], backend="store"):
        g.add(t)
    return g


# --------------------------------------------------------------------------- Dask

@pytest.fixture(scope="module")
def dask_cluster():
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       scheduler_port=0, dashboard_address=None, protocol="tcp://")
    try:
        yield cluster
    finally:
        cluster.close(timeout=20)


def test_dask_cluster_build_gives_the_local_graph(dask_cluster, seed_files, seeds_build, local_graph, tmp_path):
    address = dask_cluster.scheduler_address
    assert address.startswith("tcp://127.0.0.1:")
    workers = dask_cluster.scheduler_info["workers"]
    assert len(workers) == 2 and all(w.startswith("tcp://127.0.0.1:") for w in workers)
    out = tmp_path / "out"
    result = run("build", *seed_files, "--out", out, "--dask", address, "--json", "--no-html")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["store"]["executor"] == "dask" and report["store"]["workers"] == 2
    assert report["triples"] == seeds_build[0].triples and report["relations"] == seeds_build[0].relations
    dask_graph = Graph().parse(out / "graph.ttl", format="turtle")
    assert same_graph(dask_graph, local_graph)
    # every batch really ran as a task of the cluster (its scheduler lives in this process)
    from kg.build.options import DEFAULT_BATCH

    prefix = dask_cluster.scheduler.task_prefixes["extract_batch"]
    assert prefix.state_counts["memory"] == -(-report["papers"] // DEFAULT_BATCH)
    assert prefix.all_durations["compute"] > 0


def test_an_unreachable_dask_scheduler_is_a_clear_error(seed_files, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    import kg.build.executors

    monkeypatch.setattr(kg.build.executors, "DASK_CONNECT_TIMEOUT", 1.0)
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{free_port()}"   # nothing listens there
    t0 = time.monotonic()
    result = run("build", seed_files[0], "--out", out, "--dask", address)
    assert result.exit_code != 0
    assert "cannot reach the Dask scheduler" in result.output and address in result.output
    assert "Traceback" not in result.output and time.monotonic() - t0 < 15
    assert current_generation(out) is None and generations(out) == []


# --------------------------------------------------------------------------- Oxigraph server

def _wait_for_oxigraph(proc: subprocess.Popen, base: str, deadline: float) -> bool:
    from kg.remote import RemoteError, request

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            request("GET", base + "/query?query=ASK%7B%7D", accept="application/sparql-results+json", timeout=2)
            return True
        except RemoteError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """``oxigraph serve`` on a free loopback port with its own store; yields the base URL."""
    binary = VENV_BIN / "oxigraph"
    if not binary.exists():
        found = shutil.which("oxigraph")
        if found is None:
            pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
        binary = Path(found)
    location = tmp_path_factory.mktemp("oxigraph_server")
    for _ in range(3):   # a port found free may be taken before the server binds it: try another
        port = free_port()
        log = open(location / "server.log", "wb")
        proc = subprocess.Popen([str(binary), "serve", "--location", str(location / "db"),
                                 "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            if _wait_for_oxigraph(proc, base, time.monotonic() + 20):
                yield base
                return
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
            log.close()
    pytest.fail("oxigraph serve did not answer: " + (location / "server.log").read_text(errors="replace")[-2000:])


def _rows(result) -> list[tuple]:
    assert result.exit_code == 0, result.output
    return sorted(tuple(sorted(r.items())) for r in json.loads(result.output))


def test_push_then_query_the_server_like_the_local_graph(oxigraph_server, seeds_build, local_graph):
    out = seeds_build[1]
    pushed = run("push", out, "--endpoint", oxigraph_server + "/store")
    assert pushed.exit_code == 0, pushed.output
    assert f"pushed {len(local_graph)} triples" in pushed.output
    endpoint = oxigraph_server + "/query"

    for args in (["--named", "most_compared_methods"],
                 ["--named", "compared_against", "--param", "method=ResNet"],
                 ["--named", "evidence_for", "--param", "name=ImageNet"],
                 ["SELECT ?m (COUNT(?p) AS ?n) WHERE { ?p kgo:proposes ?x . ?x rdfs:label ?m } GROUP BY ?m"]):
        remote = _rows(run("query", "--endpoint", endpoint, *args, "--format", "json"))
        local = _rows(run("query", out, *args, "--format", "json"))
        assert remote == local and remote, args

    count = run("query", "--endpoint", endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert count.exit_code == 0 and count.output.split() == ["n", str(len(local_graph))]

    from kg.remote import construct

    back = construct(endpoint, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert same_graph(back, local_graph)
    title = next(o for o in back.objects(None, URIRef("http://purl.org/dc/terms/title")))
    assert isinstance(title, Literal) and title.datatype is None   # xsd:string read back as a plain literal

    # CONSTRUCT through kg query --endpoint too (the server must not answer it as JSON-LD)
    cons = run("query", "--endpoint", endpoint,
               "CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p dcterms:title ?t }", "--format", "json")
    assert cons.exit_code == 0, cons.output
    assert len(json.loads(cons.output)) == seeds_build[0].papers


def test_push_in_chunks_append_and_named_graph(oxigraph_server, seeds_build, local_graph):
    from kg.remote import construct, push, query

    endpoint = oxigraph_server + "/query"
    rep = push(seeds_build[1], oxigraph_server + "/store", chunk_triples=2000)
    assert rep.requests == -(-len(local_graph) // 2000) and rep.triples == len(local_graph)
    rep = push(seeds_build[1], oxigraph_server + "/store", chunk_triples=5000, replace=False)   # set semantics
    assert query(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == [[str(len(local_graph))]]
    named = "https://example.org/graphs/kg"
    push(seeds_build[1], oxigraph_server + "/store", graph=named)
    back = construct(endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{named}> {{ ?s ?p ?o }} }}")
    assert same_graph(back, local_graph)


def test_push_a_json_ld_file(oxigraph_server, seeds_build, local_graph, tmp_path):
    from kg.remote import construct

    target = tmp_path / "graph.jsonld"
    assert run("export", seeds_build[1], "--format", "jsonld", "-o", target).exit_code == 0
    pushed = run("push", target, "--endpoint", oxigraph_server + "/store", "--graph-iri", "urn:kg:jsonld")
    assert pushed.exit_code == 0, pushed.output
    back = construct(oxigraph_server + "/query",
                     "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:kg:jsonld> { ?s ?p ?o } }")
    assert same_graph(back, local_graph)


def test_remote_errors_are_messages_not_tracebacks(oxigraph_server, seeds_build):
    bad = run("query", "--endpoint", oxigraph_server + "/query", "SELEC nothing")
    assert bad.exit_code == 2 and "HTTP 400" in bad.output and "Traceback" not in bad.output
    down = f"http://127.0.0.1:{free_port()}"
    r = run("push", seeds_build[1], "--endpoint", down + "/store")
    assert r.exit_code != 0 and "cannot connect" in r.output
    r = run("query", "--endpoint", down + "/query", "--named", "datasets_by_papers")
    assert r.exit_code != 0 and "cannot connect" in r.output

"""``kg serve``: a read-only, bounded SPARQL endpoint over a build folder (issue 4).

Servers bind 127.0.0.1 on a free port (port 0 or a probed one), requests carry timeouts, and
fixtures' finalisers stop every server and its worker processes."""
from __future__ import annotations

import csv
import http.server as http_server
import inspect
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from kg.query import run_query
from kg.serve import ServeConfig, make_server, serve_in_thread, uses_service
from kg.store import load_graph

TIMEOUT = 1.0          # the test server's per-query limit
MAX_ROWS = 50
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"   # 11k^3 solutions
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None, timeout: float = 15):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with NO_PROXY.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def form(query: str, key: str = "query") -> bytes:
    return urlencode({key: query}).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def select_count(url: str) -> int:
    status, _, body = http("POST", url, form(COUNT), FORM)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def close_server(server, thread) -> None:
    server.close()
    thread.join(10)
    assert not thread.is_alive()
    for w in server._all:   # noqa: SLF001 - the workers must be gone too
        assert not w.proc.is_alive()


@pytest.fixture(scope="module")
def served(seeds_build, tmp_path_factory):
    """A server (in a thread, port 0) over a copy of the seeds build folder."""
    folder = tmp_path_factory.mktemp("served") / "out"
    shutil.copytree(seeds_build[1], folder)
    server = make_server(folder, port=0, timeout=TIMEOUT, max_rows=MAX_ROWS, workers=2)
    thread = serve_in_thread(server)
    try:
        yield server, folder
    finally:
        close_server(server, thread)


def test_binds_loopback_by_default(served):
    from kg.cli import serve as serve_command

    server, _ = served
    assert server.server_address[0] == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")
    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"
    assert ServeConfig("x").host == "127.0.0.1"
    host_option = next(p for p in serve_command.params if p.name == "host")
    assert host_option.default == "127.0.0.1"


def test_select_as_json_and_csv_equals_the_local_query(served):
    server, folder = served
    q = ("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX kgo: <https://w3id.org/kgpaper/ontology#> "
         "SELECT ?p ?t WHERE { ?p a kgo:Paper ; dcterms:title ?t } ORDER BY ?t LIMIT 40")
    local = run_query(load_graph(folder, backend="store"), q).rows
    assert len(local) == 40
    status, headers, body = http("GET", server.url + "?" + urlencode({"query": q}))
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["p", "t"]
    assert [[b["p"]["value"], b["t"]["value"]] for b in doc["results"]["bindings"]] == local
    assert doc["results"]["bindings"][0]["p"]["type"] == "uri"
    status, headers, body = http("POST", server.url, form(q), {**FORM, "Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["p", "t"] and rows[1:] == local
    status, _, body = http("POST", server.url.replace("/sparql", "/query"), q.encode(),
                           {"Content-Type": "application/sparql-query"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 40
    assert "X-KG-Truncated" not in headers


def test_kg_query_endpoint_against_kg_serve(served, seeds_build):
    from click.testing import CliRunner

    from kg.cli import main

    server, folder = served
    args = ["--named", "compared_against", "--param", "method=ResNet", "--format", "json"]
    remote = CliRunner().invoke(main, ["query", "--endpoint", server.url, *args])
    local = CliRunner().invoke(main, ["query", str(folder), *args])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output) and json.loads(local.output)


def test_kg_query_endpoint_warns_when_the_server_cut_the_result(served):
    from click.testing import CliRunner

    from kg.cli import main

    server, _ = served
    cut = CliRunner().invoke(main, ["query", "--endpoint", server.url, "SELECT * WHERE { ?s ?p ?o }", "--format", "json"])
    assert cut.exit_code == 0 and len(json.loads(cut.stdout)) == MAX_ROWS
    assert "cut this result (true; max-rows=%d)" % MAX_ROWS in cut.stderr
    whole = CliRunner().invoke(main, ["query", "--endpoint", server.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 3"])
    assert whole.exit_code == 0 and "cut" not in whole.stderr


def test_updates_are_refused_and_the_store_is_unchanged(served):
    server, folder = served
    before = select_count(server.url)
    insert = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    base = server.url.rsplit("/", 1)[0]
    attempts = [
        ("POST", server.url, form(insert, "update"), FORM),                                  # update= form
        ("POST", server.url, insert.encode(), {"Content-Type": "application/sparql-update"}),  # update body
        ("POST", base + "/update", form(insert, "update"), FORM),                             # /update
        ("POST", base + "/update", insert.encode(), {"Content-Type": "application/sparql-update"}),
        ("GET", server.url + "?" + urlencode({"update": insert}), None, {}),
        ("GET", base + "/update?" + urlencode({"update": insert}), None, {}),
    ]
    for method, url, body, headers in attempts:
        status, _, text = http(method, url, body, headers)
        assert status in (403, 405), (method, url, status, text)
        assert b"read-only" in text
    for method in ("PUT", "DELETE", "PATCH"):   # Graph Store protocol writes
        status, headers, _ = http(method, server.url + "?default", b"<urn:x:a> <urn:x:b> <urn:x:c> .",
                                  {"Content-Type": "application/n-triples"})
        assert status == 405 and "POST" in headers["Allow"]
    status, _, text = http("POST", server.url, form(insert), FORM)   # an update sent as a query
    assert status == 400
    assert select_count(server.url) == before
    ask = "ASK { <urn:x:a> ?p ?o }"
    assert json.loads(http("POST", server.url, form(ask), FORM)[2])["boolean"] is False
    assert len(load_graph(folder, backend="store")) == before


def test_a_slow_query_is_stopped_at_the_timeout_and_the_server_recovers(served):
    server, _ = served
    t0 = time.monotonic()
    status, _, body = http("POST", server.url, form(CROSS_PRODUCT), FORM, timeout=30)
    elapsed = time.monotonic() - t0
    assert status == 503 and b"limit" in body
    assert TIMEOUT <= elapsed < TIMEOUT + 8, elapsed
    # both workers still answer (the overrunning one was replaced)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(select_count(server.url))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(answers) == 4 and len(set(answers)) == 1


def test_results_are_cut_at_max_rows_and_say_so(served):
    server, _ = served
    status, headers, body = http("POST", server.url, form("SELECT * WHERE { ?s ?p ?o }"), FORM)
    assert status == 200 and headers["X-KG-Truncated"].startswith("true")
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    status, headers, body = http("POST", server.url, form("SELECT * WHERE { ?s ?p ?o } LIMIT 50"), FORM)
    assert "X-KG-Truncated" not in headers and len(json.loads(body)["results"]["bindings"]) == 50
    status, headers, body = http("POST", server.url, form("CONSTRUCT WHERE { ?s ?p ?o }"),
                                 {**FORM, "Accept": "application/n-triples"})
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert headers["X-KG-Truncated"].startswith("true") and body.decode().count(" .\n") == MAX_ROWS


def test_a_body_over_one_megabyte_is_refused(served):
    server, _ = served
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: %d\r\n\r\n" % (1024 * 1024 + 1))
        answer = s.recv(1024)
    assert answer.split(b"\r\n", 1)[0].split()[1] == b"413"
    status, _, _ = http("POST", server.url, b"SELECT * WHERE { ?s ?p ?o } LIMIT 1" + b" " * (1024 * 1024 - 100),
                        {"Content-Type": "application/sparql-query"})
    assert status == 200   # just under the limit is fine


class _Recorder(http_server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def recorder():
    """A loopback HTTP server that records every request it gets (the SERVICE target)."""
    server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Recorder.hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_federated_queries_are_refused(served, recorder):
    server, _ = served
    target, hits = recorder
    for q in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
              f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
              f"PREFIX x: <{target.rsplit('/', 1)[0]}/> SELECT * WHERE {{ ?a ?b ?c SERVICE x:sparql {{ ?s ?p ?o }} }}"):
        status, _, body = http("POST", server.url, form(q), FORM)
        assert status == 403 and b"SERVICE" in body
    assert hits == []
    ok = 'SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(?t, "service")) } LIMIT 2'
    assert http("POST", server.url, form(ok), FORM)[0] == 200


@pytest.mark.parametrize("unit", ['"a\\', "'''\\'''", '"""\\"""', "<a", '"" ', "\\u0053ERVICE ", "'''a"])
def test_the_service_check_stays_linear_on_a_megabyte(unit):
    """The check runs before the query's time limit applies: adversarial 1 MB bodies (strings that
    never end, escaped quotes, many openers) must not make it quadratic."""
    query = "SELECT * WHERE { " + unit * ((1 << 20) // len(unit) - 20)
    t0 = time.perf_counter()
    uses_service(query)
    assert time.perf_counter() - t0 < 3


def test_the_service_check_agrees_with_oxigraph(recorder):
    """Random queries mixing strings, long strings, comments and IRIs with and without a SERVICE
    clause: whenever Oxigraph would call out, the check says so; when the query has no SERVICE
    clause and Oxigraph accepts it, the check lets it through."""
    import pyoxigraph as ox

    target, hits = recorder
    chars = ['"', "'", '\\"', "\\'", "\\\\", "#", " ", "SERVICE", "<", ">", "{", "}", "a", "\\n", "\n"]

    def piece(rng: random.Random) -> str:
        c = "".join(rng.choice(chars) for _ in range(rng.randint(0, 6)))
        return rng.choice([f'BIND("{c}" AS ?v{rng.randrange(99)})', f"BIND('{c}' AS ?w{rng.randrange(99)})",
                           f'BIND("""{c}""" AS ?x{rng.randrange(99)})', f"BIND('''{c}''' AS ?y{rng.randrange(99)})",
                           f"# {c}\n", f"?s <http://e/{rng.choice(['SERVICE', 'a', '#x'])}> ?o{rng.randrange(99)} ."])

    rng, store = random.Random(7), ox.Store()
    called = accepted_plain = 0
    for _ in range(600):
        parts = [piece(rng) for _ in range(rng.randint(1, 4))]
        has_service = rng.random() < 0.5
        if has_service:
            parts.insert(rng.randrange(len(parts) + 1), f"SERVICE <{target}> {{ ?a ?b ?c }}")
        q = "SELECT * WHERE { " + " ".join(parts) + " }"
        hits.clear()
        try:
            list(store.query(q))
            valid = True
        except SyntaxError:
            valid = False
        except Exception:   # the recorder answers 500: the SERVICE call failed, as it should
            valid = True
        if hits:
            called += 1
            assert uses_service(q), q
        if valid and not has_service:
            accepted_plain += 1
            assert not uses_service(q), q
    assert called > 50 and accepted_plain > 50


def test_the_server_follows_a_new_build_of_its_folder(seed_files, tmp_path):
    from kg.stream import build_store

    folder = tmp_path / "out"
    first = build_store([seed_files[0]], folder, html=False)
    server = make_server(folder, port=0, timeout=5, workers=1)
    thread = serve_in_thread(server)
    try:
        q = "PREFIX kgo: <https://w3id.org/kgpaper/ontology#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a kgo:Paper }"
        count = lambda: int(json.loads(http("POST", server.url, form(q), FORM)[2])["results"]["bindings"][0]["n"]["value"])  # noqa: E731
        assert count() == first.papers
        second = build_store(seed_files[:2], folder, html=False)   # published while the server runs
        assert count() == second.papers > first.papers
    finally:
        close_server(server, thread)


def test_serving_a_graph_file(seeds_build):
    server = make_server(seeds_build[1] / "graph.ttl", port=0, timeout=5, workers=1)
    thread = serve_in_thread(server)
    try:
        assert select_count(server.url) == seeds_build[0].triples
        assert http("POST", server.url, form("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "update"), FORM)[0] == 403
    finally:
        close_server(server, thread)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kg_serve_command(seeds_build):
    """The command itself, as a user starts it: default host, a free port, stopped at the end."""
    for _ in range(3):
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(seeds_build[1]), "--port", str(port),
                                 "--timeout", "2", "--max-rows", "7", "-q"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = _read_line(proc, 30)
            if not line:   # e.g. the port was taken meanwhile: try another
                continue
            assert f"http://127.0.0.1:{port}/sparql" in line and "read-only" in line
            url = f"http://127.0.0.1:{port}/sparql"
            status, headers, body = http("POST", url, form("SELECT * WHERE { ?s ?p ?o }"),
                                         {**FORM, "Accept": "text/csv"})
            assert status == 200 and headers["X-KG-Truncated"] == "true; max-rows=7"
            assert body.decode().count("\r\n") == 8   # header + 7 rows
            assert http("POST", url, form("DELETE WHERE { ?s ?p ?o }", "update"), FORM)[0] == 403
            return
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
            proc.stdout.close()
            proc.stderr.close()
    pytest.fail("kg serve did not start on three free ports")


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    """The first stdout line, or '' when the process ends or stays silent for ``timeout`` s."""
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return out[0] if out else ""


def _group_alive(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                pids.append(int(entry))
    return pids


def test_a_killed_server_leaves_no_worker_running_a_query(seeds_build, tmp_path):
    """kill -9 of `kg serve` while a worker runs a long query: the worker stops too."""
    import signal

    port = _free_port()
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(seeds_build[1]), "--port", str(port),
                             "--timeout", "120", "-q"], stdout=subprocess.PIPE, stderr=log, text=True,
                            start_new_session=True)
    try:
        assert _read_line(proc, 30), (tmp_path / "serve.log").read_text()
        url = f"http://127.0.0.1:{port}/sparql"

        def slow_query() -> None:
            try:
                http("POST", url, form(CROSS_PRODUCT), FORM, timeout=5)
            except OSError:   # the server is killed under it
                pass

        slow = threading.Thread(target=slow_query, daemon=True)
        slow.start()
        time.sleep(1.0)
        assert len(_group_alive(proc.pid)) >= 3   # the server, the forkserver, the busy worker
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
        deadline = time.monotonic() + 15
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(proc.pid)
        slow.join(10)
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        log.close()

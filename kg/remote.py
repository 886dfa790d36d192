"""The graph in a SPARQL server: push it with the SPARQL 1.1 Graph Store HTTP Protocol, query it
with the SPARQL 1.1 Protocol. Anything that speaks them works (Oxigraph, Fuseki, QLever,
GraphDB, Virtuoso); the endpoint URLs are the server's, e.g. for ``oxigraph serve``
``http://127.0.0.1:7878/store`` (graph store) and ``http://127.0.0.1:7878/query`` (queries), for
Fuseki ``http://host:3030/DATASET/data`` and ``http://host:3030/DATASET/sparql``.
"""
from __future__ import annotations

import ipaddress
import json
import tempfile
import time
from itertools import islice
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from rdflib import Literal

from kg.query import QueryResult
from kg.sparql import bind_values

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class RemoteError(RuntimeError):
    """The server could not be reached or refused the request (the message says which)."""


@dataclass
class PushReport:
    endpoint: str
    graph: str | None
    triples: int
    requests: int
    seconds: float


def _opener(url: str):
    """No proxy for loopback addresses (an http_proxy variable must not capture 127.0.0.1)."""
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    handlers = [urllib.request.ProxyHandler({})] if loopback else []
    return urllib.request.build_opener(*handlers)


def request(method: str, url: str, body: bytes | None = None, content_type: str | None = None,
            accept: str | None = None, timeout: float = 60.0, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One HTTP request; returns (status, headers, body) or raises :class:`RemoteError`."""
    hdrs = dict(headers or {})
    if content_type:
        hdrs["Content-Type"] = content_type
    if accept:
        hdrs["Accept"] = accept
    req = urllib.request.Request(url, data=body, method=method, headers=hdrs)
    try:
        with _opener(url).open(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:400].decode("utf-8", "replace").strip()
        raise RemoteError(f"{method} {url}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")) from None
    except urllib.error.URLError as exc:
        raise RemoteError(f"{url}: cannot connect ({exc.reason})") from None
    except TimeoutError:
        raise RemoteError(f"{method} {url}: no answer within {timeout:g}s") from None


def graph_store_url(endpoint: str, graph: str | None = None) -> str:
    """The Graph Store Protocol URL of the default graph (``?default``) or a named graph."""
    sep = "&" if "?" in endpoint else "?"
    return endpoint + sep + ("default" if graph is None else "graph=" + quote(graph, safe=""))


def push(location: str | Path, endpoint: str, *, graph: str | None = None, replace: bool = True,
         chunk_triples: int = 500_000, timeout: float = 600.0, headers: dict | None = None) -> PushReport:
    """Send the graph of a build folder (or RDF file) to a Graph Store Protocol ``endpoint``.

    ``replace``: the first request is a PUT (the target graph becomes this graph), else every
    request is a POST (triples added). Big graphs go as several N-Triples requests of
    ``chunk_triples`` lines, streamed from an Oxigraph dump, never held in memory whole.
    """
    from kg.oxstore import dump, oxigraph_of
    from kg.store import load_graph

    t0 = time.perf_counter()
    g = load_graph(location, backend="store")
    store = oxigraph_of(g)
    url = graph_store_url(endpoint, graph)
    triples = requests = 0
    with tempfile.TemporaryDirectory(prefix="kg-push-") as tmp:
        nt = Path(tmp) / "graph.nt"
        if store is not None:
            dump(store, nt, "nt")
        else:   # a file Oxigraph does not read (JSON-LD, ...): rdflib parsed it into memory
            g.serialize(nt, format="nt", encoding="utf-8")
        del g, store
        method = "PUT" if replace else "POST"
        with open(nt, "rb") as fh:
            while True:
                chunk = list(islice(fh, chunk_triples))
                if not chunk and requests:
                    break
                request(method, url, b"".join(chunk), N_TRIPLES, timeout=timeout, headers=headers)
                triples += len(chunk)
                requests += 1
                method = "POST"
                if len(chunk) < chunk_triples:
                    break
    return PushReport(endpoint, graph, triples, requests, round(time.perf_counter() - t0, 3))


def _with_bindings(sparql: str, bindings: dict[str, str] | None) -> str:
    """``sparql`` with each variable of ``bindings`` bound to a plain string, in a ``VALUES``
    block (:func:`kg.sparql.bind_values`, as for the local graph): the protocol way to pass
    parameters (SPARQL 1.1 §10.2), equivalent to rdflib's ``initBindings``."""
    return bind_values(sparql, {name: Literal(value) for name, value in (bindings or {}).items()})


def query(endpoint: str, sparql: str, bindings: dict[str, str] | None = None, timeout: float = 120.0,
          headers: dict | None = None) -> QueryResult:
    """Run a query on a SPARQL 1.1 Protocol endpoint; rows come back as plain strings, like
    :func:`kg.query.run_query`'s."""
    ctype, data, truncated = _post_query(endpoint, _with_bindings(sparql, bindings), timeout, headers)
    if ctype in (RESULTS_JSON, "application/json"):
        doc = json.loads(data)
        if "boolean" in doc:
            return QueryResult(["ask"], [[str(bool(doc["boolean"])).lower()]],
                               datatypes=[["http://www.w3.org/2001/XMLSchema#boolean"]])
        columns = list(doc.get("head", {}).get("vars", []))
        bindings_ = doc.get("results", {}).get("bindings", [])
        rows = [[b[c]["value"] if c in b else None for c in columns] for b in bindings_]
        types = [[b[c].get("datatype") if c in b else None for c in columns] for b in bindings_]   # typed JSON output
        return QueryResult(columns, rows, truncated, datatypes=types)
    if ctype in GRAPH_TYPES:
        g = _parse_graph(endpoint, ctype, data)
        return QueryResult(["subject", "predicate", "object"], [[str(s), str(p), str(o)] for s, p, o in g], truncated)
    raise RemoteError(f"{endpoint}: unexpected answer of type {ctype or 'unknown'}")


def construct(endpoint: str, sparql: str, bindings: dict[str, str] | None = None, timeout: float = 120.0,
              headers: dict | None = None):
    """Run a CONSTRUCT or DESCRIBE query on a SPARQL endpoint; the answer as an rdflib Graph
    (terms kept: IRIs, typed and language-tagged literals)."""
    ctype, data, _ = _post_query(endpoint, _with_bindings(sparql, bindings), timeout, headers)
    if ctype not in GRAPH_TYPES:
        raise RemoteError(f"{endpoint}: expected an RDF graph, got an answer of type {ctype or 'unknown'} "
                          "(is the query a CONSTRUCT or DESCRIBE?)")
    return _parse_graph(endpoint, ctype, data)


# Media types asked for, best first. No bare application/json: for a CONSTRUCT a server may read it
# as JSON-LD (Oxigraph does), which would then win over N-Triples.
ACCEPT = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9, text/turtle;q=0.8, application/json;q=0.1"
GRAPH_TYPES = {N_TRIPLES: "nt", "text/plain": "nt", "text/turtle": "turtle", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml", "application/n-quads": "nquads", "application/trig": "trig"}


def _post_query(endpoint: str, text: str, timeout: float, headers: dict | None) -> tuple[str, bytes, str]:
    """(media type, body, the X-KG-Truncated header or "") of a query's answer."""
    body = urlencode({"query": text}).encode("utf-8")
    _, hdrs, data = request("POST", endpoint, body, "application/x-www-form-urlencoded", ACCEPT, timeout, headers)
    hdrs = {k.lower(): v for k, v in hdrs.items()}
    ctype = hdrs.get("content-type", "").split(";")[0].strip().lower()
    return ctype, data, hdrs.get("x-kg-truncated", "")


def _parse_graph(endpoint: str, ctype: str, data: bytes):
    from rdflib import Graph

    try:
        return Graph().parse(data=data.decode("utf-8"), format=GRAPH_TYPES[ctype])
    except Exception as exc:   # a malformed answer is the server's: say so, with the parser's words
        raise RemoteError(f"{endpoint}: cannot read the {ctype} answer: {exc}") from None

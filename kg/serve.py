"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build folder, for other tools.

- read-only: the graph is opened read-only; SPARQL Update (``update=``, ``application/sparql-update``,
  ``/update``) and Graph Store writes (PUT/DELETE/PATCH) are refused with 403 / 405; so are
  federated queries (``SERVICE``, 403), which would make the server fetch URLs for the client;
- binds to 127.0.0.1 unless told otherwise;
- bounded: each query runs in a worker process that is killed when it exceeds ``timeout``
  seconds (503); at most ``max_rows`` solutions (or triples) are returned, and a cut result says
  so in the ``X-KG-Truncated`` header; request bodies over 1 MB are refused (413).

Queries go to ``/sparql`` (or ``/query``) by GET ``?query=`` or POST (form or
``application/sparql-query``). Results: SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and
DESCRIBE give N-Triples. When a build publishes a new store generation, workers switch to it at
their next query.
"""
from __future__ import annotations

import json
import os
import queue
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape as xml_escape

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
MAX_BODY = 1 << 20
RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
CONTENT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}


@dataclass
class ServeConfig:
    location: str
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0        # seconds a query may run
    max_rows: int = 10_000       # solutions (or triples) returned at most
    workers: int = 2             # queries answered at once


class QueryTimeout(Exception):
    pass


# Tokens in which the word SERVICE is no keyword (SPARQL 1.1 grammar): strings, IRIs, comments.
# Each is matched from its opening character only, so scanning a query is linear in its length.
_OPENER = re.compile(r"""["'<#]""")
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_END_OF_LINE = re.compile(r"[\n\r]")
_STRING_REST = {q: (re.compile(f"(?:[^{q}\\\\]|\\\\.|{q}(?!{q}{q}))*{q}{q}{q}", re.S),   # after a long opener
                    re.compile(f"(?:[^{q}\\\\\\n\\r]|\\\\.)*{q}", re.S))                 # after a short one
                for q in "\"'"}
_SERVICE = re.compile(r"(?<![\w:?$.\-])SERVICE(?![\w:\-])", re.I)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _keyword_text(query: str) -> str | None:
    """The query without its strings, IRIs and comments; None when a string never ends (the
    query cannot be read as tokens)."""
    out, i = [], 0
    while (m := _OPENER.search(query, i)) is not None:
        j = m.start()
        out.append(query[i:j])
        c = query[j]
        if c == "#":
            eol = _END_OF_LINE.search(query, j)
            i = len(query) if eol is None else eol.start()
        elif c == "<":
            iri = _IRI.match(query, j)
            if iri is None:        # the less-than operator
                out.append("<")
                i = j + 1
            else:
                i = iri.end()
        else:
            long_rest, short_rest = _STRING_REST[c]
            if query.startswith(c * 3, j):
                rest = long_rest.match(query, j + 3)
            else:
                rest = short_rest.match(query, j + 1)
            if rest is None:
                return None
            i = rest.end()
        out.append(" ")
    out.append(query[i:])
    return "".join(out)


def uses_service(query: str) -> bool:
    """Whether a query has a ``SERVICE`` clause: federation would make the server fetch any URL
    the client names, from the server's side of the network. Conservative: a query that cannot be
    read as tokens (a string that never ends), or that has the keyword once ``\\u`` escapes are
    decoded, counts as using it. Linear in the query's length."""

    def unescape(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else ""

    for text in (query, _UNICODE_ESCAPE.sub(unescape, query)):
        keywords = _keyword_text(text)
        if keywords is None or _SERVICE.search(keywords):
            return True
    return False


# --------------------------------------------------------------------------- worker process

class _Graph:
    """The store a worker queries: the live generation read-only (reopened when a build publishes
    a new one), or a graph file loaded into memory."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.generation: Path | None = None
        self.store = None
        self.refresh()

    def refresh(self):
        import pyoxigraph as ox

        from kg.oxstore import current_generation, has_store
        from kg.store import graph_file

        if has_store(self.location):
            gen = current_generation(self.location)
            if gen != self.generation:
                self.store = ox.Store.read_only(str(gen / "oxigraph"))
                self.generation = gen
        elif self.store is None:
            path = graph_file(self.location)
            store = ox.Store()
            store.load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip("."))
                       or ox.RdfFormat.TURTLE)
            self.store = store
        return self.store


def _worker_main(location: str, conn, server_pid: int | None = None) -> None:
    if server_pid:   # a killed server must not leave a worker running a long query
        from kg.stream import _exit_with

        _exit_with(server_pid)
    try:
        graph = _Graph(location)
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        query, fmt, max_rows = msg
        try:
            conn.send(execute(graph.refresh(), query, fmt, max_rows))
        except SyntaxError as exc:
            conn.send((400, "text/plain; charset=utf-8", f"query failed: {exc}".encode(), False))
        except Exception as exc:
            conn.send((500, "text/plain; charset=utf-8", f"query failed: {type(exc).__name__}: {exc}".encode(), False))


def _json_term(t) -> dict:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "literal", "value": str(t)}


def _xml_term(t) -> str:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return f"<uri>{xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{xml_escape(t.value)}</bnode>"
    if t.language:
        return f'<literal xml:lang="{xml_escape(t.language)}">{xml_escape(t.value)}</literal>'
    if t.datatype.value != XSD_STRING:
        return f'<literal datatype="{xml_escape(t.datatype.value)}">{xml_escape(t.value)}</literal>'
    return f"<literal>{xml_escape(t.value)}</literal>"


def _csv_cell(t) -> str:
    import pyoxigraph as ox

    if t is None:
        return ""
    v = t.value if not isinstance(t, ox.BlankNode) else f"_:{t.value}"
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v


def execute(store, query: str, fmt: str, max_rows: int) -> tuple[int, str, bytes, bool]:
    """Run a query on a pyoxigraph store; (status, content type, body, truncated)."""
    import pyoxigraph as ox

    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        if fmt == "xml":
            body = ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                    f"<boolean>{str(bool(result)).lower()}</boolean></sparql>")
            return 200, CONTENT_TYPES["xml"], body.encode(), False
        return 200, CONTENT_TYPES["json"], json.dumps({"head": {}, "boolean": bool(result)}).encode(), False
    if isinstance(result, ox.QueryTriples):
        lines, truncated = [], False
        for i, t in enumerate(result):
            if i >= max_rows:
                truncated = True
                break
            lines.append(f"{t} .\n")
        return 200, "application/n-triples", "".join(lines).encode("utf-8"), truncated
    names = [v.value for v in result.variables]
    rows, truncated = [], False
    for i, solution in enumerate(result):
        if i >= max_rows:
            truncated = True
            break
        rows.append([solution[n] for n in names])
    if fmt == "csv":
        text = ",".join(names) + "\r\n" + "".join(",".join(_csv_cell(t) for t in r) + "\r\n" for r in rows)
    elif fmt == "tsv":
        text = "\t".join(f"?{n}" for n in names) + "\n" + "".join(
            "\t".join("" if t is None else str(t) for t in r) + "\n" for r in rows)
    elif fmt == "xml":
        head = "".join(f'<variable name="{xml_escape(n)}"/>' for n in names)
        body = "".join("<result>" + "".join(f'<binding name="{xml_escape(n)}">{_xml_term(t)}</binding>'
                                            for n, t in zip(names, r) if t is not None) + "</result>" for r in rows)
        text = ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head><results>{body}</results></sparql>")
    else:
        fmt = "json"
        text = json.dumps({"head": {"vars": names}, "results": {"bindings": [
            {n: _json_term(t) for n, t in zip(names, r) if t is not None} for r in rows]}}, ensure_ascii=False)
    return 200, CONTENT_TYPES[fmt], text.encode("utf-8"), truncated


# --------------------------------------------------------------------------- server side

class QueryWorker:
    """A worker process holding the graph; replaced when a query overruns."""

    def __init__(self, location: str, ctx, start_timeout: float = 60.0) -> None:
        self.location, self.ctx, self.start_timeout = location, ctx, start_timeout
        self.start()

    def start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker_main, args=(self.location, child, os.getpid()), daemon=True,
                                     name="kg-serve-worker")
        self.proc.start()
        child.close()
        self.conn = parent
        if not parent.poll(self.start_timeout):
            self.kill()
            raise RuntimeError(f"query worker did not start within {self.start_timeout:g}s")
        kind, detail = parent.recv()
        if kind != "ready":
            self.kill()
            raise RuntimeError(f"cannot open {self.location}: {detail}")

    def run(self, query: str, fmt: str, max_rows: int, timeout: float):
        self.conn.send((query, fmt, max_rows))
        if not self.conn.poll(timeout):
            self.kill()
            raise QueryTimeout
        return self.conn.recv()

    def restart(self) -> bool:
        """Replace the process (killed or dead); False when the new one does not start."""
        self.kill()
        try:
            self.start()
        except (RuntimeError, OSError):
            return False
        return True

    @property
    def alive(self) -> bool:
        return self.proc.is_alive() and not self.conn.closed

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(10)
        self.conn.close()

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; ``serve_forever()`` to run, ``close()`` to stop it and its workers."""

    daemon_threads = True

    def __init__(self, config: ServeConfig, log=None) -> None:
        from kg.stream import worker_context

        self.config = config
        self.log = log
        ctx = worker_context()
        self.workers: queue.Queue[QueryWorker] = queue.Queue()
        self._all: list[QueryWorker] = []
        try:
            for _ in range(max(1, config.workers)):
                w = QueryWorker(config.location, ctx)
                self._all.append(w)
                self.workers.put(w)
            super().__init__((config.host, config.port), _Handler)
        except BaseException:
            for w in self._all:
                w.close()
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def close(self) -> None:
        self.shutdown() if getattr(self, "_serving", False) else None
        self.server_close()
        for w in self._all:
            w.close()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._serving = True
        try:
            super().serve_forever(poll_interval)
        finally:
            self._serving = False

    def answer(self, query: str, fmt: str) -> tuple[int, str, bytes, bool]:
        cfg = self.config
        try:
            worker = self.workers.get(timeout=cfg.timeout)
        except queue.Empty:
            return 503, "text/plain; charset=utf-8", b"all query workers are busy; try again", False
        try:
            if not worker.alive and not worker.restart():
                return 503, "text/plain; charset=utf-8", b"no query worker available; try again", False
            return worker.run(query, fmt, cfg.max_rows, cfg.timeout)
        except QueryTimeout:
            worker.restart()   # the overrunning process was killed; a failed restart is retried next time
            return (503, "text/plain; charset=utf-8",
                    f"query stopped: it ran longer than the {cfg.timeout:g}s limit".encode(), False)
        except (OSError, EOFError) as exc:   # the worker died: replace it
            worker.restart()
            return 500, "text/plain; charset=utf-8", f"query worker failed: {exc}".encode(), False
        finally:
            self.workers.put(worker)


def _result_format(accept: str) -> str | None:
    if not accept.strip():
        return "json"
    best = None
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        fmt = RESULT_TYPES.get(media) or ("json" if media in ("*/*", "application/*") else None)
        if media in ("application/n-triples", "text/turtle", "text/plain"):
            fmt = "json"   # CONSTRUCT results are N-Triples whatever was asked
        if fmt and q > 0 and (best is None or q > best[0]):
            best = (q, fmt)
    return best[1] if best else None


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-serve"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.log:
            self.server.log("%s - %s" % (self.address_string(), format % args))

    def _send(self, status: int, ctype: str, body: bytes, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), extra)

    def _read_only(self) -> None:
        self._text(403, "read-only endpoint: SPARQL Update is not accepted here")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path in ("", "/"):
            cfg = self.server.config
            self._text(200, f"kg SPARQL endpoint (read-only) over {cfg.location}\n"
                            f"query: GET or POST {self.server.url}?query=...\n"
                            f"limits: {cfg.timeout:g}s per query, {cfg.max_rows} rows")
            return
        if url.path == "/update":
            self._read_only()
            return
        if url.path not in ("/sparql", "/query"):
            self._text(404, "not found: queries go to /sparql")
            return
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            self._read_only()
            return
        self._query(params.get("query", [None])[0], params)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if url.path == "/update" or ctype == "application/sparql-update":
            self._read_only()
            return
        if url.path not in ("/sparql", "/query"):
            self._text(404, "not found: queries go to /sparql")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._text(413, f"request body must be at most {MAX_BODY} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/x-www-form-urlencoded":
            params.update(parse_qs(body, keep_blank_values=True))
            if "update" in params:
                self._read_only()
                return
            self._query(params.get("query", [None])[0], params)
        elif ctype == "application/sparql-query":
            self._query(body, params)
        else:
            self._text(415, "POST a form (query=...) or application/sparql-query")

    def _refuse_write(self) -> None:
        self._text(405, "read-only endpoint: the graph cannot be changed here", {"Allow": "GET, HEAD, POST"})

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def _query(self, query: str | None, params: dict) -> None:
        if not query:
            self._text(400, "missing query parameter")
            return
        if uses_service(query):
            self._text(403, "SERVICE (federated query) is not allowed on this endpoint")
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._text(400, "default-graph-uri / named-graph-uri are not supported: the graph is the default graph")
            return
        fmt = _result_format(self.headers.get("Accept", ""))
        if fmt is None:
            self._text(406, "results are available as " + ", ".join(sorted(set(RESULT_TYPES))))
            return
        status, ctype, body, truncated = self.server.answer(query, fmt)
        extra = {"X-KG-Truncated": f"true; max-rows={self.server.config.max_rows}"} if truncated else None
        self._send(status, ctype, body, extra)


def make_server(location: str | Path, host: str = "127.0.0.1", port: int = 7878, *, timeout: float = 10.0,
                max_rows: int = 10_000, workers: int = 2, log=None) -> SparqlServer:
    """A read-only SPARQL endpoint over ``location`` (a build folder or an RDF file); port 0 picks
    a free port (see ``server.url``). Raises GraphNotFound when there is no graph."""
    from kg.oxstore import has_store
    from kg.store import graph_file

    if not has_store(location):
        graph_file(location)   # raises GraphNotFound with the usual message
    config = ServeConfig(str(location), host, port, timeout, max_rows, workers)
    return SparqlServer(config, log)


def serve_in_thread(server: SparqlServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="kg-serve", daemon=True)
    thread.start()
    return thread



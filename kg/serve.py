"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build folder, for other tools.

- read-only: the graph is opened read-only; SPARQL Update (``update=``, ``application/sparql-update``,
  ``/update``) and Graph Store writes (PUT/DELETE/PATCH) are refused with 403 / 405;
- it never sends a request for a caller: a query whose parse has a ``SERVICE`` clause is refused
  (403), and so is one that cannot be parsed (400), before the engine sees it
  (:func:`kg.sparql.engine_text`);
- binds to 127.0.0.1 unless told otherwise, and answers only requests whose ``Host`` names this
  server (loopback names, the bound address, ``allowed_hosts``): a web page cannot reach it through
  a DNS name rebound to 127.0.0.1;
- bounded: each query runs in a worker process that is killed when it exceeds ``timeout``
  seconds (503); at most ``max_rows`` solutions (or triples) and ``max_bytes`` bytes are returned,
  and a cut result says so in the ``X-KG-Truncated`` header; request bodies over 1 MB are refused
  (413); a query nested too deeply for the engine is refused (400); connections are served by a
  fixed pool of threads, and one that sends nothing, or less than it announced, is closed after
  ``read_timeout`` seconds.

Queries go to ``/sparql`` (or ``/query``) by GET ``?query=`` or POST (form or
``application/sparql-query``). Results by ``Accept``: SPARQL JSON (default), XML, CSV or TSV;
CONSTRUCT and DESCRIBE give N-Triples (default), Turtle, RDF/XML or JSON-LD, written by
pyoxigraph (:func:`kg.query.answer`). ``cors`` adds the
CORS headers for browser clients; OPTIONS is answered. When a build publishes a new store
generation, workers switch to it at their next query.
"""
from __future__ import annotations

import os
import queue
import selectors
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.processes import exit_with, worker_context
from kg.query import NotAcceptable, answer
from kg.sparql import QueryRefused, on_engine_stack

DEFAULT_PORT = 8765      # not 7878, Oxigraph server's default: both may run side by side
MAX_BODY = 1 << 20
TEXT = "text/plain; charset=utf-8"


@dataclass
class ServeConfig:
    location: str
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    timeout: float = 10.0        # seconds a query may run
    max_rows: int = 10_000       # solutions (or triples) returned at most
    workers: int = 2             # queries answered at once
    max_bytes: int = 32 << 20    # bytes of one answer's body at most
    read_timeout: float = 10.0   # seconds a connection may stay silent, or take to send a request
    threads: int = 16            # connections served at once (the rest wait, costing no thread)
    allowed_hosts: tuple[str, ...] = ()   # Host names accepted besides loopback and the bound host
    cors: str | None = None      # an origin (or "*") allowed to read answers from a browser


class QueryTimeout(Exception):
    pass


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
        exit_with(server_pid)
    # rdflib's parser recurses ~11 frames per triple pattern and ~30 per bracket: room for a
    # megabyte of query, on the engine's large stack
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1_000_000))
    on_engine_stack(_worker_loop, location, conn)


def _worker_loop(location: str, conn) -> None:
    try:
        graph = _Graph(location)
        import rdflib.plugins.sparql.parser  # noqa: F401 - build the grammar before the first query
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
        query, accept, max_rows, max_bytes = msg
        try:
            conn.send((200, *answer(graph.refresh(), query, accept, max_rows, max_bytes)))
        except QueryRefused as exc:
            conn.send((exc.status, TEXT, f"{exc}".encode(), ""))
        except NotAcceptable as exc:
            conn.send((406, TEXT, f"{exc}".encode(), ""))
        except SyntaxError as exc:
            conn.send((400, TEXT, f"query failed: {exc}".encode(), ""))
        except Exception as exc:
            conn.send((500, TEXT, f"query failed: {type(exc).__name__}: {exc}".encode(), ""))


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

    def run(self, query: str, accept: str, max_rows: int, max_bytes: int, timeout: float):
        self.conn.send((query, accept, max_rows, max_bytes))
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


# Errors of a connection its client dropped or let go silent: one short log line, no traceback.
_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class SparqlServer(HTTPServer):
    """The HTTP server; ``serve_forever()`` to run, ``close()`` to stop it and its workers.

    One thread waits on the listening socket and on every open connection (a selector); a
    connection goes to the pool of ``config.threads`` threads only once it has sent a byte, so
    idle connections hold no thread. Each is closed after ``config.read_timeout`` seconds
    without a byte, or when its request is not complete by then."""

    request_queue_size = 128   # the listen backlog
    max_waiting = 512          # idle connections kept at most; the oldest is closed beyond

    def __init__(self, config: ServeConfig, log=None) -> None:
        self.config = config
        self.log = log
        ctx = worker_context()
        self.workers: queue.Queue[QueryWorker] = queue.Queue()
        self._all: list[QueryWorker] = []
        self._pool = ThreadPoolExecutor(max_workers=max(1, config.threads), thread_name_prefix="kg-serve-http")
        self._waiting: dict[socket.socket, tuple[float, tuple]] = {}   # connection -> (deadline, address)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._wake_r, self._wake_w = socket.socketpair()
        try:
            for _ in range(max(1, config.workers)):
                w = QueryWorker(config.location, ctx)
                self._all.append(w)
                self.workers.put(w)
            super().__init__((config.host, config.port), _Handler)
        except BaseException:
            for w in self._all:
                w.close()
            self._pool.shutdown(wait=False)
            raise
        port = self.server_address[1]
        names = {"localhost", "127.0.0.1", "[::1]", config.host.lower(), *(h.lower() for h in config.allowed_hosts)}
        if ":" in config.host:
            names.add(f"[{config.host.lower()}]")
        self.allowed_hosts = names | {f"{n}:{port}" for n in names}

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def host_allowed(self, host: str | None) -> bool:
        """Whether a request's Host header names this server (DNS rebinding: a page of
        evil.example whose name now points at 127.0.0.1 sends ``Host: evil.example``). Any IP
        address is accepted (no name to rebind), and so is a request with no Host header."""
        if host is None or "*" in self.config.allowed_hosts:
            return True
        host = host.strip().lower()
        if host in self.allowed_hosts:
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        try:
            ip_address(name.strip("[]"))
            return True
        except ValueError:
            return False

    # -- connections

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stop.clear()
        self._stopped.clear()
        self.socket.setblocking(False)
        sel = selectors.DefaultSelector()
        sel.register(self.socket, selectors.EVENT_READ, "listen")
        sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        try:
            while not self._stop.is_set():
                for key, _ in sel.select(poll_interval):
                    if key.data == "listen":
                        self._accept(sel)
                    elif key.data == "wake":
                        self._wake_r.recv(4096)
                    else:
                        sel.unregister(key.fileobj)
                        _, address = self._waiting.pop(key.fileobj)
                        self._pool.submit(self._serve_connection, key.fileobj, address)
                now = time.monotonic()
                for conn, (deadline, _) in list(self._waiting.items()):
                    if deadline < now:
                        self._drop(sel, conn)
        finally:
            for conn in list(self._waiting):
                self._drop(sel, conn)
            sel.close()
            self._stopped.set()

    def _accept(self, sel) -> None:
        try:
            conn, address = self.socket.accept()
        except BlockingIOError:
            return
        except OSError as exc:   # e.g. out of file descriptors: make room, say so once
            if self._waiting:
                self._drop(sel, next(iter(self._waiting)))
            self._log(f"accept failed: {exc.strerror or exc}")
            return
        if len(self._waiting) >= self.max_waiting:
            self._drop(sel, next(iter(self._waiting)))   # the oldest idle connection
        conn.settimeout(self.config.read_timeout)
        self._waiting[conn] = (time.monotonic() + self.config.read_timeout, address)
        sel.register(conn, selectors.EVENT_READ, "conn")

    def _drop(self, sel, conn: socket.socket) -> None:
        self._waiting.pop(conn, None)
        try:
            sel.unregister(conn)
        except (KeyError, ValueError):
            pass
        self.shutdown_request(conn)

    def _serve_connection(self, conn: socket.socket, address) -> None:
        try:
            self.finish_request(conn, address)
        except _CLIENT_GONE as exc:
            self._log(f"{address[0]} - connection closed: {type(exc).__name__}")
        except Exception as exc:   # a bug of ours: one line, the connection closes
            self._log(f"{address[0]} - error: {type(exc).__name__}: {exc}")
        finally:
            self.shutdown_request(conn)

    def handle_error(self, request, client_address) -> None:
        self._log(f"{client_address[0]} - error: {sys.exc_info()[1]!r}")

    def _log(self, message: str) -> None:
        if self.log:
            self.log(message)

    def shutdown(self) -> None:
        self._stop.set()
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass
        self._stopped.wait()

    def close(self) -> None:
        if not self._stopped.is_set():
            self.shutdown()
        self.server_close()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._wake_r.close()
        self._wake_w.close()
        for w in self._all:
            w.close()

    # -- queries

    def answer(self, query: str, accept: str) -> tuple[int, str, bytes, str]:
        cfg = self.config
        try:
            worker = self.workers.get(timeout=cfg.timeout)
        except queue.Empty:
            return 503, TEXT, b"all query workers are busy; try again", ""
        try:
            if not worker.alive and not worker.restart():
                return 503, TEXT, b"no query worker available; try again", ""
            return worker.run(query, accept, cfg.max_rows, cfg.max_bytes, cfg.timeout)
        except QueryTimeout:
            worker.restart()   # the overrunning process was killed; a failed restart is retried next time
            return 503, TEXT, f"query stopped: it ran longer than the {cfg.timeout:g}s limit".encode(), ""
        except (OSError, EOFError):   # the worker died under this query: replace it
            worker.restart()
            return 500, TEXT, b"query failed: the query engine stopped on this query", ""
        finally:
            self.workers.put(worker)


ALLOW = "GET, HEAD, POST, OPTIONS"


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-serve"

    def setup(self) -> None:
        self.timeout = self.server.config.read_timeout   # each read and write; a client that stops reading
        super().setup()
        # the whole request, too: a client sending a byte now and then must not hold a thread
        self._deadline = threading.Timer(self.server.config.read_timeout, self._too_slow)
        self._deadline.daemon = True
        self._deadline.start()

    def _too_slow(self) -> None:
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def finish(self) -> None:
        self._deadline.cancel()
        super().finish()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.log:
            self.server.log("%s - %s" % (self.address_string(), format % args))

    def _cors(self) -> dict:
        origin = self.server.config.cors
        if not origin:
            return {}
        out = {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "X-KG-Truncated"}
        if origin != "*":
            out["Vary"] = "Origin"
        return out

    def _send(self, status: int, ctype: str | None, body: bytes, extra: dict | None = None) -> None:
        self._deadline.cancel()
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in {**self._cors(), **(extra or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, TEXT, (message + "\n").encode("utf-8"), extra)

    def _read_only(self) -> None:
        self._text(403, "read-only endpoint: SPARQL Update is not accepted here")

    def _host_ok(self) -> bool:
        if self.server.host_allowed(self.headers.get("Host")):
            return True
        self._text(403, "Host header not allowed: this endpoint answers requests for its own address "
                        "(kg serve --allow-host NAME adds a name)")
        return False

    def do_OPTIONS(self) -> None:
        if not self._host_ok():
            return
        extra = {"Allow": ALLOW}
        if self.server.config.cors:
            extra.update({"Access-Control-Allow-Methods": ALLOW,
                          "Access-Control-Allow-Headers": "Content-Type, Accept",
                          "Access-Control-Max-Age": "600"})
        self._send(204, None, b"", extra)

    def do_GET(self) -> None:
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path in ("", "/"):
            cfg = self.server.config
            self._text(200, f"kg SPARQL endpoint (read-only) over {cfg.location}\n"
                            f"query: GET or POST {self.server.url}?query=...\n"
                            f"limits: {cfg.timeout:g}s per query, {cfg.max_rows} rows, {cfg.max_bytes} bytes")
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
        if not self._host_ok():
            return
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
        body = self.rfile.read(length)   # a client that sends less times out (read_timeout)
        if len(body) < length:
            self.close_connection = True
            return
        text = body.decode("utf-8", "replace")
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/x-www-form-urlencoded":
            params.update(parse_qs(text, keep_blank_values=True))
            if "update" in params:
                self._read_only()
                return
            self._query(params.get("query", [None])[0], params)
        elif ctype == "application/sparql-query":
            self._query(text, params)
        else:
            self._text(415, "POST a form (query=...) or application/sparql-query")

    def _refuse_write(self) -> None:
        self._text(405, "read-only endpoint: the graph cannot be changed here", {"Allow": ALLOW})

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def _query(self, query: str | None, params: dict) -> None:
        if not query:
            self._text(400, "missing query parameter")
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._text(400, "default-graph-uri / named-graph-uri are not supported: the graph is the default graph")
            return
        self._deadline.cancel()   # the request is read: the query has its own limit
        status, ctype, body, cut = self.server.answer(query, self.headers.get("Accept", ""))
        self._send(status, ctype, body, {"X-KG-Truncated": cut} if cut else None)


def make_server(location: str | Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, timeout: float = 10.0,
                max_rows: int = 10_000, workers: int = 2, log=None, max_bytes: int = 32 << 20,
                read_timeout: float = 10.0, threads: int = 16, allowed_hosts: tuple[str, ...] = (),
                cors: str | None = None) -> SparqlServer:
    """A read-only SPARQL endpoint over ``location`` (a build folder or an RDF file); port 0 picks
    a free port (see ``server.url``). Raises GraphNotFound when there is no graph."""
    from kg.oxstore import has_store
    from kg.store import graph_file

    if not has_store(location):
        graph_file(location)   # raises GraphNotFound with the usual message
    config = ServeConfig(str(location), host, port, timeout, max_rows, workers, max_bytes, read_timeout, threads,
                         tuple(allowed_hosts), cors)
    return SparqlServer(config, log)


def serve_in_thread(server: SparqlServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="kg-serve", daemon=True)
    thread.start()
    return thread

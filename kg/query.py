"""SPARQL over the graph: ad-hoc queries, named queries shipped in ``kg/queries/*.rq``, results
as rows or formatted as a table, CSV or JSON.

Named queries take parameters as bound variables (``initBindings``), never by pasting user text
into the query string.
"""
from __future__ import annotations

import csv
import io
import json
import re
import threading
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from rdflib import Graph, Literal

QUERY_DIR = Path(__file__).parent / "queries"
DEFAULT_PAGE = 1000   # rows `kg query --named` shows of a listing unless --all


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    parameters: tuple[str, ...]   # variables the user may bind, e.g. ("method",)
    stats_text: str | None = None   # the same rows from the store's stats graph (kg.stats), if it can


def named_queries() -> dict[str, NamedQuery]:
    """The shipped queries; the first ``#`` comment line is the description, ``# param: x`` lines
    declare bindable variables."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        if path.name.endswith(".stats.rq"):
            continue
        twin = path.with_name(path.stem + ".stats.rq")
        text = path.read_text(encoding="utf-8")
        comments = [l[1:].strip() for l in text.splitlines() if l.startswith("#")]
        params = tuple(c.split(":", 1)[1].strip() for c in comments if c.startswith("param:"))
        desc = next((c for c in comments if not c.startswith("param:")), "")
        out[path.stem] = NamedQuery(path.stem, desc, text, params,
                                    twin.read_text(encoding="utf-8") if twin.is_file() else None)
    return out


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[str | None]]
    truncated: str = ""     # why the answer is cut: its server says so (kg serve's X-KG-Truncated), or a page


class QueryRefused(ValueError):
    """A query turned away before the engine sees it; ``status`` is the HTTP answer kg serve gives."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# Oxigraph's parser and planner recurse once per nesting level, in native code: a query nested a
# few thousand levels deep overflows the thread's stack and kills the process (SIGSEGV), before
# any error can be raised. Measured on an 8 MiB stack (pyoxigraph 0.5.13), the dearest level is a
# nested collection "(" (~22 KiB: 361 levels pass, 400 crash), then FILTER EXISTS "{" (~10 KiB),
# "[" (~9 KiB), "{" (~3.8 KiB), "(" in expressions (~1.8 KiB), "!" and "<<" (~1 KiB).
MAX_DEPTH = 500                 # brackets open at once, as written
MAX_BRACKETS = 10_000           # "(", "[", "{", "!" and "<<" in all: a bound on any real depth
ENGINE_STACK = 512 << 20        # bytes of stack the engine runs on: MAX_BRACKETS x 22 KiB, twice over
_BRACKETS = re.compile(r"[(\[{]|[)\]}]")


def check_nesting(query: str) -> None:
    """Refuse (:class:`QueryRefused`) a query too deeply nested for the engine to parse.

    Two bounds. The depth as written (brackets open at once, counted anywhere, strings too) gives
    the message people see. It can be fooled by closing brackets inside strings, so the count
    of every opening bracket, which no string can lower, bounds the real depth; the engine runs
    on a stack sized for that many levels (:func:`on_engine_stack`)."""
    depth = max(accumulate(1 if b in "([{" else -1 for b in _BRACKETS.findall(query)), default=0)
    if depth > MAX_DEPTH:
        raise QueryRefused(f"query nested {depth} brackets deep; at most {MAX_DEPTH} are accepted")
    openers = sum(query.count(c) for c in "([{!") + query.count("<<")
    if openers > MAX_BRACKETS:
        raise QueryRefused(f"query has {openers} opening brackets and '!' (at most {MAX_BRACKETS:,} are "
                           "accepted, a bound on how deeply it can nest): split it into smaller queries")


def on_engine_stack(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` on a thread with :data:`ENGINE_STACK` bytes of stack (reserved, not
    used until touched), so that a query :func:`check_nesting` lets through cannot overflow it."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, fn(*args, **kwargs)))
        except BaseException as exc:   # re-raised in the caller's thread
            outcome.append((False, exc))

    with _STACK_LOCK:   # the stack size is process-wide: set it for this thread only
        previous = threading.stack_size(ENGINE_STACK)
        try:
            thread = threading.Thread(target=run, name="kg-query-engine", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


_STACK_LOCK = threading.Lock()


def run_query(graph: Graph, query: str, bindings: dict[str, str] | None = None) -> QueryResult:
    """Run a SELECT/ASK/CONSTRUCT query; values come back as plain strings. A query nested too
    deeply for the engine raises :class:`QueryRefused` before the engine sees it."""
    check_nesting(query)
    return on_engine_stack(_run_query, graph, query, bindings)


def _run_query(graph: Graph, query: str, bindings: dict[str, str] | None) -> QueryResult:
    init = {k: Literal(v) for k, v in (bindings or {}).items()}
    result = graph.query(query, initBindings=init)
    if result.type == "ASK":
        return QueryResult(["ask"], [[str(bool(result.askAnswer)).lower()]])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(["subject", "predicate", "object"], [[str(s), str(p), str(o)] for s, p, o in result.graph])
    columns = [str(v) for v in result.vars]
    rows = [[None if v is None else str(v) for v in row] for row in result]
    return QueryResult(columns, rows)


def run_named(graph: Graph, name: str, bindings: dict[str, str] | None = None, *,
              page: int | None = None, offset: int = 0) -> QueryResult:
    """Run a shipped query. On a store with a stats graph, an aggregate query reads it instead
    of counting every statement (same rows; :mod:`kg.stats`).

    ``page``: a listing (a query without its own LIMIT) returns at most this many rows, from row
    ``offset``. A listing that fits in one page comes back whole and sorted; a longer one comes in
    the store's order (stable for a given build), since sorting a million rows takes minutes, and
    ``truncated`` says so. ``page=None``: every row, sorted.
    """
    queries = named_queries()
    if name not in queries:
        raise KeyError(f"no named query {name!r}; known: {', '.join(queries)}")
    q = queries[name]
    unknown = set(bindings or {}) - set(q.parameters)
    if unknown:
        raise KeyError(f"query {name!r} takes {', '.join(q.parameters) or 'no parameters'}, not {', '.join(sorted(unknown))}")
    text = q.stats_text if q.stats_text and has_stats(graph) else q.text
    if page is None or _LIMIT.search(text):
        return run_query(graph, text, bindings)
    if page < 1 or offset < 0:
        raise ValueError("page must be at least 1 and offset at least 0")
    unsorted = _ORDER_BY.sub("", text) + f"\nLIMIT {page + 1}" + (f" OFFSET {offset}" if offset else "")
    result = run_query(graph, unsorted, bindings)
    if offset == 0 and len(result.rows) <= page:
        return run_query(graph, text, bindings)   # all of it fits in a page: sorted, as asked
    more = len(result.rows) > page
    result.rows = result.rows[:page]
    first, last = offset + 1, offset + len(result.rows)
    result.truncated = (f"rows {first}-{last} in store order" + (f"; more from --offset {last}" if more else "")
                        + "; --all for every row, sorted") if result.rows else f"no rows from --offset {offset}"
    return result


_LIMIT = re.compile(r"^\s*LIMIT\s+\d+", re.IGNORECASE | re.MULTILINE)
_ORDER_BY = re.compile(r"^\s*ORDER\s+BY\b[^\n]*$", re.IGNORECASE | re.MULTILINE)


def has_stats(graph: Graph) -> bool:
    """Whether ``graph`` reads a store whose build kept the stats graph (:mod:`kg.stats`)."""
    from kg.oxstore import oxigraph_of
    from kg.stats import STATS_GRAPH

    store = oxigraph_of(graph)
    return store is not None and bool(store.query(f"ASK {{ GRAPH <{STATS_GRAPH}> {{ ?s ?p ?o }} }}"))


def format_result(result: QueryResult, fmt: str = "table", max_width: int = 60) -> str:
    """Render as an aligned text table, CSV or JSON (a list of objects)."""
    if fmt == "json":
        return json.dumps([dict(zip(result.columns, r)) for r in result.rows], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.columns)
        w.writerows([["" if v is None else v for v in r] for r in result.rows])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")

    def cell(v: str | None) -> str:
        v = "" if v is None else re.sub(r"\s+", " ", _short(v))
        return v if len(v) <= max_width else v[: max_width - 1] + "…"

    rows = [[cell(v) for v in r] for r in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(result.columns)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(result.columns), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _short(value: str) -> str:
    """IRIs of our own namespace shown by their local name."""
    for prefix in ("https://w3id.org/kgpaper/id/", "https://w3id.org/kgpaper/ontology#"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value

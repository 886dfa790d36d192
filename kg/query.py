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
from dataclasses import dataclass
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


def run_query(graph: Graph, query: str, bindings: dict[str, str] | None = None) -> QueryResult:
    """Run a SELECT/ASK/CONSTRUCT query; values come back as plain strings."""
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

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


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    parameters: tuple[str, ...]   # variables the user may bind, e.g. ("method",)


def named_queries() -> dict[str, NamedQuery]:
    """The shipped queries; the first ``#`` comment line is the description, ``# param: x`` lines
    declare bindable variables."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = [l[1:].strip() for l in text.splitlines() if l.startswith("#")]
        params = tuple(c.split(":", 1)[1].strip() for c in comments if c.startswith("param:"))
        desc = next((c for c in comments if not c.startswith("param:")), "")
        out[path.stem] = NamedQuery(path.stem, desc, text, params)
    return out


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[str | None]]
    truncated: str = ""     # why the answer is cut, when its server says so (kg serve's X-KG-Truncated)


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


def run_named(graph: Graph, name: str, bindings: dict[str, str] | None = None) -> QueryResult:
    queries = named_queries()
    if name not in queries:
        raise KeyError(f"no named query {name!r}; known: {', '.join(queries)}")
    q = queries[name]
    unknown = set(bindings or {}) - set(q.parameters)
    if unknown:
        raise KeyError(f"query {name!r} takes {', '.join(q.parameters) or 'no parameters'}, not {', '.join(sorted(unknown))}")
    return run_query(graph, q.text, bindings)


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

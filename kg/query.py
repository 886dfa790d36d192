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
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal

from kg.names import find_nodes, similar_names
from kg.sparql import check_nesting, on_engine_stack

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
    datatypes: list[list[str | None]] | None = None   # each literal cell's datatype IRI (JSON gives numbers as numbers)
    hints: list[str] = field(default_factory=list)    # what may explain an empty answer ("did you mean …")


class QuerySyntaxError(ValueError):
    """A query that does not parse, with the position in the user's own text."""


def with_prefixes(text: str) -> tuple[str, int]:
    """``text`` with the PREFIX lines of our vocabularies it does not declare (kgo:, rdfs:,
    dcterms:, ...), and how many lines were added before it (to report error positions in the
    user's text)."""
    from kg.rdf import PREFIXES

    known = dict(PREFIXES, rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    decl = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in known.items() if not re.search(rf"PREFIX\s+{p}:", text, re.I))
    return decl + text, decl.count("\n")


_OXIGRAPH_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_PYPARSING_ERROR = re.compile(r"^(.*?)\s*\(at char \d+\), \(line:(\d+), col:(\d+)\)", re.S)


def syntax_error(exc: Exception, text: str, added_lines: int = 0) -> QuerySyntaxError | None:
    """The parser's error as a short message at a position in the user's ``text`` (the query
    before :func:`with_prefixes`), with the line and a caret; None if ``exc`` is not a syntax error."""
    message = str(exc)
    if m := _OXIGRAPH_ERROR.search(message):
        line, column, said = int(m[1]), int(m[2]), m[3]
    elif m := _PYPARSING_ERROR.search(message):
        line, column, said = int(m[2]), int(m[3]), m[1]
    else:
        return None
    line -= added_lines
    expected = said.split("expected one of", 1)
    if len(expected) == 2:   # a list of grammar tokens: keep a few plain ones, never character ranges
        tokens = [t.strip() for t in expected[1].split(",") if t.strip() and not t.strip().startswith("[")]
        said = ("expected " + " or ".join(tokens) if 0 < len(tokens) <= 4 else
                "cannot parse the query here")
    said = said.strip().splitlines()[0] if said.strip() else "cannot parse the query here"
    lines = text.splitlines() or [""]
    where = f"line {line}, column {column}" if 1 <= line <= len(lines) else f"line {line}"
    out = f"SPARQL syntax error at {where}: {said}"
    if 1 <= line <= len(lines):
        shown = lines[line - 1]
        out += f"\n  {shown}\n  {' ' * max(0, min(column - 1, len(shown)))}^"
    return QuerySyntaxError(out)


def run_text(graph: Graph, text: str, bindings: dict[str, str] | None = None) -> QueryResult:
    """A user's query (our prefixes added when not declared); a syntax error is raised as
    :class:`QuerySyntaxError` with the position in ``text``."""
    full, added = with_prefixes(text)
    try:
        return run_query(graph, full, bindings)
    except Exception as exc:
        error = syntax_error(exc, text, added)
        if error is None:
            raise
        raise error from None


def run_query(graph: Graph, query: str, bindings: dict[str, str] | None = None) -> QueryResult:
    """Run a SELECT/ASK/CONSTRUCT query; values come back as plain strings, with each literal's
    datatype in ``datatypes``. A query nested too
    deeply for the engine raises :class:`kg.sparql.QueryRefused` before the engine sees it."""
    check_nesting(query)
    return on_engine_stack(_run_query, graph, query, bindings)


def _run_query(graph: Graph, query: str, bindings: dict[str, str] | None) -> QueryResult:
    init = {k: Literal(v) for k, v in (bindings or {}).items()}
    result = graph.query(query, initBindings=init)
    if result.type == "ASK":
        return QueryResult(["ask"], [[str(bool(result.askAnswer)).lower()]], datatypes=[[_XSD_BOOLEAN]])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(["subject", "predicate", "object"], [[str(s), str(p), str(o)] for s, p, o in result.graph])
    columns = [str(v) for v in result.vars]
    rows, types = [], []
    for row in result:
        rows.append([None if v is None else str(v) for v in row])
        types.append([str(v.datatype) if isinstance(v, Literal) and v.datatype is not None else None for v in row])
    return QueryResult(columns, rows, datatypes=types)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN = _XSD + "boolean"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                                "unsignedShort", "unsignedByte")}
_DECIMALS = {_XSD + t for t in ("decimal", "double", "float")}


def typed_value(text: str | None, datatype: str | None):
    """A cell as JSON would have it: xsd numbers as numbers, xsd:boolean as true/false, the rest
    as text (a malformed or infinite number stays text)."""
    if text is None or datatype is None:
        return text
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype in _DECIMALS:
            number = float(text)
            return number if number == number and abs(number) != float("inf") else text
    except ValueError:
        return text
    if datatype == _XSD_BOOLEAN and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    return text


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
    check_parameters(q, bindings)
    text = q.stats_text if q.stats_text and has_stats(graph) else q.text
    if page is None or _LIMIT.search(text):
        return _with_hints(graph, q, bindings, run_query(graph, text, bindings))
    if page < 1 or offset < 0:
        raise ValueError("page must be at least 1 and offset at least 0")
    unsorted = _ORDER_BY.sub("", text) + f"\nLIMIT {page + 1}" + (f" OFFSET {offset}" if offset else "")
    result = run_query(graph, unsorted, bindings)
    if offset == 0 and len(result.rows) <= page:   # all of it fits in a page: sorted, as asked
        return _with_hints(graph, q, bindings, run_query(graph, text, bindings))
    more = len(result.rows) > page
    result.rows = result.rows[:page]
    first, last = offset + 1, offset + len(result.rows)
    result.truncated = (f"rows {first}-{last} in store order" + (f"; more from --offset {last}" if more else "")
                        + "; --all for every row, sorted") if result.rows else f"no rows from --offset {offset}"
    return result


def check_parameters(q: NamedQuery, bindings: dict[str, str] | None) -> None:
    """A named query gets exactly its parameters: an unbound one would match every row."""
    given = set(bindings or {})
    unknown = given - set(q.parameters)
    if unknown:
        raise KeyError(f"query {q.name!r} takes {', '.join(q.parameters) or 'no parameters'}, not {', '.join(sorted(unknown))}")
    missing = [p for p in q.parameters if p not in given]
    if missing:
        raise KeyError(f"query {q.name!r} needs " + " and ".join(f"--param {p}=VALUE" for p in missing)
                       + " (without it every row would match)")


def _with_hints(graph: Graph, q: NamedQuery, bindings: dict[str, str] | None, result: QueryResult) -> QueryResult:
    """An empty answer to a query about a name: say when no node has that name, and which do
    (:mod:`kg.names`' suggestions, as ``kg viz --focus`` gives them)."""
    if result.rows or not bindings:
        return result
    for param, value in sorted(bindings.items()):
        if find_nodes(graph, value):
            continue
        close = similar_names(graph, value)
        result.hints.append(f"no method or dataset is called {value!r} (--param {param})"
                            + (f"; did you mean: {', '.join(close)}" if close else ""))
    return result


_LIMIT = re.compile(r"^\s*LIMIT\s+\d+", re.IGNORECASE | re.MULTILINE)
_ORDER_BY = re.compile(r"^\s*ORDER\s+BY\b[^\n]*$", re.IGNORECASE | re.MULTILINE)


def has_stats(graph: Graph) -> bool:
    """Whether ``graph`` reads a store whose build kept the stats graph (:mod:`kg.stats`)."""
    from kg.oxstore import oxigraph_of
    from kg.stats import STATS_GRAPH

    store = oxigraph_of(graph)
    return store is not None and bool(store.query(f"ASK {{ GRAPH <{STATS_GRAPH}> {{ ?s ?p ?o }} }}"))


def format_result(result: QueryResult, fmt: str = "table", max_width: int | None = 60) -> str:
    """Render as an aligned text table, CSV or JSON (a list of objects, numbers and booleans
    typed). A table cuts cells longer than ``max_width`` (None: never) and says how many it cut."""
    if fmt == "json":
        types = result.datatypes or [[None] * len(result.columns)] * len(result.rows)
        return json.dumps([{c: typed_value(v, t) for c, v, t in zip(result.columns, r, ts)}
                           for r, ts in zip(result.rows, types)], indent=2, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.columns)
        w.writerows([["" if v is None else v for v in r] for r in result.rows])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    cut = 0

    def cell(v: str | None) -> str:
        nonlocal cut
        v = "" if v is None else re.sub(r"\s+", " ", _short(v))
        if max_width is None or len(v) <= max_width:
            return v
        cut += 1
        return v[: max_width - 1] + "…"

    rows = [[cell(v) for v in r] for r in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(result.columns)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(result.columns), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    if cut:
        out.append(f"{cut} cell{'s' if cut != 1 else ''} cut at {max_width} characters (…); "
                   "--wide shows them whole, --format csv or json gives every value as it is")
    return "\n".join(out)


def _short(value: str) -> str:
    """IRIs of our own namespace shown by their local name."""
    for prefix in ("https://w3id.org/kgpaper/id/", "https://w3id.org/kgpaper/ontology#"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value
